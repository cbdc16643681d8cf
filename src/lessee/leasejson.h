/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One JSON line per lease event, for --no-configure and --json:
 *
 *   {"event": "bound", "interface": "eth0", "address": "192.0.2.100",
 *    "prefix": 24, "broadcast": "192.0.2.255", "routers": ["192.0.2.1"],
 *    "dns": ["192.0.2.53"], "ntp": [], "domain": "example.com",
 *    "search": ["example.com"], "routes": [{"dst": "198.51.100.0/24",
 *    "gateway": "192.0.2.1"}], "mtu": 1500, "server_id": "192.0.2.1",
 *    "lease_time": 600, "renewal_time": 300, "rebinding_time": 525,
 *    "expiry": 1700000600, "anonymous": false}
 *
 * (on one line, ending in '\n'). Every key is always there when a lease is
 * given: "domain" and "mtu" are null when absent, "expiry" is null for an
 * infinite lease (lease_time 4294967295, RFC 2131 3.3). Without a lease
 * (a NAK, a stop before any lease) only event, interface and anonymous.
 *
 * The output is valid JSON for any lease whose shape holds (counts within
 * the arrays, names terminated): every string goes through sb_json_string.
 * It does not judge the values; the caller runs validate_lease() first.
 */
#ifndef LESSEE_LESSEE_LEASEJSON_H
#define LESSEE_LESSEE_LEASEJSON_H

#include <stdbool.h>
#include <stdint.h>

#include "client/client.h"
#include "wire/print.h"

#define LEASEJSON_EVENTS(X) \
	X(BOUND, "bound") X(RENEWED, "renewed") X(REBOUND, "rebound") \
	X(REBOOTED, "rebooted") X(EXPIRED, "expired") X(RELEASED, "released") \
	X(NAK, "nak") X(STOPPED, "stopped")

enum leasejson_event {
#define LEASEJSON_EVENT_ENUM(name, text) LEASEJSON_##name,
	LEASEJSON_EVENTS(LEASEJSON_EVENT_ENUM)
#undef LEASEJSON_EVENT_ENUM
	LEASEJSON_EVENT_COUNT
};

/* The longest line of a lease that passed validate_lease() fits in this
 * (tested); hostile names escape to six bytes each and may not. */
#define LEASEJSON_LINE_MAX 4096u

enum leasejson_status {
	LEASEJSON_OK,
	LEASEJSON_BAD_ARGUMENT,  /* NULL, unknown event, bad interface name */
	LEASEJSON_BAD_LEASE,     /* counts or names out of shape: nothing read */
	LEASEJSON_NO_ROOM,       /* the strbuf was too small (output cut) */
};

struct leasejson_args {
	enum leasejson_event event;
	const char *ifname;
	const struct client_lease *lease;   /* may be NULL */
	int64_t expiry;                     /* wall clock, epoch seconds */
	bool anonymous;
};

/* Append the line to sb (which keeps its own bound). */
enum leasejson_status leasejson_render(struct strbuf *sb, const struct leasejson_args *a);

/* "bound"; "?" out of range. */
const char *leasejson_event_name(enum leasejson_event e);

/* The engine's reasons: FAIL (NAK, address conflict, IPv6-only) is "nak".
 * LEASEJSON_EVENT_COUNT when unknown. */
enum leasejson_event leasejson_event_from_client(enum client_hook_reason r);

#endif
