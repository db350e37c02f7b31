/*
 * rights.c: see rights.h.
 */
#include "rights.h"

#include <string.h>

#include "model.h"

const char *const RIGHTS_CONSENT_PURPOSES[] = {"independent_consideration", NULL};

fh_status rights_check_consent(const char *purpose, bool written, bool is_signed,
			       fh_date dated_on, fh_date today, fh_error *err)
{
	if (!purpose || !model_is_one_of(RIGHTS_CONSENT_PURPOSES, purpose))
		return error_set(err, FH_EINVAL, "purpose", "001 §14.3",
				 "must be independent_consideration");
	if (!written)
		return error_set(err, FH_ERULE, "written", "001 §14.3",
				 "agreement to share for independent consideration is in writing");
	if (!is_signed)
		return error_set(err, FH_ERULE, "signed", "001 §14.3",
				 "agreement to share for independent consideration is signed");
	if (dated_on > today)
		return error_set(err, FH_EINVAL, "dated_on", "001 §14.3",
				 "the agreement's date is in the future");
	return FH_OK;
}

fh_status rights_check_redaction(const char *removed, fh_error *err)
{
	if (!removed || !*removed)
		return error_set(err, FH_EINVAL, "removed", "001 §14.2",
				 "say what was taken out and why (need-to-know sharing)");
	if (strlen(removed) > 2000)
		return error_set(err, FH_EINVAL, "removed", NULL, "is at most 2000 bytes");
	return FH_OK;
}

fh_status rights_check_retention_years(long years, fh_error *err)
{
	if (years < 1 || years > 100)
		return error_set(err, FH_EINVAL, "years", NULL,
				 "a retention period is from 1 to 100 years after closure");
	return FH_OK;
}

bool rights_retention_due(fh_date closed_on, int years, fh_date today)
{
	return date_add_years(closed_on, years) <= today;
}

int rights_scrub_state(json_t *state)
{
	int changed = 0;
	if (json_is_array(state)) {
		size_t i;
		json_t *v;
		json_array_foreach(state, i, v)
			changed += rights_scrub_state(v);
		return changed;
	}
	if (!json_is_object(state))
		return 0;
	const char *key;
	json_t *v;
	json_object_foreach(state, key, v) {
		if (strcmp(key, "confidential") == 0 && json_is_object(v) && json_object_size(v)) {
			json_object_clear(v);
			changed++;
		} else if (json_is_string(v) &&
			   (!strcmp(key, "notes") || !strcmp(key, "note") || !strcmp(key, "reason") ||
			    !strcmp(key, "summary")) &&
			   strcmp(json_string_value(v), RIGHTS_ANONYMISED) != 0) {
			json_string_set(v, RIGHTS_ANONYMISED);
			changed++;
		} else {
			changed += rights_scrub_state(v);
		}
	}
	return changed;
}
