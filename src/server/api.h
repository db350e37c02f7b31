/*
 * api: the handlers of the JSON API under /api/v1/, and of the operational
 * pages (/healthz, /metrics).  Each runs only after routes_dispatch has
 * matched and authorised the request (see routes.h); each answers through
 * http_json / http_error / http_fail.
 *
 *   api_ops.c    GET /healthz, GET /metrics
 *   api_auth.c   POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/me
 *   api_orgs.c   GET /api/v1/orgs, /orgs/{org}/teams, /orgs/{org}/users
 *   api_cases.c  POST, GET /api/v1/cases; GET /cases/{ref}, /cases/{ref}/history
 *   api_lifecycle.c  POST /cases/{ref}/actions/{action}, GET /cases/{ref}/lifecycle,
 *                GET /actions, GET /procedures, GET /procedures/{code},
 *                POST /procedures
 *   api_calendar.c  GET /api/v1/calendar/add, /calendar/between, /calendar/holidays/{year}
 *   api_documents.c  POST, GET /cases/{ref}/documents; GET /cases/{ref}/documents/{id}
 *   api_reports.c  GET /api/v1/orgs/{org}/report
 *   api_letters.c  GET, POST /cases/{ref}/letters; GET /cases/{ref}/letters/{id}
 *   api_export.c  GET /cases/{ref}/file (PDF), GET /calendar/deadlines.ics
 *   api_redress.c  remedies (/cases/{ref}/remedies ...), /orgs/{org}/redress-totals
 *   api_behaviour.c  persistent behaviour (/orgs/{org}/people/{id}/..., /orgs/{org}/restrictions/
 *                {id}/..., /orgs/{org}/behaviour-deadlines, /cases/{ref}/restrictions/{id}/decision)
 *   api_freezing.c  freezing decisions (/cases/{ref}/freezing ...)
 *   api_rights.c  data rights (/orgs/{org}/people/{id}/export, /cases/{ref}/consents); a
 *                redacted copy (/cases/{ref}/documents/{id}/redactions) is in api_documents.c
 *   api_joint.c   joint complaints (/cases/{ref}/joint, /contributions, /liaisons)
 *   api_advocacy.c  advocacy and access (/cases/{ref}/advocacy, /access-needs,
 *                /orgs/{org}/advocacy-counts)
 *
 * api_body.h is the one way a handler reads its JSON body and its {id}.
 */
#ifndef FH_API_H
#define FH_API_H

#include "html.h"
#include "http.h"
#include "report_render.h"
#include "store_auth.h"
#include "store_lifecycle.h"

void api_healthz(http_request *req);
void api_metrics(http_request *req);

void api_login(http_request *req);
void api_logout(http_request *req);
void api_me(http_request *req);
/*
 * A password sign-in, shared by POST /api/v1/auth/login and the staff
 * sign-in page: the attempt is claimed first (store_login_claim: an
 * attempt inside its wait is answered at once), then the password is
 * checked on a pool thread (server_offload; the same time for an unknown
 * email), the attempt settled, and on success a session started, its
 * cookie set and req->who filled in.  done(req, result, retry_after) then
 * answers, on the worker or on the pool thread; with API_SIGN_IN_FAILED req
 * has been answered already (the store failed, or the password checks'
 * queue is full: 503 with Retry-After).
 *
 * A user with a second factor (store_totp.h): the page (API_SIGN_IN_PAGE)
 * gets a challenge, its cookie (API_CHALLENGE_COOKIE) set, and
 * API_SIGN_IN_CODE_NEEDED; the code comes next to api_sign_in_code.  The
 * API (API_SIGN_IN_JSON) checks code in the same request (a wrong one is a
 * failure like a wrong password), CODE_NEEDED when none is sent.  A user
 * whose organisation requires a second factor they lack gets, on the page,
 * a session that may only set one up (req->who->must_enrol), and from the
 * API API_SIGN_IN_ENROL_NEEDED and no session.
 */
typedef enum api_sign_in_result {
	API_SIGN_IN_OK,
	API_SIGN_IN_WRONG,     /* unknown email, wrong password or code, or disabled: one answer */
	API_SIGN_IN_SLOWED,    /* this account from this address must wait retry_after s */
	API_SIGN_IN_THROTTLED, /* this address must wait retry_after seconds */
	API_SIGN_IN_FAILED,
	API_SIGN_IN_CODE_NEEDED,  /* the password is right; now the second factor */
	API_SIGN_IN_ENROL_NEEDED, /* the API: the organisation requires a second factor first */
	API_SIGN_IN_EXPIRED,      /* the code page: no live challenge (five minutes, once) */
	API_SIGN_IN_SSO_ONLY,     /* the right password, but the organisation has turned
				   * password sign-in off (docs/sso.md) */
} api_sign_in_result;
typedef enum api_sign_in_mode { API_SIGN_IN_PAGE, API_SIGN_IN_JSON } api_sign_in_mode;
#define API_CHALLENGE_COOKIE "fh_signin"
typedef void (*api_sign_in_done)(http_request *req, api_sign_in_result result, int retry_after);
void api_sign_in(http_request *req, const char *email, const char *password, const char *code,
		 api_sign_in_mode mode, api_sign_in_done done);
/*
 * The second step of a page's sign-in: the challenge cookie's text and the
 * code typed (six digits, or a recovery code).  The code's attempt is
 * claimed and counted as a password's is; when it is right the challenge
 * ends and the session starts (API_SIGN_IN_OK, req->who filled in).
 */
void api_sign_in_code(http_request *req, const char *challenge, const char *code,
		      api_sign_in_done done);
/*
 * Inside the caller's transaction: a session for user_id (enrol_only: one
 * that may only set up a second factor), its cookie set and req->who
 * filled in; writes "signed_in".  Shared by the password sign-in and
 * single sign-on (staff_sso.c).
 */
fh_status api_session_start(http_request *req, int64_t user_id, const char *email,
			    bool enrol_only, time_t now, int64_t *session_id, fh_error *err);
/* The signed-in user as GET /me shows them (a new reference). */
json_t *api_me_json(const authz_principal *who);

void api_orgs(http_request *req);
/* api_sso.c: an organisation's single sign-on provider (administrators; docs/sso.md) */
void api_org_sso_get(http_request *req);
void api_org_sso_set(http_request *req);
void api_org_sso_delete(http_request *req);
void api_org_teams(http_request *req);
void api_org_users(http_request *req);
/* api_admin.c: an organisation's administrators manage its staff and teams */
void api_org_user_create(http_request *req);
void api_org_user_disable(http_request *req);
void api_org_user_enable(http_request *req);
void api_org_user_password(http_request *req);
/* an administrator's reset of a user's second factor (a lost phone), and the
 * organisation's requirement of one (its file's policy.second_factor) */
void api_org_user_totp_reset(http_request *req);
void api_org_second_factor(http_request *req);
void api_org_user_grant(http_request *req);
void api_org_user_independence(http_request *req);
void api_org_team_create(http_request *req);
/*
 * The end of creating a user in the transaction the caller began under
 * the write lock (the API's and the staff page's): marks them independent
 * of org when asked, commits (or rolls back after a failure s), lets the
 * writers go and wipes the password hash; the status after all that.
 */
fh_status api_user_create_end(http_request *req, const char *email, const char *org,
			      bool independent, fh_status s, char hash[STORE_PASSWORD_HASH_MAX],
			      fh_error *err);

void api_case_create(http_request *req);
void api_case_list(http_request *req);
void api_case_get(http_request *req);
void api_case_history(http_request *req);

void api_case_act(http_request *req);
void api_case_lifecycle(http_request *req);
void api_actions(http_request *req);
void api_procedures(http_request *req);
/* Every installed procedure (store_procedure_list, rows in req->arena);
 * false, answered, when they cannot be read. */
bool api_procedure_rows(http_request *req, store_procedure_row **rows, size_t *n);
void api_procedure_get(http_request *req);
void api_procedure_install(http_request *req);

void api_calendar_add(http_request *req);
void api_calendar_between(http_request *req);
void api_calendar_holidays(http_request *req);

/* api_parties.c: the people on a recorded case */
void api_party_add(http_request *req);
void api_party_change(http_request *req);
void api_party_remove(http_request *req);

void api_document_upload(http_request *req);
void api_document_list(http_request *req);
void api_document_get(http_request *req);

void api_report(http_request *req);

/* The self-assessment against the Code (api_assessment.c; issue 19 item 4). */
void api_assessment_get(http_request *req);
void api_assessment_put(http_request *req);
void api_assessment_answer(http_request *req);
void api_assessment_start(http_request *req);
struct store_assessment;
/* The JSON of a year's self-assessment, as GET answers it (the staff page reads it too). */
json_t *api_assessment_json(const char *org_code, const struct store_assessment *a);
/*
 * Answers 200 with a rendered report (b's text, which it takes) named
 * report-ORG-FROM-to-TO[-anonymised].EXT (annual-report-... for the annual
 * report): inline as HTML, else an attachment.
 */
void api_report_send(http_request *req, const char *org_code, report_kind kind,
		     report_format format, bool anonymised, fh_date from, fh_date to, html_buf *b);
void api_letter_list(http_request *req);
void api_letter_issue(http_request *req);
void api_letter_get(http_request *req);
void api_letter_resend(http_request *req);
/* Answers 200 with pages (a JSON array of letter layouts, which it takes)
 * typeset as one PDF by letter_pdf, or with letter_pdf's refusal. */
void api_answer_pdf(http_request *req, json_t *pages, const char *title, const char *org);

void api_case_export(http_request *req);
void api_deadlines_ics(http_request *req);
void api_remedy_list(http_request *req);
void api_remedy_add(http_request *req);
void api_remedy_approve(http_request *req);
void api_remedy_deliver(http_request *req);
void api_redress_totals(http_request *req);
void api_behaviour_get(http_request *req);
void api_behaviour_warn(http_request *req);
void api_behaviour_restrict(http_request *req);
void api_behaviour_review(http_request *req);
void api_behaviour_appeal(http_request *req);
void api_behaviour_answer(http_request *req);
void api_case_restriction_decide(http_request *req);
void api_behaviour_deadlines(http_request *req);
void api_freeze_list(http_request *req);
void api_freeze_request(http_request *req);
void api_freeze_view(http_request *req);
void api_freeze_decide(http_request *req);
void api_freeze_review(http_request *req);
void api_subject_export(http_request *req);
/*
 * A person's subject access export (store_subject_export) of the route's
 * organisation, after writing the read to the access log ("person N subject
 * access export" and as, " (PDF)" say); NULL when req has been answered.
 */
json_t *api_subject_export_read(http_request *req, int64_t person, const char *as);
void api_consent_list(http_request *req);
void api_consent_add(http_request *req);
void api_document_redact(http_request *req);
void api_joint_get(http_request *req);
void api_contribution_request(http_request *req);
void api_contribution_received(http_request *req);
void api_liaison_add(http_request *req);
void api_advocacy_get(http_request *req);
void api_advocacy_step(http_request *req);
void api_access_need_add(http_request *req);
void api_advocacy_counts(http_request *req);

#endif
