/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The state machine. transition() alone writes the state and the deadline;
 * every other function decides, composes and calls it. Events dispatch on
 * (state, kind of event) with switches that list every value and have no
 * default, so -Wswitch-enum makes a new state or message type a compile
 * error until someone decides what it means here.
 *
 * Shape of a call: clamp the time, run a due timer first (so events are
 * handled in time order even when the daemon's timer fires late), handle
 * the event, then emit one SET_TIMER if the deadline moved.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* ---- actions and logging ------------------------------------------------- */

static struct client_action *push(struct client_actions *out, enum client_action_type t)
{
	struct client_action *a;

	if (out->n >= CLIENT_MAX_ACTIONS) {
		out->overflow = true;
		return NULL;
	}
	a = &out->a[out->n++];
	a->type = t;
	return a;
}

static void say(struct client_actions *out, enum client_log_level level,
		enum client_log_code code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void say(struct client_actions *out, enum client_log_level level,
		enum client_log_code code, const char *fmt, ...)
{
	struct client_action *a = push(out, CLIENT_ACT_LOG);
	va_list ap;

	if (!a)
		return;
	a->u.log.level = level;
	a->u.log.code = code;
	va_start(ap, fmt);
	vsnprintf(a->u.log.text, sizeof(a->u.log.text), fmt, ap);
	va_end(ap);
}

struct ipstr {
	char s[16];
};

static struct ipstr ip(uint32_t a)
{
	struct ipstr r;

	snprintf(r.s, sizeof(r.s), "%u.%u.%u.%u", (unsigned)(a >> 24),
		 (unsigned)(a >> 16 & 0xff), (unsigned)(a >> 8 & 0xff), (unsigned)(a & 0xff));
	return r;
}

static const char *type_name(const struct dhcp_msg *m)
{
	const char *n = dhcp_msg_type_name(m->type);

	return n ? n : "message";
}

/* The one place an ignored message is reported: counted, logged with why. */
/*
 * STYLE.md "What we do" 4: input that is malformed or not for us is always
 * counted, but logged at most WARN_BURST times per log code in each
 * WARN_WINDOW_MS, so that a flood of junk does not become a flood of log
 * lines. The first line after a window with lines left out says how many.
 * One action either way: a rogue must not be able to fill the action list.
 */
#define WARN_BURST 5u
#define WARN_WINDOW_MS 10000u

static void warn_input(struct client *c, struct client_actions *out,
		       enum client_log_level level, enum client_log_code code,
		       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void warn_input(struct client *c, struct client_actions *out,
		       enum client_log_level level, enum client_log_code code,
		       const char *fmt, ...)
{
	struct client_warn_window *w = &c->warn[code];
	char text[CLIENT_LOG_MAX];
	uint32_t left_out = 0;
	va_list ap;

	if (w->logged == 0 || c->last_now - w->start >= WARN_WINDOW_MS) {
		left_out = w->unlogged;
		w->start = c->last_now;
		w->logged = 0;
		w->unlogged = 0;
	}
	if (w->logged >= WARN_BURST) {
		w->unlogged++;
		c->stats.unlogged++;
		return;
	}
	w->logged++;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (left_out)
		say(out, level, code, "%s (and %u more like it not logged in %u s)", text,
		    (unsigned)left_out, WARN_WINDOW_MS / 1000u);
	else
		say(out, level, code, "%s", text);
}

static void ignore(struct client *c, const struct dhcp_msg *m, enum client_log_code why,
		   struct client_actions *out)
{
	enum client_log_level level = CLIENT_LOG_WARNING;
	uint32_t sid = 0;

	/* "Not for us" is normal on a shared link: counted, debug only. */
	if (why == CLIENT_LOG_IGN_XID || why == CLIENT_LOG_IGN_CHADDR ||
	    why == CLIENT_LOG_IGN_NOT_REPLY)
		level = CLIENT_LOG_DEBUG;
	c->stats.ignored++;
	(void)dhcp_get_ip(m, DHCP_OPT_SERVER_ID, &sid);
	warn_input(c, out, level, why, "ignored %s xid=0x%08x yiaddr=%s server-id=%s in %s: %s",
		   type_name(m), m->hdr.xid, ip(m->hdr.yiaddr).s, ip(sid).s,
		   client_state_name(c->state), client_log_code_name(why));
}

/*
 * RFC 2131 4.1 / DESIGN.md: a known option that breaks its rule is dropped
 * by the parser and the message used without it. Say so, once per message,
 * naming the first option, its offset and the rule.
 */
static void report_dropped(struct client *c, const struct dhcp_msg *m,
			   struct client_actions *out)
{
	char more[CLIENT_LOG_MAX];
	size_t shown = m->n_dropped < DHCP_MAX_DROPPED ? m->n_dropped : DHCP_MAX_DROPPED;
	size_t used = 0;

	if (m->n_dropped == 0)
		return;
	more[0] = '\0';
	for (size_t i = 1; i < shown && used < sizeof(more); i++) {
		int n = snprintf(more + used, sizeof(more) - used, " %u",
				 (unsigned)m->dropped[i].code);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	warn_input(c, out, CLIENT_LOG_WARNING, CLIENT_LOG_OPT_DROPPED,
		   "%s xid=0x%08x: dropped %u malformed option(s): option %u at offset %u: %s%s%s",
		   type_name(m), m->hdr.xid, (unsigned)m->n_dropped,
		   (unsigned)m->dropped[0].code, (unsigned)m->dropped[0].offset,
		   wire_reason_text((enum wire_reason)m->dropped[0].reason),
		   shown > 1 ? "; also" : "", more);
}

/* ---- the transition function --------------------------------------------- */

static void transition(struct client *c, enum client_state to, uint64_t deadline,
		       struct client_actions *out)
{
	if (c->state != to)
		say(out, CLIENT_LOG_INFO, CLIENT_LOG_STATE, "%s -> %s",
		    client_state_name(c->state), client_state_name(to));
	c->state = to;
	c->deadline = deadline;
}

/* ---- sending ------------------------------------------------------------- */

static uint16_t secs_since(uint64_t start, uint64_t now)
{
	uint64_t s = now > start ? (now - start) / 1000u : 0;

	return (uint16_t)(s > UINT16_MAX ? UINT16_MAX : s);
}

/* RFC 2131 4.1: 4 s before the first retransmission, doubling to 64 s,
 * each randomised by a uniform -1..+1 s. tries >= 1 transmissions so far. */
static uint64_t rto(struct client *c)
{
	unsigned k = c->tries > 1 ? c->tries - 1u : 0u;
	uint64_t base = k >= 4 ? CLIENT_RTO_MAX_MS : (uint64_t)CLIENT_RTO_INITIAL_MS << k;

	return client_prng_range(&c->rng, base - CLIENT_RTO_JITTER_MS,
				 base + CLIENT_RTO_JITTER_MS);
}

/* A new exchange: a fresh xid (RFC 2131 4.1), no transmissions yet. */
static void exchange_begin(struct client *c, uint64_t now, bool new_process)
{
	c->xid = (uint32_t)client_prng_next(&c->rng);
	c->tries = 0;
	c->last_sent = now;
	if (new_process)
		c->process_start = now;
}

static const char *const msg_kind_names[] = {
	[CLIENT_MSG_DISCOVER] = "DISCOVER",
	[CLIENT_MSG_REQUEST_SELECTING] = "REQUEST",
	[CLIENT_MSG_REQUEST_REBOOTING] = "REQUEST (INIT-REBOOT)",
	[CLIENT_MSG_REQUEST_RENEWING] = "REQUEST (renew)",
	[CLIENT_MSG_REQUEST_REBINDING] = "REQUEST (rebind)",
	[CLIENT_MSG_DECLINE] = "DECLINE",
	[CLIENT_MSG_RELEASE] = "RELEASE",
};

static void emit(struct client *c, const struct client_msg_spec *spec,
		 struct client_actions *out)
{
	struct client_action *a = push(out, CLIENT_ACT_SEND);

	if (!a)
		return;
	if (!client_compose(&c->cfg, spec, &c->rng, &a->u.send)) {
		out->n--;
		say(out, CLIENT_LOG_ERROR, CLIENT_LOG_INTERNAL, "could not compose %s",
		    msg_kind_names[spec->kind]);
		return;
	}
	c->stats.sent++;
	say(out, CLIENT_LOG_INFO, CLIENT_LOG_SENT, "sent %s xid=0x%08x secs=%u to %s",
	    msg_kind_names[spec->kind], spec->xid, (unsigned)a->u.send.msg.hdr.secs,
	    ip(a->u.send.dst_ip).s);
}

/*
 * Send the message of the exchange in progress. Which address and server
 * go in is decided here from the state's data; where they go in the message
 * is compose.c's business (RFC 2131 table 5).
 */
static void send_exchange(struct client *c, enum client_msg_kind kind, uint64_t now,
			  struct client_actions *out)
{
	struct client_msg_spec spec = { .kind = kind, .xid = c->xid,
					.lease_mac = c->lease.mac };

	c->last_sent = now;
	if (c->tries < UINT8_MAX)
		c->tries++;
	spec.secs = secs_since(c->process_start, now);
	switch (kind) {
	case CLIENT_MSG_DISCOVER:
		spec.addr = c->prev_addr;
		c->discover_secs = spec.secs;
		break;
	case CLIENT_MSG_REQUEST_SELECTING:
		/* RFC 2131 4.4.1: the same secs as the DISCOVER. */
		spec.secs = c->discover_secs;
		spec.addr = c->offered_addr;
		spec.server_id = c->offered_server;
		break;
	case CLIENT_MSG_REQUEST_REBOOTING:
	case CLIENT_MSG_REQUEST_RENEWING:
	case CLIENT_MSG_REQUEST_REBINDING:
		spec.addr = c->lease.address;
		spec.server_id = c->lease.server_id;
		break;
	case CLIENT_MSG_DECLINE:
	case CLIENT_MSG_RELEASE:
		return;   /* not part of an exchange: see send_once() */
	}
	emit(c, &spec, out);
}

/* DECLINE and RELEASE: one message, xid "selected by client" (table 5). */
static void send_once(struct client *c, enum client_msg_kind kind,
		      struct client_actions *out)
{
	struct client_msg_spec spec = {
		.kind = kind,
		.xid = (uint32_t)client_prng_next(&c->rng),
		.addr = c->lease.address,
		.server_id = c->lease.server_id,
		.lease_mac = c->lease.mac,
	};

	emit(c, &spec, out);
}

/* ---- the lease ----------------------------------------------------------- */

static void push_lease(struct client_actions *out, enum client_action_type t,
		       const struct client_lease *l, enum client_hook_reason reason)
{
	struct client_action *a = push(out, t);

	if (!a)
		return;
	a->u.configure.lease = *l;
	a->u.configure.reason = reason;
}

/* Give up the lease: deconfigure it if in use, forget it and its store. */
static void drop_lease(struct client *c, enum client_hook_reason reason,
		       struct client_actions *out)
{
	struct client_action *a;

	if (c->configured) {
		a = push(out, CLIENT_ACT_DECONFIGURE);
		if (a) {
			a->u.deconfigure.address = c->lease.address;
			a->u.deconfigure.reason = reason;
		}
		c->configured = false;
	}
	if (c->have_lease || c->stored)
		push(out, CLIENT_ACT_DROP_LEASE);
	c->have_lease = false;
	c->stored = false;
}

/* ---- entering states ----------------------------------------------------- */

static void start_discover(struct client *c, uint64_t now, struct client_actions *out)
{
	exchange_begin(c, now, true);
	send_exchange(c, CLIENT_MSG_DISCOVER, now, out);
	transition(c, CLIENT_SELECTING, now + rto(c), out);
}

/* INIT waits delay ms before its DISCOVER; with no delay it sends now. */
static void enter_init(struct client *c, uint64_t now, uint64_t delay,
		       enum client_init_why why, struct client_actions *out)
{
	if (delay == 0) {
		start_discover(c, now, out);
		return;
	}
	c->st.init.why = why;
	transition(c, CLIENT_INIT, client_add(now, delay), out);
}

static void lease_expired(struct client *c, uint64_t now, struct client_actions *out);

/* RFC 2131 3.2: verify the lease we hold with a broadcast REQUEST. */
static void start_reboot(struct client *c, uint64_t now, struct client_actions *out)
{
	if (now >= c->lease.expires_at) {
		lease_expired(c, now, out);
		return;
	}
	exchange_begin(c, now, true);
	send_exchange(c, CLIENT_MSG_REQUEST_REBOOTING, now, out);
	transition(c, CLIENT_REBOOTING, client_min(now + rto(c), c->lease.expires_at), out);
}

/*
 * RFC 2131 4.4.5: in RENEWING and REBINDING wait half the time left until
 * T2 (resp. expiry), at least 60 s, never past that limit. An infinite
 * lease has no limit (only a user renew gets here): retry every 60 s.
 */
static uint64_t half_way(uint64_t now, uint64_t limit)
{
	uint64_t wait;

	if (limit == CLIENT_NEVER)
		return now + CLIENT_RENEW_MIN_MS;
	wait = (limit - now) / 2u;
	if (wait < CLIENT_RENEW_MIN_MS)
		wait = CLIENT_RENEW_MIN_MS;
	return client_min(now + wait, limit);
}

static void start_renewing(struct client *c, uint64_t now, struct client_actions *out)
{
	exchange_begin(c, now, true);
	send_exchange(c, CLIENT_MSG_REQUEST_RENEWING, now, out);
	transition(c, CLIENT_RENEWING, half_way(now, c->lease.t2_at), out);
}

/* secs keeps counting from T1 when RENEWING led here (RFC 2131 2: "since
 * the client began address acquisition or renewal"). */
static void start_rebinding(struct client *c, uint64_t now, struct client_actions *out)
{
	exchange_begin(c, now, c->state != CLIENT_RENEWING);
	send_exchange(c, CLIENT_MSG_REQUEST_REBINDING, now, out);
	transition(c, CLIENT_REBINDING, half_way(now, c->lease.expires_at), out);
}

/* RFC 2131 4.4.5: at expiry stop using the address and start over. */
static void lease_expired(struct client *c, uint64_t now, struct client_actions *out)
{
	say(out, CLIENT_LOG_INFO, CLIENT_LOG_LEASE, "lease of %s expired",
	    ip(c->lease.address).s);
	c->prev_addr = c->lease.address;
	drop_lease(c, CLIENT_HOOK_EXPIRE, out);
	enter_init(c, now, 0, CLIENT_INIT_START, out);
}

/* Put the state where the lease's timeline says it belongs. */
static void enter_lease_phase(struct client *c, uint64_t now, struct client_actions *out)
{
	switch (client_lease_phase(&c->lease, now)) {
	case CLIENT_PHASE_BOUND:
		transition(c, CLIENT_BOUND,
			   client_min(c->lease.t1_at, c->st.bound.next_announce), out);
		return;
	case CLIENT_PHASE_RENEW:
		start_renewing(c, now, out);
		return;
	case CLIENT_PHASE_REBIND:
		start_rebinding(c, now, out);
		return;
	case CLIENT_PHASE_EXPIRED:
		lease_expired(c, now, out);
		return;
	}
}

static void announce(struct client *c, uint8_t index, uint8_t count,
		     struct client_actions *out)
{
	struct client_action *a = push(out, CLIENT_ACT_ACD_ANNOUNCE);

	if (!a)
		return;
	a->u.acd.addr = c->lease.address;
	a->u.acd.index = index;
	a->u.acd.count = count;
}

/* Use the lease: configure, persist, announce if probed, then its phase. */
static void bind(struct client *c, uint64_t now, enum client_hook_reason reason,
		 bool probed, struct client_actions *out)
{
	if (now >= c->lease.expires_at) {
		/* A short lease and a slow exchange: it died on the way. */
		lease_expired(c, now, out);
		return;
	}
	/* A refusal of this lease must also take down the one in use, if any
	 * (on_lease_refused). */
	c->replaced_configured = c->configured;
	c->configured = true;
	c->nak_count = 0;
	c->prev_addr = c->lease.address;
	push_lease(out, CLIENT_ACT_CONFIGURE, &c->lease, reason);
	push_lease(out, CLIENT_ACT_PERSIST_LEASE, &c->lease, reason);
	say(out, CLIENT_LOG_INFO, CLIENT_LOG_LEASE, "%s %s/%u from %s, lease %us",
	    client_hook_reason_name(reason), ip(c->lease.address).s,
	    (unsigned)c->lease.prefix, ip(c->lease.server_id).s, c->lease.lease_s);
	c->st.bound.announces_sent = 0;
	c->st.bound.next_announce = CLIENT_NEVER;
	if (probed) {
		/* RFC 5227 2.3: announce, ANNOUNCE_NUM times. */
		c->conflicts = 0;
		announce(c, 1, CLIENT_ACD_ANNOUNCE_NUM, out);
		c->st.bound.announces_sent = 1;
		c->st.bound.next_announce =
			now + client_acd_timing(c->cfg.acd)->announce_interval;
	}
	enter_lease_phase(c, now, out);
}

static void enter_checking(struct client *c, uint64_t now, enum client_hook_reason reason,
			   struct client_actions *out)
{
	if (c->cfg.acd == CLIENT_ACD_OFF || now >= c->lease.expires_at) {
		/* bind() deals with a lease that expired on its way here. */
		bind(c, now, reason, false, out);
		return;
	}
	c->st.checking.probes_sent = 0;
	c->st.checking.reason = reason;
	transition(c, CLIENT_CHECKING,
		   client_min(now + client_acd_next_delay(c->cfg.acd, 0, &c->rng),
			      c->lease.expires_at), out);
}

/* After a NAK or a refusal: random in [base/2, base], base doubling
 * 1 s .. 64 s with each in a row (*count, which this counts up). */
static uint64_t backoff(struct client *c, uint32_t *count)
{
	unsigned k = *count < 6 ? *count : 6;
	uint64_t base = (uint64_t)CLIENT_NAK_BACKOFF_MS << k;

	if (base > CLIENT_NAK_BACKOFF_MAX_MS)
		base = CLIENT_NAK_BACKOFF_MAX_MS;
	if (*count < UINT32_MAX)
		(*count)++;
	return client_prng_range(&c->rng, base / 2u, base);
}

/* RFC 2131 3.1 step 5, 3.2, 4.4.5: a NAK sends the client back to INIT. */
static void nak(struct client *c, uint64_t now, const struct dhcp_msg *m,
		struct client_actions *out)
{
	uint32_t sid = 0;
	uint64_t delay;

	(void)dhcp_get_ip(m, DHCP_OPT_SERVER_ID, &sid);
	c->stats.naks++;
	say(out, CLIENT_LOG_INFO, CLIENT_LOG_LEASE, "NAK from %s in %s",
	    ip(sid).s, client_state_name(c->state));
	drop_lease(c, CLIENT_HOOK_FAIL, out);
	c->prev_addr = 0;   /* the server just said no to it */
	delay = backoff(c, &c->nak_count);
	enter_init(c, now, delay, CLIENT_INIT_NAK, out);
}

/* RFC 5227 2.1.1 / RFC 2131 4.4.1: DECLINE, wait 10 s (60 s after
 * MAX_CONFLICTS), start over. */
static void decline(struct client *c, uint64_t now, const uint8_t mac[6],
		    struct client_actions *out)
{
	say(out, CLIENT_LOG_WARNING, CLIENT_LOG_ACD,
	    "%s is in use by %02x:%02x:%02x:%02x:%02x:%02x: declining",
	    ip(c->lease.address).s, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	send_once(c, CLIENT_MSG_DECLINE, out);
	if (c->conflicts < UINT32_MAX)
		c->conflicts++;
	c->stats.conflicts++;
	drop_lease(c, CLIENT_HOOK_FAIL, out);
	c->prev_addr = 0;
	enter_init(c, now, client_acd_restart_delay(c->conflicts), CLIENT_INIT_DECLINED, out);
}

/* RFC 8925 3.2: stop DHCPv4 for V6ONLY_WAIT seconds. */
static void v6only(struct client *c, uint64_t now, uint32_t wait_s,
		   struct client_actions *out)
{
	say(out, CLIENT_LOG_INFO, CLIENT_LOG_LEASE,
	    "IPv6-only preferred: no DHCPv4 for %us (RFC 8925)", wait_s);
	drop_lease(c, CLIENT_HOOK_FAIL, out);
	enter_init(c, now, (uint64_t)wait_s * 1000u, CLIENT_INIT_V6ONLY, out);
}

/* ---- timers -------------------------------------------------------------- */

static void timer_requesting(struct client *c, uint64_t now, struct client_actions *out)
{
	if (c->tries > CLIENT_REQUEST_RETRIES) {
		say(out, CLIENT_LOG_INFO, CLIENT_LOG_LEASE,
		    "no answer to REQUEST after %u retries", CLIENT_REQUEST_RETRIES);
		enter_init(c, now, 0, CLIENT_INIT_START, out);
		return;
	}
	send_exchange(c, CLIENT_MSG_REQUEST_SELECTING, now, out);
	transition(c, CLIENT_REQUESTING, now + rto(c), out);
}

/*
 * No answer to INIT-REBOOT. RFC 2131 3.2 step 5: a client MAY keep using a
 * lease it has configured until it expires (a link flap on a network whose
 * server is briefly away must not cut the host off); an unverified stored
 * lease is only forgotten and the client starts over (RFC 2131 4.4.2).
 */
static void timer_rebooting(struct client *c, uint64_t now, struct client_actions *out)
{
	if (now >= c->lease.expires_at) {
		lease_expired(c, now, out);
		return;
	}
	if (c->tries <= CLIENT_REBOOT_RETRIES) {
		send_exchange(c, CLIENT_MSG_REQUEST_REBOOTING, now, out);
		transition(c, CLIENT_REBOOTING,
			   client_min(now + rto(c), c->lease.expires_at), out);
		return;
	}
	say(out, CLIENT_LOG_INFO, CLIENT_LOG_LEASE, "no answer to INIT-REBOOT");
	if (c->configured) {
		c->st.bound.announces_sent = 0;
		c->st.bound.next_announce = CLIENT_NEVER;
		enter_lease_phase(c, now, out);
		return;
	}
	c->prev_addr = c->lease.address;
	c->have_lease = false;
	enter_init(c, now, 0, CLIENT_INIT_START, out);
}

static void probe(struct client *c, uint8_t index, struct client_actions *out)
{
	struct client_action *a = push(out, CLIENT_ACT_ACD_PROBE);

	if (!a)
		return;
	a->u.acd.addr = c->lease.address;
	a->u.acd.index = index;
	a->u.acd.count = CLIENT_ACD_PROBE_NUM;
}

static void timer_checking(struct client *c, uint64_t now, struct client_actions *out)
{
	uint8_t sent = c->st.checking.probes_sent;

	if (now >= c->lease.expires_at) {
		say(out, CLIENT_LOG_INFO, CLIENT_LOG_LEASE, "lease expired while probing");
		c->prev_addr = c->lease.address;
		drop_lease(c, CLIENT_HOOK_EXPIRE, out);
		enter_init(c, now, 0, CLIENT_INIT_START, out);
		return;
	}
	if (sent >= CLIENT_ACD_PROBE_NUM) {
		/* ANNOUNCE_WAIT passed without a conflict: the address is ours. */
		bind(c, now, c->st.checking.reason, true, out);
		return;
	}
	probe(c, (uint8_t)(sent + 1), out);
	c->st.checking.probes_sent = (uint8_t)(sent + 1);
	transition(c, CLIENT_CHECKING,
		   client_min(now + client_acd_next_delay(c->cfg.acd, (uint8_t)(sent + 1),
							  &c->rng),
			      c->lease.expires_at), out);
}

static void timer_bound(struct client *c, uint64_t now, struct client_actions *out)
{
	if (c->st.bound.next_announce <= now) {
		c->st.bound.announces_sent++;
		announce(c, c->st.bound.announces_sent, CLIENT_ACD_ANNOUNCE_NUM, out);
		c->st.bound.next_announce =
			c->st.bound.announces_sent < CLIENT_ACD_ANNOUNCE_NUM
			? now + client_acd_timing(c->cfg.acd)->announce_interval
			: CLIENT_NEVER;
	}
	enter_lease_phase(c, now, out);
}

/* RENEWING and REBINDING: move on when the timeline says so, else retry. */
static void timer_renewing(struct client *c, uint64_t now, struct client_actions *out)
{
	enum client_lease_phase phase = client_lease_phase(&c->lease, now);

	if (phase == CLIENT_PHASE_EXPIRED) {
		lease_expired(c, now, out);
	} else if (phase == CLIENT_PHASE_REBIND && c->state == CLIENT_RENEWING) {
		start_rebinding(c, now, out);
	} else if (c->state == CLIENT_RENEWING) {
		send_exchange(c, CLIENT_MSG_REQUEST_RENEWING, now, out);
		transition(c, CLIENT_RENEWING, half_way(now, c->lease.t2_at), out);
	} else {
		send_exchange(c, CLIENT_MSG_REQUEST_REBINDING, now, out);
		transition(c, CLIENT_REBINDING, half_way(now, c->lease.expires_at), out);
	}
}

static void timer_link_down(struct client *c, uint64_t now, struct client_actions *out)
{
	if (c->have_lease && now >= c->lease.expires_at) {
		say(out, CLIENT_LOG_INFO, CLIENT_LOG_LEASE, "lease of %s expired (link down)",
		    ip(c->lease.address).s);
		c->prev_addr = c->lease.address;
		drop_lease(c, CLIENT_HOOK_EXPIRE, out);
	}
	transition(c, CLIENT_LINK_DOWN, CLIENT_NEVER, out);
}

static void on_timer(struct client *c, uint64_t now, struct client_actions *out)
{
	switch (c->state) {
	case CLIENT_INIT:
		start_discover(c, now, out);
		return;
	case CLIENT_SELECTING:
		/* RFC 2131 4.1: DISCOVER keeps going, 64 s apart at most. */
		send_exchange(c, CLIENT_MSG_DISCOVER, now, out);
		transition(c, CLIENT_SELECTING, now + rto(c), out);
		return;
	case CLIENT_REQUESTING:
		timer_requesting(c, now, out);
		return;
	case CLIENT_CHECKING:
		timer_checking(c, now, out);
		return;
	case CLIENT_BOUND:
		timer_bound(c, now, out);
		return;
	case CLIENT_RENEWING:
	case CLIENT_REBINDING:
		timer_renewing(c, now, out);
		return;
	case CLIENT_INIT_REBOOT:
		start_reboot(c, now, out);
		return;
	case CLIENT_REBOOTING:
		timer_rebooting(c, now, out);
		return;
	case CLIENT_LINK_DOWN:
		timer_link_down(c, now, out);
		return;
	case CLIENT_STOPPED:
		return;
	}
}

/* ---- received messages --------------------------------------------------- */

/*
 * What the lease builder left out of a lease we take (lease.c): one line,
 * a warning, however much was left out. Names come quoted and escaped.
 */
static void report_unusable(const struct dhcp_msg *m, const struct client_lease *l,
			    const struct client_lease_drops *d, struct client_actions *out)
{
	char what[CLIENT_LOG_MAX];
	size_t used = 0;
	int n = 0;

	what[0] = '\0';
	if (d->mtu)
		n = snprintf(what, sizeof(what), "; MTU %u (under %u, RFC 791)",
			     (unsigned)d->mtu, CLIENT_MTU_MIN);
	used = n > 0 ? (size_t)n : 0;
	if (d->domain_name && used < sizeof(what)) {
		n = snprintf(what + used, sizeof(what) - used, "; domain name %s (not a host name)",
			     d->domain_shown);
		used += n > 0 ? (size_t)n : 0;
	}
	if (d->n_search && used < sizeof(what))
		snprintf(what + used, sizeof(what) - used,
			 "; %u search domain(s) that are not host names, first %s",
			 (unsigned)d->n_search, d->search_shown);
	if (what[0])
		say(out, CLIENT_LOG_WARNING, CLIENT_LOG_OPT_UNUSABLE,
		    "%s xid=0x%08x from %s: lease kept without%s", type_name(m), m->hdr.xid,
		    ip(l->server_id).s, what + 1);
}

/*
 * An ACK with a lease: adopt it. RFC 2131 4.4.1 counts the lease from when
 * the request was sent; we cannot tell which transmission of this xid the
 * server answered, so we count from the latest (as systemd-networkd does):
 * a late answer to an earlier one is later than any real network delay.
 * A lease already over when it arrives (a 1-second lease and a slow path)
 * is ignored, so that it cannot take a still valid lease down with it.
 */
static bool take_lease(struct client *c, uint64_t now, const struct dhcp_msg *m,
		       uint8_t prefix, struct client_actions *out)
{
	struct client_lease l;
	struct client_lease_drops drops;

	client_lease_from_ack(&l, m, prefix, c->last_sent, c->cfg.mac, &c->rng, &drops);
	if (now >= l.expires_at) {
		ignore(c, m, CLIENT_LOG_IGN_STALE, out);
		return false;
	}
	report_unusable(m, &l, &drops, out);
	c->lease = l;
	c->have_lease = true;
	c->stored = false;
	c->stats.leases++;
	return true;
}

static void offer_selecting(struct client *c, uint64_t now, const struct dhcp_msg *m,
			    struct client_actions *out)
{
	enum client_log_code why;
	uint32_t sid, wait;
	uint8_t prefix;

	if (!client_reply_server_id(m, &sid, &why)) {
		ignore(c, m, why, out);
		return;
	}
	/* Whatever it offers, we would refuse it again (refused.c). */
	if (client_refused_listed(c->refused, sid, now)) {
		ignore(c, m, CLIENT_LOG_IGN_REFUSED_SERVER, out);
		return;
	}
	/* Before the address rules: an RFC 8925 OFFER has yiaddr 0 (3.3). */
	wait = client_v6only_wait(&c->cfg, m);
	if (wait) {
		v6only(c, now, wait, out);
		return;
	}
	if (!client_reply_lease_ok(m, &sid, &prefix, &why)) {
		ignore(c, m, why, out);
		return;
	}
	/* The first acceptable OFFER wins (see offer.c on policy). */
	say(out, CLIENT_LOG_INFO, CLIENT_LOG_LEASE, "OFFER of %s from %s",
	    ip(m->hdr.yiaddr).s, ip(sid).s);
	c->offered_addr = m->hdr.yiaddr;
	c->offered_server = sid;
	c->tries = 0;
	send_exchange(c, CLIENT_MSG_REQUEST_SELECTING, now, out);
	transition(c, CLIENT_REQUESTING, now + rto(c), out);
}

/*
 * The checks every ACK passes before its lease is adopted: the server and
 * address rules, the server we talk to (when we talk to one), the address
 * we asked for (when we asked for one), and RFC 8925. Returns false when
 * the message was dealt with (ignored or v6only).
 */
static bool ack_acceptable(struct client *c, uint64_t now, const struct dhcp_msg *m,
			   uint32_t want_server, uint32_t want_addr, uint8_t *prefix,
			   struct client_actions *out)
{
	enum client_log_code why;
	uint32_t sid, wait;

	if (!client_reply_server_id(m, &sid, &why)) {
		ignore(c, m, why, out);
		return false;
	}
	if (want_server && sid != want_server) {
		ignore(c, m, CLIENT_LOG_IGN_WRONG_SERVER, out);
		return false;
	}
	/* A rapid-commit, REBOOTING or REBINDING ACK may come from anyone. */
	if (client_refused_listed(c->refused, sid, now)) {
		ignore(c, m, CLIENT_LOG_IGN_REFUSED_SERVER, out);
		return false;
	}
	wait = client_v6only_wait(&c->cfg, m);
	if (wait && !c->configured) {
		v6only(c, now, wait, out);
		return false;
	}
	if (!client_reply_lease_ok(m, &sid, prefix, &why)) {
		ignore(c, m, why, out);
		return false;
	}
	if (want_addr && m->hdr.yiaddr != want_addr) {
		ignore(c, m, CLIENT_LOG_IGN_WRONG_YIADDR, out);
		return false;
	}
	return true;
}

static void frame_selecting(struct client *c, uint64_t now, const struct dhcp_msg *m,
			    enum client_reply kind, struct client_actions *out)
{
	uint8_t prefix;

	switch (kind) {
	case CLIENT_REPLY_OFFER:
		offer_selecting(c, now, m, out);
		return;
	case CLIENT_REPLY_ACK:
		/* RFC 4039 4: only an ACK with Rapid Commit, and only if we
		 * asked; a single ACK never binds from INIT otherwise. */
		if (!c->cfg.rapid_commit || !dhcp_get_flag(m, DHCP_OPT_RAPID_COMMIT)) {
			ignore(c, m, CLIENT_LOG_IGN_NO_RAPID, out);
			return;
		}
		if (!ack_acceptable(c, now, m, 0, 0, &prefix, out) ||
		    !take_lease(c, now, m, prefix, out))
			return;
		enter_checking(c, now, CLIENT_HOOK_BOUND, out);
		return;
	case CLIENT_REPLY_NAK:
	case CLIENT_REPLY_OTHER:
		ignore(c, m, CLIENT_LOG_IGN_UNEXPECTED, out);
		return;
	}
}

/* A NAK counts only from the server we talk to; want 0 means any server
 * (REBOOTING, REBINDING: RFC 2131 3.2, 4.4.5). The server id is required. */
static void nak_from(struct client *c, uint64_t now, const struct dhcp_msg *m,
		     uint32_t want, struct client_actions *out)
{
	enum client_log_code why;
	uint32_t sid;

	if (!client_reply_server_id(m, &sid, &why)) {
		ignore(c, m, why, out);
		return;
	}
	if (want && sid != want) {
		ignore(c, m, CLIENT_LOG_IGN_WRONG_SERVER, out);
		return;
	}
	nak(c, now, m, out);
}

static void frame_requesting(struct client *c, uint64_t now, const struct dhcp_msg *m,
			     enum client_reply kind, struct client_actions *out)
{
	uint8_t prefix;

	switch (kind) {
	case CLIENT_REPLY_ACK:
		if (!ack_acceptable(c, now, m, c->offered_server, c->offered_addr,
				    &prefix, out) ||
		    !take_lease(c, now, m, prefix, out))
			return;
		enter_checking(c, now, CLIENT_HOOK_BOUND, out);
		return;
	case CLIENT_REPLY_NAK:
		nak_from(c, now, m, c->offered_server, out);
		return;
	case CLIENT_REPLY_OFFER:   /* a later OFFER: we already chose */
	case CLIENT_REPLY_OTHER:
		ignore(c, m, CLIENT_LOG_IGN_UNEXPECTED, out);
		return;
	}
}

/* RENEWING (unicast: only our server) and REBINDING (any server). */
static void frame_renewing(struct client *c, uint64_t now, const struct dhcp_msg *m,
			   enum client_reply kind, struct client_actions *out)
{
	uint32_t want = c->state == CLIENT_RENEWING ? c->lease.server_id : 0;
	enum client_hook_reason reason = c->state == CLIENT_RENEWING
		? CLIENT_HOOK_RENEW : CLIENT_HOOK_REBIND;
	uint8_t prefix;

	switch (kind) {
	case CLIENT_REPLY_ACK:
		if (!ack_acceptable(c, now, m, want, c->lease.address, &prefix, out) ||
		    !take_lease(c, now, m, prefix, out))
			return;
		bind(c, now, reason, false, out);
		return;
	case CLIENT_REPLY_NAK:
		nak_from(c, now, m, want, out);
		return;
	case CLIENT_REPLY_OFFER:
	case CLIENT_REPLY_OTHER:
		ignore(c, m, CLIENT_LOG_IGN_UNEXPECTED, out);
		return;
	}
}

static void frame_rebooting(struct client *c, uint64_t now, const struct dhcp_msg *m,
			    enum client_reply kind, struct client_actions *out)
{
	uint8_t prefix;

	switch (kind) {
	case CLIENT_REPLY_ACK:
		if (!ack_acceptable(c, now, m, 0, c->lease.address, &prefix, out) ||
		    !take_lease(c, now, m, prefix, out))
			return;
		if (c->configured)
			bind(c, now, CLIENT_HOOK_REBOOT, false, out);
		else
			enter_checking(c, now, CLIENT_HOOK_REBOOT, out);
		return;
	case CLIENT_REPLY_NAK:
		nak_from(c, now, m, 0, out);
		return;
	case CLIENT_REPLY_OFFER:
	case CLIENT_REPLY_OTHER:
		ignore(c, m, CLIENT_LOG_IGN_UNEXPECTED, out);
		return;
	}
}

static void on_frame(struct client *c, uint64_t now, const struct dhcp_msg *m,
		     struct client_actions *out)
{
	enum client_log_code why;
	enum client_reply kind;

	c->stats.received++;
	if (!client_reply_for_us(m, c->xid, c->cfg.mac, &why)) {
		ignore(c, m, why, out);
		return;
	}
	report_dropped(c, m, out);
	kind = client_classify(m->type);
	switch (c->state) {
	case CLIENT_SELECTING:
		frame_selecting(c, now, m, kind, out);
		return;
	case CLIENT_REQUESTING:
		frame_requesting(c, now, m, kind, out);
		return;
	case CLIENT_RENEWING:
	case CLIENT_REBINDING:
		frame_renewing(c, now, m, kind, out);
		return;
	case CLIENT_REBOOTING:
		frame_rebooting(c, now, m, kind, out);
		return;
	case CLIENT_INIT:
	case CLIENT_CHECKING:
	case CLIENT_BOUND:
	case CLIENT_INIT_REBOOT:
	case CLIENT_LINK_DOWN:
	case CLIENT_STOPPED:
		/* No exchange open: a late or repeated reply, whatever it is. */
		ignore(c, m, CLIENT_LOG_IGN_UNEXPECTED, out);
		return;
	}
}

/* ---- link, ACD and user events ------------------------------------------- */

static void not_now(struct client *c, const char *what, struct client_actions *out)
{
	say(out, CLIENT_LOG_INFO, CLIENT_LOG_IGN_EVENT, "%s ignored in %s", what,
	    client_state_name(c->state));
}

/*
 * Carrier lost: keep what we have, send nothing, wait for carrier. This
 * event skips the due-timer step (nothing can be sent on a dead link), so
 * a lease that ran out meanwhile is dropped here.
 */
static void on_link_down(struct client *c, uint64_t now, struct client_actions *out)
{
	if (c->state == CLIENT_LINK_DOWN || c->state == CLIENT_STOPPED) {
		not_now(c, "link down", out);
		return;
	}
	say(out, CLIENT_LOG_INFO, CLIENT_LOG_LINK, "link down%s",
	    c->configured ? ": keeping the lease" : "");
	if (c->have_lease && now >= c->lease.expires_at) {
		c->prev_addr = c->lease.address;
		drop_lease(c, CLIENT_HOOK_EXPIRE, out);
	}
	transition(c, CLIENT_LINK_DOWN, c->have_lease ? c->lease.expires_at : CLIENT_NEVER,
		   out);
}

/* Carrier back: verify a lease with INIT-REBOOT (RFC 2131 3.2; the lease
 * was got with this MAC, so RFC 7844 3.2 allows it), or start over. */
static void on_link_up(struct client *c, uint64_t now, struct client_actions *out)
{
	if (c->state != CLIENT_LINK_DOWN) {
		not_now(c, "link up", out);
		return;
	}
	say(out, CLIENT_LOG_INFO, CLIENT_LOG_LINK, "link up");
	if (c->have_lease)
		start_reboot(c, now, out);
	else
		enter_init(c, now, 0, CLIENT_INIT_START, out);
}

/*
 * RFC 5227 2.1.1 (probing) and 2.4 (b) (in use): the first conflict while
 * bound is defended with one announcement; a second within DEFEND_INTERVAL
 * makes us give the address up.
 */
static void on_conflict(struct client *c, uint64_t now, uint32_t addr,
			const uint8_t mac[6], struct client_actions *out)
{
	bool in_use = c->state == CLIENT_BOUND || c->state == CLIENT_RENEWING ||
		      c->state == CLIENT_REBINDING;

	if (c->cfg.acd == CLIENT_ACD_OFF || !c->have_lease || addr != c->lease.address ||
	    memcmp(mac, c->cfg.mac, 6) == 0 || !(in_use || c->state == CLIENT_CHECKING)) {
		warn_input(c, out, CLIENT_LOG_DEBUG, CLIENT_LOG_IGN_ACD_FOREIGN,
			   "ARP for %s ignored in %s", ip(addr).s, client_state_name(c->state));
		return;
	}
	if (in_use && (c->last_defend == CLIENT_NEVER ||
		       now - c->last_defend >= CLIENT_ACD_DEFEND_MS)) {
		say(out, CLIENT_LOG_WARNING, CLIENT_LOG_ACD, "defending %s (RFC 5227 2.4)",
		    ip(addr).s);
		c->last_defend = now;
		announce(c, 1, 1, out);
		return;
	}
	decline(c, now, mac, out);
}

static void on_renew(struct client *c, uint64_t now, struct client_actions *out)
{
	switch (c->state) {
	case CLIENT_BOUND:
		start_renewing(c, now, out);
		return;
	case CLIENT_RENEWING:
	case CLIENT_REBINDING:
		/* Resend now, exactly as the retransmission timer would. */
		timer_renewing(c, now, out);
		return;
	case CLIENT_INIT:
		start_discover(c, now, out);
		return;
	case CLIENT_INIT_REBOOT:
		start_reboot(c, now, out);
		return;
	case CLIENT_SELECTING:
	case CLIENT_REQUESTING:
	case CLIENT_CHECKING:
	case CLIENT_REBOOTING:
	case CLIENT_LINK_DOWN:
	case CLIENT_STOPPED:
		not_now(c, "renew", out);
		return;
	}
}

static void stopped(struct client *c, struct client_actions *out)
{
	transition(c, CLIENT_STOPPED, CLIENT_NEVER, out);
	push(out, CLIENT_ACT_STOPPED);
}

/* RFC 2131 4.4.6: RELEASE unicast to the server; none in anonymous mode
 * (RFC 7844 section 3) and none without a link to send it on. */
static void on_release(struct client *c, struct client_actions *out)
{
	if (c->state == CLIENT_STOPPED) {
		not_now(c, "release", out);
		return;
	}
	if (c->have_lease && c->cfg.anonymous)
		say(out, CLIENT_LOG_INFO, CLIENT_LOG_USER,
		    "release: no RELEASE sent (anonymous, RFC 7844)");
	else if (c->have_lease && c->state != CLIENT_LINK_DOWN)
		send_once(c, CLIENT_MSG_RELEASE, out);
	say(out, CLIENT_LOG_INFO, CLIENT_LOG_USER, "release");
	drop_lease(c, CLIENT_HOOK_RELEASE, out);
	c->prev_addr = 0;
	stopped(c, out);
}

/* Stop: deconfigure unless keep; the stored lease stays for next time. */
static void on_stop(struct client *c, bool keep, struct client_actions *out)
{
	struct client_action *a;

	if (c->state == CLIENT_STOPPED) {
		not_now(c, "stop", out);
		return;
	}
	say(out, CLIENT_LOG_INFO, CLIENT_LOG_USER, "stop%s", keep ? " (keeping the address)" : "");
	if (c->configured && !keep) {
		a = push(out, CLIENT_ACT_DECONFIGURE);
		if (a) {
			a->u.deconfigure.address = c->lease.address;
			a->u.deconfigure.reason = CLIENT_HOOK_STOP;
		}
		c->configured = false;
	}
	stopped(c, out);
}

/*
 * The daemon did not apply the lease of addr (apply's policy refused it,
 * or the system would not take it). Staying BOUND on it would leave the
 * host without an address until T1, and then renew the same lease: a rogue
 * that answers first would keep us off the network with an honest server
 * on the link. So forget it, sending nothing: no RELEASE (it was never
 * used) and no DECLINE (RFC 2131 4.4.1: that says "address in use" and
 * would make an honest server withhold a good address). List its server
 * (refused.c) and DISCOVER again at once; after refusals back to back (a
 * rogue with many server identifiers), with the NAK backoff. A refused
 * RENEW, REBIND or REBOOT ACK: the lease before it is still applied, but
 * its server now insists on values we refuse, so that one goes too.
 */
static void on_lease_refused(struct client *c, uint64_t now, uint32_t addr,
			     struct client_actions *out)
{
	uint32_t sid = c->lease.server_id;
	bool first;
	uint64_t delay;

	if (!c->configured || c->lease.address != addr) {
		say(out, CLIENT_LOG_INFO, CLIENT_LOG_IGN_EVENT,
		    "refusal of %s ignored in %s: not the lease in use", ip(addr).s,
		    client_state_name(c->state));
		return;
	}
	if (now - c->last_refusal >= CLIENT_REFUSED_HOLD_MS)
		c->refusals = 0;
	first = c->refusals == 0;
	delay = backoff(c, &c->refusals);
	c->last_refusal = now;
	client_refused_add(c->refused, sid, now);
	say(out, CLIENT_LOG_WARNING, CLIENT_LOG_REFUSED,
	    "lease of %s from %s refused by local policy: forgotten, nothing sent; "
	    "offers from %s ignored for %u s", ip(addr).s, ip(sid).s, ip(sid).s,
	    CLIENT_REFUSED_HOLD_MS / 1000u);
	/* Only a lease in use before this one is on the system to take down. */
	if (!c->replaced_configured)
		c->configured = false;
	drop_lease(c, CLIENT_HOOK_FAIL, out);
	c->prev_addr = 0;
	if (c->state == CLIENT_LINK_DOWN) {
		transition(c, CLIENT_LINK_DOWN, CLIENT_NEVER, out);
		return;
	}
	enter_init(c, now, first ? 0 : delay, CLIENT_INIT_REFUSED, out);
}

/* ---- entry points -------------------------------------------------------- */

static void begin_call(struct client_actions *out)
{
	out->n = 0;
	out->overflow = false;
}

static void end_call(const struct client *c, uint64_t before, struct client_actions *out)
{
	struct client_action *a;

	if (c->deadline == before)
		return;
	a = push(out, CLIENT_ACT_SET_TIMER);
	if (a)
		a->u.deadline = c->deadline;
}

void client_start(struct client *c, uint64_t now, struct client_actions *out)
{
	uint64_t before = c->deadline;
	uint64_t delay;

	begin_call(out);
	if (c->started) {
		not_now(c, "start", out);
		return;
	}
	c->started = true;
	c->last_now = now;
	delay = client_prng_range(&c->rng, 0, c->cfg.initial_delay_max_ms);
	if (c->stored && !c->cfg.anonymous && client_lease_reusable(&c->lease, c->cfg.mac, now)) {
		say(out, CLIENT_LOG_INFO, CLIENT_LOG_LEASE, "verifying stored lease of %s",
		    ip(c->lease.address).s);
		c->stored = false;
		c->have_lease = true;
		if (delay == 0)
			start_reboot(c, now, out);
		else
			transition(c, CLIENT_INIT_REBOOT,
				   client_min(now + delay, c->lease.expires_at), out);
	} else {
		if (c->stored && !c->cfg.anonymous) {
			say(out, CLIENT_LOG_INFO, CLIENT_LOG_LEASE, "stored lease is not usable");
			c->prev_addr = c->lease.address;
			drop_lease(c, CLIENT_HOOK_EXPIRE, out);
		}
		c->stored = false;
		enter_init(c, now, delay, CLIENT_INIT_START, out);
	}
	end_call(c, before, out);
}

/*
 * -r (dhclient's release): RELEASE the stored lease without verifying it
 * first (RFC 2131 4.4.6), remove its address, which a previous run may have
 * left configured, forget it and stop. Nothing is sent in anonymous mode
 * (RFC 7844 3.7) or for a lease that has run out.
 */
void client_release_stored(struct client *c, uint64_t now, struct client_actions *out)
{
	uint64_t before = c->deadline;
	struct client_action *a;

	begin_call(out);
	if (c->started) {
		not_now(c, "release", out);
		return;
	}
	c->started = true;
	c->last_now = now;
	if (c->stored && c->cfg.anonymous) {
		say(out, CLIENT_LOG_INFO, CLIENT_LOG_USER,
		    "released %s: no RELEASE sent (anonymous, RFC 7844)", ip(c->lease.address).s);
	} else if (c->stored && client_lease_reusable(&c->lease, c->cfg.mac, now)) {
		send_once(c, CLIENT_MSG_RELEASE, out);
		say(out, CLIENT_LOG_INFO, CLIENT_LOG_USER, "released %s", ip(c->lease.address).s);
	} else {
		say(out, CLIENT_LOG_INFO, CLIENT_LOG_USER, "no stored lease to release");
	}
	if (c->stored) {
		a = push(out, CLIENT_ACT_DECONFIGURE);
		if (a) {
			a->u.deconfigure.address = c->lease.address;
			a->u.deconfigure.reason = CLIENT_HOOK_RELEASE;
		}
	}
	drop_lease(c, CLIENT_HOOK_RELEASE, out);
	stopped(c, out);
	end_call(c, before, out);
}

static void dispatch(struct client *c, const struct client_event *ev, uint64_t now,
		     struct client_actions *out)
{
	switch (ev->type) {
	case CLIENT_EV_TIMER:
		if (now < c->deadline)
			say(out, CLIENT_LOG_DEBUG, CLIENT_LOG_TIMER_EARLY, "timer before deadline");
		else
			on_timer(c, now, out);
		return;
	case CLIENT_EV_FRAME:
		if (ev->u.msg)
			on_frame(c, now, ev->u.msg, out);
		return;
	case CLIENT_EV_LINK_UP:
		on_link_up(c, now, out);
		return;
	case CLIENT_EV_LINK_DOWN:
		on_link_down(c, now, out);
		return;
	case CLIENT_EV_ACD_CONFLICT:
		on_conflict(c, now, ev->u.acd.addr, ev->u.acd.mac, out);
		return;
	case CLIENT_EV_RENEW:
		on_renew(c, now, out);
		return;
	case CLIENT_EV_RELEASE:
		on_release(c, out);
		return;
	case CLIENT_EV_STOP:
		on_stop(c, ev->u.keep, out);
		return;
	case CLIENT_EV_LEASE_REFUSED:
		on_lease_refused(c, now, ev->u.refused, out);
		return;
	}
}

void client_handle(struct client *c, const struct client_event *ev, uint64_t now,
		   struct client_actions *out)
{
	uint64_t before = c->deadline;

	begin_call(out);
	if (!c->started || c->state == CLIENT_STOPPED) {
		not_now(c, c->started ? "event" : "event before start", out);
		return;
	}
	/* A monotonic clock never goes back; if it seems to, hold still. */
	if (now < c->last_now)
		now = c->last_now;
	c->last_now = now;
	/* Due timer first, so the event meets the state it would have met
	 * (not for the link going down: see on_link_down()). */
	if (ev->type != CLIENT_EV_TIMER && now >= c->deadline &&
	    (ev->type != CLIENT_EV_LINK_DOWN || c->state == CLIENT_LINK_DOWN))
		on_timer(c, now, out);
	dispatch(c, ev, now, out);
	end_call(c, before, out);
}

void client_frame_dropped(struct client *c, const char *why, uint64_t now,
			  struct client_actions *out)
{
	begin_call(out);
	if (now > c->last_now)
		c->last_now = now;
	c->stats.ignored++;
	warn_input(c, out, CLIENT_LOG_DEBUG, CLIENT_LOG_FRAME_DROPPED, "frame dropped: %s", why);
}

void client_receive(struct client *c, const uint8_t *buf, size_t len, uint64_t now,
		    struct client_actions *out)
{
	_Static_assert(CLIENT_RX_MAX >= DHCP_FIXED_LEN, "room for a message");
	uint8_t scratch[CLIENT_RX_MAX];
	struct dhcp_msg msg;
	struct wire_error err = { WIRE_OK, 0, -1 };
	struct client_event ev = { .type = CLIENT_EV_FRAME, .u.msg = &msg };
	char why[96];

	if (len > sizeof(scratch)) {
		ev.u.msg = NULL;
		client_handle(c, &ev, now, out);
		warn_input(c, out, CLIENT_LOG_WARNING, CLIENT_LOG_MALFORMED,
			   "message of %zu bytes is longer than %u", len, CLIENT_RX_MAX);
		return;
	}
	if (dhcp_parse(buf, len, scratch, sizeof(scratch), &msg, &err) != WIRE_OK) {
		/* Still a call at now: a due timer runs first, as for any event. */
		ev.u.msg = NULL;
		client_handle(c, &ev, now, out);
		c->stats.received++;
		c->stats.ignored++;
		wire_error_format(&err, why, sizeof(why));
		warn_input(c, out, CLIENT_LOG_WARNING, CLIENT_LOG_MALFORMED, "malformed message: %s",
			   why);
		return;
	}
	client_handle(c, &ev, now, out);
}
