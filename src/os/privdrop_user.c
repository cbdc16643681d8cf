/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Start-up preparation for the privilege drop, done once in the parent:
 * the unprivileged user, the empty directory, and the per-role plans.
 * The policy behind them is described in privdrop.h.
 */
#include <dirent.h>
#include <limits.h>
#include <linux/capability.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "oserr.h"
#include "privdrop.h"
#include "sandbox.h"

#define NAME_MAX_LEN 31u        /* useradd(8): at most 32 bytes */
#define USERADD_EXISTS 9        /* useradd(8) EXIT VALUES: name in use */
#define NOFILE_UNPRIVILEGED 32u /* IPC, epoll, timer, signal, sockets */

static int fail(const char **why, const char *reason, int err)
{
	if (why != NULL)
		*why = reason;
	return err;
}

/* useradd(8) NOTES: a lower-case letter or underscore, then [a-z0-9_-]. */
static bool user_name_ok(const char *name)
{
	size_t n = name != NULL ? strnlen(name, NAME_MAX_LEN + 1) : 0;

	if (n == 0 || n > NAME_MAX_LEN)
		return false;
	if (!((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++) {
		char ch = name[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' ||
		      ch == '-'))
			return false;
	}
	return true;
}

static int spawn_wait(pid_t pid, const char **why)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return fail(why, "waitpid for useradd failed", os_errno());
	}
	if (!WIFEXITED(status))
		return fail(why, "useradd was killed", -EIO);
	if (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == USERADD_EXISTS)
		return 0;
	if (WEXITSTATUS(status) == 127)
		return fail(why, "useradd could not be run", -ENOENT);
	return fail(why, "useradd failed", -EIO);
}

int privdrop_user_create(const char *name, const char **why)
{
	char name_buf[NAME_MAX_LEN + 1];
	char *const argv[] = {
		"useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
		"--shell", "/usr/sbin/nologin", "--user-group", "--comment",
		"lessee DHCP client", name_buf, NULL,
	};
	char *const envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	posix_spawnattr_t attr;
	sigset_t none;
	pid_t pid;

	if (!user_name_ok(name))
		return fail(why, "not a valid user name", -EINVAL);
	memcpy(name_buf, name, strlen(name) + 1);
	/* The signal mask survives execve (signal(7)): start useradd with
	 * none blocked, whatever the event loop has blocked. */
	sigemptyset(&none);
	int err = posix_spawnattr_init(&attr);
	if (err == 0)
		err = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	if (err == 0)
		err = posix_spawnattr_setsigmask(&attr, &none);
	if (err == 0)
		err = posix_spawn(&pid, PRIVDROP_USERADD, NULL, &attr, argv, envp);
	posix_spawnattr_destroy(&attr);
	if (err != 0)
		return fail(why, "cannot start useradd", -err);
	return spawn_wait(pid, why);
}

static int user_lookup(const char *name, struct privdrop_ids *ids, const char **why)
{
	/* getpwnam(3) returns NULL both for "no such user" and for errors
	 * of the name service; either way there is no entry to use. */
	struct passwd *pw = getpwnam(name);

	if (pw == NULL)
		return -ENOENT;
	if (pw->pw_uid == 0 || pw->pw_gid == 0)
		return fail(why, "the unprivileged user has uid or gid 0", -EPERM);
	ids->uid = pw->pw_uid;
	ids->gid = pw->pw_gid;
	ids->fallback = false;
	return 0;
}

int privdrop_user_resolve(const char *name, bool create, struct privdrop_ids *ids,
			  const char **why)
{
	if (!user_name_ok(name))
		return fail(why, "not a valid user name", -EINVAL);
	int err = user_lookup(name, ids, why);
	if (err != -ENOENT)
		return err;
	if (create && privdrop_user_create(name, NULL) == 0) {
		err = user_lookup(name, ids, why);
		if (err != -ENOENT)
			return err;
	}
	ids->uid = PRIVDROP_FALLBACK_UID;
	ids->gid = PRIVDROP_FALLBACK_GID;
	ids->fallback = true;
	return 0;
}

/* ---- the empty directory ------------------------------------------------ */

/* Root's directory, closed to group and others, not a symlink. */
static int dir_safe(const char *path, const char **why)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return fail(why, "cannot stat the empty directory", os_errno());
	if (!S_ISDIR(st.st_mode))
		return fail(why, "the empty directory path is not a directory", -ENOTDIR);
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		return fail(why, "the empty directory is not root's or is writable by others",
			    -EPERM);
	return 0;
}

static int dir_make(const char *path, const char **why)
{
	if (mkdir(path, 0755) == 0) {
		/* mkdir(2) applies the umask; say exactly what we mean. */
		if (chmod(path, 0755) < 0)
			return fail(why, "cannot chmod the empty directory", os_errno());
	} else if (errno != EEXIST) {
		return fail(why, "cannot create the empty directory", os_errno());
	}
	return dir_safe(path, why);
}

int privdrop_dir_empty(const char *path, const char **why)
{
	DIR *d = opendir(path);
	int err = 0;

	if (d == NULL)
		return fail(why, "cannot open the empty directory", os_errno());
	for (struct dirent *e = readdir(d); e != NULL; e = readdir(d)) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			err = fail(why, "the empty directory is not empty", -ENOTEMPTY);
			break;
		}
	}
	closedir(d);
	return err;
}

int privdrop_empty_dir(const char *path, const char **why)
{
	char parent[PATH_MAX];
	size_t n = path != NULL ? strnlen(path, PATH_MAX) : 0;

	if (n < 2 || n >= PATH_MAX || path[0] != '/' || path[n - 1] == '/')
		return fail(why, "the empty directory must be an absolute path", -EINVAL);
	memcpy(parent, path, n + 1);
	char *slash = strrchr(parent, '/');
	if (slash != parent) {
		*slash = '\0';
		int err = dir_make(parent, why);
		if (err < 0)
			return err;
	}
	int err = dir_make(path, why);
	return err < 0 ? err : privdrop_dir_empty(path, why);
}

/* ---- plans -------------------------------------------------------------- */

static void plan_limit(struct privdrop_plan *p, int resource, rlim_t value)
{
	p->rlimits[p->n_rlimits].resource = resource;
	p->rlimits[p->n_rlimits].value = value;
	p->n_rlimits++;
}

static bool stderr_is_file(void)
{
	struct stat st;
	return fstat(STDERR_FILENO, &st) == 0 && S_ISREG(st.st_mode);
}

/* engine and net: the unprivileged user in the empty root; no core dumps
 * (they may hold lease data), no new processes, few descriptors. */
static void plan_unprivileged(struct privdrop_plan *p, const struct privdrop_ids *ids,
			      const char *empty_dir)
{
	p->uid = ids->uid;
	p->gid = ids->gid;
	p->root = empty_dir;
	plan_limit(p, RLIMIT_CORE, 0);
	/* setrlimit(2): RLIMIT_NPROC 0 stops fork and clone for a non-root
	 * uid. */
	plan_limit(p, RLIMIT_NPROC, 0);
	if (sandbox_built()) /* valgrind refuses it: see sandbox.c */
		plan_limit(p, RLIMIT_NOFILE, NOFILE_UNPRIVILEGED);
	/* No file may grow: the role writes none. RLIMIT_FSIZE counts only
	 * regular files, so the log still reaches a pipe, a terminal or the
	 * journal; when stderr itself is a file (-d 2>log), it is left alone. */
	if (!stderr_is_file())
		plan_limit(p, RLIMIT_FSIZE, 0);
}

int privdrop_plan_for(enum os_role role, const struct privdrop_ids *ids,
		      const char *empty_dir, struct privdrop_plan *plan)
{
	memset(plan, 0, sizeof *plan);
	switch (role) {
	case OS_ROLE_ENGINE:
		plan_unprivileged(plan, ids, empty_dir);
		return 0;
	case OS_ROLE_NET:
		plan_unprivileged(plan, ids, empty_dir);
		plan->caps[plan->n_caps++] = CAP_NET_RAW;
		return 0;
	case OS_ROLE_APPLY:
		/* uid 0, no chroot: see "apply" in privdrop.h. */
		plan->caps[plan->n_caps++] = CAP_NET_ADMIN;
		plan_limit(plan, RLIMIT_CORE, 0);
		return 0;
	case OS_ROLE_SUPERVISOR:
		/* uid 0, no chroot: see "supervisor" in privdrop.h. */
		plan->caps[plan->n_caps++] = CAP_KILL;
		plan_limit(plan, RLIMIT_CORE, 0);
		return 0;
	}
	return -EINVAL;
}

/* ---- the daemon's two calls ------------------------------------------- */

int privdrop_prepare(struct privdrop_ids *ids, const char **why)
{
	int err = privdrop_user_resolve(PRIVDROP_USER, true, ids, why);

	return err < 0 ? err : privdrop_empty_dir(PRIVDROP_EMPTY_DIR, why);
}

int privdrop_role(enum os_role role, struct privdrop_ids *ids, const char **why)
{
	struct privdrop_ids local;
	struct privdrop_plan plan;
	struct privdrop_ids *use = ids != NULL ? ids : &local;

	int err = privdrop_user_resolve(PRIVDROP_USER, false, use, why);
	if (err < 0)
		return err;
	if (privdrop_plan_for(role, use, PRIVDROP_EMPTY_DIR, &plan) < 0)
		return fail(why, "no privilege plan for this role", -EINVAL);
	return privdrop_run(&plan, why);
}
