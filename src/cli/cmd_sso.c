/*
 * fairhearing sso: an organisation's single sign-on provider (docs/sso.md).
 * The client secret is never an argument (a command line is visible to
 * every user of the machine): --client-secret-file or --client-secret-env
 * names where the server reads it.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "store_sso.h"

static const char usage[] =
	"fairhearing sso set|show|remove --db PATH --org ORG [options]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "An organisation's OpenID Connect provider, for staff single sign-on\n"
	       "(docs/sso.md: Microsoft Entra ID, Google Workspace, Keycloak).\n\n"
	       "  set      set (or replace) the provider; every setting is given each time\n"
	       "  show     print the settings as JSON (the secret's source as a kind only)\n"
	       "  remove   remove it (identities already bound stay, unused)\n\n"
	       "  --db PATH                   the database\n"
	       "  --org ORG                   the organisation's code\n"
	       "  --issuer URL                the provider's issuer (https://; discovery is\n"
	       "                              URL/.well-known/openid-configuration; plain\n"
	       "                              http:// only to this machine's loopback)\n"
	       "  --client-id ID              the client id the provider gave this service\n"
	       "  --client-secret-file PATH   the server reads the client secret from this\n"
	       "                              file's first line at each sign-in, or\n"
	       "  --client-secret-env NAME    from this environment variable of `serve`\n"
	       "  --label TEXT                the sign-in button's words (\"Sign in with\n"
	       "                              Birmingham Children's Trust\")\n"
	       "  --allowed-domains LIST      email domains allowed to sign in, comma-\n"
	       "                              separated (default: any)\n"
	       "  --password-sign-in on|off   whether the organisation's staff may still\n"
	       "                              sign in with a password (default on); `set`\n"
	       "                              with on is also the way back in if the\n"
	       "                              provider fails (break glass)\n"
	       "  --create-users on|off       give a verified email of an allowed domain\n"
	       "                              with no account one, with no role (default off)\n"
	       "  --match-claim CLAIM         the ID token's claim a first sign-in is matched\n"
	       "                              on: email (default; must come with\n"
	       "                              email_verified true), or preferred_username or\n"
	       "                              upn, trusted as verified (Entra ID, when IT\n"
	       "                              alone sets them: docs/sso.md)\n"
	       "  --actor NAME                who the audit trail records (default cli:$USER)\n\n"
	       "The redirect URI to register at the provider is PUBLIC_URL/staff/sso/callback\n"
	       "(serve --public-url), and PUBLIC_URL/staff/login for sign-out.\n", usage);
}

typedef struct sso_opts {
	const char *db, *org, *issuer, *client_id, *secret_file, *secret_env, *label, *domains;
	const char *password, *create, *actor, *match;
} sso_opts;

static bool on_off(const char *text, bool def, bool *out)
{
	if (!text) {
		*out = def;
		return true;
	}
	if (strcmp(text, "on") && strcmp(text, "off"))
		return false;
	*out = strcmp(text, "on") == 0;
	return true;
}

static int parse(int argc, char **argv, const char *cmd, sso_opts *o)
{
	enum { O_DB = 256, O_ORG, O_ISSUER, O_CLIENT, O_SFILE, O_SENV, O_LABEL, O_DOMAINS,
	       O_PASSWORD, O_CREATE, O_ACTOR, O_SECRET, O_MATCH };
	static const struct option opts[] = {
		{"db", required_argument, NULL, O_DB}, {"org", required_argument, NULL, O_ORG},
		{"issuer", required_argument, NULL, O_ISSUER},
		{"client-id", required_argument, NULL, O_CLIENT},
		{"client-secret-file", required_argument, NULL, O_SFILE},
		{"client-secret-env", required_argument, NULL, O_SENV},
		{"client-secret", required_argument, NULL, O_SECRET},
		{"label", required_argument, NULL, O_LABEL},
		{"allowed-domains", required_argument, NULL, O_DOMAINS},
		{"password-sign-in", required_argument, NULL, O_PASSWORD},
		{"create-users", required_argument, NULL, O_CREATE},
		{"actor", required_argument, NULL, O_ACTOR},
		{"match-claim", required_argument, NULL, O_MATCH},
		{"help", no_argument, NULL, 'h'}, {0}};
	memset(o, 0, sizeof *o);
	int c;
	optind = 0;
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case O_DB: o->db = optarg; break;
		case O_ORG: o->org = optarg; break;
		case O_ISSUER: o->issuer = optarg; break;
		case O_CLIENT: o->client_id = optarg; break;
		case O_SFILE: o->secret_file = optarg; break;
		case O_SENV: o->secret_env = optarg; break;
		case O_LABEL: o->label = optarg; break;
		case O_DOMAINS: o->domains = optarg; break;
		case O_PASSWORD: o->password = optarg; break;
		case O_CREATE: o->create = optarg; break;
		case O_ACTOR: o->actor = optarg; break;
		case O_MATCH: o->match = optarg; break;
		case O_SECRET:
			return cli_usage_error(usage, "%s: --client-secret: a secret is never given on "
					       "the command line; use --client-secret-file or "
					       "--client-secret-env", cmd);
		case ':':
			return cli_usage_error(usage, "%s: %s needs a value", cmd, argv[optind - 1]);
		default:
			return cli_usage_error(usage, "%s: unknown option '%s'", cmd, argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(usage, "%s: unexpected argument '%s'", cmd, argv[optind]);
	if (!o->db || !o->org)
		return cli_usage_error(usage, "%s: --db PATH and --org ORG are required", cmd);
	return CLI_OK;
}

static int sso_set(int argc, char **argv)
{
	sso_opts o;
	int rc = parse(argc, argv, "sso set", &o);
	if (rc)
		return rc;
	if (!o.issuer || !o.client_id || !o.label)
		return cli_usage_error(usage, "sso set: --issuer, --client-id and --label are required");
	if (!o.secret_file == !o.secret_env)
		return cli_usage_error(usage, "sso set: give one of --client-secret-file PATH and "
				       "--client-secret-env NAME");
	store_sso_provider p = {.issuer = o.issuer, .client_id = o.client_id, .label = o.label,
				.allowed_domains = o.domains ? o.domains : "",
				.match_claim = o.match};
	if (!on_off(o.password, STORE_SSO_DEFAULT_PASSWORD_SIGN_IN, &p.password_sign_in))
		return cli_usage_error(usage, "sso set: --password-sign-in: '%s' is not on or off",
				       o.password);
	if (!on_off(o.create, STORE_SSO_DEFAULT_CREATE_USERS, &p.create_users))
		return cli_usage_error(usage, "sso set: --create-users: '%s' is not on or off",
				       o.create);
	char source[1100];
	if (o.secret_file && o.secret_file[0] != '/')
		return cli_usage_error(usage, "sso set: --client-secret-file: '%s' is not an absolute "
				       "path (the server reads it from wherever it runs)",
				       o.secret_file);
	snprintf(source, sizeof source, "%s%s", o.secret_file ? "file:" : "env:",
		 o.secret_file ? o.secret_file : o.secret_env);
	p.secret_source = source;
	fh_error err = {0};
	fh_store *st;
	if (store_open(o.db, 0, &st, &err))
		return cli_report(&err);
	if (store_sso_set(st, o.org, &p, cli_actor(o.actor), &err))
		rc = cli_report(&err);
	else
		printf("single sign-on set for %s: %s\n", o.org, o.issuer);
	store_close(st);
	return rc;
}

static int sso_show(int argc, char **argv)
{
	sso_opts o;
	int rc = parse(argc, argv, "sso show", &o);
	if (rc)
		return rc;
	fh_error err = {0};
	fh_store *st;
	if (store_open(o.db, 0, &st, &err))
		return cli_report(&err);
	fh_arena arena = ARENA_INIT;
	store_sso_provider p;
	if (store_sso_get(st, o.org, &arena, &p, &err)) {
		rc = cli_report(&err);
	} else {
		json_t *doc = store_sso_json(&p);
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
		putchar('\n');
		json_decref(doc);
	}
	arena_free(&arena);
	store_close(st);
	return rc;
}

static int sso_remove(int argc, char **argv)
{
	sso_opts o;
	int rc = parse(argc, argv, "sso remove", &o);
	if (rc)
		return rc;
	fh_error err = {0};
	fh_store *st;
	if (store_open(o.db, 0, &st, &err))
		return cli_report(&err);
	if (store_sso_remove(st, o.org, cli_actor(o.actor), &err))
		rc = cli_report(&err);
	else
		printf("single sign-on removed for %s\n", o.org);
	store_close(st);
	return rc;
}

int cmd_sso(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		help();
		return CLI_OK;
	}
	if (argc < 2)
		return cli_usage_error(usage, "sso: expected set, show or remove");
	if (!strcmp(argv[1], "set"))
		return sso_set(argc - 1, argv + 1);
	if (!strcmp(argv[1], "show"))
		return sso_show(argc - 1, argv + 1);
	if (!strcmp(argv[1], "remove"))
		return sso_remove(argc - 1, argv + 1);
	return cli_usage_error(usage, "sso: no subcommand '%s'", argv[1]);
}
