/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The supervisor: the process the user started. It parses nothing from the
 * network and holds no socket but its channels. It starts the three roles,
 * turns signals into user requests for the engine, watches the roles (one
 * dying stops the daemon), and decides the exit status:
 *   0  a lease (--oneshot, -1), or a clean stop
 *   1  usage or start-up error, or a role died
 *   2  no lease within the timeout (--oneshot, -1)
 */
#define _GNU_SOURCE 1 /* close_range, pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lessee/ipc_msg.h"
#include "lessee/log.h"
#include "lessee/pidfile.h"
#include "lessee/roles.h"
#include "os/evloop.h"
#include "os/privdrop.h"

#define DEFAULT_TIMEOUT_S 60u
/* Longer than a hook may run (HOOK_TIMEOUT_MS, 30 s, in role_apply.c): a
 * STOP hook queued behind the engine's last request must not be cut off. */
#define STOP_GRACE_S      35u
#define CLI_MAX_ARGS      256

enum { TAG_SIGNAL, TAG_CTL, TAG_TIMEOUT };
enum { ROLE_IDX_ENGINE, ROLE_IDX_NET, ROLE_IDX_APPLY, ROLE_COUNT };

struct supervisor {
	const struct lessee_opts *opts;
	int argc;
	char *const *argv;
	pid_t pid[ROLE_COUNT];
	struct ipc_chan ctl;
	int epfd, sigfd, timerfd;
	int ready_fd;            /* background start: tell the waiting parent */
	bool bound;
	bool stopping;
	int exit_code;
};

static struct supervisor sup;
static const char *const role_names[ROLE_COUNT] = { "engine", "net", "apply" };

/* In the child: the channels to 3, 4, 5 ..., everything else closed. */
static void place_fds(const int *fds, int n)
{
	int high[3];

	for (int i = 0; i < n; i++) {
		high[i] = fcntl(fds[i], F_DUPFD, 10);
		if (high[i] < 0)
			_exit(127);
	}
	for (int i = 0; i < n; i++) {
		if (dup2(high[i], ROLE_FD_FIRST + i) < 0)
			_exit(127);
	}
	close_range(ROLE_FD_FIRST + (unsigned)n, ~0u, 0);
}

static pid_t spawn_role(int idx, const int *fds, int n)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	ev_signal_unblock();
	/* Own process group: a terminal's ^C reaches the supervisor only, which
	 * then stops the roles in order. */
	setpgid(0, 0);
	place_fds(fds, n);
	/* Standard input for no role; standard output only for apply (the
	 * JSON lines). stderr stays: the log in the foreground. */
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || dup2(null, STDIN_FILENO) < 0 ||
	    (idx != ROLE_IDX_APPLY && dup2(null, STDOUT_FILENO) < 0))
		_exit(127);
	static char *argv[CLI_MAX_ARGS + 3];
	argv[0] = sup.argv[0];
	argv[1] = (char *)(uintptr_t)"--role";
	argv[2] = (char *)(uintptr_t)role_names[idx];
	for (int i = 1; i < sup.argc; i++)
		argv[i + 2] = sup.argv[i];
	argv[sup.argc + 2] = NULL;
	execv(sandbox_role_exe(), argv);
	_exit(127);
}

static void start_roles(void)
{
	int ctl[2], net[2], apply[2];

	if (ipc_pair(ctl) < 0 || ipc_pair(net) < 0 || ipc_pair(apply) < 0)
		log_fatal("socketpair: %s", strerror(errno));
	int engine_fds[3] = { ctl[1], net[0], apply[0] };
	sup.pid[ROLE_IDX_ENGINE] = spawn_role(ROLE_IDX_ENGINE, engine_fds, 3);
	sup.pid[ROLE_IDX_NET] = spawn_role(ROLE_IDX_NET, &net[1], 1);
	sup.pid[ROLE_IDX_APPLY] = spawn_role(ROLE_IDX_APPLY, &apply[1], 1);
	for (int i = 0; i < ROLE_COUNT; i++)
		if (sup.pid[i] < 0)
			log_fatal("fork: %s", strerror(errno));
	close(ctl[1]);
	close(net[0]);
	close(net[1]);
	close(apply[0]);
	close(apply[1]);
	ipc_chan_init(&sup.ctl, ctl[0], "engine");
}

static void send_user(enum ipc_user_request req, bool keep)
{
	struct ipc_user u;

	memset(&u, 0, sizeof(u));
	u.request = (uint8_t)req;
	u.keep = keep;
	if (ipc_send(&sup.ctl, IPC_CTL_USER, &u, sizeof(u)) < 0)
		log_msg(LOG_LVL_WARNING, "engine gone, cannot send the request");
}

static void kill_roles(int sig)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (sup.pid[i] > 0)
			kill(sup.pid[i], sig);
}

/*
 * One reaped role, logged. A death by a signal is always an error, also
 * while stopping: it is the cause (the seccomp filter's SIGSYS, say) even
 * when the kernel lets us reap the roles that exited because of it first.
 * sigdescr_np: no translation, so no locale file to open in the sandbox.
 */
static void report_exit(int idx, int status)
{
	const char *tail = sup.stopping ? "" : "; stopping";

	if (WIFSIGNALED(status)) {
		const char *what = sigdescr_np(WTERMSIG(status));
		log_msg(LOG_LVL_ERROR, "the %s role was killed by signal %d (%s)%s",
			role_names[idx], WTERMSIG(status), what ? what : "unknown", tail);
	} else {
		log_msg(sup.stopping ? LOG_LVL_DEBUG : LOG_LVL_ERROR,
			"the %s role exited with status %d%s", role_names[idx],
			WEXITSTATUS(status), tail);
	}
}

/* Reap what has exited; false if none of it was a role. */
static bool reap_roles(void)
{
	bool any = false;
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (int i = 0; i < ROLE_COUNT; i++) {
			if (sup.pid[i] == pid) {
				sup.pid[i] = 0;
				report_exit(i, status);
				any = true;
			}
		}
	}
	return any;
}

static bool roles_left(void)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (sup.pid[i] > 0)
			return true;
	return false;
}

/*
 * Wait (bounded) for every role to exit; force the rest. Woken by each
 * SIGCHLD on the signalfd, not by a fixed sleep: a sleep here was most of
 * --oneshot's time after the ACK (bench/results/peers.txt).
 */
static void reap_all(void)
{
	uint64_t deadline = mono_now_ms() + STOP_GRACE_S * 1000u;

	for (reap_roles(); roles_left(); reap_roles()) {
		uint64_t now = mono_now_ms();
		struct pollfd p = { .fd = sup.sigfd, .events = POLLIN };
		int signo;
		pid_t from;

		if (now >= deadline)
			break;
		if (poll(&p, 1, (int)(deadline - now)) > 0)
			(void)ev_signal_read(sup.sigfd, &signo, &from);
	}
	if (!roles_left())
		return;
	log_msg(LOG_LVL_WARNING, "roles did not stop in %u s; killing them", STOP_GRACE_S);
	kill_roles(SIGKILL);
	for (int i = 0; i < ROLE_COUNT; i++)
		if (sup.pid[i] > 0)
			waitpid(sup.pid[i], NULL, 0);
}

static void finish(int code) __attribute__((noreturn));
static void finish(int code)
{
	/* Closing the channel makes the engine exit; net and apply see their
	 * channels close after the last queued request was handled. */
	close(sup.ctl.fd);
	reap_all();
	if (sup.opts->pidfile[0])
		unlink(sup.opts->pidfile);
	if (sup.ready_fd >= 0) {
		uint8_t c = (uint8_t)code;
		(void)!write(sup.ready_fd, &c, 1);
	}
	exit(code);
}

static void request_stop(bool keep, int code)
{
	if (sup.stopping)
		return;
	sup.stopping = true;
	sup.exit_code = code;
	send_user(IPC_USER_STOP, keep);
}

static void tell_parent_ready(int code)
{
	if (sup.ready_fd < 0)
		return;
	uint8_t c = (uint8_t)code;
	(void)!write(sup.ready_fd, &c, 1);
	close(sup.ready_fd);
	sup.ready_fd = -1;
}

static void on_status(const struct ipc_status *st)
{
	char addr[16];
	snprintf(addr, sizeof(addr), "%u.%u.%u.%u", st->address >> 24, st->address >> 16 & 255,
		 st->address >> 8 & 255, st->address & 255);
	switch ((enum ipc_status_kind)st->kind) {
	case IPC_STATUS_BOUND:
		sup.bound = true;
		log_msg(LOG_LVL_DEBUG, "lease %s applied", addr);
		if (sup.opts->oneshot)
			request_stop(true, 0);
		else
			tell_parent_ready(0);
		break;
	case IPC_STATUS_REFUSED:
		log_msg(LOG_LVL_WARNING, "the lease for %s was refused; looking for another "
			"server", addr);
		break;
	case IPC_STATUS_LOST:
		sup.bound = false;
		break;
	case IPC_STATUS_STOPPED:
		finish(sup.stopping ? sup.exit_code : 0);
	}
}

static void on_ctl(void)
{
	static uint8_t buf[IPC_BUF_MAX];
	struct ipc_hdr hdr;
	const void *raw;
	struct ipc_status st;
	ssize_t n = ipc_recv(&sup.ctl, buf, sizeof(buf), &hdr, &raw);
	const char *bad;

	if (n == 0 && hdr.type == 0) {
		log_msg(LOG_LVL_ERROR, "the engine closed its channel; stopping");
		kill_roles(SIGTERM);
		finish(1);
	}
	if (n < 0)
		log_fatal("bad message from the engine: %s", strerror((int)-n));
	bad = ipc_msg_check(IPC_PEER_ENGINE, IPC_PEER_SUPERVISOR, hdr.type, raw, (size_t)n);
	if (bad) {
		log_msg(LOG_LVL_ERROR, "refused %s from the engine: %s", ipc_type_name(hdr.type), bad);
		kill_roles(SIGTERM);
		finish(1);
	}
	memcpy(&st, raw, sizeof(st));
	on_status(&st);
}

/* A role that exits while we are not stopping takes the daemon down. */
static void on_child(void)
{
	if (reap_roles() && !sup.stopping) {
		sup.stopping = true;
		kill_roles(SIGTERM);
		finish(1);
	}
}

static void on_signal(void)
{
	int signo;
	pid_t from;

	if (ev_signal_read(sup.sigfd, &signo, &from) < 0)
		return;
	switch (signo) {
	case SIGTERM:
	case SIGINT:
		log_msg(LOG_LVL_INFO, "signal %d: stopping", signo);
		request_stop(sup.opts->keep, 0);
		break;
	case SIGHUP:
	case SIGUSR1:
		send_user(IPC_USER_RENEW, false);
		break;
	case SIGUSR2:
		/* Release and stop (lessee -r sends this). Anonymous: the lease is
		 * dropped and the daemon stops, but no RELEASE goes out. */
		if (sup.opts->anonymous)
			log_msg(LOG_LVL_INFO, "no RELEASE in anonymous mode (RFC 7844 3.7); "
				"deconfiguring and stopping");
		sup.stopping = true;
		sup.exit_code = 0;
		send_user(IPC_USER_RELEASE, false);
		break;
	case SIGCHLD:
		on_child();
		break;
	default:
		break;
	}
}

static void on_timeout(void)
{
	uint64_t x;
	(void)!read(sup.timerfd, &x, sizeof(x));
	if (sup.bound)
		return;
	if (sup.opts->oneshot || sup.opts->once) {
		log_msg(LOG_LVL_ERROR, "no lease within %u s", sup.opts->timeout_s ?
			sup.opts->timeout_s : DEFAULT_TIMEOUT_S);
		request_stop(false, 2);
		return;
	}
	/* dhclient goes to the background after the timeout and keeps trying. */
	tell_parent_ready(0);
}

static void setup_loop(void)
{
	struct itimerspec its;
	uint32_t timeout = sup.opts->timeout_s ? sup.opts->timeout_s : DEFAULT_TIMEOUT_S;

	signal(SIGPIPE, SIG_IGN);
	sup.sigfd = ev_signal_open();
	sup.timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	sup.epfd = ev_open();
	if (sup.sigfd < 0 || sup.timerfd < 0 || sup.epfd < 0)
		log_fatal("signalfd/timerfd/epoll: %s", strerror(errno));
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = timeout;
	timerfd_settime(sup.timerfd, 0, &its, NULL);
}

static void watch(int fd, int tag)
{
	if (ev_add(sup.epfd, fd, (uint32_t)tag) < 0)
		log_fatal("epoll_ctl: %s", strerror(errno));
}

/* One lessee per pid file: a second one would fight the first over the link. */
static void refuse_second_instance(void)
{
	char why[300];
	pid_t pid;

	if (!sup.opts->pidfile[0])
		return;
	pid = pidfile_running(sup.opts->pidfile, why, sizeof(why));
	if (pid > 0)
		log_fatal("lessee is already running as pid %ld (pid file %s); stop it with -x "
			  "or release with -r", (long)pid, sup.opts->pidfile);
}

static void write_pidfile(void)
{
	int r;

	if (!sup.opts->pidfile[0])
		return;
	if ((r = pidfile_write(sup.opts->pidfile, getpid())) < 0)
		log_fatal("pid file %s: %s", sup.opts->pidfile, strerror(-r));
}

/*
 * Without -d, go to the background the way dhclient does: the parent waits
 * for the lease (or the timeout) and exits with the status it is given.
 */
static void background(void)
{
	int pipefd[2];
	pid_t pid;
	uint8_t code = 1;

	if (pipe2(pipefd, O_CLOEXEC) != 0)
		log_fatal("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		log_fatal("fork: %s", strerror(errno));
	if (pid > 0) {
		close(pipefd[1]);
		if (read(pipefd[0], &code, 1) != 1)
			code = 1;
		_exit(code);
	}
	close(pipefd[0]);
	setsid();
	sup.ready_fd = pipefd[1];
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		if (!sup.opts->json)
			dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
	}
}

int supervisor_main(const struct lessee_opts *opts, int argc, char *const argv[])
{
	sup.opts = opts;
	sup.argc = argc;
	sup.argv = argv;
	sup.ready_fd = -1;
	if (argc > CLI_MAX_ARGS)
		log_fatal("more than %u arguments", CLI_MAX_ARGS);
	log_init("supervisor", !opts->foreground && !opts->oneshot, opts->quiet, opts->verbose);
	if (if_nametoindex(opts->ifname) == 0)
		log_fatal("interface %s: %s", opts->ifname, strerror(errno));
	/* The engine's user and empty root, made once, before any role runs. */
	struct privdrop_ids ids;
	const char *why = NULL;
	if (privdrop_prepare(&ids, &why) < 0)
		log_fatal("preparing the roles' user and root: %s", why);
	if (ids.fallback)
		log_msg(LOG_LVL_WARNING, "no '%s' user could be made; the engine runs as "
			"nobody:nogroup", PRIVDROP_USER);
	refuse_second_instance();
	if (!opts->foreground && !opts->oneshot)
		background();
	write_pidfile();
	setup_loop();
	start_roles();
	/* The roles run: from here the supervisor only watches and signals. */
	if (privdrop_role(OS_ROLE_SUPERVISOR, NULL, &why) < 0)
		log_fatal("dropping privileges: %s", why);
	if (sandbox_apply(OS_ROLE_SUPERVISOR, sandbox_flags(opts), &why) < 0)
		log_fatal("sandbox: %s", why);
	watch(sup.sigfd, TAG_SIGNAL);
	watch(sup.ctl.fd, TAG_CTL);
	watch(sup.timerfd, TAG_TIMEOUT);
	/* -r: the engine releases the stored lease and stops by itself. */
	if (opts->action == CLI_RELEASE)
		sup.stopping = true;
	for (;;) {
		struct ev_ready ready[3];
		int n = ev_wait(sup.epfd, ready, 3, -1);
		if (n < 0)
			log_fatal("epoll_wait: %s", strerror(-n));
		for (int i = 0; i < n; i++) {
			if (ready[i].tag == TAG_SIGNAL)
				on_signal();
			else if (ready[i].tag == TAG_CTL)
				on_ctl();
			else
				on_timeout();
		}
	}
}
