-- The organization's case library: a pair's story — the problem, what was done, the result,
-- quotes — written by the curator; published (for the region's reports and printing) only once
-- the people named have consented.
CREATE TABLE cases (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id       uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    program_id   uuid,
    title        text NOT NULL,
    problem      text NOT NULL DEFAULT '',
    done         text NOT NULL DEFAULT '',
    result       text NOT NULL DEFAULT '',
    quotes       text NOT NULL DEFAULT '',
    consented    boolean NOT NULL DEFAULT false,
    published    boolean NOT NULL DEFAULT false,
    created_by   uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT cases_program_fkey FOREIGN KEY (org_id, program_id)
        REFERENCES programs (org_id, id) ON DELETE SET NULL (program_id),
    CONSTRAINT cases_published_check CHECK (NOT published OR consented)
);
CREATE INDEX cases_org_idx ON cases (org_id, created_at DESC);
