/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Printing parsed messages: one line for logs, JSON for --json and tools.
 *
 * Everything goes into a bounded strbuf that stays NUL-terminated and never
 * writes past its capacity; what does not fit is cut and flagged. Option
 * bytes are read only through a wire_cursor. A value that does not have the
 * shape its type demands (a caller passing unvalidated bytes, a domain list
 * that does not decode) is printed as hex instead, so the output is always
 * well-formed, and every byte from the wire that is not plain printable ASCII
 * is escaped.
 */
#include "print.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cursor.h"
#include "dns.h"
#include "options.h"
#include "routes.h"

/* The two renderings share one walker over each option type. */
enum pmode { PM_TEXT, PM_JSON };

static const char hexdigits[] = "0123456789abcdef";

/* ---- the bounded buffer -------------------------------------------------- */

void sb_init(struct strbuf *sb, char *buf, size_t cap)
{
	sb->buf = buf;
	sb->cap = buf ? cap : 0;
	sb->len = 0;
	sb->truncated = false;
	if (sb->cap > 0)
		buf[0] = '\0';
}

/* Characters that still fit, keeping one byte for the NUL. */
static size_t sb_room(const struct strbuf *sb)
{
	return sb->cap > sb->len ? sb->cap - sb->len - 1 : 0;
}

/* Append exactly n bytes or as many as fit (then flag the cut). */
static void sb_append(struct strbuf *sb, const char *s, size_t n)
{
	size_t room = sb_room(sb);

	if (n > room) {
		n = room;
		sb->truncated = true;
	}
	if (n == 0)
		return;
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

/* Undo output back to a mark (used to fall back to hex). */
static void sb_rewind(struct strbuf *sb, size_t mark, bool truncated)
{
	if (mark > sb->len)
		return;
	sb->len = mark;
	sb->truncated = truncated;
	if (sb->cap > 0)
		sb->buf[mark] = '\0';
}

void sb_putc(struct strbuf *sb, char c)
{
	sb_append(sb, &c, 1);
}

void sb_puts(struct strbuf *sb, const char *s)
{
	if (s)
		sb_append(sb, s, strlen(s));
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	size_t room = sb_room(sb);
	char *dst = sb->cap > 0 ? sb->buf + sb->len : NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(dst, dst ? room + 1 : 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		sb->truncated = true;
		if (dst)
			sb->buf[sb->len] = '\0';
		return;
	}
	if ((size_t)n > room) {
		sb->truncated = true;
		n = (int)room;
	}
	sb->len += (size_t)n;
}

static void sb_hexbyte(struct strbuf *sb, uint8_t b)
{
	char two[2] = { hexdigits[b >> 4], hexdigits[b & 0x0f] };

	sb_append(sb, two, sizeof two);
}

void sb_ip(struct strbuf *sb, uint32_t addr)
{
	sb_printf(sb, "%u.%u.%u.%u", (unsigned)(addr >> 24), (unsigned)(addr >> 16) & 0xffu,
		  (unsigned)(addr >> 8) & 0xffu, (unsigned)addr & 0xffu);
}

void sb_mac(struct strbuf *sb, const uint8_t *mac, size_t len)
{
	struct wire_cursor c = wc_init(mac, mac ? len : 0);

	while (wc_remaining(&c) > 0) {
		if (c.off > 0)
			sb_putc(sb, ':');
		sb_hexbyte(sb, wc_u8(&c));
	}
}

void sb_hex(struct strbuf *sb, const uint8_t *data, size_t len)
{
	struct wire_cursor c = wc_init(data, data ? len : 0);

	while (wc_remaining(&c) > 0)
		sb_hexbyte(sb, wc_u8(&c));
}

void sb_json_string(struct strbuf *sb, const uint8_t *data, size_t len)
{
	struct wire_cursor c = wc_init(data, data ? len : 0);

	sb_putc(sb, '"');
	while (wc_remaining(&c) > 0) {
		uint8_t b = wc_u8(&c);

		if (b == '"' || b == '\\') {
			sb_putc(sb, '\\');
			sb_putc(sb, (char)b);
		} else if (b < 0x20 || b >= 0x7f) {
			sb_puts(sb, "\\u00");
			sb_hexbyte(sb, b);
		} else {
			sb_putc(sb, (char)b);
		}
	}
	sb_putc(sb, '"');
}

static void sb_json_cstr(struct strbuf *sb, const char *s)
{
	sb_json_string(sb, (const uint8_t *)s, strlen(s));
}

/* ---- pieces shared by both renderings ------------------------------------ */

static void list_open(struct strbuf *sb, enum pmode m)
{
	if (m == PM_JSON)
		sb_putc(sb, '[');
}

static void list_close(struct strbuf *sb, enum pmode m)
{
	if (m == PM_JSON)
		sb_putc(sb, ']');
}

static void list_sep(struct strbuf *sb, enum pmode m, size_t i)
{
	if (i > 0)
		sb_puts(sb, m == PM_JSON ? ", " : ",");
}

static void put_quote(struct strbuf *sb, enum pmode m)
{
	if (m == PM_JSON)
		sb_putc(sb, '"');
}

static void put_ip(struct strbuf *sb, enum pmode m, uint32_t addr)
{
	put_quote(sb, m);
	sb_ip(sb, addr);
	put_quote(sb, m);
}

static void put_hex(struct strbuf *sb, enum pmode m, const uint8_t *data, size_t len)
{
	put_quote(sb, m);
	sb_hex(sb, data, len);
	put_quote(sb, m);
}

/* The rest of the cursor as one view (dns and route iterators want one). */
static const uint8_t *take_rest(struct wire_cursor *c, size_t *len)
{
	*len = wc_remaining(c);
	return wc_bytes(c, *len);
}

/* ---- values by option type ----------------------------------------------- */

/* Lists of addresses; pairs print "a:b" in text (RFC 2132 5.8, 4.3). */
static bool put_ip_list(struct strbuf *sb, enum pmode m, struct wire_cursor *c, bool pairs)
{
	size_t i;

	list_open(sb, m);
	for (i = 0; wc_remaining(c) >= 4; i++) {
		if (pairs && m == PM_TEXT && i % 2 == 1)
			sb_putc(sb, ':');
		else
			list_sep(sb, m, i);
		put_ip(sb, m, wc_be32(c));
	}
	list_close(sb, m);
	return wc_remaining(c) == 0 && (!pairs || i % 2 == 0);
}

static bool put_uint_list(struct strbuf *sb, enum pmode m, struct wire_cursor *c,
			  size_t width)
{
	size_t i;

	list_open(sb, m);
	for (i = 0; wc_remaining(c) >= width; i++) {
		list_sep(sb, m, i);
		sb_printf(sb, "%u", width == 1 ? (unsigned)wc_u8(c) : (unsigned)wc_be16(c));
	}
	list_close(sb, m);
	return wc_remaining(c) == 0;
}

static bool put_number(struct strbuf *sb, enum dhcp_opt_type type, struct wire_cursor *c)
{
	if (type == OPT_T_U8)
		sb_printf(sb, "%u", (unsigned)wc_u8(c));
	else if (type == OPT_T_U16)
		sb_printf(sb, "%u", (unsigned)wc_be16(c));
	else if (type == OPT_T_U32)
		sb_printf(sb, "%" PRIu32, wc_be32(c));
	else /* OPT_T_S32: RFC 2132 3.4, two's complement seconds */
		sb_printf(sb, "%" PRId32, (int32_t)wc_be32(c));
	return !c->failed;
}

/* Text that needs no quoting in a "name=value" log line. */
static bool plain_char(uint8_t b)
{
	return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
	       b == '-' || b == '.' || b == '_' || b == ':' || b == '/' || b == '@' || b == '+';
}

static bool all_plain(struct wire_cursor c)
{
	if (wc_remaining(&c) == 0)
		return false;
	while (wc_remaining(&c) > 0)
		if (!plain_char(wc_u8(&c)))
			return false;
	return true;
}

/* Strings: JSON-escaped, or bare in text when every byte is plain. */
static bool put_string(struct strbuf *sb, enum pmode m, struct wire_cursor *c)
{
	size_t len;
	const uint8_t *p;

	if (m == PM_TEXT && all_plain(*c)) {
		while (wc_remaining(c) > 0)
			sb_putc(sb, (char)wc_u8(c));
		return true;
	}
	p = take_rest(c, &len);
	sb_json_string(sb, p, len);
	return p != NULL;
}

/* RFC 3397: names in wire form with compression, decoded by dns.c. */
static bool put_domain_list(struct strbuf *sb, enum pmode m, struct wire_cursor *c)
{
	char name[DNS_TEXT_MAX];
	struct dns_list_iter it;
	struct wire_error err;
	size_t len, i = 0;
	const uint8_t *p = take_rest(c, &len);
	int r;

	if (!p)
		return false;
	dns_list_init(&it, p, len);
	list_open(sb, m);
	while ((r = dns_list_next(&it, name, sizeof name, &err)) == 1) {
		list_sep(sb, m, i++);
		if (m == PM_JSON)
			sb_json_cstr(sb, name);
		else
			sb_puts(sb, name);
	}
	list_close(sb, m);
	return r == 0;
}

/* RFC 3442: {"dst": "198.51.100.0/24", "gateway": "192.0.2.1"} or dst/len:gw. */
static bool put_routes(struct strbuf *sb, enum pmode m, struct wire_cursor *c)
{
	struct route_iter it;
	struct wire_route rt;
	struct wire_error err;
	size_t len, i = 0;
	const uint8_t *p = take_rest(c, &len);
	int r;

	if (!p)
		return false;
	route_iter_init(&it, p, len);
	list_open(sb, m);
	while ((r = route_iter_next(&it, &rt, &err)) == 1) {
		list_sep(sb, m, i++);
		sb_puts(sb, m == PM_JSON ? "{\"dst\": \"" : "");
		sb_ip(sb, rt.dst);
		sb_printf(sb, "/%u", (unsigned)rt.prefix);
		sb_puts(sb, m == PM_JSON ? "\", \"gateway\": \"" : ":");
		sb_ip(sb, rt.gateway);
		sb_puts(sb, m == PM_JSON ? "\"}" : "");
	}
	list_close(sb, m);
	return r == 0;
}

static bool put_msg_type(struct strbuf *sb, enum pmode m, struct wire_cursor *c)
{
	uint8_t v = wc_u8(c);
	const char *name = dhcp_msg_type_name(v);

	if (!name) {
		sb_printf(sb, "%u", (unsigned)v);
	} else {
		put_quote(sb, m);
		sb_puts(sb, name);
		put_quote(sb, m);
	}
	return !c->failed;
}

static bool put_bool(struct strbuf *sb, struct wire_cursor *c)
{
	uint8_t v = wc_u8(c);

	sb_puts(sb, v ? "true" : "false");
	return !c->failed && v <= 1;
}

static bool put_bytes(struct strbuf *sb, enum pmode m, struct wire_cursor *c)
{
	size_t len;
	const uint8_t *p = take_rest(c, &len);

	put_hex(sb, m, p, len);
	return p != NULL;
}

/* One value by its type; false when the bytes do not have that shape. */
static bool put_value(struct strbuf *sb, enum pmode m, uint8_t code, struct wire_cursor *c)
{
	enum dhcp_opt_type type = dhcp_opt_desc(code)->type;

	switch (type) {
	case OPT_T_IP:
		put_ip(sb, m, wc_be32(c));
		return !c->failed;
	case OPT_T_IP_LIST:
	case OPT_T_IP_PAIRS:
		return put_ip_list(sb, m, c, type == OPT_T_IP_PAIRS);
	case OPT_T_U8:
	case OPT_T_U16:
	case OPT_T_U32:
	case OPT_T_S32:
		return put_number(sb, type, c);
	case OPT_T_BOOL:
		return put_bool(sb, c);
	case OPT_T_FLAG:
		sb_puts(sb, "true");
		return true;
	case OPT_T_MSG_TYPE:
		return put_msg_type(sb, m, c);
	case OPT_T_U8_LIST:
	case OPT_T_U16_LIST:
		return put_uint_list(sb, m, c, type == OPT_T_U8_LIST ? 1 : 2);
	case OPT_T_STRING:
	case OPT_T_DOMAIN:
		return put_string(sb, m, c);
	case OPT_T_DOMAIN_LIST:
		return put_domain_list(sb, m, c);
	case OPT_T_ROUTES:
		return put_routes(sb, m, c);
	case OPT_T_BYTES:
	case OPT_T_UNKNOWN:
		return put_bytes(sb, m, c);
	}
	return false;
}

/*
 * Typed when the value passes its rule and decodes to the last byte;
 * otherwise whatever was written is taken back and the bytes go out as hex.
 */
static void print_opt(struct strbuf *sb, enum pmode m, uint8_t code, const uint8_t *data,
		      size_t len)
{
	static const uint8_t none[1];
	size_t mark = sb->len, bad;
	bool was_truncated = sb->truncated;
	struct wire_cursor c;

	if (!data) {
		data = none;
		len = 0;
	}
	c = wc_init(data, len);
	if (dhcp_opt_validate(code, data, len, &bad) == WIRE_OK && put_value(sb, m, code, &c) &&
	    !c.failed && wc_remaining(&c) == 0)
		return;
	sb_rewind(sb, mark, was_truncated);
	put_hex(sb, m, data, len);
}

void dhcp_print_opt_json(struct strbuf *sb, uint8_t code, const uint8_t *data, size_t len)
{
	print_opt(sb, PM_JSON, code, data, len);
}

void dhcp_print_opt_text(struct strbuf *sb, uint8_t code, const uint8_t *data, size_t len)
{
	print_opt(sb, PM_TEXT, code, data, len);
}

/* ---- whole messages -------------------------------------------------------- */

static size_t chaddr_len(const struct dhcp_header *h)
{
	return h->hlen < DHCP_CHADDR_LEN ? h->hlen : DHCP_CHADDR_LEN;
}

static const struct dhcp_opt_ref *opt_ref(const struct dhcp_msg *msg, size_t i)
{
	return &msg->opt[msg->order[i]];
}

static size_t order_count(const struct dhcp_msg *msg)
{
	return msg->n_order < 256 ? msg->n_order : 256;
}

static void line_addr(struct strbuf *sb, const char *key, uint32_t addr)
{
	if (addr == 0)
		return;
	sb_printf(sb, " %s=", key);
	sb_ip(sb, addr);
}

static void line_opt(struct strbuf *sb, uint8_t code, const struct dhcp_opt_ref *ref)
{
	const char *name = dhcp_opt_name(code);

	if (code == DHCP_OPT_MSG_TYPE && ref->status == WIRE_OK)
		return; /* already the first word */
	if (name)
		sb_printf(sb, " %s", name);
	else
		sb_printf(sb, " opt-%u", (unsigned)code);
	if (ref->status != WIRE_OK) {
		sb_printf(sb, "=!%s", wire_reason_name((enum wire_reason)ref->status));
		return;
	}
	if (dhcp_opt_desc(code)->type == OPT_T_FLAG && ref->len == 0)
		return; /* "rapid-commit" alone reads better than "=true" */
	sb_putc(sb, '=');
	dhcp_print_opt_text(sb, code, ref->data, ref->len);
}

void dhcp_print_line(struct strbuf *sb, const struct dhcp_msg *msg)
{
	const struct dhcp_header *h = &msg->hdr;
	const char *type = dhcp_msg_type_name(msg->type);
	size_t i;

	if (type)
		sb_puts(sb, type);
	else
		sb_printf(sb, "TYPE-%u", (unsigned)msg->type);
	sb_printf(sb, " xid=0x%08" PRIx32, h->xid);
	line_addr(sb, "ciaddr", h->ciaddr);
	line_addr(sb, "yiaddr", h->yiaddr);
	line_addr(sb, "siaddr", h->siaddr);
	line_addr(sb, "giaddr", h->giaddr);
	sb_puts(sb, " chaddr=");
	sb_mac(sb, h->chaddr, chaddr_len(h));
	for (i = 0; i < order_count(msg); i++)
		line_opt(sb, msg->order[i], opt_ref(msg, i));
}

static void json_ip(struct strbuf *sb, const char *key, uint32_t addr)
{
	sb_printf(sb, ", \"%s\": ", key);
	put_ip(sb, PM_JSON, addr);
}

/* sname/file as a string up to the first NUL; nothing when empty. */
static void json_area(struct strbuf *sb, const char *key, const uint8_t *area, size_t size)
{
	struct wire_cursor c = wc_init(area, area ? size : 0);
	size_t n = 0;

	while (wc_remaining(&c) > 0 && wc_u8(&c) != 0)
		n++;
	if (n == 0)
		return;
	sb_printf(sb, ", \"%s\": ", key);
	sb_json_string(sb, area, n);
}

static void json_opt(struct strbuf *sb, uint8_t code, const struct dhcp_opt_ref *ref)
{
	const char *name = dhcp_opt_name(code);
	enum wire_reason why = (enum wire_reason)ref->status;

	sb_printf(sb, "{\"code\": %u", (unsigned)code);
	if (name)
		sb_printf(sb, ", \"name\": \"%s\"", name);
	if (why == WIRE_OK) {
		sb_puts(sb, ", \"value\": ");
		dhcp_print_opt_json(sb, code, ref->data, ref->len);
	} else {
		sb_puts(sb, ", \"error\": ");
		sb_json_cstr(sb, wire_reason_text(why));
		sb_printf(sb, ", \"reason\": \"%s\", \"raw\": ", wire_reason_name(why));
		put_hex(sb, PM_JSON, ref->data, ref->len);
	}
	sb_putc(sb, '}');
}

static void json_head(struct strbuf *sb, const struct dhcp_msg *msg)
{
	const struct dhcp_header *h = &msg->hdr;
	const char *type = dhcp_msg_type_name(msg->type);

	if (h->op == BOOTREQUEST || h->op == BOOTREPLY)
		sb_printf(sb, "\"op\": \"%s\"", h->op == BOOTREQUEST ? "BOOTREQUEST" : "BOOTREPLY");
	else
		sb_printf(sb, "\"op\": %u", (unsigned)h->op);
	sb_printf(sb, ", \"xid\": \"0x%08" PRIx32 "\"", h->xid);
	if (type)
		sb_printf(sb, ", \"type\": \"%s\"", type);
	else
		sb_printf(sb, ", \"type\": %u", (unsigned)msg->type);
	sb_printf(sb, ", \"secs\": %u, \"flags\": %u", (unsigned)h->secs, (unsigned)h->flags);
}

void dhcp_print_json_members(struct strbuf *sb, const struct dhcp_msg *msg)
{
	const struct dhcp_header *h = &msg->hdr;
	size_t i;

	json_head(sb, msg);
	json_ip(sb, "ciaddr", h->ciaddr);
	json_ip(sb, "yiaddr", h->yiaddr);
	json_ip(sb, "siaddr", h->siaddr);
	json_ip(sb, "giaddr", h->giaddr);
	sb_puts(sb, ", \"chaddr\": \"");
	sb_mac(sb, h->chaddr, chaddr_len(h));
	sb_putc(sb, '"');
	/* RFC 2132 9.3: overload 1 = file holds options, 2 = sname, 3 = both */
	if (!(msg->overload & 2))
		json_area(sb, "sname", msg->sname, DHCP_SNAME_LEN);
	if (!(msg->overload & 1))
		json_area(sb, "file", msg->file, DHCP_FILE_LEN);
	sb_puts(sb, ", \"options\": [");
	for (i = 0; i < order_count(msg); i++) {
		if (i > 0)
			sb_puts(sb, ", ");
		json_opt(sb, msg->order[i], opt_ref(msg, i));
	}
	sb_putc(sb, ']');
}
