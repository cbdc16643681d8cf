/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>

#include "role.h"

const char *os_role_name(enum os_role role)
{
	switch (role) {
	case OS_ROLE_NET:
		return "net";
	case OS_ROLE_ENGINE:
		return "engine";
	case OS_ROLE_APPLY:
		return "apply";
	case OS_ROLE_SUPERVISOR:
		return "supervisor";
	}
	return NULL;
}
