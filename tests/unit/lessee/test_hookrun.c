/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hook runner: the exact checks of its request and reply (pure, a
 * table), then real runners on tiny scripts in a mkdtemp() directory: the
 * environment arrives byte for byte, the exit status comes back, a script
 * past its timeout is killed and reported, a closed channel ends the runner
 * with status 0, a malformed request ends it with status 1.
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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "lessee/hookrun.h"

#define LEAK_FD 77   /* above the fds a shell keeps for itself (dash: 10) */

static char *envp[HOOKRUN_VARS_MAX + 2];
static char big[HOOKRUN_ENV_MAX + 64];

/* ---- the block --------------------------------------------------------- */

struct block_case {
	const char *name;
	const char *bytes;
	size_t len;
	size_t count;
	enum hookrun_check want;
};

#define BLK(s) s, sizeof(s) - 1   /* the bytes of a literal, without C's own NUL */

static const struct block_case block_cases[] = {
	{ "good", BLK("reason=BOUND\0interface=eth0\0"), 2, HOOKRUN_CHECK_OK },
	{ "value with '=' and any byte", BLK("a==b\x01\xff c\0_x9=\0"), 2, HOOKRUN_CHECK_OK },
	{ "missing final NUL", BLK("reason=BOUND\0interface=eth0"), 2,
	  HOOKRUN_CHECK_UNTERMINATED },
	{ "count too big", BLK("reason=BOUND\0interface=eth0\0"), 3, HOOKRUN_CHECK_COUNT },
	{ "count too small", BLK("reason=BOUND\0interface=eth0\0"), 1, HOOKRUN_CHECK_COUNT },
	{ "count 0", BLK("reason=BOUND\0"), 0, HOOKRUN_CHECK_COUNT },
	{ "empty block", BLK(""), 1, HOOKRUN_CHECK_SIZE },
	{ "name with '-'", BLK("new-ip=1\0"), 1, HOOKRUN_CHECK_BAD_NAME },
	{ "name with a space", BLK("a b=1\0"), 1, HOOKRUN_CHECK_BAD_NAME },
	{ "name starting with a digit", BLK("1abc=x\0"), 1, HOOKRUN_CHECK_BAD_NAME },
	{ "no name", BLK("=x\0"), 1, HOOKRUN_CHECK_BAD_NAME },
	{ "name with a high byte", BLK("n\xc3\xa9=1\0"), 1, HOOKRUN_CHECK_BAD_NAME },
	{ "empty entry in the middle", BLK("a=1\0\0b=2\0"), 3, HOOKRUN_CHECK_EMPTY_ENTRY },
	{ "only a NUL", BLK("\0"), 1, HOOKRUN_CHECK_EMPTY_ENTRY },
	{ "entry without '='", BLK("a=1\0abc\0"), 2, HOOKRUN_CHECK_NO_EQUALS },
};

static void test_block_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(block_cases) / sizeof(block_cases[0]); i++) {
		const struct block_case *c = &block_cases[i];
		memcpy(big, c->bytes, c->len);
		enum hookrun_check got = hookrun_env_check(big, c->len, c->count, envp,
							   HOOKRUN_VARS_MAX + 1);
		if (got != c->want)
			fail_msg("%s: got %s, want %s", c->name, hookrun_check_name(got),
				 hookrun_check_name(c->want));
	}
}

static void test_block_good_envp(void **state)
{
	static const char b[] = "reason=BOUND\0interface=eth0\0x=\0";
	(void)state;
	memcpy(big, b, sizeof(b) - 1);
	assert_int_equal(hookrun_env_check(big, sizeof(b) - 1, 3, envp, 4), HOOKRUN_CHECK_OK);
	assert_string_equal(envp[0], "reason=BOUND");
	assert_string_equal(envp[1], "interface=eth0");
	assert_string_equal(envp[2], "x=");
	assert_null(envp[3]);
	assert_ptr_equal(envp[0], big);
	/* envp must hold count + 1 slots */
	assert_int_equal(hookrun_env_check(big, sizeof(b) - 1, 3, envp, 3), HOOKRUN_CHECK_COUNT);
}

/* n entries "vNN=x" into big; returns the length. */
static size_t many(size_t n)
{
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(big + len, sizeof(big) - len, "v%zu=x", i) + 1;
	return len;
}

static void test_block_entries_bound(void **state)
{
	(void)state;
	size_t len = many(HOOKRUN_VARS_MAX);
	assert_int_equal(hookrun_env_check(big, len, HOOKRUN_VARS_MAX, envp, HOOKRUN_VARS_MAX + 1),
			 HOOKRUN_CHECK_OK);
	len = many(HOOKRUN_VARS_MAX + 1);
	assert_int_equal(hookrun_env_check(big, len, HOOKRUN_VARS_MAX + 1, envp,
					   HOOKRUN_VARS_MAX + 2), HOOKRUN_CHECK_COUNT);
	assert_int_equal(hookrun_env_check(big, len, HOOKRUN_VARS_MAX, envp,
					   HOOKRUN_VARS_MAX + 2), HOOKRUN_CHECK_COUNT);
}

static void test_block_size_bound(void **state)
{
	(void)state;
	/* One entry filling the block exactly, then one byte more. */
	memset(big, 'a', sizeof(big));
	big[1] = '=';
	big[HOOKRUN_ENV_MAX - 1] = '\0';
	assert_int_equal(hookrun_env_check(big, HOOKRUN_ENV_MAX, 1, envp, 2), HOOKRUN_CHECK_OK);
	big[HOOKRUN_ENV_MAX - 1] = 'a';
	big[HOOKRUN_ENV_MAX] = '\0';
	assert_int_equal(hookrun_env_check(big, HOOKRUN_ENV_MAX + 1, 1, envp, 2),
			 HOOKRUN_CHECK_SIZE);
}

/* ---- the request record ------------------------------------------------ */

static char env_reason[] = "reason=BOUND";
static char env_if[] = "interface=eth0";
static char env_path[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
static char env_ip[] = "new_ip_address=192.0.2.10";
static char env_fd[] = "LEAK_FD=77";
static char *const good_env[] = { env_reason, env_if, env_path, env_ip, env_fd, NULL };

static void test_request_roundtrip(void **state)
{
	static char rec[HOOKRUN_REQ_MAX];
	enum hookenv_reason reason = HOOKENV_REASON_COUNT;
	size_t len = 0;
	(void)state;

	assert_int_equal(hookrun_req_build(rec, sizeof(rec), HOOKENV_RENEW, good_env, &len),
			 HOOKRUN_CHECK_OK);
	assert_int_equal(hookrun_req_check(rec, len, envp, HOOKRUN_VARS_MAX + 1, &reason),
			 HOOKRUN_CHECK_OK);
	assert_int_equal(reason, HOOKENV_RENEW);
	for (size_t i = 0; good_env[i]; i++)
		assert_string_equal(envp[i], good_env[i]);
	assert_null(envp[5]);

	struct hookrun_req_hdr h;
	memcpy(&h, rec, sizeof(h));
	h.magic ^= 1;
	memcpy(rec, &h, sizeof(h));
	assert_int_equal(hookrun_req_check(rec, len, envp, HOOKRUN_VARS_MAX + 1, &reason),
			 HOOKRUN_CHECK_HEADER);
	h.magic ^= 1;
	h.reserved = 1;
	memcpy(rec, &h, sizeof(h));
	assert_int_equal(hookrun_req_check(rec, len, envp, HOOKRUN_VARS_MAX + 1, &reason),
			 HOOKRUN_CHECK_HEADER);
	h.reserved = 0;
	h.reason = HOOKENV_REASON_COUNT;
	memcpy(rec, &h, sizeof(h));
	assert_int_equal(hookrun_req_check(rec, len, envp, HOOKRUN_VARS_MAX + 1, &reason),
			 HOOKRUN_CHECK_HEADER);
	assert_int_equal(hookrun_req_check(rec, sizeof(h) - 1, envp, HOOKRUN_VARS_MAX + 1,
					   &reason), HOOKRUN_CHECK_SIZE);
}

/* apply never builds what the runner would refuse. */
static void test_request_build_refuses(void **state)
{
	static char rec[HOOKRUN_REQ_MAX];
	static char bad_name[] = "a-b=1";
	static char *const bad[] = { env_reason, bad_name, NULL };
	static char *const none[] = { NULL };
	size_t len = 0;
	(void)state;

	assert_int_equal(hookrun_req_build(rec, sizeof(rec), HOOKENV_BOUND, bad, &len),
			 HOOKRUN_CHECK_BAD_NAME);
	assert_int_equal(hookrun_req_build(rec, sizeof(rec), HOOKENV_BOUND, none, &len),
			 HOOKRUN_CHECK_SIZE);
	assert_int_equal(hookrun_req_build(rec, sizeof(rec), HOOKENV_REASON_COUNT, good_env,
					   &len), HOOKRUN_CHECK_HEADER);
	assert_int_equal(hookrun_req_build(rec, 20, HOOKENV_BOUND, good_env, &len),
			 HOOKRUN_CHECK_SIZE);
}

/* ---- the reply --------------------------------------------------------- */

static struct hookrun_reply reply(uint8_t kind, int32_t code)
{
	struct hookrun_reply r;
	memset(&r, 0, sizeof(r));
	r.magic = HOOKRUN_MAGIC_REPLY;
	r.kind = kind;
	r.code = code;
	return r;
}

static enum hookrun_check check_reply(struct hookrun_reply r)
{
	struct hookrun_result res;
	return hookrun_reply_check(&r, sizeof(r), &res);
}

static void test_reply_table(void **state)
{
	struct hookrun_result res;
	struct hookrun_reply r = reply(HOOKRUN_EXITED, 3);
	(void)state;

	assert_int_equal(hookrun_reply_check(&r, sizeof(r), &res), HOOKRUN_CHECK_OK);
	assert_int_equal(res.kind, HOOKRUN_EXITED);
	assert_int_equal(res.code, 3);
	assert_int_equal(hookrun_reply_check(&r, sizeof(r) - 1, &res), HOOKRUN_CHECK_SIZE);
	assert_int_equal(check_reply(reply(HOOKRUN_EXITED, 255)), HOOKRUN_CHECK_OK);
	assert_int_equal(check_reply(reply(HOOKRUN_EXITED, 256)), HOOKRUN_CHECK_CODE);
	assert_int_equal(check_reply(reply(HOOKRUN_EXITED, -1)), HOOKRUN_CHECK_CODE);
	assert_int_equal(check_reply(reply(HOOKRUN_SIGNALLED, 9)), HOOKRUN_CHECK_OK);
	assert_int_equal(check_reply(reply(HOOKRUN_SIGNALLED, 0)), HOOKRUN_CHECK_CODE);
	assert_int_equal(check_reply(reply(HOOKRUN_SIGNALLED, 65)), HOOKRUN_CHECK_CODE);
	assert_int_equal(check_reply(reply(HOOKRUN_TIMED_OUT, 0)), HOOKRUN_CHECK_OK);
	assert_int_equal(check_reply(reply(HOOKRUN_TIMED_OUT, 1)), HOOKRUN_CHECK_CODE);
	assert_int_equal(check_reply(reply(HOOKRUN_EXEC_FAILED, ENOENT)), HOOKRUN_CHECK_OK);
	assert_int_equal(check_reply(reply(HOOKRUN_EXEC_FAILED, 0)), HOOKRUN_CHECK_CODE);
	assert_int_equal(check_reply(reply(HOOKRUN_FORK_FAILED, 4096)), HOOKRUN_CHECK_CODE);
	assert_int_equal(check_reply(reply(0, 0)), HOOKRUN_CHECK_HEADER);
	assert_int_equal(check_reply(reply(HOOKRUN_FORK_FAILED + 1, 1)), HOOKRUN_CHECK_HEADER);
	r = reply(HOOKRUN_EXITED, 0);
	r.reserved[2] = 1;
	assert_int_equal(check_reply(r), HOOKRUN_CHECK_HEADER);
	r = reply(HOOKRUN_EXITED, 0);
	r.magic = HOOKRUN_MAGIC_REQ;
	assert_int_equal(check_reply(r), HOOKRUN_CHECK_HEADER);
}

/* ---- real runners ------------------------------------------------------ */

static char dir[64];

static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	(void)state;
	snprintf(dir, sizeof(dir), "%s/lessee-hookrun-XXXXXX", tmp ? tmp : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	static const char *const names[] = { "env.sh", "env.sh.env", "env.sh.argv", "env.sh.fd",
					     "sleep.sh", "term.sh", "plain.txt" };
	char p[128];
	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		unlink(p);
	}
	return rmdir(dir);
}

static void path_of(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/%s", dir, name);
}

static void write_file(const char *name, const char *text, mode_t mode)
{
	char p[128];
	path_of(p, sizeof(p), name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static size_t read_file(const char *name, char *buf, size_t cap)
{
	char p[128];
	path_of(p, sizeof(p), name);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail_msg("%s: %s", p, strerror(errno));
	ssize_t n = read(fd, buf, cap);
	close(fd);
	assert_true(n >= 0);
	return (size_t)n;
}

/* Wait (at most 5 s) for pid; its wait status. */
static int reap(pid_t pid)
{
	int status = 0;
	for (int i = 0; i < 500; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	fail_msg("pid %d did not exit within 5 s", (int)pid);
	return -1;
}

static void start(const char *name, unsigned timeout_ms, struct hookrun *hr)
{
	char p[128];
	path_of(p, sizeof(p), name);
	assert_int_equal(hookrun_start(p, timeout_ms, hr), 0);
	assert_true(hr->fd >= 0 && hr->pid > 0);
}

static void stop(struct hookrun *hr)
{
	hookrun_close(hr);
	int status = reap(hr->pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/*
 * The script records its environment as execve gave it (/proc/PID/environ
 * of the shell, before the shell adds anything), its $0 and $#, and whether
 * an fd the test left open without close-on-exec reached it.
 */
static const char env_script[] =
	"#!/bin/sh\n"
	"cat /proc/$$/environ > \"$0.env\"\n"
	"printf '%s|%s' \"$0\" \"$#\" > \"$0.argv\"\n"
	"if [ -e /proc/$$/fd/$LEAK_FD ]; then echo open; else echo closed; fi > \"$0.fd\"\n"
	"exit 3\n";

static void test_runner_env_and_status(void **state)
{
	struct hookrun hr;
	struct hookrun_result res = { 0, -1 };
	char got[4096], want[4096], p[128];
	size_t wlen = 0;
	(void)state;

	write_file("env.sh", env_script, 0755);
	int leak = open("/dev/null", O_RDONLY);   /* no O_CLOEXEC: as apply's fd 3 */
	assert_int_equal(dup2(leak, LEAK_FD), LEAK_FD);
	start("env.sh", 5000, &hr);
	close(LEAK_FD);
	close(leak);
	assert_int_equal(hookrun_call(&hr, HOOKENV_BOUND, good_env, &res), 0);
	assert_int_equal(res.kind, HOOKRUN_EXITED);
	assert_int_equal(res.code, 3);

	for (size_t i = 0; good_env[i]; i++) {
		size_t l = strlen(good_env[i]) + 1;
		memcpy(want + wlen, good_env[i], l);
		wlen += l;
	}
	size_t glen = read_file("env.sh.env", got, sizeof(got));
	assert_int_equal(glen, wlen);
	assert_memory_equal(got, want, wlen);
	path_of(p, sizeof(p), "env.sh");
	glen = read_file("env.sh.argv", got, sizeof(got) - 1);
	got[glen] = '\0';
	snprintf(want, sizeof(want), "%s|0", p);
	assert_string_equal(got, want);
	glen = read_file("env.sh.fd", got, sizeof(got) - 1);
	got[glen] = '\0';
	assert_string_equal(got, "closed\n");

	/* The runner serves one call after another. */
	assert_int_equal(hookrun_call(&hr, HOOKENV_RENEW, good_env, &res), 0);
	assert_int_equal(res.code, 3);
	stop(&hr);
}

static uint64_t ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void test_runner_timeout(void **state)
{
	struct hookrun hr;
	struct hookrun_result res = { 0, -1 };
	(void)state;

	/* exec: the sleep is the script's process, so SIGKILL leaves nothing. */
	write_file("sleep.sh", "#!/bin/sh\nexec sleep 10\n", 0755);
	start("sleep.sh", 300, &hr);
	uint64_t t0 = ms_now();
	assert_int_equal(hookrun_call(&hr, HOOKENV_BOUND, good_env, &res), 0);
	uint64_t took = ms_now() - t0;
	assert_int_equal(res.kind, HOOKRUN_TIMED_OUT);
	assert_int_equal(res.code, 0);
	assert_true(took >= 300);
	assert_true(took < 3000);
	stop(&hr);
}

static void test_runner_signal_and_exec_failure(void **state)
{
	struct hookrun hr;
	struct hookrun_result res = { 0, -1 };
	(void)state;

	write_file("term.sh", "#!/bin/sh\nkill -TERM $$\nsleep 5\n", 0755);
	start("term.sh", 5000, &hr);
	assert_int_equal(hookrun_call(&hr, HOOKENV_STOP, good_env, &res), 0);
	assert_int_equal(res.kind, HOOKRUN_SIGNALLED);
	assert_int_equal(res.code, SIGTERM);
	stop(&hr);

	start("missing.sh", 5000, &hr);
	assert_int_equal(hookrun_call(&hr, HOOKENV_STOP, good_env, &res), 0);
	assert_int_equal(res.kind, HOOKRUN_EXEC_FAILED);
	assert_int_equal(res.code, ENOENT);
	stop(&hr);

	write_file("plain.txt", "not a script\n", 0644);
	start("plain.txt", 5000, &hr);
	assert_int_equal(hookrun_call(&hr, HOOKENV_STOP, good_env, &res), 0);
	assert_int_equal(res.kind, HOOKRUN_EXEC_FAILED);
	assert_int_equal(res.code, EACCES);
	stop(&hr);
}

/* A runner that is gone is an error for the caller, never a hang. */
static void test_runner_gone(void **state)
{
	struct hookrun hr;
	struct hookrun_result res = { 0, -1 };
	(void)state;

	write_file("env.sh", env_script, 0755);
	start("env.sh", 5000, &hr);
	kill(hr.pid, SIGKILL);
	int status = reap(hr.pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(hookrun_call(&hr, HOOKENV_BOUND, good_env, &res), -EPIPE);
	hookrun_close(&hr);
}

/* A malformed request is a broken invariant: the runner exits 1. */
static void test_runner_refuses_bad_request(void **state)
{
	struct hookrun hr;
	/* A well-framed header (magic, count 1, BOUND), then a bad name. */
	static const char garbage[] = "\x01\x4b\x48\x4c" "\x01\x00" "\x01" "\x00" "a-b=1";
	(void)state;

	write_file("env.sh", env_script, 0755);
	start("env.sh", 5000, &hr);
	assert_int_equal(send(hr.fd, garbage, sizeof(garbage), MSG_NOSIGNAL),
			 (ssize_t)sizeof(garbage));
	int status = reap(hr.pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	hookrun_close(&hr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_block_table),
		cmocka_unit_test(test_block_good_envp),
		cmocka_unit_test(test_block_entries_bound),
		cmocka_unit_test(test_block_size_bound),
		cmocka_unit_test(test_request_roundtrip),
		cmocka_unit_test(test_request_build_refuses),
		cmocka_unit_test(test_reply_table),
		cmocka_unit_test_setup_teardown(test_runner_env_and_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_signal_and_exec_failure, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_runner_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_refuses_bad_request, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
