/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Per-role seccomp filters (libseccomp, syscalls by name so the lists hold
 * across architectures). Default action: kill the process. Each role
 * installs its filter once, after its privilege drop and before it reads a
 * byte from a peer; a filter that cannot be installed is fatal (DESIGN.md:
 * "a seccomp or capability failure is fatal at start, never silently
 * skipped"). What each list holds and why is in sandbox.c and lessee(8).
 */
#ifndef LESSEE_OS_SANDBOX_H
#define LESSEE_OS_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "role.h"

enum sandbox_flag {
	/* --sandbox-debug: a syscall outside the list raises SIGSYS, whose
	 * handler writes "sandbox: ROLE made syscall NAME (NR)" to stderr and
	 * exits with SANDBOX_TRAP_EXIT, instead of a silent kill. */
	SANDBOX_TRAP = 1u << 0,
};

#define SANDBOX_TRAP_EXIT 159   /* 128 + SIGSYS, as a shell would show it */

/*
 * Install the filter for role (flags: enum sandbox_flag). 0, or a negative
 * errno with *why set to a one-line reason. Call at most once.
 */
int sandbox_apply(enum os_role role, unsigned flags, const char **why);

/* True once this process has installed its filter. */
bool sandbox_enforced(void);

/* False in a -Dsandbox=false build, made only to run under valgrind
 * (sandbox.c says why): sandbox_apply installs nothing, the engine and
 * net get no descriptor limit. */
bool sandbox_built(void);

/* The program a role is exec'd from: /proc/self/exe, the very file the
 * supervisor runs even if its path has been replaced since; in a
 * -Dsandbox=false build the path that link names, which valgrind can
 * follow. */
const char *sandbox_role_exe(void);

/* How many syscalls role's list allows (the names that exist on this
 * architecture), for tests and the log; 0 for a value outside the enum. */
size_t sandbox_allowlist_size(enum os_role role);

#endif
