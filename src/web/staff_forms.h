/*
 * staff_forms: one way to declare a staff form that mirrors an API route.
 *
 * Each subsystem's staff module (staff_redress.c, staff_joint.c,
 * staff_advocacy.c, staff_rights.c, staff_freezing.c, staff_behaviour.c)
 * declares its forms in a table: the fields with their kinds, the rule's
 * words and source, where the form lives (the case page or the person
 * page) and the API handler it runs.  The staff route has the API route's
 * path after /staff, the same {ref} and {id} and the same rule in the
 * route table; staff_form_post turns the posted fields into that route's
 * JSON body and runs the API's own handler (api_redress.c ...), which
 * reads the body strictly and calls the one store function, so no rule is
 * implemented twice.  A success goes back to the page with a notice; a
 * refusal (400, 403, 409, 422) is the form's own page with the rule's words
 * and source in the error summary and every field as typed.
 *
 * Field names carry the form's key ("remedy-type", "approve3-on") so that
 * the many small forms of one page never share an id.
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
	PF_DATE,   /* YYYY-MM-DD, as the API takes it */
	PF_CHOICE, /* one of choices: radios, or a select past four */
	PF_INT,    /* a whole number */
	PF_PENCE,  /* pounds and pence typed, whole pence sent */
	PF_TICK,   /* one checkbox: true when ticked, false when not */
	PF_YESNO,  /* radios Yes / No: true or false */
	PF_PERSON, /* one of the people on the case, by number */
} pf_kind;

typedef struct pf_field {
	const char *name; /* the API's field */
	const char *label;
	const char *hint;
	pf_kind kind;
	const char *const *choices;
	bool optional;
} pf_field;

typedef enum pf_place { ON_CASE_PAGE, ON_PERSON_PAGE } pf_place;

typedef struct pf_form {
	const char *key;    /* the fields' prefix and the ?done= word */
	const char *title;  /* the button and the form page's heading */
	const char *intro;  /* the rule, with its source */
	pf_place place;
	bool item;          /* on one item: its {id} is the path's second parameter */
	void (*api)(http_request *req);
	pf_field fields[8];
} pf_form;

/* Each subsystem's forms, each table ended by an entry whose key is NULL. */
extern const pf_form STAFF_REDRESS_FORMS[];
extern const pf_form STAFF_JOINT_FORMS[];
extern const pf_form STAFF_ADVOCACY_FORMS[];
extern const pf_form STAFF_RIGHTS_FORMS[];
extern const pf_form STAFF_FREEZING_FORMS[];
extern const pf_form STAFF_BEHAVIOUR_FORMS[];

/* The form of this key in any table; NULL for none (a ?done= word, say). */
const pf_form *staff_form_by_key(const char *key);
/* The same for a key the code names: an unknown one is a bug (abort). */
const pf_form *staff_form_named(const char *key);
/* Whether the caller's roles in org_id are ones the route table lets run the
 * form's API handler (routes_roles_of): the form is shown only to them. */
bool staff_form_may(const http_request *req, int64_t org_id, const pf_form *f);
/* The <form> of f on one item (0: none), posting to action. */
void staff_form_render(http_request *req, html_buf *b, const pf_form *f, int64_t item,
		       const char *action, const fh_case *c, const web_errors *errors,
		       bool posted);
/* The same folded under its title (or summary), as "Add a document" is. */
void staff_form_folded(http_request *req, html_buf *b, const pf_form *f, int64_t item,
		       const char *summary, const char *action, const fh_case *c);
/*
 * POST of the form key: runs its API handler with the form as the body;
 * a redirect back to its page, or the form's page with the refusal.
 */
void staff_form_post(http_request *req, const char *key);

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
