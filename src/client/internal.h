/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the engine's files share and nothing else may use: the PRNG, the
 * acceptance rules (offer.c), lease extraction (lease.c), message composition
 * (compose.c) and the RFC 5227 timers (acd.c). Each is a pure function of its
 * arguments; only client.c writes the client's state.
 */
#ifndef LESSEE_CLIENT_INTERNAL_H
#define LESSEE_CLIENT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "client.h"

/* ---- prng.c -------------------------------------------------------------- */

void client_prng_seed(struct client_prng *rng, uint64_t seed);
uint64_t client_prng_next(struct client_prng *rng);
/* Uniform in [lo, hi], both included; lo when hi <= lo. */
uint64_t client_prng_range(struct client_prng *rng, uint64_t lo, uint64_t hi);

/* ---- time arithmetic that cannot wrap ------------------------------------ */

static inline uint64_t client_add(uint64_t t, uint64_t d)
{
	return d > CLIENT_NEVER - t ? CLIENT_NEVER : t + d;
}

static inline uint64_t client_min(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* ---- offer.c: who and what we accept ------------------------------------- */

/* A usable unicast host address for a client on a /prefix (32: no subnet rule). */
bool client_addr_usable(uint32_t addr, uint8_t prefix);
/* A server identifier we can talk to: unicast, not 0/8, 127/8, 224/4, 240/4. */
bool client_server_id_usable(uint32_t addr);
/* Contiguous non-zero mask -> prefix 1..32. */
bool client_mask_to_prefix(uint32_t mask, uint8_t *prefix);
/* RFC 791 classes when no mask is given: A /8, B /16, C /24, else /32. */
uint8_t client_classful_prefix(uint32_t addr);

/* The four kinds of message the engine tells apart (RFC 2131 3.1, 3.2). */
enum client_reply {
	CLIENT_REPLY_OFFER,
	CLIENT_REPLY_ACK,
	CLIENT_REPLY_NAK,
	CLIENT_REPLY_OTHER,   /* any other type: never expected by a client */
};
enum client_reply client_classify(uint8_t msg_type);

/*
 * Is this reply for our exchange at all: BOOTREPLY, our xid, our chaddr.
 * On false, *why says which (the "not for us" class: logged at debug).
 */
bool client_reply_for_us(const struct dhcp_msg *m, uint32_t xid, const uint8_t mac[6],
			 enum client_log_code *why);

/* A usable server identifier, or false with *why. */
bool client_reply_server_id(const struct dhcp_msg *m, uint32_t *server_id,
			    enum client_log_code *why);

/*
 * The rules an OFFER or ACK must meet to carry a lease: server identifier,
 * a lease time that is present and not 0, a contiguous mask, a usable
 * yiaddr. On success *prefix is the subnet prefix (mask or classful).
 */
bool client_reply_lease_ok(const struct dhcp_msg *m, uint32_t *server_id,
			   uint8_t *prefix, enum client_log_code *why);

/*
 * RFC 8925 3.2: the V6ONLY_WAIT an OFFER or ACK asks for, in seconds, when
 * we asked for option 108 and it is present; 0 when not.
 */
uint32_t client_v6only_wait(const struct client_config *cfg, const struct dhcp_msg *m);

/* ---- lease.c ------------------------------------------------------------- */

/* RFC 791, RFC 1122 3.3.3: the datagram every host must accept. */
#define CLIENT_MTU_MIN 576u

/* What the lease builder left out of a lease it kept, for one log line. */
struct client_lease_drops {
	uint16_t mtu;                   /* an MTU under 576; 0 when none */
	bool domain_name;               /* option 15 was not a host name */
	uint8_t n_search;               /* option 119 names that were not */
	char domain_shown[48];          /* quoted and escaped, for the log */
	char search_shown[48];          /* the first bad search name, likewise */
};

/*
 * Fill *l from an ACK that passed client_reply_lease_ok(): address, prefix,
 * options, and T1/T2/expiry counted from sent_at (RFC 2131 4.4.1: the lease
 * runs from when the request was sent). Consumes randomness for the fuzz.
 * Option values no host should use (see lease.c) are left out and named
 * in *drops; the lease stands without them.
 */
void client_lease_from_ack(struct client_lease *l, const struct dhcp_msg *m,
			   uint8_t prefix, uint64_t sent_at, const uint8_t mac[6],
			   struct client_prng *rng, struct client_lease_drops *drops);

/* T1/T2 in seconds from a lease time and the options (RFC 2131 4.4.5). */
void client_lease_times(uint32_t lease_s, bool has_t1, uint32_t t1_s, bool has_t2,
			uint32_t t2_s, uint32_t *t1_out, uint32_t *t2_out);

enum client_lease_phase {
	CLIENT_PHASE_BOUND,     /* before T1 */
	CLIENT_PHASE_RENEW,     /* T1 <= now < T2 */
	CLIENT_PHASE_REBIND,    /* T2 <= now < expiry */
	CLIENT_PHASE_EXPIRED,
};
enum client_lease_phase client_lease_phase(const struct client_lease *l, uint64_t now);

/* Is a stored lease fit to verify with INIT-REBOOT at now. */
bool client_lease_reusable(const struct client_lease *l, const uint8_t mac[6],
			   uint64_t now);

/* ---- refused.c: servers whose lease the daemon refused ------------------ */

/* Is server_id listed at now (its listing has not run out). */
bool client_refused_listed(const struct client_refused *list, uint32_t server_id,
			   uint64_t now);
/* List server_id until now + CLIENT_REFUSED_HOLD_MS: in its own entry if
 * it has one, else a free or lapsed one, else the one that lapses first. */
void client_refused_add(struct client_refused *list, uint32_t server_id, uint64_t now);

/* ---- compose.c ----------------------------------------------------------- */

enum client_msg_kind {
	CLIENT_MSG_DISCOVER,
	CLIENT_MSG_REQUEST_SELECTING,
	CLIENT_MSG_REQUEST_REBOOTING,
	CLIENT_MSG_REQUEST_RENEWING,
	CLIENT_MSG_REQUEST_REBINDING,
	CLIENT_MSG_DECLINE,
	CLIENT_MSG_RELEASE,
};

/*
 * What client.c decides; compose.c places it per RFC 2131 table 5.
 * addr is the requested address (DISCOVER hint, SELECTING, REBOOTING,
 * DECLINE) or the client's address (RENEWING, REBINDING, RELEASE); 0 for
 * none. server_id is the server addressed (SELECTING, RENEWING, DECLINE,
 * RELEASE).
 */
struct client_msg_spec {
	enum client_msg_kind kind;
	uint32_t xid;
	uint16_t secs;
	uint32_t addr;
	uint32_t server_id;
	const uint8_t *lease_mac;   /* the lease's MAC, for RFC 7844 3.2; or NULL */
};

/* Fill *send; false only if an option did not fit (cannot happen with a
 * validated config: the bound is checked in client_init). */
bool client_compose(const struct client_config *cfg, const struct client_msg_spec *spec,
		    struct client_prng *rng, struct client_send *send);

/* The parameter request list for cfg (RFC 7844 3.6 minimal when anonymous). */
size_t client_prl(const struct client_config *cfg, uint8_t *prl, size_t cap);

/* ---- acd.c --------------------------------------------------------------- */

struct client_acd_timing {
	uint32_t probe_wait;        /* first probe after rand(0, probe_wait) */
	uint32_t probe_min;         /* between probes: rand(min, max) */
	uint32_t probe_max;
	uint32_t announce_wait;     /* after the last probe */
	uint32_t announce_interval; /* between announcements */
};

const struct client_acd_timing *client_acd_timing(enum client_acd_mode mode);
/* Delay before the next step of CHECKING given how many probes went out. */
uint64_t client_acd_next_delay(enum client_acd_mode mode, uint8_t probes_sent,
			       struct client_prng *rng);
/* How long to wait after a conflict before trying again (RFC 5227 2.1.1). */
uint64_t client_acd_restart_delay(uint32_t conflicts);

#endif
