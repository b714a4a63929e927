//! The rows of a class list checked before anything is written: birth dates in the forms schools type them, the keys that find a person already in the base, and each row's errors and warnings.

#[allow(unused_imports)]
use super::*;

/// Dates as schools write them: 01.09.2012, 1.9.2012, 01.09.12, 2012-09-01, 01/09/2012.
pub fn parse_birth_date(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let s = s.trim().trim_end_matches("г.").trim_end_matches('г').trim();
    let parts: Vec<&str> = s.split(['.', '/', '-']).map(str::trim).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let n = |p: &str| p.parse::<i32>().ok();
    let two_digit_year = parts[0].len() <= 2 && parts[2].len() == 2;
    let (y, m, d) = if parts[0].len() == 4 {
        (n(parts[0])?, n(parts[1])?, n(parts[2])?)
    } else if parts[2].len() == 4 {
        (n(parts[2])?, n(parts[1])?, n(parts[0])?)
    } else if two_digit_year {
        (2000 + n(parts[2])?, n(parts[1])?, n(parts[0])?)
    } else {
        return None;
    };
    let date = NaiveDate::from_ymd_opt(y, u32::try_from(m).ok()?, u32::try_from(d).ok()?)?;
    if two_digit_year && date > today {
        // Two-digit years are never in the future.
        return NaiveDate::from_ymd_opt(y - 100, u32::try_from(m).ok()?, u32::try_from(d).ok()?);
    }
    Some(date)
}

/// One row ready to be written, or why not.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RowResult {
    pub line: usize,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub birth_date: Option<NaiveDate>,
    pub class_name: String,
    pub email: String,
    pub phone: String,
    pub subjects: String,
    pub position: String,
    pub notes: String,
    /// Problems that stop the row from being imported.
    pub problems: Vec<String>,
    /// Already in the organization (or earlier in the file): skipped, not an error.
    pub duplicate: bool,
}

impl RowResult {
    pub fn importable(&self) -> bool {
        self.problems.is_empty() && !self.duplicate
    }

    /// Keys for "the same person": name + date of birth, name + class.
    pub fn keys(&self) -> Vec<String> {
        let name = format!(
            "{}|{}|{}",
            self.last_name.to_lowercase(),
            self.first_name.to_lowercase(),
            self.middle_name.to_lowercase()
        )
        .replace('ё', "е");
        let mut keys = Vec::new();
        if let Some(d) = self.birth_date {
            keys.push(format!("{name}|d{d}"));
        }
        if !self.class_name.is_empty() {
            keys.push(format!("{name}|c{}", self.class_name));
        }
        keys
    }
}

pub fn person_keys(
    last: &str,
    first: &str,
    middle: &str,
    birth: Option<NaiveDate>,
    class_name: &str,
) -> Vec<String> {
    RowResult {
        last_name: last.to_string(),
        first_name: first.to_string(),
        middle_name: middle.to_string(),
        birth_date: birth,
        class_name: class_name.to_string(),
        ..Default::default()
    }
    .keys()
}

/// Checks every row: names, dates, classes, e-mails, duplicates against `existing` keys (see
/// [`RowResult::keys`]) and within the file.
pub fn check_rows(
    table: &Table,
    mapping: &[Option<Field>],
    existing: &HashSet<String>,
    today: NaiveDate,
) -> Vec<RowResult> {
    let col = |f: Field| mapping.iter().position(|m| *m == Some(f));
    let (c_full, c_last, c_first, c_mid) = (
        col(Field::FullName),
        col(Field::LastName),
        col(Field::FirstName),
        col(Field::MiddleName),
    );
    let (c_birth, c_class, c_email, c_phone) = (
        col(Field::BirthDate),
        col(Field::Class),
        col(Field::Email),
        col(Field::Phone),
    );
    let (c_subj, c_pos, c_notes) = (
        col(Field::Subjects),
        col(Field::Position),
        col(Field::Notes),
    );
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(table.rows.len());
    for (i, row) in table.rows.iter().enumerate() {
        let get = |c: Option<usize>| {
            c.and_then(|c| row.get(c))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut r = RowResult {
            line: table.first_line + i,
            ..Default::default()
        };
        let full = get(c_full);
        if !full.is_empty() {
            match split_full_name(&full) {
                Some((l, f, m)) => {
                    r.last_name = l;
                    r.first_name = f;
                    r.middle_name = m;
                }
                None => r.problems.push(format!("в ФИО «{full}» нет имени")),
            }
        } else {
            r.last_name = cap(&get(c_last));
            r.first_name = cap(&get(c_first));
            r.middle_name = cap(&get(c_mid));
            if r.last_name.is_empty() && r.first_name.is_empty() {
                r.problems.push("пустое ФИО".into());
            } else if r.last_name.is_empty() {
                r.problems.push("нет фамилии".into());
            } else if r.first_name.is_empty() {
                r.problems.push("нет имени".into());
            }
        }
        if r.last_name.chars().any(|c| c.is_ascii_digit())
            || r.first_name.chars().any(|c| c.is_ascii_digit())
        {
            r.problems.push("в ФИО есть цифры".into());
        }
        let birth = get(c_birth);
        if !birth.is_empty() {
            match parse_birth_date(&birth, today) {
                Some(d) if d <= today && d >= NaiveDate::from_ymd_opt(1920, 1, 1).unwrap_or(d) => {
                    r.birth_date = Some(d)
                }
                _ => r
                    .problems
                    .push(format!("невозможная дата рождения «{birth}»")),
            }
        }
        let class_raw = get(c_class);
        match normalize_class(&class_raw) {
            Ok(c) => r.class_name = c,
            Err(why) => r.problems.push(format!("класс «{class_raw}»: {why}")),
        }
        r.email = get(c_email).to_lowercase();
        if !r.email.is_empty() && !crate::auth::model::valid_email(&r.email) {
            r.problems
                .push(format!("неверный адрес почты «{}»", r.email));
        }
        r.phone = get(c_phone);
        r.subjects = get(c_subj);
        r.position = get(c_pos);
        r.notes = get(c_notes);
        if r.problems.is_empty() {
            let keys = r.keys();
            if keys
                .iter()
                .any(|k| existing.contains(k) || seen.contains(k))
            {
                r.duplicate = true;
            }
            seen.extend(keys);
        }
        out.push(r);
    }
    out
}
