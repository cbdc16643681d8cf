/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RFC 1035 names with compression, as option 119 carries them (RFC 3397 2:
 * pointers are offsets from the start of the concatenated option data).
 *
 * Loop freedom: every pointer must point strictly before the start of the
 * segment being read (the name's start, or the previous pointer's target).
 * Segment starts then strictly decrease, so a name follows at most `len`
 * pointers. Legitimate compression only ever refers to data written earlier,
 * which always lies before the current segment, so nothing valid is refused.
 */
#include <string.h>

#include "cursor.h"
#include "dns.h"
#include "options.h"

#define DNS_PTR_MASK 0xc0u

struct name_out {
	char *text;
	size_t cap;
	size_t len;
	bool short_buf;
};

static bool is_plain(uint8_t b)
{
	return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
	       (b >= '0' && b <= '9') || b == '-' || b == '_';
}

static void out_char(struct name_out *o, char ch)
{
	if (!o->text)
		return;
	if (o->len + 1 >= o->cap) {
		o->short_buf = true;
		return;
	}
	o->text[o->len++] = ch;
}

/* A label byte in text form; anything but LDH and '_' becomes \DDD. */
static void out_label_byte(struct name_out *o, uint8_t b)
{
	if (is_plain(b)) {
		out_char(o, (char)b);
		return;
	}
	out_char(o, '\\');
	out_char(o, (char)('0' + b / 100));
	out_char(o, (char)('0' + b / 10 % 10));
	out_char(o, (char)('0' + b % 10));
}

static int name_fail(struct wire_error *err, enum wire_reason why, size_t at)
{
	wire_error_set(err, why, at, DHCP_OPT_DOMAIN_SEARCH);
	return -1;
}

/*
 * Follow one name from *next. On success *next is the offset just after
 * the name as it stands in the list (after its terminator or first pointer).
 */
static int decode_name(const uint8_t *data, size_t len, size_t *next,
		       struct name_out *o, struct wire_error *err)
{
	struct wire_cursor c = wc_init(data, len);
	size_t segment = *next, wire_len = 0;
	bool jumped = false;

	wc_seek(&c, *next);
	for (;;) {
		size_t at = c.off;
		uint8_t b = wc_u8(&c);
		if (c.failed)
			return name_fail(err, WIRE_DNS_TRUNCATED, at);
		if (b == 0) {
			if (!jumped)
				*next = c.off;
			if (o->len == 0)
				out_char(o, '.');
			return 1;
		}
		if ((b & DNS_PTR_MASK) == DNS_PTR_MASK) {
			size_t target = (size_t)(b & ~DNS_PTR_MASK) << 8 | wc_u8(&c);
			if (c.failed)
				return name_fail(err, WIRE_DNS_TRUNCATED, at);
			if (target >= len)
				return name_fail(err, WIRE_DNS_PTR_RANGE, at);
			if (target >= segment)
				return name_fail(err, target <= at ? WIRE_DNS_PTR_LOOP
								   : WIRE_DNS_PTR_FORWARD, at);
			if (!jumped)
				*next = c.off;
			jumped = true;
			segment = target;
			wc_seek(&c, target);
			continue;
		}
		if (b & DNS_PTR_MASK)
			return name_fail(err, WIRE_DNS_LABEL_LONG, at);
		/* b <= 63 here: the two top bits are clear. */
		wire_len += 1u + b;
		if (wire_len + 1u > DNS_NAME_MAX)
			return name_fail(err, WIRE_DNS_NAME_LONG, at);
		const uint8_t *label = wc_bytes(&c, b);
		if (!label)
			return name_fail(err, WIRE_DNS_TRUNCATED, at);
		if (!o->text)
			continue; /* validating only */
		struct wire_cursor lc = wc_init(label, b);
		if (o->len > 0)
			out_char(o, '.');
		while (wc_remaining(&lc) > 0)
			out_label_byte(o, wc_u8(&lc));
	}
}

void dns_list_init(struct dns_list_iter *it, const uint8_t *data, size_t len)
{
	it->data = data;
	it->len = len;
	it->off = 0;
}

int dns_list_next(struct dns_list_iter *it, char *text, size_t text_cap,
		  struct wire_error *err)
{
	struct name_out o = { text, text_cap, 0, false };
	size_t next = it->off;

	if (text_cap > 0)
		text[0] = '\0';
	if (it->off >= it->len)
		return 0;
	if (decode_name(it->data, it->len, &next, &o, err) < 0) {
		if (text_cap > 0)
			text[0] = '\0';
		return -1;
	}
	if (o.short_buf || text_cap == 0) {
		if (text_cap > 0)
			text[0] = '\0';
		wire_error_set(err, WIRE_NO_ROOM, it->off, DHCP_OPT_DOMAIN_SEARCH);
		return -1;
	}
	text[o.len] = '\0';
	it->off = next;
	return 1;
}

enum wire_reason dns_list_validate(const uint8_t *data, size_t len, size_t *bad_offset)
{
	struct wire_error err = { WIRE_OK, 0, -1 };
	size_t next = 0;

	/* The walk of dns_list_next, without writing any text. */
	while (next < len) {
		struct name_out none = { NULL, 0, 0, false };
		if (decode_name(data, len, &next, &none, &err) < 0) {
			*bad_offset = err.offset;
			return err.reason;
		}
	}
	return WIRE_OK;
}

/* One dotted name, without escapes; returns bytes written or 0. */
static size_t encode_name(const char *name, uint8_t *out, size_t cap)
{
	size_t pos = 0, total = 0;
	const char *p = name;

	/* "." is the root, as the decoder writes it. */
	if (p[0] == '.' && p[1] == '\0')
		p++;
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);
		if (l == 0 || l > DNS_LABEL_MAX)
			return 0;
		total += 1 + l;
		if (total + 1 > DNS_NAME_MAX || pos + 1 + l > cap)
			return 0;
		out[pos++] = (uint8_t)l;
		memcpy(out + pos, p, l);
		pos += l;
		p += l;
		if (*p == '.')
			p++;
	}
	if (pos + 1 > cap)
		return 0;
	out[pos++] = 0;
	return pos;
}

size_t dns_list_encode(const char *const *names, size_t n, uint8_t *out, size_t cap)
{
	size_t pos = 0;

	for (size_t i = 0; i < n; i++) {
		size_t w = encode_name(names[i], out + pos, cap - pos);
		if (w == 0)
			return 0;
		pos += w;
	}
	return pos;
}

static bool is_ldh_letter_digit(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool dns_is_host_name(const char *name, size_t len)
{
	size_t label = 0;

	if (!name)
		return false;
	if (len > 0 && name[len - 1] == '.')
		len--;                  /* RFC 1034 3.1: a fully qualified name */
	/* RFC 1035 2.3.4: 255 bytes in wire form, so 253 in text. */
	if (len == 0 || len > DNS_NAME_MAX - 2u)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '.') {
			if (label == 0 || name[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		/* RFC 1035 2.3.1, RFC 1123 2.1: letters, digits, inner hyphens. */
		if (!is_ldh_letter_digit(c) && !(c == '-' && label > 0))
			return false;
		if (++label > DNS_LABEL_MAX)
			return false;
	}
	return label > 0 && name[len - 1] != '-';
}
