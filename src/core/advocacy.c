/*
 * advocacy.c: see advocacy.h.
 */
#include "advocacy.h"

#include <string.h>

#include "model.h"

const char *const ADVOCACY_STEPS[] = {"offered", "referred", "taken_up", "declined", NULL};
const char *const ACCESS_NEEDS[] = {"interpreter", "signer", "alternative_format", NULL};

fh_status advocacy_step(advocacy_state *st, const char *step, fh_date on, fh_date today,
			fh_error *err)
{
	if (!step || !model_is_one_of(ADVOCACY_STEPS, step))
		return error_set(err, FH_EINVAL, "step", NULL,
				 "must be offered, referred, taken_up or declined");
	if (on > today)
		return error_set(err, FH_EINVAL, "on", NULL, "is in the future");
	if (st->taken_up_on || st->declined_on)
		return error_set(err, FH_ECONFLICT, "step", NULL,
				 "advocacy was already %s", st->taken_up_on ? "taken up" : "declined");
	fh_date *slot, before;
	if (!strcmp(step, "offered")) {
		slot = &st->offered_on;
		before = 0;
	} else {
		if (!st->offered_on)
			return error_set(err, FH_ERULE, "step", "DOMAIN §7",
					 "record that advocacy was offered first");
		if (!strcmp(step, "referred")) {
			slot = &st->referred_on;
			before = st->offered_on;
		} else if (!strcmp(step, "taken_up")) {
			if (!st->referred_on)
				return error_set(err, FH_ERULE, "step", "DOMAIN §7",
						 "advocacy is taken up after the referral to the "
						 "advocacy service");
			slot = &st->taken_up_on;
			before = st->referred_on;
		} else {
			slot = &st->declined_on;
			before = st->referred_on ? st->referred_on : st->offered_on;
		}
	}
	if (*slot)
		return error_set(err, FH_ECONFLICT, "step", NULL, "advocacy was already %s", step);
	if (on < before)
		return error_set(err, FH_EINVAL, "on", NULL, "is before the step before it");
	*slot = on;
	return FH_OK;
}

fh_status access_check_need(const char *need, const char *detail, fh_error *err)
{
	if (!need || !model_is_one_of(ACCESS_NEEDS, need))
		return error_set(err, FH_EINVAL, "need", "DOMAIN §7",
				 "must be interpreter, signer or alternative_format");
	bool blank = !detail || !*detail;
	if (blank && strcmp(need, "signer") != 0)
		return error_set(err, FH_EINVAL, "detail", "DOMAIN §7",
				 "%s", !strcmp(need, "interpreter")
					       ? "say which language the interpreter is for"
					       : "say which format (large print, easy read, audio, ...)");
	if (detail && strlen(detail) > 200)
		return error_set(err, FH_EINVAL, "detail", NULL, "is at most 200 bytes");
	return FH_OK;
}
