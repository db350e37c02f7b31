/*
 * redress.c: see redress.h.
 */
#include "redress.h"

#include <string.h>

#include "model.h"

const char *const REDRESS_TYPES[] = {
	"apology", "policy_review", "provide_service", "staff_training", "financial",
	"delay_payment", NULL,
};

const char *const REDRESS_CATEGORIES[] = {
	"quantifiable_loss", "non_monetary_benefit", "distress_harm_risk", "time_and_trouble", NULL,
};

const char *const REDRESS_EXCEPTIONS[] = {
	"legal_action", "court_settlement", "insurance_dispute", "insurance_settlement", NULL,
};

static const char *const EXCEPTION_WORDS[] = {
	"a matter subject to current legal action",
	"a settlement of court proceedings",
	"a dispute about a matter covered by insurance",
	"a settlement of an insurance claim",
};

static bool blank(const char *s)
{
	return !s || !*s;
}

fh_status redress_check(const redress_input *in, fh_error *err)
{
	char names[200];
	if (!blank(in->exception)) {
		for (size_t i = 0; REDRESS_EXCEPTIONS[i]; i++)
			if (strcmp(REDRESS_EXCEPTIONS[i], in->exception) == 0)
				return error_set(err, FH_ERULE, "exception", "001 Appendix B",
						 "the remedies policy does not apply to %s",
						 EXCEPTION_WORDS[i]);
		return error_set(err, FH_EINVAL, "exception", NULL, "'%s' is not one of %s",
				 in->exception, model_join(REDRESS_EXCEPTIONS, names, sizeof names));
	}
	if (blank(in->type) || !model_is_one_of(REDRESS_TYPES, in->type))
		return error_set(err, FH_EINVAL, "type", "001 Appendix B", "must be one of %s",
				 model_join(REDRESS_TYPES, names, sizeof names));
	if (blank(in->description))
		return error_set(err, FH_EINVAL, "description", NULL,
				 "is required: what will be done or paid, and why");
	if (strlen(in->description) > 4000)
		return error_set(err, FH_EINVAL, "description", NULL, "is at most 4000 bytes");
	bool financial = strcmp(in->type, "financial") == 0;
	bool delay = strcmp(in->type, "delay_payment") == 0;
	if (financial) {
		if (blank(in->category) || !model_is_one_of(REDRESS_CATEGORIES, in->category))
			return error_set(err, FH_EINVAL, "category", "001 Appendix B",
					 "a financial remedy names its category: one of %s",
					 model_join(REDRESS_CATEGORIES, names, sizeof names));
	} else if (!blank(in->category)) {
		return error_set(err, FH_EINVAL, "category", "001 Appendix B",
				 "only a financial remedy has a category");
	}
	if (financial || delay) {
		if (in->amount_pence <= 0 || in->amount_pence > REDRESS_AMOUNT_MAX)
			return error_set(err, FH_EINVAL, "amount_pence", NULL,
					 "a payment's amount is a whole number of pence from 1 to %d",
					 REDRESS_AMOUNT_MAX);
	} else if (in->amount_pence != 0) {
		return error_set(err, FH_EINVAL, "amount_pence", NULL,
				 "only a financial remedy or a payment for delay has an amount");
	}
	if (!in->justified)
		return error_set(err, FH_ERULE, "type", "001 Appendix B",
				 "remedies are for justified complaints: record a finding of "
				 "upheld or partly upheld first");
	if (delay && !in->went_past_target)
		return error_set(err, FH_ERULE, "type", "001 Appendix B",
				 "a payment for delay is for delay beyond the target times, and no "
				 "stage of this case went past its due date");
	return FH_OK;
}

fh_status redress_check_approve(bool already_approved, fh_date approved_on, fh_date today,
				fh_error *err)
{
	if (already_approved)
		return error_set(err, FH_ECONFLICT, "approved_on", NULL,
				 "this remedy has already been approved");
	if (approved_on > today)
		return error_set(err, FH_EINVAL, "approved_on", NULL, "is in the future");
	return FH_OK;
}

fh_status redress_check_deliver(bool approved, fh_date approved_on, bool already_delivered,
				fh_date delivered_on, fh_date today, fh_error *err)
{
	if (!approved)
		return error_set(err, FH_ERULE, "delivered_on", "001 §18.2",
				 "a remedy is delivered only once it has been approved");
	if (already_delivered)
		return error_set(err, FH_ECONFLICT, "delivered_on", NULL,
				 "this remedy has already been delivered");
	if (delivered_on > today)
		return error_set(err, FH_EINVAL, "delivered_on", NULL, "is in the future");
	if (delivered_on < approved_on)
		return error_set(err, FH_EINVAL, "delivered_on", NULL, "is before it was approved");
	return FH_OK;
}
