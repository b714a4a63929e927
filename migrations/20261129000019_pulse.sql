-- The optional mid-program pulse: when a program turns it on, each pair's members get the
-- satisfaction questionnaire 30 days after the pair's order (or agreement) and every 60 days
-- after; `pulse_sent` keeps the days it went out.
CREATE TABLE program_pulse (
    program_id  uuid PRIMARY KEY,
    org_id      uuid NOT NULL,
    enabled     boolean NOT NULL DEFAULT true,
    CONSTRAINT program_pulse_program_fkey FOREIGN KEY (org_id, program_id)
        REFERENCES programs (org_id, id) ON DELETE CASCADE
);

CREATE TABLE pulse_sent (
    pair_id  uuid NOT NULL,
    org_id   uuid NOT NULL,
    on_date  date NOT NULL,
    PRIMARY KEY (pair_id, on_date),
    CONSTRAINT pulse_sent_pair_fkey FOREIGN KEY (org_id, pair_id)
        REFERENCES pairs (org_id, id) ON DELETE CASCADE
);
