-- Stage 1 of monitoring (the program's own quality): the curator's SWOT of the program.
CREATE TABLE program_swot (
    program_id     uuid PRIMARY KEY,
    org_id         uuid NOT NULL,
    strengths      text NOT NULL DEFAULT '',
    weaknesses     text NOT NULL DEFAULT '',
    opportunities  text NOT NULL DEFAULT '',
    threats        text NOT NULL DEFAULT '',
    updated_by     uuid REFERENCES users (id) ON DELETE SET NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT program_swot_program_fkey FOREIGN KEY (org_id, program_id)
        REFERENCES programs (org_id, id) ON DELETE CASCADE
);
