-- Foundation: organizations, accounts, sessions, invitations, login throttling.

CREATE TABLE organizations (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug            text NOT NULL,
    full_name       text NOT NULL,
    short_name      text NOT NULL,
    kind            text NOT NULL,
    municipality    text NOT NULL DEFAULT '',
    region          text NOT NULL DEFAULT '',
    students_count  integer NOT NULL DEFAULT 0,
    teachers_count  integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT organizations_slug_key UNIQUE (slug),
    CONSTRAINT organizations_slug_format CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    CONSTRAINT organizations_kind_check CHECK (kind IN ('school', 'college', 'other')),
    CONSTRAINT organizations_counts_check CHECK (students_count >= 0 AND teachers_count >= 0)
);

CREATE TABLE users (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email              text NOT NULL,
    full_name          text NOT NULL,
    password_hash      text,
    is_platform_admin  boolean NOT NULL DEFAULT false,
    created_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_lower CHECK (email = lower(email))
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE memberships (
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    roles       text[] NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, user_id),
    CONSTRAINT memberships_roles_check
        CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['curator', 'director', 'mentor', 'mentee']::text[])
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

CREATE TABLE sessions (
    id          text PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- One-time links: setting the first password (invitation) or the platform admin's setup link.
CREATE TABLE invitations (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    token       text NOT NULL,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    org_id      uuid REFERENCES organizations (id) ON DELETE CASCADE,
    created_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    CONSTRAINT invitations_token_key UNIQUE (token)
);
CREATE INDEX invitations_user_idx ON invitations (user_id);

-- Failed logins per account ('email:…') and per address ('ip:…').
CREATE TABLE login_throttle (
    key              text PRIMARY KEY,
    failures         integer NOT NULL DEFAULT 0,
    window_started   timestamptz NOT NULL DEFAULT now(),
    locked_until     timestamptz
);
