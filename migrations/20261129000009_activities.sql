-- Group activities of a program (вебинары, Q&A, пробные собеседования, мастер-классы, …): one-off
-- or weekly on chosen days until a date, with exceptions (an occurrence moved or cancelled);
-- sign-ups and attendance, feedback per occurrence; the organization's own formats; topic
-- requests; secret calendar feed links; how a program shows its mentors' rating.
CREATE TABLE activity_formats (
    id      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    label   text NOT NULL,
    CONSTRAINT activity_formats_label_key UNIQUE (org_id, label)
);

CREATE TABLE activities (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id         uuid NOT NULL,
    program_id     uuid NOT NULL,
    format         text NOT NULL,
    topic          text NOT NULL,
    description    text NOT NULL DEFAULT '',
    level          text NOT NULL DEFAULT '',
    leaders        uuid[] NOT NULL DEFAULT '{}',
    expert         text NOT NULL DEFAULT '',
    starts_at      timestamptz NOT NULL,
    minutes        integer NOT NULL,
    place          text NOT NULL DEFAULT '',
    link           text NOT NULL DEFAULT '',
    audience       text NOT NULL DEFAULT 'all',
    classes        text[] NOT NULL DEFAULT '{}',
    person_id      uuid,
    capacity       integer,
    repeat_days    smallint[] NOT NULL DEFAULT '{}',
    repeat_until   date,
    recording      text NOT NULL DEFAULT '',
    materials      text NOT NULL DEFAULT '',
    cancelled      boolean NOT NULL DEFAULT false,
    cancel_reason  text NOT NULL DEFAULT '',
    sequence       integer NOT NULL DEFAULT 0,
    created_by     uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT activities_org_id_key UNIQUE (org_id, id),
    CONSTRAINT activities_program_fkey FOREIGN KEY (org_id, program_id)
        REFERENCES programs (org_id, id) ON DELETE CASCADE,
    CONSTRAINT activities_person_fkey FOREIGN KEY (org_id, person_id)
        REFERENCES people (org_id, id) ON DELETE CASCADE,
    CONSTRAINT activities_minutes_check CHECK (minutes BETWEEN 5 AND 720),
    CONSTRAINT activities_capacity_check CHECK (capacity IS NULL OR capacity > 0),
    CONSTRAINT activities_audience_check
        CHECK (audience IN ('all', 'mentees', 'mentors', 'classes', 'person')),
    CONSTRAINT activities_repeat_check
        CHECK (cardinality(repeat_days) = 0 OR repeat_until IS NOT NULL)
);
CREATE INDEX activities_program_idx ON activities (org_id, program_id, starts_at);

-- One occurrence of a series moved (moved_to) or cancelled (moved_to NULL), by its original
-- local date.
CREATE TABLE activity_exceptions (
    activity_id  uuid NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    on_date      date NOT NULL,
    moved_to     timestamptz,
    reason       text NOT NULL DEFAULT '',
    PRIMARY KEY (activity_id, on_date)
);

-- Who signed up for an occurrence, who attended (marked by the leader), whether they were asked
-- for feedback.
CREATE TABLE activity_signups (
    activity_id  uuid NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    org_id       uuid NOT NULL,
    on_date      date NOT NULL,
    person_id    uuid NOT NULL,
    signed_up    boolean NOT NULL DEFAULT true,
    attended     boolean,
    asked        boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (activity_id, on_date, person_id),
    CONSTRAINT activity_signups_person_fkey FOREIGN KEY (org_id, person_id)
        REFERENCES people (org_id, id) ON DELETE CASCADE
);
CREATE INDEX activity_signups_person_idx ON activity_signups (org_id, person_id);

CREATE TABLE activity_feedback (
    activity_id  uuid NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    org_id       uuid NOT NULL,
    on_date      date NOT NULL,
    person_id    uuid NOT NULL,
    rating       smallint NOT NULL,
    comment      text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (activity_id, on_date, person_id),
    CONSTRAINT activity_feedback_person_fkey FOREIGN KEY (org_id, person_id)
        REFERENCES people (org_id, id) ON DELETE CASCADE,
    CONSTRAINT activity_feedback_rating_check CHECK (rating BETWEEN 1 AND 5)
);

-- Topics participants ask for (the seed's «анкета "Прогресс"»); one may become an activity.
CREATE TABLE topic_requests (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id       uuid NOT NULL,
    program_id   uuid NOT NULL,
    user_id      uuid REFERENCES users (id) ON DELETE SET NULL,
    text         text NOT NULL,
    activity_id  uuid REFERENCES activities (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT topic_requests_program_fkey FOREIGN KEY (org_id, program_id)
        REFERENCES programs (org_id, id) ON DELETE CASCADE
);

-- Secret calendar feed links (stored as SHA-256 digests): a person's feed, or one program's.
CREATE TABLE calendar_feeds (
    digest      text PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    program_id  uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT calendar_feeds_program_fkey FOREIGN KEY (org_id, program_id)
        REFERENCES programs (org_id, id) ON DELETE CASCADE
);
CREATE INDEX calendar_feeds_user_idx ON calendar_feeds (org_id, user_id);

-- How a program shows its mentors' rating: to participants or not, anonymous or not, and from
-- how many answers.
CREATE TABLE rating_settings (
    program_id   uuid PRIMARY KEY,
    org_id       uuid NOT NULL,
    public       boolean NOT NULL DEFAULT false,
    anonymous    boolean NOT NULL DEFAULT true,
    min_answers  integer NOT NULL DEFAULT 5,
    comments_public boolean NOT NULL DEFAULT false,
    CONSTRAINT rating_settings_program_fkey FOREIGN KEY (org_id, program_id)
        REFERENCES programs (org_id, id) ON DELETE CASCADE,
    CONSTRAINT rating_settings_min_check CHECK (min_answers BETWEEN 1 AND 100)
);
