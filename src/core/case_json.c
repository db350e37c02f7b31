#include "case_json.h"

#include <stdio.h>
#include <string.h>

/* One declared field of an input object. */
typedef struct json_field {
	const char *name;
	enum { F_STRING, F_BOOL, F_INT } type;
	size_t offset; /* into the struct being filled */
} json_field;

#define STR(type, member) {#member, F_STRING, offsetof(type, member)}
#define BOOL(type, member) {#member, F_BOOL, offsetof(type, member)}

/*
 * Copies the declared fields of obj into the struct at base, refusing any
 * key not declared (except those in `nested`, handled by the caller).
 */
static fh_status read_fields(const json_t *obj, const char *path, const json_field *fields,
			     size_t n, const char *const *nested, void *base, fh_arena *arena,
			     fh_error *err)
{
	char field[128];
	if (!json_is_object(obj))
		return error_set(err, FH_EINVAL, path[0] ? path : "body", NULL, "must be a JSON object");
	const char *key;
	json_t *value;
	json_object_foreach((json_t *)obj, key, value) {
		snprintf(field, sizeof field, "%s%s%s", path, path[0] ? "." : "", key);
		const json_field *f = NULL;
		for (size_t i = 0; i < n; i++)
			if (strcmp(fields[i].name, key) == 0)
				f = &fields[i];
		if (!f) {
			bool is_nested = false;
			for (const char *const *p = nested; p && *p; p++)
				is_nested |= strcmp(*p, key) == 0;
			if (is_nested)
				continue;
			return error_set(err, FH_EINVAL, field, NULL, "is not a known field");
		}
		char *dst = (char *)base + f->offset;
		if (json_is_null(value))
			continue;
		switch (f->type) {
		case F_STRING:
			if (!json_is_string(value))
				return error_set(err, FH_EINVAL, field, NULL, "must be a string");
			if (strlen(json_string_value(value)) != json_string_length(value))
				return error_set(err, FH_EINVAL, field, NULL, "must not contain NUL");
			*(const char **)dst = arena_strdup(arena, json_string_value(value));
			break;
		case F_BOOL:
			if (!json_is_boolean(value))
				return error_set(err, FH_EINVAL, field, NULL, "must be true or false");
			*(bool *)dst = json_is_true(value);
			break;
		case F_INT:
			if (!json_is_integer(value) || json_integer_value(value) < 0)
				return error_set(err, FH_EINVAL, field, NULL,
						 "must be a whole number, 0 or more");
			*(int64_t *)dst = json_integer_value(value);
			break;
		}
	}
	return FH_OK;
}

static const json_field case_fields[] = {
	{"org", F_STRING, offsetof(fh_case_input, org_code)},
	STR(fh_case_input, kind),
	STR(fh_case_input, channel),
	STR(fh_case_input, received_on),
	STR(fh_case_input, received_by),
	STR(fh_case_input, service),
	STR(fh_case_input, team),
	STR(fh_case_input, summary),
	STR(fh_case_input, details),
	BOOL(fh_case_input, anonymous),
	BOOL(fh_case_input, confidential),
};
static const json_field party_fields[] = {
	STR(fh_party, role), STR(fh_party, relationship), STR(fh_party, child_status),
	STR(fh_party, consent), STR(fh_party, consent_on), BOOL(fh_party, correspond),
};
static const json_field person_fields[] = {
	{"id", F_INT, offsetof(fh_person, id)},
	STR(fh_person, title), STR(fh_person, given_name), STR(fh_person, family_name),
	STR(fh_person, organisation), STR(fh_person, address), STR(fh_person, postcode),
	STR(fh_person, phone), STR(fh_person, email), STR(fh_person, preferred_contact),
	STR(fh_person, date_of_birth), STR(fh_person, needs),
};
static const json_field equality_fields[] = {
	STR(fh_equality, date_of_birth), STR(fh_equality, preferred_language),
	STR(fh_equality, religion), STR(fh_equality, racial_identity), STR(fh_equality, sex),
	STR(fh_equality, disability), STR(fh_equality, disability_nature),
};
static const json_field point_fields[] = {
	STR(fh_point, summary), STR(fh_point, desired_outcome),
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

static fh_status read_array(const json_t *obj, const char *key, size_t max, const json_t **arr,
			    fh_error *err)
{
	*arr = json_object_get(obj, key);
	if (!*arr || json_is_null(*arr)) {
		*arr = NULL;
		return FH_OK;
	}
	if (!json_is_array(*arr))
		return error_set(err, FH_EINVAL, key, NULL, "must be a list");
	if (json_array_size(*arr) > max)
		return error_set(err, FH_EINVAL, key, NULL, "at most %zu entries", max);
	return FH_OK;
}

/* One party at path ("parties[0]", or "" for a party on its own). */
static fh_status read_party(const json_t *pj, const char *at, bool person_optional,
			    fh_arena *arena, fh_party *party, fh_error *err)
{
	static const char *const party_nested[] = {"person", NULL};
	static const char *const person_nested[] = {"equality", NULL};
	char path[64];
	fh_status s = read_fields(pj, at, party_fields, N(party_fields), party_nested, party, arena,
				  err);
	if (s)
		return s;
	const json_t *person = json_object_get(pj, "person");
	snprintf(path, sizeof path, "%s%sperson", at, at[0] ? "." : "");
	if (!person || json_is_null(person))
		return person_optional ? FH_OK : error_set(err, FH_EINVAL, path, NULL, "is required");
	if ((s = read_fields(person, path, person_fields, N(person_fields), person_nested,
			     &party->person, arena, err)))
		return s;
	const json_t *eq = json_object_get(person, "equality");
	if (eq && !json_is_null(eq)) {
		fh_equality *e = arena_alloc(arena, sizeof *e);
		snprintf(path, sizeof path, "%s%sperson.equality", at, at[0] ? "." : "");
		if ((s = read_fields(eq, path, equality_fields, N(equality_fields), NULL, e, arena,
				     err)))
			return s;
		party->person.equality = e;
	}
	return FH_OK;
}

fh_status party_from_json(const json_t *obj, bool person_optional, fh_arena *arena,
			  fh_party *out, fh_error *err)
{
	memset(out, 0, sizeof *out);
	return read_party(obj, "", person_optional, arena, out, err);
}

fh_status case_input_from_json(const json_t *obj, fh_arena *arena, fh_case_input *in,
			       fh_error *err)
{
	static const char *const case_nested[] = {"parties", "points", NULL};
	memset(in, 0, sizeof *in);
	fh_status s = read_fields(obj, "", case_fields, N(case_fields), case_nested, in, arena, err);
	if (s)
		return s;
	const json_t *parties, *points;
	if ((s = read_array(obj, "parties", MODEL_MAX_PARTIES, &parties, err)) ||
	    (s = read_array(obj, "points", MODEL_MAX_POINTS, &points, err)))
		return s;

	in->n_parties = json_array_size(parties);
	fh_party *ps = arena_array(arena, in->n_parties, sizeof *ps);
	for (size_t i = 0; i < in->n_parties; i++) {
		char path[64];
		snprintf(path, sizeof path, "parties[%zu]", i);
		if ((s = read_party(json_array_get(parties, i), path, false, arena, &ps[i], err)))
			return s;
	}
	in->parties = ps;

	in->n_points = json_array_size(points);
	fh_point *pts = arena_array(arena, in->n_points, sizeof *pts);
	for (size_t i = 0; i < in->n_points; i++) {
		char path[32];
		snprintf(path, sizeof path, "points[%zu]", i);
		if ((s = read_fields(json_array_get(points, i), path, point_fields, N(point_fields),
				     NULL, &pts[i], arena, err)))
			return s;
	}
	in->points = pts;
	return FH_OK;
}

/* ---- output --------------------------------------------------------------- */

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *case_summary_to_json(const fh_case *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "reference", json_string(c->reference));
	json_object_set_new(o, "org", json_string(c->org_code));
	json_object_set_new(o, "kind", json_string(c->kind));
	json_object_set_new(o, "channel", json_string(c->channel));
	json_object_set_new(o, "received_on", json_string(c->received_on));
	json_object_set_new(o, "summary", json_string(c->summary));
	json_object_set_new(o, "route", json_string(c->route));
	json_object_set_new(o, "state", json_string(c->state));
	json_object_set_new(o, "stage", json_integer(c->stage));
	json_object_set_new(o, "team", str_or_null(c->team));
	return o;
}

static json_t *person_to_json(const fh_person *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(p->id));
	const struct {
		const char *k, *v;
	} kv[] = {
		{"title", p->title}, {"given_name", p->given_name}, {"family_name", p->family_name},
		{"organisation", p->organisation}, {"address", p->address}, {"postcode", p->postcode},
		{"phone", p->phone}, {"email", p->email}, {"preferred_contact", p->preferred_contact},
		{"needs", p->needs},
	};
	for (size_t i = 0; i < N(kv); i++)
		json_object_set_new(o, kv[i].k, json_string(kv[i].v ? kv[i].v : ""));
	json_object_set_new(o, "date_of_birth", str_or_null(p->date_of_birth));
	return o;
}

json_t *party_to_json(const fh_party *p)
{
	return json_pack("{sI ss ss ss ss so sb so}", "id", (json_int_t)p->id, "role", p->role,
			 "relationship", p->relationship ? p->relationship : "", "child_status",
			 p->child_status ? p->child_status : "", "consent",
			 p->consent ? p->consent : "", "consent_on", str_or_null(p->consent_on),
			 "correspond", p->correspond, "person", person_to_json(&p->person));
}

json_t *case_to_json(const fh_case *c, int with_events)
{
	json_t *o = case_summary_to_json(c);
	json_object_set_new(o, "org_name", json_string(c->org_name));
	json_object_set_new(o, "received_by", json_string(c->received_by));
	json_object_set_new(o, "service", json_string(c->service));
	json_object_set_new(o, "details", json_string(c->details));
	json_object_set_new(o, "anonymous", json_boolean(c->anonymous));
	json_object_set_new(o, "confidential", json_boolean(c->confidential));
	json_t *proc = json_null();
	if (c->procedure_code)
		proc = json_pack("{ss si}", "code", c->procedure_code, "version",
				 c->procedure_version);
	json_object_set_new(o, "procedure", proc);
	json_object_set_new(o, "closed_on", str_or_null(c->closed_on));
	json_object_set_new(o, "created_at", json_string(c->created_at));
	json_object_set_new(o, "updated_at", json_string(c->updated_at));

	json_t *parties = json_array();
	for (size_t i = 0; i < c->n_parties; i++)
		json_array_append_new(parties, party_to_json(&c->parties[i]));
	json_object_set_new(o, "parties", parties);

	json_t *points = json_array();
	for (size_t i = 0; i < c->n_points; i++) {
		const fh_point *p = &c->points[i];
		json_array_append_new(points,
			json_pack("{si ss ss sb}", "seq", p->seq, "summary", p->summary,
				  "desired_outcome", p->desired_outcome, "withdrawn", p->withdrawn));
	}
	json_object_set_new(o, "points", points);

	json_t *stages = json_array();
	for (size_t i = 0; i < c->n_stages; i++) {
		const fh_stage *g = &c->stages[i];
		json_array_append_new(stages,
			json_pack("{si ss so so so so so}", "stage", g->stage, "state", g->state,
				  "requested_on", str_or_null(g->requested_on), "started_on",
				  str_or_null(g->started_on), "due_on", str_or_null(g->due_on),
				  "responded_on", str_or_null(g->responded_on), "officer",
				  str_or_null(g->officer_email)));
	}
	json_object_set_new(o, "stages", stages);

	json_t *findings = json_array();
	for (size_t i = 0; i < c->n_findings; i++) {
		const fh_finding *f = &c->findings[i];
		json_array_append_new(findings,
			json_pack("{si si ss ss ss ss}", "point", f->point_seq, "stage", f->stage,
				  "outcome", f->outcome, "reasoning", f->reasoning,
				  "outcome_response", f->outcome_response, "recorded_at",
				  f->recorded_at));
	}
	json_object_set_new(o, "findings", findings);

	if (with_events) {
		json_t *events = json_array();
		for (size_t i = 0; i < c->n_events; i++) {
			const fh_event *e = &c->events[i];
			json_t *data = json_loads(e->data, 0, NULL);
			json_t *ev = json_pack("{sI ss ss ss ss ss so}", "seq", (json_int_t)e->seq,
					       "at", e->at, "effective_on", e->effective_on,
					       "actor", e->actor, "action", e->action, "reason",
					       e->reason, "data", data ? data : json_object());
			if (e->erased_on && *e->erased_on) {
				/* retention erased its reason and data (DOMAIN §8) */
				char note[MODEL_ERASED_NOTE_MAX];
				json_object_set_new(ev, "erased_on", json_string(e->erased_on));
				json_object_set_new(ev, "erased", json_string(model_event_reason(e, note)));
			}
			json_array_append_new(events, ev);
		}
		json_object_set_new(o, "events", events);
	}
	return o;
}
