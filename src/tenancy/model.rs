//! Organizations (tenants) and their rules.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use uuid::Uuid;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Organization {
    pub id: Uuid,
    pub slug: String,
    pub full_name: String,
    pub short_name: String,
    pub kind: String,
    pub municipality: String,
    pub region: String,
    pub students_count: i32,
    pub teachers_count: i32,
    pub time_zone: String,
}

impl Organization {
    /// The organization's clock (its time zone's offset).
    pub fn offset(&self) -> FixedOffset {
        zone_offset(&self.time_zone)
    }

    /// An instant on the organization's clock.
    pub fn local(&self, t: DateTime<Utc>) -> DateTime<FixedOffset> {
        t.with_timezone(&self.offset())
    }

    /// Today in the organization.
    pub fn today(&self) -> NaiveDate {
        self.local(Utc::now()).date_naive()
    }
}

/// The time zones of Russia: (IANA name, label, hours from UTC). Russia keeps no summer time
/// since 2014, so a zone is one fixed offset (these are today's, after the 2016 and 2020 changes
/// of a few regions).
pub const ZONES: [(&str, &str, i32); 11] = [
    ("Europe/Kaliningrad", "Калининград (МСК−1, UTC+2)", 2),
    ("Europe/Moscow", "Москва (МСК, UTC+3)", 3),
    ("Europe/Samara", "Самара (МСК+1, UTC+4)", 4),
    ("Asia/Yekaterinburg", "Екатеринбург (МСК+2, UTC+5)", 5),
    ("Asia/Omsk", "Омск (МСК+3, UTC+6)", 6),
    (
        "Asia/Krasnoyarsk",
        "Красноярск, Новосибирск (МСК+4, UTC+7)",
        7,
    ),
    ("Asia/Irkutsk", "Иркутск (МСК+5, UTC+8)", 8),
    ("Asia/Yakutsk", "Якутск, Чита (МСК+6, UTC+9)", 9),
    (
        "Asia/Vladivostok",
        "Владивосток, Хабаровск (МСК+7, UTC+10)",
        10,
    ),
    ("Asia/Magadan", "Магадан, Сахалин (МСК+8, UTC+11)", 11),
    ("Asia/Kamchatka", "Камчатка, Чукотка (МСК+9, UTC+12)", 12),
];

pub fn valid_zone(zone: &str) -> bool {
    ZONES.iter().any(|z| z.0 == zone)
}

/// The offset of a zone of [`ZONES`] (Moscow for anything else).
pub fn zone_offset(zone: &str) -> FixedOffset {
    let hours = ZONES.iter().find(|z| z.0 == zone).map(|z| z.2).unwrap_or(3);
    FixedOffset::east_opt(hours * 3600).unwrap_or(FixedOffset::east_opt(0).expect("UTC"))
}

/// The usual zone of a region, from its name (Moscow when the name says nothing).
pub fn zone_for_region(region: &str) -> &'static str {
    const BY_REGION: [(&str, &[&str]); 10] = [
        ("Europe/Kaliningrad", &["калининград"]),
        (
            "Europe/Samara",
            &["самар", "удмурт", "ульянов", "астрахан", "саратов"],
        ),
        (
            "Asia/Yekaterinburg",
            &[
                "свердлов",
                "челябин",
                "тюмен",
                "курган",
                "оренбург",
                "перм",
                "башкорт",
                "ханты",
                "ямал",
                "екатеринбург",
            ],
        ),
        ("Asia/Omsk", &["омск"]),
        (
            "Asia/Krasnoyarsk",
            &[
                "новосибир",
                "алтай",
                "кемеров",
                "кузбасс",
                "томск",
                "красноярск",
                "хакас",
                "тыва",
            ],
        ),
        ("Asia/Irkutsk", &["иркутск", "бурят"]),
        ("Asia/Yakutsk", &["якут", "саха", "забайкал", "амур"]),
        (
            "Asia/Vladivostok",
            &["примор", "хабаров", "еврейск", "владивосток"],
        ),
        ("Asia/Magadan", &["магадан", "сахалин"]),
        ("Asia/Kamchatka", &["камчат", "чукот"]),
    ];
    let r = region.to_lowercase();
    // «Томская» must not read as «Омская».
    if r.contains("томск") {
        return "Asia/Krasnoyarsk";
    }
    BY_REGION
        .iter()
        .find(|(_, keys)| keys.iter().any(|k| r.contains(k)))
        .map(|(z, _)| *z)
        .unwrap_or("Europe/Moscow")
}

pub const KINDS: [(&str, &str); 3] = [
    ("school", "школа"),
    ("college", "колледж"),
    ("other", "другое"),
];

pub fn kind_label(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, l)| *l)
        .unwrap_or("другое")
}

/// Slugs: latin letters, digits and dashes, 2–63 chars, starting with a letter or digit.
pub fn valid_slug(slug: &str) -> bool {
    let b = slug.as_bytes();
    (2..=63).contains(&b.len())
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(valid_slug("sosh-1"));
        assert!(valid_slug("college2"));
        assert!(!valid_slug("-x"));
        assert!(!valid_slug("Школа"));
        assert!(!valid_slug("a"));
        assert!(!valid_slug("with space"));
        assert_eq!(kind_label("college"), "колледж");
    }

    #[test]
    fn zones_of_regions() {
        assert_eq!(zone_for_region("Хабаровский край"), "Asia/Vladivostok");
        assert_eq!(zone_for_region("Томская область"), "Asia/Krasnoyarsk");
        assert_eq!(zone_for_region("Омская область"), "Asia/Omsk");
        assert_eq!(zone_for_region("Самарская область"), "Europe/Samara");
        assert_eq!(zone_for_region("Республика Саха (Якутия)"), "Asia/Yakutsk");
        assert_eq!(zone_for_region(""), "Europe/Moscow");
        assert_eq!(zone_offset("Asia/Vladivostok").local_minus_utc(), 10 * 3600);
        assert_eq!(zone_offset("nowhere").local_minus_utc(), 3 * 3600);
        assert!(valid_zone("Europe/Kaliningrad") && !valid_zone("Europe/Berlin"));
    }
}
