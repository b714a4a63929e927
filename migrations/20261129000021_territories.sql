-- Territories: a region and its municipalities are entities (not free text), organizations belong
-- to a municipality, and a municipal or regional specialist sees the schools of their territory
-- — counts, percentages, documents and published cases only. Today's text fields become the
-- entities; the text stays as the organization's own spelling for its documents.
CREATE TABLE regions (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT regions_name_key UNIQUE (name),
    CONSTRAINT regions_name_check CHECK (btrim(name) <> '')
);

CREATE TABLE municipalities (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    region_id   uuid NOT NULL REFERENCES regions (id) ON DELETE RESTRICT,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT municipalities_name_key UNIQUE (region_id, name),
    CONSTRAINT municipalities_name_check CHECK (btrim(name) <> '')
);

ALTER TABLE organizations
    ADD COLUMN municipality_id uuid REFERENCES municipalities (id) ON DELETE SET NULL,
    ADD COLUMN site_section_url text NOT NULL DEFAULT '',
    ADD COLUMN doc_intro_order text NOT NULL DEFAULT '',
    ADD COLUMN doc_regulation text NOT NULL DEFAULT '',
    ADD COLUMN doc_curator_order text NOT NULL DEFAULT '';
CREATE INDEX organizations_municipality_idx ON organizations (municipality_id);

INSERT INTO regions (name)
SELECT DISTINCT btrim(region) FROM organizations WHERE btrim(region) <> ''
ON CONFLICT DO NOTHING;
INSERT INTO municipalities (region_id, name)
SELECT DISTINCT r.id, btrim(o.municipality)
  FROM organizations o JOIN regions r ON r.name = btrim(o.region)
 WHERE btrim(o.municipality) <> ''
ON CONFLICT DO NOTHING;
UPDATE organizations o SET municipality_id = m.id
  FROM municipalities m JOIN regions r ON r.id = m.region_id
 WHERE m.name = btrim(o.municipality) AND r.name = btrim(o.region);

-- A specialist of a region or of a municipality (exactly one of the two).
CREATE TABLE territory_members (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    region_id        uuid REFERENCES regions (id) ON DELETE CASCADE,
    municipality_id  uuid REFERENCES municipalities (id) ON DELETE CASCADE,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT territory_members_level_check CHECK ((region_id IS NULL) <> (municipality_id IS NULL)),
    CONSTRAINT territory_members_key UNIQUE NULLS NOT DISTINCT (user_id, region_id, municipality_id)
);
CREATE INDEX territory_members_user_idx ON territory_members (user_id);
