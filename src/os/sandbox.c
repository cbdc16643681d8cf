/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The per-role seccomp filters. Each list is what the role does after its
 * privilege drop, found by reading the code and checked by tracing the whole
 * lease cycle in the lab (tests/net runs every test under these filters):
 *
 *   every role  read/write/close on fds it already holds, its event loop
 *               (epoll, the IPC socket pair's sendmsg/recvmsg), the clock,
 *               memory (mmap and mprotect never with PROT_EXEC), exit.
 *   engine      + getrandom (its PRNG seed), timerfd_settime (its deadline).
 *               No open, no socket, no exec, no fork, no signal to others.
 *   net         nothing more: sendto/recvfrom on the packet, UDP and
 *               rtnetlink sockets it opened before the drop. No open, no
 *               new socket.
 *   apply       + the lease file and resolv.conf (openat, fsync, rename,
 *               unlink, fchmod, ftruncate, lseek, fstat), rtnetlink on the
 *               socket it holds. It never forks: the -sf hook runs from a
 *               runner forked before this filter (src/lessee/hookrun.c).
 *   supervisor  + kill and wait4 (stopping and reaping the roles), poll
 *               (waiting for them, bounded), unlink (its pid file).
 *
 * socket(AF_UNIX) fails with EACCES instead of killing (every role):
 * glibc's syslog(3) reconnects that way after syslogd restarts, or on each
 * line when there was no /dev/log at start, and losing a log line is better
 * than losing the daemon. Any other family is a kill; connect is not
 * allowed at all.
 */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sandbox.h"

#define LIST(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const char *const *const base_calls = LIST(
	"read", "write", "close", "exit", "exit_group", "rt_sigreturn", "restart_syscall",
	"clock_gettime", "clock_nanosleep", "nanosleep", "gettimeofday", "getpid", "gettid",
	"epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait", "epoll_pwait2",
	"sendmsg", "recvmsg", "sendto", "recvfrom",
	"brk", "munmap", "mremap", "madvise", "futex", "rt_sigprocmask");

static const char *const *const engine_calls = LIST("getrandom", "timerfd_settime");

/* Its sockets and their filter are set up before the drop. */
static const char *const *const net_calls = LIST(NULL);

static const char *const *const apply_calls = LIST(
	"openat", "fsync", "fdatasync", "rename", "renameat", "renameat2", "unlink", "unlinkat",
	"fchmod", "ftruncate", "lseek", "fstat", "newfstatat", "statx", "getrandom");

static const char *const *const supervisor_calls = LIST(
	"kill", "wait4", "waitid", "unlink", "unlinkat", "poll", "ppoll");

#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_ASAN 1
#endif
#endif

#ifdef SANDBOX_ASAN
/* ASan's runtime (sanitizer builds only: the tests). Never open or exec:
 * a report it cannot symbolize still ends the role, with its first line. */
static const char *const *const sanitizer_calls = LIST(
	"sigaltstack", "sched_yield", "prlimit64", "getppid", "rt_sigaction", "tgkill");
#else
static const char *const *const sanitizer_calls = LIST(NULL);
#endif

/*
 * LESSEE_SANDBOX is 0 only in a -Dsandbox=false build (src/os/meson.build),
 * made to run the daemon under valgrind (tests/net/hostile/test_valgrind.py)
 * and for nothing else. valgrind cannot run a sandboxed role: it has no
 * seccomp(2) wrapper (seccomp_init fails), it writes the code it runs at
 * run time (PROT_EXEC mappings), it keeps descriptors of its own above the
 * limit and refuses a new RLIMIT_NOFILE hard limit, and an execve of
 * /proc/self/exe, which names valgrind's own tool inside it, would start
 * the tool instead of lessee. Such a build says so on every start.
 */
#ifndef LESSEE_SANDBOX
#error "LESSEE_SANDBOX comes from src/os/meson.build"
#endif

static bool enforced;
static enum os_role trap_role;

static const char *const *role_calls(enum os_role role)
{
	switch (role) {
	case OS_ROLE_ENGINE:
		return engine_calls;
	case OS_ROLE_NET:
		return net_calls;
	case OS_ROLE_APPLY:
		return apply_calls;
	case OS_ROLE_SUPERVISOR:
		return supervisor_calls;
	}
	return NULL;
}

static int allow_list(scmp_filter_ctx ctx, const char *const *names)
{
	for (size_t i = 0; names[i]; i++) {
		int nr = seccomp_syscall_resolve_name(names[i]);
		if (nr == __NR_SCMP_ERROR)
			continue; /* not on this architecture (e.g. epoll_wait on arm64) */
		int r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
		if (r < 0 && r != -EEXIST) /* EEXIST: named in two lists */
			return r;
	}
	return 0;
}

/* mmap and mprotect, but never executable: no new code after start-up. */
static int allow_no_exec(scmp_filter_ctx ctx)
{
	int r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
				 SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
				     SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	return r;
}

/* syslog(3)'s reconnect fails softly; every other socket kills. */
static int soft_unix_socket(scmp_filter_ctx ctx)
{
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 1,
				SCMP_A0(SCMP_CMP_EQ, AF_UNIX));
}

static int build(scmp_filter_ctx ctx, enum os_role role)
{
	int r = allow_list(ctx, base_calls);

	if (r == 0)
		r = allow_list(ctx, role_calls(role));
	if (r == 0)
		r = allow_list(ctx, sanitizer_calls);
	if (r == 0)
		r = allow_no_exec(ctx);
	if (r == 0)
		r = soft_unix_socket(ctx);
	return r;
}

/* --sandbox-debug: name the syscall, then exit. Only write and _exit here,
 * both in every list; the name lookup allocates, which is fine as nothing
 * runs after it. */
static void on_sigsys(int sig, siginfo_t *info, void *uctx)
{
	char line[160];
	int nr = info->si_syscall;
	char *name = seccomp_syscall_resolve_num_arch(info->si_arch, nr);
	(void)sig;
	(void)uctx;
	int n = snprintf(line, sizeof(line), "lessee[%s]: sandbox: syscall %s (%d) is not in "
			 "its allowlist\n", os_role_name(trap_role), name ? name : "?", nr);
	if (n > 0)
		(void)!write(STDERR_FILENO, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line));
	_exit(SANDBOX_TRAP_EXIT);
}

static int install_trap_handler(enum os_role role)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	trap_role = role;
	return sigaction(SIGSYS, &sa, NULL) == 0 ? 0 : -errno;
}

int sandbox_apply(enum os_role role, unsigned flags, const char **why)
{
	int r;

	if (role_calls(role) == NULL) {
		*why = "no such role";
		return -EINVAL;
	}
	if (!LESSEE_SANDBOX) {
		fprintf(stderr, "lessee[%s]: sandbox: OFF: built with -Dsandbox=false, for valgrind "
			"only; no seccomp filter, no descriptor limit\n", os_role_name(role));
		return 0;
	}
	if ((flags & SANDBOX_TRAP) && (r = install_trap_handler(role)) < 0) {
		*why = "sigaction(SIGSYS) for --sandbox-debug failed";
		return r;
	}
	scmp_filter_ctx ctx = seccomp_init((flags & SANDBOX_TRAP) ? SCMP_ACT_TRAP
								   : SCMP_ACT_KILL_PROCESS);
	if (ctx == NULL) {
		*why = "seccomp_init failed";
		return -ENOMEM;
	}
	r = build(ctx, role);
	if (r < 0)
		*why = "a seccomp rule was refused";
	else if ((r = seccomp_load(ctx)) < 0)
		*why = "seccomp_load failed (no seccomp in this kernel?)";
	seccomp_release(ctx);
	/* Building the filter is the last allocation of a role's start-up;
	 * give its heap back (about 35 KiB per process, bench/peers). Not
	 * under ASan: its own allocator served that, and glibc's malloc, never
	 * used, would initialize itself here (getrandom, outside the list). */
#ifndef SANDBOX_ASAN
	malloc_trim(0);
#endif
	if (r == 0)
		enforced = true;
	return r;
}

bool sandbox_enforced(void)
{
	return enforced;
}

bool sandbox_built(void)
{
	return LESSEE_SANDBOX;
}

const char *sandbox_role_exe(void)
{
	static char path[PATH_MAX];

	if (LESSEE_SANDBOX)
		return "/proc/self/exe";
	/* valgrind answers this readlink with the program it runs. */
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (n <= 0)
		return "/proc/self/exe";
	path[n] = '\0';
	return path;
}

static size_t count_existing(const char *const *names)
{
	size_t n = 0;
	for (size_t i = 0; names && names[i]; i++)
		n += seccomp_syscall_resolve_name(names[i]) != __NR_SCMP_ERROR;
	return n;
}

size_t sandbox_allowlist_size(enum os_role role)
{
	if (role_calls(role) == NULL)
		return 0;
	/* + mmap and mprotect (no PROT_EXEC), as build() adds them */
	return count_existing(base_calls) + count_existing(role_calls(role)) + 2;
}
