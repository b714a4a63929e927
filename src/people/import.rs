//! Reading class lists and staff lists: CSV as Russian Excel writes it (Windows-1251 or UTF-8 with
//! or without BOM; `;`, `,` or tab) and XLSX from Excel and LibreOffice; recognising Russian
//! column headers; checking every row before anything is written. Pure: bytes in, rows out.

use std::collections::HashSet;

use chrono::{Duration, NaiveDate};

use super::model::{cap, normalize_class, split_full_name};

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

/// Keeps a row within [`MAX_COLS`]: trailing empty cells are dropped; more filled cells than
/// that is an error.
fn bounded_row(mut row: Vec<String>) -> Result<Vec<String>, ImportError> {
    while row.last().is_some_and(|c| c.is_empty()) {
        row.pop();
    }
    if row.iter().any(|c| c.len() > MAX_CELL_BYTES) {
        return Err(ImportError::CellTooLong);
    }
    if row.len() > MAX_COLS {
        return Err(ImportError::TooManyColumns);
    }
    Ok(row)
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
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(broken(e)),
        }
        if rows.len() >= MAX_ROWS + HEADER_SEARCH {
            return Err(ImportError::TooManyRows);
        }
        // Only the filled part of a row is copied (a header of a million «;» costs nothing).
        let filled = (0..record.len())
            .rev()
            .find(|i| !record[*i].trim().is_empty())
            .map_or(0, |i| i + 1);
        if filled > MAX_COLS {
            return Err(ImportError::TooManyColumns);
        }
        if record.iter().take(filled).any(|c| c.len() > MAX_CELL_BYTES) {
            return Err(ImportError::CellTooLong);
        }
        rows.push(
            record
                .iter()
                .take(filled)
                .map(|c| c.trim().to_string())
                .collect(),
        );
    }
    Ok(rows)
}

fn excel_serial_to_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30).map(|base| base + Duration::days(serial.floor() as i64))
}

fn data_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_serial_to_date(d.as_f64())
            .map(|d| d.format("%d.%m.%Y").to_string())
            .unwrap_or_default(),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
    }
}

/// Unpacks every part of the zip with a cap on the real (not the declared) size: a zip bomb is
/// refused after reading at most [`MAX_UNPACKED`] bytes, before any part is held in memory.
/// Returns the names of the parts.
fn check_zip(bytes: &[u8]) -> Result<Vec<String>, ImportError> {
    let unreadable = || {
        ImportError::Unreadable(
            "это не похоже на таблицу Excel или LibreOffice (.xlsx, .ods, .xls)".into(),
        )
    };
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(ImportError::Unpacked);
    }
    let mut total: u64 = 0;
    let mut names = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|_| unreadable())?;
        names.push(part.name().map(|n| n.to_string()).unwrap_or_default());
        let left = MAX_UNPACKED - total;
        let n = std::io::copy(
            &mut std::io::Read::take(&mut part, left + 1),
            &mut std::io::sink(),
        )
        .map_err(|_| unreadable())?;
        total += n;
        if total > MAX_UNPACKED {
            return Err(ImportError::Unpacked);
        }
    }
    Ok(names)
}

/// Rows of a sheet from its non-empty cells, refusing anything past the caps (the declared
/// dimensions of a sheet are never trusted or allocated).
struct SparseRows {
    rows: Vec<Vec<String>>,
}

impl SparseRows {
    fn put(&mut self, row: usize, col: usize, text: String) -> Result<(), ImportError> {
        if text.is_empty() {
            return Ok(());
        }
        if text.len() > MAX_CELL_BYTES {
            return Err(ImportError::CellTooLong);
        }
        if row >= MAX_ROWS + HEADER_SEARCH {
            return Err(ImportError::TooManyRows);
        }
        if col >= MAX_COLS {
            return Err(ImportError::TooManyColumns);
        }
        if self.rows.len() <= row {
            self.rows.resize(row + 1, Vec::new());
        }
        let r = &mut self.rows[row];
        if r.len() <= col {
            r.resize(col + 1, String::new());
        }
        r[col] = text;
        Ok(())
    }
}

/// XLSX: the first sheet's cells streamed one by one.
fn parse_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, ImportError> {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(broken)?;
    let name = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or(ImportError::Empty)?;
    let mut cells = book.worksheet_cells_reader(&name).map_err(broken)?;
    let mut out = SparseRows { rows: Vec::new() };
    let mut seen: u64 = 0;
    while let Some(cell) = cells.next_cell().map_err(broken)? {
        seen += 1;
        if seen > MAX_GRID_CELLS {
            return Err(ImportError::Unpacked);
        }
        let (row, col) = cell.get_position();
        out.put(
            row as usize,
            col as usize,
            data_text(&calamine::Data::from(cell.get_value().clone())),
        )?;
    }
    Ok(out.rows)
}

/// ODS: calamine expands repeated rows and cells into a dense grid, so the content is first
/// scanned for where the filled cells reach (repeats counted, never expanded).
fn check_ods(bytes: &[u8]) -> Result<(), ImportError> {
    use quick_xml::events::Event;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(broken)?;
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut std::io::Read::take(zip.by_name("content.xml").map_err(broken)?, MAX_UNPACKED),
        &mut xml,
    )
    .map_err(broken)?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let repeats = |e: &quick_xml::events::BytesStart<'_>, name: &str| -> u64 {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == name)
            .and_then(|a| a.value.parse::<u64>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let (mut row_at, mut row_reps, mut col_at) = (0u64, 1u64, 0u64);
    let (mut row_filled, mut last_row, mut max_col) = (false, 0u64, 0u64);
    let mut grid: u64 = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.name().as_ref() == "table:table" => {
                let _ = e;
                row_at = 0;
                last_row = 0;
                max_col = 0;
            }
            Ok(Event::End(e)) if e.name().as_ref() == "table:table" => {
                grid = grid.saturating_add(last_row.saturating_mul(max_col.max(1)));
                if last_row > (MAX_ROWS + HEADER_SEARCH) as u64 {
                    return Err(ImportError::TooManyRows);
                }
                if grid > MAX_GRID_CELLS {
                    return Err(ImportError::Unpacked);
                }
            }
            Ok(Event::Start(e)) if e.name().as_ref() == "table:table-row" => {
                row_reps = repeats(&e, "table:number-rows-repeated");
                col_at = 0;
                row_filled = false;
            }
            Ok(Event::Empty(e)) if e.name().as_ref() == "table:table-row" => {
                row_at = row_at.saturating_add(repeats(&e, "table:number-rows-repeated"));
            }
            Ok(Event::End(e)) if e.name().as_ref() == "table:table-row" => {
                row_at = row_at.saturating_add(row_reps);
                if row_filled {
                    last_row = row_at;
                    if last_row > (MAX_ROWS + HEADER_SEARCH) as u64 {
                        return Err(ImportError::TooManyRows);
                    }
                }
            }
            Ok(ev @ (Event::Start(_) | Event::Empty(_))) => {
                // A cell counts as filled unless it can only be empty: calamine materialises a
                // cell that has a value or a formula (and the empty run before it), whatever its
                // other attributes — so only the attributes known to carry no content are let go.
                let (e, filled) = match &ev {
                    Event::Start(e) => (e, true),
                    Event::Empty(e) => (
                        e,
                        e.attributes().flatten().any(|a| {
                            !matches!(
                                a.key.as_ref(),
                                "table:style-name"
                                    | "table:number-columns-repeated"
                                    | "table:number-columns-spanned"
                                    | "table:number-rows-spanned"
                                    | "table:content-validation-name"
                            )
                        }),
                    ),
                    _ => continue,
                };
                let name = e.name();
                if name.as_ref() == "table:table-cell"
                    || name.as_ref() == "table:covered-table-cell"
                {
                    let reps = repeats(e, "table:number-columns-repeated");
                    col_at = col_at.saturating_add(reps);
                    if filled {
                        row_filled = true;
                        max_col = max_col.max(col_at);
                        if col_at > MAX_COLS as u64 {
                            return Err(ImportError::TooManyColumns);
                        }
                    }
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(broken(e)),
            Ok(_) => {}
        }
    }
    Ok(())
}

/// XLS (the old binary format): calamine builds every sheet's grid from its farthest cell, so the
/// cell records are read first (row and column of each) and a far-flung cell is refused.
fn check_xls(bytes: &[u8]) -> Result<(), ImportError> {
    let mut file = cfb::CompoundFile::open(std::io::Cursor::new(bytes)).map_err(broken)?;
    let name = if file.exists("/Workbook") {
        "/Workbook"
    } else {
        "/Book"
    };
    let mut stream = file.open_stream(name).map_err(broken)?;
    let mut data = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(&mut stream, MAX_UNPACKED),
        &mut data,
    )
    .map_err(broken)?;
    let (mut max_row, mut max_col, mut grid) = (0u64, 0u64, 0u64);
    let mut at = 0usize;
    while at + 4 <= data.len() {
        let kind = u16::from_le_bytes([data[at], data[at + 1]]);
        let len = u16::from_le_bytes([data[at + 2], data[at + 3]]) as usize;
        let body = &data[at + 4..(at + 4 + len).min(data.len())];
        at += 4 + len;
        let word = |i: usize| -> u64 {
            body.get(i..i + 2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]) as u64)
                .unwrap_or(0)
        };
        match kind {
            // A sheet (or the globals) ends: its grid is counted.
            0x000A => {
                grid = grid.saturating_add((max_row + 1).saturating_mul(max_col + 1));
                if max_row >= (MAX_ROWS + HEADER_SEARCH) as u64 {
                    return Err(ImportError::TooManyRows);
                }
                if max_col >= MAX_COLS as u64 {
                    return Err(ImportError::TooManyColumns);
                }
                if grid > MAX_GRID_CELLS {
                    return Err(ImportError::Unpacked);
                }
                (max_row, max_col) = (0, 0);
            }
            // Cells: FORMULA, BLANK, NUMBER, LABEL, BOOLERR, RK, LABELSST, RSTRING, and the two
            // MUL… records whose last column closes the record.
            0x0006 | 0x0201 | 0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x00D6 | 0x0406 => {
                max_row = max_row.max(word(0));
                max_col = max_col.max(word(2));
            }
            0x00BD | 0x00BE => {
                max_row = max_row.max(word(0));
                max_col = max_col.max(word(body.len().saturating_sub(2)));
            }
            _ => {}
        }
    }
    Ok(())
}

/// XLSX, ODS or XLS, each read within the caps.
fn parse_spreadsheet(bytes: &[u8]) -> Result<Vec<Vec<String>>, ImportError> {
    use calamine::Reader;
    if bytes.starts_with(b"PK\x03\x04") {
        let names = check_zip(bytes)?;
        if names.iter().any(|n| n == "content.xml") {
            check_ods(bytes)?;
            let mut book = calamine::Ods::new(std::io::Cursor::new(bytes)).map_err(broken)?;
            let range = book
                .worksheet_range_at(0)
                .ok_or(ImportError::Empty)?
                .map_err(broken)?;
            return Ok(range
                .rows()
                .map(|r| r.iter().map(data_text).collect())
                .collect());
        }
        return parse_xlsx(bytes);
    }
    check_xls(bytes)?;
    let mut book = calamine::Xls::new(std::io::Cursor::new(bytes)).map_err(|_| {
        ImportError::Unreadable(
            "это не похоже на таблицу Excel или LibreOffice (.xlsx, .ods, .xls)".into(),
        )
    })?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(ImportError::Empty)?
        .map_err(broken)?;
    Ok(range
        .rows()
        .map(|r| r.iter().map(data_text).collect())
        .collect())
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
