/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lessee --explain: every message lessee would send in this configuration,
 * field by field and option by option, each item marked as identifying the
 * device or not, and why. Nothing is sent and nothing is changed.
 *
 * The messages are not described from a second model of the protocol: the
 * real engine (src/client) runs on a virtual clock against a fictitious
 * server in TEST-NET-1 (RFC 5737), and each message shown is the
 * client_send the engine produced, built by dhcp_build() exactly as the net
 * role builds it, checked as the net role checks it (ipc_check_send), and
 * read back by dhcp_parse() for printing with the wire printer. So the
 * explanation cannot drift from what the daemon sends.
 *
 * This module is pure: the caller passes the interface's MAC (read from the
 * kernel), the monotonic time and the stored lease (read from -lf), and
 * gets text or one JSON document in a strbuf.
 */
#ifndef LESSEE_LESSEE_EXPLAIN_H
#define LESSEE_LESSEE_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

#include "client/client.h"
#include "lessee/cli.h"
#include "wire/print.h"

/* Room for the longest explanation (JSON, every option set), with margin. */
#define EXPLAIN_OUT_MAX (512u * 1024u)

/* The fictitious server and its lease: placeholders, said so in the output. */
#define EXPLAIN_SERVER_IP  0xc0000201u   /* 192.0.2.1 */
#define EXPLAIN_ADDRESS    0xc0000264u   /* 192.0.2.100 */
#define EXPLAIN_PREFIX     24u
#define EXPLAIN_LEASE_S    3600u
/* A fixed seed: the same configuration always explains the same way, so
 * two explanations can be compared with diff. The daemon seeds from
 * getrandom(); only the xid and the jitter samples differ. */
#define EXPLAIN_SEED       UINT64_C(0x6c6573736565)

struct explain_input {
	const struct lessee_opts *opts;
	uint8_t mac[6];                     /* the interface's current MAC */
	uint64_t now_ms;                    /* monotonic: the stored lease's clock */
	const struct client_lease *stored;  /* from -lf, or NULL */
	const char *no_stored_why;          /* why stored is NULL (printed) */
};

/*
 * Append the explanation (text, or JSON when opts->json) to sb. Returns 0,
 * or -1 with a one-line reason in err: the configuration was refused by the
 * engine, the engine did not behave as the explanation expects (an
 * internal error), or sb was too small.
 */
int explain_render(const struct explain_input *in, struct strbuf *sb, char *err,
		   size_t err_size);

#endif
