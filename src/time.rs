//! Wall-clock helpers: expiry is stored as absolute Unix seconds.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The last second RFC 3339 can write (9999-12-31T23:59:59Z).
pub const MAX_UNIX: i64 = 253_402_300_799;

/// RFC 3339 in UTC, e.g. `2026-11-23T04:12:00Z`; times outside 1970..9999 are clamped
/// (they come from untrusted JWT claims).
pub fn rfc3339(unix: i64) -> String {
    let t = UNIX_EPOCH + Duration::from_secs(unix.clamp(0, MAX_UNIX) as u64);
    humantime::format_rfc3339_seconds(t).to_string()
}

/// "in 23h 59m", "3m ago", "now".
pub fn relative(unix: i64, now: i64) -> String {
    let delta = unix.saturating_sub(now);
    let span = delta.unsigned_abs();
    let text = if span < 60 {
        format!("{span}s")
    } else if span < 3600 {
        format!("{}m {}s", span / 60, span % 60)
    } else if span < 86400 {
        format!("{}h {}m", span / 3600, (span % 3600) / 60)
    } else {
        format!("{}d {}h", span / 86400, (span % 86400) / 3600)
    };
    if delta == 0 {
        "now".into()
    } else if delta > 0 {
        format!("in {text}")
    } else {
        format!("{text} ago")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(relative(100 + 3700, 100), "in 1h 1m");
        assert_eq!(relative(100, 190), "1m 30s ago");
        assert_eq!(rfc3339(i64::MAX), "9999-12-31T23:59:59Z");
        assert_eq!(rfc3339(i64::MIN), "1970-01-01T00:00:00Z");
        assert!(relative(i64::MIN, i64::MAX).ends_with("ago"));
    }
}
