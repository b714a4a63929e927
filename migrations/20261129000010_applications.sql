-- Recruitment (stages 1–2 of the roadmap): each program's application links (for mentors and for
-- mentees, printed as a QR poster) and the applications they bring. An application never creates
-- an account; a person without one gives only a name, a class or position and a contact, and
-- waits for the curator, who accepts it into the base or declines it with a reason.
CREATE TABLE application_links (
    token       text PRIMARY KEY,
    org_id      uuid NOT NULL,
    program_id  uuid NOT NULL,
    role        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT application_links_program_role_key UNIQUE (program_id, role),
    CONSTRAINT application_links_program_fkey FOREIGN KEY (org_id, program_id)
        REFERENCES programs (org_id, id) ON DELETE CASCADE,
    CONSTRAINT application_links_role_check CHECK (role IN ('mentor', 'mentee'))
);

CREATE TABLE applications (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id             uuid NOT NULL,
    program_id         uuid NOT NULL,
    role               text NOT NULL,
    user_id            uuid REFERENCES users (id) ON DELETE SET NULL,
    person_id          uuid,
    full_name          text NOT NULL DEFAULT '',
    class_or_position  text NOT NULL DEFAULT '',
    contact            text NOT NULL DEFAULT '',
    motivation         text NOT NULL DEFAULT '',
    status             text NOT NULL DEFAULT 'new',
    reason             text NOT NULL DEFAULT '',
    source             text NOT NULL DEFAULT '',
    created_at         timestamptz NOT NULL DEFAULT now(),
    decided_by         uuid REFERENCES users (id) ON DELETE SET NULL,
    decided_at         timestamptz,
    CONSTRAINT applications_program_fkey FOREIGN KEY (org_id, program_id)
        REFERENCES programs (org_id, id) ON DELETE CASCADE,
    CONSTRAINT applications_person_fkey FOREIGN KEY (org_id, person_id)
        REFERENCES people (org_id, id) ON DELETE CASCADE,
    CONSTRAINT applications_role_check CHECK (role IN ('mentor', 'mentee')),
    CONSTRAINT applications_status_check CHECK (status IN ('new', 'accepted', 'declined'))
);
CREATE INDEX applications_program_idx ON applications (org_id, program_id, created_at DESC);
CREATE INDEX applications_contact_idx ON applications (lower(contact), created_at);
CREATE INDEX applications_source_idx ON applications (source, created_at);
