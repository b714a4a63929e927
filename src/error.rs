//! One error type for handlers. Internals go to tracing, never to the page: the response carries
//! an [`ErrorPage`] marker that the error-page layer renders in Russian with the request id.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug)]
pub enum AppError {
    NotFound,
    Forbidden,
    Unauthenticated,
    /// A generic invalid request (forms re-render themselves with 422 instead).
    Validation(String),
    /// A request no form can produce (a NUL byte in a field): 400.
    BadRequest,
    Conflict(String),
    /// Too much work queued (e.g. password hashing): 503, try again shortly.
    Busy,
    /// The database cannot be reached (restarting, network): 503 with `Retry-After`; nothing was
    /// written.
    Unavailable,
    /// The cause with its source chain: logged with the request id, never shown.
    Internal(anyhow::Error),
}

/// Marker put into the response extensions; rendered by `web::error_pages`.
#[derive(Clone, Debug)]
pub struct ErrorPage {
    pub title: &'static str,
    pub message: String,
}

impl AppError {
    pub fn internal(e: impl std::fmt::Display) -> Self {
        AppError::Internal(anyhow::Error::msg(e.to_string()))
    }
}

/// Whether a database error is the violation of the named constraint (a unique key, a check):
/// such errors become a message beside the field instead of a check-then-insert race.
pub fn violates(e: &sqlx::Error, constraint: &str) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.constraint() == Some(constraint))
}

/// Whether a database error means the server cannot be reached (as opposed to a bad query).
pub fn unreachable(e: &sqlx::Error) -> bool {
    matches!(
        e,
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)
    ) || matches!(e, sqlx::Error::Database(d) if d.code().is_some_and(|c| c.starts_with("57P") || c.starts_with("08")))
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => AppError::NotFound,
            e if unreachable(&e) => {
                tracing::warn!(error = %e, "database unreachable");
                AppError::Unavailable
            }
            other => AppError::Internal(anyhow::Error::new(other)),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(anyhow::Error::new(e).context("template"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, title, message) = match self {
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "Страница не найдена",
                "Такой страницы нет или у вас нет к ней доступа.".to_string(),
            ),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Недостаточно прав",
                "Для этого действия нужна другая роль в организации.".to_string(),
            ),
            AppError::Unauthenticated => {
                return axum::response::Redirect::to(crate::paths::LOGIN).into_response();
            }
            AppError::Validation(msg) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "Ошибка в запросе", msg)
            }
            AppError::BadRequest => (
                StatusCode::BAD_REQUEST,
                "Неверный запрос",
                "В запросе недопустимые символы.".to_string(),
            ),
            AppError::Conflict(msg) => (StatusCode::CONFLICT, "Конфликт изменений", msg),
            AppError::Busy => {
                let mut resp = (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(axum::http::header::RETRY_AFTER, "10")],
                )
                    .into_response();
                resp.extensions_mut().insert(ErrorPage {
                    title: "Сервер занят",
                    message: "Сейчас слишком много входов одновременно. Подождите несколько \
                              секунд и попробуйте ещё раз; введённое не потеряется, если \
                              вернуться назад."
                        .to_string(),
                });
                return resp;
            }
            AppError::Unavailable => {
                let mut resp = (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(axum::http::header::RETRY_AFTER, "5")],
                )
                    .into_response();
                resp.extensions_mut().insert(ErrorPage {
                    title: "Сервис временно недоступен",
                    message: "База данных перезапускается. Подождите несколько секунд и \
                              обновите страницу; если вы отправляли форму, вернитесь назад и \
                              отправьте её ещё раз — она не была сохранена."
                        .to_string(),
                });
                return resp;
            }
            AppError::Internal(detail) => {
                // `{:#}` prints the whole chain of causes.
                tracing::error!(error = format!("{detail:#}"), "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Внутренняя ошибка",
                    "Что-то пошло не так. Мы уже записали ошибку; сообщите администратору номер \
                     запроса."
                        .to_string(),
                )
            }
        };
        let mut resp = status.into_response();
        resp.extensions_mut().insert(ErrorPage { title, message });
        resp
    }
}

pub type AppResult<T> = Result<T, AppError>;
