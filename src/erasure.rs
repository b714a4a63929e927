//! Erasure of a person, the mechanism every domain uses (ARCHITECTURE.md, «Erasure»). Withdrawing
//! the last consent forgets the person in every domain: each domain declares its tables in a
//! [`Forgets`] (the rows that refer to a person, the columns that may hold typed text, the text
//! columns that cannot) and forgets the person in them with its own `forget::forget_person`;
//! `home::erasure` calls them all in one transaction. What other people wrote about the person —
//! a mentor's meeting notes, a one-person activity, a notification, an e-mail waiting in the
//! outbox, an audit line, a signed order's document — keeps its row and counts, with every form
//! of the name, the e-mail and the phone replaced by «Участник №N» ([`scrub`]).

use sqlx::PgConnection;
use uuid::Uuid;

/// Runs each statement with `$1` the erasing organization and `$2` the person (checked against
/// the schema like any `sqlx::query!`), inside a `forget_person` that returns `sqlx::Error`.
macro_rules! forget_rows {
    ($conn:expr, $f:expr, $($sql:literal),+ $(,)?) => {
        $(sqlx::query!($sql, $f.org_id, $f.person_id).execute(&mut *$conn).await?;)+
    };
}

pub(crate) use forget_rows;

/// Columns of one table that may hold typed text: scrubbed in the rows `scope` selects (`$1` is
/// the erasing organization).
#[derive(Clone, Copy, Debug)]
pub struct FreeText {
    pub table: &'static str,
    pub scope: &'static str,
    pub columns: &'static [&'static str],
}

impl FreeText {
    /// Columns of a table with an `org_id`, scrubbed in the organization's rows (most are so).
    pub const fn of_org(table: &'static str, columns: &'static [&'static str]) -> FreeText {
        FreeText {
            table,
            scope: "org_id = $1",
            columns,
        }
    }
}

/// What a domain's erasure covers, declared next to its `forget_person`.
#[derive(Clone, Copy, Debug)]
pub struct Forgets {
    pub domain: &'static str,
    /// The domain's tables that refer to a person, and what the erasure does there.
    pub tables: &'static [(&'static str, &'static str)],
    /// Its columns that may hold typed text.
    pub free_text: &'static [FreeText],
    /// Its text columns that cannot hold a name: (table, column, why).
    pub coded: &'static [(&'static str, &'static str, &'static str)],
}

/// The person being forgotten, as read before any domain changes a row.
#[derive(Clone)]
pub struct Forgotten {
    pub org_id: Uuid,
    pub person_id: Uuid,
    /// Their account, if linked.
    pub user_id: Option<Uuid>,
    /// The account is someone's beyond this participant (a staff role here, another organization,
    /// the platform, a territory): it only loses the link and the participant's roles.
    pub account_shared: bool,
    /// Their addresses (the base's and the account's), lower case.
    pub addresses: Vec<String>,
    /// «Фамилия Имя» and «Имя Фамилия», when long enough to be told apart.
    pub names: Vec<String>,
    /// Every form of the name, the e-mails and the phone as one ARE ([`pattern`]).
    pub pattern: Option<String>,
    /// «Участник №N».
    pub replacement: String,
}

impl std::fmt::Debug for Forgotten {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Forgotten")
            .field("org_id", &self.org_id)
            .field("person_id", &self.person_id)
            .field("replacement", &self.replacement)
            .finish_non_exhaustive()
    }
}

impl Forgotten {
    /// The person named `(last, first, middle)` with these addresses and phone, numbered `number`.
    pub fn new(
        org_id: Uuid,
        person_id: Uuid,
        number: i64,
        (last, first, middle): (&str, &str, &str),
        phone: &str,
        addresses: Vec<String>,
    ) -> Self {
        let forms: Vec<String> = std::iter::once(pattern((last, first, middle), "", phone))
            .chain(addresses.iter().map(|a| pattern(("", "", ""), a, "")))
            .flatten()
            .collect();
        let names = [format!("{last} {first}"), format!("{first} {last}")]
            .into_iter()
            .map(|n| n.trim().to_string())
            .filter(|n| n.chars().count() > 3)
            .collect();
        Forgotten {
            org_id,
            person_id,
            user_id: None,
            account_shared: false,
            addresses,
            names,
            pattern: (!forms.is_empty()).then(|| forms.join("|")),
            replacement: format!("Участник №{number}"),
        }
    }

    /// The account the person logs in with that is theirs alone (rewritten by the erasure).
    pub fn own_account(&self) -> Option<Uuid> {
        self.user_id.filter(|_| !self.account_shared)
    }
}

/// A regular expression (PostgreSQL ARE) character for `c`: both cases, and е = ё.
fn class(c: char) -> String {
    if "её".contains(c.to_lowercase().next().unwrap_or(c)) {
        return "[еёЕЁ]".into();
    }
    if c.is_alphabetic() {
        let lower: String = c.to_lowercase().collect();
        let upper: String = c.to_uppercase().collect();
        if lower != upper {
            return format!("[{lower}{upper}]");
        }
        return c.to_string();
    }
    if c.is_whitespace() {
        return "\\s+".into();
    }
    if c.is_alphanumeric() {
        return c.to_string();
    }
    format!("\\{c}")
}

fn word(s: &str) -> String {
    s.trim().chars().map(class).collect()
}

/// The forms a person is named by in typed text, as one ARE (`None` when nothing is long enough
/// to be told apart): surname with first name in either order (with the patronymic, if any),
/// first name with patronymic, surname with patronymic, surname with initials, the e-mail, the
/// phone with any separators.
pub fn pattern(
    (last, first, middle): (&str, &str, &str),
    email: &str,
    phone: &str,
) -> Option<String> {
    let (l, f, m) = (last.trim(), first.trim(), middle.trim());
    let mut forms: Vec<String> = Vec::new();
    let sp = "\\s+";
    if !l.is_empty() && !f.is_empty() {
        let (lw, fw) = (word(l), word(f));
        if m.is_empty() {
            forms.push(format!("{lw}{sp}{fw}"));
            forms.push(format!("{fw}{sp}{lw}"));
        } else {
            let mw = word(m);
            forms.push(format!("{lw}{sp}{fw}({sp}{mw})?"));
            forms.push(format!("{fw}({sp}{mw})?{sp}{lw}"));
            forms.push(format!("{fw}{sp}{mw}"));
            forms.push(format!("{lw}{sp}{mw}"));
            forms.push(format!("{mw}{sp}{lw}"));
        }
        let fi = f.chars().next().map(class).unwrap_or_default();
        let mi = m
            .chars()
            .next()
            .map(|c| format!("(\\s*{}\\.)?", class(c)))
            .unwrap_or_default();
        forms.push(format!("{lw}{sp}{fi}\\.{mi}"));
        forms.push(format!("{fi}\\.{mi}\\s*{lw}"));
    }
    let email = email.trim();
    if email.contains('@') {
        forms.push(word(email));
    }
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    if digits.len() >= 7 {
        let tail = &digits[digits.len().saturating_sub(10)..];
        let sep = "[\\s()\\-]*";
        let body: Vec<String> = tail.iter().map(|d| d.to_string()).collect();
        forms.push(format!("((\\+\\s*7|8){sep})?{}", body.join(sep)));
    }
    (!forms.is_empty()).then(|| format!("({})", forms.join("|")))
}

/// Replaces every match of `pattern` with `replacement` in the declared free text of the
/// organization's rows; returns how many rows changed.
pub async fn scrub(
    conn: &mut PgConnection,
    f: &Forgotten,
    columns: &[FreeText],
) -> Result<u64, sqlx::Error> {
    let Some(pattern) = f.pattern.as_deref() else {
        return Ok(0);
    };
    if columns.is_empty() {
        return Ok(0);
    }
    let tables: Vec<String> = columns.iter().map(|c| c.table.to_string()).collect();
    let kinds: Vec<(String, String, String)> = sqlx::query!(
        r#"SELECT table_name::text AS "c0!", column_name::text AS "c1!", data_type::text AS "c2!"
             FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name::text = ANY($1)"#,
        &tables,
    )
    .map(|r| (r.c0, r.c1, r.c2))
    .fetch_all(&mut *conn)
    .await?;
    let kind = |t: &str, c: &str| {
        kinds
            .iter()
            .find(|k| k.0 == t && k.1 == c)
            .map(|k| k.2.as_str())
            .unwrap_or("text")
    };
    // The audit log lets an erasure replace a name in its text (migration 20261207000004).
    sqlx::query_scalar!("SELECT set_config('nastavnik.erasure', 'on', true)",)
        .fetch_one(&mut *conn)
        .await?;
    let mut changed = 0;
    for c in columns {
        let mut sets = Vec::new();
        let mut tests = Vec::new();
        for col in c.columns {
            let (set, test) = match kind(c.table, col) {
                "jsonb" => (
                    format!("{col} = regexp_replace({col}::text, $2, $3, 'g')::jsonb"),
                    format!("{col}::text ~ $2"),
                ),
                "ARRAY" => (
                    format!(
                        "{col} = ARRAY(SELECT regexp_replace(x, $2, $3, 'g') \
                         FROM unnest({col}) WITH ORDINALITY u(x, i) ORDER BY i)"
                    ),
                    format!("array_to_string({col}, ' ') ~ $2"),
                ),
                _ => (
                    format!("{col} = regexp_replace({col}, $2, $3, 'g')"),
                    format!("{col} ~ $2"),
                ),
            };
            sets.push(set);
            tests.push(test);
        }
        let sql = format!(
            "UPDATE {} SET {} WHERE {} AND ({})",
            c.table,
            sets.join(", "),
            c.scope,
            tests.join(" OR ")
        );
        changed += sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(f.org_id)
            .bind(pattern)
            .bind(&f.replacement)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    sqlx::query_scalar!("SELECT set_config('nastavnik.erasure', 'off', true)",)
        .fetch_one(&mut *conn)
        .await?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_of_a_name() {
        let p = pattern(("Ёлкин", "Пётр", "Ильич"), "p@x.ru", "+7 (912) 000-11-22").unwrap();
        assert!(p.contains("[еёЕЁ]"));
        assert!(p.contains("[пП][еёЕЁ][тТ][рР]"));
        assert!(p.contains("9[\\s()\\-]*1"));
        assert_eq!(pattern(("", "", ""), "", ""), None);
    }

    #[test]
    fn a_short_name_is_not_a_form_to_delete_by() {
        let f = Forgotten::new(Uuid::nil(), Uuid::nil(), 7, ("Ли", "", ""), "", vec![]);
        assert!(f.names.is_empty());
        assert_eq!(f.replacement, "Участник №7");
        let f = Forgotten::new(
            Uuid::nil(),
            Uuid::nil(),
            7,
            ("Иванов", "Пётр", ""),
            "",
            vec!["p@x.ru".into()],
        );
        assert_eq!(f.names, ["Иванов Пётр", "Пётр Иванов"]);
        assert!(f.pattern.as_deref().unwrap().contains("@"));
        assert_eq!(f.own_account(), None);
    }
}
