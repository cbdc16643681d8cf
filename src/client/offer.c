/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Acceptance rules for what servers send us. Every function here is a
 * predicate over a parsed message; none of them changes the client. A
 * message that fails a rule is ignored, never half-used, and the caller
 * logs the code these functions return.
 *
 * Offer selection policy: the engine takes the FIRST acceptable OFFER
 * (RFC 2131 4.4.1 lets the client collect offers for a while and choose).
 * The rules below decide "acceptable"; a ranking policy (prefer a server,
 * prefer our previous address) would slot in as a comparison applied in
 * SELECTING before the transition to REQUESTING, without touching them.
 */
#include <string.h>

#include "internal.h"

/*
 * RFC 1122 3.2.1.3 and RFC 5735 (RFC 6890): 0/8 is "this network", 127/8
 * loopback, 224/4 multicast, 240/4 reserved (with 255.255.255.255, the
 * limited broadcast). On a subnet of /30 or shorter the all-zeros and
 * all-ones host numbers are the network and broadcast addresses (RFC 922,
 * RFC 950); /31 (RFC 3021) and /32 have none.
 */
bool client_addr_usable(uint32_t addr, uint8_t prefix)
{
	uint32_t host_mask;

	if (!client_server_id_usable(addr) || prefix == 0 || prefix > 32)
		return false;
	if (prefix > 30)
		return true;
	host_mask = UINT32_MAX >> prefix;
	return (addr & host_mask) != 0 && (addr & host_mask) != host_mask;
}

bool client_server_id_usable(uint32_t addr)
{
	uint8_t top = (uint8_t)(addr >> 24);

	return top != 0 && top != 127 && top < 224;
}

/* A mask is contiguous when its complement plus one is a power of two. */
bool client_mask_to_prefix(uint32_t mask, uint8_t *prefix)
{
	uint32_t inv = ~mask;

	if (mask == 0 || (inv & (inv + 1)) != 0)
		return false;
	*prefix = (uint8_t)__builtin_popcount(mask);
	return true;
}

uint8_t client_classful_prefix(uint32_t addr)
{
	if ((addr >> 31) == 0)
		return 8;
	if ((addr >> 30) == 2)
		return 16;
	if ((addr >> 29) == 6)
		return 24;
	return 32;
}

/*
 * Every message type has to be placed: a new type in the wire table forces
 * a decision here (-Wswitch-enum, no default).
 */
enum client_reply client_classify(uint8_t msg_type)
{
	switch ((enum dhcp_msg_type)msg_type) {
	case DHCPOFFER:
		return CLIENT_REPLY_OFFER;
	case DHCPACK:
		return CLIENT_REPLY_ACK;
	case DHCPNAK:
		return CLIENT_REPLY_NAK;
	case DHCPDISCOVER:
	case DHCPREQUEST:
	case DHCPDECLINE:
	case DHCPRELEASE:
	case DHCPINFORM:
		/* Client messages: another client's, never for us. */
	case DHCPFORCERENEW:
		/* RFC 3203 needs RFC 6704 authentication we do not do: a bare
		 * FORCERENEW lets anyone on the link make us drop a lease. */
	case DHCPLEASEQUERY:
	case DHCPLEASEUNASSIGNED:
	case DHCPLEASEUNKNOWN:
	case DHCPLEASEACTIVE:
	case DHCPBULKLEASEQUERY:
	case DHCPLEASEQUERYDONE:
	case DHCPACTIVELEASEQUERY:
	case DHCPLEASEQUERYSTATUS:
	case DHCPTLS:
		/* Relay and leasequery traffic (RFC 4388, 6926, 7724). */
		return CLIENT_REPLY_OTHER;
	}
	return CLIENT_REPLY_OTHER;
}

/* RFC 2131 4.4.1: match xid and chaddr before anything else is looked at. */
bool client_reply_for_us(const struct dhcp_msg *m, uint32_t xid, const uint8_t mac[6],
			 enum client_log_code *why)
{
	if (m->hdr.op != BOOTREPLY) {
		*why = CLIENT_LOG_IGN_NOT_REPLY;
		return false;
	}
	if (m->hdr.xid != xid) {
		*why = CLIENT_LOG_IGN_XID;
		return false;
	}
	/* htype 1 / hlen 6 (RFC 1700 ARP hardware types): Ethernet only. */
	if (m->hdr.htype != 1 || m->hdr.hlen != 6 ||
	    memcmp(m->hdr.chaddr, mac, 6) != 0) {
		*why = CLIENT_LOG_IGN_CHADDR;
		return false;
	}
	if (m->type == 0 || m->type > DHCP_MSG_TYPE_MAX) {
		*why = CLIENT_LOG_IGN_TYPE;
		return false;
	}
	return true;
}

/* RFC 2131 table 3: OFFER, ACK and NAK MUST carry the server identifier. */
bool client_reply_server_id(const struct dhcp_msg *m, uint32_t *server_id,
			    enum client_log_code *why)
{
	if (!dhcp_seen(m, DHCP_OPT_SERVER_ID)) {
		*why = CLIENT_LOG_IGN_NO_SERVER_ID;
		return false;
	}
	if (!dhcp_get_ip(m, DHCP_OPT_SERVER_ID, server_id) ||
	    !client_server_id_usable(*server_id)) {
		*why = CLIENT_LOG_IGN_BAD_SERVER_ID;
		return false;
	}
	return true;
}

static bool reply_prefix(const struct dhcp_msg *m, uint8_t *prefix,
			 enum client_log_code *why)
{
	uint32_t mask;

	if (!dhcp_seen(m, DHCP_OPT_SUBNET_MASK)) {
		*prefix = client_classful_prefix(m->hdr.yiaddr);
		return true;
	}
	/* A mask that broke its length rule is as bad as a holey one. */
	if (!dhcp_get_ip(m, DHCP_OPT_SUBNET_MASK, &mask) ||
	    !client_mask_to_prefix(mask, prefix)) {
		*why = CLIENT_LOG_IGN_BAD_MASK;
		return false;
	}
	return true;
}

bool client_reply_lease_ok(const struct dhcp_msg *m, uint32_t *server_id,
			   uint8_t *prefix, enum client_log_code *why)
{
	uint32_t lease_s;

	if (!client_reply_server_id(m, server_id, why))
		return false;
	/* RFC 2131 table 3: OFFER and ACK (to a REQUEST) MUST carry 51. */
	if (!dhcp_get_u32(m, DHCP_OPT_LEASE_TIME, &lease_s)) {
		*why = CLIENT_LOG_IGN_NO_LEASE_TIME;
		return false;
	}
	if (lease_s == 0) {
		*why = CLIENT_LOG_IGN_LEASE_ZERO;
		return false;
	}
	if (!reply_prefix(m, prefix, why))
		return false;
	if (!client_addr_usable(m->hdr.yiaddr, *prefix)) {
		*why = CLIENT_LOG_IGN_BAD_YIADDR;
		return false;
	}
	return true;
}

/*
 * RFC 8925 3.2: a client that did not put 108 in its PRL MUST ignore it;
 * one that did stops DHCPv4 for V6ONLY_WAIT = max(value, MIN_V6ONLY_WAIT).
 * A malformed 108 (wrong length) counts as absent.
 */
uint32_t client_v6only_wait(const struct client_config *cfg, const struct dhcp_msg *m)
{
	uint32_t v;

	if (!cfg->ipv6_only_preferred || !dhcp_get_u32(m, DHCP_OPT_IPV6_ONLY, &v))
		return 0;
	return v < CLIENT_V6ONLY_MIN_S ? CLIENT_V6ONLY_MIN_S : v;
}

bool client_reply_network(const uint8_t *payload, size_t len, uint32_t *server_id,
			  uint32_t *subnet, uint8_t *prefix)
{
	static uint8_t scratch[CLIENT_RX_MAX];
	static struct dhcp_msg msg;
	struct wire_error err;
	enum client_log_code why;

	if (len > sizeof(scratch) ||
	    dhcp_parse(payload, len, scratch, sizeof(scratch), &msg, &err) != WIRE_OK ||
	    !client_reply_lease_ok(&msg, server_id, prefix, &why))
		return false;
	*subnet = *prefix ? msg.hdr.yiaddr & (UINT32_MAX << (32 - *prefix)) : 0;
	return true;
}
