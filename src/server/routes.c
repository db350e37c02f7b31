/*
 * routes.c: the route table and the one path every request takes through it.
 */
#include "routes.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "web.h"
#include "web_pages.h"
#include "web_staff.h"
#include "server.h"
#include "store_auth.h"

#define PUBLIC {false, AUTHZ_SCOPE_NONE, AUTHZ_ANY_ROLE}
#define SIGNED_IN(roles) {true, AUTHZ_SCOPE_NONE, (roles)}
#define ON_ORG(roles) {true, AUTHZ_SCOPE_ORG, (roles)}
#define ON_CASE(roles) {true, AUTHZ_SCOPE_CASE, (roles)}
/* Who writes letters and who exports a case's file: authz.h, shared with the pages. */
#define LETTER_WRITERS AUTHZ_LETTER_WRITERS
#define EXPORTERS AUTHZ_EXPORTERS

const route ROUTES[] = {
	/* operations */
	{"GET", "/healthz", api_healthz, 0, PUBLIC},
	{"GET", "/metrics", api_metrics, 0, SIGNED_IN(AUTHZ_ADMINISTRATOR)},
	/* signing in */
	/* login takes the write lock itself, after the slow password check */
	{"POST", "/api/v1/auth/login", api_login, ROUTE_JSON_BODY, PUBLIC},
	{"POST", "/api/v1/auth/logout", api_logout, ROUTE_WRITES, SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"GET", "/api/v1/me", api_me, 0, SIGNED_IN(AUTHZ_ANY_ROLE)},
	/* organisations: only those the caller holds a role in */
	{"GET", "/api/v1/orgs", api_orgs, 0, SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"GET", "/api/v1/orgs/{org}/teams", api_org_teams, 0, ON_ORG(AUTHZ_ANY_ROLE)},
	{"GET", "/api/v1/orgs/{org}/users", api_org_users, 0, ON_ORG(AUTHZ_ADMINISTRATOR)},
	/* an administrator's changes to staff and teams (api_admin.c); the two that
	 * take a password hash it first and then take the write lock themselves */
	{"POST", "/api/v1/orgs/{org}/users", api_org_user_create, ROUTE_JSON_BODY,
	 ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/api/v1/orgs/{org}/users/{email}/disable", api_org_user_disable, ROUTE_WRITES,
	 ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/api/v1/orgs/{org}/users/{email}/enable", api_org_user_enable, ROUTE_WRITES,
	 ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/api/v1/orgs/{org}/users/{email}/password", api_org_user_password,
	 ROUTE_JSON_BODY, ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/api/v1/orgs/{org}/users/{email}/second-factor/reset", api_org_user_totp_reset,
	 ROUTE_WRITES, ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/api/v1/orgs/{org}/second-factor", api_org_second_factor,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"GET", "/api/v1/orgs/{org}/sso", api_org_sso_get, 0, ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/api/v1/orgs/{org}/sso", api_org_sso_set, ROUTE_JSON_BODY | ROUTE_WRITES,
	 ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"DELETE", "/api/v1/orgs/{org}/sso", api_org_sso_delete, ROUTE_WRITES,
	 ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/api/v1/orgs/{org}/users/{email}/roles", api_org_user_grant,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/api/v1/orgs/{org}/users/{email}/independence", api_org_user_independence,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/api/v1/orgs/{org}/teams", api_org_team_create, ROUTE_JSON_BODY | ROUTE_WRITES,
	 ON_ORG(AUTHZ_ADMINISTRATOR)},
	/* cases: the list is scoped inside the query; one case by the rule */
	{"GET", "/api/v1/cases", api_case_list, 0, SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"POST", "/api/v1/cases", api_case_create, ROUTE_JSON_BODY | ROUTE_WRITES,
	 SIGNED_IN(AUTHZ_RECORD)},
	{"GET", "/api/v1/cases/{ref}", api_case_get, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	{"GET", "/api/v1/cases/{ref}/history", api_case_history, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	/* documents: whoever may see the case; confidential ones are the handler's
	 * further rule (api_documents.c); the upload is the raw file, not JSON */
	{"POST", "/api/v1/cases/{ref}/documents", api_document_upload, ROUTE_WRITES,
	 ON_CASE(AUTHZ_ANY_ROLE)},
	{"GET", "/api/v1/cases/{ref}/documents", api_document_list, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	{"GET", "/api/v1/cases/{ref}/documents/{id}", api_document_get, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	/* the people on a case: those who record cases change them (api_parties.c) */
	{"POST", "/api/v1/cases/{ref}/parties", api_party_add, ROUTE_JSON_BODY | ROUTE_WRITES,
	 ON_CASE(AUTHZ_RECORD)},
	{"PATCH", "/api/v1/cases/{ref}/parties/{party}", api_party_change,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_CASE(AUTHZ_RECORD)},
	{"DELETE", "/api/v1/cases/{ref}/parties/{party}", api_party_remove, ROUTE_WRITES,
	 ON_CASE(AUTHZ_RECORD)},
	/* the lifecycle: the rules decide which role may take which action */
	{"GET", "/api/v1/cases/{ref}/lifecycle", api_case_lifecycle, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	{"POST", "/api/v1/cases/{ref}/actions/{action}", api_case_act,
	 ROUTE_JSON_BODY | ROUTE_EMPTY_BODY_OK | ROUTE_WRITES, ON_CASE(AUTHZ_ANY_ROLE)},
	{"GET", "/api/v1/actions", api_actions, 0, SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"GET", "/api/v1/procedures", api_procedures, 0, SIGNED_IN(AUTHZ_ANY_ROLE)},
	/* one procedure: the handler answers 404 outside the caller's organisations;
	 * installing needs an administrator of the document's own organisation */
	{"GET", "/api/v1/procedures/{code}", api_procedure_get, 0, SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"POST", "/api/v1/procedures", api_procedure_install, ROUTE_JSON_BODY | ROUTE_WRITES,
	 SIGNED_IN(AUTHZ_ADMINISTRATOR)},
	/* the calendar: anyone signed in; ?org= is checked by the handler (authz_org) */
	{"GET", "/api/v1/calendar/add", api_calendar_add, 0, SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"GET", "/api/v1/calendar/between", api_calendar_between, 0, SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"GET", "/api/v1/calendar/holidays/{year}", api_calendar_holidays, 0,
	 SIGNED_IN(AUTHZ_ANY_ROLE)},
	/* the web pages (src/web/): the stylesheet, then the public's pages */
	{"GET", "/assets/site.css", web_asset_css, 0, PUBLIC},
	{"GET", "/o/{org}", web_public_home_redirect, ROUTE_HTML, PUBLIC},
	{"GET", "/o/{org}/", web_public_start, ROUTE_HTML, PUBLIC},
	{"GET", "/o/{org}/young-people", web_public_young, ROUTE_HTML, PUBLIC},
	/* the staff pages (src/web/web_staff.h): signing in takes the write
	 * lock itself, after the slow password check; a case page's rule is
	 * the API's need to know, and the lifecycle decides each action */
	{"GET", "/staff/login", staff_login_form, ROUTE_HTML, PUBLIC},
	{"POST", "/staff/login", staff_login, ROUTE_HTML, PUBLIC},
	{"POST", "/staff/logout", staff_logout, ROUTE_HTML | ROUTE_WRITES, SIGNED_IN(AUTHZ_ANY_ROLE)},
	/* the second factor after a right password: the code takes the write lock itself */
	{"GET", "/staff/login/code", staff_login_code_form, ROUTE_HTML, PUBLIC},
	/* single sign-on (staff_sso.c): to the provider and back; no one is signed in yet */
	{"GET", "/staff/sso/start", staff_sso_start, ROUTE_HTML, PUBLIC},
	{"GET", "/staff/sso/callback", staff_sso_callback, ROUTE_HTML, PUBLIC},
	{"POST", "/staff/login/code", staff_login_code, ROUTE_HTML, PUBLIC},
	/* one's own second factor (staff_account.c) */
	{"GET", "/staff/account", staff_account, ROUTE_HTML, SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"POST", "/staff/account/second-factor/setup", staff_totp_setup, ROUTE_HTML | ROUTE_WRITES,
	 SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"POST", "/staff/account/second-factor/confirm", staff_totp_confirm,
	 ROUTE_HTML | ROUTE_WRITES, SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"POST", "/staff/account/second-factor/recovery-codes", staff_totp_recovery,
	 ROUTE_HTML | ROUTE_WRITES, SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"POST", "/staff/account/second-factor/disable", staff_totp_disable,
	 ROUTE_HTML | ROUTE_WRITES, SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"GET", "/staff", staff_home, ROUTE_HTML, SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"GET", "/staff/work", staff_work, ROUTE_HTML, SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"GET", "/staff/team", staff_team, ROUTE_HTML, SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"GET", "/staff/search", staff_search, ROUTE_HTML, SIGNED_IN(AUTHZ_ANY_ROLE)},
	/* one's own API tokens (staff_tokens.c): each acts with its owner's roles */
	{"GET", "/staff/tokens", staff_tokens, ROUTE_HTML, SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"POST", "/staff/tokens", staff_token_create, ROUTE_HTML | ROUTE_WRITES,
	 SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"POST", "/staff/tokens/{id}/revoke", staff_token_revoke, ROUTE_HTML | ROUTE_WRITES,
	 SIGNED_IN(AUTHZ_ANY_ROLE)},
	/* the monitoring report: the API's rule, in the organisation the form names */
	{"GET", "/staff/reports", staff_reports, ROUTE_HTML, SIGNED_IN(AUTHZ_ORG_WIDE)},
	/* the self-assessment against the Code: the API's rules */
	{"GET", "/staff/orgs/{org}/self-assessment/{year}", staff_assessment, ROUTE_HTML,
	 ON_ORG(AUTHZ_ORG_WIDE)},
	{"POST", "/staff/orgs/{org}/self-assessment/{year}/requirements/{n}",
	 staff_assessment_answer, ROUTE_HTML | ROUTE_WRITES, ON_ORG(AUTHZ_SELF_ASSESS)},
	{"POST", "/staff/orgs/{org}/self-assessment/{year}/start", staff_assessment_start,
	 ROUTE_HTML | ROUTE_WRITES, ON_ORG(AUTHZ_SELF_ASSESS)},
	{"GET", "/staff/cases/{ref}", staff_case, ROUTE_HTML, ON_CASE(AUTHZ_ANY_ROLE)},
	{"GET", "/staff/cases/{ref}/actions/{action}", staff_case_action_form, ROUTE_HTML,
	 ON_CASE(AUTHZ_ANY_ROLE)},
	{"POST", "/staff/cases/{ref}/actions/{action}", staff_case_act, ROUTE_HTML | ROUTE_WRITES,
	 ON_CASE(AUTHZ_ANY_ROLE)},
	{"POST", "/staff/cases/{ref}/documents", staff_case_document,
	 ROUTE_HTML | ROUTE_UPLOAD | ROUTE_WRITES, ON_CASE(AUTHZ_ANY_ROLE)},
	/* letters: the form and issuing are the API's letter writers' (authz.h) */
	{"GET", "/staff/cases/{ref}/letters/new", staff_letter_form, ROUTE_HTML,
	 ON_CASE(AUTHZ_LETTER_WRITERS)},
	{"POST", "/staff/cases/{ref}/letters", staff_letter_issue, ROUTE_HTML | ROUTE_WRITES,
	 ON_CASE(AUTHZ_LETTER_WRITERS)},
	{"GET", "/staff/cases/{ref}/letters/{id}", staff_letter_view, ROUTE_HTML,
	 ON_CASE(AUTHZ_ANY_ROLE)},
	{"POST", "/staff/cases/{ref}/letters/{id}/resend", staff_letter_resend,
	 ROUTE_HTML | ROUTE_WRITES, ON_CASE(AUTHZ_LETTER_WRITERS)},
	/* the subsystems on the staff pages (staff_forms.h): each POST runs the API
	 * route of the same path after /staff, with the same rule */
	{"POST", "/staff/cases/{ref}/remedies", staff_remedy_add, ROUTE_HTML | ROUTE_WRITES,
	 ON_CASE(AUTHZ_REDRESS_RECORD)},
	{"POST", "/staff/cases/{ref}/remedies/{id}/approve", staff_remedy_approve,
	 ROUTE_HTML | ROUTE_WRITES, ON_CASE(AUTHZ_REDRESS_APPROVE)},
	{"POST", "/staff/cases/{ref}/remedies/{id}/deliver", staff_remedy_deliver,
	 ROUTE_HTML | ROUTE_WRITES, ON_CASE(AUTHZ_REDRESS_RECORD)},
	{"POST", "/staff/cases/{ref}/contributions", staff_contribution_request,
	 ROUTE_HTML | ROUTE_WRITES, ON_CASE(AUTHZ_COORDINATE)},
	{"POST", "/staff/cases/{ref}/contributions/{id}/received", staff_contribution_received,
	 ROUTE_HTML | ROUTE_WRITES, ON_CASE(AUTHZ_COORDINATE)},
	{"POST", "/staff/cases/{ref}/liaisons", staff_liaison_add, ROUTE_HTML | ROUTE_WRITES,
	 ON_CASE(AUTHZ_COORDINATE)},
	{"POST", "/staff/cases/{ref}/advocacy", staff_advocacy_step, ROUTE_HTML | ROUTE_WRITES,
	 ON_CASE(AUTHZ_ADVOCACY)},
	{"POST", "/staff/cases/{ref}/access-needs", staff_access_need_add, ROUTE_HTML | ROUTE_WRITES,
	 ON_CASE(AUTHZ_ADVOCACY)},
	{"POST", "/staff/cases/{ref}/consents", staff_consent_add, ROUTE_HTML | ROUTE_WRITES,
	 ON_CASE(AUTHZ_RECORD)},
	{"POST", "/staff/cases/{ref}/freezing", staff_freeze_request, ROUTE_HTML | ROUTE_WRITES,
	 ON_CASE(AUTHZ_FREEZE_REQUEST)},
	{"POST", "/staff/cases/{ref}/freezing/{id}/view", staff_freeze_view,
	 ROUTE_HTML | ROUTE_WRITES, ON_CASE(AUTHZ_FREEZE_VIEW)},
	{"POST", "/staff/cases/{ref}/freezing/{id}/decision", staff_freeze_decide,
	 ROUTE_HTML | ROUTE_WRITES, ON_CASE(AUTHZ_LEADERSHIP)},
	{"POST", "/staff/cases/{ref}/freezing/{id}/review", staff_freeze_review,
	 ROUTE_HTML | ROUTE_WRITES, ON_CASE(AUTHZ_FREEZE_VIEW)},
	{"POST", "/staff/cases/{ref}/restrictions/{id}/decision", staff_restriction_decide,
	 ROUTE_HTML | ROUTE_WRITES, ON_CASE(AUTHZ_BEHAVIOUR_DECIDE)},
	{"POST", "/staff/cases/{ref}/documents/{id}/redactions", staff_document_redact,
	 ROUTE_HTML | ROUTE_UPLOAD | ROUTE_WRITES, ON_CASE(AUTHZ_REDACT)},
	/* received email the complaints team files by hand (staff_mail.c, docs/email.md):
	 * those who record contacts, in their organisation */
	{"GET", "/staff/orgs/{org}/mail", staff_mail, ROUTE_HTML, ON_ORG(AUTHZ_RECORD)},
	{"GET", "/staff/orgs/{org}/mail/{id}", staff_mail_message, ROUTE_HTML, ON_ORG(AUTHZ_RECORD)},
	{"GET", "/staff/orgs/{org}/mail/{id}/raw", staff_mail_raw, ROUTE_HTML, ON_ORG(AUTHZ_RECORD)},
	{"POST", "/staff/orgs/{org}/mail/{id}/file", staff_mail_file, ROUTE_HTML | ROUTE_WRITES,
	 ON_ORG(AUTHZ_RECORD)},
	{"POST", "/staff/orgs/{org}/mail/{id}/discard", staff_mail_discard,
	 ROUTE_HTML | ROUTE_WRITES, ON_ORG(AUTHZ_RECORD)},
	{"GET", "/staff/orgs/{org}/people/{id}", staff_person, ROUTE_HTML, ON_ORG(AUTHZ_BEHAVIOUR)},
	{"GET", "/staff/orgs/{org}/behaviour", staff_behaviour_deadlines, ROUTE_HTML,
	 ON_ORG(AUTHZ_BEHAVIOUR)},
	{"GET", "/staff/orgs/{org}/people/{id}/export.pdf", staff_person_export_pdf, ROUTE_HTML,
	 ON_ORG(AUTHZ_DATA_RIGHTS)},
	{"POST", "/staff/orgs/{org}/people/{id}/warnings", staff_behaviour_warn,
	 ROUTE_HTML | ROUTE_WRITES, ON_ORG(AUTHZ_BEHAVIOUR)},
	{"POST", "/staff/orgs/{org}/people/{id}/restrictions", staff_behaviour_restrict,
	 ROUTE_HTML | ROUTE_WRITES, ON_ORG(AUTHZ_BEHAVIOUR)},
	{"POST", "/staff/orgs/{org}/restrictions/{id}/reviews", staff_behaviour_review,
	 ROUTE_HTML | ROUTE_WRITES, ON_ORG(AUTHZ_BEHAVIOUR)},
	{"POST", "/staff/orgs/{org}/restrictions/{id}/appeal", staff_behaviour_appeal,
	 ROUTE_HTML | ROUTE_WRITES, ON_ORG(AUTHZ_BEHAVIOUR)},
	{"POST", "/staff/orgs/{org}/restrictions/{id}/appeal/answer", staff_behaviour_answer,
	 ROUTE_HTML | ROUTE_WRITES, ON_ORG(AUTHZ_SENIOR)},
	/* administration: an administrator of the organisation in the path */
	{"GET", "/staff/admin", staff_admin, ROUTE_HTML, SIGNED_IN(AUTHZ_ADMINISTRATOR)},
	{"GET", "/staff/admin/{org}/users", staff_admin_users, ROUTE_HTML, ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/staff/admin/{org}/users", staff_admin_user_add, ROUTE_HTML,
	 ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/staff/admin/{org}/users/{email}/disable", staff_admin_user_disable,
	 ROUTE_HTML | ROUTE_WRITES, ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/staff/admin/{org}/users/{email}/independence", staff_admin_user_independence,
	 ROUTE_HTML | ROUTE_WRITES, ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/staff/admin/{org}/users/{email}/second-factor/reset", staff_admin_user_totp_reset,
	 ROUTE_HTML | ROUTE_WRITES, ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/staff/admin/{org}/password", staff_admin_user_password, ROUTE_HTML | ROUTE_WRITES,
	 ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"GET", "/staff/admin/{org}/organisation", staff_admin_organisation, ROUTE_HTML,
	 ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/staff/admin/{org}/organisation", staff_admin_organisation_save,
	 ROUTE_HTML | ROUTE_WRITES, ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"GET", "/staff/admin/{org}/teams", staff_admin_teams, ROUTE_HTML, ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/staff/admin/{org}/teams", staff_admin_team_add, ROUTE_HTML | ROUTE_WRITES,
	 ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"GET", "/staff/admin/{org}/procedures", staff_admin_procedures, ROUTE_HTML,
	 ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/staff/admin/{org}/procedures", staff_admin_procedure_install,
	 ROUTE_HTML | ROUTE_UPLOAD | ROUTE_WRITES, ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"GET", "/staff/admin/{org}/procedures/{code}", staff_admin_procedure, ROUTE_HTML,
	 ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"GET", "/staff/admin/{org}/closures", staff_admin_closures, ROUTE_HTML,
	 ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/staff/admin/{org}/closures", staff_admin_closure_add, ROUTE_HTML | ROUTE_WRITES,
	 ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/staff/admin/{org}/closures/{date}/remove", staff_admin_closure_remove,
	 ROUTE_HTML | ROUTE_WRITES, ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"GET", "/staff/admin/{org}/sso", staff_admin_sso, ROUTE_HTML, ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/staff/admin/{org}/sso", staff_admin_sso_save, ROUTE_HTML | ROUTE_WRITES,
	 ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/staff/admin/{org}/sso/remove", staff_admin_sso_remove, ROUTE_HTML | ROUTE_WRITES,
	 ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"GET", "/staff/admin/{org}/retention", staff_admin_retention, ROUTE_HTML,
	 ON_ORG(AUTHZ_ADMINISTRATOR)},
	{"POST", "/staff/admin/{org}/retention/apply", staff_admin_retention_apply,
	 ROUTE_HTML | ROUTE_WRITES, ON_ORG(AUTHZ_ADMINISTRATOR)},
	/* the online form: check your answers first, as {step} would match it */
	{"GET", "/o/{org}/form/check", web_form_check, ROUTE_HTML, PUBLIC},
	{"POST", "/o/{org}/form/check", web_form_send, ROUTE_HTML | ROUTE_WRITES, PUBLIC},
	{"GET", "/o/{org}/form/{step}", web_form_step_get, ROUTE_HTML, PUBLIC},
	{"POST", "/o/{org}/form/{step}", web_form_step_post,
	 ROUTE_HTML | ROUTE_UPLOAD | ROUTE_WRITES, PUBLIC},
	/* the private tracking link: the token is the credential */
	{"GET", "/o/{org}/track/{token}", web_public_track, ROUTE_HTML, PUBLIC},
	{"GET", "/o/{org}/track/{token}/letters/{id}", web_public_track_letter, ROUTE_HTML, PUBLIC},
	/* the monitoring report counts every case: only the roles that see them all */
	{"GET", "/api/v1/orgs/{org}/report", api_report, 0, ON_ORG(AUTHZ_ORG_WIDE)},
	/* the self-assessment against the Code (issue 19 item 4): read by those who
	 * see every case, answered by the complaints team, managers and administrators */
	{"GET", "/api/v1/orgs/{org}/self-assessment/{year}", api_assessment_get, 0,
	 ON_ORG(AUTHZ_ORG_WIDE)},
	{"PUT", "/api/v1/orgs/{org}/self-assessment/{year}", api_assessment_put,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_ORG(AUTHZ_SELF_ASSESS)},
	{"PUT", "/api/v1/orgs/{org}/self-assessment/{year}/requirements/{n}", api_assessment_answer,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_ORG(AUTHZ_SELF_ASSESS)},
	{"POST", "/api/v1/orgs/{org}/self-assessment/{year}/start", api_assessment_start,
	 ROUTE_JSON_BODY | ROUTE_EMPTY_BODY_OK | ROUTE_WRITES, ON_ORG(AUTHZ_SELF_ASSESS)},
	/* letters (api_letters.c): whoever may see the case reads them; issuing
	 * is for those who write to customers */
	{"GET", "/api/v1/cases/{ref}/letters", api_letter_list, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	{"POST", "/api/v1/cases/{ref}/letters", api_letter_issue, ROUTE_JSON_BODY | ROUTE_WRITES,
	 ON_CASE(LETTER_WRITERS)},
	{"GET", "/api/v1/cases/{ref}/letters/{id}", api_letter_get, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	{"POST", "/api/v1/cases/{ref}/letters/{id}/resend", api_letter_resend,
	 ROUTE_JSON_BODY | ROUTE_EMPTY_BODY_OK | ROUTE_WRITES, ON_CASE(LETTER_WRITERS)},
	/* exports (api_export.c): the case file for the Ombudsman; the caller's
	 * own deadlines as iCalendar, for a calendar app (token in the query) */
	{"GET", "/api/v1/cases/{ref}/file", api_case_export, 0, ON_CASE(EXPORTERS)},
	{"GET", "/api/v1/calendar/deadlines.ics", api_deadlines_ics, ROUTE_TOKEN_IN_QUERY,
	 SIGNED_IN(AUTHZ_ANY_ROLE)},
	/* remedies (001 §18, Appendix B): recorded by those who investigate and
	 * adjudicate, approved by those with the authority to spend */
	{"GET", "/api/v1/cases/{ref}/remedies", api_remedy_list, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	{"POST", "/api/v1/cases/{ref}/remedies", api_remedy_add, ROUTE_JSON_BODY | ROUTE_WRITES,
	 ON_CASE(AUTHZ_REDRESS_RECORD)},
	{"POST", "/api/v1/cases/{ref}/remedies/{id}/approve", api_remedy_approve,
	 ROUTE_JSON_BODY | ROUTE_EMPTY_BODY_OK | ROUTE_WRITES, ON_CASE(AUTHZ_REDRESS_APPROVE)},
	{"POST", "/api/v1/cases/{ref}/remedies/{id}/deliver", api_remedy_deliver,
	 ROUTE_JSON_BODY | ROUTE_EMPTY_BODY_OK | ROUTE_WRITES, ON_CASE(AUTHZ_REDRESS_RECORD)},
	/* persistent behaviour (001 §19, Appendix A): on the person, not the case */
	{"GET", "/api/v1/orgs/{org}/people/{id}/behaviour", api_behaviour_get, 0,
	 ON_ORG(AUTHZ_BEHAVIOUR)},
	{"POST", "/api/v1/orgs/{org}/people/{id}/warnings", api_behaviour_warn,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_ORG(AUTHZ_BEHAVIOUR)},
	{"POST", "/api/v1/orgs/{org}/people/{id}/restrictions", api_behaviour_restrict,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_ORG(AUTHZ_BEHAVIOUR)},
	{"POST", "/api/v1/orgs/{org}/restrictions/{id}/reviews", api_behaviour_review,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_ORG(AUTHZ_BEHAVIOUR)},
	{"POST", "/api/v1/orgs/{org}/restrictions/{id}/appeal", api_behaviour_appeal,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_ORG(AUTHZ_BEHAVIOUR)},
	{"POST", "/api/v1/orgs/{org}/restrictions/{id}/appeal/answer", api_behaviour_answer,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_ORG(AUTHZ_SENIOR)},
	{"POST", "/api/v1/cases/{ref}/restrictions/{id}/decision", api_case_restriction_decide,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_CASE(AUTHZ_BEHAVIOUR_DECIDE)},
	/* freezing a proposed change of placement or service (001 §11) */
	{"GET", "/api/v1/cases/{ref}/freezing", api_freeze_list, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	{"POST", "/api/v1/cases/{ref}/freezing", api_freeze_request, ROUTE_JSON_BODY | ROUTE_WRITES,
	 ON_CASE(AUTHZ_FREEZE_REQUEST)},
	{"POST", "/api/v1/cases/{ref}/freezing/{id}/view", api_freeze_view,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_CASE(AUTHZ_FREEZE_VIEW)},
	{"POST", "/api/v1/cases/{ref}/freezing/{id}/decision", api_freeze_decide,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_CASE(AUTHZ_LEADERSHIP)},
	{"POST", "/api/v1/cases/{ref}/freezing/{id}/review", api_freeze_review,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_CASE(AUTHZ_FREEZE_VIEW)},
	/* data rights (DOMAIN §8; 001 §14.3) */
	{"GET", "/api/v1/orgs/{org}/people/{id}/export", api_subject_export, 0,
	 ON_ORG(AUTHZ_DATA_RIGHTS)},
	{"GET", "/api/v1/cases/{ref}/consents", api_consent_list, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	{"POST", "/api/v1/cases/{ref}/consents", api_consent_add, ROUTE_JSON_BODY | ROUTE_WRITES,
	 ON_CASE(AUTHZ_RECORD)},
	/* the redacted copy is the raw file, as an upload */
	{"POST", "/api/v1/cases/{ref}/documents/{id}/redactions", api_document_redact, ROUTE_WRITES,
	 ON_CASE(AUTHZ_REDACT)},
	/* joint complaints: one co-ordinated response (001 §13), other organisations (§12) */
	{"GET", "/api/v1/cases/{ref}/joint", api_joint_get, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	{"POST", "/api/v1/cases/{ref}/contributions", api_contribution_request,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_CASE(AUTHZ_COORDINATE)},
	{"POST", "/api/v1/cases/{ref}/contributions/{id}/received", api_contribution_received,
	 ROUTE_JSON_BODY | ROUTE_EMPTY_BODY_OK | ROUTE_WRITES, ON_CASE(AUTHZ_COORDINATE)},
	{"POST", "/api/v1/cases/{ref}/liaisons", api_liaison_add, ROUTE_JSON_BODY | ROUTE_WRITES,
	 ON_CASE(AUTHZ_COORDINATE)},
	/* advocacy and access (DOMAIN §7) */
	{"GET", "/api/v1/cases/{ref}/advocacy", api_advocacy_get, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	{"POST", "/api/v1/cases/{ref}/advocacy", api_advocacy_step, ROUTE_JSON_BODY | ROUTE_WRITES,
	 ON_CASE(AUTHZ_ADVOCACY)},
	{"POST", "/api/v1/cases/{ref}/access-needs", api_access_need_add,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_CASE(AUTHZ_ADVOCACY)},
	{"GET", "/api/v1/orgs/{org}/advocacy-counts", api_advocacy_counts, 0, ON_ORG(AUTHZ_ORG_WIDE)},
	/* persistent behaviour: every review and appeal still due in the organisation */
	{"GET", "/api/v1/orgs/{org}/behaviour-deadlines", api_behaviour_deadlines, 0,
	 ON_ORG(AUTHZ_BEHAVIOUR)},
	/* remedies by type for reports (001 §16: what complaints led to) */
	{"GET", "/api/v1/orgs/{org}/redress-totals", api_redress_totals, 0, ON_ORG(AUTHZ_ORG_WIDE)},
};
const size_t N_ROUTES = sizeof ROUTES / sizeof ROUTES[0];

/*
 * Matches path against pattern segment by segment; a {name} segment matches
 * any non-empty segment and is copied into params.
 */
static bool match(const char *pattern, const char *path, http_request *req,
		  const char *params[HTTP_MAX_PARAMS])
{
	size_t n = 0;
	while (*pattern && *path) {
		if (*pattern != '/' || *path != '/')
			return false;
		pattern++;
		path++;
		const char *pend = strchr(pattern, '/');
		const char *send = strchr(path, '/');
		size_t plen = pend ? (size_t)(pend - pattern) : strlen(pattern);
		size_t slen = send ? (size_t)(send - path) : strlen(path);
		if (plen > 1 && pattern[0] == '{') {
			if (slen == 0 || n == HTTP_MAX_PARAMS)
				return false;
			params[n++] = arena_strndup(req->arena, path, slen);
		} else if (plen != slen || memcmp(pattern, path, plen) != 0) {
			return false;
		}
		pattern += plen;
		path += slen;
	}
	return *pattern == '\0' && *path == '\0';
}

/* A route segment as a positive whole number; 0 when it is not one. */
static int64_t param_number(const char *text)
{
	char *end;
	errno = 0;
	long long n = strtoll(text, &end, 10);
	return !*text || *end || errno || n < 1 ? 0 : (int64_t)n;
}

/* application/json, with or without parameters such as charset=utf-8. */
static bool is_json(const char *content_type)
{
	if (!content_type)
		return false;
	while (*content_type == ' ')
		content_type++;
	size_t n = strlen("application/json");
	return strncasecmp(content_type, "application/json", n) == 0 &&
	       (content_type[n] == '\0' || content_type[n] == ';' || content_type[n] == ' ');
}

static bool parse_body(http_request *req, bool empty_ok)
{
	if (empty_ok && req->body_len == 0)
		return true; /* no parameters */
	if (!is_json(http_header(req, "Content-Type"))) {
		http_error(req, 415, "unsupported_media_type", NULL,
			   "send the body as JSON with 'Content-Type: application/json'");
		return false;
	}
	json_error_t jerr;
	req->json = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!req->json) {
		http_error(req, 400, "malformed_json", NULL, "the body is not valid JSON: %s "
			   "(line %d, column %d)", jerr.text, jerr.line, jerr.column);
		return false;
	}
	if (!json_is_object(req->json)) {
		http_error(req, 400, "malformed_json", NULL, "the body must be a JSON object");
		return false;
	}
	return true;
}

/* The route for a method and path, or NULL; params filled when found. */
static const route *find(const char *method, const char *path, http_request *req,
			 const char *params[HTTP_MAX_PARAMS])
{
	for (size_t i = 0; i < N_ROUTES; i++)
		if (strcmp(ROUTES[i].method, method) == 0 && match(ROUTES[i].pattern, path, req, params))
			return &ROUTES[i];
	return NULL;
}

unsigned routes_roles_of(route_handler handler)
{
	for (size_t i = 0; i < N_ROUTES; i++)
		if (ROUTES[i].handler == handler)
			return ROUTES[i].rule.roles;
	return AUTHZ_ANY_ROLE;
}

size_t routes_body_limit(const http_request *req, size_t server_limit)
{
	const char *params[HTTP_MAX_PARAMS] = {0};
	const route *r = find(req->method, req->path, (http_request *)req, params);
	if (r && (r->flags & ROUTE_UPLOAD) && server_limit < WEB_UPLOAD_BODY_MAX)
		return WEB_UPLOAD_BODY_MAX;
	return server_limit;
}

bool routes_is_upload(const http_request *req)
{
	const char *params[HTTP_MAX_PARAMS] = {0};
	const route *r = find(req->method, req->path, (http_request *)req, params);
	return r && (r->flags & ROUTE_UPLOAD);
}

bool routes_is_html_path(const char *path)
{
	if (strncmp(path, "/o/", 3) == 0 || strcmp(path, "/staff") == 0 ||
	    strncmp(path, "/staff/", 7) == 0 || strncmp(path, "/assets/", 8) == 0)
		return true;
	/* A pattern match needs somewhere to put the parameters: a small arena. */
	fh_arena arena = {0};
	http_request probe = {.arena = &arena};
	const char *params[HTTP_MAX_PARAMS] = {0};
	bool html = false;
	for (size_t i = 0; i < N_ROUTES && !html; i++)
		html = (ROUTES[i].flags & ROUTE_HTML) && match(ROUTES[i].pattern, path, &probe, params);
	arena_free(&arena);
	return html;
}

/*
 * An HTML route's way through identification and the rule: a stale cookie
 * on a public page is forgotten (the page is public); a stranger on a
 * signed-in page is sent to sign in, and comes back after.
 */
static bool html_authorise(http_request *req, const route *found, int session_idle_seconds)
{
	if (!authz_identify(req, session_idle_seconds)) {
		if (req->status != 401)
			return false;
		json_decref(req->out);
		req->out = NULL;
		req->status = 0;
		req->www_authenticate = false;
		req->who = NULL;
	}
	if (!authz_token_scope(req, false))
		return false;
	if (found->rule.signed_in && !req->who) {
		web_redirect(req, arena_printf(req->arena, "/staff/login?next=%s",
					       web_url_encode(req, req->path)));
		return false;
	}
	/* A session that may only set up a second factor: that, or signing out. */
	if (req->who && req->who->must_enrol && strcmp(req->path, "/staff/account") != 0 &&
	    strncmp(req->path, "/staff/account/", 15) != 0 && strcmp(req->path, "/staff/logout") != 0) {
		web_redirect(req, "/staff/account");
		return false;
	}
	if (!authz_check(req, &found->rule)) {
		req->www_authenticate = false;
		return false;
	}
	if (strcmp(req->method, "POST") == 0 &&
	    (!web_parse_form(req, found->flags & ROUTE_UPLOAD) || !web_csrf_check(req)))
		return false;
	return true;
}

void routes_dispatch(http_request *req, pthread_mutex_t *write_lock, int session_idle_seconds)
{
	const route *found = NULL;
	char allow[64] = "";
	const char *params[HTTP_MAX_PARAMS] = {0};
	for (size_t i = 0; i < N_ROUTES && !found; i++) {
		if (!match(ROUTES[i].pattern, req->path, req, params))
			continue;
		if (strcmp(ROUTES[i].method, req->method) == 0 ||
		    (strcmp(req->method, "HEAD") == 0 && strcmp(ROUTES[i].method, "GET") == 0)) {
			found = &ROUTES[i];
		} else if (!strstr(allow, ROUTES[i].method)) {
			size_t used = strlen(allow);
			snprintf(allow + used, sizeof allow - used, "%s%s", used ? ", " : "",
				 ROUTES[i].method);
		}
	}
	if (!found && allow[0]) {
		req->allow = arena_strdup(req->arena, allow);
		http_error(req, 405, "method_not_allowed", NULL, "%s is not allowed here; use %s",
			   req->method, allow);
		return;
	}
	if (!found) {
		http_error(req, 404, "not_found", NULL, "no such resource: %s",
			   req->log_path ? req->log_path : routes_log_path(req->path, req->arena));
		return;
	}
	memcpy(req->params, params, sizeof params);
	for (size_t i = 0; i < HTTP_MAX_PARAMS; i++)
		req->ids[i] = params[i] ? param_number(params[i]) : 0;
	req->html = found->flags & ROUTE_HTML;
	/* Who first: a caller who may not use the route learns nothing from
	 * how its body would have been judged. */
	if (req->html) {
		if (!html_authorise(req, found, session_idle_seconds))
			return;
	} else {
		const char *query_token =
			found->flags & ROUTE_TOKEN_IN_QUERY ? http_query(req, "token") : NULL;
		if (!authz_identify_as(req, session_idle_seconds, query_token) ||
		    !authz_token_scope(req, found->flags & ROUTE_TOKEN_IN_QUERY) ||
		    !authz_csrf(req) || !authz_check(req, &found->rule))
			return;
		if (req->who && req->who->must_enrol && strncmp(req->path, "/api/", 5) == 0 &&
		    found->handler != api_logout) {
			http_error(req, 403, "second_factor_enrolment_required", NULL,
				   "your organisation requires a second factor: set one up at "
				   "/staff/account first");
			return;
		}
	}
	if ((found->flags & ROUTE_JSON_BODY) &&
	    !parse_body(req, found->flags & ROUTE_EMPTY_BODY_OK))
		return;
	/* A change is made on the writer thread, in a batch (writeq.h). */
	if ((found->flags & ROUTE_WRITES) && server_write_defer(req, found->handler))
		return;
	if (found->flags & ROUTE_WRITES)
		pthread_mutex_lock(write_lock);
	found->handler(req);
	if (found->flags & ROUTE_WRITES)
		pthread_mutex_unlock(write_lock);
}

/* ---- the path as a log shows it ---------------------------------------------- */

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if none:
 * no overlong forms, no surrogates, nothing past U+10FFFF. */
static size_t utf8_sequence(const unsigned char *p, size_t n)
{
	if (p[0] < 0x80)
		return 1;
	size_t len;
	unsigned min;
	unsigned cp;
	if ((p[0] & 0xe0) == 0xc0) {
		len = 2, min = 0x80, cp = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		len = 3, min = 0x800, cp = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		len = 4, min = 0x10000, cp = p[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* One path segment, escaped, onto b. */
static void log_segment(html_buf *b, const char *seg, size_t len)
{
	const unsigned char *p = (const unsigned char *)seg;
	size_t i = 0;
	while (i < len) {
		size_t k = utf8_sequence(p + i, len - i);
		if (k == 0 || (k == 1 && (p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\'))) {
			html_rawf(b, "\\x%02x", p[i]);
			i++;
			continue;
		}
		html_rawf(b, "%.*s", (int)k, seg + i);
		i += k;
	}
}

static bool looks_like_token(const char *seg, size_t len)
{
	return len > 4 && (!strncmp(seg, "fhs_", 4) || !strncmp(seg, "fht_", 4) ||
			  !strncmp(seg, "fhf_", 4));
}

/* Whether the first plen bytes of pattern match the start of path,
 * segment by segment, a {name} matching any segment (even empty). */
static bool secret_prefix(const char *pattern, size_t plen, const char *path)
{
	const char *p = pattern, *end = pattern + plen;
	while (p < end) {
		if (*p != '/' || *path != '/')
			return false;
		p++;
		path++;
		size_t pl = strcspn(p, "/"), sl = strcspn(path, "/");
		if (pl > 1 && p[0] == '{') {
			/* any segment */
		} else if (pl != sl || memcmp(p, path, pl) != 0) {
			return false;
		}
		p += pl;
		path += sl;
	}
	return true;
}

const char *routes_log_path(const char *path, fh_arena *arena)
{
	/* Which segment is a secret: the {token} of a route whose pattern, up
	 * to and including it, matches the start of the path, a {name} there
	 * matching any segment, even an empty one -- so that
	 * /o/bct/track/TOKEN/anything and /o//track/TOKEN, both 404s, are
	 * digested too. */
	const char *secret_pattern = NULL;
	for (size_t i = 0; i < N_ROUTES && !secret_pattern; i++) {
		const char *t = strstr(ROUTES[i].pattern, "{token}");
		if (t && secret_prefix(ROUTES[i].pattern, (size_t)(t - ROUTES[i].pattern) + 7, path))
			secret_pattern = ROUTES[i].pattern;
	}
	html_buf b = HTML_BUF_INIT;
	const char *pat = secret_pattern;
	const char *p = path;
	while (*p) {
		size_t len = strcspn(p + (*p == '/'), "/") + (*p == '/');
		const char *seg = p;
		if (*seg == '/') {
			html_raw(&b, "/");
			seg++;
			len--;
		}
		bool secret = looks_like_token(seg, len);
		if (pat) {
			if (*pat == '/')
				pat++;
			size_t plen = strcspn(pat, "/");
			secret = secret || (plen == 7 && !strncmp(pat, "{token}", 7));
			pat += plen;
		}
		if (secret) {
			char d[STORE_LOG_DIGEST_TEXT];
			store_log_digest(seg, len, d);
			html_rawf(&b, "~%s", d);
		} else {
			log_segment(&b, seg, len);
		}
		p = seg + len;
	}
	const char *out = arena_strdup(arena, html_buf_str(&b));
	html_buf_free(&b);
	return out;
}

/* ---- the parsing steps on their own, for the fuzz target (tests/fuzz/) ---- */

bool routes_path_match(const char *pattern, const char *path, fh_arena *arena,
		       const char *params[HTTP_MAX_PARAMS])
{
	http_request req = {.arena = arena};
	return match(pattern, path, &req, params);
}

bool routes_is_json(const char *content_type)
{
	return is_json(content_type);
}
