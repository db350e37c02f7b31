/*
 * assessment: the self-assessment against the Ombudsman's Complaint
 * Handling Code (issue 19 item 4; docs/reports.md "The self-assessment").
 *
 * The template is data: a file in assessments/ lists the Code's
 * requirements, each with the Code's own paragraph number, the section it
 * sits in, the requirement in this project's words and, where the records
 * can show it, the figure that is its evidence.  A revised Code is a new
 * file (a later applies_from), never new C.
 *
 * An organisation's answers are kept per reporting year (the financial
 * year, 1 April to 31 March, named by the year it starts in): for each
 * requirement whether it complies (yes, no, partly), the evidence and
 * commentary typed, and, where it does not fully comply, an action with
 * an owner and a target date.
 *
 * Everything here is pure: parsing a template, checking an answer, the
 * reporting year of a day and the words of a computed figure.
 */
#ifndef FH_ASSESSMENT_H
#define FH_ASSESSMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "arena.h"
#include "date.h"
#include "error.h"
#include "procedure.h" /* proc_problems */

#define ASSESSMENT_MAX_REQUIREMENTS 64
/* The longest text an answer's field may hold, in bytes. */
#define ASSESSMENT_TEXT_MAX 4000

/*
 * The figures the records can compute for a requirement's evidence, each a
 * count of a number of, over the cases handled under the Code in the year
 * (store_annual_figures fills them, from the annual report's own pass).
 */
typedef enum assessment_figure {
	FIGURE_NONE = -1,
	FIGURE_STAGE1_ACKNOWLEDGED_IN_TIME = 0, /* acknowledged by the due date, of acknowledged */
	FIGURE_STAGE1_ANSWERED_IN_TIME,         /* answered by the due date, of answered */
	FIGURE_STAGE2_ACKNOWLEDGED_IN_TIME,
	FIGURE_STAGE2_ANSWERED_IN_TIME,
	FIGURE_STAGE1_EXTENDED,                 /* answered after an extension, of answered */
	FIGURE_STAGE2_EXTENDED,
	FIGURE_STAGE2_SEPARATE_HANDLER,         /* Stage 2 responses by someone who had no
						 * hand in Stage 1, of Stage 2 responses */
	FIGURE_LEARNING_RECORDED,               /* responses saying what was learnt, of responses */
	FIGURE_COUNT
} assessment_figure;

/* The figure's name in a template ("stage1_acknowledged_in_time"). */
const char *assessment_figure_name(assessment_figure f);
/* The figure of a name; FIGURE_NONE for an unknown one. */
assessment_figure assessment_figure_parse(const char *name);

typedef struct assessment_value {
	int64_t num, den;
} assessment_value;

typedef struct assessment_requirement {
	const char *id;        /* its key, unique in the file: the Code's paragraph
				* ("6.2") where the file cites one, else the section
				* and a letter ("6b1") */
	const char *cites;     /* where in the Code, as people read it: "§6.2",
				* "§6, Stage 2 (time)"; "§" and the id when the
				* file gives none */
	const char *section;   /* the Code's section: "Stage 1" */
	const char *text;      /* what is required, in this project's words */
	assessment_figure figure;  /* FIGURE_NONE: the records cannot show it */
	const char *figure_label;  /* the figure's words: "Stage 1 acknowledged within 5
				    * working days"; NULL with FIGURE_NONE */
} assessment_requirement;

typedef struct assessment_template {
	const char *code;      /* "lgsco-code-2024" */
	const char *name;
	const char *source;
	fh_date applies_from;  /* the first day a council is assessed against it */
	size_t n;
	assessment_requirement req[ASSESSMENT_MAX_REQUIREMENTS];
	json_t *doc;           /* owns every string above */
} assessment_template;

/*
 * Parses and checks a template.  FH_OK with *out set (free with
 * assessment_free), or FH_EINVAL with every problem in *problems (each
 * with its path, "requirements[3].measure.figure") and err naming the first.
 */
fh_status assessment_parse(const char *text, assessment_template **out, proc_problems *problems,
			   fh_error *err);
void assessment_free(assessment_template *t);

/* The requirement of this id; NULL for none. */
const assessment_requirement *assessment_requirement_get(const assessment_template *t,
							 const char *id);

/*
 * Of several templates, the one for the reporting year that starts on
 * 1 April `year`: the latest whose applies_from is on or before the year's
 * last day, else the earliest.  NULL when n is 0.
 */
const assessment_template *assessment_template_for(const assessment_template *const *all,
						   size_t n, int year);

/* The reporting year (1 April to 31 March) of a day: 2026 for 2027-03-31. */
int assessment_year_of(fh_date day);
/* Its first and last days. */
void assessment_year_period(int year, fh_date *from, fh_date *to);
/* "2026-27" */
const char *assessment_year_name(fh_arena *arena, int year);

/* One answer as typed or sent; NULL or "" for a field not given. */
typedef struct assessment_answer {
	const char *requirement;
	const char *complies;    /* "yes", "no" or "partly" */
	const char *evidence;
	const char *commentary;
	const char *action;
	const char *owner;
	const char *due_on;      /* YYYY-MM-DD */
	bool carried_over;       /* copied from last year, not yet confirmed */
} assessment_answer;

/*
 * Checks an answer against the template: the requirement exists, complies
 * is yes, no or partly, every text fits, and where it is not "yes" an
 * action, its owner and its target date are given, the date a real date.
 * FH_EINVAL naming the field ("complies", "action", "owner", "due_on",
 * "requirement"...) with the rule's source (issue 19 item 4).
 */
fh_status assessment_answer_check(const assessment_template *t, const assessment_answer *a,
				  fh_error *err);

/*
 * The evidence the records give for a requirement, in arena:
 * "Stage 1 acknowledged within 5 working days: 412 of 474, 86.9%", or
 * "...: none in the period" when there were none to count.  NULL when the
 * requirement names no figure.
 */
const char *assessment_evidence(fh_arena *arena, const assessment_requirement *r,
				const assessment_value *figures);

#endif
