/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * src/os/evloop: epoll tags, the absolute-deadline timer, the signalfd and
 * the clock they share. Every wait is bounded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nstest.h"
#include "os/evloop.h"

#define TAG_TIMER 7u
#define TAG_SIG   9u

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void test_clock_advances(void **state)
{
	(void)state;
	uint64_t a = mono_now_ms();
	sleep_ms(20);
	uint64_t b = mono_now_ms();
	assert_true(b >= a + 20);
	assert_true(b < a + 2000);
}

/* One timer in one epoll set; returns how many events came within ms. */
static int wait_one(int ep, int ms, struct ev_ready *r)
{
	return ev_wait(ep, r, 1, ms);
}

static void test_timer_fires_at_deadline(void **state)
{
	struct ev_ready r;
	int ep = ev_open(), t = ev_timer_open();

	(void)state;
	assert_true(ep >= 0 && t >= 0);
	assert_int_equal(ev_add(ep, t, TAG_TIMER), 0);
	uint64_t deadline = mono_now_ms() + 50;
	assert_int_equal(ev_timer_set(t, deadline), 0);
	assert_int_equal(wait_one(ep, 2000, &r), 1);
	assert_true(mono_now_ms() >= deadline);     /* never early */
	assert_int_equal(r.tag, TAG_TIMER);
	assert_true(r.events & EPOLLIN);
	assert_int_equal(ev_timer_ack(t), 1);
	assert_int_equal(ev_timer_ack(t), 0);       /* nothing more */
	assert_int_equal(wait_one(ep, 50, &r), 0);  /* one-shot */
	close(t);
	close(ep);
}

static void test_timer_past_and_never(void **state)
{
	struct ev_ready r;
	int ep = ev_open(), t = ev_timer_open();

	(void)state;
	assert_int_equal(ev_add(ep, t, TAG_TIMER), 0);
	/* Already due (and 0, which timerfd alone would read as "disarm"). */
	assert_int_equal(ev_timer_set(t, mono_now_ms() - 1000), 0);
	assert_int_equal(wait_one(ep, 500, &r), 1);
	assert_int_equal(ev_timer_ack(t), 1);
	assert_int_equal(ev_timer_set(t, 0), 0);
	assert_int_equal(wait_one(ep, 500, &r), 1);
	assert_int_equal(ev_timer_ack(t), 1);
	/* EV_NEVER disarms a pending deadline. */
	assert_int_equal(ev_timer_set(t, mono_now_ms() + 30), 0);
	assert_int_equal(ev_timer_set(t, EV_NEVER), 0);
	assert_int_equal(wait_one(ep, 150, &r), 0);
	/* Re-arming moves the deadline rather than adding one. */
	assert_int_equal(ev_timer_set(t, mono_now_ms() + 20), 0);
	assert_int_equal(ev_timer_set(t, mono_now_ms() + 10000), 0);
	assert_int_equal(wait_one(ep, 150, &r), 0);
	close(t);
	close(ep);
}

static void expect_signal(int ep, int sfd, int signo, pid_t from)
{
	struct ev_ready r;
	int got = 0;
	pid_t pid = 0;

	assert_int_equal(wait_one(ep, 2000, &r), 1);
	assert_int_equal(r.tag, TAG_SIG);
	assert_int_equal(ev_signal_read(sfd, &got, &pid), 0);
	assert_int_equal(got, signo);
	assert_int_equal(pid, from);
}

static void test_signals_arrive_as_reads(void **state)
{
	int ep = ev_open(), sfd = ev_signal_open(), status, got;
	sigset_t now;

	(void)state;
	assert_true(ep >= 0 && sfd >= 0);
	assert_int_equal(ev_add(ep, sfd, TAG_SIG), 0);
	const int sigs[] = { SIGUSR1, SIGUSR2, SIGHUP, SIGTERM, SIGINT };
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		assert_int_equal(kill(getpid(), sigs[i]), 0);   /* blocked: no death */
		expect_signal(ep, sfd, sigs[i], getpid());
	}
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0)
		_exit(0);
	expect_signal(ep, sfd, SIGCHLD, child);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_int_equal(ev_signal_read(sfd, &got, NULL), -EAGAIN);
	/* What a child must do before exec: the mask is inherited. */
	assert_int_equal(ev_signal_unblock(), 0);
	assert_int_equal(sigprocmask(SIG_BLOCK, NULL, &now), 0);
	assert_false(sigismember(&now, SIGTERM));
	assert_false(sigismember(&now, SIGCHLD));
	close(sfd);
	close(ep);
}

static void test_hangup_reported(void **state)
{
	struct ev_ready r[2];
	int sp[2], ep = ev_open();

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp), 0);
	assert_int_equal(ev_add(ep, sp[0], 3), 0);
	assert_int_equal(ev_wait(ep, r, 2, 20), 0);
	close(sp[1]);
	assert_int_equal(ev_wait(ep, r, 2, 1000), 1);
	assert_int_equal(r[0].tag, 3);
	assert_true(r[0].events & (EPOLLHUP | EPOLLRDHUP));
	assert_int_equal(ev_del(ep, sp[0]), 0);
	assert_int_equal(ev_wait(ep, r, 2, 20), 0);
	close(sp[0]);
	close(ep);
}

static void test_bad_arguments(void **state)
{
	struct ev_ready r;
	int ep = ev_open(), p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(ev_add(ep, -1, 1), -EBADF);
	assert_int_equal(ev_add(ep, 999, 1), -EBADF);
	assert_int_equal(ev_del(ep, p[0]), -ENOENT);      /* never added */
	assert_int_equal(ev_add(ep, p[0], 1), 0);
	assert_int_equal(ev_add(ep, p[0], 1), -EEXIST);
	close(p[0]);
	close(p[1]);
	assert_int_equal(ev_wait(ep, &r, 0, 0), -EINVAL);
	assert_int_equal(ev_wait(ep, NULL, 1, 0), -EINVAL);
	assert_int_equal(ev_timer_set(-1, 5), -EBADF);
	assert_int_equal(ev_wait(-1, &r, 1, 0), -EBADF);
	close(ep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clock_advances),
		cmocka_unit_test(test_timer_fires_at_deadline),
		cmocka_unit_test(test_timer_past_and_never),
		cmocka_unit_test(test_signals_arrive_as_reads),
		cmocka_unit_test(test_hangup_reported),
		cmocka_unit_test(test_bad_arguments),
	};

	nstest_enter("test_os_evloop");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
