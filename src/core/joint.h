/*
 * joint: complaints that touch more than one team or organisation
 * (001 §12, §13).
 *
 *  - more than one team: the teams produce a single, co-ordinated response
 *    (001 §13.1).  The complaints team asks each team for its contribution
 *    to the current stage's response and records when it arrives; the
 *    stage response cannot be issued while a contribution is outstanding;
 *  - another organisation: the liaison with it is recorded (001 §12.1),
 *    and who will respond.  Where there is not one single response, the
 *    customer is told how the complaint will be dealt with and who will
 *    respond (001 §12.2): the date they were told is required.
 */
#ifndef FH_JOINT_H
#define FH_JOINT_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "error.h"

/* single_response (one response for all), this_organisation, other_organisation, separate */
extern const char *const JOINT_RESPONDERS[];

fh_status joint_check_contribution(int stage, fh_date requested_on, fh_date today,
				   bool already_requested, fh_error *err);

fh_status joint_check_received(bool already_received, fh_date requested_on, fh_date received_on,
			       fh_date today, fh_error *err);

/* Whether the stage response may be issued with n_outstanding contributions. */
fh_status joint_check_response(int64_t n_outstanding, const char *first_team, fh_error *err);

fh_status joint_check_liaison(const char *organisation, const char *responder,
			      fh_date liaised_on, bool customer_told, fh_date customer_told_on,
			      fh_date today, fh_error *err);

#endif
