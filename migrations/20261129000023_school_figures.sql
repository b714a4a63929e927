-- The territory's read model: each school's figures for a period (indicator counts without any
-- person, roadmap, pairs, meetings, orders, bases, cases) as computed at `computed_at` — by the
-- school's morning job for the school year, or when a specialist asks for another period or a
-- recount. The territory pages read these lines and say how fresh they are.
CREATE TABLE school_figures (
    org_id       uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    period_from  date NOT NULL,
    period_to    date NOT NULL,
    computed_at  timestamptz NOT NULL DEFAULT now(),
    line         jsonb NOT NULL,
    PRIMARY KEY (org_id, period_from, period_to)
);
