//! The answers summed up per question (shares, median, histogram), shown as text, and a section's score.

#[allow(unused_imports)]
use super::*;

#[derive(Clone, Debug, PartialEq)]
pub enum Summary {
    /// (option, count, share in %) for choice-like questions, in option order.
    Counts {
        answered: usize,
        rows: Vec<(String, usize, u32)>,
    },
    /// Scales and numbers: mean, median and a histogram (bucket label, count).
    Numbers {
        answered: usize,
        mean: f64,
        median: f64,
        histogram: Vec<(String, usize)>,
    },
    Texts {
        answered: usize,
        texts: Vec<String>,
    },
    /// Availability: count per cell, days × parts.
    Grid {
        answered: usize,
        cells: Vec<Vec<usize>>,
    },
}

pub(super) fn share(n: usize, of: usize) -> u32 {
    (n * 100 + of / 2).checked_div(of).unwrap_or(0) as u32
}

pub fn median(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Summarises the answers to `q`; `names` turns person ids into names for ranked choices.
pub fn summarize(q: &Question, answers: &[&Raw], names: &dyn Fn(&str) -> String) -> Summary {
    let values: Vec<Vec<String>> = answers
        .iter()
        .map(|r| clean(r.get(&q.key)))
        .filter(|v| !v.is_empty())
        .collect();
    let answered = values.len();
    match q.kind() {
        Kind::Single | Kind::Multiple => {
            let rows = q
                .options
                .iter()
                .map(|o| {
                    let n = values.iter().filter(|v| v.contains(o)).count();
                    (o.clone(), n, share(n, answered))
                })
                .collect();
            Summary::Counts { answered, rows }
        }
        Kind::YesNo => {
            let yes = values.iter().filter(|v| v[0] == "yes").count();
            let no = answered - yes;
            Summary::Counts {
                answered,
                rows: vec![
                    ("да".into(), yes, share(yes, answered)),
                    ("нет".into(), no, share(no, answered)),
                ],
            }
        }
        Kind::RankPeople => {
            // First choices count most: how often each person was named first, then anywhere.
            let mut by: BTreeMap<String, (usize, usize)> = BTreeMap::new();
            for v in &values {
                for (i, id) in v.iter().enumerate() {
                    let e = by.entry(id.clone()).or_default();
                    if i == 0 {
                        e.0 += 1;
                    }
                    e.1 += 1;
                }
            }
            let mut rows: Vec<(String, usize, u32)> = by
                .into_iter()
                .map(|(id, (first, any))| {
                    (
                        format!("{} (первым выбором: {first})", names(&id)),
                        any,
                        share(any, answered),
                    )
                })
                .collect();
            rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            Summary::Counts { answered, rows }
        }
        Kind::Scale | Kind::Number => {
            let mut nums: Vec<f64> = values.iter().filter_map(|v| parse_number(&v[0])).collect();
            nums.sort_by(|a, b| a.total_cmp(b));
            let answered = nums.len();
            let mean = if nums.is_empty() {
                0.0
            } else {
                nums.iter().sum::<f64>() / nums.len() as f64
            };
            let histogram = if q.kind() == Kind::Scale {
                let max = if q.scale_max == 10 { 10 } else { 5 };
                (1..=max)
                    .map(|k| {
                        (
                            k.to_string(),
                            nums.iter().filter(|n| **n as u32 == k).count(),
                        )
                    })
                    .collect()
            } else {
                histogram(&nums, 8)
            };
            Summary::Numbers {
                answered,
                mean,
                median: median(&nums),
                histogram,
            }
        }
        Kind::ShortText | Kind::LongText | Kind::Date => Summary::Texts {
            answered,
            texts: values.iter().map(|v| v[0].clone()).collect(),
        },
        Kind::Availability => {
            let mut cells = vec![vec![0usize; PARTS.len()]; DAYS.len()];
            for v in &values {
                for c in v {
                    if let Some((d, p)) = c.split_once('-')
                        && let (Some(di), Some(pi)) = (
                            DAYS.iter().position(|(x, _)| *x == d),
                            PARTS.iter().position(|(x, _)| *x == p),
                        )
                    {
                        cells[di][pi] += 1;
                    }
                }
            }
            Summary::Grid { answered, cells }
        }
    }
}

/// Equal-width buckets over the sorted numbers.
pub fn histogram(sorted: &[f64], buckets: usize) -> Vec<(String, usize)> {
    let (Some(lo), Some(hi)) = (sorted.first(), sorted.last()) else {
        return Vec::new();
    };
    if lo == hi {
        return vec![(fmt_num(*lo), sorted.len())];
    }
    let width = (hi - lo) / buckets as f64;
    let mut out: Vec<(String, usize)> = (0..buckets)
        .map(|i| {
            (
                format!(
                    "{}–{}",
                    fmt_num(lo + width * i as f64),
                    fmt_num(lo + width * (i + 1) as f64)
                ),
                0,
            )
        })
        .collect();
    for n in sorted {
        let i = (((n - lo) / width) as usize).min(buckets - 1);
        out[i].1 += 1;
    }
    out
}

/// Text of an answer for display and export.
pub fn display(q: &Question, v: &[String], names: &dyn Fn(&str) -> String) -> String {
    let v: Vec<&String> = v.iter().filter(|s| !s.trim().is_empty()).collect();
    match q.kind() {
        Kind::YesNo => v
            .first()
            .map(|s| {
                if s.as_str() == "yes" {
                    "да"
                } else {
                    "нет"
                }
            })
            .unwrap_or("")
            .to_string(),
        Kind::Availability => v
            .iter()
            .filter_map(|c| {
                let (d, p) = c.split_once('-')?;
                Some(format!(
                    "{} {}",
                    DAYS.iter().find(|(x, _)| *x == d)?.1,
                    PARTS.iter().find(|(x, _)| *x == p)?.1
                ))
            })
            .collect::<Vec<_>>()
            .join(", "),
        Kind::RankPeople => v
            .iter()
            .enumerate()
            .map(|(i, id)| format!("{}. {}", i + 1, names(id)))
            .collect::<Vec<_>>()
            .join("; "),
        Kind::Date => v
            .first()
            .and_then(|s| crate::web::forms::parse_date(s))
            .map(crate::web::forms::ru_date)
            .unwrap_or_default(),
        _ => v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
    }
}

/// The mentor test: the mean of the scale answers per section, and the sections below `bar` —
/// the gaps to work on in training (the test does not pass or fail anyone).
pub fn section_scores(def: &Definition, raw: &Raw, bar: f64) -> Vec<(String, f64, bool)> {
    def.sections
        .iter()
        .filter_map(|s| {
            let nums: Vec<f64> = s
                .questions
                .iter()
                .filter(|q| q.kind() == Kind::Scale)
                .filter_map(|q| {
                    raw.get(&q.key)
                        .and_then(|v| v.first())
                        .and_then(|v| parse_number(v))
                })
                .collect();
            if nums.is_empty() {
                return None;
            }
            let mean = nums.iter().sum::<f64>() / nums.len() as f64;
            Some((s.title.clone(), mean, mean < bar))
        })
        .collect()
}
