-- 021 organisation files (PostgreSQL): the twin of
-- migrations/021_organisation_files.sql, which says why.

ALTER TABLE organisations ADD COLUMN settings TEXT NOT NULL DEFAULT '{}'
  CHECK (fh_is_json(settings));

CREATE TABLE organisation_procedures (
  org_id         BIGINT NOT NULL REFERENCES organisations(id),
  route          TEXT NOT NULL CHECK (route IN ('statutory', 'non_statutory')),
  from_date      TEXT NOT NULL CHECK (fh_is_date(from_date)),
  procedure_code TEXT NOT NULL,
  based_on       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (org_id, route, from_date)
);
