/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdio.h>

#include "reason.h"

static const char *const reason_texts[WIRE_REASON_COUNT] = {
#define WIRE_REASON_TEXT(name, text) [WIRE_##name] = text,
	WIRE_REASONS(WIRE_REASON_TEXT)
#undef WIRE_REASON_TEXT
};

static const char *const reason_names[WIRE_REASON_COUNT] = {
#define WIRE_REASON_NAME(name, text) [WIRE_##name] = #name,
	WIRE_REASONS(WIRE_REASON_NAME)
#undef WIRE_REASON_NAME
};

const char *wire_reason_text(enum wire_reason reason)
{
	if ((unsigned)reason >= WIRE_REASON_COUNT)
		return "unknown reason";
	return reason_texts[reason];
}

const char *wire_reason_name(enum wire_reason reason)
{
	if ((unsigned)reason >= WIRE_REASON_COUNT)
		return "UNKNOWN";
	return reason_names[reason];
}

int wire_error_format(const struct wire_error *err, char *buf, size_t size)
{
	if (err->option >= 0)
		return snprintf(buf, size, "%s at offset %zu (option %d)",
				wire_reason_text(err->reason), err->offset, err->option);
	return snprintf(buf, size, "%s at offset %zu", wire_reason_text(err->reason),
			err->offset);
}
