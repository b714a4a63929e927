-- A questionnaire given on a schedule (the seed's «Прогресс» every Friday): to a program's
-- mentors or mentees on a day of the week, each time with a few days to answer; the morning job
-- gives it and notes the day.
CREATE TABLE questionnaire_schedules (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id            uuid NOT NULL,
    questionnaire_id  uuid NOT NULL,
    program_id        uuid NOT NULL,
    audience          text NOT NULL,
    weekday           smallint NOT NULL,
    days_to_answer    integer NOT NULL DEFAULT 3,
    last_given        date,
    created_by        uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT questionnaire_schedules_program_fkey FOREIGN KEY (org_id, program_id)
        REFERENCES programs (org_id, id) ON DELETE CASCADE,
    CONSTRAINT questionnaire_schedules_questionnaire_fkey FOREIGN KEY (questionnaire_id)
        REFERENCES questionnaires (id) ON DELETE CASCADE,
    CONSTRAINT questionnaire_schedules_audience_check CHECK (audience IN ('mentors', 'mentees')),
    CONSTRAINT questionnaire_schedules_weekday_check CHECK (weekday BETWEEN 1 AND 7),
    CONSTRAINT questionnaire_schedules_days_check CHECK (days_to_answer BETWEEN 1 AND 14)
);
CREATE INDEX questionnaire_schedules_org_idx ON questionnaire_schedules (org_id, weekday);
