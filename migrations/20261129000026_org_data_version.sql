-- Each organization's data version: raised once per committing transaction that changes the
-- tables the list pages and the home page read (people, enrolments, consents, programs,
-- questionnaires, memberships, org_forms), so a page
-- can keep a count or an option list in process and know, from the one row it reads with the
-- organization, whether it is still true (issue 18). The triggers are deferred to the commit: the
-- version row is locked only for the moment of the commit, never across a transaction's work, so
-- writers of one school do not queue behind each other and cannot deadlock on it.
CREATE TABLE IF NOT EXISTS org_data_versions (
    org_id uuid PRIMARY KEY,
    version bigint NOT NULL DEFAULT 0
);

CREATE OR REPLACE FUNCTION bump_org_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    org uuid;
    flag text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        org := OLD.org_id;
    ELSE
        org := NEW.org_id;
    END IF;
    -- Once per transaction and organization, however many rows it changed.
    flag := 'nastavnik.dv_' || replace(org::text, '-', '');
    IF coalesce(current_setting(flag, true), '') <> '1' THEN
        PERFORM set_config(flag, '1', true);
        INSERT INTO org_data_versions AS v (org_id, version) VALUES (org, 1)
            ON CONFLICT (org_id) DO UPDATE SET version = v.version + 1;
    END IF;
    RETURN NULL;
END
$$;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['people', 'enrolments', 'consents', 'programs', 'questionnaires',
                             'memberships', 'org_forms'] LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_data_version', t);
        EXECUTE format(
            'CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I
                 DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_org_data_version()',
            t || '_data_version', t);
    END LOOP;
END
$$;
