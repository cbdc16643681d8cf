/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Dropping privileges, one straight-line step at a time. Each step returns
 * 0 or a negative errno and, on failure, points *why at a one-line reason;
 * each step reads back what it changed, so a silent failure is impossible.
 *
 * Decisions (DESIGN.md "Daemon and privilege separation"):
 *
 * User. The engine and net roles run as a dedicated system user "lessee"
 * with its own group, so that nothing else on the system shares their uid
 * (a shared "nobody" would let a subverted engine signal or trace other
 * daemons' "nobody" processes). The parent resolves it once at start-up;
 * if it is missing it creates it with useradd(8) (system account, no home,
 * nologin shell, own group). If that is impossible (useradd absent, /etc
 * read-only as under ProtectSystem=strict), it falls back to 65534:65534
 * (nobody:nogroup) and says so through privdrop_ids.fallback, for the
 * caller to log; the other layers (no capabilities, empty chroot,
 * NO_NEW_PRIVS, non-dumpable, RLIMIT_NPROC 0, seccomp) still hold.
 * A "lessee" entry with uid 0 or gid 0 is refused.
 *
 * Capabilities. Every role ends with effective = permitted = bounding = the
 * capabilities it keeps, inheritable and ambient empty, SECBIT_KEEP_CAPS off:
 *   engine: uid lessee, chroot to the empty dir, no capability.
 *   net:    uid lessee, chroot to the empty dir, CAP_NET_RAW only (its
 *           sockets are opened before the drop; the capability stays so it
 *           can reopen them if the interface comes back). It is kept
 *           across setresuid with PR_SET_KEEPCAPS (capabilities(7), "Effect
 *           of user ID changes on capabilities") and raised again with
 *           libcap-ng. No ambient capability is needed: a role never execs
 *           after its drop.
 *   apply:  keeps uid 0, no chroot, CAP_NET_ADMIN only. It must write
 *           root-owned files (the lease store, resolv.conf) and run
 *           dhclient-script-compatible hooks that expect uid 0 and run
 *           ip(8); as root without CAP_DAC_OVERRIDE it can write only what
 *           root owns, and because the bounding set holds only
 *           CAP_NET_ADMIN a hook it execs gets at most that (execve(2) of
 *           uid 0 grants the bounding set, no more). This is the model of
 *           OpenBSD dhcpleased, whose parent stays root. It never parses
 *           packets, only typed requests it validates.
 *   supervisor: once the roles run, keeps uid 0 (it removes its pid file
 *           in root's /run), no chroot, CAP_KILL only: the engine and net
 *           run as another uid, and stopping them needs it. Nothing else:
 *           it never opens a socket or changes the system after start-up.
 *
 * Order (privdrop_run): bounding and ambient sets (needs CAP_SETPCAP),
 * chroot (CAP_SYS_CHROOT), ids (CAP_SETGID, CAP_SETUID), capabilities,
 * NO_NEW_PRIVS, non-dumpable, rlimits, then privdrop_verify re-reads all.
 * So the process starting a role needs CAP_SETPCAP, CAP_SYS_CHROOT,
 * CAP_SETUID and CAP_SETGID besides the kept ones; a systemd unit must
 * leave them in CapabilityBoundingSet (they are all gone after the drop).
 */
#ifndef LESSEE_OS_PRIVDROP_H
#define LESSEE_OS_PRIVDROP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "role.h"

#define PRIVDROP_USER          "lessee"
#define PRIVDROP_FALLBACK_UID  65534u   /* nobody */
#define PRIVDROP_FALLBACK_GID  65534u   /* nogroup */
#define PRIVDROP_EMPTY_DIR     "/run/lessee/empty"
#define PRIVDROP_USERADD       "/usr/sbin/useradd"
#define PRIVDROP_MAX_CAPS      4
#define PRIVDROP_MAX_RLIMITS   4

struct privdrop_ids {
	uid_t uid;
	gid_t gid;
	bool fallback;   /* the user was missing: nobody:nogroup is used */
};

struct privdrop_rlimit {
	int resource;    /* RLIMIT_* */
	rlim_t value;    /* soft and hard */
};

struct privdrop_plan {
	uid_t uid;
	gid_t gid;
	const char *root;                /* chroot here; NULL keeps "/" */
	size_t n_caps;
	int caps[PRIVDROP_MAX_CAPS];     /* CAP_* kept */
	size_t n_rlimits;
	struct privdrop_rlimit rlimits[PRIVDROP_MAX_RLIMITS];
};

/*
 * Start-up, in the parent (as root). Resolve name with getpwnam(3); if it
 * is missing and create is true, run useradd(8) once and resolve again; if
 * it is still missing, fall back (ids->fallback). Fails only for a name
 * that is not a plain user name or an entry with uid or gid 0.
 */
int privdrop_user_resolve(const char *name, bool create, struct privdrop_ids *ids,
			  const char **why);
/* Run PRIVDROP_USERADD for name with a fixed argv and an empty environment. */
int privdrop_user_create(const char *name, const char **why);
/*
 * Make sure path (absolute) is an empty directory owned by root, mode 0755,
 * creating it (and its parent, one level) if missing; refuse it if it or
 * its parent is a symlink, not root's, writable by others, or not empty.
 */
int privdrop_empty_dir(const char *path, const char **why);

/* -ENOTEMPTY unless path holds nothing but "." and "..". */
int privdrop_dir_empty(const char *path, const char **why);

/* The plan for one role: ids from privdrop_user_resolve, the empty dir. */
int privdrop_plan_for(enum os_role role, const struct privdrop_ids *ids,
		      const char *empty_dir, struct privdrop_plan *plan);

/* The steps, in the order privdrop_run takes them. */
int privdrop_bounding(const int *caps, size_t n_caps, const char **why);
int privdrop_chroot(const char *dir, const char **why);
int privdrop_ids(uid_t uid, gid_t gid, bool keep_caps, const char **why);
int privdrop_caps(const int *caps, size_t n_caps, const char **why);
int privdrop_no_new_privs(const char **why);
int privdrop_not_dumpable(const char **why);
int privdrop_rlimits(const struct privdrop_rlimit *limits, size_t n, const char **why);
/* Re-read everything the plan set; also proves uid 0 cannot come back. */
int privdrop_verify(const struct privdrop_plan *plan, const char **why);

/* All of the above in order; the first failure stops it. */
int privdrop_run(const struct privdrop_plan *plan, const char **why);

/*
 * The two calls the daemon makes. The supervisor, once at start-up as root:
 * resolve (creating if need be) PRIVDROP_USER and make PRIVDROP_EMPTY_DIR.
 * Each role, first thing after exec (still root): resolve the user again
 * (no creation), build its plan and run it. ids, if not NULL, says which
 * ids were used (ids->fallback: log that nobody:nogroup stands in).
 */
int privdrop_prepare(struct privdrop_ids *ids, const char **why);
int privdrop_role(enum os_role role, struct privdrop_ids *ids, const char **why);

#endif
