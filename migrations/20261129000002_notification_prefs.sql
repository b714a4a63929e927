-- What kind of news a notification is, whether it waits for the daily e-mail digest, each
-- person's choice per kind (in the app only, e-mail at once, e-mail as a daily digest), and the
-- one-click unsubscribe links of e-mails (stored as SHA-256 digests).

ALTER TABLE notifications
    ADD COLUMN kind text NOT NULL DEFAULT 'other',
    ADD COLUMN digest_pending boolean NOT NULL DEFAULT false;
CREATE INDEX notifications_digest_idx ON notifications (org_id, user_id) WHERE digest_pending;

CREATE TABLE notification_prefs (
    org_id   uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind     text NOT NULL,
    channel  text NOT NULL,
    PRIMARY KEY (org_id, user_id, kind),
    CONSTRAINT notification_prefs_channel CHECK (channel IN ('app', 'email', 'digest'))
);

CREATE TABLE unsubscribe_links (
    token_hash  text PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
