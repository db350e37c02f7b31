/*
 * triage: which route a new representation takes (DOMAIN §2), and why.
 *
 * From who is complaining, for whom, about what and when, triage_decide
 * chooses one route and lists every rule that decided it, each with its
 * source, so the decision can be explained in a letter (001 §9.2) and
 * audited.  It is a pure function: the facts the record cannot tell (is this
 * about a child-protection conference? is a court case running?) are given
 * by the complaints team as flags.
 *
 * Routes: statutory (Children Act 1989), non_statutory (the organisation's
 * corporate procedure), anonymous (recorded, outside the statutory
 * procedure: 001 §7.7), enquiry (councillor or MP: recorded, 000),
 * recorded (compliments and comments), provider_redirect (001 §7.9), and
 * not_considered (001 §9.1, with the reasons that apply).
 */
#ifndef FH_TRIAGE_H
#define FH_TRIAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "error.h"

/* The reasons a complaint is not considered (001 §9.1, §7.5, §7.8, §10.3). */
extern const char *const TRIAGE_EXCLUSIONS[];

/*
 * An organisation's words for one reason it does not consider a complaint,
 * as its file's policy.triage gives them (BCT's: 001 §9.1).  A letter
 * quotes the text (001 §9.2).
 */
typedef struct triage_wording {
	const char *code, *text, *source;
} triage_wording;

typedef struct triage_facts {
	/* from the record */
	const char *kind;
	bool anonymous;
	const char *relationship;  /* the complainant's to the child: self, parent, ... ("" none) */
	const char *child_status;  /* the child's (001 §7.2), "" when there is no child */
	fh_date received_on;
	/* from the complaints team */
	bool about_child;          /* the complaint directly concerns the child (001 §7.10) */
	bool provider_concern;     /* raised by a provider (001 §7.9) */
	bool partner_agency;       /* police, school, health ... (001 §7.8) */
	bool child_express_consent;
	bool court_report;         /* about a report to court (001 §10) */
	const char *sufficient_interest; /* "accepted", "refused", or NULL: not decided */
	bool has_grounds_date;
	fh_date grounds_arose_on;  /* for the one-year limit */
	const char *late_accepted_reason; /* staff discretion over the one-year limit */
	const char *const *exclusions;    /* codes from TRIAGE_EXCLUSIONS the team found */
	size_t n_exclusions;
	/* the organisation's words for the exclusions; a reason it has not
	 * worded still applies, recorded with its code in words for text
	 * ("child protection conference") and no source, never in another
	 * organisation's words */
	const triage_wording *wording;
	size_t n_wording;
	int time_limit_years;      /* the procedure's (1); 0: none */
	const char *time_limit_source;
} triage_facts;

typedef struct triage_reason {
	const char *code;    /* statutory_child, out_of_time, ... */
	const char *text;    /* for the letter and the case page */
	const char *source;  /* "001 §9.1" */
	bool applies;        /* false: considered and overridden (still recorded) */
} triage_reason;

#define TRIAGE_MAX_REASONS 24

typedef struct triage_result {
	const char *route;
	size_t n_reasons;
	triage_reason reasons[TRIAGE_MAX_REASONS];
	char code_words[TRIAGE_MAX_REASONS][48]; /* the texts of reasons nobody worded */
} triage_result;

/*
 * Decides the route.  FH_EINVAL naming the field when a fact needed for the
 * decision is missing or unknown (for example "sufficient_interest" for a
 * relative complaining for a child: 001 §7.3 leaves that to the
 * organisation's discretion, so someone must decide).
 */
fh_status triage_decide(const triage_facts *facts, triage_result *out, fh_error *err);

#endif
