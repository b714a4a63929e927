-- Work that runs by itself (jobs claimed with FOR UPDATE SKIP LOCKED by any number of workers)
-- and e-mail written to an outbox in the transaction of the event that causes it.

CREATE TABLE jobs (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind          text NOT NULL,
    payload       jsonb NOT NULL DEFAULT '{}',
    org_id        uuid REFERENCES organizations (id) ON DELETE CASCADE,
    -- At most one waiting job per key (a schedule's next run, a message's delivery).
    unique_key    text,
    run_at        timestamptz NOT NULL DEFAULT now(),
    status        text NOT NULL DEFAULT 'queued',
    attempts      integer NOT NULL DEFAULT 0,
    max_attempts  integer NOT NULL DEFAULT 8,
    last_error    text NOT NULL DEFAULT '',
    locked_until  timestamptz,
    locked_by     text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    CONSTRAINT jobs_status_check CHECK (status IN ('queued', 'done', 'parked'))
);
CREATE UNIQUE INDEX jobs_waiting_key ON jobs (unique_key) WHERE status = 'queued' AND unique_key IS NOT NULL;
CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE status = 'queued';

CREATE TABLE outbox (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id        uuid REFERENCES organizations (id) ON DELETE CASCADE,
    -- The message's identity: the Message-ID header, so a resend after a crash is recognisably
    -- the same message; unique so one event never writes two messages.
    idempotency_key text NOT NULL,
    kind          text NOT NULL,
    to_address    text NOT NULL,
    to_name       text NOT NULL DEFAULT '',
    subject       text NOT NULL,
    body_text     text NOT NULL,
    body_html     text NOT NULL,
    link          text NOT NULL DEFAULT '',
    unsubscribe   text NOT NULL DEFAULT '',
    status        text NOT NULL DEFAULT 'queued',
    attempts      integer NOT NULL DEFAULT 0,
    last_error    text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    sent_at       timestamptz,
    CONSTRAINT outbox_key UNIQUE (idempotency_key),
    CONSTRAINT outbox_status_check CHECK (status IN ('queued', 'sending', 'sent', 'failed'))
);
CREATE INDEX outbox_status_idx ON outbox (status, created_at DESC);

-- Every organization's time zone (Russia: UTC+2 … UTC+12); dates and schedules are its.
ALTER TABLE organizations ADD COLUMN time_zone text NOT NULL DEFAULT 'Europe/Moscow';

-- The unread count on every page (the bell).
CREATE INDEX notifications_unread_idx ON notifications (user_id, org_id) WHERE read_at IS NULL;
