-- 009 data rights (DOMAIN §8): written consent to share for independent
-- consideration (001 §14.3), redacted copies of documents, and a retention
-- rule per organisation with the date each case was anonymised under it.

-- 001 §14.3: customers asking for independent consideration give written,
-- signed and dated agreement to share their personal information.
CREATE TABLE data_consents (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  person_id     INTEGER NOT NULL REFERENCES people(id),
  purpose       TEXT NOT NULL CHECK (purpose IN ('independent_consideration')),
  written       INTEGER NOT NULL CHECK (written = 1),
  signed        INTEGER NOT NULL CHECK (signed = 1),
  dated_on      TEXT NOT NULL CHECK (date(dated_on) = dated_on),
  recorded_by   TEXT NOT NULL,
  recorded_at   TEXT NOT NULL,
  UNIQUE (case_id, person_id, purpose)
) STRICT;

-- A redacted copy is a document of its own (documents are never changed);
-- this says which document it was made from and what was taken out.
CREATE TABLE document_redactions (
  document_id   INTEGER PRIMARY KEY REFERENCES documents(id),
  original_id   INTEGER NOT NULL REFERENCES documents(id),
  removed       TEXT NOT NULL CHECK (length(removed) > 0),
  redacted_by   TEXT NOT NULL,
  redacted_at   TEXT NOT NULL,
  CHECK (document_id <> original_id)
) STRICT;
CREATE INDEX document_redactions_original ON document_redactions(original_id);

-- How long an organisation keeps a closed case before anonymising it.
CREATE TABLE retention_rules (
  org_id        INTEGER PRIMARY KEY REFERENCES organisations(id),
  years_after_closure INTEGER NOT NULL CHECK (years_after_closure BETWEEN 1 AND 100),
  set_by        TEXT NOT NULL,
  set_at        TEXT NOT NULL
) STRICT;

ALTER TABLE cases ADD COLUMN anonymised_on TEXT
  CHECK (anonymised_on IS NULL OR date(anonymised_on) = anonymised_on);
