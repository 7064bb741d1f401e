//! The index `gtx api sync` writes, one file per environment in the cache directory:
//! a line of metadata, a compact listing (one line per operation: what `api list` and
//! completion read), then each operation's detail as JSON, read by offset by `api show`
//! and `request OPERATION`. Written atomically: a reader sees the old index or the new.

use super::{Operation, kebab};
use crate::error::{AppError, Result};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::PathBuf;

const FORMAT: u32 = 1;
/// Past this age `api list|show` and `request` say how old the index is.
pub const STALE_SECS: i64 = 24 * 3600;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Meta {
    pub format: u32,
    /// Where the document came from (a URL without its query, or a file path).
    pub source: String,
    pub synced_at: i64,
    #[serde(default)]
    pub etag: Option<String>,
    #[serde(default)]
    pub last_modified: Option<String>,
    pub spec: String,
    pub title: String,
    pub version: String,
    pub base_path: String,
    pub servers: Vec<String>,
    pub api_base: String,
    pub count: usize,
    pub listing_len: u64,
}

/// One line of the listing.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub method: String,
    pub path: String,
    pub tags: Vec<String>,
    pub summary: String,
    offset: u64,
    len: u64,
}

pub struct Index {
    pub meta: Meta,
    pub entries: Vec<Entry>,
    file: std::fs::File,
    details_at: u64,
}

/// `<cache dir>/gtx/openapi/<environment>.index`.
pub fn path(env: &str) -> Result<PathBuf> {
    dirs::cache_dir()
        .map(|d| d.join("gtx").join("openapi").join(format!("{env}.index")))
        .ok_or_else(|| AppError::config("cannot find a cache directory (is HOME set?)"))
}

fn field(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '\t' || c == '\n' || c == '\r' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// The whole index file for `operations`.
pub fn build(meta: &mut Meta, operations: &[Operation]) -> Result<Vec<u8>> {
    let mut listing = String::new();
    let mut details = Vec::new();
    for op in operations {
        let offset = details.len() as u64;
        serde_json::to_writer(&mut details, op)
            .map_err(|e| AppError::bug(format!("cannot encode the index: {e}")))?;
        let len = details.len() as u64 - offset;
        let tags: Vec<String> = op.tags.iter().map(|t| field(t).replace(',', " ")).collect();
        listing.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{offset}\t{len}\n",
            field(&op.id),
            op.method,
            field(&op.path),
            tags.join(","),
            field(&op.summary)
        ));
    }
    meta.format = FORMAT;
    meta.count = operations.len();
    meta.listing_len = listing.len() as u64;
    let mut out = serde_json::to_vec(meta)
        .map_err(|e| AppError::bug(format!("cannot encode the index: {e}")))?;
    out.push(b'\n');
    out.extend_from_slice(listing.as_bytes());
    out.extend_from_slice(&details);
    Ok(out)
}

pub fn write(env: &str, bytes: &[u8]) -> Result<PathBuf> {
    let path = path(env)?;
    let cannot = |e: std::io::Error| {
        AppError::config(format!(
            "cannot write the API index {}: {e}",
            path.display()
        ))
    };
    if let Some(dir) = path.parent() {
        crate::fsutil::create_private_dir(dir).map_err(cannot)?;
    }
    crate::fsutil::write_atomic(&path, bytes, 0o600).map_err(cannot)?;
    Ok(path)
}

impl Entry {
    /// One line of the listing; `Err` names what is damaged in it.
    fn read(line: &str) -> std::result::Result<Entry, &'static str> {
        let f: Vec<&str> = line.split('\t').collect();
        let [id, method, path, tags, summary, offset, len] = f[..] else {
            return Err("a listing line");
        };
        Ok(Entry {
            id: id.to_string(),
            method: method.to_string(),
            path: path.to_string(),
            tags: tags
                .split(',')
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
            summary: summary.to_string(),
            offset: offset.parse().map_err(|_| "an offset")?,
            len: len.parse().map_err(|_| "a length")?,
        })
    }
}

impl Index {
    /// The environment's index; `Ok(None)` when it has none yet.
    pub fn open(env: &str) -> Result<Option<Index>> {
        let path = path(env)?;
        // A FIFO put at the index's path is refused below, not waited on.
        let file = match crate::fsutil::open_to_read(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(AppError::config(format!(
                    "cannot read the API index {}: {e}",
                    path.display()
                )));
            }
        };
        let damaged = |why: &str| {
            AppError::config(format!(
                "the API index {} is damaged ({why})",
                path.display()
            ))
            .fix(crate::fix::ApiFix::RebuildIndex)
        };
        // Lengths are read from the file itself: none may point past its end, nor size an
        // allocation, however the file was damaged.
        let size = match file.metadata() {
            Ok(m) if m.is_file() => m.len(),
            Ok(_) => return Err(damaged("not a regular file")),
            Err(e) => return Err(damaged(&e.to_string())),
        };
        let mut reader = BufReader::with_capacity(64 * 1024, file);
        let mut line = String::new();
        reader
            .read_line(&mut line)
            .map_err(|e| damaged(&e.to_string()))?;
        let meta: Meta = serde_json::from_str(&line).map_err(|e| damaged(&e.to_string()))?;
        if meta.format != FORMAT {
            return Err(damaged("written by another version of gtx"));
        }
        if meta.listing_len > size {
            return Err(damaged("its listing is longer than the file"));
        }
        let mut listing =
            vec![0u8; usize::try_from(meta.listing_len).map_err(|_| damaged("size"))?];
        reader
            .read_exact(&mut listing)
            .map_err(|e| damaged(&e.to_string()))?;
        let listing = String::from_utf8(listing).map_err(|_| damaged("not UTF-8"))?;
        let mut entries = Vec::with_capacity(meta.count.min(listing.len() / 8));
        for l in listing.lines() {
            entries.push(Entry::read(l).map_err(damaged)?);
        }
        let details_at = line.len() as u64 + meta.listing_len;
        if entries.iter().any(|e| {
            e.offset
                .checked_add(e.len)
                .and_then(|end| end.checked_add(details_at))
                .is_none_or(|end| end > size)
        }) {
            return Err(damaged("an operation's detail lies past its end"));
        }
        Ok(Some(Index {
            details_at,
            meta,
            entries,
            file: reader.into_inner(),
        }))
    }

    /// An operation by its id as written or in kebab case.
    pub fn find(&self, name: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.id == name)
            .or_else(|| self.entries.iter().find(|e| kebab(&e.id) == name))
            .or_else(|| {
                let k = kebab(name);
                self.entries.iter().find(|e| kebab(&e.id) == k)
            })
    }

    /// One operation's detail.
    pub fn detail(&mut self, entry: &Entry) -> Result<Operation> {
        let damaged = |why: String| {
            AppError::config(format!("the API index is damaged ({why})"))
                .fix(crate::fix::ApiFix::RebuildIndex)
        };
        self.file
            .seek(SeekFrom::Start(self.details_at + entry.offset))
            .map_err(|e| damaged(e.to_string()))?;
        let mut buf = vec![0u8; usize::try_from(entry.len).map_err(|_| damaged("size".into()))?];
        self.file
            .read_exact(&mut buf)
            .map_err(|e| damaged(e.to_string()))?;
        serde_json::from_slice(&buf).map_err(|e| damaged(e.to_string()))
    }

    /// Seconds since `api sync` wrote it.
    pub fn age(&self) -> i64 {
        crate::time::now().saturating_sub(self.meta.synced_at)
    }

    /// How old the index is when it is older than a day (it still serves): a warning.
    pub fn stale(&self, env: &str) -> Option<crate::fix::Fix> {
        let age = self.age();
        (age > STALE_SECS).then(|| {
            crate::fix::ApiFix::StaleIndex {
                env: env.to_string(),
                age: human_age(age),
            }
            .into()
        })
    }
}

pub fn human_age(secs: i64) -> String {
    match secs {
        s if s < 120 => format!("{s} seconds"),
        s if s < 7200 => format!("{} minutes", s / 60),
        s if s < 2 * 86400 => format!("{} hours", s / 3600),
        s => format!("{} days", s / 86400),
    }
}
