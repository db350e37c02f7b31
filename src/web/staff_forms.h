/*
 * staff_forms: the one way to declare a staff form (STYLE 7: validate at
 * the edge, by declaration).
 *
 * Every form of the staff pages that changes a case or a person is a row
 * of a pf_form table in the module of its subject: the lifecycle's actions
 * (staff_actions.c), remedies (staff_redress.c), joint working
 * (staff_joint.c), advocacy (staff_advocacy.c), consent to share
 * (staff_rights.c), freezing (staff_freezing.c) and behaviour
 * (staff_behaviour.c).  A row names its fields with their kinds, the rule's
 * words and source, where the form lives and the API handler it runs; one
 * writer draws it (staff_form_render) and one reader turns what was posted
 * into that handler's JSON body (staff_form_post), which the handler reads
 * strictly before calling the one store function, so no rule is written
 * twice.  The staff route has the API route's path after /staff, the same
 * {ref} and {id} (read once by the router into req->ids[]) and the same
 * rule in the route table.  A success goes back to the page with a notice
 * (staff_form_done_notice); a refusal (400, 403, 409, 422) is the form's own
 * page with the rule's words and source in the error summary and every
 * field as typed.
 *
 * Where a form lives decides its field names: on a page of many small forms
 * (the case page, the person page) each name carries the form's key
 * ("remedy-type", "approve3-on") so that no two share an id; a form on a
 * page of its own (a lifecycle action, /staff/cases/{ref}/actions/{key})
 * uses the bare names the action takes ("on", "reason").
 *
 * Keys are unique across every table: a key is the form's ?done= word.
 */
#ifndef FH_STAFF_FORMS_H
#define FH_STAFF_FORMS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "api.h"
#include "html.h"
#include "http.h"
#include "model.h"
#include "web.h"
#include "web_staff.h"

typedef enum pf_kind {
	PF_TEXT,
	PF_AREA,
	PF_DATE,    /* YYYY-MM-DD, as the API takes it */
	PF_TODAY,   /* the same, filled in with today until changed */
	PF_CHOICE,  /* one of choices: radios, or a select past four */
	PF_CHOICES, /* any of choices: checkboxes, sent as a JSON list */
	PF_INT,     /* a whole number */
	PF_PENCE,   /* pounds and pence typed, whole pence sent */
	PF_TICK,    /* one checkbox: true when ticked, false when not */
	PF_YESNO,   /* radios Yes / No: true or false */
	PF_PERSON,  /* one of the people on the case, by number */
	PF_EMAILS,  /* email addresses separated by commas, sent as a JSON list */
	PF_POINT,   /* one of the case's complaint points, by number */
	PF_CLOCK,   /* one of the case's clocks (its deadlines), by name */
	PF_REASONS, /* one of the reasons the case's procedure allows to extend a
		     * clock of its current stage; any text when it names none */
	PF_GOOD_REASON, /* text, asked only where a clock of the case's current
			 * stage may go past its extension limit with a good reason */
	PF_USER,    /* one of the organisation's users, by email */
	PF_ROWS,    /* up to three rows whose columns are choices ("action",
		     * "owner", "due_on"), sent as a JSON list of objects */
} pf_kind;

typedef struct pf_field {
	const char *name; /* the API's field */
	const char *label;
	const char *hint;
	pf_kind kind;
	const char *const *choices;
	bool optional;
} pf_field;

typedef enum pf_place {
	ON_CASE_PAGE,   /* folded on the case page; back to it when done */
	ON_PERSON_PAGE, /* folded on the person page; back to it when done */
	ON_OWN_PAGE,    /* a page of its own under the case: a lifecycle action
			 * (/staff/cases/{ref}/actions/{key}); back to the case */
	ON_ORG_PAGE,    /* one of many on a page of the organisation (the
			 * self-assessment, /staff/orgs/{org}/...): its
			 * STAFF_ORG_PAGES entry says where it goes back to and
			 * draws the page again with a refusal; an item's {id}
			 * is the path's third parameter */
} pf_place;

typedef struct pf_form {
	const char *key;    /* the fields' prefix, the ?done= word, an action's name */
	const char *title;  /* the button and the form page's heading */
	const char *intro;  /* the rule, with its source */
	pf_place place;
	bool item;          /* on one item: its {id} is the path's second parameter */
	void (*api)(http_request *req);
	pf_field fields[12];
	/*
	 * The body's values as the text typed, as the command line sends them
	 * (a number "20", a ticked box "true", an unticked one left out),
	 * rather than typed JSON: the lifecycle reads its parameters so, and
	 * records them as given.
	 */
	bool as_text;
	/* What the form's own page shows above the form (NULL: nothing). */
	void (*preface)(http_request *req, html_buf *b, const fh_case *c);
} pf_form;

/*
 * The page of a form ON_ORG_PAGE, by the form's key: its path for the
 * request (where a success goes back to), and the page drawn with status
 * and a refusal's errors, the form as typed.
 */
typedef struct pf_org_page {
	const char *key;
	const char *(*path)(http_request *req);
	void (*page)(http_request *req, int status, const web_errors *errors);
} pf_org_page;
/* Every ON_ORG_PAGE form's page, ended by an entry whose key is NULL. */
extern const pf_org_page STAFF_ORG_PAGES[];

/* Each subject's forms, each table ended by an entry whose key is NULL. */
extern const pf_form STAFF_ACTION_FORMS[];
extern const pf_form STAFF_REDRESS_FORMS[];
extern const pf_form STAFF_JOINT_FORMS[];
extern const pf_form STAFF_ADVOCACY_FORMS[];
extern const pf_form STAFF_RIGHTS_FORMS[];
extern const pf_form STAFF_FREEZING_FORMS[];
extern const pf_form STAFF_BEHAVIOUR_FORMS[];
extern const pf_form STAFF_ASSESSMENT_FORMS[];

/* Every table, for the checks that keys are unique (test_staff_forms). */
extern const pf_form *const STAFF_FORM_TABLES[];
extern const size_t STAFF_FORM_N_TABLES;

/* The form of this key in any table; NULL for none (a ?done= word, say). */
const pf_form *staff_form_by_key(const char *key);
/* The same for a key the code names: an unknown one is a bug (abort). */
const pf_form *staff_form_named(const char *key);
/* The form of the lifecycle action name (ON_OWN_PAGE); NULL for none. */
const pf_form *staff_form_action(const char *name);
/* Whether the caller's roles in org_id are ones the route table lets run the
 * form's API handler (routes_roles_of): the form is shown only to them. */
bool staff_form_may(const http_request *req, int64_t org_id, const pf_form *f);
/*
 * The <form> of f on one item (0: none), posting to action.  c is the case
 * the form is on (NULL on the person page); life its lifecycle as
 * store_case_lifecycle gives it ({"state", "deadlines", ...}), which a
 * PF_CLOCK field offers from (NULL: not read).  With posted, every field
 * shows what was sent.
 */
void staff_form_render(http_request *req, html_buf *b, const pf_form *f, int64_t item,
		       const char *action, const fh_case *c, const json_t *life,
		       const web_errors *errors, bool posted);
/*
 * staff_form_render with each field starting from values' member of its
 * name (a string) when nothing was posted: an answer already given, to
 * change (the self-assessment).  values NULL: as staff_form_render.
 */
void staff_form_render_values(http_request *req, html_buf *b, const pf_form *f, int64_t item,
			      const char *action, const json_t *values,
			      const web_errors *errors, bool posted);
/* The same folded under its title (or summary), as "Add a document" is. */
void staff_form_folded(http_request *req, html_buf *b, const pf_form *f, int64_t item,
		       const char *summary, const char *action, const fh_case *c);
/*
 * POST of the form key: runs its API handler with the form as the body;
 * a redirect back to its page, or the form's page with the refusal.
 */
void staff_form_post(http_request *req, const char *key);
/*
 * GET of a form on its own page (ON_OWN_PAGE): the case's form page, the
 * read written to the access log as the case page's is.
 */
void staff_form_page(http_request *req, const char *key);
/*
 * The "Done: ..." notice of the page's ?done= word: a form's title, or
 * "Add a document" / "Make a redacted copy" (the case page's uploads);
 * nothing for any other word.
 */
void staff_form_done_notice(http_request *req, html_buf *b);
/*
 * A whole number in [min, max] as typed (digits only); false when it is
 * not one.  The one reader of a whole number typed in a staff form.
 */
bool staff_whole_number(const char *text, int64_t min, int64_t max, int64_t *out);

/* One value as people read it: codes in words, dates as dates, booleans Yes/No. */
void staff_value_text(http_request *req, html_buf *b, const json_t *v);
/*
 * A table of the scalar fields of each object of list (nested lists and
 * objects are shown by the caller), headed by the fields' names in words;
 * empty's sentence when there are none.  With c, a person_id is a name.
 */
void staff_json_table(http_request *req, html_buf *b, const json_t *list, const char *empty,
		      const fh_case *c);
/* The name of a person on the case ("person N" when not on it). */
const char *staff_party_name(http_request *req, const fh_case *c, int64_t person);
/* /staff/cases/REF/rest */
const char *staff_case_path(http_request *req, const fh_case *c, const char *rest);
/* s without leading and trailing blanks, in req->arena. */
const char *staff_trimmed(http_request *req, const char *s);

#endif
