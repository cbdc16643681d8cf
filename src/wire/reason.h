/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Why a frame, a message or an option was refused. A reason enum, never a
 * bare -1: logs, lessee-dump and tests all name the exact rule that failed.
 */
#ifndef LESSEE_WIRE_REASON_H
#define LESSEE_WIRE_REASON_H

#include <stddef.h>

#define WIRE_REASONS(X) \
	X(OK,               "ok") \
	X(TRUNCATED,        "message shorter than the fixed BOOTP header") \
	X(TOO_LONG,         "message longer than a UDP datagram can carry") \
	X(BAD_OP,           "op is neither BOOTREQUEST nor BOOTREPLY") \
	X(BAD_HTYPE,        "unsupported hardware type") \
	X(BAD_HLEN,         "hardware address length over 16 or wrong for its type") \
	X(BAD_COOKIE,       "magic cookie missing or wrong") \
	X(OPT_OVERRUN,      "option length runs past the end of its area") \
	X(OPT_LENGTH,       "option length breaks the option's rule") \
	X(OPT_VALUE,        "option value out of its range") \
	X(OPT_TOO_MANY,     "too many option instances") \
	X(NO_MSG_TYPE,      "no DHCP message type option") \
	X(BAD_MSG_TYPE,     "unknown DHCP message type") \
	X(BAD_OVERLOAD,     "option overload invalid or found outside the options field") \
	X(DNS_LABEL_LONG,   "domain label length over 63 (reserved label type)") \
	X(DNS_NAME_LONG,    "domain name longer than 255 bytes") \
	X(DNS_TRUNCATED,    "domain name runs past the end of the option") \
	X(DNS_PTR_RANGE,    "compression pointer past the end of the data") \
	X(DNS_PTR_FORWARD,  "compression pointer does not point backwards") \
	X(DNS_PTR_LOOP,     "compression pointers form a loop") \
	X(ROUTE_PREFIX,     "classless route prefix longer than 32") \
	X(ROUTE_TRUNCATED,  "classless route truncated") \
	X(ROUTE_HOST_BITS,  "classless route destination has bits past its prefix") \
	X(ETH_SHORT,        "frame shorter than an Ethernet header") \
	X(ETH_TYPE,         "EtherType is not IPv4") \
	X(IP_SHORT,         "frame shorter than its IPv4 header") \
	X(IP_VERSION,       "IP version is not 4") \
	X(IP_IHL,           "IPv4 header length under 20 bytes or past the frame") \
	X(IP_LENGTH,        "IPv4 total length past the frame or under the header") \
	X(IP_FRAGMENT,      "IPv4 fragment (refused, DHCP is never fragmented here)") \
	X(IP_CHECKSUM,      "IPv4 header checksum wrong") \
	X(IP_PROTO,         "IPv4 protocol is not UDP") \
	X(UDP_LENGTH,       "UDP length under 8 or past the IPv4 payload") \
	X(UDP_CHECKSUM,     "UDP checksum wrong") \
	X(ARP_FORMAT,       "ARP is not Ethernet/IPv4 request or reply") \
	X(NO_ROOM,          "output buffer too small") \
	X(DUPLICATE,        "option already added") \
	X(BAD_CODE,         "option code is PAD or END") \
	X(BAD_ARGUMENT,     "argument out of range")

enum wire_reason {
#define WIRE_REASON_ENUM(name, text) WIRE_##name,
	WIRE_REASONS(WIRE_REASON_ENUM)
#undef WIRE_REASON_ENUM
	WIRE_REASON_COUNT
};

/*
 * Where a refusal happened: offset into the buffer handed to the parser and
 * the option code involved, or -1 when no option is.
 */
struct wire_error {
	enum wire_reason reason;
	size_t offset;
	int option;
};

const char *wire_reason_text(enum wire_reason reason);
/* Short stable identifier ("OPT_LENGTH") for JSON and tests. */
const char *wire_reason_name(enum wire_reason reason);

/* "what at offset K (option N)" into buf; returns what snprintf returns. */
int wire_error_format(const struct wire_error *err, char *buf, size_t size);

static inline void wire_error_set(struct wire_error *err, enum wire_reason reason,
				  size_t offset, int option)
{
	if (err) {
		err->reason = reason;
		err->offset = offset;
		err->option = option;
	}
}

#endif
