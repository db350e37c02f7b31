/*
 * api_parties.c: the people on a case after it is recorded: adding one (an
 * advocate appointed, a solicitor instructed), changing one (new contact
 * details, the child's consent given or refused, a relationship corrected),
 * and taking one off.
 *
 * Every change is checked against the case's whole new set of parties with
 * the rules of recording (case_input_validate: one complainant, one child, a
 * representative's relationship, 001 §7.3; the child's consent tracked when
 * someone else speaks for them, 000 "Friends or relatives"), so a change can
 * never leave a case that could not have been recorded.  Consent carries its
 * date: a change of consent to requested, given, refused or unable without
 * consent_on is dated today (001 §7.4).  Only those who record cases (the
 * complaints team, managers) change parties.
 */
#include "api.h"

#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "case_json.h"
#include "server.h"

/* The authorised case, and an input copy of it with room for one more party. */
static bool load(http_request *req, fh_case *c, fh_case_input *in, fh_party **mutable_parties)
{
	fh_error err = {0};
	if (store_case_get(req->st, req->params[0], req->arena, c, &err)) {
		http_fail(req, &err);
		return false;
	}
	fh_party *parties = arena_array(req->arena, c->n_parties + 1, sizeof *parties);
	if (c->n_parties)
		memcpy(parties, c->parties, c->n_parties * sizeof *parties);
	*in = (fh_case_input){.org_code = c->org_code, .kind = c->kind, .channel = c->channel,
			      .received_on = c->received_on, .received_by = c->received_by,
			      .service = c->service, .team = c->team, .summary = c->summary,
			      .details = c->details, .anonymous = c->anonymous,
			      .confidential = c->confidential, .n_parties = c->n_parties,
			      .parties = parties, .n_points = c->n_points, .points = c->points};
	*mutable_parties = parties;
	return true;
}

/* The index of the party req->params[1] on the case; -1 (and a 404) when none. */
static long find_party(http_request *req, const fh_case_input *in)
{
	int64_t id = req->ids[1];
	for (size_t i = 0; id && i < in->n_parties; i++)
		if (in->parties[i].id == id)
			return (long)i;
	http_error(req, 404, "not_found", "id", "no party %s on this case", req->params[1]);
	return -1;
}

/*
 * Checks the whole new set; a refusal about the party being changed names
 * its field as the body does ("person.email", not "parties[2].person.email").
 */
static bool valid(http_request *req, const fh_case_input *in, size_t index)
{
	fh_error err = {0};
	if (!case_input_validate(in, req->today, &err))
		return true;
	char prefix[32];
	int n = snprintf(prefix, sizeof prefix, "parties[%zu].", index);
	if (n > 0 && strncmp(err.field, prefix, (size_t)n) == 0)
		memmove(err.field, err.field + n, strlen(err.field + n) + 1);
	http_fail(req, &err);
	return false;
}

static bool dated_consent(const char *consent)
{
	static const char *const dated[] = {"requested", "given", "refused", "unable", NULL};
	return consent && model_is_one_of(dated, consent);
}

static const char *today_iso(http_request *req)
{
	char *d = arena_alloc(req->arena, DATE_ISO_LEN);
	date_format(req->today, d);
	return d;
}

/*
 * The party as it now is.  The answer holds contact details the caller may
 * not have sent (a known person added by id, the fields a change left
 * alone), so it is a read of personal data and logged as one.
 */
static void answer(http_request *req, int status, const fh_party *p)
{
	req->location = arena_printf(req->arena, "/api/v1/cases/%s", req->params[0]);
	http_json(req, status, party_to_json(p));
	server_log_read(req, req->case_id, "case",
			arena_printf(req->arena, "party %lld", (long long)p->id));
}

/*
 * The party in the body (partial: only what changes) and the case as load
 * reads it; false, answered, when the body is not a party or the case
 * cannot be read.
 */
static bool party_body(http_request *req, bool partial, fh_party *p, fh_case *c,
		       fh_case_input *in, fh_party **parties)
{
	fh_error err = {0};
	if (party_from_json(req->json, partial, req->arena, p, &err)) {
		http_fail(req, &err);
		return false;
	}
	return load(req, c, in, parties);
}

/* POST /api/v1/cases/{ref}/parties */
void api_party_add(http_request *req)
{
	fh_case c;
	fh_case_input in;
	fh_party p;
	fh_error err = {0};
	fh_party *parties;
	if (!party_body(req, false, &p, &c, &in, &parties))
		return;
	if (dated_consent(p.consent) && !p.consent_on)
		p.consent_on = today_iso(req);
	size_t index = in.n_parties;
	parties[in.n_parties++] = p;
	if (!valid(req, &in, index))
		return;
	int64_t id = 0;
	if (store_party_add(req->st, req->case_id, &in, index, req->who->user.email, &id, &err)) {
		http_fail(req, &err);
		return;
	}
	/* As it now stands (consent defaulted, the person's id). */
	if (store_case_get(req->st, req->params[0], req->arena, &c, &err)) {
		http_fail(req, &err);
		return;
	}
	for (size_t i = 0; i < c.n_parties; i++)
		if (c.parties[i].id == id)
			answer(req, 201, &c.parties[i]);
	if (!req->status)
		answer(req, 201, &p);
}

static bool same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* PATCH /api/v1/cases/{ref}/parties/{id} */
void api_party_change(http_request *req)
{
	fh_case c;
	fh_case_input in;
	fh_party d;
	fh_error err = {0};
	fh_party *parties;
	if (!party_body(req, true, &d, &c, &in, &parties))
		return;
	json_t *person = json_object_get(req->json, "person");
	if (d.person.equality || (person && json_object_get(person, "id"))) {
		http_error(req, 422, "invalid", d.person.equality ? "person.equality" : "person.id",
			   "is not changed here: only contact details, consent, relationship, "
			   "child status and correspond");
		return;
	}
	long at = find_party(req, &in);
	if (at < 0)
		return;
	fh_party *p = &parties[at];
	if (d.role && !same(d.role, p->role)) {
		http_error(req, 422, "invalid", "role", "a party's role does not change: take the "
			   "party off the case and add them again in the new role");
		return;
	}
	const char *changed[24];
	size_t n = 0;
#define MERGE(dst, src, name)                         \
	do {                                          \
		if ((src) && !same((src), (dst))) {   \
			(dst) = (src);                \
			changed[n++] = (name);        \
		}                                     \
	} while (0)
	MERGE(p->relationship, d.relationship, "relationship");
	MERGE(p->child_status, d.child_status, "child_status");
	bool consent_moved = d.consent && !same(d.consent, p->consent);
	MERGE(p->consent, d.consent, "consent");
	if (d.consent_on)
		MERGE(p->consent_on, d.consent_on, "consent_on");
	else if (consent_moved)
		p->consent_on = dated_consent(p->consent) ? today_iso(req) : NULL;
	if (json_object_get(req->json, "correspond") && d.correspond != p->correspond) {
		p->correspond = d.correspond;
		changed[n++] = "correspond";
	}
	fh_person *q = &p->person;
	MERGE(q->title, d.person.title, "person.title");
	MERGE(q->given_name, d.person.given_name, "person.given_name");
	MERGE(q->family_name, d.person.family_name, "person.family_name");
	MERGE(q->organisation, d.person.organisation, "person.organisation");
	MERGE(q->address, d.person.address, "person.address");
	MERGE(q->postcode, d.person.postcode, "person.postcode");
	MERGE(q->phone, d.person.phone, "person.phone");
	MERGE(q->email, d.person.email, "person.email");
	MERGE(q->preferred_contact, d.person.preferred_contact, "person.preferred_contact");
	MERGE(q->date_of_birth, d.person.date_of_birth, "person.date_of_birth");
	MERGE(q->needs, d.person.needs, "person.needs");
#undef MERGE
	if (n == 0) { /* nothing to change: no event either */
		answer(req, 200, p);
		return;
	}
	if (!valid(req, &in, (size_t)at))
		return;
	if (store_party_update(req->st, req->case_id, p, changed, n, req->who->user.email, &err)) {
		http_fail(req, &err);
		return;
	}
	answer(req, 200, p);
}

/* DELETE /api/v1/cases/{ref}/parties/{id} */
void api_party_remove(http_request *req)
{
	fh_case c;
	fh_case_input in;
	fh_error err = {0};
	fh_party *parties;
	if (!load(req, &c, &in, &parties))
		return;
	long at = find_party(req, &in);
	if (at < 0)
		return;
	fh_party gone = parties[at];
	memmove(&parties[at], &parties[at + 1], (in.n_parties - (size_t)at - 1) * sizeof *parties);
	in.n_parties--;
	if (!valid(req, &in, in.n_parties + 1))
		return;
	if (store_party_remove(req->st, req->case_id, &gone, req->who->user.email, &err)) {
		http_fail(req, &err);
		return;
	}
	http_json(req, 204, NULL);
}
