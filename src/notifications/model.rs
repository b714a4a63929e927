//! Kinds of news and the ways a person may receive each: in the app only, by e-mail at once, or
//! gathered into one e-mail a day.

/// A kind of news: (code, label, channel by default, whether a daily digest makes sense).
pub const KINDS: [(&str, &str, &str, bool); 4] = [
    (
        "reminders",
        "Напоминания (анкеты, сроки задач)",
        "email",
        true,
    ),
    (
        "pairs",
        "Новости пар (предложения, согласия, отказы)",
        "email",
        true,
    ),
    ("surveys", "Новые анкеты и опросы", "email", true),
    (
        "digest",
        "Сводка куратора: что требует внимания",
        "email",
        false,
    ),
];

/// The ways: (code, label).
pub const CHANNELS: [(&str, &str); 3] = [
    ("app", "только в системе"),
    ("email", "письмом сразу"),
    ("digest", "письмом раз в день (сводкой)"),
];

pub fn kind_label(kind: &str) -> &'static str {
    if kind == "all" {
        return "все письма";
    }
    KINDS
        .iter()
        .find(|k| k.0 == kind)
        .map(|k| k.1)
        .unwrap_or("Уведомления")
}

pub fn default_channel(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|k| k.0 == kind)
        .map(|k| k.2)
        .unwrap_or("app")
}

/// Whether `channel` may be chosen for `kind`.
pub fn allowed(kind: &str, channel: &str) -> bool {
    KINDS
        .iter()
        .find(|k| k.0 == kind)
        .is_some_and(|k| CHANNELS.iter().any(|c| c.0 == channel) && (k.3 || channel != "digest"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_per_kind() {
        assert!(allowed("reminders", "digest"));
        assert!(!allowed("digest", "digest"));
        assert!(!allowed("reminders", "sms"));
        assert!(!allowed("weather", "app"));
        assert_eq!(default_channel("pairs"), "email");
    }
}
