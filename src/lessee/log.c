/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "lessee/log.h"

static const char *log_role = "lessee";
static bool log_syslog;
static enum log_level log_min = LOG_LVL_INFO;

void log_init(const char *role, bool use_syslog, bool quiet, bool verbose)
{
	log_role = role;
	log_syslog = use_syslog;
	log_min = verbose ? LOG_LVL_DEBUG : quiet ? LOG_LVL_WARNING : LOG_LVL_INFO;
	if (use_syslog) {
		/* syslog(3) stamps lines in local time: load the zone now, while
		 * /etc/localtime can be read; after the drop a role has no files
		 * (chroot, seccomp) and glibc then keeps what it loaded. */
		tzset();
		openlog("lessee", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	}
}

static void log_vmsg(enum log_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	static const int prio[] = { LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR };
	char line[512];

	if (level < log_min)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	if (log_syslog) {
		syslog(prio[level], "%s: %s", log_role, line);
		return;
	}
	/* One write per line, so lines of the roles never interleave. */
	char out[600];
	int n = snprintf(out, sizeof(out), "lessee[%s]: %s\n", log_role, line);
	if (n > 0)
		(void)!write(STDERR_FILENO, out, (size_t)n < sizeof(out) ? (size_t)n : sizeof(out) - 1);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

void log_fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(LOG_LVL_ERROR, fmt, ap);
	va_end(ap);
	exit(1);
}
