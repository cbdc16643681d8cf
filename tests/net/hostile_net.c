/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostile-net: plays a compromised engine on the net role's channel
 * (DESIGN.md "Daemon and privilege separation"; issue 6: "a test harness
 * stands in for the engine on the net and apply sockets and sends every
 * malformed and every out-of-policy request it can (... frames to other
 * ports or MACs): each is refused, logged, and the system state ...
 * unchanged afterwards"). hostile-engine does the apply side.
 *
 *   hostile-net LESSEE_BIN IFNAME WORKDIR
 *   hostile-net --holes LESSEE_BIN IFNAME WORKDIR
 *
 * For each case it starts a fresh net role as the supervisor does (the same
 * binary, `--role net` in front of the options, the channel at fd
 * ROLE_FD_FIRST; net opens its sockets as root, then drops to the lessee
 * user with CAP_NET_RAW, chroot and seccomp), reads the IPC_NET_LINK net
 * sends first (checked against the catalogue and IFNAME's MAC), sends the
 * case's records and checks the outcome:
 *
 *   EXIT  a record net must refuse: the framing (src/os/ipc.c), a type net
 *         may not receive, a wrong body size or a field out of range
 *         (ipc_msg_check), a send request out of policy (ipc_check_send),
 *         a message the builder refuses (dhcp_build), an ARP request for a
 *         non-unicast address. net exits non-zero, not by a signal (a
 *         SIGSYS is its own seccomp filter killing it: a FAIL), and logs
 *         the specific reason: "bad message from the engine: ...",
 *         "refused T from the engine: ...", "refused a send request from
 *         the engine: ..." or "refused an ARP request from the engine: ...".
 *   DROP  a request net passes on and the kernel refuses (a frame over the
 *         link's MTU): net logs the error and goes on.
 *   SENT  the controls: a valid DISCOVER and a valid ARP probe are sent,
 *         net goes on, so the harness is seen to detect success too.
 *
 * A packet socket on IFNAME watches what leaves the interface during each
 * case: nothing for EXIT and DROP, exactly the expected frame for SENT.
 * Every wait is bounded (WAIT_MS). One line per case, "ok NAME" or "FAIL
 * NAME: why"; exit 0 only if every case is ok.
 *
 * --holes runs instead the probes of requests net accepts although an
 * honest engine would never send them (a forged IP source, an ARP
 * announcement of another host's address, ...): one line each, "hole NAME:
 * ..." when net sends it, "closed NAME: ..." when it refuses; exit 0. Not
 * run by the tests (its frames would fail their capture check); by hand, in
 * a lab namespace too, it puts those frames on the link.
 *
 * Run it only inside a throwaway network namespace with no address on
 * IFNAME (tests/net/test_hostile_net.py does): the controls put a DISCOVER
 * and an ARP probe for 192.0.2.77 (TEST-NET-1, RFC 5737) on the link.
 */
#define _GNU_SOURCE 1
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "client/client.h"
#include "hostile_common.h"
#include "lessee/ipc_msg.h"
#include "os/ipc.h"
#include "wire/dhcp.h"
#include "wire/frame.h"

#define START_FAILURES_MAX 3u   /* net does not start at all: stop early */
#define DRAIN_MS   50u          /* stragglers on the wire after a case */
#define PROBE_MS   500u         /* --holes: how long to watch the wire */
#define QUIET_MS   1200u        /* --holes: the kernel retries ARP each 1 s */
#define FRAMES_MAX 8u
#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

#define LEASE_ADDR  IP4(192, 0, 2, 77)
#define SERVER_ADDR IP4(192, 0, 2, 1)       /* the lab's server host */
#define OTHER_HOST  IP4(198, 51, 100, 67)   /* TEST-NET-2: nobody */
#define XID         0x686e6574u             /* "hnet" */
#define BCAST       0xffffffffu

enum want { WANT_EXIT, WANT_DROP, WANT_SENT, WANT_HOLE };

struct hcase {
	const char *name;
	enum want want;
	const char *log;   /* EXIT: the reason net logs; DROP: its warning */
	/* The records: NET_SEND_DHCP of the base request after edit, or send(). */
	void (*edit)(struct client_send *s);
	int (*send)(struct ipc_chan *ch);
	/* SENT: the one frame that must leave IFNAME. */
	bool (*match)(const uint8_t *frame, size_t len);
};

static struct {
	const char *bin, *ifname, *dir;
	int ifindex;
	uint8_t mac[ETH_ADDR_LEN];
	int sniff;   /* AF_PACKET on IFNAME: what leaves it */
} world;

/* Frames that left IFNAME since the case began. */
static struct {
	unsigned n;
	size_t len[FRAMES_MAX];
	uint8_t data[FRAMES_MAX][IPC_FRAME_MAX];
} wire;

/* The case failed before its records: net did not start or say LINK. */
static bool start_failed;

static const uint8_t eth_bcast[ETH_ADDR_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t server_mac[ETH_ADDR_LEN] = { 2, 0, 0, 0, 2, 1 };   /* lab.py */

/* ---- the base request and its edits -------------------------------------- */

/* A DISCOVER as the engine sends it: broadcast, our MAC, an option order. */
static void base_send(struct client_send *s)
{
	static const uint8_t prl[] = { 1, 3, 6, 15, 26, 28, 51, 54, 58, 59 };
	static const uint8_t order[] = { DHCP_OPT_MSG_TYPE, DHCP_OPT_CLIENT_ID,
					 DHCP_OPT_MAX_MSG_SIZE, DHCP_OPT_PRL };
	uint8_t cid[1 + ETH_ADDR_LEN] = { 1 };
	struct dhcp_header h;

	memset(s, 0, sizeof(*s));   /* padding too, as the engine's */
	memset(&h, 0, sizeof(h));
	h.op = BOOTREQUEST;
	h.htype = 1;
	h.hlen = ETH_ADDR_LEN;
	h.xid = XID;
	memcpy(h.chaddr, world.mac, ETH_ADDR_LEN);
	memcpy(cid + 1, world.mac, ETH_ADDR_LEN);
	dhcp_out_init(&s->msg, &h, DHCPDISCOVER);
	dhcp_out_add(&s->msg, DHCP_OPT_CLIENT_ID, cid, sizeof(cid));
	dhcp_out_add_u16(&s->msg, DHCP_OPT_MAX_MSG_SIZE, 1500);
	dhcp_out_add(&s->msg, DHCP_OPT_PRL, prl, sizeof(prl));
	s->dest = CLIENT_DEST_BROADCAST;
	s->src_ip = 0;
	s->dst_ip = BCAST;
	s->n_order = sizeof(order);
	memcpy(s->order, order, sizeof(order));
}

/* An option appended without dhcp_out_add's checks: a hostile engine fills
 * the struct itself. */
static void raw_opt(struct dhcp_out *o, uint8_t code, const void *data, size_t len)
{
	struct dhcp_opt_out *e;

	if (o->n_opts >= DHCP_OUT_MAX_OPTS || len > DHCP_OUT_POOL - o->pool_used)
		abort();   /* a bug in this table, not in net */
	e = &o->opts[o->n_opts++];
	e->code = code;
	e->len = (uint16_t)len;
	e->pool_off = o->pool_used;
	memcpy(o->pool + o->pool_used, data, len);
	o->pool_used = (uint16_t)(o->pool_used + len);
}

static struct dhcp_opt_out *find_opt(struct dhcp_out *o, uint8_t code)
{
	for (size_t i = 0; i < o->n_opts; i++)
		if (o->opts[i].code == code)
			return &o->opts[i];
	abort();
}

static void set_msg_type(struct client_send *s, uint8_t type)
{
	s->msg.pool[find_opt(&s->msg, DHCP_OPT_MSG_TYPE)->pool_off] = type;
}

static void drop_opt(struct dhcp_out *o, uint8_t code)
{
	struct dhcp_opt_out *e = find_opt(o, code);
	size_t i = (size_t)(e - o->opts);

	memmove(e, e + 1, (o->n_opts - i - 1) * sizeof(*e));
	o->n_opts--;
}

/* A REQUEST unicast to dst from src (RENEWING: ciaddr = src). */
static void unicast(struct client_send *s, uint32_t dst, uint32_t src)
{
	set_msg_type(s, DHCPREQUEST);
	s->dest = CLIENT_DEST_UNICAST;
	s->dst_ip = dst;
	s->src_ip = src;
	s->msg.hdr.ciaddr = src;
}

/* A REQUEST broadcast from src (REBINDING: ciaddr = src). */
static void rebind_from(struct client_send *s, uint32_t src)
{
	set_msg_type(s, DHCPREQUEST);
	s->src_ip = src;
	s->msg.hdr.ciaddr = src;
}

static void set_dest(struct client_send *s, uint32_t v)
{
	memcpy(&s->dest, &v, sizeof(v));   /* any bits, as a hostile engine may */
}

/* One edit of the base request per line: s is the request, h its header. */
#define EDIT(fn, ...) \
	static void fn(struct client_send *s) \
	{ \
		struct dhcp_header *h = &s->msg.hdr; \
		(void)h; \
		__VA_ARGS__; \
	}

#define RAW(code, ...) \
	do { \
		static const uint8_t v_[] = { __VA_ARGS__ }; \
		raw_opt(&s->msg, (code), v_, sizeof(v_)); \
	} while (0)

/* The catalogue's shape checks (check_send_shape, check_out_shape). */
EDIT(ed_dest_2, set_dest(s, 2))
EDIT(ed_dest_ffffffff, set_dest(s, 0xffffffffu))
EDIT(ed_dest_int_min, set_dest(s, 0x80000000u))
EDIT(ed_n_order_65, s->n_order = DHCP_OUT_MAX_OPTS + 1)
EDIT(ed_n_order_255, s->n_order = 255)
EDIT(ed_n_opts_65, s->msg.n_opts = DHCP_OUT_MAX_OPTS + 1)
EDIT(ed_n_opts_ffff, s->msg.n_opts = 0xffff)
EDIT(ed_pool_used_2049, s->msg.pool_used = DHCP_OUT_POOL + 1)
EDIT(ed_pool_used_ffff, s->msg.pool_used = 0xffff)
EDIT(ed_hlen_17, h->hlen = 17)
EDIT(ed_hlen_255, h->hlen = 255)
EDIT(ed_opt_pad, RAW(DHCP_OPT_PAD, 0))
EDIT(ed_opt_end, RAW(DHCP_OPT_END, 0))
EDIT(ed_opt_off_past_pool, RAW(224, 1, 2, 3, 4); s->msg.opts[s->msg.n_opts - 1].pool_off = 2000)
EDIT(ed_opt_len_past_pool, RAW(224, 1, 2, 3, 4); s->msg.opts[s->msg.n_opts - 1].len = 2000)
EDIT(ed_opt_duplicate, RAW(DHCP_OPT_MAX_MSG_SIZE, 0x05, 0xdc))
EDIT(ed_opt_msg_type_twice, RAW(DHCP_OPT_MSG_TYPE, DHCPDISCOVER))

/* Policy (ipc_check_send). */
EDIT(ed_op_reply, h->op = BOOTREPLY)
EDIT(ed_op_0, h->op = 0)
EDIT(ed_op_3, h->op = 3)
EDIT(ed_htype_0, h->htype = 0)
EDIT(ed_htype_6, h->htype = 6)
EDIT(ed_hlen_0, h->hlen = 0)
EDIT(ed_hlen_7, h->hlen = 7)
EDIT(ed_hlen_16, h->hlen = 16)
EDIT(ed_chaddr_server, memcpy(h->chaddr, server_mac, ETH_ADDR_LEN))
EDIT(ed_chaddr_bcast, memcpy(h->chaddr, eth_bcast, ETH_ADDR_LEN))
EDIT(ed_chaddr_zero, memset(h->chaddr, 0, sizeof(h->chaddr)))
EDIT(ed_chaddr_pad_byte, h->chaddr[6] = 1)
EDIT(ed_chaddr_pad_last, h->chaddr[15] = 0xff)
EDIT(ed_chaddr_one_bit, h->chaddr[5] ^= 1)
EDIT(ed_type_0, set_msg_type(s, 0))
EDIT(ed_type_19, set_msg_type(s, DHCP_MSG_TYPE_MAX + 1))
EDIT(ed_type_255, set_msg_type(s, 255))
EDIT(ed_type_offer, set_msg_type(s, DHCPOFFER))
EDIT(ed_type_ack, set_msg_type(s, DHCPACK))
EDIT(ed_type_nak, set_msg_type(s, DHCPNAK))
EDIT(ed_type_forcerenew, set_msg_type(s, DHCPFORCERENEW))
EDIT(ed_type_leasequery, set_msg_type(s, DHCPLEASEQUERY))
EDIT(ed_type_leaseactive, set_msg_type(s, DHCPLEASEACTIVE))
EDIT(ed_type_tls, set_msg_type(s, DHCPTLS))
EDIT(ed_type_absent, drop_opt(&s->msg, DHCP_OPT_MSG_TYPE))
EDIT(ed_type_len_0, find_opt(&s->msg, DHCP_OPT_MSG_TYPE)->len = 0)
EDIT(ed_type_len_2, find_opt(&s->msg, DHCP_OPT_MSG_TYPE)->len = 2)
EDIT(ed_yiaddr, h->yiaddr = LEASE_ADDR)
EDIT(ed_siaddr, h->siaddr = SERVER_ADDR)
EDIT(ed_giaddr, h->giaddr = SERVER_ADDR)
EDIT(ed_hops_1, h->hops = 1)
EDIT(ed_src_not_ciaddr, s->src_ip = LEASE_ADDR)
EDIT(ed_ciaddr_not_src, h->ciaddr = LEASE_ADDR)
EDIT(ed_bcast_to_server, s->dst_ip = SERVER_ADDR)
EDIT(ed_bcast_to_zero, s->dst_ip = 0)
EDIT(ed_bcast_to_subnet, s->dst_ip = IP4(192, 0, 2, 255))
EDIT(ed_ucast_loopback, unicast(s, IP4(127, 0, 0, 1), LEASE_ADDR))
EDIT(ed_ucast_loopback_top, unicast(s, IP4(127, 255, 255, 254), LEASE_ADDR))
EDIT(ed_ucast_multicast, unicast(s, IP4(224, 0, 0, 1), LEASE_ADDR))
EDIT(ed_ucast_multicast_top, unicast(s, IP4(239, 255, 255, 250), LEASE_ADDR))
EDIT(ed_ucast_limited_bcast, unicast(s, BCAST, LEASE_ADDR))
EDIT(ed_ucast_reserved, unicast(s, IP4(240, 0, 0, 1), LEASE_ADDR))
EDIT(ed_ucast_zero, unicast(s, 0, LEASE_ADDR))
EDIT(ed_ucast_this_net, unicast(s, IP4(0, 1, 2, 3), LEASE_ADDR))
EDIT(ed_ucast_src_zero, unicast(s, SERVER_ADDR, 0))
EDIT(ed_ucast_src_loopback, unicast(s, SERVER_ADDR, IP4(127, 0, 0, 1)))
EDIT(ed_ucast_src_multicast, unicast(s, SERVER_ADDR, IP4(224, 0, 0, 1)))
EDIT(ed_ucast_src_limited_bcast, unicast(s, SERVER_ADDR, BCAST))
EDIT(ed_ucast_src_this_net, unicast(s, SERVER_ADDR, IP4(0, 1, 2, 3)))

/* What only the builder refuses (dhcp_build: the option table's rules). */
EDIT(ed_mtu_1_byte, RAW(DHCP_OPT_MTU, 0x05))
EDIT(ed_mtu_67, RAW(DHCP_OPT_MTU, 0, 67))
EDIT(ed_max_msg_575, drop_opt(&s->msg, DHCP_OPT_MAX_MSG_SIZE);
     RAW(DHCP_OPT_MAX_MSG_SIZE, 0x02, 0x3f))
EDIT(ed_max_msg_3_bytes, drop_opt(&s->msg, DHCP_OPT_MAX_MSG_SIZE);
     RAW(DHCP_OPT_MAX_MSG_SIZE, 0x05, 0xdc, 0))
EDIT(ed_requested_ip_3, RAW(DHCP_OPT_REQUESTED_IP, 192, 0, 2))
EDIT(ed_server_id_5, RAW(DHCP_OPT_SERVER_ID, 192, 0, 2, 1, 0))
EDIT(ed_rapid_commit_value, RAW(DHCP_OPT_RAPID_COMMIT, 1))
EDIT(ed_overload_3, RAW(DHCP_OPT_OVERLOAD, 3))
EDIT(ed_overload_1, RAW(DHCP_OPT_OVERLOAD, 1))
EDIT(ed_search_label_64, RAW(DHCP_OPT_DOMAIN_SEARCH, 64, 'a'))
EDIT(ed_route_prefix_33, RAW(DHCP_OPT_CLASSLESS_ROUTE, 33, 198, 51, 100, 0, 0, 192, 0, 2, 1))
/* Two options over the same pool bytes: more value bytes than the pool. */
EDIT(ed_values_overlap, RAW(224, 1, 2, 3, 4); RAW(225, 5);
     s->msg.opts[s->msg.n_opts - 1].pool_off = s->msg.opts[s->msg.n_opts - 2].pool_off;
     s->msg.opts[s->msg.n_opts - 1].len = 4; s->msg.pool_used = (uint16_t)(s->msg.pool_used - 1))

/* An option of len bytes of a code the table does not know (any bytes). */
static void add_filler(struct client_send *s, size_t len)
{
	static uint8_t fill[DHCP_OUT_POOL];

	memset(fill, 0x5a, sizeof(fill));
	raw_opt(&s->msg, 224, fill, len);
}

/* Past net's payload buffer (IPC_FRAME_MAX less the headers). */
EDIT(ed_over_buffer, add_filler(s, DHCP_OUT_POOL - s->msg.pool_used))
/* Builds, but the frame is over the link's MTU (1500): the kernel refuses. */
EDIT(ed_over_mtu, add_filler(s, 1400))

/* --holes: accepted by net, never sent by an honest engine. */
EDIT(ho_src_loopback, rebind_from(s, IP4(127, 0, 0, 1)))
EDIT(ho_src_multicast, rebind_from(s, IP4(224, 0, 0, 1)))
EDIT(ho_src_limited_bcast, rebind_from(s, BCAST))
EDIT(ho_src_server, rebind_from(s, SERVER_ADDR))
EDIT(ho_ucast_other_host, unicast(s, OTHER_HOST, LEASE_ADDR))
EDIT(ho_ucast_subnet_bcast, unicast(s, IP4(192, 0, 2, 255), LEASE_ADDR))
/* The server host's client identifier: its lease, RELEASEd or DECLINEd. */
EDIT(ho_client_id_other, drop_opt(&s->msg, DHCP_OPT_CLIENT_ID);
     RAW(DHCP_OPT_CLIENT_ID, 1, 2, 0, 0, 0, 2, 1))
EDIT(ho_relay_agent, RAW(DHCP_OPT_RELAY_AGENT, 1, 4, 'e', 'v', 'i', 'l'))
EDIT(ho_flags_reserved, h->flags = 0x7fff)
EDIT(ho_sname_file, memset(s->msg.sname, 'X', sizeof(s->msg.sname));
     memset(s->msg.file, 'Y', sizeof(s->msg.file)))

/* ---- senders ------------------------------------------------------------- */

#define SEND_LEN ((uint32_t)sizeof(struct client_send))

static int send_dhcp(struct ipc_chan *ch, void (*edit)(struct client_send *))
{
	static struct client_send s;

	base_send(&s);
	if (edit)
		edit(&s);
	return ipc_send(ch, IPC_NET_SEND_DHCP, &s, sizeof(s));
}

/* The base request with len bytes of body (cut or zero-extended). */
static int send_dhcp_len(struct ipc_chan *ch, uint16_t type, size_t len)
{
	static uint8_t body[sizeof(struct client_send) + 8];
	static struct client_send s;

	base_send(&s);
	memset(body, 0, sizeof(body));
	memcpy(body, &s, sizeof(s));
	return ipc_send(ch, type, body, len);
}

/* The base request, framed by hand with the given header fields. */
static int send_framed(struct ipc_chan *ch, uint16_t type, uint16_t reserved, uint32_t len,
		       uint32_t seq)
{
	static struct client_send s;
	struct ipc_hdr h = { type, reserved, len, seq };

	base_send(&s);
	return send_record(ch, h, &s, sizeof(s));
}

static int snd_short_record(struct ipc_chan *ch)
{
	struct ipc_hdr h = { IPC_NET_SEND_DHCP, 0, 0, 1 };

	return send(ch->fd, &h, sizeof(h) / 2, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

static int snd_len_over(struct ipc_chan *ch)
{
	return send_framed(ch, IPC_NET_SEND_DHCP, 0, SEND_LEN + 1, 1);
}

static int snd_len_under(struct ipc_chan *ch)
{
	return send_framed(ch, IPC_NET_SEND_DHCP, 0, SEND_LEN - 1, 1);
}

static int snd_len_huge(struct ipc_chan *ch)
{
	return send_framed(ch, IPC_NET_SEND_DHCP, 0, UINT32_MAX, 1);
}

static int snd_reserved_low(struct ipc_chan *ch)
{
	return send_framed(ch, IPC_NET_SEND_DHCP, 1, SEND_LEN, 1);
}

static int snd_reserved_high(struct ipc_chan *ch)
{
	return send_framed(ch, IPC_NET_SEND_DHCP, 0x8000, SEND_LEN, 1);
}

static int snd_seq_skip(struct ipc_chan *ch)
{
	return send_framed(ch, IPC_NET_SEND_DHCP, 0, SEND_LEN, 2);
}

static int snd_seq_zero(struct ipc_chan *ch)
{
	return send_framed(ch, IPC_NET_SEND_DHCP, 0, SEND_LEN, 0);
}

/* seq 1 (a request net passes on and the kernel refuses: nothing on the
 * wire), then seq 1 again: a replay. */
static int snd_seq_replay(struct ipc_chan *ch)
{
	int r = send_dhcp(ch, ed_over_mtu);

	return r < 0 ? r : send_framed(ch, IPC_NET_SEND_DHCP, 0, SEND_LEN, 1);
}

static int snd_type_zero(struct ipc_chan *ch)
{
	return send_framed(ch, 0, 0, SEND_LEN, 1);
}

/* One byte over what any message can be: net's buffer is IPC_BUF_MAX. */
static int snd_over_buf_max(struct ipc_chan *ch)
{
	size_t len = IPC_BUF_MAX + 1 - sizeof(struct ipc_hdr);
	struct ipc_hdr h = { IPC_NET_SEND_DHCP, 0, (uint32_t)len, 1 };
	static uint8_t body[IPC_BUF_MAX + 1];

	return send_record(ch, h, body, len);
}

static int snd_huge_record(struct ipc_chan *ch)
{
	size_t len = RAW_RECORD_MAX - sizeof(struct ipc_hdr);
	struct ipc_hdr h = { IPC_NET_SEND_DHCP, 0, (uint32_t)len, 1 };
	static uint8_t body[RAW_RECORD_MAX];

	return send_record(ch, h, body, len);
}

/* A body of zeros of the type's exact size: the direction is checked
 * before the size and the fields (ipc_msg_check). */
static int send_zeros(struct ipc_chan *ch, uint16_t type, size_t len)
{
	static uint8_t body[IPC_BUF_MAX];

	memset(body, 0, sizeof(body));
	return ipc_send(ch, type, body, len);
}

#define TYPED(fn, type, len) \
	static int fn(struct ipc_chan *ch) \
	{ \
		return send_zeros(ch, (type), (len)); \
	}

TYPED(snd_ctl_user, IPC_CTL_USER, sizeof(struct ipc_user))
TYPED(snd_ctl_status, IPC_CTL_STATUS, sizeof(struct ipc_status))
TYPED(snd_net_frame, IPC_NET_FRAME, sizeof(struct ipc_frame))
TYPED(snd_net_arp_frame, IPC_NET_ARP_FRAME, sizeof(struct ipc_frame))
TYPED(snd_net_link, IPC_NET_LINK, sizeof(struct ipc_link))
TYPED(snd_apply_configure, IPC_APPLY_CONFIGURE, sizeof(struct ipc_lease_event))
TYPED(snd_apply_deconfigure, IPC_APPLY_DECONFIGURE, sizeof(struct ipc_deconfigure))
TYPED(snd_apply_persist, IPC_APPLY_PERSIST, sizeof(struct ipc_lease_event))
TYPED(snd_apply_drop, IPC_APPLY_DROP, 0)
TYPED(snd_apply_stored, IPC_APPLY_STORED, sizeof(struct ipc_stored))
TYPED(snd_apply_result, IPC_APPLY_RESULT, sizeof(struct ipc_result))
TYPED(snd_apply_switch_mac, IPC_APPLY_SWITCH_MAC, sizeof(struct ipc_fingerprint))
TYPED(snd_apply_mac, IPC_APPLY_MAC, sizeof(struct ipc_mac))
TYPED(snd_type_count, IPC_TYPE_COUNT, 0)
TYPED(snd_type_ffff, 0xffff, sizeof(struct ipc_arp))

static int snd_dhcp_one_short(struct ipc_chan *ch)
{
	return send_dhcp_len(ch, IPC_NET_SEND_DHCP, SEND_LEN - 1);
}

static int snd_dhcp_half(struct ipc_chan *ch)
{
	return send_dhcp_len(ch, IPC_NET_SEND_DHCP, SEND_LEN / 2);
}

static int snd_dhcp_empty(struct ipc_chan *ch)
{
	return send_dhcp_len(ch, IPC_NET_SEND_DHCP, 0);
}

/* client_send is the largest body: one byte more overflows net's buffer,
 * which the framing refuses before the catalogue sees a size. */
_Static_assert(sizeof(struct client_send) == sizeof(union ipc_body),
	       "size-send-dhcp-one-long expects the framing's refusal");

static int snd_dhcp_one_long(struct ipc_chan *ch)
{
	return send_dhcp_len(ch, IPC_NET_SEND_DHCP, SEND_LEN + 1);
}

static int snd_arp_as_dhcp(struct ipc_chan *ch)
{
	return send_dhcp_len(ch, IPC_NET_SEND_ARP, SEND_LEN);
}

static int snd_dhcp_as_arp(struct ipc_chan *ch)
{
	return send_zeros(ch, IPC_NET_SEND_DHCP, sizeof(struct ipc_arp));
}

static int send_arp_len(struct ipc_chan *ch, uint8_t kind, uint32_t addr, size_t len)
{
	uint8_t body[sizeof(struct ipc_arp) + 1] = { 0 };
	struct ipc_arp a;

	memset(&a, 0, sizeof(a));
	a.kind = kind;
	a.address = addr;
	memcpy(body, &a, sizeof(a));
	return ipc_send(ch, IPC_NET_SEND_ARP, body, len);
}

#define ARP_LEN_OK sizeof(struct ipc_arp)
#define ARP(fn, kind, addr, len) \
	static int fn(struct ipc_chan *ch) \
	{ \
		return send_arp_len(ch, (kind), (addr), (len)); \
	}

ARP(snd_arp_one_short, IPC_ARP_PROBE, LEASE_ADDR, ARP_LEN_OK - 1)
ARP(snd_arp_one_long, IPC_ARP_PROBE, LEASE_ADDR, ARP_LEN_OK + 1)
ARP(snd_arp_empty, IPC_ARP_PROBE, LEASE_ADDR, 0)
ARP(snd_arp_kind_0, 0, LEASE_ADDR, ARP_LEN_OK)
ARP(snd_arp_kind_3, IPC_ARP_ANNOUNCE + 1, LEASE_ADDR, ARP_LEN_OK)
ARP(snd_arp_kind_255, 255, LEASE_ADDR, ARP_LEN_OK)
ARP(snd_probe_zero, IPC_ARP_PROBE, 0, ARP_LEN_OK)
ARP(snd_probe_this_net, IPC_ARP_PROBE, IP4(0, 1, 2, 3), ARP_LEN_OK)
ARP(snd_probe_loopback, IPC_ARP_PROBE, IP4(127, 0, 0, 1), ARP_LEN_OK)
ARP(snd_probe_loopback_top, IPC_ARP_PROBE, IP4(127, 255, 255, 255), ARP_LEN_OK)
ARP(snd_probe_multicast, IPC_ARP_PROBE, IP4(224, 0, 0, 1), ARP_LEN_OK)
ARP(snd_probe_multicast_top, IPC_ARP_PROBE, IP4(239, 255, 255, 255), ARP_LEN_OK)
ARP(snd_probe_reserved, IPC_ARP_PROBE, IP4(240, 0, 0, 1), ARP_LEN_OK)
ARP(snd_probe_limited_bcast, IPC_ARP_PROBE, BCAST, ARP_LEN_OK)
ARP(snd_announce_zero, IPC_ARP_ANNOUNCE, 0, ARP_LEN_OK)
ARP(snd_announce_loopback, IPC_ARP_ANNOUNCE, IP4(127, 0, 0, 1), ARP_LEN_OK)
ARP(snd_announce_multicast, IPC_ARP_ANNOUNCE, IP4(224, 0, 0, 251), ARP_LEN_OK)
ARP(snd_announce_limited_bcast, IPC_ARP_ANNOUNCE, BCAST, ARP_LEN_OK)
ARP(snd_control_probe, IPC_ARP_PROBE, LEASE_ADDR, ARP_LEN_OK)
ARP(ho_announce_server, IPC_ARP_ANNOUNCE, SERVER_ADDR, ARP_LEN_OK)
ARP(ho_announce_other_host, IPC_ARP_ANNOUNCE, OTHER_HOST, ARP_LEN_OK)

/* ---- what the controls must put on the wire ------------------------------ */

static bool match_discover(const uint8_t *f, size_t len)
{
	static uint8_t scratch[IPC_FRAME_MAX];
	static struct dhcp_msg m;
	struct udp_view u;
	struct wire_error err;

	if (frame_parse_udp(f, len, false, &u, &err) != WIRE_OK)
		return false;
	if (memcmp(u.eth_src, world.mac, ETH_ADDR_LEN) != 0 ||
	    memcmp(u.eth_dst, eth_bcast, ETH_ADDR_LEN) != 0 || u.ip_src != 0 ||
	    u.ip_dst != BCAST || u.port_src != DHCP_CLIENT_PORT || u.port_dst != DHCP_SERVER_PORT)
		return false;
	if (dhcp_parse(u.payload, u.payload_len, scratch, sizeof(scratch), &m, &err) != WIRE_OK)
		return false;
	return m.hdr.op == BOOTREQUEST && m.type == DHCPDISCOVER && m.hdr.xid == XID &&
	       memcmp(m.hdr.chaddr, world.mac, ETH_ADDR_LEN) == 0 && m.n_dropped == 0;
}

/* RFC 5227 2.1.1: sender IP 0, target the address, from our MAC. */
static bool match_probe(const uint8_t *f, size_t len)
{
	static const uint8_t zero[ETH_ADDR_LEN];
	struct arp_view a;
	struct wire_error err;

	if (frame_parse_arp(f, len, &a, &err) != WIRE_OK)
		return false;
	return memcmp(a.eth_src, world.mac, ETH_ADDR_LEN) == 0 &&
	       memcmp(a.eth_dst, eth_bcast, ETH_ADDR_LEN) == 0 && a.op == ARP_OP_REQUEST &&
	       memcmp(a.sha, world.mac, ETH_ADDR_LEN) == 0 && a.spa == 0 &&
	       memcmp(a.tha, zero, ETH_ADDR_LEN) == 0 && a.tpa == LEASE_ADDR;
}

/* ---- the cases ----------------------------------------------------------- */

#define BAD_MSG          "bad message from the engine: Bad message"
#define REFUSED(type, why) "refused " type " from the engine: " why
#define NOT_HERE         "message type not allowed on this channel"
#define SIZE             "wrong body size for the message type"
#define SHAPE(why)       REFUSED("NET_SEND_DHCP", "send: " why)
#define POLICY(why)      "refused a send request from the engine: send: " why
#define BUILD(why)       "refused a send request from the engine: " why
#define NOT_UNICAST_ARP  "refused an ARP request from the engine: not a unicast address"
#define ARP_KIND         REFUSED("NET_SEND_ARP", "arp kind out of range")
#define NOT_PROBED_ARP   "refused an ARP request from the engine: announcement of an address " \
			 "it did not probe"
#define NOT_ETHERNET     POLICY("not a BOOTREQUEST for Ethernet")
#define NOT_OUR_MAC      POLICY("chaddr is not our MAC")
#define NOT_CLIENT_TYPE  POLICY("not a client message type")
#define SERVER_FIELDS    POLICY("server or relay fields set")
#define BAD_UNICAST_DST  POLICY("unicast destination is not a unicast address")
#define BAD_UNICAST_SRC  POLICY("unicast without a source address")

#define EXIT_SEND(n, log, fn) { n, WANT_EXIT, log, NULL, fn, NULL }
#define EXIT_EDIT(n, log, ed) { n, WANT_EXIT, log, ed, NULL, NULL }
#define HOLE_EDIT(n, ed)      { n, WANT_HOLE, NULL, ed, NULL, NULL }
#define HOLE_SEND(n, fn)      { n, WANT_HOLE, NULL, NULL, fn, NULL }

static const struct hcase cases[] = {
	/* Controls: success is visible on the wire. */
	{ "control-discover-broadcast", WANT_SENT, NULL, NULL, NULL, match_discover },
	{ "control-arp-probe", WANT_SENT, NULL, NULL, snd_control_probe, match_probe },

	/* Framing (src/os/ipc.c). */
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
	EXIT_SEND("size-send-dhcp-one-long", BAD_MSG, snd_dhcp_one_long),

	/* Types net may not receive (ipc_msg_check: direction). */
	EXIT_SEND("type-unknown-count", REFUSED("UNKNOWN", "unknown message type"), snd_type_count),
	EXIT_SEND("type-unknown-ffff", REFUSED("UNKNOWN", "unknown message type"), snd_type_ffff),
	EXIT_SEND("type-ctl-user", REFUSED("CTL_USER", NOT_HERE), snd_ctl_user),
	EXIT_SEND("type-ctl-status", REFUSED("CTL_STATUS", NOT_HERE), snd_ctl_status),
	EXIT_SEND("type-net-frame-reflected", REFUSED("NET_FRAME", NOT_HERE), snd_net_frame),
	EXIT_SEND("type-net-arp-frame-reflected", REFUSED("NET_ARP_FRAME", NOT_HERE),
		  snd_net_arp_frame),
	EXIT_SEND("type-net-link-reflected", REFUSED("NET_LINK", NOT_HERE), snd_net_link),
	EXIT_SEND("type-apply-configure", REFUSED("APPLY_CONFIGURE", NOT_HERE), snd_apply_configure),
	EXIT_SEND("type-apply-deconfigure", REFUSED("APPLY_DECONFIGURE", NOT_HERE),
		  snd_apply_deconfigure),
	EXIT_SEND("type-apply-persist", REFUSED("APPLY_PERSIST", NOT_HERE), snd_apply_persist),
	EXIT_SEND("type-apply-drop", REFUSED("APPLY_DROP", NOT_HERE), snd_apply_drop),
	EXIT_SEND("type-apply-stored", REFUSED("APPLY_STORED", NOT_HERE), snd_apply_stored),
	EXIT_SEND("type-apply-result", REFUSED("APPLY_RESULT", NOT_HERE), snd_apply_result),
	EXIT_SEND("type-apply-switch-mac", REFUSED("APPLY_SWITCH_MAC", NOT_HERE),
		  snd_apply_switch_mac),
	EXIT_SEND("type-apply-mac", REFUSED("APPLY_MAC", NOT_HERE), snd_apply_mac),

	/* Body sizes (ipc_msg_check). */
	EXIT_SEND("size-send-dhcp-one-short", REFUSED("NET_SEND_DHCP", SIZE), snd_dhcp_one_short),
	EXIT_SEND("size-send-dhcp-half", REFUSED("NET_SEND_DHCP", SIZE), snd_dhcp_half),
	EXIT_SEND("size-send-dhcp-empty", REFUSED("NET_SEND_DHCP", SIZE), snd_dhcp_empty),
	EXIT_SEND("size-send-dhcp-arp-sized", REFUSED("NET_SEND_DHCP", SIZE), snd_dhcp_as_arp),
	EXIT_SEND("size-send-arp-one-short", REFUSED("NET_SEND_ARP", SIZE), snd_arp_one_short),
	EXIT_SEND("size-send-arp-one-long", REFUSED("NET_SEND_ARP", SIZE), snd_arp_one_long),
	EXIT_SEND("size-send-arp-empty", REFUSED("NET_SEND_ARP", SIZE), snd_arp_empty),
	EXIT_SEND("size-send-arp-dhcp-sized", REFUSED("NET_SEND_ARP", SIZE), snd_arp_as_dhcp),

	/* The request's shape (ipc_msg_check: check_send_shape). */
	EXIT_EDIT("dest-enum-2", SHAPE("unknown destination"), ed_dest_2),
	EXIT_EDIT("dest-enum-ffffffff", SHAPE("unknown destination"), ed_dest_ffffffff),
	EXIT_EDIT("dest-enum-80000000", SHAPE("unknown destination"), ed_dest_int_min),
	EXIT_EDIT("order-count-65", SHAPE("option order too long"), ed_n_order_65),
	EXIT_EDIT("order-count-255", SHAPE("option order too long"), ed_n_order_255),
	EXIT_EDIT("option-count-65", SHAPE("option count or pool size out of bounds"), ed_n_opts_65),
	EXIT_EDIT("option-count-ffff", SHAPE("option count or pool size out of bounds"),
		  ed_n_opts_ffff),
	EXIT_EDIT("pool-used-2049", SHAPE("option count or pool size out of bounds"),
		  ed_pool_used_2049),
	EXIT_EDIT("pool-used-ffff", SHAPE("option count or pool size out of bounds"),
		  ed_pool_used_ffff),
	EXIT_EDIT("hlen-17", SHAPE("hlen over 16"), ed_hlen_17),
	EXIT_EDIT("hlen-255", SHAPE("hlen over 16"), ed_hlen_255),
	EXIT_EDIT("option-code-pad", SHAPE("PAD or END as an option"), ed_opt_pad),
	EXIT_EDIT("option-code-end", SHAPE("PAD or END as an option"), ed_opt_end),
	EXIT_EDIT("option-offset-past-pool", SHAPE("option value outside the pool"),
		  ed_opt_off_past_pool),
	EXIT_EDIT("option-length-past-pool", SHAPE("option value outside the pool"),
		  ed_opt_len_past_pool),
	EXIT_EDIT("option-duplicate", SHAPE("duplicate option"), ed_opt_duplicate),
	EXIT_EDIT("option-msg-type-twice", SHAPE("duplicate option"), ed_opt_msg_type_twice),

	/* Out of policy (ipc_check_send). */
	EXIT_EDIT("op-bootreply", NOT_ETHERNET, ed_op_reply),
	EXIT_EDIT("op-0", NOT_ETHERNET, ed_op_0),
	EXIT_EDIT("op-3", NOT_ETHERNET, ed_op_3),
	EXIT_EDIT("htype-0", NOT_ETHERNET, ed_htype_0),
	EXIT_EDIT("htype-6-ieee802", NOT_ETHERNET, ed_htype_6),
	EXIT_EDIT("hlen-0", NOT_ETHERNET, ed_hlen_0),
	EXIT_EDIT("hlen-7", NOT_ETHERNET, ed_hlen_7),
	EXIT_EDIT("hlen-16", NOT_ETHERNET, ed_hlen_16),
	EXIT_EDIT("chaddr-server-mac", NOT_OUR_MAC, ed_chaddr_server),
	EXIT_EDIT("chaddr-broadcast", NOT_OUR_MAC, ed_chaddr_bcast),
	EXIT_EDIT("chaddr-zero", NOT_OUR_MAC, ed_chaddr_zero),
	EXIT_EDIT("chaddr-one-bit-off", NOT_OUR_MAC, ed_chaddr_one_bit),
	EXIT_EDIT("chaddr-padding-byte-6", NOT_OUR_MAC, ed_chaddr_pad_byte),
	EXIT_EDIT("chaddr-padding-byte-15", NOT_OUR_MAC, ed_chaddr_pad_last),
	EXIT_EDIT("msg-type-0", NOT_CLIENT_TYPE, ed_type_0),
	EXIT_EDIT("msg-type-19", NOT_CLIENT_TYPE, ed_type_19),
	EXIT_EDIT("msg-type-255", NOT_CLIENT_TYPE, ed_type_255),
	EXIT_EDIT("msg-type-offer", NOT_CLIENT_TYPE, ed_type_offer),
	EXIT_EDIT("msg-type-ack", NOT_CLIENT_TYPE, ed_type_ack),
	EXIT_EDIT("msg-type-nak", NOT_CLIENT_TYPE, ed_type_nak),
	EXIT_EDIT("msg-type-forcerenew", NOT_CLIENT_TYPE, ed_type_forcerenew),
	EXIT_EDIT("msg-type-leasequery", NOT_CLIENT_TYPE, ed_type_leasequery),
	EXIT_EDIT("msg-type-leaseactive", NOT_CLIENT_TYPE, ed_type_leaseactive),
	EXIT_EDIT("msg-type-tls", NOT_CLIENT_TYPE, ed_type_tls),
	EXIT_EDIT("msg-type-absent", NOT_CLIENT_TYPE, ed_type_absent),
	EXIT_EDIT("msg-type-length-0", NOT_CLIENT_TYPE, ed_type_len_0),
	EXIT_EDIT("msg-type-length-2", NOT_CLIENT_TYPE, ed_type_len_2),
	EXIT_EDIT("yiaddr-set", SERVER_FIELDS, ed_yiaddr),
	EXIT_EDIT("siaddr-set", SERVER_FIELDS, ed_siaddr),
	EXIT_EDIT("giaddr-set", SERVER_FIELDS, ed_giaddr),
	EXIT_EDIT("hops-1", SERVER_FIELDS, ed_hops_1),
	EXIT_EDIT("source-not-ciaddr", POLICY("source address is not ciaddr"), ed_src_not_ciaddr),
	EXIT_EDIT("ciaddr-not-source", POLICY("source address is not ciaddr"), ed_ciaddr_not_src),
	EXIT_EDIT("broadcast-to-server", POLICY("broadcast not to 255.255.255.255"),
		  ed_bcast_to_server),
	EXIT_EDIT("broadcast-to-0.0.0.0", POLICY("broadcast not to 255.255.255.255"),
		  ed_bcast_to_zero),
	EXIT_EDIT("broadcast-to-subnet-broadcast", POLICY("broadcast not to 255.255.255.255"),
		  ed_bcast_to_subnet),
	EXIT_EDIT("unicast-to-127.0.0.1", BAD_UNICAST_DST, ed_ucast_loopback),
	EXIT_EDIT("unicast-to-127.255.255.254", BAD_UNICAST_DST, ed_ucast_loopback_top),
	EXIT_EDIT("unicast-to-224.0.0.1", BAD_UNICAST_DST, ed_ucast_multicast),
	EXIT_EDIT("unicast-to-239.255.255.250", BAD_UNICAST_DST, ed_ucast_multicast_top),
	EXIT_EDIT("unicast-to-255.255.255.255", BAD_UNICAST_DST, ed_ucast_limited_bcast),
	EXIT_EDIT("unicast-to-240.0.0.1", BAD_UNICAST_DST, ed_ucast_reserved),
	EXIT_EDIT("unicast-to-0.0.0.0", BAD_UNICAST_DST, ed_ucast_zero),
	EXIT_EDIT("unicast-to-0.1.2.3", BAD_UNICAST_DST, ed_ucast_this_net),
	EXIT_EDIT("unicast-from-0.0.0.0", BAD_UNICAST_SRC, ed_ucast_src_zero),
	EXIT_EDIT("unicast-from-127.0.0.1", BAD_UNICAST_SRC, ed_ucast_src_loopback),
	EXIT_EDIT("unicast-from-224.0.0.1", BAD_UNICAST_SRC, ed_ucast_src_multicast),
	EXIT_EDIT("unicast-from-255.255.255.255", BAD_UNICAST_SRC, ed_ucast_src_limited_bcast),
	EXIT_EDIT("unicast-from-0.1.2.3", BAD_UNICAST_SRC, ed_ucast_src_this_net),

	/* What the builder refuses (dhcp_build, the option table). */
	EXIT_EDIT("option-mtu-1-byte", BUILD("option length breaks the option's rule"),
		  ed_mtu_1_byte),
	EXIT_EDIT("option-mtu-67", BUILD("option value out of its range"), ed_mtu_67),
	EXIT_EDIT("option-max-msg-size-575", BUILD("option value out of its range"),
		  ed_max_msg_575),
	EXIT_EDIT("option-max-msg-size-3-bytes", BUILD("option length breaks the option's rule"),
		  ed_max_msg_3_bytes),
	EXIT_EDIT("option-requested-ip-3-bytes", BUILD("option length breaks the option's rule"),
		  ed_requested_ip_3),
	EXIT_EDIT("option-server-id-5-bytes", BUILD("option length breaks the option's rule"),
		  ed_server_id_5),
	EXIT_EDIT("option-rapid-commit-with-value", BUILD("option length breaks the option's rule"),
		  ed_rapid_commit_value),
	EXIT_EDIT("option-52-overload-both",
		  BUILD("option overload invalid or found outside the options field"), ed_overload_3),
	EXIT_EDIT("option-52-overload-file",
		  BUILD("option overload invalid or found outside the options field"), ed_overload_1),
	EXIT_EDIT("option-search-label-64", BUILD("domain label length over 63"),
		  ed_search_label_64),
	EXIT_EDIT("option-classless-route-prefix-33",
		  BUILD("classless route prefix longer than 32"), ed_route_prefix_33),
	EXIT_EDIT("option-values-overlap", BUILD("argument out of range"), ed_values_overlap),
	EXIT_EDIT("message-over-net-buffer", BUILD("output buffer too small"), ed_over_buffer),

	/* Passed on; the kernel refuses it, net logs that and goes on. */
	{ "frame-over-link-mtu", WANT_DROP, "broadcast send: Message too long", ed_over_mtu, NULL,
	  NULL },

	/* ARP (ipc_msg_check, then send_arp's own check). */
	EXIT_SEND("arp-kind-0", ARP_KIND, snd_arp_kind_0),
	EXIT_SEND("arp-kind-3", ARP_KIND, snd_arp_kind_3),
	EXIT_SEND("arp-kind-255", ARP_KIND, snd_arp_kind_255),
	EXIT_SEND("arp-probe-0.0.0.0", NOT_UNICAST_ARP, snd_probe_zero),
	EXIT_SEND("arp-probe-0.1.2.3", NOT_UNICAST_ARP, snd_probe_this_net),
	EXIT_SEND("arp-probe-127.0.0.1", NOT_UNICAST_ARP, snd_probe_loopback),
	EXIT_SEND("arp-probe-127.255.255.255", NOT_UNICAST_ARP, snd_probe_loopback_top),
	EXIT_SEND("arp-probe-224.0.0.1", NOT_UNICAST_ARP, snd_probe_multicast),
	EXIT_SEND("arp-probe-239.255.255.255", NOT_UNICAST_ARP, snd_probe_multicast_top),
	EXIT_SEND("arp-probe-240.0.0.1", NOT_UNICAST_ARP, snd_probe_reserved),
	EXIT_SEND("arp-probe-255.255.255.255", NOT_UNICAST_ARP, snd_probe_limited_bcast),
	EXIT_SEND("arp-announce-0.0.0.0", NOT_UNICAST_ARP, snd_announce_zero),
	EXIT_SEND("arp-announce-127.0.0.1", NOT_UNICAST_ARP, snd_announce_loopback),
	EXIT_SEND("arp-announce-224.0.0.251", NOT_UNICAST_ARP, snd_announce_multicast),
	EXIT_SEND("arp-announce-255.255.255.255", NOT_UNICAST_ARP, snd_announce_limited_bcast),
	/* ARP spoofing: announcing another host's address (the server and
	 * gateway, 192.0.2.1) without having probed it (RFC 5227 order). */
	EXIT_SEND("arp-announce-server-unprobed", NOT_PROBED_ARP, ho_announce_server),
	/* Fields and options no client sends (were holes, see --holes). */
	EXIT_EDIT("broadcast-from-127.0.0.1", POLICY("source address is not unicast"),
		  ho_src_loopback),
	EXIT_EDIT("broadcast-from-224.0.0.1", POLICY("source address is not unicast"),
		  ho_src_multicast),
	EXIT_EDIT("broadcast-from-255.255.255.255", POLICY("source address is not unicast"),
		  ho_src_limited_bcast),
	EXIT_EDIT("relay-agent-option-82", POLICY("relay agent information from a client"),
		  ho_relay_agent),
	EXIT_EDIT("flags-reserved-bits", POLICY("reserved flag bits set"), ho_flags_reserved),
	EXIT_EDIT("sname-and-file-filled", POLICY("sname or file set"), ho_sname_file),
	EXIT_SEND("arp-announce-other-host-unprobed", NOT_PROBED_ARP, ho_announce_other_host),
};

/*
 * --holes: what net accepts although no honest engine sends it. Each line
 * is a request ipc_check_send lets through when these probes were written;
 * a probe that starts to say "closed" is a hole fixed, and its case can
 * move to the table above.
 */
static const struct hcase holes[] = {
	/* Broadcast: src_ip need only equal ciaddr, so the IP source is any
	 * address, the server's or a non-unicast one. */
	HOLE_EDIT("broadcast-from-the-server-address", ho_src_server),
	/* Unicast goes to any unicast address, not only a server's; with no
	 * route the kernel takes it for on-link (SO_BINDTODEVICE) and ARPs. */
	HOLE_EDIT("unicast-to-another-host", ho_ucast_other_host),
	HOLE_EDIT("unicast-to-subnet-broadcast", ho_ucast_subnet_bcast),
	/* Options and fields net does not look at: another client's identity,
	 * a relay's option, reserved flag bits, sname and file. */
	HOLE_EDIT("client-id-of-another-host", ho_client_id_other),

};

/* ---- the wire ------------------------------------------------------------ */

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int sniff_open(void)
{
	struct sockaddr_ll sll;
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));

	if (fd < 0)
		return -errno;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = world.ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		int e = -errno;
		close(fd);
		return e;
	}
	return fd;
}

/* Everything the socket holds; the frames that left IFNAME are kept. */
static void sniff_read(void)
{
	static uint8_t buf[65536];

	for (;;) {
		struct sockaddr_ll from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(world.sniff, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC,
				     (struct sockaddr *)&from, &flen);

		if (n < 0)
			return;
		if (from.sll_pkttype != PACKET_OUTGOING)
			continue;
		if (wire.n < FRAMES_MAX) {
			size_t keep = (size_t)n < IPC_FRAME_MAX ? (size_t)n : IPC_FRAME_MAX;
			memcpy(wire.data[wire.n], buf, keep);
			wire.len[wire.n] = keep;
		}
		wire.n++;
	}
}

static void sniff_reset(void)
{
	sniff_read();
	wire.n = 0;
}

static bool wire_has(bool (*match)(const uint8_t *, size_t))
{
	for (unsigned i = 0; i < wire.n && i < FRAMES_MAX; i++)
		if (match(wire.data[i], wire.len[i]))
			return true;
	return false;
}

/* Read the wire for ms, or until a frame matches (match not NULL) or the
 * role has exited (np not NULL). */
static bool sniff_watch(unsigned ms, bool (*match)(const uint8_t *, size_t),
			struct role_proc *np)
{
	uint64_t end = now_ms() + ms;

	for (;;) {
		struct pollfd p = { world.sniff, POLLIN, 0 };

		sniff_read();
		if (match && wire_has(match))
			return true;
		if ((np && !still_running(np)) || now_ms() >= end)
			return false;
		poll(&p, 1, 10);
	}
}

static const char *mac_text(const uint8_t *m)
{
	static char s[4][18];
	static unsigned k;
	char *out = s[k++ % 4];

	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return out;
}

static const char *ip_text(uint32_t a)
{
	static char s[4][INET_ADDRSTRLEN];
	static unsigned k;
	char *out = s[k++ % 4];
	struct in_addr in = { htonl(a) };

	inet_ntop(AF_INET, &in, out, INET_ADDRSTRLEN);
	return out;
}

static void frame_text(const uint8_t *f, size_t len, char *out, size_t cap)
{
	struct udp_view u;
	struct arp_view a;
	struct wire_error err;

	if (frame_parse_udp(f, len, false, &u, &err) == WIRE_OK)
		snprintf(out, cap, "UDP %s:%u > %s:%u, %zu bytes, eth %s > %s", ip_text(u.ip_src),
			 u.port_src, ip_text(u.ip_dst), u.port_dst, u.payload_len,
			 mac_text(u.eth_src), mac_text(u.eth_dst));
	else if (frame_parse_arp(f, len, &a, &err) == WIRE_OK)
		snprintf(out, cap, "ARP op %u who-has %s tell %s (%s), eth %s > %s", a.op,
			 ip_text(a.tpa), ip_text(a.spa), mac_text(a.sha), mac_text(a.eth_src),
			 mac_text(a.eth_dst));
	else if (len >= ETH_HDR_LEN)
		snprintf(out, cap, "ethertype %02x%02x, %zu bytes, eth %s > %s", f[12], f[13], len,
			 mac_text(f + 6), mac_text(f));
	else
		snprintf(out, cap, "%zu bytes", len);
}

/* The frames seen, "; "-separated. */
static const char *wire_text(void)
{
	static char s[2048];
	size_t used = 0;

	s[0] = '\0';
	for (unsigned i = 0; i < wire.n && i < FRAMES_MAX && used + 2 < sizeof(s); i++) {
		frame_text(wire.data[i], wire.len[i], s + used, sizeof(s) - used);
		used = strlen(s);
		if (i + 1 < wire.n && used + 2 < sizeof(s)) {
			strcpy(s + used, "; ");
			used += 2;
		}
	}
	return wire.n ? s : "nothing";
}

/* ---- one net process ----------------------------------------------------- */

/* net as the supervisor starts it; spawn_role places the channel and log. */
static const char *spawn(struct role_proc *np, const char *tag, unsigned idx)
{
	const char *argv[] = { world.bin, "--role", "net", "-d", world.ifname, NULL };
	char log_path[PATH_MAX];

	snprintf(log_path, sizeof(log_path), "%s/net-%s%03u.log", world.dir, tag, idx);
	return spawn_role(np, argv, log_path, "net");
}

/* net's first words: the link, up, with IFNAME's MAC; checked against the
 * catalogue like any receiver does. */
static const char *expect_link(struct role_proc *np)
{
	static uint8_t buf[IPC_BUF_MAX];
	struct pollfd p = { np->ch.fd, POLLIN, 0 };
	struct ipc_hdr h;
	struct ipc_link k;
	const void *body;
	const char *bad;
	ssize_t n;

	if (poll(&p, 1, WAIT_MS) <= 0)
		return failf("no NET_LINK from net within %u ms (%s)", WAIT_MS,
			     still_running(np) ? "running" : exit_text(np->status));
	n = ipc_recv(&np->ch, buf, sizeof(buf), &h, &body);
	if (n < 0)
		return failf("net's record breaks the framing: %s", strerror((int)-n));
	if (n == 0 && h.type == 0)
		return failf("net closed the channel instead of sending NET_LINK (%s)",
			     wait_exit(np) ? exit_text(np->status) : "running");
	if (h.type != IPC_NET_LINK)
		return failf("net sent %s first, expected NET_LINK", ipc_type_name(h.type));
	bad = ipc_msg_check(IPC_PEER_NET, IPC_PEER_ENGINE, h.type, body, (size_t)n);
	if (bad)
		return failf("net's NET_LINK fails the catalogue: %s", bad);
	memcpy(&k, body, sizeof(k));
	if (memcmp(k.mac, world.mac, ETH_ADDR_LEN) != 0)
		return failf("NET_LINK names %s, %s has %s", mac_text(k.mac), world.ifname,
			     mac_text(world.mac));
	if (!k.up)
		return failf("NET_LINK says %s has no carrier", world.ifname);
	return NULL;
}

/* ---- outcomes ------------------------------------------------------------ */

#define LOG_PREFIX "lessee[net]: "

/* Still running; closing the channel then ends it cleanly (status 0: "the
 * engine is gone"). */
static const char *goes_on(struct role_proc *np)
{
	if (!still_running(np))
		return failf("net exited (%s) instead of going on", exit_text(np->status));
	close_chan(np);
	if (!wait_exit(np))
		return failf("net still running %u ms after the channel closed", WAIT_MS);
	if (!WIFEXITED(np->status) || WEXITSTATUS(np->status) != 0)
		return failf("net ended with %s at the end of the channel, want status 0",
			     exit_text(np->status));
	return NULL;
}

static const char *expect_exit(struct role_proc *np, const struct hcase *c)
{
	if (!wait_exit(np))
		return failf("net still running %u ms after the record", WAIT_MS);
	if (WIFSIGNALED(np->status))
		return failf("net was %s, want a refusal (a non-zero exit)", exit_text(np->status));
	if (WEXITSTATUS(np->status) == 0)
		return failf("net exited with status 0, want a refusal (a non-zero exit)");
	if (!log_line_has(np, LOG_PREFIX, c->log))
		return failf("net's log lacks \"%s\"", c->log);
	return NULL;
}

static const char *expect_drop(struct role_proc *np, const struct hcase *c)
{
	uint64_t end = now_ms() + WAIT_MS;

	while (!log_line_has(np, LOG_PREFIX, c->log)) {
		if (!still_running(np))
			return failf("net exited (%s) instead of going on", exit_text(np->status));
		if (now_ms() >= end)
			return failf("net's log lacks \"%s\" after %u ms", c->log, WAIT_MS);
		usleep(10000);
	}
	return goes_on(np);
}

static const char *expect_sent(struct role_proc *np, const struct hcase *c)
{
	if (!sniff_watch(WAIT_MS, c->match, np))
		return failf("the control's frame did not leave %s within %u ms (net: %s); "
			     "left: %s", world.ifname, WAIT_MS,
			     still_running(np) ? "running" : exit_text(np->status), wire_text());
	return goes_on(np);
}

static const char *expect(struct role_proc *np, const struct hcase *c)
{
	switch (c->want) {
	case WANT_EXIT:
		return expect_exit(np, c);
	case WANT_DROP:
		return expect_drop(np, c);
	case WANT_SENT:
		return expect_sent(np, c);
	case WANT_HOLE:
		break;
	}
	return "not a case of the main table";
}

/* After the case: nothing left IFNAME but a control's one frame. */
static const char *wire_check(const struct hcase *c)
{
	sniff_watch(DRAIN_MS, NULL, NULL);
	if (c->want == WANT_SENT) {
		if (wire.n == 1 && c->match(wire.data[0], wire.len[0]))
			return NULL;
		return failf("want the control's frame alone on %s, saw %u: %s", world.ifname,
			     wire.n, wire_text());
	}
	if (wire.n == 0)
		return NULL;
	return failf("%u frame(s) left %s: %s", wire.n, world.ifname, wire_text());
}

static int send_records(struct role_proc *np, const struct hcase *c)
{
	return c->send ? c->send(&np->ch) : send_dhcp(&np->ch, c->edit);
}

static const char *run_case(const struct hcase *c, unsigned idx)
{
	struct role_proc np;
	const char *why;

	sniff_reset();
	why = spawn(&np, "", idx);
	if (!why)
		why = expect_link(&np);
	start_failed = why != NULL;
	if (!why) {
		int r = send_records(&np, c);
		/* A record that kills net may make a later one fail: fine. */
		if (r < 0 && c->want != WANT_EXIT)
			why = failf("sending: %s", strerror(-r));
		else
			why = expect(&np, c);
	}
	reap(&np);
	if (!why && log_has_sanitizer_report(&np))
		why = "a sanitizer report in net's log";
	if (!why)
		why = wire_check(c);
	if (why)
		fprintf(stderr, "--- %s: net's log (%s):\n%s\n", c->name, np.log_path, log_tail(&np));
	return why;
}

/* ---- --holes ------------------------------------------------------------- */

/* The log's last line, without its newline. */
static const char *log_last_line(const struct role_proc *np)
{
	static char line[512];
	const char *t = log_text(np);
	size_t len = strlen(t);
	const char *p;

	while (len > 0 && t[len - 1] == '\n')
		len--;
	for (p = t + len; p > t && p[-1] != '\n'; p--)
		;
	snprintf(line, sizeof(line), "%.*s", (int)(t + len - p), p);
	return line;
}

/* Read the wire until it has been quiet for QUIET_MS (at most 5 times):
 * the kernel's ARP retries for a unicast request belong to its probe. */
static void wait_quiet(void)
{
	for (unsigned i = 0; i < 5; i++) {
		unsigned before = wire.n;

		sniff_watch(QUIET_MS, NULL, NULL);
		if (wire.n == before)
			return;
	}
}

/* One line: "hole" when net sent it (or passed it to the kernel), "closed"
 * when it refused it. */
static void run_probe(const struct hcase *c, unsigned idx)
{
	struct role_proc np;
	const char *why;

	sniff_reset();
	why = spawn(&np, "hole-", idx);
	if (!why)
		why = expect_link(&np);
	if (!why) {
		int r = send_records(&np, c);
		if (r < 0)
			why = failf("sending: %s", strerror(-r));
	}
	if (!why)
		sniff_watch(PROBE_MS, NULL, &np);
	if (!why && wire.n)
		wait_quiet();
	if (why)
		printf("FAIL %s: %s\n", c->name, why);
	else if (!still_running(&np))
		printf("closed %s: net %s: %s\n", c->name, exit_text(np.status), log_last_line(&np));
	else if (wire.n)
		printf("hole %s: net sent it: %s\n", c->name, wire_text());
	else
		printf("hole %s: net passed it on, nothing left %s; its log: %s\n", c->name,
		       world.ifname, log_last_line(&np));
	reap(&np);
}

/* ---- main ---------------------------------------------------------------- */

/* The base request passes every check net makes: the cases' refusals are
 * their edits', and the control is what an honest engine sends. */
static const char *base_valid(void)
{
	static struct client_send s;
	static uint8_t buf[IPC_FRAME_MAX];
	struct wire_error err;
	size_t len;
	const char *bad;

	base_send(&s);
	bad = ipc_msg_check(IPC_PEER_ENGINE, IPC_PEER_NET, IPC_NET_SEND_DHCP, &s, sizeof(s));
	if (!bad)
		bad = ipc_check_send(&s, world.mac);
	if (!bad && dhcp_build(&s.msg, s.order, s.n_order, buf, sizeof(buf), &len, &err) != WIRE_OK)
		bad = wire_reason_text(err.reason);
	return bad;
}

static int setup(void)
{
	struct ifreq ifr;
	int fd;

	world.ifindex = (int)if_nametoindex(world.ifname);
	if (world.ifindex == 0) {
		fprintf(stderr, "hostile-net: %s: %s\n", world.ifname, strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", world.ifname);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || ioctl(fd, SIOCGIFHWADDR, &ifr) != 0) {
		fprintf(stderr, "hostile-net: MAC of %s: %s\n", world.ifname, strerror(errno));
		return -1;
	}
	close(fd);
	memcpy(world.mac, ifr.ifr_hwaddr.sa_data, ETH_ADDR_LEN);
	world.sniff = sniff_open();
	if (world.sniff < 0) {
		fprintf(stderr, "hostile-net: packet socket on %s: %s\n", world.ifname,
			strerror(-world.sniff));
		return -1;
	}
	return 0;
}

static int run_holes(void)
{
	size_t n = sizeof(holes) / sizeof(holes[0]);

	for (size_t i = 0; i < n; i++)
		run_probe(&holes[i], (unsigned)i);
	printf("# %zu probes\n", n);
	return 0;
}

static int run_cases(void)
{
	size_t n = sizeof(cases) / sizeof(cases[0]);
	unsigned failed = 0, start_failures = 0;

	for (size_t i = 0; i < n; i++) {
		const char *why = run_case(&cases[i], (unsigned)i);

		print_result(cases[i].name, why);
		failed += why != NULL;
		start_failures = start_failed ? start_failures + 1 : 0;
		/* Bounded in time as a whole, not only per wait. */
		if (start_failures == START_FAILURES_MAX) {
			printf("# net failed to start %u times in a row: stopped\n",
			       START_FAILURES_MAX);
			return 1;
		}
	}
	printf("# %zu cases, %u failed\n", n, failed);
	return failed ? 1 : 0;
}

int main(int argc, char *argv[])
{
	bool holes_mode = argc == 5 && strcmp(argv[1], "--holes") == 0;
	char **arg = argv + 1 + holes_mode;
	const char *bad;

	if ((argc != 4 && !holes_mode) || arg[0][0] != '/' || arg[2][0] != '/') {
		fprintf(stderr, "usage: hostile-net [--holes] /LESSEE_BIN IFNAME /WORKDIR\n");
		return 2;
	}
	world.bin = arg[0];
	world.ifname = arg[1];
	world.dir = arg[2];
	if (setup() < 0)
		return 2;
	if ((bad = base_valid()) != NULL) {
		fprintf(stderr, "hostile-net: the base request is refused: %s\n", bad);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	return holes_mode ? run_holes() : run_cases();
}
