/*
 * joint.c: see joint.h.
 */
#include "joint.h"

#include <string.h>

#include "model.h"

const char *const JOINT_RESPONDERS[] = {"single_response", "this_organisation",
					"other_organisation", "separate", NULL};

fh_status joint_check_contribution(int stage, fh_date requested_on, fh_date today,
				   bool already_requested, fh_error *err)
{
	if (stage < 1 || stage > 3)
		return error_set(err, FH_ECONFLICT, "stage", "001 §13.1",
				 "contributions are asked for a stage's response: the case is not "
				 "at a stage");
	if (requested_on > today)
		return error_set(err, FH_EINVAL, "requested_on", NULL, "is in the future");
	if (already_requested)
		return error_set(err, FH_ECONFLICT, "team", NULL,
				 "this team's contribution to this stage is asked for already");
	return FH_OK;
}

fh_status joint_check_received(bool already_received, fh_date requested_on, fh_date received_on,
			       fh_date today, fh_error *err)
{
	if (already_received)
		return error_set(err, FH_ECONFLICT, "received_on", NULL,
				 "this contribution has been received already");
	if (received_on > today)
		return error_set(err, FH_EINVAL, "received_on", NULL, "is in the future");
	if (received_on < requested_on)
		return error_set(err, FH_EINVAL, "received_on", NULL,
				 "is before the contribution was asked for");
	return FH_OK;
}

fh_status joint_check_response(int64_t n_outstanding, const char *first_team, fh_error *err)
{
	if (n_outstanding > 0)
		return error_set(err, FH_ERULE, "contributions", "001 §13.1",
				 "the teams produce a single, co-ordinated response: %lld team "
				 "contribution%s outstanding (%s)", (long long)n_outstanding,
				 n_outstanding == 1 ? " is" : "s are", first_team ? first_team : "");
	return FH_OK;
}

fh_status joint_check_liaison(const char *organisation, const char *responder,
			      fh_date liaised_on, bool customer_told, fh_date customer_told_on,
			      fh_date today, fh_error *err)
{
	char names[120];
	if (!organisation || !*organisation)
		return error_set(err, FH_EINVAL, "organisation", "001 §12.1",
				 "name the other organisation liaised with");
	if (strlen(organisation) > 200)
		return error_set(err, FH_EINVAL, "organisation", NULL, "is at most 200 bytes");
	if (!responder || !model_is_one_of(JOINT_RESPONDERS, responder))
		return error_set(err, FH_EINVAL, "responder", "001 §12.2", "must be one of %s",
				 model_join(JOINT_RESPONDERS, names, sizeof names));
	if (liaised_on > today)
		return error_set(err, FH_EINVAL, "liaised_on", NULL, "is in the future");
	if (strcmp(responder, "single_response") != 0 && !customer_told)
		return error_set(err, FH_ERULE, "customer_told_on", "001 §12.2",
				 "when there is not a single response, the customer is told how "
				 "the complaint will be dealt with and who will respond: give the "
				 "date they were told");
	if (customer_told && (customer_told_on > today || customer_told_on < liaised_on))
		return error_set(err, FH_EINVAL, "customer_told_on", NULL,
				 "is in the future or before the liaison");
	return FH_OK;
}
