/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Logging for every role: stderr in the foreground, syslog otherwise. Each
 * line names the role, so one log tells which process said what.
 */
#ifndef LESSEE_LOG_H
#define LESSEE_LOG_H

#include <stdbool.h>

enum log_level { LOG_LVL_DEBUG, LOG_LVL_INFO, LOG_LVL_WARNING, LOG_LVL_ERROR };

void log_init(const char *role, bool use_syslog, bool quiet, bool verbose);
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Log at error level and exit(1): for start-up failures and broken peers. */
void log_fatal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

#endif
