/* SPDX-License-Identifier: MIT */
/* vtz-client fw-update (fw_update.c). */
#ifndef VTZ_CLIENT_FW_UPDATE_H
#define VTZ_CLIENT_FW_UPDATE_H

/* Deliver the bundle in path to the monitor; a VTZ_EXIT_* code. */
int cmd_fw_update(const char *path);

#endif
