//! Reading class lists and staff lists: CSV as Russian Excel writes it (Windows-1251 or UTF-8 with
//! or without BOM; `;`, `,` or tab) and XLSX from Excel and LibreOffice; recognising Russian
//! column headers; checking every row before anything is written. Pure: bytes in, rows out.

use std::collections::HashSet;

use chrono::{Duration, NaiveDate};

use super::model::{cap, normalize_class, split_full_name};

mod sheets;
#[allow(unused_imports)]
pub use sheets::*;

mod rows;
#[allow(unused_imports)]
pub use rows::*;

pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Data rows read from a file (a big school's list is a few thousand).
pub const MAX_ROWS: usize = 20_000;
/// Columns read from a file.
pub const MAX_COLS: usize = 64;
/// What a spreadsheet (a zip) may unpack to, all parts together.
pub const MAX_UNPACKED: u64 = 32 * 1024 * 1024;
/// Parts of a zip.
const MAX_ZIP_ENTRIES: usize = 2_000;
/// Cells a workbook may spread over, all sheets together (what calamine would allocate).
const MAX_GRID_CELLS: u64 = 2_000_000;
/// A cell of a list (a name, a class, notes) is never this long.
const MAX_CELL_BYTES: usize = 4_000;
/// Rows before the header that may be skipped (title rows).
const HEADER_SEARCH: usize = 10;

#[derive(Debug, PartialEq, Eq)]
pub enum ImportError {
    TooLarge,
    Empty,
    NoColumns,
    TooManyRows,
    TooManyColumns,
    CellTooLong,
    /// Unpacks to far more than it weighs (a zip bomb), or far more than a list needs.
    Unpacked,
    Unreadable(String),
    /// The form came without a file.
    NoFile,
    /// The upload broke off before the file was whole.
    Interrupted,
}

/// What a reader says of a file it cannot read, in Russian (the library's English cause goes to
/// the log only).
pub const BROKEN: &str = "это не похоже на таблицу XLSX, ODS, XLS или CSV, или файл повреждён. \
                          Откройте его в Excel или LibreOffice и сохраните заново.";

/// A file the libraries could not read: the cause is logged, the person reads [`BROKEN`].
fn broken(cause: impl std::fmt::Display) -> ImportError {
    tracing::info!(cause = %cause, "upload not readable");
    ImportError::Unreadable(BROKEN.into())
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::TooLarge => write!(
                f,
                "Файл больше 10 МБ. Разделите список на несколько файлов."
            ),
            ImportError::Empty => write!(f, "В файле нет строк."),
            ImportError::TooManyRows => write!(
                f,
                "В файле больше {MAX_ROWS} строк. Разделите список на несколько файлов."
            ),
            ImportError::TooManyColumns => write!(
                f,
                "В таблице больше {MAX_COLS} заполненных столбцов — это не похоже на список \
                 людей. Оставьте нужные столбцы (ФИО, класс, дата рождения, контакты)."
            ),
            ImportError::CellTooLong => write!(
                f,
                "В файле есть ячейка длиннее {MAX_CELL_BYTES} байт — это не похоже на список людей. \
                 Проверьте, что файл сохранён как таблица CSV или XLSX."
            ),
            ImportError::Unpacked => write!(
                f,
                "Таблица в распакованном виде слишком велика (больше {} МБ) или повреждена. \
                 Сохраните список заново как .xlsx или .csv и разделите его, если он большой.",
                MAX_UNPACKED / 1024 / 1024
            ),
            ImportError::NoColumns => write!(
                f,
                "Не нашлось знакомых столбцов. Нужны хотя бы «ФИО» (или «Фамилия» и «Имя»); \
                 можно также «Дата рождения», «Класс», «E-mail», «Телефон»."
            ),
            ImportError::Unreadable(why) => write!(f, "Не удалось прочитать файл: {why}"),
            ImportError::NoFile => write!(
                f,
                "Выберите файл: таблицу XLSX, ODS, XLS или CSV (до 10 МБ)."
            ),
            ImportError::Interrupted => write!(
                f,
                "Файл не дошёл целиком: связь прервалась. Попробуйте загрузить его ещё раз."
            ),
        }
    }
}

/// The table as read: the header row and the data rows (cells as text).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
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
pub fn decode_text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => {
            encoding_rs::WINDOWS_1251
                .decode_without_bom_handling(bytes)
                .0
        }
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
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(bounded_row)
        .collect::<Result<_, _>>()?;
    if rows.len() > MAX_ROWS + HEADER_SEARCH {
        return Err(ImportError::TooManyRows);
    }
    let header_at = rows
        .iter()
        .take(HEADER_SEARCH)
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
