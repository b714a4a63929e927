//! The erasure of a person: what the schema's columns hold of them (ERASURE_COVERS, compared with the schema by a test) and the one pass that clears their records and scrubs what others typed.

#[allow(unused_imports)]
use super::*;

/// Every table that refers to a person, and what erasure does there. A test compares this list
/// with the database's own list of tables holding a person reference (`person_id`, `mentor_id`,
/// `mentee_id`): a new table must be added here — and handled in [`anonymize`] — to pass.
pub const ERASURE_COVERS: &[(&str, &str)] = &[
    (
        "people",
        "name, birth date, contacts, notes, tags cleared; «Участник №N» stays",
    ),
    (
        "consents",
        "representative's name and relation, document reference cleared; dates stay",
    ),
    ("person_requests", "deleted"),
    ("enrolments", "kept (counts); results text cleared"),
    ("training_attendance", "kept (a mark, no personal data)"),
    ("assignment_targets", "deleted"),
    ("responses", "deleted (answers are personal data)"),
    ("pair_members", "the person's comment cleared"),
    (
        "meeting_feedback",
        "the person's comment cleared; the rating stays",
    ),
    (
        "pairs",
        "kept: the mentor by id; explanations name criteria, not people",
    ),
    (
        "plans",
        "deleted with their goals and history (the mentee's plan is personal data)",
    ),
    ("diary_entries", "deleted"),
    ("meeting_attendance", "kept (a mark, no personal data)"),
    (
        "activities",
        "kept: a one-person activity refers to the person by id",
    ),
    ("activity_signups", "kept (sign-up and attendance marks)"),
    ("measurements", "deleted (monitoring values of the person)"),
    ("best_mentors", "deleted (a nomination names the person)"),
    (
        "applications",
        "deleted (the application names the person and their contact)",
    ),
    (
        "activity_feedback",
        "the person's comment cleared; the rating stays",
    ),
    ("matching_forbidden", "deleted"),
    ("membership_invitations", "deleted"),
    ("audit_log", "kept: entries refer to the person by id only"),
    (
        "outbox",
        "e-mail to the person's addresses or naming them deleted, sent or not",
    ),
];

/// Withdrawal of consent: one erasure of everything the platform holds about the person; the
/// row (its number, enrolments, pairs, counts) stays as «Участник №…». Their account is
/// disabled and de-personalised (or, if it belongs to other organizations too, only leaves this
/// one). Runs inside the caller's transaction.
pub async fn anonymize(conn: &mut PgConnection, org_id: Uuid, id: Uuid) -> Result<(), sqlx::Error> {
    type Row = (i64, String, String, String, String, Option<Uuid>);
    let Some((number, last, first, middle, phone, user_id)): Option<Row> = sqlx::query!(
        r#"SELECT number AS "c0!", last_name AS "c1!", first_name AS "c2!", middle_name AS "c3!", phone AS "c4!", user_id AS "c5?" FROM people
              WHERE org_id = $1 AND id = $2 FOR UPDATE"#,
        org_id,
        id,
    ).map(|r| (r.c0, r.c1, r.c2, r.c3, r.c4, r.c5))
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(());
    };
    // E-mail to the person (their address in the base or their account's) or naming them.
    let addresses: Vec<String> = sqlx::query_scalar!(
        r#"SELECT lower(a) AS "v!" FROM (SELECT p.email AS a FROM people p WHERE p.org_id = $1 AND p.id = $2
                              UNION SELECT u.email FROM people p JOIN users u ON u.id = p.user_id
                               WHERE p.org_id = $1 AND p.id = $2) x WHERE a <> ''"#,
        org_id,
        id,
    )
    .fetch_all(&mut *conn)
    .await?;
    // What others typed about the person (meeting notes, a one-person activity, a case, an
    // order's document, e-mails and notifications …): every form of the name, the e-mails and
    // the phone become «Участник №N», in every declared free-text column of this organization.
    let forms: Vec<String> = std::iter::once(crate::people::erasure::pattern(
        (&last, &first, &middle),
        "",
        &phone,
    ))
    .chain(
        addresses
            .iter()
            .map(|a| crate::people::erasure::pattern(("", "", ""), a, "")),
    )
    .flatten()
    .collect();
    // One pass over the free text for every form at once.
    let pattern = (!forms.is_empty()).then(|| forms.join("|"));
    // Their own final report in a pair of their own.
    sqlx::query!(
        "UPDATE pair_results r SET mentee_report = '' WHERE r.org_id = $1
            AND r.pair_id IN (SELECT pair_id FROM pair_members WHERE org_id = $1 AND person_id = $2
                                AND role = 'mentee')
            AND (SELECT count(*) FROM pair_members m WHERE m.pair_id = r.pair_id AND m.role = 'mentee') = 1",
        org_id,
        id,
    )
    .execute(&mut *conn)
    .await?;
    let names: Vec<String> = [format!("{last} {first}"), format!("{first} {last}")]
        .into_iter()
        .map(|n| n.trim().to_string())
        .filter(|n| n.chars().count() > 3)
        .collect();
    crate::notifications::forget_mail(&mut *conn, org_id, &addresses, &names).await?;
    // Notifications that name the person (to anyone in the organization).
    for name in [format!("{last} {first}"), format!("{first} {last}")] {
        if name.trim().chars().count() > 3 {
            sqlx::query!(
                "DELETE FROM notifications WHERE org_id = $1 AND strpos(text, $2) > 0",
                org_id,
                name.trim(),
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    sqlx::query!(
        "UPDATE people SET last_name = '', first_name = '', middle_name = '', birth_date = NULL,
                subjects = '', experience_years = NULL, position = '', partner_org = '', email = '',
                phone = '', notes = '', tags = '{}', anonymized_at = now(), version = version + 1,
                updated_at = now(), user_id = NULL
          WHERE org_id = $1 AND id = $2",
        org_id,
        id,
    )
    .execute(&mut *conn)
    .await?;
    for sql in [
        "DELETE FROM person_requests WHERE org_id = $1 AND person_id = $2",
        "UPDATE consents SET representative_name = '', representative_relation = '', document_ref = '',
                representative_email = '', inform_representative = false
          WHERE org_id = $1 AND person_id = $2",
        "UPDATE enrolments SET results = '' WHERE org_id = $1 AND person_id = $2",
        "DELETE FROM responses WHERE org_id = $1 AND person_id = $2",
        "DELETE FROM assignment_targets WHERE org_id = $1 AND person_id = $2",
        "UPDATE pair_members SET comment = '' WHERE org_id = $1 AND person_id = $2",
        "UPDATE meeting_feedback SET comment = '' WHERE org_id = $1 AND person_id = $2",
        "DELETE FROM plans WHERE org_id = $1 AND person_id = $2",
        "DELETE FROM diary_entries WHERE org_id = $1 AND person_id = $2",
        "UPDATE activity_feedback SET comment = '' WHERE org_id = $1 AND person_id = $2",
        "DELETE FROM applications WHERE org_id = $1 AND person_id = $2",
        "DELETE FROM measurements WHERE org_id = $1 AND person_id = $2",
        "DELETE FROM best_mentors WHERE org_id = $1 AND person_id = $2",
        "DELETE FROM matching_forbidden WHERE org_id = $1 AND (mentor_id = $2 OR mentee_id = $2)",
        "DELETE FROM membership_invitations WHERE org_id = $1 AND person_id = $2",
        // A class list that may hold the person's row and is not imported yet.
        "DELETE FROM import_uploads WHERE org_id = $1 AND imported_at IS NULL AND $2::uuid IS NOT NULL",
    ] {
        sqlx::query(sql)
            .bind(org_id)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    let replacement = format!("Участник №{number}");
    if let Some(pattern) = pattern {
        crate::people::erasure::scrub(&mut *conn, org_id, &pattern, &replacement).await?;
    }
    if let Some(uid) = user_id {
        // An account that is anyone's beyond this participant (a staff role here, another
        // organization, the platform, a territory) only loses the link and the participant's
        // roles: it is never disabled or rewritten.
        if crate::tenancy::account_is_shared(&mut *conn, org_id, uid).await? {
            sqlx::query!(
                "UPDATE memberships SET roles = ARRAY(SELECT r FROM unnest(roles) r
                                                       WHERE r NOT IN ('mentor', 'mentee'))
                  WHERE org_id = $1 AND user_id = $2",
                org_id,
                uid,
            )
            .execute(&mut *conn)
            .await?;
            sqlx::query!(
                "DELETE FROM memberships WHERE org_id = $1 AND user_id = $2 AND roles = '{}'",
                org_id,
                uid,
            )
            .execute(&mut *conn)
            .await?;
            return Ok(());
        }
        sqlx::query!(
            "DELETE FROM memberships WHERE org_id = $1 AND user_id = $2",
            org_id,
            uid,
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            "DELETE FROM notifications WHERE org_id = $1 AND user_id = $2",
            org_id,
            uid,
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            "UPDATE users SET email = 'erased-' || id::text, full_name = $2,
                    password_hash = NULL, disabled_at = now(), is_platform_admin = false
              WHERE id = $1",
            uid,
            format!("Участник №{number}"),
        )
        .execute(&mut *conn)
        .await?;
        for sql in [
            "DELETE FROM sessions WHERE user_id = $1",
            "DELETE FROM invitations WHERE user_id = $1",
            "DELETE FROM membership_invitations WHERE user_id = $1",
            "DELETE FROM notifications WHERE user_id = $1",
        ] {
            sqlx::query(sql).bind(uid).execute(&mut *conn).await?;
        }
    }
    Ok(())
}
