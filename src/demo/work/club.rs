//! The club's pairs one by one: the weekly pair with a plan and a diary, the group that found its fit, the pair at risk, the pair that does not fit.

#[allow(unused_imports)]
use super::*;

/// Pair 1 of the club: every week, both content; a planned meeting ahead; a plan and a diary.
pub(super) async fn pair_one(
    conn: &mut PgConnection,
    org_id: Uuid,
    (pair, mentor, kid): (Uuid, Uuid, Uuid),
    curator: Uuid,
    today: NaiveDate,
) -> Result<(), anyhow::Error> {
    // Pair 1: every week, both content; a planned meeting ahead; a plan and a diary.
    let p = pair;
    let mut held = Vec::new();
    for d in [
        (
            "intro",
            -35,
            "Знакомство: интересы, любимые предметы",
            "Договорились встречаться по средам",
            "",
        ),
        (
            "trial",
            -28,
            "Пробная работа: дроби",
            "Решили 6 задач, стало понятнее",
            "",
        ),
        (
            "planning",
            -21,
            "Индивидуальный план",
            "Поставили три цели на четверть",
            "",
        ),
        (
            "regular",
            -14,
            "Подготовка к контрольной",
            "Контрольная написана на «4»",
            "",
        ),
        (
            "regular",
            -7,
            "Проект по окружающему миру",
            "Собрали материал",
            "",
        ),
        (
            "regular",
            -1,
            "Повторение: проценты",
            "Разобрали ошибки",
            "",
        ),
    ] {
        held.push(meet(conn, org_id, p, curator, today, d, &[]).await?);
    }
    meet(
        conn,
        org_id,
        p,
        curator,
        today,
        ("regular", 6, "Задачи на движение", "", ""),
        &[],
    )
    .await?;
    for (i, id) in held.iter().enumerate() {
        let fit = (i == 1).then_some("yes");
        rate(
            conn,
            org_id,
            *id,
            kid,
            5,
            fit,
            if i == 0 {
                "Было интересно!"
            } else {
                ""
            },
        )
        .await?;
        rate(conn, org_id, *id, mentor, 4 + (i % 2) as i16, fit, "").await?;
    }
    let goals = plan(
        conn,
        org_id,
        (p, kid, curator),
        "study",
        &[
            (
                "Исправить оценку по математике на «4»",
                "months",
                "study",
                "3",
                "active",
                60,
            ),
            (
                "Выступить на школьной конференции",
                "half",
                "personal",
                "2",
                "new",
                0,
            ),
            (
                "Научиться решать задачи на дроби",
                "months",
                "study",
                "4",
                "done",
                100,
            ),
        ],
        today,
    )
    .await?;
    diary(
        conn,
        org_id,
        p,
        kid,
        curator,
        -27,
        (
            "Решали дроби",
            "Поняла, как приводить к общему знаменателю",
            "Задачи со скобками",
        ),
        4,
        goals.get(2).copied(),
        today,
    )
    .await?;
    diary(
        conn,
        org_id,
        p,
        kid,
        curator,
        -13,
        ("Готовились к контрольной", "Написала на «4»!", ""),
        5,
        goals.first().copied(),
        today,
    )
    .await?;
    diary(
        conn,
        org_id,
        p,
        kid,
        curator,
        -6,
        ("Проект", "Нашли интересные факты", "Мало времени"),
        3,
        None,
        today,
    )
    .await?;
    Ok(())
}

/// The club's day-to-day writes, each with the organization, the curator and today.
struct Club<'a> {
    conn: &'a mut PgConnection,
    org_id: Uuid,
    curator: Uuid,
    today: NaiveDate,
}

impl Club<'_> {
    async fn meet(
        &mut self,
        pair: Uuid,
        d: Demo,
        attendance: &[(Uuid, bool)],
    ) -> Result<Uuid, sqlx::Error> {
        let (org, by, today) = (self.org_id, self.curator, self.today);
        meet(self.conn, org, pair, by, today, d, attendance).await
    }

    /// Feedback on `meeting`: (person, rating, fit, comment) each.
    async fn rate(
        &mut self,
        meeting: Uuid,
        feedback: &[(Uuid, i16, Option<&str>, &str)],
    ) -> Result<(), sqlx::Error> {
        for (person, rating, fit, comment) in feedback {
            rate(
                self.conn,
                self.org_id,
                meeting,
                *person,
                *rating,
                *fit,
                comment,
            )
            .await?;
        }
        Ok(())
    }
}

/// Pairs 3 to 5 of the club: a group that found its fit, a pair at risk, a pair that does not fit.
pub(super) async fn pairs_three_to_five(
    conn: &mut PgConnection,
    org_id: Uuid,
    (club, curator): (Uuid, Uuid),
    pairs: &[Uuid],
    groups: &[(Uuid, Vec<Uuid>)],
    today: NaiveDate,
) -> Result<(), anyhow::Error> {
    let mut at = Club {
        conn,
        org_id,
        curator,
        today,
    };
    // Pair 3: a group of two; «пока не ясно» then «подходим»; a cancelled meeting; an absence.
    let p = pairs[2];
    let (kid1, kid2) = (groups[2].1[0], groups[2].1[1]);
    let both = [(kid1, true), (kid2, true)];
    let intro = at
        .meet(
            p,
            (
                "intro",
                -33,
                "Знакомство группы",
                "Придумали название команды",
                "",
            ),
            &both,
        )
        .await?;
    let trial = at
        .meet(
            p,
            (
                "trial",
                -26,
                "Пробная встреча: настольные игры",
                "Сыграли в шахматы",
                "",
            ),
            &both,
        )
        .await?;
    at.meet(
        p,
        ("planning", -19, "План группы", "", "Карантин в 5А"),
        &[],
    )
    .await?;
    let regular = at
        .meet(
            p,
            (
                "regular",
                -12,
                "Шахматная задача недели",
                "Решили две задачи",
                "",
            ),
            &[(kid1, true), (kid2, false)],
        )
        .await?;
    at.meet(
        p,
        (
            "planning",
            -5,
            "План группы (перенесённая встреча)",
            "Цели на каждого",
            "",
        ),
        &both,
    )
    .await?;
    at.rate(intro, &[(kid1, 5, None, "")]).await?;
    at.rate(
        trial,
        &[
            (kid1, 4, Some("yes"), ""),
            (kid2, 3, Some("unsure"), "Пока непривычно"),
            (groups[2].0, 4, Some("yes"), ""),
        ],
    )
    .await?;
    at.rate(regular, &[(kid2, 4, Some("yes"), "")]).await?;
    for j in 0..2 {
        plan(
            at.conn,
            org_id,
            (p, groups[2].1[j], curator),
            "sport",
            &[(
                "Разряд по шахматам",
                "year",
                "sport",
                "3",
                "active",
                10 + 20 * j as i16,
            )],
            today,
        )
        .await?;
    }
    // Pair 4: at risk — one meeting five weeks ago, nothing since.
    let id = at
        .meet(
            pairs[3],
            ("intro", -36, "Знакомство", "Договорились созвониться", ""),
            &[],
        )
        .await?;
    at.rate(id, &[(groups[3].1[0], 3, None, "")]).await?;
    // Pair 5: «не подходим» after the trial meeting, and the curator's task to review it.
    let p = pairs[4];
    let kid = groups[4].1[0];
    let intro = at
        .meet(
            p,
            ("intro", -30, "Знакомство", "Поговорили об интересах", ""),
            &[],
        )
        .await?;
    let trial = at
        .meet(
            p,
            (
                "trial",
                -9,
                "Пробная встреча: английский",
                "Разобрали тему",
                "",
            ),
            &[],
        )
        .await?;
    at.rate(intro, &[(kid, 3, None, "")]).await?;
    at.rate(
        trial,
        &[
            (
                kid,
                2,
                Some("no"),
                "Мне неловко, хотелось бы другого наставника",
            ),
            (groups[4].0, 3, Some("unsure"), ""),
        ],
    )
    .await?;
    crate::programs::roadmap::add_curator_task(
        at.conn,
        org_id,
        club,
        "Рассмотреть пару: наставляемый ответил «не подходим» после пробной встречи",
        today + Duration::days(2),
        curator,
    )
    .await?;
    Ok(())
}
