//! `truce merge`: joins the result directories of the shards of one job into the directory the
//! same command would have written on one machine, byte for byte.
//!
//! The shards are checked by their manifests before anything is written: every directory must
//! hold a finished shard (a manifest with a shard, no checkpoint), all of the same job (the same
//! manifest apart from the shard and the file hashes), with the same shard count, and every
//! index from 0 to N-1 exactly once; the files each manifest lists must still have their hashes.
//! Then the bodies of `runs.csv` (and `trace.csv`) are concatenated in shard order (shards are
//! contiguous ranges of runs, so this is the order of one machine), the shards' integer
//! aggregates are added, the job is rebuilt from its manifest (reading its scenario and
//! specification again, which must be unchanged), and the job's own tables and manifest are
//! written by [`Job::finish`], as the one-machine command does.
//!
//! As with `truce run`, a directory holding other results is not overwritten unless asked.

use super::{Report, Request};
use crate::output::aggregate::Aggregates;
use crate::output::job::names;
use crate::output::manifest::Manifest;
use crate::output::{JobError, file_sha256};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// A finished merge.
pub struct Merged {
    /// The job the shards belonged to, rebuilt.
    pub request: Request,
    /// Its merged aggregates.
    pub aggregates: Aggregates,
    /// Its report, as the one-machine command gives it.
    pub report: Report,
    /// The manifest written.
    pub manifest: Manifest,
    /// Number of shards merged.
    pub shards: u64,
}

fn refused(m: impl Into<String>) -> JobError {
    JobError::Refused(m.into())
}

fn io(e: impl Into<anyhow::Error>) -> JobError {
    JobError::Io(e.into())
}

/// Reads a shard directory's manifest, refusing anything but a finished shard.
fn read_shard(dir: &Path) -> Result<Manifest, JobError> {
    if !dir.is_dir() {
        return Err(refused(format!("{} is not a directory", dir.display())));
    }
    if dir.join(names::CHECKPOINT).exists() {
        return Err(refused(format!(
            "{} holds an unfinished shard (it has a checkpoint.json); finish it by running its command again with --resume, then merge",
            dir.display()
        )));
    }
    let path = dir.join(names::MANIFEST);
    if !path.exists() {
        return Err(refused(format!(
            "{} has no manifest.json: it is not the result of a finished truce job",
            dir.display()
        )));
    }
    let m = Manifest::read(&path)
        .map_err(|e| refused(format!("{} is unreadable: {e}", path.display())))?;
    if m.shard.is_none() {
        return Err(refused(format!(
            "{} holds a whole job (`{}`), not a shard; merge joins the directories of `--shard K/N` runs",
            dir.display(),
            m.command
        )));
    }
    Ok(m)
}

/// What differs between two jobs' manifests, in words.
fn differences(a: &Manifest, b: &Manifest) -> Vec<String> {
    let mut d = Vec::new();
    let mut field = |name: &str, x: String, y: String| {
        if x != y {
            d.push(format!("{name} {x} vs {y}"));
        }
    };
    field(
        "command",
        format!("`{}`", a.command),
        format!("`{}`", b.command),
    );
    field("job", a.job.clone(), b.job.clone());
    field("seed", a.seed.to_string(), b.seed.to_string());
    field("runs", a.runs.to_string(), b.runs.to_string());
    field("scenario", a.scenario.clone(), b.scenario.clone());
    field(
        "scenario SHA-256",
        a.scenario_sha256.clone(),
        b.scenario_sha256.clone(),
    );
    let spec = |m: &Manifest| m.spec_sha256.clone().unwrap_or_else(|| "none".to_string());
    field("specification SHA-256", spec(a), spec(b));
    field(
        "method",
        a.method.clone().unwrap_or_default(),
        b.method.clone().unwrap_or_default(),
    );
    field(
        "truce version",
        a.truce_version.clone(),
        b.truce_version.clone(),
    );
    if d.is_empty() {
        d.push("their methods or variants".to_string());
    }
    d
}

/// Merges the shards in `dirs` into `out`. `force` replaces whatever `out` holds.
pub fn merge(dirs: &[PathBuf], out: &Path, force: bool) -> Result<Merged, JobError> {
    if dirs.is_empty() {
        return Err(refused("no shard directories to merge"));
    }
    let mut shards: Vec<(PathBuf, Manifest)> = Vec::new();
    for d in dirs {
        shards.push((d.clone(), read_shard(d)?));
    }
    let (first_dir, first) = &shards[0];
    let identity = first.identity();
    let count = first.shard.expect("checked").count;
    for (dir, m) in &shards[1..] {
        if m.identity() != identity {
            return Err(refused(format!(
                "{} and {} are shards of different jobs ({}); merge only the shards of one command",
                first_dir.display(),
                dir.display(),
                differences(first, m).join("; ")
            )));
        }
        let c = m.shard.expect("checked").count;
        if c != count {
            return Err(refused(format!(
                "{} is shard {} but {} is shard {}: the same job split into different numbers of shards",
                first_dir.display(),
                first.shard.expect("checked"),
                dir.display(),
                m.shard.expect("checked")
            )));
        }
    }
    let mut by_index: Vec<Option<&PathBuf>> = vec![None; count as usize];
    for (dir, m) in &shards {
        let s = m.shard.expect("checked");
        if let Some(other) = by_index[s.index as usize] {
            return Err(refused(format!(
                "shard {s} is given twice: {} and {}",
                other.display(),
                dir.display()
            )));
        }
        by_index[s.index as usize] = Some(dir);
    }
    let missing: Vec<String> = by_index
        .iter()
        .enumerate()
        .filter(|(_, d)| d.is_none())
        .map(|(i, _)| format!("{i}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(refused(format!(
            "shard{} {} of `{}` {} missing; merge needs all {count} shards, 0/{count} to {}/{count}",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", "),
            first.command,
            if missing.len() > 1 { "are" } else { "is" },
            count - 1
        )));
    }
    shards.sort_by_key(|(_, m)| m.shard.expect("checked").index);

    // The files must be those the shards' manifests describe.
    let mut streams = vec![names::RUNS];
    if identity.trace > 0 {
        streams.push(names::TRACE);
    }
    for (dir, m) in &shards {
        for name in streams.iter().chain(&[names::AGGREGATES]) {
            let path = dir.join(name);
            let want = m.files.get(*name).ok_or_else(|| {
                refused(format!(
                    "{}/manifest.json does not list {name}",
                    dir.display()
                ))
            })?;
            let got = file_sha256(&path)
                .map_err(|e| refused(format!("cannot read {}: {e}", path.display())))?;
            if &got != want {
                return Err(refused(format!(
                    "{} does not match its manifest (it changed after the shard finished); rerun that shard",
                    path.display()
                )));
            }
        }
    }

    let request = Request::from_manifest(&identity, out).map_err(|e| {
        refused(format!(
            "cannot rebuild the job of the shards (`{}`): {e}",
            identity.command
        ))
    })?;
    let job = request
        .job(identity.command.clone())
        .map_err(|e| refused(format!("cannot rebuild the job of the shards: {e}")))?;
    if job.manifest != identity {
        return Err(refused(format!(
            "the shards' manifest differs from the job `{}` rebuilt from it ({}); were they made by another version of truce?",
            identity.command,
            differences(&identity, &job.manifest).join("; ")
        )));
    }
    prepare_out(out, &shards, &identity, force)?;

    for name in &streams {
        concatenate(
            &shards.iter().map(|(d, _)| d.join(name)).collect::<Vec<_>>(),
            &out.join(format!("{name}{}", names::PARTIAL)),
        )?;
    }
    let mut agg: Option<Aggregates> = None;
    for (dir, _) in &shards {
        let path = dir.join(names::AGGREGATES);
        let text = std::fs::read_to_string(&path).map_err(io)?;
        let a: Aggregates = serde_json::from_str(&text)
            .map_err(|e| refused(format!("{} is unreadable: {e}", path.display())))?;
        match &mut agg {
            None => agg = Some(a),
            Some(total) => total
                .merge(&a)
                .map_err(|e| refused(format!("{}: {e}", path.display())))?,
        }
    }
    let agg = agg.expect("at least one shard");
    let expected = identity.runs * identity.variants;
    let got: u64 = agg.variants.iter().map(|v| v.runs).sum();
    if got != expected {
        return Err(refused(format!(
            "the shards hold {got} runs, but the job has {expected}"
        )));
    }
    let (tables, report) = request.tables(&agg);
    let manifest = job.finish(agg.clone(), &tables)?;
    Ok(Merged {
        request,
        aggregates: agg,
        report,
        manifest,
        shards: count,
    })
}

/// Checks that `out` may receive the merged job, as `truce run` checks its directory.
fn prepare_out(
    out: &Path,
    shards: &[(PathBuf, Manifest)],
    identity: &Manifest,
    force: bool,
) -> Result<(), JobError> {
    crate::output::job::create_out_dir(out)?;
    let canonical = out.canonicalize().map_err(io)?;
    for (dir, _) in shards {
        if dir.canonicalize().ok().as_deref() == Some(canonical.as_path()) {
            return Err(refused(format!(
                "--out {} is one of the shards; merge into another directory",
                out.display()
            )));
        }
    }
    let checkpoint = out.join(names::CHECKPOINT);
    let manifest = out.join(names::MANIFEST);
    if checkpoint.exists() && !force {
        return Err(refused(format!(
            "{} holds an interrupted job; finish it with --resume, or use --force to replace it",
            out.display()
        )));
    }
    if manifest.exists() && !force {
        let same = Manifest::read(&manifest)
            .map(|m| {
                Manifest {
                    files: Default::default(),
                    ..m
                } == *identity
            })
            .unwrap_or(false);
        if !same {
            return Err(refused(format!(
                "{} already holds other results; use another --out, or --force to replace them",
                out.display()
            )));
        }
    }
    for p in [checkpoint, manifest] {
        if p.exists() {
            std::fs::remove_file(p).map_err(io)?;
        }
    }
    Ok(())
}

/// Writes the header of the first file and the bodies of all, in order; every header must be
/// the same.
fn concatenate(inputs: &[PathBuf], output: &Path) -> Result<(), JobError> {
    let mut w = BufWriter::new(File::create(output).map_err(io)?);
    let mut header: Option<Vec<u8>> = None;
    for p in inputs {
        let mut r = BufReader::new(File::open(p).map_err(io)?);
        let mut line = Vec::new();
        r.read_until(b'\n', &mut line).map_err(io)?;
        match &header {
            None => {
                w.write_all(&line).map_err(io)?;
                header = Some(line);
            }
            Some(h) if *h == line => {}
            Some(_) => {
                return Err(refused(format!(
                    "{} has other columns than the first shard's",
                    p.display()
                )));
            }
        }
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = r.read(&mut buf).map_err(io)?;
            if n == 0 {
                break;
            }
            w.write_all(&buf[..n]).map_err(io)?;
        }
    }
    w.flush().map_err(io)?;
    w.get_ref().sync_all().map_err(io)?;
    Ok(())
}
