/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A virtual world for the client engine: a clock, a "daemon" that carries
 * out the actions (and checks them), and helpers for a small DHCP server.
 *
 * Everything on the wire goes through the real codec: each SEND action is
 * marshalled with dhcp_build (in the order the engine asked for) and parsed
 * back with dhcp_parse before a test looks at it; each server reply is
 * composed with dhcp_out, marshalled with dhcp_build and parsed with
 * dhcp_parse before the engine sees it.
 *
 * After every call the world checks the invariants (client_check(), one
 * SET_TIMER at most and only when the deadline moved, no overflow, every
 * CONFIGURE fresh, every SEND well formed, no SEND while the link is down)
 * and fails the test with the seed if one breaks.
 */
#ifndef LESSEE_TEST_CLIENT_SIM_H
#define LESSEE_TEST_CLIENT_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/client.h"
#include "wire/dhcp.h"

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

#define SRV_ID   IP4(192, 0, 2, 1)
#define SRV2_ID  IP4(192, 0, 2, 2)
#define ADDR1    IP4(192, 0, 2, 100)
#define ADDR2    IP4(192, 0, 2, 101)
#define MASK24   IP4(255, 255, 255, 0)
#define SEC      1000u
#define MIN      (60u * SEC)
#define HOUR     (60u * MIN)

extern const uint8_t sim_mac[6];
extern const uint8_t sim_other_mac[6];

/* A message the client sent, as a server would see it. Never copied: the
 * parsed view points into buf and scratch. */
struct sim_msg {
	uint8_t buf[1500];
	size_t len;
	uint8_t scratch[1500];
	struct dhcp_msg m;
	enum client_dest dest;
	uint32_t src_ip;
	uint32_t dst_ip;
	uint64_t at;
	uint64_t seq;   /* 1, 2, ... in send order */
};

#define SIM_RING 8u

struct sim {
	struct client c;
	struct client_config cfg;
	struct client_actions out;
	uint64_t now;
	uint64_t seed;
	bool verbose;
	bool link_up;

	struct sim_msg ring[SIM_RING];
	uint64_t n_sent;

	/* The daemon's view. */
	bool configured;
	bool configured_before;   /* at the last CONFIGURE: one was in use */
	struct client_lease applied;
	enum client_hook_reason cfg_reason;
	enum client_hook_reason decfg_reason;
	bool stored;
	struct client_lease store;
	bool stopped;
	unsigned count[CLIENT_ACT_STOPPED + 1];  /* cumulative, by action */
	size_t max_actions;                      /* most actions in one call */
	unsigned by_reason[CLIENT_HOOK_RELEASE + 1];  /* CONFIGUREs, by reason */
	struct client_acd_action last_probe;
	struct client_acd_action last_announce;
	unsigned ignored[CLIENT_LOG_CODE_COUNT]; /* cumulative, by log code */
	enum client_log_code last_ignore;
	/* The last log lines, printed when a check fails. */
	char history[32][CLIENT_LOG_MAX + 24];
	unsigned n_history;
};

/* Defaults for tests: sim_mac, ACD fast. */
void sim_config(struct client_config *cfg);

/* A fresh world at time now0 (a sim is large: make it static). */
void sim_init(struct sim *s, const struct client_config *cfg,
	      const struct client_lease *stored, uint64_t seed, uint64_t now0);
void sim_start(struct sim *s);
/* -r: client_release_stored instead of client_start. */
void sim_release_stored(struct sim *s);
/* Whether one of the last 32 log lines contains needle. */
bool sim_logged(const struct sim *s, const char *needle);
void sim_event(struct sim *s, const struct client_event *ev);
void sim_link(struct sim *s, bool up);
void sim_user(struct sim *s, enum client_event_type type, bool keep);
void sim_conflict(struct sim *s, uint32_t addr, const uint8_t mac[6]);
/* apply refused the lease of addr (its last CONFIGURE): the daemon's view
 * goes back to the lease in use before it, then the client hears of it. */
void sim_refuse(struct sim *s, uint32_t addr);

/* Fire the deadline (moving the clock to it). */
void sim_timer(struct sim *s);
/* Fire every deadline up to t in order, then set the clock to t. */
void sim_advance(struct sim *s, uint64_t t);
/* Fire deadlines until the client sends; NULL if none by now + limit. */
struct sim_msg *sim_next_send(struct sim *s, uint64_t limit);
/* The message sent last (NULL before any). */
struct sim_msg *sim_last(struct sim *s);
/* Deadlines fired until state is reached; false if not by now + limit. */
bool sim_run_to_state(struct sim *s, enum client_state st, uint64_t limit);

/* What a server says; sim_reply_default() gives a good one. */
struct reply {
	uint8_t type;
	uint8_t op;              /* BOOTREPLY */
	uint8_t hlen;            /* 6 */
	uint32_t xid_xor;        /* 0: the request's xid */
	bool other_chaddr;
	uint32_t yiaddr;
	bool has_server_id;
	uint32_t server_id;
	bool has_lease;
	uint32_t lease_s;
	bool has_mask;
	uint32_t mask;
	uint32_t t1_s, t2_s;     /* 0: omitted */
	bool rapid;
	bool v6only;
	uint32_t v6only_s;
	bool options;            /* routers, DNS, domain, search, routes, MTU, NTP */
};

struct reply sim_reply_default(uint8_t type, uint32_t yiaddr);
/* Compose a reply to req per r (req may be NULL: xid 0, our chaddr). */
void sim_compose(const struct sim_msg *req, const struct reply *r, struct dhcp_out *o);
/* Marshal, parse and hand to the client as a FRAME event. */
void sim_deliver(struct sim *s, const struct dhcp_out *o);
void sim_answer(struct sim *s, const struct sim_msg *req, const struct reply *r);
/* Raw bytes through client_receive (the malformed path). */
void sim_receive_raw(struct sim *s, const uint8_t *buf, size_t len);

/* Actions of the last call. */
size_t sim_n(const struct sim *s, enum client_action_type t);
const struct client_action *sim_find(const struct sim *s, enum client_action_type t);
bool sim_only_logs(const struct sim *s);

/* Option helpers on a sent message. */
bool msg_has(const struct sim_msg *mm, uint8_t code);
uint32_t msg_ip(const struct sim_msg *mm, uint8_t code);

/* For the test files' own world, each named S: */
#define assert_state(st) assert_int_equal(client_state(&S.c), (st))
#define assert_between(v, lo, hi) do { \
	uint64_t v_ = (v); \
	if (v_ < (uint64_t)(lo) || v_ > (uint64_t)(hi)) \
		fail_msg("%s = %llu not in [%llu, %llu]", #v, (unsigned long long)v_, \
			 (unsigned long long)(lo), (unsigned long long)(hi)); \
} while (0)

/* A stored lease of ADDR1 from SRV_ID got with sim_mac at obtained, with
 * the default T1 and T2. */
struct client_lease sim_stored_lease(uint64_t obtained, uint32_t lease_s);

/* DORA from start to BOUND with a good server; returns the lease. */
const struct client_lease *sim_dora(struct sim *s, uint32_t addr, uint32_t lease_s);

/* Fail with the seed and a reason (used by the checks and the soak). */
void sim_fail(const struct sim *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

#endif
