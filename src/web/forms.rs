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

    /// The first message (a command that refuses with one message the page shows as a flash).
    pub fn first(&self) -> String {
        self.0.values().next().cloned().unwrap_or_default()
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

/// What a domain command answers when it does not do the thing: the input refused with a
/// message beside each field (the page re-renders with 422 and everything typed), or a failure
/// the page reports as any other ([`crate::error::AppError`]).
#[derive(Debug)]
pub enum Refused {
    Invalid(FormErrors),
    Failed(crate::error::AppError),
}

impl Refused {
    /// One message beside one field.
    pub fn field(field: &'static str, message: impl Into<String>) -> Self {
        let mut errors = FormErrors::default();
        errors.add(field, message);
        Refused::Invalid(errors)
    }

    /// The failure as an error page (a command that refuses no field: a refused input becomes a
    /// 422 with its first message).
    pub fn into_error(self) -> crate::error::AppError {
        match self {
            Refused::Failed(e) => e,
            Refused::Invalid(e) => crate::error::AppError::Validation(e.first()),
        }
    }
}

impl From<crate::error::AppError> for Refused {
    fn from(e: crate::error::AppError) -> Self {
        Refused::Failed(e)
    }
}

impl From<sqlx::Error> for Refused {
    fn from(e: sqlx::Error) -> Self {
        Refused::Failed(e.into())
    }
}

impl From<FormErrors> for Refused {
    fn from(e: FormErrors) -> Self {
        Refused::Invalid(e)
    }
}

/// A command's answer as a form page gives it: done → the transaction is committed and the page
/// answers `done(value)` (a redirect); refused → rolled back, and the form comes again with its
/// problems (`again(errors)`, 422) and everything typed in it; failed → the error.
pub async fn settle<T, P, Fut>(
    tx: sqlx::Transaction<'_, sqlx::Postgres>,
    answer: Result<T, Refused>,
    done: impl FnOnce(T) -> axum::response::Response,
    again: impl FnOnce(FormErrors) -> Fut,
) -> crate::error::AppResult<axum::response::Response>
where
    P: axum::response::IntoResponse,
    Fut: std::future::Future<Output = crate::error::AppResult<P>>,
{
    use axum::response::IntoResponse;
    match answer {
        Ok(v) => {
            tx.commit().await?;
            Ok(done(v))
        }
        Err(Refused::Invalid(errors)) => {
            drop(tx);
            let page = again(errors).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(Refused::Failed(e)) => Err(e),
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

    /// The ids ticked under `name`, as [`uuids`] reads them.
    pub fn uuids(&self, name: &str) -> Vec<uuid::Uuid> {
        uuids(&self.all(name))
    }

    /// The whole number typed under `name`, as [`int`] reads it.
    pub fn int(&self, name: &str) -> i32 {
        int(&self.get(name))
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

/// A typed form body: the urlencoded fields deserialized into `T` (repeated keys — a checkbox
/// group — into a `Vec`; a missing field takes its `#[serde(default)]`). The same refusals as
/// [`FormData`]: a NUL byte is 400; a body that does not fit `T` is 422.
#[derive(Clone, Debug, Default)]
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for Form<T> {
    type Rejection = crate::error::AppError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let data = FormData::from_request(req, state).await?;
        from_pairs(&data.0).map(Form)
    }
}

/// A form with fields named at run time besides its own (an answer per question, a weight per
/// criterion, a value per person): the typed fields, and every (name, value) as sent for the
/// rest.
#[derive(Clone, Debug, Default)]
pub struct FormAnd<T>(pub T, pub FormData);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for FormAnd<T> {
    type Rejection = crate::error::AppError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let data = FormData::from_request(req, state).await?;
        let typed = from_pairs(&data.0)?;
        Ok(FormAnd(typed, data))
    }
}

/// `T` from (name, value) pairs, as [`Form`] reads them: a field of one value takes the first
/// one sent (as a hidden default before a checkbox of the same name expects), a `Vec` takes
/// every one, a field not sent takes its default.
pub fn from_pairs<T: serde::de::DeserializeOwned>(
    pairs: &[(String, String)],
) -> Result<T, crate::error::AppError> {
    let mut fields: Vec<(String, Vec<String>)> = Vec::new();
    for (k, v) in pairs {
        match fields.iter_mut().find(|f| f.0 == *k) {
            Some(f) => f.1.push(v.clone()),
            None => fields.push((k.clone(), vec![v.clone()])),
        }
    }
    T::deserialize(de::Fields(fields)).map_err(|e| {
        tracing::debug!(error = %e, "a form that does not fit its fields");
        crate::error::AppError::Validation("Не удалось прочитать форму.".into())
    })
}

/// The serde side of [`from_pairs`]: the form as a map of names to their values.
mod de {
    use serde::de::value::{Error, SeqDeserializer, StringDeserializer};
    use serde::de::{DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};
    use serde::forward_to_deserialize_any;

    pub struct Fields(pub Vec<(String, Vec<String>)>);

    impl<'de> Deserializer<'de> for Fields {
        type Error = Error;

        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_map(Entries {
                rest: self.0.into_iter(),
                value: None,
            })
        }

        forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
            identifier ignored_any
        }
    }

    struct Entries {
        rest: std::vec::IntoIter<(String, Vec<String>)>,
        value: Option<Vec<String>>,
    }

    impl<'de> MapAccess<'de> for Entries {
        type Error = Error;

        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, Error> {
            match self.rest.next() {
                Some((k, v)) => {
                    self.value = Some(v);
                    let key: StringDeserializer<Error> = k.into_deserializer();
                    seed.deserialize(key).map(Some)
                }
                None => Ok(None),
            }
        }

        fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
            seed.deserialize(Values(self.value.take().unwrap_or_default()))
        }
    }

    /// The values sent under one name: a sequence for a `Vec`, else the first.
    struct Values(Vec<String>);

    impl Values {
        fn first(self) -> StringDeserializer<Error> {
            self.0
                .into_iter()
                .next()
                .unwrap_or_default()
                .into_deserializer()
        }
    }

    impl<'de> Deserializer<'de> for Values {
        type Error = Error;

        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.first().deserialize_any(visitor)
        }

        fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            SeqDeserializer::new(self.0.into_iter()).deserialize_seq(visitor)
        }

        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_some(self)
        }

        fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_unit()
        }

        forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            unit unit_struct newtype_struct tuple tuple_struct map struct enum identifier
        }
    }
}

/// The ids among `values` (malformed ones ignored; at most 2,000), as a checkbox group sends
/// them.
pub fn uuids(values: &[String]) -> Vec<uuid::Uuid> {
    values
        .iter()
        .filter_map(|v| uuid::Uuid::parse_str(v).ok())
        .take(2000)
        .collect()
}

/// A whole number typed in a field (0 when it is not one).
pub fn int(value: &str) -> i32 {
    value.trim().parse().unwrap_or(0)
}

/// The first of several values sent under one name, or "".
pub fn first(values: &[String]) -> String {
    values.first().cloned().unwrap_or_default()
}

/// A checkbox: ticked when the field is sent with any value but "0" or "false".
pub fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v = <String as serde::Deserialize>::deserialize(d)?;
    Ok(!(v.is_empty() || v == "0" || v == "false"))
}

#[cfg(test)]
mod typed_form_tests {
    use super::*;

    #[derive(serde::Deserialize, Default)]
    #[serde(default)]
    struct Sample {
        name: String,
        #[serde(deserialize_with = "checkbox")]
        ticked: bool,
        ids: Vec<String>,
    }

    #[test]
    fn fields_checkboxes_and_groups() {
        let pairs =
            FormData::parse("name=%D0%98%D0%B2%D0%B0%D0%BD&ticked=1&ids=a&ids=b".as_bytes());
        let s: Sample = from_pairs(&pairs.0).unwrap();
        assert_eq!(s.name, "Иван");
        assert!(s.ticked);
        assert_eq!(s.ids, vec!["a", "b"]);
        let empty: Sample = from_pairs(&[]).unwrap();
        assert!(!empty.ticked);
        assert!(empty.ids.is_empty());
        assert_eq!(empty.name, "");
        // A hidden default before a checkbox of the same name: the first value counts.
        let pairs = FormData::parse("name=a&name=b&ticked=0&ticked=1".as_bytes());
        let s: Sample = from_pairs(&pairs.0).unwrap();
        assert_eq!(s.name, "a");
        assert!(!s.ticked);
    }
}
