//! The reports built on the activities' series: every occurrence of the period with its sign-ups,
//! attendance and rating; and the mentors' hours by month — pair meetings held (their length, or
//! one academic hour of 45 minutes when no times were logged) and activities led (their length) —
//! what a school needs for the bonus order.

use crate::web::forms::MONTHS;
use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{Filters, Table, title_of};
use crate::tenancy::Organization;
use crate::web::xlsx::Cell;

/// A mentor's month: (meetings, their minutes, activities led, their minutes).
type Tally = (i64, i64, i64, i64);

/// A meeting without logged times counts as one academic hour.
const DEFAULT_MINUTES: i64 = 45;

/// The programs the filters allow.
async fn programs(
    conn: &mut PgConnection,
    org: &Organization,
    f: &Filters,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT id AS "v!" FROM programs WHERE org_id = $1 AND ($2::uuid IS NULL OR id = $2)
            AND ($3::text IS NULL OR form_code = $3)"#,
        org.id,
        f.program,
        f.form.as_deref(),
    )
    .fetch_all(conn)
    .await
}

async fn held(
    conn: &mut PgConnection,
    org: &Organization,
    f: &Filters,
) -> Result<Vec<crate::activities::HeldOccurrence>, sqlx::Error> {
    let ids = programs(&mut *conn, org, f).await?;
    let off = org.offset();
    let at = |d: NaiveDate| {
        off.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(Utc::now)
    };
    crate::activities::occurrences_between(
        conn,
        org,
        &ids,
        (
            at(f.period.from),
            at(f.period.to + chrono::Duration::days(1)),
        ),
    )
    .await
}

async fn names(
    conn: &mut PgConnection,
    org_id: Uuid,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, String>, sqlx::Error> {
    let rows: Vec<(Uuid, String)> = sqlx::query!(
        r#"SELECT id AS "c0!", trim(last_name || ' ' || first_name) AS "c1!" FROM people WHERE org_id = $1 AND id = ANY($2)"#,
        org_id,
        ids,
    ).map(|r| (r.c0, r.c1))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().collect())
}

pub async fn activities(
    conn: &mut PgConnection,
    org: &Organization,
    f: &Filters,
) -> Result<Table, sqlx::Error> {
    let occ = held(&mut *conn, org, f).await?;
    let ids: Vec<Uuid> = occ.iter().map(|o| o.activity_id).collect();
    let stats: Vec<(Uuid, NaiveDate, i64, i64, Option<f64>)> = sqlx::query!(
        r#"SELECT s.activity_id AS "c0!", s.on_date AS "c1!", count(*) FILTER (WHERE s.signed_up) AS "c2!",
                count(*) FILTER (WHERE s.attended) AS "c3!",
                (SELECT avg(fb.rating)::float8 FROM activity_feedback fb
                  WHERE fb.activity_id = s.activity_id AND fb.on_date = s.on_date) AS "c4?"
           FROM activity_signups s WHERE s.org_id = $1 AND s.activity_id = ANY($2)
          GROUP BY s.activity_id, s.on_date"#,
        org.id,
        &ids,
    ).map(|r| (r.c0, r.c1, r.c2, r.c3, r.c4))
    .fetch_all(&mut *conn)
    .await?;
    let stats: HashMap<(Uuid, NaiveDate), (i64, i64, Option<f64>)> = stats
        .into_iter()
        .map(|(a, d, s, at, r)| ((a, d), (s, at, r)))
        .collect();
    let leaders: Vec<Uuid> = occ.iter().flat_map(|o| o.leaders.clone()).collect();
    let names = names(&mut *conn, org.id, &leaders).await?;
    let today = org.today();
    Ok(Table::counted(Table {
        total: 0,
        code: "activities",
        title: title_of("activities").unwrap_or_default(),
        headers: vec![
            ("Дата", 12.0),
            ("Программа", 28.0),
            ("Занятие", 36.0),
            ("Формат", 18.0),
            ("Ведущие", 28.0),
            ("Состоялось", 14.0),
            ("Длительность, мин", 12.0),
            ("Записались", 11.0),
            ("Пришли", 10.0),
            ("Оценка (из 5)", 11.0),
        ],
        rows: occ
            .iter()
            .map(|o| {
                let (signed, came, rating) = stats
                    .get(&(o.activity_id, o.on_date))
                    .copied()
                    .unwrap_or((0, 0, None));
                vec![
                    Cell::Date(o.starts.with_timezone(&org.offset()).date_naive()),
                    Cell::from(o.program_name.clone()),
                    Cell::from(o.topic.clone()),
                    Cell::from(crate::activities::model::format_label(&o.format)),
                    Cell::from(
                        o.leaders
                            .iter()
                            .filter_map(|l| names.get(l).cloned())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    Cell::from(if o.cancelled {
                        "отменено"
                    } else if o.on_date <= today {
                        "проведено"
                    } else {
                        "запланировано"
                    }),
                    Cell::Int(i64::from(o.minutes)),
                    Cell::Int(signed),
                    Cell::Int(came),
                    rating.map(Cell::Number).unwrap_or(Cell::Empty),
                ]
            })
            .collect(),
    }))
}

pub async fn hours(
    conn: &mut PgConnection,
    org: &Organization,
    f: &Filters,
) -> Result<Table, sqlx::Error> {
    // (mentor, month) → (meetings, meeting minutes, activities, activity minutes)
    let mut by: BTreeMap<(Uuid, NaiveDate), Tally> = BTreeMap::new();
    let today = org.today();
    let meetings: Vec<(Uuid, NaiveDate, Option<i64>)> = sqlx::query!(
        r#"SELECT x.mentor_id AS "c0!", mt.held_on AS "c1!", (extract(epoch FROM (mt.ends_at - mt.starts_at)) / 60)::bigint AS "c2?"
           FROM meetings mt JOIN pairs x ON x.org_id = mt.org_id AND x.id = mt.pair_id
           JOIN programs g ON g.org_id = x.org_id AND g.id = x.program_id
          WHERE mt.org_id = $1 AND NOT mt.cancelled AND mt.held_on BETWEEN $2 AND $3 AND mt.held_on <= $4
            AND ($5::uuid IS NULL OR g.id = $5) AND ($6::text IS NULL OR g.form_code = $6)"#,
        org.id,
        f.period.from,
        f.period.to,
        today,
        f.program,
        f.form.as_deref(),
    ).map(|r| (r.c0, r.c1, r.c2))
    .fetch_all(&mut *conn)
    .await?;
    let month = |d: NaiveDate| NaiveDate::from_ymd_opt(d.year(), d.month(), 1).unwrap_or(d);
    for (mentor, day, minutes) in meetings {
        let e = by.entry((mentor, month(day))).or_default();
        e.0 += 1;
        e.1 += minutes.filter(|m| *m > 0).unwrap_or(DEFAULT_MINUTES);
    }
    for o in held(&mut *conn, org, f)
        .await?
        .iter()
        .filter(|o| !o.cancelled && o.on_date <= today)
    {
        for l in &o.leaders {
            let e = by.entry((*l, month(o.on_date))).or_default();
            e.2 += 1;
            e.3 += i64::from(o.minutes);
        }
    }
    let ids: Vec<Uuid> = by.keys().map(|k| k.0).collect();
    let names = names(&mut *conn, org.id, &ids).await?;
    let mut rows: Vec<(String, NaiveDate, Tally)> = by
        .into_iter()
        .map(|((m, d), v)| (names.get(&m).cloned().unwrap_or_default(), d, v))
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let h = |minutes: i64| (minutes as f64 / 60.0 * 100.0).round() / 100.0;
    Ok(Table::counted(Table {
        total: 0,
        code: "hours",
        title: title_of("hours").unwrap_or_default(),
        headers: vec![
            ("Наставник", 30.0),
            ("Месяц", 16.0),
            ("Встреч пар", 11.0),
            ("Часов на встречах", 12.0),
            ("Занятий проведено", 12.0),
            ("Часов на занятиях", 12.0),
            ("Всего часов", 11.0),
        ],
        rows: rows
            .into_iter()
            .map(|(name, d, (m, mm, a, am))| {
                vec![
                    Cell::Text(name),
                    Cell::Text(format!("{} {}", MONTHS[d.month0() as usize], d.year())),
                    Cell::Int(m),
                    Cell::Number(h(mm)),
                    Cell::Int(a),
                    Cell::Number(h(am)),
                    Cell::Number(h(mm + am)),
                ]
            })
            .collect(),
    }))
}
