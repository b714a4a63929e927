//! «Уведомления»: everything the user was told in this organization, newest first, unread ones
//! marked, each opening its page (and marked read); «Отметить все прочитанными».

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Query;
use axum::response::Response;
use std::collections::HashMap;

use crate::error::AppResult;
use crate::notifications::repo;
use crate::tenancy::OrgCtx;
use crate::web::PageCtx;

pub struct NoteLine {
    pub url: String,
    pub text: String,
    pub at: String,
    pub read: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "notifications/list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub lines: Vec<NoteLine>,
    pub page: i64,
    pub pages: i64,
}

pub async fn list(org: OrgCtx, Query(q): Query<HashMap<String, String>>) -> AppResult<ListPage> {
    let page = q
        .get("page")
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(1)
        .max(1);
    let mut conn = org.conn().await?;
    let (lines, total) = repo::page(&mut conn, org.org.id, org.user.id, page - 1).await?;
    Ok(ListPage {
        ctx: org.page("Уведомления", ""),
        lines: lines
            .into_iter()
            .map(|l| NoteLine {
                url: org.paths().notification(l.id),
                text: l.text,
                at: org
                    .org
                    .local(l.created_at)
                    .format("%d.%m.%Y %H:%M")
                    .to_string(),
                read: l.read,
            })
            .collect(),
        page,
        pages: (total + 49) / 50,
    })
}

pub async fn read_all(org: OrgCtx) -> AppResult<Response> {
    let mut conn = org.conn().await?;
    let n = crate::notifications::commands::read_all(&mut conn, &org.actor()).await?;
    Ok(org.flash(
        &org.paths().notifications(),
        &format!("Отмечено прочитанными: {n}."),
    ))
}
