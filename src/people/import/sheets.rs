//! The spreadsheet readers under the import's limits: CSV (encoding and delimiter sniffed), XLSX and ODS (the zip unpacked with a cap, ODS cells pre-counted), XLS (cells counted through cfb) — each a grid of text.

#[allow(unused_imports)]
use super::*;

/// Keeps a row within [`MAX_COLS`]: trailing empty cells are dropped; more filled cells than
/// that is an error.
pub(super) fn bounded_row(mut row: Vec<String>) -> Result<Vec<String>, ImportError> {
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

pub(super) fn parse_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, ImportError> {
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

pub(super) fn excel_serial_to_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30).map(|base| base + Duration::days(serial.floor() as i64))
}

pub(super) fn data_text(cell: &calamine::Data) -> String {
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
pub(super) fn check_zip(bytes: &[u8]) -> Result<Vec<String>, ImportError> {
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
pub(super) struct SparseRows {
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
pub(super) fn parse_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, ImportError> {
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
pub(super) fn check_ods(bytes: &[u8]) -> Result<(), ImportError> {
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
pub(super) fn check_xls(bytes: &[u8]) -> Result<(), ImportError> {
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
pub(super) fn parse_spreadsheet(bytes: &[u8]) -> Result<Vec<Vec<String>>, ImportError> {
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
