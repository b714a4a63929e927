-- Programs and their roadmap (дорожная карта).

CREATE TABLE programs (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id           uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name             text NOT NULL,
    form_code        text NOT NULL REFERENCES mentoring_forms (code),
    goal             text NOT NULL DEFAULT '',
    description      text NOT NULL DEFAULT '',
    starts_on        date NOT NULL,
    ends_on          date NOT NULL,
    status           text NOT NULL DEFAULT 'draft',
    curator_user_id  uuid REFERENCES users (id) ON DELETE SET NULL,
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT programs_org_id_key UNIQUE (org_id, id),
    CONSTRAINT programs_org_name_key UNIQUE (org_id, name),
    CONSTRAINT programs_status_check CHECK (status IN ('draft', 'active', 'finished')),
    CONSTRAINT programs_dates_check CHECK (ends_on > starts_on)
);
CREATE INDEX programs_org_idx ON programs (org_id, starts_on DESC);

CREATE TABLE program_variants (
    org_id        uuid NOT NULL,
    program_id    uuid NOT NULL,
    variant_code  text NOT NULL REFERENCES form_variants (code),
    PRIMARY KEY (program_id, variant_code),
    FOREIGN KEY (org_id, program_id) REFERENCES programs (org_id, id) ON DELETE CASCADE
);

CREATE TABLE roadmap_stages (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id      uuid NOT NULL,
    program_id  uuid NOT NULL,
    number      integer NOT NULL,
    title       text NOT NULL,
    task_text   text NOT NULL DEFAULT '',
    result_text text NOT NULL DEFAULT '',
    CONSTRAINT roadmap_stages_org_id_key UNIQUE (org_id, id),
    CONSTRAINT roadmap_stages_number_key UNIQUE (program_id, number),
    FOREIGN KEY (org_id, program_id) REFERENCES programs (org_id, id) ON DELETE CASCADE
);

CREATE TABLE roadmap_tasks (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id               uuid NOT NULL,
    program_id           uuid NOT NULL,
    stage_id             uuid NOT NULL,
    code                 text NOT NULL DEFAULT '',
    title                text NOT NULL,
    period               text NOT NULL DEFAULT '',
    due_on               date NOT NULL,
    responsible_role     text NOT NULL DEFAULT 'curator',
    responsible_user_id  uuid REFERENCES users (id) ON DELETE SET NULL,
    status               text NOT NULL DEFAULT 'todo',
    sort                 integer NOT NULL,
    version              integer NOT NULL DEFAULT 1,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    updated_by           uuid REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT roadmap_tasks_status_check CHECK (status IN ('todo', 'in_progress', 'done')),
    CONSTRAINT roadmap_tasks_role_check CHECK (responsible_role IN ('curator', 'director', 'mentor', 'mentee')),
    FOREIGN KEY (org_id, program_id) REFERENCES programs (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, stage_id) REFERENCES roadmap_stages (org_id, id) ON DELETE CASCADE
);
CREATE INDEX roadmap_tasks_program_idx ON roadmap_tasks (org_id, program_id, sort);
CREATE INDEX roadmap_tasks_stage_idx ON roadmap_tasks (stage_id);
