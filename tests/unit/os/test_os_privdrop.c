/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * src/os/privdrop: each role's drop runs in a forked child; the parent then
 * reads the child's /proc/PID/status (Uid, Gid, Groups, Cap*, NoNewPrivs)
 * and /proc/PID/root, and the child checks what it can and cannot do. The
 * empty directory lives in a temporary directory; user creation runs with
 * /etc on a throw-away overlay in a private mount namespace.
 */
#define _GNU_SOURCE   /* unshare(2) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nstest.h"
#include "os/netlink.h"
#include "os/privdrop.h"

#define NOBODY 65534u
#define BIT(cap) (UINT64_C(1) << (cap))
#define TEST_USER "lesseeunittest"

static char tmpdir[64];
static char emptydir[PATH_MAX];

/* In a child: report the failed check on stderr and exit with its line. */
#define CHILD_CHECK(cond)                                                        \
	do {                                                                     \
		if (!(cond)) {                                                   \
			fprintf(stderr, "child: check failed at line %d: %s\n",   \
				__LINE__, #cond);                                \
			_exit(__LINE__ % 250 + 1);                               \
		}                                                                \
	} while (0)

static int group_setup(void **state)
{
	(void)state;
	memcpy(tmpdir, "/tmp/lessee-os-privdrop-XXXXXX", 31);
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(emptydir, sizeof emptydir, "%s/run/empty", tmpdir);
	return 0;
}

static int group_teardown(void **state)
{
	char run[PATH_MAX];

	(void)state;
	snprintf(run, sizeof run, "%s/run", tmpdir);
	rmdir(emptydir);
	rmdir(run);
	return rmdir(tmpdir) == 0 ? 0 : -1;
}

/* ---- a child that drops, waits while the parent looks, then goes on ----- */

struct child {
	pid_t pid;
	int ready;    /* child -> parent: 1 byte once dropped */
	int go;       /* parent -> child: 1 byte to continue */
};

typedef void (*child_fn)(int go_fd);

static struct child child_start(child_fn fn)
{
	int ready[2], go[2];
	struct child c;

	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	c.pid = fork();
	assert_true(c.pid >= 0);
	if (c.pid == 0) {
		close(ready[0]);
		close(go[1]);
		/* Only the fds the child needs stay open across its checks. */
		dup2(ready[1], 100);
		close(ready[1]);
		fn(go[0]);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	c.ready = ready[0];
	c.go = go[1];
	return c;
}

/* In the child: tell the parent we are dropped, wait for its byte. */
static char child_pause(int go_fd)
{
	char b = 'r';

	CHILD_CHECK(write(100, &b, 1) == 1);
	CHILD_CHECK(read(go_fd, &b, 1) == 1);
	return b;
}

static void child_wait_ready(const struct child *c)
{
	char b;

	assert_true(nstest_readable(c->ready, 10000));
	assert_int_equal(read(c->ready, &b, 1), 1);
}

static void child_finish(const struct child *c, char what)
{
	int status = 0;

	assert_int_equal(write(c->go, &what, 1), 1);
	assert_int_equal(waitpid(c->pid, &status, 0), c->pid);
	close(c->go);
	close(c->ready);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- /proc/PID/status ------------------------------------------------------- */

struct procstat {
	unsigned long uid[4], gid[4];
	uint64_t inh, prm, eff, bnd, amb;
	int nnp;
	bool no_groups;
};

static void parse_status(const char *text, struct procstat *p)
{
	const char *l;

	memset(p, 0, sizeof *p);
	p->nnp = -1;
	assert_non_null(l = strstr(text, "\nUid:"));
	assert_int_equal(sscanf(l, "\nUid: %lu %lu %lu %lu", &p->uid[0], &p->uid[1],
				&p->uid[2], &p->uid[3]), 4);
	assert_non_null(l = strstr(text, "\nGid:"));
	assert_int_equal(sscanf(l, "\nGid: %lu %lu %lu %lu", &p->gid[0], &p->gid[1],
				&p->gid[2], &p->gid[3]), 4);
	assert_non_null(l = strstr(text, "\nGroups:"));
	l += strlen("\nGroups:");
	l += strspn(l, " \t");
	p->no_groups = *l == '\n';
	assert_non_null(l = strstr(text, "\nCapInh:"));
	assert_int_equal(sscanf(l, "\nCapInh: %lx\nCapPrm: %lx\nCapEff: %lx\nCapBnd: %lx\n"
				"CapAmb: %lx", &p->inh, &p->prm, &p->eff, &p->bnd, &p->amb), 5);
	assert_non_null(l = strstr(text, "\nNoNewPrivs:"));
	assert_int_equal(sscanf(l, "\nNoNewPrivs: %d", &p->nnp), 1);
}

static void read_all(int fd, char *buf, size_t cap)
{
	size_t used = 0;
	ssize_t n;

	while (used + 1 < cap && (n = read(fd, buf + used, cap - 1 - used)) > 0)
		used += (size_t)n;
	buf[used] = '\0';
}

static void proc_status(pid_t pid, struct procstat *p)
{
	char path[64], text[8192];

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	read_all(fd, text, sizeof text);
	close(fd);
	parse_status(text, p);
}

static void proc_root(pid_t pid, char *out, size_t cap)
{
	char path[64];

	snprintf(path, sizeof path, "/proc/%d/root", (int)pid);
	ssize_t n = readlink(path, out, cap - 1);
	assert_true(n > 0);
	out[n] = '\0';
}

static void expect_ids(const struct procstat *p, unsigned long uid, unsigned long gid)
{
	for (int i = 0; i < 4; i++) {
		assert_int_equal(p->uid[i], uid);   /* real, effective, saved, fs */
		assert_int_equal(p->gid[i], gid);
	}
	assert_true(p->no_groups);
}

static void expect_caps(const struct procstat *p, uint64_t keep)
{
	assert_int_equal(p->eff, keep);
	assert_int_equal(p->prm, keep);
	assert_int_equal(p->bnd, keep);
	assert_int_equal(p->inh, 0);
	assert_int_equal(p->amb, 0);
	assert_int_equal(p->nnp, 1);
}

/* ---- the drop, per role ----------------------------------------------------- */

static void drop_as(enum os_role role)
{
	struct privdrop_ids ids = { .uid = NOBODY, .gid = NOBODY, .fallback = true };
	struct privdrop_plan plan;
	const char *why = NULL;
	const gid_t groups[] = { 4, 27 };

	/* Start with supplementary groups, so that their removal shows. */
	CHILD_CHECK(setgroups(2, groups) == 0 && getgroups(0, NULL) == 2);
	CHILD_CHECK(privdrop_plan_for(role, &ids, emptydir, &plan) == 0);
	int err = privdrop_run(&plan, &why);
	if (err != 0)
		fprintf(stderr, "child: privdrop_run: %s: %s\n", why, strerror(-err));
	CHILD_CHECK(err == 0);
	CHILD_CHECK(privdrop_verify(&plan, &why) == 0);
}

static void engine_child(int go)
{
	drop_as(OS_ROLE_ENGINE);
	/* No raw sockets, no files, no new processes. */
	CHILD_CHECK(socket(AF_PACKET, SOCK_RAW, 0) < 0 && errno == EPERM);
	CHILD_CHECK(open("/etc/passwd", O_RDONLY) < 0 && errno == ENOENT);
	CHILD_CHECK(fork() < 0 && errno == EAGAIN);
	CHILD_CHECK(chroot("/") < 0 && errno == EPERM);
	CHILD_CHECK(mkdir("/x", 0700) < 0 && errno == EACCES);
	child_pause(go);
}

static void net_child(int go)
{
	drop_as(OS_ROLE_NET);
	int s = socket(AF_PACKET, SOCK_RAW, 0);
	CHILD_CHECK(s >= 0);                                  /* CAP_NET_RAW kept */
	close(s);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(68) };
	CHILD_CHECK(bind(s, (struct sockaddr *)&sin, sizeof sin) < 0 && errno == EACCES);
	close(s);
	CHILD_CHECK(open("/etc/passwd", O_RDONLY) < 0 && errno == ENOENT);
	CHILD_CHECK(fork() < 0 && errno == EAGAIN);
	child_pause(go);
}

/* After the parent looked: exec cat on our own status, stdout to fd 101. */
static void apply_child(int go)
{
	static struct nl_conn nl;

	drop_as(OS_ROLE_APPLY);
	CHILD_CHECK(nl_open(&nl, 0) == 0);
	CHILD_CHECK(nl_link_set_mtu(&nl, 1, 65000) == 0);     /* CAP_NET_ADMIN kept */
	nl_close(&nl);
	CHILD_CHECK(socket(AF_PACKET, SOCK_RAW, 0) < 0 && errno == EPERM);
	CHILD_CHECK(chroot("/") < 0 && errno == EPERM);
	CHILD_CHECK(access("/etc/passwd", R_OK) == 0);       /* still sees the system */
	if (child_pause(go) == 'e') {
		char *const argv[] = { "cat", "/proc/self/status", NULL };
		char *const envp[] = { NULL };
		CHILD_CHECK(dup2(101, 1) == 1);
		execve("/bin/cat", argv, envp);
		_exit(127);
	}
}

/* Once the roles run: CAP_KILL to stop them, nothing to change the system. */
static void supervisor_child(int go)
{
	static struct nl_conn nl;

	/* A process of another uid, like the engine: stopping it needs CAP_KILL. */
	pid_t other = fork();
	CHILD_CHECK(other >= 0);
	if (other == 0) {
		if (setresuid(NOBODY, NOBODY, NOBODY) != 0)
			_exit(1);
		pause();
		_exit(0);
	}
	drop_as(OS_ROLE_SUPERVISOR);
	usleep(20000);   /* let it take its uid */
	CHILD_CHECK(kill(other, SIGKILL) == 0);               /* CAP_KILL kept */
	int status = 0;
	CHILD_CHECK(waitpid(other, &status, 0) == other);
	CHILD_CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	CHILD_CHECK(nl_open(&nl, 0) == 0);
	CHILD_CHECK(nl_link_set_mtu(&nl, 1, 65000) == -EPERM);
	nl_close(&nl);
	CHILD_CHECK(socket(AF_PACKET, SOCK_RAW, 0) < 0 && errno == EPERM);
	CHILD_CHECK(chroot("/") < 0 && errno == EPERM);
	child_pause(go);
}

static void test_empty_dir_prepared(void **state)
{
	struct stat st;
	const char *why = NULL;

	(void)state;
	assert_int_equal(privdrop_empty_dir(emptydir, &why), 0);
	assert_int_equal(privdrop_empty_dir(emptydir, &why), 0);   /* again: fine */
	assert_int_equal(lstat(emptydir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0755);
	assert_int_equal(st.st_uid, 0);
}

static void test_drop_engine(void **state)
{
	struct procstat p;
	char root[PATH_MAX];

	(void)state;
	assert_int_equal(privdrop_empty_dir(emptydir, NULL), 0);
	struct child c = child_start(engine_child);
	child_wait_ready(&c);
	proc_status(c.pid, &p);
	expect_ids(&p, NOBODY, NOBODY);
	expect_caps(&p, 0);
	proc_root(c.pid, root, sizeof root);
	assert_string_equal(root, emptydir);
	child_finish(&c, 'x');
}

static void test_drop_net(void **state)
{
	struct procstat p;
	char root[PATH_MAX];

	(void)state;
	assert_int_equal(privdrop_empty_dir(emptydir, NULL), 0);
	struct child c = child_start(net_child);
	child_wait_ready(&c);
	proc_status(c.pid, &p);
	expect_ids(&p, NOBODY, NOBODY);
	expect_caps(&p, BIT(CAP_NET_RAW));
	proc_root(c.pid, root, sizeof root);
	assert_string_equal(root, emptydir);
	child_finish(&c, 'x');
}

static void test_drop_apply_and_its_hooks(void **state)
{
	struct procstat p;
	char root[PATH_MAX], text[8192];
	int out[2];

	(void)state;
	assert_int_equal(pipe(out), 0);
	assert_int_equal(dup2(out[1], 101), 101);
	close(out[1]);
	struct child c = child_start(apply_child);
	close(101);
	child_wait_ready(&c);
	proc_status(c.pid, &p);
	expect_ids(&p, 0, 0);
	expect_caps(&p, BIT(CAP_NET_ADMIN));
	proc_root(c.pid, root, sizeof root);
	assert_string_equal(root, "/");
	/* What a hook it runs gets: uid 0 but CAP_NET_ADMIN at most. */
	child_finish(&c, 'e');
	read_all(out[0], text, sizeof text);
	close(out[0]);
	parse_status(text, &p);
	expect_ids(&p, 0, 0);
	expect_caps(&p, BIT(CAP_NET_ADMIN));
}

static void test_drop_supervisor(void **state)
{
	struct procstat p;

	(void)state;
	struct child c = child_start(supervisor_child);
	child_wait_ready(&c);
	proc_status(c.pid, &p);
	expect_ids(&p, 0, 0);
	expect_caps(&p, BIT(CAP_KILL));
	child_finish(&c, 'x');
}

/* ---- the steps fail loudly -------------------------------------------------- */

static void fail_child(int go)
{
	const int raw[] = { CAP_NET_RAW };
	char open_dir[PATH_MAX];
	const char *why = NULL;
	struct privdrop_ids ids = { .uid = NOBODY, .gid = NOBODY };
	struct privdrop_plan plan;

	(void)go;
	/* Verifying before dropping: refused, with a reason. */
	CHILD_CHECK(privdrop_plan_for(OS_ROLE_ENGINE, &ids, emptydir, &plan) == 0);
	CHILD_CHECK(privdrop_verify(&plan, &why) == -EPERM && why != NULL);
	/* A directory others may write to is no jail. */
	snprintf(open_dir, sizeof open_dir, "%s/open", tmpdir);
	CHILD_CHECK(mkdir(open_dir, 0755) == 0 && chmod(open_dir, 01777) == 0);
	why = NULL;
	CHILD_CHECK(privdrop_chroot(open_dir, &why) == -EPERM && why != NULL);
	CHILD_CHECK(rmdir(open_dir) == 0);
	CHILD_CHECK(privdrop_chroot("relative", &why) == -EINVAL);
	CHILD_CHECK(privdrop_chroot("/nonexistent-lessee", &why) == -ENOENT);
	/* A capability already gone from the bounding set cannot be kept. */
	CHILD_CHECK(prctl(PR_CAPBSET_DROP, CAP_NET_RAW, 0, 0, 0) == 0);
	why = NULL;
	CHILD_CHECK(privdrop_bounding(raw, 1, &why) == -EPERM && why != NULL);
	/* Without PR_SET_KEEPCAPS the uid change takes every capability. */
	CHILD_CHECK(privdrop_ids(NOBODY, NOBODY, false, &why) == 0);
	why = NULL;
	CHILD_CHECK(privdrop_caps(raw, 1, &why) == -EPERM && why != NULL);
	CHILD_CHECK(privdrop_caps(NULL, 0, &why) == 0);
	const int bad[] = { 99 };
	CHILD_CHECK(privdrop_caps(bad, 1, &why) == -EINVAL);
}

static void test_steps_fail_loudly(void **state)
{
	int status = 0;

	(void)state;
	assert_int_equal(privdrop_empty_dir(emptydir, NULL), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		fail_child(-1);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_empty_dir_refusals(void **state)
{
	char path[PATH_MAX], file[PATH_MAX + 8], link[PATH_MAX];
	const char *why = NULL;

	(void)state;
	snprintf(path, sizeof path, "%s/full", tmpdir);
	snprintf(file, sizeof file, "%s/f", path);
	snprintf(link, sizeof link, "%s/link", tmpdir);
	assert_int_equal(mkdir(path, 0755), 0);
	int fd = open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(privdrop_empty_dir(path, &why), -ENOTEMPTY);
	assert_non_null(why);
	assert_int_equal(unlink(file), 0);
	assert_int_equal(chmod(path, 0777), 0);
	assert_int_equal(privdrop_empty_dir(path, &why), -EPERM);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(privdrop_empty_dir(link, &why), -ENOTDIR);
	assert_int_equal(unlink(link), 0);
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(privdrop_empty_dir("relative/dir", &why), -EINVAL);
	assert_int_equal(privdrop_empty_dir("/", &why), -EINVAL);
	assert_int_equal(privdrop_empty_dir("/nonexistent-lessee/a/b", &why), -ENOENT);
}

/* ---- the user --------------------------------------------------------------- */

static void test_user_resolve(void **state)
{
	struct privdrop_ids ids;
	const char *why = NULL;

	(void)state;
	assert_int_equal(privdrop_user_resolve("nobody", false, &ids, &why), 0);
	assert_int_equal(ids.uid, NOBODY);
	assert_false(ids.fallback);
	/* Missing, and not to be created: nobody:nogroup, flagged. */
	assert_null(getpwnam("lesseenosuchuser"));
	assert_int_equal(privdrop_user_resolve("lesseenosuchuser", false, &ids, &why), 0);
	assert_int_equal(ids.uid, PRIVDROP_FALLBACK_UID);
	assert_int_equal(ids.gid, PRIVDROP_FALLBACK_GID);
	assert_true(ids.fallback);
	/* An "unprivileged" user that is root is refused. */
	assert_int_equal(privdrop_user_resolve("root", false, &ids, &why), -EPERM);
	assert_non_null(why);
	assert_int_equal(privdrop_user_resolve("Bad;name", true, &ids, &why), -EINVAL);
	assert_int_equal(privdrop_user_resolve("", true, &ids, &why), -EINVAL);
	assert_int_equal(privdrop_user_create("-rf", &why), -EINVAL);
}

/* In a private mount namespace: /etc on an overlay, /var/log on tmpfs. */
static void private_etc(const char *ovl)
{
	char opts[512], upper[160], work[160];
	struct stat st;

	CHILD_CHECK(unshare(CLONE_NEWNS) == 0);
	CHILD_CHECK(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0);
	CHILD_CHECK(mount("tmpfs", ovl, "tmpfs", 0, "mode=0700") == 0);
	snprintf(upper, sizeof upper, "%s/upper", ovl);
	snprintf(work, sizeof work, "%s/work", ovl);
	CHILD_CHECK(mkdir(upper, 0755) == 0 && mkdir(work, 0700) == 0);
	snprintf(opts, sizeof opts, "lowerdir=/etc,upperdir=%s,workdir=%s", upper, work);
	CHILD_CHECK(mount("overlay", "/etc", "overlay", 0, opts) == 0);
	CHILD_CHECK(mount("tmpfs", "/var/log", "tmpfs", 0, "mode=0755") == 0);
	/* useradd(8) logs to syslog: let it talk to nothing. */
	if (lstat("/dev/log", &st) == 0)
		CHILD_CHECK(mount("/dev/null", "/dev/log", NULL, MS_BIND, NULL) == 0);
}

static void test_user_created_when_missing(void **state)
{
	char ovl[128];
	int status = 0;

	(void)state;
	assert_null(getpwnam(TEST_USER));
	snprintf(ovl, sizeof ovl, "%s/ovl", tmpdir);
	assert_int_equal(mkdir(ovl, 0700), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct privdrop_ids ids;
		const char *why = NULL;
		private_etc(ovl);
		CHILD_CHECK(getpwnam(TEST_USER) == NULL);
		int err = privdrop_user_resolve(TEST_USER, true, &ids, &why);
		if (err != 0)
			fprintf(stderr, "child: %s: %s\n", why, strerror(-err));
		CHILD_CHECK(err == 0 && !ids.fallback);
		struct passwd *pw = getpwnam(TEST_USER);
		CHILD_CHECK(pw != NULL && pw->pw_uid == ids.uid && ids.uid != 0);
		CHILD_CHECK(strcmp(pw->pw_shell, "/usr/sbin/nologin") == 0);
		CHILD_CHECK(strcmp(pw->pw_dir, "/nonexistent") == 0);
		struct group *gr = getgrgid(ids.gid);
		CHILD_CHECK(gr != NULL && strcmp(gr->gr_name, TEST_USER) == 0);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(rmdir(ovl), 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* The host's /etc never saw it. */
	assert_null(getpwnam(TEST_USER));
}

static void test_plans(void **state)
{
	struct privdrop_ids ids = { .uid = 999, .gid = 998 };
	struct privdrop_plan p;

	(void)state;
	assert_int_equal(privdrop_plan_for(OS_ROLE_ENGINE, &ids, emptydir, &p), 0);
	assert_int_equal(p.uid, 999);
	assert_int_equal(p.n_caps, 0);
	assert_string_equal(p.root, emptydir);
	/* RLIMIT_FSIZE 0, unless stderr is a regular file (a log). */
	struct stat st;
	bool file_stderr = fstat(STDERR_FILENO, &st) == 0 && S_ISREG(st.st_mode);
	bool fsize_zero = false;
	for (size_t i = 0; i < p.n_rlimits; i++)
		fsize_zero |= p.rlimits[i].resource == RLIMIT_FSIZE && p.rlimits[i].value == 0;
	assert_true(fsize_zero != file_stderr);
	int saved = dup(STDERR_FILENO), pipefd[2];
	assert_true(saved >= 0 && pipe(pipefd) == 0);
	assert_int_equal(dup2(pipefd[1], STDERR_FILENO), STDERR_FILENO);
	assert_int_equal(privdrop_plan_for(OS_ROLE_ENGINE, &ids, emptydir, &p), 0);
	assert_int_equal(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	close(saved);
	close(pipefd[0]);
	close(pipefd[1]);
	assert_int_equal(p.n_rlimits, 4);
	assert_int_equal(p.rlimits[3].resource, RLIMIT_FSIZE);
	assert_int_equal(p.rlimits[3].value, 0);
	assert_int_equal(privdrop_plan_for(OS_ROLE_NET, &ids, emptydir, &p), 0);
	assert_int_equal(p.n_caps, 1);
	assert_int_equal(p.caps[0], CAP_NET_RAW);
	assert_int_equal(privdrop_plan_for(OS_ROLE_APPLY, &ids, emptydir, &p), 0);
	assert_int_equal(p.uid, 0);
	assert_null(p.root);
	assert_int_equal(p.caps[0], CAP_NET_ADMIN);
	assert_int_equal(privdrop_plan_for(OS_ROLE_SUPERVISOR, &ids, emptydir, &p), 0);
	assert_int_equal(p.uid, 0);
	assert_null(p.root);
	assert_int_equal(p.n_caps, 1);
	assert_int_equal(p.caps[0], CAP_KILL);
	assert_int_equal(privdrop_plan_for((enum os_role)0, &ids, emptydir, &p), -EINVAL);
}

static void test_role_names(void **state)
{
	(void)state;
	assert_string_equal(os_role_name(OS_ROLE_NET), "net");
	assert_string_equal(os_role_name(OS_ROLE_ENGINE), "engine");
	assert_string_equal(os_role_name(OS_ROLE_APPLY), "apply");
	assert_string_equal(os_role_name(OS_ROLE_SUPERVISOR), "supervisor");
	assert_null(os_role_name((enum os_role)0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_dir_prepared),
		cmocka_unit_test(test_drop_engine),
		cmocka_unit_test(test_drop_net),
		cmocka_unit_test(test_drop_apply_and_its_hooks),
		cmocka_unit_test(test_drop_supervisor),
		cmocka_unit_test(test_steps_fail_loudly),
		cmocka_unit_test(test_empty_dir_refusals),
		cmocka_unit_test(test_user_resolve),
		cmocka_unit_test(test_user_created_when_missing),
		cmocka_unit_test(test_plans),
		cmocka_unit_test(test_role_names),
	};

	nstest_enter("test_os_privdrop");
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
