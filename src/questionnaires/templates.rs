//! Built-in questionnaires in Russian, created for every organization and copyable. The choice
//! questions that matching scores share a matching key and the same options on both sides:
//! `help_areas`, `interests`, `frequency`, `format`, and the `availability` grid.

use super::model::{Definition, Kind, Question, Section};

pub const HELP_AREAS: [&str; 12] = [
    "учёба: математика",
    "учёба: русский язык и литература",
    "учёба: другие предметы",
    "подготовка к экзаменам (ОГЭ, ЕГЭ)",
    "адаптация в классе, общение",
    "уверенность в себе",
    "проектная и исследовательская работа",
    "творчество",
    "спорт и здоровый образ жизни",
    "выбор профессии",
    "цифровые навыки",
    "организация времени и учёбы",
];

/// Spheres of work: the mentee's career interests and the mentor's (employer's) field, compared
/// by the rule of «работодатель – ученик».
pub const FIELDS: [&str; 10] = [
    "IT и связь",
    "инженерия и строительство",
    "энергетика и промышленность",
    "медицина и здоровье",
    "образование",
    "творчество и дизайн",
    "бизнес и финансы",
    "транспорт и логистика",
    "сельское хозяйство и экология",
    "госслужба и право",
];

pub const INTERESTS: [&str; 12] = [
    "программирование",
    "робототехника",
    "рисование и дизайн",
    "музыка",
    "театр и кино",
    "спорт",
    "чтение",
    "настольные игры и шахматы",
    "волонтёрство",
    "естественные науки",
    "история и краеведение",
    "видео и блогинг",
];

pub const FREQUENCY: [&str; 3] = ["раз в неделю", "два раза в месяц", "раз в месяц"];
pub const FORMAT: [&str; 3] = ["очно", "онлайн", "очно и онлайн"];

struct B {
    def: Definition,
    n: u32,
}

impl B {
    fn new() -> Self {
        B {
            def: Definition::default(),
            n: 0,
        }
    }

    fn section(mut self, title: &str) -> Self {
        self.def.sections.push(Section {
            title: title.into(),
            questions: Vec::new(),
        });
        self
    }

    fn q(mut self, kind: Kind, text: &str, f: impl FnOnce(&mut Question)) -> Self {
        self.n += 1;
        let mut q = Question {
            key: format!("q{}", self.n),
            kind: Some(kind),
            text: text.into(),
            ..Default::default()
        };
        f(&mut q);
        if self.def.sections.is_empty() {
            self.def.sections.push(Section::default());
        }
        if let Some(s) = self.def.sections.last_mut() {
            s.questions.push(q);
        }
        self
    }

    fn done(self) -> Definition {
        self.def
    }

    /// A part built by a function (shared between templates).
    fn then(self, f: impl FnOnce(B) -> B) -> B {
        f(self)
    }
}

/// The «Встречи» section the mentor and mentee forms share, with the same matching keys and
/// options on both sides (frequency, format, availability).
fn meetings(b: B, how_often: &str, availability_help: &str) -> B {
    b.section("Встречи")
        .q(Kind::Single, how_often, |q| {
            q.required = true;
            q.options = opts(&FREQUENCY);
            q.matching_key = "frequency".into();
        })
        .q(
            Kind::Single,
            "В каком формате удобнее встречаться?",
            |q| {
                q.required = true;
                q.options = opts(&FORMAT);
                q.matching_key = "format".into();
            },
        )
        .q(
            Kind::Availability,
            "Когда вам удобно встречаться?",
            |q| {
                q.required = true;
                q.matching_key = "availability".into();
                q.help = availability_help.into();
            },
        )
}

fn opts(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn scale10(b: B, text: &str) -> B {
    b.q(Kind::Scale, text, |q| {
        q.required = true;
        q.scale_max = 10;
        q.min_label = "совсем нет".into();
        q.max_label = "полностью".into();
    })
}

fn scale5(b: B, text: &str) -> B {
    b.q(Kind::Scale, text, |q| {
        q.required = true;
        q.scale_max = 5;
        q.min_label = "не согласен".into();
        q.max_label = "полностью согласен".into();
    })
}

fn mentor_form() -> Definition {
    B::new()
        .section("О себе")
        .q(
            Kind::LongText,
            "Почему вы хотите стать наставником?",
            |q| {
                q.required = true;
                q.help = "Пара предложений: что вас мотивирует.".into();
            },
        )
        .q(
            Kind::Multiple,
            "В чём вы можете помочь?",
            |q| {
                q.required = true;
                q.options = opts(&HELP_AREAS);
                q.max_choices = 4;
                q.matching_key = "help_areas".into();
                q.help = "Не больше четырёх вариантов.".into();
            },
        )
        .q(Kind::LongText, "Ваши сильные стороны и навыки", |_| {})
        .q(Kind::Multiple, "Ваши интересы", |q| {
            q.options = opts(&INTERESTS);
            q.max_choices = 5;
            q.matching_key = "interests".into();
        })
        .q(Kind::YesNo, "Был ли у вас опыт наставничества?", |_| {})
        .then(|b| {
            meetings(
                b,
                "Как часто вы готовы встречаться?",
                "Отметьте все удобные дни и время.",
            )
        })
        .section("Профессии")
        .q(
            Kind::Multiple,
            "О каких профессиональных сферах вы можете рассказать?",
            |q| {
                q.options = opts(&FIELDS);
                q.max_choices = 3;
                q.matching_key = "fields".into();
                q.help = "Для программ с предприятиями: ваша сфера работы.".into();
            },
        )
        .done()
}

fn mentee_form() -> Definition {
    B::new()
        .section("Мой запрос")
        .q(
            Kind::Multiple,
            "С чем вам нужна помощь?",
            |q| {
                q.required = true;
                q.options = opts(&HELP_AREAS);
                q.max_choices = 3;
                q.matching_key = "help_areas".into();
                q.help = "Выберите до трёх самых важных.".into();
            },
        )
        .q(
            Kind::LongText,
            "Чего вы хотите добиться с наставником?",
            |q| {
                q.required = true;
            },
        )
        .q(Kind::Multiple, "Чем вы увлекаетесь?", |q| {
            q.options = opts(&INTERESTS);
            q.max_choices = 5;
            q.matching_key = "interests".into();
        })
        .then(|b| meetings(b, "Как часто вы хотели бы встречаться?", ""))
        .section("Профессии")
        .q(
            Kind::Multiple,
            "Какие профессии вам интересны?",
            |q| {
                q.options = opts(&FIELDS);
                q.max_choices = 3;
                q.matching_key = "fields".into();
            },
        )
        .done()
}

fn mentor_test() -> Definition {
    let mut b = B::new().section("Общение");
    b = scale5(b, "Мне легко начать разговор с незнакомым человеком");
    b = scale5(b, "Я умею объяснять сложное простыми словами");
    b = b.section("Эмпатия");
    b = scale5(
        b,
        "Я замечаю, когда собеседнику тяжело, даже если он об этом не говорит",
    );
    b = scale5(b, "Я могу выслушать, не перебивая и не давая сразу советов");
    b = b.section("Психологическая готовность");
    b = scale5(
        b,
        "Я спокойно отношусь к тому, что у наставляемого может не получаться",
    );
    b = scale5(
        b,
        "Я знаю, к кому обратиться, если столкнусь с трудной ситуацией",
    );
    b = b.section("Ответственность");
    b = scale5(b, "Я выполняю обещания и прихожу на встречи вовремя");
    b = scale5(
        b,
        "Я готов(а) регулярно уделять наставничеству время в течение года",
    );
    b.q(
        Kind::LongText,
        "Чему вы хотели бы научиться на обучении наставников?",
        |_| {},
    )
    .done()
}

fn preferences() -> Definition {
    B::new()
        .section("После групповой встречи")
        .q(
            Kind::RankPeople,
            "С кем вы хотели бы работать? Выберите до трёх человек по порядку",
            |q| {
                q.required = true;
                q.rank_max = 3;
                q.help = "Первым — тот, с кем хочется больше всего.".into();
            },
        )
        .q(Kind::LongText, "Почему вы выбрали именно их?", |_| {})
        .done()
}

fn meeting_feedback() -> Definition {
    B::new()
        .section("О встрече")
        .q(Kind::Scale, "Оцените встречу", |q| {
            q.required = true;
            q.scale_max = 5;
            q.min_label = "плохо".into();
            q.max_label = "отлично".into();
        })
        .q(Kind::LongText, "Что было полезно?", |_| {})
        .q(Kind::LongText, "Комментарий", |_| {})
        .done()
}

fn satisfaction(for_mentors: bool) -> Definition {
    let mut b = B::new().section("Оценки");
    b = scale10(b, "Насколько эффективной была программа для вас?");
    b = scale10(b, "Насколько комфортно вам было работать в паре?");
    b = scale10(b, "Насколько полезными были встречи?");
    b = scale10(b, "Насколько понятным был план работы?");
    b = scale10(
        b,
        if for_mentors {
            "Насколько вы чувствовали поддержку куратора?"
        } else {
            "Насколько вы чувствовали поддержку наставника?"
        },
    );
    b = scale10(b, "Насколько оправдались ваши ожидания?");
    b.section("Встречи и итоги")
        .q(
            Kind::Single,
            "Как часто проходили встречи?",
            |q| {
                q.options = opts(&[
                    "чаще раза в неделю",
                    "раз в неделю",
                    "два раза в месяц",
                    "раз в месяц",
                    "реже раза в месяц",
                ]);
            },
        )
        .q(Kind::LongText, "Что было самым ценным?", |_| {})
        .q(Kind::LongText, "Чего не хватало?", |_| {})
        .q(
            Kind::YesNo,
            "Хотели бы вы продолжить работу в программе?",
            |q| q.required = true,
        )
        .q(
            Kind::YesNo,
            if for_mentors {
                "Готовы ли вы снова стать наставником?"
            } else {
                "Хотели бы вы сами стать наставником?"
            },
            |q| q.required = true,
        )
        .done()
}

fn monitoring() -> Definition {
    let mut b = B::new().section("Параметры участника");
    b = scale10(b, "Учебная мотивация");
    b = scale10(b, "Уверенность в себе");
    b = scale10(b, "Навыки общения");
    b = scale10(b, "Вовлечённость в жизнь школы");
    b = scale10(b, "Удовлетворённость учёбой или работой");
    b.q(
        Kind::Number,
        "Средний балл по итогам четверти",
        |q| {
            q.min = Some(2.0);
            q.max = Some(5.0);
            q.help = "Например, 4,2. Для педагогов можно не заполнять.".into();
        },
    )
    .q(Kind::Date, "Дата оценки", |q| q.required = true)
    .done()
}

/// (template code, title, purpose, definition).
pub fn all() -> Vec<(&'static str, &'static str, &'static str, Definition)> {
    vec![
        (
            "mentor_form",
            "Анкета наставника",
            "mentor_form",
            mentor_form(),
        ),
        (
            "mentee_form",
            "Анкета наставляемого",
            "mentee_form",
            mentee_form(),
        ),
        (
            "mentor_test",
            "Тестирование наставника",
            "mentor_test",
            mentor_test(),
        ),
        (
            "preferences",
            "Предпочтения после групповой встречи",
            "preferences",
            preferences(),
        ),
        (
            "meeting_feedback",
            "Обратная связь после встречи",
            "meeting_feedback",
            meeting_feedback(),
        ),
        (
            "satisfaction_mentors",
            "Удовлетворённость участием в программе (для наставников)",
            "satisfaction",
            satisfaction(true),
        ),
        (
            "satisfaction_mentees",
            "Удовлетворённость участием в программе (для наставляемых)",
            "satisfaction",
            satisfaction(false),
        ),
        (
            "monitoring",
            "Мониторинг участника (начало и конец программы)",
            "monitoring",
            monitoring(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_have_unique_keys_and_matching_keys() {
        let all = all();
        assert_eq!(all.len(), 8);
        for (code, _, _, def) in &all {
            let keys: Vec<&String> = def.questions().map(|q| &q.key).collect();
            let unique: std::collections::HashSet<_> = keys.iter().collect();
            assert_eq!(keys.len(), unique.len(), "{code}");
        }
        let mentor = &all[0].3;
        let mentee = &all[1].3;
        for key in [
            "help_areas",
            "interests",
            "frequency",
            "format",
            "availability",
        ] {
            let a = mentor.questions().find(|q| q.matching_key == key).unwrap();
            let b = mentee.questions().find(|q| q.matching_key == key).unwrap();
            assert_eq!(a.options, b.options, "{key}: both sides share the options");
        }
        assert!(
            all[3]
                .3
                .questions()
                .any(|q| q.kind() == Kind::RankPeople && q.rank_max == 3)
        );
    }
}
