-- Monitoring of a program (stage 7 and the target model's two-stage monitoring): the parameters
-- the curator measures for mentees or mentors (from templates per form, or their own), each on a
-- scale, and the two measurements — «входной» at entry and «итоговый» at the end — on the same
-- parameter definitions, so that the difference shows the program's influence.
CREATE TABLE monitoring_parameters (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id            uuid NOT NULL,
    program_id        uuid NOT NULL,
    role              text NOT NULL,
    title             text NOT NULL,
    min_value         double precision NOT NULL,
    max_value         double precision NOT NULL,
    higher_is_better  boolean NOT NULL DEFAULT true,
    sort              integer NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT monitoring_parameters_org_id_key UNIQUE (org_id, id),
    CONSTRAINT monitoring_parameters_title_key UNIQUE (program_id, role, title),
    CONSTRAINT monitoring_parameters_program_fkey FOREIGN KEY (org_id, program_id)
        REFERENCES programs (org_id, id) ON DELETE CASCADE,
    CONSTRAINT monitoring_parameters_role_check CHECK (role IN ('mentee', 'mentor')),
    CONSTRAINT monitoring_parameters_range_check CHECK (max_value > min_value)
);
CREATE INDEX monitoring_parameters_program_idx ON monitoring_parameters (org_id, program_id, role, sort);

CREATE TABLE measurements (
    parameter_id  uuid NOT NULL,
    org_id        uuid NOT NULL,
    person_id     uuid NOT NULL,
    stage         text NOT NULL,
    value         double precision NOT NULL,
    source        text NOT NULL DEFAULT 'curator',
    entered_by    uuid REFERENCES users (id) ON DELETE SET NULL,
    entered_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (parameter_id, person_id, stage),
    CONSTRAINT measurements_parameter_fkey FOREIGN KEY (org_id, parameter_id)
        REFERENCES monitoring_parameters (org_id, id) ON DELETE CASCADE,
    CONSTRAINT measurements_person_fkey FOREIGN KEY (org_id, person_id)
        REFERENCES people (org_id, id) ON DELETE CASCADE,
    CONSTRAINT measurements_stage_check CHECK (stage IN ('entry', 'final')),
    CONSTRAINT measurements_source_check CHECK (source IN ('curator', 'self', 'import'))
);
CREATE INDEX measurements_person_idx ON measurements (org_id, person_id);
