//! The SQL of the detailed reports, each with its columns (header, kind, width). Every query
//! reads the filters from the CTE `f` (org, d_from, d_to, program, form, class, today, tz), caps
//! its rows at $8, and names people only inside the school.

use super::Kind::{self, Date, Int, Number, Percent, Text};

type Columns = &'static [(&'static str, Kind, f64)];

/// A program matching the filters, as a condition on `g` (programs).
const PROGRAM: &str = "g.org_id = f.org AND (f.program IS NULL OR g.id = f.program)
    AND (f.form IS NULL OR g.form_code = f.form)";

const PARTICIPANTS: Columns = &[
    ("ФИО", Text, 32.0),
    ("Роль", Text, 14.0),
    ("Программа", Text, 30.0),
    ("Форма", Text, 22.0),
    ("Контакты", Text, 28.0),
    ("Законный представитель", Text, 28.0),
    ("Год рождения", Int, 10.0),
    ("Класс / группа", Text, 10.0),
    ("Основной запрос", Text, 36.0),
    ("Дата вхождения в программу", Date, 14.0),
    ("Наставник / наставляемые", Text, 32.0),
    ("Место работы / учёбы наставника", Text, 30.0),
    ("Дата завершения", Date, 14.0),
    ("Результаты", Text, 40.0),
    ("Кейс", Text, 24.0),
];

fn participants() -> String {
    format!(
        "SELECT trim(p.last_name || ' ' || p.first_name || ' ' || p.middle_name),
                CASE e.role WHEN 'mentor' THEN 'наставник' ELSE 'наставляемый' END,
                g.name, fm.title,
                concat_ws(', ', nullif(p.email, ''), nullif(p.phone, '')),
                (SELECT concat_ws(', ', nullif(c.representative_name, ''), nullif(c.representative_email, ''))
                   FROM consents c WHERE c.org_id = p.org_id AND c.person_id = p.id
                    AND c.given_by = 'representative' AND c.withdrawn_on IS NULL
                  ORDER BY c.given_on DESC LIMIT 1),
                extract(year FROM p.birth_date)::bigint,
                p.class_name,
                (SELECT r.text FROM person_requests r WHERE r.org_id = p.org_id AND r.person_id = p.id
                  ORDER BY r.created_at LIMIT 1),
                e.joined_on,
                (SELECT string_agg(DISTINCT trim(o.last_name || ' ' || o.first_name), ', ')
                   FROM pair_members me JOIN pairs x ON x.id = me.pair_id
                   JOIN pair_members mo ON mo.pair_id = x.id AND mo.role <> me.role
                   JOIN people o ON o.id = mo.person_id
                  WHERE me.person_id = p.id AND x.program_id = e.program_id
                    AND x.status IN ('agreed', 'completed')),
                CASE WHEN e.role = 'mentor'
                     THEN concat_ws(', ', nullif(p.position, ''), nullif(p.partner_org, ''), nullif(p.class_name, ''))
                     ELSE (SELECT concat_ws(', ', nullif(o.position, ''), nullif(o.partner_org, ''), nullif(o.class_name, ''))
                             FROM pair_members me JOIN pairs x ON x.id = me.pair_id JOIN people o ON o.id = x.mentor_id
                            WHERE me.person_id = p.id AND me.role = 'mentee' AND x.program_id = e.program_id
                              AND x.status IN ('agreed', 'completed') LIMIT 1) END,
                (SELECT max(r.ended_on) FROM pair_results r JOIN pair_members me ON me.pair_id = r.pair_id
                   JOIN pairs x ON x.id = r.pair_id
                  WHERE me.person_id = p.id AND x.program_id = e.program_id),
                e.results,
                (SELECT '/o/' || o.slug || '/cases/' || c.id FROM cases c JOIN organizations o ON o.id = c.org_id
                  WHERE c.org_id = e.org_id AND c.program_id = e.program_id AND c.published LIMIT 1)
           FROM f, enrolments e
           JOIN people p ON p.org_id = e.org_id AND p.id = e.person_id
           JOIN programs g ON g.org_id = e.org_id AND g.id = e.program_id
           JOIN mentoring_forms fm ON fm.code = g.form_code
          WHERE e.org_id = f.org AND {PROGRAM} AND p.anonymized_at IS NULL
            AND (f.class IS NULL OR p.class_name = f.class)
            AND g.starts_on <= f.d_to AND g.ends_on >= f.d_from
          ORDER BY g.name, e.role DESC, p.last_name COLLATE ru_icu, p.first_name COLLATE ru_icu
          LIMIT $8"
    )
}

const PAIRS: Columns = &[
    ("Программа", Text, 30.0),
    ("Форма", Text, 22.0),
    ("Вариант", Text, 28.0),
    ("Наставник", Text, 28.0),
    ("Наставляемые", Text, 40.0),
    ("Статус", Text, 14.0),
    ("Согласована", Date, 13.0),
    ("Приказ", Text, 24.0),
    ("Встреч проведено", Int, 10.0),
    ("Завершена", Date, 13.0),
    ("Досрочно", Text, 10.0),
    ("Цели достигнуты", Text, 14.0),
];

fn pairs() -> String {
    format!(
        "SELECT g.name, fm.title, v.title, trim(mp.last_name || ' ' || mp.first_name),
                (SELECT string_agg(trim(k.last_name || ' ' || k.first_name)
                                   || CASE WHEN k.class_name <> '' THEN ' (' || k.class_name || ')' ELSE '' END,
                                   ', ' ORDER BY k.last_name)
                   FROM pair_members m JOIN people k ON k.id = m.person_id
                  WHERE m.pair_id = x.id AND m.role = 'mentee'),
                {status},
                x.settled_at::date,
                (SELECT 'приказ № ' || o.number || ' от ' || to_char(o.signed_on, 'DD.MM.YYYY')
                   FROM pair_order_items i JOIN pair_orders o ON o.id = i.order_id
                  WHERE i.pair_id = x.id AND o.status = 'approved' AND i.action = 'fix' LIMIT 1),
                (SELECT count(*) FROM meetings mt WHERE mt.pair_id = x.id AND NOT mt.cancelled AND mt.held_on <= f.today),
                r.ended_on,
                CASE WHEN r.early THEN 'да' WHEN r.pair_id IS NOT NULL THEN 'нет' END,
                CASE r.goals_reached WHEN 'yes' THEN 'да' WHEN 'mostly' THEN 'в основном'
                     WHEN 'partly' THEN 'частично' WHEN 'no' THEN 'нет' END
           FROM f, pairs x
           JOIN programs g ON g.org_id = x.org_id AND g.id = x.program_id
           JOIN mentoring_forms fm ON fm.code = g.form_code
           JOIN people mp ON mp.id = x.mentor_id
           LEFT JOIN form_variants v ON v.code = x.variant_code
           LEFT JOIN pair_results r ON r.pair_id = x.id
          WHERE x.org_id = f.org AND {PROGRAM}
            AND (f.class IS NULL OR EXISTS (SELECT 1 FROM pair_members m JOIN people k ON k.id = m.person_id
                                             WHERE m.pair_id = x.id AND k.class_name = f.class))
            AND ((x.status IN ('agreed', 'completed') AND coalesce(x.settled_at, x.created_at)::date <= f.d_to
                  AND coalesce(r.ended_on, 'infinity'::date) >= f.d_from)
                 OR x.created_at::date BETWEEN f.d_from AND f.d_to)
          ORDER BY g.name, mp.last_name COLLATE ru_icu LIMIT $8",
        status = crate::pairing::model::Status::sql_label("x.status"),
    )
}

const MEETINGS: Columns = &[
    ("Дата", Date, 12.0),
    ("Программа", Text, 28.0),
    ("Наставник", Text, 26.0),
    ("Наставляемые", Text, 34.0),
    ("Вид", Text, 22.0),
    ("Тема", Text, 36.0),
    ("Формат", Text, 10.0),
    ("Состоялась", Text, 14.0),
    ("Длительность, мин", Int, 12.0),
    ("Оценка (из 5)", Number, 10.0),
];

fn meetings() -> String {
    format!(
        "SELECT mt.held_on, g.name, trim(mp.last_name || ' ' || mp.first_name),
                (SELECT string_agg(trim(k.last_name || ' ' || k.first_name), ', ' ORDER BY k.last_name)
                   FROM pair_members m JOIN people k ON k.id = m.person_id
                  WHERE m.pair_id = x.id AND m.role = 'mentee'),
                CASE mt.kind WHEN 'intro' THEN 'встреча-знакомство' WHEN 'trial' THEN 'пробная рабочая встреча'
                     WHEN 'planning' THEN 'встреча-планирование' WHEN 'final' THEN 'итоговая встреча'
                     ELSE 'регулярная встреча' END,
                mt.topic,
                CASE mt.format WHEN 'online' THEN 'онлайн' WHEN 'chat' THEN 'переписка' ELSE 'очно' END,
                CASE WHEN mt.cancelled THEN 'отменена' WHEN mt.held_on <= f.today THEN 'проведена'
                     ELSE 'запланирована' END,
                (extract(epoch FROM (mt.ends_at - mt.starts_at)) / 60)::bigint,
                (SELECT avg(fb.rating)::float8 FROM meeting_feedback fb WHERE fb.meeting_id = mt.id)
           FROM f, meetings mt
           JOIN pairs x ON x.org_id = mt.org_id AND x.id = mt.pair_id
           JOIN programs g ON g.org_id = x.org_id AND g.id = x.program_id
           JOIN people mp ON mp.id = x.mentor_id
          WHERE mt.org_id = f.org AND {PROGRAM} AND mt.held_on BETWEEN f.d_from AND f.d_to
            AND (f.class IS NULL OR EXISTS (SELECT 1 FROM pair_members m JOIN people k ON k.id = m.person_id
                                             WHERE m.pair_id = x.id AND k.class_name = f.class))
          ORDER BY mt.held_on, g.name LIMIT $8"
    )
}

const QUESTIONNAIRES: Columns = &[
    ("Анкета", Text, 40.0),
    ("Разослана", Date, 12.0),
    ("Программа", Text, 30.0),
    ("Срок", Date, 12.0),
    ("Адресатов", Int, 10.0),
    ("Ответили", Int, 10.0),
    ("Доля ответивших", Percent, 12.0),
];

fn questionnaires() -> String {
    "SELECT q.title, a.created_at::date, g.name, a.deadline, t.n, s.n,
            CASE WHEN t.n > 0 THEN s.n::float8 / t.n END
       FROM f, assignments a
       JOIN questionnaires q ON q.id = a.questionnaire_id
       LEFT JOIN programs g ON g.id = a.program_id
       CROSS JOIN LATERAL (SELECT count(*) AS n FROM assignment_targets at WHERE at.assignment_id = a.id) t
       CROSS JOIN LATERAL (SELECT count(*) AS n FROM responses r
                            WHERE r.assignment_id = a.id AND r.status = 'submitted') s
      WHERE a.org_id = f.org AND a.created_at::date BETWEEN f.d_from AND f.d_to
        AND (f.program IS NULL OR a.program_id = f.program)
        AND (f.form IS NULL OR g.form_code = f.form)
        AND (f.class IS NULL OR f.class IS NOT NULL)
      ORDER BY a.created_at DESC LIMIT $8"
        .to_string()
}

const MONITORING: Columns = &[
    ("Программа", Text, 30.0),
    ("Параметр", Text, 36.0),
    ("Кто", Text, 14.0),
    ("С обоими замерами", Int, 12.0),
    ("До (среднее)", Number, 12.0),
    ("После (среднее)", Number, 12.0),
    ("Изменение", Number, 12.0),
    ("Улучшились", Percent, 12.0),
    ("Без входного", Int, 12.0),
    ("Без итогового", Int, 12.0),
];

fn monitoring() -> String {
    format!(
        "SELECT g.name, x.title, CASE x.role WHEN 'mentor' THEN 'наставники' ELSE 'наставляемые' END,
                count(*) FILTER (WHERE v.b IS NOT NULL AND v.a IS NOT NULL),
                avg(v.b) FILTER (WHERE v.a IS NOT NULL),
                avg(v.a) FILTER (WHERE v.b IS NOT NULL),
                avg(v.a - v.b),
                (avg(CASE WHEN (x.higher_is_better AND v.a > v.b) OR (NOT x.higher_is_better AND v.a < v.b)
                          THEN 1.0 ELSE 0.0 END) FILTER (WHERE v.a IS NOT NULL AND v.b IS NOT NULL))::float8,
                count(*) FILTER (WHERE v.b IS NULL),
                count(*) FILTER (WHERE v.a IS NULL)
           FROM f, monitoring_parameters x
           JOIN programs g ON g.org_id = x.org_id AND g.id = x.program_id
           JOIN enrolments e ON e.org_id = x.org_id AND e.program_id = x.program_id AND e.role = x.role
           JOIN people p ON p.id = e.person_id
           CROSS JOIN LATERAL (
                SELECT (SELECT m.value FROM measurements m WHERE m.parameter_id = x.id
                           AND m.person_id = e.person_id AND m.stage = 'entry') AS b,
                       (SELECT m.value FROM measurements m WHERE m.parameter_id = x.id
                           AND m.person_id = e.person_id AND m.stage = 'final') AS a) v
          WHERE x.org_id = f.org AND {PROGRAM} AND g.starts_on <= f.d_to AND g.ends_on >= f.d_from
            AND (f.class IS NULL OR p.class_name = f.class)
          GROUP BY g.name, x.id, x.title, x.role, x.sort
          ORDER BY g.name, x.role DESC, x.sort LIMIT $8"
    )
}

const ROADMAP: Columns = &[
    ("Программа", Text, 30.0),
    ("Этап", Text, 36.0),
    ("Задача", Text, 48.0),
    ("Срок", Date, 12.0),
    ("Ответственный", Text, 24.0),
    ("Статус", Text, 12.0),
    ("Просрочена", Text, 10.0),
];

fn roadmap() -> String {
    format!(
        "SELECT g.name, s.number || '. ' || s.title, t.title, t.due_on,
                coalesce(u.full_name, CASE t.responsible_role WHEN 'director' THEN 'директор'
                                           WHEN 'mentor' THEN 'наставники' ELSE 'куратор' END),
                CASE t.status WHEN 'done' THEN 'выполнена' WHEN 'in_progress' THEN 'в работе' ELSE 'не начата' END,
                CASE WHEN t.status <> 'done' AND t.due_on < f.today THEN 'да' ELSE '' END
           FROM f, roadmap_tasks t
           JOIN roadmap_stages s ON s.id = t.stage_id
           JOIN programs g ON g.org_id = t.org_id AND g.id = t.program_id
           LEFT JOIN users u ON u.id = t.responsible_user_id
          WHERE t.org_id = f.org AND {PROGRAM} AND t.due_on BETWEEN f.d_from AND f.d_to
            AND (f.class IS NULL OR f.class IS NOT NULL)
          ORDER BY g.name, s.number, t.sort LIMIT $8"
    )
}

const AUDIT: Columns = &[
    ("Когда", Text, 18.0),
    ("Кто", Text, 26.0),
    ("Действие", Text, 24.0),
    ("О ком", Text, 28.0),
    ("Подробности", Text, 48.0),
];

fn audit() -> String {
    "SELECT to_char(a.at AT TIME ZONE f.tz, 'DD.MM.YYYY HH24:MI'), coalesce(nullif(a.user_name, ''), u.full_name),
            a.action, trim(p.last_name || ' ' || p.first_name), a.details
       FROM f, audit_log a LEFT JOIN people p ON p.org_id = a.org_id AND p.id = a.person_id
       LEFT JOIN users u ON u.id = a.user_id
      WHERE a.org_id = f.org AND (a.at AT TIME ZONE f.tz)::date BETWEEN f.d_from AND f.d_to
        AND (f.program IS NULL OR f.program IS NOT NULL) AND (f.form IS NULL OR f.form IS NOT NULL)
        AND (f.class IS NULL OR f.class IS NOT NULL)
      ORDER BY a.at DESC LIMIT $8"
        .to_string()
}

/// The SQL report of a code: (code, query, columns).
pub fn of(code: &str) -> Option<(&'static str, String, Columns)> {
    Some(match code {
        "participants" => ("participants", participants(), PARTICIPANTS),
        "pairs" => ("pairs", pairs(), PAIRS),
        "meetings" => ("meetings", meetings(), MEETINGS),
        "questionnaires" => ("questionnaires", questionnaires(), QUESTIONNAIRES),
        "monitoring" => ("monitoring", monitoring(), MONITORING),
        "roadmap" => ("roadmap", roadmap(), ROADMAP),
        "audit" => ("audit", audit(), AUDIT),
        _ => return None,
    })
}
