/*
 * fairhearing calendar: working days, bank holidays, closure days and deadlines.
 *
 *   calendar add [--unit U] [--region R] [--org ORG --db PATH] DATE N
 *   calendar between [--region R] [--org ORG --db PATH] D1 D2
 *   calendar holidays [--region R] YEAR
 *   calendar import --db PATH FILE
 *   calendar closure add|remove|list --db PATH --org ORG [DATE [REASON]]
 *
 * Each subcommand is a row of the table at the bottom.  Options come before
 * the positional arguments and `--` ends them, so a negative N can follow
 * `--` (fairhearing calendar add -- 2027-01-06 -10).  A value that is wrong
 * (an impossible date, a word where a number belongs, a year outside the
 * calendar) gets one line on stderr and exit 2; a malformed command line
 * gets the reason and the usage line (cli.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "calendar.h"
#include "cli.h"
#include "holidays_feed.h"
#include "store.h"
#include "store_calendar.h"
#include "timescale.h"

static const char usage_all[] =
	"fairhearing calendar add|between|holidays|import|closure ... (--help for each)";
static const char usage_add[] =
	"fairhearing calendar add [--unit working-days|weeks|calendar-days] [--region R] "
	"[--org ORG --db PATH] DATE N";
static const char usage_between[] =
	"fairhearing calendar between [--region R] [--org ORG --db PATH] D1 D2";
static const char usage_holidays[] = "fairhearing calendar holidays [--region R] YEAR";
static const char usage_import[] = "fairhearing calendar import --db PATH [--actor EMAIL] FILE";
static const char usage_closure[] =
	"fairhearing calendar closure add|remove|list --db PATH --org ORG [--actor EMAIL] "
	"[DATE [REASON]]";

/* One line on stderr for a value that is wrong; exit 2 (the "one-line reason"). */
static int bad_value(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad_value(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "fairhearing: calendar %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_USAGE;
}

/* A date the calendar covers, or one line saying why not. */
static int parse_date(const char *cmd, const char *what, const char *text, fh_date *out)
{
	if (!date_parse(text, out))
		return bad_value(cmd, "%s '%s' is not a date (YYYY-MM-DD, a day that exists)", what,
				 text);
	if (!calendar_in_range(*out))
		return bad_value(cmd, "%s %s is outside the calendar's range %d-01-01..%d-12-31",
				 what, text, CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR);
	return CLI_OK;
}

/* A whole number, optionally signed, nothing after it. */
static int parse_int(const char *cmd, const char *what, const char *text, long min, long max,
		     long *out)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	bool digits = text[0] >= '0' && text[0] <= '9';
	if ((text[0] == '-' || text[0] == '+') && text[1] >= '0' && text[1] <= '9')
		digits = true;
	if (!digits || *end != '\0')
		return bad_value(cmd, "%s '%s' is not a whole number", what, text);
	if (errno == ERANGE || v < min || v > max)
		return bad_value(cmd, "%s %s is out of range (%ld..%ld)", what, text, min, max);
	*out = v;
	return CLI_OK;
}

/* The options every subcommand may take, filled by parse_options. */
typedef struct options {
	const char *unit, *region, *org, *db, *actor;
	int first_arg; /* index of the first positional argument */
} options;

enum { O_UNIT = 1000, O_REGION, O_ORG, O_DB, O_ACTOR };

/*
 * Parses argv's options against allowed (a string of the letters u r o d a)
 * and leaves the positionals from o->first_arg.  Returns CLI_OK or exit 2.
 */
static int parse_options(int argc, char **argv, const char *allowed, const char *usage,
			 options *o)
{
	static const struct option all[] = {
		{"unit", required_argument, NULL, O_UNIT},
		{"region", required_argument, NULL, O_REGION},
		{"org", required_argument, NULL, O_ORG},
		{"db", required_argument, NULL, O_DB},
		{"actor", required_argument, NULL, O_ACTOR},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	static const char letters[] = "uroda";
	const char *name = argv[0];
	memset(o, 0, sizeof *o);
	optind = 0;
	int c;
	while ((c = cli_getopt(argc, argv, all)) != -1) {
		if (c == ':')
			return cli_usage_error(usage, "calendar %s: %s needs a value", name,
					       argv[optind - 1]);
		if (c < O_UNIT || c > O_ACTOR || !strchr(allowed, letters[c - O_UNIT]))
			return cli_usage_error(usage, "calendar %s: unknown option '%s'", name,
					       argv[optind - 1]);
		const char **slot[] = {&o->unit, &o->region, &o->org, &o->db, &o->actor};
		*slot[c - O_UNIT] = optarg;
	}
	o->first_arg = optind;
	return CLI_OK;
}

static int expect_args(int argc, const options *o, int min, int max, const char *name,
		       const char *usage, char **argv)
{
	int n = argc - o->first_arg;
	if (n < min)
		return cli_usage_error(usage, "calendar %s: expected %d argument%s, got %d", name,
				       min, min == 1 ? "" : "s", n);
	if (n > max)
		return cli_usage_error(usage, "calendar %s: unexpected argument '%s'", name,
				       argv[o->first_arg + max]);
	return CLI_OK;
}

static fh_status open_store(const char *db, fh_store **st, fh_error *err)
{
	return store_open(db, 0, st, err);
}

/*
 * The calendar these options name: the region's rules; with --db, the
 * region's imported holidays; with --org, the organisation's region and its
 * closure days too.
 */
static int load_calendar(const char *cmd, const char *usage, const options *o,
			 fh_calendar **cal)
{
	fh_error err = {0};
	if (o->org && !o->db)
		return cli_usage_error(usage, "calendar %s: --org needs --db PATH", cmd);
	const char *region = o->region ? o->region : CALENDAR_DEFAULT_REGION;
	if (!o->db) {
		if (calendar_create_named(region, NULL, cal, &err))
			return cli_report(&err);
		return CLI_OK;
	}
	fh_store *st;
	if (open_store(o->db, &st, &err))
		return cli_report(&err);
	fh_status s = o->org ? store_calendar_for_org(st, o->org, cal, &err)
			     : store_calendar_for_region(st, region, cal, &err);
	store_close(st);
	if (s)
		return cli_report(&err);
	if (o->org && o->region && strcmp(o->region, calendar_region_name(*cal)) != 0) {
		int rc = bad_value(cmd, "--region %s differs from the region of '%s' (%s)",
				   o->region, o->org, calendar_region_name(*cal));
		calendar_free(*cal);
		*cal = NULL;
		return rc;
	}
	return CLI_OK;
}

/* ---- add, between, holidays ------------------------------------------------------------ */

static int cal_add(int argc, char **argv)
{
	options o;
	int rc = parse_options(argc, argv, "urod", usage_add, &o);
	if (!rc)
		rc = expect_args(argc, &o, 2, 2, "add", usage_add, argv);
	if (rc)
		return rc;
	timescale_unit unit = TIMESCALE_WORKING_DAYS;
	if (o.unit && (!timescale_unit_parse(o.unit, &unit) || unit == TIMESCALE_YEARS))
		return cli_usage_error(usage_add, "calendar add: --unit is working-days, weeks or "
				       "calendar-days, not '%s'", o.unit);
	fh_date date;
	long n;
	rc = parse_date("add", "DATE", argv[o.first_arg], &date);
	if (!rc)
		rc = parse_int("add", "N", argv[o.first_arg + 1], -TIMESCALE_MAX_N,
			       TIMESCALE_MAX_N, &n);
	if (rc)
		return rc;
	fh_calendar *cal = NULL;
	if (unit == TIMESCALE_WORKING_DAYS || o.db) {
		rc = load_calendar("add", usage_add, &o, &cal);
		if (rc)
			return rc;
	}
	fh_date out;
	fh_error err = {0};
	fh_status s = timescale_add(cal, date, (int)n, unit, &out, &err);
	calendar_free(cal);
	if (s)
		return cli_report(&err);
	char buf[DATE_ISO_LEN];
	printf("%s\n", date_format(out, buf));
	return CLI_OK;
}

static int cal_between(int argc, char **argv)
{
	options o;
	int rc = parse_options(argc, argv, "rod", usage_between, &o);
	if (!rc)
		rc = expect_args(argc, &o, 2, 2, "between", usage_between, argv);
	if (rc)
		return rc;
	fh_date d1, d2;
	rc = parse_date("between", "D1", argv[o.first_arg], &d1);
	if (!rc)
		rc = parse_date("between", "D2", argv[o.first_arg + 1], &d2);
	fh_calendar *cal = NULL;
	if (!rc)
		rc = load_calendar("between", usage_between, &o, &cal);
	if (rc)
		return rc;
	int n;
	fh_error err = {0};
	fh_status s = calendar_working_days_between(cal, d1, d2, &n, &err);
	calendar_free(cal);
	if (s)
		return cli_report(&err);
	printf("%d\n", n);
	return CLI_OK;
}

static int cal_holidays(int argc, char **argv)
{
	options o;
	int rc = parse_options(argc, argv, "r", usage_holidays, &o);
	if (!rc)
		rc = expect_args(argc, &o, 1, 1, "holidays", usage_holidays, argv);
	long year;
	if (!rc)
		rc = parse_int("holidays", "YEAR", argv[o.first_arg], CALENDAR_FIRST_YEAR,
			       CALENDAR_LAST_YEAR, &year);
	fh_calendar *cal = NULL;
	if (!rc)
		rc = load_calendar("holidays", usage_holidays, &o, &cal);
	if (rc)
		return rc;
	const calendar_holiday *days;
	size_t count;
	fh_error err = {0};
	if (calendar_holidays(cal, (int)year, &days, &count, &err)) {
		calendar_free(cal);
		return cli_report(&err);
	}
	for (size_t i = 0; i < count; i++) {
		char buf[DATE_ISO_LEN];
		printf("%s %s\n", date_format(days[i].date, buf), days[i].name);
	}
	calendar_free(cal);
	return CLI_OK;
}

/* ---- import --------------------------------------------------------------------------- */

/* Reads and checks the whole file before anything is stored: all or nothing. */
static int cal_import(int argc, char **argv)
{
	options o;
	int rc = parse_options(argc, argv, "da", usage_import, &o);
	if (!rc)
		rc = expect_args(argc, &o, 1, 1, "import", usage_import, argv);
	if (rc)
		return rc;
	if (!o.db)
		return cli_usage_error(usage_import, "calendar import: --db PATH is required");
	const char *file = argv[o.first_arg];
	char *text = cli_read_file(file);
	if (!text)
		return bad_value("import", "%s: cannot be read (missing, unreadable or over 16 MiB)",
				 file);
	holidays_feed feed;
	fh_error err = {0};
	fh_status ps = holidays_feed_parse(text, strlen(text), STORE_CALENDAR_TEXT_MAX, &feed, &err);
	free(text);
	if (ps)
		return bad_value("import", "%s: %s", file, err.message);
	size_t at = feed.count;
	holidays_division *divs = feed.divisions;
	fh_store *st = NULL;
	if (!rc && open_store(o.db, &st, &err))
		rc = cli_report(&err);
	if (!rc && store_begin(st, &err))
		rc = cli_report(&err);
	const char *actor = cli_actor(o.actor);
	for (size_t i = 0; !rc && i < at; i++)
		if (store_calendar_import(st, divs[i].region, divs[i].days, divs[i].notes,
					  divs[i].count, actor, &err)) {
			store_rollback(st);
			rc = cli_report(&err);
		}
	if (!rc && store_commit(st, &err))
		rc = cli_report(&err);
	for (size_t i = 0; !rc && i < at; i++)
		printf("imported %zu bank holidays for %s (%d..%d)\n", divs[i].count,
		       divs[i].region, divs[i].first_year, divs[i].last_year);
	if (st)
		store_close(st);
	holidays_feed_free(&feed);
	return rc;
}

/* ---- closure days ----------------------------------------------------------------------- */

static int cal_closure(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(usage_closure, "calendar closure: expected add, remove or list");
	const char *verb = argv[1];
	int min, max;
	if (strcmp(verb, "add") == 0)
		min = 1, max = 2;
	else if (strcmp(verb, "remove") == 0)
		min = 1, max = 1;
	else if (strcmp(verb, "list") == 0)
		min = 0, max = 0;
	else
		return cli_usage_error(usage_closure, "calendar closure: expected add, remove or "
				       "list, not '%s'", verb);
	argc--, argv++;
	options o;
	int rc = parse_options(argc, argv, "doa", usage_closure, &o);
	if (!rc)
		rc = expect_args(argc, &o, min, max, "closure", usage_closure, argv);
	if (rc)
		return rc;
	if (!o.db || !o.org)
		return cli_usage_error(usage_closure, "calendar closure %s: --db PATH and --org ORG "
				       "are required", verb);
	fh_date date = 0;
	if (max > 0 && (rc = parse_date("closure", "DATE", argv[o.first_arg], &date)))
		return rc;
	const char *reason = argc - o.first_arg > 1 ? argv[o.first_arg + 1] : "";
	fh_error err = {0};
	fh_store *st;
	if (open_store(o.db, &st, &err))
		return cli_report(&err);
	char buf[DATE_ISO_LEN];
	fh_status s;
	if (strcmp(verb, "add") == 0) {
		s = store_calendar_closure_add(st, o.org, date, reason, cli_actor(o.actor), &err);
		if (!s)
			printf("closure day added for %s: %s%s%s\n"
			       "it lengthens only the clocks of %s's procedures whose file sets "
			       "closure_days, never a statutory one (reg 2 of SI 2006/1738)\n",
			       o.org, date_format(date, buf), *reason ? " " : "", reason, o.org);
	} else if (strcmp(verb, "remove") == 0) {
		s = store_calendar_closure_remove(st, o.org, date, cli_actor(o.actor), &err);
		if (!s)
			printf("closure day removed for %s: %s\n", o.org, date_format(date, buf));
	} else {
		fh_arena arena = ARENA_INIT;
		calendar_day *days;
		size_t count;
		s = store_calendar_closures(st, o.org, &arena, &days, &count, &err);
		for (size_t i = 0; !s && i < count; i++)
			printf("%s%s%s\n", date_format(days[i].date, buf), *days[i].name ? " " : "",
			       days[i].name);
		arena_free(&arena);
	}
	store_close(st);
	return s ? cli_report(&err) : CLI_OK;
}

/* ---- the table ---------------------------------------------------------------------------- */

static const struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *help;
} subcommands[] = {
	{"add", cal_add, usage_add,
	 "Prints the ISO date N units after DATE. Working days (the default) count as\n"
	 "DOMAIN §3 does: day 1 is the first working day after DATE, so N working days\n"
	 "from DATE is the N-th working day after it; a negative N counts backwards\n"
	 "(-10 is the 10th working day before DATE). Weeks are 7N calendar days.\n"
	 "Put `--` before a negative N when options precede it.\n\n"
	 "  --unit U       working-days (default), weeks or calendar-days\n"
	 "  --region R     bank holidays of region R (default england-and-wales)\n"
	 "  --db PATH      also the region's imported holidays from this database\n"
	 "  --org ORG      the organisation's region and closure days (with --db)\n\n"
	 "example: fairhearing calendar add --unit working-days -- 2027-01-06 -10\n"},
	{"between", cal_between, usage_between,
	 "Prints the number of working days after D1 up to and including D2 (negative\n"
	 "when D2 is before D1; 0 when they are the same day).\n\n"
	 "  --region R     bank holidays of region R (default england-and-wales)\n"
	 "  --db PATH      also the region's imported holidays from this database\n"
	 "  --org ORG      the organisation's region and closure days (with --db)\n"},
	{"holidays", cal_holidays, usage_holidays,
	 "Prints the bank holidays of YEAR (1980..2099) computed by rule, one\n"
	 "`YYYY-MM-DD name` a line.\n\n"
	 "  --region R     region R (default england-and-wales)\n"},
	{"import", cal_import, usage_import,
	 "Imports FILE, in the format of the official GOV.UK bank-holidays.json feed\n"
	 "(https://www.gov.uk/bank-holidays.json). Every entry is checked first and\n"
	 "nothing is stored unless all are valid. For each division and each year the\n"
	 "file covers, its list replaces the computed bank holidays of that year.\n\n"
	 "  --db PATH      the database\n"
	 "  --actor EMAIL  who is importing it (default cli:$USER)\n"},
	{"closure", cal_closure, usage_closure,
	 "Adds, removes or lists an organisation's closure days (for example a\n"
	 "Christmas shutdown): non-working days for that organisation only, and only\n"
	 "for the clocks of its procedures whose file sets closure_days (the contact\n"
	 "centre's, bccc). A statutory procedure's working day is the one reg 2 of\n"
	 "SI 2006/1738 defines: closure days never lengthen its clocks.\n"
	 "`calendar add` and `between` with --org count them.\n\n"
	 "  --db PATH      the database\n"
	 "  --org ORG      the organisation's code\n"
	 "  --actor EMAIL  who is making the change (default cli:$USER)\n\n"
	 "example: fairhearing calendar closure add --db fh.db --org bct 2026-12-24 "
	 "\"Christmas shutdown\"\n"},
};
enum { N_SUBCOMMANDS = sizeof subcommands / sizeof subcommands[0] };

static void help_all(void)
{
	printf("usage: %s\n\n", usage_all);
	for (size_t i = 0; i < N_SUBCOMMANDS; i++)
		printf("  %s\n", subcommands[i].usage);
	printf("\nWorking days exclude weekends, bank holidays (England and Wales by rule,\n"
	       "1980..2099, or as imported) and, with --org, an organisation's closure\n"
	       "days, which count only for procedures whose file sets closure_days.\n"
	       "`fairhearing calendar SUBCOMMAND --help` describes each.\n");
}

int cmd_calendar(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(usage_all, "calendar: expected a subcommand (add, between, "
				       "holidays, import, closure)");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		help_all();
		return CLI_OK;
	}
	for (size_t i = 0; i < N_SUBCOMMANDS; i++) {
		const struct subcommand *sc = &subcommands[i];
		if (strcmp(argv[1], sc->name) != 0)
			continue;
		if (cli_wants_help(argc - 1, argv + 1)) {
			printf("usage: %s\n\n%s", sc->usage, sc->help);
			return CLI_OK;
		}
		return sc->run(argc - 1, argv + 1);
	}
	return cli_usage_error(usage_all, "calendar: no subcommand '%s'", argv[1]);
}
