#include "model.h"

#include <stdio.h>
#include <string.h>

const char *const MODEL_KINDS[] = {"complaint", "comment", "compliment", "enquiry", NULL};
const char *const MODEL_CHANNELS[] = {"in_person", "phone", "letter", "email",
				      "paper_form", "online_form", NULL};
const char *const MODEL_PARTY_ROLES[] = {"complainant", "child", "representative", "advocate",
					 "solicitor", "councillor", "mp", NULL};
const char *const MODEL_RELATIONSHIPS[] = {
	"self", "parent", "parental_responsibility", "guardian", "foster_carer",
	"special_guardian", "sgo_applicant", "prospective_adopter", "advocate",
	"sufficient_interest", "relative", "friend", "solicitor", "other", NULL};
const char *const MODEL_CHILD_STATUSES[] = {
	"looked_after", "formerly_looked_after", "child_in_need", "care_leaver",
	"special_guardianship", "may_be_adopted", "adopted", "none", NULL};
const char *const MODEL_CONSENT_STATES[] = {"not_needed", "not_asked", "requested", "given",
					    "refused", "unable", NULL};
const char *const MODEL_ROUTES[] = {"untriaged", "statutory", "non_statutory", "anonymous",
				    "enquiry", "provider_redirect", "not_considered",
				    "recorded", NULL};
const char *const MODEL_CASE_STATES[] = {"received", "open", "suspended", "closed",
					 "withdrawn", NULL};
const char *const MODEL_TEAM_LEVELS[] = {"service", "team", NULL};
const char *const MODEL_USER_ROLES[] = {
	"complaints_team", "manager", "adjudicating_officer", "investigating_officer",
	"independent_person", "panel_member", "reviewing_officer", "head_of_service",
	"leadership", "administrator", NULL};
const char *const MODEL_PREFERRED_CONTACT[] = {"post", "email", "phone", NULL};
const char *const MODEL_DISABILITY_ANSWERS[] = {"yes", "no", "prefer_not_to_say", NULL};

bool model_is_one_of(const char *const *list, const char *s)
{
	if (!s)
		return false;
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

char *model_join(const char *const *list, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (const char *const *p = list; *p && used < size; p++) {
		int n = snprintf(buf + used, size - used, "%s%s", p == list ? "" : ", ", *p);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return buf;
}

bool model_actor_has_role(const fh_actor *actor, const char *role)
{
	if (actor->all_roles)
		return true;
	for (size_t i = 0; i < actor->n_roles; i++)
		if (strcmp(actor->roles[i], role) == 0)
			return true;
	return false;
}

static bool blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

/* Each check returns FH_OK or records the problem under `field`. */

static fh_status check_length(const char *field, const char *s, size_t max, fh_error *err)
{
	if (s && strlen(s) > max)
		return error_set(err, FH_EINVAL, field, NULL,
				 "is too long (%zu characters; at most %zu)", strlen(s), max);
	return FH_OK;
}

static fh_status check_vocabulary(const char *field, const char *s, const char *const *list,
				  bool optional, fh_error *err)
{
	if (optional && (!s || !*s))
		return FH_OK;
	if (model_is_one_of(list, s))
		return FH_OK;
	char names[512];
	if (!s || !*s)
		return error_set(err, FH_EINVAL, field, NULL, "is required: one of %s",
				 model_join(list, names, sizeof names));
	return error_set(err, FH_EINVAL, field, NULL, "'%s' is not one of %s", s,
			 model_join(list, names, sizeof names));
}

static fh_status check_date(const char *field, const char *s, bool optional, fh_date today,
			    fh_error *err)
{
	fh_date d;
	if (!s || !*s)
		return optional ? FH_OK
				: error_set(err, FH_EINVAL, field, NULL, "is required (YYYY-MM-DD)");
	if (!date_parse(s, &d))
		return error_set(err, FH_EINVAL, field, NULL, "'%s' is not a real date (YYYY-MM-DD)", s);
	if (d > today)
		return error_set(err, FH_EINVAL, field, NULL, "'%s' is in the future", s);
	return FH_OK;
}

static fh_status check_person(const char *path, const fh_person *p, fh_date today, fh_error *err)
{
	char field[96];
	struct {
		const char *name, *value;
	} shorts[] = {
		{"title", p->title}, {"given_name", p->given_name}, {"family_name", p->family_name},
		{"organisation", p->organisation}, {"postcode", p->postcode}, {"phone", p->phone},
		{"email", p->email}, {"needs", p->needs},
	};
	for (size_t i = 0; i < sizeof shorts / sizeof shorts[0]; i++) {
		snprintf(field, sizeof field, "%s.%s", path, shorts[i].name);
		if (check_length(field, shorts[i].value, MODEL_SHORT_MAX, err))
			return FH_EINVAL;
	}
	snprintf(field, sizeof field, "%s.address", path);
	if (check_length(field, p->address, 1000, err))
		return FH_EINVAL;
	if (blank(p->given_name) && blank(p->family_name) && blank(p->organisation)) {
		snprintf(field, sizeof field, "%s.family_name", path);
		return error_set(err, FH_EINVAL, field, NULL,
				 "a person needs a name (or an organisation's name)");
	}
	if (p->email && *p->email) {
		const char *at = strchr(p->email, '@');
		if (!at || at == p->email || !strchr(at, '.') || strchr(p->email, ' ')) {
			snprintf(field, sizeof field, "%s.email", path);
			return error_set(err, FH_EINVAL, field, NULL, "'%s' is not an email address",
					 p->email);
		}
	}
	snprintf(field, sizeof field, "%s.preferred_contact", path);
	if (check_vocabulary(field, p->preferred_contact, MODEL_PREFERRED_CONTACT, true, err))
		return FH_EINVAL;
	snprintf(field, sizeof field, "%s.date_of_birth", path);
	if (check_date(field, p->date_of_birth, true, today, err))
		return FH_EINVAL;
	if (p->equality) {
		const fh_equality *e = p->equality;
		snprintf(field, sizeof field, "%s.equality.date_of_birth", path);
		if (check_date(field, e->date_of_birth, true, today, err))
			return FH_EINVAL;
		snprintf(field, sizeof field, "%s.equality.disability", path);
		if (check_vocabulary(field, e->disability, MODEL_DISABILITY_ANSWERS, true, err))
			return FH_EINVAL;
		const char *texts[] = {e->preferred_language, e->religion, e->racial_identity,
				       e->sex, e->disability_nature};
		for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
			snprintf(field, sizeof field, "%s.equality", path);
			if (check_length(field, texts[i], MODEL_SHORT_MAX, err))
				return FH_EINVAL;
		}
	}
	return FH_OK;
}

static fh_status check_party(size_t i, const fh_party *party, fh_date today, fh_error *err)
{
	char path[48], field[96];
	snprintf(path, sizeof path, "parties[%zu]", i);
	snprintf(field, sizeof field, "%s.role", path);
	if (check_vocabulary(field, party->role, MODEL_PARTY_ROLES, false, err))
		return FH_EINVAL;
	snprintf(field, sizeof field, "%s.relationship", path);
	if (check_vocabulary(field, party->relationship, MODEL_RELATIONSHIPS, true, err))
		return FH_EINVAL;
	snprintf(field, sizeof field, "%s.child_status", path);
	if (check_vocabulary(field, party->child_status, MODEL_CHILD_STATUSES, true, err))
		return FH_EINVAL;
	/* A young person complaining for themselves is both complainant and
	 * the child the case is about, so they carry the status too. */
	bool is_child = strcmp(party->role, "child") == 0 ||
			(strcmp(party->role, "complainant") == 0 && party->relationship &&
			 strcmp(party->relationship, "self") == 0);
	if (party->child_status && *party->child_status && !is_child)
		return error_set(err, FH_EINVAL, field, "001 §7.2",
				 "only the child (or a young person complaining for themselves) "
				 "carries a child status");
	snprintf(field, sizeof field, "%s.consent", path);
	if (check_vocabulary(field, party->consent, MODEL_CONSENT_STATES, true, err))
		return FH_EINVAL;
	snprintf(field, sizeof field, "%s.consent_on", path);
	if (check_date(field, party->consent_on, true, today, err))
		return FH_EINVAL;
	if (strcmp(party->role, "representative") == 0 &&
	    (blank(party->relationship) || strcmp(party->relationship, "self") == 0)) {
		snprintf(field, sizeof field, "%s.relationship", path);
		return error_set(err, FH_EINVAL, field, "001 §7.3",
				 "a representative must say how they are related to the child "
				 "(parent, foster_carer, advocate, sufficient_interest, ...)");
	}
	snprintf(field, sizeof field, "%s.person", path);
	return check_person(field, &party->person, today, err);
}

static size_t count_role(const fh_case_input *in, const char *role)
{
	size_t n = 0;
	for (size_t i = 0; i < in->n_parties; i++)
		if (in->parties[i].role && strcmp(in->parties[i].role, role) == 0)
			n++;
	return n;
}

fh_status case_input_validate(const fh_case_input *in, fh_date today, fh_error *err)
{
	if (blank(in->org_code))
		return error_set(err, FH_EINVAL, "org", NULL, "is required (an organisation's code)");
	if (check_vocabulary("kind", in->kind, MODEL_KINDS, false, err) ||
	    check_vocabulary("channel", in->channel, MODEL_CHANNELS, false, err) ||
	    check_date("received_on", in->received_on, false, today, err))
		return FH_EINVAL;
	if (blank(in->summary))
		return error_set(err, FH_EINVAL, "summary", NULL,
				 "is required: a line saying what the representation is about");
	if (check_length("summary", in->summary, 1000, err) ||
	    check_length("details", in->details, MODEL_TEXT_MAX, err) ||
	    check_length("service", in->service, MODEL_SHORT_MAX, err) ||
	    check_length("received_by", in->received_by, MODEL_SHORT_MAX, err) ||
	    check_length("team", in->team, MODEL_SHORT_MAX, err))
		return FH_EINVAL;
	if (in->n_parties > MODEL_MAX_PARTIES)
		return error_set(err, FH_EINVAL, "parties", NULL, "at most %d parties",
				 MODEL_MAX_PARTIES);
	if (in->n_points > MODEL_MAX_POINTS)
		return error_set(err, FH_EINVAL, "points", NULL, "at most %d points",
				 MODEL_MAX_POINTS);
	for (size_t i = 0; i < in->n_parties; i++)
		if (check_party(i, &in->parties[i], today, err))
			return FH_EINVAL;
	for (size_t i = 0; i < in->n_points; i++) {
		char field[48];
		snprintf(field, sizeof field, "points[%zu].summary", i);
		if (blank(in->points[i].summary))
			return error_set(err, FH_EINVAL, field, NULL,
					 "each complaint point needs a summary");
		if (check_length(field, in->points[i].summary, MODEL_TEXT_MAX, err))
			return FH_EINVAL;
		snprintf(field, sizeof field, "points[%zu].desired_outcome", i);
		if (check_length(field, in->points[i].desired_outcome, MODEL_TEXT_MAX, err))
			return FH_EINVAL;
	}

	size_t complainants = count_role(in, "complainant");
	bool is_enquiry = strcmp(in->kind, "enquiry") == 0;
	if (is_enquiry && count_role(in, "councillor") + count_role(in, "mp") == 0)
		return error_set(err, FH_EINVAL, "parties", "000 \"Councillors and MPs\"",
				 "an enquiry is made by a councillor or MP: add them as a party");
	if (in->anonymous && complainants > 0)
		return error_set(err, FH_EINVAL, "parties", "001 §7.7",
				 "an anonymous representation has no named complainant");
	if (!in->anonymous && !is_enquiry && complainants != 1)
		return error_set(err, FH_EINVAL, "parties", NULL,
				 "a representation has exactly one complainant (or is anonymous); "
				 "found %zu", complainants);
	if (count_role(in, "child") > 1)
		return error_set(err, FH_EINVAL, "parties", NULL,
				 "one child per case: record a brother or sister's complaint as "
				 "its own case");

	/* 000 "Friends or relatives": consent is always checked when the
	 * complaint does not come from the child it is about. */
	if (count_role(in, "child") == 1) {
		for (size_t i = 0; i < in->n_parties; i++) {
			const fh_party *p = &in->parties[i];
			bool speaks_for_child =
				strcmp(p->role, "representative") == 0 ||
				(strcmp(p->role, "complainant") == 0 && p->relationship &&
				 *p->relationship && strcmp(p->relationship, "self") != 0);
			if (speaks_for_child && p->consent && strcmp(p->consent, "not_needed") == 0) {
				char field[48];
				snprintf(field, sizeof field, "parties[%zu].consent", i);
				return error_set(err, FH_EINVAL, field, "000 \"Friends or relatives\"",
						 "someone complaining for a child needs the child's "
						 "consent tracked (not_asked, requested, given, refused "
						 "or unable)");
			}
		}
	}
	return FH_OK;
}

const char *model_event_reason(const fh_event *e, char buf[MODEL_ERASED_NOTE_MAX])
{
	if (e->erased_on && *e->erased_on) {
		snprintf(buf, MODEL_ERASED_NOTE_MAX, "removed under the retention rule on %.10s",
			 e->erased_on);
		return buf;
	}
	return e->reason ? e->reason : "";
}
