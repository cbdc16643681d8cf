/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * DHCP message parsing: fixed header, then the option areas walked once into
 * a 256-entry index. Three passes, each bounded by the message length:
 *   1. walk options (and file/sname when overloaded, RFC 2131 4.1 order:
 *      options, file, sname) recording each code's first instance and total
 *      length;
 *   2. only if some code appeared more than once, walk again and concatenate
 *      its instances into scratch (RFC 3396 section 7);
 *   3. validate every code against its descriptor, dropping the bad ones.
 */
#include <string.h>

#include "cursor.h"
#include "dhcp.h"
#include "header.h"

/* RFC 768: 16-bit length, less the IPv4 and UDP headers. */
#define DHCP_MAX_LEN (65535u - 20u - 8u)

enum walk_mode { WALK_INDEX, WALK_CONCAT };

struct parse_ctx {
	struct dhcp_msg *msg;
	const uint8_t *buf;
	size_t len;
	enum walk_mode mode;
	uint8_t *scratch;          /* WALK_CONCAT: where split values go */
	uint16_t *fill;            /* WALK_CONCAT: next write offset per code */
	struct wire_error *err;
	bool split;                /* some code appeared more than once */
};

static inline bool bit_test(const uint8_t *map, uint8_t code)
{
	return (map[code >> 3] >> (code & 7)) & 1;
}

static inline void bit_set(uint8_t *map, uint8_t code)
{
	map[code >> 3] = (uint8_t)(map[code >> 3] | (1u << (code & 7)));
}

bool dhcp_seen(const struct dhcp_msg *msg, uint8_t code)
{
	return bit_test(msg->seen, code);
}

bool dhcp_has(const struct dhcp_msg *msg, uint8_t code)
{
	return bit_test(msg->seen, code) && msg->opt[code].status == WIRE_OK;
}

/* Record one instance; true when the code was seen before (RFC 3396 split). */
static bool index_instance(struct dhcp_msg *msg, uint8_t code, const uint8_t *data,
			   uint8_t len, size_t offset)
{
	struct dhcp_opt_ref *ref = &msg->opt[code];

	if (!bit_test(msg->seen, code)) {
		bit_set(msg->seen, code);
		msg->order[msg->n_order++] = code;
		ref->data = data;
		ref->len = len;
		ref->offset = (uint16_t)offset;
		ref->instances = 1;
		ref->status = WIRE_OK;
		return false;
	}
	/* The message is at most 64 KiB, so the total fits in 16 bits. */
	ref->len = (uint16_t)(ref->len + len);
	if (ref->instances == UINT8_MAX)
		ref->status = WIRE_OPT_TOO_MANY;
	else
		ref->instances++;
	return true;
}

static void concat_instance(struct parse_ctx *p, uint8_t code, const uint8_t *data,
			    uint8_t len)
{
	struct dhcp_opt_ref *ref = &p->msg->opt[code];

	if (ref->instances < 2)
		return;
	/* Pass 1 sized the slot from these very instances, so this fits. */
	memcpy(p->scratch + p->fill[code], data, len);
	p->fill[code] = (uint16_t)(p->fill[code] + len);
}

/*
 * Walk one option area [start, start + size). PAD is skipped, END stops the
 * walk; an option whose length runs past the area refuses the whole message,
 * since nothing after it can be trusted to be aligned.
 */
static enum wire_reason walk_area(struct parse_ctx *p, size_t start, size_t size,
				  bool main_area)
{
	struct wire_cursor whole = wc_init(p->buf, p->len);
	struct wire_cursor c;

	wc_seek(&whole, start);
	c = wc_sub(&whole, size);
	while (wc_remaining(&c) > 0) {
		size_t at = start + c.off;
		uint8_t code = wc_u8(&c);
		if (code == DHCP_OPT_PAD)
			continue;
		if (code == DHCP_OPT_END)
			return WIRE_OK;
		uint8_t olen = wc_u8(&c);
		const uint8_t *data = wc_bytes(&c, olen);
		if (!data) {
			wire_error_set(p->err, WIRE_OPT_OVERRUN, at, code);
			return WIRE_OPT_OVERRUN;
		}
		/* RFC 2131 4.1: overload is only meaningful in the options field. */
		if (code == DHCP_OPT_OVERLOAD && !main_area) {
			wire_error_set(p->err, WIRE_BAD_OVERLOAD, at, code);
			return WIRE_BAD_OVERLOAD;
		}
		if (p->mode == WALK_INDEX)
			p->split |= index_instance(p->msg, code, data, olen, at);
		else
			concat_instance(p, code, data, olen);
	}
	if (main_area)
		p->msg->missing_end = true;
	return WIRE_OK;
}

/* Read option 52 from the options field; 0 when absent or invalid. */
static uint8_t overload_of(const struct dhcp_msg *msg)
{
	const struct dhcp_opt_ref *ref = &msg->opt[DHCP_OPT_OVERLOAD];
	struct wire_cursor c;
	uint8_t v;

	if (!bit_test(msg->seen, DHCP_OPT_OVERLOAD) || ref->len != 1)
		return 0;
	c = wc_init(ref->data, ref->len);
	v = wc_u8(&c);
	return (v >= 1 && v <= 3) ? v : 0;
}

static enum wire_reason walk_all(struct parse_ctx *p)
{
	enum wire_reason r;
	uint8_t overload;

	r = walk_area(p, DHCP_OPTIONS_OFF, p->len - DHCP_OPTIONS_OFF, true);
	if (r != WIRE_OK)
		return r;
	overload = p->mode == WALK_INDEX ? overload_of(p->msg) : p->msg->overload;
	p->msg->overload = overload;
	/* RFC 2131 4.1: options, then file (1 or 3), then sname (2 or 3). */
	if (overload & 1) {
		r = walk_area(p, DHCP_FILE_OFF, DHCP_FILE_LEN, false);
		if (r != WIRE_OK)
			return r;
	}
	if (overload & 2)
		r = walk_area(p, DHCP_SNAME_OFF, DHCP_SNAME_LEN, false);
	return r;
}

/* RFC 3396 7: the instances of a split option are one value, in order. */
static enum wire_reason concatenate(struct parse_ctx *p, uint8_t *scratch,
				    size_t scratch_len)
{
	struct dhcp_msg *msg = p->msg;
	uint16_t fill[256];
	size_t used = 0;
	bool any = false;

	if (!p->split)
		return WIRE_OK;
	for (size_t i = 0; i < msg->n_order; i++) {
		struct dhcp_opt_ref *ref = &msg->opt[msg->order[i]];
		if (ref->instances < 2)
			continue;
		if (ref->len > scratch_len - used) {
			wire_error_set(p->err, WIRE_NO_ROOM, ref->offset, msg->order[i]);
			return WIRE_NO_ROOM;
		}
		ref->data = scratch + used;
		fill[msg->order[i]] = (uint16_t)used;
		used += ref->len;
		any = true;
	}
	if (!any)
		return WIRE_OK;
	p->mode = WALK_CONCAT;
	p->scratch = scratch;
	p->fill = fill;
	return walk_all(p);
}

static void drop_option(struct dhcp_msg *msg, uint8_t code, enum wire_reason why,
			size_t offset)
{
	msg->opt[code].status = (uint8_t)why;
	if (msg->n_dropped < DHCP_MAX_DROPPED) {
		struct dhcp_dropped *d = &msg->dropped[msg->n_dropped];
		d->code = code;
		d->reason = (uint8_t)why;
		d->offset = (uint16_t)offset;
	}
	if (msg->n_dropped < UINT8_MAX)
		msg->n_dropped++;
}

static void validate_options(struct dhcp_msg *msg)
{
	for (size_t i = 0; i < msg->n_order; i++) {
		uint8_t code = msg->order[i];
		struct dhcp_opt_ref *ref = &msg->opt[code];
		const struct dhcp_opt_desc *d = dhcp_opt_desc(code);
		size_t bad = 0;
		enum wire_reason r = (enum wire_reason)ref->status;

		/* Most options have only a length rule: no call needed for them. */
		if (r == WIRE_OK && dhcp_opt_length_ok(d, ref->len) &&
		    !dhcp_opt_has_value_rule(d))
			continue;
		if (r == WIRE_OK)
			r = dhcp_opt_validate(code, ref->data, ref->len, &bad);
		if (r == WIRE_OK)
			continue;
		/* A value rule points into the value when it is one instance; a
		 * length rule points at the option itself. */
		bool into_value = r != WIRE_OPT_LENGTH && r != WIRE_OPT_TOO_MANY &&
				  ref->instances == 1;
		drop_option(msg, code, r, into_value ? ref->offset + 2u + bad : ref->offset);
	}
}

static enum wire_reason parse_header(struct wire_cursor *c, struct dhcp_msg *msg,
				     struct wire_error *err)
{
	struct dhcp_header *h = &msg->hdr;
	/* One check for the whole fixed part; the reads below are on a cursor
	 * of constant length, so the compiler folds their checks away. */
	struct wire_cursor f = wc_sub(c, DHCP_FIXED_LEN);
	enum wire_reason r;

	if (f.failed) {
		wire_error_set(err, WIRE_TRUNCATED, c->len, -1);
		return WIRE_TRUNCATED;
	}
	h->op = wc_u8(&f);
	h->htype = wc_u8(&f);
	h->hlen = wc_u8(&f);
	h->hops = wc_u8(&f);
	h->xid = wc_be32(&f);
	h->secs = wc_be16(&f);
	h->flags = wc_be16(&f);
	h->ciaddr = wc_be32(&f);
	h->yiaddr = wc_be32(&f);
	h->siaddr = wc_be32(&f);
	h->giaddr = wc_be32(&f);
	wc_copy(&f, h->chaddr, DHCP_CHADDR_LEN);
	msg->sname = wc_bytes(&f, DHCP_SNAME_LEN);
	msg->file = wc_bytes(&f, DHCP_FILE_LEN);
	/* op and hlen: the rules dhcp_build obeys too (header.h). */
	r = dhcp_header_check(h, err);
	if (r != WIRE_OK)
		return r;
	/* RFC 2131 3: the first four octets of options are the magic cookie. */
	if (wc_be32(c) != DHCP_COOKIE || c->failed) {
		wire_error_set(err, WIRE_BAD_COOKIE, DHCP_FIXED_LEN, -1);
		return WIRE_BAD_COOKIE;
	}
	return WIRE_OK;
}

/* RFC 2131 3.1/3.5: every DHCP message carries a known option 53. */
static enum wire_reason check_msg_type(struct dhcp_msg *msg, struct wire_error *err)
{
	const struct dhcp_opt_ref *ref = &msg->opt[DHCP_OPT_MSG_TYPE];
	struct wire_cursor c;

	if (!bit_test(msg->seen, DHCP_OPT_MSG_TYPE)) {
		wire_error_set(err, WIRE_NO_MSG_TYPE, msg->raw_len, DHCP_OPT_MSG_TYPE);
		return WIRE_NO_MSG_TYPE;
	}
	if (ref->status != WIRE_OK) {
		wire_error_set(err, WIRE_BAD_MSG_TYPE, ref->offset, DHCP_OPT_MSG_TYPE);
		return WIRE_BAD_MSG_TYPE;
	}
	c = wc_init(ref->data, ref->len);
	msg->type = wc_u8(&c);
	return WIRE_OK;
}

enum wire_reason dhcp_parse(const uint8_t *buf, size_t len, uint8_t *scratch,
			    size_t scratch_len, struct dhcp_msg *msg,
			    struct wire_error *err)
{
	struct wire_cursor c = wc_init(buf, len);
	struct parse_ctx p = { msg, buf, len, WALK_INDEX, NULL, NULL, err, false };
	enum wire_reason r;

	wire_error_set(err, WIRE_OK, 0, -1);
	if (len > DHCP_MAX_LEN) {
		wire_error_set(err, WIRE_TOO_LONG, DHCP_MAX_LEN, -1);
		return WIRE_TOO_LONG;
	}
	msg->raw = buf;
	msg->raw_len = len;
	r = parse_header(&c, msg, err);
	if (r != WIRE_OK)
		return r;
	memset(msg->seen, 0, sizeof(msg->seen));
	msg->n_order = 0;
	msg->n_dropped = 0;
	msg->overload = 0;
	msg->missing_end = false;
	msg->type = 0;
	r = walk_all(&p);
	if (r == WIRE_OK)
		r = concatenate(&p, scratch, scratch_len);
	if (r != WIRE_OK)
		return r;
	validate_options(msg);
	return check_msg_type(msg, err);
}

/* ---- typed getters: exact lengths only -------------------------------- */

bool dhcp_get_bytes(const struct dhcp_msg *msg, uint8_t code, const uint8_t **data,
		    size_t *len)
{
	if (!dhcp_has(msg, code))
		return false;
	*data = msg->opt[code].data;
	*len = msg->opt[code].len;
	return true;
}

static bool get_exact(const struct dhcp_msg *msg, uint8_t code, size_t want,
		      struct wire_cursor *c)
{
	if (!dhcp_has(msg, code) || msg->opt[code].len != want)
		return false;
	*c = wc_init(msg->opt[code].data, want);
	return true;
}

bool dhcp_get_u8(const struct dhcp_msg *msg, uint8_t code, uint8_t *value)
{
	struct wire_cursor c;
	if (!get_exact(msg, code, 1, &c))
		return false;
	*value = wc_u8(&c);
	return true;
}

bool dhcp_get_u16(const struct dhcp_msg *msg, uint8_t code, uint16_t *value)
{
	struct wire_cursor c;
	if (!get_exact(msg, code, 2, &c))
		return false;
	*value = wc_be16(&c);
	return true;
}

bool dhcp_get_u32(const struct dhcp_msg *msg, uint8_t code, uint32_t *value)
{
	struct wire_cursor c;
	if (!get_exact(msg, code, 4, &c))
		return false;
	*value = wc_be32(&c);
	return true;
}

bool dhcp_get_ip(const struct dhcp_msg *msg, uint8_t code, uint32_t *addr)
{
	return dhcp_get_u32(msg, code, addr);
}

bool dhcp_get_flag(const struct dhcp_msg *msg, uint8_t code)
{
	return dhcp_has(msg, code) && msg->opt[code].len == 0;
}

size_t dhcp_get_ip_list(const struct dhcp_msg *msg, uint8_t code, uint32_t *addrs,
			size_t max)
{
	struct wire_cursor c;
	size_t n;

	if (!dhcp_has(msg, code) || msg->opt[code].len % 4 != 0)
		return 0;
	c = wc_init(msg->opt[code].data, msg->opt[code].len);
	n = msg->opt[code].len / 4;
	for (size_t i = 0; i < n && i < max; i++)
		addrs[i] = wc_be32(&c);
	return n;
}

static const char *const msg_type_names[DHCP_MSG_TYPE_MAX + 1] = {
	[DHCPDISCOVER] = "DISCOVER",
	[DHCPOFFER] = "OFFER",
	[DHCPREQUEST] = "REQUEST",
	[DHCPDECLINE] = "DECLINE",
	[DHCPACK] = "ACK",
	[DHCPNAK] = "NAK",
	[DHCPRELEASE] = "RELEASE",
	[DHCPINFORM] = "INFORM",
	[DHCPFORCERENEW] = "FORCERENEW",
	[DHCPLEASEQUERY] = "LEASEQUERY",
	[DHCPLEASEUNASSIGNED] = "LEASEUNASSIGNED",
	[DHCPLEASEUNKNOWN] = "LEASEUNKNOWN",
	[DHCPLEASEACTIVE] = "LEASEACTIVE",
	[DHCPBULKLEASEQUERY] = "BULKLEASEQUERY",
	[DHCPLEASEQUERYDONE] = "LEASEQUERYDONE",
	[DHCPACTIVELEASEQUERY] = "ACTIVELEASEQUERY",
	[DHCPLEASEQUERYSTATUS] = "LEASEQUERYSTATUS",
	[DHCPTLS] = "TLS",
};

const char *dhcp_msg_type_name(uint8_t type)
{
	return type <= DHCP_MSG_TYPE_MAX ? msg_type_names[type] : NULL;
}
