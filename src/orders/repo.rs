//! Every query on `pair_orders`, `pair_order_items` and `pair_order_documents`.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Clone, Debug)]
pub struct Order {
    pub id: Uuid,
    pub status: String,
    pub number: String,
    pub signed_on: Option<NaiveDate>,
    pub plans_due: NaiveDate,
    pub curator_name: String,
    pub director_name: String,
    pub created_at: DateTime<Utc>,
    pub fixes: i64,
    pub cancels: i64,
}

type OrderSql = (
    Uuid,
    String,
    String,
    Option<NaiveDate>,
    NaiveDate,
    String,
    String,
    DateTime<Utc>,
    i64,
    i64,
);

fn order(r: OrderSql) -> Order {
    Order {
        id: r.0,
        status: r.1,
        number: r.2,
        signed_on: r.3,
        plans_due: r.4,
        curator_name: r.5,
        director_name: r.6,
        created_at: r.7,
        fixes: r.8,
        cancels: r.9,
    }
}

/// A program's orders, newest first.
pub async fn of_program(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<Order>, sqlx::Error> {
    let rows: Vec<OrderSql> = sqlx::query!(
        r#"SELECT o.id AS "c0!", o.status AS "c1!", o.number AS "c2!", o.signed_on AS "c3?", o.plans_due AS "c4!", o.curator_name AS "c5!",
        o.director_name AS "c6!", o.created_at AS "c7!",
        (SELECT count(*) FROM pair_order_items i WHERE i.order_id = o.id AND i.action = 'fix') AS "c8!",
        (SELECT count(*) FROM pair_order_items i WHERE i.order_id = o.id AND i.action = 'cancel') AS "c9!"
   FROM pair_orders o WHERE o.org_id = $1 AND o.program_id = $2 ORDER BY o.created_at DESC LIMIT 500"#,
        org_id,
        program_id,
    ).map(|r| (r.c0, r.c1, r.c2, r.c3, r.c4, r.c5, r.c6, r.c7, r.c8, r.c9))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(order).collect())
}

/// Draft orders of the organization waiting for the director: (program id, program name, order).
pub async fn drafts_of_org(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<Vec<(Uuid, String, Uuid)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT g.id AS "c0!", g.name AS "c1!", o.id AS "c2!" FROM pair_orders o
           JOIN programs g ON g.org_id = o.org_id AND g.id = o.program_id
          WHERE o.org_id = $1 AND o.status = 'draft' ORDER BY o.created_at LIMIT 50"#,
        org_id,
    )
    .map(|r| (r.c0, r.c1, r.c2))
    .fetch_all(conn)
    .await
}

pub async fn one(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    id: Uuid,
) -> Result<Option<Order>, sqlx::Error> {
    let row: Option<OrderSql> = sqlx::query!(
        r#"SELECT o.id AS "c0!", o.status AS "c1!", o.number AS "c2!", o.signed_on AS "c3?", o.plans_due AS "c4!", o.curator_name AS "c5!",
        o.director_name AS "c6!", o.created_at AS "c7!",
        (SELECT count(*) FROM pair_order_items i WHERE i.order_id = o.id AND i.action = 'fix') AS "c8!",
        (SELECT count(*) FROM pair_order_items i WHERE i.order_id = o.id AND i.action = 'cancel') AS "c9!"
   FROM pair_orders o WHERE o.org_id = $1 AND o.program_id = $2 AND o.id = $3"#,
        org_id,
        program_id,
        id,
    ).map(|r| (r.c0, r.c1, r.c2, r.c3, r.c4, r.c5, r.c6, r.c7, r.c8, r.c9))
    .fetch_optional(conn)
    .await?;
    Ok(row.map(order))
}

/// One pair of an order as the appendix lists it.
#[derive(Clone, Debug)]
pub struct Item {
    pub pair_id: Uuid,
    pub action: String,
    pub mentor: String,
    pub mentees: Vec<String>,
    pub agreed_on: NaiveDate,
}

/// The pairs of an order in the appendix's order:
/// by mentor, then mentee.
pub async fn items(
    conn: &mut PgConnection,
    org_id: Uuid,
    order_id: Uuid,
) -> Result<Vec<Item>, sqlx::Error> {
    let rows: Vec<(Uuid, String, String, Vec<String>, NaiveDate)> =
        sqlx::query!(
            r#"SELECT i.pair_id AS "c0!", i.action AS "c1!",
                (SELECT CASE WHEN p.anonymized_at IS NOT NULL THEN 'Участник №' || p.number
        ELSE concat_ws(', ', nullif(trim(concat_ws(' ', nullif(p.last_name, ''), nullif(p.first_name, ''),
                                                  nullif(p.middle_name, ''))), ''),
                       nullif(CASE WHEN p.position <> '' THEN p.position ELSE p.class_name END, '')) END FROM people p WHERE p.org_id = x.org_id AND p.id = x.mentor_id) AS "c2!",
                ARRAY(SELECT CASE WHEN p.anonymized_at IS NOT NULL THEN 'Участник №' || p.number
        ELSE concat_ws(', ', nullif(trim(concat_ws(' ', nullif(p.last_name, ''), nullif(p.first_name, ''),
                                                  nullif(p.middle_name, ''))), ''),
                       nullif(CASE WHEN p.position <> '' THEN p.position ELSE p.class_name END, '')) END FROM pair_members m
                        JOIN people p ON p.org_id = m.org_id AND p.id = m.person_id
                       WHERE m.pair_id = x.id AND m.role = 'mentee'
                       ORDER BY p.last_name COLLATE ru_icu, p.first_name COLLATE ru_icu) AS "c3!",
                coalesce(x.settled_at, x.created_at)::date AS "c4!"
           FROM pair_order_items i JOIN pairs x ON x.org_id = i.org_id AND x.id = i.pair_id
          WHERE i.org_id = $1 AND i.order_id = $2"#,
            org_id,
            order_id,
        ).map(|r| (r.c0, r.c1, r.c2, r.c3, r.c4))
        .fetch_all(conn)
        .await?;
    let mut items: Vec<Item> = rows
        .into_iter()
        .map(|r| Item {
            pair_id: r.0,
            action: r.1,
            mentor: r.2,
            mentees: r.3,
            agreed_on: r.4,
        })
        .collect();
    items.sort_by(|a, b| (&a.mentor, &a.mentees).cmp(&(&b.mentor, &b.mentees)));
    Ok(items)
}

/// Agreed pairs of the program that no order (draft or approved) fixes yet.
pub async fn unfixed(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT x.id AS "v!" FROM pairs x
          WHERE x.org_id = $1 AND x.program_id = $2 AND x.status = 'agreed'
            AND NOT EXISTS (SELECT 1 FROM pair_order_items i
                             WHERE i.pair_id = x.id AND i.action = 'fix')
          ORDER BY x.created_at LIMIT 5000"#,
        org_id,
        program_id,
    )
    .fetch_all(conn)
    .await
}

/// Agreed pairs of the program fixed by an approved order and not named in any cancelling order:
/// those an amending order may cancel.
pub async fn cancellable(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT x.id AS "v!" FROM pairs x
          WHERE x.org_id = $1 AND x.program_id = $2 AND x.status = 'agreed'
            AND EXISTS (SELECT 1 FROM pair_order_items i JOIN pair_orders o ON o.id = i.order_id
                         WHERE i.pair_id = x.id AND i.action = 'fix' AND o.status = 'approved')
            AND NOT EXISTS (SELECT 1 FROM pair_order_items i
                             WHERE i.pair_id = x.id AND i.action = 'cancel')
          ORDER BY x.created_at LIMIT 5000"#,
        org_id,
        program_id,
    )
    .fetch_all(conn)
    .await
}

pub struct NewOrder<'a> {
    pub program_id: Uuid,
    pub plans_due: NaiveDate,
    pub curator_name: &'a str,
    pub by: Uuid,
    pub fixes: &'a [Uuid],
    pub cancels: &'a [Uuid],
}

pub async fn create(
    conn: &mut PgConnection,
    org_id: Uuid,
    new: &NewOrder<'_>,
) -> Result<Uuid, sqlx::Error> {
    let id: Uuid = sqlx::query_scalar!(
        r#"INSERT INTO pair_orders (org_id, program_id, plans_due, curator_name, created_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING id AS "v!""#,
        org_id,
        new.program_id,
        new.plans_due,
        new.curator_name,
        new.by,
    )
    .fetch_one(&mut *conn)
    .await?;
    for (pairs, action) in [(new.fixes, "fix"), (new.cancels, "cancel")] {
        sqlx::query!(
            "INSERT INTO pair_order_items (order_id, org_id, pair_id, action)
             SELECT $2, $1, x.id, $5 FROM pairs x
              WHERE x.org_id = $1 AND x.program_id = $3 AND x.id = ANY($4)",
            org_id,
            id,
            new.program_id,
            pairs,
            action,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

/// Approves a draft (false when it is not a draft any more).
pub async fn approve(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    number: &str,
    signed_on: NaiveDate,
    director: (Uuid, &str),
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "UPDATE pair_orders SET status = 'approved', number = $3, signed_on = $4, approved_by = $5,
                director_name = $6, approved_at = now()
          WHERE org_id = $1 AND id = $2 AND status = 'draft'",
        org_id,
        id,
        number,
        signed_on,
        director.0,
        director.1,
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Keeps the document of an order just approved: what was signed, frozen.
pub async fn freeze(
    conn: &mut PgConnection,
    org_id: Uuid,
    order_id: Uuid,
    document: &serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO pair_order_documents (order_id, org_id, document) VALUES ($1, $2, $3)
         ON CONFLICT (order_id) DO NOTHING",
        order_id,
        org_id,
        document,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The frozen document of an approved order (none for a draft, or an order approved before
/// documents were kept).
pub async fn frozen(
    conn: &mut PgConnection,
    org_id: Uuid,
    order_id: Uuid,
) -> Result<Option<serde_json::Value>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT document AS "v!" FROM pair_order_documents WHERE org_id = $1 AND order_id = $2"#,
        org_id,
        order_id,
    )
    .fetch_optional(conn)
    .await
}

/// Deletes a draft (false when it is approved or gone).
pub async fn delete_draft(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "DELETE FROM pair_orders WHERE org_id = $1 AND id = $2 AND status = 'draft'",
        org_id,
        id,
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// The approved order that fixed a pair.
#[derive(Clone, Debug)]
pub struct Fixed {
    pub number: String,
    pub signed_on: NaiveDate,
}

impl Fixed {
    /// «приказ № 45-од от 01.09.2026».
    pub fn label(&self) -> String {
        format!(
            "приказ № {} от {}",
            self.number,
            crate::web::forms::ru_date(self.signed_on)
        )
    }
}

/// For each of the pairs fixed by an approved order: that order's number and date.
/// SQL: the approved order that first fixed the pair `pair` of the organization `org` (SQL
/// expressions) as JSON `[number, signed_on]`, or NULL — for a page that reads it within its own
/// statement (the health page's figures).
pub fn fixed_sql(org: &str, pair: &str) -> String {
    format!(
        "(SELECT json_build_array(o.number, o.signed_on)
            FROM pair_order_items i JOIN pair_orders o ON o.id = i.order_id
           WHERE i.org_id = {org} AND i.pair_id = {pair} AND i.action = 'fix' AND o.status = 'approved'
           ORDER BY o.signed_on LIMIT 1)"
    )
}

pub async fn fixed_of_pairs(
    conn: &mut PgConnection,
    org_id: Uuid,
    pairs: &[Uuid],
) -> Result<Vec<(Uuid, Fixed)>, sqlx::Error> {
    let rows: Vec<(Uuid, String, NaiveDate)> = sqlx::query!(
        r#"SELECT DISTINCT ON (i.pair_id) i.pair_id AS "c0!", o.number AS "c1!", o.signed_on AS "c2!"
           FROM pair_order_items i JOIN pair_orders o ON o.id = i.order_id
          WHERE i.org_id = $1 AND i.pair_id = ANY($2) AND i.action = 'fix' AND o.status = 'approved'
          ORDER BY i.pair_id, o.signed_on"#,
        org_id,
        pairs,
    ).map(|r| (r.c0, r.c1, r.c2))
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.0,
                Fixed {
                    number: r.1,
                    signed_on: r.2,
                },
            )
        })
        .collect())
}

/// The titles of the program's variants of its form («форма (вариант)» in the appendix).
pub async fn variants(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT v.title AS "v!" FROM program_variants pv JOIN form_variants v ON v.code = pv.variant_code
          WHERE pv.org_id = $1 AND pv.program_id = $2 ORDER BY v.sort"#,
        org_id,
        program_id,
    )
    .fetch_all(conn)
    .await
}
