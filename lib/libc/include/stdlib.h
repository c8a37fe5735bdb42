/* SPDX-License-Identifier: MIT */
/* libfdt's libfdt_env.h includes <stdlib.h>; the images need nothing from it. */
#ifndef LIBC_STDLIB_H
#define LIBC_STDLIB_H
#include <stddef.h>
#endif
