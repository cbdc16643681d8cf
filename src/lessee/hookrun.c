/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hook runner (see hookrun.h): the wire format and its exact checks,
 * the runner process, and apply's side of the channel.
 */
#define _GNU_SOURCE 1 /* close_range, pipe2 */
#include "lessee/hookrun.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "lessee/log.h"

#define SIGNAL_MAX 64    /* SIGRTMAX on Linux */
#define ERRNO_MAX  4095  /* the kernel's -MAX_ERRNO */

static const char *const check_names[] = {
	"ok", "bad size", "bad entry count", "not NUL-terminated", "empty entry",
	"bad variable name", "entry without '='", "bad header", "bad code",
};

static const char *const kind_names[] = {
	"?", "exited", "signalled", "timed out", "exec failed", "fork failed",
};

const char *hookrun_check_name(enum hookrun_check c)
{
	return (unsigned)c < sizeof(check_names) / sizeof(check_names[0]) ? check_names[c] : "?";
}

const char *hookrun_kind_name(enum hookrun_kind k)
{
	return (unsigned)k < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[k] : "?";
}

/* ---- the wire format (pure) -------------------------------------------- */

static bool name_char(char c, bool first)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

/* One entry of n bytes (its NUL not counted): NAME=value. */
static enum hookrun_check entry_check(const char *e, size_t n)
{
	size_t i;

	if (n == 0)
		return HOOKRUN_CHECK_EMPTY_ENTRY;
	for (i = 0; i < n && e[i] != '='; i++)
		if (!name_char(e[i], i == 0))
			return HOOKRUN_CHECK_BAD_NAME;
	if (i == 0)
		return HOOKRUN_CHECK_BAD_NAME;   /* "=value" */
	return i < n ? HOOKRUN_CHECK_OK : HOOKRUN_CHECK_NO_EQUALS;
}

enum hookrun_check hookrun_env_check(char *block, size_t len, size_t count, char **envp,
				     size_t envp_cap)
{
	size_t n = 0;

	if (len == 0 || len > HOOKRUN_ENV_MAX)
		return HOOKRUN_CHECK_SIZE;
	if (count == 0 || count > HOOKRUN_VARS_MAX || count >= envp_cap)
		return HOOKRUN_CHECK_COUNT;
	if (block[len - 1] != '\0')
		return HOOKRUN_CHECK_UNTERMINATED;
	/* Bounded: off grows by at least one byte per entry. The last byte is
	 * a NUL, so memchr always finds one. */
	for (size_t off = 0; off < len;) {
		const char *nul = memchr(block + off, '\0', len - off);
		size_t elen = (size_t)(nul - (block + off));
		enum hookrun_check c = entry_check(block + off, elen);
		if (c != HOOKRUN_CHECK_OK)
			return c;
		if (n == count)
			return HOOKRUN_CHECK_COUNT;   /* more entries than claimed */
		envp[n++] = block + off;
		off += elen + 1;
	}
	if (n != count)
		return HOOKRUN_CHECK_COUNT;
	envp[n] = NULL;
	return HOOKRUN_CHECK_OK;
}

enum hookrun_check hookrun_req_check(char *rec, size_t len, char **envp, size_t envp_cap,
				     enum hookenv_reason *reason)
{
	struct hookrun_req_hdr h;

	if (len < sizeof(h))
		return HOOKRUN_CHECK_SIZE;
	memcpy(&h, rec, sizeof(h));
	if (h.magic != HOOKRUN_MAGIC_REQ || h.reserved != 0 || h.reason >= HOOKENV_REASON_COUNT)
		return HOOKRUN_CHECK_HEADER;
	*reason = (enum hookenv_reason)h.reason;
	return hookrun_env_check(rec + sizeof(h), len - sizeof(h), h.count, envp, envp_cap);
}

enum hookrun_check hookrun_req_build(char *rec, size_t cap, enum hookenv_reason reason,
				     char *const envp[], size_t *len)
{
	struct hookrun_req_hdr h = { .magic = HOOKRUN_MAGIC_REQ, .reason = (uint8_t)reason };
	char *scratch[HOOKRUN_VARS_MAX + 1];
	size_t off = sizeof(h), n;

	if (cap < sizeof(h) || (unsigned)reason >= HOOKENV_REASON_COUNT)
		return HOOKRUN_CHECK_HEADER;
	for (n = 0; envp[n]; n++) {
		if (n >= HOOKRUN_VARS_MAX)
			return HOOKRUN_CHECK_COUNT;
		size_t l = strlen(envp[n]) + 1;
		if (l > cap - off || off - sizeof(h) + l > HOOKRUN_ENV_MAX)
			return HOOKRUN_CHECK_SIZE;
		memcpy(rec + off, envp[n], l);
		off += l;
	}
	h.count = (uint16_t)n;
	memcpy(rec, &h, sizeof(h));
	*len = off;
	/* What the runner will check, checked here: apply never sends a request
	 * the runner would refuse (and exit on). */
	return hookrun_env_check(rec + sizeof(h), off - sizeof(h), n, scratch,
				 sizeof(scratch) / sizeof(scratch[0]));
}

static bool code_fits(enum hookrun_kind k, int32_t code)
{
	switch (k) {
	case HOOKRUN_EXITED:
		return code >= 0 && code <= 255;
	case HOOKRUN_SIGNALLED:
		return code >= 1 && code <= SIGNAL_MAX;
	case HOOKRUN_TIMED_OUT:
		return code == 0;
	case HOOKRUN_EXEC_FAILED:
	case HOOKRUN_FORK_FAILED:
		return code >= 1 && code <= ERRNO_MAX;
	}
	return false;
}

enum hookrun_check hookrun_reply_check(const void *rec, size_t len,
				       struct hookrun_result *res)
{
	struct hookrun_reply r;

	if (len != sizeof(r))
		return HOOKRUN_CHECK_SIZE;
	memcpy(&r, rec, sizeof(r));
	if (r.magic != HOOKRUN_MAGIC_REPLY || r.reserved[0] || r.reserved[1] || r.reserved[2] ||
	    r.kind < HOOKRUN_EXITED || r.kind > HOOKRUN_FORK_FAILED)
		return HOOKRUN_CHECK_HEADER;
	if (!code_fits((enum hookrun_kind)r.kind, r.code))
		return HOOKRUN_CHECK_CODE;
	res->kind = (enum hookrun_kind)r.kind;
	res->code = r.code;
	return HOOKRUN_CHECK_OK;
}

/* ---- the runner process ------------------------------------------------ */

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static struct hookrun_reply reply_of(enum hookrun_kind kind, int code)
{
	struct hookrun_reply r;

	memset(&r, 0, sizeof(r));
	r.magic = HOOKRUN_MAGIC_REPLY;
	r.kind = (uint8_t)kind;
	r.code = code;
	return r;
}

/* The script's process: the mask apply had, argv = { script }, no shell. An
 * execve failure goes back through errfd (close-on-exec, so a successful
 * exec just closes it). */
static _Noreturn void exec_script(const char *script, char *const envp[], int errfd,
				  const sigset_t *mask)
{
	char *argv[] = { (char *)(uintptr_t)script, NULL };

	sigprocmask(SIG_SETMASK, mask, NULL);
	execve(script, argv, envp);
	int err = errno;
	(void)!write(errfd, &err, sizeof(err));
	_exit(127);
}

/*
 * Wait for pid until timeout_ms, then SIGKILL it. SIGCHLD is blocked in the
 * runner, so sigtimedwait sleeps until the child ends or the deadline:
 * bounded, with no polling delay. A stray SIGCHLD costs one more turn.
 */
static struct hookrun_reply wait_script(pid_t pid, unsigned timeout_ms)
{
	uint64_t deadline = now_ms() + timeout_ms;
	sigset_t chld;
	int status = 0;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			log_msg(LOG_LVL_ERROR, "hook runner: waitpid: %s", strerror(errno));
			_exit(1);
		}
		uint64_t now = now_ms();
		if (now >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return reply_of(HOOKRUN_TIMED_OUT, 0);
		}
		uint64_t left = deadline - now;
		struct timespec ts = { (time_t)(left / 1000u), (long)(left % 1000u) * 1000000L };
		sigtimedwait(&chld, NULL, &ts);
	}
	if (WIFEXITED(status))
		return reply_of(HOOKRUN_EXITED, WEXITSTATUS(status));
	return reply_of(HOOKRUN_SIGNALLED, WTERMSIG(status));
}

static struct hookrun_reply run_script(const char *script, char *const envp[],
				       unsigned timeout_ms, const sigset_t *mask)
{
	int pfd[2], err = 0;

	if (pipe2(pfd, O_CLOEXEC | O_NONBLOCK) != 0)
		return reply_of(HOOKRUN_FORK_FAILED, errno);
	pid_t pid = fork();
	if (pid < 0) {
		err = errno;
		close(pfd[0]);
		close(pfd[1]);
		return reply_of(HOOKRUN_FORK_FAILED, err);
	}
	if (pid == 0)
		exec_script(script, envp, pfd[1], mask);
	close(pfd[1]);
	struct hookrun_reply r = wait_script(pid, timeout_ms);
	/* The child is reaped, so its end is closed: this read cannot block. */
	if (r.kind == HOOKRUN_EXITED && read(pfd[0], &err, sizeof(err)) == (ssize_t)sizeof(err) &&
	    err > 0 && err <= ERRNO_MAX)
		r = reply_of(HOOKRUN_EXEC_FAILED, err);
	close(pfd[0]);
	return r;
}

/* Only the channel and 0, 1, 2 stay: not the engine's channel, the
 * rtnetlink socket or anything else apply holds. closelog first, so that
 * syslog reconnects on its own rather than writing to a reused number. */
static void keep_only(int fd)
{
	closelog();
	if (fd > 3)
		close_range(3, (unsigned)fd - 1, 0);
	close_range(fd < 3 ? 3u : (unsigned)fd + 1, ~0u, 0);
}

/* Apply built the request: a malformed one is a broken invariant. */
static _Noreturn void runner_main(int fd, const char *script, unsigned timeout_ms)
{
	static char rec[HOOKRUN_REQ_MAX];
	static char *envp[HOOKRUN_VARS_MAX + 1];
	sigset_t chld, mask;

	keep_only(fd);
	prctl(PR_SET_NAME, "lessee-hookrun", 0, 0, 0);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &mask);
	for (;;) {
		enum hookenv_reason reason = HOOKENV_REASON_COUNT;
		ssize_t n = recv(fd, rec, sizeof(rec), MSG_TRUNC);
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			_exit(0);   /* apply closed its end: it is stopping */
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (size_t)n > sizeof(rec)) {
			log_msg(LOG_LVL_ERROR, "hook runner: recv: %s",
				n < 0 ? strerror(errno) : "record too long");
			_exit(1);
		}
		enum hookrun_check c = hookrun_req_check(rec, (size_t)n, envp,
							 sizeof(envp) / sizeof(envp[0]), &reason);
		if (c != HOOKRUN_CHECK_OK) {
			log_msg(LOG_LVL_ERROR, "hook runner: bad request: %s", hookrun_check_name(c));
			_exit(1);
		}
		struct hookrun_reply r = run_script(script, envp, timeout_ms, &mask);
		if (send(fd, &r, sizeof(r), MSG_NOSIGNAL) != (ssize_t)sizeof(r))
			_exit(errno == EPIPE || errno == ECONNRESET ? 0 : 1);
	}
}

int hookrun_start(const char *script, unsigned timeout_ms, struct hookrun *hr)
{
	int sv[2];

	hr->fd = -1;
	hr->pid = -1;
	hr->timeout_ms = timeout_ms;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int err = errno;
		close(sv[0]);
		close(sv[1]);
		return -err;
	}
	if (pid == 0) {
		close(sv[0]);
		runner_main(sv[1], script, timeout_ms);
	}
	close(sv[1]);
	hr->fd = sv[0];
	hr->pid = pid;
	/* apply's bound on one call: the runner's own timeout plus a margin. */
	uint64_t wait_ms = (uint64_t)timeout_ms + HOOKRUN_REPLY_MARGIN_MS;
	struct timeval tv = { (time_t)(wait_ms / 1000u), (suseconds_t)(wait_ms % 1000u) * 1000 };
	if (setsockopt(hr->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0) {
		int err = errno;
		hookrun_close(hr);   /* the runner sees EOF and exits */
		return -err;
	}
	return 0;
}

void hookrun_close(struct hookrun *hr)
{
	if (hr->fd >= 0)
		close(hr->fd);
	hr->fd = -1;
}

/* ---- apply's side ------------------------------------------------------ */

/*
 * One request, one reply. The wait is the socket's SO_RCVTIMEO (set in
 * hookrun_start), so apply needs only sendto and recvfrom here, calls its
 * seccomp filter allows anyway (no poll, no wait4).
 */
static int exchange(struct hookrun *hr, const char *rec, size_t len,
		    struct hookrun_result *res)
{
	uint64_t deadline = now_ms() + hr->timeout_ms + HOOKRUN_REPLY_MARGIN_MS;
	struct hookrun_reply reply;
	ssize_t n;

	do {
		n = send(hr->fd, rec, len, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == ECONNRESET ? -EPIPE : -errno;
	do {   /* bounded: an EINTR after the deadline ends it */
		n = recv(hr->fd, &reply, sizeof(reply), MSG_TRUNC);
	} while (n < 0 && errno == EINTR && now_ms() < deadline);
	if (n == 0 || (n < 0 && errno == ECONNRESET))
		return -EPIPE;
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? -ETIMEDOUT
										  : -errno;
	if (hookrun_reply_check(&reply, (size_t)n, res) != HOOKRUN_CHECK_OK)
		return -EBADMSG;
	return 0;
}

static void log_result(enum hookenv_reason reason, const struct hookrun_result *res,
		       unsigned timeout_ms)
{
	const char *name = hookenv_reason_name(reason);

	switch (res->kind) {
	case HOOKRUN_EXITED:
		log_msg(res->code ? LOG_LVL_WARNING : LOG_LVL_DEBUG,
			"hook %s exited with status %d", name, res->code);
		break;
	case HOOKRUN_SIGNALLED:
		log_msg(LOG_LVL_WARNING, "hook %s killed by signal %d", name, res->code);
		break;
	case HOOKRUN_TIMED_OUT:
		if (timeout_ms % 1000u == 0)
			log_msg(LOG_LVL_ERROR, "hook %s killed after %u s", name,
				timeout_ms / 1000u);
		else
			log_msg(LOG_LVL_ERROR, "hook %s killed after %u ms", name, timeout_ms);
		break;
	case HOOKRUN_EXEC_FAILED:
		log_msg(LOG_LVL_ERROR, "hook %s not run: exec: %s", name, strerror(res->code));
		break;
	case HOOKRUN_FORK_FAILED:
		log_msg(LOG_LVL_ERROR, "hook %s not run: fork: %s", name, strerror(res->code));
		break;
	}
}

int hookrun_call(struct hookrun *hr, enum hookenv_reason reason, char *const envp[],
		 struct hookrun_result *res)
{
	static char rec[HOOKRUN_REQ_MAX];
	size_t len = 0;

	if (hr->fd < 0)
		return -EPIPE;
	enum hookrun_check c = hookrun_req_build(rec, sizeof(rec), reason, envp, &len);
	if (c != HOOKRUN_CHECK_OK) {
		log_msg(LOG_LVL_ERROR, "hook %s: environment %s", hookenv_reason_name(reason),
			hookrun_check_name(c));
		return c == HOOKRUN_CHECK_SIZE ? -EMSGSIZE : -EINVAL;
	}
	int r = exchange(hr, rec, len, res);
	if (r == 0)
		log_result(reason, res, hr->timeout_ms);
	return r;
}
