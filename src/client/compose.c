/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Message composition. client.c decides which message goes out and with
 * which xid, secs, address and server; this file places them per RFC 2131
 * table 5 and applies the anonymity profile (RFC 7844 section 3). Nothing
 * here reads the client's state.
 *
 * RFC 2131 table 5, "Fields and options used by DHCP clients" (what we do
 * in brackets when the table leaves a choice):
 *
 * Field    DISCOVER         REQUEST                DECLINE    RELEASE
 * -------  ---------------  ---------------------  ---------  ---------
 * op       BOOTREQUEST      BOOTREQUEST            BOOTREQUEST BOOTREQUEST
 * htype    1 (Ethernet)     1                      1          1
 * hlen     6                6                      6          6
 * hops     0                0                      0          0
 * xid      by client        from the OFFER (=ours) by client  by client
 * secs     0 or since start 0 or since start       0          0
 *          [since start]    [SELECTING: the
 *                           DISCOVER's, 4.4.1]
 * flags    BROADCAST if     BROADCAST if needed    0          0
 *          needed [config]  [config; 0 with ciaddr]
 * ciaddr   0                0 or client's address  0          client's
 *                           (BOUND/RENEW/REBIND)              address
 * yiaddr   0                0                      0          0
 * siaddr   0                0                      0          0
 * giaddr   0                0                      0          0
 * chaddr   client's MAC     client's MAC           client's   client's
 * sname    options or unused [unused]              unused     unused
 * file     options or unused [unused]              unused     unused
 *
 * Option              DISCOVER   REQUEST                   DECLINE   RELEASE
 * ------------------  ---------  ------------------------  --------  --------
 * Requested IP (50)   MAY        MUST (SELECTING,          MUST      MUST NOT
 *                     [previous   INIT-REBOOT); MUST NOT
 *                     address;    (BOUND, RENEWING,
 *                     never anon] REBINDING)
 * Lease time (51)     MAY [no]   MAY [no]                  MUST NOT  MUST NOT
 * Overload (52)       MAY [no]   MAY [no]                  MAY [no]  MUST NOT
 * Message type (53)   DISCOVER   REQUEST                   DECLINE   RELEASE
 * Client id (61)      MAY        MAY                       MAY       MAY
 *                     [config; never anon, RFC 7844 3.5 makes it optional]
 * Vendor class (60)   MAY        MAY                       MUST NOT  MUST NOT
 * Server id (54)      MUST NOT   MUST (after SELECTING);   MUST      MUST
 *                                MUST NOT (INIT-REBOOT,
 *                                BOUND, RENEWING, REBINDING)
 * PRL (55)            MAY [yes]  MAY [yes, the same list   MUST NOT  MUST NOT
 *                                as DISCOVER: RFC 2131 3.5]
 * Max msg size (57)   MAY [cfg]  MAY [cfg]                 MUST NOT  MUST NOT
 * Message (56)        SHOULD NOT SHOULD NOT                SHOULD    SHOULD
 *                                                          [not anon]
 * Site-specific       MAY [no]   MAY [no]                  MUST NOT  MUST NOT
 * All others          MAY        MAY                       MUST NOT  MUST NOT
 *                     [hostname 12, rapid commit 80 in DISCOVER only
 *                      (RFC 4039 3); neither in anonymous mode]
 *
 * Destination (RFC 2131 4.4.1, 4.4.4, 4.4.5, 4.4.6): DISCOVER, REQUEST in
 * SELECTING/INIT-REBOOT/REBINDING and DECLINE are broadcast; REQUEST in
 * RENEWING and RELEASE are unicast to the server.
 *
 * Anonymity profile (RFC 7844 section 3): no client identifier (3.5 allows
 * one from the MAC; we send none), no host name (3.7), FQDN (3.8), machine
 * id (3.9), vendor or user class (3.10); a minimal PRL, shuffled (3.6);
 * options in a random order per message (3.1); no Requested IP in DISCOVER
 * (3.3); no Message or Max message size option (fingerprints nobody needs);
 * ciaddr only for a lease got with the current MAC (3.2); client.c adds: no
 * INIT-REBOOT from a stored lease and no RELEASE.
 */
#include <string.h>

#include "internal.h"

/* What we ask for (RFC 2132 numbers); 121 as RFC 3442 requires for use. */
static const uint8_t prl_default[] = {
	DHCP_OPT_SUBNET_MASK, DHCP_OPT_ROUTER, DHCP_OPT_DNS, DHCP_OPT_DOMAIN_NAME,
	DHCP_OPT_MTU, DHCP_OPT_BROADCAST, DHCP_OPT_NTP, DHCP_OPT_DOMAIN_SEARCH,
	DHCP_OPT_CLASSLESS_ROUTE,
};

/* RFC 7844 3.6: "only request a minimal number of options". */
static const uint8_t prl_anonymous[] = {
	DHCP_OPT_SUBNET_MASK, DHCP_OPT_ROUTER, DHCP_OPT_DNS, DHCP_OPT_DOMAIN_NAME,
	DHCP_OPT_DOMAIN_SEARCH, DHCP_OPT_CLASSLESS_ROUTE,
};

static size_t prl_add(uint8_t *prl, size_t n, size_t cap, uint8_t code)
{
	if (code == DHCP_OPT_PAD || code == DHCP_OPT_END || n >= cap ||
	    memchr(prl, code, n))
		return n;
	prl[n] = code;
	return n + 1;
}

size_t client_prl(const struct client_config *cfg, uint8_t *prl, size_t cap)
{
	const uint8_t *base = cfg->anonymous ? prl_anonymous : prl_default;
	size_t n_base = cfg->anonymous ? sizeof(prl_anonymous) : sizeof(prl_default);
	size_t n = 0;

	for (size_t i = 0; i < n_base; i++)
		n = prl_add(prl, n, cap, base[i]);
	/* RFC 8925 3.2: MUST be in the PRL for the option to be honoured. */
	if (cfg->ipv6_only_preferred)
		n = prl_add(prl, n, cap, DHCP_OPT_IPV6_ONLY);
	/* User additions would make an anonymous client recognisable. */
	if (!cfg->anonymous)
		for (size_t i = 0; i < cfg->n_prl_extra; i++)
			n = prl_add(prl, n, cap, cfg->prl_extra[i]);
	return n;
}

static void shuffle(uint8_t *v, size_t n, struct client_prng *rng)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)client_prng_range(rng, 0, i - 1);
		uint8_t t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
}

static bool is_request(enum client_msg_kind kind)
{
	switch (kind) {
	case CLIENT_MSG_REQUEST_SELECTING:
	case CLIENT_MSG_REQUEST_REBOOTING:
	case CLIENT_MSG_REQUEST_RENEWING:
	case CLIENT_MSG_REQUEST_REBINDING:
		return true;
	case CLIENT_MSG_DISCOVER:
	case CLIENT_MSG_DECLINE:
	case CLIENT_MSG_RELEASE:
		return false;
	}
	return false;
}

/* ciaddr per table 5; RFC 7844 3.2 for a lease got with another MAC. */
static bool header_ciaddr(const struct client_config *cfg,
			  const struct client_msg_spec *spec, uint32_t *ciaddr)
{
	*ciaddr = 0;
	switch (spec->kind) {
	case CLIENT_MSG_REQUEST_RENEWING:
	case CLIENT_MSG_REQUEST_REBINDING:
	case CLIENT_MSG_RELEASE:
		if (cfg->anonymous &&
		    (!spec->lease_mac || memcmp(spec->lease_mac, cfg->mac, 6) != 0))
			return false;
		*ciaddr = spec->addr;
		return true;
	case CLIENT_MSG_DISCOVER:
	case CLIENT_MSG_REQUEST_SELECTING:
	case CLIENT_MSG_REQUEST_REBOOTING:
	case CLIENT_MSG_DECLINE:
		return true;
	}
	return false;
}

static uint8_t msg_type_of(enum client_msg_kind kind)
{
	switch (kind) {
	case CLIENT_MSG_DISCOVER:
		return DHCPDISCOVER;
	case CLIENT_MSG_REQUEST_SELECTING:
	case CLIENT_MSG_REQUEST_REBOOTING:
	case CLIENT_MSG_REQUEST_RENEWING:
	case CLIENT_MSG_REQUEST_REBINDING:
		return DHCPREQUEST;
	case CLIENT_MSG_DECLINE:
		return DHCPDECLINE;
	case CLIENT_MSG_RELEASE:
		return DHCPRELEASE;
	}
	return DHCPDISCOVER;
}

static bool compose_header(const struct client_config *cfg,
			   const struct client_msg_spec *spec, struct dhcp_out *out)
{
	struct dhcp_header h;
	bool asks = spec->kind == CLIENT_MSG_DISCOVER || is_request(spec->kind);

	memset(&h, 0, sizeof(h));
	h.op = BOOTREQUEST;
	h.htype = 1;
	h.hlen = 6;
	h.xid = spec->xid;
	h.secs = asks ? spec->secs : 0;
	if (!header_ciaddr(cfg, spec, &h.ciaddr))
		return false;
	/* RFC 2131 4.1: with ciaddr set the server unicasts to it; no flag. */
	if (asks && cfg->broadcast_flag && h.ciaddr == 0)
		h.flags = DHCP_FLAG_BROADCAST;
	memcpy(h.chaddr, cfg->mac, 6);
	dhcp_out_init(out, &h, msg_type_of(spec->kind));
	return out->n_opts == 1;
}

static bool add_client_id(const struct client_config *cfg, struct dhcp_out *out)
{
	uint8_t id[7];

	if (cfg->anonymous)
		return true;
	switch (cfg->id_mode) {
	case CLIENT_ID_MAC:
		id[0] = 1;   /* RFC 2132 9.14 / RFC 1700: Ethernet */
		memcpy(id + 1, cfg->mac, 6);
		return dhcp_out_add(out, DHCP_OPT_CLIENT_ID, id, sizeof(id)) == WIRE_OK;
	case CLIENT_ID_RAW:
		return dhcp_out_add(out, DHCP_OPT_CLIENT_ID, cfg->client_id,
				    cfg->client_id_len) == WIRE_OK;
	case CLIENT_ID_NONE:
		return true;
	}
	return true;
}

/* The options a DISCOVER or REQUEST carries besides 50 and 54. */
static bool add_asking_options(const struct client_config *cfg,
			       struct client_prng *rng, struct dhcp_out *out)
{
	uint8_t prl[CLIENT_PRL_MAX];
	size_t n = client_prl(cfg, prl, sizeof(prl));
	bool ok = true;

	if (cfg->anonymous)
		shuffle(prl, n, rng);   /* RFC 7844 3.6 */
	ok = ok && dhcp_out_add(out, DHCP_OPT_PRL, prl, n) == WIRE_OK;
	ok = ok && add_client_id(cfg, out);
	if (cfg->anonymous)
		return ok;
	if (cfg->max_msg_size)
		ok = ok && dhcp_out_add_u16(out, DHCP_OPT_MAX_MSG_SIZE,
					    cfg->max_msg_size) == WIRE_OK;
	if (cfg->hostname[0])
		ok = ok && dhcp_out_add(out, DHCP_OPT_HOSTNAME, cfg->hostname,
					strlen(cfg->hostname)) == WIRE_OK;
	if (cfg->vendor_class_len)
		ok = ok && dhcp_out_add(out, DHCP_OPT_VENDOR_CLASS, cfg->vendor_class,
					cfg->vendor_class_len) == WIRE_OK;
	return ok;
}

static bool add_message(const struct client_config *cfg, struct dhcp_out *out,
			const char *text)
{
	if (cfg->anonymous)
		return true;
	return dhcp_out_add(out, DHCP_OPT_MESSAGE, text, strlen(text)) == WIRE_OK;
}

static bool compose_options(const struct client_config *cfg,
			    const struct client_msg_spec *spec,
			    struct client_prng *rng, struct dhcp_out *out)
{
	static const uint8_t none[1];
	bool ok = true;

	switch (spec->kind) {
	case CLIENT_MSG_DISCOVER:
		if (spec->addr && !cfg->anonymous)   /* RFC 7844 3.3 */
			ok = dhcp_out_add_ip(out, DHCP_OPT_REQUESTED_IP, spec->addr) == WIRE_OK;
		if (cfg->rapid_commit)               /* RFC 4039 3 */
			ok = ok && dhcp_out_add(out, DHCP_OPT_RAPID_COMMIT, none, 0) == WIRE_OK;
		return ok && add_asking_options(cfg, rng, out);
	case CLIENT_MSG_REQUEST_SELECTING:
		ok = dhcp_out_add_ip(out, DHCP_OPT_SERVER_ID, spec->server_id) == WIRE_OK;
		ok = ok && dhcp_out_add_ip(out, DHCP_OPT_REQUESTED_IP, spec->addr) == WIRE_OK;
		return ok && add_asking_options(cfg, rng, out);
	case CLIENT_MSG_REQUEST_REBOOTING:
		ok = dhcp_out_add_ip(out, DHCP_OPT_REQUESTED_IP, spec->addr) == WIRE_OK;
		return ok && add_asking_options(cfg, rng, out);
	case CLIENT_MSG_REQUEST_RENEWING:
	case CLIENT_MSG_REQUEST_REBINDING:
		return add_asking_options(cfg, rng, out);
	case CLIENT_MSG_DECLINE:
		ok = dhcp_out_add_ip(out, DHCP_OPT_REQUESTED_IP, spec->addr) == WIRE_OK;
		ok = ok && dhcp_out_add_ip(out, DHCP_OPT_SERVER_ID, spec->server_id) == WIRE_OK;
		ok = ok && add_client_id(cfg, out);
		return ok && add_message(cfg, out, "address in use (ARP conflict)");
	case CLIENT_MSG_RELEASE:
		ok = dhcp_out_add_ip(out, DHCP_OPT_SERVER_ID, spec->server_id) == WIRE_OK;
		ok = ok && add_client_id(cfg, out);
		return ok && add_message(cfg, out, "released on request");
	}
	return false;
}

static void compose_destination(const struct client_msg_spec *spec,
				struct client_send *send)
{
	send->src_ip = send->msg.hdr.ciaddr;
	switch (spec->kind) {
	case CLIENT_MSG_REQUEST_RENEWING:   /* RFC 2131 4.4.5 */
	case CLIENT_MSG_RELEASE:            /* RFC 2131 4.4.6 */
		send->dest = CLIENT_DEST_UNICAST;
		send->dst_ip = spec->server_id;
		return;
	case CLIENT_MSG_DISCOVER:
	case CLIENT_MSG_REQUEST_SELECTING:
	case CLIENT_MSG_REQUEST_REBOOTING:
	case CLIENT_MSG_REQUEST_REBINDING:
	case CLIENT_MSG_DECLINE:            /* RFC 2131 4.4.4: broadcast */
		send->dest = CLIENT_DEST_BROADCAST;
		send->dst_ip = UINT32_MAX;
		return;
	}
}

/* RFC 7844 3.1: random option order per message. Otherwise 53 first, the
 * rest in code order, which every server we test against expects. */
static void compose_order(const struct client_config *cfg, struct client_prng *rng,
			  struct client_send *send)
{
	if (!cfg->anonymous) {
		send->order[0] = DHCP_OPT_MSG_TYPE;
		send->n_order = 1;
		return;
	}
	send->n_order = (uint8_t)send->msg.n_opts;
	for (size_t i = 0; i < send->msg.n_opts; i++)
		send->order[i] = send->msg.opts[i].code;
	shuffle(send->order, send->n_order, rng);
}

bool client_compose(const struct client_config *cfg, const struct client_msg_spec *spec,
		    struct client_prng *rng, struct client_send *send)
{
	if (!compose_header(cfg, spec, &send->msg) ||
	    !compose_options(cfg, spec, rng, &send->msg))
		return false;
	compose_destination(spec, send);
	compose_order(cfg, rng, send);
	return true;
}
