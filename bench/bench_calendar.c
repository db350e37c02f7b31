/*
 * bench_calendar: working-day arithmetic calls per second on one core.
 *
 * Issue 3: deadline arithmetic runs for every case on every dashboard and
 * report, so calendar_add_working_days and calendar_working_days_between
 * must each manage at least 20 million calls a second on one core.  The
 * inputs are drawn beforehand (a fixed-seed generator, spread over the whole
 * 1980..2099 range, N from -200 to 200) so the timing is of the calls, and
 * every result feeds a checksum that is printed, so the compiler cannot
 * drop the work.  Each measurement runs several rounds and reports the best.
 *
 *   bench_calendar [CALLS_PER_ROUND]   (default 50 million)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "calendar.h"

#define INPUTS (1u << 16) /* a table that stays in cache, like a day's caseload */
#define ROUNDS 5

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint32_t next_random(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

int main(int argc, char **argv)
{
	long calls = argc > 1 ? strtol(argv[1], NULL, 10) : 50000000L;
	if (calls <= 0) {
		fprintf(stderr, "usage: bench_calendar [CALLS_PER_ROUND]\n");
		return 2;
	}
	fh_calendar *cal;
	fh_error err;
	double t0 = now_seconds();
	if (calendar_create_named(CALENDAR_DEFAULT_REGION, NULL, &cal, &err)) {
		fprintf(stderr, "bench_calendar: %s\n", err.message);
		return 1;
	}
	double build = now_seconds() - t0;

	static fh_date a[INPUTS], b[INPUTS];
	static int n[INPUTS];
	uint32_t seed = 2463534242u;
	fh_date lo = date_from_ymd(1981, 1, 1), hi = date_from_ymd(2098, 12, 31);
	for (unsigned i = 0; i < INPUTS; i++) {
		a[i] = lo + (fh_date)(next_random(&seed) % (uint32_t)(hi - lo));
		b[i] = lo + (fh_date)(next_random(&seed) % (uint32_t)(hi - lo));
		n[i] = (int)(next_random(&seed) % 401) - 200;
	}

	double best_add = 1e30, best_between = 1e30;
	uint64_t sum_add = 0, sum_between = 0;
	long failures = 0;
	for (int r = 0; r < ROUNDS; r++) {
		double start = now_seconds();
		for (long i = 0; i < calls; i++) {
			fh_date out;
			unsigned k = (unsigned)i & (INPUTS - 1);
			if (calendar_add_working_days(cal, a[k], n[k], &out, NULL) == FH_OK)
				sum_add += (uint32_t)out;
			else
				failures++;
		}
		double t = now_seconds() - start;
		best_add = t < best_add ? t : best_add;

		start = now_seconds();
		for (long i = 0; i < calls; i++) {
			int days;
			unsigned k = (unsigned)i & (INPUTS - 1);
			if (calendar_working_days_between(cal, a[k], b[k], &days, NULL) == FH_OK)
				sum_between += (uint32_t)days;
			else
				failures++;
		}
		t = now_seconds() - start;
		best_between = t < best_between ? t : best_between;
	}
	calendar_free(cal);

	printf("calendar build (england-and-wales, 1980..2099): %.3f ms\n", build * 1e3);
	printf("calendar_add_working_days:     %6.1f million calls/s  (best of %d rounds of %ld)\n",
	       (double)calls / best_add / 1e6, ROUNDS, calls);
	printf("calendar_working_days_between: %6.1f million calls/s  (best of %d rounds of %ld)\n",
	       (double)calls / best_between / 1e6, ROUNDS, calls);
	printf("checksums: add %llu, between %llu, refused %ld\n", (unsigned long long)sum_add,
	       (unsigned long long)sum_between, failures);
	return failures ? 1 : 0;
}
