/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hook runner: the exact checks of its request and reply (pure, a
 * table), then real runners on tiny scripts in a mkdtemp() directory: the
 * environment arrives byte for byte, the exit status comes back, a script
 * past its timeout is killed and reported, a closed channel ends the runner
 * with status 0, a malformed request ends it with status 1. The DNS
 * requests likewise: their checks (table), the argv built from them, and
 * fake resolvconf and resolvectl scripts that record what they were given.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "lessee/hookrun.h"
#include "lessee/resolv.h"

#define LEAK_FD 77   /* above the fds a shell keeps for itself (dash: 10) */

static char *envp[HOOKRUN_VARS_MAX + 2];
static char big[HOOKRUN_ENV_MAX + 64];

/* ---- the block --------------------------------------------------------- */

struct block_case {
	const char *name;
	const char *bytes;
	size_t len;
	size_t count;
	enum hookrun_check want;
};

#define BLK(s) s, sizeof(s) - 1   /* the bytes of a literal, without C's own NUL */

static const struct block_case block_cases[] = {
	{ "good", BLK("reason=BOUND\0interface=eth0\0"), 2, HOOKRUN_CHECK_OK },
	{ "value with '=' and any byte", BLK("a==b\x01\xff c\0_x9=\0"), 2, HOOKRUN_CHECK_OK },
	{ "missing final NUL", BLK("reason=BOUND\0interface=eth0"), 2,
	  HOOKRUN_CHECK_UNTERMINATED },
	{ "count too big", BLK("reason=BOUND\0interface=eth0\0"), 3, HOOKRUN_CHECK_COUNT },
	{ "count too small", BLK("reason=BOUND\0interface=eth0\0"), 1, HOOKRUN_CHECK_COUNT },
	{ "count 0", BLK("reason=BOUND\0"), 0, HOOKRUN_CHECK_COUNT },
	{ "empty block", BLK(""), 1, HOOKRUN_CHECK_SIZE },
	{ "name with '-'", BLK("new-ip=1\0"), 1, HOOKRUN_CHECK_BAD_NAME },
	{ "name with a space", BLK("a b=1\0"), 1, HOOKRUN_CHECK_BAD_NAME },
	{ "name starting with a digit", BLK("1abc=x\0"), 1, HOOKRUN_CHECK_BAD_NAME },
	{ "no name", BLK("=x\0"), 1, HOOKRUN_CHECK_BAD_NAME },
	{ "name with a high byte", BLK("n\xc3\xa9=1\0"), 1, HOOKRUN_CHECK_BAD_NAME },
	{ "empty entry in the middle", BLK("a=1\0\0b=2\0"), 3, HOOKRUN_CHECK_EMPTY_ENTRY },
	{ "only a NUL", BLK("\0"), 1, HOOKRUN_CHECK_EMPTY_ENTRY },
	{ "entry without '='", BLK("a=1\0abc\0"), 2, HOOKRUN_CHECK_NO_EQUALS },
};

static void test_block_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(block_cases) / sizeof(block_cases[0]); i++) {
		const struct block_case *c = &block_cases[i];
		memcpy(big, c->bytes, c->len);
		enum hookrun_check got = hookrun_env_check(big, c->len, c->count, envp,
							   HOOKRUN_VARS_MAX + 1);
		if (got != c->want)
			fail_msg("%s: got %s, want %s", c->name, hookrun_check_name(got),
				 hookrun_check_name(c->want));
	}
}

static void test_block_good_envp(void **state)
{
	static const char b[] = "reason=BOUND\0interface=eth0\0x=\0";
	(void)state;
	memcpy(big, b, sizeof(b) - 1);
	assert_int_equal(hookrun_env_check(big, sizeof(b) - 1, 3, envp, 4), HOOKRUN_CHECK_OK);
	assert_string_equal(envp[0], "reason=BOUND");
	assert_string_equal(envp[1], "interface=eth0");
	assert_string_equal(envp[2], "x=");
	assert_null(envp[3]);
	assert_ptr_equal(envp[0], big);
	/* envp must hold count + 1 slots */
	assert_int_equal(hookrun_env_check(big, sizeof(b) - 1, 3, envp, 3), HOOKRUN_CHECK_COUNT);
}

/* n entries "vNN=x" into big; returns the length. */
static size_t many(size_t n)
{
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(big + len, sizeof(big) - len, "v%zu=x", i) + 1;
	return len;
}

static void test_block_entries_bound(void **state)
{
	(void)state;
	size_t len = many(HOOKRUN_VARS_MAX);
	assert_int_equal(hookrun_env_check(big, len, HOOKRUN_VARS_MAX, envp, HOOKRUN_VARS_MAX + 1),
			 HOOKRUN_CHECK_OK);
	len = many(HOOKRUN_VARS_MAX + 1);
	assert_int_equal(hookrun_env_check(big, len, HOOKRUN_VARS_MAX + 1, envp,
					   HOOKRUN_VARS_MAX + 2), HOOKRUN_CHECK_COUNT);
	assert_int_equal(hookrun_env_check(big, len, HOOKRUN_VARS_MAX, envp,
					   HOOKRUN_VARS_MAX + 2), HOOKRUN_CHECK_COUNT);
}

static void test_block_size_bound(void **state)
{
	(void)state;
	/* One entry filling the block exactly, then one byte more. */
	memset(big, 'a', sizeof(big));
	big[1] = '=';
	big[HOOKRUN_ENV_MAX - 1] = '\0';
	assert_int_equal(hookrun_env_check(big, HOOKRUN_ENV_MAX, 1, envp, 2), HOOKRUN_CHECK_OK);
	big[HOOKRUN_ENV_MAX - 1] = 'a';
	big[HOOKRUN_ENV_MAX] = '\0';
	assert_int_equal(hookrun_env_check(big, HOOKRUN_ENV_MAX + 1, 1, envp, 2),
			 HOOKRUN_CHECK_SIZE);
}

/* ---- the request record ------------------------------------------------ */

static char env_reason[] = "reason=BOUND";
static char env_if[] = "interface=eth0";
static char env_path[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
static char env_ip[] = "new_ip_address=192.0.2.10";
static char env_fd[] = "LEAK_FD=77";
static char *const good_env[] = { env_reason, env_if, env_path, env_ip, env_fd, NULL };

static void test_request_roundtrip(void **state)
{
	static char rec[HOOKRUN_REQ_MAX];
	enum hookenv_reason reason = HOOKENV_REASON_COUNT;
	size_t len = 0;
	(void)state;

	assert_int_equal(hookrun_req_build(rec, sizeof(rec), HOOKENV_RENEW, good_env, &len),
			 HOOKRUN_CHECK_OK);
	assert_int_equal(hookrun_req_check(rec, len, envp, HOOKRUN_VARS_MAX + 1, &reason),
			 HOOKRUN_CHECK_OK);
	assert_int_equal(reason, HOOKENV_RENEW);
	for (size_t i = 0; good_env[i]; i++)
		assert_string_equal(envp[i], good_env[i]);
	assert_null(envp[5]);

	struct hookrun_req_hdr h;
	memcpy(&h, rec, sizeof(h));
	h.magic ^= 1;
	memcpy(rec, &h, sizeof(h));
	assert_int_equal(hookrun_req_check(rec, len, envp, HOOKRUN_VARS_MAX + 1, &reason),
			 HOOKRUN_CHECK_HEADER);
	h.magic ^= 1;
	h.reserved = 1;
	memcpy(rec, &h, sizeof(h));
	assert_int_equal(hookrun_req_check(rec, len, envp, HOOKRUN_VARS_MAX + 1, &reason),
			 HOOKRUN_CHECK_HEADER);
	h.reserved = 0;
	h.reason = HOOKENV_REASON_COUNT;
	memcpy(rec, &h, sizeof(h));
	assert_int_equal(hookrun_req_check(rec, len, envp, HOOKRUN_VARS_MAX + 1, &reason),
			 HOOKRUN_CHECK_HEADER);
	assert_int_equal(hookrun_req_check(rec, sizeof(h) - 1, envp, HOOKRUN_VARS_MAX + 1,
					   &reason), HOOKRUN_CHECK_SIZE);
}

/* apply never builds what the runner would refuse. */
static void test_request_build_refuses(void **state)
{
	static char rec[HOOKRUN_REQ_MAX];
	static char bad_name[] = "a-b=1";
	static char *const bad[] = { env_reason, bad_name, NULL };
	static char *const none[] = { NULL };
	size_t len = 0;
	(void)state;

	assert_int_equal(hookrun_req_build(rec, sizeof(rec), HOOKENV_BOUND, bad, &len),
			 HOOKRUN_CHECK_BAD_NAME);
	assert_int_equal(hookrun_req_build(rec, sizeof(rec), HOOKENV_BOUND, none, &len),
			 HOOKRUN_CHECK_SIZE);
	assert_int_equal(hookrun_req_build(rec, sizeof(rec), HOOKENV_REASON_COUNT, good_env,
					   &len), HOOKRUN_CHECK_HEADER);
	assert_int_equal(hookrun_req_build(rec, 20, HOOKENV_BOUND, good_env, &len),
			 HOOKRUN_CHECK_SIZE);
}

/* ---- the reply --------------------------------------------------------- */

static struct hookrun_reply reply(uint8_t kind, int32_t code)
{
	struct hookrun_reply r;
	memset(&r, 0, sizeof(r));
	r.magic = HOOKRUN_MAGIC_REPLY;
	r.kind = kind;
	r.code = code;
	return r;
}

static enum hookrun_check check_reply(struct hookrun_reply r)
{
	struct hookrun_result res;
	return hookrun_reply_check(&r, sizeof(r), &res);
}

static void test_reply_table(void **state)
{
	struct hookrun_result res;
	struct hookrun_reply r = reply(HOOKRUN_EXITED, 3);
	(void)state;

	assert_int_equal(hookrun_reply_check(&r, sizeof(r), &res), HOOKRUN_CHECK_OK);
	assert_int_equal(res.kind, HOOKRUN_EXITED);
	assert_int_equal(res.code, 3);
	assert_int_equal(hookrun_reply_check(&r, sizeof(r) - 1, &res), HOOKRUN_CHECK_SIZE);
	assert_int_equal(check_reply(reply(HOOKRUN_EXITED, 255)), HOOKRUN_CHECK_OK);
	assert_int_equal(check_reply(reply(HOOKRUN_EXITED, 256)), HOOKRUN_CHECK_CODE);
	assert_int_equal(check_reply(reply(HOOKRUN_EXITED, -1)), HOOKRUN_CHECK_CODE);
	assert_int_equal(check_reply(reply(HOOKRUN_SIGNALLED, 9)), HOOKRUN_CHECK_OK);
	assert_int_equal(check_reply(reply(HOOKRUN_SIGNALLED, 0)), HOOKRUN_CHECK_CODE);
	assert_int_equal(check_reply(reply(HOOKRUN_SIGNALLED, 65)), HOOKRUN_CHECK_CODE);
	assert_int_equal(check_reply(reply(HOOKRUN_TIMED_OUT, 0)), HOOKRUN_CHECK_OK);
	assert_int_equal(check_reply(reply(HOOKRUN_TIMED_OUT, 1)), HOOKRUN_CHECK_CODE);
	assert_int_equal(check_reply(reply(HOOKRUN_EXEC_FAILED, ENOENT)), HOOKRUN_CHECK_OK);
	assert_int_equal(check_reply(reply(HOOKRUN_EXEC_FAILED, 0)), HOOKRUN_CHECK_CODE);
	assert_int_equal(check_reply(reply(HOOKRUN_FORK_FAILED, 4096)), HOOKRUN_CHECK_CODE);
	assert_int_equal(check_reply(reply(0, 0)), HOOKRUN_CHECK_HEADER);
	assert_int_equal(check_reply(reply(HOOKRUN_FORK_FAILED + 1, 1)), HOOKRUN_CHECK_HEADER);
	r = reply(HOOKRUN_EXITED, 0);
	r.reserved[2] = 1;
	assert_int_equal(check_reply(r), HOOKRUN_CHECK_HEADER);
	r = reply(HOOKRUN_EXITED, 0);
	r.magic = HOOKRUN_MAGIC_REQ;
	assert_int_equal(check_reply(r), HOOKRUN_CHECK_HEADER);
}

/* ---- DNS requests (pure) ---------------------------------------------- */

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static char dns_rec[HOOKRUN_DNS_REQ_MAX + 64];

static const char good_text[] = "# Generated by lessee for eth0\n"
				"search a.example b.example\n"
				"nameserver 192.0.2.53\n"
				"nameserver 198.51.100.1\n";

static struct hookrun_dns dns_of(enum hookrun_dns_cmd cmd)
{
	struct hookrun_dns d;
	memset(&d, 0, sizeof(d));
	d.cmd = cmd;
	return d;
}

/* Build d; the builder's own verdict (it runs the runner's check). */
static enum hookrun_check build(const struct hookrun_dns *d, size_t *len)
{
	return hookrun_dns_build(dns_rec, sizeof(dns_rec), d, len);
}

static enum hookrun_check check_raw(size_t len)
{
	struct hookrun_dns out;
	return hookrun_dns_check(dns_rec, len, &out);
}

static void test_dns_roundtrip(void **state)
{
	struct hookrun_dns d = dns_of(HOOKRUN_DNS_RESOLVCONF_ADD), out;
	size_t len = 0;
	(void)state;

	d.text = good_text;
	d.text_len = sizeof(good_text) - 1;
	assert_int_equal(build(&d, &len), HOOKRUN_CHECK_OK);
	assert_int_equal(hookrun_dns_check(dns_rec, len, &out), HOOKRUN_CHECK_OK);
	assert_int_equal(out.cmd, HOOKRUN_DNS_RESOLVCONF_ADD);
	assert_int_equal(out.text_len, sizeof(good_text) - 1);
	assert_string_equal(out.text, good_text);

	d = dns_of(HOOKRUN_DNS_RESOLVECTL_DNS);
	d.n_addrs = 2;
	d.addrs[0] = IP4(192, 0, 2, 53);
	d.addrs[1] = IP4(198, 51, 100, 1);
	assert_int_equal(build(&d, &len), HOOKRUN_CHECK_OK);
	assert_int_equal(hookrun_dns_check(dns_rec, len, &out), HOOKRUN_CHECK_OK);
	assert_int_equal(out.n_addrs, 2);
	assert_int_equal(out.addrs[1], IP4(198, 51, 100, 1));

	d = dns_of(HOOKRUN_DNS_RESOLVECTL_DOMAIN);
	d.n_names = 2;
	d.names[0] = "a.example";
	d.names[1] = "b.example.";
	assert_int_equal(build(&d, &len), HOOKRUN_CHECK_OK);
	assert_int_equal(hookrun_dns_check(dns_rec, len, &out), HOOKRUN_CHECK_OK);
	assert_int_equal(out.n_names, 2);
	assert_string_equal(out.names[1], "b.example.");

	d = dns_of(HOOKRUN_DNS_RESOLVECTL_REVERT);
	assert_int_equal(build(&d, &len), HOOKRUN_CHECK_OK);
	assert_int_equal(len, sizeof(struct hookrun_dns_hdr));
}

/* Header fields: command, counts, addresses, reserved. */
static void test_dns_check_header(void **state)
{
	struct hookrun_dns d = dns_of(HOOKRUN_DNS_RESOLVECTL_REVERT);
	struct hookrun_dns_hdr h;
	size_t len = 0;
	(void)state;

	assert_int_equal(build(&d, &len), HOOKRUN_CHECK_OK);
	memcpy(&h, dns_rec, sizeof(h));
	static const uint8_t bad_cmds[] = { 0, HOOKRUN_DNS_RESOLVECTL_REVERT + 1, 255 };
	for (size_t i = 0; i < sizeof(bad_cmds); i++) {
		struct hookrun_dns_hdr b = h;
		b.cmd = bad_cmds[i];
		memcpy(dns_rec, &b, sizeof(b));
		assert_int_equal(check_raw(len), HOOKRUN_CHECK_COMMAND);
	}
	d = dns_of(0);
	assert_int_equal(build(&d, &len), HOOKRUN_CHECK_COMMAND);

	struct hookrun_dns_hdr b = h;
	b.reserved = 1;
	memcpy(dns_rec, &b, sizeof(b));
	assert_int_equal(check_raw(len), HOOKRUN_CHECK_HEADER);
	b = h;
	b.n_addrs = 1;   /* revert takes no address */
	b.addrs[0] = IP4(192, 0, 2, 1);
	memcpy(dns_rec, &b, sizeof(b));
	assert_int_equal(check_raw(len), HOOKRUN_CHECK_COMMAND);
	b = h;
	b.cmd = HOOKRUN_DNS_RESOLVECTL_DNS;
	b.n_addrs = HOOKRUN_DNS_ADDRS_MAX + 1;
	memcpy(dns_rec, &b, sizeof(b));
	assert_int_equal(check_raw(len), HOOKRUN_CHECK_COUNT);
	b.n_addrs = 0;
	b.addrs[3] = IP4(192, 0, 2, 1);   /* past n_addrs: must be 0 */
	memcpy(dns_rec, &b, sizeof(b));
	assert_int_equal(check_raw(len), HOOKRUN_CHECK_ADDR);
	memcpy(dns_rec, &h, sizeof(h));
	assert_int_equal(check_raw(sizeof(h) - 1), HOOKRUN_CHECK_SIZE);
	assert_int_equal(check_raw(sizeof(h) + 1), HOOKRUN_CHECK_SIZE);   /* data for revert */
}

static void test_dns_check_addrs(void **state)
{
	static const uint32_t bad[] = { 0, IP4(0, 1, 2, 3), IP4(127, 0, 0, 1),
					IP4(224, 0, 0, 251), IP4(239, 1, 1, 1),
					IP4(255, 255, 255, 255), IP4(240, 0, 0, 1) };
	struct hookrun_dns d = dns_of(HOOKRUN_DNS_RESOLVECTL_DNS);
	size_t len = 0;
	(void)state;

	d.n_addrs = 2;
	d.addrs[0] = IP4(192, 0, 2, 53);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d.addrs[1] = bad[i];
		if (build(&d, &len) != HOOKRUN_CHECK_ADDR)
			fail_msg("address %08x accepted", bad[i]);
	}
}

static enum hookrun_check names_block(const char *bytes, size_t blen, uint8_t n)
{
	struct hookrun_dns_hdr h;
	memset(&h, 0, sizeof(h));
	h.magic = HOOKRUN_MAGIC_DNS;
	h.cmd = HOOKRUN_DNS_RESOLVECTL_DOMAIN;
	h.n_names = n;
	memcpy(dns_rec, &h, sizeof(h));
	memcpy(dns_rec + sizeof(h), bytes, blen);
	return check_raw(sizeof(h) + blen);
}

static void test_dns_check_names(void **state)
{
	static const char *const bad[] = { "a;b.example", "a b", "-x.example", "a..b", "",
					   "x$(id)", "a\nnameserver 1.2.3.4", "." };
	struct hookrun_dns d = dns_of(HOOKRUN_DNS_RESOLVECTL_DOMAIN);
	size_t len = 0;
	(void)state;

	d.n_names = 1;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d.names[0] = bad[i];
		if (build(&d, &len) != HOOKRUN_CHECK_NAME)
			fail_msg("name \"%s\" accepted", bad[i]);
	}
	/* Raw blocks: a NUL inside a name splits it, so the count no longer
	 * matches; a missing final NUL; more names than claimed. */
	assert_int_equal(names_block(BLK("a.example\0"), 1), HOOKRUN_CHECK_OK);
	assert_int_equal(names_block(BLK("a.ex\0ample\0"), 1), HOOKRUN_CHECK_SIZE);
	assert_int_equal(names_block(BLK("a.example"), 1), HOOKRUN_CHECK_UNTERMINATED);
	assert_int_equal(names_block(BLK("a.example\0b.example\0"), 1), HOOKRUN_CHECK_SIZE);
	assert_int_equal(names_block(BLK("a.example\0"), 2), HOOKRUN_CHECK_COUNT);
	assert_int_equal(names_block(BLK("a;b\0"), 1), HOOKRUN_CHECK_NAME);
	assert_int_equal(names_block(BLK(""), HOOKRUN_DNS_NAMES_MAX + 1), HOOKRUN_CHECK_COUNT);
	/* A name on another command. */
	d = dns_of(HOOKRUN_DNS_RESOLVECTL_DNS);
	d.n_names = 1;
	d.names[0] = "a.example";
	assert_int_equal(build(&d, &len), HOOKRUN_CHECK_COMMAND);
}

struct text_case {
	const char *name;
	const char *text;
	enum hookrun_check want;
};

static const struct text_case text_cases[] = {
	{ "render output", good_text, HOOKRUN_CHECK_OK },
	{ "domain line", "# x\ndomain example.org\nnameserver 192.0.2.1\n", HOOKRUN_CHECK_OK },
	{ "comment only", "# Generated by lessee for eth0\n", HOOKRUN_CHECK_OK },
	{ "options line", "nameserver 192.0.2.1\noptions ndots:15\n", HOOKRUN_CHECK_TEXT },
	{ "sortlist line", "sortlist 10.0.0.0\n", HOOKRUN_CHECK_TEXT },
	{ "no final newline", "nameserver 192.0.2.1", HOOKRUN_CHECK_TEXT },
	{ "empty line", "nameserver 192.0.2.1\n\n", HOOKRUN_CHECK_TEXT },
	{ "loopback server", "nameserver 127.0.0.53\n", HOOKRUN_CHECK_TEXT },
	{ "server 0.0.0.0", "nameserver 0.0.0.0\n", HOOKRUN_CHECK_TEXT },
	{ "multicast server", "nameserver 224.0.0.251\n", HOOKRUN_CHECK_TEXT },
	{ "server with junk", "nameserver 192.0.2.1 x\n", HOOKRUN_CHECK_TEXT },
	{ "two spaces", "search  a.example\n", HOOKRUN_CHECK_TEXT },
	{ "trailing space", "search a.example \n", HOOKRUN_CHECK_TEXT },
	{ "empty search", "search\n", HOOKRUN_CHECK_TEXT },
	{ "seven search names", "search a b c d e f g\n", HOOKRUN_CHECK_TEXT },
	{ "six search names", "search a b c d e f\n", HOOKRUN_CHECK_OK },
	{ "';' in a name", "search a;b\n", HOOKRUN_CHECK_TEXT },
	{ "two domains", "domain a.example b.example\n", HOOKRUN_CHECK_TEXT },
	{ "tab", "nameserver\t192.0.2.1\n", HOOKRUN_CHECK_TEXT },
	{ "control byte in a comment", "# a\x1b[2J\n", HOOKRUN_CHECK_TEXT },
	{ "CR", "nameserver 192.0.2.1\r\n", HOOKRUN_CHECK_TEXT },
	{ "empty", "", HOOKRUN_CHECK_SIZE },
};

static void test_dns_text_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(text_cases) / sizeof(text_cases[0]); i++) {
		const struct text_case *c = &text_cases[i];
		enum hookrun_check got = hookrun_dns_text_check(c->text, strlen(c->text));
		if (got != c->want)
			fail_msg("%s: got %s, want %s", c->name, hookrun_check_name(got),
				 hookrun_check_name(c->want));
	}
}

/* The record: the text's final NUL, a NUL inside, the size bound. */
static void test_dns_text_record(void **state)
{
	struct hookrun_dns d = dns_of(HOOKRUN_DNS_RESOLVCONF_ADD);
	static char text[HOOKRUN_DNS_DATA_MAX + 16];
	size_t len = 0, hl = sizeof(struct hookrun_dns_hdr);
	(void)state;

	d.text = good_text;
	d.text_len = sizeof(good_text) - 1;
	assert_int_equal(build(&d, &len), HOOKRUN_CHECK_OK);
	assert_int_equal(check_raw(len - 1), HOOKRUN_CHECK_UNTERMINATED);   /* no NUL */
	dns_rec[hl + 5] = '\0';
	assert_int_equal(check_raw(len), HOOKRUN_CHECK_TEXT);               /* NUL inside */
	assert_int_equal(check_raw(hl), HOOKRUN_CHECK_SIZE);                /* no text */
	d.text = "nameserver 192.0.2.1\noptions rotate\n";
	d.text_len = strlen(d.text);
	assert_int_equal(build(&d, &len), HOOKRUN_CHECK_TEXT);

	/* Comment lines up to the bound: the largest text fits, one more byte
	 * does not (neither built nor, sent raw, accepted). */
	memset(text, 'x', sizeof(text));
	for (size_t i = 0; i + 64 <= sizeof(text); i += 64) {
		text[i] = '#';
		text[i + 1] = ' ';
		text[i + 63] = '\n';
	}
	d.text = text;
	d.text_len = HOOKRUN_DNS_DATA_MAX - 1;   /* a multiple of 64, minus 1 */
	text[d.text_len - 1] = '\n';
	assert_int_equal(build(&d, &len), HOOKRUN_CHECK_OK);
	d.text_len = HOOKRUN_DNS_DATA_MAX;
	text[d.text_len - 1] = '\n';
	assert_int_equal(hookrun_dns_build(dns_rec, sizeof(dns_rec), &d, &len), HOOKRUN_CHECK_SIZE);
	assert_int_equal(hookrun_dns_text_check(text, d.text_len), HOOKRUN_CHECK_SIZE);
}

/* Whatever resolv_render produces passes the runner's text check. */
static void test_dns_text_from_render(void **state)
{
	static struct client_lease l;
	static char text[RESOLV_TEXT_MAX];
	size_t len = 0;
	(void)state;

	memset(&l, 0, sizeof(l));
	l.address = IP4(192, 0, 2, 10);
	l.prefix = 24;
	l.broadcast = IP4(192, 0, 2, 255);
	l.lease_s = 3600;
	l.t1_s = 1800;
	l.t2_s = 3150;
	l.n_dns = 5;   /* two past MAXNS: the comment line */
	for (unsigned i = 0; i < l.n_dns; i++)
		l.dns[i] = IP4(198, 51, 100, 1 + i);
	strcpy(l.domain_name, "example.org");
	assert_int_equal(resolv_render("eth0", &l, text, sizeof(text), &len), RESOLV_OK);
	assert_int_equal(hookrun_dns_text_check(text, len), HOOKRUN_CHECK_OK);
	l.n_search = CLIENT_MAX_SEARCH;
	for (unsigned i = 0; i < l.n_search; i++)
		snprintf(l.search[i], sizeof(l.search[i]), "s%u.%063u.example.", i, 0u);
	assert_int_equal(resolv_render("eth0", &l, text, sizeof(text), &len), RESOLV_OK);
	assert_int_equal(hookrun_dns_text_check(text, len), HOOKRUN_CHECK_OK);
}

static void assert_argv(char *const *argv, const char *const *want)
{
	size_t i;
	for (i = 0; want[i]; i++) {
		assert_non_null(argv[i]);
		assert_string_equal(argv[i], want[i]);
	}
	assert_null(argv[i]);
}

static void test_dns_argv(void **state)
{
	static struct hookrun_argv av;
	struct hookrun_dns d = dns_of(HOOKRUN_DNS_RESOLVCONF_ADD);
	(void)state;

	assert_int_equal(hookrun_dns_argv(&d, "eth0", "/x/resolvconf", &av), HOOKRUN_CHECK_OK);
	assert_argv(av.argv, (const char *[]){ "/x/resolvconf", "-a", "eth0.lessee", NULL });
	d.cmd = HOOKRUN_DNS_RESOLVCONF_DELETE;
	assert_int_equal(hookrun_dns_argv(&d, "eth0", "/x/resolvconf", &av), HOOKRUN_CHECK_OK);
	assert_argv(av.argv, (const char *[]){ "/x/resolvconf", "-d", "eth0.lessee", NULL });
	d = dns_of(HOOKRUN_DNS_RESOLVECTL_DNS);
	assert_int_equal(hookrun_dns_argv(&d, "eth0", "/y/resolvectl", &av), HOOKRUN_CHECK_OK);
	assert_argv(av.argv, (const char *[]){ "/y/resolvectl", "dns", "eth0", "", NULL });
	d.n_addrs = HOOKRUN_DNS_ADDRS_MAX;
	for (unsigned i = 0; i < d.n_addrs; i++)
		d.addrs[i] = IP4(192, 0, 2, 1 + i);
	assert_int_equal(hookrun_dns_argv(&d, "eth0", "/y/resolvectl", &av), HOOKRUN_CHECK_OK);
	assert_string_equal(av.argv[3], "192.0.2.1");
	assert_string_equal(av.argv[3 + HOOKRUN_DNS_ADDRS_MAX - 1], "192.0.2.8");
	assert_null(av.argv[3 + HOOKRUN_DNS_ADDRS_MAX]);
	d = dns_of(HOOKRUN_DNS_RESOLVECTL_DOMAIN);
	assert_int_equal(hookrun_dns_argv(&d, "eth0", "/y/resolvectl", &av), HOOKRUN_CHECK_OK);
	assert_argv(av.argv, (const char *[]){ "/y/resolvectl", "domain", "eth0", "", NULL });
	d = dns_of(HOOKRUN_DNS_RESOLVECTL_REVERT);
	assert_int_equal(hookrun_dns_argv(&d, "eth0", "/y/resolvectl", &av), HOOKRUN_CHECK_OK);
	assert_argv(av.argv, (const char *[]){ "/y/resolvectl", "revert", "eth0", NULL });
	d = dns_of(9);
	assert_int_equal(hookrun_dns_argv(&d, "eth0", "/y/resolvectl", &av),
			 HOOKRUN_CHECK_COMMAND);
}

/* The runner's argv is resolv.c's (resolv_cmd_*), argv[0] aside: the
 * same arguments from the same lease, whichever way they are built. */
static void test_dns_argv_matches_resolv(void **state)
{
	static struct hookrun_argv av;
	static struct resolv_cmd cmd;
	static struct client_lease l;
	struct hookrun_dns d = dns_of(HOOKRUN_DNS_RESOLVECTL_DNS);
	(void)state;

	memset(&l, 0, sizeof(l));
	l.n_dns = 2;
	l.dns[0] = IP4(192, 0, 2, 53);
	l.dns[1] = IP4(198, 51, 100, 1);
	l.n_search = 2;
	strcpy(l.search[0], "a.example");
	strcpy(l.search[1], "b.example");
	d.n_addrs = l.n_dns;
	memcpy(d.addrs, l.dns, sizeof(l.dns));
	assert_int_equal(resolv_cmd_resolvectl_dns("eth0", &l, &cmd), RESOLV_OK);
	assert_int_equal(hookrun_dns_argv(&d, "eth0", "resolvectl", &av), HOOKRUN_CHECK_OK);
	assert_argv(av.argv, (const char *const *)cmd.argv);
	d = dns_of(HOOKRUN_DNS_RESOLVECTL_DOMAIN);
	d.n_names = 2;
	d.names[0] = l.search[0];
	d.names[1] = l.search[1];
	assert_int_equal(resolv_cmd_resolvectl_domain("eth0", &l, &cmd), RESOLV_OK);
	assert_int_equal(hookrun_dns_argv(&d, "eth0", "resolvectl", &av), HOOKRUN_CHECK_OK);
	assert_argv(av.argv, (const char *const *)cmd.argv);
	d = dns_of(HOOKRUN_DNS_RESOLVCONF_ADD);
	assert_int_equal(resolv_cmd_resolvconf_add("eth0", &cmd), RESOLV_OK);
	assert_int_equal(hookrun_dns_argv(&d, "eth0", "resolvconf", &av), HOOKRUN_CHECK_OK);
	assert_argv(av.argv, (const char *const *)cmd.argv);
	d = dns_of(HOOKRUN_DNS_RESOLVCONF_DELETE);
	assert_int_equal(resolv_cmd_resolvconf_delete("eth0", &cmd), RESOLV_OK);
	assert_int_equal(hookrun_dns_argv(&d, "eth0", "resolvconf", &av), HOOKRUN_CHECK_OK);
	assert_argv(av.argv, (const char *const *)cmd.argv);
	d = dns_of(HOOKRUN_DNS_RESOLVECTL_REVERT);
	assert_int_equal(resolv_cmd_resolvectl_revert("eth0", &cmd), RESOLV_OK);
	assert_int_equal(hookrun_dns_argv(&d, "eth0", "resolvectl", &av), HOOKRUN_CHECK_OK);
	assert_argv(av.argv, (const char *const *)cmd.argv);
}

/* ---- real runners ------------------------------------------------------ */

static char dir[64];

static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	(void)state;
	snprintf(dir, sizeof(dir), "%s/lessee-hookrun-XXXXXX", tmp ? tmp : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	static const char *const names[] = {
		"env.sh", "env.sh.env", "env.sh.argv", "env.sh.fd", "sleep.sh", "term.sh",
		"plain.txt", "resolvconf", "resolvconf.argv", "resolvconf.stdin",
		"resolvconf.env", "resolvectl", "resolvectl.argv", "resolvectl.stdin",
		"resolvectl.env",
	};
	char p[128];
	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		unlink(p);
	}
	return rmdir(dir);
}

static void path_of(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/%s", dir, name);
}

static void write_file(const char *name, const char *text, mode_t mode)
{
	char p[128];
	path_of(p, sizeof(p), name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static size_t read_file(const char *name, char *buf, size_t cap)
{
	char p[128];
	path_of(p, sizeof(p), name);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail_msg("%s: %s", p, strerror(errno));
	ssize_t n = read(fd, buf, cap);
	close(fd);
	assert_true(n >= 0);
	return (size_t)n;
}

/* Wait (at most 5 s) for pid; its wait status. */
static int reap(pid_t pid)
{
	int status = 0;
	for (int i = 0; i < 500; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	fail_msg("pid %d did not exit within 5 s", (int)pid);
	return -1;
}

static void start(const char *name, unsigned timeout_ms, struct hookrun *hr)
{
	char p[128];
	path_of(p, sizeof(p), name);
	struct hookrun_config cfg = { .script = p, .ifname = "eth0", .timeout_ms = timeout_ms };
	assert_int_equal(hookrun_start(&cfg, hr), 0);
	assert_true(hr->fd >= 0 && hr->pid > 0);
}

static void stop(struct hookrun *hr)
{
	hookrun_close(hr);
	int status = reap(hr->pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/*
 * The script records its environment as execve gave it (/proc/PID/environ
 * of the shell, before the shell adds anything), its $0 and $#, and whether
 * an fd the test left open without close-on-exec reached it.
 */
static const char env_script[] =
	"#!/bin/sh\n"
	"cat /proc/$$/environ > \"$0.env\"\n"
	"printf '%s|%s' \"$0\" \"$#\" > \"$0.argv\"\n"
	"if [ -e /proc/$$/fd/$LEAK_FD ]; then echo open; else echo closed; fi > \"$0.fd\"\n"
	"exit 3\n";

static void test_runner_env_and_status(void **state)
{
	struct hookrun hr;
	struct hookrun_result res = { 0, -1 };
	char got[4096], want[4096], p[128];
	size_t wlen = 0;
	(void)state;

	write_file("env.sh", env_script, 0755);
	int leak = open("/dev/null", O_RDONLY);   /* no O_CLOEXEC: as apply's fd 3 */
	assert_int_equal(dup2(leak, LEAK_FD), LEAK_FD);
	start("env.sh", 5000, &hr);
	close(LEAK_FD);
	close(leak);
	assert_int_equal(hookrun_call(&hr, HOOKENV_BOUND, good_env, &res), 0);
	assert_int_equal(res.kind, HOOKRUN_EXITED);
	assert_int_equal(res.code, 3);

	for (size_t i = 0; good_env[i]; i++) {
		size_t l = strlen(good_env[i]) + 1;
		memcpy(want + wlen, good_env[i], l);
		wlen += l;
	}
	size_t glen = read_file("env.sh.env", got, sizeof(got));
	assert_int_equal(glen, wlen);
	assert_memory_equal(got, want, wlen);
	path_of(p, sizeof(p), "env.sh");
	glen = read_file("env.sh.argv", got, sizeof(got) - 1);
	got[glen] = '\0';
	snprintf(want, sizeof(want), "%s|0", p);
	assert_string_equal(got, want);
	glen = read_file("env.sh.fd", got, sizeof(got) - 1);
	got[glen] = '\0';
	assert_string_equal(got, "closed\n");

	/* The runner serves one call after another. */
	assert_int_equal(hookrun_call(&hr, HOOKENV_RENEW, good_env, &res), 0);
	assert_int_equal(res.code, 3);
	stop(&hr);
}

static uint64_t ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void test_runner_timeout(void **state)
{
	struct hookrun hr;
	struct hookrun_result res = { 0, -1 };
	(void)state;

	/* exec: the sleep is the script's process, so SIGKILL leaves nothing. */
	write_file("sleep.sh", "#!/bin/sh\nexec sleep 10\n", 0755);
	start("sleep.sh", 300, &hr);
	uint64_t t0 = ms_now();
	assert_int_equal(hookrun_call(&hr, HOOKENV_BOUND, good_env, &res), 0);
	uint64_t took = ms_now() - t0;
	assert_int_equal(res.kind, HOOKRUN_TIMED_OUT);
	assert_int_equal(res.code, 0);
	assert_true(took >= 300);
	assert_true(took < 3000);
	stop(&hr);
}

static void test_runner_signal_and_exec_failure(void **state)
{
	struct hookrun hr;
	struct hookrun_result res = { 0, -1 };
	(void)state;

	write_file("term.sh", "#!/bin/sh\nkill -TERM $$\nsleep 5\n", 0755);
	start("term.sh", 5000, &hr);
	assert_int_equal(hookrun_call(&hr, HOOKENV_STOP, good_env, &res), 0);
	assert_int_equal(res.kind, HOOKRUN_SIGNALLED);
	assert_int_equal(res.code, SIGTERM);
	stop(&hr);

	start("missing.sh", 5000, &hr);
	assert_int_equal(hookrun_call(&hr, HOOKENV_STOP, good_env, &res), 0);
	assert_int_equal(res.kind, HOOKRUN_EXEC_FAILED);
	assert_int_equal(res.code, ENOENT);
	stop(&hr);

	write_file("plain.txt", "not a script\n", 0644);
	start("plain.txt", 5000, &hr);
	assert_int_equal(hookrun_call(&hr, HOOKENV_STOP, good_env, &res), 0);
	assert_int_equal(res.kind, HOOKRUN_EXEC_FAILED);
	assert_int_equal(res.code, EACCES);
	stop(&hr);
}

/* A runner that is gone is an error for the caller, never a hang. */
static void test_runner_gone(void **state)
{
	struct hookrun hr;
	struct hookrun_result res = { 0, -1 };
	(void)state;

	write_file("env.sh", env_script, 0755);
	start("env.sh", 5000, &hr);
	kill(hr.pid, SIGKILL);
	int status = reap(hr.pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(hookrun_call(&hr, HOOKENV_BOUND, good_env, &res), -EPIPE);
	hookrun_close(&hr);
}

/* A malformed request is a broken invariant: the runner exits 1. */
static void test_runner_refuses_bad_request(void **state)
{
	struct hookrun hr;
	/* A well-framed header (magic, count 1, BOUND), then a bad name. */
	static const char garbage[] = "\x01\x4b\x48\x4c" "\x01\x00" "\x01" "\x00" "a-b=1";
	(void)state;

	write_file("env.sh", env_script, 0755);
	start("env.sh", 5000, &hr);
	assert_int_equal(send(hr.fd, garbage, sizeof(garbage), MSG_NOSIGNAL),
			 (ssize_t)sizeof(garbage));
	int status = reap(hr.pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	hookrun_close(&hr);
}

/* ---- real runners: the DNS programs ------------------------------------ */

/* A stand-in for resolvconf or resolvectl: records its argv (one per line,
 * $0 first), its stdin and its environment as execve gave it. */
static const char fake_prog[] =
	"#!/bin/sh\n"
	"printf '%s\\n' \"$0\" \"$@\" > \"$0.argv\"\n"
	"cat > \"$0.stdin\"\n"
	"cat /proc/$$/environ > \"$0.env\"\n"
	"exit 0\n";

static void start_dns(enum hookrun_dns_mode mode, const char *prog, struct hookrun *hr)
{
	char p[128];
	path_of(p, sizeof(p), prog);
	struct hookrun_config cfg = { .ifname = "eth0", .dns = mode, .timeout_ms = 5000,
				      .resolvconf_path = p, .resolvectl_path = p };
	assert_int_equal(hookrun_start(&cfg, hr), 0);
	assert_true(hr->fd >= 0 && hr->pid > 0);
}

/* The file prog.ext as a string. */
static const char *recorded(const char *prog, const char *ext)
{
	static char buf[4096];
	char name[64];
	snprintf(name, sizeof(name), "%s.%s", prog, ext);
	size_t n = read_file(name, buf, sizeof(buf) - 1);
	buf[n] = '\0';
	return buf;
}

/* Run d; the program exited 0 and got argv (lines after $0) and stdin. */
static void expect_run(struct hookrun *hr, const struct hookrun_dns *d, const char *prog,
		       const char *args, const char *in)
{
	struct hookrun_result res = { 0, -1 };
	char want[1024], p[128];

	assert_int_equal(hookrun_dns_call(hr, d, &res), 0);
	assert_int_equal(res.kind, HOOKRUN_EXITED);
	assert_int_equal(res.code, 0);
	path_of(p, sizeof(p), prog);
	snprintf(want, sizeof(want), "%s\n%s", p, args);
	assert_string_equal(recorded(prog, "argv"), want);
	assert_string_equal(recorded(prog, "stdin"), in);
	size_t n = read_file(strcmp(prog, "resolvconf") ? "resolvectl.env" : "resolvconf.env",
			     want, sizeof(want));
	static const char env[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
	assert_int_equal(n, sizeof(env));
	assert_memory_equal(want, env, sizeof(env));
}

static void test_runner_resolvconf(void **state)
{
	struct hookrun hr;
	struct hookrun_dns d = dns_of(HOOKRUN_DNS_RESOLVCONF_ADD);
	(void)state;

	write_file("resolvconf", fake_prog, 0755);
	start_dns(HOOKRUN_DNS_RESOLVCONF, "resolvconf", &hr);
	d.text = good_text;
	d.text_len = sizeof(good_text) - 1;
	expect_run(&hr, &d, "resolvconf", "-a\neth0.lessee\n", good_text);
	d = dns_of(HOOKRUN_DNS_RESOLVCONF_DELETE);
	expect_run(&hr, &d, "resolvconf", "-d\neth0.lessee\n", "");
	stop(&hr);
}

static void test_runner_resolvectl(void **state)
{
	struct hookrun hr;
	struct hookrun_dns d = dns_of(HOOKRUN_DNS_RESOLVECTL_DNS);
	(void)state;

	write_file("resolvectl", fake_prog, 0755);
	start_dns(HOOKRUN_DNS_RESOLVED, "resolvectl", &hr);
	d.n_addrs = 2;
	d.addrs[0] = IP4(192, 0, 2, 53);
	d.addrs[1] = IP4(198, 51, 100, 1);
	expect_run(&hr, &d, "resolvectl", "dns\neth0\n192.0.2.53\n198.51.100.1\n", "");
	d = dns_of(HOOKRUN_DNS_RESOLVECTL_DNS);
	expect_run(&hr, &d, "resolvectl", "dns\neth0\n\n", "");   /* "" clears */
	d = dns_of(HOOKRUN_DNS_RESOLVECTL_DOMAIN);
	d.n_names = 2;
	d.names[0] = "a.example";
	d.names[1] = "b.example.";
	expect_run(&hr, &d, "resolvectl", "domain\neth0\na.example\nb.example.\n", "");
	d = dns_of(HOOKRUN_DNS_RESOLVECTL_REVERT);
	expect_run(&hr, &d, "resolvectl", "revert\neth0\n", "");
	stop(&hr);
}

/* A program missing at start: every request answers "exec failed, ENOENT"
 * and the runner goes on. A command of the other mode is a broken
 * invariant: the runner exits 1. */
static void test_runner_dns_missing_and_wrong_mode(void **state)
{
	struct hookrun hr;
	struct hookrun_result res = { 0, -1 };
	struct hookrun_dns d = dns_of(HOOKRUN_DNS_RESOLVECTL_REVERT);
	size_t len = 0;
	(void)state;

	start_dns(HOOKRUN_DNS_RESOLVED, "resolvectl", &hr);   /* not written */
	assert_int_equal(hookrun_dns_call(&hr, &d, &res), 0);
	assert_int_equal(res.kind, HOOKRUN_EXEC_FAILED);
	assert_int_equal(res.code, ENOENT);
	assert_int_equal(hookrun_dns_call(&hr, &d, &res), 0);
	stop(&hr);

	write_file("resolvectl", fake_prog, 0755);
	start_dns(HOOKRUN_DNS_RESOLVED, "resolvectl", &hr);
	d = dns_of(HOOKRUN_DNS_RESOLVCONF_DELETE);
	assert_int_equal(build(&d, &len), HOOKRUN_CHECK_OK);
	assert_int_equal(send(hr.fd, dns_rec, len, MSG_NOSIGNAL), (ssize_t)len);
	int status = reap(hr.pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	hookrun_close(&hr);
}

/* apply's side refuses to send what the runner would refuse. */
static void test_dns_call_refuses(void **state)
{
	struct hookrun hr;
	struct hookrun_result res = { 0, -1 };
	struct hookrun_dns d = dns_of(HOOKRUN_DNS_RESOLVCONF_ADD);
	(void)state;

	write_file("resolvconf", fake_prog, 0755);
	start_dns(HOOKRUN_DNS_RESOLVCONF, "resolvconf", &hr);
	d.text = "nameserver 192.0.2.1\noptions ndots:15\n";
	d.text_len = strlen(d.text);
	assert_int_equal(hookrun_dns_call(&hr, &d, &res), -EINVAL);
	d.text = good_text;   /* and the runner is still there */
	d.text_len = sizeof(good_text) - 1;
	assert_int_equal(hookrun_dns_call(&hr, &d, &res), 0);
	assert_int_equal(res.kind, HOOKRUN_EXITED);
	stop(&hr);

	struct hookrun_config cfg = { .ifname = "-eth0", .dns = HOOKRUN_DNS_RESOLVCONF,
				      .timeout_ms = 5000 };
	assert_int_equal(hookrun_start(&cfg, &hr), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_block_table),
		cmocka_unit_test(test_block_good_envp),
		cmocka_unit_test(test_block_entries_bound),
		cmocka_unit_test(test_block_size_bound),
		cmocka_unit_test(test_request_roundtrip),
		cmocka_unit_test(test_request_build_refuses),
		cmocka_unit_test(test_reply_table),
		cmocka_unit_test(test_dns_roundtrip),
		cmocka_unit_test(test_dns_check_header),
		cmocka_unit_test(test_dns_check_addrs),
		cmocka_unit_test(test_dns_check_names),
		cmocka_unit_test(test_dns_text_table),
		cmocka_unit_test(test_dns_text_record),
		cmocka_unit_test(test_dns_text_from_render),
		cmocka_unit_test(test_dns_argv),
		cmocka_unit_test(test_dns_argv_matches_resolv),
		cmocka_unit_test_setup_teardown(test_runner_env_and_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_signal_and_exec_failure, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_runner_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_refuses_bad_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_resolvconf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_resolvectl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_dns_missing_and_wrong_mode, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dns_call_refuses, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
