//! Every query on `pair_orders`, `pair_order_items` and `pair_order_documents`.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::OrderStatus;

#[derive(Clone, Debug)]
pub struct Order {
    pub id: Uuid,
    pub status: OrderStatus,
    pub number: String,
    pub signed_on: Option<NaiveDate>,
    pub plans_due: NaiveDate,
    pub curator_name: String,
    pub director_name: String,
    pub created_at: DateTime<Utc>,
    pub fixes: i64,
    pub cancels: i64,
}

/// A program's orders, newest first.
pub async fn of_program(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<Order>, sqlx::Error> {
    read(conn, org_id, program_id, None).await
}

/// The program's orders (or its order `only`), newest first.
async fn read(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    only: Option<Uuid>,
) -> Result<Vec<Order>, sqlx::Error> {
    sqlx::query_as!(
        Order,
        r#"SELECT o.id AS "id!", o.status AS "status!: OrderStatus", o.number AS "number!", o.signed_on AS "signed_on?",
        o.plans_due AS "plans_due!", o.curator_name AS "curator_name!", o.director_name AS "director_name!", o.created_at AS "created_at!",
        (SELECT count(*) FROM pair_order_items i WHERE i.order_id = o.id AND i.action = 'fix') AS "fixes!",
        (SELECT count(*) FROM pair_order_items i WHERE i.order_id = o.id AND i.action = 'cancel') AS "cancels!"
   FROM pair_orders o WHERE o.org_id = $1 AND o.program_id = $2 AND ($3::uuid IS NULL OR o.id = $3)
  ORDER BY o.created_at DESC LIMIT 500"#,
        org_id,
        program_id,
        only,
    )
    .fetch_all(conn)
    .await
}

/// Draft orders of the organization waiting for the director: (program id, program name, order).
pub async fn drafts_of_org(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<Vec<(Uuid, String, Uuid)>, sqlx::Error> {
    let drafts = sqlx::query!(
        "SELECT program_id, id FROM pair_orders
          WHERE org_id = $1 AND status = 'draft' ORDER BY created_at LIMIT 50",
        org_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let programs: Vec<Uuid> = drafts.iter().map(|d| d.program_id).collect();
    let names = crate::programs::names_by_id(&mut *conn, org_id, &programs).await?;
    Ok(drafts
        .into_iter()
        .filter_map(|d| Some((d.program_id, names.get(&d.program_id)?.clone(), d.id)))
        .collect())
}

/// A person as an order's appendix names them: «Фамилия Имя Отчество, должность» (or the class),
/// «Участник №…» once erased.
fn appendix_name(c: &crate::people::Card) -> String {
    if c.anonymized {
        return format!("Участник №{}", c.number);
    }
    let name = [&c.last_name, &c.first_name, &c.middle_name]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let place = if c.position.is_empty() {
        &c.class_name
    } else {
        &c.position
    };
    [name.as_str(), place.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn one(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    id: Uuid,
) -> Result<Option<Order>, sqlx::Error> {
    Ok(read(conn, org_id, program_id, Some(id)).await?.pop())
}

/// One pair of an order as the appendix lists it.
#[derive(Clone, Debug)]
pub struct Item {
    pub pair_id: Uuid,
    pub action: String,
    pub mentor: String,
    pub mentees: Vec<String>,
    /// When both sides agreed (the appendix gives the day on the organization's clock).
    pub agreed_at: chrono::DateTime<chrono::Utc>,
}

/// The pairs of an order in the appendix's order:
/// by mentor, then mentee.
pub async fn items(
    conn: &mut PgConnection,
    org_id: Uuid,
    order_id: Uuid,
) -> Result<Vec<Item>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT pair_id, action FROM pair_order_items WHERE org_id = $1 AND order_id = $2",
        org_id,
        order_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.pair_id).collect();
    let pairs: std::collections::HashMap<Uuid, crate::pairing::Agreed> =
        crate::pairing::pairs_by_id(&mut *conn, org_id, &ids)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
    let people: Vec<Uuid> = pairs
        .values()
        .flat_map(|p| std::iter::once(p.mentor_id).chain(p.mentees.iter().copied()))
        .collect();
    let cards = crate::people::cards(conn, org_id, &people).await?;
    let mut items: Vec<Item> = rows
        .into_iter()
        .filter_map(|r| {
            let pair = pairs.get(&r.pair_id)?;
            let mut mentees: Vec<&crate::people::Card> =
                pair.mentees.iter().filter_map(|m| cards.get(m)).collect();
            mentees.sort_by_key(|c| c.sort_key());
            Some(Item {
                pair_id: r.pair_id,
                action: r.action,
                mentor: cards
                    .get(&pair.mentor_id)
                    .map(appendix_name)
                    .unwrap_or_default(),
                mentees: mentees.into_iter().map(appendix_name).collect(),
                agreed_at: pair.agreed_at,
            })
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
    agreed_where(conn, org_id, program_id, false).await
}

/// Agreed pairs of the program fixed by an approved order and not named in any cancelling order:
/// those an amending order may cancel.
pub async fn cancellable(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<Uuid>, sqlx::Error> {
    agreed_where(conn, org_id, program_id, true).await
}

/// The agreed pairs of the program (at most 5,000) that an approved order fixes and no order
/// cancels (`fixed`), or that no order at all fixes yet (not `fixed`).
async fn agreed_where(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    fixed: bool,
) -> Result<Vec<Uuid>, sqlx::Error> {
    let agreed = crate::pairing::agreed_in(&mut *conn, org_id, &[program_id], None).await?;
    let ids: Vec<Uuid> = agreed.iter().map(|p| p.id).collect();
    let named: std::collections::HashSet<Uuid> = if fixed {
        sqlx::query_scalar!(
            r#"SELECT i.pair_id AS "v!" FROM pair_order_items i JOIN pair_orders o ON o.id = i.order_id
            WHERE i.org_id = $1 AND i.pair_id = ANY($2) AND i.action = 'fix' AND o.status = 'approved'
              AND NOT EXISTS (SELECT 1 FROM pair_order_items c
                               WHERE c.pair_id = i.pair_id AND c.action = 'cancel')"#,
            org_id,
            &ids,
        )
        .fetch_all(conn)
        .await?
    } else {
        sqlx::query_scalar!(
            "SELECT pair_id FROM pair_order_items WHERE org_id = $1 AND pair_id = ANY($2) AND action = 'fix'",
            org_id,
            &ids,
        )
        .fetch_all(conn)
        .await?
    }
    .into_iter()
    .collect();
    Ok(ids
        .into_iter()
        .filter(|id| named.contains(id) == fixed)
        .take(5000)
        .collect())
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
        // Only the program's pairs.
        let pairs: Vec<Uuid> = crate::pairing::pairs_by_id(&mut *conn, org_id, pairs)
            .await?
            .into_iter()
            .filter(|p| p.program_id == new.program_id)
            .map(|p| p.id)
            .collect();
        sqlx::query!(
            "INSERT INTO pair_order_items (order_id, org_id, pair_id, action)
             SELECT $2, $1, unnest($3::uuid[]), $4",
            org_id,
            id,
            &pairs,
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
    Ok(crate::programs::program_variants(conn, org_id, program_id)
        .await?
        .into_iter()
        .map(|v| v.title)
        .collect())
}
