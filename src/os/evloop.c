/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * epoll(7), timerfd_create(2), signalfd(2), clock_gettime(2).
 */
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "evloop.h"
#include "oserr.h"

#define EV_CLOCK CLOCK_BOOTTIME
#define EV_MAX_BATCH 64

int ev_open(void)
{
	int fd = epoll_create1(EPOLL_CLOEXEC);

	return fd < 0 ? os_errno() : fd;
}

int ev_add(int epfd, int fd, uint32_t tag)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof ev);
	/* EPOLLHUP and EPOLLERR are always reported (epoll_ctl(2)); RDHUP
	 * names a peer that shut down its side of a socketpair. */
	ev.events = EPOLLIN | EPOLLRDHUP;
	ev.data.u64 = tag;
	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? os_errno() : 0;
}

int ev_del(int epfd, int fd)
{
	return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL) < 0 ? os_errno() : 0;
}

int ev_wait(int epfd, struct ev_ready *ready, size_t max, int timeout_ms)
{
	struct epoll_event evs[EV_MAX_BATCH];
	int want = max < EV_MAX_BATCH ? (int)max : EV_MAX_BATCH;

	if (ready == NULL || max == 0)
		return -EINVAL;
	int n = epoll_wait(epfd, evs, want, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : os_errno();
	for (int i = 0; i < n; i++) {
		ready[i].tag = (uint32_t)evs[i].data.u64;
		ready[i].events = evs[i].events;
	}
	return n;
}

int ev_timer_open(void)
{
	int fd = timerfd_create(EV_CLOCK, TFD_CLOEXEC | TFD_NONBLOCK);

	return fd < 0 ? os_errno() : fd;
}

int ev_timer_set(int tfd, uint64_t deadline_ms)
{
	struct itimerspec its;

	memset(&its, 0, sizeof its);
	if (deadline_ms != EV_NEVER) {
		its.it_value.tv_sec = (time_t)(deadline_ms / 1000u);
		its.it_value.tv_nsec = (long)(deadline_ms % 1000u) * 1000000L;
		/* timerfd_settime(2): an all-zero it_value disarms; a deadline
		 * of 0 means "already due", so make it the smallest real time. */
		if (deadline_ms == 0)
			its.it_value.tv_nsec = 1;
	}
	/* TFD_TIMER_ABSTIME: a deadline already past expires at once. */
	if (timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		return os_errno();
	return 0;
}

int ev_timer_ack(int tfd)
{
	uint64_t expirations;
	ssize_t n = read(tfd, &expirations, sizeof expirations);

	if (n < 0)
		return errno == EAGAIN ? 0 : os_errno();
	if ((size_t)n != sizeof expirations)
		return -EIO;
	return expirations > 0 ? 1 : 0;
}

static void signal_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGUSR1);
	sigaddset(set, SIGUSR2);
	sigaddset(set, SIGCHLD);
}

int ev_signal_open(void)
{
	sigset_t set;

	signal_set(&set);
	/* signalfd(2): the signals must be blocked, or they are delivered
	 * the default way (death, for most of these) instead of read. */
	int err = sigprocmask(SIG_BLOCK, &set, NULL);
	if (err != 0)
		return os_errno();
	int fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return fd < 0 ? os_errno() : fd;
}

int ev_signal_read(int sfd, int *signo, pid_t *pid)
{
	struct signalfd_siginfo si;
	ssize_t n = read(sfd, &si, sizeof si);

	if (n < 0)
		return os_errno();
	if ((size_t)n != sizeof si)
		return -EIO;
	*signo = (int)si.ssi_signo;
	if (pid != NULL)
		*pid = (pid_t)si.ssi_pid;
	return 0;
}

int ev_signal_unblock(void)
{
	sigset_t set;

	signal_set(&set);
	return sigprocmask(SIG_UNBLOCK, &set, NULL) != 0 ? os_errno() : 0;
}

uint64_t mono_now_ms(void)
{
	struct timespec ts;

	/* clock_gettime(2) cannot fail for a valid clock id and pointer. */
	(void)clock_gettime(EV_CLOCK, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
