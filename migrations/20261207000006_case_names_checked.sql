-- A case goes beyond the school (the territory's pages, the regional roll-up) only once its text
-- was checked for the names of the organization's people at its last save: none found, or each
-- confirmed by the curator as consenting to the publication. Cases published before the check
-- existed wait for the curator to save them again.
ALTER TABLE cases ADD COLUMN names_checked boolean NOT NULL DEFAULT false;
