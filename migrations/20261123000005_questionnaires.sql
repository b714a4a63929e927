-- Questionnaires (анкеты) with versions, assignments, responses and in-app notifications.

CREATE TABLE questionnaires (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id              uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    title               text NOT NULL,
    purpose             text NOT NULL,
    template_code       text NOT NULL DEFAULT '',
    created_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT questionnaires_org_id_key UNIQUE (org_id, id)
);
CREATE INDEX questionnaires_org_idx ON questionnaires (org_id, created_at);

CREATE TABLE questionnaire_versions (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id            uuid NOT NULL,
    questionnaire_id  uuid NOT NULL,
    number            integer NOT NULL,
    definition        jsonb NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT questionnaire_versions_org_id_key UNIQUE (org_id, id),
    CONSTRAINT questionnaire_versions_number_key UNIQUE (questionnaire_id, number),
    FOREIGN KEY (org_id, questionnaire_id) REFERENCES questionnaires (org_id, id) ON DELETE CASCADE
);

CREATE TABLE assignments (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id            uuid NOT NULL,
    questionnaire_id  uuid NOT NULL,
    program_id        uuid,
    audience          text NOT NULL,
    deadline          date,
    created_at        timestamptz NOT NULL DEFAULT now(),
    created_by        uuid REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT assignments_org_id_key UNIQUE (org_id, id),
    CONSTRAINT assignments_audience_check CHECK (audience IN ('mentors', 'mentees', 'people')),
    FOREIGN KEY (org_id, questionnaire_id) REFERENCES questionnaires (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, program_id) REFERENCES programs (org_id, id) ON DELETE CASCADE
);
CREATE INDEX assignments_org_idx ON assignments (org_id, created_at DESC);

CREATE TABLE assignment_targets (
    org_id         uuid NOT NULL,
    assignment_id  uuid NOT NULL,
    person_id      uuid NOT NULL,
    PRIMARY KEY (assignment_id, person_id),
    FOREIGN KEY (org_id, assignment_id) REFERENCES assignments (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id) ON DELETE CASCADE
);
CREATE INDEX assignment_targets_person_idx ON assignment_targets (org_id, person_id);

CREATE TABLE responses (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id         uuid NOT NULL,
    assignment_id  uuid NOT NULL,
    person_id      uuid NOT NULL,
    version_id     uuid NOT NULL,
    answers        jsonb NOT NULL DEFAULT '{}',
    status         text NOT NULL DEFAULT 'draft',
    on_behalf      boolean NOT NULL DEFAULT false,
    submitted_at   timestamptz,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT responses_person_key UNIQUE (assignment_id, person_id),
    CONSTRAINT responses_status_check CHECK (status IN ('draft', 'submitted')),
    FOREIGN KEY (org_id, assignment_id) REFERENCES assignments (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, version_id) REFERENCES questionnaire_versions (org_id, id)
);
CREATE INDEX responses_person_idx ON responses (org_id, person_id);

CREATE TABLE notifications (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    text        text NOT NULL,
    link        text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    read_at     timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);
