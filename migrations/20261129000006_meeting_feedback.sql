-- What each member of a pair thought of a meeting: a rating 1–5, an optional comment and, after
-- the trial meeting, whether they fit («подходим / пока не ясно / не подходим»).
CREATE TABLE meeting_feedback (
    meeting_id  uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    org_id      uuid NOT NULL,
    person_id   uuid NOT NULL,
    rating      smallint NOT NULL,
    fit         text,
    comment     text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (meeting_id, person_id),
    CONSTRAINT meeting_feedback_person_fkey FOREIGN KEY (org_id, person_id)
        REFERENCES people (org_id, id) ON DELETE CASCADE,
    CONSTRAINT meeting_feedback_rating_check CHECK (rating BETWEEN 1 AND 5),
    CONSTRAINT meeting_feedback_fit_check CHECK (fit IN ('yes', 'unsure', 'no'))
);
