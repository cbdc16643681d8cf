/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Printing parsed messages: one line for logs, JSON for --json and tools.
 * Output goes to a bounded string buffer; nothing here can overflow, and all
 * bytes from the wire are escaped (JSON strings stay valid for any input).
 */
#ifndef LESSEE_WIRE_PRINT_H
#define LESSEE_WIRE_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dhcp.h"

struct strbuf {
	char *buf;
	size_t cap;
	size_t len;
	bool truncated;
};

void sb_init(struct strbuf *sb, char *buf, size_t cap);
void sb_putc(struct strbuf *sb, char c);
void sb_puts(struct strbuf *sb, const char *s);
void sb_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_ip(struct strbuf *sb, uint32_t addr);
void sb_mac(struct strbuf *sb, const uint8_t *mac, size_t len);
void sb_hex(struct strbuf *sb, const uint8_t *data, size_t len);
/* A JSON string literal with quotes; every byte that is not printable ASCII
 * is escaped as \u00XX, so the result is valid JSON and valid UTF-8. */
void sb_json_string(struct strbuf *sb, const uint8_t *data, size_t len);

/* "ACK xid=0x3903f326 yiaddr=192.0.2.100 server-id=192.0.2.1 lease=600 ..." */
void dhcp_print_line(struct strbuf *sb, const struct dhcp_msg *msg);

/* The members of a JSON object (no braces), as lessee-dump --json prints. */
void dhcp_print_json_members(struct strbuf *sb, const struct dhcp_msg *msg);

/* One option's value as JSON (number, string, array or hex string). */
void dhcp_print_opt_json(struct strbuf *sb, uint8_t code, const uint8_t *data, size_t len);

/* One option's value as text for the line format. */
void dhcp_print_opt_text(struct strbuf *sb, uint8_t code, const uint8_t *data, size_t len);

#endif
