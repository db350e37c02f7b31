-- tests/pg/triggers.sql: exercises every trigger of the PostgreSQL schema
-- (src/store/migrations_pg) with hand-written statements mirroring what the
-- SQLite triggers are for: append-only tables refuse UPDATE and DELETE with
-- SQLSTATE 23000 and the SQLite message, the search table, next_due and the
-- counters follow the rows they are kept from.  Also the CHECKs that stand
-- in for SQLite functions (date(), json_valid, GLOB, COLLATE NOCASE).
--
--   psql -X -v ON_ERROR_STOP=1 -d DB -f tests/pg/triggers.sql
--
-- DB must hold all 17 migrations and no data (tools/schema_compare.sh
-- makes one; so does applying migrations_pg/*.sql in order).  Everything
-- runs in one transaction that is rolled back, so it leaves DB as it was.
-- A failed check stops the script with "FAILED: what was expected".
\set ON_ERROR_STOP 1
\set QUIET 1
SET client_min_messages = warning;
-- the checks' own results are empty rows: only failures and the last line show
\o /dev/null
BEGIN;

-- expect(condition, what): fails the run unless condition is true.
CREATE FUNCTION pg_temp.expect(ok BOOLEAN, what TEXT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF ok IS NOT TRUE THEN
		RAISE EXCEPTION 'FAILED: %', what;
	END IF;
END;
$$;

-- refused(statement, sqlstate, message): the statement must fail with
-- that SQLSTATE and, when message is not NULL, exactly that message.  Its
-- effects are undone either way (the block is a subtransaction).
CREATE FUNCTION pg_temp.refused(stmt TEXT, state TEXT, msg TEXT) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	got_state TEXT;
	got_msg TEXT;
BEGIN
	BEGIN
		EXECUTE stmt;
	EXCEPTION WHEN OTHERS THEN
		got_state := SQLSTATE;
		got_msg := SQLERRM;
	END;
	IF got_state IS NULL THEN
		RAISE EXCEPTION 'FAILED: not refused: %', stmt;
	ELSIF got_state <> state OR (msg IS NOT NULL AND got_msg <> msg) THEN
		RAISE EXCEPTION 'FAILED: % refused with % "%", expected % "%"',
			stmt, got_state, got_msg, state, coalesce(msg, '(any message)');
	END IF;
END;
$$;

-- The fixtures give ids so the checks can name rows; resync(t) moves t's
-- identity past them, as a migration's seed rows must, so a later insert
-- without an id is refused only for what it is testing.
CREATE FUNCTION pg_temp.resync(t TEXT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, ''id''), (SELECT max(id) FROM %I))',
		       t, t);
END;
$$;

-- The search query the C code is to use on PostgreSQL (004_auth.sql), as
-- a function of the tsquery it builds: the ids of the matching cases.
CREATE FUNCTION pg_temp.search(q TEXT) RETURNS SETOF BIGINT LANGUAGE sql AS $$
	SELECT c.id FROM cases c
	WHERE c.id IN (SELECT case_id FROM cases_fts WHERE tsv @@ to_tsquery('simple', q))
	ORDER BY c.id
$$;

-- --- fixtures -----------------------------------------------------------------
INSERT INTO organisations (id, code, name, ref_prefix, created_at)
VALUES (1, 'bct', 'Borough Children''s Trust', 'BCT', '2026-01-01T00:00:00Z'),
       (2, 'ncc', 'Northshire County Council', 'NCC', '2026-01-01T00:00:00Z');
INSERT INTO users (id, email, display_name, created_at)
VALUES (1, 'Officer@Example.org', 'Olive Officer', '2026-01-01T00:00:00Z');
INSERT INTO teams (id, org_id, parent_id, level, name)
VALUES (1, 1, NULL, 'service', 'Children''s Services'),
       (2, 1, 1, 'team', 'Fostering'), (3, 1, 1, 'team', 'Adoption');
INSERT INTO people (id, org_id, title, given_name, family_name, created_at)
VALUES (1, 1, 'Ms', 'Zoë', 'Smith-Jones', '2026-01-01T00:00:00Z'),
       (2, 1, '', 'Ahmed', 'Khan', '2026-01-01T00:00:00Z');
SELECT pg_temp.resync(t) FROM unnest(ARRAY['organisations', 'users', 'teams', 'people']) t;

-- --- 001: the audit chain is append-only ---------------------------------------
INSERT INTO events (id, org_id, at, actor, action, hash)
VALUES (1, 1, '2026-01-01T00:00:00Z', 'system', 'org_created', decode(repeat('ab', 32), 'hex'));
SELECT pg_temp.refused('UPDATE events SET actor = ''someone'' WHERE id = 1', '23000',
		       'events are append-only');
SELECT pg_temp.refused('DELETE FROM events WHERE id = 1', '23000', 'events are append-only');
SELECT pg_temp.refused('TRUNCATE events', '23000', 'events are append-only');
SELECT pg_temp.refused('DELETE FROM audit_head', '23000', 'the audit head cannot be removed');
SELECT pg_temp.refused('TRUNCATE audit_head', '23000', 'the audit head cannot be removed');
SELECT pg_temp.expect((SELECT count(*) FROM events) = 1, 'the event is still there');
-- the audit head is moved, never removed: an UPDATE is allowed
UPDATE audit_head SET event_count = 1, last_id = 1, last_hash = decode(repeat('ab', 32), 'hex');
SELECT pg_temp.refused('INSERT INTO events (id, at, actor, action, hash) VALUES
	(2, ''2026-01-01T00:00:00Z'', ''system'', ''x'', ''\x00'')', '23514', NULL);

-- --- the CHECKs that stand in for SQLite functions ------------------------------
SELECT pg_temp.expect(fh_is_date('2024-02-29') AND NOT fh_is_date('2026-02-30')
		      AND NOT fh_is_date('2026-1-05') AND NOT fh_is_date('2026-01-05T00:00:00Z')
		      AND fh_is_date(NULL) IS NULL, 'fh_is_date agrees with SQLite''s date(x) = x');
SELECT pg_temp.refused('INSERT INTO cases (org_id, reference, kind, channel, received_on,
	summary, created_at, updated_at) VALUES (1, ''BCT-2026-09999'', ''complaint'', ''email'',
	''2026-02-30'', ''x'', ''t'', ''t'')', '23514', NULL);
SELECT pg_temp.expect(fh_is_json('{"a": [1, 2]}') AND NOT fh_is_json('{"a": '),
		      'fh_is_json agrees with json_valid');
SELECT pg_temp.refused('INSERT INTO web_drafts (token_hash, org_id, answers, created_at,
	expires_at) VALUES (decode(repeat(''01'', 32), ''hex''), 1, ''{nope'', ''t'', ''t'')',
	'23514', NULL);
SELECT pg_temp.refused('INSERT INTO users (email, display_name, created_at)
	VALUES (''officer@EXAMPLE.org'', ''Twin'', ''t'')', '23505', NULL);
SELECT pg_temp.expect((SELECT id FROM users WHERE email = 'OFFICER@example.ORG') = 1,
		      'emails compare without case, as COLLATE NOCASE');
SELECT pg_temp.refused('INSERT INTO users (email, display_name, created_at)
	VALUES (''no-at-sign'', ''X'', ''t'')', '23514', NULL);
SELECT pg_temp.refused('INSERT INTO organisations (code, name, ref_prefix, created_at)
	VALUES (''Xy'', ''X'', ''XY'', ''t'')', '23514', NULL);
-- 2026-01-03 is a Saturday: an imported holiday is never on a weekend
SELECT pg_temp.refused('INSERT INTO imported_holidays (region, date, name, imported_at)
	VALUES (''england-and-wales'', ''2026-01-03'', ''x'', ''t'')', '23514', NULL);
SELECT pg_temp.refused('INSERT INTO imported_holidays (region, date, name, imported_at)
	VALUES (''England'', ''2026-01-05'', ''x'', ''t'')', '23514', NULL);
INSERT INTO imported_holidays (region, date, name, imported_at)
VALUES ('england-and-wales', '2026-01-05', 'A Monday', 't');

-- --- 004: the access log is append-only ----------------------------------------
INSERT INTO access_log (at, user_id, actor, case_id, what, detail)
VALUES ('2026-01-02T00:00:00Z', 1, 'officer@example.org', NULL, 'search', 'smith');
SELECT pg_temp.refused('UPDATE access_log SET detail = ''''', '23000', 'the access log is append-only');
SELECT pg_temp.refused('DELETE FROM access_log', '23000', 'the access log is append-only');
SELECT pg_temp.refused('TRUNCATE access_log', '23000', 'the access log is append-only');
-- 005 widened what may be logged
INSERT INTO access_log (at, actor, what) VALUES ('2026-01-02T00:00:00Z', 'x', 'document');
SELECT pg_temp.refused('INSERT INTO access_log (at, actor, what) VALUES (''t'', ''x'', ''letter'')',
		       '23514', NULL);

-- --- a case, its counters and its search row --------------------------------
INSERT INTO cases (id, org_id, reference, kind, channel, received_on, service, team_id, summary,
		   details, route, state, stage, created_at, updated_at)
VALUES (1, 1, 'BCT-2026-00042', 'complaint', 'email', '2026-01-05', 'fostering', 2,
	'Late visits', 'The social worker came late', 'statutory', 'open', 1,
	'2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z');
SELECT pg_temp.resync('cases');
-- 017 dropped cases_fts_insert: the row comes from store_case_create
SELECT pg_temp.expect(NOT EXISTS (SELECT 1 FROM cases_fts WHERE case_id = 1),
		      'no search row until store_case_create writes it');
-- cases_open_counts_insert, report_case_days_insert
SELECT pg_temp.expect((SELECT n FROM case_open_counts WHERE org_id = 1 AND due = '' AND stage = 1) = 1,
		      'an open case is counted under no due date');
SELECT pg_temp.expect((SELECT n FROM report_case_days WHERE org_id = 1 AND received_on = '2026-01-05'
		       AND kind = 'complaint' AND team_id = 2 AND route = 'statutory'
		       AND subject = 'fostering') = 1, 'the case is counted on its day');

-- store_case_create's write (SQLite: INSERT INTO cases_fts (rowid, ...)
-- with group_concat), parties and points first
INSERT INTO case_parties (id, case_id, person_id, role) VALUES (1, 1, 1, 'complainant');
INSERT INTO complaint_points (id, case_id, seq, summary, desired_outcome)
VALUES (1, 1, 1, 'Visits start an hour late', 'Punctual visits');
INSERT INTO cases_fts (case_id, reference, names, body)
SELECT c.id, c.reference,
  coalesce((SELECT string_agg(trim(p.title || ' ' || p.given_name || ' ' || p.family_name || ' ' ||
				   p.organisation), ' ')
	    FROM case_parties cp JOIN people p ON p.id = cp.person_id WHERE cp.case_id = c.id), ''),
  c.summary || ' ' || c.details || ' ' ||
  coalesce((SELECT string_agg(summary || ' ' || desired_outcome, ' ')
	    FROM complaint_points WHERE case_id = c.id), '')
FROM cases c WHERE c.id = 1;
SELECT pg_temp.expect((SELECT names FROM cases_fts WHERE case_id = 1) = 'Ms Zoë Smith-Jones',
		      'the names written once');
-- the search, as the C code will ask it
SELECT pg_temp.expect(1 IN (SELECT pg_temp.search('''00042'':*')), 'a reference''s number finds it');
SELECT pg_temp.expect(1 IN (SELECT pg_temp.search('''BCT 2026 000'':*')),
		      'the start of a reference finds it (a phrase of prefixes)');
SELECT pg_temp.expect(1 IN (SELECT pg_temp.search('''smith jones'':* & ''zo'':*')),
		      'names find it, in any case');
SELECT pg_temp.expect(1 IN (SELECT pg_temp.search('''punctual'':*')), 'a point''s outcome finds it');
SELECT pg_temp.expect(NOT EXISTS (SELECT pg_temp.search('''jones smith'':*')),
		      'a phrase keeps its order');
SELECT pg_temp.expect(NOT EXISTS (SELECT pg_temp.search('''khan'':*')), 'no one else''s name');

-- cases_fts_party: a party added
INSERT INTO case_parties (id, case_id, person_id, role, relationship)
VALUES (2, 1, 2, 'representative', 'relative');
SELECT pg_temp.expect((SELECT names FROM cases_fts WHERE case_id = 1) = 'Ms Zoë Smith-Jones Ahmed Khan',
		      'a party''s name added to the search row');
SELECT pg_temp.expect(1 IN (SELECT pg_temp.search('''khan'':*')), 'the new name finds it');
-- cases_fts_person: a person renamed
UPDATE people SET family_name = 'Khan-Ali' WHERE id = 2;
SELECT pg_temp.expect((SELECT names FROM cases_fts WHERE case_id = 1) = 'Ms Zoë Smith-Jones Ahmed Khan-Ali',
		      'a renamed person renamed in the search row');
-- cases_fts_party_delete: a party removed
DELETE FROM case_parties WHERE id = 2;
SELECT pg_temp.expect((SELECT names FROM cases_fts WHERE case_id = 1) = 'Ms Zoë Smith-Jones',
		      'a removed party''s name gone from the search row');
-- cases_fts_point: a point added to an existing case
INSERT INTO complaint_points (id, case_id, seq, summary, desired_outcome)
VALUES (2, 1, 2, 'Reports unanswered', 'A reply');
SELECT pg_temp.expect((SELECT body FROM cases_fts WHERE case_id = 1) =
		      'Late visits The social worker came late Visits start an hour late Punctual visits'
		      ' Reports unanswered A reply', 'a new point appended to the body');
-- cases_fts_point_update: a point changed, the body rebuilt
UPDATE complaint_points SET desired_outcome = 'An apology' WHERE id = 2;
SELECT pg_temp.expect((SELECT body FROM cases_fts WHERE case_id = 1) =
		      'Late visits The social worker came late Visits start an hour late Punctual visits'
		      ' Reports unanswered An apology', 'a changed point rebuilds the body');
-- cases_fts_update: the case's own text changed
UPDATE cases SET summary = 'Very late visits' WHERE id = 1;
SELECT pg_temp.expect((SELECT body FROM cases_fts WHERE case_id = 1) =
		      'Very late visits The social worker came late Visits start an hour late'
		      ' Punctual visits Reports unanswered An apology', 'a changed summary rebuilds the body');
SELECT pg_temp.expect(1 IN (SELECT pg_temp.search('''apolog'':*')), 'the tsvector follows the body');

-- --- 009: complainants ----------------------------------------------------------
-- report_complainant_added (party 1 was added as a complainant above)
SELECT pg_temp.expect((SELECT count(*) FROM report_complainants WHERE case_id = 1 AND person_id = 1
		       AND kind = 'complaint' AND team_id = 2) = 1, 'the complainant projected');
-- report_complainant_changed: a representative becomes a complainant
INSERT INTO case_parties (id, case_id, person_id, role) VALUES (3, 1, 2, 'representative');
SELECT pg_temp.expect((SELECT count(*) FROM report_complainants WHERE case_id = 1) = 1,
		      'a representative is not a complainant');
UPDATE case_parties SET role = 'complainant' WHERE id = 3;
SELECT pg_temp.expect((SELECT count(*) FROM report_complainants WHERE case_id = 1) = 2,
		      'a party made complainant is projected');
UPDATE case_parties SET role = 'child' WHERE id = 3;
SELECT pg_temp.expect((SELECT count(*) FROM report_complainants WHERE case_id = 1) = 1,
		      'a complainant made a child is no longer projected');
-- report_complainant_removed
UPDATE case_parties SET role = 'complainant' WHERE id = 3;
DELETE FROM case_parties WHERE id = 3;
SELECT pg_temp.expect((SELECT count(*) FROM report_complainants WHERE case_id = 1) = 1,
		      'a removed complainant is no longer projected');

-- --- 007: next_due and the open counts ------------------------------------------
-- case_deadlines_next_due_insert, then cases_open_counts_leave and _enter
INSERT INTO case_deadlines (case_id, stage, clock, start_on, due_on)
VALUES (1, 1, 'response', '2026-01-05', '2026-01-19'),
       (1, 0, 'acknowledge', '2026-01-05', '2026-01-08');
SELECT pg_temp.expect((SELECT next_due FROM cases WHERE id = 1) = '2026-01-08',
		      'next_due is the earliest running deadline');
SELECT pg_temp.expect((SELECT n FROM case_open_counts WHERE org_id = 1 AND due = '' AND stage = 1) = 0
		      AND (SELECT n FROM case_open_counts WHERE org_id = 1 AND due = '2026-01-08'
			   AND stage = 1) = 1, 'the count moves to the new due date');
-- case_deadlines_next_due_update: a stopped clock does not count
UPDATE case_deadlines SET stopped = 1 WHERE clock = 'acknowledge';
SELECT pg_temp.expect((SELECT next_due FROM cases WHERE id = 1) = '2026-01-19',
		      'a stopped clock leaves next_due');
SELECT pg_temp.expect((SELECT n FROM case_open_counts WHERE due = '2026-01-08') = 0
		      AND (SELECT n FROM case_open_counts WHERE due = '2026-01-19') = 1,
		      'the count follows next_due');
-- case_deadlines_next_due_delete
DELETE FROM case_deadlines WHERE clock = 'response';
SELECT pg_temp.expect((SELECT next_due FROM cases WHERE id = 1) IS NULL,
		      'no running clock: no next_due');
SELECT pg_temp.expect((SELECT n FROM case_open_counts WHERE due = '') = 1, 'counted under no due date again');
-- a stage change moves the count from one stage to the other
UPDATE cases SET stage = 2 WHERE id = 1;
SELECT pg_temp.expect((SELECT n FROM case_open_counts WHERE due = '' AND stage = 1) = 0
		      AND (SELECT n FROM case_open_counts WHERE due = '' AND stage = 2) = 1,
		      'the count follows the stage');
-- closing counts it out (leave fires, enter does not)
UPDATE cases SET state = 'closed', closed_on = '2026-02-01' WHERE id = 1;
SELECT pg_temp.expect((SELECT sum(n) FROM case_open_counts) = 0, 'a closed case is not counted');
-- reopening counts it in
UPDATE cases SET state = 'open', closed_on = NULL WHERE id = 1;
SELECT pg_temp.expect((SELECT sum(n) FROM case_open_counts) = 1, 'a reopened case is counted');

-- cases_open_counts_delete and report_case_days_delete: a bare case
-- (nothing refers to it) removed
INSERT INTO cases (id, org_id, reference, kind, channel, received_on, summary, state,
		   created_at, updated_at)
VALUES (2, 1, 'BCT-2026-00043', 'comment', 'letter', '2026-01-05', 'A comment', 'received', 't', 't');
SELECT pg_temp.expect((SELECT sum(n) FROM case_open_counts) = 2, 'two open cases');
DELETE FROM cases WHERE id = 2;
SELECT pg_temp.expect((SELECT sum(n) FROM case_open_counts) = 1, 'a removed case is counted out');
SELECT pg_temp.expect((SELECT n FROM report_case_days WHERE kind = 'comment') = 0,
		      'a removed case leaves its day at 0');

-- --- 009: stage projections and daily counts ------------------------------------
-- report_stage_added
INSERT INTO report_stages (case_id, stage, org_id, team_id, requested_on, started_on, due_on,
			   responded_on, upheld, not_upheld, learning, actions, officers)
VALUES (1, 1, 1, 2, '2026-01-05', '2026-01-05', '2026-01-19', '2026-01-16', 1, 1, 1, 2,
	'officer@example.org');
SELECT pg_temp.expect((SELECT row(n, upheld, not_upheld, learning, actions)::text
		       FROM report_response_days WHERE org_id = 1 AND responded_on = '2026-01-16'
		       AND stage = 1 AND team_id = 2) = '(1,1,1,1,2)', 'a response counted on its day');
SELECT pg_temp.expect((SELECT count(*) FROM report_stage_days WHERE n = 1 AND day = '2026-01-05'
		       AND team_id = 2) = 2, 'the request and the start counted on their day');
-- a second case's response on the same day adds to the same row
INSERT INTO cases (id, org_id, reference, kind, channel, received_on, summary, created_at, updated_at)
VALUES (3, 1, 'BCT-2026-00044', 'complaint', 'phone', '2026-01-05', 'Another', 't', 't');
INSERT INTO report_stages (case_id, stage, org_id, team_id, started_on, due_on, responded_on,
			   upheld, actions, actions_done, officers)
VALUES (3, 1, 1, 2, '2026-01-05', '2026-01-19', '2026-01-16', 1, 1, 1, 'officer@example.org');
SELECT pg_temp.expect((SELECT row(n, upheld, actions, actions_done)::text FROM report_response_days
		       WHERE responded_on = '2026-01-16') = '(2,2,3,1)', 'two responses summed');
SELECT pg_temp.expect((SELECT n FROM report_stage_days WHERE what = 'started' AND day = '2026-01-05') = 2,
		      'two starts summed');
-- report_stage_changed: a removal and an addition
UPDATE report_stages SET responded_on = '2026-01-17', upheld = 0, partly_upheld = 1 WHERE case_id = 3;
SELECT pg_temp.expect((SELECT row(n, upheld, actions)::text FROM report_response_days
		       WHERE responded_on = '2026-01-16') = '(1,1,2)'
		      AND (SELECT row(n, partly_upheld, actions)::text FROM report_response_days
			   WHERE responded_on = '2026-01-17') = '(1,1,1)', 'a changed response moves day');
SELECT pg_temp.expect((SELECT n FROM report_stage_days WHERE what = 'started' AND day = '2026-01-05') = 2,
		      'an unchanged start stays counted once');
-- report_stage_removed
DELETE FROM report_stages WHERE case_id = 3;
SELECT pg_temp.expect((SELECT n FROM report_response_days WHERE responded_on = '2026-01-17') = 0
		      AND (SELECT n FROM report_stage_days WHERE what = 'started' AND day = '2026-01-05') = 1,
		      'a removed stage counted out');

-- report_case_team: a case moved to another team, everywhere
INSERT INTO report_extensions (case_id, stage, org_id, team_id, on_date, because)
VALUES (1, 1, 1, 2, '2026-01-15', 'complex');
INSERT INTO report_ombudsman (case_id, org_id, team_id, enquiry_on) VALUES (1, 1, 2, '2026-03-01');
-- report_case_days_update and report_complainant_case fire on the same change
UPDATE cases SET team_id = 3 WHERE id = 1;
SELECT pg_temp.expect((SELECT team_id FROM report_stages WHERE case_id = 1) = 3
		      AND (SELECT team_id FROM report_extensions WHERE case_id = 1) = 3
		      AND (SELECT team_id FROM report_ombudsman WHERE case_id = 1) = 3,
		      'the projections follow the case to its new team');
SELECT pg_temp.expect((SELECT team_id FROM report_complainants WHERE case_id = 1) = 3,
		      'the complainant follows the case to its new team');
SELECT pg_temp.expect((SELECT n FROM report_case_days WHERE kind = 'complaint' AND team_id = 2
		       AND subject = 'fostering') = 0
		      AND (SELECT n FROM report_case_days WHERE kind = 'complaint' AND team_id = 3
			   AND subject = 'fostering') = 1, 'the day''s count moves team');
-- the stage rows' team changed through report_case_team: their days follow
SELECT pg_temp.expect((SELECT n FROM report_response_days WHERE responded_on = '2026-01-16'
		       AND team_id = 3) = 1
		      AND (SELECT n FROM report_response_days WHERE responded_on = '2026-01-16'
			   AND team_id = 2) = 0, 'the response days move team with the stage');
-- a change that is no change: report_case_days_update's WHEN holds it back
UPDATE cases SET team_id = 3, kind = 'complaint' WHERE id = 1;
SELECT pg_temp.expect((SELECT sum(n) FROM report_case_days WHERE kind = 'complaint') = 2,
		      'an update that changes nothing counts nothing');

-- --- 005 and 010: documents and letters are never changed ------------------------
INSERT INTO documents (id, case_id, filename, content_type, size, sha256, visibility, content,
		       uploaded_by, uploaded_at)
VALUES (1, 1, 'letter.txt', 'text/plain', 2, repeat('0', 64), 'staff', '\x6869',
	'officer@example.org', 't');
SELECT pg_temp.refused('UPDATE documents SET filename = ''other.txt''', '23000',
		       'a document is never changed: upload a new one');
SELECT pg_temp.refused('INSERT INTO documents (case_id, filename, content_type, size, sha256,
	visibility, content, uploaded_by, uploaded_at) VALUES (1, ''a\b.txt'', ''text/plain'', 1,
	repeat(''0'', 64), ''staff'', ''\x68'', ''x'', ''t'')', '23514', NULL);
SELECT pg_temp.refused('INSERT INTO documents (case_id, filename, content_type, size, sha256,
	visibility, content, uploaded_by, uploaded_at) VALUES (1, ''a.txt'', ''text/plain'', 2,
	repeat(''0'', 64), ''staff'', ''\x68'', ''x'', ''t'')', '23514', NULL);
INSERT INTO letters (id, case_id, kind, variant, stage, recipient, subject, template,
		     template_sha256, document, sha256, issued_on, issued_by, issued_at)
VALUES (1, 1, 'acknowledgement', 'standard', 1, 'complainant', 'Your complaint',
	'acknowledgement.txt', repeat('a', 64), '{"blocks": []}', repeat('b', 64), '2026-01-06',
	'officer@example.org', 't');
SELECT pg_temp.refused('UPDATE letters SET subject = ''x''', '23000',
		       'a letter is never changed: issue a new one');
SELECT pg_temp.refused('DELETE FROM letters', '23000', 'a letter is never removed');
SELECT pg_temp.refused('TRUNCATE letters', '23000', 'a letter is never removed');

-- The tables whose ids the C code gives (or that hold one seeded row)
-- have plain keys; the others hand out ids themselves.
SELECT pg_temp.expect(pg_get_serial_sequence('events', 'id') IS NULL
		      AND pg_get_serial_sequence('audit_head', 'id') IS NULL
		      AND pg_get_serial_sequence('report_projection', 'id') IS NULL
		      AND pg_get_serial_sequence('cases', 'id') IS NOT NULL,
		      'events, audit_head and report_projection have explicit ids, cases an identity');

ROLLBACK;
\o
\echo tests/pg/triggers.sql: every check passed
