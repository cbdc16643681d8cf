/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pid file: -x and -r signal only a live lessee named by it, never a
 * stranger from a stale file, and wait for it to be gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "lessee/pidfile.h"

static char dir[64];
static char path[96];

static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	(void)state;
	snprintf(dir, sizeof(dir), "%s/lessee-pidfile-XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/lessee.pid", dir);
	return 0;
}

static int teardown(void **state)
{
	char link[112];
	(void)state;
	unlink(path);
	snprintf(link, sizeof(link), "%s/link.pid", dir);
	unlink(link);
	return rmdir(dir);
}

static void write_text(const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A child that calls itself lessee and waits to be signalled. */
static pid_t fake_lessee(void)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_NAME, "lessee");
		for (int i = 0; i < 600; i++)
			sleep(1);
		_exit(0);
	}
	/* Until the child has renamed itself, it is not lessee yet. */
	char why[200];
	assert_int_equal(pidfile_write(path, pid), 0);
	for (int i = 0; i < 200 && pidfile_running(path, why, sizeof(why)) != pid; i++)
		usleep(10000);
	return pid;
}

static void test_no_file_is_none_running(void **state)
{
	char why[200];
	(void)state;
	assert_int_equal(pidfile_running(path, why, sizeof(why)), 0);
}

static void test_garbage_is_an_error(void **state)
{
	static const char *const bad[] = { "", "abc\n", "12x\n", "-5\n", "1\n", "99999999999\n" };
	char why[200];
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_text(bad[i]);
		why[0] = '\0';
		assert_int_equal(pidfile_running(path, why, sizeof(why)), -1);
		assert_non_null(strstr(why, "does not hold a pid"));
	}
}

static void test_symlink_refused(void **state)
{
	char link[112], why[200];
	(void)state;
	write_text("123\n");
	snprintf(link, sizeof(link), "%s/link.pid", dir);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(pidfile_running(link, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "link.pid"));
	assert_int_equal(pidfile_write(link, getpid()), -ELOOP);
}

/* Our own pid is live but not lessee: a stale file must not reach it. */
static void test_live_stranger_is_none_running(void **state)
{
	char why[200];
	(void)state;
	assert_int_equal(pidfile_write(path, getpid()), 0);
	assert_int_equal(pidfile_running(path, why, sizeof(why)), 0);
}

static void test_signal_and_wait(void **state)
{
	char why[200];
	int status;
	(void)state;
	pid_t pid = fake_lessee();
	assert_int_equal(pidfile_running(path, why, sizeof(why)), pid);
	assert_false(pidfile_exited(pid));
	/* Not reaped yet: a zombie counts as exited. */
	assert_int_equal(pidfile_signal_and_wait(pid, SIGTERM, 5000, why, sizeof(why)), 0);
	assert_true(pidfile_exited(pid));
	assert_int_equal(pidfile_running(path, why, sizeof(why)), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	assert_true(pidfile_exited(pid));
}

static void test_wait_is_bounded(void **state)
{
	char why[200];
	int status;
	(void)state;
	pid_t pid = fake_lessee();
	/* SIGCONT does not stop it: the wait gives up with a reason. */
	assert_int_equal(pidfile_signal_and_wait(pid, SIGCONT, 200, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "did not exit"));
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_file_is_none_running, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_live_stranger_is_none_running, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signal_and_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_is_bounded, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
