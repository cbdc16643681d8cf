/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What hostile-engine and hostile-net share: one role process started the
 * way the supervisor starts it (the channel at ROLE_FD_FIRST), bounded
 * waits for its end, its log, records framed by hand, and the "ok NAME" /
 * "FAIL NAME: why" lines. Test code only (tests/net/meson.build).
 */
#ifndef LESSEE_TESTS_NET_HOSTILE_COMMON_H
#define LESSEE_TESTS_NET_HOSTILE_COMMON_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "os/ipc.h"

#define WAIT_MS        3000u    /* every wait for the role is at most this */
#define LOG_MAX        65536u
#define RAW_RECORD_MAX 65536u   /* the largest record send_record writes */

struct role_proc {
	pid_t pid;
	bool exited;
	int status;
	struct ipc_chan ch;
	char log_path[PATH_MAX];
};

/* A reason in a static buffer: valid until the next call. */
const char *failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The file's text, NUL-terminated and cut at cap - 1 bytes; "(error)" when
 * it cannot be opened. */
void read_file(const char *path, char *out, size_t cap);

/*
 * Start argv[0] with the channel at ROLE_FD_FIRST (as the supervisor places
 * it), stdin from /dev/null, stdout and stderr to log_path, and SIGKILL when
 * we die. rp->ch is our end, named peer. NULL, or why it failed.
 */
const char *spawn_role(struct role_proc *rp, const char *const argv[], const char *log_path,
		       const char *peer);

/* Wait at most WAIT_MS for the role to exit; true when it did. */
bool wait_exit(struct role_proc *rp);
bool still_running(struct role_proc *rp);
void close_chan(struct role_proc *rp);
/* Whatever happened, no role outlives its case: close, wait, SIGKILL. */
void reap(struct role_proc *rp);
/* "exit status N" or "killed by signal N (...)"; a static buffer. */
const char *exit_text(int status);

/* A record as the caller spells it: header and body bytes, no checks. */
int send_record(struct ipc_chan *ch, struct ipc_hdr h, const void *body, size_t len);

/* The role's log (its stdout and stderr), its first LOG_MAX - 1 bytes. */
const char *log_text(const struct role_proc *rp);
/* A line of the log holding prefix and, after it, needle. */
bool log_line_has(const struct role_proc *rp, const char *prefix, const char *needle);
/* The end of the log, for a failure report. */
const char *log_tail(const struct role_proc *rp);
/* A sanitizer report also ends in exit status 1: never take it for a refusal. */
bool log_has_sanitizer_report(const struct role_proc *rp);

/* "ok NAME", or "FAIL NAME: why" on one line (newlines become " | "). */
void print_result(const char *name, const char *why);

#endif
