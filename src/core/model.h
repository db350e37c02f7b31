/*
 * model: the records Fairhearing keeps, as plain C values, and the rules a
 * new record must meet before it may be stored.
 *
 * Closed vocabularies (the kinds of representation, channels, the roles of
 * parties, consent states, ...) are NULL-terminated lists of the names that
 * the database, the API and the CLI all use, so one list decides what is
 * valid everywhere (the schema's CHECK constraints repeat them as a second
 * guard).  Strings in these structs are borrowed: whoever fills a struct
 * owns its strings (an arena, for records read from the store).
 */
#ifndef FH_MODEL_H
#define FH_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "error.h"

#define FH_REFERENCE_MAX 32

/* 000 "Comments and Compliments"; 000 "Councillors and MPs" */
extern const char *const MODEL_KINDS[];
/* 001 §6.1; 004 "Make your complaint online" */
extern const char *const MODEL_CHANNELS[];
extern const char *const MODEL_PARTY_ROLES[];
/* 001 §7.3: who may act on a child's behalf */
extern const char *const MODEL_RELATIONSHIPS[];
/* 001 §7.2: the children the statutory procedure is for */
extern const char *const MODEL_CHILD_STATUSES[];
/* 001 §7.4; 000 "Friends or relatives" */
extern const char *const MODEL_CONSENT_STATES[];
extern const char *const MODEL_ROUTES[];
extern const char *const MODEL_CASE_STATES[];
extern const char *const MODEL_TEAM_LEVELS[];
extern const char *const MODEL_USER_ROLES[];
extern const char *const MODEL_PREFERRED_CONTACT[];
extern const char *const MODEL_DISABILITY_ANSWERS[];

/* True when s is one of list's names. */
bool model_is_one_of(const char *const *list, const char *s);
/* The names joined with ", " into buf, for messages; returns buf. */
char *model_join(const char *const *list, char *buf, size_t size);

typedef struct fh_org {
	int64_t id;
	const char *code;       /* "bct" */
	const char *name;       /* "Birmingham Children's Trust" */
	const char *ref_prefix; /* "BCT" */
	const char *address;
	const char *region;     /* "england-and-wales" */
	const char *advocacy_service;
	const char *ombudsman;
} fh_org;

typedef struct fh_team {
	int64_t id;
	const char *name;
	const char *level;  /* "service" (Head of Service) or "team" (Team Manager) */
	const char *parent; /* the service's name, for a team; NULL for a service */
	const char *head_email; /* may be NULL */
} fh_team;

typedef struct fh_user_role {
	const char *org_code;
	const char *role;
	const char *team; /* may be NULL */
} fh_user_role;

typedef struct fh_user {
	int64_t id;
	const char *email;
	const char *display_name;
	const char *password_hash; /* argon2id string, or NULL */
	bool external;
	bool disabled;
	size_t n_roles;
	fh_user_role *roles;
	/* the organisations an administrator marked them independent of
	 * (store_user_set_independent); read by store_user_list */
	size_t n_independent_of;
	const char **independent_of;
} fh_user;

/* The optional equality-monitoring answers of the form (000); "" = not answered. */
typedef struct fh_equality {
	const char *date_of_birth;
	const char *preferred_language;
	const char *religion;
	const char *racial_identity;
	const char *sex;
	const char *disability; /* "", yes, no, prefer_not_to_say */
	const char *disability_nature;
} fh_equality;

typedef struct fh_person {
	int64_t id;
	const char *title, *given_name, *family_name, *organisation;
	const char *address, *postcode, *phone, *email;
	const char *preferred_contact; /* "", post, email, phone */
	const char *date_of_birth;     /* ISO date or NULL */
	const char *needs;             /* interpreter, signer, format */
	const fh_equality *equality;   /* NULL: not asked or not answered */
} fh_person;

typedef struct fh_party {
	int64_t id;
	fh_person person;
	const char *role;         /* complainant, child, representative, ... */
	const char *relationship; /* for a representative: parent, foster_carer, ... */
	const char *child_status; /* for the child: looked_after, child_in_need, ... */
	const char *consent;      /* not_needed, not_asked, requested, given, refused, unable */
	const char *consent_on;   /* ISO date or NULL */
	bool correspond;          /* letters go to this party (000: solicitors) */
} fh_party;

typedef struct fh_point {
	int64_t id;
	int seq;
	const char *summary;
	const char *desired_outcome;
	bool withdrawn;
} fh_point;

typedef struct fh_stage {
	int stage;
	const char *state;
	const char *requested_on, *started_on, *due_on, *responded_on;
	const char *officer_email;
} fh_stage;

typedef struct fh_finding {
	int point_seq;
	int stage;
	const char *outcome;
	const char *reasoning;
	const char *outcome_response;
	const char *recorded_at;
} fh_finding;

typedef struct fh_event {
	int64_t id;
	int64_t seq;
	const char *at, *effective_on, *actor, *action, *reason, *data;
	const char *erased_on; /* "" unless retention erased its reason and data */
} fh_event;

#define MODEL_ERASED_NOTE_MAX 64
/* What an event shows in place of its reason once retention erased it
 * ("removed under the retention rule on DATE"), or its reason. */
const char *model_event_reason(const fh_event *e, char buf[MODEL_ERASED_NOTE_MAX]);

/*
 * Who is acting, as the rules see them: their name for the audit log, and
 * the roles they hold in the organisation the case belongs to.  The command
 * line acts with every role (whoever holds the database file holds
 * everything); the server fills in the signed-in user's roles.
 */
typedef struct fh_actor {
	const char *name;     /* email, or "cli:USER", or "system:..." */
	int64_t user_id;      /* 0 when not a user */
	bool all_roles;
	size_t n_roles;
	const char *const *roles; /* names from MODEL_USER_ROLES */
} fh_actor;

/* True when the actor holds role (or every role). */
bool model_actor_has_role(const fh_actor *actor, const char *role);

/* What is needed to record a new representation. */
typedef struct fh_case_input {
	const char *org_code;
	const char *kind;
	const char *channel;
	const char *received_on; /* ISO date */
	const char *received_by; /* staff member it was made to, may be NULL */
	const char *service;     /* may be NULL */
	const char *team;        /* team name, may be NULL */
	const char *summary;
	const char *details;     /* may be NULL */
	bool anonymous;
	bool confidential;
	size_t n_parties;
	const fh_party *parties;
	size_t n_points;
	const fh_point *points;
	/* NULL: the store allocates the next reference.  Set only by the import
	 * of historical cases, which keep their own (`fairhearing import`). */
	const char *imported_reference;
} fh_case_input;

/* A case as read back, with everything on it. */
typedef struct fh_case {
	int64_t id;
	const char *reference;
	const char *org_code, *org_name;
	const char *kind, *channel, *received_on, *received_by, *service, *team;
	const char *summary, *details;
	bool anonymous, confidential;
	const char *route, *procedure_code;
	int procedure_version;
	const char *state;
	int stage;
	const char *closed_on, *created_at, *updated_at;
	size_t n_parties;
	fh_party *parties;
	size_t n_points;
	fh_point *points;
	size_t n_stages;
	fh_stage *stages;
	size_t n_findings;
	fh_finding *findings;
	size_t n_events;
	fh_event *events;
} fh_case;

/* Field limits, so one oversize field cannot fill the database. */
enum {
	MODEL_SHORT_MAX = 200,     /* names, phone, postcode, service */
	MODEL_TEXT_MAX = 20000,    /* summary, details, points */
	MODEL_MAX_PARTIES = 20,
	MODEL_MAX_POINTS = 100,
};

/*
 * Checks a new case against the rules that do not need the database: every
 * required field, each closed vocabulary, dates real and not in the future
 * (today given), lengths, and the shape of the parties (a complainant unless
 * anonymous; a representative names a relationship; consent is tracked when
 * someone complains for a child).  The first problem is reported with its
 * field path, e.g. "parties[1].relationship".
 */
fh_status case_input_validate(const fh_case_input *in, fh_date today, fh_error *err);

#endif
