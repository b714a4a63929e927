//! A person's card: their data, consents (adding, withdrawing — which erases the data), the map
//! of requests, programs, questionnaires, account.

use super::*;
use crate::people::Side;
use crate::web::ids::Id;

pub async fn card(org: OrgCtx, Id(id): Id) -> AppResult<PersonPage> {
    org.require_any(&READERS)?;
    let p = load(&org, id).await?;
    crate::audit::read(&org.state.pool, &org, "person.view", Some(p.id), "").await?;
    card_page(&org, p, ConsentForm::default(), FormErrors::default()).await
}

pub(super) async fn card_page(
    org: &OrgCtx,
    p: people::Person,
    consent_form: ConsentForm,
    errors: FormErrors,
) -> AppResult<PersonPage> {
    let mut conn = org.conn().await?;
    let consents = people::consents(&mut conn, org.org.id, p.id).await?;
    let requests = people::requests(&mut conn, org.org.id, p.id).await?;
    let enrolments = crate::participants::enrolments_of(&mut conn, org.org.id, p.id).await?;
    let programs = crate::programs::programs(&mut conn, org.org.id).await?;
    let account = match p.user_id {
        Some(uid) => crate::auth::account_state(&mut conn, uid).await?,
        None => None,
    };
    let answers = crate::questionnaires::answers_of(&mut conn, org.org.id, p.id)
        .await?
        .into_iter()
        .map(|(aid, title, status, _)| crate::web::view::LinkLine {
            url: org.paths().answers(aid, p.id),
            title,
            note: if status == crate::questionnaires::ResponseStatus::Submitted {
                "ответы отправлены"
            } else {
                "черновик"
            }
            .to_string(),
        })
        .collect();
    let hidden = p.anonymized_at.is_some();
    let problem = model::consent_problem(p.has_consent, p.minor, &consent_facts(&consents));
    let mut props: Vec<(&'static str, String)> =
        vec![("Кто", model::kind_label(&p.kind).to_string())];
    if !p.class_name.is_empty() {
        props.push(("Класс / группа", p.class_name.clone()));
    }
    if let Some(b) = p.birth_date {
        props.push((
            "Дата рождения",
            format!("{} ({} лет)", ru_date(b), model::age(b, org.org.today())),
        ));
    }
    for (label, v) in [
        ("Предметы", &p.subjects),
        ("Должность", &p.position),
        ("Организация-партнёр", &p.partner_org),
        ("Эл. почта", &p.email),
        ("Телефон", &p.phone),
        ("Примечания", &p.notes),
    ] {
        if !v.is_empty() {
            props.push((label, v.clone()));
        }
    }
    if let Some(x) = p.experience_years {
        props.push(("Стаж, лет", x.to_string()));
    }
    let mut bases = Vec::new();
    if p.in_mentor_base {
        bases.push("наставников");
    }
    if p.in_mentee_base {
        bases.push("наставляемых");
    }
    if !bases.is_empty() {
        props.push(("В базе", bases.join(", ")));
    }
    Ok(PersonPage {
        ctx: org.page(
            model::display_name(
                p.number,
                &p.last_name,
                &p.first_name,
                &p.middle_name,
                hidden,
            ),
            "people",
        ),
        id: p.id.to_string(),
        name: model::display_name(
            p.number,
            &p.last_name,
            &p.first_name,
            &p.middle_name,
            hidden,
        ),
        hidden,
        props: crate::web::view::props(props),
        tags: p.tags.clone(),
        consent_ok: problem.is_none(),
        consent_problem: problem.unwrap_or("").to_string(),
        minor: p.minor,
        consents: consents
            .iter()
            .map(|c| ConsentLine {
                id: c.id.to_string(),
                who: if c.given_by == "self" {
                    "сам участник".into()
                } else if c.representative_name.is_empty() {
                    format!("законный представитель ({})", c.representative_relation)
                } else {
                    format!("{} ({})", c.representative_name, c.representative_relation)
                },
                given_on: ru_date(c.given_on),
                scope: c.scope.clone(),
                document_ref: c.document_ref.clone(),
                withdrawn_on: c.withdrawn_on.map(ru_date).unwrap_or_default(),
            })
            .collect(),
        requests: requests
            .into_iter()
            .map(|r| RequestLine {
                text: r.text,
                source: model::source_label(&r.source),
                date: ru_date(org.org.local(r.created_at).date_naive()),
            })
            .collect(),
        enrolments: enrolments
            .into_iter()
            .map(|e| EnrolmentLine {
                program_id: e.program_id.to_string(),
                program_name: e.program_name,
                role: e.role.label(),
                status: e.status.label(),
                joined_on: ru_date(e.joined_on),
                trainings: if e.role == Side::Mentor && e.trainings_total > 0 {
                    format!(
                        "обучение: {} из {} занятий",
                        e.trainings_attended, e.trainings_total
                    )
                } else {
                    String::new()
                },
            })
            .collect(),
        programs: opts(programs.into_iter().map(|p| (p.id.to_string(), p.name)), ""),
        sources: opts(
            model::REQUEST_SOURCES
                .iter()
                .map(|(c, l)| (c.to_string(), l.to_string())),
            "self",
        ),
        relations: model::RELATIONS.to_vec(),
        consent_form: ConsentForm {
            given_by: if consent_form.given_by.is_empty() {
                if p.minor {
                    "representative".into()
                } else {
                    "self".into()
                }
            } else {
                consent_form.given_by.clone()
            },
            given_on: if consent_form.given_on.is_empty() {
                org.org.today().to_string()
            } else {
                consent_form.given_on.clone()
            },
            scope: if consent_form.scope.is_empty() {
                "Участие в программе наставничества: ФИО, класс, дата рождения, контакты, анкеты"
                    .into()
            } else {
                consent_form.scope.clone()
            },
            ..consent_form
        },
        errors,
        can_edit: org.has(Role::Curator) && !hidden,
        has_account: account.is_some(),
        login: account.as_ref().map(|a| a.0.clone()).unwrap_or_default(),
        code: String::new(),
        answers,
    })
}

pub struct ConsentLine {
    pub id: String,
    pub who: String,
    pub given_on: String,
    pub scope: String,
    pub document_ref: String,
    pub withdrawn_on: String,
}

pub struct RequestLine {
    pub text: String,
    pub source: &'static str,
    pub date: String,
}

pub struct EnrolmentLine {
    pub program_id: String,
    pub program_name: String,
    pub role: &'static str,
    pub status: &'static str,
    pub joined_on: String,
    pub trainings: String,
}

pub use crate::people::commands::ConsentForm;

#[derive(Template, WebTemplate)]
#[template(path = "people/card.html")]
pub struct PersonPage {
    pub ctx: PageCtx,
    pub id: String,
    pub name: String,
    pub hidden: bool,
    pub props: Vec<crate::web::view::Prop>,
    pub tags: Vec<String>,
    pub consent_ok: bool,
    pub consent_problem: String,
    pub minor: bool,
    pub consents: Vec<ConsentLine>,
    pub requests: Vec<RequestLine>,
    pub enrolments: Vec<EnrolmentLine>,
    pub programs: Vec<Choice>,
    pub sources: Vec<Choice>,
    pub relations: Vec<&'static str>,
    pub consent_form: ConsentForm,
    pub errors: FormErrors,
    pub can_edit: bool,
    pub has_account: bool,
    pub login: String,
    pub code: String,
    /// (link, title, status) of the person's questionnaires.
    pub answers: Vec<crate::web::view::LinkLine>,
}
