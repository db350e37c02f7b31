/*
 * store_assessment: an organisation's self-assessment against the
 * Ombudsman's Complaint Handling Code, per reporting year (issue 19 item 4;
 * assessment.h; docs/reports.md "The self-assessment").
 *
 * The template is read from the files in FH_ASSESSMENTS_DIR (assessments/),
 * the one for the year chosen by its applies_from; the answers are rows of
 * self_assessment_answers (migration 028).  The evidence the records give
 * comes from the annual report's own pass (store_annual_figures), never
 * from a second count.
 */
#ifndef FH_STORE_ASSESSMENT_H
#define FH_STORE_ASSESSMENT_H

#include "assessment.h"
#include "report.h"
#include "store.h"

/* One requirement with its answer (complies NULL: not answered yet). */
typedef struct store_assessment_item {
	const assessment_requirement *req;
	assessment_answer answer;
	const char *computed;    /* the records' evidence, or NULL */
	const char *updated_by, *updated_at;
} store_assessment_item;

typedef struct store_assessment {
	assessment_template *tmpl; /* freed by store_assessment_release */
	int year;
	const char *year_name;     /* "2026-27" */
	fh_date from, to;
	const char *org_name;
	size_t answered, carried_over;
	bool previous;             /* the year before has answers to start from */
	size_t n;
	store_assessment_item *items; /* tmpl->n of them, in the template's order */
	assessment_value figures[FIGURE_COUNT];
} store_assessment;

/*
 * The template for the reporting year starting 1 April year, from the
 * files in FH_ASSESSMENTS_DIR.  FH_ENOTFOUND when there is none; FH_EINVAL
 * naming the file and field when one of them does not parse.
 */
fh_status store_assessment_template(int year, assessment_template **out, fh_error *err);

/*
 * The organisation's self-assessment for the year: every requirement of
 * the template, its answer, and the evidence the records give for the
 * year.  FH_ENOTFOUND naming "org" for an unknown organisation.
 */
fh_status store_assessment_get(fh_store *st, const char *org_code, int year, fh_arena *arena,
			       store_assessment *out, fh_error *err);
void store_assessment_release(store_assessment *a);

/*
 * Saves answers (each checked by assessment_answer_check; the first wrong
 * one refuses them all, the error's field prefixed "answers[i]." when
 * prefix_index) for the year, in one transaction with one audit event
 * (self_assessment_saved).  A saved answer is no longer carried over.
 */
fh_status store_assessment_save(fh_store *st, const char *org_code, int year,
				const assessment_answer *answers, size_t n, bool prefix_index,
				const char *actor, fh_error *err);

/*
 * Starts the year from the year before: each of its answers to a
 * requirement the year's template still has is copied in, marked carried
 * over, in one transaction with its audit event (self_assessment_started).
 * FH_ECONFLICT when the year has answers already; FH_ENOTFOUND naming
 * "year" when the year before has none.
 */
fh_status store_assessment_start(fh_store *st, const char *org_code, int year, const char *actor,
				 size_t *copied, fh_error *err);

/*
 * The self-assessment as a table of the annual report (called by
 * store_report_annual_tables inside its read transaction), its computed
 * evidence from figures, the report's own counts.
 */
fh_status store_assessment_table(fh_store *st, int64_t org_id, int year,
				 const assessment_value *figures, fh_report *r, fh_arena *arena,
				 fh_error *err);

#endif
