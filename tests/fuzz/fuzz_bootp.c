/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dhcp_parse on the raw bytes (a UDP payload). On success the view is
 * checked against itself: every typed getter for every code agrees with
 * dhcp_has and the value's length, every value dhcp_has reports passes its
 * rule again and lies inside the message or the scratch buffer, the order
 * and dropped lists agree with the seen bitmap, and options 119/121/249 are
 * iterated to the end (a value that validated must iterate cleanly, within
 * len steps). Then the message is printed, as one line and as JSON, into a
 * small buffer (truncation) and a large one: the output is NUL-terminated,
 * printable ASCII only, and the JSON is well formed.
 *
 * Input and scratch are exact-size heap copies, so ASan flags a one-byte
 * over-read or over-write.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire/dhcp.h"
#include "wire/dns.h"
#include "wire/print.h"
#include "wire/routes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SMALL_OUT 96u
#define LARGE_OUT (64u * 1024u)

static bool within(const uint8_t *p, size_t n, const uint8_t *base, size_t len)
{
	return p >= base && (size_t)(p - base) <= len && n <= len - (size_t)(p - base);
}

/* ---- a minimal JSON checker (RFC 8259 grammar, no semantics) ------------ */

struct js {
	const char *s;
	size_t len, off;
	unsigned depth;
};

static bool js_value(struct js *j);

static void js_ws(struct js *j)
{
	while (j->off < j->len && (j->s[j->off] == ' ' || j->s[j->off] == '\n' ||
				   j->s[j->off] == '\t' || j->s[j->off] == '\r'))
		j->off++;
}

static bool js_eat(struct js *j, char c)
{
	js_ws(j);
	if (j->off < j->len && j->s[j->off] == c) {
		j->off++;
		return true;
	}
	return false;
}

static bool js_string(struct js *j)
{
	if (!js_eat(j, '"'))
		return false;
	while (j->off < j->len) {
		unsigned char c = (unsigned char)j->s[j->off++];
		if (c == '"')
			return true;
		if (c < 0x20)
			return false;
		if (c != '\\')
			continue;
		if (j->off >= j->len)
			return false;
		c = (unsigned char)j->s[j->off++];
		if (c == 'u') {
			for (int i = 0; i < 4; i++, j->off++)
				if (j->off >= j->len || !strchr("0123456789abcdefABCDEF", j->s[j->off]) ||
				    j->s[j->off] == '\0')
					return false;
		} else if (!strchr("\"\\/bfnrt", c) || c == '\0') {
			return false;
		}
	}
	return false;
}

static bool js_number(struct js *j)
{
	size_t start;

	js_ws(j);
	start = j->off;
	if (j->off < j->len && j->s[j->off] == '-')
		j->off++;
	while (j->off < j->len && j->s[j->off] >= '0' && j->s[j->off] <= '9')
		j->off++;
	return j->off > start && j->s[j->off - 1] != '-';
}

static bool js_word(struct js *j, const char *w)
{
	size_t n = strlen(w);

	js_ws(j);
	if (j->len - j->off < n || memcmp(j->s + j->off, w, n) != 0)
		return false;
	j->off += n;
	return true;
}

static bool js_container(struct js *j, char open, char close, bool object)
{
	if (!js_eat(j, open) || ++j->depth > 32)
		return false;
	if (js_eat(j, close)) {
		j->depth--;
		return true;
	}
	do {
		if (object && (!js_string(j) || !js_eat(j, ':')))
			return false;
		if (!js_value(j))
			return false;
	} while (js_eat(j, ','));
	j->depth--;
	return js_eat(j, close);
}

static bool js_value(struct js *j)
{
	js_ws(j);
	if (j->off >= j->len)
		return false;
	switch (j->s[j->off]) {
	case '{':
		return js_container(j, '{', '}', true);
	case '[':
		return js_container(j, '[', ']', false);
	case '"':
		return js_string(j);
	case 't':
		return js_word(j, "true");
	case 'f':
		return js_word(j, "false");
	case 'n':
		return js_word(j, "null");
	default:
		return js_number(j);
	}
}

/* ---- checks -------------------------------------------------------------- */

static void check_strbuf(const struct strbuf *sb)
{
	if (sb->cap == 0)
		return;
	if (sb->len >= sb->cap || sb->buf[sb->len] != '\0' || strlen(sb->buf) != sb->len)
		abort();
	for (size_t i = 0; i < sb->len; i++)
		if ((unsigned char)sb->buf[i] < 0x20 || (unsigned char)sb->buf[i] > 0x7e)
			abort();
}

static void print_all(const struct dhcp_msg *msg, char *small, char *large)
{
	struct strbuf sb;
	struct js j;

	sb_init(&sb, small, SMALL_OUT);
	dhcp_print_line(&sb, msg);
	check_strbuf(&sb);
	sb_init(&sb, small, SMALL_OUT);
	dhcp_print_json_members(&sb, msg);
	check_strbuf(&sb);

	sb_init(&sb, large, LARGE_OUT);
	dhcp_print_line(&sb, msg);
	check_strbuf(&sb);
	sb_init(&sb, large, LARGE_OUT);
	sb_putc(&sb, '{');
	dhcp_print_json_members(&sb, msg);
	sb_putc(&sb, '}');
	check_strbuf(&sb);
	if (sb.truncated)
		return;
	j = (struct js){ sb.buf, sb.len, 0, 0 };
	if (!js_value(&j))
		abort();
	js_ws(&j);
	if (j.off != j.len)
		abort();
}

/* One option's value printed alone, valid or not, as text and JSON. */
static void print_opt(uint8_t code, const uint8_t *val, size_t len, char *small, char *large)
{
	struct strbuf sb;
	struct js j;

	sb_init(&sb, small, SMALL_OUT);
	dhcp_print_opt_text(&sb, code, val, len);
	check_strbuf(&sb);
	sb_init(&sb, small, SMALL_OUT);
	dhcp_print_opt_json(&sb, code, val, len);
	check_strbuf(&sb);
	sb_init(&sb, large, LARGE_OUT);
	dhcp_print_opt_json(&sb, code, val, len);
	check_strbuf(&sb);
	if (sb.truncated)
		return;
	j = (struct js){ sb.buf, sb.len, 0, 0 };
	if (!js_value(&j))
		abort();
	js_ws(&j);
	if (j.off != j.len)
		abort();
}

/* Iterate a domain list to its end; a valid one must end cleanly. */
static void iterate_names(const uint8_t *val, size_t len, bool valid)
{
	struct dns_list_iter it;
	struct wire_error err;
	char text[DNS_TEXT_MAX];
	size_t steps = 0;
	int r;

	dns_list_init(&it, val, len);
	while ((r = dns_list_next(&it, text, sizeof(text), &err)) > 0) {
		if (++steps > len || strlen(text) >= sizeof(text))
			abort();
	}
	if (valid && r != 0)
		abort();
}

static void iterate_routes(const uint8_t *val, size_t len, bool valid)
{
	struct route_iter it;
	struct wire_route rt;
	struct wire_error err;
	size_t steps = 0;
	int r;

	route_iter_init(&it, val, len);
	while ((r = route_iter_next(&it, &rt, &err)) > 0) {
		if (++steps > len / 5 || rt.prefix > 32 ||
		    (rt.prefix < 32 && (rt.dst & (0xffffffffu >> rt.prefix))))
			abort();
	}
	if (valid && r != 0)
		abort();
}

static void check_getters(const struct dhcp_msg *msg, uint8_t code, const uint8_t *scratch,
			  size_t scratch_len)
{
	const struct dhcp_opt_ref *ref = &msg->opt[code];
	bool has = dhcp_has(msg, code), seen = dhcp_seen(msg, code);
	const uint8_t *val = NULL;
	size_t len = 0, bad;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32, ips[4];

	if (has && !seen)
		abort();
	if (dhcp_get_bytes(msg, code, &val, &len) != has)
		abort();
	if (seen && !within(ref->data, ref->len, msg->raw, msg->raw_len) &&
	    !within(ref->data, ref->len, scratch, scratch_len))
		abort();
	if (has && (val != ref->data || len != ref->len ||
		    dhcp_opt_validate(code, val, len, &bad) != WIRE_OK))
		abort();
	if (dhcp_get_u8(msg, code, &u8) != (has && len == 1) ||
	    dhcp_get_u16(msg, code, &u16) != (has && len == 2) ||
	    dhcp_get_u32(msg, code, &u32) != (has && len == 4) ||
	    dhcp_get_ip(msg, code, &u32) != (has && len == 4) ||
	    dhcp_get_flag(msg, code) != (has && len == 0))
		abort();
	if (dhcp_get_ip_list(msg, code, ips, 4) != (has && len % 4 == 0 ? len / 4 : 0))
		abort();
	if (!seen)
		return;
	if (code == DHCP_OPT_DOMAIN_SEARCH)
		iterate_names(ref->data, ref->len, has);
	if (code == DHCP_OPT_CLASSLESS_ROUTE || code == DHCP_OPT_MS_CLASSLESS_ROUTE)
		iterate_routes(ref->data, ref->len, has);
}

/* order[] lists each seen code once; dropped[] agrees with the statuses. */
static void check_index(const struct dhcp_msg *msg)
{
	uint8_t listed[256] = { 0 };
	size_t n_seen = 0, n_bad = 0;

	if (msg->n_order > 256 || msg->type == 0 || msg->type > DHCP_MSG_TYPE_MAX ||
	    msg->overload > 3 || !dhcp_has(msg, DHCP_OPT_MSG_TYPE))
		abort();
	for (size_t i = 0; i < msg->n_order; i++) {
		if (listed[msg->order[i]]++ || !dhcp_seen(msg, msg->order[i]))
			abort();
	}
	for (unsigned c = 0; c < 256; c++) {
		if (!dhcp_seen(msg, (uint8_t)c))
			continue;
		n_seen++;
		if (msg->opt[c].status != WIRE_OK)
			n_bad++;
	}
	if (n_seen != msg->n_order || n_bad != msg->n_dropped)
		abort();
	/* An offset may point just past the data ("runs past the end"). */
	for (size_t i = 0; i < msg->n_dropped && i < DHCP_MAX_DROPPED; i++) {
		const struct dhcp_dropped *d = &msg->dropped[i];
		if (!dhcp_seen(msg, d->code) || dhcp_has(msg, d->code) || d->reason == WIRE_OK ||
		    msg->opt[d->code].status != d->reason || d->offset > msg->raw_len)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char small[SMALL_OUT], large[LARGE_OUT];
	static struct dhcp_msg msg;
	uint8_t *buf = malloc(size), *scratch = malloc(size);
	struct wire_error err;
	enum wire_reason r;

	if (size > 0 && (!buf || !scratch))
		abort();
	if (size > 0)
		memcpy(buf, data, size);
	r = dhcp_parse(buf, size, scratch, size, &msg, &err);
	if (r != err.reason)
		abort();
	if (r == WIRE_OK) {
		check_index(&msg);
		for (unsigned c = 0; c < 256; c++)
			check_getters(&msg, (uint8_t)c, scratch, size);
		print_all(&msg, small, large);
		for (size_t i = 0; i < msg.n_order; i++) {
			const struct dhcp_opt_ref *ref = &msg.opt[msg.order[i]];
			print_opt(msg.order[i], ref->data, ref->len, small, large);
		}
	}
	free(scratch);
	free(buf);
	return 0;
}
