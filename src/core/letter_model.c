/*
 * letter_model: the letters, their required content and their values
 * (letter_model.h).
 */
#include "letter_model.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "letter.h"
#include "lifecycle.h"

/* 001 Appendix A: a warning or a restriction is decided and signed by the
 * Complaints & Information Manager (the complaints team), a manager, the
 * Head of Service or an Assistant Director (leadership) -- the roles that
 * record the behaviour decisions themselves (AUTHZ_BEHAVIOUR) -- never by
 * the officer investigating or reviewing the complaint. */
static const char *const BEHAVIOUR_ISSUERS[] = {"complaints_team", "manager", "head_of_service",
						"leadership", NULL};

static const letter_kind_info KINDS[] = {
	{"acknowledgement", "the complaint has been received: who deals with it and when to expect a reply",
	 "000; 003 Stage 1; 004", "", NULL},
	{"not_considered", "the decision not to consider the complaint, with the reasons that applied",
	 "001 §9.2", "", NULL},
	{"sufficient_interest_refusal", "the representative is not accepted as having sufficient interest",
	 "001 §7.5", "", NULL},
	{"extension_notice", "the response will take longer: the new date and the reason",
	 "001 B Stage 2; 002", "", NULL},
	{"progress_report", "a Progress Report with a new date (a procedure whose clock takes a new date)",
	 "003 Stage 1", "", NULL},
	{"stage_response", "a stage's response: findings per point, learning, actions, what to do next",
	 "DOMAIN §4; 001 B", "stage (default: the current one)", NULL},
	{"panel_invitation", "the invitation to the Review Panel with its date, place and papers",
	 "001 B Stage 3", "papers (a list; default: the documents the customer may see)", NULL},
	{"behaviour_warning", "a formal warning about unreasonably persistent or unacceptable behaviour",
	 "001 Appendix A Level 1", "behaviour, evidence (required); expected (optional)",
	 BEHAVIOUR_ISSUERS},
	{"behaviour_restriction", "a restriction of contact: why, what, how long, when reviewed, appeal",
	 "001 Appendix A Level 2",
	 "behaviour, restrictions, period, review_on (required); appeal_to (optional)",
	 BEHAVIOUR_ISSUERS},
};

const letter_kind_info *letter_kinds(size_t *count)
{
	*count = sizeof KINDS / sizeof KINDS[0];
	return KINDS;
}

const letter_kind_info *letter_kind(const char *name)
{
	for (size_t i = 0; name && i < sizeof KINDS / sizeof KINDS[0]; i++)
		if (!strcmp(KINDS[i].name, name))
			return &KINDS[i];
	return NULL;
}

const char *const LETTER_VARIANTS[] = {"standard", "plain", "child", NULL};

/* ---- small helpers ------------------------------------------------------------ */

static const char *str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static json_t *jstr(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static const char *outcome_text(const char *outcome)
{
	static const struct { const char *code, *text; } names[] = {
		{"upheld", "Upheld"}, {"partly_upheld", "Partly upheld"}, {"not_upheld", "Not upheld"},
		{"not_determined", "Not determined"}, {"withdrawn", "Withdrawn"},
	};
	for (size_t i = 0; outcome && i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(names[i].code, outcome))
			return names[i].text;
	return outcome;
}

static char *person_name(const fh_person *p, char *buf, size_t size)
{
	const char *parts[] = {p->title, p->given_name, p->family_name};
	buf[0] = '\0';
	for (size_t i = 0; i < 3; i++) {
		if (!parts[i] || !*parts[i])
			continue;
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s", len ? " " : "", parts[i]);
	}
	if (!buf[0] && p->organisation)
		snprintf(buf, size, "%s", p->organisation);
	return buf;
}

/* Letters go to the party marked to correspond (a solicitor: 000), else the
 * representative, else the complainant. */
static const fh_party *recipient_party(const fh_case *k)
{
	static const char *const order[] = {"representative", "complainant", "child", NULL};
	for (size_t i = 0; i < k->n_parties; i++)
		if (k->parties[i].correspond)
			return &k->parties[i];
	for (size_t r = 0; order[r]; r++)
		for (size_t i = 0; i < k->n_parties; i++)
			if (!strcmp(k->parties[i].role, order[r]))
				return &k->parties[i];
	return NULL;
}

static json_t *stage_of(const json_t *state, int number)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(state, "stages"), i, s)
		if (json_integer_value(json_object_get(s, "number")) == number)
			return s;
	return NULL;
}

static const char *role_words(const char *role)
{
	static const struct { const char *role, *words; } names[] = {
		{"adjudicating_officer", "an Adjudicating Officer"},
		{"investigating_officer", "an Investigating Officer"},
		{"reviewing_officer", "a Reviewing Officer"},
		{"manager", "a manager"},
		{"leadership", "a senior manager"},
		{"panel_member", "a panel"},
		{"complaints_team", "the complaints team"},
	};
	for (size_t i = 0; role && i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(names[i].role, role))
			return names[i].words;
	return "the complaints team";
}

/* Values given when issuing: text only, from a known list of names. */
static fh_status take_given(const letter_input *in, const char *const *names,
			    const char *const *required, json_t *values, char *gaps, size_t gsize,
			    fh_error *err)
{
	json_t *given = json_object();
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)in->given, key, v) {
		bool known = false;
		for (size_t i = 0; names && names[i]; i++)
			known |= !strcmp(names[i], key);
		if (!known) {
			json_decref(given);
			return error_set(err, FH_EINVAL, key, NULL,
					 "is not a value a %s letter takes", in->kind);
		}
		if (!json_is_string(v) || json_string_length(v) > 5000) {
			json_decref(given);
			return error_set(err, FH_EINVAL, key, NULL, "must be text of at most 5000 bytes");
		}
		if (json_string_length(v))
			json_object_set(given, key, v);
	}
	for (size_t i = 0; required && required[i]; i++)
		if (!json_object_get(given, required[i]))
			error_list_add(gaps, gsize, "%s (give it when issuing)", required[i]);
	json_object_set_new(values, "given", given);
	return FH_OK;
}

/* ---- the values common to every letter ------------------------------------- */

static json_t *common_values(const letter_input *in, const fh_party *to)
{
	const letter_org *o = in->org;
	char name[400], iso[DATE_ISO_LEN], date[64];
	json_t *org = json_pack("{s:o s:o s:o s:o s:o s:o s:o}", "name", jstr(o->name), "address",
				jstr(o->address), "phone", jstr(o->phone), "email", jstr(o->email),
				"website", jstr(o->website), "advocacy", jstr(o->advocacy),
				"ombudsman", jstr(o->ombudsman));
	const fh_case *k = in->kase;
	json_t *kase = json_pack("{s:s s:s s:s s:s}", "reference", k->reference, "received_on",
				 k->received_on, "summary", k->summary, "kind", k->kind);
	json_t *recipient = json_object();
	if (to) {
		json_object_set_new(recipient, "name", jstr(person_name(&to->person, name, sizeof name)));
		json_object_set_new(recipient, "given_name", jstr(to->person.given_name));
		json_object_set_new(recipient, "address", jstr(to->person.address));
		json_object_set_new(recipient, "postcode", jstr(to->person.postcode));
		json_object_set_new(recipient, "role", json_string(to->role));
	}
	date_format(in->today, iso);
	letter_long_date(iso, date, sizeof date);
	json_t *v = json_pack("{s:o s:o s:o s:s s:s}", "org", org, "case", kase, "recipient",
			      recipient, "today", iso, "date", date);
	for (size_t i = 0; i < k->n_parties; i++)
		if (!strcmp(k->parties[i].role, "child")) {
			json_object_set_new(v, "child", json_pack("{s:o}", "name",
					    jstr(person_name(&k->parties[i].person, name, sizeof name))));
			break;
		}
	if (in->proc) {
		json_object_set_new(v, "procedure",
				    json_pack("{s:s s:o s:o}", "name", in->proc->name, "final_name",
					      jstr(in->proc->final_name), "final_contact",
					      jstr(in->proc->final_contact)));
	}
	return v;
}

/*
 * The stage's reply timescale in words, from its procedure file's response
 * clock as the case's own clock holds it (an extension's length in force):
 * "10 working days from acknowledging your complaint" (LGSCO Code §6.3),
 * "10 working days from receiving your complaint" (004).  NULL when the
 * clock counts in no plain unit or starts from no event named here.
 */
static json_t *timescale_words(const json_t *clock, char *buf, size_t len)
{
	static const struct { const char *from, *words; } froms[] = {
		{"received", "receiving your complaint"},
		{"accepted", "accepting your complaint"},
		{"acknowledged", "acknowledging your complaint"},
		{"requested", "your request"},
		{"statement_agreed", "agreeing the statement of your complaint"},
		{"chair_report", "the panel chair's report"},
	};
	static const struct { const char *unit, *one, *many; } units[] = {
		{"working-days", "working day", "working days"},
		{"weeks", "week", "weeks"},
		{"calendar-days", "day", "days"},
	};
	const char *from = str(clock, "from"), *unit = str(clock, "unit");
	int limit = (int)json_integer_value(json_object_get(clock, "limit"));
	int extended = (int)json_integer_value(json_object_get(clock, "extended_to"));
	int n = extended > 0 ? extended : limit;
	for (size_t f = 0; from && unit && n > 0 && f < sizeof froms / sizeof froms[0]; f++)
		for (size_t u = 0; strcmp(froms[f].from, from) == 0 &&
				   u < sizeof units / sizeof units[0]; u++)
			if (!strcmp(units[u].unit, unit)) {
				snprintf(buf, len, "%d %s from %s", n, n == 1 ? units[u].one
									 : units[u].many,
					 froms[f].words);
				return json_string(buf);
			}
	return json_null();
}

/* values.stage for stage n of the state (with its response clock's due date). */
static json_t *stage_values(const letter_input *in, const json_t *stage)
{
	int n = (int)json_integer_value(json_object_get(stage, "number"));
	const proc_stage *rules = in->proc ? procedure_stage(in->proc, n) : NULL;
	json_t *response = json_object_get(json_object_get(stage, "clocks"), "response");
	json_t *panel_clock = json_object_get(json_object_get(stage, "clocks"), "panel");
	json_t *v = json_pack("{s:i s:o s:o s:s}", "number", n, "name", jstr(str(stage, "name")),
			      "due", jstr(str(response, "due")), "responder",
			      role_words(rules ? rules->responder : NULL));
	char words[160];
	json_object_set_new(v, "timescale", timescale_words(response, words, sizeof words));
	if (panel_clock && str(panel_clock, "due"))
		json_object_set_new(v, "panel_due", json_string(str(panel_clock, "due")));
	if (in->officer_name && *in->officer_name)
		json_object_set_new(v, "officer", json_string(in->officer_name));
	const proc_stage *next = in->proc ? procedure_stage(in->proc, n + 1) : NULL;
	if (next)
		json_object_set_new(v, "next", json_pack("{s:i s:s}", "number", next->number, "name",
							 next->name));
	else
		json_object_set_new(v, "final", json_true());
	return v;
}

/* ---- each kind --------------------------------------------------------------- */

static fh_status k_acknowledgement(const letter_input *in, const json_t *stage, json_t *v,
				   char *gaps, size_t gsize)
{
	(void)v;
	if (!stage)
		error_list_add(gaps, gsize, "the complaint has not been accepted, so there is no date to give "
			"for the reply (accept it first)");
	else if (!str(json_object_get(json_object_get(stage, "clocks"), "response"), "due"))
		error_list_add(gaps, gsize, "the reply has no due date yet (its clock waits for %s)",
			str(json_object_get(json_object_get(stage, "clocks"), "response"), "from"));
	(void)in;
	return FH_OK;
}

static fh_status k_not_considered(const letter_input *in, const json_t *stage, json_t *v,
				  char *gaps, size_t gsize)
{
	(void)stage;
	const json_t *triage = json_object_get(in->state, "triage");
	json_t *reasons = json_array();
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(triage, "reasons"), i, r)
		if (json_is_true(json_object_get(r, "applies")))
			json_array_append_new(reasons, json_pack("{s:o s:o}", "text", jstr(str(r, "text")),
								 "source", jstr(str(r, "source"))));
	if (!str(in->state, "route") || strcmp(str(in->state, "route"), "not_considered"))
		error_list_add(gaps, gsize, "triage has not found a reason not to consider the complaint "
			"(route: %s)", str(in->state, "route") ? str(in->state, "route") : "untriaged");
	else if (!json_array_size(reasons))
		error_list_add(gaps, gsize, "the reasons that applied");
	json_object_set_new(v, "reasons", reasons);
	return FH_OK;
}

static fh_status k_interest(const letter_input *in, const json_t *stage, json_t *v, char *gaps,
			    size_t gsize)
{
	(void)stage;
	const json_t *si = json_object_get(json_object_get(in->state, "triage"), "sufficient_interest");
	if (!si || !str(si, "decision") || strcmp(str(si, "decision"), "refused"))
		error_list_add(gaps, gsize, "no refusal of sufficient interest is recorded (triage "
			"sufficient_interest=refused with its reason)");
	else
		json_object_set_new(v, "interest", json_pack("{s:o}", "reason", jstr(str(si, "reason"))));
	return FH_OK;
}

static fh_status k_extension(const letter_input *in, const json_t *stage, json_t *v, char *gaps,
			     size_t gsize)
{
	if (!stage) {
		error_list_add(gaps, gsize, "the complaint has no stage running");
		return FH_OK;
	}
	json_t *ext = json_object_get(stage, "extensions");
	size_t n = json_array_size(ext);
	if (!n) {
		error_list_add(gaps, gsize, "no extension is recorded on stage %lld (extend, with its reason)",
			(long long)json_integer_value(json_object_get(stage, "number")));
		return FH_OK;
	}
	json_t *last = json_array_get(ext, n - 1);
	const char *clock = str(last, "clock") ? str(last, "clock") : "response";
	json_t *c = json_object_get(json_object_get(stage, "clocks"), clock);
	if (!str(last, "reason") || !*str(last, "reason"))
		error_list_add(gaps, gsize, "the reason for the extension");
	if (!str(c, "due"))
		error_list_add(gaps, gsize, "the new date");
	bool new_date = str(c, "due_override") != NULL;
	if (!strcmp(in->kind, "progress_report") && !new_date)
		error_list_add(gaps, gsize, "a Progress Report gives a new date (extend with new_due); for an "
			"extension by a number of days send an extension_notice");
	json_t *e = json_pack("{s:o s:o s:o s:o s:o}", "reason", jstr(str(last, "reason")),
			      "because", jstr(str(last, "because")), "on", jstr(str(last, "on")),
			      "new_due", jstr(str(c, "due")), "notice", jstr(str(last, "notice")));
	/* LGSCO Code §6.5: telling of an extension, give the Ombudsman's details */
	int n_stage = (int)json_integer_value(json_object_get(stage, "number"));
	const proc_stage *rules = in->proc ? procedure_stage(in->proc, n_stage) : NULL;
	const proc_clock *rule = !rules ? NULL
				 : !strcmp(clock, "response") ? &rules->response
				 : !strcmp(clock, "acknowledge") ? &rules->acknowledge
				 : !strcmp(clock, "panel") ? &rules->panel.within : NULL;
	if (rule && rule->notice_gives_final_resort)
		json_object_set_new(e, "final_resort", json_true());
	if (str(last, "good_reason"))
		json_object_set_new(e, "good_reason", jstr(str(last, "good_reason")));
	json_object_set_new(v, "extension", e);
	return FH_OK;
}

static fh_status k_stage_response(const letter_input *in, const json_t *stage, json_t *v,
				  char *gaps, size_t gsize)
{
	if (!stage) {
		error_list_add(gaps, gsize, "the complaint has no stage");
		return FH_OK;
	}
	int n = (int)json_integer_value(json_object_get(stage, "number"));
	const proc_stage *rules = in->proc ? procedure_stage(in->proc, n) : NULL;
	const json_t *findings = json_object_get(stage, "findings");
	json_t *points = json_array();
	const fh_case *k = in->kase;
	for (size_t i = 0; i < k->n_points; i++) {
		const fh_point *pt = &k->points[i];
		bool withdrawn = pt->withdrawn || lifecycle_point_withdrawn(in->state, pt->seq);
		char key[16];
		snprintf(key, sizeof key, "%d", pt->seq);
		const json_t *f = json_object_get(findings, key);
		/* DOMAIN §4: a finding for every complaint point (and desired outcome) */
		if (!f && !withdrawn && (!rules || procedure_requires(rules, "findings")))
			error_list_add(gaps, gsize, "no finding on point %d", pt->seq);
		json_t *p = json_pack("{s:i s:s s:o s:b}", "seq", pt->seq, "summary", pt->summary,
				      "desired_outcome", jstr(pt->desired_outcome), "withdrawn", withdrawn);
		if (f)
			json_object_set_new(p, "finding",
					    json_pack("{s:o s:o s:o}", "outcome", jstr(outcome_text(str(f, "outcome"))),
						      "reasoning", jstr(str(f, "reasoning")), "outcome_response",
						      jstr(str(f, "outcome_response"))));
		json_array_append_new(points, p);
	}
	json_object_set_new(v, "points", points);
	const json_t *response = json_object_get(stage, "response");
	if (!json_is_object(response)) {
		error_list_add(gaps, gsize, "the stage %d response is not recorded yet (issue_response records "
			"the learning, actions and escalation advice)", n);
		return FH_OK;
	}
	json_t *actions = json_array();
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(response, "actions"), i, a)
		json_array_append_new(actions, json_pack("{s:o s:o s:o}", "action", jstr(str(a, "action")),
							 "owner", jstr(str(a, "owner")), "due_on",
							 jstr(str(a, "due_on"))));
	/* Until when the next stage may be asked for, from the day
	 * the customer receives this response, closed case or not */
	const json_t *until = json_object_get(stage, "escalate_until");
	json_object_set_new(v, "response",
			    json_pack("{s:o s:o s:o s:o s:o}", "on", jstr(str(response, "on")), "learning",
				      jstr(str(response, "learning")), "actions", actions,
				      "escalation_advice", jstr(str(response, "escalation_advice")),
				      "escalate_until", json_is_object(until)
							? json_pack("{s:O s:o}", "stage",
								    json_object_get(until, "stage"), "latest",
								    jstr(str(until, "latest")))
							: json_null()));
	/* 000 ("The outcome of your complaint": "a copy of the
	 * independent investigation officer's report and a letter of
	 * response"): the reports the response encloses, as issue_response
	 * recorded them from the procedure; only io and ip can be named there,
	 * so the confidential addendum never reaches a letter. */
	json_t *enclosed = json_array();
	json_array_foreach(json_object_get(response, "encloses"), i, a) {
		const char *kind = json_string_value(a);
		const json_t *report = kind ? json_object_get(json_object_get(stage, "reports"), kind)
					    : NULL;
		if (!kind || (strcmp(kind, "io") && strcmp(kind, "ip")))
			continue;
		const char *title = !strcmp(kind, "io") ? "The Investigating Officer's report"
							: "The Independent Person's report";
		if (!str(report, "summary")) {
			error_list_add(gaps, gsize, "%s, which goes with the response", title);
			continue;
		}
		json_array_append_new(enclosed, json_pack("{s:s s:s s:o s:o}", "kind", kind, "title",
							  title, "text", jstr(str(report, "summary")),
							  "on", jstr(str(report, "on"))));
	}
	json_object_set_new(v, "enclosed", enclosed);
	return FH_OK;
}

static fh_status k_panel(const letter_input *in, const json_t *stage, json_t *v, char *gaps,
			 size_t gsize, fh_error *err)
{
	int n = stage ? (int)json_integer_value(json_object_get(stage, "number")) : 0;
	const proc_stage *rules = in->proc && n ? procedure_stage(in->proc, n) : NULL;
	if (!rules || !rules->panel.present) {
		error_list_add(gaps, gsize, "the stage running has no panel");
		return FH_OK;
	}
	const json_t *panel = json_object_get(stage, "panel");
	if (!str(panel, "date"))
		error_list_add(gaps, gsize, "the panel's date (schedule_panel)");
	if (!str(panel, "place"))
		error_list_add(gaps, gsize, "the panel's place (schedule_panel)");
	/* 001 B Stage 3: the invitation with the papers goes not less than the
	 * stated time before the panel; schedule_panel gave the last day. */
	fh_date by;
	if (str(panel, "invite_by") && date_parse(str(panel, "invite_by"), &by) && in->today > by)
		return error_set(err, FH_ERULE, "letter", rules->panel.source,
				 "the invitation had to go by %s, %d working days before the panel; "
				 "schedule the panel again", str(panel, "invite_by"),
				 rules->panel.invitation_before.length);
	json_t *papers = json_array();
	json_t *given = json_object_get(in->given, "papers");
	if (json_is_array(given)) {
		size_t i;
		json_t *p;
		json_array_foreach(given, i, p) {
			if (!json_is_string(p) || !json_string_length(p)) {
				json_decref(papers);
				return error_set(err, FH_EINVAL, "papers", NULL, "must be a list of titles");
			}
			json_array_append(papers, p);
		}
	} else if (json_is_string(given)) {
		char buf[2000];
		snprintf(buf, sizeof buf, "%s", json_string_value(given));
		char *save = NULL;
		for (char *t = strtok_r(buf, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
			while (*t == ' ')
				t++;
			if (*t)
				json_array_append_new(papers, json_string(t));
		}
	} else if (given) {
		json_decref(papers);
		return error_set(err, FH_EINVAL, "papers", NULL, "must be a list of titles");
	} else {
		for (size_t i = 0; i < in->n_papers; i++)
			json_array_append_new(papers, json_string(in->papers[i]));
	}
	if (!json_array_size(papers))
		error_list_add(gaps, gsize, "the papers sent with the invitation (give papers, or add the "
			"documents the customer may see to the case)");
	json_object_set_new(v, "panel",
			    json_pack("{s:o s:o s:o s:o s:i}", "date", jstr(str(panel, "date")), "place",
				      jstr(str(panel, "place")), "papers", papers, "invite_by",
				      jstr(str(panel, "invite_by")), "members", rules->panel.members));
	return FH_OK;
}

/* ---- the whole ----------------------------------------------------------------- */

fh_status letter_values(const letter_input *in, json_t **values, const char **recipient,
			fh_error *err)
{
	*values = NULL;
	*recipient = NULL;
	const letter_kind_info *kind = letter_kind(in->kind);
	if (!kind)
		return error_set(err, FH_EINVAL, "kind", NULL,
				 "no letter '%s' (see fairhearing letter kinds)", in->kind ? in->kind : "");
	if (in->given && !json_is_object(in->given))
		return error_set(err, FH_EINVAL, "values", NULL, "must be an object of text values");
	const fh_party *to = recipient_party(in->kase);
	if (!to)
		return error_set(err, FH_ERULE, "letter", "001 §7.7",
				 "the case has nobody to write to (an anonymous complaint)");
	int number = in->stage ? in->stage
			       : (int)json_integer_value(json_object_get(in->state, "stage"));
	const json_t *stage = number ? stage_of(in->state, number) : NULL;
	if (in->stage && !stage)
		return error_set(err, FH_EINVAL, "stage", NULL, "the case has not reached stage %d",
				 in->stage);
	json_t *v = common_values(in, to);
	if (stage)
		json_object_set_new(v, "stage", stage_values(in, stage));
	char gaps[1500] = "";
	fh_status s = FH_OK;
	static const char *const papers_only[] = {"papers", NULL};
	static const char *const warning[] = {"behaviour", "evidence", "expected", NULL};
	static const char *const warning_req[] = {"behaviour", "evidence", NULL};
	static const char *const restriction[] = {"behaviour", "restrictions", "period", "review_on",
						  "appeal_to", NULL};
	static const char *const restriction_req[] = {"behaviour", "restrictions", "period",
						      "review_on", NULL};
	const char *k = kind->name;
	if (!strcmp(k, "panel_invitation")) {
		/* papers may be a list: checked by k_panel */
		const char *key;
		json_t *g;
		json_object_foreach((json_t *)in->given, key, g)
			if (!model_is_one_of(papers_only, key))
				s = error_set(err, FH_EINVAL, key, NULL,
					      "is not a value a panel_invitation letter takes");
	} else if (!strcmp(k, "behaviour_warning")) {
		s = take_given(in, warning, warning_req, v, gaps, sizeof gaps, err);
	} else if (!strcmp(k, "behaviour_restriction")) {
		s = take_given(in, restriction, restriction_req, v, gaps, sizeof gaps, err);
		fh_date review;
		const char *r = str(in->given, "review_on");
		if (!s && r && *r && (!date_parse(r, &review) || review <= in->today))
			s = error_set(err, FH_EINVAL, "review_on", "001 Appendix A",
				      "must be a date (YYYY-MM-DD) after today: a restriction is "
				      "reviewed before it ends");
	} else if (in->given && json_object_size(in->given)) {
		s = error_set(err, FH_EINVAL, json_object_iter_key(json_object_iter((json_t *)in->given)),
			      NULL, "a %s letter takes no values: it is built from the case", k);
	}
	if (!s) {
		if (!strcmp(k, "acknowledgement"))
			s = k_acknowledgement(in, stage, v, gaps, sizeof gaps);
		else if (!strcmp(k, "not_considered"))
			s = k_not_considered(in, stage, v, gaps, sizeof gaps);
		else if (!strcmp(k, "sufficient_interest_refusal"))
			s = k_interest(in, stage, v, gaps, sizeof gaps);
		else if (!strcmp(k, "extension_notice") || !strcmp(k, "progress_report"))
			s = k_extension(in, stage, v, gaps, sizeof gaps);
		else if (!strcmp(k, "stage_response"))
			s = k_stage_response(in, stage, v, gaps, sizeof gaps);
		else if (!strcmp(k, "panel_invitation"))
			s = k_panel(in, stage, v, gaps, sizeof gaps, err);
	}
	if (!s && !strcmp(k, "progress_report") && stage && in->proc) {
		const proc_stage *rules = procedure_stage(in->proc, (int)json_integer_value(
								   json_object_get(stage, "number")));
		if (rules && rules->response.extend_to != -1)
			error_list_add(gaps, sizeof gaps, "this procedure extends by a number of days, not with a "
				"Progress Report: send an extension_notice");
	}
	if (!s && *gaps)
		s = error_set(err, FH_ERULE, "letter", kind->source,
			      "the %s letter cannot be issued yet: %s", k, gaps);
	if (s) {
		json_decref(v);
		return s;
	}
	json_object_set_new(v, "kind", json_string(k));
	*values = v;
	*recipient = to->role;
	return FH_OK;
}

json_t *letter_document(const json_t *values, const char *subject, json_t *blocks)
{
	const json_t *org = json_object_get(values, "org");
	json_t *lines = json_array();
	if (str(org, "address"))
		json_array_append_new(lines, json_string(str(org, "address")));
	/* Telephone, email and web address on one line when they fit, else one each. */
	char contact[600] = "";
	const char *parts[] = {str(org, "phone") ? "Telephone " : NULL, str(org, "phone"),
			       str(org, "email") ? "Email " : NULL, str(org, "email"),
			       str(org, "website") ? "" : NULL, str(org, "website")};
	size_t total = 0;
	for (size_t i = 0; i < 6; i += 2)
		total += parts[i] ? strlen(parts[i]) + strlen(parts[i + 1]) + 3 : 0;
	for (size_t i = 0; i < 6; i += 2) {
		if (!parts[i])
			continue;
		if (total > 90) {
			snprintf(contact, sizeof contact, "%s%s", parts[i], parts[i + 1]);
			json_array_append_new(lines, json_string(contact));
			contact[0] = '\0';
			continue;
		}
		size_t len = strlen(contact);
		snprintf(contact + len, sizeof contact - len, "%s%s%s", len ? " · " : "", parts[i],
			 parts[i + 1]);
	}
	if (*contact)
		json_array_append_new(lines, json_string(contact));
	const json_t *to = json_object_get(values, "recipient");
	json_t *recipient = json_array();
	if (str(to, "name"))
		json_array_append_new(recipient, json_string(str(to, "name")));
	if (str(to, "address")) {
		/* an address is kept on one line with commas; a letter shows it stacked */
		char buf[1000];
		snprintf(buf, sizeof buf, "%s", str(to, "address"));
		char *save = NULL;
		for (char *t = strtok_r(buf, ",\n", &save); t; t = strtok_r(NULL, ",\n", &save)) {
			while (*t == ' ')
				t++;
			if (*t)
				json_array_append_new(recipient, json_string(t));
		}
	}
	if (str(to, "postcode"))
		json_array_append_new(recipient, json_string(str(to, "postcode")));
	const char *officer = str(json_object_get(values, "stage"), "officer");
	json_t *signature = json_pack("[s]", "Yours sincerely,");
	json_array_append_new(signature, json_string(officer ? officer : "The complaints team"));
	json_array_append_new(signature, json_string(str(org, "name") ? str(org, "name") : ""));
	return json_pack("{s:s s:{s:s s:o} s:o s:s s:s s:o s:o}", "subject", subject, "letterhead",
			 "name", str(org, "name") ? str(org, "name") : "", "lines", lines, "recipient",
			 recipient, "date", str(values, "date") ? str(values, "date") : "", "reference",
			 str(json_object_get(values, "case"), "reference"), "blocks", blocks,
			 "signature", signature);
}
