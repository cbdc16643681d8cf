/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The environment of a dhclient-script compatible hook (dhclient-script(8),
 * "OPERATION"): reason, interface, medium, PATH, the new_* variables of the
 * lease being applied and the old_* variables of the lease it replaces or
 * removes. So `-sf /sbin/dhclient-script` and NetworkManager's dhclient mode
 * work unchanged.
 *
 * The environment is built into caller-provided fixed storage (an envp
 * array and a byte buffer, allocated once at start-up) and never allocates.
 * Leases must have passed validate_lease(); every value is checked again
 * before it is written (defence in depth), and a value that fails its check
 * is left out and reported, never written half-checked.
 */
#ifndef LESSEE_LESSEE_HOOKENV_H
#define LESSEE_LESSEE_HOOKENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/client.h"

/* dhclient-script(8) reasons (MEDIUM, NBI and V6ONLY are not used). */
#define HOOKENV_REASONS(X) \
	X(PREINIT) X(BOUND) X(RENEW) X(REBIND) X(REBOOT) X(EXPIRE) X(FAIL) X(STOP) \
	X(RELEASE) X(TIMEOUT)

enum hookenv_reason {
#define HOOKENV_REASON_ENUM(name) HOOKENV_##name,
	HOOKENV_REASONS(HOOKENV_REASON_ENUM)
#undef HOOKENV_REASON_ENUM
	HOOKENV_REASON_COUNT
};

enum hookenv_status {
	HOOKENV_OK,
	HOOKENV_BAD_ARGUMENT,   /* NULL, bad interface name, lease/reason mismatch */
	HOOKENV_NO_ROOM,        /* envp or buffer too small: nothing usable */
	HOOKENV_BAD_VALUE,      /* built, but without the variable(s) in `bad` */
};

/* Enough for a new and an old lease at every limit (tested). */
#define HOOKENV_VARS_MAX 48u
#define HOOKENV_BUF_SIZE 8192u

struct hookenv_args {
	enum hookenv_reason reason;
	const char *ifname;
	/* Required for BOUND, RENEW, REBIND, REBOOT and TIMEOUT; NULL for the
	 * others (dhclient passes only old_* when a lease goes away). */
	const struct client_lease *new_lease;
	int64_t new_expiry;             /* wall clock, epoch seconds */
	/* The previous lease (RENEW, REBIND, EXPIRE, ...), or NULL. NULL for
	 * PREINIT. */
	const struct client_lease *old_lease;
	int64_t old_expiry;
	bool anonymous;                 /* adds anonymous=1 (RFC 7844 mode) */
};

struct hookenv {
	char **envp;                    /* NULL-terminated after a build */
	size_t envp_cap;                /* slots, the terminating NULL included */
	size_t n;                       /* variables written */
	char *buf;
	size_t cap;
	size_t used;
	enum hookenv_status status;
	char bad[48];                   /* first variable left out, "" if none */
};

/* Attach storage; envp_cap >= 1 and cap >= 1 for anything to fit. */
void hookenv_init(struct hookenv *env, char **envp, size_t envp_cap, char *buf,
		  size_t cap);

/*
 * Build the environment for a (replacing what was there). HOOKENV_OK or
 * HOOKENV_BAD_VALUE leave env->envp usable; on BAD_ARGUMENT and NO_ROOM
 * env->envp is an empty list, so a caller that runs the script anyway
 * passes nothing half-built.
 */
enum hookenv_status hookenv_build(struct hookenv *env, const struct hookenv_args *a);

/* "BOUND"; "?" out of range. */
const char *hookenv_reason_name(enum hookenv_reason r);
const char *hookenv_status_name(enum hookenv_status s);

/*
 * The lease's end as epoch seconds (new_expiry/old_expiry), from the
 * engine's monotonic expires_at and the wall clock's offset from it.
 * Infinite: 2147483647, what dhclient writes there. Saturated, never
 * negative: validation lets expires_at come close to the type's end.
 */
int64_t hookenv_wall_expiry(const struct client_lease *l, int64_t wall_offset_ms);

/* The engine's reasons map one to one; HOOKENV_REASON_COUNT if unknown. */
enum hookenv_reason hookenv_reason_from_client(enum client_hook_reason r);

/* The value of variable `name` in env, or NULL (for tests and logs). */
const char *hookenv_get(const struct hookenv *env, const char *name);

#endif
