/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The three roles of the daemon (DESIGN.md "Daemon and privilege
 * separation"): net moves frames, engine decides, apply changes the system;
 * and the supervisor that started them, which after that only watches them
 * and relays signals.
 *
 * Prefixed OS_ so as not to collide with the command line's own role enum;
 * passing that enum here by mistake is an -Wenum-conversion error (-Wextra).
 * Numbered from 1: a zeroed value is no role at all.
 */
#ifndef LESSEE_OS_ROLE_H
#define LESSEE_OS_ROLE_H

enum os_role {
	OS_ROLE_NET = 1,
	OS_ROLE_ENGINE = 2,
	OS_ROLE_APPLY = 3,
	OS_ROLE_SUPERVISOR = 4,
};

/* "net", "engine", "apply", "supervisor", or NULL outside the enum. */
const char *os_role_name(enum os_role role);

#endif
