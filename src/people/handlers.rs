use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use std::collections::HashMap;
use uuid::Uuid;

use super::model::{self, ConsentFacts};
use super::repo::{self, Filter, PersonInput};
use super::views::*;
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::web::forms::{FormData, FormErrors, parse_date, ru_date, trimmed};
use crate::web::{AppState, OrgCtx, parse_id};

const EDITORS: [Role; 1] = [Role::Curator];
const READERS: [Role; 2] = [Role::Curator, Role::Director];

fn opts(items: impl IntoIterator<Item = (String, String)>, selected: &str) -> Vec<Opt> {
    items
        .into_iter()
        .map(|(value, label)| Opt {
            selected: value == selected,
            value,
            label,
        })
        .collect()
}

pub async fn list(
    State(state): State<AppState>,
    org: OrgCtx,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<PeoplePage> {
    org.require_any(&READERS)?;
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let tab = match get("base").as_str() {
        "mentor" => "mentor",
        "mentee" => "mentee",
        "noconsent" => "noconsent",
        _ => "all",
    }
    .to_string();
    let program = get("program");
    crate::audit::read(
        &state.pool,
        &org,
        if get("q").is_empty() {
            "people.list"
        } else {
            "people.search"
        },
        None,
        &format!("список «{tab}»"),
    )
    .await?;
    let filter = Filter {
        base: tab.clone(),
        q: get("q").chars().take(100).collect(),
        kind: get("kind"),
        class_name: get("class"),
        tag: get("tag"),
        program: Uuid::parse_str(&program).ok(),
        status: get("status"),
        consent: get("consent"),
        sort: get("sort"),
        page: get("page").parse::<i64>().unwrap_or(1).max(1) - 1,
    };
    let mut conn = state.pool.acquire().await?;
    let (rows, total) = repo::list(&mut conn, org.org.id, &filter).await?;
    let classes = repo::classes(&mut conn, org.org.id).await?;
    let programs = crate::programs::repo::programs(&mut conn, org.org.id).await?;
    crate::questionnaires::repo::ensure_templates(&mut conn, org.org.id).await?;
    let questionnaires = crate::questionnaires::repo::list(&mut conn, org.org.id).await?;
    let heading = match tab.as_str() {
        "mentor" => "База наставников",
        "mentee" => "База наставляемых",
        "noconsent" => "Без действующего согласия",
        _ => "Все люди",
    };
    let mut query: Vec<(String, String)> = q
        .iter()
        .filter(|(k, v)| k.as_str() != "page" && !v.is_empty())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    query.sort();
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(query)
        .finish();
    let mut all_tags: Vec<&str> = model::MENTEE_TAGS.to_vec();
    all_tags.extend(model::MENTOR_TAGS);
    let mut statuses: Vec<(String, String)> = Vec::new();
    for (c, l) in model::MENTOR_STATUSES
        .iter()
        .chain(model::MENTEE_STATUSES.iter())
    {
        if !statuses.iter().any(|(x, _)| x == c) {
            statuses.push((c.to_string(), l.to_string()));
        }
    }
    Ok(PeoplePage {
        ctx: org.page(
            heading,
            if tab == "mentee" {
                "people-mentee"
            } else {
                "people"
            },
        ),
        base: org.url(""),
        heading,
        rows: rows
            .into_iter()
            .map(|r| PersonLine {
                id: r.id.to_string(),
                name: model::display_name(
                    r.number,
                    &r.last_name,
                    &r.first_name,
                    &r.middle_name,
                    r.anonymized_at.is_some(),
                ),
                kind: model::kind_label(&r.kind),
                class_name: r.class_name,
                tags: r.tags.join(", "),
                consent_ok: r.has_consent,
                minor: r.minor,
                hidden: r.anonymized_at.is_some(),
                programs: r.programs,
                has_account: r.has_account,
            })
            .collect(),
        total,
        page: filter.page + 1,
        pages: ((total + repo::PAGE_SIZE - 1) / repo::PAGE_SIZE).max(1),
        q: filter.q.clone(),
        kinds: opts(
            model::KINDS
                .iter()
                .map(|(c, l)| (c.to_string(), l.to_string())),
            &filter.kind,
        ),
        classes: opts(
            classes.into_iter().map(|c| (c.clone(), c)),
            &filter.class_name,
        ),
        tags: opts(
            all_tags.into_iter().map(|t| (t.to_string(), t.to_string())),
            &filter.tag,
        ),
        programs: opts(
            programs.into_iter().map(|p| (p.id.to_string(), p.name)),
            &program,
        ),
        statuses: opts(statuses, &filter.status),
        consent: filter.consent.clone(),
        sort: filter.sort.clone(),
        query,
        can_edit: org.has(Role::Curator),
        questionnaires: opts(
            questionnaires
                .into_iter()
                .map(|q| (q.id.to_string(), q.title)),
            "",
        ),
        tab,
    })
}

fn tag_opts(all: &[&str], selected: &[String]) -> Vec<Opt> {
    all.iter()
        .map(|t| Opt {
            value: t.to_string(),
            label: t.to_string(),
            selected: selected.iter().any(|s| s == t),
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn form_page(
    org: &OrgCtx,
    heading: String,
    action: String,
    cancel: String,
    form: PersonForm,
    errors: FormErrors,
    consent_ok: bool,
    consent_note: String,
    conflict: bool,
) -> PersonFormPage {
    PersonFormPage {
        ctx: org.page(heading.clone(), "people"),
        heading,
        action,
        cancel,
        kinds: opts(
            model::KINDS
                .iter()
                .map(|(c, l)| (c.to_string(), l.to_string())),
            &form.kind,
        ),
        mentee_tags: tag_opts(&model::MENTEE_TAGS, &form.tags),
        mentor_tags: tag_opts(&model::MENTOR_TAGS, &form.tags),
        form,
        errors,
        consent_ok,
        consent_note,
        conflict,
    }
}

fn read_form(data: &FormData) -> PersonForm {
    PersonForm {
        last_name: trimmed(&data.get("last_name")),
        first_name: trimmed(&data.get("first_name")),
        middle_name: trimmed(&data.get("middle_name")),
        kind: data.get("kind"),
        class_name: trimmed(&data.get("class_name")),
        birth_date: trimmed(&data.get("birth_date")),
        subjects: trimmed(&data.get("subjects")),
        experience_years: trimmed(&data.get("experience_years")),
        position: trimmed(&data.get("position")),
        partner_org: trimmed(&data.get("partner_org")),
        email: trimmed(&data.get("email")),
        phone: trimmed(&data.get("phone")),
        notes: trimmed(&data.get("notes")),
        in_mentor_base: !data.get("in_mentor_base").is_empty(),
        in_mentee_base: !data.get("in_mentee_base").is_empty(),
        tags: data
            .all("tags")
            .into_iter()
            .filter(|t| model::is_tag(t))
            .collect(),
        version: data.int("version"),
    }
}

/// Validates; `consent_ok` decides whether more than name and class may be stored.
fn validate(form: &PersonForm, consent_ok: bool) -> Result<PersonInput, FormErrors> {
    let mut e = FormErrors::default();
    if form.last_name.is_empty() {
        e.add("last_name", "Введите фамилию.");
    }
    if form.first_name.is_empty() {
        e.add("first_name", "Введите имя.");
    }
    for (field, v) in [
        ("last_name", &form.last_name),
        ("first_name", &form.first_name),
        ("middle_name", &form.middle_name),
    ] {
        e.limit(field, v, 100);
    }
    for (field, v, max) in [
        ("subjects", &form.subjects, 300),
        ("position", &form.position, 200),
        ("partner_org", &form.partner_org, 300),
        ("email", &form.email, 254),
        ("phone", &form.phone, 40),
        ("notes", &form.notes, 2000),
    ] {
        e.limit(field, v, max);
    }
    if form.tags.len() > 30 || form.tags.iter().any(|t| t.chars().count() > 60) {
        e.add("tags", "Не больше 30 меток, каждая не длиннее 60 символов.");
    }
    if !model::is_kind(&form.kind) {
        e.add("kind", "Выберите, кто это.");
    }
    let class_name = match model::normalize_class(&form.class_name) {
        Ok(c) => c,
        Err(msg) => {
            e.add(
                "class_name",
                format!("Класс или группа: {msg} (например, 7Б или ТМ-21)."),
            );
            String::new()
        }
    };
    let birth_date = if form.birth_date.is_empty() {
        None
    } else {
        match parse_date(&form.birth_date) {
            Some(d) if d <= Utc::now().date_naive() && chrono::Datelike::year(&d) >= 1920 => {
                Some(d)
            }
            _ => {
                e.add("birth_date", "Проверьте дату рождения (ДД.ММ.ГГГГ).");
                None
            }
        }
    };
    let experience_years = if form.experience_years.is_empty() {
        None
    } else {
        match form.experience_years.parse::<i32>() {
            Ok(n) if (0..=80).contains(&n) => Some(n),
            _ => {
                e.add("experience_years", "Стаж — целое число лет от 0 до 80.");
                None
            }
        }
    };
    if !form.email.is_empty() && !crate::auth::model::valid_email(&form.email.to_lowercase()) {
        e.add("email", "Проверьте адрес электронной почты.");
    }
    if !form.phone.is_empty() && form.phone.chars().filter(|c| c.is_ascii_digit()).count() < 5 {
        e.add("phone", "Проверьте номер телефона.");
    }
    let input = PersonInput {
        last_name: model::cap(&form.last_name),
        first_name: model::cap(&form.first_name),
        middle_name: model::cap(&form.middle_name),
        kind: form.kind.clone(),
        class_name,
        birth_date,
        subjects: form.subjects.clone(),
        experience_years,
        position: form.position.clone(),
        partner_org: form.partner_org.clone(),
        email: form.email.to_lowercase(),
        phone: form.phone.clone(),
        notes: form.notes.clone(),
        in_mentor_base: form.in_mentor_base,
        in_mentee_base: form.in_mentee_base,
        tags: form.tags.clone(),
    };
    if !consent_ok && input.has_extra_personal_data() {
        e.add(
            "consent",
            "Нет действующего согласия на обработку персональных данных, поэтому можно сохранить \
             только ФИО и класс. Очистите остальные поля или сначала оформите согласие в карточке.",
        );
    }
    if e.is_empty() { Ok(input) } else { Err(e) }
}

pub async fn new_page(org: OrgCtx) -> AppResult<PersonFormPage> {
    org.require_any(&EDITORS)?;
    Ok(form_page(
        &org,
        "Новый человек".into(),
        org.url("/people/new"),
        org.url("/people"),
        PersonForm {
            kind: "pupil".into(),
            in_mentee_base: true,
            ..Default::default()
        },
        FormErrors::default(),
        false,
        "Согласие оформляется в карточке после сохранения; до него хранятся только ФИО и класс."
            .into(),
        false,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    org: OrgCtx,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let form = read_form(&data);
    let input = match validate(&form, false) {
        Ok(i) => i,
        Err(errors) => {
            let page = form_page(
                &org,
                "Новый человек".into(),
                org.url("/people/new"),
                org.url("/people"),
                form,
                errors,
                false,
                "Согласие оформляется в карточке после сохранения; до него хранятся только ФИО и класс.".into(),
                false,
            );
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let mut tx = state.pool.begin().await?;
    let id = repo::insert(&mut tx, org.org.id, &input).await?;
    crate::audit::record(&mut tx, &org, "person.create", Some(id), "").await?;
    tx.commit().await?;
    Ok(org.flash(
        &org.url(&format!("/people/{id}")),
        "Человек добавлен. Оформите согласие на обработку персональных данных, чтобы хранить остальные сведения и включать в программы.",
    ))
}

async fn load(state: &AppState, org: &OrgCtx, raw: &str) -> AppResult<repo::Person> {
    let id = parse_id(raw)?;
    let mut conn = state.pool.acquire().await?;
    repo::person(&mut conn, org.org.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A person the curator may change: 404 for outsiders and for erased records, 403 for readers.
async fn editable_person(state: &AppState, org: &OrgCtx, raw: &str) -> AppResult<repo::Person> {
    org.require_any(&READERS)?;
    let p = load(state, org, raw).await?;
    org.require_any(&EDITORS)?;
    if p.anonymized_at.is_some() {
        return Err(AppError::NotFound);
    }
    Ok(p)
}

fn consent_facts(consents: &[repo::Consent]) -> Vec<ConsentFacts> {
    consents
        .iter()
        .map(|c| ConsentFacts {
            given_by: c.given_by.clone(),
            withdrawn: c.withdrawn_on.is_some(),
        })
        .collect()
}

pub async fn card(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
) -> AppResult<PersonPage> {
    org.require_any(&READERS)?;
    let p = load(&state, &org, &id).await?;
    crate::audit::read(&state.pool, &org, "person.view", Some(p.id), "").await?;
    card_page(
        &state,
        &org,
        p,
        ConsentForm::default(),
        FormErrors::default(),
    )
    .await
}

async fn card_page(
    state: &AppState,
    org: &OrgCtx,
    p: repo::Person,
    consent_form: ConsentForm,
    errors: FormErrors,
) -> AppResult<PersonPage> {
    let mut conn = state.pool.acquire().await?;
    let consents = repo::consents(&mut conn, org.org.id, p.id).await?;
    let requests = repo::requests(&mut conn, org.org.id, p.id).await?;
    let enrolments = repo::enrolments_of(&mut conn, org.org.id, p.id).await?;
    let programs = crate::programs::repo::programs(&mut conn, org.org.id).await?;
    let account = match p.user_id {
        Some(uid) => {
            sqlx::query_as::<_, (String, bool)>(
                "SELECT email, password_hash IS NOT NULL FROM users WHERE id = $1",
            )
            .bind(uid)
            .fetch_optional(&mut *conn)
            .await?
        }
        None => None,
    };
    let answers = crate::questionnaires::repo::answers_of(&mut conn, org.org.id, p.id)
        .await?
        .into_iter()
        .map(|(aid, title, status, _)| {
            (
                org.url(&format!("/assignments/{aid}/answers/{}", p.id)),
                title,
                if status == "submitted" {
                    "ответы отправлены"
                } else {
                    "черновик"
                },
            )
        })
        .collect();
    let hidden = p.anonymized_at.is_some();
    let problem = model::consent_problem(p.minor, &consent_facts(&consents));
    let mut props: Vec<(&'static str, String)> =
        vec![("Кто", model::kind_label(&p.kind).to_string())];
    if !p.class_name.is_empty() {
        props.push(("Класс / группа", p.class_name.clone()));
    }
    if let Some(b) = p.birth_date {
        props.push((
            "Дата рождения",
            format!(
                "{} ({} лет)",
                ru_date(b),
                model::age(b, Utc::now().date_naive())
            ),
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
        base: org.url(""),
        id: p.id.to_string(),
        name: model::display_name(
            p.number,
            &p.last_name,
            &p.first_name,
            &p.middle_name,
            hidden,
        ),
        hidden,
        props,
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
                date: ru_date(r.created_at.date_naive()),
            })
            .collect(),
        enrolments: enrolments
            .into_iter()
            .map(|e| EnrolmentLine {
                program_id: e.program_id.to_string(),
                program_name: e.program_name,
                role: model::role_label(&e.role),
                status: model::status_label(&e.role, &e.status),
                joined_on: ru_date(e.joined_on),
                trainings: if e.role == "mentor" && e.trainings_total > 0 {
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
                Utc::now().date_naive().to_string()
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

fn form_from(p: &repo::Person) -> PersonForm {
    PersonForm {
        last_name: p.last_name.clone(),
        first_name: p.first_name.clone(),
        middle_name: p.middle_name.clone(),
        kind: p.kind.clone(),
        class_name: p.class_name.clone(),
        birth_date: p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        subjects: p.subjects.clone(),
        experience_years: p
            .experience_years
            .map(|x| x.to_string())
            .unwrap_or_default(),
        position: p.position.clone(),
        partner_org: p.partner_org.clone(),
        email: p.email.clone(),
        phone: p.phone.clone(),
        notes: p.notes.clone(),
        in_mentor_base: p.in_mentor_base,
        in_mentee_base: p.in_mentee_base,
        tags: p.tags.clone(),
        version: p.version,
    }
}

fn consent_note(p: &repo::Person) -> String {
    if p.has_consent {
        String::new()
    } else {
        "Нет действующего согласия: можно хранить только ФИО и класс.".into()
    }
}

pub async fn edit_page(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
) -> AppResult<PersonFormPage> {
    let p = editable_person(&state, &org, &id).await?;
    Ok(form_page(
        &org,
        format!("Изменить: {} {}", p.last_name, p.first_name),
        org.url(&format!("/people/{}/edit", p.id)),
        org.url(&format!("/people/{}", p.id)),
        form_from(&p),
        FormErrors::default(),
        p.has_consent,
        consent_note(&p),
        false,
    ))
}

pub async fn update(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
    data: FormData,
) -> AppResult<Response> {
    let p = editable_person(&state, &org, &id).await?;
    let mut form = read_form(&data);
    let heading = format!("Изменить: {} {}", p.last_name, p.first_name);
    let action = org.url(&format!("/people/{}/edit", p.id));
    let cancel = org.url(&format!("/people/{}", p.id));
    let input = match validate(&form, p.has_consent) {
        Ok(i) => i,
        Err(errors) => {
            let page = form_page(
                &org,
                heading,
                action,
                cancel,
                form,
                errors,
                p.has_consent,
                consent_note(&p),
                false,
            );
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let mut tx = state.pool.begin().await?;
    if !repo::update(&mut tx, org.org.id, p.id, form.version, &input).await? {
        form.version = p.version;
        let page = form_page(
            &org,
            heading,
            action,
            cancel,
            form,
            FormErrors::default(),
            p.has_consent,
            consent_note(&p),
            true,
        );
        return Ok((StatusCode::CONFLICT, page).into_response());
    }
    crate::audit::record(&mut tx, &org, "person.update", Some(p.id), "").await?;
    tx.commit().await?;
    Ok(org.flash(&cancel, "Сведения сохранены."))
}

pub async fn add_consent(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
    data: FormData,
) -> AppResult<Response> {
    let p = editable_person(&state, &org, &id).await?;
    let form = ConsentForm {
        given_by: data.get("given_by"),
        representative_name: trimmed(&data.get("representative_name")),
        representative_relation: trimmed(&data.get("representative_relation")),
        given_on: trimmed(&data.get("given_on")),
        scope: trimmed(&data.get("scope")),
        document_ref: trimmed(&data.get("document_ref")),
    };
    let mut errors = FormErrors::default();
    if !matches!(form.given_by.as_str(), "self" | "representative") {
        errors.add("given_by", "Укажите, кто дал согласие.");
    }
    if form.given_by == "self" && p.minor {
        errors.add(
            "given_by",
            "Участнику нет 18 лет: согласие даёт законный представитель.",
        );
    }
    if form.given_by == "representative" {
        if form.representative_name.is_empty() {
            errors.add(
                "representative_name",
                "Введите ФИО законного представителя.",
            );
        }
        if form.representative_relation.is_empty() {
            errors.add(
                "representative_relation",
                "Укажите, кем он приходится (мать, отец, опекун…).",
            );
        }
    }
    let given_on = parse_date(&form.given_on).filter(|d| *d <= Utc::now().date_naive());
    if given_on.is_none() {
        errors.add("given_on", "Укажите дату согласия (не позже сегодняшней).");
    }
    errors.limit("representative_name", &form.representative_name, 200);
    errors.limit(
        "representative_relation",
        &form.representative_relation,
        100,
    );
    errors.limit("scope", &form.scope, 500);
    errors.limit("document_ref", &form.document_ref, 200);
    if form.scope.is_empty() {
        errors.add("scope", "Укажите, на что дано согласие.");
    }
    let (true, Some(given_on)) = (errors.is_empty(), given_on) else {
        let page = card_page(&state, &org, p, form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let mut tx = state.pool.begin().await?;
    repo::add_consent(
        &mut tx,
        org.org.id,
        p.id,
        org.user.id,
        &repo::ConsentInput {
            given_by: &form.given_by,
            representative_name: &form.representative_name,
            representative_relation: &form.representative_relation,
            given_on,
            scope: &form.scope,
            document_ref: &form.document_ref,
        },
    )
    .await?;
    crate::audit::record(
        &mut tx,
        &org,
        "consent.add",
        Some(p.id),
        &format!("от {}", ru_date(given_on)),
    )
    .await?;
    tx.commit().await?;
    Ok(org.flash(&org.url(&format!("/people/{}", p.id)), "Согласие записано."))
}

pub async fn withdraw_consent(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id, consent_id)): Path<(String, String, String)>,
) -> AppResult<Response> {
    org.require_any(&READERS)?;
    let p = load(&state, &org, &id).await?;
    org.require_any(&EDITORS)?;
    let consent_id = parse_id(&consent_id)?;
    let mut tx = state.pool.begin().await?;
    if !repo::withdraw_consent(
        &mut tx,
        org.org.id,
        p.id,
        consent_id,
        Utc::now().date_naive(),
    )
    .await?
    {
        return Err(AppError::NotFound);
    }
    let left = repo::consents(&mut tx, org.org.id, p.id).await?;
    let still_valid = model::has_valid_consent(p.minor, &consent_facts(&left));
    if !still_valid {
        repo::anonymize(&mut tx, org.org.id, p.id).await?;
    }
    crate::audit::record(
        &mut tx,
        &org,
        "consent.withdraw",
        Some(p.id),
        if still_valid {
            ""
        } else {
            "персональные данные удалены"
        },
    )
    .await?;
    tx.commit().await?;
    Ok(org.flash(
        &org.url(&format!("/people/{}", p.id)),
        if still_valid {
            "Согласие отозвано."
        } else {
            "Согласие отозвано. Персональные данные удалены; в прошлых программах и статистике человек остаётся как «Участник №…»."
        },
    ))
}

pub async fn add_request(
    State(state): State<AppState>,
    org: OrgCtx,
    Path((_, id)): Path<(String, String)>,
    data: FormData,
) -> AppResult<Response> {
    org.require_any(&READERS)?;
    let p = load(&state, &org, &id).await?;
    org.require_any(&EDITORS)?;
    let back = org.url(&format!("/people/{}", p.id));
    if p.anonymized_at.is_some() {
        return Err(AppError::NotFound);
    }
    if !p.has_consent {
        return Ok(org.flash_error(
            &back,
            "Запрос не сохранён: нет действующего согласия на обработку персональных данных.",
        ));
    }
    let text = trimmed(&data.get("text"));
    let source = data.get("source");
    if text.is_empty() || !model::REQUEST_SOURCES.iter().any(|(c, _)| *c == source) {
        return Ok(org.flash_error(&back, "Опишите запрос и укажите источник."));
    }
    if text.chars().count() > 1000 {
        return Ok(org.flash_error(
            &back,
            &format!(
                "Запрос: {}",
                crate::web::forms::too_long(1000, text.chars().count())
            ),
        ));
    }
    let mut tx = state.pool.begin().await?;
    repo::add_request(&mut tx, org.org.id, p.id, org.user.id, &text, &source).await?;
    crate::audit::record(&mut tx, &org, "request.add", Some(p.id), "").await?;
    tx.commit().await?;
    Ok(org.flash(&back, "Запрос добавлен в карту запросов."))
}
