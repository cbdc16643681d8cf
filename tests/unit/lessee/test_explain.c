/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lessee --explain (explain.c): the text and the JSON document for the
 * default profile, the anonymity profile and a configuration that names
 * the device; each mark present where it must be and absent where it must
 * not; the JSON parsed by Python's json module and its structure checked;
 * the stored lease's INIT-REBOOT; and the whole explanation produced under
 * the engine role's seccomp filter, which allows no socket(): nothing can
 * be sent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "lease_fixture.h"
#include "lessee/cli.h"
#include "lessee/explain.h"
#include "os/sandbox.h"

static const uint8_t test_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x02, 0x64 };
static char out[EXPLAIN_OUT_MAX];

/* Explain argv (the program name and IFNAME added), with a stored lease or
 * none; returns the output (static), failing the test on an error. */
static const char *explain_stored(const struct client_lease *stored, uint64_t now_ms,
				  const char *const *args)
{
	static struct lessee_opts opts;
	char *argv[16] = { "lessee", "--explain" };
	int argc = 2;
	char err[300];
	struct explain_input in = { .opts = &opts, .now_ms = now_ms, .stored = stored,
				    .no_stored_why = "no stored lease (test)" };
	struct strbuf sb;

	for (; args && *args; args++)
		argv[argc++] = (char *)(uintptr_t)*args;
	argv[argc++] = "eth0";
	assert_int_equal(cli_parse(argc, argv, &opts, err, sizeof(err)), 0);
	assert_true(opts.explain);
	memcpy(in.mac, test_mac, 6);
	sb_init(&sb, out, sizeof(out));
	if (explain_render(&in, &sb, err, sizeof(err)) != 0)
		fail_msg("explain_render: %s", err);
	assert_false(sb.truncated);
	return out;
}

static const char *explain(const char *const *args)
{
	return explain_stored(NULL, 1000000, args);
}

static void has(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("missing from the explanation: \"%s\"", needle);
}

static void lacks(const char *text, const char *needle)
{
	if (strstr(text, needle))
		fail_msg("should not be in the explanation: \"%s\"", needle);
}

/* The section of one message: from its heading to the next heading. */
static const char *section(const char *text, const char *heading, char *buf, size_t cap)
{
	const char *p = strstr(text, heading), *end;

	if (!p) {
		fail_msg("no section \"%s\"", heading);
		return "";
	}
	end = strstr(p + 1, "\n\n");
	snprintf(buf, cap, "%.*s", (int)(end ? (size_t)(end - p) : strlen(p)), p);
	return buf;
}

/* ---- text ---------------------------------------------------------------- */

static void test_default_text(void **state)
{
	const char *t = explain(NULL);
	static char sec[32768];

	(void)state;
	has(t, "placeholders");
	has(t, "MAC: 02:00:00:00:02:64 (the interface's current MAC");
	has(t, "\nDISCOVER in INIT");
	has(t, "\nREQUEST in SELECTING");
	has(t, "\nREQUEST in RENEWING");
	has(t, "\nREQUEST in REBINDING");
	has(t, "\nDECLINE in CHECKING");
	has(t, "\nRELEASE in BOUND");
	/* The MAC, in chaddr and the client id, identifies the device. */
	has(t, "[ID] chaddr = 02:00:00:00:02:64");
	has(t, "[ID] 61 client-id = 0102000000026");
	has(t, "[ID] 55 parameter-request-list = 1,3,6,15,26,28,42,119,121");
	has(t, "[ID] option order: 53,55,57,61");
	has(t, "[  ] xid = 0x");
	has(t, "[  ] 57 max-message-size = 1500");
	has(t, "[ID] retransmissions: +");
	/* Nothing names the device unless asked to. */
	lacks(t, "host-name");
	lacks(t, "vendor-class-id");
	section(t, "\nDISCOVER in INIT", sec, sizeof(sec));
	has(sec, "broadcast to 255.255.255.255, 300 bytes, at +0.000 s");
	lacks(sec, "requested-ip");
	section(t, "\nREQUEST in SELECTING", sec, sizeof(sec));
	has(sec, "[  ] 50 requested-ip = 192.0.2.100");
	has(sec, "[  ] 54 server-id = 192.0.2.1");
	has(sec, "then SELECTING at +");
	section(t, "\nREQUEST in RENEWING", sec, sizeof(sec));
	has(sec, "unicast to 192.0.2.1");
	has(sec, "[ID] ciaddr = 192.0.2.100");
	lacks(sec, "requested-ip");
	lacks(sec, "server-id");
	section(t, "\nREQUEST in REBINDING", sec, sizeof(sec));
	has(sec, "broadcast to 255.255.255.255");
	section(t, "\nRELEASE in BOUND", sec, sizeof(sec));
	has(sec, "unicast to 192.0.2.1");
	has(sec, "[ID] 56 message = \"released on request\"");
	section(t, "when: start with a stored lease", sec, sizeof(sec));
	has(sec, "not sent: none at start: no stored lease (test)");
	section(t, "when: carrier returns", sec, sizeof(sec));
	has(sec, "[ID] 50 requested-ip = 192.0.2.100");
}

/* The DISCOVER schedule read off the engine: about 4, 12, 28, 60, 124 s
 * (RFC 2131 4.1: 4 s doubling to 64 s, +-1 s each). */
static void test_discover_schedule(void **state)
{
	static const double expect[] = { 4, 12, 28, 60, 124, 188, 252 };
	static char sec[32768];
	const char *p;

	(void)state;
	section(explain(NULL), "\nDISCOVER in INIT", sec, sizeof(sec));
	p = strstr(sec, "retransmissions: ");
	assert_non_null(p);
	p += strlen("retransmissions: ");
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		double v;
		int n = 0;

		assert_int_equal(sscanf(p, "+%lf s%n", &v, &n), 1);
		if (v < expect[i] - 1.0 * (double)(i + 1) || v > expect[i] + 1.0 * (double)(i + 1))
			fail_msg("retransmission %zu at %.3f s, expected about %.0f s", i + 1, v,
				 expect[i]);
		p += n;
		if (*p == ',')
			p += 2;
	}
	assert_true(strncmp(p, "...", 3) == 0);
}

static void test_anonymous_text(void **state)
{
	static const char *const args[] = { "--anonymous", NULL };
	const char *t = explain(args);
	static char sec[32768];

	(void)state;
	has(t, "profile: anonymous (RFC 7844)");
	lacks(t, "client-id");
	lacks(t, "max-message-size");
	lacks(t, "host-name");
	lacks(t, " 56 message");
	has(t, "[  ] option order:");
	has(t, "shuffled per message (RFC 7844 3.1)");
	lacks(t, "[ID] option order:");
	has(t, "[ID] 55 parameter-request-list = ");
	has(t, "[ID] chaddr = 02:00:00:00:02:64");
	section(t, "\nRELEASE in BOUND", sec, sizeof(sec));
	has(sec, "not sent: none: the anonymity profile (RFC 7844 section 3)");
	section(t, "when: start with a stored lease", sec, sizeof(sec));
	has(sec, "never reuses a stored lease");
	section(t, "\nDISCOVER in INIT", sec, sizeof(sec));
	lacks(sec, "requested-ip");
}

static void test_identifying_options_text(void **state)
{
	static const char *const args[] = { "--hostname", "myhost", "--vendor-class", "acme 1.0",
					    "--client-id", "ff:00:01", NULL };
	const char *t = explain(args);

	(void)state;
	has(t, "[ID] 12 host-name = myhost  (names the device)");
	has(t, "[ID] 60 vendor-class-id = \"acme 1.0\"  (names the vendor or software)");
	has(t, "[ID] 61 client-id = ff0001  (an identifier set with --client-id");
	has(t, "[ID] option order: 53,12,55,57,60,61");
}

static void test_random_mac_text(void **state)
{
	static const char *const start[] = { "--random-mac", NULL };
	static const char *const stable[] = { "--random-mac=stable", NULL };
	const char *t = explain(start);

	(void)state;
	has(t, "MAC: random per start");
	has(t, "[  ] chaddr = random per start");
	has(t, "61 client-id = type 1 + the random per start MAC");
	/* The current MAC never shows: it is never sent. */
	lacks(t, "02:00:00:00:02:64");
	lacks(t, "0102000000026");
	t = explain(stable);
	has(t, "[ID] chaddr = stable per network");
	lacks(t, "02:00:00:00:02:64");
}

static void test_acd_off_text(void **state)
{
	static const char *const args[] = { "--acd", "off", NULL };
	static char sec[32768];

	(void)state;
	section(explain(args), "\nDECLINE in CHECKING", sec, sizeof(sec));
	has(sec, "not sent: --acd off");
}

/* ---- the stored lease ---------------------------------------------------- */

static void test_stored_lease(void **state)
{
	struct client_lease l;
	static char sec[32768];

	(void)state;
	fixture_lease(&l);          /* obtained at 1000 ms, 600 s */
	memcpy(l.mac, test_mac, 6);
	section(explain_stored(&l, 2000, NULL), "when: start with a stored lease", sec,
		sizeof(sec));
	has(sec, "broadcast to 255.255.255.255");
	has(sec, "[ID] 50 requested-ip = 192.0.2.100");
	lacks(sec, "server-id");
	/* Run out: DISCOVER instead, and why. */
	section(explain_stored(&l, 700000, NULL), "when: start with a stored lease", sec,
		sizeof(sec));
	has(sec, "not sent: none at start: the stored lease of 192.0.2.100 has expired");
	/* Got with another MAC. */
	l.mac[5] ^= 1;
	section(explain_stored(&l, 2000, NULL), "when: start with a stored lease", sec,
		sizeof(sec));
	has(sec, "or was got with another MAC");
}

/* ---- JSON ------------------------------------------------------------------ */

/* Run python3 on the document with checks; its exit status. */
static int python_check(const char *doc, const char *checks)
{
	char dir[128], path[160], cmd[256];
	FILE *f;
	int st;

	fixture_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/explain.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(doc, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "python3 - %s", path);
	f = popen(cmd, "w");
	assert_non_null(f);
	fputs("import json, sys\nd = json.load(open(sys.argv[1]))\n", f);
	fputs("def opts(m): return {o['code']: o for o in m['options']}\n", f);
	fputs("def field(m, n): return [x for x in m['fields'] if x['name'] == n][0]\n", f);
	fputs("for m in d['messages']:\n"
	      "    assert set(m) >= {'type', 'state', 'fields', 'options', 'retransmissions'}, m\n"
	      "    for o in m['options']:\n"
	      "        assert set(o) >= {'code', 'name', 'value', 'identifies', 'why'}, o\n"
	      "        assert isinstance(o['identifies'], bool) and o['why'], o\n"
	      "    for x in m['fields']:\n"
	      "        assert isinstance(x['identifies'], bool) and x['why'], x\n", f);
	fputs(checks, f);
	st = pclose(f);
	fixture_rmdir(dir);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static const char *explain_json(const char *const *args)
{
	static const char *argv[16];
	size_t n = 0;

	argv[n++] = "--json";
	for (; args && *args && n < 15; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	return explain(argv);
}

static const char json_default_checks[] =
	"ms = d['messages']\n"
	"assert d['sent'] is False and d['mac'] == '02:00:00:00:02:64', d\n"
	"assert [(m['type'], m['state']) for m in ms] == [('DISCOVER', 'INIT'),"
	" ('REQUEST', 'SELECTING'), ('REQUEST', 'RENEWING'), ('REQUEST', 'REBINDING'),"
	" ('REQUEST', 'INIT-REBOOT'), ('DECLINE', 'CHECKING'), ('RELEASE', 'BOUND')], ms\n"
	"assert [n['state'] for n in d['not_sent']] == ['INIT-REBOOT'], d['not_sent']\n"
	"dis = opts(ms[0])\n"
	"assert list(dis) == [53, 55, 57, 61], dis\n"
	"assert dis[61]['identifies'] and dis[61]['hex'] == '01020000000264', dis[61]\n"
	"assert dis[55]['identifies'] and dis[55]['value'] == [1, 3, 6, 15, 26, 28, 42, 119, 121]\n"
	"assert not dis[53]['identifies'] and dis[53]['value'] == 'DISCOVER'\n"
	"assert field(ms[0], 'chaddr')['identifies'] and field(ms[0], 'chaddr')['value'] =="
	" '02:00:00:00:02:64'\n"
	"assert not field(ms[0], 'xid')['identifies']\n"
	"assert ms[0]['retransmissions']['identifies'] and ms[0]['retransmissions']['more']\n"
	"assert ms[2]['destination'] == 'unicast' and ms[2]['dst_ip'] == '192.0.2.1'\n"
	"assert field(ms[2], 'ciaddr')['value'] == '192.0.2.100'\n"
	"assert ms[0]['option_order']['shuffled'] is False\n";

static void test_default_json(void **state)
{
	(void)state;
	assert_int_equal(python_check(explain_json(NULL), json_default_checks), 0);
}

static void test_anonymous_json(void **state)
{
	static const char *const args[] = { "--anonymous", NULL };

	(void)state;
	assert_int_equal(python_check(explain_json(args),
		"ms = d['messages']\n"
		"assert d['anonymous'] is True\n"
		"assert 'RELEASE' not in [m['type'] for m in ms]\n"
		"assert {n['type'] for n in d['not_sent']} == {'RELEASE', 'REQUEST'}\n"
		"for m in ms:\n"
		"    assert not set(opts(m)) & {12, 57, 60, 61, 81, 77, 56}, m['options']\n"
		"    assert m['option_order']['shuffled'] is True\n"
		"    assert not m['option_order']['identifies']\n"
		"assert sorted(opts(ms[0])[55]['value']) == [1, 3, 6, 15, 119, 121]\n"), 0);
}

static void test_identifying_json(void **state)
{
	static const char *const args[] = { "--hostname", "myhost", "--vendor-class", "acme",
					    NULL };

	(void)state;
	assert_int_equal(python_check(explain_json(args),
		"for m in d['messages'][:5]:\n"
		"    o = opts(m)\n"
		"    assert o[12]['value'] == 'myhost' and o[12]['identifies'], o[12]\n"
		"    assert o[60]['value'] == 'acme' and o[60]['identifies'], o[60]\n"
		"    assert o[12]['hex'] == 'myhost'.encode().hex()\n"), 0);
}

/* The checker itself must be able to fail: a mutated expectation. */
static void test_json_check_can_fail(void **state)
{
	(void)state;
	assert_int_not_equal(python_check(explain_json(NULL),
		"assert list(opts(d['messages'][0])) == [53, 55, 61], 'mutated'\n"), 0);
	assert_int_not_equal(python_check("{\"messages\": [", "pass\n"), 0);
}

/* ---- nothing is sent ------------------------------------------------------- */

/*
 * The explanation made in a child under the engine's seccomp filter: no
 * socket(), so no message can leave. The child _exits, so that
 * LeakSanitizer (which would need ptrace) does not run inside the filter.
 */
static void test_no_send_under_engine_filter(void **state)
{
	const char *why = NULL;
	pid_t pid;
	int st;

	(void)state;
	if (!sandbox_built())
		fail_msg("a -Dsandbox=false build cannot run this test");
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (sandbox_apply(OS_ROLE_ENGINE, SANDBOX_TRAP, &why) < 0)
			_exit(2);
		explain(NULL);
		_exit(strstr(out, "\nRELEASE in BOUND") ? 0 : 3);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("explain under the engine filter: status 0x%x", st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_text),
		cmocka_unit_test(test_discover_schedule),
		cmocka_unit_test(test_anonymous_text),
		cmocka_unit_test(test_identifying_options_text),
		cmocka_unit_test(test_random_mac_text),
		cmocka_unit_test(test_acd_off_text),
		cmocka_unit_test(test_stored_lease),
		cmocka_unit_test(test_default_json),
		cmocka_unit_test(test_anonymous_json),
		cmocka_unit_test(test_identifying_json),
		cmocka_unit_test(test_json_check_can_fail),
		cmocka_unit_test(test_no_send_under_engine_filter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
