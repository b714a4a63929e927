-- The bases list in its default order (the living first, then by name) read from an index: the
-- first page of a school of 5,000 people without sorting them all (5.8 → 0.1 ms).
CREATE INDEX IF NOT EXISTS people_org_list_idx ON people
    (org_id, (anonymized_at IS NOT NULL), last_name COLLATE ru_icu, first_name COLLATE ru_icu,
     middle_name COLLATE ru_icu, number);
