/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Seccomp goes here. DESIGN.md: "a seccomp or capability failure is fatal at
 * start, never silently skipped" -- so when the filters land, every
 * libseccomp call's result is checked and returned as a negative errno
 * (libseccomp already returns -errno), and a test runs the whole lease cycle
 * under them (STYLE.md "What we avoid": a seccomp allowlist nobody tests).
 *
 * Until then this file deliberately installs no filter at all. It does not
 * call seccomp_init/seccomp_load with an allow-everything policy: a stub that
 * looks like a sandbox is worse than an honest absence.
 */
#include <errno.h>
#include <stddef.h>

#include "sandbox.h"

int sandbox_apply(enum os_role role, const char **why)
{
	switch (role) {
	case OS_ROLE_NET:
	case OS_ROLE_ENGINE:
	case OS_ROLE_APPLY:
	case OS_ROLE_SUPERVISOR:
		/* No filter yet: see the comment at the top of this file. */
		return 0;
	}
	if (why != NULL)
		*why = "no such role";
	return -EINVAL;
}

bool sandbox_enforced(void)
{
	return false;
}
