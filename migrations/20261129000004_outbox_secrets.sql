-- Messages that carry a secret (a one-time link, a login code): their body is cleared as soon as
-- they are sent, so the secret stays in the database only while the message waits.
ALTER TABLE outbox ADD COLUMN secret boolean NOT NULL DEFAULT false;
