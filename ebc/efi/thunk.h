/* SPDX-License-Identifier: MIT */
/* The AArch64 thunk table shared by thunk.S and driver.c. */
#ifndef EBC_EFI_THUNK_H
#define EBC_EFI_THUNK_H

/* Stubs in the table; each is two instructions (8 bytes). */
#define EBC_MAX_THUNKS 256
#define EBC_THUNK_SIZE 8

#endif /* EBC_EFI_THUNK_H */
