/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Properties, checked over many seeded runs (the seed is printed on any
 * failure; LESSEE_SOAK_SEED and LESSEE_SOAK_CYCLES override the soak's):
 *
 *  - a reply with a foreign xid or chaddr never causes an action (only a
 *    debug LOG) and changes nothing in the client but its counters;
 *  - a single ACK never binds from INIT or SELECTING (without rapid commit
 *    asked and offered);
 *  - after every call there is exactly one pending deadline, in the future
 *    (sim.c checks it, with the rest of client_check(), after each call);
 *  - the client (and the daemon acting on it) never holds an expired lease;
 *  - a soak of 100,000 lease cycles against a server that drops, delays,
 *    duplicates, NAKs and changes its answers, with link flaps, conflicts,
 *    garbage and daemon restarts, never wedges: once the server behaves
 *    the client is BOUND again within a bound, every time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "client/internal.h"
#include "sim.h"

static struct sim S;

/* ---- a server that misbehaves on purpose --------------------------------- */

enum pending_kind { P_FRAME, P_GARBAGE, P_LINK_UP, P_CONFLICT };

struct pending {
	uint64_t at;
	enum pending_kind kind;
	uint32_t addr;
	size_t len;
	uint8_t buf[700];
};

#define MAX_PENDING 32u
/* With a server that behaves, BOUND again within this (see soak()). */
#define WEDGE_BOUND (60u * MIN)

struct world {
	struct sim *s;
	struct client_config cfg;
	struct client_prng rng;
	bool chaos;
	uint64_t served;         /* seq of the last message answered */
	struct pending q[MAX_PENDING];
	size_t nq;
	uint32_t next_host;
	uint32_t banned;
	uint64_t next_chaos;
	uint64_t phase_end;
	uint64_t calm_start;
	bool calm_bound;
	bool calm_had_lease;
	uint64_t calm_limit;
	/* figures */
	uint64_t cycles_before;  /* CONFIGUREs of engines replaced by restarts */
	uint64_t messages;
	uint64_t replies;
	uint64_t restarts;
	uint64_t calm_phases;
	uint64_t max_recovery;
	uint64_t by_reason[CLIENT_HOOK_RELEASE + 1];
};

static uint64_t rnd(struct world *w, uint64_t lo, uint64_t hi)
{
	return client_prng_range(&w->rng, lo, hi);
}

static bool chance(struct world *w, unsigned permille)
{
	return rnd(w, 0, 999) < permille;
}

static uint64_t cycles(const struct world *w)
{
	return w->cycles_before + w->s->count[CLIENT_ACT_CONFIGURE];
}

static void queue(struct world *w, const struct pending *p)
{
	if (w->nq < MAX_PENDING)
		w->q[w->nq++] = *p;
}

static void queue_reply(struct world *w, const struct dhcp_out *o, uint64_t delay)
{
	struct pending p = { .at = w->s->now + delay, .kind = P_FRAME };
	struct wire_error err;

	if (dhcp_build(o, NULL, 0, p.buf, sizeof(p.buf), &p.len, &err) != WIRE_OK)
		sim_fail(w->s, "soak reply does not build");
	queue(w, &p);
	w->replies++;
}

static uint32_t pick_addr(struct world *w, uint32_t wanted)
{
	if (wanted && wanted != w->banned && (wanted >> 8) == (ADDR1 >> 8))
		return wanted;
	w->next_host = w->next_host >= 250 ? 10 : w->next_host + 1;
	return (ADDR1 & ~0xffu) | w->next_host;
}

static const uint32_t lease_choices[] = { 60, 600, 3600, 4 * 3600 };

/* Chaos: every answer may be changed in one of these ways. */
static void spoil(struct world *w, struct reply *r)
{
	r->lease_s = (uint32_t)lease_choices[rnd(w, 0, 3)];
	if (chance(w, 300)) {
		r->t1_s = (uint32_t)rnd(w, 1, r->lease_s);
		r->t2_s = (uint32_t)rnd(w, 1, r->lease_s + 10);
	}
	if (chance(w, 100))
		r->server_id = SRV2_ID;
	switch (rnd(w, 0, 30)) {
	case 0: r->has_server_id = false; break;
	case 1: r->yiaddr = IP4(127, 0, 0, 1); break;
	case 2: r->xid_xor = 0x10; break;
	case 3: r->lease_s = 0; break;
	case 4: r->mask = IP4(255, 0, 255, 0); break;
	case 5: r->yiaddr ^= 1; break;
	case 6: r->has_lease = false; break;
	case 7: r->other_chaddr = true; break;
	default: break;
	}
}

static uint64_t reply_delay(struct world *w)
{
	if (!w->chaos)
		return rnd(w, 0, 50);
	return chance(w, 100) ? rnd(w, 0, 20 * SEC) : rnd(w, 0, 500);
}

static void answer(struct world *w, const struct sim_msg *mm, struct reply *r)
{
	static struct dhcp_out o;
	uint64_t delay = reply_delay(w);

	if (w->chaos)
		spoil(w, r);
	sim_compose(mm, r, &o);
	queue_reply(w, &o, delay);
	if (w->chaos && chance(w, 50))
		queue_reply(w, &o, delay + rnd(w, 0, 3 * SEC));   /* duplicate */
}

static void serve_discover(struct world *w, const struct sim_msg *mm)
{
	struct reply r = sim_reply_default(DHCPOFFER,
					   pick_addr(w, msg_ip(mm, DHCP_OPT_REQUESTED_IP)));
	bool rapid_ok = w->chaos ? chance(w, 500) : true;

	if (dhcp_get_flag(&mm->m, DHCP_OPT_RAPID_COMMIT) && rapid_ok) {
		r.type = DHCPACK;
		r.rapid = true;
	}
	if (w->chaos && w->cfg.ipv6_only_preferred && chance(w, 20)) {
		r.v6only = true;
		r.v6only_s = (uint32_t)rnd(w, 0, 600);
	}
	r.options = chance(w, 200);
	answer(w, mm, &r);
	if (w->chaos && chance(w, 100)) {   /* a second server offers too */
		r = sim_reply_default(DHCPOFFER, pick_addr(w, 0));
		r.server_id = SRV2_ID;
		answer(w, mm, &r);
	}
}

static void serve_request(struct world *w, const struct sim_msg *mm)
{
	uint32_t want = mm->m.hdr.ciaddr ? mm->m.hdr.ciaddr
					 : msg_ip(mm, DHCP_OPT_REQUESTED_IP);
	struct reply r = sim_reply_default(DHCPACK, want);
	uint32_t sid = msg_ip(mm, DHCP_OPT_SERVER_ID);

	if (sid)
		r.server_id = sid;                /* the chosen server answers */
	else if (mm->dest == CLIENT_DEST_UNICAST)
		r.server_id = mm->dst_ip;
	if (want == w->banned || (w->chaos && chance(w, 80)))
		r = sim_reply_default(DHCPNAK, 0);
	r.options = chance(w, 200);
	answer(w, mm, &r);
}

static void serve(struct world *w)
{
	struct sim *s = w->s;

	if (s->n_sent - w->served > SIM_RING)
		sim_fail(s, "more messages in one call than the ring holds");
	while (w->served < s->n_sent) {
		const struct sim_msg *mm = &s->ring[w->served++ % SIM_RING];

		w->messages++;
		if (w->chaos && chance(w, 250))
			continue;                      /* dropped */
		switch (mm->m.type) {
		case DHCPDISCOVER:
			serve_discover(w, mm);
			break;
		case DHCPREQUEST:
			serve_request(w, mm);
			break;
		case DHCPDECLINE:
			w->banned = msg_ip(mm, DHCP_OPT_REQUESTED_IP);
			break;
		default:
			break;
		}
	}
}

/* Chaos also comes from the host: conflicts while probing. */
static void after_call(struct world *w)
{
	const struct client_action *a = sim_find(w->s, CLIENT_ACT_ACD_PROBE);

	if (w->chaos && a && chance(w, 60)) {
		struct pending p = { .at = w->s->now + rnd(w, 1, 50), .kind = P_CONFLICT,
				     .addr = a->u.acd.addr };

		queue(w, &p);
	}
	serve(w);
}

/* ---- chaos events -------------------------------------------------------- */

static void restart(struct world *w)
{
	struct sim *s = w->s;
	struct client_lease store = s->store;
	bool stored = s->stored;

	sim_user(s, CLIENT_EV_STOP, false);
	w->cycles_before += s->count[CLIENT_ACT_CONFIGURE];
	for (int i = 0; i <= CLIENT_HOOK_RELEASE; i++)
		w->by_reason[i] += s->by_reason[i];
	w->restarts++;
	sim_init(s, &w->cfg, stored ? &store : NULL, client_prng_next(&w->rng), s->now);
	w->served = 0;
	sim_start(s);
}

static void garbage(struct world *w)
{
	static struct dhcp_out o;
	struct reply r = sim_reply_default((uint8_t)rnd(w, 1, 18), ADDR1);
	uint8_t buf[700];
	size_t len;
	struct wire_error err;

	r.options = true;
	sim_compose(sim_last(w->s), &r, &o);
	if (dhcp_build(&o, NULL, 0, buf, sizeof(buf), &len, &err) != WIRE_OK)
		return;
	for (int i = (int)rnd(w, 1, 8); i > 0; i--)
		buf[rnd(w, 0, len - 1)] = (uint8_t)rnd(w, 0, 255);
	sim_receive_raw(w->s, buf, (size_t)rnd(w, 0, len));
}

static void chaos_event(struct world *w)
{
	struct sim *s = w->s;
	struct pending p = { .kind = P_LINK_UP };
	const struct client_lease *l = client_lease(&s->c);

	w->next_chaos = s->now + rnd(w, 1, 20 * MIN);
	if (s->stopped)
		return;
	switch (rnd(w, 0, 19)) {
	case 0:
	case 1:
	case 2:
	case 3:
		if (!s->link_up)
			break;
		sim_link(s, false);
		p.at = s->now + rnd(w, SEC, 10 * MIN);
		queue(w, &p);
		break;
	case 4:
	case 5:
	case 6:
		sim_user(s, CLIENT_EV_RENEW, false);
		break;
	case 7:
	case 8:
	case 9:
	case 10:
		if (l)
			sim_conflict(s, l->address, sim_other_mac);
		break;
	case 18:
		if (s->link_up)
			restart(w);
		break;
	default:
		garbage(w);
		break;
	}
}

/* ---- the world's clock --------------------------------------------------- */

static void deliver(struct world *w, struct pending *p)
{
	static uint8_t scratch[700];
	static struct dhcp_msg m;
	struct client_event ev = { .type = CLIENT_EV_FRAME, .u.msg = &m };
	struct wire_error err;

	switch (p->kind) {
	case P_FRAME:
		if (!w->s->link_up || w->s->stopped)
			return;
		if (dhcp_parse(p->buf, p->len, scratch, sizeof(scratch), &m, &err) != WIRE_OK)
			sim_fail(w->s, "soak reply does not parse");
		sim_event(w->s, &ev);
		return;
	case P_GARBAGE:
		return;
	case P_LINK_UP:
		if (!w->s->link_up && !w->s->stopped)
			sim_link(w->s, true);
		return;
	case P_CONFLICT:
		if (!w->s->stopped)
			sim_conflict(w->s, p->addr, sim_other_mac);
		return;
	}
}

static void calm_begins(struct world *w)
{
	struct sim *s = w->s;

	w->chaos = false;
	w->nq = 0;            /* what the bad server still had in flight */
	w->calm_start = s->now;
	w->calm_bound = false;
	w->calm_had_lease = s->configured;
	w->calm_limit = s->now + WEDGE_BOUND;
	w->calm_phases++;
	w->phase_end = CLIENT_NEVER;
	if (!s->link_up)
		sim_link(s, true);
}

static void calm_check(struct world *w)
{
	struct sim *s = w->s;

	if (w->chaos || w->calm_bound)
		return;
	if (client_state(&s->c) == CLIENT_BOUND) {
		uint64_t took = s->now - w->calm_start;

		w->calm_bound = true;
		if (!w->calm_had_lease && took > w->max_recovery)
			w->max_recovery = took;
		/* Stay calm a while (whole lease cycles), then chaos again. */
		w->phase_end = s->now + rnd(w, 0, 6 * HOUR);
		return;
	}
	/* A client renewing or rebinding a valid lease follows RFC 2131
	 * 4.4.5's schedule, which may wait up to half the time left: it is
	 * allowed until that lease would expire. */
	if (s->configured && s->applied.expires_at + WEDGE_BOUND > w->calm_limit)
		w->calm_limit = s->applied.expires_at + WEDGE_BOUND;
	if (s->now > w->calm_limit)
		sim_fail(s, "wedged: not BOUND %llu s after the server began to behave",
			 (unsigned long long)((s->now - w->calm_start) / SEC));
}

static void step(struct world *w)
{
	struct sim *s = w->s;
	uint64_t t = client_deadline(&s->c);
	size_t first = MAX_PENDING;
	int what = 0;   /* 0 timer, 1 pending, 2 chaos, 3 phase */

	for (size_t i = 0; i < w->nq; i++)
		if (w->q[i].at <= t && (first == MAX_PENDING || w->q[i].at < w->q[first].at))
			first = i;
	if (first != MAX_PENDING) {
		t = w->q[first].at;
		what = 1;
	}
	if (w->chaos && w->next_chaos < t) {
		t = w->next_chaos;
		what = 2;
	}
	if (w->phase_end < t) {
		t = w->phase_end;
		what = 3;
	}
	if (t == CLIENT_NEVER)
		sim_fail(s, "nothing can ever happen again");
	if (t > s->now)
		s->now = t;
	if (what == 0) {
		sim_timer(s);
	} else if (what == 1) {
		struct pending p = w->q[first];

		w->q[first] = w->q[--w->nq];
		deliver(w, &p);
	} else if (what == 2) {
		chaos_event(w);
	} else if (w->chaos) {
		calm_begins(w);
	} else {
		w->chaos = true;
		w->phase_end = s->now + rnd(w, 10 * MIN, 12 * HOUR);
		w->next_chaos = s->now + rnd(w, 1, 30 * MIN);
	}
	after_call(w);
	calm_check(w);
}

static void world_init(struct world *w, struct sim *s, const struct client_config *cfg,
		       uint64_t seed)
{
	memset(w, 0, sizeof(*w));
	w->s = s;
	w->cfg = *cfg;
	client_prng_seed(&w->rng, seed ^ 0x5eed5eed5eedull);
	w->next_host = 100;
	w->chaos = true;
	w->phase_end = 1000 + rnd(w, 10 * MIN, 12 * HOUR);
	w->next_chaos = 1000 + rnd(w, 1, 30 * MIN);
	sim_init(s, cfg, NULL, seed, 1000);
	sim_start(s);
	after_call(w);
}

/* ---- properties ----------------------------------------------------------- */

static void random_config(struct client_config *cfg, struct client_prng *rng)
{
	sim_config(cfg);
	cfg->acd = (enum client_acd_mode)client_prng_range(rng, 0, 2);
	cfg->rapid_commit = client_prng_range(rng, 0, 1);
	cfg->anonymous = client_prng_range(rng, 0, 3) == 0;
	cfg->ipv6_only_preferred = client_prng_range(rng, 0, 3) == 0;
	cfg->broadcast_flag = client_prng_range(rng, 0, 1);
	/* Sometimes a start-up delay: INIT and INIT-REBOOT that wait. */
	cfg->initial_delay_max_ms = client_prng_range(rng, 0, 2) == 0 ? 3 * SEC : 0;
}

static void foreign_reply(struct world *w)
{
	static struct client snap;
	static struct dhcp_out o;
	struct sim *s = w->s;
	struct reply r = sim_reply_default((uint8_t)rnd(w, 1, 18), pick_addr(w, 0));
	struct sim_msg *last = sim_last(s);

	if (chance(w, 500))
		r.xid_xor = (uint32_t)rnd(w, 1, UINT32_MAX);
	else
		r.other_chaddr = true;
	r.rapid = chance(w, 500);
	r.options = chance(w, 500);
	sim_compose(last, &r, &o);
	o.hdr.xid = s->c.xid ^ r.xid_xor;
	memcpy(&snap, &s->c, sizeof(snap));
	sim_deliver(s, &o);
	/* One debug line, or none when the rate limit leaves it out. */
	if (s->out.n > 1 || (s->out.n == 1 && (s->out.a[0].type != CLIENT_ACT_LOG ||
					      s->out.a[0].u.log.level != CLIENT_LOG_DEBUG)))
		sim_fail(s, "a foreign reply caused %zu actions", s->out.n);
	snap.stats = s->c.stats;
	snap.last_now = s->c.last_now;    /* the clock moved, nothing else */
	memcpy(snap.warn, s->c.warn, sizeof(snap.warn));   /* and the log's rate limit */
	if (memcmp(&snap, &s->c, sizeof(snap)) != 0)
		sim_fail(s, "a foreign reply changed the client");
}

static void test_foreign_xid_never_acts(void **state)
{
	static struct world w;
	struct client_config cfg;
	struct client_prng rng;
	unsigned seen[CLIENT_STATE_COUNT] = { 0 };
	unsigned injected = 0;

	(void)state;
	client_prng_seed(&rng, 77);
	for (uint64_t seed = 1; seed <= 40; seed++) {
		random_config(&cfg, &rng);
		world_init(&w, &S, &cfg, seed);
		for (int i = 0; i < 3000; i++) {
			if (!S.stopped && S.now < client_deadline(&S.c) && chance(&w, 300)) {
				seen[client_state(&S.c)]++;
				foreign_reply(&w);
				injected++;
			}
			step(&w);
		}
	}
	for (int st = 0; st < CLIENT_STATE_COUNT; st++)
		if (st != CLIENT_STOPPED && seen[st] == 0)
			fail_msg("no foreign reply tried in %s",
				 client_state_name((enum client_state)st));
	print_message("foreign replies: %u injected, none acted\n", injected);
}

/* A single ACK, however good, never binds from INIT or SELECTING. */
static void test_single_ack_never_binds(void **state)
{
	struct client_config cfg;
	struct client_prng rng;
	struct sim_msg *d;
	struct reply r;

	(void)state;
	client_prng_seed(&rng, 78);
	for (uint64_t seed = 1; seed <= 400; seed++) {
		random_config(&cfg, &rng);
		cfg.initial_delay_max_ms = (uint32_t)client_prng_range(&rng, 0, 1) * 5 * SEC;
		sim_init(&S, &cfg, NULL, seed, 1000);
		sim_start(&S);
		for (int i = 0; i < 8; i++) {
			d = sim_last(&S);
			r = sim_reply_default(DHCPACK, IP4(192, 0, 2, 10 + i));
			r.options = client_prng_range(&rng, 0, 1);
			r.t1_s = (uint32_t)client_prng_range(&rng, 0, 1) * 100;
			/* With rapid commit asked, only a missing option 80 can
			 * be tried; without, both. */
			r.rapid = !cfg.rapid_commit && client_prng_range(&rng, 0, 1);
			sim_answer(&S, d, &r);
			if (S.count[CLIENT_ACT_CONFIGURE] || S.configured ||
			    client_state(&S.c) == CLIENT_CHECKING ||
			    client_state(&S.c) == CLIENT_BOUND)
				sim_fail(&S, "a single ACK bound from %s",
					 client_state_name(client_state(&S.c)));
			sim_next_send(&S, 2 * MIN);
		}
	}
}

/* Any event in any order: the invariants hold after each (sim.c). */
static void test_event_storm(void **state)
{
	static struct world w;
	struct client_config cfg;
	struct client_prng rng;
	struct client_event ev;
	const struct client_lease *l;

	(void)state;
	client_prng_seed(&rng, 79);
	for (uint64_t seed = 1; seed <= 200; seed++) {
		random_config(&cfg, &rng);
		world_init(&w, &S, &cfg, seed);
		for (int i = 0; i < 400 && !S.stopped; i++) {
			memset(&ev, 0, sizeof(ev));
			S.now += rnd(&w, 0, chance(&w, 100) ? 2 * HOUR : 5 * SEC);
			switch (rnd(&w, 0, 9)) {
			case 0: ev.type = CLIENT_EV_TIMER; sim_event(&S, &ev); break;
			case 1: sim_link(&S, !S.link_up); break;
			case 2:
				l = client_lease(&S.c);
				sim_conflict(&S, l && chance(&w, 700) ? l->address : ADDR2,
					     chance(&w, 900) ? sim_other_mac : sim_mac);
				break;
			case 3: sim_user(&S, CLIENT_EV_RENEW, false); break;
			case 4: if (chance(&w, 50)) sim_user(&S, CLIENT_EV_RELEASE, false); break;
			case 5: if (chance(&w, 50)) sim_user(&S, CLIENT_EV_STOP, chance(&w, 500)); break;
			case 6: garbage(&w); break;
			default:
				/* The server answers the last message, at once. */
				w.chaos = true;
				w.nq = 0;
				w.served = S.n_sent ? S.n_sent - 1 : 0;
				serve(&w);
				for (size_t k = 0; k < w.nq; k++)
					if (w.q[k].kind == P_FRAME)
						deliver(&w, &w.q[k]);
				w.nq = 0;
				break;
			}
		}
	}
}

/* ---- the soak ------------------------------------------------------------- */

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : dflt;
}

static double wall_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_soak(void **state)
{
	static struct world w;
	struct client_config cfg;
	uint64_t seed = env_u64("LESSEE_SOAK_SEED", 20240615);
	uint64_t target = env_u64("LESSEE_SOAK_CYCLES", 100000);
	uint64_t total = 0, virt = 0, msgs = 0, restarts = 0, calm = 0, worst = 0;
	size_t most = 0;
	uint64_t reasons[CLIENT_HOOK_RELEASE + 1] = { 0 };
	double t0 = wall_seconds(), wall;

	(void)state;
	print_message("soak: seed %llu (LESSEE_SOAK_SEED), %llu cycles\n",
		      (unsigned long long)seed, (unsigned long long)target);
	for (int variant = 0; variant < 4; variant++) {
		sim_config(&cfg);
		cfg.acd = variant == 1 ? CLIENT_ACD_RFC5227
			: variant == 2 ? CLIENT_ACD_OFF : CLIENT_ACD_FAST;
		cfg.rapid_commit = variant == 1 || variant == 3;
		cfg.anonymous = variant == 2;
		cfg.ipv6_only_preferred = variant == 3;
		world_init(&w, &S, &cfg, seed + (uint64_t)variant);
		while (cycles(&w) < target / 4 + (variant == 3 ? target % 4 : 0))
			step(&w);
		total += cycles(&w);
		virt += S.now - 1000;
		msgs += w.messages;
		restarts += w.restarts;
		calm += w.calm_phases;
		if (w.max_recovery > worst)
			worst = w.max_recovery;
		if (S.max_actions > most)
			most = S.max_actions;
		for (int i = 0; i <= CLIENT_HOOK_RELEASE; i++)
			reasons[i] += w.by_reason[i] + S.by_reason[i];
	}
	wall = wall_seconds() - t0;
	print_message("soak: %llu lease cycles, %.1f virtual years, %.1f s wall; "
		      "%llu client messages, %llu restarts, %llu calm phases, "
		      "slowest recovery %llu s, at most %zu actions per call\n",
		      (unsigned long long)total, (double)virt / (365.25 * 24 * HOUR), wall,
		      (unsigned long long)msgs, (unsigned long long)restarts,
		      (unsigned long long)calm, (unsigned long long)(worst / SEC), most);
	print_message("soak: leases applied as BOUND %llu, RENEW %llu, REBIND %llu, "
		      "REBOOT %llu\n", (unsigned long long)reasons[CLIENT_HOOK_BOUND],
		      (unsigned long long)reasons[CLIENT_HOOK_RENEW],
		      (unsigned long long)reasons[CLIENT_HOOK_REBIND],
		      (unsigned long long)reasons[CLIENT_HOOK_REBOOT]);
	assert_true(total >= target);
	assert_true(calm > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_foreign_xid_never_acts),
		cmocka_unit_test(test_single_ack_never_binds),
		cmocka_unit_test(test_event_storm),
		cmocka_unit_test(test_soak),
	};

	return cmocka_run_group_tests_name("client_props", tests, NULL, NULL);
}
