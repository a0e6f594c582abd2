-- Website probe slots claimed by an instance. With several instances on one
-- database, only the one whose insert succeeds probes the target in that
-- slot. `slot` is the start of the slot in milliseconds since 1970-01-01 UTC:
-- a probe interval may be shorter than a second. Claims older than a day are
-- deleted when the target's next slot is claimed.
CREATE TABLE probe_slots (
    target  TEXT     NOT NULL,
    slot    INTEGER  NOT NULL,
    PRIMARY KEY (target, slot)
);
