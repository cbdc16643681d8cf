/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The one error convention of src/os: a negative errno, never a bare -1.
 */
#ifndef LESSEE_OS_OSERR_H
#define LESSEE_OS_OSERR_H

#include <errno.h>

/* errno as a negative value; -EIO if a failing call left errno unset. */
static inline int os_errno(void)
{
	return errno > 0 ? -errno : -EIO;
}

#endif
