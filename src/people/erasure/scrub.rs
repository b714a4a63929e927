//! The scrub: every form of a name, the e-mails and the phone as one pattern, replaced by «Участник №N» in every free-text column of the organization in one pass.

#[allow(unused_imports)]
use super::*;

/// A regular expression (PostgreSQL ARE) character for `c`: both cases, and е = ё.
pub(super) fn class(c: char) -> String {
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

pub(super) fn word(s: &str) -> String {
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
    org_id: Uuid,
    pattern: &str,
    replacement: &str,
) -> Result<u64, sqlx::Error> {
    let kinds: Vec<(String, String, String)> = sqlx::query!(
        r#"SELECT table_name::text AS "c0!", column_name::text AS "c1!", data_type::text AS "c2!" FROM information_schema.columns
          WHERE table_schema = current_schema()"#,
    ).map(|r| (r.c0, r.c1, r.c2))
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
    for f in FREE_TEXT {
        let mut sets = Vec::new();
        let mut tests = Vec::new();
        for c in f.columns {
            let (set, test) = match kind(f.table, c) {
                "jsonb" => (
                    format!("{c} = regexp_replace({c}::text, $2, $3, 'g')::jsonb"),
                    format!("{c}::text ~ $2"),
                ),
                "ARRAY" => (
                    format!(
                        "{c} = ARRAY(SELECT regexp_replace(x, $2, $3, 'g') \
                         FROM unnest({c}) WITH ORDINALITY u(x, i) ORDER BY i)"
                    ),
                    format!("array_to_string({c}, ' ') ~ $2"),
                ),
                _ => (
                    format!("{c} = regexp_replace({c}, $2, $3, 'g')"),
                    format!("{c} ~ $2"),
                ),
            };
            sets.push(set);
            tests.push(test);
        }
        let sql = format!(
            "UPDATE {} SET {} WHERE {} AND ({})",
            f.table,
            sets.join(", "),
            f.scope,
            tests.join(" OR ")
        );
        changed += sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(org_id)
            .bind(pattern)
            .bind(replacement)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    sqlx::query_scalar!("SELECT set_config('nastavnik.erasure', 'off', true)",)
        .fetch_one(&mut *conn)
        .await?;
    Ok(changed)
}
