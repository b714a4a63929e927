-- Backups made (by `nastavnik backup` and the nightly job): the admin page shows the last one.
CREATE TABLE backups (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    file text NOT NULL,
    bytes bigint NOT NULL CHECK (bytes >= 0),
    kind text NOT NULL CHECK (kind IN ('daily', 'manual')),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX backups_created ON backups (created_at DESC);
