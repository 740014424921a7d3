//! Result files: their rows, the streaming aggregates behind the summary tables, the manifest,
//! and the job that writes them (atomically, resumably) as runs complete.
//!
//! A result directory holds, when complete:
//! - `runs.csv`: one row per run (per design point and run in sweeps), in task order;
//! - `survival.csv` (run): the share of runs still holding by day, with 95% intervals and the
//!   cumulative share collapsed by each cause;
//! - `provisions.csv` (run): one row per provision: implementation, violations by side, when
//!   violations first came;
//! - `sweep.csv`, `ablation.csv`, `sensitivity.csv` and `design.csv` for the exploring
//!   commands;
//! - `trace.csv` when `--trace K` was given;
//! - `aggregates.json`: the exact counts the tables are computed from (what `truce merge` adds
//!   up);
//! - `manifest.json`: how the result was made, with the SHA-256 of every file.

pub mod aggregate;
pub mod job;
pub mod manifest;
pub mod rows;
pub mod tables;

pub use aggregate::Aggregates;
pub use job::{Finished, Job, JobError, Options};
pub use manifest::Manifest;

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically: to a temporary file in the same directory, synced,
/// then renamed over `path`. A reader never sees a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp"));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

/// A table as CSV bytes.
pub fn csv_bytes(header: &[String], rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)
        .expect("writing to memory cannot fail");
    for r in rows {
        w.write_record(r).expect("writing to memory cannot fail");
    }
    w.into_inner().expect("writing to memory cannot fail")
}

/// SHA-256 of a file, hex.
pub fn file_sha256(path: &Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(crate::scenario::hex(&h.finalize()))
}
