/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The privilege drop steps (capabilities(7), credentials(7), prctl(2),
 * chroot(2), setrlimit(2)). libcap-ng sets the capability sets; the checks
 * read them back through capget(2) and prctl(2) directly, so a library bug
 * cannot both make and hide a mistake.
 */
/* getresuid(2), setresuid(2) and their gid twins are GNU extensions. */
#define _GNU_SOURCE
#include <cap-ng.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "oserr.h"
#include "privdrop.h"

#define CAP_SLOTS 64  /* capget(2) version 3 reports 64 bits per set */

struct capsets {
	uint64_t eff, prm, inh, bnd, amb;
};

static int fail(const char **why, const char *reason, int err)
{
	if (why != NULL)
		*why = reason;
	return err;
}

static int caps_mask(const int *caps, size_t n, uint64_t *mask)
{
	*mask = 0;
	for (size_t i = 0; i < n; i++) {
		if (caps[i] < 0 || caps[i] >= CAP_SLOTS)
			return -EINVAL;
		*mask |= UINT64_C(1) << caps[i];
	}
	return 0;
}

/* capget(2) for this process: effective, permitted, inheritable. */
static int read_caps(struct capsets *s)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0,
	};
	/* Zeroed: valgrind's capget(2) wrapper marks only d[0] as written. */
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3] = { 0 };

	if (syscall(SYS_capget, &hdr, d) < 0)
		return os_errno();
	s->eff = (uint64_t)d[1].effective << 32 | d[0].effective;
	s->prm = (uint64_t)d[1].permitted << 32 | d[0].permitted;
	s->inh = (uint64_t)d[1].inheritable << 32 | d[0].inheritable;
	return 0;
}

/* prctl(2) PR_CAPBSET_READ and PR_CAP_AMBIENT_IS_SET up to the kernel's
 * last capability (EINVAL past it). */
static int read_bounding_ambient(struct capsets *s)
{
	s->bnd = 0;
	s->amb = 0;
	for (int cap = 0; cap < CAP_SLOTS; cap++) {
		int b = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
		if (b < 0)
			return errno == EINVAL && cap > 0 ? 0 : os_errno();
		int a = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0);
		if (a < 0)
			return os_errno();
		s->bnd |= (uint64_t)(b == 1) << cap;
		s->amb |= (uint64_t)(a == 1) << cap;
	}
	return 0;
}

static int read_all_caps(struct capsets *s)
{
	int err = read_caps(s);

	return err < 0 ? err : read_bounding_ambient(s);
}

/* ---- bounding and ambient sets ------------------------------------------ */

/*
 * Drop from the bounding set every capability not kept. Done with prctl
 * rather than capng_apply(CAPNG_SELECT_BOUNDS) so that a set already
 * narrowed (systemd CapabilityBoundingSet=) needs no CAP_SETPCAP.
 */
static int bounding_narrow(uint64_t keep, const char **why)
{
	struct capsets s;
	int err = read_bounding_ambient(&s);

	if (err < 0)
		return fail(why, "cannot read the bounding set", err);
	if ((s.bnd & keep) != keep)
		return fail(why, "a kept capability is not in the bounding set", -EPERM);
	for (int cap = 0; cap < CAP_SLOTS; cap++) {
		uint64_t bit = UINT64_C(1) << cap;
		if ((s.bnd & bit) && !(keep & bit) &&
		    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			return fail(why, "cannot drop from the bounding set", os_errno());
	}
	return 0;
}

int privdrop_bounding(const int *caps, size_t n_caps, const char **why)
{
	uint64_t keep;
	struct capsets s;

	if (caps_mask(caps, n_caps, &keep) < 0)
		return fail(why, "capability number out of range", -EINVAL);
	int err = bounding_narrow(keep, why);
	if (err < 0)
		return err;
	/* prctl(2) PR_CAP_AMBIENT_CLEAR_ALL: no capability survives execve
	 * for an unprivileged uid. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return fail(why, "cannot clear the ambient set", os_errno());
	if ((err = read_bounding_ambient(&s)) < 0)
		return fail(why, "cannot read the bounding set back", err);
	if (s.bnd != keep || s.amb != 0)
		return fail(why, "bounding or ambient set not as asked", -EPERM);
	return 0;
}

/* ---- chroot --------------------------------------------------------------- */

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static int root_check(const struct stat *dir, const char **why)
{
	struct stat root, up;

	if (stat("/", &root) < 0 || stat("/..", &up) < 0)
		return fail(why, "cannot stat the new root", os_errno());
	/* The new "/" is the directory, and ".." cannot lead out of it. */
	if (!same_file(&root, dir) || !same_file(&up, dir))
		return fail(why, "chroot did not take effect", -EPERM);
	return 0;
}

static int enter(int fd, const struct stat *st, const char **why)
{
	if (!S_ISDIR(st->st_mode) || st->st_uid != 0 ||
	    (st->st_mode & (S_IWGRP | S_IWOTH)) != 0)
		return fail(why, "chroot dir is not root's or is writable by others", -EPERM);
	/* Enter through the descriptor, so the directory checked is the one
	 * entered, even if the path is swapped meanwhile. */
	if (fchdir(fd) < 0)
		return fail(why, "fchdir to the chroot dir failed", os_errno());
	if (chroot(".") < 0)
		return fail(why, "chroot failed", os_errno());
	/* chroot(2) does not change the working directory. */
	if (chdir("/") < 0)
		return fail(why, "chdir(\"/\") after chroot failed", os_errno());
	return root_check(st, why);
}

int privdrop_chroot(const char *dir, const char **why)
{
	struct stat st;

	if (dir == NULL || dir[0] != '/')
		return fail(why, "chroot dir must be an absolute path", -EINVAL);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return fail(why, "cannot open the chroot dir", os_errno());
	int err = fstat(fd, &st) < 0 ? fail(why, "cannot stat the chroot dir", os_errno())
				     : enter(fd, &st, why);
	close(fd);
	return err;
}

/* ---- user and group ids ------------------------------------------------- */

static int ids_check(uid_t uid, gid_t gid, const char **why)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0)
		return fail(why, "cannot read back the ids", os_errno());
	if (ru != uid || eu != uid || su != uid)
		return fail(why, "uid not changed as asked", -EPERM);
	if (rg != gid || eg != gid || sg != gid)
		return fail(why, "gid not changed as asked", -EPERM);
	if (getgroups(0, NULL) != 0)
		return fail(why, "supplementary groups remain", -EPERM);
	return 0;
}

static int ids_set(uid_t uid, gid_t gid, const char **why)
{
	/* Groups first: after setresuid we could no longer change them. */
	if (setgroups(0, NULL) < 0)
		return fail(why, "setgroups(0) failed", os_errno());
	if (setresgid(gid, gid, gid) < 0)
		return fail(why, "setresgid failed", os_errno());
	if (setresuid(uid, uid, uid) < 0)
		return fail(why, "setresuid failed", os_errno());
	return 0;
}

int privdrop_ids(uid_t uid, gid_t gid, bool keep_caps, const char **why)
{
	/* capabilities(7): when every uid becomes non-zero the permitted set
	 * is cleared unless SECBIT_KEEP_CAPS is on (effective is cleared
	 * either way; privdrop_caps raises it again). */
	bool keep = keep_caps && uid != 0;

	if (keep && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return fail(why, "PR_SET_KEEPCAPS failed", os_errno());
	int err = ids_set(uid, gid, why);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0 && err == 0)
		err = fail(why, "clearing PR_SET_KEEPCAPS failed", os_errno());
	return err < 0 ? err : ids_check(uid, gid, why);
}

/* ---- capability sets ------------------------------------------------------ */

static int caps_apply(const int *caps, size_t n_caps, const char **why)
{
	/* capng_clear starts from all-zero sets (and sets libcap-ng up for
	 * this thread); capng_setpid makes sure capset names us. */
	capng_clear(CAPNG_SELECT_CAPS);
	capng_setpid(0);
	for (size_t i = 0; i < n_caps; i++) {
		if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
				 (unsigned int)caps[i]) != 0)
			return fail(why, "capng_update failed", -EINVAL);
	}
	if (capng_apply(CAPNG_SELECT_CAPS) != 0)
		return fail(why, "capng_apply failed (kept capability not permitted?)",
			    -EPERM);
	return 0;
}

int privdrop_caps(const int *caps, size_t n_caps, const char **why)
{
	uint64_t keep;
	struct capsets s;

	if (caps_mask(caps, n_caps, &keep) < 0)
		return fail(why, "capability number out of range", -EINVAL);
	int err = caps_apply(caps, n_caps, why);
	if (err < 0)
		return err;
	if ((err = read_caps(&s)) < 0)
		return fail(why, "cannot read the capability sets back", err);
	if (s.eff != keep || s.prm != keep || s.inh != 0)
		return fail(why, "capability sets not as asked", -EPERM);
	return 0;
}

/* ---- process attributes --------------------------------------------------- */

int privdrop_no_new_privs(const char **why)
{
	/* prctl(2) PR_SET_NO_NEW_PRIVS: execve can never grant privileges
	 * again (setuid bits, file capabilities); it cannot be unset. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return fail(why, "PR_SET_NO_NEW_PRIVS failed", os_errno());
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		return fail(why, "NO_NEW_PRIVS is not set", -EPERM);
	return 0;
}

int privdrop_not_dumpable(const char **why)
{
	/* prctl(2) PR_SET_DUMPABLE 0: no core file, and other processes of
	 * the same uid cannot ptrace us or read our /proc files. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return fail(why, "PR_SET_DUMPABLE failed", os_errno());
	if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0)
		return fail(why, "the process is still dumpable", -EPERM);
	return 0;
}

static int rlimit_check(const struct privdrop_rlimit *l, const char **why)
{
	struct rlimit now;

	if (getrlimit(l->resource, &now) < 0)
		return fail(why, "cannot read a resource limit back", os_errno());
	if (now.rlim_cur != l->value || now.rlim_max != l->value)
		return fail(why, "resource limit not as asked", -EPERM);
	return 0;
}

int privdrop_rlimits(const struct privdrop_rlimit *limits, size_t n, const char **why)
{
	for (size_t i = 0; i < n; i++) {
		struct rlimit rl = { .rlim_cur = limits[i].value, .rlim_max = limits[i].value };
		if (setrlimit(limits[i].resource, &rl) < 0)
			return fail(why, "setrlimit failed", os_errno());
		int err = rlimit_check(&limits[i], why);
		if (err < 0)
			return err;
	}
	return 0;
}

/* ---- the whole drop ------------------------------------------------------- */

static int verify_caps(const struct privdrop_plan *p, const char **why)
{
	uint64_t keep;
	struct capsets s;

	if (caps_mask(p->caps, p->n_caps, &keep) < 0)
		return fail(why, "capability number out of range", -EINVAL);
	int err = read_all_caps(&s);
	if (err < 0)
		return fail(why, "cannot read the capability sets", err);
	if (s.eff != keep || s.prm != keep || s.bnd != keep || s.inh != 0 || s.amb != 0)
		return fail(why, "capability sets differ from the plan", -EPERM);
	if (prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) != 0)
		return fail(why, "SECBIT_KEEP_CAPS is still set", -EPERM);
	return 0;
}

/* An unprivileged uid must not be able to become root again (the check
 * OpenSSH makes after permanently_set_uid). */
static int verify_no_way_back(const struct privdrop_plan *p, const char **why)
{
	if (p->uid == 0)
		return 0;
	if (setuid(0) != -1 || setresuid(0, 0, 0) != -1)
		return fail(why, "uid 0 could be regained", -EPERM);
	if (p->gid != 0 && setgid(0) != -1)
		return fail(why, "gid 0 could be regained", -EPERM);
	return 0;
}

static int verify_root(const struct privdrop_plan *p, const char **why)
{
	struct stat st;

	if (p->root == NULL)
		return 0;
	if (stat("/", &st) < 0)
		return fail(why, "cannot stat the root", os_errno());
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		return fail(why, "the root is not root's or is writable by others", -EPERM);
	/* The real root is never empty: an empty "/" is the chroot. */
	return privdrop_dir_empty("/", why);
}

int privdrop_verify(const struct privdrop_plan *p, const char **why)
{
	int err = ids_check(p->uid, p->gid, why);

	if (err == 0)
		err = verify_caps(p, why);
	if (err == 0)
		err = verify_no_way_back(p, why);
	if (err == 0)
		err = verify_root(p, why);
	if (err == 0 && prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		err = fail(why, "NO_NEW_PRIVS is not set", -EPERM);
	if (err == 0 && prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0)
		err = fail(why, "the process is dumpable", -EPERM);
	for (size_t i = 0; err == 0 && i < p->n_rlimits; i++)
		err = rlimit_check(&p->rlimits[i], why);
	return err;
}

int privdrop_run(const struct privdrop_plan *p, const char **why)
{
	int err = privdrop_bounding(p->caps, p->n_caps, why);

	if (err == 0 && p->root != NULL)
		err = privdrop_chroot(p->root, why);
	if (err == 0)
		err = privdrop_ids(p->uid, p->gid, p->n_caps > 0, why);
	if (err == 0)
		err = privdrop_caps(p->caps, p->n_caps, why);
	if (err == 0)
		err = privdrop_no_new_privs(why);
	if (err == 0)
		err = privdrop_not_dumpable(why);
	if (err == 0)
		err = privdrop_rlimits(p->rlimits, p->n_rlimits, why);
	if (err == 0)
		err = privdrop_verify(p, why);
	return err;
}
