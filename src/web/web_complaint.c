/*
 * web_complaint.c: the public's online form, /o/{org}/form/{step}.
 *
 * It asks what the paper form of seed 000 asks (who is making it, on whose
 * behalf and their relationship to the child, contact details and how to
 * contact them, the optional equality-monitoring questions) and what the
 * online form of seed 004 asks (which service, what happened, what would put
 * it right, supporting documents), plus the kind (complaint, comment,
 * compliment) and consent to share with other agencies (001 §7.8).
 *
 * One short page per question or group (the GOV.UK "question pages"
 * pattern); the steps are a table.  Each POST validates its page and either
 * shows it again with an error summary, or saves the answers into a
 * server-side draft (store_public.h) and goes on.  The draft is found by a
 * random token in an HttpOnly, SameSite=Strict cookie scoped to the form:
 * nothing personal is ever in a URL, and no JavaScript is needed.
 *
 * "Check your answers" lists everything with change links; sending it
 * records the case through the same store functions as the API (the actor
 * is "system:online-form"), in one transaction with its documents, the
 * tracking link and the events, and answers with the confirmation page: the
 * reference, the date they will hear by (the acknowledgement clock the
 * lifecycle started), and the private tracking link, shown this once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "authz.h"
#include "server.h"
#include "store_auth.h"
#include "store_document.h"
#include "store_lifecycle.h"
#include "store_public.h"
#include "web.h"
#include "web_pages.h"
#include "web_public.h"

#define FORM_ACTOR "system:online-form"
#define DRAFT_COOKIE "fh_form"
enum {
	DRAFT_TTL = 2 * 3600,  /* an unfinished form is kept two hours after its last page */
	MAX_FILES = 3,
	/* Files wait in drafts until sent; past this much in all, uploads pause
	 * (anyone can start a draft, so the disk must not be theirs to fill). */
	DRAFT_FILES_MAX = 256 * 1024 * 1024,
	SUMMARY_MAX = 200,
	OUTCOME_MAX = 5000,
};

typedef struct form {
	http_request *req;
	web_public_org org;
	store_draft draft;
	bool have_draft;
	json_t *answers; /* owned */
	web_errors errors;
	const char *base; /* "/o/CODE/form/" */
	bool returning;   /* came from check your answers */
} form;

typedef struct step {
	const char *name;
	const char *title;
	bool (*applies)(form *f);
	void (*render)(form *f, html_buf *b);
	void (*read)(form *f); /* copies the POSTed fields into f->answers, noting errors */
	bool upload;
	void (*before)(form *f, html_buf *b); /* above the form, or NULL */
} step;

/* ---- answers ------------------------------------------------------------------------ */

static const char *ans(const form *f, const char *key)
{
	const char *v = json_string_value(json_object_get(f->answers, key));
	return v && *v ? v : NULL;
}

static bool ans_is(const form *f, const char *key, const char *value)
{
	const char *v = ans(f, key);
	return v && strcmp(v, value) == 0;
}

/* The POSTed value of key, trimmed of surrounding spaces, into the answers. */
static const char *take(form *f, const char *key)
{
	const char *v = web_form(f->req, key);
	if (!v)
		v = "";
	while (*v == ' ' || *v == '\t' || *v == '\n')
		v++;
	size_t n = strlen(v);
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\n'))
		n--;
	char *copy = arena_strndup(f->req->arena, v, n);
	json_object_set_new(f->answers, key, json_string(copy));
	return *copy ? copy : NULL;
}

/* A choice that must be one of the options' values ("" when none was made). */
static const char *take_choice(form *f, const char *key, const web_option *opts, size_t n,
			       const char *required_message)
{
	const char *v = take(f, key);
	bool known = false;
	for (size_t i = 0; v && i < n; i++)
		known |= strcmp(opts[i].value, v) == 0;
	if (v && !known) {
		json_object_set_new(f->answers, key, json_string(""));
		v = NULL;
	}
	if (!v && required_message)
		web_errors_add(&f->errors, key, required_message);
	return v;
}

static void too_long(form *f, const char *key, const char *what, size_t max)
{
	const char *v = ans(f, key);
	if (v && strlen(v) > max)
		web_errors_add(&f->errors, key,
			       arena_printf(f->req->arena, "%s must be %zu characters or fewer", what, max));
}

/*
 * A day/month/year question: all empty is no answer; otherwise it must be a
 * real date, not in the future.  Keeps the parts as typed, and the ISO date
 * under key when it is one.
 */
static void take_date(form *f, const char *key, const char *what)
{
	char name[64];
	const char *parts[3];
	static const char *const suffix[] = {"day", "month", "year"};
	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof name, "%s-%s", key, suffix[i]);
		parts[i] = take(f, name);
	}
	json_object_set_new(f->answers, key, json_string(""));
	if (!parts[0] && !parts[1] && !parts[2])
		return;
	if (!parts[0] || !parts[1] || !parts[2]) {
		web_errors_add(&f->errors, key, arena_printf(f->req->arena,
			       "%s must include a day, a month and a year", what));
		return;
	}
	char *end;
	long d = strtol(parts[0], &end, 10);
	bool ok = !*end;
	long m = strtol(parts[1], &end, 10);
	ok = ok && !*end;
	long y = strtol(parts[2], &end, 10);
	ok = ok && !*end && strlen(parts[2]) == 4;
	if (!ok || y < 1900 || !date_valid_ymd((int)y, (int)m, (int)d)) {
		web_errors_add(&f->errors, key,
			       arena_printf(f->req->arena, "%s must be a real date", what));
		return;
	}
	fh_date date = date_from_ymd((int)y, (int)m, (int)d);
	if (date > f->req->today) {
		web_errors_add(&f->errors, key,
			       arena_printf(f->req->arena, "%s must be in the past", what));
		return;
	}
	char iso[DATE_ISO_LEN];
	json_object_set_new(f->answers, key, json_string(date_format(date, iso)));
}

/* ---- the questions -------------------------------------------------------------- */

static const web_option KINDS[] = {
	{"complaint", "A complaint", "Something has gone wrong, or you are unhappy with a service or a decision"},
	{"comment", "A comment", "An idea or a suggestion to make a service better"},
	{"compliment", "A compliment", "Say thank you, or tell us something went well"},
};
static const web_option ABOUT[] = {
	{"self_child", "Me: I am a child or young person", "Under 18, or a care leaver up to 25"},
	{"self_adult", "Me: I am an adult", "For example a parent, a carer, or anyone who uses our services"},
	{"child", "A child or young person: I am telling you for them", NULL},
};
static const web_option RELATIONSHIPS[] = {
	{"parent", "Their parent", NULL},
	{"parental_responsibility", "Someone else with parental responsibility", NULL},
	{"guardian", "Their guardian", NULL},
	{"foster_carer", "Their foster carer", NULL},
	{"special_guardian", "Their special guardian", NULL},
	{"prospective_adopter", "Someone adopting them", NULL},
	{"advocate", "Their advocate", NULL},
	{"relative", "Another relative", NULL},
	{"friend", "A family friend", NULL},
	{"solicitor", "Their solicitor", NULL},
	{"other", "Someone else", NULL},
};
static const web_option CONSENT[] = {
	{"given", "Yes, they agree", NULL},
	{"not_asked", "I have not asked them yet", "We will check with them"},
	{"unable", "They are not able to agree", "For example, they are too young"},
};
static const web_option CHILD_STATUS[] = {
	{"looked_after", "In care (looked after)", NULL},
	{"formerly_looked_after", "Used to be in care", NULL},
	{"care_leaver", "A care leaver", NULL},
	{"child_in_need", "Gets help as a child in need", NULL},
	{"special_guardianship", "Lives with a special guardian", NULL},
	{"may_be_adopted", "May be adopted", NULL},
	{"adopted", "Adopted", NULL},
	{"none", "None of these", NULL},
	{"unknown", "I do not know", NULL},
};
static const web_option CONTACT[] = {
	{"email", "Email", NULL},
	{"phone", "Phone", NULL},
	{"post", "Post", NULL},
};
static const web_option SHARE[] = {
	{"yes", "Yes", NULL},
	{"no", "No", "We will only share it inside our organisation, with the people who need it to deal with it"},
};
static const web_option SEX[] = {
	{"female", "Female", NULL},
	{"male", "Male", NULL},
	{"another_way", "I describe myself another way", NULL},
	{"prefer_not_to_say", "I prefer not to say", NULL},
};
static const web_option DISABILITY[] = {
	{"yes", "Yes", NULL},
	{"no", "No", NULL},
	{"prefer_not_to_say", "I prefer not to say", NULL},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *option_label(const web_option *opts, size_t n, const char *value)
{
	for (size_t i = 0; value && i < n; i++)
		if (strcmp(opts[i].value, value) == 0)
			return opts[i].label;
	return value;
}

static bool always(form *f)
{
	(void)f;
	return true;
}

static bool about_a_child(form *f)
{
	return ans_is(f, "about", "self_child") || ans_is(f, "about", "child");
}

static bool is_complaint(const form *f)
{
	return ans_is(f, "kind", "complaint");
}

/* kind */
static void render_kind(form *f, html_buf *b)
{
	web_radios(b, &(web_field){.name = "kind", .label = "What would you like to tell us?",
		   .label_is_heading = true, .value = ans(f, "kind"),
		   .error = web_errors_for(&f->errors, "kind"), .options = KINDS, .n_options = N(KINDS)});
}

static void read_kind(form *f)
{
	take_choice(f, "kind", KINDS, N(KINDS), "Select what you would like to tell us");
}

/* who */
static void render_who(form *f, html_buf *b)
{
	web_radios(b, &(web_field){.name = "about", .label = "Who is this about?",
		   .label_is_heading = true, .value = ans(f, "about"),
		   .error = web_errors_for(&f->errors, "about"), .options = ABOUT, .n_options = N(ABOUT)});
}

static void read_who(form *f)
{
	take_choice(f, "about", ABOUT, N(ABOUT), "Select who this is about");
}

/* child */
static void render_child(form *f, html_buf *b)
{
	bool self = ans_is(f, "about", "self_child");
	html_raw(b, self ? "<h1>About you</h1>" : "<h1>About the child or young person</h1>");
	if (!self) {
		web_input(b, &(web_field){.name = "child_given_name", .label = "Their first name",
			  .value = ans(f, "child_given_name"), .width_class = "w-20", .maxlength = 200,
			  .error = web_errors_for(&f->errors, "child_given_name")});
		web_input(b, &(web_field){.name = "child_family_name", .label = "Their last name",
			  .value = ans(f, "child_family_name"), .width_class = "w-20", .maxlength = 200,
			  .error = web_errors_for(&f->errors, "child_family_name")});
		/* 000: "if on behalf of someone: their name and address" */
		web_textarea(b, &(web_field){.name = "child_address", .label = "Their address",
			     .optional = true, .rows = 3, .value = ans(f, "child_address"),
			     .hint = "If it is not the same as yours",
			     .error = web_errors_for(&f->errors, "child_address")});
	}
	web_date(b, &(web_field){.name = "child_dob", .label = self ? "Your date of birth" : "Their date of birth",
		 .optional = true, .hint = "For example, 27 3 2012",
		 .day = ans(f, "child_dob-day"), .month = ans(f, "child_dob-month"),
		 .year = ans(f, "child_dob-year"), .autocomplete = self ? "bday" : NULL,
		 .error = web_errors_for(&f->errors, "child_dob")});
	web_radios(b, &(web_field){.name = "child_status",
		   .label = self ? "Do any of these describe you?" : "Do any of these describe them?",
		   .optional = true, .hint = "This helps us use the right procedure",
		   .value = ans(f, "child_status"), .options = CHILD_STATUS, .n_options = N(CHILD_STATUS),
		   .error = web_errors_for(&f->errors, "child_status")});
	if (!self) {
		web_radios(b, &(web_field){.name = "relationship", .label = "How do you know them?",
			   .value = ans(f, "relationship"), .options = RELATIONSHIPS,
			   .n_options = N(RELATIONSHIPS), .error = web_errors_for(&f->errors, "relationship")});
		web_radios(b, &(web_field){.name = "consent",
			   .label = "Do they agree to you telling us this for them?",
			   .hint = "We always check with the child or young person when someone else "
				   "contacts us for them",
			   .value = ans(f, "consent"), .options = CONSENT, .n_options = N(CONSENT),
			   .error = web_errors_for(&f->errors, "consent")});
	}
}

static void read_child(form *f)
{
	bool self = ans_is(f, "about", "self_child");
	if (!self) {
		const char *given = take(f, "child_given_name");
		const char *family = take(f, "child_family_name");
		if (!given && !family)
			web_errors_add(&f->errors, "child_given_name", "Enter the child's name");
		too_long(f, "child_given_name", "Their first name", MODEL_SHORT_MAX);
		too_long(f, "child_family_name", "Their last name", MODEL_SHORT_MAX);
		take(f, "child_address");
		too_long(f, "child_address", "Their address", 1000);
	}
	take_date(f, "child_dob", self ? "Your date of birth" : "Their date of birth");
	take_choice(f, "child_status", CHILD_STATUS, N(CHILD_STATUS), NULL);
	if (!self) {
		take_choice(f, "relationship", RELATIONSHIPS, N(RELATIONSHIPS),
			    "Select how you know the child");
		/* 000 "Friends or relatives"; 001 §7.4 */
		take_choice(f, "consent", CONSENT, N(CONSENT),
			    "Select whether the child agrees to you telling us this");
	}
}

/* contact */
static void render_contact(form *f, html_buf *b)
{
	html_raw(b, "<h1>Your details</h1><p>We need these to reply to you.</p>");
	web_input(b, &(web_field){.name = "given_name", .label = "First name", .value = ans(f, "given_name"),
		  .autocomplete = "given-name", .width_class = "w-20", .maxlength = 200,
		  .error = web_errors_for(&f->errors, "given_name")});
	web_input(b, &(web_field){.name = "family_name", .label = "Last name", .value = ans(f, "family_name"),
		  .autocomplete = "family-name", .width_class = "w-20", .maxlength = 200,
		  .error = web_errors_for(&f->errors, "family_name")});
	web_radios(b, &(web_field){.name = "preferred_contact", .label = "How should we contact you?",
		   .value = ans(f, "preferred_contact"), .options = CONTACT, .n_options = N(CONTACT),
		   .error = web_errors_for(&f->errors, "preferred_contact")});
	web_input(b, &(web_field){.name = "email", .label = "Email address", .type = "email",
		  .value = ans(f, "email"), .autocomplete = "email", .maxlength = 200,
		  .hint = "Needed if you want us to email you",
		  .error = web_errors_for(&f->errors, "email")});
	web_input(b, &(web_field){.name = "phone", .label = "Phone number", .type = "tel",
		  .value = ans(f, "phone"), .autocomplete = "tel", .width_class = "w-20", .maxlength = 200,
		  .hint = "Needed if you want us to phone you",
		  .error = web_errors_for(&f->errors, "phone")});
	web_textarea(b, &(web_field){.name = "address", .label = "Address", .rows = 3,
		     .value = ans(f, "address"), .hint = "Needed if you want letters by post",
		     .error = web_errors_for(&f->errors, "address")});
	web_input(b, &(web_field){.name = "postcode", .label = "Postcode", .value = ans(f, "postcode"),
		  .autocomplete = "postal-code", .width_class = "w-10", .maxlength = 20,
		  .error = web_errors_for(&f->errors, "postcode")});
	web_textarea(b, &(web_field){.name = "needs", .label = "Do you need any help to talk to us?",
		     .optional = true, .rows = 2, .value = ans(f, "needs"),
		     .hint = "For example an interpreter (say which language), a signer, large print "
			     "or easy read",
		     .error = web_errors_for(&f->errors, "needs")});
}

static bool looks_like_email(const char *s)
{
	const char *at = strchr(s, '@');
	return at && at != s && strchr(at, '.') && !strchr(s, ' ') && at[1] != '.' &&
	       s[strlen(s) - 1] != '.';
}

static void read_contact(form *f)
{
	const char *given = take(f, "given_name");
	const char *family = take(f, "family_name");
	if (!given && !family)
		web_errors_add(&f->errors, "given_name", "Enter your name");
	too_long(f, "given_name", "First name", MODEL_SHORT_MAX);
	too_long(f, "family_name", "Last name", MODEL_SHORT_MAX);
	const char *how = take_choice(f, "preferred_contact", CONTACT, N(CONTACT),
				      "Select how we should contact you");
	const char *email = take(f, "email");
	const char *phone = take(f, "phone");
	const char *address = take(f, "address");
	const char *postcode = take(f, "postcode");
	if (email && !looks_like_email(email))
		web_errors_add(&f->errors, "email",
			       "Enter an email address in the right format, like name@example.com");
	else if (!email && how && strcmp(how, "email") == 0)
		web_errors_add(&f->errors, "email", "Enter your email address, so we can email you");
	too_long(f, "email", "Email address", MODEL_SHORT_MAX);
	if (!phone && how && strcmp(how, "phone") == 0)
		web_errors_add(&f->errors, "phone", "Enter your phone number, so we can phone you");
	else if (phone && strspn(phone, "0123456789 +()-") != strlen(phone))
		web_errors_add(&f->errors, "phone",
			       "Enter a phone number using only numbers, spaces and + ( ) -");
	too_long(f, "phone", "Phone number", MODEL_SHORT_MAX);
	if (!address && how && strcmp(how, "post") == 0)
		web_errors_add(&f->errors, "address", "Enter your address, so we can write to you");
	too_long(f, "address", "Address", 1000);
	if (!postcode && how && strcmp(how, "post") == 0)
		web_errors_add(&f->errors, "postcode", "Enter your postcode");
	too_long(f, "postcode", "Postcode", 20);
	take(f, "needs");
	too_long(f, "needs", "What you need", MODEL_SHORT_MAX);
}

/* service */
static void render_service(form *f, html_buf *b)
{
	web_input(b, &(web_field){.name = "service", .label = "Which service is it about?",
		  .label_is_heading = true, .value = ans(f, "service"), .maxlength = 200,
		  .hint = "For example: the social work team, fostering, a children's home, or the "
			  "name of the person you deal with. Write \"I do not know\" if you are not sure.",
		  .error = web_errors_for(&f->errors, "service")});
}

static void read_service(form *f)
{
	if (!take(f, "service"))
		web_errors_add(&f->errors, "service", "Enter which service it is about");
	too_long(f, "service", "The service", MODEL_SHORT_MAX);
}

/* what */
static void render_what(form *f, html_buf *b)
{
	const char *kind = ans(f, "kind");
	html_raw(b, !kind || !strcmp(kind, "complaint") ? "<h1>What happened?</h1>"
		    : !strcmp(kind, "comment")		   ? "<h1>Your comment</h1>"
							   : "<h1>Your compliment</h1>");
	web_input(b, &(web_field){.name = "summary", .label = "In one sentence, what is it about?",
		  .value = ans(f, "summary"), .maxlength = SUMMARY_MAX,
		  .hint = "For example: \"My social worker changed and nobody told me\"",
		  .error = web_errors_for(&f->errors, "summary")});
	web_textarea(b, &(web_field){.name = "details", .label = "Tell us more", .rows = 8,
		     .value = ans(f, "details"),
		     .hint = "Say what happened, when and where, and who was involved, if you know",
		     .error = web_errors_for(&f->errors, "details")});
	if (is_complaint(f))
		web_textarea(b, &(web_field){.name = "outcome",
			     .label = "What would put things right for you?", .rows = 4,
			     .value = ans(f, "outcome"),
			     .hint = "For example: an apology, a decision looked at again, or a change "
				     "to how things are done",
			     .error = web_errors_for(&f->errors, "outcome")});
}

static void read_what(form *f)
{
	if (!take(f, "summary"))
		web_errors_add(&f->errors, "summary", "Enter a sentence saying what it is about");
	too_long(f, "summary", "The sentence", SUMMARY_MAX);
	if (!take(f, "details"))
		web_errors_add(&f->errors, "details", "Tell us more about it");
	too_long(f, "details", "What you tell us", MODEL_TEXT_MAX);
	if (is_complaint(f)) {
		if (!take(f, "outcome"))
			web_errors_add(&f->errors, "outcome", "Tell us what would put things right");
		too_long(f, "outcome", "What would put things right", OUTCOME_MAX);
	}
}

/* documents: the files added so far, each with a Remove button in a form of
 * its own (a Remove inside the upload form would be the button Enter
 * presses), then the upload form. */
static void render_documents_list(form *f, html_buf *b)
{
	html_raw(b, "<h1>Supporting documents</h1><p>You can add up to 3 files, such as letters, "
		    "emails or photos, if they help explain. This is optional.</p>");
	if (!f->draft.n_files)
		return;
	html_raw(b, "<h2>Files added</h2>");
	web_summary_begin(b);
	for (size_t i = 0; i < f->draft.n_files; i++) {
		const store_draft_file *d = &f->draft.files[i];
		html_raw(b, "<div class=\"summary-row\"><dt class=\"summary-key\">");
		html_text(b, d->filename);
		html_rawf(b, "</dt><dd class=\"summary-value\">%zu KB</dd><dd class=\"summary-actions\">"
			     "<form method=\"post\" action=\"", (d->size + 1023) / 1024);
		html_attr(b, arena_printf(f->req->arena, "%sdocuments", f->base));
		html_raw(b, "\">");
		web_csrf_field(f->req, b);
		if (f->returning)
			html_raw(b, "<input type=\"hidden\" name=\"return\" value=\"check\">");
		html_rawf(b, "<button class=\"button button-secondary button-small\" name=\"remove\" "
			     "value=\"%lld\">Remove<span class=\"visually-hidden\"> ", (long long)d->id);
		html_text(b, d->filename);
		html_raw(b, "</span></button></form></dd></div>");
	}
	web_summary_end(b);
}

static void render_documents(form *f, html_buf *b)
{
	if (f->draft.n_files < MAX_FILES)
		web_file_input(b, &(web_field){.name = "document", .label = "Add a file", .optional = true,
			       .hint = "PDF, Word, JPEG, PNG or plain text, each smaller than 5 MB",
			       .accept = ".pdf,.docx,.jpg,.jpeg,.png,.txt,application/pdf,image/jpeg,"
					 "image/png,text/plain",
			       .error = web_errors_for(&f->errors, "document")});
	else
		html_raw(b, "<p>You have added 3 files, the most you can add here.</p>");
}

static const char *document_type(const web_upload *u)
{
	/* Browsers disagree on a file's type; its name's ending decides, and
	 * store_document_check then insists the bytes look like it. */
	static const struct {
		const char *ending, *type;
	} types[] = {
		{".pdf", "application/pdf"}, {".png", "image/png"}, {".jpg", "image/jpeg"},
		{".jpeg", "image/jpeg"}, {".txt", "text/plain"},
		{".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	};
	size_t n = strlen(u->filename);
	for (size_t i = 0; i < N(types); i++) {
		size_t e = strlen(types[i].ending);
		if (n > e && strcasecmp(u->filename + n - e, types[i].ending) == 0)
			return types[i].type;
	}
	return NULL;
}

static void read_documents(form *f)
{
	size_t n;
	const web_upload *files = web_files(f->req, "document", &n);
	int64_t held = 0;
	fh_error err = {0};
	/* One address's drafts first (serve --drafts-per-address), so one client
	 * cannot fill the shared allowance below and pause uploads for everyone. */
	size_t coming = 0;
	for (size_t i = 0; i < n; i++)
		coming += files[i].size;
	if (n && (store_draft_files_bytes(f->req->st, f->req->client_ip, &held, &err) ||
		  (size_t)held + coming > server_config_of(f->req->srv)->per_address_drafts)) {
		web_errors_add(&f->errors, "document", "You have sent us as many files as we can "
			       "keep for now. Continue without it: you can send it to us later by "
			       "email or post, quoting your reference");
		return;
	}
	if (n && (store_draft_files_bytes(f->req->st, NULL, &held, &err) ||
		  held > DRAFT_FILES_MAX)) {
		web_errors_add(&f->errors, "document", "We cannot take files at the moment. Continue "
			       "without it: you can send it to us later by email or post, quoting "
			       "your reference");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const web_upload *u = &files[i];
		if (f->draft.n_files + i >= MAX_FILES) {
			web_errors_add(&f->errors, "document", "You can add up to 3 files");
			return;
		}
		const char *type = document_type(u);
		if (!type) {
			web_errors_add(&f->errors, "document",
				       "The file must be a PDF, Word document, JPEG, PNG or plain text");
			return;
		}
		if (store_document_check(u->filename, type, "customer", u->data, u->size, &err)) {
			web_errors_add(&f->errors, "document",
				       !strcmp(err.field, "content") ? "The file is empty, or is not the "
								       "kind of file its name says"
								     : "The file's name cannot be used: "
								       "rename it and try again");
			return;
		}
	}
}

/* share */
static void render_share(form *f, html_buf *b)
{
	web_radios(b, &(web_field){.name = "share", .label = "Can we share what you tell us with "
		   "other organisations involved?", .label_is_heading = true,
		   .hint = "For example a school, a health service or the police, if that would help "
			   "to sort it out. We will not share it without your agreement.",
		   .value = ans(f, "share"), .options = SHARE, .n_options = N(SHARE),
		   .error = web_errors_for(&f->errors, "share")});
}

static void read_share(form *f)
{
	take_choice(f, "share", SHARE, N(SHARE), "Select yes if we can share what you tell us");
}

/* equality */
static void render_equality(form *f, html_buf *b)
{
	html_raw(b, "<h1>Equality questions (optional)</h1>"
		    "<p>These questions help us check that our services are fair to everyone. You do "
		    "not have to answer them: leave any of them empty.</p>"
		    "<p>Your answers are kept apart from your complaint. The people dealing with it "
		    "do not see them.</p>");
	web_date(b, &(web_field){.name = "eq_dob", .label = "Date of birth", .optional = true,
		 .hint = "For example, 27 3 1985", .day = ans(f, "eq_dob-day"),
		 .month = ans(f, "eq_dob-month"), .year = ans(f, "eq_dob-year"),
		 .error = web_errors_for(&f->errors, "eq_dob")});
	static const struct {
		const char *name, *label;
	} texts[] = {{"eq_language", "Preferred language"}, {"eq_religion", "Religion or belief"},
		     {"eq_ethnicity", "How would you describe your ethnic or racial identity?"}};
	for (size_t i = 0; i < N(texts); i++)
		web_input(b, &(web_field){.name = texts[i].name, .label = texts[i].label,
			  .optional = true, .value = ans(f, texts[i].name), .width_class = "w-20",
			  .maxlength = 200, .error = web_errors_for(&f->errors, texts[i].name)});
	web_radios(b, &(web_field){.name = "eq_sex", .label = "Sex", .optional = true,
		   .value = ans(f, "eq_sex"), .options = SEX, .n_options = N(SEX),
		   .error = web_errors_for(&f->errors, "eq_sex")});
	web_radios(b, &(web_field){.name = "eq_disability", .label = "Do you consider yourself disabled?",
		   .optional = true, .value = ans(f, "eq_disability"), .options = DISABILITY,
		   .n_options = N(DISABILITY), .error = web_errors_for(&f->errors, "eq_disability")});
	web_input(b, &(web_field){.name = "eq_disability_nature", .label = "If yes, what is the nature of "
		  "your disability?", .optional = true, .value = ans(f, "eq_disability_nature"),
		  .maxlength = 200, .error = web_errors_for(&f->errors, "eq_disability_nature")});
}

static void read_equality(form *f)
{
	take_date(f, "eq_dob", "Date of birth");
	static const char *const texts[] = {"eq_language", "eq_religion", "eq_ethnicity",
					    "eq_disability_nature"};
	for (size_t i = 0; i < N(texts); i++) {
		take(f, texts[i]);
		too_long(f, texts[i], "The answer", MODEL_SHORT_MAX);
	}
	take_choice(f, "eq_sex", SEX, N(SEX), NULL);
	take_choice(f, "eq_disability", DISABILITY, N(DISABILITY), NULL);
}

static const step STEPS[] = {
	{"kind", "What would you like to tell us?", always, render_kind, read_kind, false, NULL},
	{"who", "Who is this about?", always, render_who, read_who, false, NULL},
	{"child", "About the child or young person", about_a_child, render_child, read_child, false, NULL},
	{"contact", "Your details", always, render_contact, read_contact, false, NULL},
	{"service", "Which service is it about?", always, render_service, read_service, false, NULL},
	{"what", "What happened?", always, render_what, read_what, false, NULL},
	{"documents", "Supporting documents", always, render_documents, read_documents, true,
	 render_documents_list},
	{"share", "Sharing what you tell us", always, render_share, read_share, false, NULL},
	{"equality", "Equality questions", always, render_equality, read_equality, false, NULL},
};

static const step *find_step(const char *name)
{
	for (size_t i = 0; i < N(STEPS); i++)
		if (strcmp(STEPS[i].name, name) == 0)
			return &STEPS[i];
	return NULL;
}

static bool step_done(const form *f, const step *s)
{
	return json_is_true(json_object_get(json_object_get(f->answers, "done"), s->name));
}

/* The first step that applies and is not done, or NULL when all are. */
static const step *first_undone(form *f)
{
	for (size_t i = 0; i < N(STEPS); i++)
		if (STEPS[i].applies(f) && !step_done(f, &STEPS[i]))
			return &STEPS[i];
	return NULL;
}

/* Where the Back link goes: the step before that applies, or the start page. */
static const char *previous_href(form *f, const step *s)
{
	const step *prev = NULL;
	for (size_t i = 0; i < N(STEPS) && &STEPS[i] != s; i++)
		if (STEPS[i].applies(f))
			prev = &STEPS[i];
	if (!s)
		return arena_printf(f->req->arena, "%s%s", f->base, STEPS[N(STEPS) - 1].name);
	return prev ? arena_printf(f->req->arena, "%s%s", f->base, prev->name) : f->org.home;
}

/* ---- the draft -------------------------------------------------------------------------- */

static void form_free(form *f)
{
	json_decref(f->answers);
	web_public_org_free(&f->org);
}

/* Loads the organisation and the draft (if the cookie names a live one). */
static bool form_load(http_request *req, form *f)
{
	memset(f, 0, sizeof *f);
	f->req = req;
	if (!web_public_org_load(req, &f->org))
		return false;
	f->base = arena_printf(req->arena, "%sform/", f->org.home);
	const char *token = http_cookie(req, DRAFT_COOKIE);
	fh_error err = {0};
	if (token) {
		uint8_t hash[STORE_TOKEN_HASH_BYTES];
		store_token_hash(token, hash);
		fh_status s = store_draft_get(req->st, f->org.org.id, hash, time(NULL), req->arena,
					      &f->draft, &err);
		if (s && s != FH_ENOTFOUND) {
			http_fail(req, &err);
			form_free(f);
			return false;
		}
		f->have_draft = !s;
	}
	f->answers = f->have_draft ? json_loads(f->draft.answers, 0, NULL) : NULL;
	if (!json_is_object(f->answers)) {
		json_decref(f->answers);
		f->answers = json_object();
	}
	return true;
}

/*
 * form_load, then the step the address names (params[1]): NULL, after
 * answering (404 for a name that is no step), when there is none to show.
 */
static const step *form_load_step(http_request *req, form *f)
{
	if (!form_load(req, f))
		return NULL;
	const step *s = find_step(req->params[1]);
	if (!s) {
		form_free(f);
		web_error_page(req, 404, "Page not found", "There is no such page on this form.");
	}
	return s;
}

/*
 * A form is checked and sent only when every page that applies is done:
 * true, after redirecting to the first one that is not and freeing the
 * form, when there is one.
 */
static bool redirect_to_undone(form *f)
{
	const step *missing = first_undone(f);
	if (!missing)
		return false;
	web_redirect(f->req, arena_printf(f->req->arena, "%s%s", f->base, missing->name));
	form_free(f);
	return true;
}

/* Saves the answers, starting a draft (and its cookie) on the first page. */
static bool form_save(form *f)
{
	http_request *req = f->req;
	fh_error err = {0};
	fh_status s = FH_OK;
	time_t now = time(NULL);
	if (!f->have_draft) {
		char token[STORE_TOKEN_TEXT_MAX];
		uint8_t hash[STORE_TOKEN_HASH_BYTES];
		store_token_new("fhf_", token, hash);
		s = store_draft_create(req->st, f->org.org.id, hash, req->client_ip, now, DRAFT_TTL,
				       &f->draft.id, &err);
		if (!s) {
			f->have_draft = true;
			http_set_cookie(req, arena_printf(req->arena, DRAFT_COOKIE "=%s; Path=%s; "
							  "Max-Age=%d; HttpOnly; SameSite=Strict%s", token,
							  f->base, DRAFT_TTL,
							  req->secure ? "; Secure" : ""));
		}
	}
	char *text = s ? NULL : json_dumps(f->answers, JSON_COMPACT);
	if (!s)
		s = text ? store_draft_save(req->st, f->draft.id, text, now, DRAFT_TTL, &err)
			 : error_set(&err, FH_ENOMEM, NULL, NULL, "out of memory");
	free(text);
	if (s) {
		http_fail(req, &err);
		return false;
	}
	return true;
}

/* ---- pages --------------------------------------------------------------------------- */

static void page_begin(form *f, html_buf *b, const char *title, const char *back)
{
	web_page_opts opts = {.org_name = f->org.org.name, .home = f->org.home, .back = back};
	const char *full = f->errors.n ? arena_printf(f->req->arena, "Error: %s", title) : title;
	web_page_begin(f->req, b, full, &opts);
}

static void render_step(form *f, const step *s, int status)
{
	html_buf b = HTML_BUF_INIT;
	page_begin(f, &b, s->title, previous_href(f, s));
	web_error_summary(&b, &f->errors);
	if (s->before)
		s->before(f, &b);
	html_raw(&b, "<form method=\"post\" novalidate");
	if (s->upload)
		html_raw(&b, " enctype=\"multipart/form-data\"");
	html_raw(&b, " action=\"");
	html_attr(&b, arena_printf(f->req->arena, "%s%s", f->base, s->name));
	html_raw(&b, "\">");
	web_csrf_field(f->req, &b);
	if (f->returning)
		html_raw(&b, "<input type=\"hidden\" name=\"return\" value=\"check\">");
	s->render(f, &b);
	html_raw(&b, "<div class=\"button-group\">");
	if (s->upload && f->draft.n_files < MAX_FILES)
		html_raw(&b, "<button class=\"button button-secondary\" name=\"add\" value=\"1\">"
			     "Add this file</button>");
	html_raw(&b, "<button class=\"button\" name=\"continue\" value=\"1\">Continue</button></div>"
		     "</form>");
	web_page_end(f->req, &b);
	web_html(f->req, status, &b);
}

void web_form_step_get(http_request *req)
{
	form f;
	const step *s = form_load_step(req, &f);
	if (!s)
		return;
	/* A page further on needs the pages before it: go to the first one missing. */
	const step *missing = first_undone(&f);
	if (!s->applies(&f) || (missing && missing < s)) {
		const step *to = missing ? missing : &STEPS[0];
		web_redirect(req, arena_printf(req->arena, "%s%s", f.base, to->name));
		form_free(&f);
		return;
	}
	const char *change = http_query(req, "change");
	f.returning = change && strcmp(change, "1") == 0;
	render_step(&f, s, 200);
	form_free(&f);
}

void web_form_step_post(http_request *req)
{
	form f;
	const step *s = form_load_step(req, &f);
	if (!s)
		return;
	if (!f.have_draft && s != &STEPS[0]) {
		/* The draft expired (or the cookie was lost): start again. */
		form_free(&f);
		web_error_page(req, 410, "Your answers have expired",
			       "We keep unfinished answers for two hours. Please start the form again.");
		return;
	}
	const char *ret = web_form(req, "return");
	f.returning = ret && strcmp(ret, "check") == 0;
	const char *old_kind = ans(&f, "kind"), *old_about = ans(&f, "about");
	old_kind = old_kind ? arena_strdup(req->arena, old_kind) : NULL;
	old_about = old_about ? arena_strdup(req->arena, old_about) : NULL;
	s->read(&f);
	const char *remove = web_form(req, "remove");
	if (!f.errors.n && s->upload && remove) {
		/* A Remove button: take the file off and show the page again. */
		fh_error err = {0};
		fh_status st = f.have_draft ? store_draft_file_remove(req->st, f.draft.id,
								      strtoll(remove, NULL, 10), &err)
					    : FH_OK;
		if (st && st != FH_ENOTFOUND) {
			http_fail(req, &err);
			form_free(&f);
			return;
		}
		web_redirect(req, arena_printf(req->arena, "%s%s%s", f.base, s->name,
					       f.returning ? "?change=1" : ""));
		form_free(&f);
		return;
	}
	if (f.errors.n) {
		render_step(&f, s, 422);
		form_free(&f);
		return;
	}
	json_t *done = json_object_get(f.answers, "done");
	if (!json_is_object(done))
		json_object_set_new(f.answers, "done", done = json_object());
	json_object_set_new(done, s->name, json_true());
	/* A changed answer that later questions depend on asks them again: a
	 * complaint needs what would put it right, someone telling us for a
	 * child the relationship and the child's agreement. */
	const char *new_kind = ans(&f, "kind"), *new_about = ans(&f, "about");
	if (old_kind && new_kind && strcmp(old_kind, new_kind) != 0)
		json_object_del(done, "what");
	if (old_about && new_about && strcmp(old_about, new_about) != 0)
		json_object_del(done, "child");
	if (!form_save(&f)) {
		form_free(&f);
		return;
	}
	if (s->upload) {
		size_t n;
		const web_upload *files = web_files(req, "document", &n);
		fh_error err = {0};
		for (size_t i = 0; i < n; i++)
			if (store_draft_file_add(req->st, f.draft.id, files[i].filename,
						 document_type(&files[i]), files[i].data, files[i].size,
						 &err)) {
				http_fail(req, &err);
				form_free(&f);
				return;
			}
		if (web_form(req, "add")) {
			/* "Add this file": stay, to add another or carry on. */
			web_redirect(req, arena_printf(req->arena, "%s%s%s", f.base, s->name,
						       f.returning ? "?change=1" : ""));
			form_free(&f);
			return;
		}
	}
	const step *next = NULL;
	if (f.returning) {
		next = first_undone(&f);
	} else {
		for (const step *t = s + 1; t < STEPS + N(STEPS) && !next; t++)
			if (t->applies(&f))
				next = t;
		const step *missing = first_undone(&f);
		if (!next || (missing && missing < next))
			next = missing;
	}
	web_redirect(req, next ? arena_printf(req->arena, "%s%s", f.base, next->name)
			       : arena_printf(req->arena, "%scheck", f.base));
	form_free(&f);
}

/* ---- check your answers ------------------------------------------------------------------- */

static const char *change_href(form *f, const char *step_name)
{
	return arena_printf(f->req->arena, "%s%s?change=1", f->base, step_name);
}

static const char *date_words(form *f, const char *iso)
{
	fh_date d;
	if (!iso || !date_parse(iso, &d))
		return NULL;
	static const char *const months[] = {"January", "February", "March", "April", "May", "June",
					     "July", "August", "September", "October", "November",
					     "December"};
	int y, m, day;
	date_to_ymd(d, &y, &m, &day);
	return arena_printf(f->req->arena, "%d %s %d", day, months[m - 1], y);
}

static const char *joined_name(form *f, const char *given, const char *family)
{
	const char *g = ans(f, given), *fam = ans(f, family);
	return arena_printf(f->req->arena, "%s%s%s", g ? g : "", g && fam ? " " : "", fam ? fam : "");
}

static void render_check(form *f, html_buf *b)
{
	page_begin(f, b, "Check your answers before sending", previous_href(f, NULL));
	web_error_summary(b, &f->errors);
	html_raw(b, "<h1>Check your answers before sending</h1>");
	html_raw(b, "<h2>What it is</h2>");
	web_summary_begin(b);
	web_summary_row(b, "What you are telling us", option_label(KINDS, N(KINDS), ans(f, "kind")),
			change_href(f, "kind"), "what you are telling us");
	web_summary_row(b, "Who it is about", option_label(ABOUT, N(ABOUT), ans(f, "about")),
			change_href(f, "who"), "who it is about");
	web_summary_end(b);
	if (about_a_child(f)) {
		bool self = ans_is(f, "about", "self_child");
		html_raw(b, self ? "<h2>About you</h2>" : "<h2>About the child or young person</h2>");
		web_summary_begin(b);
		if (!self)
			web_summary_row(b, "Name", joined_name(f, "child_given_name", "child_family_name"),
					change_href(f, "child"), "the child's name");
		if (!self)
			web_summary_row(b, "Address", ans(f, "child_address"), change_href(f, "child"),
					"the child's address");
		web_summary_row(b, "Date of birth", date_words(f, ans(f, "child_dob")),
				change_href(f, "child"), "date of birth");
		web_summary_row(b, "Which describes them",
				option_label(CHILD_STATUS, N(CHILD_STATUS), ans(f, "child_status")),
				change_href(f, "child"), "which describes them");
		if (!self) {
			web_summary_row(b, "How you know them",
					option_label(RELATIONSHIPS, N(RELATIONSHIPS), ans(f, "relationship")),
					change_href(f, "child"), "how you know them");
			web_summary_row(b, "Do they agree",
					option_label(CONSENT, N(CONSENT), ans(f, "consent")),
					change_href(f, "child"), "whether they agree");
		}
		web_summary_end(b);
	}
	html_raw(b, "<h2>Your details</h2>");
	web_summary_begin(b);
	web_summary_row(b, "Name", joined_name(f, "given_name", "family_name"),
			change_href(f, "contact"), "your name");
	web_summary_row(b, "Contact you by",
			option_label(CONTACT, N(CONTACT), ans(f, "preferred_contact")),
			change_href(f, "contact"), "how to contact you");
	web_summary_row(b, "Email", ans(f, "email"), change_href(f, "contact"), "email");
	web_summary_row(b, "Phone", ans(f, "phone"), change_href(f, "contact"), "phone");
	const char *addr = ans(f, "address"), *pc = ans(f, "postcode");
	web_summary_row(b, "Address", arena_printf(f->req->arena, "%s%s%s", addr ? addr : "",
						   addr && pc ? "\n" : "", pc ? pc : ""),
			change_href(f, "contact"), "address");
	web_summary_row(b, "Help to talk to us", ans(f, "needs"), change_href(f, "contact"),
			"help to talk to us");
	web_summary_end(b);
	html_raw(b, "<h2>What you told us</h2>");
	web_summary_begin(b);
	web_summary_row(b, "Service", ans(f, "service"), change_href(f, "service"), "the service");
	web_summary_row(b, "In one sentence", ans(f, "summary"), change_href(f, "what"), "the sentence");
	web_summary_row(b, "More about it", ans(f, "details"), change_href(f, "what"), "more about it");
	if (is_complaint(f))
		web_summary_row(b, "What would put it right", ans(f, "outcome"), change_href(f, "what"),
				"what would put it right");
	html_buf files = HTML_BUF_INIT;
	for (size_t i = 0; i < f->draft.n_files; i++) {
		html_raw(&files, i ? "\n" : "");
		html_raw(&files, f->draft.files[i].filename);
	}
	web_summary_row(b, "Documents", f->draft.n_files ? html_buf_str(&files) : "None",
			change_href(f, "documents"), "documents");
	html_buf_free(&files);
	web_summary_row(b, "Share with other organisations",
			option_label(SHARE, N(SHARE), ans(f, "share")), change_href(f, "share"),
			"whether we can share it");
	web_summary_end(b);
	html_raw(b, "<h2>Equality questions</h2><p>Kept apart from your complaint: the people "
		    "dealing with it do not see them.</p>");
	web_summary_begin(b);
	static const struct {
		const char *key, *label;
	} eq[] = {{"eq_language", "Preferred language"}, {"eq_religion", "Religion or belief"},
		  {"eq_ethnicity", "Ethnic or racial identity"}, {"eq_sex", "Sex"},
		  {"eq_disability_nature", "Nature of disability"}};
	web_summary_row(b, "Date of birth", date_words(f, ans(f, "eq_dob")), change_href(f, "equality"),
			"your date of birth for the equality questions");
	for (size_t i = 0; i < N(eq); i++) {
		if (i == 4)
			web_summary_row(b, "Disabled", option_label(DISABILITY, N(DISABILITY),
					ans(f, "eq_disability")), change_href(f, "equality"),
					"whether you consider yourself disabled");
		const char *value = ans(f, eq[i].key);
		if (!strcmp(eq[i].key, "eq_sex"))
			value = option_label(SEX, N(SEX), value);
		web_summary_row(b, eq[i].label, value, change_href(f, "equality"), eq[i].label);
	}
	web_summary_end(b);
	html_raw(b, "<h2>Now send it</h2><p>By sending this you confirm that what you have told us "
		    "is true, as far as you know.</p><form method=\"post\" novalidate action=\"");
	html_attr(b, arena_printf(f->req->arena, "%scheck", f->base));
	html_raw(b, "\">");
	web_csrf_field(f->req, b);
	html_raw(b, "<button class=\"button\">Send</button></form>");
	web_page_end(f->req, b);
}

void web_form_check(http_request *req)
{
	form f;
	if (!form_load(req, &f) || redirect_to_undone(&f))
		return;
	html_buf b = HTML_BUF_INIT;
	render_check(&f, &b);
	web_html(req, 200, &b);
	form_free(&f);
}

/* ---- sending ------------------------------------------------------------------------------ */

static const char *opt(const form *f, const char *key)
{
	return ans(f, key);
}

/* The case as the model takes it, from the answers (strings in req->arena). */
static void case_input(form *f, fh_case_input *in, fh_party *parties, fh_point *point,
		       fh_equality *eq)
{
	http_request *req = f->req;
	char today[DATE_ISO_LEN];
	memset(in, 0, sizeof *in);
	in->org_code = f->org.org.code;
	in->kind = ans(f, "kind");
	in->channel = "online_form";
	in->received_on = arena_strdup(req->arena, date_format(req->today, today));
	in->service = opt(f, "service");
	in->summary = ans(f, "summary");
	in->details = ans(f, "details");
	*eq = (fh_equality){.date_of_birth = opt(f, "eq_dob"), .preferred_language = opt(f, "eq_language"),
			    .religion = opt(f, "eq_religion"), .racial_identity = opt(f, "eq_ethnicity"),
			    .sex = option_label(SEX, N(SEX), opt(f, "eq_sex")),
			    .disability = opt(f, "eq_disability"),
			    .disability_nature = opt(f, "eq_disability_nature")};
	bool any_equality = eq->date_of_birth || eq->preferred_language || eq->religion ||
			    eq->racial_identity || eq->sex || eq->disability || eq->disability_nature;
	const char *status = opt(f, "child_status");
	if (status && strcmp(status, "unknown") == 0)
		status = NULL;
	fh_party *me = &parties[0];
	memset(parties, 0, 2 * sizeof *parties);
	me->role = "complainant";
	me->correspond = true;
	me->person = (fh_person){.given_name = opt(f, "given_name"), .family_name = opt(f, "family_name"),
				 .address = opt(f, "address"), .postcode = opt(f, "postcode"),
				 .phone = opt(f, "phone"), .email = opt(f, "email"),
				 .preferred_contact = opt(f, "preferred_contact"), .needs = opt(f, "needs"),
				 .equality = any_equality ? eq : NULL};
	in->n_parties = 1;
	if (ans_is(f, "about", "child")) {
		me->relationship = ans(f, "relationship");
		me->consent = ans(f, "consent");
		if (me->consent && strcmp(me->consent, "given") == 0)
			me->consent_on = in->received_on;
		fh_party *child = &parties[1];
		child->role = "child";
		child->child_status = status;
		child->person = (fh_person){.given_name = opt(f, "child_given_name"),
					    .family_name = opt(f, "child_family_name"),
					    .address = opt(f, "child_address"),
					    .date_of_birth = opt(f, "child_dob")};
		in->n_parties = 2;
	} else {
		me->relationship = "self";
		if (ans_is(f, "about", "self_child")) {
			me->child_status = status;
			me->person.date_of_birth = opt(f, "child_dob");
		}
	}
	in->parties = parties;
	if (is_complaint(f)) {
		memset(point, 0, sizeof *point);
		point->seq = 1;
		point->summary = ans(f, "summary");
		point->desired_outcome = ans(f, "outcome");
		in->points = point;
		in->n_points = 1;
	}
}

/* The date the acknowledgement is due, from the lifecycle's deadlines; NULL when none runs. */
static const char *ack_due(http_request *req, const char *reference)
{
	fh_actor actor = {.name = FORM_ACTOR};
	json_t *view = NULL;
	fh_error err = {0};
	if (store_case_lifecycle(req->st, reference, &actor, req->today, true, &view, &err))
		return NULL;
	const char *due = NULL;
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(view, "deadlines"), i, d) {
		const char *clock = json_string_value(json_object_get(d, "clock"));
		const char *when = json_string_value(json_object_get(d, "due"));
		if (!due && clock && when && strcmp(clock, "acknowledge") == 0)
			due = arena_strdup(req->arena, when);
	}
	json_decref(view);
	return due && *due ? due : NULL;
}

void web_form_send(http_request *req)
{
	form f;
	if (!form_load(req, &f))
		return;
	if (!f.have_draft) {
		form_free(&f);
		web_error_page(req, 410, "Your answers have expired",
			       "We keep unfinished answers for two hours, and once a form is sent. If "
			       "you have not had a reference from us, please start the form again.");
		return;
	}
	if (redirect_to_undone(&f))
		return;
	fh_case_input in;
	fh_party parties[2];
	fh_point point;
	fh_equality eq;
	case_input(&f, &in, parties, &point, &eq);
	fh_error err = {0};
	if (case_input_validate(&in, req->today, &err)) {
		/* The pages check everything the model does; say which answer if not. */
		web_errors_add(&f.errors, "kind", arena_printf(req->arena, "One of your answers "
			       "cannot be used (%s: %s). Change it and send again.", err.field, err.message));
		html_buf b = HTML_BUF_INIT;
		render_check(&f, &b);
		web_html(req, 422, &b);
		form_free(&f);
		return;
	}
	char token[STORE_TOKEN_TEXT_MAX], reference[FH_REFERENCE_MAX];
	uint8_t hash[STORE_TOKEN_HASH_BYTES];
	store_token_new("fhl_", token, hash);
	if (store_public_submit(req->st, f.draft.id, &in, FORM_ACTOR, ans_is(&f, "share", "yes"),
				hash, reference, &err)) {
		http_fail(req, &err);
		form_free(&f);
		return;
	}
	http_set_cookie(req, arena_printf(req->arena, DRAFT_COOKIE "=; Path=%s; Max-Age=0; "
					  "HttpOnly; SameSite=Strict%s", f.base,
					  req->secure ? "; Secure" : ""));
	const char *due = ack_due(req, reference);
	const char *link = arena_printf(req->arena, "%strack/%s", f.org.home, token);
	const char *host = http_header(req, "Host");
	const char *full = arena_printf(req->arena, "%s://%s%s", req->secure ? "https" : "http",
					host ? host : "localhost", link);

	html_buf b = HTML_BUF_INIT;
	web_page_opts opts = {.org_name = f.org.org.name, .home = f.org.home};
	web_page_begin(req, &b, "Sent", &opts);
	html_raw(&b, "<div class=\"panel\"><h1>");
	html_raw(&b, is_complaint(&f) ? "Complaint sent" : ans_is(&f, "kind", "comment")
							    ? "Comment sent" : "Compliment sent");
	html_raw(&b, "</h1><p class=\"panel-body\">Your reference is<strong class=\"panel-ref\" "
		     "id=\"reference\">");
	html_text(&b, reference);
	html_raw(&b, "</strong></p></div>");
	if (due) {
		html_raw(&b, "<p class=\"lead\">We will contact you by <strong id=\"due\">");
		html_text(&b, date_words(&f, due));
		html_raw(&b, "</strong> to tell you what happens next.</p>");
	} else {
		html_raw(&b, "<p class=\"lead\">Thank you. We will pass what you said on to the people "
			     "it is about.</p>");
	}
	html_raw(&b, "<h2>Follow it online</h2><p>This private link shows how it is going. Keep it "
		     "safe: anyone with the link can see the progress. <strong>We cannot show it to "
		     "you again.</strong></p><p class=\"copy-box\"><a id=\"tracking-link\" href=\"");
	html_attr(&b, link);
	html_raw(&b, "\">");
	html_text(&b, full);
	html_raw(&b, "</a></p><p>Quote your reference if you contact us.</p>");
	web_page_end(req, &b);
	web_html(req, 200, &b);
	form_free(&f);
}
