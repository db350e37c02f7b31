/*
 * store_org.c: organisations (tenants), their teams, and the staff who sign in.
 */
#include "store_internal.h"
#include "store_event.h"
#include "store_rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

fh_status store_org_row(fh_store *st, const char *sql, const char *code, const char *what,
			db_stmt **stmt, fh_error *err)
{
	fh_status s = store_stmt(st, sql, stmt, err);
	if (s)
		return s;
	store_bind_text(*stmt, 1, code);
	int rc = db_step(*stmt);
	if (rc == DB_ROW)
		return FH_OK;
	if (rc == DB_DONE)
		s = error_set(err, FH_ENOTFOUND, "org", NULL, "no organisation with the code '%s'",
			      code ? code : "");
	else
		s = store_fail(st, what, err);
	store_stmt_done(st, *stmt);
	return s;
}

fh_status store_org_id(fh_store *st, const char *code, int64_t *id, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_org_row(st, "SELECT id FROM organisations WHERE code = ?", code,
				    "looking up an organisation", &stmt, err);
	if (s)
		return s;
	*id = db_column_int64(stmt, 0);
	store_stmt_done(st, stmt);
	return FH_OK;
}

fh_status store_org_create(fh_store *st, const fh_org *org, const char *actor,
			   int64_t *id_out, fh_error *err)
{
	if (!org->code || !*org->code)
		return error_set(err, FH_EINVAL, "code", NULL, "an organisation needs a code");
	if (!org->name || !*org->name)
		return error_set(err, FH_EINVAL, "name", NULL, "an organisation needs a name");
	bool opened;
	char now[21];
	db_stmt *stmt;
	fh_status s = store_tx_stmt(st, &opened, now,
		"INSERT INTO organisations (code, name, ref_prefix, address, region,"
		" advocacy_service, ombudsman, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
		" RETURNING id",
		&stmt, err);
	if (s)
		return s;
	int64_t id = 0;
	store_bind_text(stmt, 1, org->code);
	store_bind_text(stmt, 2, org->name);
	store_bind_text(stmt, 3, org->ref_prefix);
	store_bind_text(stmt, 4, org->address ? org->address : "");
	store_bind_text(stmt, 5, org->region ? org->region : "england-and-wales");
	store_bind_text(stmt, 6, org->advocacy_service ? org->advocacy_service : "");
	store_bind_text(stmt, 7, org->ombudsman ? org->ombudsman : "");
	store_bind_text(stmt, 8, now);
	s = store_stmt_run_id(st, stmt, "adding the organisation", &id, err);
	if (!s)
		s = store_event_append_json(st, id, 0, actor, "organisation_created", NULL, NULL,
					    json_pack("{ss ss ss}", "code", org->code, "name", org->name,
						      "ref_prefix", org->ref_prefix), err);
	if (!s && id_out)
		*id_out = id;
	return store_tx_end(st, opened, s, err);
}

static void read_org(db_stmt *stmt, fh_arena *arena, fh_org *org)
{
	org->id = db_column_int64(stmt, 0);
	org->code = store_column_text(stmt, 1, arena);
	org->name = store_column_text(stmt, 2, arena);
	org->ref_prefix = store_column_text(stmt, 3, arena);
	org->address = store_column_text(stmt, 4, arena);
	org->region = store_column_text(stmt, 5, arena);
	org->advocacy_service = store_column_text(stmt, 6, arena);
	org->ombudsman = store_column_text(stmt, 7, arena);
}

fh_status store_tx_begin_org(fh_store *st, const char *code, bool *opened, fh_arena *arena,
			     fh_org *org, fh_error *err)
{
	fh_status s = store_tx_begin(st, opened, err);
	if (s)
		return s;
	s = store_org_get(st, code, arena, org, err);
	return s ? store_tx_end(st, *opened, s, err) : FH_OK;
}

#define ORG_COLUMNS "id, code, name, ref_prefix, address, region, advocacy_service, ombudsman"

fh_status store_org_get(fh_store *st, const char *code, fh_arena *arena, fh_org *org,
			fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_org_row(st, "SELECT " ORG_COLUMNS " FROM organisations WHERE code = ?",
				    code, "reading an organisation", &stmt, err);
	if (s)
		return s;
	read_org(stmt, arena, org);
	store_stmt_done(st, stmt);
	return FH_OK;
}

fh_status store_org_list(fh_store *st, fh_arena *arena, fh_org **orgs, size_t *count,
			 fh_error *err)
{
	db_stmt *stmt;
	*orgs = NULL;
	*count = 0;
	fh_status s = store_prepare(st, "SELECT " ORG_COLUMNS ", count(*) OVER ()"
				    " FROM organisations ORDER BY code", &stmt, err);
	if (s)
		return s;
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		*orgs = store_rows_array(stmt, 8, arena, *orgs, *count, sizeof **orgs);
		read_org(stmt, arena, &(*orgs)[(*count)++]);
	}
	if (rc != DB_DONE)
		s = store_fail(st, "listing organisations", err);
	db_finalize(stmt);
	return s;
}

/* A team's id by name within an organisation. */
static fh_status team_id(fh_store *st, int64_t org_id, const char *name, const char *field,
			 int64_t *id, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT id FROM teams WHERE org_id = ? AND name = ?",
				    &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	store_bind_text(stmt, 2, name);
	int rc = db_step(stmt);
	if (rc == DB_ROW)
		*id = db_column_int64(stmt, 0);
	else if (rc == DB_DONE)
		s = error_set(err, FH_ENOTFOUND, field, NULL, "no team called '%s'", name);
	else
		s = store_fail(st, "looking up a team", err);
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_team_lookup(fh_store *st, int64_t org_id, const char *name, int64_t *id,
			    fh_error *err)
{
	return team_id(st, org_id, name, "team", id, err);
}

fh_status store_user_id(fh_store *st, const char *email, const char *field, int64_t *id,
			fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT id FROM users WHERE email = ?", &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, email);
	int rc = db_step(stmt);
	if (rc == DB_ROW)
		*id = db_column_int64(stmt, 0);
	else if (rc == DB_DONE)
		s = error_set(err, FH_ENOTFOUND, field, NULL, "no user with the email '%s'",
			      email ? email : "");
	else
		s = store_fail(st, "looking up a user", err);
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_team_create(fh_store *st, const char *org_code, const fh_team *team,
			    const char *actor, int64_t *id_out, fh_error *err)
{
	if (!model_is_one_of(MODEL_TEAM_LEVELS, team->level))
		return error_set(err, FH_EINVAL, "level", NULL,
				 "a team's level is 'service' (Head of Service) or 'team' "
				 "(Team Manager)");
	if (!team->name || !*team->name)
		return error_set(err, FH_EINVAL, "name", NULL, "a team needs a name");
	bool is_team = strcmp(team->level, "team") == 0;
	if (is_team != (team->parent && *team->parent))
		return error_set(err, FH_EINVAL, "parent", NULL,
				 is_team ? "a team belongs to a service: name its parent"
					 : "a service has no parent");
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	int64_t org_id = 0, parent_id = 0, head_id = 0;
	if (!s)
		s = store_org_id(st, org_code, &org_id, err);
	if (!s && is_team)
		s = team_id(st, org_id, team->parent, "parent", &parent_id, err);
	if (!s && team->head_email)
		s = store_user_id(st, team->head_email, "user", &head_id, err);
	db_stmt *stmt = NULL;
	int64_t id = 0;
	if (!s)
		s = store_prepare(st, "INSERT INTO teams (org_id, parent_id, level, name, head_user_id)"
				      " VALUES (?, ?, ?, ?, ?) RETURNING id", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, org_id);
		if (parent_id)
			db_bind_int64(stmt, 2, parent_id);
		store_bind_text(stmt, 3, team->level);
		store_bind_text(stmt, 4, team->name);
		if (head_id)
			db_bind_int64(stmt, 5, head_id);
		s = store_stmt_run_id(st, stmt, "adding the team", &id, err);
	}
	if (!s)
		s = store_event_append_json(st, org_id, 0, actor, "team_created", NULL, NULL,
					    json_pack("{sI ss ss}", "team_id", (json_int_t)id, "name",
						      team->name, "level", team->level), err);
	if (!s && id_out)
		*id_out = id;
	return store_tx_end(st, opened, s, err);
}

fh_status store_team_set_head(fh_store *st, const char *org_code, const char *team_name,
			      const char *head_email, const char *actor, fh_error *err)
{
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	int64_t org_id = 0, tid = 0, uid = 0;
	if (!s)
		s = store_org_id(st, org_code, &org_id, err);
	if (!s)
		s = team_id(st, org_id, team_name, "team", &tid, err);
	if (!s)
		s = store_user_id(st, head_email, "head", &uid, err);
	db_stmt *stmt;
	if (!s)
		s = store_stmt(st, "UPDATE teams SET head_user_id = ? WHERE id = ?", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, uid);
		db_bind_int64(stmt, 2, tid);
		s = store_stmt_run(st, stmt, "naming the team's head", err);
	}
	if (!s)
		s = store_event_append_json(st, org_id, 0, actor, "team_head_set", NULL, NULL,
					    json_pack("{sI sI}", "team_id", (json_int_t)tid, "user_id",
						      (json_int_t)uid), err);
	return store_tx_end(st, opened, s, err);
}

fh_status store_team_list(fh_store *st, const char *org_code, fh_arena *arena, fh_team **teams,
			  size_t *count, fh_error *err)
{
	int64_t org_id;
	*teams = NULL;
	*count = 0;
	fh_status s = store_org_id(st, org_code, &org_id, err);
	if (s)
		return s;
	db_stmt *stmt;
	s = store_prepare(st,
		"SELECT t.id, t.name, t.level, p.name, u.email, count(*) OVER ()"
		" FROM teams t LEFT JOIN teams p ON p.id = t.parent_id"
		" LEFT JOIN users u ON u.id = t.head_user_id WHERE t.org_id = ?"
		" ORDER BY coalesce(p.name, t.name), t.parent_id IS NOT NULL, t.name", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		*teams = store_rows_array(stmt, 5, arena, *teams, *count, sizeof **teams);
		fh_team *t = &(*teams)[(*count)++];
		t->id = db_column_int64(stmt, 0);
		t->name = store_column_text(stmt, 1, arena);
		t->level = store_column_text(stmt, 2, arena);
		t->parent = db_column_type(stmt, 3) == DB_NULL ? NULL
									: store_column_text(stmt, 3, arena);
		t->head_email = db_column_type(stmt, 4) == DB_NULL
					? NULL : store_column_text(stmt, 4, arena);
	}
	if (rc != DB_DONE)
		s = store_fail(st, "listing teams", err);
	db_finalize(stmt);
	return s;
}

fh_status store_user_create(fh_store *st, const fh_user *user, const char *actor,
			    int64_t *id_out, fh_error *err)
{
	if (!user->email || !strchr(user->email, '@'))
		return error_set(err, FH_EINVAL, "email", NULL, "a user is known by an email address");
	if (!user->display_name || !*user->display_name)
		return error_set(err, FH_EINVAL, "name", NULL, "a user needs a display name");
	bool opened;
	char now[21];
	db_stmt *stmt;
	fh_status s = store_tx_stmt(st, &opened, now,
				    "INSERT INTO users (email, display_name, password_hash, external,"
				    " disabled, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
				    &stmt, err);
	if (s)
		return s;
	int64_t id = 0;
	store_bind_text(stmt, 1, user->email);
	store_bind_text(stmt, 2, user->display_name);
	store_bind_text(stmt, 3, user->password_hash);
	db_bind_int(stmt, 4, user->external);
	db_bind_int(stmt, 5, user->disabled);
	store_bind_text(stmt, 6, now);
	s = store_stmt_run_id(st, stmt, "adding the user", &id, err);
	/* The password hash never enters the log. */
	if (!s)
		s = store_event_append_json(st, 0, 0, actor, "user_created", NULL, NULL,
					    json_pack("{sI ss}", "user_id", (json_int_t)id, "email",
						      user->email), err);
	if (!s && id_out)
		*id_out = id;
	return store_tx_end(st, opened, s, err);
}

/* Binds a user_roles row (user_id, org_id, role, team_id); team 0 stays NULL. */
static void bind_role(db_stmt *stmt, int64_t uid, int64_t org_id, const char *role,
		      int64_t tid)
{
	db_bind_int64(stmt, 1, uid);
	db_bind_int64(stmt, 2, org_id);
	store_bind_text(stmt, 3, role);
	if (tid)
		db_bind_int64(stmt, 4, tid);
}

fh_status store_user_grant(fh_store *st, const char *user_email, const char *org_code,
			   const char *role, const char *team_name, const char *actor,
			   fh_error *err)
{
	if (!model_is_one_of(MODEL_USER_ROLES, role)) {
		char names[512];
		return error_set(err, FH_EINVAL, "role", NULL, "'%s' is not one of %s",
				 role ? role : "", model_join(MODEL_USER_ROLES, names, sizeof names));
	}
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	int64_t uid = 0, org_id = 0, tid = 0;
	if (!s)
		s = store_user_id(st, user_email, "user", &uid, err);
	if (!s)
		s = store_org_id(st, org_code, &org_id, err);
	if (!s && team_name)
		s = team_id(st, org_id, team_name, "team", &tid, err);
	db_stmt *stmt = NULL;
	/* The table's UNIQUE treats two NULL teams as different, so a role held
	 * for the whole organisation is looked for here. */
	if (!s)
		s = store_prepare(st, "SELECT 1 FROM user_roles WHERE user_id = ? AND org_id = ?"
				      " AND role = ? AND team_id IS NOT DISTINCT FROM ?", &stmt, err);
	if (!s) {
		bind_role(stmt, uid, org_id, role, tid);
		if (db_step(stmt) == DB_ROW)
			s = error_set(err, FH_ECONFLICT, "role", NULL,
				      "%s holds this role here already", user_email);
		db_finalize(stmt);
	}
	if (!s)
		s = store_prepare(st, "INSERT INTO user_roles (user_id, org_id, role, team_id)"
				      " VALUES (?, ?, ?, ?)", &stmt, err);
	if (!s) {
		bind_role(stmt, uid, org_id, role, tid);
		if (db_step(stmt) != DB_DONE)
			s = store_fail(st, "granting the role", err);
		db_finalize(stmt);
	}
	if (!s) {
		json_t *data = json_pack("{sI ss}", "user_id", (json_int_t)uid, "role", role);
		if (team_name)
			json_object_set_new(data, "team", json_string(team_name));
		s = store_event_append_json(st, org_id, 0, actor, "role_granted", NULL, NULL, data,
					    err);
	}
	return store_tx_end(st, opened, s, err);
}

fh_status store_user_list(fh_store *st, const char *org_code, fh_arena *arena, fh_user **users,
			  size_t *count, fh_error *err)
{
	int64_t org_id = 0;
	*users = NULL;
	*count = 0;
	fh_status s = org_code ? store_org_id(st, org_code, &org_id, err) : FH_OK;
	if (s)
		return s;
	db_stmt *stmt;
	/* One row per user with their roles in this organisation as JSON, so a
	 * user's roles arrive with the user. */
	s = store_prepare(st, store_is_postgresql(st)
		? "SELECT u.id, u.email, u.display_name, u.external, u.disabled,"
		  " json_agg(json_build_array(o.code, r.role, t.name)), count(*) OVER (),"
		  " (SELECT json_agg(io.code ORDER BY io.code) FROM user_independence i"
		  "  JOIN organisations io ON io.id = i.org_id WHERE i.user_id = u.id)"
		  " FROM users u JOIN user_roles r ON r.user_id = u.id"
		  " JOIN organisations o ON o.id = r.org_id LEFT JOIN teams t ON t.id = r.team_id"
		  " WHERE ?1 = 0 OR r.org_id = ?1 GROUP BY u.id ORDER BY u.email"
		: "SELECT u.id, u.email, u.display_name, u.external, u.disabled,"
		" json_group_array(json_array(o.code, r.role, t.name)), count(*) OVER (),"
		" (SELECT json_group_array(code) FROM (SELECT io.code FROM user_independence i"
		"  JOIN organisations io ON io.id = i.org_id WHERE i.user_id = u.id ORDER BY io.code))"
		" FROM users u JOIN user_roles r ON r.user_id = u.id"
		" JOIN organisations o ON o.id = r.org_id LEFT JOIN teams t ON t.id = r.team_id"
		" WHERE ?1 = 0 OR r.org_id = ?1 GROUP BY u.id ORDER BY u.email", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		*users = store_rows_array(stmt, 6, arena, *users, *count, sizeof **users);
		fh_user *u = &(*users)[(*count)++];
		u->id = db_column_int64(stmt, 0);
		u->email = store_column_text(stmt, 1, arena);
		u->display_name = store_column_text(stmt, 2, arena);
		u->external = db_column_int(stmt, 3);
		u->disabled = db_column_int(stmt, 4);
		json_t *roles = json_loads((const char *)db_column_text(stmt, 5), 0, NULL);
		u->n_roles = json_array_size(roles);
		u->roles = arena_array(arena, u->n_roles, sizeof *u->roles);
		for (size_t i = 0; i < u->n_roles; i++) {
			json_t *r = json_array_get(roles, i);
			u->roles[i].org_code = arena_strdup(arena, json_string_value(json_array_get(r, 0)));
			u->roles[i].role = arena_strdup(arena, json_string_value(json_array_get(r, 1)));
			u->roles[i].team = arena_strdup(arena, json_string_value(json_array_get(r, 2)));
		}
		json_decref(roles);
		/* the organisations an administrator marked them independent of */
		json_t *indep = db_column_type(stmt, 7) == DB_TEXT
			? json_loads((const char *)db_column_text(stmt, 7), 0, NULL) : NULL;
		u->n_independent_of = json_array_size(indep);
		u->independent_of = arena_array(arena, u->n_independent_of + 1,
						sizeof *u->independent_of);
		for (size_t i = 0; i < u->n_independent_of; i++)
			u->independent_of[i] = arena_strdup(arena,
				json_string_value(json_array_get(indep, i)));
		json_decref(indep);
	}
	if (rc != DB_DONE)
		s = store_fail(st, "listing users", err);
	db_finalize(stmt);
	return s;
}

/*
 * Marks (or unmarks) a user as independent of an
 * organisation, which a procedure's "independence" roles require (reg 19;
 * 001 B Stage 2 and Stage 3; 000).  Only for someone who holds a role
 * there; unchanged is not an error and records nothing.  One transaction
 * with its event, user_independence_set.
 */
fh_status store_user_set_independent(fh_store *st, const char *email, const char *org_code,
				     bool independent, const char *actor, fh_error *err)
{
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	if (s)
		return s;
	int64_t uid = 0, org_id = 0;
	db_stmt *stmt = NULL;
	bool member = false, marked = false;
	s = store_user_id(st, email, "email", &uid, err);
	if (!s)
		s = store_org_id(st, org_code, &org_id, err);
	if (!s)
		s = store_prepare(st, "SELECT CASE WHEN EXISTS (SELECT 1 FROM user_roles WHERE user_id = ?1"
				      " AND org_id = ?2) THEN 1 ELSE 0 END, CASE WHEN EXISTS (SELECT 1"
				      " FROM user_independence WHERE user_id = ?1 AND org_id = ?2)"
				      " THEN 1 ELSE 0 END", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, uid);
		db_bind_int64(stmt, 2, org_id);
		if (db_step(stmt) == DB_ROW) {
			member = db_column_int(stmt, 0) != 0;
			marked = db_column_int(stmt, 1) != 0;
		} else {
			s = store_fail(st, "reading the user's independence", err);
		}
		db_finalize(stmt);
	}
	if (!s && !member)
		s = error_set(err, FH_ECONFLICT, "email", NULL,
			      "%s holds no role in %s: grant one first", email, org_code);
	if (!s && marked != independent) {
		char now[21];
		store_now(now);
		s = store_prepare(st, independent
			? "INSERT INTO user_independence (user_id, org_id, marked_at, marked_by)"
			  " VALUES (?1, ?2, ?3, ?4)"
			: "DELETE FROM user_independence WHERE user_id = ?1 AND org_id = ?2", &stmt, err);
		if (!s) {
			db_bind_int64(stmt, 1, uid);
			db_bind_int64(stmt, 2, org_id);
			if (independent) {
				store_bind_text(stmt, 3, now);
				store_bind_text(stmt, 4, actor);
			}
			if (db_step(stmt) != DB_DONE)
				s = store_fail(st, "marking the user's independence", err);
			db_finalize(stmt);
		}
		if (!s)
			s = store_event_append_json(st, org_id, 0, actor, "user_independence_set",
						    NULL, NULL,
						    json_pack("{sI ss sb}", "user_id",
							      (json_int_t)uid, "email", email,
							      "independent", independent), err);
	}
	return store_tx_end(st, opened, s, err);
}

fh_status store_user_is_independent(fh_store *st, const char *email, const char *org_code,
				    bool *independent, fh_error *err)
{
	db_stmt *stmt;
	*independent = false;
	fh_status s = store_stmt(st, "SELECT 1 FROM user_independence i JOIN users u ON u.id = i.user_id"
				 " JOIN organisations o ON o.id = i.org_id WHERE u.email = ?1 AND o.code = ?2",
				 &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, email);
	store_bind_text(stmt, 2, org_code);
	*independent = db_step(stmt) == DB_ROW;
	store_stmt_done(st, stmt);
	return FH_OK;
}

fh_status store_org_set_up_on(fh_store *st, const char *code, const char *date,
			      const char *actor, fh_error *err)
{
	fh_date d;
	if (date && !date_parse(date, &d))
		return error_set(err, FH_EINVAL, "set_up_on", NULL, "'%s' is not a date (YYYY-MM-DD)",
				 date);
	bool opened;
	fh_arena arena = ARENA_INIT;
	fh_org org;
	fh_status s = store_tx_begin_org(st, code, &opened, &arena, &org, err);
	if (s) {
		arena_free(&arena);
		return s;
	}
	db_stmt *stmt;
	s = store_prepare(st, "UPDATE organisations SET set_up_on = ? WHERE id = ?", &stmt,
				  err);
	if (!s) {
		store_bind_text(stmt, 1, date);
		db_bind_int64(stmt, 2, org.id);
		s = db_step(stmt) == DB_DONE ? FH_OK : store_fail(st, "recording the set-up day", err);
		db_finalize(stmt);
	}
	if (!s)
		s = store_event_append_json(st, org.id, 0, actor, "org_set_up_on", NULL, NULL,
					    json_pack("{ss so}", "code", org.code, "set_up_on",
						      date ? json_string(date) : json_null()), err);
	arena_free(&arena);
	return store_tx_end(st, opened, s, err);
}
