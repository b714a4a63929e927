-- Meetings of a pair or group (журнал наставника): held or planned, by type, with what was done;
-- and when a pair's mentor was last nudged for going without one.
CREATE TABLE meetings (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id         uuid NOT NULL,
    pair_id        uuid NOT NULL,
    kind           text NOT NULL,
    held_on        date NOT NULL,
    starts_at      time,
    ends_at        time,
    format         text NOT NULL DEFAULT 'offline',
    place          text NOT NULL DEFAULT '',
    topic          text NOT NULL,
    goal           text NOT NULL DEFAULT '',
    done           text NOT NULL DEFAULT '',
    result         text NOT NULL DEFAULT '',
    next_steps     text NOT NULL DEFAULT '',
    important      boolean NOT NULL DEFAULT false,
    on_behalf      boolean NOT NULL DEFAULT false,
    created_by     uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT meetings_pair_fkey FOREIGN KEY (org_id, pair_id)
        REFERENCES pairs (org_id, id) ON DELETE CASCADE,
    CONSTRAINT meetings_kind_check CHECK (kind IN ('intro', 'trial', 'planning', 'regular', 'final')),
    CONSTRAINT meetings_format_check CHECK (format IN ('offline', 'online', 'chat')),
    CONSTRAINT meetings_time_check CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX meetings_pair_idx ON meetings (pair_id, held_on DESC);

CREATE TABLE meeting_nudges (
    pair_id    uuid PRIMARY KEY,
    org_id     uuid NOT NULL,
    nudged_on  date NOT NULL,
    CONSTRAINT meeting_nudges_pair_fkey FOREIGN KEY (org_id, pair_id)
        REFERENCES pairs (org_id, id) ON DELETE CASCADE
);
