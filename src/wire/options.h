/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The option table: one const descriptor per code, read by the parser, the
 * builder, the printers and the fuzz dictionary alike.
 */
#ifndef LESSEE_WIRE_OPTIONS_H
#define LESSEE_WIRE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reason.h"

enum dhcp_opt_code {
	DHCP_OPT_PAD = 0,
	DHCP_OPT_SUBNET_MASK = 1,
	DHCP_OPT_TIME_OFFSET = 2,
	DHCP_OPT_ROUTER = 3,
	DHCP_OPT_DNS = 6,
	DHCP_OPT_HOSTNAME = 12,
	DHCP_OPT_DOMAIN_NAME = 15,
	DHCP_OPT_BROADCAST = 28,
	DHCP_OPT_STATIC_ROUTE = 33,
	DHCP_OPT_MTU = 26,
	DHCP_OPT_NTP = 42,
	DHCP_OPT_VENDOR_SPECIFIC = 43,
	DHCP_OPT_REQUESTED_IP = 50,
	DHCP_OPT_LEASE_TIME = 51,
	DHCP_OPT_OVERLOAD = 52,
	DHCP_OPT_MSG_TYPE = 53,
	DHCP_OPT_SERVER_ID = 54,
	DHCP_OPT_PRL = 55,
	DHCP_OPT_MESSAGE = 56,
	DHCP_OPT_MAX_MSG_SIZE = 57,
	DHCP_OPT_T1 = 58,
	DHCP_OPT_T2 = 59,
	DHCP_OPT_VENDOR_CLASS = 60,
	DHCP_OPT_CLIENT_ID = 61,
	DHCP_OPT_USER_CLASS = 77,
	DHCP_OPT_RAPID_COMMIT = 80,
	DHCP_OPT_FQDN = 81,
	DHCP_OPT_RELAY_AGENT = 82,
	DHCP_OPT_IPV6_ONLY = 108,
	DHCP_OPT_CAPTIVE_PORTAL = 114,
	DHCP_OPT_AUTOCONF = 116,
	DHCP_OPT_SUBNET_SELECTION = 118,
	DHCP_OPT_DOMAIN_SEARCH = 119,
	DHCP_OPT_CLASSLESS_ROUTE = 121,
	DHCP_OPT_MS_CLASSLESS_ROUTE = 249,
	DHCP_OPT_WPAD = 252,
	DHCP_OPT_END = 255,
};

/* What an option's bytes hold; decides its length rule and how it prints. */
enum dhcp_opt_type {
	OPT_T_UNKNOWN = 0, /* not in the table: kept as bytes */
	OPT_T_BYTES,       /* opaque, length bounds only */
	OPT_T_IP,          /* exactly 4 */
	OPT_T_IP_LIST,     /* multiple of 4 */
	OPT_T_IP_PAIRS,    /* multiple of 8 (policy filter, static route) */
	OPT_T_U8,
	OPT_T_U16,
	OPT_T_U32,
	OPT_T_S32,
	OPT_T_BOOL,        /* 1 byte, 0 or 1 */
	OPT_T_U8_LIST,     /* parameter request list */
	OPT_T_U16_LIST,    /* MTU plateau table */
	OPT_T_STRING,      /* NVT ASCII text, any byte kept, printed escaped */
	OPT_T_DOMAIN,      /* one domain name in text form (12, 15, 40 ...) */
	OPT_T_DOMAIN_LIST, /* RFC 1035 wire names with compression (119) */
	OPT_T_ROUTES,      /* RFC 3442 classless routes (121, 249) */
	OPT_T_FLAG,        /* no data: length 0 (rapid commit) */
	OPT_T_MSG_TYPE,    /* 1 byte, a known DHCP message type */
};

struct dhcp_opt_desc {
	const char *name;       /* NULL for a code not in the table */
	enum dhcp_opt_type type;
	uint16_t min_len;       /* after RFC 3396 concatenation */
	uint16_t max_len;
	uint8_t multiple;       /* length a multiple of this: 1, 2, 4 or 8 */
	uint32_t min_value;     /* for integer types */
	uint32_t max_value;
};

extern const struct dhcp_opt_desc dhcp_opt_table[256];
extern const struct dhcp_opt_desc dhcp_opt_unknown;

/* Descriptor for any code 0..255; unknown codes get a nameless OPT_T_UNKNOWN.
 * Inline: the parser asks once per option. */
static inline const struct dhcp_opt_desc *dhcp_opt_desc(uint8_t code)
{
	const struct dhcp_opt_desc *d = &dhcp_opt_table[code];
	return d->name ? d : &dhcp_opt_unknown;
}

/* Table name ("server-id") or NULL. */
const char *dhcp_opt_name(uint8_t code);

/* Length rule alone; every multiple in the table is 1, 2, 4 or 8. */
static inline bool dhcp_opt_length_ok(const struct dhcp_opt_desc *d, size_t len)
{
	return len >= d->min_len && len <= d->max_len && (len & (d->multiple - 1u)) == 0;
}

/* False when the length rule is all there is to check (the common case):
 * integers whose range is their whole type, addresses, text, bytes. */
static inline bool dhcp_opt_has_value_rule(const struct dhcp_opt_desc *d)
{
	switch (d->type) {
	case OPT_T_U8:
		return d->min_value > 0 || d->max_value < 0xffu;
	case OPT_T_U16:
		return d->min_value > 0 || d->max_value < 0xffffu;
	case OPT_T_U32:
		return d->min_value > 0 || d->max_value < 0xffffffffu;
	case OPT_T_BOOL:
	case OPT_T_MSG_TYPE:
	case OPT_T_U16_LIST:
	case OPT_T_DOMAIN_LIST:
	case OPT_T_ROUTES:
		return true;
	case OPT_T_UNKNOWN:
	case OPT_T_BYTES:
	case OPT_T_IP:
	case OPT_T_IP_LIST:
	case OPT_T_IP_PAIRS:
	case OPT_T_S32:
	case OPT_T_U8_LIST:
	case OPT_T_STRING:
	case OPT_T_DOMAIN:
	case OPT_T_FLAG:
		return false;
	}
	return true;
}

/*
 * Check an option's (concatenated) value against its descriptor: length rule
 * first, then the value rules of its type. WIRE_OK when it may be used.
 */
enum wire_reason dhcp_opt_validate(uint8_t code, const uint8_t *data, size_t len,
				   size_t *bad_offset);

#endif
