/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The DHCPv4 client engine: a pure RFC 2131 state machine on a virtual clock.
 *
 * A struct client is a value. client_handle() takes one event and the
 * current monotonic time and fills a bounded list of actions; it never
 * touches a socket, a clock, a random source or the heap. Time comes in with
 * every event (milliseconds, any monotonic origin), randomness from a small
 * PRNG seeded by the caller, so every behaviour replays exactly under a
 * virtual clock.
 *
 * The daemon carries out the actions in order: send a message, arm the one
 * timer, probe or announce an address, configure or deconfigure the lease,
 * persist or drop it, log a line, stop. Whatever it does, it reports back
 * only through events.
 *
 * States (RFC 2131 4.4, figure 5) plus two of ours:
 *
 *   INIT         waiting to send the first DISCOVER (initial delay, NAK
 *                backoff, the 10 s after a DECLINE, the RFC 8925 wait)
 *   SELECTING    DISCOVER sent, collecting OFFERs (first acceptable wins)
 *   REQUESTING   REQUEST for the chosen OFFER sent, waiting for ACK/NAK
 *   CHECKING     ACK received, probing the address (RFC 5227)
 *   BOUND        lease in use, waiting for T1
 *   RENEWING     T1 passed, REQUEST unicast to the leasing server
 *   REBINDING    T2 passed, REQUEST broadcast to any server
 *   INIT-REBOOT  waiting to verify a stored lease
 *   REBOOTING    REQUEST for the stored address sent, waiting for ACK/NAK
 *   LINK-DOWN    carrier lost: nothing is sent; a lease is kept until it
 *                expires and verified (INIT-REBOOT) when carrier returns
 *   STOPPED      released or stopped on request; every event is ignored
 *
 * There is exactly one deadline, held in the client; every call that
 * changes it emits one SET_TIMER action with the new absolute value. The
 * deadline is always in the future (checked by client_check()); it is
 * CLIENT_NEVER only where nothing can happen without an outside event
 * (STOPPED, LINK-DOWN without a lease, BOUND on an infinite lease).
 */
#ifndef LESSEE_CLIENT_CLIENT_H
#define LESSEE_CLIENT_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire/dhcp.h"
#include "wire/routes.h"

#define CLIENT_NEVER UINT64_MAX

/* ---- tunables (milliseconds unless named otherwise) --------------------- */

/* RFC 2131 4.1: first retransmission after 4 s, doubling to 64 s, +-1 s. */
#define CLIENT_RTO_INITIAL_MS    4000u
#define CLIENT_RTO_MAX_MS        64000u
#define CLIENT_RTO_JITTER_MS     1000u
/* The rule: a REQUEST in REQUESTING is retried 4 times, then INIT. */
#define CLIENT_REQUEST_RETRIES   4u
/*
 * RFC 2131 3.2 leaves the INIT-REBOOT retry count to the client. A boot must
 * not stall for two minutes behind a dead server, so we retry twice (sends
 * at about 0, 4 and 12 s; give up at about 28 s) and then DISCOVER.
 */
#define CLIENT_REBOOT_RETRIES    2u
/* RFC 2131 4.4.5: RENEWING/REBINDING retry at half the time left, >= 60 s. */
#define CLIENT_RENEW_MIN_MS      60000u
/* RFC 2131 3.1 step 5 and 4.4.1: wait at least 10 s after a DECLINE. */
#define CLIENT_DECLINE_WAIT_MS   10000u
/* After a NAK: random in [base/2, base], base doubling from 1 s to 64 s. */
#define CLIENT_NAK_BACKOFF_MS    1000u
#define CLIENT_NAK_BACKOFF_MAX_MS 64000u
/*
 * A lease the daemon refused (its policy: TunnelVision routes, a router
 * off the subnet, --deny ...): its server's OFFERs and ACKs are ignored
 * for this long, remembered for at most this many servers (the oldest
 * listing makes room). Back-to-back refusals (a rogue with many server
 * identifiers) wait like NAKs before the next DISCOVER.
 */
#define CLIENT_REFUSED_MAX       4u
#define CLIENT_REFUSED_HOLD_MS   (5u * 60u * 1000u)
/* RFC 8925 3.4: MIN_V6ONLY_WAIT. */
#define CLIENT_V6ONLY_MIN_S      300u
/* RFC 5227 1.1: MAX_CONFLICTS, RATE_LIMIT_INTERVAL, DEFEND_INTERVAL. */
#define CLIENT_ACD_MAX_CONFLICTS 10u
#define CLIENT_ACD_RATE_LIMIT_MS 60000u
#define CLIENT_ACD_DEFEND_MS     10000u
#define CLIENT_ACD_PROBE_NUM     3u
#define CLIENT_ACD_ANNOUNCE_NUM  2u

/* ---- bounds -------------------------------------------------------------- */

#define CLIENT_MAX_ACTIONS   24u
#define CLIENT_LOG_MAX       200u
#define CLIENT_MAX_ROUTERS   8u
#define CLIENT_MAX_DNS       8u
#define CLIENT_MAX_NTP       8u
#define CLIENT_MAX_ROUTES    16u
#define CLIENT_MAX_SEARCH    6u      /* resolv.conf's historic limit */
#define CLIENT_NAME_MAX      256u    /* a domain name in text form + NUL */
#define CLIENT_ID_MAX        255u
#define CLIENT_HOSTNAME_MAX  255u
#define CLIENT_VENDOR_MAX    255u
#define CLIENT_PRL_EXTRA_MAX 32u
#define CLIENT_PRL_MAX       64u
#define CLIENT_RX_MAX        16384u  /* client_receive()'s largest message */

/* ---- configuration ------------------------------------------------------- */

enum client_acd_mode {
	CLIENT_ACD_OFF,
	CLIENT_ACD_FAST,      /* RFC 5227 probes compressed into ~250 ms */
	CLIENT_ACD_RFC5227,   /* RFC 5227 timers as written (several seconds) */
};

enum client_id_mode {
	CLIENT_ID_MAC,        /* RFC 2132 9.14: type 1 (Ethernet) + MAC */
	CLIENT_ID_NONE,
	CLIENT_ID_RAW,        /* the bytes in client_id, type byte included */
};

struct client_config {
	uint8_t mac[6];
	enum client_id_mode id_mode;
	uint8_t client_id[CLIENT_ID_MAX];
	uint8_t client_id_len;          /* CLIENT_ID_RAW: 2..255 */
	char hostname[CLIENT_HOSTNAME_MAX + 1];   /* "" = none */
	uint8_t vendor_class[CLIENT_VENDOR_MAX];
	uint8_t vendor_class_len;       /* 0 = none */
	uint8_t prl_extra[CLIENT_PRL_EXTRA_MAX];
	uint8_t n_prl_extra;
	bool rapid_commit;              /* RFC 4039 */
	bool ipv6_only_preferred;       /* RFC 8925 */
	bool anonymous;                 /* RFC 7844 section 3 */
	bool broadcast_flag;            /* ask servers to broadcast replies */
	enum client_acd_mode acd;
	uint32_t initial_delay_max_ms;  /* RFC 2131 4.4.1 SHOULD 1-10 s; 0 = none */
	uint16_t max_msg_size;          /* option 57; 0 = do not send */
};

/* Defaults: client id from the MAC, ACD fast, max message size 1500. */
void client_config_init(struct client_config *cfg, const uint8_t mac[6]);

/* ---- the lease ----------------------------------------------------------- */

/*
 * Everything the daemon applies, already extracted and bounded. Addresses
 * are host byte order. The *_at times are absolute on the engine's monotonic
 * clock (CLIENT_NEVER for an infinite lease); the lease store converts them
 * to and from wall-clock time, which the engine never sees. The apply role
 * validates all of it again before it touches the system.
 */
struct client_lease {
	uint32_t address;
	uint8_t prefix;                 /* from option 1, else classful */
	bool prefix_from_server;
	uint32_t broadcast;             /* option 28, else computed */
	uint32_t server_id;
	uint8_t n_routers;
	uint32_t routers[CLIENT_MAX_ROUTERS];  /* empty when routes are given */
	uint8_t n_dns;
	uint32_t dns[CLIENT_MAX_DNS];
	uint8_t n_ntp;
	uint32_t ntp[CLIENT_MAX_NTP];
	char domain_name[CLIENT_NAME_MAX];     /* "" when absent */
	uint8_t n_search;
	char search[CLIENT_MAX_SEARCH][CLIENT_NAME_MAX];
	uint8_t n_routes;
	struct wire_route routes[CLIENT_MAX_ROUTES];
	uint16_t mtu;                   /* 0 when absent */
	uint32_t lease_s;               /* option 51; UINT32_MAX = infinite */
	uint32_t t1_s;                  /* as applied, before fuzz */
	uint32_t t2_s;
	uint64_t obtained_at;           /* when the answered request was sent */
	uint64_t t1_at;
	uint64_t t2_at;
	uint64_t expires_at;
	uint8_t mac[6];                 /* the hardware address it was got with */
};

static inline bool client_lease_infinite(const struct client_lease *l)
{
	return l->lease_s == UINT32_MAX;
}

/* ---- events -------------------------------------------------------------- */

enum client_event_type {
	CLIENT_EV_TIMER,        /* the deadline was reached (early calls ignored) */
	CLIENT_EV_FRAME,        /* a parsed message arrived on port 68 */
	CLIENT_EV_LINK_UP,
	CLIENT_EV_LINK_DOWN,
	CLIENT_EV_ACD_CONFLICT, /* another host (mac) uses or probes addr */
	CLIENT_EV_RENEW,        /* user: renew now */
	CLIENT_EV_RELEASE,      /* user: release and stop */
	CLIENT_EV_STOP,         /* user: stop (deconfigure unless keep) */
	CLIENT_EV_LEASE_REFUSED, /* the daemon did not apply the lease of addr */
};

/*
 * ACD needs no "probe done" event: the engine times every probe and the
 * wait after the last one with its own deadline, and a probe that meets no
 * conflict simply ends in BOUND. The daemon reports, from the first
 * ACD_PROBE on and for as long as the address is configured, every ARP
 * packet whose sender IP is that address, and every ARP probe (sender IP
 * 0) whose target is it (RFC 5227 2.1.1), with the sender's MAC; the engine
 * ignores its own MAC and addresses it does not hold.
 */
struct client_event {
	enum client_event_type type;
	union {
		const struct dhcp_msg *msg;      /* FRAME */
		struct {
			uint32_t addr;
			uint8_t mac[6];
		} acd;                           /* ACD_CONFLICT */
		bool keep;                       /* STOP */
		uint32_t refused;                /* LEASE_REFUSED: the address */
	} u;
};

/* ---- actions ------------------------------------------------------------- */

enum client_action_type {
	CLIENT_ACT_SEND,
	CLIENT_ACT_SET_TIMER,
	CLIENT_ACT_ACD_PROBE,
	CLIENT_ACT_ACD_ANNOUNCE,
	CLIENT_ACT_CONFIGURE,
	CLIENT_ACT_DECONFIGURE,
	CLIENT_ACT_PERSIST_LEASE,
	CLIENT_ACT_DROP_LEASE,
	CLIENT_ACT_LOG,
	CLIENT_ACT_STOPPED,
};

enum client_dest {
	CLIENT_DEST_BROADCAST,  /* 255.255.255.255 over the packet socket */
	CLIENT_DEST_UNICAST,    /* to dst_ip over the UDP socket */
};

struct client_send {
	struct dhcp_out msg;            /* build with dhcp_build(msg, order) */
	enum client_dest dest;
	uint32_t src_ip;                /* the message's ciaddr (0 when none) */
	uint32_t dst_ip;                /* server id, or 255.255.255.255 */
	uint8_t n_order;
	uint8_t order[DHCP_OUT_MAX_OPTS];
};

/* Send one ARP probe (sender IP 0) or announcement now; index counts from
 * 1 to count. The engine's deadline says when the next one is due. */
struct client_acd_action {
	uint32_t addr;
	uint8_t index;
	uint8_t count;
};

/* dhclient-script reasons the daemon's hooks and JSON lines report. */
enum client_hook_reason {
	CLIENT_HOOK_BOUND,
	CLIENT_HOOK_RENEW,
	CLIENT_HOOK_REBIND,
	CLIENT_HOOK_REBOOT,
	CLIENT_HOOK_EXPIRE,
	CLIENT_HOOK_FAIL,     /* NAK, conflict, IPv6-only: the address is gone */
	CLIENT_HOOK_STOP,
	CLIENT_HOOK_RELEASE,
};

enum client_log_level {
	CLIENT_LOG_DEBUG,     /* not for us (foreign xid, chaddr): counted */
	CLIENT_LOG_INFO,      /* the exchange: one line per step */
	CLIENT_LOG_WARNING,   /* ignored a reply addressed to us, and why */
	CLIENT_LOG_ERROR,     /* internal error (a message could not be composed) */
};

/*
 * Why the engine logs. Every ignored message carries one of the IGN_ codes;
 * tests check codes, people read the text.
 */
#define CLIENT_LOG_CODES(X) \
	X(STATE,            "state change") \
	X(SENT,             "message sent") \
	X(LEASE,            "lease event") \
	X(ACD,              "address conflict detection") \
	X(USER,             "user request") \
	X(LINK,             "link change") \
	X(TIMER_EARLY,      "timer event before the deadline") \
	X(INTERNAL,         "internal error") \
	X(OPT_DROPPED,      "malformed option dropped, the rest of the message used") \
	X(OPT_UNUSABLE,     "option value unusable, dropped; the lease kept") \
	X(REFUSED,          "the daemon refused the lease") \
	X(MALFORMED,        "message did not parse") \
	X(FRAME_DROPPED,    "frame failed IPv4/UDP framing") \
	X(IGN_NOT_REPLY,    "not a BOOTREPLY") \
	X(IGN_XID,          "xid does not match") \
	X(IGN_CHADDR,       "chaddr is not our hardware address") \
	X(IGN_TYPE,         "no or unknown message type") \
	X(IGN_UNEXPECTED,   "message type not expected in this state") \
	X(IGN_NO_SERVER_ID, "no server identifier") \
	X(IGN_BAD_SERVER_ID, "server identifier is not a unicast address") \
	X(IGN_WRONG_SERVER, "from a server we are not talking to") \
	X(IGN_REFUSED_SERVER, "the server's last lease was refused by local policy") \
	X(IGN_NO_LEASE_TIME, "no lease time") \
	X(IGN_LEASE_ZERO,   "lease time of 0") \
	X(IGN_BAD_MASK,     "subnet mask is not contiguous") \
	X(IGN_BAD_YIADDR,   "yiaddr is not a usable unicast address") \
	X(IGN_WRONG_YIADDR, "yiaddr is not the address we asked for") \
	X(IGN_NO_RAPID,     "ACK in SELECTING without rapid commit") \
	X(IGN_STALE,        "the lease had run out when the ACK arrived") \
	X(IGN_ACD_FOREIGN,  "conflict report for an address we do not hold") \
	X(IGN_EVENT,        "event not meaningful in this state")

enum client_log_code {
#define CLIENT_LOG_ENUM(name, text) CLIENT_LOG_##name,
	CLIENT_LOG_CODES(CLIENT_LOG_ENUM)
#undef CLIENT_LOG_ENUM
	CLIENT_LOG_CODE_COUNT
};

struct client_log {
	enum client_log_level level;
	enum client_log_code code;
	char text[CLIENT_LOG_MAX];
};

struct client_action {
	enum client_action_type type;
	union {
		struct client_send send;
		uint64_t deadline;                        /* SET_TIMER */
		struct client_acd_action acd;             /* ACD_PROBE/ANNOUNCE */
		struct {
			struct client_lease lease;
			enum client_hook_reason reason;
		} configure;                              /* CONFIGURE, PERSIST */
		struct {
			uint32_t address;
			enum client_hook_reason reason;
		} deconfigure;                            /* DECONFIGURE */
		struct client_log log;
	} u;
};

/*
 * The actions of one call. n never exceeds CLIENT_MAX_ACTIONS; when more
 * would be needed (a bug: the bound is computed from the worst case),
 * overflow is set and the extra actions are lost.
 */
struct client_actions {
	size_t n;
	bool overflow;
	struct client_action a[CLIENT_MAX_ACTIONS];
};

/* ---- the client value ---------------------------------------------------- */

enum client_state {
	CLIENT_INIT,
	CLIENT_SELECTING,
	CLIENT_REQUESTING,
	CLIENT_CHECKING,
	CLIENT_BOUND,
	CLIENT_RENEWING,
	CLIENT_REBINDING,
	CLIENT_INIT_REBOOT,
	CLIENT_REBOOTING,
	CLIENT_LINK_DOWN,
	CLIENT_STOPPED,
};
#define CLIENT_STATE_COUNT (CLIENT_STOPPED + 1)

/* Why INIT waits before its DISCOVER (per-state data, for logs and tests). */
enum client_init_why {
	CLIENT_INIT_START,
	CLIENT_INIT_NAK,
	CLIENT_INIT_DECLINED,
	CLIENT_INIT_V6ONLY,
	CLIENT_INIT_REFUSED,
};

/* A server whose lease the daemon refused; listed while now < until. */
struct client_refused {
	uint32_t server_id;
	uint64_t until;                 /* ms, the client's clock; 0 = free */
};

/* splitmix64 (Steele, Lea, Flood 2014): 64 bits of state, full period. */
struct client_prng {
	uint64_t state;
};

struct client_stats {
	uint64_t received;
	uint64_t ignored;
	uint64_t sent;
	uint64_t leases;       /* ACKs applied */
	uint64_t naks;
	uint64_t conflicts;
	uint64_t unlogged;     /* input warnings left out by the rate limit */
};

/* One log code's rate-limit window (client.c, warn_input). */
struct client_warn_window {
	uint64_t start;        /* ms, the client's clock */
	uint32_t logged;
	uint32_t unlogged;
};

struct client {
	struct client_config cfg;
	bool started;
	bool stored;                    /* lease holds the stored lease, unchecked */
	enum client_state state;        /* written only by transition() */
	uint64_t deadline;              /* written only by transition() */
	uint64_t last_now;              /* time never runs backwards in here */
	struct client_prng rng;

	/* The exchange in progress. */
	uint32_t xid;
	uint64_t process_start;         /* secs counts from here (RFC 2131 2) */
	uint64_t last_sent;             /* latest send of this xid: lease start */
	uint16_t discover_secs;         /* REQUESTING reuses it (RFC 2131 4.4.1) */
	uint8_t tries;                  /* transmissions with this xid */
	uint32_t offered_addr;          /* REQUESTING: from the chosen OFFER */
	uint32_t offered_server;

	/* The lease: have_lease when valid; configured when CONFIGURE'd. */
	bool have_lease;
	bool configured;
	struct client_lease lease;
	uint32_t prev_addr;             /* requested-IP hint for DISCOVER */
	bool replaced_configured;       /* the last CONFIGURE followed one in use */

	/* Refused leases: their servers, and back-to-back refusals. */
	struct client_refused refused[CLIENT_REFUSED_MAX];
	uint32_t refusals;
	uint64_t last_refusal;

	/* Per-state data. */
	union {
		struct { enum client_init_why why; } init;
		struct {
			uint8_t probes_sent;
			enum client_hook_reason reason;  /* BOUND or REBOOT */
		} checking;
		struct {
			uint8_t announces_sent;
			uint64_t next_announce;  /* CLIENT_NEVER when done */
		} bound;
	} st;

	/* Counters that outlive states. */
	uint32_t nak_count;             /* consecutive NAKs: backoff */
	uint32_t conflicts;             /* RFC 5227 2.1.1, reset on a bind */
	uint64_t last_defend;           /* RFC 5227 2.4 (b); CLIENT_NEVER = never */
	struct client_stats stats;
	struct client_warn_window warn[CLIENT_LOG_CODE_COUNT];
};

/*
 * The network whose lease an OFFER or ACK (a UDP payload) carries: the
 * server identifier and the subnet, by the rules the client applies before
 * it takes such a reply, so that it equals what the lease file stores. For
 * --random-mac=stable. False when the payload carries no usable lease.
 */
bool client_reply_network(const uint8_t *payload, size_t len, uint32_t *server_id,
			  uint32_t *subnet, uint8_t *prefix);

/*
 * Check cfg, seed the PRNG, remember a stored lease (NULL for none; ignored
 * in anonymous mode, when got with another MAC, or when unusable). Returns
 * 0 or -EINVAL naming no field; the client is usable only after 0.
 */
int client_init(struct client *c, const struct client_config *cfg,
		const struct client_lease *stored, uint64_t seed);

/* Start: INIT-REBOOT with a valid stored lease, else INIT. */
void client_start(struct client *c, uint64_t now, struct client_actions *out);

/* Instead of client_start, for -r: release the stored lease and stop. */
void client_release_stored(struct client *c, uint64_t now, struct client_actions *out);

/* Handle one event at time now (ms, monotonic). out is reset first. */
void client_handle(struct client *c, const struct client_event *ev, uint64_t now,
		   struct client_actions *out);

/* Parse the UDP payload with dhcp_parse and handle it; a malformed message
 * becomes one LOG action naming the offset and option. */
void client_receive(struct client *c, const uint8_t *buf, size_t len, uint64_t now,
		    struct client_actions *out);

/* A frame the daemon dropped before its UDP payload reached the client (IPv4
 * or UDP framing, why): counted, and at most one debug LOG action, under the
 * same rate limit as the client's own warnings about input. */
void client_frame_dropped(struct client *c, const char *why, uint64_t now,
			  struct client_actions *out);

static inline enum client_state client_state(const struct client *c)
{
	return c->state;
}

static inline uint64_t client_deadline(const struct client *c)
{
	return c->deadline;
}

/* The lease the engine holds (configured or not), or NULL. */
const struct client_lease *client_lease(const struct client *c);

const char *client_state_name(enum client_state state);
const char *client_action_name(enum client_action_type type);
const char *client_log_code_name(enum client_log_code code);
const char *client_hook_reason_name(enum client_hook_reason reason);

/*
 * The invariants, checked after every call by the tests and the fuzzer:
 * NULL when they hold, else which one broke.
 */
const char *client_check(const struct client *c, uint64_t now);

#endif
