-- A team's notifications are read by team, in order.
CREATE INDEX outbox_team ON outbox (team, id);

-- The state a clock's notification was queued for, so the scheduler looks
-- only at clocks whose state changed since, not at every one ever missed.
ALTER TABLE clocks ADD COLUMN notified TEXT;
CREATE INDEX clocks_to_notify ON clocks (state)
    WHERE notified IS NULL OR notified <> state;
