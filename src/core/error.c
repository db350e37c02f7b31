#include "error.h"

#include <stdio.h>
#include <string.h>

static const char *const status_names[] = {
	[FH_OK] = "ok",
	[FH_EINVAL] = "invalid",
	[FH_ENOTFOUND] = "not_found",
	[FH_ECONFLICT] = "conflict",
	[FH_ERULE] = "rule",
	[FH_EFORBIDDEN] = "forbidden",
	[FH_ESCHEMA] = "schema",
	[FH_ESTORE] = "store",
	[FH_ENOMEM] = "no_memory",
	[FH_EINTEGRITY] = "integrity",
	[FH_EBUSY] = "unavailable",
};

const char *error_status_name(fh_status status)
{
	if ((unsigned)status < sizeof status_names / sizeof status_names[0] &&
	    status_names[status])
		return status_names[status];
	return "unknown";
}

void error_clear(fh_error *err)
{
	if (err)
		memset(err, 0, sizeof *err);
}

fh_status error_set(fh_error *err, fh_status status, const char *field,
		    const char *source, const char *fmt, ...)
{
	if (!err)
		return status;
	err->status = status;
	snprintf(err->field, sizeof err->field, "%s", field ? field : "");
	snprintf(err->source, sizeof err->source, "%s", source ? source : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return status;
}

void error_list_add(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	if (len + 3 >= size)
		return;
	if (len)
		strcat(buf, "; ");
	len = strlen(buf);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}
