/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The engine role: the parser and the state machine, and nothing else. It
 * holds no capability, runs as an unprivileged user in an empty root, and
 * talks only over its three channels:
 *   fd 3  supervisor (user requests down, status up)
 *   fd 4  net        (frames and link state up, typed send requests down)
 *   fd 5  apply      (stored lease and results up, lease events down)
 * It carries out the client's actions by turning each into one message.
 *
 * With --random-mac it starts the client only once net reports the address
 * apply says it set (bounded by MAC_WAIT_MS). With --random-mac=stable it
 * also checks the network of the first OFFER or ACK the client takes: when
 * it is not the one the address was made for, the client's answer is
 * dropped, apply is asked (once) for that network's address, and the
 * client starts again from INIT with it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "lessee/cli.h"
#include "lessee/ipc_msg.h"
#include "lessee/log.h"
#include "lessee/macaddr.h"
#include "lessee/roles.h"
#include "os/evloop.h"
#include "os/privdrop.h"
#include "os/sandbox.h"
#include "wire/frame.h"

enum { TAG_CTL, TAG_NET, TAG_APPLY, TAG_TIMER };

/* apply's down/set/up takes milliseconds; a link that never shows the new
 * address is a fault to report, not to wait out. */
#define MAC_WAIT_MS 10000u

struct engine {
	const struct lessee_opts *opts;
	struct ipc_chan chan[3];      /* indexed by TAG_CTL..TAG_APPLY */
	int epfd;
	int timerfd;
	bool have_link;
	bool have_stored;
	bool started;
	bool stopped;                 /* STOPPED sent: the end is expected */
	bool pending_user;            /* a request that came before the start */
	struct ipc_user pending;
	struct ipc_link link;
	struct ipc_stored stored;
	struct client client;
	/* --random-mac */
	bool want_mac;                /* start only on apply's address */
	bool have_mac;                /* `mac` is apply's latest word */
	bool mac_waiting;             /* the timer bounds the wait for it */
	bool switch_asked;            /* stable: the one switch of this start */
	bool network_checked;         /* stable: a reply's network matched */
	struct ipc_mac mac;
};

static struct engine eng;
/* Static: about 66 KiB, and only one call is ever in flight. */
static struct client_actions actions;
static uint8_t rx_buf[IPC_BUF_MAX];

static const enum ipc_peer peer_of[3] = { IPC_PEER_SUPERVISOR, IPC_PEER_NET, IPC_PEER_APPLY };

static void send_or_die(int tag, uint16_t type, const void *body, size_t len)
{
	int r = ipc_send(&eng.chan[tag], type, body, len);
	if (r < 0)
		log_fatal("sending %s to %s: %s", ipc_type_name(type), eng.chan[tag].peer,
			  strerror(-r));
}

static void send_status(enum ipc_status_kind kind, uint32_t address)
{
	struct ipc_status st;
	memset(&st, 0, sizeof(st));
	st.kind = (uint8_t)kind;
	st.address = address;
	send_or_die(TAG_CTL, IPC_CTL_STATUS, &st, sizeof(st));
}

static void arm_timer(uint64_t deadline)
{
	int r = ev_timer_set(eng.timerfd, deadline == CLIENT_NEVER ? EV_NEVER : deadline);
	if (r < 0)
		log_fatal("arming the timer: %s", strerror(-r));
}

static void log_client(const struct client_log *l)
{
	static const enum log_level level[] = {
		[CLIENT_LOG_DEBUG] = LOG_LVL_DEBUG,
		[CLIENT_LOG_INFO] = LOG_LVL_INFO,
		[CLIENT_LOG_WARNING] = LOG_LVL_WARNING,
		[CLIENT_LOG_ERROR] = LOG_LVL_ERROR,
	};
	/* State changes are for -v; the exchange itself is one line a step. */
	log_msg(l->code == CLIENT_LOG_STATE ? LOG_LVL_DEBUG : level[l->level], "%s", l->text);
}

static void do_lease_event(uint16_t type, const struct client_action *a)
{
	struct ipc_lease_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.lease = a->u.configure.lease;
	ev.reason = (uint8_t)a->u.configure.reason;
	ev.anonymous = eng.opts->anonymous;
	send_or_die(TAG_APPLY, type, &ev, sizeof(ev));
}

static void do_deconfigure(const struct client_action *a)
{
	struct ipc_deconfigure d;

	memset(&d, 0, sizeof(d));
	d.address = a->u.deconfigure.address;
	d.reason = (uint8_t)a->u.deconfigure.reason;
	d.keep = a->u.deconfigure.reason == CLIENT_HOOK_STOP && eng.opts->keep;
	send_or_die(TAG_APPLY, IPC_APPLY_DECONFIGURE, &d, sizeof(d));
	send_status(IPC_STATUS_LOST, d.address);
}

static void do_arp(enum ipc_arp_kind kind, uint32_t address)
{
	struct ipc_arp arp;
	memset(&arp, 0, sizeof(arp));
	arp.kind = (uint8_t)kind;
	arp.address = address;
	send_or_die(TAG_NET, IPC_NET_SEND_ARP, &arp, sizeof(arp));
}

static void run_action(const struct client_action *a)
{
	switch (a->type) {
	case CLIENT_ACT_SEND:
		send_or_die(TAG_NET, IPC_NET_SEND_DHCP, &a->u.send, sizeof(a->u.send));
		break;
	case CLIENT_ACT_SET_TIMER:
		arm_timer(a->u.deadline);
		break;
	case CLIENT_ACT_ACD_PROBE:
		do_arp(IPC_ARP_PROBE, a->u.acd.addr);
		break;
	case CLIENT_ACT_ACD_ANNOUNCE:
		do_arp(IPC_ARP_ANNOUNCE, a->u.acd.addr);
		break;
	case CLIENT_ACT_CONFIGURE:
		do_lease_event(IPC_APPLY_CONFIGURE, a);
		break;
	case CLIENT_ACT_PERSIST_LEASE:
		do_lease_event(IPC_APPLY_PERSIST, a);
		break;
	case CLIENT_ACT_DECONFIGURE:
		do_deconfigure(a);
		break;
	case CLIENT_ACT_DROP_LEASE:
		send_or_die(TAG_APPLY, IPC_APPLY_DROP, NULL, 0);
		break;
	case CLIENT_ACT_LOG:
		log_client(&a->u.log);
		break;
	case CLIENT_ACT_STOPPED:
		send_status(IPC_STATUS_STOPPED, 0);
		eng.stopped = true;
		break;
	}
}

static void run_actions(void)
{
	if (actions.overflow)
		log_fatal("internal: the client produced more than %u actions", CLIENT_MAX_ACTIONS);
	for (size_t i = 0; i < actions.n; i++)
		run_action(&actions.a[i]);
}

static void handle_event(const struct client_event *ev)
{
	client_handle(&eng.client, ev, mono_now_ms(), &actions);
	run_actions();
}

static void on_user(const struct ipc_user *u);

static void start_client(void)
{
	struct client_config cfg;
	uint64_t seed;

	cli_client_config(eng.opts, eng.link.mac, &cfg);
	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		log_fatal("getrandom: %s", strerror(errno));
	if (client_init(&eng.client, &cfg, eng.stored.present ? &eng.stored.lease : NULL,
			seed) != 0)
		log_fatal("the client configuration was refused");
	eng.started = true;
	eng.mac_waiting = false;   /* the client's own SET_TIMER re-arms it */
	if (eng.opts->action == CLI_RELEASE) {
		client_release_stored(&eng.client, mono_now_ms(), &actions);
		run_actions();
		return;
	}
	client_start(&eng.client, mono_now_ms(), &actions);
	run_actions();
	if (!eng.link.up) {
		struct client_event ev = { .type = CLIENT_EV_LINK_DOWN };
		handle_event(&ev);
	}
	if (eng.pending_user)
		on_user(&eng.pending);
}

/* ---- --random-mac=stable: one address per network ------------------------ */

/* The network of an OFFER or ACK the client just took (client.h). */
static bool reply_network(const uint8_t *payload, size_t len, struct ipc_fingerprint *fp)
{
	uint32_t server_id, subnet;
	uint8_t prefix;

	if (!client_reply_network(payload, len, &server_id, &subnet, &prefix))
		return false;
	memset(fp, 0, sizeof(*fp));
	fp->server_id = server_id;
	fp->subnet = subnet;
	fp->prefix = prefix;
	return true;
}

/* Did this call take a reply that carries a lease (OFFER chosen, ACK)? */
static bool took_reply(enum client_state before, enum client_state after)
{
	bool waiting = before == CLIENT_SELECTING || before == CLIENT_REQUESTING ||
		       before == CLIENT_REBOOTING;
	bool taken = after == CLIENT_REQUESTING || after == CLIENT_CHECKING ||
		     after == CLIENT_BOUND;
	return waiting && taken && before != after;
}

/* The client's log lines of a call whose other actions are dropped. */
static void run_log_actions(void)
{
	for (size_t i = 0; i < actions.n; i++)
		if (actions.a[i].type == CLIENT_ACT_LOG)
			log_client(&actions.a[i].u.log);
}

static void arm_mac_wait(void)
{
	eng.mac_waiting = true;
	arm_timer(mono_now_ms() + MAC_WAIT_MS);
}

/*
 * Nothing was configured yet (this is the first reply taken in this
 * start): drop the client's answer, stop it, and start again once the
 * address apply derives for this network is on the link.
 */
static void ask_switch(const struct ipc_fingerprint *fp)
{
	uint32_t s = fp->server_id, n = fp->subnet;

	log_msg(LOG_LVL_INFO, "network %u.%u.%u.%u %u.%u.%u.%u/%u is not the one the MAC was "
		"made for: asking apply for its stable MAC", s >> 24, s >> 16 & 255, s >> 8 & 255,
		s & 255, n >> 24, n >> 16 & 255, n >> 8 & 255, n & 255, fp->prefix);
	eng.switch_asked = true;
	eng.started = false;
	eng.have_mac = false;
	send_or_die(TAG_APPLY, IPC_APPLY_SWITCH_MAC, fp, sizeof(*fp));
	arm_mac_wait();
}

/* After client_receive: true when the reply was dropped for a switch. */
static bool switched_network(enum client_state before, const uint8_t *payload, size_t len)
{
	struct ipc_fingerprint fp;

	if (!eng.want_mac || !eng.opts->random_mac_stable || eng.switch_asked ||
	    eng.network_checked || !took_reply(before, client_state(&eng.client)))
		return false;
	if (!reply_network(payload, len, &fp))
		log_fatal("internal: the client took a reply without a lease's network");
	if (eng.mac.stable && memcmp(&fp, &eng.mac.net, sizeof(fp)) == 0) {
		eng.network_checked = true;
		return false;
	}
	run_log_actions();
	ask_switch(&fp);
	return true;
}

/* DHCP frames: framing first, then the client parses the UDP payload. */
static void on_dhcp_frame(const struct ipc_frame *f)
{
	struct udp_view udp;
	struct wire_error err;

	if (frame_parse_udp(f->data, f->len, f->csum_not_ready, &udp, &err) != WIRE_OK) {
		char why[160];

		/* counted and rate-limited with the client's other input lines */
		wire_error_format(&err, why, sizeof(why));
		client_frame_dropped(&eng.client, why, mono_now_ms(), &actions);
		run_actions();
		return;
	}
	if (udp.port_dst != DHCP_CLIENT_PORT || udp.port_src != DHCP_SERVER_PORT)
		return;
	enum client_state before = client_state(&eng.client);
	client_receive(&eng.client, udp.payload, udp.payload_len, mono_now_ms(), &actions);
	if (switched_network(before, udp.payload, udp.payload_len))
		return;
	run_actions();
}

/*
 * RFC 5227 2.1.1: a conflict is any ARP whose sender IP is the address, or
 * a probe (sender IP 0) for it. The client ignores its own MAC and
 * addresses it does not hold.
 */
static void on_arp_frame(const struct ipc_frame *f)
{
	struct arp_view arp;
	struct wire_error err;
	struct client_event ev = { .type = CLIENT_EV_ACD_CONFLICT };

	if (frame_parse_arp(f->data, f->len, &arp, &err) != WIRE_OK)
		return;
	ev.u.acd.addr = arp.spa ? arp.spa : arp.tpa;
	memcpy(ev.u.acd.mac, arp.sha, sizeof(ev.u.acd.mac));
	handle_event(&ev);
}

static void on_link(const struct ipc_link *l)
{
	bool was_up = eng.link.up;

	eng.link = *l;
	if (!eng.have_link) {
		eng.have_link = true;
		return;
	}
	if (memcmp(l->mac, eng.client.cfg.mac, sizeof(l->mac)) != 0 && eng.started)
		log_fatal("the interface's MAC address changed under us");
	if (eng.started && was_up != (bool)l->up) {
		struct client_event ev = { .type = l->up ? CLIENT_EV_LINK_UP : CLIENT_EV_LINK_DOWN };
		handle_event(&ev);
	}
}

/*
 * apply set an address: at start, or after the switch the engine asked for.
 * Any other time (a second one, or one nobody asked for) apply is not doing
 * what it should.
 */
static void on_apply_mac(const struct ipc_mac *m)
{
	if (!eng.want_mac)
		log_fatal("apply set a MAC without --random-mac");
	if (eng.have_mac || eng.started)
		log_fatal("apply set a MAC the engine did not ask for");
	if (m->stable && !eng.opts->random_mac_stable)
		log_fatal("apply set a stable MAC without --random-mac=stable");
	eng.mac = *m;
	eng.have_mac = true;
	arm_mac_wait();
}

/* Link, stored lease and (--random-mac) net showing apply's address. */
static bool ready_to_start(void)
{
	if (eng.started || !eng.have_link || !eng.have_stored)
		return false;
	return !eng.want_mac ||
	       (eng.have_mac && memcmp(eng.link.mac, eng.mac.mac, sizeof(eng.link.mac)) == 0);
}

static void on_user(const struct ipc_user *u)
{
	struct client_event ev = ipc_user_event(u);

	if (!eng.started) {
		eng.pending = *u;
		eng.pending_user = true;
		return;
	}
	handle_event(&ev);
}

/*
 * apply answers every CONFIGURE. A refusal goes to the client, which
 * forgets the lease and looks for another server (client.c,
 * on_lease_refused): staying bound on a lease nobody applied is how a
 * rogue that answers first kept the host off the network.
 */
static void on_apply_result(const struct ipc_result *r)
{
	struct client_event ev = { .type = CLIENT_EV_LEASE_REFUSED, .u.refused = r->address };

	send_status(r->applied ? IPC_STATUS_BOUND : IPC_STATUS_REFUSED, r->address);
	if (!r->applied && eng.started)
		handle_event(&ev);
}

static void dispatch(int tag, uint16_t type, const union ipc_body *b)
{
	switch ((enum ipc_type)type) {
	case IPC_CTL_USER:
		on_user(&b->user);
		break;
	case IPC_NET_FRAME:
		if (eng.started)
			on_dhcp_frame(&b->frame);
		break;
	case IPC_NET_ARP_FRAME:
		if (eng.started)
			on_arp_frame(&b->frame);
		break;
	case IPC_NET_LINK:
		on_link(&b->link);
		break;
	case IPC_APPLY_STORED:
		if (eng.have_stored)
			log_fatal("apply sent a second stored lease");
		eng.stored = b->stored;
		eng.have_stored = true;
		break;
	case IPC_APPLY_RESULT:
		on_apply_result(&b->result);
		break;
	case IPC_APPLY_MAC:
		on_apply_mac(&b->mac);
		break;
	case IPC_APPLY_SWITCH_MAC:
	case IPC_CTL_STATUS:
	case IPC_NET_SEND_DHCP:
	case IPC_NET_SEND_ARP:
	case IPC_APPLY_CONFIGURE:
	case IPC_APPLY_DECONFIGURE:
	case IPC_APPLY_PERSIST:
	case IPC_APPLY_DROP:
	case IPC_TYPE_COUNT:
		/* ipc_msg_check let through only what this peer may send us. */
		log_fatal("internal: %s from %s", ipc_type_name(type), eng.chan[tag].peer);
	}
	if (ready_to_start())
		start_client();
}

/* One message from a peer; anything unexpected ends the engine. */
static void on_channel(int tag)
{
	static union ipc_body body;
	struct ipc_hdr hdr;
	const void *raw;
	ssize_t n = ipc_recv(&eng.chan[tag], rx_buf, sizeof(rx_buf), &hdr, &raw);
	const char *bad;

	if (n == 0 && hdr.type == 0) {
		if (eng.stopped && tag == TAG_CTL)
			exit(0);
		log_fatal("%s closed its channel; stopping", eng.chan[tag].peer);
	}
	if (n < 0)
		log_fatal("bad message from %s: %s", eng.chan[tag].peer, strerror((int)-n));
	bad = ipc_msg_check(peer_of[tag], IPC_PEER_ENGINE, hdr.type, raw, (size_t)n);
	if (bad)
		log_fatal("refused %s from %s: %s", ipc_type_name(hdr.type), eng.chan[tag].peer, bad);
	memcpy(&body, raw, (size_t)n);
	dispatch(tag, hdr.type, &body);
}

static void on_timer(void)
{
	struct client_event ev = { .type = CLIENT_EV_TIMER };

	ev_timer_ack(eng.timerfd);
	if (!eng.started && eng.mac_waiting) {
		char want[MACADDR_TEXT_LEN];
		log_fatal("--random-mac: net did not report the MAC apply set (%s) within %u ms",
			  eng.have_mac ? macaddr_format(eng.mac.mac, want) : "none yet", MAC_WAIT_MS);
	}
	if (eng.started)
		handle_event(&ev);
}

static void setup_loop(void)
{
	static const char *const names[3] = { "supervisor", "net", "apply" };

	eng.epfd = ev_open();
	eng.timerfd = ev_timer_open();
	if (eng.epfd < 0 || eng.timerfd < 0)
		log_fatal("epoll/timerfd: %s", strerror(-(eng.epfd < 0 ? eng.epfd : eng.timerfd)));
	for (int tag = TAG_CTL; tag <= TAG_APPLY; tag++) {
		ipc_chan_init(&eng.chan[tag], ROLE_FD_FIRST + tag, names[tag]);
		if (ev_add(eng.epfd, eng.chan[tag].fd, (uint32_t)tag) < 0)
			log_fatal("epoll_ctl: %s", strerror(errno));
	}
	if (ev_add(eng.epfd, eng.timerfd, TAG_TIMER) < 0)
		log_fatal("epoll_ctl: %s", strerror(errno));
}

int role_engine_main(const struct lessee_opts *opts)
{
	const char *why = NULL;

	eng.opts = opts;
	eng.want_mac = opts->random_mac && opts->action == CLI_RUN;
	log_init("engine", !opts->foreground && !opts->once && !opts->oneshot,
		 opts->quiet, opts->verbose);
	setup_loop();
	/* Straight line: drop to the unprivileged user in an empty root with no
	 * capability, then the sandbox. Each step is fatal if it fails. */
	if (privdrop_role(OS_ROLE_ENGINE, NULL, &why) < 0)
		log_fatal("dropping privileges: %s", why);
	if (sandbox_apply(OS_ROLE_ENGINE, sandbox_flags(opts), &why) < 0)
		log_fatal("sandbox: %s", why);
	for (;;) {
		struct ev_ready ready[4];
		int n = ev_wait(eng.epfd, ready, 4, -1);
		if (n < 0)
			log_fatal("epoll_wait: %s", strerror(-n));
		for (int i = 0; i < n; i++) {
			if (ready[i].tag == TAG_TIMER)
				on_timer();
			else
				on_channel((int)ready[i].tag);
		}
	}
}
