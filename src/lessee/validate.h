/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The apply role's gate: a lease from the engine (or from the lease file)
 * is checked field by field before anything on the system changes. The
 * engine parses packets from anyone and may be compromised, so nothing in
 * struct client_lease is trusted: counts, string terminators and boolean
 * bytes are checked before any other field is read.
 *
 * The whole lease is refused on the first violation, with a reason code
 * (tests check codes) and a line of text naming the field and its value
 * (people read the text; every value in it is escaped, so the text is safe
 * to log).
 */
#ifndef LESSEE_LESSEE_VALIDATE_H
#define LESSEE_LESSEE_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/client.h"

#define VALIDATE_REASONS(X) \
	X(OK,                    "ok") \
	X(BAD_ARGUMENT,          "missing argument, or policy or context out of bounds") \
	X(BAD_FLAG,              "a boolean field is neither 0 nor 1") \
	X(COUNT,                 "a list count exceeds its limit") \
	X(UNTERMINATED,          "a name is not one NUL-terminated string in its field") \
	X(ADDR_THIS_NET,         "address in 0.0.0.0/8") \
	X(ADDR_LOOPBACK,         "address in 127.0.0.0/8") \
	X(ADDR_LINK_LOCAL,       "address in 169.254.0.0/16 without link-local mode") \
	X(ADDR_MULTICAST,        "address in 224.0.0.0/4") \
	X(ADDR_RESERVED,         "address in 240.0.0.0/4 or the limited broadcast") \
	X(ADDR_NET_OR_BCAST,     "address is the network or broadcast address of its prefix") \
	X(PREFIX,                "prefix length is not 1..30 or 32") \
	X(PREFIX_WIDE,           "prefix shorter than /8 would route part of the default route on-link") \
	X(BROADCAST,             "broadcast address inconsistent with address and prefix") \
	X(NOT_ALLOWED,           "address outside every allowed prefix") \
	X(DENIED,                "address inside a denied prefix") \
	X(SERVER_ID,             "server identifier is not a unicast address") \
	X(ROUTER_ADDR,           "router is not a usable unicast address") \
	X(ROUTER_OFFLINK,        "router neither on-link nor reached by a classless route") \
	X(ROUTE_PREFIX,          "classless route prefix over 32") \
	X(ROUTE_HOST_BITS,       "classless route destination has bits past its prefix") \
	X(ROUTE_GATEWAY_ADDR,    "classless route gateway is not a usable unicast address") \
	X(ROUTE_GATEWAY_OFFLINK, "classless route gateway neither on-link nor reached") \
	X(ROUTE_SPLIT_DEFAULT,   "classless route covers part of the default route (TunnelVision)") \
	X(ROUTE_LOCAL_OVERLAP,   "classless route overlaps a locally configured prefix") \
	X(DNS_ADDR,              "DNS server is not a unicast address") \
	X(NTP_ADDR,              "NTP server is not a unicast address") \
	X(MTU,                   "MTU is not 576..65535") \
	X(NAME_CHARSET,          "domain name is not an RFC 1035 host name") \
	X(LEASE_TIMES,           "lease times are not ordered T1 <= T2 <= lease")

enum validate_reason {
#define VALIDATE_REASON_ENUM(name, text) VALIDATE_##name,
	VALIDATE_REASONS(VALIDATE_REASON_ENUM)
#undef VALIDATE_REASON_ENUM
	VALIDATE_REASON_COUNT
};

/* Short name ("ROUTE_SPLIT_DEFAULT") and sentence; "?" out of range. */
const char *validate_reason_name(enum validate_reason r);
const char *validate_reason_text(enum validate_reason r);

/* An IPv4 prefix, host byte order; no bits past prefix (0..32). */
struct validate_prefix {
	uint32_t addr;
	uint8_t prefix;
};

#define VALIDATE_POLICY_MAX 16u   /* --allow and --deny prefixes, each */
#define VALIDATE_LOCAL_MAX  64u   /* prefixes on the host's other interfaces */
#define VALIDATE_TEXT_MAX   192u

/* The operator's policy (command line). Zeroed = defaults. */
struct validate_policy {
	bool link_local;              /* accept 169.254/16 (RFC 3927) leases */
	bool accept_route_override;   /* --accept-route-override */
	uint8_t n_allow;
	struct validate_prefix allow[VALIDATE_POLICY_MAX];
	uint8_t n_deny;
	struct validate_prefix deny[VALIDATE_POLICY_MAX];
};

/* What is already on the host (the caller reads it from rtnetlink): the
 * prefixes of the addresses on every other interface. */
struct validate_context {
	uint8_t n_local;
	struct validate_prefix local[VALIDATE_LOCAL_MAX];
};

struct validate_error {
	enum validate_reason reason;
	char text[VALIDATE_TEXT_MAX];   /* e.g. "router 203.0.113.9 is not ..." */
};

/*
 * Check everything. policy and ctx may be NULL (defaults: no link-local,
 * no override, no lists; no local prefixes). why may be NULL. Returns
 * VALIDATE_OK or the first violation.
 */
enum validate_reason validate_lease(const struct client_lease *l,
				    const struct validate_policy *p,
				    const struct validate_context *ctx,
				    struct validate_error *why);

/*
 * Only the shape: boolean bytes 0/1, counts within their arrays, names
 * NUL-terminated within their fields and zero after the NUL. After VALIDATE_OK every list and
 * string of l can be read without leaving the struct. Part of
 * validate_lease; for modules that only print a lease (leasejson).
 */
enum validate_reason validate_lease_shape(const struct client_lease *l,
					  struct validate_error *why);

/*
 * RFC 1035 2.3.1 host-name charset (with RFC 1123 2.1's leading digit):
 * labels of 1..63 of [A-Za-z0-9-], not starting or ending with '-',
 * separated by single dots; at most 253 characters before an optional
 * trailing dot. "" and "." are refused.
 */
bool validate_hostname_charset(const char *name);

/* Not in 0/8, 127/8, 224/4 or 240/4 (so not 0.0.0.0 or 255.255.255.255):
 * a unicast destination for DNS, NTP, routers and gateways. */
bool validate_ip_unicast(uint32_t addr);

/*
 * An interface name as this daemon accepts it: 1..15 (IFNAMSIZ - 1) of
 * [A-Za-z0-9_.-], not starting with '-', not "." or "..". Narrower than the
 * kernel's rule (no '/', ':' or space), so it is safe in a file name, an
 * env value or an argv.
 */
bool validate_ifname(const char *name);

/* "192.0.2.1" -> host order; exactly four decimal parts 0..255, no
 * leading zeros, nothing after. */
bool validate_parse_ip(const char *s, uint32_t *out);

/* "192.0.2.0/24" -> prefix; refuses host bits, leading zeros and junk. */
bool validate_parse_prefix(const char *s, struct validate_prefix *out);

/* A netmask for a prefix length 0..32 (larger lengths saturate). */
uint32_t validate_mask(unsigned prefix);

#endif
