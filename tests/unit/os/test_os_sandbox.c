/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The per-role seccomp filters (src/os/sandbox.c). Each case forks a child
 * that installs one role's filter and then makes one call: allowed calls
 * work, forbidden ones kill the child with SIGSYS (issue 6: "the engine tries
 * open("/etc/passwd"), socket(), execve(), ptrace() ... each attempt kills
 * the engine"), and --sandbox-debug names the call before exiting.
 * Children leave with _exit: nothing of the test runtime runs under a filter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "os/role.h"
#include "os/sandbox.h"

enum outcome { OK_EXIT, KILLED_SIGSYS, TRAPPED };

typedef int (*attempt_fn)(void);

/* Each returns 0 when the call did what an allowed call does. */
static int do_write(void)
{
	return write(STDERR_FILENO, "", 0) == 0 ? 0 : 1;
}

static int do_open_passwd(void)
{
	int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
	return fd >= 0 ? 0 : 1;
}

static int do_socket_inet(void)
{
	return socket(AF_INET, SOCK_DGRAM, 0) >= 0 ? 0 : 1;
}

static int do_socket_packet(void)
{
	return socket(AF_PACKET, SOCK_RAW, 0) >= 0 ? 0 : 1;
}

/* syslog(3)'s reconnect: refused softly with EACCES, the process lives. */
static int do_socket_unix_refused(void)
{
	return socket(AF_UNIX, SOCK_DGRAM, 0) < 0 && errno == EACCES ? 0 : 1;
}

static int do_execve(void)
{
	char *const argv[] = { (char *)(uintptr_t)"true", NULL };
	char *const envp[] = { NULL };
	execve("/bin/true", argv, envp);
	return 1;
}

static int do_ptrace(void)
{
	return ptrace(PTRACE_TRACEME, 0, NULL, NULL) == 0 ? 0 : 1;
}

static int do_fork(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	return pid > 0 ? 0 : 1;
}

static int do_mmap_exec(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p != MAP_FAILED ? 0 : 1;
}

static int do_mmap_data(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p != MAP_FAILED && munmap(p, 4096) == 0 ? 0 : 1;
}

static int do_kill_self_probe(void)
{
	return kill(getpid(), 0) == 0 ? 0 : 1;
}

static int do_getrandom_like_engine(void)
{
	char b[8];
	return getentropy(b, sizeof(b)) == 0 ? 0 : 1;
}

/* "Seccomp: 2" in our own status: filter mode, as the issue checks. */
static int do_status_says_filter(void)
{
	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (n <= 0)
		return 1;
	buf[n] = '\0';
	return strstr(buf, "\nSeccomp:\t2\n") != NULL ? 0 : 1;
}

/* Fork, install role's filter, attempt; what became of the child? */
static enum outcome run(enum os_role role, unsigned flags, attempt_fn fn, char *err, size_t cap)
{
	int pipefd[2], status = 0;

	assert_int_equal(pipe(pipefd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		const char *why = NULL;
		dup2(pipefd[1], STDERR_FILENO);
		close(pipefd[0]);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
			_exit(90);
		if (sandbox_apply(role, flags, &why) != 0 || !sandbox_enforced())
			_exit(91);
		_exit(fn() == 0 ? 0 : 92);
	}
	close(pipefd[1]);
	ssize_t n = read(pipefd[0], err, cap - 1);
	err[n > 0 ? n : 0] = '\0';
	close(pipefd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		return KILLED_SIGSYS;
	if (WIFEXITED(status) && WEXITSTATUS(status) == SANDBOX_TRAP_EXIT)
		return TRAPPED;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return OK_EXIT;
	fail_msg("child: status 0x%x, stderr %s", status, err);
	return OK_EXIT;
}

static void expect(enum os_role role, attempt_fn fn, enum outcome want)
{
	char err[512];
	assert_int_equal(run(role, 0, fn, err, sizeof(err)), want);
}

static void test_engine_forbidden_calls_kill(void **state)
{
	(void)state;
	expect(OS_ROLE_ENGINE, do_write, OK_EXIT);
	expect(OS_ROLE_ENGINE, do_getrandom_like_engine, OK_EXIT);
	expect(OS_ROLE_ENGINE, do_mmap_data, OK_EXIT);
	expect(OS_ROLE_ENGINE, do_socket_unix_refused, OK_EXIT);
	expect(OS_ROLE_ENGINE, do_open_passwd, KILLED_SIGSYS);
	expect(OS_ROLE_ENGINE, do_socket_inet, KILLED_SIGSYS);
	expect(OS_ROLE_ENGINE, do_execve, KILLED_SIGSYS);
	expect(OS_ROLE_ENGINE, do_ptrace, KILLED_SIGSYS);
	expect(OS_ROLE_ENGINE, do_fork, KILLED_SIGSYS);
	expect(OS_ROLE_ENGINE, do_mmap_exec, KILLED_SIGSYS);
	expect(OS_ROLE_ENGINE, do_kill_self_probe, KILLED_SIGSYS);
	expect(OS_ROLE_ENGINE, do_status_says_filter, KILLED_SIGSYS);
}

static void test_net_cannot_open_or_make_sockets(void **state)
{
	(void)state;
	expect(OS_ROLE_NET, do_write, OK_EXIT);
	expect(OS_ROLE_NET, do_socket_packet, KILLED_SIGSYS);
	expect(OS_ROLE_NET, do_socket_inet, KILLED_SIGSYS);
	expect(OS_ROLE_NET, do_open_passwd, KILLED_SIGSYS);
	expect(OS_ROLE_NET, do_execve, KILLED_SIGSYS);
	expect(OS_ROLE_NET, do_fork, KILLED_SIGSYS);
}

static void test_apply_files_but_no_exec(void **state)
{
	(void)state;
	expect(OS_ROLE_APPLY, do_open_passwd, OK_EXIT);
	expect(OS_ROLE_APPLY, do_status_says_filter, OK_EXIT);
	expect(OS_ROLE_APPLY, do_execve, KILLED_SIGSYS);
	expect(OS_ROLE_APPLY, do_fork, KILLED_SIGSYS);
	expect(OS_ROLE_APPLY, do_socket_packet, KILLED_SIGSYS);
	expect(OS_ROLE_APPLY, do_ptrace, KILLED_SIGSYS);
}

static void test_supervisor_signals_only(void **state)
{
	(void)state;
	expect(OS_ROLE_SUPERVISOR, do_kill_self_probe, OK_EXIT);
	expect(OS_ROLE_SUPERVISOR, do_socket_unix_refused, OK_EXIT);
	expect(OS_ROLE_SUPERVISOR, do_open_passwd, KILLED_SIGSYS);
	expect(OS_ROLE_SUPERVISOR, do_fork, KILLED_SIGSYS);
	expect(OS_ROLE_SUPERVISOR, do_socket_inet, KILLED_SIGSYS);
}

/* --sandbox-debug: the call is named on stderr, then a distinct exit. */
static void test_debug_names_the_syscall(void **state)
{
	char err[512];
	(void)state;
	assert_int_equal(run(OS_ROLE_ENGINE, SANDBOX_TRAP, do_open_passwd, err, sizeof(err)),
			 TRAPPED);
	assert_non_null(strstr(err, "lessee[engine]: sandbox: syscall open"));
	assert_non_null(strstr(err, "is not in its allowlist"));
	assert_int_equal(run(OS_ROLE_NET, SANDBOX_TRAP, do_ptrace, err, sizeof(err)), TRAPPED);
	assert_non_null(strstr(err, "syscall ptrace ("));
	assert_int_equal(run(OS_ROLE_NET, SANDBOX_TRAP, do_write, err, sizeof(err)), OK_EXIT);
}

static void test_sizes_and_bad_role(void **state)
{
	const char *why = NULL;
	(void)state;
	size_t engine = sandbox_allowlist_size(OS_ROLE_ENGINE);
	assert_true(engine > 10 && engine < 50);
	assert_true(sandbox_allowlist_size(OS_ROLE_APPLY) > engine);
	assert_true(sandbox_allowlist_size(OS_ROLE_NET) > 0);
	assert_true(sandbox_allowlist_size(OS_ROLE_SUPERVISOR) > 0);
	assert_int_equal(sandbox_allowlist_size((enum os_role)0), 0);
	assert_false(sandbox_enforced());
	assert_int_equal(sandbox_apply((enum os_role)0, 0, &why), -EINVAL);
	assert_non_null(why);
	assert_false(sandbox_enforced());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_forbidden_calls_kill),
		cmocka_unit_test(test_net_cannot_open_or_make_sockets),
		cmocka_unit_test(test_apply_files_but_no_exec),
		cmocka_unit_test(test_supervisor_signals_only),
		cmocka_unit_test(test_debug_names_the_syscall),
		cmocka_unit_test(test_sizes_and_bad_role),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
