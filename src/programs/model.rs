//! Programs and their roadmap: statuses, the seven-stage template (seed 002, «Дорожная карта»),
//! due dates spread over the program's dates in proportion to the table's months.

use chrono::{Duration, NaiveDate};

pub const PROGRAM_STATUSES: [(&str, &str); 3] = [
    ("draft", "черновик"),
    ("active", "идёт"),
    ("finished", "завершена"),
];

pub const TASK_STATUSES: [(&str, &str); 3] = [
    ("todo", "не начата"),
    ("in_progress", "в работе"),
    ("done", "выполнена"),
];

pub const RESPONSIBLE_ROLES: [(&str, &str); 4] = [
    ("curator", "Куратор"),
    ("director", "Директор"),
    ("mentor", "Наставник"),
    ("mentee", "Наставляемый"),
];

fn label(table: &[(&'static str, &'static str)], code: &str) -> &'static str {
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("—")
}

pub fn program_status_label(code: &str) -> &'static str {
    label(&PROGRAM_STATUSES, code)
}

pub fn task_status_label(code: &str) -> &'static str {
    label(&TASK_STATUSES, code)
}

pub fn role_label(code: &str) -> &'static str {
    label(&RESPONSIBLE_ROLES, code)
}

pub fn is_program_status(code: &str) -> bool {
    PROGRAM_STATUSES.iter().any(|(c, _)| *c == code)
}

pub fn is_task_status(code: &str) -> bool {
    TASK_STATUSES.iter().any(|(c, _)| *c == code)
}

pub fn is_role(code: &str) -> bool {
    RESPONSIBLE_ROLES.iter().any(|(c, _)| *c == code)
}

/// The school year of the template: October (0) … June (8).
pub const TEMPLATE_MONTHS: [&str; 9] = [
    "Октябрь",
    "Ноябрь",
    "Декабрь",
    "Январь",
    "Февраль",
    "Март",
    "Апрель",
    "Май",
    "Июнь",
];

pub struct TemplateStage {
    pub number: i32,
    pub title: &'static str,
    pub task: &'static str,
    pub result: &'static str,
    pub tasks: &'static [TemplateTask],
}

pub struct TemplateTask {
    pub code: &'static str,
    pub title: &'static str,
    /// Index into [`TEMPLATE_MONTHS`] of the first and the last month.
    pub from: usize,
    pub to: usize,
    pub role: &'static str,
}

const fn t(
    code: &'static str,
    title: &'static str,
    from: usize,
    to: usize,
    role: &'static str,
) -> TemplateTask {
    TemplateTask {
        code,
        title,
        from,
        to,
        role,
    }
}

/// The roadmap table of seed 002 («Дорожная карта» модели клуба наставничества), wording kept.
pub const ROADMAP: [TemplateStage; 7] = [
    TemplateStage {
        number: 1,
        title: "Подготовка условий для запуска программы наставничества",
        task: "Информирование о запуске клуба наставничества; сбор предварительных запросов от потенциальных наставляемых и выбор соответствующих этим запросам аудитории для поиска наставников",
        result: "Определены необходимые ресурсы (кадровые, методические, материально-техническая база и т. д.) и возможные источники их привлечения (внутренние и внешние) для организации функционирования целевой модели наставничества",
        tasks: &[
            t(
                "1.1",
                "Информирование педагогов школы о реализации клуба наставничества",
                0,
                0,
                "curator",
            ),
            t(
                "1.2",
                "Информирование родительского сообщества о планируемой реализации клуба наставничества",
                0,
                0,
                "curator",
            ),
            t(
                "1.3",
                "Встреча с сообществом выпускников и/или представителями региональных организаций и предприятий с целью информирования о реализации клуба наставничества",
                0,
                0,
                "curator",
            ),
            t(
                "1.4",
                "Встреча с обучающимися образовательной организации с информированием о реализуемом клубе наставничества",
                0,
                0,
                "curator",
            ),
        ],
    },
    TemplateStage {
        number: 2,
        title: "Формирование базы наставляемых",
        task: "Выявление конкретных проблем обучающихся и педагогов образовательной организации, которые можно решить с помощью наставничества",
        result: "Сформирована база наставляемых с перечнем запросов, необходимая для подбора кандидатов в наставники на следующем этапе",
        tasks: &[
            t(
                "2.1",
                "Проведение анкетирования среди обучающихся/педагогов, желающих принять участие в программе наставничества.",
                0,
                0,
                "curator",
            ),
            t(
                "2.2",
                "Сбор дополнительной информации о запросах наставляемых (обучающиеся/педагоги) от третьих лиц: классный руководитель, психолог, родители.",
                0,
                0,
                "curator",
            ),
            t(
                "2.3",
                "Анализ полученных от наставляемых и третьих лиц данных. Формирование базы наставляемых",
                0,
                0,
                "curator",
            ),
        ],
    },
    TemplateStage {
        number: 3,
        title: "Формирование базы наставников",
        task: "Поиск потенциальных наставников для формирования базы наставников",
        result: "Сформированы базы наставников, которые потенциально могут участвовать как в текущей программе наставничества, так и в будущих программах этой и иных (по запросу и с разрешения наставников) образовательных организаций",
        tasks: &[
            t(
                "3.1",
                "Выбор форм наставничества, реализуемых в рамках текущей программы наставничества",
                0,
                0,
                "curator",
            ),
            t(
                "3.2",
                "Оценка участников-наставляемых по заданным параметрам, необходимым для будущего сравнения и мониторинга влияния программ на всех участников",
                0,
                0,
                "curator",
            ),
            t(
                "3.3",
                "Проведение анкетирования среди потенциальных наставников, желающих принять участие в программе наставничества.",
                0,
                0,
                "curator",
            ),
            t(
                "3.4",
                "Анализ заполненных анкет потенциальных наставников и сопоставление данных с анкетами наставляемых. Формирование базы наставников",
                0,
                0,
                "curator",
            ),
        ],
    },
    TemplateStage {
        number: 4,
        title: "Отбор и обучение наставников",
        task: "Выявление наставников, входящих в базу потенциальных наставников, подходящих для конкретной программы, и их подготовка к работе с наставляемыми",
        result: "Сформирована база готовых к работе наставников, подходящая для конкретной программы и запросов наставляемых конкретной образовательной организации",
        tasks: &[
            t(
                "4.1",
                "Оценка участников-наставников по заданным параметрам, необходимым для будущего сравнения и мониторинга влияния программ на всех участников",
                1,
                1,
                "curator",
            ),
            t(
                "4.2",
                "Проведение собеседования с наставниками (в некоторых случаях с привлечением психолога)",
                1,
                1,
                "curator",
            ),
            t(
                "4.3",
                "Поиск экспертов и материалов для проведения обучения наставников",
                1,
                1,
                "curator",
            ),
            t("4.4", "Обучение наставников", 1, 1, "curator"),
        ],
    },
    TemplateStage {
        number: 5,
        title: "Формирование наставнических пар или групп",
        task: "Формирование пар «наставник — наставляемый» либо группы из наставника и нескольких наставляемых, подходящих друг другу по критериям",
        result: "Сформированы наставнические пары или группы, готовые продолжить работу в рамках клуба",
        tasks: &[
            t(
                "5.1",
                "Организация групповой встречи наставников и наставляемых",
                1,
                1,
                "curator",
            ),
            t(
                "5.2",
                "Проведение анкетирования на предмет предпочитаемого наставника/наставляемого после завершения групповой встречи",
                1,
                1,
                "curator",
            ),
            t(
                "5.3",
                "Анализ анкет групповой встречи и соединение наставников и наставляемых в пары",
                2,
                2,
                "curator",
            ),
            t(
                "5.4",
                "Информирование участников о сложившихся парах/группах. Закрепление пар/групп распоряжением руководителя образовательной организации",
                2,
                2,
                "curator",
            ),
        ],
    },
    TemplateStage {
        number: 6,
        title: "Организация работы наставнических пар или групп",
        task: "Закрепление гармоничных и продуктивных отношений в наставнической паре или группе",
        result: "Сформированы стабильные наставнические отношения, доведенные до логического завершения, реализована цель программы наставничества для конкретной наставнической пары или группы",
        tasks: &[
            t(
                "6.1",
                "Проведение первой, организационной, встречи наставника и наставляемого",
                2,
                2,
                "curator",
            ),
            t(
                "6.2",
                "Проведение второй, пробной рабочей, встречи наставника и наставляемого",
                2,
                2,
                "curator",
            ),
            t(
                "6.3",
                "Проведение встречи-планирования рабочего процесса в рамках программы наставничества с наставником и наставляемым",
                2,
                2,
                "curator",
            ),
            t(
                "6.4",
                "Регулярные еженедельные встречи наставника и наставляемого в рамках клуба",
                2,
                5,
                "curator",
            ),
            t(
                "6.5",
                "Сроки сбора обратной связи от участников программы наставничества",
                6,
                6,
                "curator",
            ),
            t(
                "6.6",
                "Проведение заключительной встречи наставника и наставляемого",
                6,
                6,
                "curator",
            ),
            t(
                "6.7",
                "Проведение групповой заключительной встречи всех пар и групп наставников и наставляемых",
                6,
                6,
                "curator",
            ),
            t(
                "6.8",
                "Анкетирование участников. Проведение мониторинга личной удовлетворенности участием в программе наставничества",
                6,
                6,
                "curator",
            ),
        ],
    },
    TemplateStage {
        number: 7,
        title: "Завершение наставничества",
        task: "Подведение итогов работы каждой пары или группы и всей программы в целом в формате личной и групповой рефлексии, а также проведение открытого публичного мероприятия для популяризации практик наставничества и награждения лучших наставников",
        result: "Достигнуты цели программы наставничества, собраны лучшие наставнические практики, внимание общественности привлечено к деятельности образовательных организаций, запущен процесс пополнения базы наставников и наставляемых",
        tasks: &[
            t(
                "7.1",
                "Приглашение на торжественное мероприятие всех участников программы наставничества",
                7,
                7,
                "director",
            ),
            t(
                "7.2",
                "Проведение торжественного мероприятия для подведения итогов программы наставничества и награждения лучших наставников",
                7,
                7,
                "director",
            ),
            t(
                "7.3",
                "Проведение мониторинга качества реализации программы наставничества",
                7,
                7,
                "curator",
            ),
            t(
                "7.4",
                "Оценка участников по заданным параметрам, проведение второго, заключающего этапа мониторинга влияния программ на всех участников",
                7,
                7,
                "curator",
            ),
            t(
                "7.5",
                "Оформление итогов и процессов совместной работы в рамках программы наставничества в кейсы",
                7,
                7,
                "curator",
            ),
            t(
                "7.6",
                "Публикация результатов работы клуба наставничества, лучших наставников, кейсов на сайтах образовательной организации и организаций-партнеров",
                8,
                8,
                "curator",
            ),
            t(
                "7.7",
                "Внесение данных об итогах реализации программы наставничества в базу наставников и базу наставляемых",
                8,
                8,
                "curator",
            ),
            t(
                "7.8",
                "Формирование долгосрочной базы наставников",
                8,
                8,
                "curator",
            ),
        ],
    },
];

impl TemplateTask {
    /// «Октябрь» or «Декабрь – Март».
    pub fn period(&self) -> String {
        if self.from == self.to {
            TEMPLATE_MONTHS[self.from].to_string()
        } else {
            format!(
                "{} – {}",
                TEMPLATE_MONTHS[self.from], TEMPLATE_MONTHS[self.to]
            )
        }
    }

    /// Due at the end of the task's last month, mapped onto the program's dates: the template's
    /// nine months are spread evenly over `[start, end]`.
    pub fn due_on(&self, start: NaiveDate, end: NaiveDate) -> NaiveDate {
        due_date(start, end, self.to)
    }
}

pub fn due_date(start: NaiveDate, end: NaiveDate, month_index: usize) -> NaiveDate {
    let total = (end - start).num_days().max(0);
    let months = TEMPLATE_MONTHS.len() as i64;
    let k = (month_index as i64 + 1).min(months);
    let offset = (total * k + months / 2) / months;
    start + Duration::days(offset)
}

/// Progress in whole percent (0 when there is nothing to do).
pub fn percent(done: i64, total: i64) -> i64 {
    if total <= 0 {
        0
    } else {
        (done * 100 + total / 2) / total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn template_has_seven_stages_and_all_tasks() {
        assert_eq!(ROADMAP.len(), 7);
        let counts: Vec<usize> = ROADMAP.iter().map(|s| s.tasks.len()).collect();
        assert_eq!(counts, vec![4, 3, 4, 4, 4, 8, 8]);
        for (i, s) in ROADMAP.iter().enumerate() {
            assert_eq!(s.number as usize, i + 1);
            for (j, task) in s.tasks.iter().enumerate() {
                assert_eq!(task.code, format!("{}.{}", i + 1, j + 1));
                assert!(task.from <= task.to && task.to < TEMPLATE_MONTHS.len());
                assert!(is_role(task.role));
            }
        }
        assert_eq!(ROADMAP[5].tasks[3].period(), "Декабрь – Март");
        assert_eq!(ROADMAP[6].tasks[0].role, "director");
    }

    #[test]
    fn due_dates_follow_the_months() {
        // A school year exactly like the table: October 1 … June 30.
        let (s, e) = (d(2026, 10, 1), d(2027, 6, 30));
        let oct = ROADMAP[0].tasks[0].due_on(s, e);
        let june = ROADMAP[6].tasks[7].due_on(s, e);
        assert!(oct > s && oct <= d(2026, 11, 1), "{oct}");
        assert_eq!(june, e);
        let dec_mar = ROADMAP[5].tasks[3].due_on(s, e);
        assert!(
            dec_mar >= d(2027, 3, 25) && dec_mar <= d(2027, 4, 5),
            "{dec_mar}"
        );
    }

    #[test]
    fn due_dates_are_monotone_and_inside_any_program() {
        let (s, e) = (d(2026, 9, 1), d(2026, 12, 20));
        let mut last = s;
        for st in &ROADMAP {
            for task in st.tasks {
                let due = task.due_on(s, e);
                assert!(due >= s && due <= e);
                assert!(due >= last || task.to < 8);
                last = last.max(due);
            }
        }
        // A one-day program still gets dates inside it.
        let one = d(2026, 9, 2);
        assert_eq!(due_date(s, one, 0), s);
        assert_eq!(due_date(s, one, 8), one);
    }

    #[test]
    fn percents() {
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(35, 35), 100);
    }
}
