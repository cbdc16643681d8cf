/* SPDX-License-Identifier: BSD-2-Clause */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lessee/pidfile.h"

int pidfile_write(const char *path, pid_t pid)
{
	char line[24];
	int fd, n;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	n = snprintf(line, sizeof(line), "%ld\n", (long)pid);
	if (write(fd, line, (size_t)n) != n) {
		int e = errno ? errno : EIO;
		close(fd);
		return -e;
	}
	return close(fd) == 0 ? 0 : -errno;
}

/* /proc/PID/stat: "pid (comm) S ...", comm may hold spaces and parens. */
static bool read_stat(pid_t pid, char *comm, size_t comm_len, char *state)
{
	char path[32], buf[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	char *open_paren = strchr(buf, '(');
	char *close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren || close_paren < open_paren || close_paren[1] != ' ')
		return false;
	*close_paren = '\0';
	snprintf(comm, comm_len, "%s", open_paren + 1);
	*state = close_paren[2];
	return true;
}

bool pidfile_exited(pid_t pid)
{
	char comm[32], state;

	if (kill(pid, 0) != 0 && errno == ESRCH)
		return true;
	return !read_stat(pid, comm, sizeof(comm), &state) || state == 'Z' || state == 'X';
}

pid_t pidfile_running(const char *path, char *why, size_t why_len)
{
	char buf[32], comm[32], state;
	char *end;
	ssize_t n;
	long pid;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0) {
		snprintf(why, why_len, "pid file %s: %s", path, strerror(errno));
		return -1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	errno = 0;
	pid = strtol(buf, &end, 10);
	if (n <= 0 || errno || pid <= 1 || pid > 0x3fffffff || (*end != '\n' && *end != '\0')) {
		snprintf(why, why_len, "pid file %s does not hold a pid", path);
		return -1;
	}
	if (!read_stat((pid_t)pid, comm, sizeof(comm), &state) || state == 'Z' || state == 'X' ||
	    strcmp(comm, "lessee") != 0)
		return 0;
	return (pid_t)pid;
}

int pidfile_signal_and_wait(pid_t pid, int sig, unsigned wait_ms, char *why, size_t why_len)
{
	const struct timespec tick = { 0, 50 * 1000 * 1000 };

	if (kill(pid, sig) != 0) {
		if (errno == ESRCH)
			return 0;
		snprintf(why, why_len, "signalling pid %ld: %s", (long)pid, strerror(errno));
		return -1;
	}
	for (unsigned waited = 0; waited <= wait_ms; waited += 50) {
		if (pidfile_exited(pid))
			return 0;
		nanosleep(&tick, NULL);
	}
	snprintf(why, why_len, "pid %ld did not exit within %u s", (long)pid, wait_ms / 1000);
	return -1;
}
