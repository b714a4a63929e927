-- Bases of mentors and mentees: people, consents (152-ФЗ), requests, enrolment, mentor training,
-- the audit trail.

CREATE TABLE people (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id            uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    number            bigint GENERATED ALWAYS AS IDENTITY,
    last_name         text NOT NULL DEFAULT '',
    first_name        text NOT NULL DEFAULT '',
    middle_name       text NOT NULL DEFAULT '',
    kind              text NOT NULL,
    class_name        text NOT NULL DEFAULT '',
    birth_date        date,
    subjects          text NOT NULL DEFAULT '',
    experience_years  integer,
    position          text NOT NULL DEFAULT '',
    partner_org       text NOT NULL DEFAULT '',
    email             text NOT NULL DEFAULT '',
    phone             text NOT NULL DEFAULT '',
    notes             text NOT NULL DEFAULT '',
    user_id           uuid REFERENCES users (id) ON DELETE SET NULL,
    in_mentor_base    boolean NOT NULL DEFAULT false,
    in_mentee_base    boolean NOT NULL DEFAULT false,
    tags              text[] NOT NULL DEFAULT '{}',
    anonymized_at     timestamptz,
    version           integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT people_org_id_key UNIQUE (org_id, id),
    CONSTRAINT people_kind_check
        CHECK (kind IN ('pupil', 'student', 'teacher', 'partner', 'alumnus', 'parent', 'other')),
    CONSTRAINT people_experience_check CHECK (experience_years IS NULL OR experience_years BETWEEN 0 AND 80)
);
CREATE INDEX people_org_name_idx ON people (org_id, last_name, first_name, middle_name);
CREATE INDEX people_org_class_idx ON people (org_id, class_name);
CREATE INDEX people_user_idx ON people (user_id);

CREATE TABLE consents (
    id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id                   uuid NOT NULL,
    person_id                uuid NOT NULL,
    given_by                 text NOT NULL,
    representative_name      text NOT NULL DEFAULT '',
    representative_relation  text NOT NULL DEFAULT '',
    given_on                 date NOT NULL,
    scope                    text NOT NULL DEFAULT '',
    document_ref             text NOT NULL DEFAULT '',
    withdrawn_on             date,
    created_at               timestamptz NOT NULL DEFAULT now(),
    created_by               uuid REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT consents_given_by_check CHECK (given_by IN ('self', 'representative')),
    FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id) ON DELETE CASCADE
);
CREATE INDEX consents_person_idx ON consents (org_id, person_id);

CREATE TABLE person_requests (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id      uuid NOT NULL,
    person_id   uuid NOT NULL,
    text        text NOT NULL,
    source      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT person_requests_source_check
        CHECK (source IN ('self', 'class_teacher', 'psychologist', 'social_worker', 'parents')),
    FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id) ON DELETE CASCADE
);
CREATE INDEX person_requests_person_idx ON person_requests (org_id, person_id);

CREATE TABLE enrolments (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id      uuid NOT NULL,
    program_id  uuid NOT NULL,
    person_id   uuid NOT NULL,
    role        text NOT NULL,
    status      text NOT NULL,
    joined_on   date NOT NULL DEFAULT current_date,
    results     text NOT NULL DEFAULT '',
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT enrolments_org_id_key UNIQUE (org_id, id),
    CONSTRAINT enrolments_person_key UNIQUE (program_id, person_id, role),
    CONSTRAINT enrolments_role_check CHECK (role IN ('mentor', 'mentee')),
    CONSTRAINT enrolments_status_check CHECK (
        (role = 'mentor' AND status IN ('application', 'screening', 'training', 'ready', 'paired', 'finished'))
        OR (role = 'mentee' AND status IN ('application', 'in_base', 'paired', 'finished'))),
    FOREIGN KEY (org_id, program_id) REFERENCES programs (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id) ON DELETE CASCADE
);
CREATE INDEX enrolments_program_idx ON enrolments (org_id, program_id, role);
CREATE INDEX enrolments_person_idx ON enrolments (org_id, person_id);

CREATE TABLE training_sessions (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id      uuid NOT NULL,
    program_id  uuid NOT NULL,
    held_on     date NOT NULL,
    topic       text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT training_sessions_org_id_key UNIQUE (org_id, id),
    FOREIGN KEY (org_id, program_id) REFERENCES programs (org_id, id) ON DELETE CASCADE
);
CREATE INDEX training_sessions_program_idx ON training_sessions (org_id, program_id, held_on);

CREATE TABLE training_attendance (
    org_id      uuid NOT NULL,
    session_id  uuid NOT NULL,
    person_id   uuid NOT NULL,
    PRIMARY KEY (session_id, person_id),
    FOREIGN KEY (org_id, session_id) REFERENCES training_sessions (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id) ON DELETE CASCADE
);

-- Who did what with personal data. Append-only for the application (trigger below).
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id),
    at          timestamptz NOT NULL DEFAULT now(),
    user_id     uuid REFERENCES users (id) ON DELETE SET NULL,
    user_name   text NOT NULL DEFAULT '',
    ip          text NOT NULL DEFAULT '',
    action      text NOT NULL,
    person_id   uuid,
    details     text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_org_idx ON audit_log (org_id, at DESC);
CREATE INDEX audit_log_person_idx ON audit_log (org_id, person_id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Logins of participants without email (a child's login like «ivanov-7b-042») live in users.email;
-- allow non-email logins.
ALTER TABLE users ADD COLUMN login_kind text NOT NULL DEFAULT 'email';

-- An uploaded class or staff list between its preview and its import.
CREATE TABLE import_uploads (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id       uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id      uuid REFERENCES users (id) ON DELETE SET NULL,
    filename     text NOT NULL,
    content      bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    imported_at  timestamptz
);
CREATE INDEX import_uploads_org_idx ON import_uploads (org_id, created_at DESC);
