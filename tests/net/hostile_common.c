/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared by hostile-engine and hostile-net (hostile_common.h): one role
 * process, bounded waits, its log, hand-framed records, result lines.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hostile_common.h"
#include "lessee/roles.h"

static char why_buf[1024];

const char *failf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why_buf, sizeof(why_buf), fmt, ap);
	va_end(ap);
	return why_buf;
}

void read_file(const char *path, char *out, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;

	if (fd < 0) {
		snprintf(out, cap, "(%s)", strerror(errno));
		return;
	}
	while (len + 1 < cap) {
		ssize_t n = read(fd, out + len, cap - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	out[len] = '\0';
	close(fd);
}

/* ---- one role process ---------------------------------------------------- */

static void child_exec(int chan, int logfd, char *const argv[]) __attribute__((noreturn));

/* In the child: the channel at ROLE_FD_FIRST as the supervisor places it,
 * stdout and stderr to the log, and death with us (no orphan role). */
static void child_exec(int chan, int logfd, char *const argv[])
{
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int c = fcntl(chan, F_DUPFD_CLOEXEC, 10);
	int lg = fcntl(logfd, F_DUPFD_CLOEXEC, 10);

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || null < 0 || c < 0 || lg < 0)
		_exit(127);
	/* dup2 to another number clears FD_CLOEXEC: these four survive exec. */
	if (dup2(null, 0) < 0 || dup2(lg, 1) < 0 || dup2(lg, 2) < 0 || dup2(c, ROLE_FD_FIRST) < 0)
		_exit(127);
	execv(argv[0], argv);
	_exit(127);
}

const char *spawn_role(struct role_proc *rp, const char *const argv[], const char *log_path,
		       const char *peer)
{
	int fds[2], logfd;

	memset(rp, 0, sizeof(*rp));
	rp->ch.fd = -1;
	snprintf(rp->log_path, sizeof(rp->log_path), "%s", log_path);
	logfd = open(rp->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (logfd < 0) {
		rp->exited = true;
		return failf("%s: %s", rp->log_path, strerror(errno));
	}
	if (ipc_pair(fds) < 0) {
		close(logfd);
		rp->exited = true;
		return failf("socketpair: %s", strerror(errno));
	}
	fflush(stdout);
	rp->pid = fork();
	if (rp->pid == 0)
		child_exec(fds[1], logfd, (char *const *)(uintptr_t)argv);
	close(fds[1]);
	close(logfd);
	ipc_chan_init(&rp->ch, fds[0], peer);
	if (rp->pid < 0) {
		close_chan(rp);
		rp->exited = true;
		return failf("fork: %s", strerror(errno));
	}
	return NULL;
}

bool wait_exit(struct role_proc *rp)
{
	for (unsigned t = 0; !rp->exited && t <= WAIT_MS; t += 10) {
		pid_t r = waitpid(rp->pid, &rp->status, WNOHANG);
		if (r == rp->pid || (r < 0 && errno != EINTR))
			rp->exited = true;
		else
			usleep(10000);
	}
	return rp->exited;
}

bool still_running(struct role_proc *rp)
{
	if (!rp->exited && waitpid(rp->pid, &rp->status, WNOHANG) == rp->pid)
		rp->exited = true;
	return !rp->exited;
}

void close_chan(struct role_proc *rp)
{
	if (rp->ch.fd >= 0)
		close(rp->ch.fd);
	rp->ch.fd = -1;
}

void reap(struct role_proc *rp)
{
	close_chan(rp);
	if (rp->pid > 0 && !wait_exit(rp)) {
		kill(rp->pid, SIGKILL);
		waitpid(rp->pid, &rp->status, 0);
		rp->exited = true;
	}
}

const char *exit_text(int status)
{
	static char s[96];

	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		snprintf(s, sizeof(s), "killed by signal %d (SIGSYS: its seccomp filter)", SIGSYS);
	else if (WIFSIGNALED(status))
		snprintf(s, sizeof(s), "killed by signal %d", WTERMSIG(status));
	else
		snprintf(s, sizeof(s), "exit status %d", WEXITSTATUS(status));
	return s;
}

/* ---- records --------------------------------------------------------------- */

int send_record(struct ipc_chan *ch, struct ipc_hdr h, const void *body, size_t len)
{
	static uint8_t raw_buf[RAW_RECORD_MAX];

	if (sizeof(h) + len > sizeof(raw_buf))
		return -EMSGSIZE;
	memcpy(raw_buf, &h, sizeof(h));
	if (len)
		memcpy(raw_buf + sizeof(h), body, len);
	if (send(ch->fd, raw_buf, sizeof(h) + len, MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

/* ---- the role's log -------------------------------------------------------- */

const char *log_text(const struct role_proc *rp)
{
	static char text[LOG_MAX];

	read_file(rp->log_path, text, sizeof(text));
	return text;
}

bool log_line_has(const struct role_proc *rp, const char *prefix, const char *needle)
{
	const char *t = log_text(rp);

	for (const char *p = strstr(t, prefix); p; p = strstr(p + 1, prefix)) {
		const char *eol = strchr(p, '\n');
		const char *hit = strstr(p, needle);
		if (hit && (!eol || hit < eol))
			return true;
	}
	return false;
}

const char *log_tail(const struct role_proc *rp)
{
	const char *t = log_text(rp);
	size_t len = strlen(t);

	return len > 1500 ? t + len - 1500 : t;
}

bool log_has_sanitizer_report(const struct role_proc *rp)
{
	const char *t = log_text(rp);

	return strstr(t, "Sanitizer") || strstr(t, "runtime error");
}

void print_result(const char *name, const char *why)
{
	if (!why) {
		printf("ok %s\n", name);
		return;
	}
	printf("FAIL %s: ", name);
	for (const char *p = why; *p; p++) {
		if (*p == '\n')
			fputs(" | ", stdout);
		else
			putchar(*p);
	}
	putchar('\n');
}
