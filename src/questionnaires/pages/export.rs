//! The answers of an assignment as XLSX, one row per respondent.

use super::*;
use crate::web::ids::Id;

pub async fn export(org: OrgCtx, Id(id): Id) -> AppResult<Response> {
    let l = load_results(&org, id).await?;
    let mut conn = org.conn().await?;
    crate::audit::record(
        &mut conn,
        &org,
        "export",
        None,
        &format!("ответы на анкету «{}»", l.cur.title),
    )
    .await?;
    drop(conn);
    let names = |id: &str| l.names.get(id).cloned().unwrap_or_else(|| "—".into());
    let questions: Vec<&Question> = l.cur.def.questions().collect();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for t in l
        .targets
        .iter()
        .filter(|t| t.status == Some(crate::questionnaires::ResponseStatus::Submitted))
    {
        let raw = t.answers.as_ref().map(|a| a.0.clone()).unwrap_or_default();
        let def = t
            .version_id
            .and_then(|v| l.versions.get(&v))
            .map(|(_, d)| d);
        let mut row = vec![
            target_name(t),
            t.class_name.clone(),
            t.submitted_at
                .map(|d| ru_date(org.org.local(d).date_naive()))
                .unwrap_or_default(),
            if t.on_behalf.unwrap_or(false) {
                "с бумажной анкеты".into()
            } else {
                String::new()
            },
        ];
        for q in &questions {
            // Each answer read with the question as it was in the answered version.
            let shown = def
                .and_then(|d| d.questions().find(|x| x.key == q.key))
                .unwrap_or(q);
            row.push(model::display(
                shown,
                raw.get(&q.key).map(|v| v.as_slice()).unwrap_or(&[]),
                &names,
            ));
        }
        rows.push(row);
    }
    let mut headers = vec![
        "ФИО".to_string(),
        "Класс".into(),
        "Дата ответа".into(),
        "Отметка".into(),
    ];
    headers.extend(questions.iter().map(|q| q.text.clone()));
    let bytes = tokio::task::spawn_blocking(move || {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for (c, h) in headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, crate::web::xlsx::safe_cell(h), &bold)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                sheet.write_string((r + 1) as u32, c as u16, crate::web::xlsx::safe_cell(v))?;
            }
        }
        sheet.set_column_width(0, 30)?;
        book.save_to_buffer()
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"otvety.xlsx\"".to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}
