/*
 * web_staff: the staff pages under /staff/ (docs/web.md), one module per
 * group of pages, after cgit's ui-*.c:
 *
 *   staff_auth.c       GET/POST /staff/login, GET/POST /staff/login/code, POST /staff/logout
 *   staff_account.c    GET /staff/account, POST /staff/account/second-factor/...
 *   staff_dashboard.c  GET /staff, /staff/work (my work), /staff/team
 *   staff_case.c       GET /staff/cases/{ref}, POST /staff/cases/{ref}/documents
 *   staff_actions.c    the lifecycle's actions: GET and POST /staff/cases/{ref}/actions/{action}
 *   staff_search.c     GET /staff/search
 *   staff_letters.c    the case page's letters; GET /staff/cases/{ref}/letters/new,
 *                      POST /staff/cases/{ref}/letters, GET /staff/cases/{ref}/letters/{id}
 *   staff_reports.c    GET /staff/reports: the monitoring report
 *   staff_feed.c       My work's section on the iCalendar feed of your deadlines
 *   staff_admin.c      /staff/admin/{org}/...: users, teams, procedures, closure days
 *   staff_forms.c      the one way to declare a staff form: its writer, its reader, its
 *                      page and its notice when done (staff_forms.h)
 *   staff_redress.c    remedies on the case page, POST /staff/cases/{ref}/remedies...
 *   staff_joint.c      contributions and liaisons on the case page
 *   staff_advocacy.c   advocacy and access needs on the case page
 *   staff_freezing.c   freezing decisions on the case page
 *   staff_rights.c     consent to share, redacted copies, the subject access PDF
 *   staff_behaviour.c  a restricted person's banner, the behaviour forms and deadlines
 *   staff_person.c     GET /staff/orgs/{org}/people/{id}: the person's behaviour record
 *   staff_retention.c  /staff/admin/{org}/retention
 *   staff_mail.c       /staff/orgs/{org}/mail...: received email in quarantine; the
 *                      case page's correspondence by email
 *
 * Each handler runs only after routes_dispatch has matched the route,
 * identified the signed-in user, applied the route's rule (the one
 * authorisation check; a case page's rule is need to know) and, for a POST,
 * parsed the form and checked its CSRF token (web.h).  A handler never
 * decides a procedure's rules itself: every form that changes a case or a
 * person is declared in a table (staff_forms.h) and runs the API's handler
 * of the same change (a lifecycle action's goes through store_case_act, the
 * entry point the API and the command line use), and a refusal is shown on
 * the page with its rule's source and the form as it was filled in.  Reads of a case are written to the access log.
 */
#ifndef FH_WEB_STAFF_H
#define FH_WEB_STAFF_H

#include <stdbool.h>

#include "html.h"
#include "http.h"
#include "model.h"
#include "store_document.h"
#include "store_workspace.h"

void staff_login_form(http_request *req);
void staff_login(http_request *req);
void staff_logout(http_request *req);
/* next when it is a page of this site under /staff (not the sign-in pages), else the home page */
const char *staff_safe_next(const char *next);
/* staff_sso.c: single sign-on through the organisation's OpenID provider (docs/sso.md) */
void staff_sso_start(http_request *req);
void staff_sso_callback(http_request *req);
/* The sign-in page's buttons, one for each organisation's provider. */
void staff_sso_buttons(http_request *req, html_buf *b, const char *next);
/*
 * A page that moves on to `to` by itself (meta refresh) with a link to it:
 * after the callback (a redirect would not carry the Strict session cookie
 * of a chain begun at the provider) and after signing out to the provider
 * (the pages' CSP form-action 'self' stops a form's redirect to another site).
 */
void staff_sso_moving_on(http_request *req, const char *title, const char *to);
/* After a session begun through a provider has ended: where its sign-out sends the browser. */
const char *staff_sso_logout_url(http_request *req, const char *end_session,
				 const char *id_token);
/* the second factor's step of signing in (staff_auth.c) */
void staff_login_code_form(http_request *req);
void staff_login_code(http_request *req);
/* staff_account.c: "Your account", setting up the second factor */
void staff_account(http_request *req);
void staff_totp_setup(http_request *req);
void staff_totp_confirm(http_request *req);
void staff_totp_recovery(http_request *req);
void staff_totp_disable(http_request *req);

void staff_home(http_request *req);
void staff_work(http_request *req);
void staff_team(http_request *req);

void staff_case(http_request *req);
void staff_case_document(http_request *req);
/* What a triage or acceptance form's page shows first: the date received and
 * who complains, for whom, with consent (001 §7; staff_case.c). */
void staff_case_on_record(http_request *req, html_buf *b, const fh_case *c);
/* staff_actions.c: a lifecycle action's form, and its POST */
void staff_case_action_form(http_request *req);
void staff_case_act(http_request *req);

void staff_search(http_request *req);

/* staff_mail.c: received email (docs/email.md): the quarantine, one message,
 * its raw download, filing it by hand or setting it aside */
void staff_mail(http_request *req);
void staff_mail_message(http_request *req);
void staff_mail_raw(http_request *req);
void staff_mail_file(http_request *req);
void staff_mail_discard(http_request *req);
/* The case page's "Correspondence by email" section; nothing when there is none. */
void staff_mail_case_section(http_request *req, html_buf *b, const fh_case *c);
/* True when the case was made from an email (its kind to confirm at triage);
 * *about the case its subject named ("" none). */
bool staff_mail_made_case(http_request *req, const fh_case *c, const char **about);
/* The dashboards' notice of email waiting in quarantine, for those who record contacts. */
void staff_mail_quarantine_notice(http_request *req, html_buf *b);

void staff_letter_form(http_request *req);
void staff_letter_issue(http_request *req);
void staff_letter_view(http_request *req);
void staff_letter_resend(http_request *req);
/* The case page's "Letters" section (staff_letters.c), after its documents. */
void staff_case_letters(http_request *req, html_buf *b, const fh_case *c);

void staff_reports(http_request *req);
/* staff_assessment.c: the self-assessment against the Code (issue 19 item 4) */
void staff_assessment(http_request *req);
void staff_assessment_answer(http_request *req);
void staff_assessment_start(http_request *req);

/* My work's "Your deadlines in your calendar" section (staff_feed.c). */
void staff_work_feed(http_request *req, html_buf *b);
/* staff_tokens.c: "Your API tokens" */
void staff_tokens(http_request *req);
void staff_token_create(http_request *req);
void staff_token_revoke(http_request *req);
/* staff_redress.c ... staff_behaviour.c: each POST mirrors the API route of the
 * same path after /staff (staff_forms.h) */
void staff_remedy_add(http_request *req);
void staff_remedy_approve(http_request *req);
void staff_remedy_deliver(http_request *req);
void staff_contribution_request(http_request *req);
void staff_contribution_received(http_request *req);
void staff_liaison_add(http_request *req);
void staff_advocacy_step(http_request *req);
void staff_access_need_add(http_request *req);
void staff_consent_add(http_request *req);
void staff_freeze_request(http_request *req);
void staff_freeze_view(http_request *req);
void staff_freeze_decide(http_request *req);
void staff_freeze_review(http_request *req);
void staff_restriction_decide(http_request *req);
void staff_person(http_request *req);
void staff_person_export_pdf(http_request *req);
void staff_document_redact(http_request *req);
void staff_admin_retention(http_request *req);
void staff_behaviour_deadlines(http_request *req);
void staff_admin_retention_apply(http_request *req);
void staff_behaviour_warn(http_request *req);
void staff_behaviour_restrict(http_request *req);
void staff_behaviour_review(http_request *req);
void staff_behaviour_appeal(http_request *req);
void staff_behaviour_answer(http_request *req);

void staff_admin(http_request *req);
void staff_admin_users(http_request *req);
void staff_admin_user_add(http_request *req);
void staff_admin_user_disable(http_request *req);
void staff_admin_user_independence(http_request *req);
void staff_admin_user_totp_reset(http_request *req);
void staff_admin_user_password(http_request *req);
void staff_admin_organisation(http_request *req);
void staff_admin_organisation_save(http_request *req);
void staff_admin_teams(http_request *req);
void staff_admin_team_add(http_request *req);
void staff_admin_procedures(http_request *req);
void staff_admin_procedure(http_request *req);
void staff_admin_procedure_install(http_request *req);
void staff_admin_closures(http_request *req);
void staff_admin_closure_add(http_request *req);
void staff_admin_closure_remove(http_request *req);
/* the organisation's single sign-on provider (docs/sso.md) */
void staff_admin_sso(http_request *req);
void staff_admin_sso_save(http_request *req);
void staff_admin_sso_remove(http_request *req);

/* ---- shared by the staff modules (staff_common.c) ------------------------- */

/* Starts a staff page: the layout with the staff navigation, current marked. */
void staff_page_begin(http_request *req, html_buf *b, const char *title, const char *current);

/*
 * The user's view for the dashboards and search: the organisations where
 * they see every case and those where only their assigned ones (need to
 * know, as the API's case list decides it: authz.h).  Arrays in req->arena.
 */
void staff_scope(http_request *req, store_ws_filter *f);

/* A vocabulary word as people read it: "looked_after" -> "looked after". */
const char *staff_words(http_request *req, const char *code);

/* The same in lower case: "working-days" -> "working days". */
const char *staff_lower(http_request *req, const char *code);

/* "Mon 23 Nov 2026" for an ISO date; the text as it is when it is not one. */
const char *staff_date(http_request *req, const char *iso);

/* For the case page: the banner of each restriction on someone on the case, with the decision a complaint
 * received while it was in force needs (staff_behaviour.c); the link from a
 * person to their behaviour record; the subsystems' sections after the
 * people (staff_redress.c, staff_joint.c, staff_advocacy.c,
 * staff_freezing.c). */
void staff_behaviour_banner(http_request *req, html_buf *b, const fh_case *c);
void staff_behaviour_person_link(http_request *req, html_buf *b, const fh_case *c,
				 const fh_person *p);
void staff_redress_section(http_request *req, html_buf *b, const fh_case *c);
void staff_joint_section(http_request *req, html_buf *b, const fh_case *c);
void staff_advocacy_section(http_request *req, html_buf *b, const fh_case *c);
void staff_freezing_section(http_request *req, html_buf *b, const fh_case *c);
/* Under the documents: a form for a redacted copy of each (DOMAIN §8; staff_rights.c). */
void staff_rights_redactions(http_request *req, html_buf *b, const char *reference,
			     const store_document *docs, size_t n);

/* True when the user holds an administrator role somewhere. */
bool staff_is_admin(const http_request *req);

/* True when the user may read the monitoring report somewhere (AUTHZ_ORG_WIDE, as the API). */
bool staff_may_report(const http_request *req);

/* The first organisation whose behaviour deadlines the user may see
 * (AUTHZ_BEHAVIOUR, as the API), for the navigation; NULL: none. */
const char *staff_behaviour_org(const http_request *req);

#endif
