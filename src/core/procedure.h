/*
 * procedure: an organisation's complaints procedure, read from a data file.
 *
 * Policy is data (STYLE 8): each procedure of DOMAIN §3 is a JSON file under
 * procedures/ naming its stages, every clock (unit, length, the event it
 * starts from, how far and on what terms it may be extended), who responds,
 * what a response must contain, the window for asking to escalate (ideal
 * and latest), and where the customer goes at the end.  The format is
 * documented in docs/procedures.md.
 *
 * procedure_parse checks a file completely and reports every problem it
 * finds with its path ("stages[1].response.extend_to"), not just the first,
 * so an administrator can fix a file in one pass.  A parsed procedure is
 * immutable; its strings live as long as it does.
 */
#ifndef FH_PROCEDURE_H
#define FH_PROCEDURE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "error.h"
#include "timescale.h"

#define PROCEDURE_MAX_STAGES 3

/* The events a clock may start from. */
extern const char *const PROCEDURE_CLOCK_EVENTS[];
/* What a stage response may be required to contain (DOMAIN §4). */
extern const char *const PROCEDURE_RESPONSE_PARTS[];
/* The routes a procedure serves (its "route"; an organisation file's procedures[].route). */
extern const char *const PROCEDURE_ROUTES[];

typedef struct proc_span {
	timescale_unit unit;
	int length; /* 0: absent */
} proc_span;

typedef struct proc_clock {
	bool present;
	const char *from;      /* received, accepted, requested, acknowledged, statement_agreed,
				* chair_report */
	proc_span span;
	int extend_to;         /* 0: cannot be extended; -1: to any new date, with notice */
	const char *const *extension_reasons; /* NULL: any stated reason */
	size_t n_extension_reasons;
	bool extension_notice; /* a written notice must go to the customer first */
	const char *notice_name; /* what the notice is called: "progress report" (003) */
	/* LGSCO Code §6.4: past extend_to only with a good reason recorded with
	 * the extension (extend's good_reason); false: extend_to is the cap */
	bool beyond_with_good_reason;
	/* LGSCO Code §6.5: the extension notice gives the final resort's details */
	bool notice_gives_final_resort;
	const char *source;
} proc_clock;

typedef struct proc_window {
	bool present;
	int anchor_stage;      /* whose response the window counts from */
	proc_span ideal;       /* "ideally within" */
	proc_span latest;      /* "accepted up to" */
	bool discretionary;    /* staff may accept a later request, with a reason */
	const char *source;
} proc_window;

typedef struct proc_panel {
	bool present;
	int members;           /* exactly this many */
	bool chair;            /* one of them chairs */
	proc_clock within;     /* the panel meets within this of the valid request */
	proc_span invitation_before; /* invitation and papers at least this long before */
	proc_clock chair_report;     /* the chair reports within this of the panel */
	int excludes_stage;    /* no member may have investigated at this stage (003) */
	const char *source;
} proc_panel;

typedef struct proc_stage {
	int number;
	const char *name;
	const char *responder;  /* the role that issues the stage response */
	proc_clock acknowledge; /* a stage's own acknowledgement (003) */
	proc_window request;    /* stages after the first */
	proc_clock response;
	bool statement_of_complaint; /* the clock waits for an agreed statement (001 B Stage 2) */
	const char *const *required_roles; /* assigned before the response */
	size_t n_required_roles;
	const char *const *required_reports; /* io, ip: recorded before the response */
	size_t n_required_reports;
	bool addendum_allowed;
	const char *const *response_requires;
	size_t n_response_requires;
	proc_panel panel;
	/* 001 §14.3: the roles the case is not shared with (not assigned) at this
	 * stage until written, signed, dated consent to share personal
	 * information for independent consideration is recorded; none: no rule */
	const char *const *consent_to_share_before; /* NULL-terminated */
	size_t n_consent_to_share_before;
	const char *consent_to_share_source;
	/* roles only a user marked independent of the
	 * organisation may be assigned to (reg 19; 001 B Stage 2, Stage 3) */
	const char *const *independent_roles;
	size_t n_independent_roles;
	const char *independence_source;
	/* items 4 and 10: nobody who held an `earlier` role at an earlier
	 * stage ("responder": issued an earlier stage's response) is assigned
	 * to one of `roles` here (reg 19; 001 B Stage 3; 001 C Stage 2) */
	const char *const *separation_roles;
	size_t n_separation_roles;
	const char *const *separation_earlier;
	size_t n_separation_earlier;
	const char *separation_source;
	/* 003: each person the complaint is about is told and may
	 * respond, recorded before the response; NULL: no such duty here */
	const char *subject_response_source;
	/* the reports (io, ip) the response encloses a copy of
	 * (000 "The outcome of your complaint"; 004 Stage two) */
	const char *const *response_encloses;
	size_t n_response_encloses;
	const char *response_encloses_source;
	const char *source;
} proc_stage;

typedef struct fh_procedure {
	const char *code;
	int version;
	const char *org;
	const char *name;
	const char *route;       /* statutory or non_statutory */
	const char *source;
	const char *consent;     /* none, stops_clock, blocks_acceptance */
	const char *consent_source;
	/* the longest a wait for the child's answer on consent stops a clock
	 * (length 0: not limited, files written before the rule); after it the
	 * clock runs again (no clock stops for good) */
	proc_span consent_wait_limit;
	const char *consent_wait_source;
	/* the organisation's closure days lengthen this procedure's clocks
	 * (never for route statutory: reg 2 of SI 2006/1738 defines a working day) */
	bool closure_days;
	bool mediation_stops_clock;
	proc_span complaint_time_limit; /* "more than one year after the grounds arose" */
	const char *time_limit_source;
	proc_clock acknowledge;
	size_t n_stages;
	proc_stage stages[PROCEDURE_MAX_STAGES];
	const char *final_name, *final_contact, *final_source;
	const char *notes;
	json_t *doc;             /* owns every string above */
	void *owned[48];         /* the name lists, freed with the procedure */
	size_t n_owned;
} fh_procedure;

typedef struct proc_problem {
	char path[96];
	char message[192];
} proc_problem;

typedef struct proc_problems {
	size_t count;
	proc_problem items[48]; /* the first 48; count goes on counting */
} proc_problems;

/*
 * Parses and checks a procedure document.  FH_OK with *out set (free with
 * procedure_free), or FH_EINVAL with every problem in *problems and err
 * naming the first.
 */
fh_status procedure_parse(const char *text, fh_procedure **out, proc_problems *problems,
			  fh_error *err);
/* Same, from a parsed JSON document (taken over: the procedure keeps a reference). */
fh_status procedure_from_json(json_t *doc, fh_procedure **out, proc_problems *problems,
			      fh_error *err);
void procedure_free(fh_procedure *proc);

/* The stage with this number, or NULL. */
const proc_stage *procedure_stage(const fh_procedure *proc, int number);

/* True when the response of stage must include part (findings, learning, ...). */
bool procedure_requires(const proc_stage *stage, const char *part);

#endif
