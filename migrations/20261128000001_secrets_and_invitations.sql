-- Secrets at rest: session ids, invitation tokens and login codes are stored as SHA-256 digests
-- (hex); the CSRF token of a session is derived from the session secret held by the browser, so
-- it is not stored at all. Existing sessions and unused links were stored as they are: they are
-- revoked (people log in again; curators issue new links and codes).

DELETE FROM sessions;
ALTER TABLE sessions DROP COLUMN csrf_token;
-- Idle timeout: a session not used for the idle period ends, unless «запомнить меня».
ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE sessions ADD COLUMN remember boolean NOT NULL DEFAULT false;

UPDATE invitations SET expires_at = now() WHERE used_at IS NULL AND expires_at > now();
-- 'link' (64-character secret in an e-mailed or handed-over link) or 'code' (8 characters on a
-- login slip, accepted only together with the login).
ALTER TABLE invitations ADD COLUMN kind text NOT NULL DEFAULT 'link';
UPDATE invitations SET kind = 'code' WHERE length(token) = 8;
UPDATE invitations SET token = encode(sha256(convert_to(token, 'UTF8')), 'hex');
ALTER TABLE invitations ADD CONSTRAINT invitations_kind_check CHECK (kind IN ('link', 'code'));
ALTER TABLE invitations ADD CONSTRAINT invitations_token_digest CHECK (token ~ '^[0-9a-f]{64}$');

-- An existing account is never attached to another organization silently: the organization
-- invites it, and the person accepts (or declines) in their own account.
CREATE TABLE membership_invitations (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    roles       text[] NOT NULL,
    -- What the inviter typed (never the account's own name).
    email       text NOT NULL,
    typed_name  text NOT NULL DEFAULT '',
    -- A person of the organization's bases to link to the account once accepted.
    person_id   uuid,
    invited_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT membership_invitations_key UNIQUE (org_id, user_id),
    CONSTRAINT membership_invitations_roles_check
        CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['curator', 'director', 'mentor', 'mentee']::text[])
);
CREATE INDEX membership_invitations_user_idx ON membership_invitations (user_id);

-- Accounts of people whose consent was withdrawn are disabled.
ALTER TABLE users ADD COLUMN disabled_at timestamptz;

-- Audit entries name the actor by id only: the name is read from the account when shown.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update;
UPDATE audit_log SET user_name = '' WHERE user_name <> '';
UPDATE audit_log SET details = '' WHERE action IN ('account.code', 'account.create');
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;
