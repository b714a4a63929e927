-- A legal representative's e-mail on the consent they gave, and whether the curator turned on
-- telling them what concerns the child (reminders, pair news).
ALTER TABLE consents
    ADD COLUMN representative_email text NOT NULL DEFAULT '',
    ADD COLUMN inform_representative boolean NOT NULL DEFAULT false;
