//! The command that writes an entry of the progress diary (`write_entry`): the form as sent
//! (`DiaryForm`, shown again with everything typed when refused) checked — one of the pair's
//! visible mentees (a mentee writes only their own), a date not in the future, at least one of
//! «что делали», «что получилось», «что было трудно», texts within their limits, a mood 1–5, a
//! goal only from that mentee's plan — and written.

use serde::Deserialize;
use uuid::Uuid;

use crate::plans::repo;
use crate::tenancy::Actor;
use crate::web::forms::{FormErrors, Refused, parse_date};

/// A diary entry as the browser sends it (and as the page shows it again after a mistake).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct DiaryForm {
    pub person: String,
    pub written_on: String,
    pub done: String,
    pub worked: String,
    pub hard: String,
    pub mood: String,
    pub goal: String,
}

/// Writes an entry of `pair`'s diary about one of `mentees` (the people the writer sees); when
/// the writer is a mentee (`own`), the entry is theirs whatever the form says. The form is
/// trimmed in place so that a refused one shows again as typed.
pub async fn write_entry(
    conn: &mut sqlx::PgConnection,
    actor: &Actor<'_>,
    pair: Uuid,
    (mentees, own): (&[Uuid], Option<Uuid>),
    form: &mut DiaryForm,
) -> Result<(), Refused> {
    if let Some(me) = own {
        form.person = me.to_string();
    }
    for f in [
        &mut form.written_on,
        &mut form.done,
        &mut form.worked,
        &mut form.hard,
    ] {
        *f = f.trim().to_string();
    }
    let mut errors = FormErrors::default();
    let person = Uuid::parse_str(&form.person)
        .ok()
        .filter(|p| mentees.contains(p));
    if person.is_none() {
        errors.add("person", "Выберите наставляемого.");
    }
    let written_on = parse_date(&form.written_on);
    match written_on {
        None => errors.add("written_on", "Укажите дату."),
        Some(d) if d > actor.today() => errors.add("written_on", "Запись — о том, что уже было."),
        _ => {}
    }
    if form.done.is_empty() && form.worked.is_empty() && form.hard.is_empty() {
        errors.add(
            "done",
            "Напишите хотя бы одно: что делали, что получилось или что было трудно.",
        );
    }
    for (field, value) in [
        ("done", &form.done),
        ("worked", &form.worked),
        ("hard", &form.hard),
    ] {
        errors.limit(field, value, 2000);
    }
    let mood = match form.mood.as_str() {
        "" => None,
        m => match m.parse::<i16>() {
            Ok(n) if (1..=5).contains(&n) => Some(n),
            _ => {
                errors.add("mood", "Настроение — от 1 до 5.");
                None
            }
        },
    };
    let goals = repo::goals_of_pair(conn, actor.org.id, pair).await?;
    let goal = match Uuid::parse_str(&form.goal) {
        Ok(g) if goals.iter().any(|x| x.0 == g && Some(x.1) == person) => Some(g),
        Ok(_) => {
            errors.add("goal", "Эта цель — не из плана этого наставляемого.");
            None
        }
        Err(_) => None,
    };
    let (Some(person), Some(written_on)) = (person, written_on.filter(|_| errors.is_empty()))
    else {
        return Err(errors.into());
    };
    repo::add_entry(
        conn,
        actor.org.id,
        &repo::NewEntry {
            pair_id: pair,
            person_id: person,
            written_on,
            done: &form.done,
            worked: &form.worked,
            hard: &form.hard,
            mood,
            goal_id: goal,
            by: actor.user_id,
        },
    )
    .await?;
    Ok(())
}
