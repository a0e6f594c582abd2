-- Leaner writes of clocks and events: each index a row is in costs a page
-- written at every commit that touches it.
--
-- The queues read clocks that have a deadline, in deadline order. Before,
-- two indexes held every clock under its state: each change of state moved
-- a clock in both, also for the many clocks that are long finished. Now:
--  * clocks_due: every clock with a deadline, by deadline. A change of state
--    leaves it alone (a clock is written without its deadline and team when
--    those stay the same);
--  * clocks_open and clocks_team_open: only clocks that have not stopped,
--    the work still to do, per state and per team. A clock leaves them when
--    it stops, so they stay small.
-- The queries name `deadline IS NOT NULL AND stop_at IS NULL` where they
-- want the small indexes (a running, paused or at-risk clock has no stop).
DROP INDEX clocks_queue;
DROP INDEX clocks_team_queue;
CREATE INDEX clocks_due ON clocks (deadline, case_id, norm_id)
    WHERE deadline IS NOT NULL;
CREATE INDEX clocks_open ON clocks (state, deadline, case_id, norm_id)
    WHERE deadline IS NOT NULL AND stop_at IS NULL;
CREATE INDEX clocks_team_open ON clocks (team, deadline, case_id, norm_id)
    WHERE deadline IS NOT NULL AND stop_at IS NULL;

-- A case's events are read all at once and sorted after: the index needs
-- the case only.
DROP INDEX events_by_case;
CREATE INDEX events_by_case ON events (case_id);
