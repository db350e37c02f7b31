/*
 * orgfile: an organisation as a file its administrator writes and keeps
 * under version control (docs/organisations.md).
 *
 * The file says who the organisation is (code, name, reference prefix,
 * region, letterhead), what it offers (advocacy, interpreting), how it is
 * organised (services, each with its teams: the two levels reports use,
 * 001 §16), which installed procedure it uses for each route from which
 * date, and the policy values that are its own choice (retention years,
 * the persistent-behaviour periods of 001 Appendix A, the wording of the
 * reasons a complaint is not considered, who may take each lifecycle
 * action, closure days).  Policy it does not set is not borrowed from
 * another organisation: docs/organisations.md says what happens then.
 *
 * orgfile_parse checks a document completely and reports every problem
 * with its path ("teams[1].teams[0]"), as procedure_parse does, so an
 * administrator can fix a file in one pass.  It is pure: whether a named
 * procedure exists, or a team still has cases, is for the store to say.
 */
#ifndef FH_ORGFILE_H
#define FH_ORGFILE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "behaviour.h"
#include "date.h"
#include "error.h"
#include "procedure.h" /* proc_problems: one problem list for every data file */
#include "triage.h"

#define ORGFILE_MAX_SERVICES 32
#define ORGFILE_MAX_TEAMS 32      /* per service */
#define ORGFILE_MAX_PROCEDURES 16
#define ORGFILE_MAX_CLOSURES 64

typedef struct orgfile_service {
	const char *name;            /* led by a Head of Service */
	const char *teams[ORGFILE_MAX_TEAMS]; /* each led by a Team Manager */
	size_t n_teams;
} orgfile_service;

typedef struct orgfile_procedure {
	const char *route;           /* statutory or non_statutory */
	const char *procedure;       /* the code it is installed under */
	const char *based_on;        /* a procedure file to install it from ("" none) */
	const char *from;            /* YYYY-MM-DD: cases received on or after it */
	fh_date from_date;
} orgfile_procedure;

typedef struct orgfile_closure {
	const char *date;
	fh_date on;
	const char *reason;
} orgfile_closure;

typedef struct fh_orgfile {
	const char *code, *name, *ref_prefix, *region;
	/* the day the organisation began taking complaints: no case is
	 * received before it (NULL: not said; the store then uses the day the
	 * 2006 regulations came in) */
	const char *set_up_on;
	fh_date set_up_date;
	const char *address, *phone, *email, *website; /* the letterhead */
	const char *ombudsman;
	const char *advocacy, *interpreting;           /* "" when not offered */
	size_t n_services;
	orgfile_service services[ORGFILE_MAX_SERVICES];
	size_t n_procedures;
	orgfile_procedure procedures[ORGFILE_MAX_PROCEDURES];
	int retention_years;                           /* 0: not set */
	size_t n_closures;
	orgfile_closure closures[ORGFILE_MAX_CLOSURES];
	json_t *doc;                                   /* owns every string above */
} fh_orgfile;

/* The fields of the file, in the order a file and an export show them. */
extern const char *const ORGFILE_FIELDS[];

/*
 * Parses and checks an organisation document.  FH_OK with *out set (free
 * with orgfile_free), or FH_EINVAL with every problem in *problems and err
 * naming the first.
 */
fh_status orgfile_parse(const char *text, fh_orgfile **out, proc_problems *problems,
			fh_error *err);
/* Same, from a parsed document (taken over: the file keeps the reference). */
fh_status orgfile_from_json(json_t *doc, fh_orgfile **out, proc_problems *problems,
			    fh_error *err);
void orgfile_free(fh_orgfile *f);

/*
 * What the organisation's settings column keeps: the parts of the file no
 * column of its own holds ("services.interpreting" and "policy" without
 * retention_years and closure_days, which have their own tables).  Caller
 * owns the object; it is {} for a file that sets none.
 */
json_t *orgfile_settings(const fh_orgfile *f);

/*
 * The persistent-behaviour periods in an organisation's settings (as
 * orgfile_settings made them): true with *out filled (its source borrowed
 * from settings), false when the organisation sets none.
 */
bool orgfile_behaviour_policy(const json_t *settings, behaviour_policy *out);

/*
 * The organisation's words for the reasons a complaint is not considered
 * (its settings' policy.triage.exclusions), at most max into out, strings
 * borrowed from settings; returns how many (0: it words none).
 */
size_t orgfile_triage_wording(const json_t *settings, triage_wording *out, size_t max);

/*
 * The organisation's email settings (policy.email, docs/email.md):
 * from     the address mail is sent from (and bounces come back to)
 * public_url  where the public pages are, for tracking links
 * acknowledge which new contacts get an automatic acknowledgement:
 *          "email" (received by email; the default) and "online_form"
 *          (sent through the public form with an email address)
 * letters  "attachment" (the PDF attached, the default) or "link"
 * smtp     {url, user, ca_file}: the relay the sender uses (serve's sender
 *          thread runs when it is set); the password is never in the file
 *          (FAIRHEARING_SMTP_PASSWORD)
 */
typedef struct orgfile_email {
	const char *from, *public_url;
	bool acknowledge_email, acknowledge_online_form;
	bool letters_attach;          /* false: a link to the tracking page */
	const char *smtp_url, *smtp_user, *smtp_ca_file; /* NULL when not set */
} orgfile_email;

/* True with *out filled (strings borrowed from settings) when the
 * organisation sends email at all (policy.email with from and public_url). */
bool orgfile_email_policy(const json_t *settings, orgfile_email *out);

#endif
