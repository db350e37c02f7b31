-- 002 calendar: imported official bank holidays, and organisations' closure days.
-- DOMAIN §3: a working day excludes weekends, the bank holidays of the
-- organisation's region and the closure days it declares.  Bank holidays are
-- computed by rule (src/core/calendar.c); these tables hold only what an
-- administrator adds on top: an imported official list (GOV.UK
-- bank-holidays.json), which replaces the computed holidays of every year it
-- covers, and closure days, which count for one organisation's clocks only.

-- One row per holiday of an imported list.  An import replaces the rows of
-- each year it covers for its region, and leaves other years alone.
CREATE TABLE imported_holidays (
  id            INTEGER PRIMARY KEY,
  region        TEXT NOT NULL CHECK (region GLOB '[a-z]*' AND NOT region GLOB '*[^a-z-]*'
                                     AND length(region) BETWEEN 2 AND 63),
  date          TEXT NOT NULL CHECK (date(date) = date AND date BETWEEN '1980-01-01' AND '2099-12-31'
                                     AND strftime('%w', date) NOT IN ('0', '6')),
  name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  notes         TEXT NOT NULL DEFAULT '',   -- the feed's notes, e.g. 'Substitute day'
  imported_at   TEXT NOT NULL,
  UNIQUE (region, date)
) STRICT;

-- An organisation's own non-working days (a Christmas shutdown).
CREATE TABLE closure_days (
  id            INTEGER PRIMARY KEY,
  org_id        INTEGER NOT NULL REFERENCES organisations(id),
  date          TEXT NOT NULL CHECK (date(date) = date AND date BETWEEN '1980-01-01' AND '2099-12-31'),
  reason        TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
  created_at    TEXT NOT NULL,
  created_by    TEXT NOT NULL,
  UNIQUE (org_id, date)
) STRICT;
