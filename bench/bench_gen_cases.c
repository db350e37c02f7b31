/*
 * bench_gen_cases: fills a demo database with N more cases for the server
 * benchmark (bench/server.sh), through the same store_case_create the API
 * uses, so the rows, references, search index and audit chain are exactly
 * what real use would leave.
 *
 *   bench_gen_cases DB N
 *
 * Cases are spread over the four demo organisations and the 18 months
 * before 2026-11-23, with one to three parties and points each, from a fixed
 * seed (the same N gives the same database).  Written 2,000 to a
 * transaction: durability of each one is not what is being measured here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

static uint64_t rng = 0x5eed;

static unsigned next(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

#define PICK(a) ((a)[next((unsigned)(sizeof(a) / sizeof((a)[0])))])

static const char *const orgs[] = {"bct", "bct", "bct", "bcp", "bcp", "bccc", "example", "example"};
static const char *const given[] = {"Aisha", "Ben", "Chloe", "Daniel", "Ella", "Farah", "Grace",
				    "Hassan", "Imran", "Jade", "Kai", "Leah", "Maya", "Nia",
				    "Oskar", "Priya", "Reuben", "Sophie", "Tariq", "Zofia"};
static const char *const family[] = {"Ahmed", "Begum", "Brown", "Clarke", "Davies", "Evans",
				     "Hussain", "Jones", "Kaur", "Khan", "Lewis", "Mensah",
				     "Nowak", "Okafor", "Patel", "Singh", "Smith", "Taylor",
				     "Walker", "Wright"};
static const char *const points[] = {
	"Contact with my brother was cancelled at short notice",
	"Phone calls to the team were not returned for weeks",
	"The assessment contains factual errors about our family",
	"My pathway plan has not been reviewed since I turned 18",
	"The foster placement ended without a planning meeting",
	"Support agreed in the plan was never put in place",
	"We were not invited to the looked after review",
	"A member of staff was rude at the review meeting"};
static const char *const outcomes[] = {"An apology", "The plan reviewed this month",
				       "The records corrected", "Contact restored",
				       "Calls answered within two working days"};
static const char *const kinds[] = {"complaint", "complaint", "complaint", "compliment",
				    "comment"};
static const char *const channels[] = {"email", "online_form", "phone", "letter"};

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: bench_gen_cases DB N\n");
		return 2;
	}
	long n = strtol(argv[2], NULL, 10);
	fh_error err = {0};
	fh_store *st;
	if (store_open(argv[1], 0, &st, &err)) {
		fprintf(stderr, "bench_gen_cases: %s\n", err.message);
		return 1;
	}
	fh_date end = date_from_ymd(2026, 11, 23);
	for (long i = 0; i < n; i++) {
		if (i % 2000 == 0 && store_begin(st, &err))
			break;
		char received[DATE_ISO_LEN], email[96];
		date_format(end - (fh_date)next(548), received);
		fh_party parties[2] = {0};
		fh_point pts[3] = {0};
		const char *kind = PICK(kinds);
		parties[0].role = "complainant";
		parties[0].relationship = "parent";
		parties[0].consent = "given";
		parties[0].consent_on = received;
		parties[0].person.given_name = PICK(given);
		parties[0].person.family_name = PICK(family);
		snprintf(email, sizeof email, "%c.%s%ld@example.org", parties[0].person.given_name[0],
			 parties[0].person.family_name, i);
		parties[0].person.email = email;
		parties[0].person.address = "12 Station Road";
		parties[0].person.postcode = "B12 9QX";
		parties[1].role = "child";
		parties[1].child_status = "looked_after";
		parties[1].person.given_name = PICK(given);
		parties[1].person.family_name = parties[0].person.family_name;
		parties[1].person.date_of_birth = "2012-05-01";
		size_t n_points = strcmp(kind, "complaint") == 0 ? 1 + next(3) : 0;
		for (size_t p = 0; p < n_points; p++) {
			pts[p].summary = PICK(points);
			pts[p].desired_outcome = PICK(outcomes);
		}
		fh_case_input in = {
			.org_code = PICK(orgs), .kind = kind, .channel = PICK(channels),
			.received_on = received, .summary = n_points ? pts[0].summary
							  : "Thank you to the team for their help",
			.details = "Generated for the server benchmark.", .n_parties = 2,
			.parties = parties, .n_points = n_points, .points = pts};
		char reference[FH_REFERENCE_MAX];
		if (case_input_validate(&in, end, &err) ||
		    store_case_create(st, &in, "system:bench", reference, &err)) {
			fprintf(stderr, "bench_gen_cases: case %ld: %s: %s\n", i, err.field, err.message);
			store_rollback(st);
			store_close(st);
			return 1;
		}
		if ((i + 1) % 2000 == 0 || i + 1 == n) {
			if (store_commit(st, &err)) {
				fprintf(stderr, "bench_gen_cases: %s\n", err.message);
				break;
			}
			if ((i + 1) % 20000 == 0 || i + 1 == n)
				fprintf(stderr, "bench_gen_cases: %ld of %ld\n", i + 1, n);
		}
	}
	store_close(st);
	return err.status ? 1 : 0;
}
