-- 008 freezing: requests to defer ("freeze") a proposed change of placement
-- or service while a complaint is considered (001 §11).  The rules are
-- src/core/freezing.c.

CREATE TABLE freeze_requests (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  change        TEXT NOT NULL CHECK (change IN ('placement', 'service')),
  proposal      TEXT NOT NULL CHECK (length(proposal) > 0),
  requested_on  TEXT NOT NULL CHECK (date(requested_on) = requested_on),
  recorded_by   TEXT NOT NULL,
  -- the Complaints & Information Manager's and the Head of Service's views (§11.2)
  cim_view      TEXT CHECK (cim_view IS NULL OR cim_view IN ('freeze', 'not_freeze')),
  cim_reason    TEXT NOT NULL DEFAULT '',
  cim_by        TEXT,
  hos_view      TEXT CHECK (hos_view IS NULL OR hos_view IN ('freeze', 'not_freeze')),
  hos_reason    TEXT NOT NULL DEFAULT '',
  hos_by        TEXT,
  -- they disagreed: the Assistant Director or Director decides (§11.4)
  escalated     INTEGER NOT NULL DEFAULT 0 CHECK (escalated IN (0, 1)),
  director_view TEXT CHECK (director_view IS NULL OR director_view IN ('freeze', 'not_freeze')),
  director_reason TEXT NOT NULL DEFAULT '',
  director_by   TEXT,
  outcome       TEXT CHECK (outcome IS NULL OR outcome IN ('frozen', 'not_frozen')),
  decided_on    TEXT CHECK (decided_on IS NULL OR date(decided_on) = decided_on),
  reviewed_on   TEXT CHECK (reviewed_on IS NULL OR date(reviewed_on) = reviewed_on),
  review_outcome TEXT CHECK (review_outcome IS NULL OR review_outcome IN ('maintained', 'reversed')),
  review_note   TEXT NOT NULL DEFAULT '',
  reviewed_by   TEXT,
  CHECK ((outcome IS NULL) = (decided_on IS NULL))
) STRICT;
CREATE INDEX freeze_requests_case ON freeze_requests(case_id);
