-- Completing a pair (stage 7): a pair ends «завершена» with its results — what was achieved,
-- links, whether the goals were reached, the decision to continue with a new topic or to stop, an
-- early end's reason — and each side's final report. Its meetings, plan and diary stay readable.
ALTER TABLE pairs DROP CONSTRAINT pairs_status_check;
ALTER TABLE pairs ADD CONSTRAINT pairs_status_check
    CHECK (status IN ('proposed', 'agreed', 'refused', 'cancelled', 'completed'));

CREATE TABLE pair_results (
    pair_id         uuid PRIMARY KEY,
    org_id          uuid NOT NULL,
    ended_on        date NOT NULL,
    early           boolean NOT NULL DEFAULT false,
    early_reason    text NOT NULL DEFAULT '',
    results         text NOT NULL DEFAULT '',
    links           text NOT NULL DEFAULT '',
    goals_reached   text NOT NULL,
    decision        text NOT NULL,
    mentor_report   text NOT NULL DEFAULT '',
    mentee_report   text NOT NULL DEFAULT '',
    created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pair_results_pair_fkey FOREIGN KEY (org_id, pair_id)
        REFERENCES pairs (org_id, id) ON DELETE CASCADE,
    CONSTRAINT pair_results_goals_check CHECK (goals_reached IN ('yes', 'mostly', 'partly', 'no')),
    CONSTRAINT pair_results_decision_check CHECK (decision IN ('continue', 'stop')),
    CONSTRAINT pair_results_reason_check
        CHECK (NOT early OR early_reason IN ('moved', 'mismatch', 'own_wish', 'other'))
);
