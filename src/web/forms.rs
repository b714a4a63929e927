//! Form helpers: errors beside their fields, re-rendered with 422 and the input kept.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Clone, Debug, Default)]
pub struct FormErrors(pub BTreeMap<&'static str, String>);

impl FormErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.entry(field).or_insert_with(|| message.into());
    }

    pub fn get(&self, field: &str) -> &str {
        self.0.get(field).map(|s| s.as_str()).unwrap_or("")
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    /// Every message, in field order (for a summary above a page of several forms).
    pub fn messages(&self) -> Vec<&str> {
        self.0.values().map(String::as_str).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// «Не длиннее N символов» beside `field` when `value` is longer (the text stays in the form).
    pub fn limit(&mut self, field: &'static str, value: &str, max: usize) {
        let n = value.chars().count();
        if n > max {
            self.add(field, too_long(max, n));
        }
    }
}

/// The message for a text over its limit.
pub fn too_long(max: usize, n: usize) -> String {
    format!("Не длиннее {max} символов (сейчас {n}).")
}

/// A template rendered with a status (422 for validation, 409 for conflicts).
pub fn with_status<T: IntoResponse>(status: StatusCode, page: T) -> Response {
    (status, page).into_response()
}

pub fn trimmed(s: &str) -> String {
    s.trim().to_string()
}

/// A date in `YYYY-MM-DD` (HTML date input) or `ДД.ММ.ГГГГ`.
pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    let s = s.trim();
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(s, "%d.%m.%Y"))
        .ok()
}

/// The label of `code` in a (code, label) table, or the code's own text when unknown.
pub fn label_of(table: &[(&'static str, &'static str)], code: &str) -> &'static str {
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("—")
}

/// Where a form page sits: its heading, where it posts, where «Отмена» leads.
#[derive(Clone, Debug)]
pub struct FormFrame {
    pub heading: String,
    pub action: String,
    pub cancel: String,
}

/// One option of a select or a checkbox list (the one option type the pages share).
#[derive(Clone, Debug)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// An entry of a fixed (code, label) table — roles, kinds, statuses — for templates.
#[derive(Clone, Copy, Debug)]
pub struct Coded {
    pub code: &'static str,
    pub label: &'static str,
}

/// A (code, label) table as [`Coded`] entries.
pub fn coded(table: &[(&'static str, &'static str)]) -> Vec<Coded> {
    table
        .iter()
        .map(|(code, label)| Coded { code, label })
        .collect()
}

/// A (code, label) table as options, `selected` marked.
pub fn choices(table: &[(&'static str, &'static str)], selected: &str) -> Vec<Choice> {
    table
        .iter()
        .map(|(code, label)| Choice {
            value: code.to_string(),
            label: label.to_string(),
            selected: *code == selected,
        })
        .collect()
}

/// Today's date (UTC; the organization's time zone comes with notifications).
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// «01.09.2026 – 31.05.2027».
pub fn dates(a: chrono::NaiveDate, b: chrono::NaiveDate) -> String {
    format!("{} – {}", ru_date(a), ru_date(b))
}

/// The months' names, January first («январь» … «декабрь»).
pub const MONTHS: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];

/// The months shortened for charts and trends («янв» … «дек»).
pub const MONTHS_SHORT: [&str; 12] = [
    "янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек",
];

/// A size in bytes as people read it: «840 байт», «264 КБ», «1,2 МБ», «3,4 ГБ».
pub fn file_size(bytes: i64) -> String {
    const K: f64 = 1024.0;
    let b = bytes.max(0) as f64;
    let (v, unit) = if b < K {
        return format!("{bytes} байт");
    } else if b < K * K {
        (b / K, "КБ")
    } else if b < K * K * K {
        (b / K / K, "МБ")
    } else {
        (b / K / K / K, "ГБ")
    };
    let s = if v < 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.0}")
    };
    format!("{} {unit}", s.replace('.', ","))
}

/// `ДД.ММ.ГГГГ` without chrono's formatter (cheap in lists).
pub fn ru_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:02}.{:02}.{}", d.day(), d.month(), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_russian() {
        assert_eq!(file_size(840), "840 байт");
        assert_eq!(file_size(264_798), "259 КБ");
        assert_eq!(file_size(1_300_000), "1,2 МБ");
        assert_eq!(file_size(3_650_000_000), "3,4 ГБ");
    }

    #[test]
    fn dates_in_both_forms() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        assert_eq!(parse_date("2026-09-01"), Some(d));
        assert_eq!(parse_date(" 01.09.2026 "), Some(d));
        assert_eq!(parse_date("31.02.2026"), None);
        assert_eq!(ru_date(d), "01.09.2026");
    }
}

/// An urlencoded form body, with repeated keys (checkbox groups) kept.
#[derive(Clone, Debug, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    pub fn parse(body: &[u8]) -> Self {
        FormData(form_urlencoded::parse(body).into_owned().collect())
    }

    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The ids ticked under `name` (malformed ones ignored; at most 2,000).
    pub fn uuids(&self, name: &str) -> Vec<uuid::Uuid> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .filter_map(|(_, v)| uuid::Uuid::parse_str(v).ok())
            .take(2000)
            .collect()
    }

    pub fn int(&self, name: &str) -> i32 {
        self.get(name).trim().parse().unwrap_or(0)
    }
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for FormData {
    type Rejection = crate::error::AppError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| {
                crate::error::AppError::Validation("Не удалось прочитать форму.".into())
            })?;
        if bytes.contains(&0) || bytes.windows(3).any(|w| w == b"%00") {
            return Err(crate::error::AppError::BadRequest);
        }
        Ok(FormData::parse(&bytes))
    }
}

#[cfg(test)]
mod form_data_tests {
    use super::*;

    #[test]
    fn repeated_keys_and_utf8() {
        let f = FormData::parse(
            "a=1&v=x&v=y&name=%D0%98%D0%B2%D0%B0%D0%BD+%D0%9F%D0%B5%D1%82%D1%80%D0%BE%D0%B2"
                .as_bytes(),
        );
        assert_eq!(f.get("a"), "1");
        assert_eq!(f.all("v"), vec!["x", "y"]);
        assert_eq!(f.get("name"), "Иван Петров");
        assert_eq!(f.get("missing"), "");
        assert_eq!(f.int("a"), 1);
    }
}
