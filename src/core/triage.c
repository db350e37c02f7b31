#include "triage.h"

#include <stdio.h>
#include <string.h>

#include "model.h"

const char *const TRIAGE_EXCLUSIONS[] = {
	"not_own_actions", "child_protection_conference", "already_dealt_with",
	"public_law_proceedings", "court_or_tribunal_matter", "customer_court_action",
	"vexatious", "disciplinary_proceedings", "criminal_proceedings", NULL};

/* 001 §7.2: the children the statutory procedure is for. */
static const char *const statutory_children[] = {
	"looked_after", "formerly_looked_after", "child_in_need", "care_leaver",
	"special_guardianship", "may_be_adopted", "adopted", NULL};
/* 001 §7.3: who may complain for them without a discretionary decision. */
static const char *const statutory_representatives[] = {
	"parent", "parental_responsibility", "guardian", "foster_carer", "special_guardian",
	"sgo_applicant", "prospective_adopter", "advocate", NULL};
/* 001 §7.3 last item: anyone else needs the organisation to accept their interest. */
static const char *const discretionary_representatives[] = {
	"sufficient_interest", "relative", "friend", "other", NULL};

static void add(triage_result *r, const char *code, const char *text, const char *source,
		bool applies)
{
	if (r->n_reasons < TRIAGE_MAX_REASONS)
		r->reasons[r->n_reasons++] = (triage_reason){code, text, source, applies};
}

static size_t count_applying(const triage_result *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_reasons; i++)
		n += r->reasons[i].applies;
	return n;
}

fh_status triage_decide(const triage_facts *f, triage_result *r, fh_error *err)
{
	memset(r, 0, sizeof *r);
	const char *rel = f->relationship ? f->relationship : "";
	const char *status = f->child_status ? f->child_status : "";

	if (!f->kind || strcmp(f->kind, "enquiry") == 0) {
		r->route = "enquiry";
		add(r, "enquiry", "an enquiry from a councillor or MP is recorded, not handled as a "
				  "complaint", "000 \"Councillors and MPs\"", true);
		return FH_OK;
	}
	if (strcmp(f->kind, "complaint") != 0) {
		r->route = "recorded";
		add(r, "not_a_complaint", "compliments and comments are recorded and passed to the "
					  "staff and teams concerned", "000; 002", true);
		return FH_OK;
	}
	if (f->anonymous) {
		r->route = "anonymous";
		add(r, "anonymous", "anonymous complaints are recorded but are outside the statutory "
				    "procedure; anonymity alone is no reason to ignore the concerns",
		    "001 §7.7", true);
		return FH_OK;
	}
	if (f->provider_concern) {
		r->route = "provider_redirect";
		add(r, "provider_concern", "concerns raised by a provider are for the service that "
					   "commissioned it", "001 §7.9", true);
		return FH_OK;
	}

	for (size_t i = 0; i < f->n_exclusions; i++) {
		const char *code = f->exclusions[i];
		if (!model_is_one_of(TRIAGE_EXCLUSIONS, code)) {
			char names[512];
			return error_set(err, FH_EINVAL, "exclusions", "001 §9.1",
					 "'%s' is not one of %s", code,
					 model_join(TRIAGE_EXCLUSIONS, names, sizeof names));
		}
		const triage_wording *w = NULL;
		for (size_t k = 0; k < f->n_wording && !w; k++)
			if (!strcmp(f->wording[k].code, code))
				w = &f->wording[k];
		if (w) {
			add(r, code, w->text, w->source, true);
		} else if (r->n_reasons < TRIAGE_MAX_REASONS) {
			/* the code in words: the organisation has none of its own */
			char *words = r->code_words[r->n_reasons];
			snprintf(words, sizeof r->code_words[0], "%s", code);
			for (char *c = words; *c; c++)
				if (*c == '_')
					*c = ' ';
			add(r, code, words, "", true);
		}
	}

	if (f->time_limit_years > 0 && f->has_grounds_date) {
		if (f->grounds_arose_on > f->received_on)
			return error_set(err, FH_EINVAL, "grounds_arose_on", NULL,
					 "is after the date the complaint was received");
		bool late = date_add_years(f->grounds_arose_on, f->time_limit_years) < f->received_on;
		if (late) {
			bool accepted = f->late_accepted_reason && *f->late_accepted_reason;
			add(r, "out_of_time",
			    accepted ? "made more than a year after the grounds arose, but accepted at "
				       "the organisation's discretion"
				     : "made more than a year after the grounds for it arose",
			    f->time_limit_source ? f->time_limit_source : "001 §9.1", !accepted);
		}
	}

	if (f->partner_agency && !f->child_express_consent)
		add(r, "partner_agency", "a partner agency may complain only with the child's express "
					 "consent", "001 §7.8", true);

	bool child_complains = strcmp(rel, "self") == 0;
	if (f->court_report && !child_complains && *status)
		add(r, "court_report", "complaints by parents or others about court reports are for "
				       "the court", "001 §10.3", true);

	bool for_child = *status && strcmp(status, "none") != 0 && !child_complains;
	bool discretionary = model_is_one_of(discretionary_representatives, rel);
	if (for_child && discretionary) {
		if (!f->sufficient_interest)
			return error_set(err, FH_EINVAL, "sufficient_interest", "001 §7.3, §7.5",
					 "decide whether the complainant (%s) has sufficient interest in "
					 "the child's welfare: accepted or refused", rel);
		if (strcmp(f->sufficient_interest, "refused") == 0)
			add(r, "insufficient_interest", "the complainant does not have sufficient "
				"interest in the child's welfare; they are told so in writing",
			    "001 §7.5", true);
		else if (strcmp(f->sufficient_interest, "accepted") != 0)
			return error_set(err, FH_EINVAL, "sufficient_interest", "001 §7.5",
					 "is accepted or refused");
	}

	if (count_applying(r) > 0) {
		r->route = "not_considered";
		return FH_OK;
	}

	/* 001 §7.2, §7.3: a child the statutory procedure is for, complaining
	 * themselves or through someone entitled to act for them, about a matter
	 * that concerns them directly.  Anything else goes to the organisation's
	 * own procedure (001 §7.10, §1.2). */
	bool eligible_child = model_is_one_of(statutory_children, status);
	bool eligible_voice = child_complains || model_is_one_of(statutory_representatives, rel) ||
			      (discretionary && f->sufficient_interest &&
			       strcmp(f->sufficient_interest, "accepted") == 0);
	if (eligible_child && eligible_voice && f->about_child) {
		r->route = "statutory";
		add(r, "statutory_child", child_complains
			    ? "the young person is one the statutory procedure is for"
			    : "made on behalf of a child the statutory procedure is for, by someone "
			      "entitled to act for them", "001 §7.2, §7.3", true);
	} else {
		r->route = "non_statutory";
		add(r, "non_statutory",
		    !eligible_child ? "the complaint is not from or for a child the statutory "
				      "procedure covers"
		    : !f->about_child ? "the complaint does not directly concern a child"
				      : "the complainant is not someone the statutory procedure "
					"lets act for the child",
		    "001 §7.10, §1.2", true);
	}
	return FH_OK;
}
