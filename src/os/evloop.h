/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A tiny event loop kit: epoll with a caller tag per fd, one timerfd armed
 * to an absolute deadline, one signalfd, and the clock they share.
 *
 * Clock: CLOCK_BOOTTIME, not CLOCK_MONOTONIC. Both never jump backwards;
 * BOOTTIME also counts time spent suspended, which a lease does too: after a
 * laptop sleeps through T1, T2 and expiry, the deadlines must have passed
 * when it wakes (systemd's DHCP client does the same). mono_now_ms() and the
 * timer use the same clock, so deadlines computed from one fire on the other.
 */
#ifndef LESSEE_OS_EVLOOP_H
#define LESSEE_OS_EVLOOP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define EV_NEVER UINT64_MAX  /* a deadline that disarms the timer */

struct ev_ready {
	uint32_t tag;     /* the tag given to ev_add */
	uint32_t events;  /* EPOLLIN, EPOLLHUP, EPOLLERR, EPOLLRDHUP */
};

/* An epoll instance (close-on-exec); returns the fd or -errno. */
int ev_open(void);
/* Watch fd for input and hang-up; tag comes back in struct ev_ready. */
int ev_add(int epfd, int fd, uint32_t tag);
int ev_del(int epfd, int fd);
/*
 * Wait up to timeout_ms (-1: for ever). Returns how many entries of ready
 * were filled (0 on timeout or EINTR), or -errno.
 */
int ev_wait(int epfd, struct ev_ready *ready, size_t max, int timeout_ms);

/* A non-blocking timerfd on the loop clock; returns the fd or -errno. */
int ev_timer_open(void);
/*
 * Arm tfd to fire at the absolute time deadline_ms (mono_now_ms() scale);
 * a deadline already past fires at once; EV_NEVER disarms.
 */
int ev_timer_set(int tfd, uint64_t deadline_ms);
/* After EPOLLIN: 1 if the timer expired, 0 if not (re-armed since), -errno. */
int ev_timer_ack(int tfd);

/*
 * Block SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2 and SIGCHLD and return a
 * non-blocking signalfd that reports them (signalfd(2)).
 */
int ev_signal_open(void);
/* One pending signal: 0 with *signo (and *pid, the sender), -EAGAIN if none. */
int ev_signal_read(int sfd, int *signo, pid_t *pid);
/*
 * Unblock the set again. The signal mask survives fork and execve
 * (signal(7)), so a child must call this before it execs a hook.
 */
int ev_signal_unblock(void);

/* Milliseconds on the loop clock (CLOCK_BOOTTIME). */
uint64_t mono_now_ms(void);

#endif
