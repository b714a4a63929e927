-- An activity may ask its attendees a questionnaire the curator picks (instead of only the
-- built-in 1–5 rating); each occurrence's assignments of it are kept, so the answers link to the
-- activity and its leaders.
ALTER TABLE activities
    ADD COLUMN feedback_questionnaire uuid REFERENCES questionnaires (id) ON DELETE SET NULL;

CREATE TABLE activity_feedback_forms (
    activity_id    uuid NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    on_date        date NOT NULL,
    assignment_id  uuid NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
    PRIMARY KEY (activity_id, on_date, assignment_id)
);
