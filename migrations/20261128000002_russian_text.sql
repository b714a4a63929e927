-- Russian text that is right on any PostgreSQL server, whatever its locale:
-- * a search key folded without the server's lower() (explicit А–Я/A–Z mapping, ё = е, spaces
--   collapsed); the application folds the query the same way (people::model::fold);
-- * a collation for sorting names as a Russian reader expects: ICU's «ru-RU» where the server has
--   ICU, else the libc Russian locale, else the database default.

CREATE FUNCTION nastavnik_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT btrim(regexp_replace(
        translate(t,
            'ABCDEFGHIJKLMNOPQRSTUVWXYZАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯё',
            'abcdefghijklmnopqrstuvwxyzабвгдеежзийклмнопрстуфхцчшщъыьэюяе'),
        '\s+', ' ', 'g'))
$$;

DO $$
BEGIN
    BEGIN
        CREATE COLLATION IF NOT EXISTS ru_icu (provider = icu, locale = 'ru-RU');
    EXCEPTION WHEN OTHERS THEN
        BEGIN
            CREATE COLLATION IF NOT EXISTS ru_icu (provider = libc, locale = 'ru_RU.utf8');
        EXCEPTION WHEN OTHERS THEN
            CREATE COLLATION IF NOT EXISTS ru_icu FROM "default";
        END;
    END;
END $$;

ALTER TABLE people ADD COLUMN search_key text
    GENERATED ALWAYS AS (nastavnik_fold(last_name || ' ' || first_name || ' ' || middle_name || ' ' || email)) STORED;

-- A trigram index for «any part of the name» where the server has pg_trgm; without it the
-- search still works (a scan of one organization's people).
DO $$
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        EXECUTE 'CREATE INDEX people_search_trgm_idx ON people USING gin (search_key gin_trgm_ops)';
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pg_trgm unavailable: people search without a trigram index';
    END;
END $$;

DROP INDEX IF EXISTS people_org_name_idx;
CREATE INDEX people_org_name_idx ON people (org_id, last_name COLLATE ru_icu, first_name COLLATE ru_icu, middle_name COLLATE ru_icu);
