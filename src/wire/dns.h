/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Domain names in RFC 1035 wire form with compression (3.1, 4.1.4), as the
 * domain search option carries them (RFC 3397). Pointers must point strictly
 * backwards and may not loop; labels are at most 63 bytes and a name at most
 * 255 bytes in wire form.
 */
#ifndef LESSEE_WIRE_DNS_H
#define LESSEE_WIRE_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reason.h"

#define DNS_LABEL_MAX 63u
#define DNS_NAME_MAX  255u
/* Text form: bytes outside [A-Za-z0-9_-] are written \DDD, so 4x plus NUL. */
#define DNS_TEXT_MAX  (4u * DNS_NAME_MAX + 1u)

struct dns_list_iter {
	const uint8_t *data;
	size_t len;
	size_t off;
};

void dns_list_init(struct dns_list_iter *it, const uint8_t *data, size_t len);

/*
 * Decode the next name into text (NUL-terminated, "." for the root).
 * Returns 1 with a name, 0 at the end of the list, -1 on a malformed name
 * with err saying why and where (offset relative to data).
 */
int dns_list_next(struct dns_list_iter *it, char *text, size_t text_cap,
		  struct wire_error *err);

/* Check a whole list; WIRE_OK or the first reason, with its offset. */
enum wire_reason dns_list_validate(const uint8_t *data, size_t len, size_t *bad_offset);

/*
 * Encode dotted names (no escapes, labels 1..63, "." the root) without
 * compression. An empty list encodes to nothing, so check n before.
 * Returns the bytes written, 0 when a name is invalid or out does not fit.
 */
size_t dns_list_encode(const char *const *names, size_t n, uint8_t *out, size_t cap);

/*
 * Is name[0..len) an RFC 1035 2.3.1 host name (with RFC 1123 2.1's leading
 * digit): labels of 1..63 of [A-Za-z0-9-], not starting or ending with '-',
 * separated by single dots; at most 253 characters before an optional
 * trailing dot. "" and "." are not; any other byte (a NUL, '_', a space, a
 * shell metacharacter, the text form's "\DDD") makes it not one. The one
 * host-name rule of the project: the engine drops names that fail it, apply
 * refuses them, hooks and resolv.conf never see them.
 */
bool dns_is_host_name(const char *name, size_t len);

#endif
