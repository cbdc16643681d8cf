/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lessee --explain (see explain.h). Two halves:
 *
 *   simulate  the real engine on a virtual clock, fed synthetic replies of
 *             a fictitious server (192.0.2.1 offering 192.0.2.100/24 for
 *             3600 s): start, OFFER, ACK, T1, T2, and forks of the client
 *             value for the branches (an ARP conflict while probing, a user
 *             release, a carrier flap, a start from the stored lease). Each
 *             message the engine emits is kept with the schedule of its
 *             retransmissions, read off the engine's own timers.
 *   render    each kept message built by dhcp_build() (the net role's
 *             call), parsed back, and printed item by item with a mark:
 *             does this item identify the device, and why.
 *
 * A message kind the engine never sends in this configuration (a RELEASE in
 * anonymous mode, a DECLINE with --acd off, an INIT-REBOOT without a stored
 * lease) is listed as not sent, with the reason.
 */
#include "explain.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lessee/ipc_msg.h"
#include "wire/dhcp.h"
#include "wire/options.h"

#define EX_RETRANS_MAX 7u       /* retransmissions shown per message */
#define EX_STEPS_MAX   64u      /* timer steps to reach a state (a bound) */
#define EX_PAYLOAD_MAX 1472u    /* a 1500-byte datagram less IPv4 and UDP */
#define EX_ITEMS_MAX   (16u + DHCP_OUT_MAX_OPTS)
#define EX_WHY_MAX     240u

/* ---- what is explained ---------------------------------------------------- */

enum ex_slot {
	EX_DISCOVER,
	EX_REQ_SELECTING,
	EX_REQ_REBOOT_START,
	EX_REQ_RENEWING,
	EX_REQ_REBINDING,
	EX_REQ_REBOOT_LINK,
	EX_DECLINE,
	EX_RELEASE,
	EX_SLOT_COUNT
};

struct ex_slot_desc {
	const char *type;
	const char *state;       /* the RFC 2131 4.4 state it is sent in */
	const char *trigger;
	const char *rule;        /* its retransmission rule, with the RFC */
};

static const struct ex_slot_desc slot_desc[EX_SLOT_COUNT] = {
	[EX_DISCOVER] = { "DISCOVER", "INIT",
		"start (again after a NAK, a DECLINE or an expired lease)",
		"RFC 2131 4.1: again after 4 s, doubling to 64 s, each +-1 s at random; "
		"for ever" },
	[EX_REQ_SELECTING] = { "REQUEST", "SELECTING", "the first acceptable OFFER",
		"RFC 2131 4.1 schedule, 4 retransmissions, then INIT (a new DISCOVER)" },
	[EX_REQ_REBOOT_START] = { "REQUEST", "INIT-REBOOT",
		"start with a stored lease (-lf): verify it (RFC 2131 3.2)",
		"RFC 2131 4.1 schedule, 2 retransmissions, then INIT" },
	[EX_REQ_RENEWING] = { "REQUEST", "RENEWING", "T1 (about half the lease), unicast",
		"RFC 2131 4.4.5: half the time left to T2, at least 60 s; REBINDING at T2" },
	[EX_REQ_REBINDING] = { "REQUEST", "REBINDING", "T2 (about 7/8 of the lease), broadcast",
		"RFC 2131 4.4.5: half the time left to expiry, at least 60 s; INIT at expiry" },
	[EX_REQ_REBOOT_LINK] = { "REQUEST", "INIT-REBOOT",
		"carrier returns while a lease is held: verify it (RFC 2131 3.2)",
		"RFC 2131 4.1 schedule, 2 retransmissions, then keep the lease" },
	[EX_DECLINE] = { "DECLINE", "CHECKING",
		"ARP conflict while probing the offered address (RFC 5227 2.1.1)",
		"sent once; a new DISCOVER 10 s later (RFC 2131 3.1 step 5)" },
	[EX_RELEASE] = { "RELEASE", "BOUND", "user release (lessee -r, SIGUSR2)",
		"sent once (RFC 2131 4.4.6), then lessee stops" },
};

struct ex_msg {
	bool sent;
	char why_none[EX_WHY_MAX];
	bool timed;                           /* on the main line: at_ms means something */
	uint64_t at_ms;                       /* after the first DISCOVER */
	struct client_send send;
	uint8_t n_retrans;
	uint64_t retrans_ms[EX_RETRANS_MAX];  /* after this message */
	bool retrans_more;                    /* they go on past the last shown */
	const char *then_state;               /* where they end; NULL: never */
	uint64_t then_ms;
	const char *then_sends;               /* what that step sends, or NULL */
};

/* One line of a message: a header field or an option, with its mark. */
struct ex_item {
	bool is_option;
	uint8_t code;
	const char *name;
	char value[96];          /* fields; options whose bytes are not shown */
	bool numeric;            /* the field is a JSON number */
	bool replaced;           /* option: value[] stands for the bytes */
	const uint8_t *data;     /* option bytes, in the parsed view */
	size_t len;
	bool identifies;
	const char *why;
};

/* One message built, parsed back, and cut into items. */
struct ex_view {
	uint8_t buf[EX_PAYLOAD_MAX];
	uint8_t scratch[EX_PAYLOAD_MAX];
	size_t len;
	struct dhcp_msg m;
	size_t n;
	struct ex_item item[EX_ITEMS_MAX];
};

struct ex_run {
	const struct explain_input *in;
	struct client_config cfg;
	const char *mac_mode;    /* NULL: the current MAC is used */
	uint64_t t0;             /* when the first DISCOVER goes out */
	const char *fail;        /* the first error, NULL while all is well */
	char fail_buf[EX_WHY_MAX];
	struct ex_msg msg[EX_SLOT_COUNT];
	struct ex_view view;
};

__attribute__((format(printf, 2, 3)))
static void ex_fail(struct ex_run *r, const char *fmt, ...)
{
	va_list ap;

	if (r->fail)
		return;
	va_start(ap, fmt);
	vsnprintf(r->fail_buf, sizeof(r->fail_buf), fmt, ap);
	va_end(ap);
	r->fail = r->fail_buf;
}

/*
 * --random-mac: apply sets the MAC before the first message, so the
 * current one never goes out. The engine runs here with the current MAC
 * (any valid unicast MAC gives the same messages but for its bytes), and
 * the bytes are shown as what they will be.
 */
static const char *mac_mode_of(const struct lessee_opts *o)
{
	if (!o->random_mac)
		return NULL;
	return o->random_mac_stable ? "stable per network" : "random per start";
}

/* ---- the engine on a virtual clock ---------------------------------------- */

struct sim {
	struct client c;
	uint64_t now;
	struct client_actions out;
};

/* After every call: the engine's own invariants, as the tests check them. */
static bool sim_ok(struct ex_run *r, const struct sim *s, const char *step)
{
	const char *why = s->out.overflow ? "more actions than CLIENT_MAX_ACTIONS"
					  : client_check(&s->c, s->now);

	if (why)
		ex_fail(r, "internal: the engine broke an invariant at %s: %s", step, why);
	return !why;
}

static const struct client_send *sim_sent(const struct sim *s)
{
	for (size_t i = 0; i < s->out.n; i++)
		if (s->out.a[i].type == CLIENT_ACT_SEND)
			return &s->out.a[i].u.send;
	return NULL;
}

static uint8_t send_type(const struct client_send *x)
{
	size_t len = 0;
	const uint8_t *t = x ? dhcp_out_get(&x->msg, DHCP_OPT_MSG_TYPE, &len) : NULL;

	return t && len == 1 ? t[0] : 0;
}

static struct sim *sim_new(struct ex_run *r, const struct client_config *cfg,
			   const struct client_lease *stored)
{
	struct sim *s = calloc(1, sizeof(*s));

	if (!s) {
		ex_fail(r, "out of memory");
		return NULL;
	}
	if (client_init(&s->c, cfg, stored, EXPLAIN_SEED) != 0) {
		ex_fail(r, "the engine refused the configuration");
		free(s);
		return NULL;
	}
	s->now = r->in->now_ms;
	client_start(&s->c, s->now, &s->out);
	if (!sim_ok(r, s, "start")) {
		free(s);
		return NULL;
	}
	return s;
}

/*
 * A copy of the client for a branch. salt moves its PRNG on, so that two
 * branches taken at one point do not show one xid sample twice (which
 * would suggest a link between them that the daemon, drawing each xid
 * afresh, never makes).
 */
static struct sim *sim_fork(struct ex_run *r, const struct sim *s, uint64_t salt)
{
	struct sim *f = malloc(sizeof(*f));

	if (!f) {
		ex_fail(r, "out of memory");
		return NULL;
	}
	memcpy(f, s, sizeof(*f));
	f->c.rng.state += salt * UINT64_C(0x9e3779b97f4a7c15);
	return f;
}

/* Let the deadline pass. */
static bool sim_timer(struct ex_run *r, struct sim *s)
{
	struct client_event ev = { .type = CLIENT_EV_TIMER };

	if (client_deadline(&s->c) == CLIENT_NEVER) {
		ex_fail(r, "internal: no deadline in %s", client_state_name(client_state(&s->c)));
		return false;
	}
	s->now = client_deadline(&s->c);
	client_handle(&s->c, &ev, s->now, &s->out);
	return sim_ok(r, s, "a timer");
}

static bool sim_event(struct ex_run *r, struct sim *s, const struct client_event *ev,
		      uint64_t after_ms)
{
	s->now += after_ms;
	client_handle(&s->c, ev, s->now, &s->out);
	return sim_ok(r, s, "an event");
}

/* Timers until the client is in state want (the last call's send is the
 * one that state began with). */
static bool sim_run_until(struct ex_run *r, struct sim *s, enum client_state want)
{
	for (unsigned i = 0; i < EX_STEPS_MAX && !r->fail; i++) {
		if (client_state(&s->c) == want)
			return true;
		if (!sim_timer(r, s))
			return false;
	}
	if (client_state(&s->c) == want)
		return true;
	ex_fail(r, "internal: the engine never reached %s", client_state_name(want));
	return false;
}

/*
 * The fictitious server's reply to the exchange xid: TEST-NET-1 addresses,
 * the lease time and mask, as a minimal server sends them. Only the
 * engine reads it; T1 and T2 are the engine's defaults (RFC 2131 4.4.5).
 */
static bool sim_reply(struct ex_run *r, struct sim *s, uint8_t type, uint32_t xid)
{
	static const uint32_t mask = UINT32_MAX << (32u - EXPLAIN_PREFIX);
	struct dhcp_header h = { .op = BOOTREPLY, .htype = 1, .hlen = 6, .xid = xid,
				 .yiaddr = EXPLAIN_ADDRESS };
	struct dhcp_out o;
	struct wire_error err;
	uint8_t buf[EX_PAYLOAD_MAX];
	size_t len = 0;
	bool ok;

	memcpy(h.chaddr, r->cfg.mac, 6);
	dhcp_out_init(&o, &h, type);
	ok = dhcp_out_add_ip(&o, DHCP_OPT_SERVER_ID, EXPLAIN_SERVER_IP) == WIRE_OK &&
	     dhcp_out_add_u32(&o, DHCP_OPT_LEASE_TIME, EXPLAIN_LEASE_S) == WIRE_OK &&
	     dhcp_out_add_ip(&o, DHCP_OPT_SUBNET_MASK, mask) == WIRE_OK &&
	     dhcp_out_add_ip(&o, DHCP_OPT_ROUTER, EXPLAIN_SERVER_IP) == WIRE_OK &&
	     dhcp_build(&o, NULL, 0, buf, sizeof(buf), &len, &err) == WIRE_OK;
	if (!ok) {
		ex_fail(r, "internal: the placeholder %s did not build", dhcp_msg_type_name(type));
		return false;
	}
	client_receive(&s->c, buf, len, s->now, &s->out);
	return sim_ok(r, s, dhcp_msg_type_name(type));
}

/* The last call sent type in state, or the explanation stops here. */
static const struct client_send *expect_send(struct ex_run *r, const struct sim *s,
					     uint8_t type, enum client_state state)
{
	const struct client_send *x = sim_sent(s);
	const char *why;

	if (r->fail)
		return NULL;
	if (send_type(x) != type || client_state(&s->c) != state) {
		ex_fail(r, "internal: expected a %s in %s, the engine sent %s in %s",
			dhcp_msg_type_name(type), client_state_name(state),
			x ? dhcp_msg_type_name(send_type(x)) : "nothing",
			client_state_name(client_state(&s->c)));
		return NULL;
	}
	/* What the net role checks before it builds a frame. */
	why = ipc_check_send(x, r->cfg.mac);
	if (why) {
		ex_fail(r, "internal: the net role would refuse the %s: %s",
			dhcp_msg_type_name(type), why);
		return NULL;
	}
	return x;
}

static void keep(struct ex_run *r, enum ex_slot slot, const struct sim *s,
		 const struct client_send *x)
{
	struct ex_msg *m = &r->msg[slot];

	m->sent = true;
	m->send = *x;
	m->at_ms = s->now >= r->t0 ? s->now - r->t0 : 0;
	/* Branches happen whenever their event does; start-up is its own run. */
	m->timed = slot == EX_DISCOVER || slot == EX_REQ_SELECTING ||
		   slot == EX_REQ_RENEWING || slot == EX_REQ_REBINDING;
}

__attribute__((format(printf, 3, 4)))
static void not_sent(struct ex_run *r, enum ex_slot slot, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->msg[slot].why_none, sizeof(r->msg[slot].why_none), fmt, ap);
	va_end(ap);
}

/*
 * The retransmissions of the message just kept: a fork of the client
 * lets its timers run while it stays in the state the message left it in,
 * and notes where that ends (and what that step sends).
 */
static void follow(struct ex_run *r, enum ex_slot slot, const struct sim *s)
{
	struct ex_msg *m = &r->msg[slot];
	struct sim *f = sim_fork(r, s, 0);
	enum client_state st;

	if (!f)
		return;
	st = client_state(&f->c);
	for (unsigned i = 0; i <= EX_RETRANS_MAX && !r->fail; i++) {
		const struct client_send *x;

		if (client_deadline(&f->c) == CLIENT_NEVER) {
			m->then_state = client_state_name(st);
			break;
		}
		if (!sim_timer(r, f))
			break;
		x = sim_sent(f);
		if (client_state(&f->c) != st) {
			m->then_state = client_state_name(client_state(&f->c));
			m->then_ms = f->now - s->now;
			m->then_sends = x ? dhcp_msg_type_name(send_type(x)) : NULL;
			break;
		}
		if (!x)
			continue;
		if (m->n_retrans == EX_RETRANS_MAX) {
			m->retrans_more = true;
			break;
		}
		m->retrans_ms[m->n_retrans++] = f->now - s->now;
	}
	free(f);
}

/* INIT: the first DISCOVER, after the initial delay if one is set. */
static bool step_discover(struct ex_run *r, struct sim *s)
{
	const struct client_send *x;

	for (unsigned i = 0; i < 4 && !sim_sent(s) && !r->fail; i++)
		sim_timer(r, s);
	x = expect_send(r, s, DHCPDISCOVER, CLIENT_SELECTING);
	if (!x)
		return false;
	r->t0 = s->now;
	keep(r, EX_DISCOVER, s, x);
	follow(r, EX_DISCOVER, s);
	return !r->fail;
}

static bool step_selecting(struct ex_run *r, struct sim *s)
{
	const struct client_send *x;

	if (!sim_reply(r, s, DHCPOFFER, r->msg[EX_DISCOVER].send.msg.hdr.xid))
		return false;
	x = expect_send(r, s, DHCPREQUEST, CLIENT_REQUESTING);
	if (!x)
		return false;
	keep(r, EX_REQ_SELECTING, s, x);
	follow(r, EX_REQ_SELECTING, s);
	return !r->fail;
}

/* RFC 5227 2.1.1: a conflict while probing makes the engine DECLINE. */
static void branch_decline(struct ex_run *r, const struct sim *s)
{
	struct client_event ev = { .type = CLIENT_EV_ACD_CONFLICT };
	const struct client_send *x;
	struct sim *f;

	if (client_state(&s->c) != CLIENT_CHECKING) {
		not_sent(r, EX_DECLINE, "--acd off: the offered address is not probed and no "
			 "ARP conflict is acted on, so no DECLINE is ever sent");
		return;
	}
	f = sim_fork(r, s, EX_DECLINE);
	if (!f)
		return;
	ev.u.acd.addr = EXPLAIN_ADDRESS;
	memcpy(ev.u.acd.mac, r->cfg.mac, 6);
	ev.u.acd.mac[5] ^= 1;   /* another host */
	if (sim_event(r, f, &ev, 1) && (x = expect_send(r, f, DHCPDECLINE, CLIENT_INIT))) {
		keep(r, EX_DECLINE, f, x);
		follow(r, EX_DECLINE, f);
	}
	free(f);
}

static void branch_release(struct ex_run *r, const struct sim *s)
{
	struct client_event ev = { .type = CLIENT_EV_RELEASE };
	const struct client_send *x;
	struct sim *f = sim_fork(r, s, EX_RELEASE);

	if (!f)
		return;
	if (sim_event(r, f, &ev, 1000)) {
		if (r->cfg.anonymous && !sim_sent(f))
			not_sent(r, EX_RELEASE, "none: the anonymity profile (RFC 7844 section 3) "
				 "sends no RELEASE; the lease runs out on the server");
		else if ((x = expect_send(r, f, DHCPRELEASE, CLIENT_STOPPED)))
			keep(r, EX_RELEASE, f, x);
	}
	free(f);
}

/* Carrier lost and back: INIT-REBOOT with the lease held (RFC 2131 3.2;
 * RFC 7844 3.2 allows it, the lease was got with this MAC). */
static void branch_link(struct ex_run *r, const struct sim *s)
{
	struct client_event down = { .type = CLIENT_EV_LINK_DOWN };
	struct client_event up = { .type = CLIENT_EV_LINK_UP };
	const struct client_send *x;
	struct sim *f = sim_fork(r, s, EX_REQ_REBOOT_LINK);

	if (!f)
		return;
	if (sim_event(r, f, &down, 1000) && sim_event(r, f, &up, 1000) &&
	    (x = expect_send(r, f, DHCPREQUEST, CLIENT_REBOOTING))) {
		keep(r, EX_REQ_REBOOT_LINK, f, x);
		follow(r, EX_REQ_REBOOT_LINK, f);
	}
	free(f);
}

/* T1, then T2: the lease's own timers. */
static void step_lease_timers(struct ex_run *r, struct sim *s)
{
	static const struct { enum client_state state; enum ex_slot slot; } steps[] = {
		{ CLIENT_RENEWING, EX_REQ_RENEWING },
		{ CLIENT_REBINDING, EX_REQ_REBINDING },
	};
	const struct client_send *x;

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (!sim_run_until(r, s, steps[i].state))
			return;
		x = expect_send(r, s, DHCPREQUEST, steps[i].state);
		if (!x)
			return;
		keep(r, steps[i].slot, s, x);
		follow(r, steps[i].slot, s);
	}
}

/* The wire printer's dotted quad (sb_ip), into a plain buffer. */
static void ip_text(char *buf, size_t cap, uint32_t a)
{
	struct strbuf sb;

	sb_init(&sb, buf, cap);
	sb_ip(&sb, a);
}

/* A start from the stored lease (-lf), in a client of its own. */
static void step_stored(struct ex_run *r)
{
	const struct explain_input *in = r->in;
	struct client_config cfg = r->cfg;
	const struct client_send *x;
	struct sim *s;

	if (r->cfg.anonymous) {
		not_sent(r, EX_REQ_REBOOT_START, "none at start: the anonymity profile (RFC 7844) "
			 "never reuses a stored lease");
		return;
	}
	if (!in->stored) {
		not_sent(r, EX_REQ_REBOOT_START, "none at start: %s",
			 in->no_stored_why ? in->no_stored_why : "no stored lease");
		return;
	}
	if (in->opts->random_mac && !in->opts->random_mac_stable) {
		not_sent(r, EX_REQ_REBOOT_START, "none at start: --random-mac gives every start "
			 "a new MAC, and a stored lease is verified only with the MAC it was got "
			 "with");
		return;
	}
	/* Stable per network: the address made for the stored lease's network
	 * is the one the lease was got with. */
	if (in->opts->random_mac_stable)
		memcpy(cfg.mac, in->stored->mac, 6);
	s = sim_new(r, &cfg, in->stored);
	if (!s)
		return;
	for (unsigned i = 0; i < 4 && !sim_sent(s) && !r->fail; i++)
		sim_timer(r, s);
	if (send_type(sim_sent(s)) == DHCPDISCOVER) {
		char ip[16];

		ip_text(ip, sizeof(ip), in->stored->address);
		not_sent(r, EX_REQ_REBOOT_START, "none at start: the stored lease of %s "
			 "has expired or was got with another MAC, so lessee starts with DISCOVER",
			 ip);
	} else if ((x = expect_send(r, s, DHCPREQUEST, CLIENT_REBOOTING))) {
		keep(r, EX_REQ_REBOOT_START, s, x);
		follow(r, EX_REQ_REBOOT_START, s);
	}
	free(s);
}

static void simulate(struct ex_run *r)
{
	struct sim *s = sim_new(r, &r->cfg, NULL);

	if (!s)
		return;
	if (step_discover(r, s) && step_selecting(r, s) &&
	    sim_reply(r, s, DHCPACK, r->msg[EX_REQ_SELECTING].send.msg.hdr.xid)) {
		branch_decline(r, s);
		if (sim_run_until(r, s, CLIENT_BOUND)) {
			branch_release(r, s);
			branch_link(r, s);
			step_lease_timers(r, s);
		}
	}
	free(s);
	if (!r->fail)
		step_stored(r);
}

/* ---- marks: what identifies the device ------------------------------------ */

static void mark(struct ex_item *it, bool identifies, const char *why)
{
	it->identifies = identifies;
	it->why = why;
}

/* chaddr, and a client id made from the MAC (RFC 2132 9.14 type 1). */
static void mark_mac(const struct ex_run *r, struct ex_item *it)
{
	if (!r->mac_mode)
		mark(it, true, "the interface's MAC: unique to this device and the same on "
		     "every network");
	else if (!strcmp(r->mac_mode, "random per start"))
		mark(it, false, "a random MAC, new each time lessee starts (--random-mac): "
		     "links this run's messages only");
	else
		mark(it, true, "a MAC stable per network: the same on every visit to this "
		     "network, another on other networks");
}

static void mark_requested_ip(enum ex_slot slot, struct ex_item *it)
{
	switch (slot) {
	case EX_DISCOVER:
	case EX_REQ_REBOOT_START:
	case EX_REQ_REBOOT_LINK:
		mark(it, true, "the address leased before: links this message to the "
		     "earlier lease");
		return;
	case EX_REQ_SELECTING:
	case EX_DECLINE:
	case EX_REQ_RENEWING:
	case EX_REQ_REBINDING:
	case EX_RELEASE:
	case EX_SLOT_COUNT:
		mark(it, false, "the address the server offered (placeholder)");
		return;
	}
}

/* Options whose mark does not depend on the configuration or the message. */
static const struct {
	uint8_t code;
	bool identifies;
	const char *why;
} fixed_marks[] = {
	{ DHCP_OPT_MSG_TYPE, false, "the message type" },
	{ DHCP_OPT_SERVER_ID, false, "the server's identifier (placeholder)" },
	{ DHCP_OPT_MAX_MSG_SIZE, false, "1500, the usual Ethernet value (its presence is "
	  "part of the option set, see the option order)" },
	{ DHCP_OPT_HOSTNAME, true, "names the device" },
	{ DHCP_OPT_FQDN, true, "names the device" },
	{ DHCP_OPT_VENDOR_CLASS, true, "names the vendor or software" },
	{ DHCP_OPT_USER_CLASS, true, "names a class of users or devices" },
	{ DHCP_OPT_MESSAGE, true, "lessee's own wording: names the client software" },
	{ DHCP_OPT_RAPID_COMMIT, false, "asks for rapid commit (RFC 4039; part of the "
	  "option set)" },
};

static void mark_option(const struct ex_run *r, enum ex_slot slot, struct ex_item *it)
{
	for (size_t i = 0; i < sizeof(fixed_marks) / sizeof(fixed_marks[0]); i++)
		if (fixed_marks[i].code == it->code) {
			mark(it, fixed_marks[i].identifies, fixed_marks[i].why);
			return;
		}
	if (it->code == DHCP_OPT_REQUESTED_IP)
		mark_requested_ip(slot, it);
	else if (it->code == DHCP_OPT_PRL)
		mark(it, true, r->cfg.anonymous
		     ? "a minimal list (RFC 7844 3.6), shuffled per message: the order says "
		       "nothing, but the set still tells this profile apart"
		     : "the codes and their order are a well-known fingerprint of the client "
		       "software (and of --request)");
	else if (it->code == DHCP_OPT_CLIENT_ID && r->cfg.id_mode == CLIENT_ID_MAC)
		mark_mac(r, it);
	else if (it->code == DHCP_OPT_CLIENT_ID)
		mark(it, true, "an identifier set with --client-id: the same on every network");
	else
		mark(it, false, "carries no device data");
}

/* ---- items: the message cut into marked lines ------------------------------ */

static struct ex_item *add_item(struct ex_view *v)
{
	struct ex_item *it = &v->item[v->n++];

	memset(it, 0, sizeof(*it));
	return it;
}

__attribute__((format(printf, 5, 6)))
static struct ex_item *add_field(struct ex_view *v, const char *name, bool numeric,
				 bool identifies, const char *fmt, ...)
{
	struct ex_item *it = add_item(v);
	va_list ap;

	it->name = name;
	it->numeric = numeric;
	it->identifies = identifies;
	va_start(ap, fmt);
	vsnprintf(it->value, sizeof(it->value), fmt, ap);
	va_end(ap);
	return it;
}

static void add_ip_field(struct ex_view *v, const char *name, uint32_t a)
{
	char ip[16];
	struct ex_item *it;

	ip_text(ip, sizeof(ip), a);
	it = add_field(v, name, false, false, "%s", ip);
	it->why = "0 from a client (RFC 2131 table 5)";
}

static void add_ciaddr(struct ex_view *v, uint32_t a)
{
	char ip[16];
	struct ex_item *it;

	ip_text(ip, sizeof(ip), a);
	it = add_field(v, "ciaddr", false, a != 0, "%s", ip);
	it->why = a ? "the leased address (placeholder): links this message to the lease "
		      "(RFC 7844 3.2 allows it for a lease got with this MAC)"
		    : "0 (RFC 2131 table 5)";
}

static void add_chaddr(const struct ex_run *r, struct ex_view *v, const uint8_t *mac)
{
	struct ex_item *it = add_field(v, "chaddr", false, true,
				       "%02x:%02x:%02x:%02x:%02x:%02x",
				       mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);

	if (r->mac_mode)
		snprintf(it->value, sizeof(it->value), "%s", r->mac_mode);
	mark_mac(r, it);
}

static bool area_empty(const uint8_t *area, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (area[i])
			return false;
	return true;
}

/* The fixed header, RFC 2131 figure 1, in wire order. */
static void header_items(const struct ex_run *r, struct ex_view *v)
{
	const struct dhcp_header *h = &v->m.hdr;
	struct ex_item *it;

	add_field(v, "op", false, false, "%s", h->op == BOOTREQUEST ? "BOOTREQUEST" : "?")
		->why = "fixed (RFC 2131 section 2)";
	add_field(v, "htype", true, false, "%u", h->htype)->why = "1, Ethernet (RFC 1700)";
	add_field(v, "hlen", true, false, "%u", h->hlen)->why = "6, an Ethernet address";
	add_field(v, "hops", true, false, "%u", h->hops)->why = "0 from a client";
	add_field(v, "xid", false, false, "0x%08" PRIx32, h->xid)->why =
		"random per exchange (RFC 2131 4.1; this value is an example): links only "
		"the retransmissions of one exchange";
	it = add_field(v, "secs", true, h->secs != 0, "%u", h->secs);
	it->why = h->secs ? "seconds since the exchange began: shows the retransmission "
			    "timing, which tells implementations apart"
			  : "0 on a first transmission";
	add_field(v, "flags", true, false, "%u", h->flags)->why = h->flags
		? "the broadcast flag" : "no broadcast flag, as most clients";
	add_ciaddr(v, h->ciaddr);
	add_ip_field(v, "yiaddr", h->yiaddr);
	add_ip_field(v, "siaddr", h->siaddr);
	add_ip_field(v, "giaddr", h->giaddr);
	add_chaddr(r, v, h->chaddr);
	add_field(v, "sname", false, false, "%s",
		  area_empty(v->m.sname, DHCP_SNAME_LEN) ? "" : "(not empty)")->why = "unused";
	add_field(v, "file", false, false, "%s",
		  area_empty(v->m.file, DHCP_FILE_LEN) ? "" : "(not empty)")->why = "unused";
}

static void option_items(const struct ex_run *r, enum ex_slot slot, struct ex_view *v)
{
	for (size_t i = 0; i < v->m.n_order && v->n < EX_ITEMS_MAX; i++) {
		uint8_t code = v->m.order[i];
		struct ex_item *it = add_item(v);

		it->is_option = true;
		it->code = code;
		it->name = dhcp_opt_name(code);
		it->data = v->m.opt[code].data;
		it->len = v->m.opt[code].len;
		mark_option(r, slot, it);
		if (code == DHCP_OPT_CLIENT_ID && r->cfg.id_mode == CLIENT_ID_MAC && r->mac_mode) {
			it->replaced = true;
			snprintf(it->value, sizeof(it->value), "type 1 + the %s MAC", r->mac_mode);
		}
	}
}

/* Build the kept message as the net role does, parse it back, cut it up. */
static bool view_build(struct ex_run *r, enum ex_slot slot)
{
	const struct client_send *x = &r->msg[slot].send;
	struct ex_view *v = &r->view;
	struct wire_error err;

	v->n = 0;
	if (dhcp_build(&x->msg, x->order, x->n_order, v->buf, sizeof(v->buf), &v->len,
		       &err) != WIRE_OK ||
	    dhcp_parse(v->buf, v->len, v->scratch, sizeof(v->scratch), &v->m, &err) != WIRE_OK) {
		ex_fail(r, "internal: the %s did not build and parse back: %s",
			slot_desc[slot].type, wire_reason_text(err.reason));
		return false;
	}
	header_items(r, v);
	option_items(r, slot, v);
	return true;
}

/* ---- shared wording ------------------------------------------------------- */

static const char *order_why(const struct ex_run *r)
{
	return r->cfg.anonymous
	       ? "shuffled per message (RFC 7844 3.1): the order shown is one sample, "
		 "every message differs"
	       : "53 first, then by code: the option set and its order are part of the "
		 "client's fingerprint";
}

static const char *timing_why(enum ex_slot slot)
{
	return slot == EX_DECLINE || slot == EX_RELEASE
	       ? "sent once" : "the schedule (and how secs counts) tells implementations apart";
}

static const char *dest_text(const struct client_send *x)
{
	return x->dest == CLIENT_DEST_UNICAST ? "unicast" : "broadcast";
}

static const char *mac_text(const struct ex_run *r, char *buf, size_t cap)
{
	const uint8_t *m = r->in->mac;

	snprintf(buf, cap, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
		 m[5]);
	return buf;
}

#define PLACEHOLDER_NOTE \
	"nothing was sent; server-side values (server 192.0.2.1, address " \
	"192.0.2.100/24, lease 3600 s, and what follows from them: ciaddr, " \
	"requested-ip, server-id, T1/T2 times) are placeholders of a fictitious " \
	"server; xid and jitter are samples of a fixed seed"

/* ---- text ---------------------------------------------------------------- */

static void text_item(struct strbuf *sb, const struct ex_item *it)
{
	sb_printf(sb, "    %s ", it->identifies ? "[ID]" : "[  ]");
	if (it->is_option) {
		sb_printf(sb, "%u %s = ", it->code, it->name ? it->name : "?");
		if (it->replaced)
			sb_puts(sb, it->value);
		else
			dhcp_print_opt_text(sb, it->code, it->data, it->len);
	} else {
		sb_printf(sb, "%s = %s", it->name, it->value);
	}
	sb_printf(sb, "  (%s)\n", it->why);
}

static void text_timing(struct strbuf *sb, const struct ex_msg *m, enum ex_slot slot)
{
	sb_printf(sb, "    %s retransmissions: ", slot == EX_DECLINE || slot == EX_RELEASE
		  ? "[  ]" : "[ID]");
	if (m->n_retrans == 0)
		sb_puts(sb, "none");
	for (unsigned i = 0; i < m->n_retrans; i++)
		sb_printf(sb, "%s+%" PRIu64 ".%03" PRIu64 " s", i ? ", " : "",
			  m->retrans_ms[i] / 1000, m->retrans_ms[i] % 1000);
	if (m->retrans_more)
		sb_puts(sb, ", ...");
	if (m->then_state && m->then_ms)
		sb_printf(sb, "; then %s at +%" PRIu64 " s%s%s", m->then_state,
			  m->then_ms / 1000, m->then_sends ? " with a " : "",
			  m->then_sends ? m->then_sends : "");
	sb_printf(sb, "\n         rule: %s\n         (%s)\n", slot_desc[slot].rule,
		  timing_why(slot));
}

static void text_message(struct ex_run *r, enum ex_slot slot, struct strbuf *sb)
{
	const struct ex_msg *m = &r->msg[slot];
	const struct ex_slot_desc *d = &slot_desc[slot];
	struct ex_view *v = &r->view;
	char ip[16];

	sb_printf(sb, "\n%s in %s -- when: %s\n", d->type, d->state, d->trigger);
	if (!m->sent) {
		sb_printf(sb, "  not sent: %s\n", m->why_none);
		return;
	}
	if (!view_build(r, slot))
		return;
	ip_text(ip, sizeof(ip), m->send.dst_ip);
	sb_printf(sb, "  %s to %s, %zu bytes", dest_text(&m->send), ip, v->len);
	if (m->timed)
		sb_printf(sb, ", at +%" PRIu64 ".%03" PRIu64 " s after the first DISCOVER",
			  m->at_ms / 1000, m->at_ms % 1000);
	sb_putc(sb, '\n');
	/* With --random-mac the line would show the current MAC, never sent. */
	if (!r->mac_mode) {
		sb_puts(sb, "  wire: ");
		dhcp_print_line(sb, &v->m);
		sb_putc(sb, '\n');
	}
	for (size_t i = 0; i < v->n; i++)
		text_item(sb, &v->item[i]);
	sb_printf(sb, "    %s option order: ", r->cfg.anonymous ? "[  ]" : "[ID]");
	for (size_t i = 0; i < v->m.n_order; i++)
		sb_printf(sb, "%s%u", i ? "," : "", v->m.order[i]);
	sb_printf(sb, "  (%s)\n", order_why(r));
	text_timing(sb, m, slot);
}

static void render_text(struct ex_run *r, struct strbuf *sb)
{
	const struct lessee_opts *o = r->in->opts;
	char mac[18];

	sb_printf(sb, "lessee --explain %s: every message lessee would send here\n", o->ifname);
	sb_printf(sb, "MAC: %s%s%s\n", r->mac_mode ? r->mac_mode : mac_text(r, mac, sizeof(mac)),
		  r->mac_mode ? " (--random-mac; the current one is never sent)" : "",
		  r->mac_mode ? "" : " (the interface's current MAC, from the kernel)");
	sb_printf(sb, "profile: %s\n", r->cfg.anonymous
		  ? "anonymous (RFC 7844): no client id, host name or vendor class, a minimal "
		    "PRL, options shuffled per message, no RELEASE, no stored-lease reuse"
		  : "default");
	sb_printf(sb, "note: %s\n", PLACEHOLDER_NOTE);
	sb_puts(sb, "marks: [ID] identifies this device (or its software), [  ] does not\n");
	for (int slot = 0; slot < EX_SLOT_COUNT && !r->fail; slot++)
		text_message(r, (enum ex_slot)slot, sb);
}

/* ---- JSON ---------------------------------------------------------------- */

static void json_str(struct strbuf *sb, const char *s)
{
	sb_json_string(sb, (const uint8_t *)s, strlen(s));
}

static void json_item(struct strbuf *sb, const struct ex_item *it)
{
	if (it->is_option) {
		sb_printf(sb, "{\"code\": %u, \"name\": ", it->code);
		json_str(sb, it->name ? it->name : "");
		sb_puts(sb, ", \"value\": ");
		if (it->replaced)
			json_str(sb, it->value);
		else
			dhcp_print_opt_json(sb, it->code, it->data, it->len);
		sb_puts(sb, ", \"hex\": ");
		if (it->replaced) {
			sb_puts(sb, "null");
		} else {
			sb_putc(sb, '"');
			sb_hex(sb, it->data, it->len);
			sb_putc(sb, '"');
		}
	} else {
		sb_puts(sb, "{\"name\": ");
		json_str(sb, it->name);
		sb_puts(sb, ", \"value\": ");
		if (it->numeric)
			sb_puts(sb, it->value);
		else
			json_str(sb, it->value);
	}
	sb_printf(sb, ", \"identifies\": %s, \"why\": ", it->identifies ? "true" : "false");
	json_str(sb, it->why);
	sb_putc(sb, '}');
}

static void json_items(struct strbuf *sb, const struct ex_view *v, bool options)
{
	bool first = true;

	sb_printf(sb, "\"%s\": [", options ? "options" : "fields");
	for (size_t i = 0; i < v->n; i++) {
		if (v->item[i].is_option != options)
			continue;
		sb_puts(sb, first ? "\n      " : ",\n      ");
		json_item(sb, &v->item[i]);
		first = false;
	}
	sb_putc(sb, ']');
}

static void json_timing(struct strbuf *sb, const struct ex_msg *m, enum ex_slot slot)
{
	sb_puts(sb, ",\n    \"retransmissions\": {\"after_ms\": [");
	for (unsigned i = 0; i < m->n_retrans; i++)
		sb_printf(sb, "%s%" PRIu64, i ? ", " : "", m->retrans_ms[i]);
	sb_printf(sb, "], \"more\": %s, \"then\": ", m->retrans_more ? "true" : "false");
	if (m->then_state && m->then_ms) {
		sb_puts(sb, "{\"state\": ");
		json_str(sb, m->then_state);
		sb_printf(sb, ", \"after_ms\": %" PRIu64 ", \"sends\": ", m->then_ms);
		if (m->then_sends)
			json_str(sb, m->then_sends);
		else
			sb_puts(sb, "null");
		sb_putc(sb, '}');
	} else {
		sb_puts(sb, "null");
	}
	sb_puts(sb, ", \"rule\": ");
	json_str(sb, slot_desc[slot].rule);
	sb_printf(sb, ", \"identifies\": %s, \"why\": ",
		  slot == EX_DECLINE || slot == EX_RELEASE ? "false" : "true");
	json_str(sb, timing_why(slot));
	sb_putc(sb, '}');
}

static void json_head(struct strbuf *sb, enum ex_slot slot)
{
	const struct ex_slot_desc *d = &slot_desc[slot];

	sb_puts(sb, "{\"type\": ");
	json_str(sb, d->type);
	sb_puts(sb, ", \"state\": ");
	json_str(sb, d->state);
	sb_puts(sb, ", \"trigger\": ");
	json_str(sb, d->trigger);
}

static void json_message(struct ex_run *r, enum ex_slot slot, struct strbuf *sb)
{
	const struct ex_msg *m = &r->msg[slot];
	struct ex_view *v = &r->view;
	char ip[16], line[2048];
	struct strbuf lb;

	if (!view_build(r, slot))
		return;
	json_head(sb, slot);
	ip_text(ip, sizeof(ip), m->send.dst_ip);
	if (m->timed)
		sb_printf(sb, ", \"at_ms\": %" PRIu64, m->at_ms);
	else
		sb_puts(sb, ", \"at_ms\": null");
	sb_printf(sb, ", \"destination\": \"%s\", \"dst_ip\": \"%s\"", dest_text(&m->send), ip);
	ip_text(ip, sizeof(ip), m->send.src_ip);
	sb_printf(sb, ", \"src_ip\": \"%s\", \"length\": %zu,\n    \"wire\": ", ip, v->len);
	sb_init(&lb, line, sizeof(line));
	dhcp_print_line(&lb, &v->m);
	if (r->mac_mode)
		sb_puts(sb, "null");
	else
		json_str(sb, line);
	sb_puts(sb, ",\n    ");
	json_items(sb, v, false);
	sb_puts(sb, ",\n    ");
	json_items(sb, v, true);
	sb_puts(sb, ",\n    \"option_order\": {\"codes\": [");
	for (size_t i = 0; i < v->m.n_order; i++)
		sb_printf(sb, "%s%u", i ? ", " : "", v->m.order[i]);
	sb_printf(sb, "], \"shuffled\": %s, \"identifies\": %s, \"why\": ",
		  r->cfg.anonymous ? "true" : "false", r->cfg.anonymous ? "false" : "true");
	json_str(sb, order_why(r));
	sb_putc(sb, '}');
	json_timing(sb, m, slot);
	sb_putc(sb, '}');
}

static void json_list(struct ex_run *r, struct strbuf *sb, bool sent)
{
	bool first = true;

	sb_printf(sb, ",\n \"%s\": [", sent ? "messages" : "not_sent");
	for (int slot = 0; slot < EX_SLOT_COUNT && !r->fail; slot++) {
		if (r->msg[slot].sent != sent)
			continue;
		sb_puts(sb, first ? "\n  " : ",\n  ");
		first = false;
		if (sent) {
			json_message(r, (enum ex_slot)slot, sb);
			continue;
		}
		json_head(sb, (enum ex_slot)slot);
		sb_puts(sb, ", \"why\": ");
		json_str(sb, r->msg[slot].why_none);
		sb_putc(sb, '}');
	}
	sb_putc(sb, ']');
}

static void render_json(struct ex_run *r, struct strbuf *sb)
{
	char mac[18];

	sb_puts(sb, "{\"interface\": ");
	json_str(sb, r->in->opts->ifname);
	sb_puts(sb, ", \"mac\": ");
	json_str(sb, r->mac_mode ? r->mac_mode : mac_text(r, mac, sizeof(mac)));
	sb_puts(sb, ", \"mac_source\": ");
	json_str(sb, r->mac_mode ? "--random-mac" : "kernel");
	sb_printf(sb, ", \"anonymous\": %s, \"sent\": false,\n \"placeholders\": {\"server\": "
		  "\"192.0.2.1\", \"address\": \"192.0.2.100\", \"prefix\": %u, "
		  "\"lease_time\": %u, \"note\": ", r->cfg.anonymous ? "true" : "false",
		  EXPLAIN_PREFIX, EXPLAIN_LEASE_S);
	json_str(sb, PLACEHOLDER_NOTE);
	sb_putc(sb, '}');
	json_list(r, sb, true);
	json_list(r, sb, false);
	sb_puts(sb, "}\n");
}

/* ---- entry ---------------------------------------------------------------- */

int explain_render(const struct explain_input *in, struct strbuf *sb, char *err,
		   size_t err_size)
{
	struct ex_run *r;
	int rc = 0;

	if (!in || !in->opts || !sb) {
		snprintf(err, err_size, "explain: bad argument");
		return -1;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(err, err_size, "out of memory");
		return -1;
	}
	r->in = in;
	cli_client_config(in->opts, in->mac, &r->cfg);
	r->mac_mode = mac_mode_of(in->opts);
	simulate(r);
	if (!r->fail) {
		if (in->opts->json)
			render_json(r, sb);
		else
			render_text(r, sb);
	}
	if (!r->fail && sb->truncated)
		ex_fail(r, "internal: the explanation is longer than its buffer");
	if (r->fail) {
		snprintf(err, err_size, "%s", r->fail);
		rc = -1;
	}
	free(r);
	return rc;
}
