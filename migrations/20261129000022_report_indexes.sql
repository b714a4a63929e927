-- The reports read meetings and pair members by organization: a school's meetings of a period,
-- a territory's meetings of many schools, the members of a school's pairs.
CREATE INDEX meetings_org_held_idx ON meetings (org_id, held_on);
CREATE INDEX pair_members_org_pair_idx ON pair_members (org_id, pair_id);
CREATE INDEX pairs_org_status_idx ON pairs (org_id, status);
