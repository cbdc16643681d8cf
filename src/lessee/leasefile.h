/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The lease store (-lf FILE): one lease per file, in a format a person can
 * read and check, replaced atomically, and loaded by a strict parser that
 * treats the file as untrusted (it may have been edited, truncated by a
 * crash of some other writer, or corrupted): whatever it returns has passed
 * validate_lease().
 *
 * Format, version 1 (every key required, in any order, each once):
 *
 *   # lessee lease v1                 first line, exactly
 *   # ...                             comments; blank lines are allowed
 *   interface=eth0
 *   mac=02:00:5e:10:00:01             the hardware address it was got with
 *   address=192.0.2.100
 *   prefix=24
 *   prefix_from_server=1              0: classful guess (no option 1)
 *   broadcast=192.0.2.255
 *   server_id=192.0.2.1
 *   network_server=192.0.2.1          the network fingerprint (for the
 *   network_subnet=192.0.2.0/24       anonymity profile): server + subnet
 *   routers=192.0.2.1                 lists: comma-separated, may be empty
 *   dns=192.0.2.53,198.51.100.53
 *   ntp=192.0.2.123
 *   domain=example.com                may be empty
 *   search=example.com,lab.example.org
 *   routes=198.51.100.0/24,192.0.2.1 0.0.0.0/0,192.0.2.1
 *                                     dst/prefix,gateway; space-separated
 *   mtu=1500                          0 = none
 *   lease_time=600                    seconds; 4294967295 = infinite
 *   renewal_time=300
 *   rebinding_time=525
 *   obtained=1700000000               wall clock, epoch seconds
 *   renew_at=1700000300               (or "never" on an infinite lease)
 *   rebind_at=1700000525
 *   expires=1700000600
 *
 * The engine's times are monotonic milliseconds; the caller passes
 * offset_ms = wall-clock ms - monotonic ms, taken at one moment. Saving
 * rounds down to whole seconds (so a renewal comes at most 1 s early);
 * loading clamps a time before the monotonic origin (a lease from before
 * a reboot) to 0, which keeps the order of the times.
 *
 * Lines are at most LEASEFILE_LINE_MAX bytes, the file at most
 * LEASEFILE_FILE_MAX; only printable ASCII and '\n' may appear; the last
 * line ends with '\n' (else the file was cut). Unknown keys (a newer
 * version) are ignored and counted; a duplicate key is refused.
 */
#ifndef LESSEE_LESSEE_LEASEFILE_H
#define LESSEE_LESSEE_LEASEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "client/client.h"
#include "lessee/validate.h"

#define LEASEFILE_HEADER    "# lessee lease v1"
#define LEASEFILE_LINE_MAX  2048u
#define LEASEFILE_FILE_MAX  16384u
/* The latest wall-clock second accepted: 9999-12-31T23:59:59Z. */
#define LEASEFILE_EPOCH_MAX 253402300799ull

#define LEASEFILE_REASONS(X) \
	X(OK,            "ok") \
	X(BAD_ARGUMENT,  "bad argument") \
	X(IO,            "file could not be read or written") \
	X(NO_ROOM,       "output buffer too small") \
	X(TOO_LARGE,     "file larger than the limit") \
	X(TRUNCATED,     "file empty or cut short (no final newline)") \
	X(BAD_BYTE,      "byte outside printable ASCII") \
	X(BAD_HEADER,    "first line is not the lessee lease v1 header") \
	X(LINE_TOO_LONG, "line longer than the limit") \
	X(SYNTAX,        "line is not key=value") \
	X(DUPLICATE,     "key given twice") \
	X(BAD_VALUE,     "value out of range or malformed") \
	X(MISSING_KEY,   "required key missing") \
	X(MISMATCH,      "network fingerprint does not match the lease") \
	X(INVALID,       "lease refused by validation")

enum leasefile_reason {
#define LEASEFILE_REASON_ENUM(name, text) LEASEFILE_##name,
	LEASEFILE_REASONS(LEASEFILE_REASON_ENUM)
#undef LEASEFILE_REASON_ENUM
	LEASEFILE_REASON_COUNT
};

const char *leasefile_reason_name(enum leasefile_reason r);

struct leasefile_error {
	enum leasefile_reason reason;
	unsigned line;                  /* 1-based; 0 when not about a line */
	enum validate_reason invalid;   /* with LEASEFILE_INVALID */
	char text[256];
};

/* Which network a lease came from: the server and our subnet. */
struct leasefile_fingerprint {
	uint32_t server_id;
	uint32_t subnet;                /* address & mask */
	uint8_t prefix;
};

struct leasefile_record {
	char ifname[16];
	struct client_lease lease;
	struct leasefile_fingerprint net;
	unsigned unknown_keys;          /* keys ignored while loading */
};

void leasefile_fingerprint(const struct client_lease *l, struct leasefile_fingerprint *fp);

/*
 * Render a lease into buf (NUL-terminated); *len gets the length. The lease
 * must pass validate_lease() under the most permissive policy (what the
 * store cannot round-trip, it does not write).
 */
enum leasefile_reason leasefile_render(const char *ifname, const struct client_lease *l,
				       int64_t offset_ms, char *buf, size_t cap, size_t *len,
				       struct leasefile_error *err);

/* Parse text (len bytes, NULs included) and validate under p and ctx
 * (either may be NULL). *out is written only on LEASEFILE_OK. */
enum leasefile_reason leasefile_parse(const char *text, size_t len, int64_t offset_ms,
				      const struct validate_policy *p,
				      const struct validate_context *ctx,
				      struct leasefile_record *out, struct leasefile_error *err);

/* Render and replace path atomically (mode 0600). */
enum leasefile_reason leasefile_save(const char *path, const char *ifname,
				     const struct client_lease *l, int64_t offset_ms,
				     struct leasefile_error *err);

/* Read path (a regular file, not a symlink, at most LEASEFILE_FILE_MAX
 * bytes) and parse it. */
enum leasefile_reason leasefile_load(const char *path, int64_t offset_ms,
				     const struct validate_policy *p,
				     const struct validate_context *ctx,
				     struct leasefile_record *out, struct leasefile_error *err);

/*
 * Replace path with data atomically: a temporary file ".NAME.XXXXXX" in the
 * same directory (O_CREAT|O_EXCL, created 0600, then set to mode), write,
 * fsync, rename over path, fsync the directory. On any failure the
 * temporary file is removed and path is left as it was. 0 or -errno.
 * (Shared with resolv.c.)
 */
int leasefile_write_atomic(const char *path, const void *data, size_t len, mode_t mode);

#endif
