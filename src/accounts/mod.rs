//! Accounts of participants: a login and a one-time code for a pupil without e-mail, an
//! invitation link for someone with one, an invitation to accept for an account that already
//! exists elsewhere. Codes and links exist in clear only when issued.

pub mod commands;
pub mod members;
pub mod orgs;
pub mod pages;

pub use commands::{account_for, class_slips, issue};
pub use pages::slips::issue_accounts;

use crate::web::forms::Choice;

/// Latin transliteration for logins (ГОСТ-like, lower case).
pub fn translit(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        let t = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'й' => "i",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ы' => "y",
            'ю' => "iu",
            'я' => "ia",
            'ь' | 'ъ' => "",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "",
        };
        out.push_str(t);
    }
    out
}

/// What issuing an account gave: shown once (the database keeps only digests).
pub enum Issued {
    /// A login and a one-time code for a slip.
    Code {
        name: String,
        class_name: String,
        login: String,
        code: String,
    },
    /// An invitation link for someone with an e-mail.
    Link { name: String, link: String },
    /// The account already has a password: only the role was added.
    Ready { name: String },
    /// Sent to the card's e-mail: an invitation to accept in the account that exists, or the link
    /// of a new account — the curator is told the same words for both (no address is probed).
    Invited { name: String },
}

/// Names the kind and the person, never the code or the link (they exist in clear only on the
/// page that shows them once).
impl std::fmt::Debug for Issued {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (kind, name) = match self {
            Issued::Code { name, .. } => ("Code", name),
            Issued::Link { name, .. } => ("Link", name),
            Issued::Ready { name } => ("Ready", name),
            Issued::Invited { name } => ("Invited", name),
        };
        f.debug_struct(kind)
            .field("name", name)
            .finish_non_exhaustive()
    }
}

pub fn class_opts(classes: Vec<String>, selected: &str) -> Vec<Choice> {
    classes
        .into_iter()
        .map(|c| Choice {
            selected: c == selected,
            label: c.clone(),
            value: c,
        })
        .collect()
}

/// How long a login code lasts, as chosen in a form (`code_days`; the default when the choice is
/// not one of ours).
pub fn code_days(raw: &str) -> i64 {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|d| crate::auth::CODE_DAYS_CHOICES.contains(d))
        .unwrap_or(crate::auth::CODE_DAYS_DEFAULT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins() {
        assert_eq!(translit("Щукина Юлия"), "shchukinaiuliia");
        assert_eq!(translit("Ёлкин-2"), "elkin2");
    }
}
