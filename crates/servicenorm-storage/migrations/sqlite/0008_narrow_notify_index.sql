-- Only clocks the scheduler may notify about belong in this index: deadline
-- and tussenbericht clocks at risk or missed. Every other clock (a finished
-- phone call's limits, a running term) was in it before, and each write of
-- such a clock paid for an index entry no query reads. The terms are those
-- of QUEUE_NOTIFICATIONS and MARK_NOTIFIED, so both still use it.
DROP INDEX clocks_to_notify;
CREATE INDEX clocks_to_notify ON clocks (state)
    WHERE state IN ('dreigt_te_verlopen', 'niet_gehaald')
    AND kind IN ('deadline', 'tussenbericht')
    AND (notified IS NULL OR notified <> state);
