/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hook runner: the one process of the daemon that forks and execs the
 * -sf script. The apply role forks it at start, after its privilege drop
 * and before its seccomp filter (DESIGN.md "Daemon and privilege
 * separation"): a filter is inherited across fork and execve, so a script
 * forked by apply itself would run under apply's allowlist and be killed.
 * The runner has exactly apply's uid 0, bounding set (CAP_NET_ADMIN, or
 * nothing with --no-configure), NO_NEW_PRIVS and non-dumpable state, but no
 * filter. dhcpcd's privilege separation likewise runs hook scripts from a
 * process outside its sandboxed ones.
 *
 * It talks only to apply, over a SOCK_SEQPACKET pair, and does one thing:
 * run the script fixed at start (never a path from a message) with the
 * environment apply sends, wait a bounded time (SIGKILL after), and answer
 * with how it ended. One request, one reply, in turn.
 *
 * Request, one record:  struct hookrun_req_hdr, then the environment block
 *                       "NAME=value\0NAME=value\0" (hdr.count entries).
 * Reply, one record:    struct hookrun_reply.
 * Both are checked exactly by pure functions below; the runner exits on a
 * malformed request (apply built it: a broken invariant), apply on a
 * malformed reply.
 */
#ifndef LESSEE_LESSEE_HOOKRUN_H
#define LESSEE_LESSEE_HOOKRUN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lessee/hookenv.h"

/* The bounds of the envp array and buffer run_hook builds into. */
#define HOOKRUN_VARS_MAX   96u
#define HOOKRUN_ENV_MAX    16384u
#define HOOKRUN_REQ_MAX    (sizeof(struct hookrun_req_hdr) + HOOKRUN_ENV_MAX)

/* "LHK" and a version byte, so a stray record is never taken for one. */
#define HOOKRUN_MAGIC_REQ   0x4c484b01u
#define HOOKRUN_MAGIC_REPLY 0x4c484b81u

/* apply's own wait for a reply: the runner's timeout plus this. */
#define HOOKRUN_REPLY_MARGIN_MS 5000u

struct hookrun_req_hdr {
	uint32_t magic;       /* HOOKRUN_MAGIC_REQ */
	uint16_t count;       /* entries in the block, 1..HOOKRUN_VARS_MAX */
	uint8_t reason;       /* enum hookenv_reason (for log lines only) */
	uint8_t reserved;     /* 0 */
};

enum hookrun_kind {
	HOOKRUN_EXITED = 1,   /* code: exit status 0..255 */
	HOOKRUN_SIGNALLED,    /* code: the signal, 1..64 */
	HOOKRUN_TIMED_OUT,    /* code: 0; SIGKILLed at the timeout */
	HOOKRUN_EXEC_FAILED,  /* code: execve's errno */
	HOOKRUN_FORK_FAILED,  /* code: fork's (or pipe's) errno */
};

struct hookrun_reply {
	uint32_t magic;       /* HOOKRUN_MAGIC_REPLY */
	uint8_t kind;         /* enum hookrun_kind */
	uint8_t reserved[3];  /* 0 */
	int32_t code;
};

struct hookrun_result {
	enum hookrun_kind kind;
	int code;
};

/* Why a block or a reply was refused; a parallel name table. */
enum hookrun_check {
	HOOKRUN_CHECK_OK,
	HOOKRUN_CHECK_SIZE,          /* empty, over HOOKRUN_ENV_MAX, or bad record size */
	HOOKRUN_CHECK_COUNT,         /* count 0, over the max, or not the entries found */
	HOOKRUN_CHECK_UNTERMINATED,  /* bytes after the last NUL */
	HOOKRUN_CHECK_EMPTY_ENTRY,   /* "\0\0" */
	HOOKRUN_CHECK_BAD_NAME,      /* not [A-Za-z_][A-Za-z0-9_]* */
	HOOKRUN_CHECK_NO_EQUALS,     /* a name not followed by '=' */
	HOOKRUN_CHECK_HEADER,        /* magic, reserved bytes, reason or kind */
	HOOKRUN_CHECK_CODE,          /* code out of range for its kind */
};

const char *hookrun_check_name(enum hookrun_check c);

/*
 * Check a received environment block of len bytes that claims count
 * entries, exactly: 1..HOOKRUN_ENV_MAX bytes, 1..HOOKRUN_VARS_MAX entries,
 * each "NAME=value" NUL-terminated, NAME of [A-Za-z_][A-Za-z0-9_]*, no
 * empty entry, nothing after the last NUL, count entries in all. On
 * success envp[0..count-1] point into block and envp[count] is NULL
 * (envp_cap >= count + 1, else HOOKRUN_CHECK_COUNT). Pure.
 */
enum hookrun_check hookrun_env_check(char *block, size_t len, size_t count, char **envp,
				     size_t envp_cap);

/* Check a whole request record (header, then the block) the same way. */
enum hookrun_check hookrun_req_check(char *rec, size_t len, char **envp, size_t envp_cap,
				     enum hookenv_reason *reason);

/*
 * Build a request record for envp (NULL-terminated) into rec; *len gets
 * its size. HOOKRUN_CHECK_OK, or the check envp's block would fail (so
 * apply never sends what the runner would refuse). Pure.
 */
enum hookrun_check hookrun_req_build(char *rec, size_t cap, enum hookenv_reason reason,
				     char *const envp[], size_t *len);

/* Check a received reply record of len bytes; fill *res. Pure. */
enum hookrun_check hookrun_reply_check(const void *rec, size_t len,
				       struct hookrun_result *res);

/* "exited", "signalled", ...; "?" out of range. */
const char *hookrun_kind_name(enum hookrun_kind k);

/* apply's end of the runner. */
struct hookrun {
	int fd;               /* -1: no runner */
	pid_t pid;
	unsigned timeout_ms;  /* the runner kills the script after this */
};

/*
 * Fork the runner for script (an absolute path, kept for its life), which
 * kills a script still running after timeout_ms. In the runner only its
 * end of the channel and fds 0, 1 and 2 stay open (the script gets those
 * three, as it did when apply forked it). 0 or -errno.
 */
int hookrun_start(const char *script, unsigned timeout_ms, struct hookrun *hr);

/*
 * Run the script once with envp (NULL-terminated, as hookenv_build makes
 * it) and wait for the runner's answer, at most timeout_ms +
 * HOOKRUN_REPLY_MARGIN_MS (the channel's SO_RCVTIMEO: only sendto and
 * recvfrom, so it works under apply's seccomp filter); log how the script
 * ended as run_hook did: "hook BOUND exited with status 3". 0 with *res filled,
 * or -errno when the runner is broken or gone (-EPIPE: it exited;
 * -ETIMEDOUT: no answer in time; -EBADMSG: a malformed reply; -EMSGSIZE or
 * -EINVAL: envp does not fit the wire format): the caller must then exit.
 */
int hookrun_call(struct hookrun *hr, enum hookenv_reason reason, char *const envp[],
		 struct hookrun_result *res);

/* Close apply's end: the runner sees EOF and exits 0. Does not wait. */
void hookrun_close(struct hookrun *hr);

#endif
