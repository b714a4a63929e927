//! Generates a class list as Russian Excel saves it (CSV, Windows-1251, `;`), for measuring the
//! import: `cargo run --release --example class_list -- 5000 > list.csv`. Seeded: the same N
//! gives the same file.

use std::io::Write;

use nastavnik::demo::{BOYS, FATHERS, SURNAMES};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5000);
    let mut seed: u64 = 42;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let mut out = String::from("Список обучающихся;;;;\r\n№;ФИО;Дата рождения;Класс;E-mail\r\n");
    for i in 0..n {
        let grade = 1 + next() % 11;
        let letter = ["А", "Б", "В", "Г"][next() % 4];
        let year = 2026 - 7 - grade as i32 + 1;
        out.push_str(&format!(
            "{};{} {} {};{:02}.{:02}.{};{}{};pupil{}@school.ru\r\n",
            i + 1,
            SURNAMES[next() % SURNAMES.len()].0,
            BOYS[next() % BOYS.len()],
            FATHERS[next() % FATHERS.len()].0,
            1 + next() % 28,
            1 + next() % 12,
            year,
            grade,
            letter,
            i
        ));
    }
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&out);
    std::io::stdout().write_all(&bytes).expect("stdout");
}
