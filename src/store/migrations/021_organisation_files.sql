-- 021 organisation files: what an organisation's own file says beyond the
-- columns organisations already has (docs/organisations.md).
--
-- An administrator keeps each organisation as a JSON file under version
-- control and applies it with `fairhearing org apply`.  The letterhead, the
-- reference prefix and the region stay in their columns (letters and
-- references read them); the rest of the file (the services it offers
-- besides advocacy, its policy values) is kept as the checked JSON in
-- settings, so `org export` gives back what was applied.
--
-- organisation_procedures says which installed procedure an organisation
-- uses for which route from which date.  A case received on a date takes
-- the route's procedure whose from date is the latest not after it; an
-- organisation with no rows uses its newest procedure per route, as before.

ALTER TABLE organisations ADD COLUMN settings TEXT NOT NULL DEFAULT '{}'
  CHECK (json_valid(settings));

CREATE TABLE organisation_procedures (
  org_id         INTEGER NOT NULL REFERENCES organisations(id),
  route          TEXT NOT NULL CHECK (route IN ('statutory', 'non_statutory')),
  from_date      TEXT NOT NULL CHECK (date(from_date) = from_date),
  procedure_code TEXT NOT NULL,
  based_on       TEXT NOT NULL DEFAULT '', -- the file it was made from, as the file names it
  PRIMARY KEY (org_id, route, from_date)
) STRICT;
