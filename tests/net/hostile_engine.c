/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostile-engine: plays a compromised engine on the apply role's channel
 * (DESIGN.md "Daemon and privilege separation"; issue 5: "a test that plays
 * a hostile engine on the apply socket and shows every invalid request
 * refused and logged").
 *
 *   hostile-engine LESSEE_BIN IFNAME WORKDIR
 *
 * For each case it starts a fresh apply role as the supervisor does (the
 * same binary, `--role apply` in front of the options, the channel at fd
 * ROLE_FD_FIRST), reads the IPC_APPLY_STORED apply sends first, sends the
 * case's records and checks the outcome:
 *
 *   EXIT    a record the catalogue refuses (framing, direction, size, a
 *           field out of range): apply exits non-zero and logs the reason
 *           ("bad message from the engine: ...", "refused T from the
 *           engine: ...").
 *   REFUSE  a well-formed lease out of policy (validate_lease): apply
 *           answers IPC_APPLY_RESULT applied=0, logs "lease refused:
 *           <reason>" and keeps running.
 *   IGNORE  a request apply must carry out without touching the system (a
 *           DECONFIGURE of a non-unicast address, a PERSIST of a bad
 *           lease); a refused CONFIGURE behind it proves it was handled.
 *   APPLY   the controls: a valid lease is applied (applied=1, address and
 *           routes on IFNAME), then deconfigured, so the harness is seen to
 *           detect success too.
 *
 * A case run with --random-mac gets IPC_APPLY_MAC (checked by the
 * catalogue) before the stored lease; apply then owns the link's MAC and
 * must have put the original back by the time it exits.
 *
 * Before and after every case the interface's addresses, the routes, the
 * MTU, the MAC, resolv.conf and the lease file are compared: nothing but a control
 * may change them, and a control must leave them as it found them. Every
 * wait is bounded (WAIT_MS). One line per case, "ok NAME" or "FAIL NAME:
 * why"; exit 0 only if every case is ok.
 *
 * Run it only inside a throwaway network namespace (tests/net/
 * test_hostile_engine.py does): a control puts 192.0.2.77/24 (TEST-NET-1,
 * RFC 5737) on IFNAME for a moment.
 */
#define _GNU_SOURCE 1
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client/client.h"
#include "hostile_common.h"
#include "lessee/ipc_msg.h"
#include "lessee/roles.h"
#include "os/evloop.h"
#include "os/ipc.h"

#define START_FAILURES_MAX 3u   /* apply does not start at all: stop early */
#define SNAP_MAX  4096u
#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* The lease every case starts from: valid for 192.0.2.0/24 (TEST-NET-1). */
#define LEASE_ADDR IP4(192, 0, 2, 77)
#define LEASE_GW   IP4(192, 0, 2, 1)
#define LEASE_DNS  IP4(192, 0, 2, 53)

enum want { WANT_EXIT, WANT_REFUSE, WANT_IGNORE, WANT_APPLY };

struct hcase {
	const char *name;
	enum want want;
	const char *log;     /* the specific reason apply must log (NULL: none) */
	/* The records: CONFIGURE of the base lease after edit, or send(). */
	void (*edit)(struct ipc_lease_event *ev);
	int (*send)(struct ipc_chan *ch);
	const char *opt[3];  /* more options for apply, NULL-terminated */
};

struct snapshot {
	char addrs[SNAP_MAX];    /* every IPv4 address of the namespace */
	char routes[SNAP_MAX];   /* /proc/net/route */
	char resolv[SNAP_MAX];
	int mtu;
	char mac[18];
	bool lease_file;
};

static struct {
	const char *bin, *ifname, *dir;
	char resolv[PATH_MAX], lease[PATH_MAX];
} world;

/* What the last lease-carrying record held: the checks compare with it. */
static struct client_lease sent;
/* The case failed before its records: apply did not start or say STORED. */
static bool start_failed;

/* ---- the base lease and its edits ---------------------------------------- */

static void base_event(struct ipc_lease_event *ev)
{
	struct client_lease *l = &ev->lease;
	uint64_t now = mono_now_ms();   /* the engine's clock (CLOCK_BOOTTIME) */

	memset(ev, 0, sizeof(*ev));     /* padding too: the engine zeroes leases */
	l->address = LEASE_ADDR;
	l->prefix = 24;
	l->prefix_from_server = true;
	l->broadcast = IP4(192, 0, 2, 255);
	l->server_id = LEASE_GW;
	l->n_routers = 1;
	l->routers[0] = LEASE_GW;
	l->n_dns = 1;
	l->dns[0] = LEASE_DNS;
	strcpy(l->domain_name, "example.test");
	l->n_search = 1;
	strcpy(l->search[0], "example.test");
	l->mtu = 0;                     /* absent: the link's MTU stays */
	l->lease_s = 3600;
	l->t1_s = 1800;
	l->t2_s = 3150;
	l->obtained_at = now;
	l->t1_at = now + 1800000u;
	l->t2_at = now + 3150000u;
	l->expires_at = now + 3600000u;
	ev->reason = CLIENT_HOOK_BOUND;
}

#define ROUTE(dst, len, gw) ((struct wire_route){ (dst), (len), (gw) })

/* One edit of the base lease per line: l is the lease, e the event. */
#define EDIT(fn, ...) \
	static void fn(struct ipc_lease_event *e) \
	{ \
		struct client_lease *l = &e->lease; \
		(void)l; \
		__VA_ARGS__; \
	}

static void set_domain(struct client_lease *l, const char *s, size_t len)
{
	memset(l->domain_name, 0, sizeof(l->domain_name));
	memcpy(l->domain_name, s, len);
}

static void set_search(struct client_lease *l, const char *s, size_t len)
{
	memset(l->search[0], 0, sizeof(l->search[0]));
	memcpy(l->search[0], s, len);
}

/* A string literal with its length, embedded NULs included. */
#define LIT(s) (s), sizeof(s) - 1

/* The catalogue's field checks (ipc_msg_check): apply exits. */
EDIT(ed_reason_past_release, e->reason = CLIENT_HOOK_RELEASE + 1)
EDIT(ed_reason_255, e->reason = 255)
EDIT(ed_anonymous_2, e->anonymous = 2)
EDIT(ed_n_routers_9, l->n_routers = CLIENT_MAX_ROUTERS + 1)
EDIT(ed_n_dns_9, l->n_dns = CLIENT_MAX_DNS + 1)
EDIT(ed_n_dns_255, l->n_dns = 255)
EDIT(ed_n_ntp_9, l->n_ntp = CLIENT_MAX_NTP + 1)
EDIT(ed_n_search_7, l->n_search = CLIENT_MAX_SEARCH + 1)
EDIT(ed_n_routes_17, l->n_routes = CLIENT_MAX_ROUTES + 1)
EDIT(ed_n_routes_255, l->n_routes = 255)
EDIT(ed_prefix_33, l->prefix = 33)
EDIT(ed_prefix_255, l->prefix = 255)
EDIT(ed_domain_unterminated, memset(l->domain_name, 'a', sizeof(l->domain_name)))
EDIT(ed_search_unterminated, memset(l->search[0], 'a', sizeof(l->search[0])))
EDIT(ed_route_prefix_33, l->n_routers = 0; l->n_routes = 1;
     l->routes[0] = ROUTE(IP4(198, 51, 100, 0), 33, LEASE_GW))

/* Policy (validate_lease): refused, apply goes on. */
EDIT(ed_flag_2, memset(&l->prefix_from_server, 2, 1))
EDIT(ed_addr_loopback, l->address = IP4(127, 0, 0, 1))
EDIT(ed_addr_loopback_top, l->address = IP4(127, 255, 255, 254))
EDIT(ed_addr_multicast, l->address = IP4(224, 0, 0, 1))
EDIT(ed_addr_multicast_top, l->address = IP4(239, 255, 255, 250))
EDIT(ed_addr_zero, l->address = 0)
EDIT(ed_addr_this_net, l->address = IP4(0, 1, 2, 3))
EDIT(ed_addr_reserved, l->address = IP4(240, 0, 0, 1))
EDIT(ed_addr_limited_bcast, l->address = IP4(255, 255, 255, 255))
EDIT(ed_addr_link_local, l->address = IP4(169, 254, 10, 20))
EDIT(ed_addr_network, l->address = IP4(192, 0, 2, 0))
EDIT(ed_addr_subnet_bcast, l->address = IP4(192, 0, 2, 255))
EDIT(ed_prefix_0, l->prefix = 0)
EDIT(ed_prefix_31, l->prefix = 31)
EDIT(ed_prefix_32_bad_bcast, l->prefix = 32; l->broadcast = IP4(192, 0, 2, 255))
EDIT(ed_prefix_7, l->prefix = 7)
EDIT(ed_broadcast_wrong, l->broadcast = IP4(192, 0, 2, 127))
/* TunnelVision (CVE-2024-3661): two /1 routes outrank a VPN's default. */
EDIT(ed_tunnelvision, l->n_routers = 0; l->n_routes = 3;
     l->routes[0] = ROUTE(0, 1, LEASE_GW);
     l->routes[1] = ROUTE(IP4(128, 0, 0, 0), 1, LEASE_GW);
     l->routes[2] = ROUTE(0, 0, LEASE_GW))
EDIT(ed_route_half_high, l->n_routers = 0; l->n_routes = 1;
     l->routes[0] = ROUTE(IP4(128, 0, 0, 0), 1, LEASE_GW))
EDIT(ed_route_slash_4, l->n_routers = 0; l->n_routes = 1;
     l->routes[0] = ROUTE(IP4(64, 0, 0, 0), 4, LEASE_GW))
EDIT(ed_route_over_loopback, l->n_routers = 0; l->n_routes = 1;
     l->routes[0] = ROUTE(IP4(127, 0, 0, 0), 8, LEASE_GW))
EDIT(ed_route_host_bits, l->n_routers = 0; l->n_routes = 1;
     l->routes[0] = ROUTE(IP4(198, 51, 100, 1), 24, LEASE_GW))
EDIT(ed_route_gw_offlink, l->n_routers = 0; l->n_routes = 1;
     l->routes[0] = ROUTE(IP4(198, 51, 100, 0), 24, IP4(203, 0, 113, 1)))
EDIT(ed_route_gw_multicast, l->n_routers = 0; l->n_routes = 1;
     l->routes[0] = ROUTE(IP4(198, 51, 100, 0), 24, IP4(224, 0, 0, 1)))
EDIT(ed_route_gw_self, l->n_routers = 0; l->n_routes = 1;
     l->routes[0] = ROUTE(IP4(198, 51, 100, 0), 24, LEASE_ADDR))
EDIT(ed_router_offlink, l->routers[0] = IP4(198, 51, 100, 1))
EDIT(ed_router_loopback, l->routers[0] = IP4(127, 0, 0, 1))
EDIT(ed_router_zero, l->routers[0] = 0)
EDIT(ed_router_self, l->routers[0] = LEASE_ADDR)
EDIT(ed_router_subnet_bcast, l->routers[0] = IP4(192, 0, 2, 255))
EDIT(ed_dns_loopback, l->dns[0] = IP4(127, 0, 0, 1))
EDIT(ed_dns_limited_bcast, l->dns[0] = IP4(255, 255, 255, 255))
EDIT(ed_ntp_multicast, l->n_ntp = 1; l->ntp[0] = IP4(224, 0, 1, 1))
EDIT(ed_server_id_zero, l->server_id = 0)
EDIT(ed_mtu_67, l->mtu = 67)
EDIT(ed_mtu_1, l->mtu = 1)
EDIT(ed_mtu_575, l->mtu = 575)
EDIT(ed_lease_0, l->lease_s = 0)
EDIT(ed_t1_after_t2, l->t1_s = 3150; l->t2_s = 1800)
/* Names that a shell, a resolv.conf parser or a log reader would misread. */
EDIT(ed_domain_semicolon, set_domain(l, LIT("example.test;reboot")))
EDIT(ed_domain_dollar, set_domain(l, LIT("$(reboot).example.test")))
EDIT(ed_domain_backquote, set_domain(l, LIT("`reboot`.example.test")))
EDIT(ed_domain_quote, set_domain(l, LIT("example.test'")))
EDIT(ed_domain_dquote, set_domain(l, LIT("example.test\"")))
EDIT(ed_domain_newline, set_domain(l, LIT("example.test\nnameserver 203.0.113.66")))
EDIT(ed_domain_space, set_domain(l, LIT("example.test reboot")))
EDIT(ed_domain_pipe, set_domain(l, LIT("example.test|reboot")))
EDIT(ed_domain_amp, set_domain(l, LIT("example.test&reboot")))
EDIT(ed_domain_backslash, set_domain(l, LIT("example\\.test")))
EDIT(ed_domain_nul, set_domain(l, LIT("example.test\0;reboot")))
EDIT(ed_search_semicolon, set_search(l, LIT("example.test;reboot")))
EDIT(ed_search_dollar, set_search(l, LIT("$(reboot).example.test")))
EDIT(ed_search_backquote, set_search(l, LIT("`reboot`.example.test")))
EDIT(ed_search_quote, set_search(l, LIT("example.test'")))
EDIT(ed_search_newline, set_search(l, LIT("example.test\nnameserver 203.0.113.66")))
EDIT(ed_search_nul, set_search(l, LIT("example.test\0$(reboot)")))
/* The sync record behind IGNORE cases: refused, with a known reason. */
EDIT(ed_sync, l->address = 0)

/* ---- senders ------------------------------------------------------------- */

static int send_event(struct ipc_chan *ch, uint16_t type, void (*edit)(struct ipc_lease_event *))
{
	struct ipc_lease_event ev;

	base_event(&ev);
	if (edit)
		edit(&ev);
	sent = ev.lease;
	return ipc_send(ch, type, &ev, sizeof(ev));
}

/* A valid CONFIGURE, framed by hand with the given header fields. */
static int send_framed(struct ipc_chan *ch, uint16_t type, uint16_t reserved, uint32_t len,
		       uint32_t seq)
{
	struct ipc_lease_event ev;
	struct ipc_hdr h = { type, reserved, len, seq };

	base_event(&ev);
	sent = ev.lease;
	return send_record(ch, h, &ev, sizeof(ev));
}

#define EV_LEN ((uint32_t)sizeof(struct ipc_lease_event))

static int snd_short_record(struct ipc_chan *ch)
{
	struct ipc_hdr h = { IPC_APPLY_CONFIGURE, 0, 0, 1 };

	return send(ch->fd, &h, sizeof(h) / 2, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

static int snd_len_over(struct ipc_chan *ch)
{
	return send_framed(ch, IPC_APPLY_CONFIGURE, 0, EV_LEN + 1, 1);
}

static int snd_len_under(struct ipc_chan *ch)
{
	return send_framed(ch, IPC_APPLY_CONFIGURE, 0, EV_LEN - 1, 1);
}

static int snd_len_huge(struct ipc_chan *ch)
{
	return send_framed(ch, IPC_APPLY_CONFIGURE, 0, UINT32_MAX, 1);
}

static int snd_reserved_low(struct ipc_chan *ch)
{
	return send_framed(ch, IPC_APPLY_CONFIGURE, 1, EV_LEN, 1);
}

static int snd_reserved_high(struct ipc_chan *ch)
{
	return send_framed(ch, IPC_APPLY_CONFIGURE, 0x8000, EV_LEN, 1);
}

static int snd_seq_skip(struct ipc_chan *ch)
{
	return send_framed(ch, IPC_APPLY_CONFIGURE, 0, EV_LEN, 2);
}

static int snd_seq_zero(struct ipc_chan *ch)
{
	return send_framed(ch, IPC_APPLY_CONFIGURE, 0, EV_LEN, 0);
}

/* seq 1 (a lease apply refuses), then seq 1 again: a replay. */
static int snd_seq_replay(struct ipc_chan *ch)
{
	int r = send_event(ch, IPC_APPLY_CONFIGURE, ed_sync);

	return r < 0 ? r : send_framed(ch, IPC_APPLY_CONFIGURE, 0, EV_LEN, 1);
}

static int snd_type_zero(struct ipc_chan *ch)
{
	return send_framed(ch, 0, 0, EV_LEN, 1);
}

/* One byte over what any message can be: apply's buffer is IPC_BUF_MAX. */
static int snd_over_buf_max(struct ipc_chan *ch)
{
	size_t len = IPC_BUF_MAX + 1 - sizeof(struct ipc_hdr);
	struct ipc_hdr h = { IPC_APPLY_CONFIGURE, 0, (uint32_t)len, 1 };
	static uint8_t body[IPC_BUF_MAX + 1];

	memset(body, 0, sizeof(body));
	return send_record(ch, h, body, len);
}

static int snd_huge_record(struct ipc_chan *ch)
{
	size_t len = RAW_RECORD_MAX - sizeof(struct ipc_hdr);
	struct ipc_hdr h = { IPC_APPLY_CONFIGURE, 0, (uint32_t)len, 1 };
	static uint8_t body[RAW_RECORD_MAX];

	return send_record(ch, h, body, len);
}

static int snd_type_count(struct ipc_chan *ch)
{
	return ipc_send(ch, IPC_TYPE_COUNT, NULL, 0);
}

static int snd_type_ffff(struct ipc_chan *ch)
{
	struct ipc_lease_event ev;

	base_event(&ev);
	return ipc_send(ch, 0xffff, &ev, sizeof(ev));
}

/* Well-formed bodies of types the engine may not send to apply. */
static int snd_net_send_dhcp(struct ipc_chan *ch)
{
	static struct client_send s;

	memset(&s, 0, sizeof(s));
	s.dest = CLIENT_DEST_BROADCAST;
	return ipc_send(ch, IPC_NET_SEND_DHCP, &s, sizeof(s));
}

static int snd_net_frame(struct ipc_chan *ch)
{
	static struct ipc_frame f;

	memset(&f, 0, sizeof(f));
	return ipc_send(ch, IPC_NET_FRAME, &f, sizeof(f));
}

static int snd_net_link(struct ipc_chan *ch)
{
	struct ipc_link k = { .up = 1, .mac = { 2, 0, 0, 0, 2, 0x64 } };

	return ipc_send(ch, IPC_NET_LINK, &k, sizeof(k));
}

static int snd_ctl_user(struct ipc_chan *ch)
{
	struct ipc_user u = { .request = IPC_USER_STOP };

	return ipc_send(ch, IPC_CTL_USER, &u, sizeof(u));
}

static int snd_ctl_status(struct ipc_chan *ch)
{
	struct ipc_status s = { .kind = IPC_STATUS_BOUND, .address = LEASE_ADDR };

	return ipc_send(ch, IPC_CTL_STATUS, &s, sizeof(s));
}

static int snd_apply_result(struct ipc_chan *ch)
{
	struct ipc_result r = { .applied = 1, .address = LEASE_ADDR };

	return ipc_send(ch, IPC_APPLY_RESULT, &r, sizeof(r));
}

static int snd_apply_stored(struct ipc_chan *ch)
{
	static struct ipc_stored s;

	memset(&s, 0, sizeof(s));
	return ipc_send(ch, IPC_APPLY_STORED, &s, sizeof(s));
}

static int snd_apply_mac(struct ipc_chan *ch)
{
	struct ipc_mac m = { .mac = { 2, 0, 0, 0, 2, 0x65 } };

	return ipc_send(ch, IPC_APPLY_MAC, &m, sizeof(m));
}

/* --random-mac=stable: the engine names a network (never an address). */
static int send_switch(struct ipc_chan *ch, uint32_t server, uint32_t subnet, uint8_t prefix,
		       size_t len)
{
	struct { struct ipc_fingerprint fp; uint8_t more[4]; } b;

	memset(&b, 0, sizeof(b));
	b.fp.server_id = server;
	b.fp.subnet = subnet;
	b.fp.prefix = prefix;
	return ipc_send(ch, IPC_APPLY_SWITCH_MAC, &b, len);
}

#define FP_LEN sizeof(struct ipc_fingerprint)

static int snd_switch(struct ipc_chan *ch)
{
	return send_switch(ch, LEASE_GW, IP4(192, 0, 2, 0), 24, FP_LEN);
}

static int snd_switch_twice(struct ipc_chan *ch)
{
	int r = snd_switch(ch);

	return r < 0 ? r : send_switch(ch, IP4(198, 51, 100, 1), IP4(198, 51, 100, 0), 24, FP_LEN);
}

static int snd_switch_host_bits(struct ipc_chan *ch)
{
	return send_switch(ch, LEASE_GW, LEASE_ADDR, 24, FP_LEN);
}

static int snd_switch_prefix_0(struct ipc_chan *ch)
{
	return send_switch(ch, LEASE_GW, 0, 0, FP_LEN);
}

static int snd_switch_prefix_33(struct ipc_chan *ch)
{
	return send_switch(ch, LEASE_GW, IP4(192, 0, 2, 0), 33, FP_LEN);
}

static int snd_switch_server_bcast(struct ipc_chan *ch)
{
	return send_switch(ch, 0xffffffffu, IP4(192, 0, 2, 0), 24, FP_LEN);
}

static int snd_switch_short(struct ipc_chan *ch)
{
	return send_switch(ch, LEASE_GW, IP4(192, 0, 2, 0), 24, FP_LEN - 1);
}

static int snd_switch_long(struct ipc_chan *ch)
{
	return send_switch(ch, LEASE_GW, IP4(192, 0, 2, 0), 24, FP_LEN + 1);
}

/* A valid lease event sent with a wrong body length. */
static int send_event_len(struct ipc_chan *ch, uint16_t type, size_t len)
{
	static uint8_t body[sizeof(struct ipc_lease_event) + 8];
	struct ipc_lease_event ev;

	base_event(&ev);
	sent = ev.lease;
	memset(body, 0, sizeof(body));
	memcpy(body, &ev, sizeof(ev));
	return ipc_send(ch, type, body, len);
}

static int snd_conf_short(struct ipc_chan *ch)
{
	return send_event_len(ch, IPC_APPLY_CONFIGURE, EV_LEN - 1);
}

static int snd_conf_long(struct ipc_chan *ch)
{
	return send_event_len(ch, IPC_APPLY_CONFIGURE, EV_LEN + 1);
}

static int snd_conf_empty(struct ipc_chan *ch)
{
	return send_event_len(ch, IPC_APPLY_CONFIGURE, 0);
}

static int snd_persist_short(struct ipc_chan *ch)
{
	return send_event_len(ch, IPC_APPLY_PERSIST, EV_LEN - 1);
}

static int snd_persist_counts(struct ipc_chan *ch)
{
	return send_event(ch, IPC_APPLY_PERSIST, ed_n_dns_9);
}

static int send_deconf(struct ipc_chan *ch, uint32_t addr, uint8_t reason, uint8_t keep,
		       size_t len)
{
	uint8_t body[sizeof(struct ipc_deconfigure) + 1] = { 0 };
	struct ipc_deconfigure d = { .address = addr, .reason = reason, .keep = keep };

	memcpy(body, &d, sizeof(d));
	return ipc_send(ch, IPC_APPLY_DECONFIGURE, body, len);
}

#define DC_LEN sizeof(struct ipc_deconfigure)

static int snd_deconf_short(struct ipc_chan *ch)
{
	return send_deconf(ch, LEASE_ADDR, CLIENT_HOOK_STOP, 0, DC_LEN - 1);
}

static int snd_deconf_long(struct ipc_chan *ch)
{
	return send_deconf(ch, LEASE_ADDR, CLIENT_HOOK_STOP, 0, DC_LEN + 1);
}

static int snd_deconf_reason(struct ipc_chan *ch)
{
	return send_deconf(ch, LEASE_ADDR, CLIENT_HOOK_RELEASE + 1, 0, DC_LEN);
}

static int snd_deconf_keep_2(struct ipc_chan *ch)
{
	return send_deconf(ch, LEASE_ADDR, CLIENT_HOOK_STOP, 2, DC_LEN);
}

static int snd_drop_body(struct ipc_chan *ch)
{
	uint8_t one = 0;

	return ipc_send(ch, IPC_APPLY_DROP, &one, 1);
}

/* IGNORE: nothing may change; the sync CONFIGURE follows. */
static int snd_deconf_loopback(struct ipc_chan *ch)
{
	return send_deconf(ch, IP4(127, 0, 0, 1), CLIENT_HOOK_STOP, 0, DC_LEN);
}

static int snd_deconf_zero(struct ipc_chan *ch)
{
	return send_deconf(ch, 0, CLIENT_HOOK_RELEASE, 0, DC_LEN);
}

static int snd_deconf_limited_bcast(struct ipc_chan *ch)
{
	return send_deconf(ch, IP4(255, 255, 255, 255), CLIENT_HOOK_EXPIRE, 0, DC_LEN);
}

/* The operator's own address on the link (test_hostile_engine.py puts it
 * there): not lessee's to remove, whatever the engine says. */
static int snd_deconf_operator(struct ipc_chan *ch)
{
	return send_deconf(ch, IP4(192, 0, 2, 200), CLIENT_HOOK_STOP, 0, DC_LEN);
}

static int snd_deconf_multicast(struct ipc_chan *ch)
{
	return send_deconf(ch, IP4(224, 0, 0, 1), CLIENT_HOOK_FAIL, 0, DC_LEN);
}

static int snd_persist_loopback(struct ipc_chan *ch)
{
	return send_event(ch, IPC_APPLY_PERSIST, ed_addr_loopback);
}

static int snd_persist_semicolon(struct ipc_chan *ch)
{
	return send_event(ch, IPC_APPLY_PERSIST, ed_domain_semicolon);
}

/* ---- the cases ----------------------------------------------------------- */

#define BAD_MSG "bad message from the engine: Bad message"
#define REFUSED(type, why) "refused " type " from the engine: " why
#define NOT_HERE "message type not allowed on this channel"
#define SIZE     "wrong body size for the message type"
#define COUNT    "lease list count over its bound"

#define EXIT_SEND(n, log, fn)   { n, WANT_EXIT, log, NULL, fn, { NULL } }
#define EXIT_EDIT(n, log, ed)   { n, WANT_EXIT, REFUSED("APPLY_CONFIGURE", log), ed, NULL, { NULL } }
#define REFUSE(n, log, ed)      { n, WANT_REFUSE, log, ed, NULL, { NULL } }
#define IGNORE(n, log, fn)      { n, WANT_IGNORE, log, NULL, fn, { NULL } }

static const struct hcase cases[] = {
	/* Controls: success is visible (then undone). */
	{ "control-valid-lease-applied", WANT_APPLY, "applied 192.0.2.77/24", NULL, NULL, { NULL } },
	{ "control-tunnelvision-with-accept-route-override", WANT_APPLY, "applied 192.0.2.77/24",
	  ed_tunnelvision, NULL, { "--accept-route-override", NULL } },

	/* Framing (src/os/ipc.c): apply exits. */
	EXIT_SEND("frame-short-record", BAD_MSG, snd_short_record),
	EXIT_SEND("frame-declared-length-over-record", BAD_MSG, snd_len_over),
	EXIT_SEND("frame-declared-length-under-record", BAD_MSG, snd_len_under),
	EXIT_SEND("frame-declared-length-4G", BAD_MSG, snd_len_huge),
	EXIT_SEND("frame-reserved-bit-0", BAD_MSG, snd_reserved_low),
	EXIT_SEND("frame-reserved-bit-15", BAD_MSG, snd_reserved_high),
	EXIT_SEND("frame-seq-skips-1", BAD_MSG, snd_seq_skip),
	EXIT_SEND("frame-seq-zero", BAD_MSG, snd_seq_zero),
	EXIT_SEND("frame-seq-replayed", BAD_MSG, snd_seq_replay),
	EXIT_SEND("frame-type-zero", BAD_MSG, snd_type_zero),
	EXIT_SEND("frame-record-over-ipc-buf-max", BAD_MSG, snd_over_buf_max),
	EXIT_SEND("frame-record-64k", BAD_MSG, snd_huge_record),

	/* Direction and size (ipc_msg_check): apply exits. */
	EXIT_SEND("type-unknown-count", REFUSED("UNKNOWN", "unknown message type"), snd_type_count),
	EXIT_SEND("type-unknown-ffff", REFUSED("UNKNOWN", "unknown message type"), snd_type_ffff),
	EXIT_SEND("type-net-send-dhcp", REFUSED("NET_SEND_DHCP", NOT_HERE), snd_net_send_dhcp),
	EXIT_SEND("type-net-frame", REFUSED("NET_FRAME", NOT_HERE), snd_net_frame),
	EXIT_SEND("type-net-link", REFUSED("NET_LINK", NOT_HERE), snd_net_link),
	EXIT_SEND("type-ctl-user", REFUSED("CTL_USER", NOT_HERE), snd_ctl_user),
	EXIT_SEND("type-ctl-status", REFUSED("CTL_STATUS", NOT_HERE), snd_ctl_status),
	EXIT_SEND("type-apply-result-reflected", REFUSED("APPLY_RESULT", NOT_HERE), snd_apply_result),
	EXIT_SEND("type-apply-stored-reflected", REFUSED("APPLY_STORED", NOT_HERE), snd_apply_stored),
	EXIT_SEND("size-configure-one-short", REFUSED("APPLY_CONFIGURE", SIZE), snd_conf_short),
	EXIT_SEND("size-configure-one-long", REFUSED("APPLY_CONFIGURE", SIZE), snd_conf_long),
	EXIT_SEND("size-configure-empty", REFUSED("APPLY_CONFIGURE", SIZE), snd_conf_empty),
	EXIT_SEND("size-persist-one-short", REFUSED("APPLY_PERSIST", SIZE), snd_persist_short),
	EXIT_SEND("size-deconfigure-one-short", REFUSED("APPLY_DECONFIGURE", SIZE), snd_deconf_short),
	EXIT_SEND("size-deconfigure-one-long", REFUSED("APPLY_DECONFIGURE", SIZE), snd_deconf_long),
	EXIT_SEND("size-drop-with-body", REFUSED("APPLY_DROP", SIZE), snd_drop_body),

	/* Fields the catalogue checks: apply exits. */
	EXIT_EDIT("enum-reason-past-release", "lease event reason out of range",
		  ed_reason_past_release),
	EXIT_EDIT("enum-reason-255", "lease event reason out of range", ed_reason_255),
	EXIT_EDIT("flag-anonymous-2", "lease event reason out of range", ed_anonymous_2),
	EXIT_SEND("enum-deconfigure-reason-past-release",
		  REFUSED("APPLY_DECONFIGURE", "deconfigure reason out of range"), snd_deconf_reason),
	EXIT_SEND("flag-deconfigure-keep-2",
		  REFUSED("APPLY_DECONFIGURE", "deconfigure reason out of range"), snd_deconf_keep_2),
	EXIT_EDIT("count-routers-9", COUNT, ed_n_routers_9),
	EXIT_EDIT("count-dns-9", COUNT, ed_n_dns_9),
	EXIT_EDIT("count-dns-255", COUNT, ed_n_dns_255),
	EXIT_EDIT("count-ntp-9", COUNT, ed_n_ntp_9),
	EXIT_EDIT("count-search-7", COUNT, ed_n_search_7),
	EXIT_EDIT("count-routes-17", COUNT, ed_n_routes_17),
	EXIT_EDIT("count-routes-255", COUNT, ed_n_routes_255),
	EXIT_SEND("count-dns-9-in-persist", REFUSED("APPLY_PERSIST", COUNT), snd_persist_counts),
	EXIT_EDIT("prefix-33", "lease prefix over 32", ed_prefix_33),
	EXIT_EDIT("prefix-255", "lease prefix over 32", ed_prefix_255),
	EXIT_EDIT("route-prefix-33", "lease route prefix over 32", ed_route_prefix_33),
	EXIT_EDIT("domain-unterminated", "lease domain name not terminated",
		  ed_domain_unterminated),
	EXIT_EDIT("search-unterminated", "lease search entry not terminated",
		  ed_search_unterminated),

	/* Policy (validate_lease): refused, logged, apply goes on. */
	REFUSE("flag-prefix-from-server-2", "prefix_from_server is 2, not 0 or 1", ed_flag_2),
	REFUSE("addr-127.0.0.1", "address 127.0.0.1 is in 127.0.0.0/8 (loopback)",
	       ed_addr_loopback),
	REFUSE("addr-127.255.255.254", "address 127.255.255.254 is in 127.0.0.0/8 (loopback)",
	       ed_addr_loopback_top),
	REFUSE("addr-224.0.0.1", "address 224.0.0.1 is in 224.0.0.0/4 (multicast)",
	       ed_addr_multicast),
	REFUSE("addr-239.255.255.250", "address 239.255.255.250 is in 224.0.0.0/4 (multicast)",
	       ed_addr_multicast_top),
	REFUSE("addr-0.0.0.0", "address 0.0.0.0 is in 0.0.0.0/8 (this network)", ed_addr_zero),
	REFUSE("addr-0.1.2.3", "address 0.1.2.3 is in 0.0.0.0/8 (this network)", ed_addr_this_net),
	REFUSE("addr-240.0.0.1", "address 240.0.0.1 is in 240.0.0.0/4 (reserved, limited broadcast)",
	       ed_addr_reserved),
	REFUSE("addr-255.255.255.255",
	       "address 255.255.255.255 is in 240.0.0.0/4 (reserved, limited broadcast)",
	       ed_addr_limited_bcast),
	REFUSE("addr-169.254.10.20", "address 169.254.10.20 is in 169.254.0.0/16 (link-local)",
	       ed_addr_link_local),
	REFUSE("addr-network-of-prefix", "address 192.0.2.0 is the network address of its /24",
	       ed_addr_network),
	REFUSE("addr-broadcast-of-prefix", "address 192.0.2.255 is the broadcast address of its /24",
	       ed_addr_subnet_bcast),
	REFUSE("prefix-0", "prefix /0 for 192.0.2.77 is not 1..30 or 32", ed_prefix_0),
	REFUSE("prefix-31", "prefix /31 for 192.0.2.77 is not 1..30 or 32", ed_prefix_31),
	REFUSE("prefix-7-wider-than-8", "prefix 192.0.0.0/7 is wider than /8", ed_prefix_7),
	REFUSE("prefix-32-subnet-broadcast",
	       "broadcast 192.0.2.255 does not match 192.0.2.77/32", ed_prefix_32_bad_bcast),
	REFUSE("broadcast-inconsistent", "broadcast 192.0.2.127 does not match 192.0.2.77/24",
	       ed_broadcast_wrong),
	REFUSE("route-tunnelvision-split-default",
	       "classless route 0.0.0.0/1 via 192.0.2.1 covers part of the default route",
	       ed_tunnelvision),
	REFUSE("route-128.0.0.0/1",
	       "classless route 128.0.0.0/1 via 192.0.2.1 covers part of the default route",
	       ed_route_half_high),
	REFUSE("route-64.0.0.0/4",
	       "classless route 64.0.0.0/4 via 192.0.2.1 covers part of the default route",
	       ed_route_slash_4),
	REFUSE("route-over-loopback-prefix",
	       "classless route 127.0.0.0/8 overlaps local prefix 127.0.0.0/8",
	       ed_route_over_loopback),
	REFUSE("route-host-bits", "classless route 198.51.100.1/24 has bits past its prefix",
	       ed_route_host_bits),
	REFUSE("route-gateway-off-link",
	       "classless route 198.51.100.0/24: gateway 203.0.113.1 is not on-link",
	       ed_route_gw_offlink),
	REFUSE("route-gateway-multicast",
	       "classless route 198.51.100.0/24: gateway 224.0.0.1 is not a unicast address",
	       ed_route_gw_multicast),
	REFUSE("route-gateway-is-self",
	       "classless route 198.51.100.0/24: gateway 192.0.2.77 is our own address",
	       ed_route_gw_self),
	REFUSE("router-off-link",
	       "router 198.51.100.1 is not on-link and no classless route reaches it",
	       ed_router_offlink),
	REFUSE("router-127.0.0.1", "router 127.0.0.1 is not a unicast address", ed_router_loopback),
	REFUSE("router-0.0.0.0", "router 0.0.0.0 is not a unicast address", ed_router_zero),
	REFUSE("router-is-self", "router 192.0.2.77 is our own address", ed_router_self),
	REFUSE("router-subnet-broadcast",
	       "router 192.0.2.255 is the broadcast address of our prefix", ed_router_subnet_bcast),
	REFUSE("dns-127.0.0.1", "DNS server 127.0.0.1 is not a unicast address", ed_dns_loopback),
	REFUSE("dns-255.255.255.255", "DNS server 255.255.255.255 is not a unicast address",
	       ed_dns_limited_bcast),
	REFUSE("ntp-224.0.1.1", "NTP server 224.0.1.1 is not a unicast address", ed_ntp_multicast),
	REFUSE("server-id-0.0.0.0", "server identifier 0.0.0.0 is not unicast", ed_server_id_zero),
	/* MTU 0 is "no option 26" (client.h), not a value: the controls send it
	 * and check the link's MTU stays as it was. */
	REFUSE("mtu-67", "MTU 67 is under 576", ed_mtu_67),
	REFUSE("mtu-1", "MTU 1 is under 576", ed_mtu_1),
	REFUSE("mtu-575", "MTU 575 is under 576", ed_mtu_575),
	REFUSE("lease-time-0", "lease time is 0", ed_lease_0),
	REFUSE("t1-after-t2", "T1 3150 s, T2 1800 s, lease 3600 s are not T1 <= T2 <= lease",
	       ed_t1_after_t2),
	REFUSE("domain-semicolon", "domain name \"example.test;reboot\" is not a host name",
	       ed_domain_semicolon),
	REFUSE("domain-dollar-paren", "domain name \"$(reboot).example.test\" is not a host name",
	       ed_domain_dollar),
	REFUSE("domain-backquote", "domain name \"`reboot`.example.test\" is not a host name",
	       ed_domain_backquote),
	REFUSE("domain-quote", "domain name \"example.test'\" is not a host name", ed_domain_quote),
	REFUSE("domain-double-quote", "domain name \"example.test\\\"\" is not a host name",
	       ed_domain_dquote),
	REFUSE("domain-newline",
	       "domain name \"example.test\\u000anameserver 203.0.113.66\" is not a host name",
	       ed_domain_newline),
	REFUSE("domain-space", "domain name \"example.test reboot\" is not a host name",
	       ed_domain_space),
	REFUSE("domain-pipe", "domain name \"example.test|reboot\" is not a host name",
	       ed_domain_pipe),
	REFUSE("domain-ampersand", "domain name \"example.test&reboot\" is not a host name",
	       ed_domain_amp),
	REFUSE("domain-backslash", "domain name \"example\\\\.test\" is not a host name",
	       ed_domain_backslash),
	REFUSE("domain-embedded-nul", "domain name is not one NUL-terminated string", ed_domain_nul),
	REFUSE("search-semicolon", "search domain 0 \"example.test;reboot\" is not a host name",
	       ed_search_semicolon),
	REFUSE("search-dollar-paren", "search domain 0 \"$(reboot).example.test\" is not a host name",
	       ed_search_dollar),
	REFUSE("search-backquote", "search domain 0 \"`reboot`.example.test\" is not a host name",
	       ed_search_backquote),
	REFUSE("search-quote", "search domain 0 \"example.test'\" is not a host name",
	       ed_search_quote),
	REFUSE("search-newline",
	       "search domain 0 \"example.test\\u000anameserver 203.0.113.66\" is not a host name",
	       ed_search_newline),
	REFUSE("search-embedded-nul", "search domain 0 is not one NUL-terminated string",
	       ed_search_nul),
	{ "policy-deny", WANT_REFUSE, "address 192.0.2.77 is inside denied prefix 192.0.2.0/24",
	  NULL, NULL, { "--deny", "192.0.2.0/24", NULL } },
	{ "policy-allow-elsewhere", WANT_REFUSE, "address 192.0.2.77 is outside every allowed prefix",
	  NULL, NULL, { "--allow", "198.51.100.0/24", NULL } },

	/* --random-mac=stable's one request: in that mode, once, well formed. */
	EXIT_SEND("type-apply-mac", REFUSED("APPLY_MAC", NOT_HERE), snd_apply_mac),
	EXIT_SEND("switch-mac-not-random", REFUSED("APPLY_SWITCH_MAC",
		  "not in --random-mac=stable mode"), snd_switch),
	{ "switch-mac-per-start-mode", WANT_EXIT,
	  REFUSED("APPLY_SWITCH_MAC", "not in --random-mac=stable mode"), NULL, snd_switch,
	  { "--random-mac", NULL } },
	{ "switch-mac-twice", WANT_EXIT,
	  REFUSED("APPLY_SWITCH_MAC", "a second switch in one start"), NULL, snd_switch_twice,
	  { "--random-mac=stable", NULL } },
	{ "switch-mac-host-bits", WANT_EXIT,
	  REFUSED("APPLY_SWITCH_MAC", "fingerprint: subnet has host bits set"), NULL,
	  snd_switch_host_bits, { "--random-mac=stable", NULL } },
	{ "switch-mac-prefix-0", WANT_EXIT,
	  REFUSED("APPLY_SWITCH_MAC", "fingerprint: prefix not in 1..32"), NULL,
	  snd_switch_prefix_0, { "--random-mac=stable", NULL } },
	{ "switch-mac-prefix-33", WANT_EXIT,
	  REFUSED("APPLY_SWITCH_MAC", "fingerprint: prefix not in 1..32"), NULL,
	  snd_switch_prefix_33, { "--random-mac=stable", NULL } },
	{ "switch-mac-server-broadcast", WANT_EXIT,
	  REFUSED("APPLY_SWITCH_MAC", "fingerprint: server identifier is not a unicast address"),
	  NULL, snd_switch_server_bcast, { "--random-mac=stable", NULL } },
	{ "switch-mac-short", WANT_EXIT, REFUSED("APPLY_SWITCH_MAC", SIZE), NULL,
	  snd_switch_short, { "--random-mac=stable", NULL } },
	{ "switch-mac-long", WANT_EXIT, REFUSED("APPLY_SWITCH_MAC", SIZE), NULL,
	  snd_switch_long, { "--random-mac=stable", NULL } },

	/* Handled without touching anything; apply goes on. */
	IGNORE("deconfigure-127.0.0.1", NULL, snd_deconf_loopback),
	IGNORE("deconfigure-0.0.0.0", NULL, snd_deconf_zero),
	IGNORE("deconfigure-255.255.255.255", NULL, snd_deconf_limited_bcast),
	IGNORE("deconfigure-224.0.0.1", NULL, snd_deconf_multicast),
	IGNORE("deconfigure-operators-address",
	       "deconfigure of 192.0.2.200 ignored: not an address lessee applied or stored",
	       snd_deconf_operator),
	IGNORE("persist-loopback-lease",
	       "lease not stored: address 127.0.0.1 is in 127.0.0.0/8 (loopback)",
	       snd_persist_loopback),
	IGNORE("persist-semicolon-domain",
	       "lease not stored: domain name \"example.test;reboot\" is not a host name",
	       snd_persist_semicolon),
};

/* ---- observing the namespace --------------------------------------------- */

static unsigned mask_len(const struct sockaddr *sa)
{
	uint32_t m = sa ? ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr) : 0;

	return (unsigned)__builtin_popcount(m);
}

/* "ifname a.b.c.d/len" per IPv4 address, on every interface. */
static void snap_addrs(char *out, size_t cap)
{
	struct ifaddrs *all, *i;
	size_t len = 0;

	out[0] = '\0';
	if (getifaddrs(&all) != 0) {
		snprintf(out, cap, "(getifaddrs: %s)", strerror(errno));
		return;
	}
	for (i = all; i; i = i->ifa_next) {
		char a[INET_ADDRSTRLEN];
		const struct sockaddr_in *sin = (const struct sockaddr_in *)(const void *)i->ifa_addr;

		if (!sin || sin->sin_family != AF_INET || len + 1 >= cap)
			continue;
		inet_ntop(AF_INET, &sin->sin_addr, a, sizeof(a));
		len += (size_t)snprintf(out + len, cap - len, "%s %s/%u; ", i->ifa_name, a,
					mask_len(i->ifa_netmask));
	}
	freeifaddrs(all);
}

static int link_mtu(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int mtu = -1;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", world.ifname);
	if (fd >= 0 && ioctl(fd, SIOCGIFMTU, &ifr) == 0)
		mtu = ifr.ifr_mtu;
	if (fd >= 0)
		close(fd);
	return mtu;
}

static void link_mac(char out[18])
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	const uint8_t *m = (const uint8_t *)ifr.ifr_hwaddr.sa_data;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", world.ifname);
	if (fd >= 0 && ioctl(fd, SIOCGIFHWADDR, &ifr) == 0)
		snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
			 m[5]);
	else
		snprintf(out, 18, "?");
	if (fd >= 0)
		close(fd);
}

static void snapshot(struct snapshot *s)
{
	snap_addrs(s->addrs, sizeof(s->addrs));
	read_file("/proc/net/route", s->routes, sizeof(s->routes));   /* this netns */
	read_file(world.resolv, s->resolv, sizeof(s->resolv));
	s->mtu = link_mtu();
	link_mac(s->mac);
	s->lease_file = access(world.lease, F_OK) == 0;
}

/* What changed from a to b; the resolv.conf only if check_resolv. */
static const char *snap_diff(const struct snapshot *a, const struct snapshot *b,
			     bool check_resolv)
{
	if (strcmp(a->addrs, b->addrs) != 0)
		return failf("addresses changed: [%s] -> [%s]", a->addrs, b->addrs);
	if (strcmp(a->routes, b->routes) != 0)
		return failf("routes changed:\n%s->\n%s", a->routes, b->routes);
	if (a->mtu != b->mtu)
		return failf("MTU of %s changed: %d -> %d", world.ifname, a->mtu, b->mtu);
	if (strcmp(a->mac, b->mac) != 0)
		return failf("MAC of %s not put back: %s -> %s", world.ifname, a->mac, b->mac);
	if (check_resolv && strcmp(a->resolv, b->resolv) != 0)
		return failf("%s changed: [%s] -> [%s]", world.resolv, a->resolv, b->resolv);
	if (b->lease_file)
		return failf("a lease file %s was written", world.lease);
	return NULL;
}

/* A line of /proc/net/route for dst/len via gw on our interface. */
static bool route_present(uint32_t dst, unsigned len, uint32_t gw)
{
	static char text[SNAP_MAX];
	char ifn[IF_NAMESIZE + 1];
	unsigned d, g, flags, ref, use, metric, m;
	uint32_t mask = len ? UINT32_MAX << (32 - len) : 0;

	read_file("/proc/net/route", text, sizeof(text));
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		/* The kernel prints the __be32 values as raw 32-bit hex. */
		if (sscanf(line, "%16s %x %x %x %u %u %u %x", ifn, &d, &g, &flags, &ref, &use,
			   &metric, &m) != 8)
			continue;
		if (strcmp(ifn, world.ifname) == 0 && d == htonl(dst) && m == htonl(mask) &&
		    g == htonl(gw))
			return true;
	}
	return false;
}

/* ---- one apply process --------------------------------------------------- */

/* apply as the supervisor starts it; spawn_role (hostile_common.c) places
 * the channel and the log. */
static const char *spawn(struct role_proc *ap, const struct hcase *c, unsigned idx)
{
	const char *argv[20];
	char log_path[PATH_MAX];
	size_t n = 0;

	argv[n++] = world.bin;
	argv[n++] = "--role";
	argv[n++] = "apply";
	argv[n++] = "-d";
	argv[n++] = "--resolv-conf";
	argv[n++] = world.resolv;
	argv[n++] = "-lf";
	argv[n++] = world.lease;
	for (size_t i = 0; i < sizeof(c->opt) / sizeof(c->opt[0]) && c->opt[i]; i++)
		argv[n++] = c->opt[i];
	argv[n++] = world.ifname;
	argv[n] = NULL;
	snprintf(log_path, sizeof(log_path), "%s/apply-%03u.log", world.dir, idx);
	return spawn_role(ap, argv, log_path, "apply");
}

/* One message from apply within WAIT_MS, of the type wanted, checked
 * against the catalogue like any receiver does. */
static const char *recv_msg(struct role_proc *ap, uint16_t want, void *out, size_t size)
{
	static uint8_t buf[IPC_BUF_MAX];
	struct pollfd p = { ap->ch.fd, POLLIN, 0 };
	struct ipc_hdr h;
	const void *body;
	const char *bad;
	ssize_t n;

	if (poll(&p, 1, WAIT_MS) <= 0)
		return failf("no %s from apply within %u ms", ipc_type_name(want), WAIT_MS);
	n = ipc_recv(&ap->ch, buf, sizeof(buf), &h, &body);
	if (n < 0)
		return failf("apply's record breaks the framing: %s", strerror((int)-n));
	if (n == 0 && h.type == 0)
		return failf("apply closed the channel instead of sending %s (%s)",
			     ipc_type_name(want), wait_exit(ap) ? exit_text(ap->status) : "running");
	if (h.type != want)
		return failf("apply sent %s, expected %s", ipc_type_name(h.type), ipc_type_name(want));
	bad = ipc_msg_check(IPC_PEER_APPLY, IPC_PEER_ENGINE, h.type, body, (size_t)n);
	if (bad)
		return failf("apply's %s fails the catalogue: %s", ipc_type_name(h.type), bad);
	memcpy(out, body, size);
	return NULL;
}

/* apply's first words: the stored lease, and there is none. */
static const char *expect_stored(struct role_proc *ap)
{
	struct ipc_stored st;
	const char *why = recv_msg(ap, IPC_APPLY_STORED, &st, sizeof(st));

	if (why)
		return why;
	if (st.present)
		return failf("apply offers a stored lease, but none was ever stored");
	return NULL;
}

static bool with_random_mac(const struct hcase *c)
{
	for (size_t i = 0; c->opt[i]; i++)
		if (strncmp(c->opt[i], "--random-mac", 12) == 0)
			return true;
	return false;
}

/* --random-mac: apply's first words name the address it set, a new one. */
static const char *expect_mac(struct role_proc *ap, const char *before)
{
	struct ipc_mac m;
	char now[18];
	const char *why = recv_msg(ap, IPC_APPLY_MAC, &m, sizeof(m));

	if (why)
		return why;
	link_mac(now);
	if (strcmp(now, before) == 0)
		return failf("--random-mac: the link kept its MAC %s", now);
	return NULL;
}

/* ---- apply's log --------------------------------------------------------- */

/* A sanitizer report also ends in exit status 1: never take it for a refusal. */
static const char *log_clean(const struct role_proc *ap, bool may_apply)
{
	if (log_has_sanitizer_report(ap))
		return failf("a sanitizer report in apply's log");
	if (!may_apply && strstr(log_text(ap), "lessee[apply]: applied "))
		return failf("apply logged that it applied a lease");
	return NULL;
}

/* ---- outcomes ------------------------------------------------------------ */

/* A refusal must leave apply running; closing the channel then ends it
 * cleanly (status 0: "the engine is gone"). */
static const char *after_refusal(struct role_proc *ap)
{
	if (!still_running(ap))
		return failf("apply exited (%s) instead of going on", exit_text(ap->status));
	close_chan(ap);
	if (!wait_exit(ap))
		return failf("apply still running %u ms after the channel closed", WAIT_MS);
	if (!WIFEXITED(ap->status) || WEXITSTATUS(ap->status) != 0)
		return failf("apply ended with %s at the end of the channel, want status 0",
			     exit_text(ap->status));
	return NULL;
}

static const char *expect_exit(struct role_proc *ap, const struct hcase *c)
{
	if (!wait_exit(ap))
		return failf("apply still running %u ms after the record", WAIT_MS);
	if (!WIFEXITED(ap->status) || WEXITSTATUS(ap->status) == 0)
		return failf("apply ended with %s, want a non-zero exit", exit_text(ap->status));
	if (!log_line_has(ap, "lessee[apply]: ", c->log))
		return failf("apply's log lacks \"%s\"", c->log);
	return NULL;
}

static const char *expect_result(struct role_proc *ap, uint8_t applied)
{
	struct ipc_result res;
	const char *why = recv_msg(ap, IPC_APPLY_RESULT, &res, sizeof(res));

	if (why)
		return why;
	if (res.applied && !applied) {
		/* Undo it before saying so: the next case starts clean. */
		send_deconf(&ap->ch, res.address, CLIENT_HOOK_STOP, 0, DC_LEN);
		return failf("apply APPLIED it (RESULT applied=1)");
	}
	if (!res.applied && applied)
		return failf("apply refused the lease (RESULT applied=0)");
	if (res.address != sent.address)
		return failf("RESULT names %08x, the lease was for %08x", res.address, sent.address);
	return NULL;
}

static const char *expect_refuse(struct role_proc *ap, const struct hcase *c)
{
	const char *why = expect_result(ap, 0);

	if (why)
		return why;
	if (!log_line_has(ap, "lessee[apply]: lease refused: ", c->log))
		return failf("apply's log lacks \"lease refused: ...%s\"", c->log);
	return after_refusal(ap);
}

/* The case's records get no answer; a refused CONFIGURE behind them does,
 * so they were handled (in order) by the time it comes. */
static const char *expect_ignore(struct role_proc *ap, const struct hcase *c)
{
	int r = send_event(&ap->ch, IPC_APPLY_CONFIGURE, ed_sync);
	const char *why;

	if (r < 0)
		return failf("sending the sync CONFIGURE: %s", strerror(-r));
	if ((why = expect_result(ap, 0)) != NULL)
		return why;
	if (!log_line_has(ap, "lease refused: ", "address 0.0.0.0 is in 0.0.0.0/8"))
		return failf("apply's log lacks the sync CONFIGURE's refusal");
	if (c->log && !log_line_has(ap, "lessee[apply]: ", c->log))
		return failf("apply's log lacks \"%s\"", c->log);
	return after_refusal(ap);
}

/* What apply installs for a lease: option 121 routes, else a default
 * route via the first router (RFC 3442). */
static const char *check_routes(const struct client_lease *l)
{
	if (l->n_routes == 0 && !route_present(0, 0, l->routers[0]))
		return failf("no default route via the router");
	for (unsigned i = 0; i < l->n_routes; i++)
		if (!route_present(l->routes[i].dst, l->routes[i].prefix, l->routes[i].gateway))
			return failf("classless route %u (%08x/%u) not installed", i,
				     l->routes[i].dst, l->routes[i].prefix);
	return NULL;
}

/* The controls: applied as sent, then deconfigured again. */
static const char *expect_apply(struct role_proc *ap, const struct hcase *c,
				const struct snapshot *before)
{
	struct snapshot now;
	char want[64];
	const char *why = expect_result(ap, 1);

	if (why)
		return why;
	snapshot(&now);
	snprintf(want, sizeof(want), "%s 192.0.2.77/24;", world.ifname);
	if (!strstr(now.addrs, want))
		why = failf("applied, but %s is not on the system: [%s]", want, now.addrs);
	else if ((why = check_routes(&sent)) != NULL)
		;
	else if (!strstr(now.resolv, "nameserver 192.0.2.53"))
		why = failf("applied, but %s lacks the name server: [%s]", world.resolv, now.resolv);
	else if (now.mtu != before->mtu)   /* mtu 0: the lease has none */
		why = failf("MTU changed to %d by a lease without one", now.mtu);
	else if (!log_line_has(ap, "lessee[apply]: ", c->log))
		why = failf("apply's log lacks \"%s\"", c->log);
	send_deconf(&ap->ch, LEASE_ADDR, CLIENT_HOOK_STOP, 0, DC_LEN);
	return why ? why : after_refusal(ap);
}

static const char *expect(struct role_proc *ap, const struct hcase *c,
			  const struct snapshot *before)
{
	switch (c->want) {
	case WANT_EXIT:
		return expect_exit(ap, c);
	case WANT_REFUSE:
		return expect_refuse(ap, c);
	case WANT_IGNORE:
		return expect_ignore(ap, c);
	case WANT_APPLY:
		return expect_apply(ap, c, before);
	}
	return "unknown expectation";
}

static const char *run_case(const struct hcase *c, unsigned idx)
{
	struct snapshot before, after;
	struct role_proc ap;
	const char *why;

	snapshot(&before);
	why = spawn(&ap, c, idx);
	if (!why && with_random_mac(c))
		why = expect_mac(&ap, before.mac);
	if (!why)
		why = expect_stored(&ap);
	start_failed = why != NULL;
	if (!why) {
		int r = c->send ? c->send(&ap.ch) : send_event(&ap.ch, IPC_APPLY_CONFIGURE, c->edit);
		/* A record that kills apply may make a later one fail: fine. */
		if (r < 0 && c->want != WANT_EXIT)
			why = failf("sending: %s", strerror(-r));
		else
			why = expect(&ap, c, &before);
	}
	reap(&ap);
	if (!why)
		why = log_clean(&ap, c->want == WANT_APPLY);
	snapshot(&after);
	if (!why)
		why = snap_diff(&before, &after, c->want != WANT_APPLY);
	if (why)
		fprintf(stderr, "--- %s: apply's log (%s):\n%s\n", c->name, ap.log_path, log_tail(&ap));
	return why;
}

int main(int argc, char *argv[])
{
	size_t n = sizeof(cases) / sizeof(cases[0]);
	unsigned failed = 0, start_failures = 0;

	if (argc != 4 || argv[1][0] != '/' || argv[3][0] != '/') {
		fprintf(stderr, "usage: hostile-engine /LESSEE_BIN IFNAME /WORKDIR\n");
		return 2;
	}
	world.bin = argv[1];
	world.ifname = argv[2];
	world.dir = argv[3];
	if ((size_t)snprintf(world.resolv, sizeof(world.resolv), "%s/resolv.conf", world.dir) >=
	    sizeof(world.resolv) ||
	    (size_t)snprintf(world.lease, sizeof(world.lease), "%s/lease", world.dir) >=
	    sizeof(world.lease)) {
		fprintf(stderr, "hostile-engine: WORKDIR too long\n");
		return 2;
	}
	if (if_nametoindex(world.ifname) == 0) {
		fprintf(stderr, "hostile-engine: %s: %s\n", world.ifname, strerror(errno));
		return 2;
	}
	if (access(world.lease, F_OK) == 0) {
		fprintf(stderr, "hostile-engine: %s exists; WORKDIR must be fresh\n", world.lease);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < n; i++) {
		const char *why = run_case(&cases[i], (unsigned)i);

		print_result(cases[i].name, why);
		failed += why != NULL;
		start_failures = start_failed ? start_failures + 1 : 0;
		/* Bounded in time as a whole, not only per wait. */
		if (start_failures == START_FAILURES_MAX) {
			printf("# apply failed to start %u times in a row: stopped\n",
			       START_FAILURES_MAX);
			return 1;
		}
	}
	printf("# %zu cases, %u failed\n", n, failed);
	return failed ? 1 : 0;
}
