/*
 * fairhearing import: a council's historical complaints from a spreadsheet
 * saved as CSV (the columns are documented in docs/import.md).
 *
 * All or nothing: every row is read and checked first (the CSV itself, each
 * column's value, the model's rules, the reference against the database and
 * the rest of the file), and every rejected row is reported with its row
 * number, column and reason.  If any row is rejected nothing is written and
 * the exit status is 2.  Otherwise every case is recorded in one
 * transaction, each with its own 'recorded' event, its original reference
 * and date, and its first deadlines computed from its organisation's
 * procedure and calendar, as for a case recorded today.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "arena.h"
#include "cli.h"
#include "csv.h"
#include "model.h"
#include "reference.h"
#include "store.h"

static const char usage[] = "fairhearing import --db PATH --org ORG [--actor NAME] FILE.csv";

/* The columns, in the order docs/import.md lists them. */
enum column_id {
	C_REFERENCE, C_RECEIVED_ON, C_KIND, C_CHANNEL, C_SUMMARY, C_DETAILS, C_SERVICE,
	C_RECEIVED_BY, C_ANONYMOUS, C_GIVEN, C_FAMILY, C_EMAIL, C_PHONE, C_ADDRESS, C_POSTCODE,
	C_RELATIONSHIP, C_CHILD_STATUS, C_CHILD_GIVEN, C_CHILD_FAMILY, C_POINTS, C_OUTCOMES,
	N_COLUMNS
};

static const cli_csv_column columns[N_COLUMNS] = {
	[C_REFERENCE] = {"reference", true},
	[C_RECEIVED_ON] = {"received_on", true},
	[C_KIND] = {"kind", true},
	[C_CHANNEL] = {"channel", true},
	[C_SUMMARY] = {"summary", true},
	[C_DETAILS] = {"details", false},
	[C_SERVICE] = {"service", false},
	[C_RECEIVED_BY] = {"received_by", false},
	[C_ANONYMOUS] = {"anonymous", false},
	[C_GIVEN] = {"complainant_given_name", false},
	[C_FAMILY] = {"complainant_family_name", false},
	[C_EMAIL] = {"complainant_email", false},
	[C_PHONE] = {"complainant_phone", false},
	[C_ADDRESS] = {"complainant_address", false},
	[C_POSTCODE] = {"complainant_postcode", false},
	[C_RELATIONSHIP] = {"relationship", false},
	[C_CHILD_STATUS] = {"child_status", false},
	[C_CHILD_GIVEN] = {"child_given_name", false},
	[C_CHILD_FAMILY] = {"child_family_name", false},
	[C_POINTS] = {"points", false},
	[C_OUTCOMES] = {"desired_outcomes", false},
};

static void help(void)
{
	printf("usage: %s\n\n"
	       "Imports historical complaints, comments and compliments from a CSV file\n"
	       "(RFC 4180: quoted fields may hold commas and line breaks; a UTF-8 BOM is\n"
	       "fine). The first row names the columns; docs/import.md lists them:\n"
	       "  required: reference, received_on, kind, channel, summary\n"
	       "  optional: details, service, received_by, anonymous,\n"
	       "            complainant_given_name, complainant_family_name, complainant_email,\n"
	       "            complainant_phone, complainant_address, complainant_postcode,\n"
	       "            relationship, child_status, child_given_name, child_family_name,\n"
	       "            points, desired_outcomes (one per line within the field)\n\n"
	       "Each case keeps its reference (ORG's prefix and the year it was received,\n"
	       "e.g. BCT-2019-00042; one that exists already is refused) and its date\n"
	       "(YYYY-MM-DD or DD/MM/YYYY); its first deadlines are computed from the\n"
	       "organisation's procedure and calendar. Every row is checked first: if any\n"
	       "is rejected, each is reported (row, column, reason), nothing is written and\n"
	       "the exit status is 2. Otherwise all are recorded in one transaction.\n"
	       "On a terminal, a progress bar is drawn on stderr.\n\n"
	       "  --db PATH      the database\n"
	       "  --org ORG      the organisation the cases belong to\n"
	       "  --actor NAME   who the import is recorded as (default cli:$USER)\n", usage);
}

typedef struct import_run {
	fh_store *st;
	fh_org org;
	fh_date today;
	fh_arena *arena;
	int col[N_COLUMNS]; /* the CSV field index of each column, -1 when absent */
	size_t rejected;
	bool progress;
} import_run;

static void reject(import_run *r, size_t row, const char *column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void reject(import_run *r, size_t row, const char *column, const char *fmt, ...)
{
	if (r->progress) /* over the bar, which is drawn again below the report */
		fputs("\r\033[K", stderr);
	va_list ap;
	va_start(ap, fmt);
	cli_csv_vreject(&r->rejected, row, column, fmt, ap);
	va_end(ap);
}

/* A column's value in this record, trimmed of surrounding blanks; "" when absent. */
static const char *value(import_run *r, const csv_record *rec, enum column_id c)
{
	return cli_csv_field(rec, r->col[c], r->arena);
}

static const char *or_null(const char *v)
{
	return *v ? v : NULL;
}

/* YYYY-MM-DD, or DD/MM/YYYY as British spreadsheets write dates: ISO, or NULL. */
static const char *iso_date(import_run *r, const char *text)
{
	fh_date d;
	if (date_parse(text, &d))
		return text;
	int day, month, year;
	char tail;
	if (sscanf(text, "%2d/%2d/%4d%c", &day, &month, &year, &tail) != 3 || year < 1000)
		return NULL;
	char *iso = arena_printf(r->arena, "%04d-%02d-%02d", year, month, day);
	return date_parse(iso, &d) ? iso : NULL;
}

/* Splits a field on line breaks into trimmed, non-empty lines (in the arena). */
static size_t lines(import_run *r, const char *text, const char ***out)
{
	size_t cap = 1;
	for (const char *p = text; *p; p++)
		cap += *p == '\n';
	const char **list = arena_array(r->arena, cap, sizeof *list);
	size_t n = 0;
	const char *p = text;
	while (*p) {
		size_t len = strcspn(p, "\n");
		const char *start = p;
		size_t l = len;
		while (l && (*start == ' ' || *start == '\t'))
			start++, l--;
		while (l && (start[l - 1] == ' ' || start[l - 1] == '\t' || start[l - 1] == '\r'))
			l--;
		if (l)
			list[n++] = arena_strndup(r->arena, start, l);
		p += len + (p[len] == '\n');
	}
	*out = list;
	return n;
}

/* The CSV column a model field path ("parties[1].child_status") came from. */
static const char *column_of(const char *field)
{
	static const struct {
		const char *path, *column;
	} map[] = {
		{"parties[0].person.given_name", "complainant_given_name"},
		{"parties[0].person.family_name", "complainant_family_name"},
		{"parties[0].person.email", "complainant_email"},
		{"parties[0].person.phone", "complainant_phone"},
		{"parties[0].person.address", "complainant_address"},
		{"parties[0].person.postcode", "complainant_postcode"},
		{"parties[0].relationship", "relationship"},
		{"parties[0].child_status", "child_status"},
		{"parties[1].child_status", "child_status"},
		{"parties[1].person.given_name", "child_given_name"},
		{"parties[1].person.family_name", "child_family_name"},
		{"parties", "complainant_given_name"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(field, map[i].path) == 0)
			return map[i].column;
	if (strncmp(field, "points", 6) == 0)
		return strstr(field, "desired_outcome") ? "desired_outcomes" : "points";
	return *field ? field : "row";
}

/*
 * Reads one record into *in, reporting every problem found in it; false when
 * the row is rejected.  refs are the references of earlier rows.
 */
static bool read_row(import_run *r, const csv_record *rec, size_t row, size_t n_header,
		     const char **refs, size_t n_refs, fh_case_input *in)
{
	size_t before = r->rejected;
	if (rec->n_fields != n_header) {
		reject(r, row, "row", "has %zu field%s but the header names %zu columns",
		       rec->n_fields, rec->n_fields == 1 ? "" : "s", n_header);
		return false;
	}
	memset(in, 0, sizeof *in);
	in->org_code = r->org.code;
	in->kind = value(r, rec, C_KIND);
	in->channel = value(r, rec, C_CHANNEL);
	in->summary = value(r, rec, C_SUMMARY);
	in->details = or_null(value(r, rec, C_DETAILS));
	in->service = or_null(value(r, rec, C_SERVICE));
	in->received_by = or_null(value(r, rec, C_RECEIVED_BY));

	const char *received = value(r, rec, C_RECEIVED_ON);
	in->received_on = iso_date(r, received);
	if (!in->received_on)
		reject(r, row, "received_on", "'%s' is not a date (YYYY-MM-DD or DD/MM/YYYY)",
		       received);

	const char *anon = value(r, rec, C_ANONYMOUS);
	if (!*anon || !strcasecmp(anon, "no") || !strcasecmp(anon, "false") || !strcmp(anon, "0"))
		in->anonymous = false;
	else if (!strcasecmp(anon, "yes") || !strcasecmp(anon, "true") || !strcmp(anon, "1"))
		in->anonymous = true;
	else
		reject(r, row, "anonymous", "'%s' is not yes or no", anon);

	/* the reference: the organisation's, of the year received, new */
	const char *ref = value(r, rec, C_REFERENCE);
	char prefix[9];
	int year, received_year = 0, m, d;
	int64_t number;
	fh_date rd;
	if (in->received_on && date_parse(in->received_on, &rd))
		date_to_ymd(rd, &received_year, &m, &d);
	if (!reference_parse(ref, prefix, &year, &number)) {
		reject(r, row, "reference", "'%s' is not a reference like %s-2019-00042", ref,
		       r->org.ref_prefix);
	} else if (strcasecmp(prefix, r->org.ref_prefix) != 0) {
		reject(r, row, "reference", "'%s' does not begin with %s's prefix %s-", ref,
		       r->org.code, r->org.ref_prefix);
	} else if (received_year && year != received_year) {
		reject(r, row, "reference", "'%s' is of %d but received_on is in %d", ref, year,
		       received_year);
	} else {
		char canonical[FH_REFERENCE_MAX];
		reference_format(r->org.ref_prefix, year, number, canonical);
		in->imported_reference = arena_strdup(r->arena, canonical);
		int64_t case_id, org_id;
		fh_error err = {0};
		fh_status s = store_case_locate(r->st, canonical, &case_id, &org_id, &err);
		if (s == FH_OK)
			reject(r, row, "reference", "%s exists already: a reference is never reused",
			       canonical);
		else if (s != FH_ENOTFOUND)
			reject(r, row, "reference", "%s", err.message);
		for (size_t i = 0; i < n_refs; i++)
			if (refs[i] && strcmp(refs[i], canonical) == 0) {
				reject(r, row, "reference", "%s is also on an earlier row", canonical);
				break;
			}
	}

	/* the people: the complainant, and the child when someone speaks for one */
	const char *relationship = value(r, rec, C_RELATIONSHIP);
	const char *status = value(r, rec, C_CHILD_STATUS);
	const char *child_given = value(r, rec, C_CHILD_GIVEN), *child_family = value(r, rec, C_CHILD_FAMILY);
	fh_party *parties = arena_array(r->arena, 2, sizeof *parties);
	fh_person complainant = {
		.given_name = value(r, rec, C_GIVEN), .family_name = value(r, rec, C_FAMILY),
		.email = value(r, rec, C_EMAIL), .phone = value(r, rec, C_PHONE),
		.address = value(r, rec, C_ADDRESS), .postcode = value(r, rec, C_POSTCODE),
	};
	bool self = !*relationship || strcmp(relationship, "self") == 0;
	bool named = *complainant.given_name || *complainant.family_name || *complainant.email ||
		     *complainant.phone || *complainant.address;
	if (named || *relationship || !in->anonymous) {
		parties[in->n_parties++] = (fh_party){
			.person = complainant, .role = "complainant",
			.relationship = *relationship ? relationship : "self",
			.child_status = self ? or_null(status) : NULL,
		};
	}
	if (!self && (*child_given || *child_family || *status)) {
		parties[in->n_parties++] = (fh_party){
			.person = {.given_name = child_given, .family_name = child_family},
			.role = "child", .child_status = or_null(status),
		};
	} else if (self && (*child_given || *child_family)) {
		reject(r, row, "child_given_name", "a child's name is given, but the complainant "
		       "is the child (relationship is self)");
	}
	in->parties = parties;

	const char **points, **outcomes;
	size_t n_points = lines(r, value(r, rec, C_POINTS), &points);
	size_t n_outcomes = lines(r, value(r, rec, C_OUTCOMES), &outcomes);
	if (n_outcomes > n_points)
		reject(r, row, "desired_outcomes", "%zu outcomes for %zu points (one outcome per "
		       "point, line by line)", n_outcomes, n_points);
	fh_point *pts = arena_array(r->arena, n_points ? n_points : 1, sizeof *pts);
	for (size_t i = 0; i < n_points; i++)
		pts[i] = (fh_point){.seq = (int)i + 1, .summary = points[i],
				    .desired_outcome = i < n_outcomes ? outcomes[i] : ""};
	in->points = pts;
	in->n_points = n_points;

	if (r->rejected == before && in->received_on) {
		fh_error err = {0};
		if (case_input_validate(in, r->today, &err))
			reject(r, row, column_of(err.field), "%s%s%s%s", err.message,
			       err.source[0] ? " (" : "", err.source, err.source[0] ? ")" : "");
	}
	return r->rejected == before;
}

/* A bar on stderr when it is a terminal: "importing [#####     ] 120/1000". */
static void progress(const import_run *r, const char *what, size_t done, size_t total)
{
	if (!r->progress || total == 0)
		return;
	enum { WIDTH = 40 };
	if (done != total && done % (total / 100 + 1) != 0)
		return;
	size_t filled = done * WIDTH / total;
	fprintf(stderr, "\r%-9s [", what);
	for (size_t i = 0; i < WIDTH; i++)
		fputc(i < filled ? '#' : ' ', stderr);
	fprintf(stderr, "] %zu/%zu", done, total);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

/* Maps the header row to columns; false (after saying why) when it cannot be used. */
static bool read_header(import_run *r, const csv_record *header, const char *file)
{
	return cli_csv_header(header, columns, N_COLUMNS, r->col, "import", file,
			      "the documented columns (docs/import.md)", true);
}

int cmd_import(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		help();
		return CLI_OK;
	}
	fh_arena arena = ARENA_INIT;
	import_run r = {.progress = isatty(STDERR_FILENO) == 1, .arena = &arena};
	cli_csv_args args;
	int rc = cli_csv_import_args(argc, argv, "import", usage, &args, &arena);
	const csv_table *table = &args.table;
	if (!rc && !cli_today(&r.today))
		rc = cli_usage_error(usage, "import: FAIRHEARING_TODAY is not a date (YYYY-MM-DD)");
	const char *db = args.db, *org = args.org, *actor = args.actor, *file = args.file;
	fh_error err = {0};
	if (!rc && store_open(db, 0, &r.st, &err))
		rc = cli_report(&err);
	if (!rc && store_org_get(r.st, org, &arena, &r.org, &err))
		rc = cli_report(&err);
	if (!rc && !read_header(&r, &table->records[0], file))
		rc = CLI_USAGE;

	size_t n = rc ? 0 : table->n_records - 1;
	fh_case_input *cases = arena_array(&arena, n ? n : 1, sizeof *cases);
	const char **refs = arena_array(&arena, n ? n : 1, sizeof *refs);
	for (size_t i = 0; i < n; i++) {
		/* rows are numbered as a spreadsheet shows them: the header is row 1 */
		if (read_row(&r, &table->records[i + 1], i + 2, table->records[0].n_fields, refs, i,
			     &cases[i]))
			refs[i] = cases[i].imported_reference;
		progress(&r, "checking", i + 1, n);
	}
	if (!rc && r.rejected) {
		fprintf(stderr, "fairhearing: import: %s: %zu row%s rejected; nothing was "
			"imported\n", file, r.rejected, r.rejected == 1 ? "" : "s");
		rc = CLI_USAGE;
	}
	if (!rc && store_begin(r.st, &err))
		rc = cli_report(&err);
	const char *who = cli_actor(actor);
	for (size_t i = 0; !rc && i < n; i++) {
		char reference[FH_REFERENCE_MAX];
		if (store_case_create(r.st, &cases[i], who, reference, &err)) {
			store_rollback(r.st);
			if (r.progress)
				fputc('\n', stderr);
			fprintf(stderr, "row %zu: ", i + 2);
			rc = cli_report(&err);
			fprintf(stderr, "fairhearing: import: nothing was imported\n");
		}
		progress(&r, "importing", i + 1, n);
	}
	if (!rc && store_commit(r.st, &err))
		rc = cli_report(&err);
	if (!rc)
		printf("imported %zu case%s into %s from %s\n", n, n == 1 ? "" : "s", r.org.code,
		       file);
	store_close(r.st);
	arena_free(&arena);
	return rc;
}
