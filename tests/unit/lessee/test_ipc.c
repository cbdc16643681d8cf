/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IPC channel: framing (src/os/ipc.c) and the catalogue's checks
 * (src/lessee/ipc_msg.c). Every refusal here is a message that makes a
 * role exit, so each must be caught exactly.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "lessee/ipc_msg.h"
#include "os/ipc.h"

static uint8_t buf[IPC_BUF_MAX];
static const uint8_t our_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };

struct pair {
	struct ipc_chan tx, rx;
};

static struct pair open_pair(void)
{
	int fds[2];
	struct pair p;

	assert_int_equal(ipc_pair(fds), 0);
	ipc_chan_init(&p.tx, fds[0], "tx");
	ipc_chan_init(&p.rx, fds[1], "rx");
	return p;
}

static void close_pair(struct pair *p)
{
	close(p->tx.fd);
	close(p->rx.fd);
}

static void test_round_trip_and_sequence(void **state)
{
	struct pair p = open_pair();
	struct ipc_link link = { .up = 1, .mac = { 2, 0, 0, 0, 0, 1 } };
	struct ipc_hdr hdr;
	const void *body;
	(void)state;

	for (uint32_t i = 1; i <= 3; i++) {
		assert_int_equal(ipc_send(&p.tx, IPC_NET_LINK, &link, sizeof(link)), 0);
		assert_int_equal(ipc_recv(&p.rx, buf, sizeof(buf), &hdr, &body), sizeof(link));
		assert_int_equal(hdr.type, IPC_NET_LINK);
		assert_int_equal(hdr.seq, i);
		assert_memory_equal(body, &link, sizeof(link));
		assert_null(ipc_msg_check(IPC_PEER_NET, IPC_PEER_ENGINE, hdr.type, body,
					  (size_t)sizeof(link)));
	}
	/* EOF: zero and type 0. */
	close(p.tx.fd);
	assert_int_equal(ipc_recv(&p.rx, buf, sizeof(buf), &hdr, &body), 0);
	assert_int_equal(hdr.type, 0);
	close(p.rx.fd);
}

/*
 * The peer closes with one of our records unread (the engine exiting before
 * apply's last result): what it sent before still arrives, then the end of
 * the channel, never an error that would read as a broken peer.
 */
static void test_peer_closed_with_records_unread(void **state)
{
	struct pair p = open_pair();
	struct ipc_link link = { .up = 1, .mac = { 2, 0, 0, 0, 0, 1 } };
	struct ipc_hdr hdr;
	const void *body;
	(void)state;

	assert_int_equal(ipc_send(&p.rx, IPC_NET_LINK, &link, sizeof(link)), 0);
	assert_int_equal(ipc_send(&p.tx, IPC_NET_LINK, &link, sizeof(link)), 0);
	close(p.tx.fd);
	assert_int_equal(ipc_recv(&p.rx, buf, sizeof(buf), &hdr, &body), sizeof(link));
	assert_int_equal(hdr.seq, 1);
	assert_int_equal(ipc_recv(&p.rx, buf, sizeof(buf), &hdr, &body), 0);
	assert_int_equal(hdr.type, 0);
	/* Sending to it now: EPIPE, which apply takes as "stopping". */
	assert_int_equal(ipc_send(&p.rx, IPC_NET_LINK, &link, sizeof(link)), -EPIPE);
	close(p.rx.fd);
}

/* Raw records that break the framing: each one is -EBADMSG. */
static void send_raw(int fd, const void *data, size_t len)
{
	assert_int_equal(send(fd, data, len, 0), (ssize_t)len);
}

static void test_framing_refusals(void **state)
{
	struct ipc_hdr hdr;
	const void *body;
	(void)state;

	struct {
		struct ipc_hdr h;
		uint8_t body[4];
	} rec = { { IPC_NET_LINK, 0, 4, 1 }, { 0 } };

	struct pair p = open_pair();
	send_raw(p.tx.fd, &rec, 5); /* shorter than its header + declared length */
	assert_int_equal(ipc_recv(&p.rx, buf, sizeof(buf), &hdr, &body), -EBADMSG);
	close_pair(&p);

	p = open_pair();
	send_raw(p.tx.fd, &rec, 3); /* shorter than a header */
	assert_int_equal(ipc_recv(&p.rx, buf, sizeof(buf), &hdr, &body), -EBADMSG);
	close_pair(&p);

	p = open_pair();
	rec.h.seq = 2; /* the first record must carry 1 */
	send_raw(p.tx.fd, &rec, sizeof(rec));
	assert_int_equal(ipc_recv(&p.rx, buf, sizeof(buf), &hdr, &body), -EBADMSG);
	close_pair(&p);

	p = open_pair();
	rec.h.seq = 1;
	rec.h.reserved = 1;
	send_raw(p.tx.fd, &rec, sizeof(rec));
	assert_int_equal(ipc_recv(&p.rx, buf, sizeof(buf), &hdr, &body), -EBADMSG);
	close_pair(&p);

	p = open_pair();
	rec.h.reserved = 0;
	rec.h.type = 0;
	send_raw(p.tx.fd, &rec, sizeof(rec));
	assert_int_equal(ipc_recv(&p.rx, buf, sizeof(buf), &hdr, &body), -EBADMSG);
	close_pair(&p);

	/* A record larger than the receive buffer is caught, not cut. */
	p = open_pair();
	rec.h.type = IPC_NET_LINK;
	send_raw(p.tx.fd, &rec, sizeof(rec));
	assert_int_equal(ipc_recv(&p.rx, buf, sizeof(rec) - 1, &hdr, &body), -EBADMSG);
	close_pair(&p);
}

/* The same framing checks without a socket: what ipc_recv runs on each
 * record, and what the fuzz harnesses run on theirs. */
static void test_frame_check(void **state)
{
	struct {
		struct ipc_hdr h;
		uint8_t body[4];
	} rec = { { IPC_NET_LINK, 0, 4, 7 }, { 1, 2, 3, 4 } };
	struct ipc_hdr hdr;
	const void *body;
	(void)state;

	assert_int_equal(ipc_frame_check(&rec, sizeof(rec), 7, &hdr, &body), 4);
	assert_int_equal(hdr.type, IPC_NET_LINK);
	assert_int_equal(hdr.seq, 7);
	assert_ptr_equal(body, rec.body);
	/* a header alone is a record with an empty body */
	rec.h.len = 0;
	assert_int_equal(ipc_frame_check(&rec, sizeof(rec.h), 7, &hdr, &body), 0);
	assert_non_null(body);
	rec.h.len = 4;

	/* each refusal: -EBADMSG, no body */
	assert_int_equal(ipc_frame_check(&rec, sizeof(rec.h) - 1, 7, &hdr, &body), -EBADMSG);
	assert_null(body);
	assert_int_equal(hdr.type, 0);   /* nothing of a short header is read */
	assert_int_equal(ipc_frame_check(&rec, sizeof(rec) - 1, 7, &hdr, &body), -EBADMSG);
	assert_int_equal(ipc_frame_check(&rec, sizeof(rec), 8, &hdr, &body), -EBADMSG);
	assert_null(body);
	assert_int_equal(hdr.seq, 7);    /* the header read, for the log line */
	rec.h.reserved = 1;
	assert_int_equal(ipc_frame_check(&rec, sizeof(rec), 7, &hdr, &body), -EBADMSG);
	rec.h.reserved = 0;
	rec.h.type = 0;
	assert_int_equal(ipc_frame_check(&rec, sizeof(rec), 7, &hdr, &body), -EBADMSG);
	rec.h.type = IPC_NET_LINK;
	rec.h.len = 5;   /* declares more than follows */
	assert_int_equal(ipc_frame_check(&rec, sizeof(rec), 7, &hdr, &body), -EBADMSG);
}

static void test_direction_and_size(void **state)
{
	struct ipc_user u = { .request = IPC_USER_RENEW };
	(void)state;

	assert_null(ipc_msg_check(IPC_PEER_SUPERVISOR, IPC_PEER_ENGINE, IPC_CTL_USER, &u, sizeof(u)));
	/* net may not send user requests, apply may not send frames */
	assert_non_null(ipc_msg_check(IPC_PEER_NET, IPC_PEER_ENGINE, IPC_CTL_USER, &u, sizeof(u)));
	static struct ipc_frame f;
	assert_non_null(ipc_msg_check(IPC_PEER_APPLY, IPC_PEER_ENGINE, IPC_NET_FRAME, &f, sizeof(f)));
	assert_non_null(ipc_msg_check(IPC_PEER_SUPERVISOR, IPC_PEER_ENGINE, IPC_CTL_USER, &u,
				      sizeof(u) - 1));
	assert_non_null(ipc_msg_check(IPC_PEER_SUPERVISOR, IPC_PEER_ENGINE, IPC_TYPE_COUNT, &u,
				      sizeof(u)));
	assert_string_equal(ipc_type_name(IPC_APPLY_CONFIGURE), "APPLY_CONFIGURE");
}

static void test_field_checks(void **state)
{
	struct ipc_user u = { .request = 9 };
	struct ipc_frame *f = (struct ipc_frame *)buf;
	struct ipc_link link = { .up = 2 };
	(void)state;

	assert_non_null(ipc_msg_check(IPC_PEER_SUPERVISOR, IPC_PEER_ENGINE, IPC_CTL_USER, &u, sizeof(u)));
	u.request = IPC_USER_STOP;
	u.keep = 2;
	assert_non_null(ipc_msg_check(IPC_PEER_SUPERVISOR, IPC_PEER_ENGINE, IPC_CTL_USER, &u, sizeof(u)));
	memset(f, 0, sizeof(*f));
	f->len = IPC_FRAME_MAX + 1;
	assert_non_null(ipc_msg_check(IPC_PEER_NET, IPC_PEER_ENGINE, IPC_NET_FRAME, f, sizeof(*f)));
	f->len = IPC_FRAME_MAX;
	assert_null(ipc_msg_check(IPC_PEER_NET, IPC_PEER_ENGINE, IPC_NET_FRAME, f, sizeof(*f)));
	assert_non_null(ipc_msg_check(IPC_PEER_NET, IPC_PEER_ENGINE, IPC_NET_LINK, &link, sizeof(link)));
}

/* Checked as apply's and the engine's receivers do; want: NULL or a
 * piece of the reason. */
static void mac_check(enum ipc_peer from, enum ipc_peer to, uint16_t type, const void *body,
		      size_t len, const char *want)
{
	const char *bad = ipc_msg_check(from, to, type, body, len);

	if (!want && bad)
		fail_msg("%s refused: %s", ipc_type_name(type), bad);
	if (want && (!bad || !strstr(bad, want)))
		fail_msg("%s: \"%s\", want \"%s\"", ipc_type_name(type), bad ? bad : "passed", want);
}

/* --random-mac=stable: the engine sends only a network's fingerprint. */
static void test_switch_mac(void **state)
{
	struct ipc_fingerprint fp = { .server_id = 0xc0000201u, .subnet = 0xc0000200u, .prefix = 24 };
	const enum ipc_peer E = IPC_PEER_ENGINE, A = IPC_PEER_APPLY;
	(void)state;

	mac_check(E, A, IPC_APPLY_SWITCH_MAC, &fp, sizeof(fp), NULL);
	mac_check(A, E, IPC_APPLY_SWITCH_MAC, &fp, sizeof(fp), "not allowed on this channel");
	mac_check(E, IPC_PEER_NET, IPC_APPLY_SWITCH_MAC, &fp, sizeof(fp), "not allowed");
	mac_check(E, A, IPC_APPLY_SWITCH_MAC, &fp, sizeof(fp) - 1, "wrong body size");
	fp.subnet = 0xc0000201u;
	mac_check(E, A, IPC_APPLY_SWITCH_MAC, &fp, sizeof(fp), "host bits");
	fp.subnet = 0xc0000201u;
	fp.prefix = 32;                                   /* a /32 has no host bits */
	mac_check(E, A, IPC_APPLY_SWITCH_MAC, &fp, sizeof(fp), NULL);
	fp.prefix = 33;
	mac_check(E, A, IPC_APPLY_SWITCH_MAC, &fp, sizeof(fp), "prefix not in 1..32");
	fp.prefix = 0;
	fp.subnet = 0;
	mac_check(E, A, IPC_APPLY_SWITCH_MAC, &fp, sizeof(fp), "prefix not in 1..32");
	fp.prefix = 8;
	fp.subnet = 0x0a000000u;
	mac_check(E, A, IPC_APPLY_SWITCH_MAC, &fp, sizeof(fp), NULL);
	fp.server_id = 0x7f000001u;
	mac_check(E, A, IPC_APPLY_SWITCH_MAC, &fp, sizeof(fp), "not a unicast address");
	fp.server_id = 0xe0000001u;
	mac_check(E, A, IPC_APPLY_SWITCH_MAC, &fp, sizeof(fp), "not a unicast address");
}

/* apply's word on the address it set. */
static void test_apply_mac(void **state)
{
	struct ipc_mac m = { .mac = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 } };
	const enum ipc_peer E = IPC_PEER_ENGINE, A = IPC_PEER_APPLY;
	(void)state;

	mac_check(A, E, IPC_APPLY_MAC, &m, sizeof(m), NULL);
	mac_check(E, A, IPC_APPLY_MAC, &m, sizeof(m), "not allowed on this channel");
	mac_check(A, E, IPC_APPLY_MAC, &m, sizeof(m) + 1, "wrong body size");
	m.mac[0] = 0x00;                                  /* universal */
	mac_check(A, E, IPC_APPLY_MAC, &m, sizeof(m), "not a locally administered unicast");
	m.mac[0] = 0x03;                                  /* group */
	mac_check(A, E, IPC_APPLY_MAC, &m, sizeof(m), "not a locally administered unicast");
	memset(m.mac, 0, sizeof(m.mac));
	m.mac[0] = 0x02;                                  /* nothing but the U/L bit */
	mac_check(A, E, IPC_APPLY_MAC, &m, sizeof(m), "not a locally administered unicast");
	m.mac[5] = 1;
	mac_check(A, E, IPC_APPLY_MAC, &m, sizeof(m), NULL);
	m.net.server_id = 0xc0000201u;                    /* a network, not stable */
	mac_check(A, E, IPC_APPLY_MAC, &m, sizeof(m), "fingerprint without the stable flag");
	m.stable = 1;
	m.net.prefix = 24;
	m.net.subnet = 0xc0000200u;
	mac_check(A, E, IPC_APPLY_MAC, &m, sizeof(m), NULL);
	m.net.prefix = 0;                                 /* stable: a whole fingerprint */
	mac_check(A, E, IPC_APPLY_MAC, &m, sizeof(m), "prefix not in 1..32");
	m.net.prefix = 24;
	m.stable = 2;
	mac_check(A, E, IPC_APPLY_MAC, &m, sizeof(m), "stable flag out of range");
}

static void test_lease_shape(void **state)
{
	static struct ipc_lease_event ev;
	(void)state;

	memset(&ev, 0, sizeof(ev));
	ev.reason = CLIENT_HOOK_BOUND;
	assert_null(ipc_msg_check(IPC_PEER_ENGINE, IPC_PEER_APPLY, IPC_APPLY_CONFIGURE, &ev, sizeof(ev)));
	ev.lease.n_dns = CLIENT_MAX_DNS + 1;
	assert_non_null(ipc_check_lease_shape(&ev.lease));
	ev.lease.n_dns = 0;
	memset(ev.lease.domain_name, 'a', sizeof(ev.lease.domain_name));
	assert_string_equal(ipc_check_lease_shape(&ev.lease), "lease domain name not terminated");
	ev.lease.domain_name[0] = '\0';
	ev.lease.n_search = 1;
	memset(ev.lease.search[0], 'b', sizeof(ev.lease.search[0]));
	assert_string_equal(ipc_check_lease_shape(&ev.lease), "lease search entry not terminated");
	ev.lease.n_search = 0;
	ev.lease.n_routes = 1;
	ev.lease.routes[0].prefix = 33;
	assert_non_null(ipc_check_lease_shape(&ev.lease));
	ev.lease.n_routes = 0;
	ev.reason = CLIENT_HOOK_RELEASE + 1;
	assert_non_null(ipc_msg_check(IPC_PEER_ENGINE, IPC_PEER_APPLY, IPC_APPLY_CONFIGURE, &ev, sizeof(ev)));
}

static void good_send(struct client_send *s)
{
	struct dhcp_header h;

	memset(s, 0, sizeof(*s));
	memset(&h, 0, sizeof(h));
	h.op = BOOTREQUEST;
	h.htype = 1;
	h.hlen = 6;
	h.xid = 0x12345678;
	memcpy(h.chaddr, our_mac, 6);
	dhcp_out_init(&s->msg, &h, DHCPDISCOVER);
	s->dest = CLIENT_DEST_BROADCAST;
	s->dst_ip = 0xffffffffu;
}

static const char *check(const struct client_send *s)
{
	const char *bad = ipc_msg_check(IPC_PEER_ENGINE, IPC_PEER_NET, IPC_NET_SEND_DHCP, s, sizeof(*s));
	return bad ? bad : ipc_check_send(s, our_mac);
}

/* What a fooled engine might ask net to send: all refused. */
static void test_send_requests(void **state)
{
	static struct client_send s;
	(void)state;

	good_send(&s);
	assert_null(check(&s));

	good_send(&s);
	s.msg.hdr.op = BOOTREPLY;
	assert_non_null(check(&s));
	good_send(&s);
	s.msg.hdr.chaddr[5] = 0x99; /* another MAC */
	assert_string_equal(check(&s), "send: chaddr is not our MAC");
	good_send(&s);
	s.msg.hdr.yiaddr = 0xc0000264;
	assert_non_null(check(&s));
	good_send(&s);
	s.msg.pool[s.msg.opts[0].pool_off] = DHCPOFFER; /* a server message */
	assert_string_equal(check(&s), "send: not a client message type");
	good_send(&s);
	s.msg.n_opts = DHCP_OUT_MAX_OPTS + 1;
	assert_non_null(check(&s));
	good_send(&s);
	s.msg.opts[0].pool_off = DHCP_OUT_POOL;
	assert_non_null(check(&s));
	good_send(&s);
	dhcp_out_add_u8(&s.msg, 200, 1);
	s.msg.opts[1].code = DHCP_OPT_MSG_TYPE; /* duplicate */
	assert_string_equal(check(&s), "send: duplicate option");
	good_send(&s);
	s.dest = 7;
	assert_non_null(check(&s));
	good_send(&s);
	s.dst_ip = 0xc0000201; /* "broadcast" to one host */
	assert_non_null(check(&s));
	good_send(&s);
	s.dest = CLIENT_DEST_UNICAST;
	s.dst_ip = 0x7f000001; /* loopback */
	s.src_ip = s.msg.hdr.ciaddr = 0xc0000264;
	assert_string_equal(check(&s), "send: unicast destination is not a unicast address");
	s.dst_ip = 0xc0000201;
	assert_null(check(&s));
	s.src_ip = 0xc0000265; /* source other than ciaddr */
	assert_non_null(check(&s));
	/* What no client sends: a forged IP source, reserved flags, a relay's
	 * option 82, sname or file filled. */
	good_send(&s);
	s.src_ip = s.msg.hdr.ciaddr = 0x7f000001;
	assert_string_equal(check(&s), "send: source address is not unicast");
	good_send(&s);
	s.msg.hdr.flags = 0x8000;
	assert_null(check(&s));
	s.msg.hdr.flags = 0x8001;
	assert_string_equal(check(&s), "send: reserved flag bits set");
	good_send(&s);
	assert_int_equal(dhcp_out_add(&s.msg, 82, "\x01\x01x", 3), WIRE_OK);
	assert_string_equal(check(&s), "send: relay agent information from a client");
	good_send(&s);
	s.msg.file[127] = 'x';
	assert_string_equal(check(&s), "send: sname or file set");
	good_send(&s);
	s.msg.sname[0] = 'x';
	assert_string_equal(check(&s), "send: sname or file set");
}

/* An ARP frame from sha claiming spa (tpa for a probe, spa 0). */
static size_t arp_frame(uint8_t *out, size_t cap, const uint8_t sha[6], uint32_t spa,
			uint32_t tpa)
{
	struct arp_view a;
	size_t len = 0;

	memset(&a, 0, sizeof(a));
	memset(a.eth_dst, 0xff, 6);
	memcpy(a.eth_src, sha, 6);
	memcpy(a.sha, sha, 6);
	a.op = ARP_OP_REQUEST;
	a.spa = spa;
	a.tpa = tpa;
	assert_int_equal(frame_build_arp(&a, out, cap, &len), WIRE_OK);
	return len;
}

/* RFC 5227's order in net: announce only what was probed and not claimed
 * by another host since (a fooled engine announcing the gateway's address
 * would poison every neighbour's ARP cache). */
static void test_arp_guard(void **state)
{
	static const uint8_t other[6] = { 0x02, 0, 0, 0, 0, 0x99 };
	const uint32_t addr = 0xc0000264, gateway = 0xc0000201;
	struct arp_guard g = { 0, false };
	uint8_t f[64];
	(void)state;

	assert_int_equal(arp_guard_announce(&g, gateway), ARP_GUARD_NOT_PROBED);
	arp_guard_probe(&g, addr);
	assert_int_equal(arp_guard_announce(&g, gateway), ARP_GUARD_NOT_PROBED);
	assert_int_equal(arp_guard_announce(&g, addr), ARP_GUARD_OK);
	/* Our own frames (looped back to the packet socket) claim nothing. */
	arp_guard_seen(&g, f, arp_frame(f, sizeof(f), our_mac, addr, addr), our_mac);
	arp_guard_seen(&g, f, arp_frame(f, sizeof(f), our_mac, 0, addr), our_mac);
	/* Other addresses, broken frames: nothing. */
	arp_guard_seen(&g, f, arp_frame(f, sizeof(f), other, gateway, addr + 1), our_mac);
	arp_guard_seen(&g, f, 20, our_mac);
	assert_int_equal(arp_guard_announce(&g, addr), ARP_GUARD_OK);
	/* Another host answers for it, or probes it too. */
	arp_guard_seen(&g, f, arp_frame(f, sizeof(f), other, addr, gateway), our_mac);
	assert_int_equal(arp_guard_announce(&g, addr), ARP_GUARD_CLAIMED);
	arp_guard_probe(&g, addr + 1);
	assert_int_equal(arp_guard_announce(&g, addr + 1), ARP_GUARD_OK);
	arp_guard_seen(&g, f, arp_frame(f, sizeof(f), other, 0, addr + 1), our_mac);
	assert_int_equal(arp_guard_announce(&g, addr + 1), ARP_GUARD_CLAIMED);
	assert_int_equal(arp_guard_announce(&g, addr), ARP_GUARD_NOT_PROBED);
}

/* ipc_check_arp: what net accepts and the frame it builds (RFC 5227). */
static void test_arp_requests(void **state)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];
	static const uint32_t refused[] = {
		0, 0x00000001, 0x7f000001, 0xe0000001, 0xefffffff, 0xf0000001, 0xffffffff,
	};
	struct ipc_arp req = { .kind = IPC_ARP_PROBE, .address = 0xc0000264 };
	struct arp_view arp;
	(void)state;

	assert_null(ipc_check_arp(&req, our_mac, &arp));
	assert_int_equal(arp.op, ARP_OP_REQUEST);
	assert_int_equal(arp.spa, 0);                /* a probe: sender IP 0 */
	assert_int_equal(arp.tpa, 0xc0000264);
	assert_memory_equal(arp.sha, our_mac, 6);
	assert_memory_equal(arp.eth_src, our_mac, 6);
	assert_memory_equal(arp.eth_dst, bcast, 6);
	assert_memory_equal(arp.tha, zero, 6);

	req.kind = IPC_ARP_ANNOUNCE;
	assert_null(ipc_check_arp(&req, our_mac, &arp));
	assert_int_equal(arp.spa, 0xc0000264);       /* an announcement: both */
	assert_int_equal(arp.tpa, 0xc0000264);

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		req.address = refused[i];
		assert_string_equal(ipc_check_arp(&req, our_mac, &arp), "not a unicast address");
	}
	req.address = 0xc0000264;
	req.kind = 3;
	assert_non_null(ipc_check_arp(&req, our_mac, &arp));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_and_sequence),
		cmocka_unit_test(test_peer_closed_with_records_unread),
		cmocka_unit_test(test_framing_refusals),
		cmocka_unit_test(test_frame_check),
		cmocka_unit_test(test_direction_and_size),
		cmocka_unit_test(test_field_checks),
		cmocka_unit_test(test_lease_shape),
		cmocka_unit_test(test_switch_mac),
		cmocka_unit_test(test_apply_mac),
		cmocka_unit_test(test_send_requests),
		cmocka_unit_test(test_arp_requests),
		cmocka_unit_test(test_arp_guard),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
