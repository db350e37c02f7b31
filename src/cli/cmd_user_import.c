/*
 * fairhearing user import: an organisation's staff from a spreadsheet saved
 * as CSV, all or nothing, as `fairhearing import` does for cases.
 *
 * Columns (the first row names them, in any order): email, name, roles
 * (one or more of the role names, separated by ';'), and optionally team
 * (the team or service the roles are held in) and external (yes/no: someone
 * outside the organisation, an Independent Person or a panel member).
 * Every row is checked first, against the file and the database; if any is
 * rejected, each is reported (row, column, reason), nothing is written and
 * the exit status is 2.  Otherwise every new user and every role is written
 * in one transaction, each with its own audit event.  A user who exists
 * already is given the roles of the row they do not hold yet, so importing
 * the same file twice changes nothing the second time.  New users have no
 * password until one is set (`user reset-password`, or the admin pages).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "cli.h"
#include "csv.h"
#include "model.h"
#include "store.h"

static const char usage[] = "fairhearing user import --db PATH --org ORG [--actor WHO] FILE.csv";

enum column_id { C_EMAIL, C_NAME, C_TEAM, C_ROLES, C_EXTERNAL, N_COLUMNS };

static const cli_csv_column columns[N_COLUMNS] = {
	[C_EMAIL] = {"email", true},   [C_NAME] = {"name", true},
	[C_TEAM] = {"team", false},    [C_ROLES] = {"roles", true},
	[C_EXTERNAL] = {"external", false},
};

static void help(void)
{
	printf("usage: %s\n\n"
	       "Adds an organisation's staff from a CSV file (RFC 4180; a UTF-8 BOM is\n"
	       "fine). The first row names the columns:\n"
	       "  required: email, name, roles (one or more, separated by ';': complaints_team,\n"
	       "            manager, adjudicating_officer, investigating_officer,\n"
	       "            independent_person, panel_member, reviewing_officer,\n"
	       "            head_of_service, leadership, administrator)\n"
	       "  optional: team (the team or service the roles are held in; it must be one\n"
	       "            of ORG's), external (yes or no: someone outside the organisation)\n\n"
	       "Every row is checked first: if any is rejected, each is reported (row,\n"
	       "column, reason), nothing is written and the exit status is 2. Otherwise\n"
	       "all are written in one transaction. A user who exists already gets the\n"
	       "roles they do not hold yet; importing the same file again changes nothing.\n"
	       "New users have no password until one is set with\n"
	       "'fairhearing user reset-password' or on the admin pages.\n\n"
	       "  --db PATH      the database\n"
	       "  --org ORG      the organisation the roles are in\n"
	       "  --actor WHO    who the import is recorded as (default cli:$USER)\n", usage);
}

typedef struct staff_row {
	const char *email, *name, *team;
	const char *roles[16];
	size_t n_roles;
	bool external, exists;
} staff_row;

typedef struct staff_run {
	fh_store *st;
	const char *org;
	fh_team *teams;   /* the organisation's teams and services */
	size_t n_teams;
	fh_user *users;   /* everyone with a sign-in */
	size_t n_users;
	int col[N_COLUMNS];
	size_t rejected;
} staff_run;

static void reject(staff_run *r, size_t row, const char *column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void reject(staff_run *r, size_t row, const char *column, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cli_csv_vreject(&r->rejected, row, column, fmt, ap);
	va_end(ap);
}

static const char *field(staff_run *r, const csv_record *rec, enum column_id c, fh_arena *a)
{
	return cli_csv_field(rec, r->col[c], a);
}

static bool read_header(staff_run *r, const csv_record *h, const char *file)
{
	return cli_csv_header(h, columns, N_COLUMNS, r->col, "user import", file,
			      "email, name, team, roles, external", false);
}

/* Checks one row against the file so far and the database; false when rejected. */
static bool read_row(staff_run *r, const csv_record *rec, size_t row, staff_row *rows,
		     size_t n_before, fh_arena *a)
{
	size_t before = r->rejected;
	staff_row *s = &rows[n_before];
	memset(s, 0, sizeof *s);
	s->email = field(r, rec, C_EMAIL, a);
	s->name = field(r, rec, C_NAME, a);
	s->team = field(r, rec, C_TEAM, a);
	const char *roles = field(r, rec, C_ROLES, a);
	const char *external = field(r, rec, C_EXTERNAL, a);
	const char *at = strchr(s->email, '@');
	if (!at || at == s->email || !at[1] || strchr(s->email, ' '))
		reject(r, row, "email", "'%s' is not an email address", s->email);
	for (size_t k = 0; k < n_before; k++)
		if (!strcasecmp(rows[k].email, s->email))
			reject(r, row, "email", "%s is on an earlier row too", s->email);
	if (!*s->name)
		reject(r, row, "name", "is required: the name staff pages and letters show");
	else if (strlen(s->name) > 200)
		reject(r, row, "name", "is at most 200 characters");
	char *list = arena_strdup(a, roles), *save = NULL;
	for (char *tok = strtok_r(list, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		while (*tok == ' ')
			tok++;
		size_t n = strlen(tok);
		while (n && tok[n - 1] == ' ')
			tok[--n] = '\0';
		if (!*tok)
			continue;
		char names[512];
		if (!model_is_one_of(MODEL_USER_ROLES, tok))
			reject(r, row, "roles", "'%s' is not one of %s", tok,
			       model_join(MODEL_USER_ROLES, names, sizeof names));
		else if (s->n_roles == sizeof s->roles / sizeof s->roles[0])
			reject(r, row, "roles", "at most 16 roles a row");
		else
			s->roles[s->n_roles++] = tok;
	}
	if (!s->n_roles && r->rejected == before)
		reject(r, row, "roles", "name at least one role, separated by ';'");
	if (!*external || !strcasecmp(external, "no") || !strcmp(external, "0") ||
	    !strcasecmp(external, "false"))
		s->external = false;
	else if (!strcasecmp(external, "yes") || !strcmp(external, "1") ||
		 !strcasecmp(external, "true"))
		s->external = true;
	else
		reject(r, row, "external", "'%s' is yes or no", external);
	bool team_known = !*s->team;
	for (size_t k = 0; k < r->n_teams && !team_known; k++)
		team_known = !strcmp(r->teams[k].name, s->team);
	if (!team_known)
		reject(r, row, "team", "%s has no team or service called '%s'", r->org, s->team);
	for (size_t k = 0; k < r->n_users && !s->exists; k++)
		s->exists = !strcasecmp(r->users[k].email, s->email);
	return r->rejected == before;
}

/* Writes every row in one transaction; FH_OK with the counts, or the first failure. */
static fh_status write_rows(staff_run *r, const staff_row *rows, size_t n, const char *actor,
			    size_t *users, size_t *roles, fh_error *err)
{
	fh_status s = store_begin(r->st, err);
	for (size_t i = 0; !s && i < n; i++) {
		const staff_row *row = &rows[i];
		if (!row->exists) {
			fh_user u = {.email = row->email, .display_name = row->name,
				     .external = row->external};
			s = store_user_create(r->st, &u, actor, NULL, err);
			*users += !s;
		}
		for (size_t k = 0; !s && k < row->n_roles; k++) {
			s = store_user_grant(r->st, row->email, r->org, row->roles[k],
					     *row->team ? row->team : NULL, actor, err);
			if (s == FH_ECONFLICT && !strcmp(err->field, "role"))
				s = FH_OK; /* held already: nothing to do */
			else
				*roles += !s;
		}
		if (s) {
			char msg[sizeof err->message];
			snprintf(msg, sizeof msg, "row %zu (%s): %s", i + 2, row->email, err->message);
			error_set(err, s, err->field, NULL, "%s", msg);
		}
	}
	if (s) {
		store_rollback(r->st);
		return s;
	}
	return store_commit(r->st, err);
}

int cmd_user_import(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		help();
		return CLI_OK;
	}
	fh_arena arena = ARENA_INIT;
	cli_csv_args args;
	int rc = cli_csv_import_args(argc, argv, "user import", usage, &args, &arena);
	const csv_table *table = &args.table;
	const char *db = args.db, *org = args.org, *actor = args.actor, *file = args.file;
	fh_error err = {0};
	staff_run r = {.org = org};
	if (!rc && store_open(db, 0, &r.st, &err))
		rc = cli_report(&err);
	fh_org o;
	if (!rc && (store_org_get(r.st, org, &arena, &o, &err) ||
		    store_team_list(r.st, org, &arena, &r.teams, &r.n_teams, &err) ||
		    store_user_list(r.st, NULL, &arena, &r.users, &r.n_users, &err)))
		rc = cli_report(&err);
	if (!rc && !read_header(&r, &table->records[0], file))
		rc = CLI_USAGE;
	size_t n = !rc ? table->n_records - 1 : 0;
	staff_row *rows = n ? arena_array(&arena, n, sizeof *rows) : NULL;
	size_t bad_rows = 0;
	for (size_t i = 0; i < n; i++)
		bad_rows += !read_row(&r, &table->records[i + 1], i + 2, rows, i, &arena);
	if (!rc && bad_rows) {
		fprintf(stderr, "fairhearing: user import: %s: %zu row%s rejected; nothing was "
			"imported\n", file, bad_rows, bad_rows == 1 ? "" : "s");
		rc = CLI_USAGE;
	}
	size_t users = 0, roles = 0;
	if (!rc && write_rows(&r, rows, n, cli_actor(actor), &users, &roles, &err)) {
		rc = cli_report(&err);
		fprintf(stderr, "fairhearing: user import: nothing was imported\n");
	} else if (!rc) {
		printf("%s: %zu new user%s and %zu new role%s in %s\n", file, users,
		       users == 1 ? "" : "s", roles, roles == 1 ? "" : "s", org);
		if (users)
			printf("new users have no password yet: set each with\n"
			       "  fairhearing user reset-password --db %s EMAIL\n"
			       "or on the admin pages (/staff/admin/%s/users)\n", db, org);
	}
	if (r.st)
		store_close(r.st);
	arena_free(&arena);
	return rc;
}
