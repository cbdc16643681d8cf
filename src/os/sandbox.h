/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Per-role seccomp filters (libseccomp). This is the one place they go; the
 * filters themselves are built by their own issue.
 */
#ifndef LESSEE_OS_SANDBOX_H
#define LESSEE_OS_SANDBOX_H

#include <stdbool.h>

#include "role.h"

/*
 * Install the seccomp filter for role, after privileges are dropped and
 * before the event loop; on failure *why gets a one-line reason. TODAY IT
 * INSTALLS NOTHING and returns 0 (or -EINVAL for a value outside enum
 * os_role); sandbox_enforced() says so, so that a role can log "seccomp: not
 * enforced" rather than pretend.
 */
int sandbox_apply(enum os_role role, const char **why);

/* False until the per-role filters exist. */
bool sandbox_enforced(void);

#endif
