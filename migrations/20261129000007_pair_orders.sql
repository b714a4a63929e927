-- The director's orders fixing a program's pairs (приказ о закреплении наставнических пар/групп):
-- the curator prepares a draft from the agreed pairs, the director approves it with a number and
-- a date; an approved order is never changed again (the triggers below refuse it). A later order
-- fixes pairs formed later, or amends: it cancels fixed pairs.
CREATE TABLE pair_orders (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id         uuid NOT NULL,
    program_id     uuid NOT NULL,
    status         text NOT NULL DEFAULT 'draft',
    number         text NOT NULL DEFAULT '',
    signed_on      date,
    plans_due      date NOT NULL,
    curator_name   text NOT NULL DEFAULT '',
    director_name  text NOT NULL DEFAULT '',
    created_by     uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    approved_by    uuid REFERENCES users (id) ON DELETE SET NULL,
    approved_at    timestamptz,
    CONSTRAINT pair_orders_org_id_key UNIQUE (org_id, id),
    CONSTRAINT pair_orders_program_fkey FOREIGN KEY (org_id, program_id)
        REFERENCES programs (org_id, id) ON DELETE CASCADE,
    CONSTRAINT pair_orders_status_check CHECK (status IN ('draft', 'approved')),
    CONSTRAINT pair_orders_approved_check
        CHECK (status = 'draft' OR (number <> '' AND signed_on IS NOT NULL))
);
CREATE INDEX pair_orders_program_idx ON pair_orders (org_id, program_id, created_at);

CREATE TABLE pair_order_items (
    order_id  uuid NOT NULL,
    org_id    uuid NOT NULL,
    pair_id   uuid NOT NULL,
    action    text NOT NULL DEFAULT 'fix',
    PRIMARY KEY (order_id, pair_id),
    CONSTRAINT pair_order_items_order_fkey FOREIGN KEY (org_id, order_id)
        REFERENCES pair_orders (org_id, id) ON DELETE CASCADE,
    CONSTRAINT pair_order_items_pair_fkey FOREIGN KEY (org_id, pair_id)
        REFERENCES pairs (org_id, id) ON DELETE CASCADE,
    CONSTRAINT pair_order_items_action_check CHECK (action IN ('fix', 'cancel'))
);
CREATE INDEX pair_order_items_pair_idx ON pair_order_items (pair_id);

-- An approved order is a signed document: no update, no delete, no change of its list. (Removing
-- the whole organization or program, or a person, still cascades: the triggers let a delete
-- through when the program or the pair is already gone.)
CREATE FUNCTION pair_orders_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM programs WHERE id = OLD.program_id) THEN
        RETURN OLD;
    END IF;
    IF OLD.status = 'approved' THEN
        RAISE EXCEPTION 'pair order % is approved and cannot be changed', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER pair_orders_frozen BEFORE UPDATE OR DELETE ON pair_orders
    FOR EACH ROW EXECUTE FUNCTION pair_orders_frozen();

CREATE FUNCTION pair_order_items_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    o uuid := CASE WHEN TG_OP = 'INSERT' THEN NEW.order_id ELSE OLD.order_id END;
BEGIN
    -- A cascade from a deleted program, order, pair or person goes through.
    IF TG_OP = 'DELETE' AND (NOT EXISTS (SELECT 1 FROM pair_orders x JOIN programs g ON g.id = x.program_id
                                          WHERE x.id = OLD.order_id)
                             OR NOT EXISTS (SELECT 1 FROM pairs WHERE id = OLD.pair_id)) THEN
        RETURN OLD;
    END IF;
    IF EXISTS (SELECT 1 FROM pair_orders WHERE id = o AND status = 'approved') THEN
        RAISE EXCEPTION 'pair order % is approved and cannot be changed', o
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER pair_order_items_frozen BEFORE INSERT OR UPDATE OR DELETE ON pair_order_items
    FOR EACH ROW EXECUTE FUNCTION pair_order_items_frozen();
