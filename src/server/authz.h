/*
 * authz: who is asking, and the one check that decides whether they may.
 *
 * Identity comes from the session cookie (browsers) or an
 * "Authorization: Bearer" API token (integrations); both are looked up by
 * their digest.  Presenting a credential that does not work (expired,
 * ended, forged) is an error even on a public route, so a client learns at
 * once that it is no longer signed in.
 *
 * The policy is need to know (DOMAIN §8):
 *  - roles are held per organisation (user_roles);
 *  - the complaints team, managers, heads of service, leadership and
 *    administrators see every case of their organisation;
 *  - adjudicating, investigating and reviewing officers, independent persons
 *    and panel members see only the cases they are assigned to;
 *  - a case or organisation the caller may not see answers 404, exactly as
 *    one that does not exist, so no tenant learns what another holds;
 *    a route the caller can see but lacks the role for answers 403.
 *
 * Every route declares its rule in the route table; authz_check applies it
 * before the handler runs.  A handler that learns the organisation only
 * from the body (recording a case) asks authz_org, the same check.
 */
#ifndef FH_AUTHZ_H
#define FH_AUTHZ_H

#include <stdbool.h>
#include <stdint.h>

#include "http.h"
#include "model.h"
#include "store_auth.h"

struct authz_principal {
	store_principal user;
	int64_t session_id; /* 0: an API token */
	const char *via;    /* "session" or "token" */
	const char *csrf;   /* a session's CSRF token (store_session_csrf); NULL: a token */
	bool feed_only;     /* a token of scope "feed": only the deadlines feed */
	bool must_enrol;    /* a session that may only set up a second factor */
};

/* One bit per name in MODEL_USER_ROLES, in that order. */
enum {
	AUTHZ_COMPLAINTS_TEAM = 1u << 0,
	AUTHZ_MANAGER = 1u << 1,
	AUTHZ_ADJUDICATING_OFFICER = 1u << 2,
	AUTHZ_INVESTIGATING_OFFICER = 1u << 3,
	AUTHZ_INDEPENDENT_PERSON = 1u << 4,
	AUTHZ_PANEL_MEMBER = 1u << 5,
	AUTHZ_REVIEWING_OFFICER = 1u << 6,
	AUTHZ_HEAD_OF_SERVICE = 1u << 7,
	AUTHZ_LEADERSHIP = 1u << 8,
	AUTHZ_ADMINISTRATOR = 1u << 9,
};
#define AUTHZ_ANY_ROLE 0u
/* See every case of their organisation. */
#define AUTHZ_ORG_WIDE (AUTHZ_COMPLAINTS_TEAM | AUTHZ_MANAGER | AUTHZ_HEAD_OF_SERVICE | \
			AUTHZ_LEADERSHIP | AUTHZ_ADMINISTRATOR)
/* See only the cases they are assigned to. */
#define AUTHZ_ASSIGNED_ONLY (AUTHZ_ADJUDICATING_OFFICER | AUTHZ_INVESTIGATING_OFFICER | \
			     AUTHZ_INDEPENDENT_PERSON | AUTHZ_PANEL_MEMBER | \
			     AUTHZ_REVIEWING_OFFICER)
/* Record what came in (DESIGN "the complaints team ... records"). */
#define AUTHZ_RECORD (AUTHZ_COMPLAINTS_TEAM | AUTHZ_MANAGER)

/* Record and deliver remedies (001 §18): the complaints team, managers,
 * adjudicators and heads of service; approve them: those who may commit
 * the organisation's money (managers, heads of service, leadership). */
#define AUTHZ_REDRESS_RECORD (AUTHZ_COMPLAINTS_TEAM | AUTHZ_MANAGER | \
			      AUTHZ_ADJUDICATING_OFFICER | AUTHZ_HEAD_OF_SERVICE)
#define AUTHZ_REDRESS_APPROVE (AUTHZ_MANAGER | AUTHZ_HEAD_OF_SERVICE | AUTHZ_LEADERSHIP)

/* Persistent behaviour (001 Appendix A): the Complaints & Information
 * Manager (the complaints team), managers, heads of service and assistant
 * directors (leadership) warn, restrict and review; an appeal is answered
 * by a senior manager; whether a restriction applies to a new complaint is
 * the complaints team's decision ("New complaints"). */
#define AUTHZ_BEHAVIOUR (AUTHZ_COMPLAINTS_TEAM | AUTHZ_MANAGER | AUTHZ_HEAD_OF_SERVICE | \
			 AUTHZ_LEADERSHIP)
#define AUTHZ_SENIOR (AUTHZ_HEAD_OF_SERVICE | AUTHZ_LEADERSHIP)
#define AUTHZ_BEHAVIOUR_DECIDE (AUTHZ_COMPLAINTS_TEAM | AUTHZ_MANAGER)

/* Freezing a decision (001 §11): asked for by those handling the case;
 * the views are the Complaints & Information Manager's and the Head of
 * Service's (the handler checks which one the caller is); a disagreement
 * goes to the Assistant Director or Director (leadership). */
#define AUTHZ_FREEZE_REQUEST (AUTHZ_COMPLAINTS_TEAM | AUTHZ_MANAGER | \
			      AUTHZ_ADJUDICATING_OFFICER | AUTHZ_HEAD_OF_SERVICE)
#define AUTHZ_FREEZE_VIEW (AUTHZ_COMPLAINTS_TEAM | AUTHZ_MANAGER | AUTHZ_HEAD_OF_SERVICE)
/*
 * Whether the caller may give a freezing view as the decider named (one of
 * FREEZING_DECIDERS) on the route's case (001 §11.2): the Complaints &
 * Information Manager's view ("complaints_manager") is the complaints
 * team's or a manager's, the Head of Service's ("head_of_service") a head
 * of service's.
 */
bool authz_freezing_view_as(const http_request *req, const char *as);

/* Data rights (DOMAIN §8): the complaints team and managers answer subject
 * access requests; consent is recorded by those who record cases; a
 * redacted copy is made by the complaints team, managers and adjudicators. */
#define AUTHZ_DATA_RIGHTS (AUTHZ_COMPLAINTS_TEAM | AUTHZ_MANAGER)
#define AUTHZ_REDACT (AUTHZ_COMPLAINTS_TEAM | AUTHZ_MANAGER | AUTHZ_ADJUDICATING_OFFICER)

/* Joint complaints (001 §12, §13.2): the Customer Relations Service (the
 * complaints team and managers) co-ordinates the teams and liaises with
 * other organisations. */
#define AUTHZ_COORDINATE (AUTHZ_COMPLAINTS_TEAM | AUTHZ_MANAGER)

/* Advocacy and access (DOMAIN §7): recorded by those who record cases and
 * the adjudicating officer handling Stage 1. */
#define AUTHZ_ADVOCACY (AUTHZ_COMPLAINTS_TEAM | AUTHZ_MANAGER | AUTHZ_ADJUDICATING_OFFICER)
/* Letters (api_letters.c, the staff pages): those who write to customers,
 * the complaints team and the officers who respond. */
#define AUTHZ_LETTER_WRITERS (AUTHZ_COMPLAINTS_TEAM | AUTHZ_MANAGER | \
			      AUTHZ_ADJUDICATING_OFFICER | AUTHZ_INVESTIGATING_OFFICER | \
			      AUTHZ_REVIEWING_OFFICER | AUTHZ_HEAD_OF_SERVICE | AUTHZ_LEADERSHIP)
/* The self-assessment against the Ombudsman's Complaint Handling Code
 * (issue 19 item 4): answered by the complaints manager (the complaints
 * team), managers and the organisation's administrators; read by every
 * role that sees all the organisation's cases, since its evidence counts
 * them (AUTHZ_ORG_WIDE). */
#define AUTHZ_SELF_ASSESS (AUTHZ_COMPLAINTS_TEAM | AUTHZ_MANAGER | AUTHZ_ADMINISTRATOR)
/* The case file for the Ombudsman (api_export.c): those who deal with it. */
#define AUTHZ_EXPORTERS (AUTHZ_COMPLAINTS_TEAM | AUTHZ_MANAGER | AUTHZ_HEAD_OF_SERVICE | \
			 AUTHZ_LEADERSHIP)

/*
 * Whether the caller may issue a letter of this kind on the route's case
 * (req->case_org_id, set by the route's rule): each kind names its issuers
 * (letter_kind_info.issuers, data in letter_model.c); false, with a 403
 * naming the kind, when the caller holds none of them there.  A kind that
 * does not exist passes: issuing refuses it with its own message.
 */
bool authz_letter_kind(http_request *req, const char *kind);
/* The same question without answering: the role bits that may issue kind. */
unsigned authz_letter_issuers(const char *kind);

/* The bit for a role name; 0 for a name that is not a role. */
unsigned authz_role_bit(const char *role);

typedef enum authz_scope {
	AUTHZ_SCOPE_NONE, /* not about one organisation or case */
	AUTHZ_SCOPE_ORG,  /* params[0] is an organisation code */
	AUTHZ_SCOPE_CASE, /* params[0] is a case reference */
} authz_scope;

typedef struct authz_rule {
	bool signed_in;   /* false: public */
	authz_scope scope;
	unsigned roles;   /* one of these, in the scope's organisation (or in any,
			   * for AUTHZ_SCOPE_NONE); AUTHZ_ANY_ROLE: any role at all */
} authz_rule;

/*
 * Finds who is asking from the request's credentials and sets req->who
 * (NULL when none were sent).  False, with a 401 answer, when credentials
 * were sent and do not work.
 */
bool authz_identify(http_request *req, int session_idle_seconds);

/*
 * The same, where the route also takes an API token as ?token= (a calendar
 * app cannot send headers): query_token, when not NULL and no header or
 * cookie was sent, is checked as a Bearer token would be, and must be of
 * scope "feed" (401 otherwise): a token that can do more is never put in
 * an address, where proxies and histories keep it.
 */
bool authz_identify_as(http_request *req, int session_idle_seconds, const char *query_token);

/*
 * A feed-only token (scope "feed") on a route that is not the feed
 * (feed_route false): false with a 403.
 */
bool authz_token_scope(http_request *req, bool feed_route);

/*
 * Cross-site request forgery on the API (ASVS 4.0 V4.2.2,
 * V13.2.3): a request that may change something (any method but GET, HEAD
 * and OPTIONS) made with the session cookie must carry the session's CSRF
 * token as the X-CSRF-Token header, or come from this server's own pages,
 * shown by an Origin (else Referer) whose host and port are the Host
 * header's.  False, with a 403 "csrf" answer, otherwise.  A request with a
 * bearer token, or with no credentials, passes: a browser never adds a
 * bearer token by itself.
 */
bool authz_csrf(http_request *req);
/*
 * The pure part of that check: whether url (an Origin or Referer as sent)
 * is an http(s) URL whose host[:port] is host, compared without regard to
 * case.  False for "null", another scheme, user@ or no host.
 */
bool authz_same_origin(fh_arena *arena, const char *url, const char *host);

/* Applies a route's rule; false, with the answer (401, 403 or 404), when refused. */
bool authz_check(http_request *req, const authz_rule *rule);

/*
 * The same check for an organisation named in a body: 404 when the caller
 * holds no role there (or it does not exist), 403 when none of roles.
 * Sets req->org_id.
 */
bool authz_org(http_request *req, const char *org_code, unsigned roles);

/* The role bits the caller holds in one organisation. */
unsigned authz_roles_in(const authz_principal *who, int64_t org_id);

/*
 * Need to know for lists of cases: the organisations whose every case the
 * caller sees (an organisation-wide role held there) and those where they
 * see only the cases assigned to them (any other role), each organisation
 * once.  The arrays live in req->arena.  The one place a list's scope is
 * decided: the API's case list, the dashboards and the search all use it.
 */
typedef struct authz_case_scope {
	const int64_t *org_wide;
	size_t n_org_wide;
	const int64_t *assigned_only;
	size_t n_assigned_only;
} authz_case_scope;
void authz_need_to_know(http_request *req, authz_case_scope *out);

/*
 * Who may see confidential material on the route's case (req->case_id and
 * req->case_org_id, set by an AUTHZ_SCOPE_CASE rule): the Investigating
 * Officer's addendum (001 B Stage 2), what was said in mediation (001
 * §15.3), confidential documents and the content of confidential events.
 * Decided by the caller's place on that case, not by a role held somewhere
 * in the organisation: the complaints team of the case's organisation, or
 * an adjudicating officer who is assigned to the case.  Everyone else
 * learns that such material exists, never what it says.  False as well
 * when the assignment cannot be read: the rule fails closed.
 */
bool authz_may_see_confidential(http_request *req);

/*
 * The caller as the rules see them in one organisation: their email and
 * roles there (names from MODEL_USER_ROLES; the array lives in req->arena).
 */
void authz_actor(http_request *req, int64_t org_id, fh_actor *actor);

#endif
