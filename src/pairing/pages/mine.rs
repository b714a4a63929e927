//! The participant's own pair (phone-first): the members, agreeing or refusing with a comment;
//! and the lines of «Мои пары» on the home page.

use super::*;
use crate::web::ids::PairId;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct MineForm {
    pub answer: String,
    pub comment: String,
}

/// A pair the user belongs to, and the index of their membership; 404 for anyone else.
async fn my_pair(
    conn: &mut PgConnection,
    org: &OrgCtx,
    raw: Uuid,
) -> AppResult<(repo::PairRow, usize)> {
    let row = repo::pair(conn, org.org.id, raw)
        .await?
        .ok_or(AppError::NotFound)?;
    let me = row
        .members
        .iter()
        .position(|m| m.user_id == Some(org.user.id))
        .ok_or(AppError::NotFound)?;
    Ok((row, me))
}

pub async fn mine(org: OrgCtx, PairId(pair): PairId) -> AppResult<MyPairPage> {
    let mut conn = org.conn().await?;
    let (row, me) = my_pair(&mut conn, &org, pair).await?;
    let me = &row.members[me];
    let partners = row
        .members
        .iter()
        .filter(|m| m.person_id != me.person_id)
        .map(member_view)
        .collect();
    Ok(MyPairPage {
        ctx: org.page("Предложение пары", "home"),
        action: org.paths().my_pair(row.id),
        home: org.paths().home(),
        unit: unit_view(&row, Some(org.user.id)),
        partners,
    })
}

pub async fn answer_mine(
    org: OrgCtx,
    PairId(pair): PairId,
    crate::web::forms::Form(data): crate::web::forms::Form<MineForm>,
) -> AppResult<Response> {
    let mut tx = org.begin().await?;
    let (row, me) = my_pair(&mut tx, &org, pair).await?;
    let me = &row.members[me];
    let here = org.paths().my_pair(row.id);
    if me.answer.is_some() {
        return Ok(org.flash_error(&here, "Вы уже ответили на это предложение."));
    }
    let yes = match data.answer.clone().as_str() {
        "yes" => true,
        "no" => false,
        _ => return Ok(org.flash_error(&here, "Выберите: согласны вы или нет.")),
    };
    let comment: String = trimmed(&data.comment).chars().take(1000).collect();
    let person = me.person_id;
    let mut row = row;
    let Some(status) = record_answer(
        &mut tx,
        &org.actor(),
        &mut row,
        person,
        yes,
        &comment,
        false,
    )
    .await?
    else {
        return Ok(org.flash_error(&here, "Это предложение уже не ждёт ответа."));
    };
    tx.commit().await?;
    Ok(org.flash(
        &org.paths().home(),
        match (yes, status) {
            (_, Status::Agreed) => "Спасибо! Все согласны — пара согласована.",
            (true, _) => "Спасибо! Ваше согласие записано; ждём ответа второй стороны.",
            (false, _) => "Ваш ответ записан. Куратор подберёт другую пару.",
        },
    ))
}

/// The user's pairs for the home page: (link, text, waiting for their answer).
pub async fn home_lines(conn: &mut PgConnection, org: &OrgCtx) -> AppResult<Vec<PairLine>> {
    let rows = repo::pairs_of_user(conn, org.org.id, org.user.id).await?;
    Ok(rows
        .iter()
        .map(|r| {
            let u = unit_view(r, Some(org.user.id));
            let others: Vec<String> = r
                .members
                .iter()
                .filter(|m| m.user_id != Some(org.user.id))
                .map(|m| m.name.clone())
                .collect();
            PairLine {
                url: org.paths().my_pair(r.id),
                title: format!("{}: {}", r.program_name, others.join(", ")),
                status: u.status.label().to_string(),
                waiting_for_me: u.waiting_for_me,
                agreed: r.status == crate::pairing::model::Status::Agreed,
            }
        })
        .collect())
}

#[derive(Template, WebTemplate)]
#[template(path = "pairing/mine.html")]
pub struct MyPairPage {
    pub ctx: PageCtx,
    pub unit: UnitView,
    pub action: String,
    pub home: String,
    pub partners: Vec<MemberView>,
}

/// A line of «Мои пары» on the home page.
pub struct PairLine {
    pub url: String,
    pub title: String,
    pub status: String,
    pub waiting_for_me: bool,
    /// The pair works (its meetings are the user's).
    pub agreed: bool,
}
