//! «База наставников», «База наставляемых», «Все люди», «Без согласия»: search, filters, sorting,
//! pages, and the bulk actions on the people ticked (enrol, give a questionnaire, accounts).

use std::sync::{Arc, LazyLock};

use sqlx::PgConnection;

use super::*;
use crate::db::cache::OrgCache;
use crate::people::Side;

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ListForm {
    pub action: String,
    pub back_query: String,
    pub deadline: String,
    pub ids: Vec<String>,
    pub program: String,
    pub questionnaire: String,
    pub role: String,
    pub code_days: String,
}

/// The pages of the lists, their counts per filter and the choices of the filters, per
/// organization, kept until its data changes ([`crate::db::cache`]; every table a list row reads
/// raises the version). On a school of 5,000 people the count was most of a list request's work
/// (3 ms of 4), a page of 50 rows with their consents and programs 0.5 ms.
static PAGES: LazyLock<OrgCache<String, Arc<Vec<people::ListRow>>>> =
    LazyLock::new(|| OrgCache::new(512));
static COUNTS: LazyLock<OrgCache<String, i64>> = LazyLock::new(|| OrgCache::new(4096));
static OPTIONS: LazyLock<OrgCache<(), FilterOptions>> = LazyLock::new(|| OrgCache::new(1024));

#[derive(Clone)]
struct FilterOptions {
    classes: Vec<String>,
    programs: Vec<(Uuid, String)>,
    questionnaires: Vec<(Uuid, String)>,
}

async fn filter_options(conn: &mut PgConnection, org_id: Uuid) -> AppResult<FilterOptions> {
    let classes = people::classes(&mut *conn, org_id).await?;
    let programs = crate::programs::programs(&mut *conn, org_id).await?;
    crate::questionnaires::ensure_templates(&mut *conn, org_id).await?;
    let questionnaires = crate::questionnaires::titles(&mut *conn, org_id).await?;
    Ok(FilterOptions {
        classes,
        programs: programs.into_iter().map(|p| (p.id, p.name)).collect(),
        questionnaires,
    })
}

/// «Программа (наставник), …» of each row, the latest program first (participants, programs).
async fn with_programs(
    conn: &mut PgConnection,
    org_id: Uuid,
    rows: &mut [people::ListRow],
) -> AppResult<()> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let enrolments = crate::participants::enrolments_of_people(&mut *conn, org_id, &ids).await?;
    let programs: Vec<Uuid> = enrolments.iter().map(|e| e.0).collect();
    let briefs = crate::programs::briefs(conn, org_id, &programs).await?;
    for r in rows.iter_mut() {
        let mut mine: Vec<(&(String, chrono::NaiveDate), Side)> = enrolments
            .iter()
            .filter(|e| e.1 == r.id)
            .filter_map(|e| Some((briefs.get(&e.0)?, e.2)))
            .collect();
        mine.sort_by_key(|m| std::cmp::Reverse(m.0.1));
        r.programs = mine
            .iter()
            .map(|((name, _), role)| format!("{name} ({})", role.label()))
            .collect::<Vec<_>>()
            .join(", ");
    }
    Ok(())
}

pub async fn list(org: OrgCtx, Query(q): Query<HashMap<String, String>>) -> AppResult<PeoplePage> {
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
        among: None,
        enrolled_in_base: Vec::new(),
    };
    let mut conn = org.conn().await?;
    let filter = with_enrolments(&mut conn, org.org.id, filter).await?;
    crate::audit::viewed(
        &mut conn,
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
    let (id, version) = (org.org.id, org.data_version);
    let page_key = format!("{}|{}|{}", filter.count_key(), filter.sort, filter.page);
    let rows = PAGES
        .get_or(id, version, page_key, async {
            let mut rows = people::list(&mut conn, id, &filter).await?;
            with_programs(&mut conn, id, &mut rows).await?;
            Ok::<_, crate::error::AppError>(Arc::new(rows))
        })
        .await?;
    let total = COUNTS
        .get_or(
            id,
            version,
            filter.count_key(),
            people::count(&mut conn, id, &filter),
        )
        .await?;
    let options = OPTIONS
        .get_or(id, version, (), filter_options(&mut conn, id))
        .await?;
    let FilterOptions {
        classes,
        programs,
        questionnaires,
    } = options;
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
    for s in crate::participants::EnrolmentStatus::ALL {
        statuses.push((s.code().to_string(), s.label().to_string()));
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
        heading,
        rows: rows
            .iter()
            .cloned()
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
        pages: ((total + people::PAGE_SIZE - 1) / people::PAGE_SIZE).max(1),
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
            programs
                .into_iter()
                .map(|(id, name)| (id.to_string(), name)),
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
                .map(|(id, title)| (id.to_string(), title)),
            "",
        ),
        tab,
    })
}

/// Bulk actions from the bases page: enrol the selected people, or create their accounts.
pub async fn bulk(
    org: OrgCtx,
    crate::web::forms::Form(data): crate::web::forms::Form<ListForm>,
) -> AppResult<Response> {
    org.require_any(&EDITORS)?;
    let people = crate::web::forms::uuids(&data.ids);
    let back = org.paths().people_query(&data.back_query);
    if people.is_empty() {
        return Ok(org.flash_error(&back, "Отметьте людей в списке."));
    }
    let role = Side::of_form(&data.role);
    let mut tx = org.begin().await?;
    match data.action.as_str() {
        "enrol" => {
            let program = parse_id(&data.program)?;
            let (n, refused) =
                crate::participants::enrol_people(&mut tx, &org.actor(), program, &people, role)
                    .await?;
            tx.commit().await?;
            let (ok, msg) = crate::participants::enrol_message(n, &refused);
            Ok(if ok {
                org.flash(&back, &msg)
            } else {
                org.flash_error(&back, &msg)
            })
        }
        "questionnaire" => {
            let giving = crate::questionnaires::builder::Giving {
                audience: "people".into(),
                program: None,
                people,
                deadline: data.deadline.clone(),
            };
            let id = parse_id(&data.questionnaire)?;
            match crate::questionnaires::builder::give_to(&mut tx, &org.actor(), id, &giving).await
            {
                Ok(given) => {
                    tx.commit().await?;
                    let mut msg =
                        format!("Анкета «{}» выдана: {} человек.", given.title, given.given);
                    if given.refused > 0 {
                        msg.push_str(&format!(
                            " Не выдана {} — нет действующего согласия на обработку персональных данных.",
                            given.refused
                        ));
                    }
                    Ok(org.flash(&org.paths().assignment(given.sending), &msg))
                }
                Err(Refused::Invalid(e)) => Ok(org.flash_error(&back, &e.first())),
                Err(Refused::Failed(e)) => Err(e),
            }
        }
        "accounts" => {
            crate::accounts::issue_accounts(
                &org,
                tx,
                &people,
                role,
                crate::accounts::code_days(&data.code_days),
            )
            .await
        }
        _ => Ok(org.flash_error(&back, "Выберите действие.")),
    }
}

pub struct PersonLine {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub class_name: String,
    pub tags: String,
    pub consent_ok: bool,
    pub minor: bool,
    pub hidden: bool,
    pub programs: String,
    pub has_account: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/list.html")]
pub struct PeoplePage {
    pub ctx: PageCtx,
    pub tab: String,
    pub heading: &'static str,
    pub rows: Vec<PersonLine>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub q: String,
    pub kinds: Vec<Choice>,
    pub classes: Vec<Choice>,
    pub tags: Vec<Choice>,
    pub programs: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub consent: String,
    pub sort: String,
    /// The query string without `page`, for pagination links.
    pub query: String,
    pub can_edit: bool,
    pub questionnaires: Vec<Choice>,
}
