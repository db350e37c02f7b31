-- The stop holding a clock: the PostgreSQL twin of
-- src/store/migrations/019_clock_stops.sql (see there for why).
ALTER TABLE case_deadlines ADD COLUMN stopped_since TEXT;
ALTER TABLE case_deadlines ADD COLUMN stopped_until TEXT;
ALTER TABLE case_deadlines ADD COLUMN stopped_for TEXT;
