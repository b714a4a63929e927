-- The programs list kept per data version (issue 18) shows each program's roadmap progress: a
-- change of a roadmap task raises the organization's data version too (see migration 026).
DROP TRIGGER IF EXISTS roadmap_tasks_data_version ON roadmap_tasks;
CREATE CONSTRAINT TRIGGER roadmap_tasks_data_version AFTER INSERT OR UPDATE OR DELETE ON roadmap_tasks
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_org_data_version();
