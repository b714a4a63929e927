-- The audit log stays append-only, with one exception: an erasure (withdrawn consent) replaces
-- the erased person's name, e-mail or phone in an entry's text with «Участник №N». The erasing
-- transaction says so with `SET LOCAL nastavnik.erasure = 'on'`, and even then only the two text
-- columns may change: who, when, what and about whom stay as they were.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND current_setting('nastavnik.erasure', true) = 'on'
       AND NEW.id = OLD.id AND NEW.org_id = OLD.org_id AND NEW.at = OLD.at
       AND NEW.user_id IS NOT DISTINCT FROM OLD.user_id AND NEW.ip = OLD.ip
       AND NEW.action = OLD.action AND NEW.person_id IS NOT DISTINCT FROM OLD.person_id THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;
