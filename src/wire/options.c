/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The option descriptor table. Lengths are those of the value after RFC 3396
 * concatenation; a known option whose value breaks its rule is dropped by
 * the parser (the message still parses) and reported.
 */
#include "options.h"

#include "cursor.h"
#include "dns.h"
#include "routes.h"

#define U16MAX 0xffffu
#define U32MAX 0xffffffffu

/* Shorthands: name, type, min length, max length, multiple. */
#define IP(n)       { n, OPT_T_IP, 4, 4, 1, 0, 0 }
#define IPLIST(n)   { n, OPT_T_IP_LIST, 4, U16MAX, 4, 0, 0 }
#define IPLIST0(n)  { n, OPT_T_IP_LIST, 0, U16MAX, 4, 0, 0 }
#define IPPAIRS(n)  { n, OPT_T_IP_PAIRS, 8, U16MAX, 8, 0, 0 }
#define U8(n)       { n, OPT_T_U8, 1, 1, 1, 0, 0xff }
#define U8R(n, lo, hi) { n, OPT_T_U8, 1, 1, 1, lo, hi }
#define U16R(n, lo) { n, OPT_T_U16, 2, 2, 1, lo, U16MAX }
#define U32(n)      { n, OPT_T_U32, 4, 4, 1, 0, U32MAX }
#define U32R(n, lo) { n, OPT_T_U32, 4, 4, 1, lo, U32MAX }
#define S32(n)      { n, OPT_T_S32, 4, 4, 1, 0, 0 }
#define BOOL(n)     { n, OPT_T_BOOL, 1, 1, 1, 0, 1 }
#define STR(n)      { n, OPT_T_STRING, 1, U16MAX, 1, 0, 0 }
#define DOMAIN(n)   { n, OPT_T_DOMAIN, 1, U16MAX, 1, 0, 0 }
#define BYTES(n, lo) { n, OPT_T_BYTES, lo, U16MAX, 1, 0, 0 }

const struct dhcp_opt_desc dhcp_opt_table[256] = {
	/* RFC 2132 section 3: vendor extensions */
	[1] = IP("subnet-mask"),
	[2] = S32("time-offset"),
	[3] = IPLIST("routers"),
	[4] = IPLIST("time-servers"),
	[5] = IPLIST("ien116-name-servers"),
	[6] = IPLIST("domain-name-servers"),
	[7] = IPLIST("log-servers"),
	[8] = IPLIST("cookie-servers"),
	[9] = IPLIST("lpr-servers"),
	[10] = IPLIST("impress-servers"),
	[11] = IPLIST("resource-location-servers"),
	[12] = DOMAIN("host-name"),
	[13] = U16R("boot-size", 0),
	[14] = STR("merit-dump"),
	[15] = DOMAIN("domain-name"),
	[16] = IP("swap-server"),
	[17] = STR("root-path"),
	[18] = STR("extensions-path"),
	/* section 4: IP layer parameters per host */
	[19] = BOOL("ip-forwarding"),
	[20] = BOOL("non-local-source-routing"),
	[21] = IPPAIRS("policy-filter"),
	[22] = U16R("max-dgram-reassembly", 576),
	[23] = U8R("default-ip-ttl", 1, 255),
	[24] = U32("path-mtu-aging-timeout"),
	[25] = { "path-mtu-plateau-table", OPT_T_U16_LIST, 2, U16MAX, 2, 68, U16MAX },
	/* section 5: IP layer parameters per interface */
	[26] = U16R("interface-mtu", 68),
	[27] = BOOL("all-subnets-local"),
	[28] = IP("broadcast-address"),
	[29] = BOOL("perform-mask-discovery"),
	[30] = BOOL("mask-supplier"),
	[31] = BOOL("router-discovery"),
	[32] = IP("router-solicitation-address"),
	[33] = IPPAIRS("static-routes"),
	/* section 6: link layer */
	[34] = BOOL("trailer-encapsulation"),
	[35] = U32("arp-cache-timeout"),
	[36] = BOOL("ieee802-3-encapsulation"),
	/* section 7: TCP */
	[37] = U8R("default-tcp-ttl", 1, 255),
	[38] = U32("tcp-keepalive-interval"),
	[39] = BOOL("tcp-keepalive-garbage"),
	/* section 8: applications and services */
	[40] = DOMAIN("nis-domain"),
	[41] = IPLIST("nis-servers"),
	[42] = IPLIST("ntp-servers"),
	[43] = BYTES("vendor-encapsulated-options", 1),
	[44] = IPLIST("netbios-name-servers"),
	[45] = IPLIST("netbios-dd-server"),
	[46] = { "netbios-node-type", OPT_T_U8, 1, 1, 1, 1, 8 },
	[47] = STR("netbios-scope"),
	[48] = IPLIST("font-servers"),
	[49] = IPLIST("x-display-manager"),
	/* section 9: DHCP extensions */
	[50] = IP("requested-ip"),
	[51] = U32R("lease-time", 0),
	[52] = U8R("overload", 1, 3),
	[53] = { "message-type", OPT_T_MSG_TYPE, 1, 1, 1, 1, 18 },
	[54] = IP("server-id"),
	[55] = { "parameter-request-list", OPT_T_U8_LIST, 1, U16MAX, 1, 0, 0 },
	[56] = STR("message"),
	[57] = U16R("max-message-size", 576),
	[58] = U32("renewal-time"),
	[59] = U32("rebinding-time"),
	[60] = STR("vendor-class-id"),
	[61] = BYTES("client-id", 2),
	[64] = DOMAIN("nisplus-domain"),
	[65] = IPLIST("nisplus-servers"),
	[66] = STR("tftp-server-name"),
	[67] = STR("bootfile-name"),
	[68] = IPLIST0("mobile-ip-home-agent"),
	[69] = IPLIST("smtp-servers"),
	[70] = IPLIST("pop3-servers"),
	[71] = IPLIST("nntp-servers"),
	[72] = IPLIST("www-servers"),
	[73] = IPLIST("finger-servers"),
	[74] = IPLIST("irc-servers"),
	[75] = IPLIST("streettalk-servers"),
	[76] = IPLIST("streettalk-directory-assistance"),
	/* RFC 3004: instances of (length, data); the smallest is 2 bytes */
	[77] = BYTES("user-class", 2),
	/* RFC 4039: no data */
	[80] = { "rapid-commit", OPT_T_FLAG, 0, 0, 1, 0, 0 },
	/* RFC 4702 2.1: flags, rcode1, rcode2, then the name */
	[81] = BYTES("client-fqdn", 3),
	/* RFC 3046 2.0: sub-options, at least one (code, length) */
	[82] = BYTES("relay-agent-information", 2),
	/* RFC 6704 3.1.2: the authentication algorithms the client supports */
	[145] = BYTES("forcerenew-nonce-capable", 1),
	/* RFC 8925 3.1: V6ONLY_WAIT seconds */
	[108] = U32("ipv6-only-preferred"),
	/* RFC 8910 2.1: a URI */
	[114] = STR("captive-portal"),
	/* RFC 2563 2: 0 or 1 */
	[116] = { "auto-configure", OPT_T_U8, 1, 1, 1, 0, 1 },
	/* RFC 3011 3 */
	[118] = IP("subnet-selection"),
	/* RFC 3397 2 */
	[119] = { "domain-search", OPT_T_DOMAIN_LIST, 1, U16MAX, 1, 0, 0 },
	/* RFC 3442: at least one route of 5 bytes (prefix 0 + router) */
	[121] = { "classless-static-routes", OPT_T_ROUTES, 5, U16MAX, 1, 0, 0 },
	[249] = { "ms-classless-static-routes", OPT_T_ROUTES, 5, U16MAX, 1, 0, 0 },
	[252] = STR("wpad"),
};

const struct dhcp_opt_desc dhcp_opt_unknown = { NULL, OPT_T_UNKNOWN, 0, U16MAX, 1, 0, 0 };

const char *dhcp_opt_name(uint8_t code)
{
	return dhcp_opt_table[code].name;
}

static bool value_in_range(const struct dhcp_opt_desc *d, uint32_t v)
{
	return v >= d->min_value && v <= d->max_value;
}

/* Value rules beyond the length, per type. */
static enum wire_reason validate_value(const struct dhcp_opt_desc *d, const uint8_t *data,
				       size_t len, size_t *bad_offset)
{
	struct wire_cursor c = wc_init(data, len);

	switch (d->type) {
	case OPT_T_U8:
	case OPT_T_BOOL:
	case OPT_T_MSG_TYPE:
		return value_in_range(d, wc_u8(&c)) ? WIRE_OK : WIRE_OPT_VALUE;
	case OPT_T_U16:
		return value_in_range(d, wc_be16(&c)) ? WIRE_OK : WIRE_OPT_VALUE;
	case OPT_T_U32:
		return value_in_range(d, wc_be32(&c)) ? WIRE_OK : WIRE_OPT_VALUE;
	case OPT_T_U16_LIST:
		while (wc_remaining(&c) >= 2) {
			size_t at = c.off;
			if (!value_in_range(d, wc_be16(&c))) {
				*bad_offset = at;
				return WIRE_OPT_VALUE;
			}
		}
		return WIRE_OK;
	case OPT_T_DOMAIN_LIST:
		return dns_list_validate(data, len, bad_offset);
	case OPT_T_ROUTES:
		return routes_validate(data, len, bad_offset);
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
		return WIRE_OK;
	}
	return WIRE_OK;
}

/* RFC 2132 8.7: the node type is one of 1 (B), 2 (P), 4 (M), 8 (H). */
static bool netbios_node_type_ok(const uint8_t *data)
{
	struct wire_cursor c = wc_init(data, 1);
	uint8_t v = wc_u8(&c);
	return v == 1 || v == 2 || v == 4 || v == 8;
}

enum wire_reason dhcp_opt_validate(uint8_t code, const uint8_t *data, size_t len,
				   size_t *bad_offset)
{
	const struct dhcp_opt_desc *d = dhcp_opt_desc(code);
	enum wire_reason r;

	*bad_offset = 0;
	if (!dhcp_opt_length_ok(d, len))
		return WIRE_OPT_LENGTH;
	if (!dhcp_opt_has_value_rule(d))
		return WIRE_OK;
	r = validate_value(d, data, len, bad_offset);
	if (r == WIRE_OK && code == 46 && !netbios_node_type_ok(data))
		r = WIRE_OPT_VALUE;
	return r;
}
