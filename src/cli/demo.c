/*
 * demo.c: realistic sample data, generated from a fixed seed.
 *
 * The organisations' names, addresses and advocacy services are those their
 * own leaflets publish (seeds 000-004); the people and their complaints are
 * invented, drawn from lists of the kinds of complaint the policies describe.
 */
#include "demo.h"

#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "config.h"
#include "orgfile.h"
#include "store_internal.h"
#include "store_letter.h"
#include "store_lifecycle.h"
#include "store_orgfile.h"
#include "store_rights.h"

/* splitmix64: small, fast, and the same sequence on every platform. */
typedef struct demo_rng {
	uint64_t state;
} demo_rng;

static uint64_t rng_next(demo_rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static int rng_below(demo_rng *r, int n)
{
	return (int)(rng_next(r) % (uint64_t)n);
}

#define PICK(r, a) ((a)[rng_below((r), (int)(sizeof(a) / sizeof((a)[0])))])

/* Picks index i with probability weights[i] / sum. */
static int rng_weighted(demo_rng *r, const int *weights, int n)
{
	int total = 0;
	for (int i = 0; i < n; i++)
		total += weights[i];
	int x = rng_below(r, total);
	for (int i = 0; i < n; i++) {
		if (x < weights[i])
			return i;
		x -= weights[i];
	}
	return n - 1;
}

static const char *const given_names[] = {
	"Aisha", "Amira", "Ben", "Callum", "Chloe", "Connor", "Daniel", "Demi", "Ella", "Ethan",
	"Farah", "Freya", "Grace", "Harvey", "Hassan", "Imran", "Isaac", "Jade", "Jasmine", "Kai",
	"Kyle", "Leah", "Maya", "Mohammed", "Nia", "Olivia", "Oskar", "Priya", "Reuben", "Ruby",
	"Sophie", "Tariq", "Tyler", "Yusuf", "Zainab", "Zofia"};
static const char *const family_names[] = {
	"Ahmed", "Ali", "Begum", "Brown", "Clarke", "Davies", "Evans", "Hussain", "Jones", "Kaur",
	"Khan", "Kowalski", "Lewis", "Mahmood", "Mensah", "Nowak", "O'Brien", "Okafor", "Patel",
	"Robinson", "Singh", "Smith", "Taylor", "Thomas", "Walker", "Williams", "Wilson", "Wright"};
static const char *const streets[] = {
	"Albert Road", "Church Lane", "Coventry Road", "Elm Grove", "Grange Road", "High Street",
	"Kings Road", "Mill Lane", "Park Avenue", "Queens Drive", "Station Road", "Victoria Street"};

struct demo_point {
	const char *summary, *outcome;
};

static const struct demo_point social_care_points[] = {
	{"My social worker changed three times in six months and nobody told me",
	 "A social worker who stays, and to be told before any change"},
	{"Phone calls and emails to the team were not returned for weeks",
	 "Calls and emails answered within two working days"},
	{"Contact with my brother was cancelled at short notice, twice",
	 "Contact put back in place and a plan for regular sibling contact"},
	{"The assessment contains factual errors about our family",
	 "The errors corrected in writing and the corrected copy sent to us"},
	{"My pathway plan has not been reviewed since I turned 18",
	 "A pathway plan review with my personal adviser this month"},
	{"The leaving care grant was paid late, so I could not furnish my flat",
	 "The grant paid in full and an apology"},
	{"The foster placement ended without a planning meeting",
	 "An explanation, and a meeting before any future move"},
	{"A member of staff was rude and dismissive at the review meeting",
	 "An apology from the member of staff"},
	{"Support agreed in the child in need plan was never put in place",
	 "The agreed support delivered, with dates"},
	{"Personal information about me was shared with my ex-partner",
	 "An explanation of how it happened and what will stop it happening again"},
	{"Foster carer allowances were paid late for three months",
	 "The missing payments made and an apology"},
	{"Nobody explained the decision to my son in a way he could understand",
	 "A meeting with him and his advocate to explain it"},
	{"The minutes of the core group meeting were never sent",
	 "The minutes sent, and sent within ten days in future"},
	{"We were not invited to the looked after review",
	 "An invitation to every review, with the reports a week before"},
};
static const struct demo_point contact_centre_points[] = {
	{"The contact session started 40 minutes late and finished on time",
	 "Sessions that start on time, or the time made up"},
	{"A volunteer talked about our case in front of other families",
	 "An apology and confidential handling from now on"},
	{"The supervised contact report left out what went well",
	 "The report corrected before it goes to court"},
	{"Handover arrangements put me in the same corridor as my ex-partner",
	 "Separate arrival and departure times, as agreed at referral"},
	{"The booking was cancelled by text the evening before",
	 "A phone call when a session is cancelled, and a new date"},
};
static const char *const compliments[] = {
	"Thank you to the social worker who helped with the move to the new placement",
	"The personal adviser went out of her way to help with my college application",
	"Thanks to the team for a well-run review meeting where my daughter felt listened to",
	"The contact centre volunteers made my children feel safe and welcome",
	"Grateful for the quick support from the out of hours team",
};
static const char *const comments[] = {
	"Letters would be easier to read in larger print",
	"The waiting room at the family centre needs toys for older children",
	"It would help to have meeting times by text as well as by letter",
	"Parking near the contact centre is very limited",
};

/* The organisations themselves (identity, letterhead, teams, procedures,
 * policy) are files, orgs/demo/CODE.json, applied as an administrator
 * applies their own (docs/organisations.md); this table holds only what
 * the demo invents about their people. */
static const struct demo_org {
	const char *code;
	const char *domain;     /* demo sign-ins: complaints@DOMAIN, ... */
	const char *postcodes[3];
	const char *city;
	int weight;             /* share of the demo cases */
} demo_orgs[] = {
	{"bct", "bct.demo", {"B12 9QX", "B23 6TH", "B31 2PA"}, "Birmingham", 45},
	{"bcp", "bcp.demo", {"BH8 8DX", "BH12 1AB", "BH15 2RT"}, "Bournemouth", 25},
	{"bccc", "bccc.demo", {"B13 8JP", "B29 7LN", "B14 6QS"}, "Birmingham", 10},
	{"example", "example.demo", {"EX2 4PB", "EX4 3QT", "EX1 2HE"}, "Example", 20},
};
enum { N_DEMO_ORGS = sizeof demo_orgs / sizeof demo_orgs[0] };

/* Each role's sign-in name (before the @) and a person to hold it. */
static const struct demo_role {
	const char *role, *login, *title;
	bool external;
} demo_roles[] = {
	{"complaints_team", "complaints", "Complaints Officer", false},
	{"manager", "manager", "Complaints and Information Manager", false},
	{"adjudicating_officer", "adjudicator", "Team Manager", false},
	{"investigating_officer", "investigator", "Investigating Officer", true},
	{"independent_person", "independent", "Independent Person", true},
	{"panel_member", "panel", "Review Panel member", true},
	{"reviewing_officer", "reviewer", "Reviewing Officer", false},
	{"head_of_service", "head", "Head of Service", false},
	{"leadership", "director", "Director", false},
	{"administrator", "admin", "Administrator", false},
};
enum { N_DEMO_ROLES = sizeof demo_roles / sizeof demo_roles[0] };

bool demo_is_loaded(fh_store *st)
{
	fh_arena arena = ARENA_INIT;
	fh_org *orgs;
	size_t n = 0;
	fh_error err;
	bool loaded = store_org_list(st, &arena, &orgs, &n, &err) == FH_OK && n == N_DEMO_ORGS;
	for (size_t i = 0; loaded && i < n; i++) {
		bool known = false;
		for (size_t j = 0; j < N_DEMO_ORGS; j++)
			known |= strcmp(orgs[i].code, demo_orgs[j].code) == 0;
		loaded = known;
	}
	arena_free(&arena);
	return loaded;
}

/* The organisation's teams in the order its file gives them, at most max. */
static int file_teams(const fh_orgfile *f, const char **teams, const char **services, int max)
{
	int n = 0;
	for (size_t i = 0; i < f->n_services; i++)
		for (size_t k = 0; k < f->services[i].n_teams && n < max; k++, n++) {
			teams[n] = f->services[i].teams[k];
			services[n] = f->services[i].name;
		}
	return n;
}

static fh_status load_org(fh_store *st, const struct demo_org *d, const fh_orgfile *f,
			  demo_rng *rng, const char *password_hash, const char *procedures_dir,
			  FILE *out, fh_error *err)
{
	const char *actor = "system:demo";
	store_org_apply_opts opts = {.procedures_dir = procedures_dir, .file_dir = FH_ORGS_DIR "/demo",
				     .actor = actor};
	fh_status s = store_org_apply(st, f, &opts, NULL, NULL, err);
	char emails[N_DEMO_ROLES][64];
	for (int i = 0; !s && i < N_DEMO_ROLES; i++) {
		snprintf(emails[i], sizeof emails[i], "%s@%s", demo_roles[i].login, d->domain);
		char name[128];
		snprintf(name, sizeof name, "%s %s (%s)", PICK(rng, given_names),
			 PICK(rng, family_names), demo_roles[i].title);
		fh_user u = {.email = emails[i], .display_name = name,
			     .password_hash = password_hash, .external = demo_roles[i].external};
		s = store_user_create(st, &u, actor, NULL, err);
	}
	/* The Head of Service leads each service, the Team Manager
	 * (adjudicating officer at Stage 1, 001 B) leads each team. */
	const char *teams[4], *services[4];
	int n_teams = file_teams(f, teams, services, 4);
	for (size_t i = 0; !s && i < f->n_services; i++)
		s = store_team_set_head(st, d->code, f->services[i].name, emails[7], actor, err);
	for (int i = 0; !s && i < n_teams; i++)
		s = store_team_set_head(st, d->code, teams[i], emails[2], actor, err);
	for (int i = 0; !s && i < N_DEMO_ROLES; i++)
		s = store_user_grant(st, emails[i], d->code, demo_roles[i].role,
				     i == 2 ? teams[0] : NULL, actor, err);
	/* A panel has three members (001 B Stage 3; 003 Stage 3): two more, named
	 * without the generator so the rest of the demo stays as it was. */
	static const char *const more_panel[][2] = {{"panel2", "Second Review Panel member"},
						    {"panel3", "Third Review Panel member"}};
	for (int i = 0; !s && i < 2; i++) {
		char email[64];
		snprintf(email, sizeof email, "%s@%s", more_panel[i][0], d->domain);
		fh_user u = {.email = email, .display_name = more_panel[i][1],
			     .password_hash = password_hash, .external = true};
		s = store_user_create(st, &u, actor, NULL, err);
		if (!s)
			s = store_user_grant(st, email, d->code, "panel_member", NULL, actor, err);
		if (!s && strcmp(d->code, "bccc"))
			s = store_user_set_independent(st, email, d->code, true, actor, err);
	}
	/* The external Investigating Officer, Independent Person
	 * and panel members are independent of the organisation, as the statutory
	 * procedures require (reg 19; 001 B Stage 2, 3); BCCC's panel is of its
	 * own trustees (003 Stage 3), so nobody there is marked. */
	for (int i = 0; !s && i < N_DEMO_ROLES; i++)
		if (demo_roles[i].external && strcmp(d->code, "bccc"))
			s = store_user_set_independent(st, emails[i], d->code, true, actor, err);
	if (!s) {
		fprintf(out, "  %-8s %s:", d->code, f->name);
		for (int i = 0; i < N_DEMO_ROLES; i++)
			fprintf(out, "%s %s", i ? "," : "", emails[i]);
		fputc('\n', out);
	}
	return s;
}

static void random_person(demo_rng *rng, const struct demo_org *d, fh_person *p, fh_arena *a,
			  const char *family)
{
	p->given_name = PICK(rng, given_names);
	p->family_name = family ? family : PICK(rng, family_names);
	p->address = arena_printf(a, "%d %s, %s", 1 + rng_below(rng, 180), PICK(rng, streets),
				  d->city);
	p->postcode = d->postcodes[rng_below(rng, 3)];
	if (rng_below(rng, 3))
		p->email = arena_printf(a, "%c.%s%d@example.org", p->given_name[0], p->family_name,
					rng_below(rng, 90) + 10);
	if (rng_below(rng, 2))
		p->phone = arena_printf(a, "07700 9%05d", rng_below(rng, 100000));
	p->preferred_contact = p->email ? "email" : "post";
}

/* Equality answers as the paper and online forms collect them (000). */
static const fh_equality *random_equality(demo_rng *rng, fh_arena *a)
{
	static const char *const languages[] = {"English", "English", "English", "Urdu", "Polish",
						"Punjabi", "Arabic", "Somali"};
	static const char *const religions[] = {"Christian", "Muslim", "No religion", "Sikh",
						"Hindu", "Prefer not to say", ""};
	static const char *const identities[] = {"White British", "Asian or Asian British: Pakistani",
						 "Black or Black British: Caribbean", "Mixed",
						 "White: other", "Asian or Asian British: Indian",
						 "Black or Black British: African", ""};
	static const char *const sexes[] = {"Female", "Male", "Female", "Prefer not to say"};
	fh_equality *e = arena_alloc(a, sizeof *e);
	e->preferred_language = PICK(rng, languages);
	e->religion = PICK(rng, religions);
	e->racial_identity = PICK(rng, identities);
	e->sex = PICK(rng, sexes);
	e->disability = rng_below(rng, 6) == 0 ? "yes" : rng_below(rng, 8) ? "no" : "prefer_not_to_say";
	e->disability_nature = strcmp(e->disability, "yes") == 0 ? "Mobility" : "";
	return e;
}


/* ---- moving demo cases along their procedures ---------------------------- */

typedef struct demo_run {
	fh_store *st;
	demo_rng *rng;
	const fh_calendar *cal;
	fh_date as_of;
	const char *org, *domain;
	char reference[FH_REFERENCE_MAX];
	json_t *last; /* the last action's result */
	fh_error *err;
} demo_run;

static const fh_actor demo_actor = {.name = "system:demo", .all_roles = true};

static fh_date wd(demo_run *r, fh_date d, int n)
{
	fh_date out = d;
	fh_error e;
	calendar_add_working_days(r->cal, d, n, &out, &e);
	return out;
}

/* Runs one action on its date; false when the date is after as_of (the case
 * stops there, as real cases stop part-way) or the action fails. */
static bool step(demo_run *r, const char *action, fh_date on, json_t *params, fh_status *s)
{
	if (*s || on > r->as_of) {
		json_decref(params);
		return false;
	}
	if (!params)
		params = json_object();
	json_object_set_new(params, "on", json_string(date_format(on, (char[DATE_ISO_LEN]){0})));
	json_decref(r->last);
	r->last = NULL;
	*s = store_case_act(r->st, r->reference, action, params, &demo_actor, r->as_of, &r->last, r->err);
	json_decref(params);
	return *s == FH_OK;
}

static const char *demo_route(demo_run *r)
{
	return json_string_value(json_object_get(json_object_get(r->last, "state"), "route"));
}

static const char *demo_user(demo_run *r, const char *login, char buf[96])
{
	snprintf(buf, 96, "%s@%s", login, r->domain);
	return buf;
}

static bool has_stage(demo_run *r, int n)
{
	json_t *proc = json_object_get(json_object_get(r->last, "state"), "procedure");
	const char *code = json_string_value(json_object_get(proc, "code"));
	if (!code)
		return false;
	/* the stages of the case's own procedure version (the example
	 * council's non-statutory cases run under two procedures by date) */
	fh_procedure *p = NULL;
	fh_error e = {0};
	if (store_procedure_get(r->st, code, (int)json_integer_value(json_object_get(proc, "version")),
				&p, &e) != FH_OK)
		return false;
	bool has = n >= 1 && (size_t)n <= p->n_stages;
	procedure_free(p);
	return has;
}

/* The stage just requested keeps its own acknowledgement clock (003 Stage
 * 2; 000 "Stage Two"; the LGSCO Code's Stage 2). */
static bool stage_acknowledges(demo_run *r)
{
	json_t *stages = json_object_get(json_object_get(r->last, "state"), "stages");
	json_t *last = json_array_get(stages, json_array_size(stages) - 1);
	return json_object_get(json_object_get(last, "clocks"), "acknowledge") != NULL;
}

static void findings(demo_run *r, int stage, size_t n_points, const fh_point *points, fh_date on,
		     fh_status *s)
{
	static const char *const outcomes[] = {"upheld", "partly_upheld", "not_upheld", "not_upheld",
					       "partly_upheld", "not_determined"};
	for (size_t i = 0; i < n_points; i++) {
		const char *outcome = PICK(r->rng, outcomes);
		json_t *p = json_pack("{si ss ss}", "point", points[i].seq ? points[i].seq : (int)i + 1,
				      "outcome", outcome, "reasoning",
				      stage == 3 ? "The panel reviewed the Stage 2 investigation of this point."
						 : "The records and the staff involved were consulted.");
		if (points[i].desired_outcome && *points[i].desired_outcome)
			json_object_set_new(p, "outcome_response",
					    json_string(!strcmp(outcome, "not_upheld")
							? "We are not able to offer this, for the reasons given."
							: "Agreed: see the actions below."));
		if (!step(r, "record_finding", on, p, s))
			return;
	}
}

static bool respond(demo_run *r, fh_date on, fh_status *s)
{
	char owner[96];
	char due[DATE_ISO_LEN];
	date_format(on + 28, due);
	json_t *p = json_pack("{ss s[{ss ss ss}]}", "learning",
			      "Teams will confirm changes of worker in writing and return calls within two working days.",
			      "actions", "action", "Team briefing on keeping families informed", "owner",
			      demo_user(r, "adjudicator", owner), "due_on", due);
	return step(r, "issue_response", on, p, s);
}

/* 001 §14.3: the customer's written, signed and dated consent to share
 * their personal information for independent consideration, given on the
 * day, from the complainant (else the first party on the case); false when
 * there is nobody to give it or the day is after as_of. */
static bool consent_to_share(demo_run *r, fh_date on, fh_status *s)
{
	if (*s || on > r->as_of)
		return false;
	fh_arena a = {0};
	fh_case c;
	int64_t person = 0;
	*s = store_case_get(r->st, r->reference, &a, &c, r->err);
	for (size_t i = 0; !*s && i < c.n_parties; i++)
		if (!person || !strcmp(c.parties[i].role, "complainant"))
			person = c.parties[i].person.id;
	if (!*s && person)
		*s = store_consent_add(r->st, r->reference, person, "independent_consideration", true,
				       true, on, demo_actor.name, r->as_of, r->err);
	arena_free(&a);
	return !*s && person;
}

static fh_status progress_case(demo_run *r, const fh_case_input *in)
{
	fh_status s = FH_OK;
	demo_rng *rng = r->rng;
	fh_date received;
	date_parse(in->received_on, &received);
	char u1[96], u2[96], u3[96];
	fh_date on = wd(r, received, 1 + rng_below(rng, 3));
	bool complaint = !strcmp(in->kind, "complaint");
	if (complaint && !step(r, "acknowledge", on, NULL, &s))
		return s;

	json_t *facts = json_object();
	fh_date grounds = received - (rng_below(rng, 10) == 0 ? 380 + rng_below(rng, 200) : rng_below(rng, 120));
	json_object_set_new(facts, "grounds_arose_on", json_string(date_format(grounds, (char[DATE_ISO_LEN]){0})));
	if (grounds + 366 < received && rng_below(rng, 2))
		json_object_set_new(facts, "accept_late_reason", json_string("The young person was not told how to complain until recently."));
	const char *rel = in->n_parties ? in->parties[0].relationship : NULL;
	if (rel && (!strcmp(rel, "relative") || !strcmp(rel, "friend")))
		json_object_set_new(facts, "sufficient_interest", json_string(rng_below(rng, 5) ? "accepted" : "refused"));
	if (json_object_get(facts, "sufficient_interest"))
		json_object_set_new(facts, "sufficient_interest_reason",
				    json_string("Weighed against what the child and their social worker said."));
	if (complaint && rng_below(rng, 25) == 0)
		json_object_set_new(facts, "exclusions", json_pack("[s]", rng_below(rng, 2) ? "already_dealt_with" : "child_protection_conference"));
	if (!step(r, "triage", on, facts, &s))
		return s;
	char route[32];
	snprintf(route, sizeof route, "%s", demo_route(r));
	if (!strcmp(route, "not_considered")) {
		step(r, "decline", on, NULL, &s);
		return s;
	}
	if (strcmp(route, "statutory") && strcmp(route, "non_statutory")) {
		step(r, "close", wd(r, on, rng_below(rng, 3)), NULL, &s);
		return s;
	}
	/* 001 §7.4: a child who refused ends the statutory complaint made for
	 * them: declined with the letter. */
	if (!strcmp(route, "statutory") && in->n_parties > 1 && in->parties[0].consent &&
	    !strcmp(in->parties[0].consent, "refused")) {
		step(r, "decline", on, NULL, &s);
		return s;
	}
	/* BCP asks the child first; the others start and wait (001 §7.4). */
	if (!strcmp(r->org, "bcp") && in->n_parties > 1 &&
	    !step(r, "consent", on, json_pack("{ss}", "consent", "given"), &s))
		return s;
	if (!step(r, "accept", on, NULL, &s))
		return s;
	fh_date accepted = on;
	if (!step(r, "assign", accepted, json_pack("{ss ss}", "role", "adjudicating_officer", "user",
						   demo_user(r, "adjudicator", u1)), &s))
		return s;
	if (in->n_parties > 1 && strcmp(r->org, "bcp") &&
	    !step(r, "consent", wd(r, on, rng_below(rng, 4)), json_pack("{ss}", "consent", "given"), &s))
		return s;
	fh_date due1 = wd(r, accepted, 4 + rng_below(rng, 18));
	if (!strcmp(r->org, "bccc"))
		due1 = accepted + 7 + rng_below(rng, 28);
	findings(r, 1, in->n_points, in->points, due1, &s);
	if (s || !respond(r, due1, &s))
		return s;

	int stage = 1;
	fh_date last = due1;
	while (stage < 3 && has_stage(r, stage + 1) && rng_below(rng, 100) < (stage == 1 ? 22 : 35)) {
		fh_date req = !strcmp(r->org, "bccc") ? last + 3 + rng_below(rng, 9) : wd(r, last, 2 + rng_below(rng, 16));
		if (!step(r, "request_escalation", req, json_pack("{ss}", "reason", "Still unhappy with how the points were answered."), &s))
			return s;
		fh_date acc = !strcmp(r->org, "bccc") ? req : wd(r, req, 1 + rng_below(rng, 3));
		/* Stage 2's own acknowledgement, where its procedure has one: 003
		 * Stage 2 (1 week), BCT statutory (2 working days, 000 "Stage
		 * Two"), the LGSCO Code's Stage 2 (5 working days) */
		if (stage == 1 && stage_acknowledges(r) &&
		    !step(r, "acknowledge", !strcmp(r->org, "bccc") ? req : wd(r, req, 1), NULL, &s))
			return s;
		if (!step(r, "accept_escalation", acc, NULL, &s))
			return s;
		stage++;
		bool statutory = !strcmp(route, "statutory");
		fh_date reply;
		if (stage == 2) {
			/* bct-statutory shares Stage 2 only after written consent (001 §14.3) */
			if (statutory && !strcmp(r->org, "bct") && !consent_to_share(r, req, &s))
				return s;
			if (statutory || !strcmp(r->org, "bccc")) {
				if (!step(r, "assign", acc, json_pack("{ss ss}", "role", "investigating_officer", "user", demo_user(r, "investigator", u1)), &s))
					return s;
			} else if (!step(r, "assign", acc, json_pack("{ss ss}", "role", "reviewing_officer", "user", demo_user(r, "reviewer", u1)), &s)) {
				return s;
			}
			if (statutory && !step(r, "assign", acc, json_pack("{ss ss}", "role", "independent_person", "user", demo_user(r, "independent", u2)), &s))
				return s;
			fh_date start = acc;
			if (!strcmp(r->org, "bct") && statutory) {
				start = wd(r, acc, 3 + rng_below(rng, 8));
				if (!step(r, "agree_statement", start, NULL, &s))
					return s;
			}
			reply = !strcmp(r->org, "bccc") ? acc + 14 + rng_below(rng, 20) : wd(r, start, 15 + rng_below(rng, 25));
			if (statutory && wd(r, start, 25) < reply &&
			    !step(r, "extend", wd(r, start, 20), json_pack("{si ss ss ss}", "to", 65, "reason", "Several services to interview.", "because", "complex", "notice_on", date_format(wd(r, start, 20), (char[DATE_ISO_LEN]){0})), &s))
				return s;
			if (statutory) {
				if (!step(r, "record_report", wd(r, reply, -2), json_pack("{ss ss}", "kind", "io", "summary", "Findings on each point, comments on the desired outcomes and four recommendations."), &s) ||
				    !step(r, "record_report", wd(r, reply, -1), json_pack("{ss ss}", "kind", "ip", "summary", "The investigation was thorough and fair."), &s))
					return s;
			}
		} else {
			if (!step(r, "assign", acc, json_pack("{ss ss sb}", "role", "panel_member", "user", demo_user(r, "panel", u1), "chair", strcmp(r->org, "bccc") != 0), &s) ||
			    !step(r, "assign", acc, json_pack("{ss ss}", "role", "panel_member", "user", demo_user(r, "panel2", u2)), &s) ||
			    !step(r, "assign", acc, json_pack("{ss ss}", "role", "panel_member", "user", demo_user(r, "panel3", u3)), &s))
				return s;
			fh_date panel = !strcmp(r->org, "bccc") ? acc + 10 : wd(r, acc, 18 + rng_below(rng, 10));
			if (!step(r, "schedule_panel", acc, json_pack("{ss ss}", "date", date_format(panel, (char[DATE_ISO_LEN]){0}), "place", "Meeting room 2, main office"), &s))
				return s;
			if (strcmp(r->org, "bccc") && !step(r, "send_invitation", wd(r, panel, -12), NULL, &s))
				return s;
			if (!step(r, "record_panel", panel, NULL, &s))
				return s;
			reply = panel + 14;
			if (strcmp(r->org, "bccc")) {
				fh_date report = wd(r, panel, 3 + rng_below(rng, 3));
				if (!step(r, "issue_chair_report", report, json_pack("{ss}", "summary", "The panel found the Stage 2 investigation adequate, with two further recommendations."), &s))
					return s;
				reply = wd(r, report, 8 + rng_below(rng, 10));
			}
		}
		findings(r, stage, in->n_points, in->points, reply, &s);
		if (s || !respond(r, reply, &s))
			return s;
		last = reply;
	}
	if (rng_below(rng, 10) < 7)
		step(r, "close", !strcmp(r->org, "bccc") ? last + 15 : wd(r, last, 21), NULL, &s);
	return s;
}

static fh_status load_case(fh_store *st, fh_orgfile *const *files, demo_rng *rng,
			   const fh_calendar *cal, fh_date as_of,
			   fh_error *err)
{
	static const int org_weights[] = {45, 25, 10, 20};
	static const char *const kinds[] = {"complaint", "compliment", "comment", "enquiry"};
	static const int kind_weights[] = {72, 14, 9, 5};
	static const char *const channels[] = {"email", "online_form", "phone", "letter",
					       "paper_form", "in_person"};
	static const int channel_weights[] = {30, 25, 25, 10, 5, 5};
	/* Who complains, and for whom (001 §7.2, §7.3, §7.10). */
	static const char *const relationships[] = {"self", "parent", "foster_carer",
						    "special_guardian", "advocate", "relative",
						    "adult"};
	static const int relationship_weights[] = {25, 35, 10, 5, 8, 7, 10};
	static const char *const child_statuses[] = {"looked_after", "looked_after", "child_in_need",
						     "care_leaver", "special_guardianship",
						     "formerly_looked_after"};
	static const char *const consents[] = {"given", "given", "given", "not_asked", "requested",
					       "refused"};

	fh_arena a = ARENA_INIT;
	const struct demo_org *d = &demo_orgs[rng_weighted(rng, org_weights, N_DEMO_ORGS)];
	bool contact_centre = strcmp(d->code, "bccc") == 0;
	int kind = rng_weighted(rng, kind_weights, 4);
	if (contact_centre && kind == 3)
		kind = 0; /* a charity gets no MP enquiries in this sample */
	const char *channel = channels[rng_weighted(rng, channel_weights, 6)];
	fh_date received = as_of - rng_below(rng, 548);
	if (date_is_weekend(received))
		received -= date_weekday(received) - 4; /* back to the Friday */
	char received_iso[DATE_ISO_LEN];
	date_format(received, received_iso);

	const char *teams[4], *services[4];
	int n_teams = file_teams(files[d - demo_orgs], teams, services, 4);
	fh_case_input in = {.org_code = d->code, .kind = kinds[kind], .channel = channel,
			    .received_on = received_iso, .team = teams[rng_below(rng, n_teams)]};
	fh_party *parties = arena_array(&a, 3, sizeof *parties);
	fh_point *points = arena_array(&a, 3, sizeof *points);
	in.parties = parties;
	in.points = points;
	if (!strcmp(channel, "phone") || !strcmp(channel, "in_person"))
		in.received_by = arena_printf(&a, "%s %s", PICK(rng, given_names),
					      PICK(rng, family_names));

	if (kind == 3) { /* enquiry: a councillor or MP for a constituent (000) */
		bool mp = rng_below(rng, 3) == 0;
		parties[0].role = mp ? "mp" : "councillor";
		random_person(rng, d, &parties[0].person, &a, NULL);
		parties[0].person.title = mp ? "MP" : "Cllr";
		parties[0].correspond = true;
		parties[1].role = "complainant";
		parties[1].relationship = "parent";
		random_person(rng, d, &parties[1].person, &a, NULL);
		in.n_parties = 2;
		in.summary = arena_printf(&a, "%s %s asks on behalf of a constituent about delays",
					  parties[0].person.title, parties[0].person.family_name);
	} else if (kind == 0 && rng_below(rng, 30) == 0) { /* anonymous (001 §7.7) */
		in.anonymous = true;
		in.channel = "letter";
	} else {
		int rel = rng_weighted(rng, relationship_weights, 7);
		fh_party *complainant = &parties[in.n_parties++];
		complainant->role = "complainant";
		random_person(rng, d, &complainant->person, &a, NULL);
		if (!strcmp(channel, "online_form") || !strcmp(channel, "paper_form")) {
			if (rng_below(rng, 5) < 3)
				complainant->person.equality = random_equality(rng, &a);
		}
		if (rel == 0 && !contact_centre) { /* a young person for themselves */
			complainant->relationship = "self";
			complainant->child_status = PICK(rng, child_statuses);
			complainant->person.date_of_birth = arena_printf(
				&a, "%04d-%02d-%02d", 2004 + rng_below(rng, 10), 1 + rng_below(rng, 12),
				1 + rng_below(rng, 28));
		} else if (rel == 6 || contact_centre) { /* an adult about their own service */
			complainant->relationship = "self";
		} else {
			complainant->relationship = relationships[rel];
			complainant->consent = PICK(rng, consents);
			if (!strcmp(complainant->consent, "given"))
				complainant->consent_on = received_iso;
			fh_party *child = &parties[in.n_parties++];
			child->role = "child";
			child->child_status = PICK(rng, child_statuses);
			random_person(rng, d, &child->person, &a,
				      rel == 1 ? complainant->person.family_name : NULL);
			child->person.email = NULL;
			child->person.phone = NULL;
			child->person.date_of_birth = arena_printf(
				&a, "%04d-%02d-%02d", 2008 + rng_below(rng, 16), 1 + rng_below(rng, 12),
				1 + rng_below(rng, 28));
		}
		if (kind == 0) {
			int n = 1 + rng_below(rng, 3);
			for (int i = 0; i < n; i++) {
				const struct demo_point *p =
					contact_centre ? &PICK(rng, contact_centre_points)
						       : &PICK(rng, social_care_points);
				points[i].summary = p->summary;
				points[i].desired_outcome = p->outcome;
			}
			in.n_points = (size_t)n;
			in.summary = points[0].summary;
			in.confidential = contact_centre && rng_below(rng, 8) == 0;
		} else {
			in.summary = kind == 1 ? PICK(rng, compliments) : PICK(rng, comments);
		}
	}
	if (!in.summary) {
		const struct demo_point *p = &PICK(rng, social_care_points);
		points[0].summary = p->summary;
		points[0].desired_outcome = p->outcome;
		in.n_points = 1;
		in.summary = p->summary;
	}
	demo_run run = {.st = st, .rng = rng, .cal = cal, .as_of = as_of, .org = d->code,
			.domain = d->domain, .err = err};
	fh_status s = case_input_validate(&in, as_of, err);
	if (!s)
		s = store_case_create(st, &in, "system:demo", run.reference, err);
	if (!s)
		s = progress_case(&run, &in);
	if (s) {
		/* Say which case and step broke, since the demo should never fail. */
		char msg[sizeof err->message];
		snprintf(msg, sizeof msg, "demo case %s: %s%s%s", run.reference, err->field,
			 *err->field ? ": " : "", err->message);
		snprintf(err->message, sizeof err->message, "%s", msg);
		err->field[0] = '\0';
	}
	json_decref(run.last);
	arena_free(&a);
	return s;
}

/* orgs/demo/CODE.json, checked. */
static fh_status read_demo_file(const char *code, fh_orgfile **out, fh_error *err)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/demo/%s.json", FH_ORGS_DIR, code);
	FILE *fp = fopen(path, "rb");
	char text[1 << 16];
	size_t n = fp ? fread(text, 1, sizeof text - 1, fp) : 0;
	if (fp)
		fclose(fp);
	if (!n || n == sizeof text - 1)
		return error_set(err, FH_ENOTFOUND, "demo", NULL, "cannot read %s", path);
	text[n] = '\0';
	proc_problems problems;
	fh_status s = orgfile_parse(text, out, &problems, err);
	if (s) {
		char msg[sizeof err->message];
		snprintf(msg, sizeof msg, "%s: %s: %s", path, err->field, err->message);
		error_set(err, s, "demo", NULL, "%s", msg);
	}
	return s;
}

fh_status demo_load(fh_store *st, fh_date as_of, const char *password_hash,
		    const char *procedures_dir, FILE *out, fh_error *err)
{
	demo_rng rng = {.state = 20261123};
	fh_orgfile *files[N_DEMO_ORGS] = {0};
	fh_status s = FH_OK;
	for (int i = 0; !s && i < N_DEMO_ORGS; i++)
		s = read_demo_file(demo_orgs[i].code, &files[i], err);
	fh_calendar *cal = NULL;
	if (!s)
		s = calendar_create_named(CALENDAR_DEFAULT_REGION, NULL, &cal, err);
	if (!s && (s = store_begin(st, err)))
		calendar_free(cal);
	if (s) {
		for (int i = 0; i < N_DEMO_ORGS; i++)
			orgfile_free(files[i]);
		return s;
	}
	fprintf(out, "demo sign-ins (password for every one: %s):\n", DEMO_PASSWORD);
	for (int i = 0; !s && i < N_DEMO_ORGS; i++)
		s = load_org(st, &demo_orgs[i], files[i], &rng, password_hash, procedures_dir, out,
			     err);
	int installed = 0;
	if (!s)
		s = store_procedure_install_dir(st, procedures_dir, "system:demo", &installed, err);
	for (int i = 0; !s && i < DEMO_CASES; i++)
		s = load_case(st, files, &rng, cal, as_of, err);
	calendar_free(cal);
	for (int i = 0; i < N_DEMO_ORGS; i++)
		orgfile_free(files[i]);
	if (s) {
		store_rollback(st);
		return s;
	}
	s = store_commit(st, err);
	if (!s) {
		char iso[DATE_ISO_LEN];
		fprintf(out, "loaded %d organisations and %d cases received in the 18 months to %s\n",
			N_DEMO_ORGS, DEMO_CASES, date_format(as_of, iso));
	}
	return s;
}
