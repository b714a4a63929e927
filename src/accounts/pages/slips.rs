//! «Листки входа»: codes issued to a class (or with new accounts) and printed once; a new code
//! or link for one person from their card.

use super::*;
use crate::web::ids::Id;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SlipsForm {
    pub class: String,
    pub code_days: String,
}

/// What the curator reads for an invitation sent to the card's e-mail, whether the address had
/// an account or not.
const INVITED: &str = "приглашение отправлено на электронную почту из карточки — человек \
                       задаст пароль по ссылке из письма или, если у него уже есть учётная \
                       запись, примет приглашение, войдя в неё.";

/// The printable page of what was just issued: slips with logins and codes, invitation links,
/// invitations sent to existing accounts, and who got nothing and why.
fn issued_page(
    state: &AppState,
    org: &OrgCtx,
    issued: Vec<Issued>,
    refused: Vec<String>,
    days: i64,
) -> SlipsPage {
    let mut slips = Vec::new();
    let mut links = Vec::new();
    let mut notes = Vec::new();
    for i in issued {
        match i {
            Issued::Code {
                name,
                class_name,
                login,
                code,
            } => slips.push(Slip {
                name,
                class_name,
                login,
                code,
            }),
            Issued::Link { name, link } => links.push(crate::web::view::Prop {
                label: name,
                value: format!("{}{link}", state.config.public_url),
            }),
            Issued::Ready { name } => notes.push(format!(
                "{name}: учётная запись уже действует (пароль задан) — добавлена роль."
            )),
            Issued::Invited { name } => notes.push(format!("{name}: {INVITED}")),
        }
    }
    SlipsPage {
        ctx: org.page("Листки входа", "people"),
        classes: Vec::new(),
        class_name: String::new(),
        slips,
        links,
        notes,
        refused,
        issued: true,
        days,
        day_choices: crate::auth::CODE_DAYS_CHOICES.to_vec(),
        site: state.config.public_url.clone(),
    }
}

pub async fn account(
    org: OrgCtx,
    Id(person_id): Id,
    crate::web::forms::Form(data): crate::web::forms::Form<SlipsForm>,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let back = org.paths().person(person_id);
    let mut tx = org.begin().await?;
    let result =
        super::account_for(&mut tx, &org.actor(), person_id, code_days(&data.code_days)).await?;
    tx.commit().await?;
    Ok(match result {
        Ok(Issued::Code { login, code, .. }) => org.flash(
            &back,
            &format!(
                "Логин: {login}. Одноразовый код входа: {code} (действует {} дн.; показан один \
                 раз — запишите или распечатайте листок). При первом входе человек задаст пароль; \
                 прежний код больше не действует.",
                code_days(&data.code_days)
            ),
        ),
        Ok(Issued::Link { link, .. }) => org.flash(
            &back,
            &format!(
                "Ссылка-приглашение (действует 7 дней, показана один раз): {}{link}",
                org.state.config.public_url
            ),
        ),
        Ok(Issued::Ready { .. }) => org.flash(&back, "Учётная запись уже действует: пароль задан."),
        Ok(Issued::Invited { .. }) => org.flash(&back, &format!("Учётная запись: {INVITED}")),
        Err(why) => org.flash_error(&back, &format!("Учётная запись не создана. {why}")),
    })
}

/// Login slips of a class: GET chooses the class; POST issues new codes to everyone in it who
/// has a code login and no password yet, and shows the slips once (codes are kept as digests).
/// Accounts for the people ticked in the bases: created (or new codes and links), then the
/// printable page of what was issued — the only time the codes and links are shown (the
/// database keeps their digests). Commits `tx`.
pub async fn issue_accounts(
    org: &OrgCtx,
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    people: &[Uuid],
    role: crate::people::Side,
    days: i64,
) -> AppResult<Response> {
    let (issued, refused) = super::issue(&mut tx, &org.actor(), people, role, days).await?;
    let classes = class_opts(crate::people::classes(&mut tx, org.org.id).await?, "");
    tx.commit().await?;
    let mut page = issued_page(&org.state, org, issued, refused, days);
    page.classes = classes;
    Ok(page.into_response())
}

pub async fn slips_page(org: OrgCtx) -> AppResult<SlipsPage> {
    org.require_any(&EDITORS)?;
    let mut conn = org.conn().await?;
    let classes = crate::people::classes(&mut conn, org.org.id).await?;
    Ok(SlipsPage {
        ctx: org.page("Листки входа", "people"),
        classes: class_opts(classes, ""),
        class_name: String::new(),
        slips: Vec::new(),
        links: Vec::new(),
        notes: Vec::new(),
        refused: Vec::new(),
        issued: false,
        days: crate::auth::CODE_DAYS_DEFAULT,
        day_choices: crate::auth::CODE_DAYS_CHOICES.to_vec(),
        site: org.state.config.public_url.clone(),
    })
}

pub async fn slips(
    org: OrgCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<SlipsForm>,
) -> AppResult<SlipsPage> {
    org.require_any(&EDITORS)?;
    let class_name = data.class.clone();
    let days = code_days(&data.code_days);
    let mut tx = org.begin().await?;
    let issued = super::class_slips(&mut tx, &org.actor(), &class_name, days).await?;
    let classes = class_opts(
        crate::people::classes(&mut tx, org.org.id).await?,
        &class_name,
    );
    tx.commit().await?;
    let mut page = issued_page(&org.state, &org, issued, Vec::new(), days);
    page.classes = classes;
    page.class_name = class_name;
    Ok(page)
}

pub struct Slip {
    pub name: String,
    pub class_name: String,
    pub login: String,
    pub code: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/slips.html")]
pub struct SlipsPage {
    pub ctx: PageCtx,
    pub class_name: String,
    pub classes: Vec<Choice>,
    pub slips: Vec<Slip>,
    /// (name, invitation link) issued just now.
    pub links: Vec<crate::web::view::Prop>,
    pub notes: Vec<String>,
    pub refused: Vec<String>,
    /// Whether this page shows what was just issued (else it offers to issue).
    pub issued: bool,
    pub days: i64,
    pub day_choices: Vec<i64>,
    pub site: String,
}
