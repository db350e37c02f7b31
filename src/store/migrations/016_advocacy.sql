-- 011 advocacy and access (DOMAIN §7): advocacy offered, referred to the
-- organisation's advocacy service, taken up or declined; interpreters,
-- signers and alternative formats.  The rules are src/core/advocacy.c.

CREATE TABLE case_advocacy (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  person_id     INTEGER NOT NULL REFERENCES people(id),
  service       TEXT NOT NULL CHECK (length(service) > 0),
  offered_on    TEXT NOT NULL CHECK (date(offered_on) = offered_on),
  referred_on   TEXT CHECK (referred_on IS NULL OR date(referred_on) = referred_on),
  taken_up_on   TEXT CHECK (taken_up_on IS NULL OR date(taken_up_on) = taken_up_on),
  declined_on   TEXT CHECK (declined_on IS NULL OR date(declined_on) = declined_on),
  clock_extended INTEGER NOT NULL DEFAULT 0 CHECK (clock_extended IN (0, 1)),
  recorded_by   TEXT NOT NULL,
  UNIQUE (case_id, person_id)
) STRICT;

CREATE TABLE case_access_needs (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  person_id     INTEGER NOT NULL REFERENCES people(id),
  need          TEXT NOT NULL CHECK (need IN ('interpreter', 'signer', 'alternative_format')),
  detail        TEXT NOT NULL DEFAULT '',
  arranged_on   TEXT CHECK (arranged_on IS NULL OR date(arranged_on) = arranged_on),
  recorded_by   TEXT NOT NULL,
  recorded_at   TEXT NOT NULL
) STRICT;
CREATE INDEX case_access_needs_case ON case_access_needs(case_id);
