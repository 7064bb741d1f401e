//! `/_emulator/*` control endpoints (not counted in the stats).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use crate::reply;
use crate::state::{App, SettingsPatch, Stats, now};

fn settings_json(app: &App) -> Response {
    let s = app.lock().settings.clone();
    reply::json_of(StatusCode::OK, &s)
}

/// `GET /_emulator/stats`
pub async fn stats(State(app): State<Arc<App>>) -> Response {
    let g = app.lock();
    reply::json_of(StatusCode::OK, &g.stats)
}

/// `GET /_emulator/faults`: the current settings.
pub async fn get_faults(State(app): State<Arc<App>>) -> Response {
    settings_json(&app)
}

/// `POST /_emulator/faults`: merge a JSON object into the settings.
pub async fn set_faults(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        &b"{}"[..]
    } else {
        &body[..]
    };
    let patch = match serde_json::from_slice::<SettingsPatch>(body) {
        Ok(p) => p,
        Err(e) => {
            return reply::json(
                StatusCode::BAD_REQUEST,
                &json!({"error": "invalid_request", "error_description": e.to_string()}),
            );
        }
    };
    if let Err(e) = app.lock().settings.apply(patch) {
        return reply::json(
            StatusCode::BAD_REQUEST,
            &json!({"error": "invalid_request", "error_description": e}),
        );
    }
    settings_json(&app)
}

/// `POST /_emulator/reset`: zero counters, clear faults; tokens stay.
pub async fn reset(State(app): State<Arc<App>>) -> Response {
    {
        let mut g = app.lock();
        g.stats = Stats::default();
        g.settings = app.cfg.initial.cleared();
    }
    crate::probe::reset(&app);
    settings_json(&app)
}

/// `POST /_emulator/expire`: every access token becomes expired.
pub async fn expire(State(app): State<Arc<App>>) -> Response {
    let n = app.lock().tokens.expire_all(now());
    reply::json(StatusCode::OK, &json!({"expired": n}))
}
