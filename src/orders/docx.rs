//! The order as a DOCX file (`docx-rs`): A4 portrait, Times New Roman 14 pt as school orders are
//! typed, the appendix as a bordered table — for the school to put on its own letterhead in Word
//! or LibreOffice.

use docx_rs::{
    AlignmentType, BreakType, Docx, PageMargin, Paragraph, Run, RunFonts, Table, TableCell,
    TableRow, WidthType,
};

use super::model::{COLUMNS, Doc, term};

const PT14: usize = 28;
const PT12: usize = 24;

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

fn centered_bold(text: &str) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Center)
        .add_run(Run::new().add_text(text).bold())
}

fn cell(text: &str, width: usize, bold: bool) -> TableCell {
    let mut p = Paragraph::new();
    for (i, line) in text.split('\n').enumerate() {
        let mut run = Run::new().size(PT12);
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line);
        if bold {
            run = run.bold();
        }
        p = p.add_run(run);
    }
    TableCell::new()
        .width(width, WidthType::Dxa)
        .add_paragraph(p)
}

/// Column widths in twentieths of a point: 17 cm of text width on A4 with 2.5/1.5 cm margins.
const WIDTHS: [usize; 5] = [500, 2900, 2800, 1900, 1530];

/// The DOCX bytes of the order.
pub fn render(doc: &Doc) -> Result<Vec<u8>, String> {
    let mut d = Docx::new()
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(1134)
                .bottom(1134)
                .left(1701)
                .right(851),
        )
        .default_fonts(
            RunFonts::new()
                .ascii("Times New Roman")
                .hi_ansi("Times New Roman")
                .cs("Times New Roman")
                .east_asia("Times New Roman"),
        )
        .default_size(PT14)
        .add_paragraph(centered_bold(&doc.org_full_name))
        .add_paragraph(Paragraph::new())
        .add_paragraph(centered_bold("ПРИКАЗ"))
        .add_paragraph(Paragraph::new())
        .add_paragraph(para(&format!(
            "{}\t{}\t{}",
            doc.date_line(),
            doc.place,
            doc.number_line()
        )))
        .add_paragraph(Paragraph::new())
        .add_paragraph(centered_bold(doc.title()))
        .add_paragraph(Paragraph::new())
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Both)
                .add_run(Run::new().add_text(format!("{},", doc.preamble()))),
        )
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text("ПРИКАЗЫВАЮ:").bold()));
    for (i, point) in doc.points().iter().enumerate() {
        d = d.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Both)
                .add_run(Run::new().add_text(format!("{}. {point}", i + 1))),
        );
    }
    let director = if doc.director.is_empty() {
        "________________".to_string()
    } else {
        doc.director.clone()
    };
    d = d
        .add_paragraph(Paragraph::new())
        .add_paragraph(para(&format!("Директор\t\t\t____________ / {director}")))
        .add_paragraph(Paragraph::new())
        .add_paragraph(para("С приказом ознакомлены:"));
    let mut mentors: Vec<&str> = doc
        .fixes
        .iter()
        .chain(doc.cancels.iter())
        .map(|r| r.mentor.as_str())
        .collect();
    mentors.sort_unstable();
    mentors.dedup();
    for m in mentors {
        d = d.add_paragraph(para(&format!(
            "____________ / {m}   «___» __________ 20__ г."
        )));
    }
    for (n, (caption, rows)) in doc.appendices().into_iter().enumerate() {
        d = d
            .add_paragraph(
                Paragraph::new()
                    .page_break_before(true)
                    .align(AlignmentType::Right)
                    .add_run(Run::new().add_text(format!("Приложение № {}", n + 1))),
            )
            .add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Right)
                    .add_run(Run::new().add_text(doc.appendix_ref())),
            )
            .add_paragraph(Paragraph::new())
            .add_paragraph(centered_bold(&caption));
        let mut table_rows = vec![TableRow::new(
            COLUMNS
                .iter()
                .zip(WIDTHS)
                .map(|(c, w)| cell(c, w, true))
                .collect(),
        )];
        for (i, r) in rows.iter().enumerate() {
            let values = [
                (i + 1).to_string(),
                r.mentor.clone(),
                r.mentees.join("\n"),
                r.form.clone(),
                term(r),
            ];
            table_rows.push(TableRow::new(
                values
                    .iter()
                    .zip(WIDTHS)
                    .map(|(v, w)| cell(v, w, false))
                    .collect(),
            ));
        }
        d = d.add_table(Table::new(table_rows).set_grid(WIDTHS.to_vec()));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut out).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

/// The text of `word/document.xml` in a DOCX file, paragraph by paragraph (for reading an order
/// back in tests and checks).
pub fn paragraphs(bytes: &[u8]) -> Result<Vec<String>, String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .map_err(|e| e.to_string())?
        .take(50 << 20)
        .read_to_string(&mut xml)
        .map_err(|e| e.to_string())?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == "w:t" => in_text = true,
            quick_xml::events::Event::End(e) if e.name().as_ref() == "w:t" => in_text = false,
            quick_xml::events::Event::End(e) if e.name().as_ref() == "w:p" => {
                out.push(std::mem::take(&mut current));
            }
            quick_xml::events::Event::Text(t) if in_text => {
                current.push_str(&t.xml10_content());
            }
            quick_xml::events::Event::GeneralRef(r) if in_text => {
                if let Some(c) = r.resolve_char_ref().map_err(|e| e.to_string())? {
                    current.push(c);
                    continue;
                }
                current.push_str(match &*r {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                });
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::model::Row;

    #[test]
    fn the_docx_reads_back_with_every_pair_and_escaped_text() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 9, 1).expect("date");
        let doc = Doc {
            org_full_name: "МБОУ «СОШ № 1» & Co".into(),
            org_short_name: "МБОУ «СОШ № 1»".into(),
            place: "г. Самара".into(),
            number: "45-од".into(),
            signed_on: Some(d),
            program: "Клуб <наставников>".into(),
            plans_due: d,
            curator: "Смирнова Анна Андреевна".into(),
            director: "Петров П. П.".into(),
            fixes: vec![
                Row {
                    mentor: "Иванова Мария Петровна, учитель".into(),
                    mentees: vec!["Котов Кирилл, 7А".into(), "Лисина Лиза, 7Б".into()],
                    form: "ученик – ученик".into(),
                    from: d,
                    to: d,
                };
                1
            ],
            cancels: vec![],
        };
        let bytes = render(&doc).expect("docx");
        let text = paragraphs(&bytes).expect("read back").join("\n");
        for needle in [
            "МБОУ «СОШ № 1» & Co",
            "ПРИКАЗ",
            "№ 45-од",
            "Клуб <наставников>",
            "ПРИКАЗЫВАЮ:",
            "Иванова Мария Петровна, учитель",
            "Котов Кирилл, 7А",
            "Лисина Лиза, 7Б",
            "С приказом ознакомлены:",
            "Приложение № 1",
        ] {
            assert!(text.contains(needle), "{needle} not in {text}");
        }
    }
}
