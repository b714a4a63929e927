//! The influence report of a program (`/programs/{program}/monitoring/report`): for each
//! parameter the means before and after over those measured twice, the mean change with its
//! spread, the share who improved in the parameter's good direction — for everyone of the role,
//! for mentees with and without a pair, and by the pairs' form variant — a slope chart (SVG) of the means, and everyone
//! missing a measurement counted and listed by name.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use uuid::Uuid;

use crate::error::AppResult;
use crate::monitoring::model::{self, Influence};
use crate::monitoring::repo;
use crate::paths::ProgramPaths;
use crate::people::Side;
use crate::programs::ProgramCtx;
use crate::web::PageCtx;

pub struct GroupLine {
    pub group: String,
    /// The group's colour on the chart.
    pub color: &'static str,
    pub paired: usize,
    pub before: String,
    pub after: String,
    pub change: String,
    pub spread: String,
    pub improved: String,
}

pub struct ParamReport {
    pub title: String,
    pub role: &'static str,
    pub direction: &'static str,
    pub groups: Vec<GroupLine>,
    pub missing_before: usize,
    pub missing_after: usize,
    /// The slope chart (numbers only, built here).
    pub chart: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "monitoring/report.html")]
pub struct ReportPage {
    pub ctx: PageCtx,
    pub prog: ProgramPaths,
    pub program_name: String,
    pub params: Vec<ParamReport>,
    /// «Фамилия Имя — нет итогового замера: …».
    pub missing: Vec<String>,
}

const COLORS: [&str; 6] = [
    "#1f5fa8", "#2e8b57", "#b5651d", "#7b3fa0", "#c0392b", "#4d6a79",
];

fn line(k: usize, group: &str, i: &Influence) -> GroupLine {
    GroupLine {
        group: group.to_string(),
        color: COLORS[k % COLORS.len()],
        paired: i.paired,
        before: model::fmt(i.before_mean),
        after: model::fmt(i.after_mean),
        change: i
            .change_mean
            .map(|c| format!("{}{}", if c > 0.0 { "+" } else { "" }, model::fmt(Some(c))))
            .unwrap_or_else(|| "—".into()),
        spread: model::fmt(i.change_sd),
        improved: i
            .improved
            .map(|s| format!("{:.0} %", s * 100.0))
            .unwrap_or_else(|| "—".into()),
    }
}

/// Before → after means of each group as lines on the parameter's scale.
fn chart(p: &repo::Parameter, groups: &[(&str, &Influence)]) -> String {
    let (w, h, top, bottom, left, right) = (320.0, 180.0, 16.0, 24.0, 60.0, 260.0);
    let y = |v: f64| {
        let t = ((v - p.min_value) / (p.max_value - p.min_value)).clamp(0.0, 1.0);
        h - bottom - t * (h - top - bottom)
    };
    let mut svg = format!(
        "<svg class=\"slope\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-hidden=\"true\" xmlns=\"http://www.w3.org/2000/svg\">\
         <line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{b}\" stroke=\"#999\"/>\
         <line x1=\"{right}\" y1=\"{top}\" x2=\"{right}\" y2=\"{b}\" stroke=\"#999\"/>\
         <text x=\"{left}\" y=\"{h}\" text-anchor=\"middle\">до</text>\
         <text x=\"{right}\" y=\"{h}\" text-anchor=\"middle\">после</text>\
         <text x=\"4\" y=\"{t2}\">{max}</text><text x=\"4\" y=\"{b}\">{min}</text>",
        b = h - bottom,
        t2 = top + 4.0,
        max = model::fmt(Some(p.max_value)),
        min = model::fmt(Some(p.min_value)),
    );
    for (k, (_, i)) in groups.iter().enumerate() {
        if let (Some(b), Some(a)) = (i.before_mean, i.after_mean) {
            let c = COLORS[k % COLORS.len()];
            svg.push_str(&format!(
                "<line x1=\"{left}\" y1=\"{:.1}\" x2=\"{right}\" y2=\"{:.1}\" stroke=\"{c}\" stroke-width=\"3\"/>\
                 <circle cx=\"{left}\" cy=\"{:.1}\" r=\"4\" fill=\"{c}\"/><circle cx=\"{right}\" cy=\"{:.1}\" r=\"4\" fill=\"{c}\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" fill=\"{c}\">{}</text>",
                y(b),
                y(a),
                y(b),
                y(a),
                right + 8.0,
                y(a) + 4.0,
                model::fmt(Some(a)),
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

pub async fn report(pc: ProgramCtx) -> AppResult<ReportPage> {
    let pc = pc.staff()?;
    let org = &pc.org;
    let mut conn = org.conn().await?;
    let params = repo::parameters(&mut conn, org.org.id, pc.program.id).await?;
    let people = repo::people(&mut conn, org.org.id, pc.program.id).await?;
    let values = repo::measurements(&mut conn, org.org.id, pc.program.id).await?;
    crate::audit::record(
        &mut conn,
        org,
        "monitoring.report",
        None,
        &format!("программа {}", pc.program.id),
    )
    .await?;
    drop(conn);
    let mut by: HashMap<(Uuid, Uuid), (Option<f64>, Option<f64>)> = HashMap::new();
    for (param, person, stage, v) in values {
        let e = by.entry((param, person)).or_default();
        if stage == "entry" {
            e.0 = Some(v);
        } else {
            e.1 = Some(v);
        }
    }
    let mut missing: Vec<String> = Vec::new();
    let reports = params
        .iter()
        .map(|p| {
            let of_role: Vec<&repo::Person> = people.iter().filter(|x| x.role == p.role).collect();
            let vals = |pick: &dyn Fn(&repo::Person) -> bool| -> Vec<(Option<f64>, Option<f64>)> {
                of_role
                    .iter()
                    .filter(|x| pick(x))
                    .map(|x| by.get(&(p.id, x.person_id)).copied().unwrap_or_default())
                    .collect()
            };
            let all = model::influence(&vals(&|_| true), p.higher_is_better);
            let mut groups: Vec<(String, Influence)> = vec![("все".into(), all.clone())];
            if p.role == Side::Mentee {
                let with = model::influence(&vals(&|x| x.paired), p.higher_is_better);
                let without = model::influence(&vals(&|x| !x.paired), p.higher_is_better);
                if with.paired > 0 && without.paired > 0 {
                    groups.push(("с парой".into(), with));
                    groups.push(("без пары".into(), without));
                }
            }
            // The form variants of the pairs, compared when two or more have data.
            let mut variants: Vec<&str> = of_role
                .iter()
                .filter_map(|x| x.variant.as_deref())
                .collect();
            variants.sort();
            variants.dedup();
            let by_variant: Vec<(String, Influence)> = variants
                .iter()
                .map(|v| {
                    let i = model::influence(
                        &vals(&|x| x.variant.as_deref() == Some(*v)),
                        p.higher_is_better,
                    );
                    (format!("вариант «{v}»"), i)
                })
                .filter(|(_, i)| i.paired > 0)
                .collect();
            if by_variant.len() > 1 {
                groups.extend(by_variant);
            }
            for x in &of_role {
                let (b, a) = by.get(&(p.id, x.person_id)).copied().unwrap_or_default();
                let lacks = match (b, a) {
                    (None, None) => Some("нет обоих замеров"),
                    (None, Some(_)) => Some("нет входного замера"),
                    (Some(_), None) => Some("нет итогового замера"),
                    _ => None,
                };
                if let Some(l) = lacks {
                    missing.push(format!("{} — «{}»: {l}", x.name, p.title));
                }
            }
            let refs: Vec<(&str, &Influence)> =
                groups.iter().map(|(g, i)| (g.as_str(), i)).collect();
            ParamReport {
                title: p.title.clone(),
                role: if p.role == Side::Mentor {
                    "наставники"
                } else {
                    "наставляемые"
                },
                direction: if p.higher_is_better {
                    "чем больше, тем лучше"
                } else {
                    "чем меньше, тем лучше"
                },
                chart: chart(p, &refs),
                missing_before: all.missing_before,
                missing_after: all.missing_after,
                groups: groups
                    .iter()
                    .enumerate()
                    .map(|(k, (g, i))| line(k, g, i))
                    .collect(),
            }
        })
        .collect();
    Ok(ReportPage {
        ctx: org.page(
            format!("Влияние программы — {}", pc.program.name),
            "programs",
        ),
        prog: org.paths().in_program(pc.program.id),
        program_name: pc.program.name.clone(),
        params: reports,
        missing,
    })
}
