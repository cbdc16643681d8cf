/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The engine's public edges that are not transitions: configuration
 * defaults and checks, names for logs, and the invariants every test and
 * the fuzzer check after each call.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"
#include "wire/dns.h"

void client_config_init(struct client_config *cfg, const uint8_t mac[6])
{
	memset(cfg, 0, sizeof(*cfg));
	memcpy(cfg->mac, mac, 6);
	cfg->id_mode = CLIENT_ID_MAC;
	cfg->acd = CLIENT_ACD_FAST;
	/* RFC 2132 9.10 counts the whole IP datagram (576 is the minimum any
	 * host reassembles), so an Ethernet link accepts 1500. */
	cfg->max_msg_size = 1500;
}

/* Our own host name (option 12): none, or an RFC 1123 host name. */
static bool hostname_ok(const char *name, size_t cap)
{
	size_t n = strnlen(name, cap);

	return n < cap && (n == 0 || dns_is_host_name(name, n));
}

static bool config_ok(const struct client_config *cfg)
{
	static const uint8_t zero[6];

	/* A unicast, non-zero MAC: it is chaddr and the ARP sender. */
	if (memcmp(cfg->mac, zero, 6) == 0 || (cfg->mac[0] & 1))
		return false;
	switch (cfg->id_mode) {
	case CLIENT_ID_MAC:
	case CLIENT_ID_NONE:
		break;
	case CLIENT_ID_RAW:
		/* RFC 2132 9.14: at least a type byte and one more. */
		if (cfg->client_id_len < 2)
			return false;
		break;
	default:
		return false;   /* a value outside the enum: not a mode at all */
	}
	switch (cfg->acd) {
	case CLIENT_ACD_OFF:
	case CLIENT_ACD_FAST:
	case CLIENT_ACD_RFC5227:
		break;
	default:
		return false;
	}
	if (cfg->n_prl_extra > CLIENT_PRL_EXTRA_MAX ||
	    (cfg->max_msg_size != 0 && cfg->max_msg_size < DHCP_MIN_MAX_MSG))
		return false;
	return hostname_ok(cfg->hostname, sizeof(cfg->hostname));
}

int client_init(struct client *c, const struct client_config *cfg,
		const struct client_lease *stored, uint64_t seed)
{
	memset(c, 0, sizeof(*c));
	if (!cfg || !config_ok(cfg))
		return -EINVAL;
	c->cfg = *cfg;
	client_prng_seed(&c->rng, seed);
	c->state = CLIENT_INIT;
	c->deadline = CLIENT_NEVER;
	c->last_defend = CLIENT_NEVER;
	/* Kept in anonymous mode too, but only so that -r can take its
	 * address back: client_start never reuses it there, not even as a
	 * Requested IP hint (RFC 7844 3.3). */
	if (stored) {
		c->lease = *stored;
		c->stored = true;
	}
	return 0;
}

const struct client_lease *client_lease(const struct client *c)
{
	return c->have_lease ? &c->lease : NULL;
}

static const char *const state_names[CLIENT_STATE_COUNT] = {
	[CLIENT_INIT] = "INIT",
	[CLIENT_SELECTING] = "SELECTING",
	[CLIENT_REQUESTING] = "REQUESTING",
	[CLIENT_CHECKING] = "CHECKING",
	[CLIENT_BOUND] = "BOUND",
	[CLIENT_RENEWING] = "RENEWING",
	[CLIENT_REBINDING] = "REBINDING",
	[CLIENT_INIT_REBOOT] = "INIT-REBOOT",
	[CLIENT_REBOOTING] = "REBOOTING",
	[CLIENT_LINK_DOWN] = "LINK-DOWN",
	[CLIENT_STOPPED] = "STOPPED",
};

const char *client_state_name(enum client_state state)
{
	return (unsigned)state < CLIENT_STATE_COUNT ? state_names[state] : "?";
}

static const char *const action_names[] = {
	[CLIENT_ACT_SEND] = "SEND",
	[CLIENT_ACT_SET_TIMER] = "SET_TIMER",
	[CLIENT_ACT_ACD_PROBE] = "ACD_PROBE",
	[CLIENT_ACT_ACD_ANNOUNCE] = "ACD_ANNOUNCE",
	[CLIENT_ACT_CONFIGURE] = "CONFIGURE",
	[CLIENT_ACT_DECONFIGURE] = "DECONFIGURE",
	[CLIENT_ACT_PERSIST_LEASE] = "PERSIST_LEASE",
	[CLIENT_ACT_DROP_LEASE] = "DROP_LEASE",
	[CLIENT_ACT_LOG] = "LOG",
	[CLIENT_ACT_STOPPED] = "STOPPED",
};

const char *client_action_name(enum client_action_type type)
{
	return (unsigned)type < sizeof(action_names) / sizeof(action_names[0])
	       ? action_names[type] : "?";
}

static const char *const log_code_names[CLIENT_LOG_CODE_COUNT] = {
#define CLIENT_LOG_TEXT(name, text) text,
	CLIENT_LOG_CODES(CLIENT_LOG_TEXT)
#undef CLIENT_LOG_TEXT
};

const char *client_log_code_name(enum client_log_code code)
{
	return (unsigned)code < CLIENT_LOG_CODE_COUNT ? log_code_names[code] : "?";
}

static const char *const hook_names[] = {
	[CLIENT_HOOK_BOUND] = "BOUND",
	[CLIENT_HOOK_RENEW] = "RENEW",
	[CLIENT_HOOK_REBIND] = "REBIND",
	[CLIENT_HOOK_REBOOT] = "REBOOT",
	[CLIENT_HOOK_EXPIRE] = "EXPIRE",
	[CLIENT_HOOK_FAIL] = "FAIL",
	[CLIENT_HOOK_STOP] = "STOP",
	[CLIENT_HOOK_RELEASE] = "RELEASE",
};

const char *client_hook_reason_name(enum client_hook_reason reason)
{
	return (unsigned)reason < sizeof(hook_names) / sizeof(hook_names[0])
	       ? hook_names[reason] : "?";
}

/* ---- invariants ---------------------------------------------------------- */

/* Where may the deadline be CLIENT_NEVER: nothing can happen by time alone. */
static bool may_idle(const struct client *c)
{
	switch (c->state) {
	case CLIENT_STOPPED:
		return true;
	case CLIENT_LINK_DOWN:
		return !c->have_lease || client_lease_infinite(&c->lease);
	case CLIENT_BOUND:
		return client_lease_infinite(&c->lease) &&
		       c->st.bound.next_announce == CLIENT_NEVER;
	case CLIENT_INIT:
	case CLIENT_SELECTING:
	case CLIENT_REQUESTING:
	case CLIENT_CHECKING:
	case CLIENT_RENEWING:
	case CLIENT_REBINDING:
	case CLIENT_INIT_REBOOT:
	case CLIENT_REBOOTING:
		return false;
	}
	return false;
}

/* What each state holds: (have_lease, configured) per state. */
static const char *check_holdings(const struct client *c)
{
	switch (c->state) {
	case CLIENT_INIT:
	case CLIENT_SELECTING:
	case CLIENT_REQUESTING:
		return c->have_lease || c->configured ? "a lease held while acquiring" : NULL;
	case CLIENT_CHECKING:
	case CLIENT_INIT_REBOOT:
		return !c->have_lease || c->configured
		       ? "CHECKING/INIT-REBOOT without an unconfigured lease" : NULL;
	case CLIENT_BOUND:
	case CLIENT_RENEWING:
	case CLIENT_REBINDING:
		return !c->configured ? "bound without a configured lease" : NULL;
	case CLIENT_REBOOTING:
		return !c->have_lease ? "REBOOTING without a lease" : NULL;
	case CLIENT_LINK_DOWN:
	case CLIENT_STOPPED:
		return NULL;
	}
	return "state out of range";
}

static const char *check_timeline(const struct client *c, uint64_t now)
{
	const struct client_lease *l = &c->lease;

	if (!c->have_lease)
		return NULL;
	if (now >= l->expires_at)
		return "holds an expired lease";
	if (c->deadline > l->expires_at)
		return "deadline past the lease's expiry";
	if (!(l->t1_at <= l->t2_at && l->t2_at <= l->expires_at))
		return "lease timeline out of order";
	if (c->state == CLIENT_BOUND && c->deadline > l->t1_at)
		return "BOUND deadline past T1";
	if (c->state == CLIENT_RENEWING && c->deadline > l->t2_at)
		return "RENEWING deadline past T2";
	return NULL;
}

const char *client_check(const struct client *c, uint64_t now)
{
	const char *why;

	if (!c->started)
		return NULL;
	if ((unsigned)c->state >= CLIENT_STATE_COUNT)
		return "state out of range";
	if (now < c->last_now)
		now = c->last_now;
	if (c->state == CLIENT_STOPPED)
		return c->deadline == CLIENT_NEVER ? NULL : "STOPPED with a deadline";
	if (c->deadline == CLIENT_NEVER && !may_idle(c))
		return "no pending deadline in a state that needs one";
	if (c->deadline <= now)
		return "deadline not in the future";
	if (c->configured && !c->have_lease)
		return "configured without a lease";
	why = check_holdings(c);
	if (why)
		return why;
	return check_timeline(c, now);
}
