//! The order as a document — its heading, preamble, points and the appendix table — built once
//! from plain data, so the print page and the DOCX file say the same words.

use chrono::NaiveDate;

use crate::web::forms::ru_date;

crate::codes! {
    /// Where an order stands: a draft the curator prepares, or approved by the director — then
    /// frozen. Stored as its code in `pair_orders.status`.
    pub enum OrderStatus: "order status" {
        Draft = "draft" => "проект",
        Approved = "approved" => "утверждён",
    }
}

/// One row of «Приложение № 1»: a pair or group.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Row {
    /// «Иванова Мария Петровна, учитель математики».
    pub mentor: String,
    /// «Петров Пётр, 7А» (one line per mentee of a group).
    pub mentees: Vec<String>,
    pub form: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Everything the document says (kept as JSON once the order is approved).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Doc {
    pub org_full_name: String,
    /// The short name («МБОУ «СОШ № 1»»): abbreviations do not decline, so the preamble can say
    /// «Положением о наставничестве МБОУ …».
    pub org_short_name: String,
    pub place: String,
    /// Empty on a draft: the blank «№ ____» is left for the director.
    pub number: String,
    pub signed_on: Option<NaiveDate>,
    pub program: String,
    pub plans_due: NaiveDate,
    pub curator: String,
    pub director: String,
    /// Pairs fixed by this order.
    pub fixes: Vec<Row>,
    /// Pairs this order cancels (an amending order).
    pub cancels: Vec<Row>,
}

impl Doc {
    pub fn title(&self) -> &'static str {
        if self.fixes.is_empty() {
            "О внесении изменений в состав наставнических пар (групп)"
        } else {
            "О закреплении наставнических пар (групп)"
        }
    }

    pub fn date_line(&self) -> String {
        self.signed_on
            .map(ru_date)
            .unwrap_or_else(|| "«___» ____________ 20__ г.".into())
    }

    pub fn number_line(&self) -> String {
        if self.number.is_empty() {
            "№ ______".into()
        } else {
            format!("№ {}", self.number)
        }
    }

    pub fn preamble(&self) -> String {
        format!(
            "В соответствии с Положением о наставничестве {} и в целях реализации программы \
             наставничества «{}»",
            self.org_short_name, self.program
        )
    }

    /// The numbered points after «ПРИКАЗЫВАЮ:».
    pub fn points(&self) -> Vec<String> {
        let mut points = Vec::new();
        if !self.fixes.is_empty() {
            points.push(
                "Закрепить наставнические пары (группы) согласно приложению № 1 к настоящему приказу."
                    .to_string(),
            );
        }
        if !self.cancels.is_empty() {
            let n = if self.fixes.is_empty() { 1 } else { 2 };
            points.push(format!(
                "Прекратить работу наставнических пар (групп) согласно приложению № {n} к \
                 настоящему приказу; наставляемых вернуть к подбору наставника."
            ));
        }
        let curator = if self.curator.is_empty() {
            "__________________".to_string()
        } else {
            self.curator.clone()
        };
        // The name stays in the nominative (names are not declined automatically): «куратором
        // … назначается Кузнецова Ольга Петровна».
        points.push(format!(
            "Куратором реализации программы наставничества назначается {curator}."
        ));
        if !self.fixes.is_empty() {
            points.push(format!(
                "Наставникам в срок до {} составить совместно с наставляемыми индивидуальные \
                 планы развития и вести журнал наставника.",
                ru_date(self.plans_due)
            ));
        }
        points.push(
            "Куратору обеспечить мониторинг реализации программы наставничества и \
             своевременную отчётность."
                .to_string(),
        );
        points.push("Контроль исполнения настоящего приказа оставляю за собой.".to_string());
        points
    }

    /// The appendices: (caption, rows).
    pub fn appendices(&self) -> Vec<(String, &[Row])> {
        let mut out = Vec::new();
        if !self.fixes.is_empty() {
            out.push((
                "Состав наставнических пар (групп)".to_string(),
                self.fixes.as_slice(),
            ));
        }
        if !self.cancels.is_empty() {
            out.push((
                "Наставнические пары (группы), работа которых прекращается".to_string(),
                self.cancels.as_slice(),
            ));
        }
        out
    }

    /// «к приказу от … № …».
    pub fn appendix_ref(&self) -> String {
        format!("к приказу от {} {}", self.date_line(), self.number_line())
    }
}

/// The columns of the appendix.
pub const COLUMNS: [&str; 5] = [
    "№",
    "ФИО наставника, должность/класс",
    "ФИО наставляемого, класс/группа",
    "Форма (вариант)",
    "Срок с–по",
];

pub fn term(r: &Row) -> String {
    format!("{} – {}", ru_date(r.from), ru_date(r.to))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(fixes: usize, cancels: usize) -> Doc {
        let d = NaiveDate::from_ymd_opt(2026, 9, 1).expect("date");
        let row = Row {
            mentor: "Иванова Мария Петровна, учитель".into(),
            mentees: vec!["Петров Пётр, 7А".into()],
            form: "ученик – ученик".into(),
            from: d,
            to: d,
        };
        Doc {
            org_full_name: "МБОУ СОШ № 1".into(),
            org_short_name: "МБОУ СОШ № 1".into(),
            place: "Самара".into(),
            number: String::new(),
            signed_on: None,
            program: "Клуб".into(),
            plans_due: d,
            curator: "Смирнова А. А.".into(),
            director: String::new(),
            fixes: vec![row.clone(); fixes],
            cancels: vec![row; cancels],
        }
    }

    #[test]
    fn a_fixing_order_has_the_six_usual_points() {
        let d = doc(2, 0);
        let p = d.points();
        assert_eq!(p.len(), 5);
        assert!(p[0].starts_with("Закрепить"));
        assert!(p[1].contains("Смирнова"));
        assert!(p[2].contains("01.09.2026"));
        assert!(p[4].starts_with("Контроль"));
        assert_eq!(d.title(), "О закреплении наставнических пар (групп)");
        assert_eq!(d.number_line(), "№ ______");
    }

    #[test]
    fn an_amending_order_cancels_and_has_its_own_title() {
        let d = doc(0, 1);
        assert!(d.points()[0].contains("Прекратить"));
        assert!(d.points()[0].contains("приложению № 1"));
        assert_eq!(d.appendices().len(), 1);
        assert!(d.title().contains("изменений"));
        let both = doc(1, 1);
        assert!(both.points()[1].contains("приложению № 2"));
        assert_eq!(both.appendices().len(), 2);
    }
}
