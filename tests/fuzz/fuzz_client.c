/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The client engine driven by a byte-coded sequence of events, with the
 * invariants checked after every call (abort on a violation):
 *
 *   - client_check() holds: one deadline, in the future where time matters,
 *     no expired lease held, each state holding what it must;
 *   - no action overflow; at most one SET_TIMER, equal to the deadline, and
 *     only when the deadline moved;
 *   - every SEND builds (dhcp_build, in the engine's option order) and parses
 *     back as a BOOTREQUEST from our MAC; none while the link is down; in
 *     anonymous mode none carries an identifying option and none is a
 *     RELEASE;
 *   - every CONFIGURE and PERSIST is of a usable, unexpired lease; every
 *     DECONFIGURE is of the configured one; the daemon's view (configured or
 *     not) always equals the engine's;
 *   - a reply with a foreign xid or chaddr changes nothing but counters;
 *   - an ACK never binds from INIT or SELECTING without rapid commit.
 *
 * Input:
 *   0..7   PRNG seed (little-endian)
 *   8      config: bits 0-1 ACD (0 off, 1 fast, 2 rfc5227, 3 fast), bit 2
 *          rapid commit, bit 3 anonymous, bit 4 IPv6-only preferred, bit 5
 *          broadcast flag, bit 6 initial delay up to 3 s, bit 7 a stored
 *          lease to verify (INIT-REBOOT)
 *   then operations until the input ends, one byte each (low 4 bits):
 *   0, 13-15  timer event at the deadline (the clock jumps there)
 *   1      clock += be16 x 16 ms, then a timer event (maybe early)
 *   2      raw message: be16 length (mod 1500), bytes -> client_receive()
 *   3      server reply, 6 bytes (see reply()) -> dhcp_out, dhcp_build,
 *          dhcp_parse -> a FRAME event
 *   4      link down          5  link up
 *   6      ARP conflict, 1 byte: bit 0 our lease's address (else
 *          192.0.2.x), bit 1 our own MAC
 *   7      renew              8  release
 *   9      stop (bit 4 of the operation byte: keep the address)
 *   10     daemon restart: a new engine from the lease last persisted
 *   11     clock += byte x 10 min, no event (the next one runs the timer)
 *   12     the daemon refused a lease, 1 byte: bit 0 our lease's address
 *          (else 192.0.2.x); the daemon's view follows apply (a refused
 *          lease is not applied, the one before it stays)
 *
 * Built with -Dfuzz=true (CC=clang): links the client and wire libraries
 * and libFuzzer (-fsanitize=fuzzer); by hand:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *     tests/fuzz/fuzz_client.c src/client/(*).c src/wire/(*).c -o fuzz_client
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "wire/dhcp.h"
#include "wire/dns.h"
#include "wire/routes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define SRV_ID  IP4(192, 0, 2, 1)
#define SRV2_ID IP4(192, 0, 2, 2)

static const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };
static const uint8_t other_mac[6] = { 0x02, 0x00, 0x5e, 0x99, 0x99, 0x99 };

struct input {
	const uint8_t *p;
	size_t len, off;
};

static uint8_t take(struct input *in)
{
	return in->off < in->len ? in->p[in->off++] : 0;
}

static uint16_t take16(struct input *in)
{
	uint16_t hi = take(in);

	return (uint16_t)(hi << 8 | take(in));
}

/* The world: the engine and what a daemon would know. Static: large. */
static struct {
	struct client c;
	struct client_config cfg;
	struct client_actions out;
	uint64_t now;
	bool link_up;
	bool configured;
	bool configured_before;   /* at the last CONFIGURE: one was applied */
	uint32_t configured_addr;
	bool stored;
	struct client_lease store;
} w;

static void die(const char *what)
{
	fprintf(stderr, "fuzz_client: invariant broken: %s (state %s, t=%llu)\n", what,
		client_state_name(client_state(&w.c)), (unsigned long long)w.now);
	for (size_t i = 0; i < w.out.n; i++)
		fprintf(stderr, "  %s %s\n", client_action_name(w.out.a[i].type),
			w.out.a[i].type == CLIENT_ACT_LOG ? w.out.a[i].u.log.text : "");
	abort();
}

static void check_send(const struct client_send *snd)
{
	static uint8_t buf[1500], scratch[1500];
	static struct dhcp_msg m;
	static const uint8_t identifying[] = { 61, 12, 81, 97, 60, 77, 124, 125 };
	struct wire_error err;
	size_t len;

	if (!w.link_up)
		die("SEND while the link is down");
	if (dhcp_build(&snd->msg, snd->order, snd->n_order, buf, sizeof(buf), &len, &err) != WIRE_OK)
		die("SEND does not build");
	if (dhcp_parse(buf, len, scratch, sizeof(scratch), &m, &err) != WIRE_OK)
		die("SEND does not parse back");
	if (m.hdr.op != BOOTREQUEST || memcmp(m.hdr.chaddr, mac, 6) != 0)
		die("SEND is not a BOOTREQUEST from our MAC");
	if (m.type != DHCPDISCOVER && m.type != DHCPREQUEST && m.type != DHCPDECLINE &&
	    m.type != DHCPRELEASE)
		die("SEND of a type a client never sends");
	if (snd->src_ip != m.hdr.ciaddr)
		die("SEND source is not ciaddr");
	if (!w.cfg.anonymous)
		return;
	if (m.type == DHCPRELEASE)
		die("RELEASE in anonymous mode");
	for (size_t i = 0; i < sizeof(identifying); i++)
		if (dhcp_seen(&m, identifying[i]))
			die("identifying option in anonymous mode");
}

static void check_lease(const struct client_lease *l)
{
	uint8_t top = (uint8_t)(l->address >> 24);

	if (l->expires_at <= w.now)
		die("CONFIGURE or PERSIST of an expired lease");
	if (top == 0 || top == 127 || top >= 224)
		die("lease of an unusable address");
	if (memcmp(l->mac, mac, 6) != 0)
		die("lease of another MAC");
}

static void check_action(const struct client_action *a)
{
	switch (a->type) {
	case CLIENT_ACT_SEND:
		check_send(&a->u.send);
		break;
	case CLIENT_ACT_SET_TIMER:
		if (a->u.deadline != client_deadline(&w.c))
			die("SET_TIMER is not the deadline");
		break;
	case CLIENT_ACT_CONFIGURE:
		check_lease(&a->u.configure.lease);
		w.configured_before = w.configured;
		w.configured = true;
		w.configured_addr = a->u.configure.lease.address;
		break;
	case CLIENT_ACT_PERSIST_LEASE:
		check_lease(&a->u.configure.lease);
		w.stored = true;
		w.store = a->u.configure.lease;
		break;
	case CLIENT_ACT_DECONFIGURE:
		if (!w.configured || a->u.deconfigure.address != w.configured_addr)
			die("DECONFIGURE of nothing configured");
		w.configured = false;
		break;
	case CLIENT_ACT_DROP_LEASE:
		w.stored = false;
		break;
	case CLIENT_ACT_ACD_PROBE:
	case CLIENT_ACT_ACD_ANNOUNCE:
	case CLIENT_ACT_LOG:
	case CLIENT_ACT_STOPPED:
		break;
	}
}

static void check(uint64_t deadline_before)
{
	const char *why;
	size_t timers = 0;

	if (w.out.overflow || w.out.n > CLIENT_MAX_ACTIONS)
		die("action overflow");
	for (size_t i = 0; i < w.out.n; i++) {
		check_action(&w.out.a[i]);
		timers += w.out.a[i].type == CLIENT_ACT_SET_TIMER;
	}
	if (timers > 1 || (timers == 1) != (client_deadline(&w.c) != deadline_before))
		die("SET_TIMER not exactly when the deadline moved");
	why = client_check(&w.c, w.now);
	if (why)
		die(why);
	if (w.configured != w.c.configured)
		die("daemon and engine disagree on the configured lease");
}

static void event(const struct client_event *ev)
{
	uint64_t before = client_deadline(&w.c);

	client_handle(&w.c, ev, w.now, &w.out);
	check(before);
}

static void simple(enum client_event_type type, bool keep)
{
	struct client_event ev = { .type = type, .u.keep = keep };

	event(&ev);
}

static void start(uint64_t seed, const struct client_lease *stored)
{
	uint64_t before;

	if (client_init(&w.c, &w.cfg, stored, seed) != 0)
		die("client_init refused a valid configuration");
	w.link_up = true;
	w.configured = false;
	before = client_deadline(&w.c);
	client_start(&w.c, w.now, &w.out);
	check(before);
}

static void configure(uint8_t b, uint64_t seed)
{
	struct client_lease l;
	const enum client_acd_mode acd[4] = {
		CLIENT_ACD_OFF, CLIENT_ACD_FAST, CLIENT_ACD_RFC5227, CLIENT_ACD_FAST,
	};

	client_config_init(&w.cfg, mac);
	w.cfg.acd = acd[b & 3];
	w.cfg.rapid_commit = b & 4;
	w.cfg.anonymous = b & 8;
	w.cfg.ipv6_only_preferred = b & 16;
	w.cfg.broadcast_flag = b & 32;
	w.cfg.initial_delay_max_ms = b & 64 ? 3000 : 0;
	strcpy(w.cfg.hostname, "fuzz");
	memset(&l, 0, sizeof(l));
	l.address = IP4(192, 0, 2, 100);
	l.prefix = 24;
	l.server_id = SRV_ID;
	l.lease_s = 3600;
	l.t1_at = 1800000;
	l.t2_at = 3150000;
	l.expires_at = 3600000;
	memcpy(l.mac, mac, 6);
	w.now = 1000;
	w.stored = b & 128;
	w.store = l;
	start(seed, w.stored ? &l : NULL);
}

/* Lease times a server might say: the edges and some ordinary ones. */
static const uint32_t lease_times[8] = { 0, 1, 2, 60, 3600, 86400 * 7, UINT32_MAX, 120 };

static void add_options(struct dhcp_out *o)
{
	static const char *const search[] = { "example.test", "corp.example.test" };
	const struct wire_route routes[] = {
		{ .dst = 0, .prefix = 0, .gateway = IP4(192, 0, 2, 254) },
		{ .dst = IP4(198, 51, 100, 0), .prefix = 24, .gateway = IP4(192, 0, 2, 253) },
	};
	uint8_t buf[128];
	size_t n;

	dhcp_out_add_ip(o, DHCP_OPT_ROUTER, SRV_ID);
	dhcp_out_add_ip(o, DHCP_OPT_DNS, IP4(192, 0, 2, 53));
	dhcp_out_add(o, DHCP_OPT_DOMAIN_NAME, "example.test", 12);
	dhcp_out_add_u16(o, DHCP_OPT_MTU, 1400);
	n = dns_list_encode(search, 2, buf, sizeof(buf));
	if (n)
		dhcp_out_add(o, DHCP_OPT_DOMAIN_SEARCH, buf, n);
	n = routes_encode(routes, 2, buf, sizeof(buf));
	if (n)
		dhcp_out_add(o, DHCP_OPT_CLASSLESS_ROUTE, buf, n);
}

/*
 * A server reply, 6 bytes:
 *   b0  message type (mod 19; dhcp_build refuses 0: no valid type)
 *   b1  bit 0 foreign xid, bit 1 foreign chaddr, bit 2 no server id, bit 3
 *       no lease time, bit 4 rapid commit, bit 5 IPv6-only (b5 x 8 s),
 *       bit 6 more options, bit 7 no mask (else bit 0 of b3 picks a holey one)
 *   b2  yiaddr 192.0.2.b2; 0 means the address the client asked for
 *   b3  bits 1-2 server id: 192.0.2.1, 192.0.2.2, 0.0.0.0, 127.0.0.1
 *   b4  low 3 bits: lease time (lease_times[]); bits 3-4 T1/T2 none, good,
 *       reversed, past the lease
 *   b5  IPv6-only wait / 8 s
 */
static void compose(const uint8_t b[6], struct dhcp_out *o)
{
	static const uint8_t none[1];
	const uint32_t sids[4] = { SRV_ID, SRV2_ID, 0, IP4(127, 0, 0, 1) };
	const struct client_lease *l = client_lease(&w.c);
	struct dhcp_header h;
	uint32_t lease = lease_times[b[4] & 7];

	memset(&h, 0, sizeof(h));
	h.op = BOOTREPLY;
	h.htype = 1;
	h.hlen = 6;
	h.xid = w.c.xid ^ (b[1] & 1 ? 0x00400000u : 0);
	h.yiaddr = b[2] ? IP4(192, 0, 2, b[2]) : l ? l->address : w.c.offered_addr;
	memcpy(h.chaddr, b[1] & 2 ? other_mac : mac, 6);
	dhcp_out_init(o, &h, (uint8_t)(b[0] % 19));
	if (!(b[1] & 4))
		dhcp_out_add_ip(o, DHCP_OPT_SERVER_ID, sids[(b[3] >> 1) & 3]);
	if (!(b[1] & 8))
		dhcp_out_add_u32(o, DHCP_OPT_LEASE_TIME, lease);
	if (!(b[1] & 128))
		dhcp_out_add_ip(o, DHCP_OPT_SUBNET_MASK,
				b[3] & 1 ? IP4(255, 0, 255, 0) : IP4(255, 255, 255, 0));
	switch ((b[4] >> 3) & 3) {
	case 1:
		dhcp_out_add_u32(o, DHCP_OPT_T1, lease / 4);
		dhcp_out_add_u32(o, DHCP_OPT_T2, lease / 2);
		break;
	case 2:
		dhcp_out_add_u32(o, DHCP_OPT_T1, lease / 2);
		dhcp_out_add_u32(o, DHCP_OPT_T2, lease / 4);
		break;
	case 3:
		dhcp_out_add_u32(o, DHCP_OPT_T2, lease);
		break;
	default:
		break;
	}
	if (b[1] & 16)
		dhcp_out_add(o, DHCP_OPT_RAPID_COMMIT, none, 0);
	if (b[1] & 32)
		dhcp_out_add_u32(o, DHCP_OPT_IPV6_ONLY, (uint32_t)b[5] * 8u);
	if (b[1] & 64)
		add_options(o);
}

static void reply(struct input *in)
{
	static struct dhcp_out o;
	static struct client snap;
	static uint8_t buf[1500], scratch[1500];
	static struct dhcp_msg m;
	struct client_event ev = { .type = CLIENT_EV_FRAME, .u.msg = &m };
	struct wire_error err;
	enum client_state st = client_state(&w.c);
	uint8_t b[6];
	size_t len;
	bool foreign, lone_ack;

	for (int i = 0; i < 6; i++)
		b[i] = take(in);
	compose(b, &o);
	if (dhcp_build(&o, NULL, 0, buf, sizeof(buf), &len, &err) != WIRE_OK ||
	    dhcp_parse(buf, len, scratch, sizeof(scratch), &m, &err) != WIRE_OK)
		return;   /* type 0: refused by the builder, as the parser would */
	foreign = (b[1] & 3) && w.now < client_deadline(&w.c) && w.c.started &&
		  st != CLIENT_STOPPED;
	lone_ack = m.type == DHCPACK && !w.cfg.rapid_commit &&
		   (st == CLIENT_INIT || st == CLIENT_SELECTING) &&
		   w.now < client_deadline(&w.c);
	memcpy(&snap, &w.c, sizeof(snap));
	event(&ev);
	if (foreign) {
		snap.stats = w.c.stats;
		snap.last_now = w.c.last_now;
		/* and the log's rate limit, which may leave the line out */
		memcpy(snap.warn, w.c.warn, sizeof(snap.warn));
		if (w.out.n > 1 || (w.out.n == 1 && w.out.a[0].type != CLIENT_ACT_LOG) ||
		    memcmp(&snap, &w.c, sizeof(snap)) != 0)
			die("a foreign reply changed the client");
	}
	if (lone_ack && (w.c.configured || client_state(&w.c) == CLIENT_CHECKING ||
			 client_state(&w.c) == CLIENT_BOUND))
		die("a single ACK bound from INIT or SELECTING");
}

static void raw(struct input *in)
{
	size_t len = take16(in) % 1500u;
	uint64_t before = client_deadline(&w.c);

	if (len > in->len - in->off)
		len = in->len - in->off;
	client_receive(&w.c, in->p + in->off, len, w.now, &w.out);
	in->off += len;
	check(before);
}

static void conflict(struct input *in)
{
	struct client_event ev = { .type = CLIENT_EV_ACD_CONFLICT };
	const struct client_lease *l = client_lease(&w.c);
	uint8_t b = take(in);

	ev.u.acd.addr = (b & 1) && l ? l->address : IP4(192, 0, 2, b);
	memcpy(ev.u.acd.mac, b & 2 ? mac : other_mac, 6);
	event(&ev);
}

static void timer_at_deadline(void)
{
	if (client_deadline(&w.c) == CLIENT_NEVER)
		return;
	if (client_deadline(&w.c) > w.now)
		w.now = client_deadline(&w.c);
	simple(CLIENT_EV_TIMER, false);
}

static void set_link(bool up)
{
	/* The daemon sends nothing on a dead link: it goes down first. */
	w.link_up = up;
	simple(up ? CLIENT_EV_LINK_UP : CLIENT_EV_LINK_DOWN, false);
}

static void restart(uint64_t seed)
{
	struct client_lease l = w.store;
	bool stored = w.stored;

	start(seed, stored ? &l : NULL);
}

static void refuse(struct input *in)
{
	struct client_event ev = { .type = CLIENT_EV_LEASE_REFUSED };
	const struct client_lease *l = client_lease(&w.c);
	uint8_t b = take(in);

	ev.u.refused = (b & 1) && l ? l->address : IP4(192, 0, 2, b);
	/* A due timer runs first (client_handle): let it, so that the view
	 * below meets the state the refusal will meet. */
	if (w.now >= client_deadline(&w.c))
		simple(CLIENT_EV_TIMER, false);
	/* apply refused the last CONFIGURE: whatever it applied before stays.
	 * A stopped engine hears nothing more (the daemon is going away). */
	if (client_state(&w.c) != CLIENT_STOPPED && w.configured &&
	    ev.u.refused == w.configured_addr)
		w.configured = w.configured_before;
	event(&ev);
}

static void operate(struct input *in, uint8_t op)
{
	switch (op & 15) {
	case 1:
		w.now += (uint64_t)take16(in) * 16u;
		simple(CLIENT_EV_TIMER, false);
		break;
	case 2: raw(in); break;
	case 3: reply(in); break;
	case 4: set_link(false); break;
	case 5: set_link(true); break;
	case 6: conflict(in); break;
	case 7: simple(CLIENT_EV_RENEW, false); break;
	case 8: simple(CLIENT_EV_RELEASE, false); break;
	case 9: simple(CLIENT_EV_STOP, op & 16); break;
	case 10: restart(in->off * 0x9e3779b97f4a7c15ull); break;
	case 11: w.now += (uint64_t)take(in) * 600000u; break;
	case 12: refuse(in); break;
	default: timer_at_deadline(); break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { .p = data, .len = size, .off = 0 };
	uint64_t seed = 0;
	int ops = 0;

	for (int i = 0; i < 8; i++)
		seed |= (uint64_t)take(&in) << (8 * i);
	configure(take(&in), seed);
	/* Bounded: the input length bounds the work, the count bounds it too. */
	while (in.off < in.len && ops++ < 4096)
		operate(&in, take(&in));
	return 0;
}
