/*
 * staff_actions.c: the lifecycle's actions on the staff pages.  Each action
 * has a form on a page of its own, GET /staff/cases/{ref}/actions/{action},
 * declared below as every staff form is (staff_forms.h), and its POST runs
 * the API's handler of the same action (api_case_act), which goes through
 * store_case_act, the one entry point for every lifecycle action, so no
 * rule is implemented twice.  The case page lists the actions the procedure
 * allows the user now (lifecycle_allowed), each a link to its form.  A
 * refusal is shown on the form's page with the rule's words and its
 * source, the form filled in as it was sent.
 */
#include "staff_forms.h"

#include <string.h>

#include "lifecycle.h"
#include "model.h"
#include "triage.h"
#include "web.h"

/* The words of every choice are the lifecycle's (lifecycle.h), so a form
 * offers exactly what the action takes; the reasons to extend a clock are
 * the case's procedure's (PF_REASONS).  Each form is on its own page, runs
 * the API's handler of the action (api_case_act, and so store_case_act)
 * and sends its values as text, as the command line does. */

/* The columns of the response's actions and of mediation's action plan. */
static const char *const RESPONSE_ACTIONS[] = {"action", "owner", "due_on", NULL};
static const char *const PLAN_ACTIONS[] = {"action", "due_on", NULL};

#define ON {"on", "Date", "The day it happened, for example 2026-11-23", PF_TODAY, NULL, false}
#define REASON(label) {"reason", label, NULL, PF_AREA, NULL, false} /* required wherever asked */

const pf_form STAFF_ACTION_FORMS[] = {
	{"acknowledge", "Acknowledge receipt", "Record that receipt was acknowledged (000; 004).",
	 ON_OWN_PAGE, false, api_case_act,
	 {ON}, true, NULL},
	{"triage", "Triage", "Decide the route: who is complaining and about what decides the "
	 "procedure (001 §7); the reasons not to consider a complaint are in 001 §9.1.",
	 ON_OWN_PAGE, false, api_case_act,
	 {ON,
	  {"grounds_arose_on", "When the grounds arose", "Complaints more than a year later may "
	   "be refused (001 §9.1). For example 2026-10-01", PF_DATE, NULL, true},
	  {"not_about_child", "Not about a service to a child", "An adult's complaint about a "
	   "service with no direct impact on a child (001 §7.10)", PF_TICK, NULL, true},
	  {"provider_concern", "A provider's concern", "Redirect to the commissioner (001 §7.9)",
	   PF_TICK, NULL, true},
	  {"partner_agency", "From a partner agency", "Police, schools, health (001 §7.8)", PF_TICK,
	   NULL, true},
	  {"child_express_consent", "The child gave express consent", NULL, PF_TICK, NULL, true},
	  {"court_report", "About a court report", "001 §10", PF_TICK, NULL, true},
	  {"sufficient_interest", "Sufficient interest", "For a representative who is not a "
	   "parent or carer (001 §7.5)", PF_CHOICE, LIFECYCLE_INTEREST, true},
	  {"sufficient_interest_reason", "Reason for the sufficient interest decision", NULL,
	   PF_AREA, NULL, true},
	  {"accept_late_reason", "Reason to accept a late complaint", NULL, PF_AREA, NULL, true},
	  {"exclusions", "Reasons not to consider it (001 §9.1)", NULL, PF_CHOICES,
	   TRIAGE_EXCLUSIONS, true},
	  {"about_staff", "Staff complained about", "Their email addresses, separated by commas "
	   "(a complaint about a Team Manager goes to another: 001 B Stage 1)", PF_EMAILS, NULL,
	   true}}, true, staff_case_on_record},
	{"accept", "Accept into Stage 1", "The Stage 1 clock starts on acceptance (001 B Stage 1).",
	 ON_OWN_PAGE, false, api_case_act,
	 {ON, {"consent_override_reason", "Reason to go ahead without the child's consent", NULL,
	       PF_AREA, NULL, true}}, true, staff_case_on_record},
	{"decline", "Decline", "Close a complaint triage found not to be considered; the "
	 "customer must be told why in writing (001 §9.2).", ON_OWN_PAGE, false, api_case_act,
	 {ON}, true, NULL},
	{"consent", "Record consent", "The child's consent to a representative (001 §7.4).",
	 ON_OWN_PAGE, false, api_case_act,
	 {ON, {"consent", "Consent", NULL, PF_CHOICE, MODEL_CONSENT_STATES, false}}, true, NULL},
	{"suspend", "Suspend", "While court, tribunal, disciplinary or criminal proceedings run "
	 "(001 §9.3).", ON_OWN_PAGE, false, api_case_act,
	 {ON, {"proceedings", "Proceedings", NULL, PF_CHOICE, LIFECYCLE_PROCEEDINGS, false},
			 REASON("Reason")}, true, NULL},
	{"resume", "Resume", "001 §9.4.",
	 ON_OWN_PAGE, false, api_case_act,
	 {ON, {"proceedings_concluded_on", "When the proceedings concluded", NULL, PF_DATE, NULL,
	       true}}, true, NULL},
	{"assign", "Assign someone", "To the current stage.",
	 ON_OWN_PAGE, false, api_case_act,
	 {ON, {"role", "Role", NULL, PF_CHOICE, MODEL_USER_ROLES, false},
	  {"user", "Person", NULL, PF_USER, NULL, false},
	  {"chair", "Chair of the panel", NULL, PF_TICK, NULL, true}}, true, NULL},
	{"unassign", "End an assignment", NULL,
	 ON_OWN_PAGE, false, api_case_act,
	 {ON, {"role", "Role", NULL, PF_CHOICE, MODEL_USER_ROLES, false},
	  {"user", "Person", NULL, PF_USER, NULL, false}}, true, NULL},
	{"extend", "Extend a clock", "Within the procedure's limit, for the reasons it allows; "
	 "at Stage 2 only after a written notice to the customer (001 B Stage 1, Stage 2).",
	 ON_OWN_PAGE, false, api_case_act,
	 {ON, {"clock", "Clock", NULL, PF_CLOCK, NULL, false},
	  {"to", "Extend to (working days or weeks, as the clock counts)", "The new length in "
	   "all, for example 20", PF_INT, NULL, true},
	  {"new_due", "New due date", "Only for a clock a progress report moves (003)", PF_DATE,
	   NULL, true},
	  {"because", "Because the complaint is", NULL, PF_REASONS, NULL, true},
	  REASON("Reason"),
	  {"notice_on", "Date the written notice was sent", NULL, PF_DATE, NULL, true},
	  {"good_reason", "Good reason for going past the usual limit", "Only where the "
	   "procedure allows a longer extension with one (LGSCO Code §6.4)", PF_GOOD_REASON, NULL,
	   true}},
	 true, NULL},
	{"agree_statement", "Statement of Complaint agreed", "The Stage 2 clock starts when the "
	 "customer agrees it (001 B Stage 2).", ON_OWN_PAGE, false, api_case_act,
	 {ON}, true, NULL},
	{"record_finding", "Record a finding", "A finding for every point and every desired "
	 "outcome (DOMAIN §4; 001 B).",
	 ON_OWN_PAGE, false, api_case_act,
	 {ON, {"point", "Point", NULL, PF_POINT, NULL, false},
	  {"outcome", "Finding", NULL, PF_CHOICE, LIFECYCLE_FINDINGS, false},
	  {"reasoning", "Reasons", NULL, PF_AREA, NULL, false},
	  {"outcome_response", "Answer to the desired outcome", NULL, PF_AREA, NULL, true}},
	 true, NULL},
	{"record_report", "Record a report", "The Investigating Officer's or Independent "
	 "Person's report, or the confidential addendum the customer never sees (001 B Stage 2).",
	 ON_OWN_PAGE, false, api_case_act,
	 {ON, {"kind", "Report", NULL, PF_CHOICE, LIFECYCLE_REPORTS, false},
	  {"summary", "Summary", NULL, PF_AREA, NULL, false}}, true, NULL},
	{"issue_response", "Issue the response", "It must answer every point and desired "
	 "outcome, say what was learnt and what will be done, by whom and when, and how to "
	 "escalate (DOMAIN §4).",
	 ON_OWN_PAGE, false, api_case_act,
	 {ON, {"learning", "Learning and service improvement", NULL, PF_AREA, NULL, true},
	  {"actions", "Actions", "What will be done, who owns it and by when", PF_ROWS,
	   RESPONSE_ACTIONS, true},
	  {"escalation_advice", "How to escalate", "Left empty, the procedure's words are used",
	   PF_AREA, NULL, true},
	  {"sent_by", "Sent by", "The window for the next stage counts from receipt: email and "
	   "hand that day, first-class post the second working day after (000, 002, 003 "
	   "\"of receiving\")", PF_CHOICE, LIFECYCLE_SENT_BY, true},
	  {"received_on", "Received by the customer on", "Only when known; it replaces the "
	   "day worked out from how it was sent", PF_DATE, NULL, true}}, true, NULL},
	{"request_escalation", "Record a request for the next stage", "Within the procedure's "
	 "window from the day the customer received the response (001 B: ideally 20 working days, "
	 "accepted up to a year); a closed case reopens for it while the window is open.",
	 ON_OWN_PAGE, false, api_case_act,
	 {ON, REASON("What the customer is still unhappy about"),
	  {"override_reason", "Reason to accept a late request", NULL, PF_AREA, NULL, true}},
	 true, NULL},
	{"accept_escalation", "Accept the request", "The next stage starts.",
	 ON_OWN_PAGE, false, api_case_act,
	 {ON}, true, NULL},
	{"schedule_panel", "Schedule the Review Panel", "Within 30 working days of the request "
	 "(001 B Stage 3).",
	 ON_OWN_PAGE, false, api_case_act,
	 {ON, {"date", "Panel date", "For example 2026-12-14", PF_DATE, NULL, false},
	  {"place", "Place", NULL, PF_TEXT, NULL, false},
	  {"override_reason", "Reason for a later date", NULL, PF_AREA, NULL, true}}, true, NULL},
	{"send_invitation", "Invitation and papers sent", "Not less than 10 working days before "
	 "the panel (001 B Stage 3).", ON_OWN_PAGE, false, api_case_act,
	 {ON}, true, NULL},
	{"record_panel", "The panel met", NULL, ON_OWN_PAGE, false, api_case_act,
	 {ON}, true, NULL},
	{"issue_chair_report", "The chair's report", "Within 5 working days of the panel "
	 "(001 B Stage 3).", ON_OWN_PAGE, false, api_case_act,
	 {ON, {"summary", "Summary", NULL, PF_AREA, NULL, false}}, true, NULL},
	{"refer_mediation", "Offer or request mediation", "Voluntary for both (001 §15).",
	 ON_OWN_PAGE, false, api_case_act,
	 {ON, {"offered_by", "Offered by", NULL, PF_CHOICE, LIFECYCLE_PARTIES, false}}, true, NULL},
	{"agree_mediation", "Agreement to mediation", NULL,
	 ON_OWN_PAGE, false, api_case_act,
	 {ON, {"party", "Who agreed", NULL, PF_CHOICE, LIFECYCLE_PARTIES, false}}, true, NULL},
	{"end_mediation", "End mediation", "It ends in an action plan shared with everyone "
	 "(001 §15.2).",
	 ON_OWN_PAGE, false, api_case_act,
	 {ON, {"outcome", "Outcome", NULL, PF_CHOICE, LIFECYCLE_MEDIATION_OUTCOMES, false},
	  {"action_plan", "Action plan", NULL, PF_ROWS, PLAN_ACTIONS, true},
	  {"notes", "Notes (confidential)", NULL, PF_AREA, NULL, true}}, true, NULL},
	{"ombudsman", "The Ombudsman", "An enquiry's reference, or its outcome.",
	 ON_OWN_PAGE, false, api_case_act,
	 {ON, {"reference", "Ombudsman's reference", NULL, PF_TEXT, NULL, true},
	  {"outcome", "Outcome", NULL, PF_CHOICE, LIFECYCLE_OMBUDSMAN_OUTCOMES, true}}, true, NULL},
	{"add_point", "Add a point", "A point set out after recording, such as in the Statement "
	 "of Complaint.",
	 ON_OWN_PAGE, false, api_case_act,
	 {ON, {"summary", "The point", NULL, PF_AREA, NULL, false},
	  {"desired_outcome", "What would put it right", NULL, PF_AREA, NULL, true}}, true, NULL},
	{"record_subject_response", "The person complained about was told",
	 "If the complaint relates to a specific person, they are told and may respond; the "
	 "reply waits for it (003 Stage 1, Stage 2).",
	 ON_OWN_PAGE, false, api_case_act,
	 {ON, {"person", "Person complained about", "Their email, as triage recorded it",
	       PF_TEXT, NULL, false},
	  {"told_on", "When they were told", "For example 2027-01-12", PF_DATE, NULL, false},
	  {"response", "What they said", "Leave empty if they chose not to respond", PF_AREA,
	   NULL, true}}, true, NULL},
	{"withdraw_point", "Withdraw a point", NULL,
	 ON_OWN_PAGE, false, api_case_act,
	 {ON, {"point", "Point", NULL, PF_POINT, NULL, false}}, true, NULL},
	{"withdraw", "Withdraw the complaint", NULL, ON_OWN_PAGE, false, api_case_act,
	 {ON, REASON("Reason")}, true, NULL},
	{"close", "Close the case", NULL, ON_OWN_PAGE, false, api_case_act,
	 {ON}, true, NULL},
	{.key = NULL},
};

/* The action named in the path ({action}), or a 404 page. */
static const pf_form *route_action(http_request *req)
{
	const pf_form *f = staff_form_action(req->params[1]);
	if (!f)
		http_error(req, 404, "not_found", "action", "no action %s", req->params[1]);
	return f;
}

void staff_case_action_form(http_request *req)
{
	const pf_form *f = route_action(req);
	if (f)
		staff_form_page(req, f->key);
}

void staff_case_act(http_request *req)
{
	const pf_form *f = route_action(req);
	if (f)
		staff_form_post(req, f->key);
}
