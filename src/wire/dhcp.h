/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * DHCPv4 messages (RFC 2131 section 2, RFC 2132): parse into a validated view
 * with a fixed option index, typed getters that demand exact lengths, and a
 * bounded builder.
 *
 * Parsing never allocates and never reads past the length given. The view
 * points into the caller's buffer; options split into several instances
 * (RFC 3396) are concatenated into a caller-supplied scratch buffer, which
 * never needs to be larger than the message itself.
 */
#ifndef LESSEE_WIRE_DHCP_H
#define LESSEE_WIRE_DHCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "options.h"
#include "reason.h"

#define DHCP_FIXED_LEN   236u   /* op .. file, RFC 2131 figure 1 */
#define DHCP_SNAME_OFF   44u
#define DHCP_SNAME_LEN   64u
#define DHCP_FILE_OFF    108u
#define DHCP_FILE_LEN    128u
#define DHCP_COOKIE      0x63825363u
#define DHCP_OPTIONS_OFF 240u   /* after the cookie */
#define BOOTP_MIN_LEN    300u   /* RFC 1542 2.1: relays may drop shorter */
#define DHCP_MIN_MAX_MSG 576u   /* RFC 2131 2: every client accepts this */
#define DHCP_CHADDR_LEN  16u
#define DHCP_MAX_DROPPED 16u
#define DHCP_FLAG_BROADCAST 0x8000u

enum dhcp_op { BOOTREQUEST = 1, BOOTREPLY = 2 };

/* RFC 2132 9.6, RFC 3203, RFC 4388, RFC 6926, RFC 7724. */
enum dhcp_msg_type {
	DHCPDISCOVER = 1,
	DHCPOFFER = 2,
	DHCPREQUEST = 3,
	DHCPDECLINE = 4,
	DHCPACK = 5,
	DHCPNAK = 6,
	DHCPRELEASE = 7,
	DHCPINFORM = 8,
	DHCPFORCERENEW = 9,
	DHCPLEASEQUERY = 10,
	DHCPLEASEUNASSIGNED = 11,
	DHCPLEASEUNKNOWN = 12,
	DHCPLEASEACTIVE = 13,
	DHCPBULKLEASEQUERY = 14,
	DHCPLEASEQUERYDONE = 15,
	DHCPACTIVELEASEQUERY = 16,
	DHCPLEASEQUERYSTATUS = 17,
	DHCPTLS = 18,
};
#define DHCP_MSG_TYPE_MAX 18

/* "DISCOVER" ... or NULL for a type outside the table. */
const char *dhcp_msg_type_name(uint8_t type);

/* The fixed BOOTP fields, host byte order, shared by parser and builder. */
struct dhcp_header {
	uint8_t op;
	uint8_t htype;
	uint8_t hlen;
	uint8_t hops;
	uint32_t xid;
	uint16_t secs;
	uint16_t flags;
	uint32_t ciaddr;
	uint32_t yiaddr;
	uint32_t siaddr;
	uint32_t giaddr;
	uint8_t chaddr[DHCP_CHADDR_LEN];
};

/* One entry of the option index; valid only for codes in msg->seen. */
struct dhcp_opt_ref {
	const uint8_t *data;   /* into the message, or into scratch if split */
	uint16_t len;          /* after concatenation */
	uint16_t offset;       /* of the first instance's code byte */
	uint8_t instances;     /* how many times the code appeared */
	uint8_t status;        /* enum wire_reason: WIRE_OK or why dropped */
};

struct dhcp_dropped {
	uint8_t code;
	uint8_t reason;        /* enum wire_reason */
	uint16_t offset;
};

struct dhcp_msg {
	struct dhcp_header hdr;
	const uint8_t *sname;  /* DHCP_SNAME_LEN bytes, raw */
	const uint8_t *file;   /* DHCP_FILE_LEN bytes, raw */
	uint8_t type;          /* option 53, always present and known */
	uint8_t overload;      /* option 52 value, 0 when absent */
	bool missing_end;      /* options area ended without END (tolerated) */
	uint16_t n_order;
	uint8_t order[256];    /* codes in order of first appearance */
	uint8_t seen[32];      /* bitmap: code appeared (maybe dropped) */
	uint8_t n_dropped;     /* may exceed DHCP_MAX_DROPPED: count only */
	struct dhcp_dropped dropped[DHCP_MAX_DROPPED];
	struct dhcp_opt_ref opt[256];
	const uint8_t *raw;
	size_t raw_len;
};

/*
 * Parse and validate one message (the UDP payload). On success the view is
 * complete: header checked (op, htype/hlen, cookie), message type present and
 * known, every known option checked against its rule and dropped (listed in
 * msg->dropped) if it breaks it. scratch must hold scratch_len >= len bytes
 * to be sure split options fit; it must outlive the view.
 */
enum wire_reason dhcp_parse(const uint8_t *buf, size_t len, uint8_t *scratch,
			    size_t scratch_len, struct dhcp_msg *msg,
			    struct wire_error *err);

/* True when code appeared and passed its rule. */
bool dhcp_has(const struct dhcp_msg *msg, uint8_t code);
bool dhcp_seen(const struct dhcp_msg *msg, uint8_t code);

/* Typed getters: false unless present, valid and of exactly the size asked. */
bool dhcp_get_bytes(const struct dhcp_msg *msg, uint8_t code,
		    const uint8_t **data, size_t *len);
bool dhcp_get_u8(const struct dhcp_msg *msg, uint8_t code, uint8_t *value);
bool dhcp_get_u16(const struct dhcp_msg *msg, uint8_t code, uint16_t *value);
bool dhcp_get_u32(const struct dhcp_msg *msg, uint8_t code, uint32_t *value);
bool dhcp_get_ip(const struct dhcp_msg *msg, uint8_t code, uint32_t *addr);
bool dhcp_get_flag(const struct dhcp_msg *msg, uint8_t code);
/* Copies up to max addresses; returns how many the option holds in all. */
size_t dhcp_get_ip_list(const struct dhcp_msg *msg, uint8_t code,
			uint32_t *addrs, size_t max);

/* ---- building ---------------------------------------------------------- */

#define DHCP_OUT_MAX_OPTS 64u
#define DHCP_OUT_POOL     2048u

struct dhcp_opt_out {
	uint8_t code;
	uint16_t len;
	uint16_t pool_off;
};

/*
 * A message to build. Option values are copied into the pool, so the caller
 * keeps nothing alive. Fill it with dhcp_out_init and dhcp_out_add*; the
 * fields are public (the engine hands a whole one to the net role over IPC),
 * so dhcp_build checks everything again rather than trust them.
 */
struct dhcp_out {
	struct dhcp_header hdr;
	uint8_t sname[DHCP_SNAME_LEN];
	uint8_t file[DHCP_FILE_LEN];
	uint16_t n_opts;
	uint16_t pool_used;
	struct dhcp_opt_out opts[DHCP_OUT_MAX_OPTS];
	uint8_t pool[DHCP_OUT_POOL];
};

/*
 * Start a message: the header, sname/file zeroed, and option 53 with
 * msg_type. A type the parser would refuse (0, or over DHCP_MSG_TYPE_MAX)
 * is not added, and dhcp_build then refuses the message (WIRE_NO_MSG_TYPE).
 */
void dhcp_out_init(struct dhcp_out *out, const struct dhcp_header *hdr,
		   uint8_t msg_type);
/*
 * Add one option, so that it reaches the parser intact and is never dropped.
 * Refused, in this order, with nothing added:
 *   WIRE_BAD_CODE      PAD (0) or END (255);
 *   WIRE_DUPLICATE     the code is already there (53 too, after init);
 *   WIRE_NO_ROOM       DHCP_OUT_MAX_OPTS options, or the pool is full;
 *   WIRE_BAD_OVERLOAD  option 52: the builder never puts options in
 *                      sname/file, so it must not say it did (RFC 2132 9.3);
 *   else what dhcp_opt_validate says of the value (WIRE_OPT_LENGTH,
 *   WIRE_OPT_VALUE, the DNS_ and ROUTE_ reasons): the option table's rule
 *   for the code; a code not in the table takes any bytes.
 */
enum wire_reason dhcp_out_add(struct dhcp_out *out, uint8_t code,
			      const void *data, size_t len);
enum wire_reason dhcp_out_add_u8(struct dhcp_out *out, uint8_t code, uint8_t v);
enum wire_reason dhcp_out_add_u16(struct dhcp_out *out, uint8_t code, uint16_t v);
enum wire_reason dhcp_out_add_u32(struct dhcp_out *out, uint8_t code, uint32_t v);
enum wire_reason dhcp_out_add_ip(struct dhcp_out *out, uint8_t code, uint32_t addr);
const uint8_t *dhcp_out_get(const struct dhcp_out *out, uint8_t code, size_t *len);

/*
 * Marshal into buf (cap bytes). Options go in code order, or, when order is
 * not NULL, in that order (codes it names that are not in the message are
 * skipped, codes it leaves out follow in code order). Values over 255 bytes
 * are split into consecutive instances (RFC 3396). END always fits; the
 * result is padded to the 300-byte BOOTP minimum. Nothing is written past cap.
 *
 * What comes out always parses, with every option present and none dropped.
 * Refused, in this order (err says where; *out_len is 0, buf may hold part
 * of a message):
 *   WIRE_NO_ROOM       cap under 300 (offset 0);
 *   WIRE_BAD_ARGUMENT  out breaks its own bounds: n_opts, pool_used, a value
 *                      outside the pool, or more value bytes in all than
 *                      pool_used (offset 0);
 *   WIRE_BAD_OP        op is neither BOOTREQUEST nor BOOTREPLY (offset 0);
 *   WIRE_BAD_HLEN      hlen over 16, or not 6 with htype 1 (offset 2);
 *   WIRE_NO_MSG_TYPE, WIRE_BAD_MSG_TYPE
 *                      option 53 missing, or not a known type (offset 240,
 *                      option 53);
 *   then option by option, in emission order: any dhcp_out_add refusal
 *                      but NO_ROOM, for an option that did not come through
 *                      it, or WIRE_NO_ROOM when it (or END after it) does
 *                      not fit (the offset where it would start, its code).
 */
enum wire_reason dhcp_build(const struct dhcp_out *out, const uint8_t *order,
			    size_t n_order, uint8_t *buf, size_t cap,
			    size_t *out_len, struct wire_error *err);

#endif
