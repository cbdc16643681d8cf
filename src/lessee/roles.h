/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The processes of the daemon. The supervisor (the process the user
 * started) opens nothing that parses, creates the channels and starts each
 * role as a fork + exec of the same binary with `--role NAME` in front of
 * the user's arguments; a role's channels are always at fixed descriptors.
 *
 *   engine: fd 3 supervisor, fd 4 net, fd 5 apply
 *   net:    fd 3 engine
 *   apply:  fd 3 engine
 */
#ifndef LESSEE_ROLES_H
#define LESSEE_ROLES_H

#include "lessee/cli.h"
#include "os/sandbox.h"

#define ROLE_FD_FIRST 3

/* The sandbox flags the command line asks for (--sandbox-debug). */
static inline unsigned sandbox_flags(const struct lessee_opts *opts)
{
	return opts->sandbox_debug ? SANDBOX_TRAP : 0u;
}

int supervisor_main(const struct lessee_opts *opts, int argc, char *const argv[]);
int role_engine_main(const struct lessee_opts *opts);
int role_net_main(const struct lessee_opts *opts);
int role_apply_main(const struct lessee_opts *opts);

#endif
