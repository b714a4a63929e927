-- A submitted answer is final: it changes only through «Изменить ответ» (its author, or the
-- curator from the person's words), and each change keeps the answers it replaced here, with who
-- replaced them. A draft never touches a submitted answer.
CREATE TABLE response_versions (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id        uuid NOT NULL,
    response_id   uuid NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    answers       jsonb NOT NULL,
    on_behalf     boolean NOT NULL,
    submitted_at  timestamptz,
    replaced_at   timestamptz NOT NULL DEFAULT now(),
    replaced_by   uuid REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX response_versions_response_idx ON response_versions (response_id, replaced_at);
