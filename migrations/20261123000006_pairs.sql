-- Matching settings, mentor capacities, «не ставить вместе», pairs and groups with the consent of
-- each member.

CREATE TABLE matching_settings (
    org_id      uuid NOT NULL,
    program_id  uuid NOT NULL,
    -- criterion code -> weight in percent (0..100)
    weights     jsonb NOT NULL DEFAULT '{}',
    objective   text NOT NULL DEFAULT 'quality',
    min_score   integer NOT NULL DEFAULT 30,
    -- the form's rule: grade gap (ученик–ученик) or experience gap (учитель–учитель)
    rule_gap    integer,
    same_subject boolean NOT NULL DEFAULT false,
    version     integer NOT NULL DEFAULT 1,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (program_id),
    CONSTRAINT matching_settings_program_fkey FOREIGN KEY (org_id, program_id)
        REFERENCES programs (org_id, id) ON DELETE CASCADE,
    CONSTRAINT matching_settings_objective_check CHECK (objective IN ('quality', 'coverage')),
    CONSTRAINT matching_settings_min_check CHECK (min_score BETWEEN 0 AND 100)
);

-- How many mentees a mentor takes (1 = a pair, more = a group).
ALTER TABLE enrolments ADD COLUMN capacity integer NOT NULL DEFAULT 1
    CONSTRAINT enrolments_capacity_check CHECK (capacity BETWEEN 0 AND 30);

CREATE TABLE matching_forbidden (
    org_id      uuid NOT NULL,
    program_id  uuid NOT NULL,
    mentor_id   uuid NOT NULL,
    mentee_id   uuid NOT NULL,
    created_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (program_id, mentor_id, mentee_id),
    CONSTRAINT matching_forbidden_program_fkey FOREIGN KEY (org_id, program_id)
        REFERENCES programs (org_id, id) ON DELETE CASCADE
);

CREATE TABLE pairs (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id       uuid NOT NULL,
    program_id   uuid NOT NULL,
    mentor_id    uuid NOT NULL,
    status       text NOT NULL DEFAULT 'proposed',
    scheme       text NOT NULL,
    score        real,
    explanation  text NOT NULL DEFAULT '',
    created_by   uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    settled_at   timestamptz,
    version      integer NOT NULL DEFAULT 1,
    CONSTRAINT pairs_org_id_key UNIQUE (org_id, id),
    CONSTRAINT pairs_program_fkey FOREIGN KEY (org_id, program_id)
        REFERENCES programs (org_id, id) ON DELETE CASCADE,
    CONSTRAINT pairs_mentor_fkey FOREIGN KEY (org_id, mentor_id)
        REFERENCES people (org_id, id) ON DELETE CASCADE,
    CONSTRAINT pairs_status_check CHECK (status IN ('proposed', 'agreed', 'refused', 'cancelled')),
    CONSTRAINT pairs_scheme_check CHECK (scheme IN ('questionnaires', 'curator', 'mentor_match'))
);
CREATE INDEX pairs_program_idx ON pairs (org_id, program_id, status);

CREATE TABLE pair_members (
    org_id       uuid NOT NULL,
    pair_id      uuid NOT NULL,
    person_id    uuid NOT NULL,
    role         text NOT NULL,
    answer       text,
    comment      text NOT NULL DEFAULT '',
    on_paper     boolean NOT NULL DEFAULT false,
    answered_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    answered_at  timestamptz,
    PRIMARY KEY (pair_id, person_id),
    CONSTRAINT pair_members_pair_fkey FOREIGN KEY (org_id, pair_id)
        REFERENCES pairs (org_id, id) ON DELETE CASCADE,
    CONSTRAINT pair_members_person_fkey FOREIGN KEY (org_id, person_id)
        REFERENCES people (org_id, id) ON DELETE CASCADE,
    CONSTRAINT pair_members_role_check CHECK (role IN ('mentor', 'mentee')),
    CONSTRAINT pair_members_answer_check CHECK (answer IS NULL OR answer IN ('yes', 'no'))
);
CREATE INDEX pair_members_person_idx ON pair_members (org_id, person_id);
