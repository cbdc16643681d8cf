/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RFC 5227 timers. The engine drives every probe itself: each ACD_PROBE
 * action asks the daemon to send exactly one ARP probe now, and the engine's
 * own deadline says when the next one is due, so the daemon keeps no timer
 * and no randomness of its own. The daemon only reports ARP traffic that
 * claims an address (CLIENT_EV_ACD_CONFLICT); the engine decides whether it
 * matters.
 *
 * RFC 5227 1.1 constants:   PROBE_WAIT 1 s, PROBE_NUM 3, PROBE_MIN 1 s,
 * PROBE_MAX 2 s, ANNOUNCE_WAIT 2 s, ANNOUNCE_NUM 2, ANNOUNCE_INTERVAL 2 s,
 * MAX_CONFLICTS 10, RATE_LIMIT_INTERVAL 60 s, DEFEND_INTERVAL 10 s.
 *
 * Timeline (2.1.1): wait rand(0, PROBE_WAIT); PROBE_NUM probes spaced
 * rand(PROBE_MIN, PROBE_MAX); then ANNOUNCE_WAIT with no conflict before the
 * address is ours. That is 3 to 7 s, a long time on a laptop lid opening;
 * the "fast" mode keeps the same sequence and scales it down to at most
 * 240 ms (30 + 2 x 70 + 70), which still catches a host that answers ARP
 * at all, while a sleepy host that needs seconds is the rfc5227 mode's job.
 * Announcements (2.3) do not delay binding, so both modes space them the
 * RFC's 2 s: a switch that drops a burst still sees the second one.
 */
#include "internal.h"

static const struct client_acd_timing acd_rfc5227 = {
	.probe_wait = 1000,
	.probe_min = 1000,
	.probe_max = 2000,
	.announce_wait = 2000,
	.announce_interval = 2000,
};

static const struct client_acd_timing acd_fast = {
	.probe_wait = 30,
	.probe_min = 40,
	.probe_max = 70,
	.announce_wait = 70,
	.announce_interval = 2000,
};

const struct client_acd_timing *client_acd_timing(enum client_acd_mode mode)
{
	switch (mode) {
	case CLIENT_ACD_RFC5227:
		return &acd_rfc5227;
	case CLIENT_ACD_FAST:
	case CLIENT_ACD_OFF:
		/* OFF never probes; give it a table rather than NULL. */
		return &acd_fast;
	}
	return &acd_fast;
}

uint64_t client_acd_next_delay(enum client_acd_mode mode, uint8_t probes_sent,
			       struct client_prng *rng)
{
	const struct client_acd_timing *t = client_acd_timing(mode);

	if (probes_sent == 0)
		/* Never 0: the deadline must lie ahead of now. */
		return client_prng_range(rng, 1, t->probe_wait);
	if (probes_sent < CLIENT_ACD_PROBE_NUM)
		return client_prng_range(rng, t->probe_min, t->probe_max);
	return t->announce_wait;
}

/*
 * RFC 2131 4.4.1: wait at least 10 s after a DECLINE. RFC 5227 2.1.1: after
 * MAX_CONFLICTS, at most one new address per RATE_LIMIT_INTERVAL.
 */
uint64_t client_acd_restart_delay(uint32_t conflicts)
{
	if (conflicts >= CLIENT_ACD_MAX_CONFLICTS)
		return CLIENT_ACD_RATE_LIMIT_MS;
	return CLIENT_DECLINE_WAIT_MS;
}
