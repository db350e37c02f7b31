/*
 * fairhearing case add | list | show: recording and reading cases from the
 * shell, through the same validation and store calls the server uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "case_json.h"
#include "cli.h"
#include "store.h"
#include "store_lifecycle.h"
#include "store_behaviour.h"
#include "lifecycle.h"

static const char usage[] =
	"fairhearing case add|list|show|act|actions --db PATH [OPTIONS] (fairhearing case --help)";

static void help(void)
{
	printf(
"usage: fairhearing case add  --db PATH --org ORG [--json FILE|-] [OPTIONS]\n"
"       fairhearing case list --db PATH [--org ORG] [--kind K] [--state S]\n"
"                             [--from DATE] [--to DATE] [--limit N] [--offset N]\n"
"                             [--after CURSOR] [--json]\n"
"       fairhearing case show --db PATH [--json] REFERENCE\n"
"       fairhearing case act  --db PATH [--actor NAME] [--json] [--params FILE|-]\n"
"                             REFERENCE ACTION [KEY=VALUE | KEY:=JSON]...\n"
"       fairhearing case actions\n"
"\n"
"case add records a complaint, comment, compliment or councillor/MP enquiry\n"
"and prints its reference (for example BCT-2026-00042). Give the whole case as\n"
"JSON (--json FILE, or - for standard input; the shape is in docs/cases.md), or\n"
"the common fields as options:\n"
"  --org ORG             organisation code (bct, bcp, bccc, example, ...)\n"
"  --kind K              complaint | comment | compliment | enquiry\n"
"  --channel C           in_person | phone | letter | email | paper_form | online_form\n"
"  --received DATE       the date it was received (YYYY-MM-DD; default today)\n"
"  --received-by NAME    the member of staff it was made to\n"
"  --summary TEXT        one line saying what it is about (required)\n"
"  --details TEXT        what happened, in the customer's words\n"
"  --service TEXT        the service it is about\n"
"  --team NAME           the team concerned\n"
"  --anonymous           no named complainant (001 §7.7)\n"
"  --confidential        private and confidential (003: about the coordinator)\n"
"  --complainant NAME    the complainant's name (\"Given Family\")\n"
"  --relationship R      the complainant's relationship to the child (self, parent,\n"
"                        foster_carer, advocate, sufficient_interest, ...)\n"
"  --email E  --phone P  --address A  --postcode P   the complainant's contact details\n"
"  --child NAME          the child or young person the complaint is about\n"
"  --child-status S      looked_after, child_in_need, care_leaver, ... (001 §7.2);\n"
"                        without --child, the complainant's own (with --relationship self)\n"
"  --child-dob DATE      the child's date of birth\n"
"  --consent STATE       the child's consent to the complainant acting (not_asked,\n"
"                        requested, given, refused, unable)\n"
"  --point TEXT          a complaint point (repeat for each)\n"
"  --outcome TEXT        what the customer wants done about the point before it\n"
"  --actor EMAIL         who is recording it (default cli:$USER)\n"
"\n"
"case list prints cases newest first (tab-separated, or JSON with --json).\n"
"When more follow, it ends with the next page's cursor (\"next page: --after\n"
"CURSOR\" on standard error, \"next\" in JSON): pass it as --after for the page\n"
"after. Counts stop at 1000 (\"more than 1000\"; total_is_lower_bound in JSON).\n"
"case show prints one case with its stage and every open deadline; --json gives\n"
"everything, with its history and handling state.\n"
"\n"
"case act applies one lifecycle action (acknowledge, triage, accept, assign,\n"
"extend, record_finding, issue_response, request_escalation, ...) as the\n"
"case's procedure allows it now, and prints the stage and deadlines after it.\n"
"Parameters are KEY=VALUE (text) or KEY:=JSON (lists and objects), or a JSON\n"
"object from --params; `on=DATE` dates the action (default today). A refused\n"
"action prints the rule and its source, changes nothing and exits 2.\n"
"`case actions` lists every action and its parameters; docs/procedures.md\n"
"explains them with a worked example per organisation.\n");
}

typedef struct case_opts {
	const char *db, *json_file, *actor;
	fh_case_input in;
	fh_party parties[3];
	fh_point points[MODEL_MAX_POINTS];
	const char *complainant, *child;
} case_opts;

/* "Given Family Name" -> given "Given", family "Family Name"; one word: family. */
static void split_name(const char *name, fh_person *p, fh_arena *a)
{
	const char *space = strchr(name, ' ');
	if (!space) {
		p->family_name = name;
		return;
	}
	p->given_name = arena_strndup(a, name, (size_t)(space - name));
	while (*space == ' ')
		space++;
	p->family_name = space;
}

static int load_json_input(const char *file, fh_arena *arena, fh_case_input *in)
{
	char *text = cli_read_file(file);
	if (!text)
		return cli_usage_error(usage, "case add: cannot read %s (or it is over 16 MiB)", file);
	json_error_t jerr;
	json_t *obj = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (!obj)
		return cli_usage_error(usage, "case add: %s: line %d: %s", file, jerr.line, jerr.text);
	fh_error err = {0};
	fh_status s = case_input_from_json(obj, arena, in, &err);
	json_decref(obj);
	return s ? cli_report(&err) : CLI_OK;
}

static int case_add(int argc, char **argv)
{
	enum { O_DB = 256, O_ORG, O_KIND, O_CHANNEL, O_RECEIVED, O_RECEIVED_BY, O_SUMMARY,
	       O_DETAILS, O_SERVICE, O_TEAM, O_ANON, O_CONF, O_COMPLAINANT, O_REL, O_EMAIL,
	       O_PHONE, O_ADDRESS, O_POSTCODE, O_CHILD, O_CHILD_STATUS, O_CHILD_DOB, O_CONSENT,
	       O_POINT, O_OUTCOME, O_ACTOR, O_JSON };
	static const struct option opts[] = {
		{"db", required_argument, NULL, O_DB}, {"org", required_argument, NULL, O_ORG},
		{"kind", required_argument, NULL, O_KIND},
		{"channel", required_argument, NULL, O_CHANNEL},
		{"received", required_argument, NULL, O_RECEIVED},
		{"received-by", required_argument, NULL, O_RECEIVED_BY},
		{"summary", required_argument, NULL, O_SUMMARY},
		{"details", required_argument, NULL, O_DETAILS},
		{"service", required_argument, NULL, O_SERVICE},
		{"team", required_argument, NULL, O_TEAM}, {"anonymous", no_argument, NULL, O_ANON},
		{"confidential", no_argument, NULL, O_CONF},
		{"complainant", required_argument, NULL, O_COMPLAINANT},
		{"relationship", required_argument, NULL, O_REL},
		{"email", required_argument, NULL, O_EMAIL},
		{"phone", required_argument, NULL, O_PHONE},
		{"address", required_argument, NULL, O_ADDRESS},
		{"postcode", required_argument, NULL, O_POSTCODE},
		{"child", required_argument, NULL, O_CHILD},
		{"child-status", required_argument, NULL, O_CHILD_STATUS},
		{"child-dob", required_argument, NULL, O_CHILD_DOB},
		{"consent", required_argument, NULL, O_CONSENT},
		{"point", required_argument, NULL, O_POINT},
		{"outcome", required_argument, NULL, O_OUTCOME},
		{"actor", required_argument, NULL, O_ACTOR}, {"json", required_argument, NULL, O_JSON},
		{"help", no_argument, NULL, 'h'}, {0}};
	fh_arena arena = ARENA_INIT;
	case_opts *o = arena_alloc(&arena, sizeof *o);
	fh_party *complainant = &o->parties[0], *child = &o->parties[1];
	complainant->role = "complainant";
	child->role = "child";
	bool complainant_fields = false;
	int rc = CLI_OK, c;
	optind = 0;
	while (rc == CLI_OK && (c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case O_DB: o->db = optarg; break;
		case O_ORG: o->in.org_code = optarg; break;
		case O_KIND: o->in.kind = optarg; break;
		case O_CHANNEL: o->in.channel = optarg; break;
		case O_RECEIVED: o->in.received_on = optarg; break;
		case O_RECEIVED_BY: o->in.received_by = optarg; break;
		case O_SUMMARY: o->in.summary = optarg; break;
		case O_DETAILS: o->in.details = optarg; break;
		case O_SERVICE: o->in.service = optarg; break;
		case O_TEAM: o->in.team = optarg; break;
		case O_ANON: o->in.anonymous = true; break;
		case O_CONF: o->in.confidential = true; break;
		case O_COMPLAINANT: o->complainant = optarg; break;
		case O_REL: complainant->relationship = optarg; complainant_fields = true; break;
		case O_EMAIL: complainant->person.email = optarg; complainant_fields = true; break;
		case O_PHONE: complainant->person.phone = optarg; complainant_fields = true; break;
		case O_ADDRESS: complainant->person.address = optarg; complainant_fields = true; break;
		case O_POSTCODE: complainant->person.postcode = optarg; complainant_fields = true; break;
		case O_CHILD: o->child = optarg; break;
		case O_CHILD_STATUS: child->child_status = optarg; break;
		case O_CHILD_DOB: child->person.date_of_birth = optarg; break;
		case O_CONSENT: complainant->consent = optarg; complainant_fields = true; break;
		case O_POINT:
			if (o->in.n_points == MODEL_MAX_POINTS)
				rc = cli_usage_error(usage, "case add: at most %d points", MODEL_MAX_POINTS);
			else
				o->points[o->in.n_points++].summary = optarg;
			break;
		case O_OUTCOME:
			if (o->in.n_points == 0)
				rc = cli_usage_error(usage, "case add: --outcome follows the --point it "
							    "belongs to");
			else
				o->points[o->in.n_points - 1].desired_outcome = optarg;
			break;
		case O_ACTOR: o->actor = optarg; break;
		case O_JSON: o->json_file = optarg; break;
		default:
			rc = cli_option_error(usage, "case add", c, argv);
		}
	}
	if (rc == CLI_OK && optind < argc)
		rc = cli_usage_error(usage, "case add: unexpected argument '%s'", argv[optind]);
	if (rc == CLI_OK && !o->db)
		rc = cli_usage_error(usage, "case add: --db PATH is required");
	fh_date today;
	if (rc == CLI_OK && !cli_today(&today))
		rc = cli_usage_error(usage, "case add: FAIRHEARING_TODAY is not a date (YYYY-MM-DD)");
	char today_iso[DATE_ISO_LEN];
	if (rc == CLI_OK && o->json_file) {
		const char *org = o->in.org_code;
		rc = load_json_input(o->json_file, &arena, &o->in);
		if (org && !o->in.org_code)
			o->in.org_code = org;
	} else if (rc == CLI_OK) {
		if (!o->in.received_on)
			o->in.received_on = date_format(today, today_iso);
		size_t n = 0;
		if (o->complainant) {
			split_name(o->complainant, &complainant->person, &arena);
			n++;
		} else if (complainant_fields) {
			rc = cli_usage_error(usage, "case add: contact details need --complainant NAME");
		}
		if (o->child) {
			split_name(o->child, &child->person, &arena);
			o->parties[n++] = *child;
		} else if (child->child_status && o->complainant) {
			/* A young person complaining for themselves (001 §7.2). */
			complainant->child_status = child->child_status;
			complainant->person.date_of_birth = child->person.date_of_birth;
		}
		o->in.parties = o->parties;
		o->in.n_parties = n;
		o->in.points = o->points;
	}
	fh_error err = {0};
	fh_store *st = NULL;
	if (rc == CLI_OK && case_input_validate(&o->in, today, &err))
		rc = cli_report(&err);
	if (rc == CLI_OK && store_open(o->db, 0, &st, &err))
		rc = cli_report(&err);
	char reference[FH_REFERENCE_MAX];
	if (rc == CLI_OK && store_case_create(st, &o->in, cli_actor(o->actor), reference, &err))
		rc = cli_report(&err);
	if (rc == CLI_OK)
		printf("%s\n", reference);
	store_close(st);
	arena_free(&arena);
	return rc;
}

static int case_list(int argc, char **argv)
{
	enum { O_DB = 256, O_ORG, O_KIND, O_STATE, O_FROM, O_TO, O_LIMIT, O_OFFSET, O_AFTER,
	       O_JSON };
	static const struct option opts[] = {
		{"after", required_argument, NULL, O_AFTER},
		{"db", required_argument, NULL, O_DB}, {"org", required_argument, NULL, O_ORG},
		{"kind", required_argument, NULL, O_KIND}, {"state", required_argument, NULL, O_STATE},
		{"from", required_argument, NULL, O_FROM}, {"to", required_argument, NULL, O_TO},
		{"limit", required_argument, NULL, O_LIMIT},
		{"offset", required_argument, NULL, O_OFFSET}, {"json", no_argument, NULL, O_JSON},
		{"help", no_argument, NULL, 'h'}, {0}};
	const char *db = NULL;
	bool as_json = false;
	store_case_filter f = {0};
	store_cursor after;
	int c;
	optind = 0;
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		char *end;
		fh_date d;
		switch (c) {
		case O_DB: db = optarg; break;
		case O_ORG: f.org_code = optarg; break;
		case O_AFTER:
			if (!store_cursor_parse(optarg, &after))
				return cli_usage_error(usage, "case list: --after: '%s' is not a cursor "
						       "printed by case list", optarg);
			f.after = &after;
			break;
		case O_KIND:
			if (!model_is_one_of(MODEL_KINDS, optarg))
				return cli_usage_error(usage, "case list: --kind: '%s' is not one of "
					"complaint, comment, compliment, enquiry", optarg);
			f.kind = optarg;
			break;
		case O_STATE:
			if (!model_is_one_of(MODEL_CASE_STATES, optarg))
				return cli_usage_error(usage, "case list: --state: '%s' is not one of "
					"received, open, suspended, closed, withdrawn", optarg);
			f.state = optarg;
			break;
		case O_FROM:
		case O_TO:
			if (!date_parse(optarg, &d))
				return cli_usage_error(usage, "case list: --%s: '%s' is not a real date "
						       "(YYYY-MM-DD)", c == O_FROM ? "from" : "to", optarg);
			*(c == O_FROM ? &f.received_from : &f.received_to) = optarg;
			break;
		case O_LIMIT:
		case O_OFFSET: {
			long v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || v < 0 || v > 1000000 ||
			    (c == O_LIMIT && (v < 1 || v > 1000)))
				return cli_usage_error(usage, "case list: --%s: '%s' is not a number in "
					"range (limit 1..1000)", c == O_LIMIT ? "limit" : "offset", optarg);
			*(c == O_LIMIT ? &f.limit : &f.offset) = (size_t)v;
			break;
		}
		case O_JSON: as_json = true; break;
		default:
			return cli_option_error(usage, "case list", c, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(usage, "case list: unexpected argument '%s'", argv[optind]);
	if (!db)
		return cli_usage_error(usage, "case list: --db PATH is required");
	fh_error err = {0};
	fh_store *st;
	if (store_open(db, 0, &st, &err))
		return cli_report(&err);
	fh_arena arena = ARENA_INIT;
	fh_case *cases;
	size_t count;
	store_page page;
	int rc = CLI_OK;
	fh_org org;
	if (f.org_code && store_org_get(st, f.org_code, &arena, &org, &err))
		rc = cli_report(&err);
	else if (store_case_list(st, &f, &arena, &cases, &count, &page, &err))
		rc = cli_report(&err);
	else if (as_json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < count; i++)
			json_array_append_new(arr, case_summary_to_json(&cases[i]));
		json_t *out = json_pack("{so sI sb sI sI so}", "cases", arr, "total",
					(json_int_t)page.total, "total_is_lower_bound",
					page.total_capped, "offset", (json_int_t)f.offset, "count",
					(json_int_t)count, "next",
					page.next[0] ? json_string(page.next) : json_null());
		json_dumpf(out, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(out);
	} else {
		for (size_t i = 0; i < count; i++)
			printf("%s\t%s\t%s\t%s\t%s\t%s\n", cases[i].reference, cases[i].received_on,
			       cases[i].kind, cases[i].state, cases[i].route, cases[i].summary);
		fprintf(stderr, "%zu of %s%zu cases shown\n", count,
			page.total_capped ? "more than " : "",
			page.total_capped ? (size_t)STORE_COUNT_CAP : page.total);
		if (page.next[0])
			fprintf(stderr, "next page: --after %s\n", page.next);
	}
	arena_free(&arena);
	store_close(st);
	return rc;
}

static void print_party(const fh_party *p)
{
	const fh_person *q = &p->person;
	printf("  %-14s %s%s%s%s%s", p->role, q->given_name, *q->given_name ? " " : "",
	       q->family_name, *q->organisation ? ", " : "", q->organisation);
	if (*p->relationship)
		printf(" (%s)", p->relationship);
	if (*p->child_status)
		printf(" [%s]", p->child_status);
	if (strcmp(p->consent, "not_needed") != 0)
		printf(" consent: %s", p->consent);
	putchar('\n');
}

/* The options case show and case act share, as each declares them. */
enum { CO_DB = 256, CO_ACTOR, CO_JSON, CO_PARAMS };
typedef struct case_options {
	const char *db, *actor, *params_file;
	bool as_json;
} case_options;

/* Reads opts (a subset of the above) into o; --db is required. */
static int read_case_options(int argc, char **argv, const char *command,
			     const struct option *opts, case_options *o)
{
	*o = (case_options){0};
	int c;
	optind = 0;
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case CO_DB: o->db = optarg; break;
		case CO_ACTOR: o->actor = optarg; break;
		case CO_JSON: o->as_json = true; break;
		case CO_PARAMS: o->params_file = optarg; break;
		default:
			return cli_option_error(usage, command, c, argv);
		}
	}
	if (!o->db)
		return cli_usage_error(usage, "%s: --db PATH is required", command);
	return CLI_OK;
}

static void print_handling(const json_t *state, const json_t *deadlines);

static int case_show(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, CO_DB},
					     {"json", no_argument, NULL, CO_JSON},
					     {"help", no_argument, NULL, 'h'}, {0}};
	case_options opt;
	int bad = read_case_options(argc, argv, "case show", opts, &opt);
	if (bad != CLI_OK)
		return bad;
	const char *db = opt.db;
	bool as_json = opt.as_json;
	if (argc - optind != 1)
		return cli_usage_error(usage, "case show: give one case reference");
	fh_error err = {0};
	fh_store *st;
	if (store_open(db, 0, &st, &err))
		return cli_report(&err);
	fh_arena arena = ARENA_INIT;
	fh_case k;
	int rc = CLI_OK;
	fh_date today;
	json_t *handling = NULL, *restrictions = NULL;
	fh_actor who = {.name = cli_actor(NULL), .all_roles = true};
	if (!cli_today(&today)) {
		rc = cli_usage_error(usage, "case show: FAIRHEARING_TODAY is not a date (YYYY-MM-DD)");
	} else if (store_case_get(st, argv[optind], &arena, &k, &err) ||
		   store_case_lifecycle(st, argv[optind], &who, today, false, &handling, &err) ||
		   store_case_restrictions(st, k.id, &restrictions, &err)) {
		rc = cli_report(&err);
	} else if (as_json) {
		json_t *o = case_to_json(&k, 1);
		json_object_set(o, "restrictions", restrictions);
		json_object_set(o, "handling", json_object_get(handling, "state"));
		json_object_set(o, "deadlines", json_object_get(handling, "deadlines"));
		json_object_set(o, "allowed_actions", json_object_get(handling, "allowed"));
		json_dumpf(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
	} else {
		printf("%s  %s (%s)\n", k.reference, k.org_name, k.org_code);
		printf("%s by %s, received %s; %s, route %s, stage %d\n", k.kind, k.channel,
		       k.received_on, k.state, k.route, k.stage);
		printf("summary: %s\n", k.summary);
		if (*k.details)
			printf("details: %s\n", k.details);
		if (k.team)
			printf("team: %s\n", k.team);
		if (k.n_parties)
			puts("parties:");
		for (size_t i = 0; i < k.n_parties; i++)
			print_party(&k.parties[i]);
		if (k.n_points)
			puts("points:");
		for (size_t i = 0; i < k.n_points; i++) {
			printf("  %d. %s\n", k.points[i].seq, k.points[i].summary);
			if (*k.points[i].desired_outcome)
				printf("     wants: %s\n", k.points[i].desired_outcome);
		}
		/* 001 Appendix A: a restriction of contact on anyone on the case */
		size_t ri;
		json_t *r;
		json_array_foreach(restrictions, ri, r)
			printf("restriction of contact on person %lld: %s, %s to %s%s%s\n",
			       (long long)json_integer_value(json_object_get(r, "person_id")),
			       json_string_value(json_object_get(r, "kind")),
			       json_string_value(json_object_get(r, "starts_on")),
			       json_string_value(json_object_get(r, "ends_on")),
			       json_is_string(json_object_get(r, "lifted_on")) ? " (lifted)" : "",
			       json_is_true(json_object_get(r, "decision_needed"))
				       ? "; decide whether it applies to this complaint" : "");
		print_handling(json_object_get(handling, "state"), json_object_get(handling, "deadlines"));
		json_t *allowed = json_object_get(handling, "allowed");
		size_t ai;
		json_t *av;
		printf("actions allowed now:");
		json_array_foreach(allowed, ai, av)
			printf(" %s", json_string_value(av));
		putchar('\n');
		puts("history:");
		for (size_t i = 0; i < k.n_events; i++) {
			char note[MODEL_ERASED_NOTE_MAX];
			const char *why = model_event_reason(&k.events[i], note);
			printf("  %s  %-14s %s%s%s\n", k.events[i].at, k.events[i].action,
			       k.events[i].actor, *why ? ": " : "", why);
		}
	}
	json_decref(handling);
	json_decref(restrictions);
	arena_free(&arena);
	store_close(st);
	return rc;
}

static void print_deadlines(const json_t *deadlines)
{
	size_t i;
	json_t *d;
	json_array_foreach(deadlines, i, d) {
		const char *due = json_string_value(json_object_get(d, "due"));
		int stage = (int)json_integer_value(json_object_get(d, "stage"));
		char where[16];
		snprintf(where, sizeof where, stage ? "stage %d" : "case", stage);
		if (!due) {
			printf("  %-8s %-13s waiting for %s\n", where,
			       json_string_value(json_object_get(d, "clock")),
			       json_string_value(json_object_get(d, "waiting_for")));
			continue;
		}
		printf("  %-8s %-13s due %s  (%lld %s: %lld taken, %lld left%s%s)  [%s]\n", where,
		       json_string_value(json_object_get(d, "clock")), due,
		       (long long)json_integer_value(json_object_get(d, "limit")),
		       json_string_value(json_object_get(d, "unit")),
		       (long long)json_integer_value(json_object_get(d, "taken")),
		       (long long)json_integer_value(json_object_get(d, "left")),
		       json_integer_value(json_object_get(d, "overdue")) ? ", OVERDUE" : "",
		       json_is_true(json_object_get(d, "stopped")) ? ", clock stopped" : "",
		       json_string_value(json_object_get(d, "source")));
	}
}

static void print_handling(const json_t *state, const json_t *deadlines)
{
	const json_t *proc = json_object_get(state, "procedure");
	printf("%s, route %s", json_string_value(json_object_get(state, "status")),
	       json_string_value(json_object_get(state, "route")));
	if (json_is_object(proc))
	{
		json_int_t n = json_integer_value(json_object_get(state, "stage"));
		const json_t *stage = n > 0 ? json_array_get(json_object_get(state, "stages"), (size_t)n - 1) : NULL;
		printf(", procedure %s v%lld, stage %lld (%s)", json_string_value(json_object_get(proc, "code")),
		       (long long)json_integer_value(json_object_get(proc, "version")), (long long)n,
		       stage ? json_string_value(json_object_get(stage, "status")) : "not started");
	}
	putchar('\n');
	if (json_array_size(deadlines)) {
		puts("deadlines:");
		print_deadlines(deadlines);
	}
}

/* KEY=VALUE as text, KEY:=JSON as a JSON value. */
static int add_param(json_t *params, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg)
		return cli_usage_error(usage, "case act: '%s' is not KEY=VALUE or KEY:=JSON", arg);
	bool raw = eq > arg && eq[-1] == ':';
	size_t klen = (size_t)(eq - arg) - raw;
	if (klen == 0 || klen > 64)
		return cli_usage_error(usage, "case act: '%s' has no key", arg);
	char key[65];
	memcpy(key, arg, klen);
	key[klen] = '\0';
	json_t *value;
	if (raw) {
		json_error_t jerr;
		value = json_loads(eq + 1, JSON_DECODE_ANY, &jerr);
		if (!value)
			return cli_usage_error(usage, "case act: %s: not JSON: %s", key, jerr.text);
	} else {
		value = json_string(eq + 1);
		if (!value)
			return cli_usage_error(usage, "case act: %s: not valid UTF-8", key);
	}
	json_object_set_new(params, key, value);
	return CLI_OK;
}

static int case_act(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, CO_DB},
					     {"actor", required_argument, NULL, CO_ACTOR},
					     {"json", no_argument, NULL, CO_JSON},
					     {"params", required_argument, NULL, CO_PARAMS},
					     {"help", no_argument, NULL, 'h'}, {0}};
	case_options opt;
	int bad = read_case_options(argc, argv, "case act", opts, &opt);
	if (bad != CLI_OK)
		return bad;
	const char *db = opt.db, *actor = opt.actor, *params_file = opt.params_file;
	bool as_json = opt.as_json;
	if (argc - optind < 2)
		return cli_usage_error(usage, "case act: give a case reference and an action");
	const char *reference = argv[optind], *action = argv[optind + 1];
	json_t *params = NULL;
	if (params_file) {
		char *text = cli_read_file(params_file);
		if (!text)
			return cli_usage_error(usage, "case act: cannot read %s", params_file);
		json_error_t jerr;
		params = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
		free(text);
		if (!json_is_object(params)) {
			json_decref(params);
			return cli_usage_error(usage, "case act: %s: not a JSON object (%s)", params_file,
					       jerr.text);
		}
	} else {
		params = json_object();
	}
	for (int i = optind + 2; i < argc; i++) {
		int rc = add_param(params, argv[i]);
		if (rc != CLI_OK) {
			json_decref(params);
			return rc;
		}
	}
	fh_date today;
	if (!cli_today(&today)) {
		json_decref(params);
		return cli_usage_error(usage, "case act: FAIRHEARING_TODAY is not a date (YYYY-MM-DD)");
	}
	fh_error err = {0};
	fh_store *st;
	if (store_open(db, 0, &st, &err)) {
		json_decref(params);
		return cli_report(&err);
	}
	fh_actor who = {.name = cli_actor(actor), .all_roles = true};
	json_t *result;
	int rc = CLI_OK;
	if (store_case_act(st, reference, action, params, &who, today, &result, &err)) {
		rc = cli_report(&err);
	} else if (as_json) {
		json_dumpf(result, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(result);
	} else {
		printf("%s: %s done. ", json_string_value(json_object_get(result, "reference")), action);
		print_handling(json_object_get(result, "state"), json_object_get(result, "deadlines"));
		const json_t *r = json_object_get(result, "result");
		const char *key;
		json_t *v;
		json_object_foreach((json_t *)r, key, v) {
			if (json_is_string(v))
				printf("%s: %s\n", key, json_string_value(v));
			else if (json_is_true(v)) /* reopened, clock_restarted, ... */
				printf("%s: yes\n", key);
			else if (!strcmp(key, "escalate_until") && json_is_object(v))
				printf("escalate_until: stage %lld may be asked for until %s%s%s\n",
				       (long long)json_integer_value(json_object_get(v, "stage")),
				       json_string_value(json_object_get(v, "latest")),
				       json_is_string(json_object_get(v, "ideal")) ? ", ideally by " : "",
				       json_is_string(json_object_get(v, "ideal"))
					       ? json_string_value(json_object_get(v, "ideal")) : "");
		}
		json_decref(result);
	}
	json_decref(params);
	store_close(st);
	return rc;
}

static int case_actions(int argc, char **argv)
{
	(void)argc, (void)argv;
	for (size_t i = 0; i < lifecycle_action_count(); i++) {
		const lifecycle_action_info *a = lifecycle_action(i);
		printf("%-19s %s\n%-19s   params: %s\n", a->name, a->summary, "", a->params);
	}
	return CLI_OK;
}

int cmd_case(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int, char **);
	} subs[] = {{"add", case_add}, {"list", case_list}, {"show", case_show},
		    {"act", case_act}, {"actions", case_actions}};
	if (argc < 2 || cli_wants_help(2, argv)) {
		if (argc >= 2) {
			help();
			return CLI_OK;
		}
		return cli_usage_error(usage, "case: expected add, list, show, act or actions");
	}
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		if (strcmp(argv[1], subs[i].name) == 0) {
			if (cli_wants_help(argc - 1, argv + 1)) {
				help();
				return CLI_OK;
			}
			return subs[i].run(argc - 1, argv + 1);
		}
	}
	return cli_usage_error(usage, "case: no subcommand '%s' (add, list, show, act or actions)",
			       argv[1]);
}
