-- An approved order's document is frozen at approval: the words the director signed (names of
-- mentors and mentees, the program, the organization) are kept here and the print page and the
-- DOCX read them, so renaming a person later does not change a signed document. Only erasure
-- rewrites a name in it (to «Участник №N»).
CREATE TABLE pair_order_documents (
    order_id   uuid PRIMARY KEY,
    org_id     uuid NOT NULL,
    document   jsonb NOT NULL,
    frozen_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pair_order_documents_order_fkey FOREIGN KEY (org_id, order_id)
        REFERENCES pair_orders (org_id, id) ON DELETE CASCADE
);
