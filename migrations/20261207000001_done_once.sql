-- «Once» is a unique key, not a check before the insert: what runs by itself (the morning job of
-- an organization for a local date, the Monday plan, an activity's reminder and feedback request,
-- the satisfaction questionnaires at a program's end, the mid-program pulse of a pair) first
-- claims its key here. Two runs that overlap meet on the key: the second waits for the first to
-- commit and then does nothing. `key` holds ids and dates only, never a name.
CREATE TABLE done_once (
    kind     text NOT NULL,
    key      text NOT NULL,
    org_id   uuid REFERENCES organizations (id) ON DELETE CASCADE,
    done_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, key)
);
CREATE INDEX done_once_org_idx ON done_once (org_id);

-- Programs whose satisfaction questionnaires went out before this key existed.
INSERT INTO done_once (kind, key, org_id)
SELECT DISTINCT 'satisfaction_at_end', a.program_id::text, a.org_id
  FROM assignments a JOIN questionnaires q ON q.id = a.questionnaire_id
 WHERE a.program_id IS NOT NULL AND a.audience IN ('mentors', 'mentees')
   AND q.template_code LIKE 'satisfaction_%'
ON CONFLICT DO NOTHING;
