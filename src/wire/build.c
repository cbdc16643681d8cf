/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Building DHCP messages. Every append checks the room left and keeps one
 * byte for END; values are copied into the message's own pool when added, so
 * a built message never points at memory the caller may have reused.
 */
#include <string.h>

#include "cursor.h"
#include "dhcp.h"

void dhcp_out_init(struct dhcp_out *out, const struct dhcp_header *hdr, uint8_t msg_type)
{
	out->hdr = *hdr;
	memset(out->sname, 0, sizeof(out->sname));
	memset(out->file, 0, sizeof(out->file));
	out->n_opts = 0;
	out->pool_used = 0;
	dhcp_out_add_u8(out, DHCP_OPT_MSG_TYPE, msg_type);
}

static const struct dhcp_opt_out *find_opt(const struct dhcp_out *out, uint8_t code)
{
	for (size_t i = 0; i < out->n_opts; i++)
		if (out->opts[i].code == code)
			return &out->opts[i];
	return NULL;
}

enum wire_reason dhcp_out_add(struct dhcp_out *out, uint8_t code, const void *data,
			      size_t len)
{
	struct dhcp_opt_out *o;

	if (code == DHCP_OPT_PAD || code == DHCP_OPT_END)
		return WIRE_BAD_CODE;
	if (find_opt(out, code))
		return WIRE_DUPLICATE;
	if (out->n_opts >= DHCP_OUT_MAX_OPTS || len > sizeof(out->pool) - out->pool_used)
		return WIRE_NO_ROOM;
	o = &out->opts[out->n_opts++];
	o->code = code;
	o->len = (uint16_t)len;
	o->pool_off = out->pool_used;
	if (len > 0)
		memcpy(out->pool + out->pool_used, data, len);
	out->pool_used = (uint16_t)(out->pool_used + len);
	return WIRE_OK;
}

enum wire_reason dhcp_out_add_u8(struct dhcp_out *out, uint8_t code, uint8_t v)
{
	return dhcp_out_add(out, code, &v, 1);
}

enum wire_reason dhcp_out_add_u16(struct dhcp_out *out, uint8_t code, uint16_t v)
{
	uint8_t b[2];
	wire_store_be16(b, v);
	return dhcp_out_add(out, code, b, sizeof(b));
}

enum wire_reason dhcp_out_add_u32(struct dhcp_out *out, uint8_t code, uint32_t v)
{
	uint8_t b[4];
	wire_store_be32(b, v);
	return dhcp_out_add(out, code, b, sizeof(b));
}

enum wire_reason dhcp_out_add_ip(struct dhcp_out *out, uint8_t code, uint32_t addr)
{
	return dhcp_out_add_u32(out, code, addr);
}

const uint8_t *dhcp_out_get(const struct dhcp_out *out, uint8_t code, size_t *len)
{
	const struct dhcp_opt_out *o = find_opt(out, code);

	if (!o)
		return NULL;
	*len = o->len;
	return out->pool + o->pool_off;
}

/* ---- marshalling ------------------------------------------------------- */

struct writer {
	uint8_t *buf;
	size_t cap;
	size_t len;
};

static void put(struct writer *w, const void *data, size_t n)
{
	memcpy(w->buf + w->len, data, n);
	w->len += n;
}

static void put_u8(struct writer *w, uint8_t v)
{
	w->buf[w->len++] = v;
}

static void put_be16(struct writer *w, uint16_t v)
{
	wire_store_be16(w->buf + w->len, v);
	w->len += 2;
}

static void put_be32(struct writer *w, uint32_t v)
{
	wire_store_be32(w->buf + w->len, v);
	w->len += 4;
}

/* RFC 2131 figure 1; the caller checked that 240 bytes fit. */
static void put_header(struct writer *w, const struct dhcp_out *out)
{
	const struct dhcp_header *h = &out->hdr;

	put_u8(w, h->op);
	put_u8(w, h->htype);
	put_u8(w, h->hlen);
	put_u8(w, h->hops);
	put_be32(w, h->xid);
	put_be16(w, h->secs);
	put_be16(w, h->flags);
	put_be32(w, h->ciaddr);
	put_be32(w, h->yiaddr);
	put_be32(w, h->siaddr);
	put_be32(w, h->giaddr);
	put(w, h->chaddr, sizeof(h->chaddr));
	put(w, out->sname, sizeof(out->sname));
	put(w, out->file, sizeof(out->file));
	put_be32(w, DHCP_COOKIE);
}

/*
 * One option, split into instances of at most 255 bytes (RFC 3396 5); a
 * zero-length option is one instance. One byte always stays free for END.
 */
static enum wire_reason put_option(struct writer *w, const struct dhcp_out *out,
				   const struct dhcp_opt_out *o, struct wire_error *err)
{
	const uint8_t *data = out->pool + o->pool_off;
	size_t left = o->len;

	do {
		size_t chunk = left > 255 ? 255 : left;
		if (w->cap - w->len < 2 + chunk + 1) {
			wire_error_set(err, WIRE_NO_ROOM, w->len, o->code);
			return WIRE_NO_ROOM;
		}
		put_u8(w, o->code);
		put_u8(w, (uint8_t)chunk);
		put(w, data, chunk);
		data += chunk;
		left -= chunk;
	} while (left > 0);
	return WIRE_OK;
}

/*
 * The emission order as indices into out->opts: first the codes `order`
 * names (once each), then the rest by code.
 */
static size_t emission_order(const struct dhcp_out *out, const uint8_t *order,
			     size_t n_order, uint8_t idx[DHCP_OUT_MAX_OPTS])
{
	bool taken[DHCP_OUT_MAX_OPTS] = { false };
	size_t n = 0;

	for (size_t i = 0; order && i < n_order; i++) {
		for (size_t j = 0; j < out->n_opts; j++) {
			if (!taken[j] && out->opts[j].code == order[i]) {
				taken[j] = true;
				idx[n++] = (uint8_t)j;
			}
		}
	}
	size_t first_sorted = n;
	for (size_t j = 0; j < out->n_opts; j++) {
		if (taken[j])
			continue;
		/* insertion sort by code over at most 64 entries */
		size_t k = n++;
		while (k > first_sorted && out->opts[idx[k - 1]].code > out->opts[j].code) {
			idx[k] = idx[k - 1];
			k--;
		}
		idx[k] = (uint8_t)j;
	}
	return n;
}

enum wire_reason dhcp_build(const struct dhcp_out *out, const uint8_t *order, size_t n_order,
			    uint8_t *buf, size_t cap, size_t *out_len, struct wire_error *err)
{
	struct writer w = { buf, cap, 0 };
	uint8_t idx[DHCP_OUT_MAX_OPTS];
	size_t n;

	wire_error_set(err, WIRE_OK, 0, -1);
	*out_len = 0;
	/* RFC 1542 2.1: at least 300 bytes, so relays don't drop it. */
	if (cap < BOOTP_MIN_LEN) {
		wire_error_set(err, WIRE_NO_ROOM, 0, -1);
		return WIRE_NO_ROOM;
	}
	if (out->hdr.hlen > DHCP_CHADDR_LEN) {
		wire_error_set(err, WIRE_BAD_ARGUMENT, 2, -1);
		return WIRE_BAD_ARGUMENT;
	}
	put_header(&w, out);
	n = emission_order(out, order, n_order, idx);
	for (size_t i = 0; i < n; i++) {
		enum wire_reason r = put_option(&w, out, &out->opts[idx[i]], err);
		if (r != WIRE_OK)
			return r;
	}
	put_u8(&w, DHCP_OPT_END);
	if (w.len < BOOTP_MIN_LEN) {
		memset(buf + w.len, 0, BOOTP_MIN_LEN - w.len);
		w.len = BOOTP_MIN_LEN;
	}
	*out_len = w.len;
	return WIRE_OK;
}
