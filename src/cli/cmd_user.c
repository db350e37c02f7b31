/*
 * fairhearing user add | list | grant | disable | enable | reset-password | totp-reset,
 * and fairhearing token create: the accounts staff sign in with, from the
 * shell of whoever runs the installation.
 *
 * A password never appears on the command line (where `ps` and shell
 * history would show it): it comes from FAIRHEARING_PASSWORD, from standard
 * input with --password-stdin, or from a prompt on the terminal with echo
 * off.  It is never printed or logged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"
#include "date.h"
#include "store.h"
#include "store_auth.h"
#include "store_totp.h"

static const char usage[] =
	"fairhearing user add|list|grant|independent|disable|enable|reset-password|totp-reset|import "
	"--db PATH ... "
	"(fairhearing user --help)";
static const char token_usage[] =
	"fairhearing token create|list|revoke --db PATH ... (fairhearing token --help)";

static void help(void)
{
	printf(
"usage: fairhearing user add --db PATH --email EMAIL --name NAME --org ORG --role ROLE\n"
"                            [--team TEAM] [--external] [--independent] [--password-stdin]\n"
"                            [--actor WHO]\n"
"       fairhearing user list --db PATH [--org ORG]\n"
"       fairhearing user grant --db PATH --email EMAIL --org ORG --role ROLE [--team TEAM]\n"
"                              [--independent]\n"
"       fairhearing user independent --db PATH --org ORG [--remove] [--actor WHO] EMAIL\n"
"       fairhearing user disable --db PATH [--actor WHO] EMAIL\n"
"       fairhearing user enable --db PATH [--actor WHO] EMAIL\n"
"       fairhearing user reset-password --db PATH [--password-stdin] [--actor WHO] EMAIL\n"
"       fairhearing user totp-reset --db PATH [--actor WHO] EMAIL\n"
"       fairhearing user import --db PATH --org ORG [--actor WHO] FILE.csv\n"
"\n"
"user add creates a staff account with one role in one organisation (grant adds\n"
"more). Roles: complaints_team, manager, adjudicating_officer,\n"
"investigating_officer, independent_person, panel_member, reviewing_officer,\n"
"head_of_service, leadership, administrator. --external marks someone outside\n"
"the organisation (an Independent Person, a panel member). user import adds\n"
"staff in bulk from CSV, all or nothing (fairhearing user import --help).\n"
"\n"
"--independent (on add or grant), or user independent, records that an\n"
"administrator has judged the user independent of ORG (neither a member nor\n"
"an officer of it); --remove takes the mark away. Where a procedure says a\n"
"role must be independent of the organisation (statutory Stage 2\n"
"Investigating Officer and Independent Person, Review Panel members: reg 19;\n"
"001 B Stage 2, Stage 3), only such users are assigned to it. Each change\n"
"is an audit event (user_independence_set). user list shows the mark as\n"
"independent-of:ORG.\n"
"\n"
"The password (at least %d characters) is read from FAIRHEARING_PASSWORD, or\n"
"from the first line of standard input with --password-stdin, or asked for on\n"
"the terminal. It is stored only as an argon2id hash. reset-password and\n"
"disable end the user's sessions at once.\n"
"\n"
"totp-reset removes the user's second factor (their authenticator app's key and\n"
"recovery codes), for a lost phone: where their organisation requires one\n"
"(policy.second_factor in its file) they set up a new one at their next\n"
"password sign-in. An audit event (totp_reset) names who did it.\n"
"\n"
"See also: fairhearing token create, list and revoke (API tokens).\n",
		STORE_PASSWORD_MIN);
}

static void token_help(void)
{
	printf("usage: fairhearing token create --db PATH --user EMAIL [--name LABEL]\n"
	       "                                [--scope api|feed] [--expires YYYY-MM-DD] [--actor WHO]\n"
	       "       fairhearing token list --db PATH [--user EMAIL]\n"
	       "       fairhearing token revoke --db PATH [--actor WHO] ID\n"
	       "\n"
	       "create makes an API token for the user and prints it, once: only its hash is\n"
	       "kept, so it cannot be shown again. Send it as 'Authorization: Bearer TOKEN'.\n"
	       "  --name LABEL      what the token is for (shown by token list)\n"
	       "  --scope api       (the default) acts with all the user's roles through the API\n"
	       "  --scope feed      reads only the user's deadlines feed, and is the only kind\n"
	       "                    that may be put in an address (a calendar app's\n"
	       "                    /api/v1/calendar/deadlines.ics?token=TOKEN)\n"
	       "  --expires DATE    works until the end of DATE (UTC); at most %d days ahead;\n"
	       "                    default %d days from now. There is no token without expiry.\n"
	       "\n"
	       "list shows every token (or one user's): its ID, user, scope, state (live,\n"
	       "expired, revoked), name, when made, last used and expiry; never the token.\n"
	       "revoke ID stops a token at once, on every server (each request reads it).\n"
	       "Disabling the user stops all their tokens; staff manage their own on the\n"
	       "page /staff/tokens.\n",
	       STORE_TOKEN_DAYS_MAX, STORE_TOKEN_DAYS_DEFAULT);
}

/* Reads one line without echo from the terminal. */
static bool prompt(const char *question, char *buf, size_t size)
{
	FILE *tty = fopen("/dev/tty", "r+");
	if (!tty)
		return false;
	struct termios old, quiet;
	int fd = fileno(tty);
	bool restore = tcgetattr(fd, &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	fputs(question, tty);
	fflush(tty);
	bool ok = fgets(buf, (int)size, tty) != NULL;
	if (restore)
		tcsetattr(fd, TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	buf[strcspn(buf, "\r\n")] = '\0';
	return ok;
}

/*
 * The new password, from wherever it was given; hashed into hash.  Returns
 * an exit code (CLI_OK when hashed).
 */
static int read_password(bool from_stdin, const char *cmd, const char *u,
			 char hash[STORE_PASSWORD_HASH_MAX])
{
	char pw[STORE_PASSWORD_MAX + 2] = "", again[STORE_PASSWORD_MAX + 2] = "";
	const char *env = getenv("FAIRHEARING_PASSWORD");
	int rc = CLI_OK;
	if (from_stdin) {
		if (!fgets(pw, sizeof pw, stdin))
			rc = cli_usage_error(u, "%s: no password on standard input", cmd);
		pw[strcspn(pw, "\r\n")] = '\0';
	} else if (env && *env) {
		snprintf(pw, sizeof pw, "%s", env);
	} else if (isatty(STDIN_FILENO)) {
		if (!prompt("New password: ", pw, sizeof pw) ||
		    !prompt("Same again: ", again, sizeof again))
			rc = cli_usage_error(u, "%s: no password given", cmd);
		else if (strcmp(pw, again) != 0)
			rc = cli_usage_error(u, "%s: the two passwords differ", cmd);
	} else {
		rc = cli_usage_error(u, "%s: give the password in FAIRHEARING_PASSWORD, with "
				     "--password-stdin, or on a terminal", cmd);
	}
	fh_error err = {0};
	if (rc == CLI_OK && store_password_hash(pw, hash, &err))
		rc = cli_report(&err);
	sodium_memzero(pw, sizeof pw);
	sodium_memzero(again, sizeof again);
	return rc;
}

typedef struct user_opts {
	const char *db, *email, *name, *org, *role, *team, *actor;
	bool external, password_stdin, independent, remove;
	const char *positional;
} user_opts;

/* Parses the options every user subcommand shares; returns an exit code. */
static int parse(int argc, char **argv, const char *cmd, user_opts *o, int max_positional)
{
	enum { O_DB = 256, O_EMAIL, O_NAME, O_ORG, O_ROLE, O_TEAM, O_ACTOR, O_EXTERNAL, O_STDIN,
	       O_INDEPENDENT, O_REMOVE };
	static const struct option opts[] = {
		{"db", required_argument, NULL, O_DB}, {"email", required_argument, NULL, O_EMAIL},
		{"name", required_argument, NULL, O_NAME}, {"org", required_argument, NULL, O_ORG},
		{"role", required_argument, NULL, O_ROLE}, {"team", required_argument, NULL, O_TEAM},
		{"actor", required_argument, NULL, O_ACTOR},
		{"external", no_argument, NULL, O_EXTERNAL},
		{"password-stdin", no_argument, NULL, O_STDIN},
		{"independent", no_argument, NULL, O_INDEPENDENT},
		{"remove", no_argument, NULL, O_REMOVE},
		{"help", no_argument, NULL, 'h'}, {0}};
	memset(o, 0, sizeof *o);
	int c;
	optind = 0;
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case O_DB: o->db = optarg; break;
		case O_EMAIL: o->email = optarg; break;
		case O_NAME: o->name = optarg; break;
		case O_ORG: o->org = optarg; break;
		case O_ROLE: o->role = optarg; break;
		case O_TEAM: o->team = optarg; break;
		case O_ACTOR: o->actor = optarg; break;
		case O_EXTERNAL: o->external = true; break;
		case O_STDIN: o->password_stdin = true; break;
		case O_INDEPENDENT: o->independent = true; break;
		case O_REMOVE: o->remove = true; break;
		case ':':
			return cli_usage_error(usage, "%s: %s needs a value", cmd, argv[optind - 1]);
		default:
			return cli_usage_error(usage, "%s: unknown option '%s'", cmd, argv[optind - 1]);
		}
	}
	if (argc - optind > max_positional)
		return cli_usage_error(usage, "%s: unexpected argument '%s'", cmd,
				       argv[optind + max_positional]);
	if (max_positional && argc - optind == 1)
		o->positional = argv[optind];
	if (!o->db)
		return cli_usage_error(usage, "%s: --db PATH is required", cmd);
	return CLI_OK;
}

/*
 * The account (when create is given), its role and the independence mark
 * land together in one transaction, or none of them does.
 */
static fh_status grant_together(fh_store *st, const user_opts *o, const fh_user *create,
				const char *actor, fh_error *err)
{
	fh_status s = store_begin(st, err);
	if (!s && create)
		s = store_user_create(st, create, actor, NULL, err);
	if (!s)
		s = store_user_grant(st, o->email, o->org, o->role, o->team, actor, err);
	if (!s && o->independent)
		s = store_user_set_independent(st, o->email, o->org, true, actor, err);
	if (!s)
		s = store_commit(st, err);
	else
		store_rollback(st);
	return s;
}

static int user_add(int argc, char **argv)
{
	user_opts o;
	int rc = parse(argc, argv, "user add", &o, 0);
	if (rc)
		return rc;
	const char *missing = !o.email ? "--email EMAIL" : !o.name ? "--name NAME"
			      : !o.org ? "--org ORG" : !o.role ? "--role ROLE" : NULL;
	if (missing)
		return cli_usage_error(usage, "user add: %s is required", missing);
	if (!model_is_one_of(MODEL_USER_ROLES, o.role)) {
		char names[512];
		return cli_usage_error(usage, "user add: --role: '%s' is not one of %s", o.role,
				       model_join(MODEL_USER_ROLES, names, sizeof names));
	}
	char hash[STORE_PASSWORD_HASH_MAX];
	if ((rc = read_password(o.password_stdin, "user add", usage, hash)))
		return rc;
	fh_error err = {0};
	fh_store *st;
	if (store_open(o.db, 0, &st, &err))
		return cli_report(&err);
	const char *actor = cli_actor(o.actor);
	fh_user u = {.email = o.email, .display_name = o.name, .password_hash = hash,
		     .external = o.external};
	fh_status s = grant_together(st, &o, &u, actor, &err);
	if (s)
		rc = cli_report(&err);
	else
		printf("added %s (%s in %s%s)\n", o.email, o.role, o.org,
		       o.independent ? ", independent of it" : "");
	store_close(st);
	return rc;
}

static int user_grant(int argc, char **argv)
{
	user_opts o;
	int rc = parse(argc, argv, "user grant", &o, 0);
	if (rc)
		return rc;
	if (!o.email || !o.org || !o.role)
		return cli_usage_error(usage, "user grant: --email, --org and --role are required");
	fh_error err = {0};
	fh_store *st;
	if (store_open(o.db, 0, &st, &err))
		return cli_report(&err);
	fh_status s = grant_together(st, &o, NULL, cli_actor(o.actor), &err);
	if (s)
		rc = cli_report(&err);
	else
		printf("granted %s %s in %s%s\n", o.email, o.role, o.org,
		       o.independent ? ", independent of it" : "");
	store_close(st);
	return rc;
}

/* An administrator marks a user independent of an organisation. */
static int user_independent(int argc, char **argv)
{
	user_opts o;
	int rc = parse(argc, argv, "user independent", &o, 1);
	if (rc)
		return rc;
	if (!o.positional || !o.org)
		return cli_usage_error(usage, "user independent: --org ORG and the user's EMAIL "
				       "are required");
	fh_error err = {0};
	fh_store *st;
	if (store_open(o.db, 0, &st, &err))
		return cli_report(&err);
	if (store_user_set_independent(st, o.positional, o.org, !o.remove, cli_actor(o.actor), &err))
		rc = cli_report(&err);
	else
		printf("%s is %sindependent of %s\n", o.positional, o.remove ? "no longer " : "",
		       o.org);
	store_close(st);
	return rc;
}

static int user_list(int argc, char **argv)
{
	user_opts o;
	int rc = parse(argc, argv, "user list", &o, 0);
	if (rc)
		return rc;
	fh_error err = {0};
	fh_store *st;
	if (store_open(o.db, 0, &st, &err))
		return cli_report(&err);
	fh_arena arena = ARENA_INIT;
	fh_user *users = NULL;
	size_t n = 0;
	if (store_user_list(st, o.org, &arena, &users, &n, &err)) {
		rc = cli_report(&err);
	} else {
		for (size_t i = 0; i < n; i++) {
			printf("%s\t%s\t%s%s", users[i].email, users[i].display_name,
			       users[i].disabled ? "disabled" : "active",
			       users[i].external ? ",external" : "");
			for (size_t k = 0; k < users[i].n_independent_of; k++)
				printf(",independent-of:%s", users[i].independent_of[k]);
			putchar('\t');
			for (size_t r = 0; r < users[i].n_roles; r++) {
				const fh_user_role *g = &users[i].roles[r];
				bool team = g->team && *g->team;
				printf("%s%s:%s%s%s", r ? " " : "", g->org_code, g->role, team ? "@" : "",
				       team ? g->team : "");
			}
			putchar('\n');
		}
		fprintf(stderr, "%zu users\n", n);
	}
	arena_free(&arena);
	store_close(st);
	return rc;
}

static int user_set_disabled(int argc, char **argv, bool disabled)
{
	const char *cmd = disabled ? "user disable" : "user enable";
	user_opts o;
	int rc = parse(argc, argv, cmd, &o, 1);
	if (rc)
		return rc;
	if (!o.positional)
		return cli_usage_error(usage, "%s: give the user's EMAIL", cmd);
	fh_error err = {0};
	fh_store *st;
	if (store_open(o.db, 0, &st, &err))
		return cli_report(&err);
	if (store_user_set_disabled(st, o.positional, disabled, cli_actor(o.actor), &err))
		rc = cli_report(&err);
	else
		printf("%s %s\n", disabled ? "disabled" : "enabled", o.positional);
	store_close(st);
	return rc;
}

static int user_disable(int argc, char **argv)
{
	return user_set_disabled(argc, argv, true);
}

static int user_enable(int argc, char **argv)
{
	return user_set_disabled(argc, argv, false);
}

static int user_reset_password(int argc, char **argv)
{
	user_opts o;
	int rc = parse(argc, argv, "user reset-password", &o, 1);
	if (rc)
		return rc;
	if (!o.positional)
		return cli_usage_error(usage, "user reset-password: give the user's EMAIL");
	fh_error err = {0};
	fh_store *st;
	/* Fail on a missing database before asking for a password. */
	if (store_open(o.db, 0, &st, &err))
		return cli_report(&err);
	char hash[STORE_PASSWORD_HASH_MAX];
	rc = read_password(o.password_stdin, "user reset-password", usage, hash);
	if (!rc && store_user_set_password(st, o.positional, hash, cli_actor(o.actor), &err))
		rc = cli_report(&err);
	else if (!rc)
		printf("password set for %s; their sessions have ended\n", o.positional);
	store_close(st);
	return rc;
}

static int user_totp_reset(int argc, char **argv)
{
	user_opts o;
	int rc = parse(argc, argv, "user totp-reset", &o, 1);
	if (rc)
		return rc;
	if (!o.positional)
		return cli_usage_error(usage, "user totp-reset: give the user's EMAIL");
	fh_error err = {0};
	fh_store *st;
	if (store_open(o.db, 0, &st, &err))
		return cli_report(&err);
	if (store_totp_reset(st, o.positional, cli_actor(o.actor), &err))
		rc = cli_report(&err);
	else
		printf("second factor reset for %s\n", o.positional);
	store_close(st);
	return rc;
}

int cmd_user(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int, char **);
	} subs[] = {{"add", user_add}, {"list", user_list}, {"grant", user_grant},
		    {"independent", user_independent},
		    {"disable", user_disable}, {"enable", user_enable},
		    {"reset-password", user_reset_password}, {"totp-reset", user_totp_reset},
		    {"import", cmd_user_import}};
	if (argc < 2)
		return cli_usage_error(usage, "user: expected add, list, grant, independent, disable, "
				       "enable, reset-password, totp-reset or import");
	if (!strcmp(argv[1], "import")) /* its own --help */
		return cmd_user_import(argc - 1, argv + 1);
	if (cli_wants_help(argc, argv)) {
		help();
		return CLI_OK;
	}
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].run(argc - 1, argv + 1);
	return cli_usage_error(usage, "user: no subcommand '%s'", argv[1]);
}

/*
 * The moment a token made now stops working: the end of DATE (UTC), or
 * STORE_TOKEN_DAYS_DEFAULT days from now.  False for a text that is not a date.
 */
static bool token_expiry(const char *text, time_t now, time_t *expires)
{
	if (!text) {
		*expires = now + (time_t)STORE_TOKEN_DAYS_DEFAULT * 86400;
		return true;
	}
	fh_date d;
	if (!date_parse(text, &d))
		return false;
	*expires = ((time_t)d + 1) * 86400;
	return true;
}

static int token_create(int argc, char **argv)
{
	enum { O_DB = 256, O_USER, O_NAME, O_ACTOR, O_SCOPE, O_EXPIRES };
	static const struct option opts[] = {
		{"db", required_argument, NULL, O_DB}, {"user", required_argument, NULL, O_USER},
		{"name", required_argument, NULL, O_NAME}, {"actor", required_argument, NULL, O_ACTOR},
		{"scope", required_argument, NULL, O_SCOPE},
		{"expires", required_argument, NULL, O_EXPIRES},
		{"help", no_argument, NULL, 'h'}, {0}};
	const char *db = NULL, *user = NULL, *name = NULL, *actor = NULL, *scope_text = "api",
		   *expires_text = NULL;
	int c;
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case O_DB: db = optarg; break;
		case O_USER: user = optarg; break;
		case O_NAME: name = optarg; break;
		case O_ACTOR: actor = optarg; break;
		case O_SCOPE: scope_text = optarg; break;
		case O_EXPIRES: expires_text = optarg; break;
		case ':':
			return cli_usage_error(token_usage, "token create: %s needs a value",
					       argv[optind - 1]);
		default:
			return cli_usage_error(token_usage, "token create: unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(token_usage, "token create: unexpected argument '%s'",
				       argv[optind]);
	if (!db || !user)
		return cli_usage_error(token_usage, "token create: --db PATH and --user EMAIL are "
				       "required");
	store_token_scope scope;
	if (!store_token_scope_parse(scope_text, &scope))
		return cli_usage_error(token_usage, "token create: --scope must be api or feed, not "
				       "'%s'", scope_text);
	time_t now = time(NULL), expires;
	if (!token_expiry(expires_text, now, &expires))
		return cli_usage_error(token_usage, "token create: --expires must be a date "
				       "(YYYY-MM-DD), not '%s'", expires_text);
	fh_error err = {0};
	fh_store *st;
	if (store_open(db, 0, &st, &err))
		return cli_report(&err);
	char token[STORE_TOKEN_TEXT_MAX];
	uint8_t hash[STORE_TOKEN_HASH_BYTES];
	store_token_new(scope == STORE_SCOPE_FEED ? "fhf_" : "fht_", token, hash);
	int rc = CLI_OK;
	if (store_token_create(st, user, name, scope, expires, now, hash, cli_actor(actor), NULL,
			       &err))
		rc = cli_report(&err);
	else
		printf("%s\n", token);
	sodium_memzero(token, sizeof token);
	store_close(st);
	return rc;
}

static int token_list(int argc, char **argv)
{
	enum { O_DB = 256, O_USER };
	static const struct option opts[] = {
		{"db", required_argument, NULL, O_DB}, {"user", required_argument, NULL, O_USER},
		{"help", no_argument, NULL, 'h'}, {0}};
	const char *db = NULL, *user = NULL;
	int c;
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case O_DB: db = optarg; break;
		case O_USER: user = optarg; break;
		case ':':
			return cli_usage_error(token_usage, "token list: %s needs a value",
					       argv[optind - 1]);
		default:
			return cli_usage_error(token_usage, "token list: unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(token_usage, "token list: unexpected argument '%s'",
				       argv[optind]);
	if (!db)
		return cli_usage_error(token_usage, "token list: --db PATH is required");
	fh_error err = {0};
	fh_store *st;
	if (store_open(db, 0, &st, &err))
		return cli_report(&err);
	fh_arena arena = ARENA_INIT;
	store_token_info *rows = NULL;
	size_t n = 0;
	int rc = CLI_OK;
	if (store_token_list(st, user, &arena, &rows, &n, &err)) {
		rc = cli_report(&err);
	} else {
		char now[21];
		store_iso_time(time(NULL), now);
		for (size_t i = 0; i < n; i++) {
			const store_token_info *t = &rows[i];
			const char *state = t->revoked_at ? "revoked"
					    : t->expires_at && strcmp(t->expires_at, now) <= 0 ? "expired"
					    : "live";
			printf("%lld\t%s\t%s\t%s\t%s\tcreated %s\tlast used %s\texpires %s\n",
			       (long long)t->id, t->email, t->scope, state, t->name[0] ? t->name : "-",
			       t->created_at, t->last_used_at ? t->last_used_at : "never",
			       t->expires_at ? t->expires_at : "never");
		}
		fprintf(stderr, "%zu tokens\n", n);
	}
	arena_free(&arena);
	store_close(st);
	return rc;
}

static int token_revoke(int argc, char **argv)
{
	enum { O_DB = 256, O_ACTOR };
	static const struct option opts[] = {
		{"db", required_argument, NULL, O_DB}, {"actor", required_argument, NULL, O_ACTOR},
		{"help", no_argument, NULL, 'h'}, {0}};
	const char *db = NULL, *actor = NULL;
	int c;
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case O_DB: db = optarg; break;
		case O_ACTOR: actor = optarg; break;
		case ':':
			return cli_usage_error(token_usage, "token revoke: %s needs a value",
					       argv[optind - 1]);
		default:
			return cli_usage_error(token_usage, "token revoke: unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (!db || optind != argc - 1)
		return cli_usage_error(token_usage, "token revoke: --db PATH and one token ID "
				       "(from token list) are required");
	char *end;
	long long id = strtoll(argv[optind], &end, 10);
	if (*end || end == argv[optind] || id <= 0)
		return cli_usage_error(token_usage, "token revoke: ID must be a token's number "
				       "(from token list), not '%s'", argv[optind]);
	fh_error err = {0};
	fh_store *st;
	if (store_open(db, 0, &st, &err))
		return cli_report(&err);
	int rc = CLI_OK;
	if (store_token_revoke(st, id, NULL, cli_actor(actor), time(NULL), &err))
		rc = cli_report(&err);
	else
		printf("revoked token %lld\n", id);
	store_close(st);
	return rc;
}

int cmd_token(int argc, char **argv)
{
	if (argc >= 2 && cli_wants_help(argc, argv)) {
		token_help();
		return CLI_OK;
	}
	static const struct {
		const char *name;
		int (*run)(int, char **);
	} subs[] = {{"create", token_create}, {"list", token_list}, {"revoke", token_revoke}};
	if (argc < 2)
		return cli_usage_error(token_usage, "token: expected create, list or revoke");
	optind = 0;
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].run(argc - 1, argv + 1);
	return cli_usage_error(token_usage, "token: no subcommand '%s' (create, list or revoke)",
			       argv[1]);
}
