/*
 * store_redress: remedies on a case (migration 011; rules in core/redress).
 *
 * Each change is one transaction with its audit event: 'remedy_recorded',
 * 'remedy_approved', 'remedy_delivered'.  The events carry the remedy's
 * number, type, category and amount, never its description (which may
 * name people).
 */
#ifndef FH_STORE_REDRESS_H
#define FH_STORE_REDRESS_H

#include "redress.h"
#include "store.h"

typedef struct store_remedy {
	int64_t id;
	const char *type, *category, *description;
	int64_t amount_pence;
	const char *recorded_by, *recorded_at;
	const char *approved_by, *approved_on;   /* "" until approved */
	const char *delivered_by, *delivered_on; /* "" until delivered */
} store_remedy;

/*
 * Records a remedy on the case.  in's type, category, amount, description
 * and exception are the caller's; the store fills in whether the case is
 * justified and went past a target (as of today) and asks redress_check.
 */
fh_status store_remedy_add(fh_store *st, const char *reference, const redress_input *in,
			   const char *actor, fh_date today, int64_t *id_out, fh_error *err);

/* Approves remedy id of the case on approved_on. */
fh_status store_remedy_approve(fh_store *st, const char *reference, int64_t id,
			       fh_date approved_on, const char *actor, fh_date today,
			       fh_error *err);

/* Marks remedy id of the case delivered on delivered_on. */
fh_status store_remedy_deliver(fh_store *st, const char *reference, int64_t id,
			       fh_date delivered_on, const char *actor, fh_date today,
			       fh_error *err);

/* The case's remedies, oldest first; strings live in arena. */
fh_status store_remedy_list(fh_store *st, const char *reference, fh_arena *arena,
			    store_remedy **out, size_t *count, fh_error *err);

/*
 * For reports: remedies recorded from..to (inclusive ISO dates, NULL:
 * open) on an organisation's cases, one row per type and category, with
 * how many were recorded, approved and delivered and the approved amount.
 */
typedef struct store_redress_total {
	const char *type, *category;
	int64_t recorded, approved, delivered;
	int64_t approved_pence;
} store_redress_total;

fh_status store_redress_totals(fh_store *st, const char *org_code, const char *from,
			       const char *to, fh_arena *arena, store_redress_total **out,
			       size_t *count, fh_error *err);

#endif
