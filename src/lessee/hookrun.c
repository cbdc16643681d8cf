/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hook runner (see hookrun.h): the wire format and its exact checks,
 * the runner process, and apply's side of the channel.
 */
#define _GNU_SOURCE 1 /* close_range, pipe2 */
#include "lessee/hookrun.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "lessee/log.h"
#include "lessee/validate.h"
#include "wire/print.h"

#define SIGNAL_MAX 64    /* SIGRTMAX on Linux */
#define ERRNO_MAX  4095  /* the kernel's -MAX_ERRNO */

static const char *const check_names[] = {
	"ok", "bad size", "bad entry count", "not NUL-terminated", "empty entry",
	"bad variable name", "entry without '='", "bad header", "bad code",
	"bad DNS command", "bad DNS address", "bad domain name", "bad resolv.conf line",
};

static const char *const dns_cmd_names[] = {
	"?", "resolvconf -a", "resolvconf -d", "resolvectl dns", "resolvectl domain",
	"resolvectl revert",
};

static const char *const kind_names[] = {
	"?", "exited", "signalled", "timed out", "exec failed", "fork failed",
};

const char *hookrun_check_name(enum hookrun_check c)
{
	return (unsigned)c < sizeof(check_names) / sizeof(check_names[0]) ? check_names[c] : "?";
}

const char *hookrun_dns_cmd_name(enum hookrun_dns_cmd c)
{
	return (unsigned)c < sizeof(dns_cmd_names) / sizeof(dns_cmd_names[0]) ? dns_cmd_names[c]
										  : "?";
}

const char *hookrun_kind_name(enum hookrun_kind k)
{
	return (unsigned)k < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[k] : "?";
}

/* ---- the wire format (pure) -------------------------------------------- */

static bool name_char(char c, bool first)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

/* One entry of n bytes (its NUL not counted): NAME=value. */
static enum hookrun_check entry_check(const char *e, size_t n)
{
	size_t i;

	if (n == 0)
		return HOOKRUN_CHECK_EMPTY_ENTRY;
	for (i = 0; i < n && e[i] != '='; i++)
		if (!name_char(e[i], i == 0))
			return HOOKRUN_CHECK_BAD_NAME;
	if (i == 0)
		return HOOKRUN_CHECK_BAD_NAME;   /* "=value" */
	return i < n ? HOOKRUN_CHECK_OK : HOOKRUN_CHECK_NO_EQUALS;
}

enum hookrun_check hookrun_env_check(char *block, size_t len, size_t count, char **envp,
				     size_t envp_cap)
{
	size_t n = 0;

	if (len == 0 || len > HOOKRUN_ENV_MAX)
		return HOOKRUN_CHECK_SIZE;
	if (count == 0 || count > HOOKRUN_VARS_MAX || count >= envp_cap)
		return HOOKRUN_CHECK_COUNT;
	if (block[len - 1] != '\0')
		return HOOKRUN_CHECK_UNTERMINATED;
	/* Bounded: off grows by at least one byte per entry. The last byte is
	 * a NUL, so memchr always finds one. */
	for (size_t off = 0; off < len;) {
		const char *nul = memchr(block + off, '\0', len - off);
		size_t elen = (size_t)(nul - (block + off));
		enum hookrun_check c = entry_check(block + off, elen);
		if (c != HOOKRUN_CHECK_OK)
			return c;
		if (n == count)
			return HOOKRUN_CHECK_COUNT;   /* more entries than claimed */
		envp[n++] = block + off;
		off += elen + 1;
	}
	if (n != count)
		return HOOKRUN_CHECK_COUNT;
	envp[n] = NULL;
	return HOOKRUN_CHECK_OK;
}

enum hookrun_check hookrun_req_check(char *rec, size_t len, char **envp, size_t envp_cap,
				     enum hookenv_reason *reason)
{
	struct hookrun_req_hdr h;

	if (len < sizeof(h))
		return HOOKRUN_CHECK_SIZE;
	memcpy(&h, rec, sizeof(h));
	if (h.magic != HOOKRUN_MAGIC_REQ || h.reserved != 0 || h.reason >= HOOKENV_REASON_COUNT)
		return HOOKRUN_CHECK_HEADER;
	*reason = (enum hookenv_reason)h.reason;
	return hookrun_env_check(rec + sizeof(h), len - sizeof(h), h.count, envp, envp_cap);
}

enum hookrun_check hookrun_req_build(char *rec, size_t cap, enum hookenv_reason reason,
				     char *const envp[], size_t *len)
{
	struct hookrun_req_hdr h = { .magic = HOOKRUN_MAGIC_REQ, .reason = (uint8_t)reason };
	char *scratch[HOOKRUN_VARS_MAX + 1];
	size_t off = sizeof(h), n;

	if (cap < sizeof(h) || (unsigned)reason >= HOOKENV_REASON_COUNT)
		return HOOKRUN_CHECK_HEADER;
	for (n = 0; envp[n]; n++) {
		if (n >= HOOKRUN_VARS_MAX)
			return HOOKRUN_CHECK_COUNT;
		size_t l = strlen(envp[n]) + 1;
		if (l > cap - off || off - sizeof(h) + l > HOOKRUN_ENV_MAX)
			return HOOKRUN_CHECK_SIZE;
		memcpy(rec + off, envp[n], l);
		off += l;
	}
	h.count = (uint16_t)n;
	memcpy(rec, &h, sizeof(h));
	*len = off;
	/* What the runner will check, checked here: apply never sends a request
	 * the runner would refuse (and exit on). */
	return hookrun_env_check(rec + sizeof(h), off - sizeof(h), n, scratch,
				 sizeof(scratch) / sizeof(scratch[0]));
}

/* ---- DNS requests (pure) --------------------------------------------- */

/* One name of n bytes: the host-name charset (validate.c's rule). Copied
 * out so that the check reads a terminated string of known length. */
static bool name_ok(const char *s, size_t n)
{
	char name[CLIENT_NAME_MAX];

	if (n == 0 || n >= sizeof(name))
		return false;
	memcpy(name, s, n);
	name[n] = '\0';
	return validate_hostname_charset(name);
}

/* " A.B.C.D": one unicast address, exactly what sb_ip prints. */
static bool addr_field_ok(const char *s, size_t n)
{
	char ip[16];
	uint32_t a;

	if (n == 0 || n >= sizeof(ip))
		return false;
	memcpy(ip, s, n);
	ip[n] = '\0';
	return validate_parse_ip(ip, &a) && validate_ip_unicast(a);
}

/* The names of a "search" line (after "search"): " NAME" 1..MAXDNSRCH times. */
static bool search_ok(const char *s, size_t n)
{
	unsigned count = 0;
	size_t off = 0;

	/* Bounded: off grows by at least two bytes per name. */
	while (off < n) {
		if (s[off] != ' ' || ++count > RESOLV_MAXDNSRCH)
			return false;
		off++;
		const char *sp = memchr(s + off, ' ', n - off);
		size_t w = sp ? (size_t)(sp - (s + off)) : n - off;
		if (!name_ok(s + off, w))
			return false;
		off += w;
	}
	return count > 0;
}

static bool starts(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);
	return n >= w && memcmp(s, word, w) == 0;
}

/* One line of n bytes without its '\n'; resolv_render's four forms. */
static bool line_ok(const char *s, size_t n)
{
	if (starts(s, n, "# ")) {
		for (size_t i = 2; i < n; i++)
			if (s[i] < 0x20 || s[i] > 0x7e)
				return false;
		return true;
	}
	if (starts(s, n, "nameserver "))
		return addr_field_ok(s + 11, n - 11);
	if (starts(s, n, "domain "))
		return name_ok(s + 7, n - 7);
	if (starts(s, n, "search"))
		return search_ok(s + 6, n - 6);
	return false;
}

enum hookrun_check hookrun_dns_text_check(const char *text, size_t len)
{
	if (len == 0 || len >= HOOKRUN_DNS_DATA_MAX)
		return HOOKRUN_CHECK_SIZE;
	if (memchr(text, '\0', len))
		return HOOKRUN_CHECK_TEXT;
	if (text[len - 1] != '\n')
		return HOOKRUN_CHECK_TEXT;
	/* Bounded: off grows by at least one byte per line. */
	for (size_t off = 0; off < len;) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t l = (size_t)(nl - (text + off));
		if (!line_ok(text + off, l))
			return HOOKRUN_CHECK_TEXT;
		off += l + 1;
	}
	return HOOKRUN_CHECK_OK;
}

/* The counts the header may carry for its command. */
static enum hookrun_check dns_hdr_check(const struct hookrun_dns_hdr *h)
{
	if (h->magic != HOOKRUN_MAGIC_DNS || h->reserved != 0)
		return HOOKRUN_CHECK_HEADER;
	if (h->cmd < HOOKRUN_DNS_RESOLVCONF_ADD || h->cmd > HOOKRUN_DNS_RESOLVECTL_REVERT)
		return HOOKRUN_CHECK_COMMAND;
	if (h->n_addrs > HOOKRUN_DNS_ADDRS_MAX || h->n_names > HOOKRUN_DNS_NAMES_MAX)
		return HOOKRUN_CHECK_COUNT;
	if ((h->n_addrs && h->cmd != HOOKRUN_DNS_RESOLVECTL_DNS) ||
	    (h->n_names && h->cmd != HOOKRUN_DNS_RESOLVECTL_DOMAIN))
		return HOOKRUN_CHECK_COMMAND;
	for (unsigned i = 0; i < HOOKRUN_DNS_ADDRS_MAX; i++) {
		if (i < h->n_addrs && !validate_ip_unicast(h->addrs[i]))
			return HOOKRUN_CHECK_ADDR;
		if (i >= h->n_addrs && h->addrs[i] != 0)
			return HOOKRUN_CHECK_ADDR;
	}
	return HOOKRUN_CHECK_OK;
}

/* n NUL-terminated names filling data exactly. */
static enum hookrun_check dns_names_check(const char *data, size_t len, unsigned n,
					  struct hookrun_dns *out)
{
	size_t off = 0;

	for (unsigned i = 0; i < n; i++) {
		const char *nul = off < len ? memchr(data + off, '\0', len - off) : NULL;
		if (!nul)
			return off < len ? HOOKRUN_CHECK_UNTERMINATED : HOOKRUN_CHECK_COUNT;
		size_t l = (size_t)(nul - (data + off));
		if (!name_ok(data + off, l))
			return HOOKRUN_CHECK_NAME;
		out->names[i] = data + off;
		off += l + 1;
	}
	return off == len ? HOOKRUN_CHECK_OK : HOOKRUN_CHECK_SIZE;
}

enum hookrun_check hookrun_dns_check(const char *rec, size_t len, struct hookrun_dns *out)
{
	struct hookrun_dns_hdr h;
	enum hookrun_check c;

	if (len < sizeof(h) || len > HOOKRUN_DNS_REQ_MAX)
		return HOOKRUN_CHECK_SIZE;
	memcpy(&h, rec, sizeof(h));
	if ((c = dns_hdr_check(&h)) != HOOKRUN_CHECK_OK)
		return c;
	const char *data = rec + sizeof(h);
	size_t dlen = len - sizeof(h);
	memset(out, 0, sizeof(*out));
	out->cmd = (enum hookrun_dns_cmd)h.cmd;
	out->n_addrs = h.n_addrs;
	memcpy(out->addrs, h.addrs, sizeof(out->addrs));
	out->n_names = h.n_names;
	switch (out->cmd) {
	case HOOKRUN_DNS_RESOLVCONF_ADD:
		if (dlen == 0 || data[dlen - 1] != '\0')
			return dlen == 0 ? HOOKRUN_CHECK_SIZE : HOOKRUN_CHECK_UNTERMINATED;
		if ((c = hookrun_dns_text_check(data, dlen - 1)) != HOOKRUN_CHECK_OK)
			return c;
		out->text = data;
		out->text_len = dlen - 1;
		return HOOKRUN_CHECK_OK;
	case HOOKRUN_DNS_RESOLVECTL_DOMAIN:
		return dns_names_check(data, dlen, h.n_names, out);
	case HOOKRUN_DNS_RESOLVCONF_DELETE:
	case HOOKRUN_DNS_RESOLVECTL_DNS:
	case HOOKRUN_DNS_RESOLVECTL_REVERT:
		return dlen == 0 ? HOOKRUN_CHECK_OK : HOOKRUN_CHECK_SIZE;
	}
	return HOOKRUN_CHECK_COMMAND;
}

static bool put(char *rec, size_t cap, size_t *off, const char *s, size_t n)
{
	if (n > cap - *off)
		return false;
	memcpy(rec + *off, s, n);
	*off += n;
	return true;
}

enum hookrun_check hookrun_dns_build(char *rec, size_t cap, const struct hookrun_dns *d,
				     size_t *len)
{
	static struct hookrun_dns scratch;
	struct hookrun_dns_hdr h;
	size_t off = sizeof(h);
	bool ok = cap >= sizeof(h) && d->n_addrs <= HOOKRUN_DNS_ADDRS_MAX &&
		  d->n_names <= HOOKRUN_DNS_NAMES_MAX;

	if (!ok)
		return HOOKRUN_CHECK_SIZE;
	memset(&h, 0, sizeof(h));
	h.magic = HOOKRUN_MAGIC_DNS;
	h.cmd = (uint8_t)d->cmd;
	h.n_addrs = d->n_addrs;
	h.n_names = d->n_names;
	memcpy(h.addrs, d->addrs, d->n_addrs * sizeof(h.addrs[0]));
	memcpy(rec, &h, sizeof(h));
	if (d->cmd == HOOKRUN_DNS_RESOLVCONF_ADD)
		ok = d->text && put(rec, cap, &off, d->text, d->text_len) &&
		     put(rec, cap, &off, "", 1);
	for (unsigned i = 0; ok && i < d->n_names; i++)
		ok = d->names[i] && put(rec, cap, &off, d->names[i], strlen(d->names[i]) + 1);
	if (!ok)
		return HOOKRUN_CHECK_SIZE;
	*len = off;
	/* What the runner will check, checked here (as hookrun_req_build). */
	return hookrun_dns_check(rec, off, &scratch);
}

/* Append the argument a (then b, if any) to out; *argc and *used count
 * the argv and the store used so far. */
static bool arg(struct hookrun_argv *out, size_t *argc, size_t *used, const char *a,
		const char *b)
{
	size_t la = strlen(a), lb = b ? strlen(b) : 0;

	if (*argc + 1 >= sizeof(out->argv) / sizeof(out->argv[0]) ||
	    la + lb + 1 > sizeof(out->store) - *used)
		return false;
	char *p = out->store + *used;
	memcpy(p, a, la);
	if (b)
		memcpy(p + la, b, lb);
	p[la + lb] = '\0';
	*used += la + lb + 1;
	out->argv[(*argc)++] = p;
	out->argv[*argc] = NULL;
	return true;
}

/* The arguments after IFNAME: addresses, names, or "" to clear the list. */
static bool dns_tail(const struct hookrun_dns *d, struct hookrun_argv *out, size_t *argc,
		     size_t *used)
{
	bool ok = true;

	if (d->cmd == HOOKRUN_DNS_RESOLVECTL_DNS) {
		for (unsigned i = 0; ok && i < d->n_addrs; i++) {
			char ip[16];
			struct strbuf sb;
			sb_init(&sb, ip, sizeof(ip));
			sb_ip(&sb, d->addrs[i]);
			ok = arg(out, argc, used, ip, NULL);
		}
		return ok && (d->n_addrs > 0 || arg(out, argc, used, "", NULL));
	}
	if (d->cmd == HOOKRUN_DNS_RESOLVECTL_DOMAIN) {
		for (unsigned i = 0; ok && i < d->n_names; i++)
			ok = arg(out, argc, used, d->names[i], NULL);
		return ok && (d->n_names > 0 || arg(out, argc, used, "", NULL));
	}
	return true;
}

enum hookrun_check hookrun_dns_argv(const struct hookrun_dns *d, const char *ifname,
				    const char *prog, struct hookrun_argv *out)
{
	static const char *const verbs[] = { "", "-a", "-d", "dns", "domain", "revert" };
	size_t argc = 0, used = 0;
	bool rc = d->cmd == HOOKRUN_DNS_RESOLVCONF_ADD || d->cmd == HOOKRUN_DNS_RESOLVCONF_DELETE;

	if (d->cmd < HOOKRUN_DNS_RESOLVCONF_ADD || d->cmd > HOOKRUN_DNS_RESOLVECTL_REVERT)
		return HOOKRUN_CHECK_COMMAND;
	/* resolvconf(8) keys its records by name: IFNAME.PROTOCOL. */
	bool ok = arg(out, &argc, &used, prog, NULL) &&
		  arg(out, &argc, &used, verbs[d->cmd], NULL) &&
		  arg(out, &argc, &used, ifname, rc ? ".lessee" : NULL) &&
		  dns_tail(d, out, &argc, &used);
	return ok ? HOOKRUN_CHECK_OK : HOOKRUN_CHECK_SIZE;
}

static bool code_fits(enum hookrun_kind k, int32_t code)
{
	switch (k) {
	case HOOKRUN_EXITED:
		return code >= 0 && code <= 255;
	case HOOKRUN_SIGNALLED:
		return code >= 1 && code <= SIGNAL_MAX;
	case HOOKRUN_TIMED_OUT:
		return code == 0;
	case HOOKRUN_EXEC_FAILED:
	case HOOKRUN_FORK_FAILED:
		return code >= 1 && code <= ERRNO_MAX;
	}
	return false;
}

enum hookrun_check hookrun_reply_check(const void *rec, size_t len,
				       struct hookrun_result *res)
{
	struct hookrun_reply r;

	if (len != sizeof(r))
		return HOOKRUN_CHECK_SIZE;
	memcpy(&r, rec, sizeof(r));
	if (r.magic != HOOKRUN_MAGIC_REPLY || r.reserved[0] || r.reserved[1] || r.reserved[2] ||
	    r.kind < HOOKRUN_EXITED || r.kind > HOOKRUN_FORK_FAILED)
		return HOOKRUN_CHECK_HEADER;
	if (!code_fits((enum hookrun_kind)r.kind, r.code))
		return HOOKRUN_CHECK_CODE;
	res->kind = (enum hookrun_kind)r.kind;
	res->code = r.code;
	return HOOKRUN_CHECK_OK;
}

/* ---- the runner process ------------------------------------------------ */

/* The runner's fixed state, set once at its start. */
struct runner {
	int fd;                      /* its end of the channel */
	const char *script;          /* -sf; NULL: none */
	const char *ifname;
	enum hookrun_dns_mode dns;
	const char *prog;            /* the DNS program found at start; NULL: missing */
	unsigned timeout_ms;
	sigset_t mask;               /* apply's signal mask, for the children */
};

/* The DNS commands' whole environment: nothing of apply's, a fixed PATH
 * (resolvconf is a shell script that runs other programs). */
static char dns_path_env[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
static char *const dns_env[] = { dns_path_env, NULL };

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static struct hookrun_reply reply_of(enum hookrun_kind kind, int code)
{
	struct hookrun_reply r;

	memset(&r, 0, sizeof(r));
	r.magic = HOOKRUN_MAGIC_REPLY;
	r.kind = (uint8_t)kind;
	r.code = code;
	return r;
}

/* The program's process: the mask apply had, no shell, stdin from in_fd
 * when it is >= 0. An execve failure goes back through errfd (close-on-
 * exec, so a successful exec just closes it). */
static _Noreturn void exec_prog(const char *path, char *const argv[], char *const envp[],
				int in_fd, int errfd, const sigset_t *mask)
{
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (in_fd < 0 || dup2(in_fd, STDIN_FILENO) == STDIN_FILENO)
		execve(path, argv, envp);
	int err = errno;
	(void)!write(errfd, &err, sizeof(err));
	_exit(127);
}

/*
 * Wait for pid until timeout_ms, then SIGKILL it. SIGCHLD is blocked in the
 * runner, so sigtimedwait sleeps until the child ends or the deadline:
 * bounded, with no polling delay. A stray SIGCHLD costs one more turn.
 */
static struct hookrun_reply wait_script(pid_t pid, unsigned timeout_ms)
{
	uint64_t deadline = now_ms() + timeout_ms;
	sigset_t chld;
	int status = 0;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			log_msg(LOG_LVL_ERROR, "hook runner: waitpid: %s", strerror(errno));
			_exit(1);
		}
		uint64_t now = now_ms();
		if (now >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return reply_of(HOOKRUN_TIMED_OUT, 0);
		}
		uint64_t left = deadline - now;
		struct timespec ts = { (time_t)(left / 1000u), (long)(left % 1000u) * 1000000L };
		sigtimedwait(&chld, NULL, &ts);
	}
	if (WIFEXITED(status))
		return reply_of(HOOKRUN_EXITED, WEXITSTATUS(status));
	return reply_of(HOOKRUN_SIGNALLED, WTERMSIG(status));
}

/*
 * A pipe holding text (possibly none), its write end closed: the child's
 * stdin sees the text, then EOF. At most HOOKRUN_DNS_DATA_MAX bytes, less
 * than a pipe's smallest capacity (one page), so the write never blocks
 * and no reader is needed yet. 0 with *rfd set, or an errno.
 */
static int text_pipe(const char *text, size_t len, int *rfd)
{
	int p[2], err = 0;

	if (len > HOOKRUN_DNS_DATA_MAX || pipe2(p, O_CLOEXEC) != 0)
		return len > HOOKRUN_DNS_DATA_MAX ? EMSGSIZE : errno;
	for (size_t done = 0; done < len && err == 0;) {
		ssize_t n = write(p[1], text + done, len - done);
		if (n > 0)
			done += (size_t)n;
		else if (n < 0 && errno != EINTR)
			err = errno;
		else if (n == 0)
			err = EIO;
	}
	close(p[1]);
	if (err)
		close(p[0]);
	else
		*rfd = p[0];
	return err;
}

/* Run path once with argv and envp (stdin: in_fd, or the runner's own
 * when -1) and wait for it, bounded. */
static struct hookrun_reply run_prog(const struct runner *rn, const char *path,
				     char *const argv[], char *const envp[], int in_fd)
{
	int pfd[2], err = 0;

	if (pipe2(pfd, O_CLOEXEC | O_NONBLOCK) != 0)
		return reply_of(HOOKRUN_FORK_FAILED, errno);
	pid_t pid = fork();
	if (pid < 0) {
		err = errno;
		close(pfd[0]);
		close(pfd[1]);
		return reply_of(HOOKRUN_FORK_FAILED, err);
	}
	if (pid == 0)
		exec_prog(path, argv, envp, in_fd, pfd[1], &rn->mask);
	close(pfd[1]);
	struct hookrun_reply r = wait_script(pid, rn->timeout_ms);
	/* The child is reaped, so its end is closed: this read cannot block. */
	if (r.kind == HOOKRUN_EXITED && read(pfd[0], &err, sizeof(err)) == (ssize_t)sizeof(err) &&
	    err > 0 && err <= ERRNO_MAX)
		r = reply_of(HOOKRUN_EXEC_FAILED, err);
	close(pfd[0]);
	return r;
}

/* Only the channel and 0, 1, 2 stay: not the engine's channel, the
 * rtnetlink socket or anything else apply holds. closelog first, so that
 * syslog reconnects on its own rather than writing to a reused number. */
static void keep_only(int fd)
{
	closelog();
	if (fd > 3)
		close_range(3, (unsigned)fd - 1, 0);
	close_range(fd < 3 ? 3u : (unsigned)fd + 1, ~0u, 0);
}

static _Noreturn void bad_request(const char *why)
{
	log_msg(LOG_LVL_ERROR, "hook runner: bad request: %s", why);
	_exit(1);
}

/* The script, with the environment apply sent; argv = { script }. */
static struct hookrun_reply serve_hook(const struct runner *rn, char *rec, size_t len)
{
	static char *envp[HOOKRUN_VARS_MAX + 1];
	enum hookenv_reason reason = HOOKENV_REASON_COUNT;
	enum hookrun_check c = hookrun_req_check(rec, len, envp, sizeof(envp) / sizeof(envp[0]),
						 &reason);

	if (c != HOOKRUN_CHECK_OK)
		bad_request(hookrun_check_name(c));
	if (!rn->script)
		bad_request("a hook without -sf");
	char *argv[] = { (char *)(uintptr_t)rn->script, NULL };
	return run_prog(rn, rn->script, argv, envp, -1);
}

/* A DNS command: argv rebuilt here from the checked fields, the interface
 * the runner was started with, and the program found at start. */
static struct hookrun_reply serve_dns(const struct runner *rn, const char *rec, size_t len)
{
	static struct hookrun_argv av;
	struct hookrun_dns d;
	enum hookrun_check c = hookrun_dns_check(rec, len, &d);
	int in_fd = -1;

	if (c != HOOKRUN_CHECK_OK)
		bad_request(hookrun_check_name(c));
	bool rc = d.cmd == HOOKRUN_DNS_RESOLVCONF_ADD || d.cmd == HOOKRUN_DNS_RESOLVCONF_DELETE;
	if (rn->dns != (rc ? HOOKRUN_DNS_RESOLVCONF : HOOKRUN_DNS_RESOLVED))
		bad_request("a DNS command of another --resolv-conf mode");
	if (!rn->prog)
		return reply_of(HOOKRUN_EXEC_FAILED, ENOENT);   /* logged at start */
	if (hookrun_dns_argv(&d, rn->ifname, rn->prog, &av) != HOOKRUN_CHECK_OK)
		bad_request("argv does not fit");
	/* resolvconf -a reads the text on stdin; the others get an empty one,
	 * never the daemon's. */
	int err = text_pipe(d.text ? d.text : "", d.text ? d.text_len : 0, &in_fd);
	if (err)
		return reply_of(HOOKRUN_FORK_FAILED, err);
	struct hookrun_reply r = run_prog(rn, rn->prog, av.argv, dns_env, in_fd);
	close(in_fd);
	return r;
}

/* The DNS program of the mode: the first executable candidate. */
static const char *find_prog(const struct hookrun_config *cfg)
{
	static const char *const rc[] = { "/usr/sbin/resolvconf", "/sbin/resolvconf", NULL };
	static const char *const rd[] = { "/usr/bin/resolvectl", NULL };
	const char *over = cfg->dns == HOOKRUN_DNS_RESOLVCONF ? cfg->resolvconf_path
							       : cfg->resolvectl_path;
	const char *const *list = cfg->dns == HOOKRUN_DNS_RESOLVCONF ? rc : rd;

	if (cfg->dns == HOOKRUN_DNS_NONE)
		return NULL;
	if (over)
		return access(over, X_OK) == 0 ? over : NULL;
	for (size_t i = 0; list[i]; i++)
		if (access(list[i], X_OK) == 0)
			return list[i];
	return NULL;
}

static void runner_init(struct runner *rn, int fd, const struct hookrun_config *cfg)
{
	sigset_t chld;

	rn->fd = fd;
	rn->script = cfg->script && cfg->script[0] ? cfg->script : NULL;
	rn->ifname = cfg->ifname;
	rn->dns = cfg->dns;
	rn->timeout_ms = cfg->timeout_ms;
	rn->prog = find_prog(cfg);
	if (cfg->dns == HOOKRUN_DNS_RESOLVCONF && !rn->prog)
		log_msg(LOG_LVL_ERROR, "resolvconf not found (%s): DNS will not be configured",
			cfg->resolvconf_path ? cfg->resolvconf_path
					     : "/usr/sbin/resolvconf, /sbin/resolvconf");
	if (cfg->dns == HOOKRUN_DNS_RESOLVED && !rn->prog)
		log_msg(LOG_LVL_ERROR, "resolvectl not found (%s): DNS will not be configured",
			cfg->resolvectl_path ? cfg->resolvectl_path : "/usr/bin/resolvectl");
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &rn->mask);
}

/* Apply built the request: a malformed one is a broken invariant. */
static _Noreturn void runner_main(int fd, const struct hookrun_config *cfg)
{
	static char rec[HOOKRUN_REQ_MAX > HOOKRUN_DNS_REQ_MAX ? HOOKRUN_REQ_MAX
							       : HOOKRUN_DNS_REQ_MAX];
	struct runner rn;
	uint32_t magic = 0;

	keep_only(fd);
	prctl(PR_SET_NAME, "lessee-hookrun", 0, 0, 0);
	runner_init(&rn, fd, cfg);
	for (;;) {
		ssize_t n = recv(fd, rec, sizeof(rec), MSG_TRUNC);
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			_exit(0);   /* apply closed its end: it is stopping */
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (size_t)n > sizeof(rec)) {
			log_msg(LOG_LVL_ERROR, "hook runner: recv: %s",
				n < 0 ? strerror(errno) : "record too long");
			_exit(1);
		}
		if ((size_t)n >= sizeof(magic))
			memcpy(&magic, rec, sizeof(magic));
		struct hookrun_reply r = magic == HOOKRUN_MAGIC_DNS
						 ? serve_dns(&rn, rec, (size_t)n)
						 : serve_hook(&rn, rec, (size_t)n);
		if (send(fd, &r, sizeof(r), MSG_NOSIGNAL) != (ssize_t)sizeof(r))
			_exit(errno == EPIPE || errno == ECONNRESET ? 0 : 1);
	}
}

int hookrun_start(const struct hookrun_config *cfg, struct hookrun *hr)
{
	int sv[2];

	hr->fd = -1;
	hr->pid = -1;
	hr->timeout_ms = cfg->timeout_ms;
	if (cfg->dns != HOOKRUN_DNS_NONE && !validate_ifname(cfg->ifname))
		return -EINVAL;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int err = errno;
		close(sv[0]);
		close(sv[1]);
		return -err;
	}
	if (pid == 0) {
		close(sv[0]);
		runner_main(sv[1], cfg);
	}
	close(sv[1]);
	hr->fd = sv[0];
	hr->pid = pid;
	/* apply's bound on one call: the runner's own timeout plus a margin. */
	uint64_t wait_ms = (uint64_t)cfg->timeout_ms + HOOKRUN_REPLY_MARGIN_MS;
	struct timeval tv = { (time_t)(wait_ms / 1000u), (suseconds_t)(wait_ms % 1000u) * 1000 };
	if (setsockopt(hr->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0) {
		int err = errno;
		hookrun_close(hr);   /* the runner sees EOF and exits */
		return -err;
	}
	return 0;
}

void hookrun_close(struct hookrun *hr)
{
	if (hr->fd >= 0)
		close(hr->fd);
	hr->fd = -1;
}

/* ---- apply's side ------------------------------------------------------ */

/*
 * One request, one reply. The wait is the socket's SO_RCVTIMEO (set in
 * hookrun_start), so apply needs only sendto and recvfrom here, calls its
 * seccomp filter allows anyway (no poll, no wait4).
 */
static int exchange(struct hookrun *hr, const char *rec, size_t len,
		    struct hookrun_result *res)
{
	uint64_t deadline = now_ms() + hr->timeout_ms + HOOKRUN_REPLY_MARGIN_MS;
	struct hookrun_reply reply;
	ssize_t n;

	do {
		n = send(hr->fd, rec, len, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == ECONNRESET ? -EPIPE : -errno;
	do {   /* bounded: an EINTR after the deadline ends it */
		n = recv(hr->fd, &reply, sizeof(reply), MSG_TRUNC);
	} while (n < 0 && errno == EINTR && now_ms() < deadline);
	if (n == 0 || (n < 0 && errno == ECONNRESET))
		return -EPIPE;
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? -ETIMEDOUT
										  : -errno;
	if (hookrun_reply_check(&reply, (size_t)n, res) != HOOKRUN_CHECK_OK)
		return -EBADMSG;
	return 0;
}

/* "hook BOUND exited with status 3", "resolvconf -a exited with status 0";
 * a clean exit at ok_level. */
static void log_result(const char *what, enum log_level ok_level,
		       const struct hookrun_result *res, unsigned timeout_ms)
{
	switch (res->kind) {
	case HOOKRUN_EXITED:
		log_msg(res->code ? LOG_LVL_WARNING : ok_level, "%s exited with status %d", what,
			res->code);
		break;
	case HOOKRUN_SIGNALLED:
		log_msg(LOG_LVL_WARNING, "%s killed by signal %d", what, res->code);
		break;
	case HOOKRUN_TIMED_OUT:
		if (timeout_ms % 1000u == 0)
			log_msg(LOG_LVL_ERROR, "%s killed after %u s", what, timeout_ms / 1000u);
		else
			log_msg(LOG_LVL_ERROR, "%s killed after %u ms", what, timeout_ms);
		break;
	case HOOKRUN_EXEC_FAILED:
		log_msg(LOG_LVL_ERROR, "%s not run: exec: %s", what, strerror(res->code));
		break;
	case HOOKRUN_FORK_FAILED:
		log_msg(LOG_LVL_ERROR, "%s not run: fork: %s", what, strerror(res->code));
		break;
	}
}

int hookrun_call(struct hookrun *hr, enum hookenv_reason reason, char *const envp[],
		 struct hookrun_result *res)
{
	static char rec[HOOKRUN_REQ_MAX];
	char what[64];
	size_t len = 0;

	if (hr->fd < 0)
		return -EPIPE;
	enum hookrun_check c = hookrun_req_build(rec, sizeof(rec), reason, envp, &len);
	if (c != HOOKRUN_CHECK_OK) {
		log_msg(LOG_LVL_ERROR, "hook %s: environment %s", hookenv_reason_name(reason),
			hookrun_check_name(c));
		return c == HOOKRUN_CHECK_SIZE ? -EMSGSIZE : -EINVAL;
	}
	int r = exchange(hr, rec, len, res);
	snprintf(what, sizeof(what), "hook %s", hookenv_reason_name(reason));
	if (r == 0)
		log_result(what, LOG_LVL_DEBUG, res, hr->timeout_ms);
	return r;
}

int hookrun_dns_call(struct hookrun *hr, const struct hookrun_dns *d,
		     struct hookrun_result *res)
{
	static char rec[HOOKRUN_DNS_REQ_MAX];
	size_t len = 0;

	if (hr->fd < 0)
		return -EPIPE;
	enum hookrun_check c = hookrun_dns_build(rec, sizeof(rec), d, &len);
	if (c != HOOKRUN_CHECK_OK) {
		log_msg(LOG_LVL_ERROR, "%s not run: %s", hookrun_dns_cmd_name(d->cmd),
			hookrun_check_name(c));
		return -EINVAL;
	}
	int r = exchange(hr, rec, len, res);
	if (r == 0)
		log_result(hookrun_dns_cmd_name(d->cmd), LOG_LVL_INFO, res, hr->timeout_ms);
	return r;
}
