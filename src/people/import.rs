//! Reading class lists and staff lists: CSV as Russian Excel writes it (Windows-1251 or UTF-8 with
//! or without BOM; `;`, `,` or tab) and XLSX from Excel and LibreOffice; recognising Russian
//! column headers; checking every row before anything is written. Pure: bytes in, rows out.

use std::collections::HashSet;

use chrono::{Duration, NaiveDate};

use super::model::{cap, normalize_class, split_full_name};

pub const MAX_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, PartialEq, Eq)]
pub enum ImportError {
    TooLarge,
    Empty,
    NoColumns,
    Unreadable(String),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::TooLarge => write!(
                f,
                "Файл больше 10 МБ. Разделите список на несколько файлов."
            ),
            ImportError::Empty => write!(f, "В файле нет строк."),
            ImportError::NoColumns => write!(
                f,
                "Не нашлось знакомых столбцов. Нужны хотя бы «ФИО» (или «Фамилия» и «Имя»); \
                 можно также «Дата рождения», «Класс», «E-mail», «Телефон»."
            ),
            ImportError::Unreadable(why) => write!(f, "Не удалось прочитать файл: {why}"),
        }
    }
}

/// The table as read: the header row and the data rows (cells as text).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// 1-based line (row) number in the file of the first data row.
    pub first_line: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    FullName,
    LastName,
    FirstName,
    MiddleName,
    BirthDate,
    Class,
    Email,
    Phone,
    Subjects,
    Position,
    Notes,
}

impl Field {
    pub const ALL: [Field; 11] = [
        Field::FullName,
        Field::LastName,
        Field::FirstName,
        Field::MiddleName,
        Field::BirthDate,
        Field::Class,
        Field::Email,
        Field::Phone,
        Field::Subjects,
        Field::Position,
        Field::Notes,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Field::FullName => "full_name",
            Field::LastName => "last_name",
            Field::FirstName => "first_name",
            Field::MiddleName => "middle_name",
            Field::BirthDate => "birth_date",
            Field::Class => "class",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Subjects => "subjects",
            Field::Position => "position",
            Field::Notes => "notes",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::FullName => "ФИО полностью",
            Field::LastName => "Фамилия",
            Field::FirstName => "Имя",
            Field::MiddleName => "Отчество",
            Field::BirthDate => "Дата рождения",
            Field::Class => "Класс / группа",
            Field::Email => "Эл. почта",
            Field::Phone => "Телефон",
            Field::Subjects => "Предметы",
            Field::Position => "Должность",
            Field::Notes => "Примечания",
        }
    }

    pub fn parse(code: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.code() == code)
    }
}

fn norm_header(h: &str) -> String {
    h.to_lowercase()
        .replace('ё', "е")
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Recognises a Russian (or English) column header.
pub fn recognize(header: &str) -> Option<Field> {
    let h = norm_header(header);
    let is = |opts: &[&str]| opts.iter().any(|o| h == *o);
    let starts = |opts: &[&str]| opts.iter().any(|o| h.starts_with(o));
    if is(&[
        "фио",
        "ф и о",
        "фио обучающегося",
        "фио ученика",
        "фио учащегося",
        "фио студента",
        "фио сотрудника",
        "фио педагога",
        "ученик",
        "обучающийся",
        "учащийся",
        "студент",
        "сотрудник",
        "full name",
        "name",
    ]) || starts(&["фамилия имя отчество", "фамилия имя", "фио "])
    {
        return Some(Field::FullName);
    }
    if is(&["фамилия", "last name", "surname"]) {
        return Some(Field::LastName);
    }
    if is(&["имя", "first name"]) {
        return Some(Field::FirstName);
    }
    if is(&["отчество", "middle name", "patronymic"]) {
        return Some(Field::MiddleName);
    }
    if starts(&["дата рождения", "д р", "др", "birth", "date of birth"])
        || is(&["дата рожд", "родился", "рожд"])
    {
        return Some(Field::BirthDate);
    }
    if is(&[
        "класс",
        "группа",
        "класс группа",
        "учебная группа",
        "class",
        "group",
        "литера класса",
    ]) || starts(&["класс ", "группа "])
    {
        return Some(Field::Class);
    }
    if is(&[
        "e mail",
        "email",
        "эл почта",
        "электронная почта",
        "почта",
        "адрес электронной почты",
        "e mail адрес",
        "мейл",
    ]) {
        return Some(Field::Email);
    }
    if starts(&["телефон", "тел", "моб", "phone", "контактный телефон"])
    {
        return Some(Field::Phone);
    }
    if starts(&["предмет", "преподаваемые предметы", "subject"]) {
        return Some(Field::Subjects);
    }
    if is(&["должность", "position", "занимаемая должность"]) {
        return Some(Field::Position);
    }
    if starts(&["примечан", "комментар", "notes"]) {
        return Some(Field::Notes);
    }
    None
}

pub fn auto_mapping(headers: &[String]) -> Vec<Option<Field>> {
    let mut seen = HashSet::new();
    headers
        .iter()
        .map(|h| recognize(h).filter(|f| seen.insert(*f)))
        .collect()
}

/// A mapping is usable when names can be read: ФИО, or Фамилия and Имя.
pub fn mapping_usable(m: &[Option<Field>]) -> bool {
    m.contains(&Some(Field::FullName))
        || (m.contains(&Some(Field::LastName)) && m.contains(&Some(Field::FirstName)))
}

/// Text of a CSV file: UTF-8 (BOM or not), else Windows-1251.
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1251
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// `;`, `,` or tab: the one that occurs most outside quotes in the first lines.
pub fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    for (i, line) in text.lines().take(20).enumerate() {
        let _ = i;
        for c in line.chars() {
            match c {
                '"' => in_quotes = !in_quotes,
                ';' if !in_quotes => counts[0] += 1,
                ',' if !in_quotes => counts[1] += 1,
                '\t' if !in_quotes => counts[2] += 1,
                _ => {}
            }
        }
    }
    let best = counts
        .iter()
        .enumerate()
        .max_by_key(|(i, c)| (**c, 3 - *i))
        .map(|(i, _)| i)
        .unwrap_or(0);
    [b';', b',', b'\t'][best]
}

fn parse_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, ImportError> {
    let text = decode_text(bytes);
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| ImportError::Unreadable(e.to_string()))?;
        rows.push(rec.iter().map(|c| c.trim().to_string()).collect());
    }
    Ok(rows)
}

fn excel_serial_to_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30).map(|base| base + Duration::days(serial.floor() as i64))
}

fn parse_spreadsheet(bytes: &[u8]) -> Result<Vec<Vec<String>>, ImportError> {
    use calamine::{Data, Reader};
    // XLSX from Excel or LibreOffice, and also ODS, XLS and XLSB.
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|_| {
            ImportError::Unreadable(
                "это не похоже на таблицу Excel или LibreOffice (.xlsx, .ods, .xls)".into(),
            )
        })?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(ImportError::Empty)?
        .map_err(|e| ImportError::Unreadable(e.to_string()))?;
    let rows = range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    Data::String(s) => s.trim().to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                    Data::Float(f) => f.to_string(),
                    Data::Bool(b) => b.to_string(),
                    Data::DateTime(d) => excel_serial_to_date(d.as_f64())
                        .map(|d| d.format("%d.%m.%Y").to_string())
                        .unwrap_or_default(),
                    Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
                    Data::DurationIso(s) => s.clone(),
                    Data::Error(_) => String::new(),
                })
                .collect()
        })
        .collect();
    Ok(rows)
}

/// Reads CSV or XLSX (told apart by content, not by name) and finds the header row among the
/// first ten rows.
pub fn read_table(bytes: &[u8]) -> Result<Table, ImportError> {
    if bytes.len() > MAX_BYTES {
        return Err(ImportError::TooLarge);
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    let spreadsheet =
        bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    let rows = if spreadsheet {
        parse_spreadsheet(bytes)?
    } else {
        parse_csv(bytes)?
    };
    let rows: Vec<Vec<String>> = rows;
    let header_at = rows
        .iter()
        .take(10)
        .position(|r| mapping_usable(&auto_mapping(r)))
        .ok_or(ImportError::NoColumns)?;
    let headers = rows[header_at].clone();
    let data: Vec<Vec<String>> = rows
        .into_iter()
        .skip(header_at + 1)
        .map(|mut r| {
            r.resize(headers.len(), String::new());
            r
        })
        .collect();
    Ok(Table {
        headers,
        rows: data,
        first_line: header_at + 2,
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn headers_in_russian_variants() {
        assert_eq!(recognize("ФИО"), Some(Field::FullName));
        assert_eq!(recognize(" Ф.И.О. "), Some(Field::FullName));
        assert_eq!(recognize("Фамилия, имя, отчество"), Some(Field::FullName));
        assert_eq!(recognize("ФИО обучающегося"), Some(Field::FullName));
        assert_eq!(recognize("Фамилия"), Some(Field::LastName));
        assert_eq!(recognize("Имя"), Some(Field::FirstName));
        assert_eq!(recognize("Отчество"), Some(Field::MiddleName));
        assert_eq!(recognize("Дата рождения"), Some(Field::BirthDate));
        assert_eq!(recognize("Д.р."), Some(Field::BirthDate));
        assert_eq!(recognize("Класс"), Some(Field::Class));
        assert_eq!(recognize("Группа"), Some(Field::Class));
        assert_eq!(recognize("E-mail"), Some(Field::Email));
        assert_eq!(recognize("Электронная почта"), Some(Field::Email));
        assert_eq!(recognize("Телефон родителя"), Some(Field::Phone));
        assert_eq!(recognize("№ п/п"), None);
    }

    #[test]
    fn windows_1251_semicolon_with_title_row() {
        let text = "Список 7Б класса;;\n№;ФИО;Дата рождения;Класс\n1;Иванов Иван Иванович;01.09.2013;7б\n2;Петрова Анна;15.03.2013;7 Б\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        let t = read_table(&bytes).unwrap();
        assert_eq!(t.headers, vec!["№", "ФИО", "Дата рождения", "Класс"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.first_line, 3);
        let rows = check_rows(&t, &auto_mapping(&t.headers), &HashSet::new(), today());
        assert_eq!(rows[0].last_name, "Иванов");
        assert_eq!(rows[0].middle_name, "Иванович");
        assert_eq!(rows[0].birth_date, NaiveDate::from_ymd_opt(2013, 9, 1));
        assert_eq!(rows[0].class_name, "7Б");
        assert_eq!(rows[1].class_name, "7Б");
        assert!(rows.iter().all(|r| r.importable()));
    }

    #[test]
    fn utf8_bom_comma_and_split_names() {
        let text =
            "\u{feff}Фамилия,Имя,Отчество,Класс,E-mail\n\"Сидоров\",\"Пётр\",,10а,PETR@MAIL.RU\n";
        let t = read_table(text.as_bytes()).unwrap();
        let rows = check_rows(&t, &auto_mapping(&t.headers), &HashSet::new(), today());
        assert_eq!(rows[0].first_name, "Пётр");
        assert_eq!(rows[0].class_name, "10А");
        assert_eq!(rows[0].email, "petr@mail.ru");
        assert_eq!(sniff_delimiter("a;b,c;d"), b';');
        assert_eq!(sniff_delimiter("a,b,c"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter("\"Иванов, Иван\";7А"), b';');
    }

    #[test]
    fn bad_rows_are_explained() {
        let text = "ФИО;Дата рождения;Класс;Почта\n;01.01.2013;7А;\nИванов;01.01.2013;7А;\nПетров Пётр;31.02.2013;7А;\nСидоров Сидор;01.01.2013;15Ж;\nКозлов Кирилл;01.01.2013;7А;не-почта\nОрлов Олег;2030-01-01;7А;\n";
        let t = read_table(text.as_bytes()).unwrap();
        let rows = check_rows(&t, &auto_mapping(&t.headers), &HashSet::new(), today());
        // The row with only a date and a class still counts (it is not blank).
        assert_eq!(rows.len(), 6);
        assert!(rows[0].problems[0].contains("пустое ФИО"));
        assert!(rows[1].problems[0].contains("нет имени"));
        assert!(rows[2].problems[0].contains("невозможная дата"));
        assert!(rows[3].problems[0].contains("класс"));
        assert!(rows[4].problems[0].contains("почты"));
        assert!(rows[5].problems[0].contains("невозможная дата"));
        assert_eq!(rows[0].line, 2);
        assert!(rows.iter().all(|r| !r.importable()));
    }

    #[test]
    fn duplicates_in_base_and_in_file() {
        let text = "ФИО;Дата рождения;Класс\nИванов Иван;01.09.2013;7А\nИванов Иван;01.09.2013;7А\nПетров Пётр;;7А\n";
        let t = read_table(text.as_bytes()).unwrap();
        let existing: HashSet<String> = person_keys("Петров", "Петр", "", None, "7А")
            .into_iter()
            .collect();
        let rows = check_rows(&t, &auto_mapping(&t.headers), &existing, today());
        assert!(!rows[0].duplicate);
        assert!(rows[1].duplicate, "the same pupil twice in one file");
        assert!(
            rows[2].duplicate,
            "ё and е are the same letter for matching"
        );
    }

    #[test]
    fn no_columns_and_size_refused() {
        assert_eq!(read_table(b"a;b;c\n1;2;3\n"), Err(ImportError::NoColumns));
        assert_eq!(read_table(b"   \n"), Err(ImportError::Empty));
        let big = vec![b'a'; MAX_BYTES + 1];
        assert_eq!(read_table(&big), Err(ImportError::TooLarge));
        assert!(matches!(
            read_table(b"PK\x03\x04garbage"),
            Err(ImportError::Unreadable(_))
        ));
    }

    #[test]
    fn dates_as_schools_write_them() {
        let d = NaiveDate::from_ymd_opt(2012, 9, 1);
        assert_eq!(parse_birth_date("01.09.2012", today()), d);
        assert_eq!(parse_birth_date("1.9.2012", today()), d);
        assert_eq!(parse_birth_date("01.09.12", today()), d);
        assert_eq!(parse_birth_date("2012-09-01", today()), d);
        assert_eq!(parse_birth_date("01/09/2012", today()), d);
        assert_eq!(parse_birth_date("01.09.2012 г.", today()), d);
        assert_eq!(
            parse_birth_date("01.09.99", today()),
            NaiveDate::from_ymd_opt(1999, 9, 1)
        );
        assert_eq!(parse_birth_date("вчера", today()), None);
        assert_eq!(excel_serial_to_date(41153.0), d);
    }
}
