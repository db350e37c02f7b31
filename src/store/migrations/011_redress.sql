-- 006 redress: remedies on a complaint (DOMAIN §5; 001 §18, Appendix B).
-- A remedy is recorded, approved (by whom, when) and delivered (when).
-- The rules are src/core/redress.c; the CHECKs repeat its vocabularies.
-- Amounts are whole pence.

CREATE TABLE remedies (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  type          TEXT NOT NULL CHECK (type IN ('apology', 'policy_review', 'provide_service',
                  'staff_training', 'financial', 'delay_payment')),
  category      TEXT NOT NULL DEFAULT '' CHECK (category IN ('', 'quantifiable_loss',
                  'non_monetary_benefit', 'distress_harm_risk', 'time_and_trouble')),
  amount_pence  INTEGER NOT NULL DEFAULT 0 CHECK (amount_pence >= 0),
  description   TEXT NOT NULL CHECK (length(description) > 0),
  recorded_by   TEXT NOT NULL,
  recorded_at   TEXT NOT NULL,
  approved_by   TEXT,
  approved_on   TEXT CHECK (approved_on IS NULL OR date(approved_on) = approved_on),
  delivered_by  TEXT,
  delivered_on  TEXT CHECK (delivered_on IS NULL OR date(delivered_on) = delivered_on),
  CHECK ((type = 'financial') = (category <> '')),
  CHECK ((type IN ('financial', 'delay_payment')) = (amount_pence > 0)),
  CHECK (delivered_on IS NULL OR approved_on IS NOT NULL)
) STRICT;
CREATE INDEX remedies_case ON remedies(case_id);
