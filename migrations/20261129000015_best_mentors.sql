-- «Лучшие наставники» of a program: the curator nominates a mentor with the reason, the director
-- confirms.
CREATE TABLE best_mentors (
    program_id    uuid NOT NULL,
    org_id        uuid NOT NULL,
    person_id     uuid NOT NULL,
    reason        text NOT NULL,
    nominated_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    nominated_at  timestamptz NOT NULL DEFAULT now(),
    confirmed_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    confirmed_at  timestamptz,
    PRIMARY KEY (program_id, person_id),
    CONSTRAINT best_mentors_program_fkey FOREIGN KEY (org_id, program_id)
        REFERENCES programs (org_id, id) ON DELETE CASCADE,
    CONSTRAINT best_mentors_person_fkey FOREIGN KEY (org_id, person_id)
        REFERENCES people (org_id, id) ON DELETE CASCADE
);
