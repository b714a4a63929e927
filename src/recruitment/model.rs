//! Limits on applications and what a contact is.

crate::codes! {
    /// Where an application stands: new until the curator accepts it or declines it with a
    /// reason. Stored as its code in `applications.status`.
    pub enum ApplicationStatus: "application status" {
        New = "new" => "новая",
        Accepted = "accepted" => "принята",
        Declined = "declined" => "отклонена",
    }
}

/// Applications from one contact (e-mail or phone) per day.
pub const PER_CONTACT_PER_DAY: i64 = 3;
/// Applications from one network address per hour.
pub const PER_SOURCE_PER_HOUR: i64 = 10;

pub const ROLES: [(crate::people::Side, &str); 2] = [
    (crate::people::Side::Mentee, "наставляемые"),
    (crate::people::Side::Mentor, "наставники"),
];

/// A contact is an e-mail address or a phone number (10–15 digits).
pub fn contact_ok(c: &str) -> bool {
    let c = c.trim();
    if c.contains('@') {
        crate::auth::model::valid_email(&crate::auth::model::normalize_email(c))
    } else {
        let digits = c.chars().filter(char::is_ascii_digit).count();
        (10..=15).contains(&digits)
            && c.chars()
                .all(|ch| ch.is_ascii_digit() || " +-()".contains(ch))
    }
}

/// «Фамилия Имя Отчество» split for the base (at least a surname and a name).
pub fn split_name(full: &str) -> Option<(String, String, String)> {
    let parts: Vec<&str> = full.split_whitespace().collect();
    match parts.as_slice() {
        [last, first] => Some((last.to_string(), first.to_string(), String::new())),
        [last, first, rest @ ..] => Some((last.to_string(), first.to_string(), rest.join(" "))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_and_names() {
        assert!(contact_ok("kid@mail.ru"));
        assert!(contact_ok("+7 (912) 345-67-89"));
        assert!(!contact_ok("12345"));
        assert!(!contact_ok("позвоните маме"));
        assert_eq!(
            split_name("  Петров  Пётр Ильич "),
            Some(("Петров".into(), "Пётр".into(), "Ильич".into()))
        );
        assert_eq!(split_name("Петров"), None);
    }
}
