#include "orgfile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "lifecycle.h"
#define DATAFILE_READER /* the short names of datafile.h */
#include "datafile.h"
#include "model.h"
#include "triage.h"

const char *const ORGFILE_FIELDS[] = {"code", "name", "ref_prefix", "region", "set_up_on", "letterhead",
				       "ombudsman", "services", "teams", "procedures", "policy",
				       NULL};
static const char *const letterhead_fields[] = {"address", "phone", "email", "website", NULL};
static const char *const service_fields[] = {"advocacy", "interpreting", NULL};
static const char *const team_fields[] = {"service", "teams", NULL};
static const char *const procedure_fields[] = {"route", "procedure", "based_on", "from", NULL};
static const char *const policy_fields[] = {"retention_years", "behaviour", "triage", "actions",
					    "closure_days", "second_factor", "email", NULL};
static const char *const email_fields[] = {"from", "public_url", "acknowledge", "letters", "smtp",
					   NULL};
static const char *const smtp_fields[] = {"url", "user", "ca_file", NULL};
static const char *const behaviour_fields[] = {"usual_months", "review_months",
					       "appeal_working_days", "source", NULL};
static const char *const triage_fields[] = {"exclusions", "source", NULL};
static const char *const exclusion_fields[] = {"code", "text", "source", NULL};
static const char *const closure_fields[] = {"date", "reason", NULL};

static void index_path(char *out, size_t size, const char *path, size_t i)
{
	snprintf(out, size, "%s[%zu]", path, i);
}

/* An optional object at obj.key: NULL when absent, with a problem when not an object. */
static json_t *get_object(parser *p, const json_t *obj, const char *path, const char *key,
			  const char *const *fields)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return NULL;
	char at[96];
	join(at, sizeof at, path, key);
	if (!json_is_object(v)) {
		problem(p, at, "must be an object");
		return NULL;
	}
	only_keys(p, v, at, fields);
	return v;
}

static json_t *get_array(parser *p, const json_t *obj, const char *path, const char *key,
			 size_t max)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return NULL;
	char at[96];
	join(at, sizeof at, path, key);
	if (!json_is_array(v) || json_array_size(v) > max) {
		problem(p, at, "must be a list of at most %zu entries", max);
		return NULL;
	}
	return v;
}

/* A string at obj.key; "" when absent and optional (an optional one may be empty). */
static const char *get_string(parser *p, const json_t *obj, const char *path, const char *key,
			      bool required)
{
	return datafile_string(p->problems, obj, path, key, required, !required);
}

static int get_int(parser *p, const json_t *obj, const char *path, const char *key, int min,
		   int max, bool required)
{
	return datafile_int(p->problems, obj, path, key, min, max, required, 0);
}

/* The identity: the same rules the organisations table checks, said in words. */
static void parse_identity(parser *p, const json_t *doc, fh_orgfile *f)
{
	f->code = get_string(p, doc, "", "code", true);
	if (f->code) {
		size_t n = strlen(f->code);
		bool ok = n >= 2 && n <= 32 && f->code[0] >= 'a' && f->code[0] <= 'z';
		for (size_t i = 0; ok && i < n; i++)
			ok = (f->code[i] >= 'a' && f->code[i] <= 'z') ||
			     (f->code[i] >= '0' && f->code[i] <= '9') || f->code[i] == '-';
		if (!ok)
			problem(p, "code", "must be 2 to 32 lower-case letters, digits or hyphens, "
					   "starting with a letter (it appears in the public address "
					   "/o/CODE/)");
	}
	f->name = get_string(p, doc, "", "name", true);
	f->ref_prefix = get_string(p, doc, "", "ref_prefix", true);
	if (f->ref_prefix) {
		size_t n = strlen(f->ref_prefix);
		bool ok = n >= 2 && n <= 8;
		for (size_t i = 0; ok && i < n; i++)
			ok = f->ref_prefix[i] >= 'A' && f->ref_prefix[i] <= 'Z';
		if (!ok)
			problem(p, "ref_prefix", "must be 2 to 8 capital letters (references read "
						 "PREFIX-YEAR-NUMBER)");
	}
	f->region = get_string(p, doc, "", "region", true);
	if (f->region && !calendar_region_find(f->region)) {
		problem(p, "region", "'%s' is not a region this version knows the bank holidays of "
				     "(england-and-wales)", f->region);
	}
	f->set_up_on = get_string(p, doc, "", "set_up_on", false);
	if (f->set_up_on && *f->set_up_on && !date_parse(f->set_up_on, &f->set_up_date))
		problem(p, "set_up_on", "'%s' is not a date (YYYY-MM-DD)", f->set_up_on);
	json_t *lh = get_object(p, doc, "", "letterhead", letterhead_fields);
	f->address = get_string(p, lh, "letterhead", "address", lh != NULL);
	f->phone = get_string(p, lh, "letterhead", "phone", false);
	f->email = get_string(p, lh, "letterhead", "email", false);
	f->website = get_string(p, lh, "letterhead", "website", false);
	if (!lh)
		problem(p, "letterhead", "is required: letters carry the address");
	if (f->email && *f->email && !strchr(f->email, '@'))
		problem(p, "letterhead.email", "'%s' is not an email address", f->email);
	f->ombudsman = get_string(p, doc, "", "ombudsman", false);
	json_t *sv = get_object(p, doc, "", "services", service_fields);
	f->advocacy = get_string(p, sv, "services", "advocacy", false);
	f->interpreting = get_string(p, sv, "services", "interpreting", false);
}

static bool name_taken(const fh_orgfile *f, const char *name)
{
	for (size_t i = 0; i < f->n_services; i++) {
		if (f->services[i].name && !strcmp(f->services[i].name, name))
			return true;
		for (size_t k = 0; k < f->services[i].n_teams; k++)
			if (f->services[i].teams[k] && !strcmp(f->services[i].teams[k], name))
				return true;
	}
	return false;
}

/* 001 §16: two levels, a service (Head of Service) and its teams (Team
 * Managers).  Names are unique across both, as the teams table keeps them. */
static void parse_teams(parser *p, const json_t *doc, fh_orgfile *f)
{
	json_t *list = get_array(p, doc, "", "teams", ORGFILE_MAX_SERVICES);
	for (size_t i = 0; list && i < json_array_size(list); i++) {
		char at[96], sub[96];
		index_path(at, sizeof at, "teams", i);
		json_t *e = json_array_get(list, i);
		if (!json_is_object(e)) {
			problem(p, at, "must be an object with service and teams");
			continue;
		}
		only_keys(p, e, at, team_fields);
		orgfile_service *s = &f->services[f->n_services];
		s->name = get_string(p, e, at, "service", true);
		if (s->name && name_taken(f, s->name)) {
			join(sub, sizeof sub, at, "service");
			problem(p, sub, "'%s' is named twice: a name means one service or team", s->name);
		}
		f->n_services++;
		json_t *teams = get_array(p, e, at, "teams", ORGFILE_MAX_TEAMS);
		for (size_t k = 0; teams && k < json_array_size(teams); k++) {
			char tp[96];
			join(sub, sizeof sub, at, "teams");
			index_path(tp, sizeof tp, sub, k);
			json_t *t = json_array_get(teams, k);
			if (!json_is_string(t) || json_string_length(t) == 0) {
				problem(p, tp, "must be a team's name");
				continue;
			}
			if (name_taken(f, json_string_value(t)))
				problem(p, tp, "'%s' is named twice: a name means one service or team",
					json_string_value(t));
			s->teams[s->n_teams++] = json_string_value(t);
		}
	}
}

static void parse_procedures(parser *p, const json_t *doc, fh_orgfile *f)
{
	json_t *list = get_array(p, doc, "", "procedures", ORGFILE_MAX_PROCEDURES);
	if (!list) {
		if (!json_object_get(doc, "procedures"))
			problem(p, "procedures", "is required: which procedure the organisation uses "
						 "for each route, from which date");
		return;
	}
	for (size_t i = 0; i < json_array_size(list); i++) {
		char at[96], sub[96];
		index_path(at, sizeof at, "procedures", i);
		json_t *e = json_array_get(list, i);
		if (!json_is_object(e)) {
			problem(p, at, "must be an object with route, procedure and from");
			continue;
		}
		only_keys(p, e, at, procedure_fields);
		orgfile_procedure *pr = &f->procedures[f->n_procedures];
		pr->route = get_string(p, e, at, "route", true);
		if (pr->route && !model_is_one_of(PROCEDURE_ROUTES, pr->route)) {
			join(sub, sizeof sub, at, "route");
			problem(p, sub, "'%s' is not one of statutory, non_statutory", pr->route);
		}
		pr->procedure = get_string(p, e, at, "procedure", true);
		pr->based_on = get_string(p, e, at, "based_on", false);
		pr->from = get_string(p, e, at, "from", true);
		if (pr->from && !date_parse(pr->from, &pr->from_date)) {
			join(sub, sizeof sub, at, "from");
			problem(p, sub, "'%s' is not a real date (YYYY-MM-DD)", pr->from);
			pr->from = NULL;
		}
		for (size_t k = 0; pr->route && pr->from && k < f->n_procedures; k++) {
			const orgfile_procedure *o = &f->procedures[k];
			if (o->route && o->from && !strcmp(o->route, pr->route) &&
			    !strcmp(o->from, pr->from)) {
				join(sub, sizeof sub, at, "from");
				problem(p, sub, "procedures[%zu] already gives the %s route from %s",
					k, pr->route, pr->from);
			}
			/* One code is one procedure of one route. */
			if (o->route && o->procedure && pr->procedure &&
			    !strcmp(o->procedure, pr->procedure) && strcmp(o->route, pr->route)) {
				join(sub, sizeof sub, at, "procedure");
				problem(p, sub, "%s is the %s procedure in procedures[%zu]",
					pr->procedure, o->route, k);
			}
		}
		f->n_procedures++;
	}
}

/* 001 Appendix A: the periods of a restriction, when the organisation sets them. */
static void parse_behaviour(parser *p, const json_t *policy)
{
	json_t *b = get_object(p, policy, "policy", "behaviour", behaviour_fields);
	if (!b)
		return;
	int usual = get_int(p, b, "policy.behaviour", "usual_months", 1, 60, true);
	int review = get_int(p, b, "policy.behaviour", "review_months", 1, 24, true);
	get_int(p, b, "policy.behaviour", "appeal_working_days", 1, 60, true);
	get_string(p, b, "policy.behaviour", "source", true);
	if (usual && review && review > usual)
		problem(p, "policy.behaviour.review_months", "a restriction longer than usual_months "
			"(%d) is reviewed more often than that, not every %d months", usual, review);
}

/* 001 §9.1: the organisation's words for each reason a complaint is not considered. */
static void parse_triage(parser *p, const json_t *policy)
{
	json_t *t = get_object(p, policy, "policy", "triage", triage_fields);
	if (!t)
		return;
	get_string(p, t, "policy.triage", "source", true);
	json_t *list = get_array(p, t, "policy.triage", "exclusions", 32);
	if (!list) {
		problem(p, "policy.triage.exclusions", "is required: the reasons and their words");
		return;
	}
	for (size_t i = 0; i < json_array_size(list); i++) {
		char at[96], sub[96];
		index_path(at, sizeof at, "policy.triage.exclusions", i);
		json_t *e = json_array_get(list, i);
		if (!json_is_object(e)) {
			problem(p, at, "must be an object with code, text and source");
			continue;
		}
		only_keys(p, e, at, exclusion_fields);
		const char *code = get_string(p, e, at, "code", true);
		if (code && !model_is_one_of(TRIAGE_EXCLUSIONS, code)) {
			char names[512];
			join(sub, sizeof sub, at, "code");
			problem(p, sub, "'%s' is not one of %s", code,
				model_join(TRIAGE_EXCLUSIONS, names, sizeof names));
		}
		for (size_t k = 0; code && k < i; k++) {
			const char *other = json_string_value(
				json_object_get(json_array_get(list, k), "code"));
			if (other && !strcmp(other, code)) {
				join(sub, sizeof sub, at, "code");
				problem(p, sub, "'%s' is worded twice", code);
			}
		}
		get_string(p, e, at, "text", true);
		get_string(p, e, at, "source", true);
	}
}

/* Who may take each lifecycle action: action name -> the roles that may. */
static void parse_actions(parser *p, const json_t *policy)
{
	json_t *a = json_object_get(policy, "actions");
	if (!a || json_is_null(a))
		return;
	if (!json_is_object(a)) {
		problem(p, "policy.actions", "must be an object: action name -> list of roles");
		return;
	}
	const char *name;
	json_t *roles;
	json_object_foreach(a, name, roles) {
		char at[96];
		join(at, sizeof at, "policy.actions", name);
		bool known = false;
		for (size_t i = 0; i < lifecycle_action_count() && !known; i++)
			known = !strcmp(lifecycle_action(i)->name, name);
		if (!known) {
			problem(p, at, "is not a lifecycle action (docs/procedures.md lists them)");
			continue;
		}
		if (!lifecycle_action_roles_settable(name)) {
			problem(p, at, "is taken by the stage's responder or the report's author, "
				       "as the procedure says: its roles are not set here");
			continue;
		}
		if (!json_is_array(roles) || json_array_size(roles) == 0) {
			problem(p, at, "must be a list of at least one role");
			continue;
		}
		for (size_t i = 0; i < json_array_size(roles); i++) {
			const char *r = json_string_value(json_array_get(roles, i));
			if (!r || !model_is_one_of(MODEL_USER_ROLES, r)) {
				char sub[96], names[512];
				index_path(sub, sizeof sub, at, i);
				problem(p, sub, "'%s' is not one of %s", r ? r : "",
					model_join(MODEL_USER_ROLES, names, sizeof names));
			}
		}
	}
}

static void parse_closures(parser *p, const json_t *policy, fh_orgfile *f)
{
	json_t *list = get_array(p, policy, "policy", "closure_days", ORGFILE_MAX_CLOSURES);
	for (size_t i = 0; list && i < json_array_size(list); i++) {
		char at[96], sub[96];
		index_path(at, sizeof at, "policy.closure_days", i);
		json_t *e = json_array_get(list, i);
		if (!json_is_object(e)) {
			problem(p, at, "must be an object with date and reason");
			continue;
		}
		only_keys(p, e, at, closure_fields);
		orgfile_closure *c = &f->closures[f->n_closures];
		c->date = get_string(p, e, at, "date", true);
		c->reason = get_string(p, e, at, "reason", false);
		if (c->date && !date_parse(c->date, &c->on)) {
			join(sub, sizeof sub, at, "date");
			problem(p, sub, "'%s' is not a real date (YYYY-MM-DD)", c->date);
			continue;
		}
		if (c->date)
			f->n_closures++;
	}
}

/* The organisation's email (docs/email.md, "Sending"): from which address,
 * which new contacts are acknowledged, how a letter goes, and the relay. */
static void parse_email(parser *p, const json_t *policy)
{
	json_t *e = get_object(p, policy, "policy", "email", email_fields);
	if (!e)
		return;
	const char *from = get_string(p, e, "policy.email", "from", true);
	if (from && (!*from || !strchr(from, '@') || strcspn(from, " \t\r\n<>,;\"") != strlen(from)))
		problem(p, "policy.email.from", "'%s' is not a plain email address", from);
	const char *url = get_string(p, e, "policy.email", "public_url", true);
	if (url && strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
		problem(p, "policy.email.public_url", "'%s' is not an http:// or https:// address "
			"(tracking links in email start with it)", url);
	if (url && strcspn(url, " \t\r\n\"<>") != strlen(url))
		problem(p, "policy.email.public_url", "must not hold spaces, quotes or line breaks");
	json_t *ack = json_object_get(e, "acknowledge");
	if (ack && !json_is_array(ack))
		problem(p, "policy.email.acknowledge", "must be a list of channels: email, "
			"online_form (or [] for none)");
	for (size_t i = 0; json_is_array(ack) && i < json_array_size(ack); i++) {
		const char *c = json_string_value(json_array_get(ack, i));
		if (!c || (strcmp(c, "email") != 0 && strcmp(c, "online_form") != 0)) {
			char at[96];
			index_path(at, sizeof at, "policy.email.acknowledge", i);
			problem(p, at, "'%s' is neither email nor online_form", c ? c : "");
		}
	}
	const char *letters = get_string(p, e, "policy.email", "letters", false);
	if (letters && *letters && strcmp(letters, "attachment") != 0 && strcmp(letters, "link") != 0)
		problem(p, "policy.email.letters", "'%s' is neither \"attachment\" (the PDF "
			"attached) nor \"link\" (the tracking page)", letters);
	json_t *smtp = get_object(p, e, "policy.email", "smtp", smtp_fields);
	const char *su = get_string(p, smtp, "policy.email.smtp", "url", smtp != NULL);
	if (su && *su && strncmp(su, "smtp://", 7) != 0 && strncmp(su, "smtps://", 8) != 0)
		problem(p, "policy.email.smtp.url", "'%s' is not smtp://HOST:PORT or smtps://HOST:PORT",
			su);
	if (su && strchr(su, '@'))
		problem(p, "policy.email.smtp.url", "must not hold a user or password (give user, "
			"and the password in FAIRHEARING_SMTP_PASSWORD)");
	get_string(p, smtp, "policy.email.smtp", "user", false);
	get_string(p, smtp, "policy.email.smtp", "ca_file", false);
}

static void parse_policy(parser *p, const json_t *doc, fh_orgfile *f)
{
	json_t *policy = get_object(p, doc, "", "policy", policy_fields);
	if (!policy)
		return;
	f->retention_years = get_int(p, policy, "policy", "retention_years", 1, 100, false);
	parse_behaviour(p, policy);
	parse_triage(p, policy);
	parse_actions(p, policy);
	parse_closures(p, policy, f);
	parse_email(p, policy);
	/* Whether staff signing in by password must also give a code
	 * (docs/security.md, "Second factor"); absent: each chooses. */
	const char *second = get_string(p, policy, "policy", "second_factor", false);
	if (second && *second && strcmp(second, "required") != 0 &&
	    strcmp(second, "optional") != 0)
		problem(p, "policy.second_factor", "'%s' is neither \"required\" nor \"optional\"",
			second);
}

fh_status orgfile_from_json(json_t *doc, fh_orgfile **out, proc_problems *problems,
			    fh_error *err)
{
	*out = NULL;
	problems->count = 0;
	parser p = {problems};
	fh_status refused;
	fh_orgfile *f = datafile_begin(doc, sizeof *f, problems, "", "file",
				       "an organisation file is a JSON object", &refused, err);
	if (!f)
		return refused;
	f->doc = doc;
	only_keys(&p, doc, "", ORGFILE_FIELDS);
	parse_identity(&p, doc, f);
	parse_teams(&p, doc, f);
	parse_procedures(&p, doc, f);
	parse_policy(&p, doc, f);
	if (problems->count) {
		orgfile_free(f);
		return error_set(err, FH_EINVAL, problems->items[0].path, NULL, "%s",
				 problems->items[0].message);
	}
	*out = f;
	return FH_OK;
}

fh_status orgfile_parse(const char *text, fh_orgfile **out, proc_problems *problems,
			fh_error *err)
{
	json_error_t jerr;
	json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		*out = NULL;
		problems->count = 1;
		snprintf(problems->items[0].path, sizeof problems->items[0].path, "line %d", jerr.line);
		snprintf(problems->items[0].message, sizeof problems->items[0].message, "%s",
			 jerr.text);
		return error_set(err, FH_EINVAL, "file", NULL, "not JSON: line %d: %s", jerr.line,
				 jerr.text);
	}
	return orgfile_from_json(doc, out, problems, err);
}

void orgfile_free(fh_orgfile *f)
{
	if (!f)
		return;
	json_decref(f->doc);
	free(f);
}

json_t *orgfile_settings(const fh_orgfile *f)
{
	json_t *settings = json_object();
	if (f->interpreting && *f->interpreting)
		json_object_set_new(settings, "interpreting", json_string(f->interpreting));
	json_t *policy = json_object_get(f->doc, "policy");
	if (policy) {
		json_t *kept = json_deep_copy(policy);
		json_object_del(kept, "retention_years");
		json_object_del(kept, "closure_days");
		if (json_object_size(kept))
			json_object_set_new(settings, "policy", kept);
		else
			json_decref(kept);
	}
	return settings;
}

bool orgfile_behaviour_policy(const json_t *settings, behaviour_policy *out)
{
	const json_t *b = json_object_get(json_object_get(settings, "policy"), "behaviour");
	memset(out, 0, sizeof *out);
	if (!json_is_object(b))
		return false;
	out->usual_months = (int)json_integer_value(json_object_get(b, "usual_months"));
	out->review_months = (int)json_integer_value(json_object_get(b, "review_months"));
	out->appeal_working_days = (int)json_integer_value(json_object_get(b, "appeal_working_days"));
	out->source = json_string_value(json_object_get(b, "source"));
	return out->usual_months > 0 && out->review_months > 0 && out->appeal_working_days > 0;
}

size_t orgfile_triage_wording(const json_t *settings, triage_wording *out, size_t max)
{
	const json_t *list = json_object_get(
		json_object_get(json_object_get(settings, "policy"), "triage"), "exclusions");
	size_t n = 0, i;
	json_t *e;
	json_array_foreach(list, i, e) {
		if (n == max)
			break;
		out[n].code = json_string_value(json_object_get(e, "code"));
		out[n].text = json_string_value(json_object_get(e, "text"));
		out[n].source = json_string_value(json_object_get(e, "source"));
		if (out[n].code && out[n].text && out[n].source)
			n++;
	}
	return n;
}

bool orgfile_email_policy(const json_t *settings, orgfile_email *out)
{
	const json_t *e = json_object_get(json_object_get(settings, "policy"), "email");
	memset(out, 0, sizeof *out);
	if (!json_is_object(e))
		return false;
	out->from = json_string_value(json_object_get(e, "from"));
	out->public_url = json_string_value(json_object_get(e, "public_url"));
	const json_t *ack = json_object_get(e, "acknowledge");
	if (!ack) {
		out->acknowledge_email = true; /* the default: email-received contacts only */
	} else {
		size_t i;
		json_t *c;
		json_array_foreach(ack, i, c) {
			const char *v = json_string_value(c);
			out->acknowledge_email |= v && !strcmp(v, "email");
			out->acknowledge_online_form |= v && !strcmp(v, "online_form");
		}
	}
	const char *letters = json_string_value(json_object_get(e, "letters"));
	out->letters_attach = !letters || !*letters || !strcmp(letters, "attachment");
	const json_t *smtp = json_object_get(e, "smtp");
	out->smtp_url = json_string_value(json_object_get(smtp, "url"));
	out->smtp_user = json_string_value(json_object_get(smtp, "user"));
	out->smtp_ca_file = json_string_value(json_object_get(smtp, "ca_file"));
	if (out->smtp_user && !*out->smtp_user)
		out->smtp_user = NULL;
	if (out->smtp_ca_file && !*out->smtp_ca_file)
		out->smtp_ca_file = NULL;
	return out->from && out->public_url;
}
