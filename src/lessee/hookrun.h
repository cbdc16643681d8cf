/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hook runner: the one process of the daemon that forks and execs the
 * -sf script. The apply role forks it at start, after its privilege drop
 * and before its seccomp filter (DESIGN.md "Daemon and privilege
 * separation"): a filter is inherited across fork and execve, so a script
 * forked by apply itself would run under apply's allowlist and be killed.
 * The runner has exactly apply's uid 0, bounding set (CAP_NET_ADMIN, or
 * nothing with --no-configure), NO_NEW_PRIVS and non-dumpable state, but no
 * filter. dhcpcd's privilege separation likewise runs hook scripts from a
 * process outside its sandboxed ones.
 *
 * It talks only to apply, over a SOCK_SEQPACKET pair, and does two things:
 * run the script fixed at start (never a path from a message) with the
 * environment apply sends; and run one of a fixed set of DNS commands
 * (--resolv-conf resolvconf | resolved), whose argv it builds itself from
 * typed fields and the interface name it was started with. Either way it
 * waits a bounded time (SIGKILL after) and answers with how the program
 * ended. One request, one reply, in turn.
 *
 * Hook request:  struct hookrun_req_hdr, then the environment block
 *                "NAME=value\0NAME=value\0" (hdr.count entries).
 * DNS request:   struct hookrun_dns_hdr, then its data (see there).
 * Reply:         struct hookrun_reply.
 * All are checked exactly by pure functions below; the runner exits on a
 * malformed request (apply built it: a broken invariant), apply on a
 * malformed reply.
 */
#ifndef LESSEE_LESSEE_HOOKRUN_H
#define LESSEE_LESSEE_HOOKRUN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "client/client.h"
#include "lessee/hookenv.h"
#include "lessee/resolv.h"

/* The bounds of the envp array and buffer run_hook builds into. */
#define HOOKRUN_VARS_MAX   96u
#define HOOKRUN_ENV_MAX    16384u
#define HOOKRUN_REQ_MAX    (sizeof(struct hookrun_req_hdr) + HOOKRUN_ENV_MAX)

/* "LHK" and a version byte, so a stray record is never taken for one. */
#define HOOKRUN_MAGIC_REQ   0x4c484b01u
#define HOOKRUN_MAGIC_REPLY 0x4c484b81u
#define HOOKRUN_MAGIC_DNS   0x4c484b02u

/* apply's own wait for a reply: the runner's timeout plus this. */
#define HOOKRUN_REPLY_MARGIN_MS 5000u

struct hookrun_req_hdr {
	uint32_t magic;       /* HOOKRUN_MAGIC_REQ */
	uint16_t count;       /* entries in the block, 1..HOOKRUN_VARS_MAX */
	uint8_t reason;       /* enum hookenv_reason (for log lines only) */
	uint8_t reserved;     /* 0 */
};

/*
 * The DNS commands, the only programs besides the script the runner runs
 * (resolvconf(8), resolvectl(1)); IFNAME is always the runner's own.
 */
enum hookrun_dns_cmd {
	HOOKRUN_DNS_RESOLVCONF_ADD = 1,   /* resolvconf -a IFNAME.lessee, stdin: the text */
	HOOKRUN_DNS_RESOLVCONF_DELETE,    /* resolvconf -d IFNAME.lessee */
	HOOKRUN_DNS_RESOLVECTL_DNS,       /* resolvectl dns IFNAME ADDR... ("" with none) */
	HOOKRUN_DNS_RESOLVECTL_DOMAIN,    /* resolvectl domain IFNAME NAME... ("" with none) */
	HOOKRUN_DNS_RESOLVECTL_REVERT,    /* resolvectl revert IFNAME */
};

/* Which of the two programs the runner looks for at start and may run. */
enum hookrun_dns_mode {
	HOOKRUN_DNS_NONE,
	HOOKRUN_DNS_RESOLVCONF,
	HOOKRUN_DNS_RESOLVED,
};

#define HOOKRUN_DNS_ADDRS_MAX CLIENT_MAX_DNS
#define HOOKRUN_DNS_NAMES_MAX CLIENT_MAX_SEARCH
/* resolv_render's text in a RESOLV_TEXT_MAX buffer, with its NUL. */
#define HOOKRUN_DNS_DATA_MAX  RESOLV_TEXT_MAX
#define HOOKRUN_DNS_REQ_MAX   (sizeof(struct hookrun_dns_hdr) + HOOKRUN_DNS_DATA_MAX)

/*
 * The data after the header, by command:
 *   RESOLVCONF_ADD      the resolv.conf text and one NUL (1..DATA_MAX bytes)
 *   RESOLVECTL_DOMAIN   n_names names, each NUL-terminated
 *   the others          nothing
 * n_addrs only with RESOLVECTL_DNS, n_names only with RESOLVECTL_DOMAIN;
 * addrs past n_addrs are 0.
 */
struct hookrun_dns_hdr {
	uint32_t magic;       /* HOOKRUN_MAGIC_DNS */
	uint8_t cmd;          /* enum hookrun_dns_cmd */
	uint8_t n_addrs;      /* 0..HOOKRUN_DNS_ADDRS_MAX */
	uint8_t n_names;      /* 0..HOOKRUN_DNS_NAMES_MAX */
	uint8_t reserved;     /* 0 */
	uint32_t addrs[HOOKRUN_DNS_ADDRS_MAX];   /* host byte order */
};

/* A DNS request as typed fields; pointers into the record it came from. */
struct hookrun_dns {
	enum hookrun_dns_cmd cmd;
	uint8_t n_addrs;
	uint32_t addrs[HOOKRUN_DNS_ADDRS_MAX];
	uint8_t n_names;
	const char *names[HOOKRUN_DNS_NAMES_MAX];
	const char *text;     /* RESOLVCONF_ADD: NUL-terminated; else NULL */
	size_t text_len;      /* without the NUL */
};

enum hookrun_kind {
	HOOKRUN_EXITED = 1,   /* code: exit status 0..255 */
	HOOKRUN_SIGNALLED,    /* code: the signal, 1..64 */
	HOOKRUN_TIMED_OUT,    /* code: 0; SIGKILLed at the timeout */
	HOOKRUN_EXEC_FAILED,  /* code: execve's errno */
	HOOKRUN_FORK_FAILED,  /* code: fork's (or pipe's) errno */
};

struct hookrun_reply {
	uint32_t magic;       /* HOOKRUN_MAGIC_REPLY */
	uint8_t kind;         /* enum hookrun_kind */
	uint8_t reserved[3];  /* 0 */
	int32_t code;
};

struct hookrun_result {
	enum hookrun_kind kind;
	int code;
};

/* Why a block or a reply was refused; a parallel name table. */
enum hookrun_check {
	HOOKRUN_CHECK_OK,
	HOOKRUN_CHECK_SIZE,          /* empty, over HOOKRUN_ENV_MAX, or bad record size */
	HOOKRUN_CHECK_COUNT,         /* count 0, over the max, or not the entries found */
	HOOKRUN_CHECK_UNTERMINATED,  /* bytes after the last NUL */
	HOOKRUN_CHECK_EMPTY_ENTRY,   /* "\0\0" */
	HOOKRUN_CHECK_BAD_NAME,      /* not [A-Za-z_][A-Za-z0-9_]* */
	HOOKRUN_CHECK_NO_EQUALS,     /* a name not followed by '=' */
	HOOKRUN_CHECK_HEADER,        /* magic, reserved bytes, reason or kind */
	HOOKRUN_CHECK_CODE,          /* code out of range for its kind */
	HOOKRUN_CHECK_COMMAND,       /* DNS: unknown command, or fields it does not take */
	HOOKRUN_CHECK_ADDR,          /* DNS: an address validate_ip_unicast refuses */
	HOOKRUN_CHECK_NAME,          /* DNS: a name validate_hostname_charset refuses */
	HOOKRUN_CHECK_TEXT,          /* DNS: a line resolv_render cannot produce */
};

const char *hookrun_check_name(enum hookrun_check c);

/*
 * Check a received environment block of len bytes that claims count
 * entries, exactly: 1..HOOKRUN_ENV_MAX bytes, 1..HOOKRUN_VARS_MAX entries,
 * each "NAME=value" NUL-terminated, NAME of [A-Za-z_][A-Za-z0-9_]*, no
 * empty entry, nothing after the last NUL, count entries in all. On
 * success envp[0..count-1] point into block and envp[count] is NULL
 * (envp_cap >= count + 1, else HOOKRUN_CHECK_COUNT). Pure.
 */
enum hookrun_check hookrun_env_check(char *block, size_t len, size_t count, char **envp,
				     size_t envp_cap);

/* Check a whole request record (header, then the block) the same way. */
enum hookrun_check hookrun_req_check(char *rec, size_t len, char **envp, size_t envp_cap,
				     enum hookenv_reason *reason);

/*
 * Build a request record for envp (NULL-terminated) into rec; *len gets
 * its size. HOOKRUN_CHECK_OK, or the check envp's block would fail (so
 * apply never sends what the runner would refuse). Pure.
 */
enum hookrun_check hookrun_req_build(char *rec, size_t cap, enum hookenv_reason reason,
				     char *const envp[], size_t *len);

/*
 * Check a DNS request record exactly (header, counts, every address
 * unicast, every name of the host-name charset, the text only of lines
 * resolv_render produces, no NUL inside it); fill *out. Pure.
 */
enum hookrun_check hookrun_dns_check(const char *rec, size_t len, struct hookrun_dns *out);

/*
 * Is text (len bytes, no NUL expected) made only of lines resolv_render
 * can produce: "# " comments of printable ASCII, "search" with
 * 1..RESOLV_MAXDNSRCH names, "domain NAME", "nameserver ADDR"; each line
 * ending in '\n', fields separated by single spaces. Pure.
 */
enum hookrun_check hookrun_dns_text_check(const char *text, size_t len);

/* Build the record for d (d->names and d->text read, not kept); *len gets
 * its size. OK, or the check the runner would fail it with. Pure. */
enum hookrun_check hookrun_dns_build(char *rec, size_t cap, const struct hookrun_dns *d,
				     size_t *len);

/* An argv for a checked request: argv[0] is prog, the strings in store. */
struct hookrun_argv {
	char *argv[4 + HOOKRUN_DNS_ADDRS_MAX];
	char store[64 + HOOKRUN_DNS_NAMES_MAX * CLIENT_NAME_MAX];
};

/* Build the argv of d for interface ifname and program prog (both checked
 * by the caller's start-up); HOOKRUN_CHECK_OK or HOOKRUN_CHECK_SIZE. Pure. */
enum hookrun_check hookrun_dns_argv(const struct hookrun_dns *d, const char *ifname,
				    const char *prog, struct hookrun_argv *out);

/* "resolvconf -a", "resolvectl dns", ...; "?" out of range. */
const char *hookrun_dns_cmd_name(enum hookrun_dns_cmd c);

/* Check a received reply record of len bytes; fill *res. Pure. */
enum hookrun_check hookrun_reply_check(const void *rec, size_t len,
				       struct hookrun_result *res);

/* "exited", "signalled", ...; "?" out of range. */
const char *hookrun_kind_name(enum hookrun_kind k);

/* apply's end of the runner. */
struct hookrun {
	int fd;               /* -1: no runner */
	pid_t pid;
	unsigned timeout_ms;  /* the runner kills the script after this */
};

/* What the runner may run, fixed at its start. */
struct hookrun_config {
	const char *script;          /* -sf SCRIPT, absolute; NULL: hook requests refused */
	const char *ifname;          /* the DNS commands' interface (validate_ifname) */
	enum hookrun_dns_mode dns;   /* which DNS program requests may run */
	unsigned timeout_ms;         /* SIGKILL a program still running after this */
	/* For the unit tests only (no command-line option reaches these): the
	 * program to use instead of searching the fixed paths. NULL: search
	 * /usr/sbin/resolvconf, /sbin/resolvconf; /usr/bin/resolvectl. */
	const char *resolvconf_path;
	const char *resolvectl_path;
};

/*
 * Fork the runner for cfg (its strings kept for the runner's life). In the
 * runner only its end of the channel and fds 0, 1 and 2 stay open (the
 * script gets those three, as it did when apply forked it); it looks for
 * the DNS program of cfg->dns once, logging if it is missing (requests for
 * it then answer HOOKRUN_EXEC_FAILED, ENOENT). 0 or -errno (-EINVAL: a DNS
 * mode with a bad interface name).
 */
int hookrun_start(const struct hookrun_config *cfg, struct hookrun *hr);

/*
 * Run the script once with envp (NULL-terminated, as hookenv_build makes
 * it) and wait for the runner's answer, at most timeout_ms +
 * HOOKRUN_REPLY_MARGIN_MS (the channel's SO_RCVTIMEO: only sendto and
 * recvfrom, so it works under apply's seccomp filter); log how the script
 * ended as run_hook did: "hook BOUND exited with status 3". 0 with *res filled,
 * or -errno when the runner is broken or gone (-EPIPE: it exited;
 * -ETIMEDOUT: no answer in time; -EBADMSG: a malformed reply; -EMSGSIZE or
 * -EINVAL: envp does not fit the wire format): the caller must then exit.
 */
int hookrun_call(struct hookrun *hr, enum hookenv_reason reason, char *const envp[],
		 struct hookrun_result *res);

/*
 * Run one DNS command as hookrun_call runs the script; log how it ended:
 * "resolvconf -a exited with status 1". Same returns, -EINVAL also when d
 * fails the runner's check (logged; nothing sent).
 */
int hookrun_dns_call(struct hookrun *hr, const struct hookrun_dns *d,
		     struct hookrun_result *res);

/* Close apply's end: the runner sees EOF and exits 0. Does not wait. */
void hookrun_close(struct hookrun *hr);

#endif
