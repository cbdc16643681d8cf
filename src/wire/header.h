/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The fixed-header rules, internal to src/wire: the parser refuses a message
 * that breaks them and the builder refuses to write one, through this one
 * function, so the two can never disagree.
 */
#ifndef LESSEE_WIRE_HEADER_H
#define LESSEE_WIRE_HEADER_H

#include "dhcp.h"

#define DHCP_HTYPE_ETHER 1u   /* RFC 1700 hardware type 1: Ethernet */
#define DHCP_OP_OFF      0u
#define DHCP_HLEN_OFF    2u

/* WIRE_OK, or the rule h breaks (err names the field's offset). */
static inline enum wire_reason dhcp_header_check(const struct dhcp_header *h,
						 struct wire_error *err)
{
	/* RFC 2131 2: op is 1 (BOOTREQUEST) or 2 (BOOTREPLY). */
	if (h->op != BOOTREQUEST && h->op != BOOTREPLY) {
		wire_error_set(err, WIRE_BAD_OP, DHCP_OP_OFF, -1);
		return WIRE_BAD_OP;
	}
	/* RFC 2131 2: chaddr holds 16 bytes, so hlen is at most 16; an
	 * Ethernet address is 6. */
	if (h->hlen > DHCP_CHADDR_LEN || (h->htype == DHCP_HTYPE_ETHER && h->hlen != 6)) {
		wire_error_set(err, WIRE_BAD_HLEN, DHCP_HLEN_OFF, -1);
		return WIRE_BAD_HLEN;
	}
	return WIRE_OK;
}

#endif
