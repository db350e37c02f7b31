/*
 * behaviour.c: see behaviour.h.
 */
#include "behaviour.h"

#include <assert.h>

#include <jansson.h>
#include <string.h>

#include "model.h"

const char *const BEHAVIOUR_RESTRICTION_KINDS[] = {
	"phone_time_limits",           /* placing time limits on telephone contact */
	"phone_call_limit",            /* restricting the number of calls */
	"phone_via_third_party",       /* telephone only through a third party such as an advocate */
	"no_contact_with_officers",    /* not individual officers; a specified format */
	"buildings_by_appointment",    /* buildings only by appointment */
	"named_contact_only",          /* contact with a named member of staff only */
	"phone_set_times",             /* calls on specified days, times, duration */
	"witness_present",             /* personal contact only with a witness */
	"no_reply_on_topic",           /* no reply on a specific topic */
	"police_contacted",            /* contacting the relevant Police authority */
	"refuse_all_contact",          /* "may decide to refuse all contact" */
	NULL,
};

const char *const BEHAVIOUR_WITHOUT_WARNING[] = {"threats_or_abuse", "extreme_behaviour", NULL};
const char *const BEHAVIOUR_REVIEW_OUTCOMES[] = {"continue", "lift", "extend", NULL};
const char *const BEHAVIOUR_APPEAL_OUTCOMES[] = {"upheld", "varied", "lifted", NULL};

static bool blank(const char *s)
{
	return !s || !*s;
}

fh_date behaviour_add_months(fh_date date, int months)
{
	int y, m, d;
	date_to_ymd(date, &y, &m, &d);
	int index = y * 12 + (m - 1) + months;
	y = index / 12;
	m = index % 12 + 1;
	int last = date_days_in_month(y, m);
	return date_from_ymd(y, m, d > last ? last : d);
}

fh_status behaviour_check_warning(const char *evidence, const char *change, fh_date issued_on,
				  fh_date today, fh_error *err)
{
	if (blank(evidence))
		return error_set(err, FH_ERULE, "evidence", "001 Appendix A Level 1",
				 "a formal warning is given with clear and comprehensive evidence");
	if (blank(change))
		return error_set(err, FH_ERULE, "change", "001 Appendix A Level 1",
				 "a formal warning says how the behaviour needs to change");
	if (strlen(evidence) > 8000 || strlen(change) > 4000)
		return error_set(err, FH_EINVAL, "evidence", NULL,
				 "evidence is at most 8000 bytes and change at most 4000");
	if (issued_on > today)
		return error_set(err, FH_EINVAL, "issued_on", NULL, "is in the future");
	return FH_OK;
}

fh_status behaviour_need_policy(const behaviour_policy *policy, fh_error *err)
{
	if (policy && policy->usual_months > 0 && policy->review_months > 0 &&
	    policy->appeal_working_days > 0)
		return FH_OK;
	return error_set(err, FH_ERULE, "policy.behaviour", NULL,
			 "this organisation's file sets no persistent-behaviour periods (how long a "
			 "restriction usually lasts, how often a longer one is reviewed, when an "
			 "appeal is answered): set them in its policy.behaviour and apply it first");
}

fh_status behaviour_check_restriction(const behaviour_restriction *r,
				      const behaviour_policy *policy, fh_date today, fh_error *err)
{
	char names[400];
	fh_status s = behaviour_need_policy(policy, err);
	if (s)
		return s;
	(void)today; /* a restriction may be decided to start on a later date */
	if (blank(r->kind) || !model_is_one_of(BEHAVIOUR_RESTRICTION_KINDS, r->kind))
		return error_set(err, FH_EINVAL, "kind", "001 Appendix A Level 2",
				 "must be one of %s",
				 model_join(BEHAVIOUR_RESTRICTION_KINDS, names, sizeof names));
	if (blank(r->reason))
		return error_set(err, FH_ERULE, "reason", "001 Appendix A Level 2",
				 "the customer is told why the restriction is applied");
	if (blank(r->detail))
		return error_set(err, FH_ERULE, "detail", "001 Appendix A Level 2",
				 "the customer is told what action is taken");
	if (strlen(r->reason) > 4000 || strlen(r->detail) > 4000)
		return error_set(err, FH_EINVAL, "reason", NULL,
				 "reason and detail are at most 4000 bytes each");
	if (r->ends_on <= r->starts_on)
		return error_set(err, FH_EINVAL, "ends_on", "001 Appendix A Level 2",
				 "a restriction is for a stated period: it ends after it starts");
	if (!blank(r->without_warning) &&
	    !model_is_one_of(BEHAVIOUR_WITHOUT_WARNING, r->without_warning))
		return error_set(err, FH_EINVAL, "without_warning", NULL, "must be one of %s",
				 model_join(BEHAVIOUR_WITHOUT_WARNING, names, sizeof names));
	if (!r->warned && blank(r->without_warning))
		return error_set(err, FH_ERULE, "without_warning", "001 Appendix A Level 2",
				 "a restriction follows a formal warning (Level 1), unless the "
				 "customer was threatening or abusive or the behaviour was so "
				 "extreme as to need immediate action: say which");
	if (r->ends_on > behaviour_add_months(r->starts_on, policy->usual_months) &&
	    blank(r->exceptional_reason))
		return error_set(err, FH_ERULE, "exceptional_reason", policy->source,
				 "restrictions usually last at most %d months; a longer one is "
				 "for exceptional cases: say why", policy->usual_months);
	return FH_OK;
}

size_t behaviour_review_dates(const behaviour_policy *policy, fh_date starts_on, fh_date ends_on,
			      fh_date *out, size_t max)
{
	assert(policy && policy->review_months > 0);
	size_t n = 0;
	fh_date last = ends_on - 1; /* "before the end of the restriction period" */
	if (ends_on > behaviour_add_months(starts_on, policy->usual_months)) {
		for (int k = 1; n + 1 < max; k++) {
			fh_date due = behaviour_add_months(starts_on, k * policy->review_months);
			if (due >= last)
				break;
			out[n++] = due;
		}
	}
	if (n < max && last >= starts_on)
		out[n++] = last;
	return n;
}

fh_status behaviour_appeal_due(const fh_calendar *cal, const behaviour_policy *policy,
			       fh_date received_on, fh_date *due, fh_error *err)
{
	fh_status s = behaviour_need_policy(policy, err);
	return s ? s : calendar_add_working_days(cal, received_on, policy->appeal_working_days, due, err);
}

fh_status behaviour_check_appeal(fh_date received_on, bool lifted, bool already_appealed,
				 const char *grounds, fh_date today, fh_error *err)
{
	if (lifted)
		return error_set(err, FH_ECONFLICT, "received_on", NULL,
				 "this restriction has been lifted: there is nothing to appeal");
	if (already_appealed)
		return error_set(err, FH_ECONFLICT, "received_on", "001 Appendix A Level 3",
				 "this restriction has already been appealed");
	if (blank(grounds))
		return error_set(err, FH_EINVAL, "grounds", "001 Appendix A Level 3",
				 "the grounds for appeal are required");
	if (strlen(grounds) > 8000)
		return error_set(err, FH_EINVAL, "grounds", NULL, "is at most 8000 bytes");
	if (received_on > today)
		return error_set(err, FH_EINVAL, "received_on", NULL, "is in the future");
	return FH_OK;
}

fh_status behaviour_check_answer(bool appealed, bool already_answered, fh_date received_on,
				 fh_date answered_on, const char *outcome, const char *answer,
				 bool ombudsman_explained, fh_date today, fh_error *err)
{
	char names[100];
	if (!appealed)
		return error_set(err, FH_ENOTFOUND, "appeal", NULL,
				 "this restriction has not been appealed");
	if (already_answered)
		return error_set(err, FH_ECONFLICT, "appeal", NULL,
				 "the appeal has already been answered");
	if (blank(outcome) || !model_is_one_of(BEHAVIOUR_APPEAL_OUTCOMES, outcome))
		return error_set(err, FH_EINVAL, "outcome", NULL, "must be one of %s",
				 model_join(BEHAVIOUR_APPEAL_OUTCOMES, names, sizeof names));
	if (blank(answer))
		return error_set(err, FH_EINVAL, "answer", "001 Appendix A Level 3",
				 "the response to the grounds of appeal is required");
	if (strlen(answer) > 8000)
		return error_set(err, FH_EINVAL, "answer", NULL, "is at most 8000 bytes");
	if (!ombudsman_explained)
		return error_set(err, FH_ERULE, "ombudsman_explained", "001 Appendix A Level 3",
				 "the appeal response explains the right to contact the Local "
				 "Government & Social Care Ombudsman");
	if (answered_on < received_on)
		return error_set(err, FH_EINVAL, "answered_on", NULL,
				 "is before the appeal was received");
	if (answered_on > today)
		return error_set(err, FH_EINVAL, "answered_on", NULL, "is in the future");
	return FH_OK;
}

fh_status behaviour_check_review(const behaviour_policy *policy, bool lifted,
				 fh_date starts_on, fh_date ends_on,
				 fh_date reviewed_on, const char *outcome, const char *note,
				 fh_date new_ends_on, const char *exceptional_reason,
				 fh_date today, fh_error *err)
{
	char names[100];
	if (lifted)
		return error_set(err, FH_ECONFLICT, "outcome", NULL,
				 "this restriction has been lifted already");
	if (blank(outcome) || !model_is_one_of(BEHAVIOUR_REVIEW_OUTCOMES, outcome))
		return error_set(err, FH_EINVAL, "outcome", NULL, "must be one of %s",
				 model_join(BEHAVIOUR_REVIEW_OUTCOMES, names, sizeof names));
	if (blank(note))
		return error_set(err, FH_EINVAL, "note", "001 Appendix A",
				 "the customer is advised of the outcome of the review: say what it is");
	if (strlen(note) > 4000)
		return error_set(err, FH_EINVAL, "note", NULL, "is at most 4000 bytes");
	if (reviewed_on > today)
		return error_set(err, FH_EINVAL, "reviewed_on", NULL, "is in the future");
	if (reviewed_on < starts_on)
		return error_set(err, FH_EINVAL, "reviewed_on", NULL,
				 "is before the restriction started");
	if (strcmp(outcome, "extend") == 0) {
		if (new_ends_on <= ends_on)
			return error_set(err, FH_EINVAL, "ends_on", NULL,
					 "an extension ends after the current end");
		fh_status s = behaviour_need_policy(policy, err);
		if (s)
			return s;
		if (new_ends_on > behaviour_add_months(starts_on, policy->usual_months) &&
		    blank(exceptional_reason))
			return error_set(err, FH_ERULE, "exceptional_reason", policy->source,
					 "a restriction longer than %d months is exceptional: say why",
					 policy->usual_months);
	}
	return FH_OK;
}

void behaviour_deadlines_as_of(json_t *list, const char *today)
{
	for (size_t i = json_array_size(list); i-- > 0;) {
		json_t *d = json_array_get(list, i);
		const char *due = json_string_value(json_object_get(d, "due_on"));
		bool past = due && strcmp(due, today) < 0;
		const char *what = json_string_value(json_object_get(d, "what"));
		bool end = what && strcmp(what, "restriction_end") == 0;
		if (end && past)
			json_array_remove(list, i);
		else
			json_object_set_new(d, "overdue", json_boolean(past && !end));
	}
}
