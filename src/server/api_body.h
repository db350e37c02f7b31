/*
 * api_body: the one way an API handler reads its JSON body and the typed
 * parameters of its route.  Each reader either gives a valid value or
 * answers the request itself (422 for a body field, 400 for a path
 * parameter) naming the field and the reason, and returns false, so a
 * handler reads
 *
 *     if (!api_body_fields(req, FIELDS) || !api_body_text(req, "note", false, 4000, &note))
 *             return;
 *
 * and only ever sees well-formed values.  What a value means (a date in
 * the future, an unknown word) is the store's and core's to judge.
 */
#ifndef FH_API_BODY_H
#define FH_API_BODY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "http.h"

/* Refuses (422) a body with a field not in names (NULL-ended). */
bool api_body_fields(http_request *req, const char *const *names);
/* A string field of at most max bytes; NULL in *out when absent and not required. */
bool api_body_text(http_request *req, const char *name, bool required, size_t max,
		   const char **out);
/* A date field (YYYY-MM-DD); req->today when absent. */
bool api_body_date(http_request *req, const char *name, fh_date *out);
/* A date field that must be there. */
bool api_body_date_required(http_request *req, const char *name, fh_date *out);
/* A whole-number field; def when absent. */
bool api_body_int(http_request *req, const char *name, int64_t def, int64_t *out);
/* A boolean field; def when absent. */
bool api_body_bool(http_request *req, const char *name, bool def, bool *out);

/*
 * The route's parameter at index i (an {id}) as a positive number; 400
 * naming "id" ("must be a WHAT's number") otherwise.
 */
bool api_path_id(http_request *req, size_t i, const char *what, int64_t *out);

#endif
