-- A pair's year beyond the journal: cancelled meetings with a reason, the mentor's private note,
-- attendance of each mentee of a group, how often the pair means to meet, the mentee's individual
-- plan with goals and its history, and the progress diary.
ALTER TABLE meetings
    ADD COLUMN cancelled      boolean NOT NULL DEFAULT false,
    ADD COLUMN cancel_reason  text NOT NULL DEFAULT '',
    ADD COLUMN private_note   text NOT NULL DEFAULT '';

CREATE TABLE meeting_attendance (
    meeting_id  uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    org_id      uuid NOT NULL,
    person_id   uuid NOT NULL,
    present     boolean NOT NULL,
    PRIMARY KEY (meeting_id, person_id),
    CONSTRAINT meeting_attendance_person_fkey FOREIGN KEY (org_id, person_id)
        REFERENCES people (org_id, id) ON DELETE CASCADE
);

-- How often the pair means to meet, in days (14 when there is no row).
CREATE TABLE pair_rhythm (
    pair_id     uuid PRIMARY KEY,
    org_id      uuid NOT NULL,
    every_days  integer NOT NULL,
    CONSTRAINT pair_rhythm_pair_fkey FOREIGN KEY (org_id, pair_id)
        REFERENCES pairs (org_id, id) ON DELETE CASCADE,
    CONSTRAINT pair_rhythm_days_check CHECK (every_days BETWEEN 1 AND 92)
);

-- The individual development plan of one mentee of a pair (индивидуальный план развития).
CREATE TABLE plans (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id          uuid NOT NULL,
    pair_id         uuid NOT NULL,
    person_id       uuid NOT NULL,
    self_analysis   text NOT NULL DEFAULT '',
    joint_analysis  text NOT NULL DEFAULT '',
    strengths       text NOT NULL DEFAULT '',
    growth_zones    text NOT NULL DEFAULT '',
    sphere          text NOT NULL DEFAULT '',
    stages          text NOT NULL DEFAULT 'three',
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT plans_org_id_key UNIQUE (org_id, id),
    CONSTRAINT plans_pair_person_key UNIQUE (pair_id, person_id),
    CONSTRAINT plans_pair_fkey FOREIGN KEY (org_id, pair_id)
        REFERENCES pairs (org_id, id) ON DELETE CASCADE,
    CONSTRAINT plans_person_fkey FOREIGN KEY (org_id, person_id)
        REFERENCES people (org_id, id) ON DELETE CASCADE,
    CONSTRAINT plans_stages_check CHECK (stages IN ('three', 'club'))
);

CREATE TABLE plan_goals (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id      uuid NOT NULL,
    plan_id     uuid NOT NULL,
    title       text NOT NULL,
    horizon     text NOT NULL,
    sphere      text NOT NULL,
    stage       text NOT NULL DEFAULT '',
    expected    text NOT NULL DEFAULT '',
    measure     text NOT NULL DEFAULT '',
    steps       text NOT NULL DEFAULT '',
    due_on      date,
    status      text NOT NULL DEFAULT 'new',
    progress    smallint NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT plan_goals_plan_fkey FOREIGN KEY (org_id, plan_id)
        REFERENCES plans (org_id, id) ON DELETE CASCADE,
    CONSTRAINT plan_goals_horizon_check CHECK (horizon IN ('months', 'half', 'year', 'years')),
    CONSTRAINT plan_goals_sphere_check
        CHECK (sphere IN ('study', 'profession', 'personal', 'creative', 'sport', 'other')),
    CONSTRAINT plan_goals_status_check CHECK (status IN ('new', 'active', 'done', 'paused', 'dropped')),
    CONSTRAINT plan_goals_progress_check CHECK (progress BETWEEN 0 AND 100)
);
CREATE INDEX plan_goals_plan_idx ON plan_goals (plan_id, created_at);

-- Every change of a plan or a goal: who, when, what.
CREATE TABLE plan_history (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id   uuid NOT NULL,
    plan_id  uuid NOT NULL,
    user_id  uuid REFERENCES users (id) ON DELETE SET NULL,
    at       timestamptz NOT NULL DEFAULT now(),
    what     text NOT NULL,
    CONSTRAINT plan_history_plan_fkey FOREIGN KEY (org_id, plan_id)
        REFERENCES plans (org_id, id) ON DELETE CASCADE
);
CREATE INDEX plan_history_plan_idx ON plan_history (plan_id, at DESC);

-- The progress diary (дневник прогресса): short entries by the mentee, or by the mentor for a
-- young child, about one mentee of the pair.
CREATE TABLE diary_entries (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id      uuid NOT NULL,
    pair_id     uuid NOT NULL,
    person_id   uuid NOT NULL,
    written_on  date NOT NULL,
    done        text NOT NULL DEFAULT '',
    worked      text NOT NULL DEFAULT '',
    hard        text NOT NULL DEFAULT '',
    mood        smallint,
    goal_id     uuid REFERENCES plan_goals (id) ON DELETE SET NULL,
    written_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT diary_entries_pair_fkey FOREIGN KEY (org_id, pair_id)
        REFERENCES pairs (org_id, id) ON DELETE CASCADE,
    CONSTRAINT diary_entries_person_fkey FOREIGN KEY (org_id, person_id)
        REFERENCES people (org_id, id) ON DELETE CASCADE,
    CONSTRAINT diary_entries_mood_check CHECK (mood IS NULL OR mood BETWEEN 1 AND 5)
);
CREATE INDEX diary_entries_pair_idx ON diary_entries (pair_id, written_on DESC);
