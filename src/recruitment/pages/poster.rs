//! The printable A4 poster of a program's application link (`/programs/{program}/applications/
//! poster/{role}`): the organization, the program, who is invited, a large QR code (SVG from the
//! `qrcode` crate) and the link written out for those who type it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Path;

use crate::error::{AppError, AppResult};
use crate::people::Side;
use crate::programs::ProgramCtx;
use crate::recruitment::repo;
use crate::web::PageCtx;

#[derive(Template, WebTemplate)]
#[template(path = "recruitment/poster.html")]
pub struct PosterPage {
    pub ctx: PageCtx,
    pub org_name: String,
    pub program: String,
    pub invite: &'static str,
    pub url: String,
    /// The QR code as SVG markup (made here from our own URL, so safe to inline).
    pub svg: String,
}

/// The QR code of `url` as an SVG.
pub fn qr_svg(url: &str) -> AppResult<String> {
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("qr: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(320, 320)
        .quiet_zone(true)
        .build())
}

pub async fn poster(
    pc: ProgramCtx,
    Path((_, _, role)): Path<(String, String, String)>,
) -> AppResult<PosterPage> {
    pc.org.require_staff()?;
    let role = Side::parse(&role).ok_or(AppError::NotFound)?;
    let org = &pc.org;
    let mut tx = org.begin().await?;
    let token = repo::link(&mut tx, org.org.id, pc.program.id, role).await?;
    tx.commit().await?;
    let url = format!(
        "{}{}",
        org.state.config.public_url,
        crate::paths::apply(&token)
    );
    Ok(PosterPage {
        ctx: org.page("Плакат с QR-кодом", "programs"),
        org_name: org.org.full_name.clone(),
        program: pc.program.name.clone(),
        invite: if role == Side::Mentor {
            "Станьте наставником!"
        } else {
            "Найдите наставника!"
        },
        svg: qr_svg(&url)?,
        url,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_qr_code_is_an_svg() {
        let svg = super::qr_svg("https://nastavnik.example/apply/abc").expect("svg");
        assert!(
            svg.starts_with("<?xml") || svg.starts_with("<svg"),
            "{}",
            &svg[..40]
        );
        assert!(svg.contains("<path") || svg.contains("<rect"));
    }
}
