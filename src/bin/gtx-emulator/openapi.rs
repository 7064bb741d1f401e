//! The demo API's OpenAPI 3.1 description, served at `/openapi.json` with an `ETag` (a
//! matching `If-None-Match` gets 304) and named by `Link: rel="service-desc"` on `/`
//! (RFC 8631), which is where `gtx api sync` looks first.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub const DOCUMENT: &str = include_str!("openapi.json");
pub const LINK: &str = "</openapi.json>; rel=\"service-desc\"";
/// Changes with the document (and with every release).
const ETAG: &str = concat!("\"gtx-emulator-", env!("CARGO_PKG_VERSION"), "-1\"");
const LAST_MODIFIED: &str = "Tue, 01 Dec 2026 00:00:00 GMT";

/// `GET /openapi.json`
pub async fn document(headers: HeaderMap) -> Response {
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == ETAG || t.trim() == "*"));
    let mut resp = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/openapi+json")],
            DOCUMENT,
        )
            .into_response()
    };
    resp.headers_mut()
        .insert(header::ETAG, HeaderValue::from_static(ETAG));
    resp.headers_mut().insert(
        header::LAST_MODIFIED,
        HeaderValue::from_static(LAST_MODIFIED),
    );
    resp
}

/// `GET /admin/api/_info/openapi3.json`: the same document where admin APIs keep theirs,
/// behind a token (gtx fetches it with one only after this 401).
pub async fn protected(
    axum::extract::State(app): axum::extract::State<std::sync::Arc<crate::state::App>>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = crate::api::authorize(&app, &headers) {
        return *r;
    }
    document(headers).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_document_is_json() {
        assert!(serde_json::from_str::<serde_json::Value>(super::DOCUMENT).is_ok());
    }
}
