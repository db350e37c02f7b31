/*
 * freezing.c: see freezing.h.
 */
#include "freezing.h"

#include <string.h>

#include "model.h"

const char *const FREEZING_CHANGES[] = {"placement", "service", NULL};
const char *const FREEZING_VIEWS[] = {"freeze", "not_freeze", NULL};
const char *const FREEZING_DECIDERS[] = {"complaints_manager", "head_of_service", NULL};
const char *const FREEZING_REVIEWS[] = {"maintained", "reversed", NULL};

static bool blank(const char *s)
{
	return !s || !*s;
}

fh_status freezing_check_request(const char *change, const char *proposal, fh_date requested_on,
				 fh_date today, bool open_request, fh_error *err)
{
	if (blank(change) || !model_is_one_of(FREEZING_CHANGES, change))
		return error_set(err, FH_EINVAL, "change", "001 §11.1",
				 "a decision may be frozen when it is a proposed change to a "
				 "placement or a service: say which");
	if (blank(proposal))
		return error_set(err, FH_EINVAL, "proposal", "001 §11.1",
				 "say what change is proposed");
	if (strlen(proposal) > 4000)
		return error_set(err, FH_EINVAL, "proposal", NULL, "is at most 4000 bytes");
	if (requested_on > today)
		return error_set(err, FH_EINVAL, "requested_on", NULL, "is in the future");
	if (open_request)
		return error_set(err, FH_ECONFLICT, "change", NULL,
				 "this case has a request to freeze a decision that is not decided yet");
	return FH_OK;
}

/* A view against freezing needs the good reason (001 §11.3). */
static fh_status check_view_value(const char *view, const char *reason, fh_error *err)
{
	if (blank(view) || !model_is_one_of(FREEZING_VIEWS, view))
		return error_set(err, FH_EINVAL, "view", NULL, "must be freeze or not_freeze");
	if (strcmp(view, "not_freeze") == 0 && blank(reason))
		return error_set(err, FH_ERULE, "reason", "001 §11.3",
				 "there is a presumption in favour of freezing: give the good "
				 "reason against it (for example a risk to the child)");
	if (reason && strlen(reason) > 4000)
		return error_set(err, FH_EINVAL, "reason", NULL, "is at most 4000 bytes");
	return FH_OK;
}

fh_status freezing_check_view(const freezing_state *st, const char *as, bool may_act,
			      const char *view, const char *reason, const char **outcome,
			      bool *escalate, fh_error *err)
{
	*outcome = NULL;
	*escalate = false;
	if (blank(as) || !model_is_one_of(FREEZING_DECIDERS, as))
		return error_set(err, FH_EINVAL, "as", "001 §11.2",
				 "must be complaints_manager or head_of_service");
	if (!may_act)
		return error_set(err, FH_EFORBIDDEN, "as", "001 §11.2",
				 "your roles do not make you the %s",
				 strcmp(as, "complaints_manager") == 0
					 ? "Complaints & Information Manager"
					 : "Head of Service");
	if (st->outcome || st->escalated)
		return error_set(err, FH_ECONFLICT, "view", NULL,
				 "this request is %s", st->outcome ? "decided" : "with the Director");
	bool cim = strcmp(as, "complaints_manager") == 0;
	if ((cim && st->cim_view) || (!cim && st->hos_view))
		return error_set(err, FH_ECONFLICT, "as", NULL, "this view has been given already");
	fh_status s = check_view_value(view, reason, err);
	if (s)
		return s;
	const char *other = cim ? st->hos_view : st->cim_view;
	if (other) {
		if (strcmp(other, view) == 0)
			*outcome = strcmp(view, "freeze") == 0 ? "frozen" : "not_frozen";
		else
			*escalate = true; /* 001 §11.4 */
	}
	return FH_OK;
}

fh_status freezing_check_decision(const freezing_state *st, const char *view, const char *reason,
				  fh_error *err)
{
	if (st->outcome)
		return error_set(err, FH_ECONFLICT, "view", NULL, "this request is decided");
	if (!st->escalated)
		return error_set(err, FH_ERULE, "view", "001 §11.4",
				 "the Assistant Director or Director decides only when the "
				 "Complaints & Information Manager and the Head of Service disagree");
	return check_view_value(view, reason, err);
}

fh_status freezing_check_review(const freezing_state *st, const char *outcome, const char *note,
				fh_date reviewed_on, fh_date today, fh_error *err)
{
	if (!st->outcome)
		return error_set(err, FH_ECONFLICT, "outcome", NULL,
				 "only a decided request is reviewed");
	if (blank(outcome) || !model_is_one_of(FREEZING_REVIEWS, outcome))
		return error_set(err, FH_EINVAL, "outcome", NULL, "must be maintained or reversed");
	if (blank(note))
		return error_set(err, FH_EINVAL, "note", NULL, "say what the review found");
	if (strlen(note) > 4000)
		return error_set(err, FH_EINVAL, "note", NULL, "is at most 4000 bytes");
	if (reviewed_on > today)
		return error_set(err, FH_EINVAL, "reviewed_on", NULL, "is in the future");
	return FH_OK;
}
