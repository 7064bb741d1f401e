//! What one request reads from files and stdin (`-d @FILE`, `-d @-`, `-F key=@FILE`),
//! charged to one budget.

use crate::error::{AppError, Result};
use std::io::Read;

/// The most one request reads from `-d @FILE`, `-d @-` and `-F key=@FILE` together: bodies
/// are held in memory, since a retry sends them again.
pub const MAX_BODY_SOURCE: u64 = 100 * 1024 * 1024;

/// What is left of [`MAX_BODY_SOURCE`] for the sources a request still has to read.
pub struct Budget {
    left: u64,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget {
            left: MAX_BODY_SOURCE,
        }
    }
}

/// The bytes of `@SOURCE` (`-` for stdin), charged to `budget`.
pub fn read_source(source: &str, budget: &mut Budget) -> Result<Vec<u8>> {
    let what = match source {
        "-" => "stdin".to_string(),
        path => path.to_string(),
    };
    let cannot = |e: std::io::Error| AppError::usage(format!("cannot read {what}: {e}"));
    let mut buf = Vec::new();
    let read = match source {
        "-" => std::io::stdin().take(budget.left + 1).read_to_end(&mut buf),
        path => std::fs::File::open(path)
            .map_err(cannot)?
            .take(budget.left + 1)
            .read_to_end(&mut buf),
    };
    read.map_err(cannot)?;
    if buf.len() as u64 > budget.left {
        let mib = MAX_BODY_SOURCE / (1024 * 1024);
        let why = match budget.left < MAX_BODY_SOURCE {
            false => format!("the body from {what} is larger than {mib} MiB"),
            true => {
                format!("with {what}, the files this request reads add up to more than {mib} MiB")
            }
        };
        return Err(
            AppError::usage(format!("{why}, which gtx request holds in memory"))
                .fix(crate::fix::ApiFix::StreamUpload),
        );
    }
    budget.left -= buf.len() as u64;
    Ok(buf)
}
