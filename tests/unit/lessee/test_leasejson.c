/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The JSON lease line: exact lines for the fixtures, every event name, the
 * lease-less form, and a small RFC 8259 checker that every line must pass
 * (itself tested on bad JSON first, so it can fail), including lines built
 * from names full of quotes, backslashes, control and non-ASCII bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lease_fixture.h"
#include "lessee/leasejson.h"

/* ---- a tiny JSON checker (RFC 8259 grammar, no semantics) ---------------- */

static const char *jp;
static int depth;

static void ws(void)
{
	while (*jp == ' ' || *jp == '\t' || *jp == '\n' || *jp == '\r')
		jp++;
}

static bool lit(const char *s)
{
	size_t n = strlen(s);

	if (strncmp(jp, s, n) != 0)
		return false;
	jp += n;
	return true;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool j_string(void)
{
	if (*jp++ != '"')
		return false;
	while (*jp != '"') {
		unsigned char c = (unsigned char)*jp++;

		if (c < 0x20)
			return false;
		if (c != '\\')
			continue;
		c = (unsigned char)*jp++;
		if (c == 'u') {
			for (int i = 0; i < 4; i++)
				if (!is_hex(*jp++))
					return false;
		} else if (!strchr("\"\\/bfnrt", c) || c == '\0') {
			return false;
		}
	}
	jp++;
	return true;
}

static bool j_number(void)
{
	const char *start = jp;

	if (*jp == '-')
		jp++;
	if (*jp == '0')
		jp++;
	else if (*jp >= '1' && *jp <= '9')
		while (*jp >= '0' && *jp <= '9')
			jp++;
	else
		return false;
	if (*jp == '.') {
		jp++;
		if (!(*jp >= '0' && *jp <= '9'))
			return false;
		while (*jp >= '0' && *jp <= '9')
			jp++;
	}
	return jp > start;
}

static bool j_value(void);

static bool j_members(char close, bool object)
{
	jp++;
	ws();
	if (*jp == close) {
		jp++;
		return true;
	}
	for (;;) {
		ws();
		if (object) {
			if (!j_string())
				return false;
			ws();
			if (*jp++ != ':')
				return false;
		}
		if (!j_value())
			return false;
		ws();
		if (*jp == close) {
			jp++;
			return true;
		}
		if (*jp++ != ',')
			return false;
	}
}

static bool j_value(void)
{
	bool ok;

	ws();
	if (++depth > 32)
		return false;
	if (*jp == '{')
		ok = j_members('}', true);
	else if (*jp == '[')
		ok = j_members(']', false);
	else if (*jp == '"')
		ok = j_string();
	else if (*jp == 't' || *jp == 'f' || *jp == 'n')
		ok = lit("true") || lit("false") || lit("null");
	else
		ok = j_number();
	depth--;
	return ok;
}

/* One JSON object on exactly one line, ending in '\n'. */
static bool json_line_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 3 || s[0] != '{' || s[n - 1] != '\n' || strchr(s, '\n') != s + n - 1)
		return false;
	jp = s;
	depth = 0;
	if (!j_value())
		return false;
	ws();
	return *jp == '\0';
}

/* ---- tests --------------------------------------------------------------- */

static char out[LEASEJSON_LINE_MAX];
static struct strbuf sb;

static enum leasejson_status render(enum leasejson_event ev, const struct client_lease *l,
				    bool anonymous)
{
	struct leasejson_args a = { .event = ev, .ifname = "eth0", .lease = l,
				    .expiry = 1700000600, .anonymous = anonymous };

	sb_init(&sb, out, sizeof(out));
	return leasejson_render(&sb, &a);
}

static void test_checker_can_fail(void **state)
{
	const char *bad[] = {
		"{\"a\": }\n", "{\"a\": 1,}\n", "{\"a\" 1}\n", "{\"a\": [1, 2}\n",
		"{\"a\": \"x\ty\"}\n", "{\"a\": \"\\x\"}\n", "{\"a\": \"\\u12\"}\n",
		"{\"a\": 01}\n", "{\"a\": tru}\n", "{\"a\": 1}", "{\"a\": 1}\n{}\n",
		"{\"a\": 1} x\n", "{'a': 1}\n", "{\"a\": \"unterminated}\n", NULL,
	};
	(void)state;

	for (size_t i = 0; bad[i]; i++)
		if (json_line_ok(bad[i]))
			fail_msg("checker accepted %s", bad[i]);
	assert_true(json_line_ok("{\"a\": [1, -2.5, \"x\\u0001\\\"\", null, true, {}], \"b\": {}}\n"));
}

static void test_exact_line(void **state)
{
	struct client_lease l;
	(void)state;

	fixture_lease_routes(&l);
	assert_int_equal(render(LEASEJSON_BOUND, &l, false), LEASEJSON_OK);
	assert_string_equal(out,
		"{\"event\": \"bound\", \"interface\": \"eth0\", \"address\": \"192.0.2.100\", "
		"\"prefix\": 24, \"broadcast\": \"192.0.2.255\", \"routers\": [], "
		"\"dns\": [\"192.0.2.53\", \"198.51.100.53\"], \"ntp\": [\"192.0.2.123\"], "
		"\"domain\": \"example.com\", \"search\": [\"example.com\", \"lab.example.org\"], "
		"\"routes\": [{\"dst\": \"198.51.100.0/24\", \"gateway\": \"192.0.2.1\"}, "
		"{\"dst\": \"203.0.113.0/24\", \"gateway\": \"0.0.0.0\"}, "
		"{\"dst\": \"0.0.0.0/0\", \"gateway\": \"192.0.2.1\"}], \"mtu\": 1500, "
		"\"server_id\": \"192.0.2.1\", \"lease_time\": 600, \"renewal_time\": 300, "
		"\"rebinding_time\": 525, \"expiry\": 1700000600, \"anonymous\": false}\n");
	assert_true(json_line_ok(out));
}

static void test_absent_and_infinite(void **state)
{
	struct client_lease l;
	(void)state;

	fixture_lease(&l);
	memset(l.domain_name, 0, sizeof(l.domain_name));
	l.mtu = 0;
	l.n_search = 0;
	l.lease_s = l.t1_s = l.t2_s = UINT32_MAX;
	assert_int_equal(render(LEASEJSON_RENEWED, &l, true), LEASEJSON_OK);
	assert_true(json_line_ok(out));
	assert_non_null(strstr(out, "\"event\": \"renewed\""));
	assert_non_null(strstr(out, "\"domain\": null, \"search\": []"));
	assert_non_null(strstr(out, "\"mtu\": null"));
	assert_non_null(strstr(out, "\"lease_time\": 4294967295"));
	assert_non_null(strstr(out, "\"expiry\": null, \"anonymous\": true}\n"));
}

static void test_without_lease(void **state)
{
	(void)state;

	assert_int_equal(render(LEASEJSON_NAK, NULL, false), LEASEJSON_OK);
	assert_string_equal(out, "{\"event\": \"nak\", \"interface\": \"eth0\", "
				 "\"anonymous\": false}\n");
	assert_true(json_line_ok(out));
}

static void test_every_event(void **state)
{
	static const char *const names[] = { "bound", "renewed", "rebound", "rebooted",
					     "expired", "released", "nak", "stopped" };
	struct client_lease l;
	char want[64];
	(void)state;

	fixture_lease_full(&l);
	assert_int_equal(LEASEJSON_EVENT_COUNT, 8);
	for (int e = 0; e < LEASEJSON_EVENT_COUNT; e++) {
		assert_string_equal(leasejson_event_name((enum leasejson_event)e), names[e]);
		assert_int_equal(render((enum leasejson_event)e, &l, e % 2), LEASEJSON_OK);
		snprintf(want, sizeof(want), "{\"event\": \"%s\", ", names[e]);
		assert_true(strncmp(out, want, strlen(want)) == 0);
		assert_true(json_line_ok(out));
	}
	print_message("largest line: %zu of %u bytes\n", strlen(out), LEASEJSON_LINE_MAX);
	assert_string_equal(leasejson_event_name(LEASEJSON_EVENT_COUNT), "?");
	assert_int_equal(leasejson_event_from_client(CLIENT_HOOK_BOUND), LEASEJSON_BOUND);
	assert_int_equal(leasejson_event_from_client(CLIENT_HOOK_RENEW), LEASEJSON_RENEWED);
	assert_int_equal(leasejson_event_from_client(CLIENT_HOOK_REBIND), LEASEJSON_REBOUND);
	assert_int_equal(leasejson_event_from_client(CLIENT_HOOK_REBOOT), LEASEJSON_REBOOTED);
	assert_int_equal(leasejson_event_from_client(CLIENT_HOOK_EXPIRE), LEASEJSON_EXPIRED);
	assert_int_equal(leasejson_event_from_client(CLIENT_HOOK_FAIL), LEASEJSON_NAK);
	assert_int_equal(leasejson_event_from_client(CLIENT_HOOK_STOP), LEASEJSON_STOPPED);
	assert_int_equal(leasejson_event_from_client(CLIENT_HOOK_RELEASE), LEASEJSON_RELEASED);
	assert_int_equal(leasejson_event_from_client((enum client_hook_reason)99),
			 LEASEJSON_EVENT_COUNT);
}

/* Unvalidated names with every awkward byte still make valid JSON. */
static void test_hostile_names_stay_json(void **state)
{
	struct client_lease l;
	uint64_t x = 0x243f6a8885a308d3u;
	(void)state;

	fixture_lease(&l);
	memset(l.domain_name, 0, sizeof(l.domain_name));
	strcpy(l.domain_name, "\"}, \"event\": \"x\\\n\x01\x7f\xc3\xa9");
	assert_int_equal(render(LEASEJSON_BOUND, &l, false), LEASEJSON_OK);
	assert_true(json_line_ok(out));
	assert_non_null(strstr(out, "\"domain\": \"\\\"}, \\\"event\\\": \\\"x\\\\\\u000a"
				    "\\u0001\\u007f\\u00c3\\u00a9\""));
	for (int round = 0; round < 300; round++) {
		fixture_lease(&l);
		for (unsigned s = 0; s < CLIENT_MAX_SEARCH; s++) {
			memset(l.search[s], 0, CLIENT_NAME_MAX);
			for (unsigned i = 0; i < 40; i++) {
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				l.search[s][i] = (char)((x & 0xff) ? (x & 0xff) : 'a');
			}
		}
		l.n_search = CLIENT_MAX_SEARCH;
		assert_int_equal(render(LEASEJSON_BOUND, &l, false), LEASEJSON_OK);
		assert_true(json_line_ok(out));
	}
}

static void test_refusals(void **state)
{
	struct client_lease l;
	struct leasejson_args a = { .event = LEASEJSON_BOUND, .ifname = "eth0", .lease = &l };
	char small[64];
	(void)state;

	fixture_lease(&l);
	l.n_routes = 40;
	assert_int_equal(render(LEASEJSON_BOUND, &l, false), LEASEJSON_BAD_LEASE);
	assert_int_equal(sb.len, 0);
	fixture_lease(&l);
	memset(l.search[0], 'a', sizeof(l.search[0]));
	assert_int_equal(render(LEASEJSON_BOUND, &l, false), LEASEJSON_BAD_LEASE);
	fixture_lease(&l);
	assert_int_equal(render(LEASEJSON_EVENT_COUNT, &l, false), LEASEJSON_BAD_ARGUMENT);
	a.ifname = "eth0\"";
	sb_init(&sb, out, sizeof(out));
	assert_int_equal(leasejson_render(&sb, &a), LEASEJSON_BAD_ARGUMENT);
	assert_int_equal(leasejson_render(&sb, NULL), LEASEJSON_BAD_ARGUMENT);
	assert_int_equal(leasejson_render(NULL, &a), LEASEJSON_BAD_ARGUMENT);
	/* Too small: nothing half-written; what was there stays. */
	a.ifname = "eth0";
	sb_init(&sb, small, sizeof(small));
	sb_puts(&sb, "keep");
	assert_int_equal(leasejson_render(&sb, &a), LEASEJSON_NO_ROOM);
	assert_string_equal(small, "keep");
	assert_int_equal(sb.len, 4);
	assert_false(sb.truncated);
	/* Two lines appended to one buffer are two valid lines. */
	sb_init(&sb, out, sizeof(out));
	a.lease = NULL;
	assert_int_equal(leasejson_render(&sb, &a), LEASEJSON_OK);
	a.event = LEASEJSON_STOPPED;
	assert_int_equal(leasejson_render(&sb, &a), LEASEJSON_OK);
	char *second = strchr(out, '\n') + 1;
	assert_true(json_line_ok(second));
	*second = '\0';
	assert_true(json_line_ok(out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checker_can_fail),
		cmocka_unit_test(test_exact_line),
		cmocka_unit_test(test_absent_and_infinite),
		cmocka_unit_test(test_without_lease),
		cmocka_unit_test(test_every_event),
		cmocka_unit_test(test_hostile_names_stay_json),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
