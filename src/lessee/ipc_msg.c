/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Checks for the IPC catalogue. Each receiver runs ipc_msg_check on every
 * message before reading a field; the checks are of shape (sizes, enums,
 * counts, terminators). Policy (is this address acceptable?) is the
 * receiver's own: net in ipc_check_send, apply in validate_lease.
 */
#include <string.h>

#include "lessee/ipc_msg.h"
#include "lessee/macaddr.h"

struct ipc_route_rule {
	const char *name;
	enum ipc_peer from;
	enum ipc_peer to;
	size_t size;          /* exact body size */
};

static const struct ipc_route_rule rules[IPC_TYPE_COUNT] = {
	[IPC_CTL_USER] = { "CTL_USER", IPC_PEER_SUPERVISOR, IPC_PEER_ENGINE, sizeof(struct ipc_user) },
	[IPC_CTL_STATUS] = { "CTL_STATUS", IPC_PEER_ENGINE, IPC_PEER_SUPERVISOR, sizeof(struct ipc_status) },
	[IPC_NET_SEND_DHCP] = { "NET_SEND_DHCP", IPC_PEER_ENGINE, IPC_PEER_NET, sizeof(struct client_send) },
	[IPC_NET_SEND_ARP] = { "NET_SEND_ARP", IPC_PEER_ENGINE, IPC_PEER_NET, sizeof(struct ipc_arp) },
	[IPC_NET_FRAME] = { "NET_FRAME", IPC_PEER_NET, IPC_PEER_ENGINE, sizeof(struct ipc_frame) },
	[IPC_NET_ARP_FRAME] = { "NET_ARP_FRAME", IPC_PEER_NET, IPC_PEER_ENGINE, sizeof(struct ipc_frame) },
	[IPC_NET_LINK] = { "NET_LINK", IPC_PEER_NET, IPC_PEER_ENGINE, sizeof(struct ipc_link) },
	[IPC_APPLY_CONFIGURE] = { "APPLY_CONFIGURE", IPC_PEER_ENGINE, IPC_PEER_APPLY, sizeof(struct ipc_lease_event) },
	[IPC_APPLY_DECONFIGURE] = { "APPLY_DECONFIGURE", IPC_PEER_ENGINE, IPC_PEER_APPLY, sizeof(struct ipc_deconfigure) },
	[IPC_APPLY_PERSIST] = { "APPLY_PERSIST", IPC_PEER_ENGINE, IPC_PEER_APPLY, sizeof(struct ipc_lease_event) },
	[IPC_APPLY_DROP] = { "APPLY_DROP", IPC_PEER_ENGINE, IPC_PEER_APPLY, 0 },
	[IPC_APPLY_STORED] = { "APPLY_STORED", IPC_PEER_APPLY, IPC_PEER_ENGINE, sizeof(struct ipc_stored) },
	[IPC_APPLY_RESULT] = { "APPLY_RESULT", IPC_PEER_APPLY, IPC_PEER_ENGINE, sizeof(struct ipc_result) },
	[IPC_APPLY_SWITCH_MAC] = { "APPLY_SWITCH_MAC", IPC_PEER_ENGINE, IPC_PEER_APPLY, sizeof(struct ipc_fingerprint) },
	[IPC_APPLY_MAC] = { "APPLY_MAC", IPC_PEER_APPLY, IPC_PEER_ENGINE, sizeof(struct ipc_mac) },
};

const char *ipc_type_name(uint16_t type)
{
	if (type == 0 || type >= IPC_TYPE_COUNT)
		return "UNKNOWN";
	return rules[type].name;
}

static bool is_flag(uint8_t v)
{
	return v == 0 || v == 1;
}

static bool terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

const char *ipc_check_lease_shape(const struct client_lease *l)
{
	if (l->n_routers > CLIENT_MAX_ROUTERS || l->n_dns > CLIENT_MAX_DNS ||
	    l->n_ntp > CLIENT_MAX_NTP || l->n_search > CLIENT_MAX_SEARCH ||
	    l->n_routes > CLIENT_MAX_ROUTES)
		return "lease list count over its bound";
	if (l->prefix > 32)
		return "lease prefix over 32";
	if (!terminated(l->domain_name, sizeof(l->domain_name)))
		return "lease domain name not terminated";
	for (size_t i = 0; i < l->n_search; i++)
		if (!terminated(l->search[i], sizeof(l->search[i])))
			return "lease search entry not terminated";
	for (size_t i = 0; i < l->n_routes; i++)
		if (l->routes[i].prefix > 32)
			return "lease route prefix over 32";
	return NULL;
}

/* The builder's invariants: what dhcp_build relies on. */
static const char *check_out_shape(const struct dhcp_out *o)
{
	uint8_t seen[32] = { 0 };

	if (o->n_opts > DHCP_OUT_MAX_OPTS || o->pool_used > DHCP_OUT_POOL)
		return "send: option count or pool size out of bounds";
	if (o->hdr.hlen > DHCP_CHADDR_LEN)
		return "send: hlen over 16";
	for (size_t i = 0; i < o->n_opts; i++) {
		const struct dhcp_opt_out *opt = &o->opts[i];
		if (opt->code == DHCP_OPT_PAD || opt->code == DHCP_OPT_END)
			return "send: PAD or END as an option";
		if (opt->pool_off > o->pool_used || opt->len > o->pool_used - opt->pool_off)
			return "send: option value outside the pool";
		if (seen[opt->code >> 3] & (1u << (opt->code & 7)))
			return "send: duplicate option";
		seen[opt->code >> 3] = (uint8_t)(seen[opt->code >> 3] | (1u << (opt->code & 7)));
	}
	return NULL;
}

static const char *check_send_shape(const struct client_send *s)
{
	if (s->dest != CLIENT_DEST_BROADCAST && s->dest != CLIENT_DEST_UNICAST)
		return "send: unknown destination";
	if (s->n_order > DHCP_OUT_MAX_OPTS)
		return "send: option order too long";
	return check_out_shape(&s->msg);
}

/* Not 0/8, 127/8, 224/4 (multicast) or 240/4 (incl. broadcast). */
static bool unicast_host(uint32_t a)
{
	uint8_t top = (uint8_t)(a >> 24);
	return top != 0 && top != 127 && top < 224;
}

const char *ipc_check_fingerprint(const struct ipc_fingerprint *fp)
{
	if (!unicast_host(fp->server_id))
		return "fingerprint: server identifier is not a unicast address";
	if (fp->prefix < 1 || fp->prefix > 32)
		return "fingerprint: prefix not in 1..32";
	if (fp->prefix < 32 && (fp->subnet & (UINT32_MAX >> fp->prefix)) != 0)
		return "fingerprint: subnet has host bits set";
	return NULL;
}

static const char *check_mac_msg(const struct ipc_mac *m)
{
	static const struct ipc_fingerprint none;

	if (!macaddr_is_local_unicast(m->mac))
		return "mac: not a locally administered unicast address";
	if (!is_flag(m->stable))
		return "mac: stable flag out of range";
	if (!m->stable)
		return memcmp(&m->net, &none, sizeof(none)) == 0 ? NULL
			: "mac: a fingerprint without the stable flag";
	return ipc_check_fingerprint(&m->net);
}

static const char *check_body(uint16_t type, const union ipc_body *b)
{
	switch ((enum ipc_type)type) {
	case IPC_CTL_USER:
		if (b->user.request < IPC_USER_RENEW || b->user.request > IPC_USER_STOP ||
		    !is_flag(b->user.keep))
			return "user request out of range";
		return NULL;
	case IPC_CTL_STATUS:
		if (b->status.kind < IPC_STATUS_BOUND || b->status.kind > IPC_STATUS_REFUSED)
			return "status kind out of range";
		return NULL;
	case IPC_NET_SEND_DHCP:
		return check_send_shape(&b->send);
	case IPC_NET_SEND_ARP:
		if (b->arp.kind != IPC_ARP_PROBE && b->arp.kind != IPC_ARP_ANNOUNCE)
			return "arp kind out of range";
		return NULL;
	case IPC_NET_FRAME:
	case IPC_NET_ARP_FRAME:
		if (b->frame.len > IPC_FRAME_MAX || !is_flag(b->frame.csum_not_ready))
			return "frame length or flag out of range";
		return NULL;
	case IPC_NET_LINK:
		return is_flag(b->link.up) ? NULL : "link flag out of range";
	case IPC_APPLY_CONFIGURE:
	case IPC_APPLY_PERSIST:
		if (b->lease.reason > CLIENT_HOOK_RELEASE || !is_flag(b->lease.anonymous))
			return "lease event reason out of range";
		return ipc_check_lease_shape(&b->lease.lease);
	case IPC_APPLY_DECONFIGURE:
		if (b->deconf.reason > CLIENT_HOOK_RELEASE || !is_flag(b->deconf.keep))
			return "deconfigure reason out of range";
		return NULL;
	case IPC_APPLY_DROP:
		return NULL;
	case IPC_APPLY_STORED:
		if (!is_flag(b->stored.present))
			return "stored flag out of range";
		return b->stored.present ? ipc_check_lease_shape(&b->stored.lease) : NULL;
	case IPC_APPLY_RESULT:
		return is_flag(b->result.applied) ? NULL : "result flag out of range";
	case IPC_APPLY_SWITCH_MAC:
		return ipc_check_fingerprint(&b->fingerprint);
	case IPC_APPLY_MAC:
		return check_mac_msg(&b->mac);
	case IPC_TYPE_COUNT:
		break;
	}
	return "unknown message type";
}

const char *ipc_msg_check(enum ipc_peer from, enum ipc_peer to, uint16_t type,
			  const void *body, size_t len)
{
	union ipc_body aligned;

	if (type == 0 || type >= IPC_TYPE_COUNT)
		return "unknown message type";
	if (rules[type].from != from || rules[type].to != to)
		return "message type not allowed on this channel";
	if (len != rules[type].size)
		return "wrong body size for the message type";
	/* Copy out: the receive buffer gives no alignment guarantee. */
	memcpy(&aligned, body, len);
	return check_body(type, &aligned);
}

/* RFC 2131 table 5: what a client sends. */
static bool client_msg_type(uint8_t t)
{
	return t == DHCPDISCOVER || t == DHCPREQUEST || t == DHCPDECLINE ||
	       t == DHCPRELEASE || t == DHCPINFORM;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

const char *ipc_check_send(const struct client_send *s, const uint8_t mac[6])
{
	static const uint8_t zeros[DHCP_CHADDR_LEN - 6];
	const struct dhcp_header *h = &s->msg.hdr;
	const uint8_t *type;
	size_t type_len;

	if (h->op != BOOTREQUEST || h->htype != 1 || h->hlen != 6)
		return "send: not a BOOTREQUEST for Ethernet";
	if (memcmp(h->chaddr, mac, 6) != 0 || memcmp(h->chaddr + 6, zeros, sizeof(zeros)) != 0)
		return "send: chaddr is not our MAC";
	type = dhcp_out_get(&s->msg, DHCP_OPT_MSG_TYPE, &type_len);
	if (!type || type_len != 1 || !client_msg_type(type[0]))
		return "send: not a client message type";
	if (h->yiaddr || h->siaddr || h->giaddr || h->hops)
		return "send: server or relay fields set";
	if (s->src_ip != h->ciaddr)
		return "send: source address is not ciaddr";
	/* RFC 2131 2: all flag bits but BROADCAST MUST be zero. */
	if (h->flags & 0x7fffu)
		return "send: reserved flag bits set";
	/* RFC 3046 2.1: option 82 is added by relays, never by a client. */
	if (dhcp_out_get(&s->msg, 82, &type_len))
		return "send: relay agent information from a client";
	/* The builder never overloads (no option 52): nothing belongs there. */
	if (!all_zero(s->msg.sname, sizeof(s->msg.sname)) ||
	    !all_zero(s->msg.file, sizeof(s->msg.file)))
		return "send: sname or file set";
	if (s->dest == CLIENT_DEST_BROADCAST && s->dst_ip != 0xffffffffu)
		return "send: broadcast not to 255.255.255.255";
	if (s->dest == CLIENT_DEST_UNICAST && !unicast_host(s->dst_ip))
		return "send: unicast destination is not a unicast address";
	if (s->dest == CLIENT_DEST_UNICAST && !unicast_host(s->src_ip))
		return "send: unicast without a source address";
	if (s->src_ip != 0 && !unicast_host(s->src_ip))
		return "send: source address is not unicast";
	return NULL;
}

void arp_guard_probe(struct arp_guard *g, uint32_t address)
{
	g->probed = address;
	g->claimed = false;
}

void arp_guard_seen(struct arp_guard *g, const uint8_t *frame, size_t len, const uint8_t mac[6])
{
	struct arp_view arp;
	struct wire_error err;

	if (g->probed == 0 || frame_parse_arp(frame, len, &arp, &err) != WIRE_OK ||
	    memcmp(arp.sha, mac, ETH_ADDR_LEN) == 0)
		return;
	if (arp.spa == g->probed || (arp.spa == 0 && arp.tpa == g->probed))
		g->claimed = true;
}

enum arp_guard_verdict arp_guard_announce(const struct arp_guard *g, uint32_t address)
{
	if (g->probed == 0 || g->probed != address)
		return ARP_GUARD_NOT_PROBED;
	return g->claimed ? ARP_GUARD_CLAIMED : ARP_GUARD_OK;
}

/*
 * RFC 5227 2.1.1: a probe has sender IP 0 and the address as target; 2.3:
 * an announcement has the address as both. Both are requests from our MAC,
 * broadcast, with the target hardware address zero.
 */
const char *ipc_check_arp(const struct ipc_arp *req, const uint8_t mac[6],
			  struct arp_view *arp)
{
	static const uint8_t broadcast[ETH_ADDR_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	if (req->kind != IPC_ARP_PROBE && req->kind != IPC_ARP_ANNOUNCE)
		return "arp kind out of range";
	if (!unicast_host(req->address))
		return "not a unicast address";
	memset(arp, 0, sizeof(*arp));
	memcpy(arp->eth_dst, broadcast, ETH_ADDR_LEN);
	memcpy(arp->eth_src, mac, ETH_ADDR_LEN);
	memcpy(arp->sha, mac, ETH_ADDR_LEN);
	arp->op = ARP_OP_REQUEST;
	arp->spa = req->kind == IPC_ARP_ANNOUNCE ? req->address : 0;
	arp->tpa = req->address;
	return NULL;
}

struct client_event ipc_user_event(const struct ipc_user *u)
{
	struct client_event ev;

	memset(&ev, 0, sizeof(ev));
	switch ((enum ipc_user_request)u->request) {
	case IPC_USER_RENEW:
		ev.type = CLIENT_EV_RENEW;
		break;
	case IPC_USER_RELEASE:
		ev.type = CLIENT_EV_RELEASE;
		break;
	case IPC_USER_STOP:
		ev.type = CLIENT_EV_STOP;
		ev.u.keep = u->keep;
		break;
	}
	return ev;
}
