//! `manifest.json`: how a result was made, enough to reproduce it, and the hashes of the files
//! it describes. Its content is deterministic (no dates, no timings, no thread counts), so a
//! merged set of shards has the same manifest as one machine's run of the same command.

use crate::batch::Shard;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The manifest of a result directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Version of truce that wrote it.
    pub truce_version: String,
    /// The command, without the options that do not change results (--out, --threads,
    /// --quiet, --resume, --force, --batch, --shard).
    pub command: String,
    /// `run`, `sweep`, `ablate` or `sensitivity`.
    pub job: String,
    /// The method of a sensitivity analysis (`morris` or `sobol`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The scenario file, as given.
    pub scenario: String,
    /// SHA-256 of the scenario file.
    pub scenario_sha256: String,
    /// The sweep or sensitivity specification, as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<String>,
    /// SHA-256 of the specification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec_sha256: Option<String>,
    /// Master seed.
    pub seed: u64,
    /// Runs per variant (design point) in the whole job.
    pub runs: u64,
    /// Variants (design points) in the job.
    pub variants: u64,
    /// Points switched off in every variant.
    pub disabled: Vec<u32>,
    /// Runs traced.
    pub trace: u64,
    /// The part of the job these files hold, when it was split into shards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
    /// How the figures were computed.
    pub methods: BTreeMap<String, String>,
    /// SHA-256 of each result file.
    #[serde(default)]
    pub files: BTreeMap<String, String>,
}

impl Manifest {
    /// The manifest without file hashes and shard: what identifies the job.
    pub fn identity(&self) -> Manifest {
        Manifest {
            files: BTreeMap::new(),
            shard: None,
            ..self.clone()
        }
    }

    /// Reads a manifest.
    pub fn read(path: &Path) -> anyhow::Result<Manifest> {
        let text = std::fs::read_to_string(path)?;
        Ok(serde_json::from_str(&text)?)
    }

    /// The manifest as pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a manifest always serialises");
        s.push('\n');
        s
    }
}

/// The methods every result states.
pub fn standard_methods() -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    m.insert(
        "seeds".to_string(),
        "run seed = splitmix64(seed xor splitmix64(run x 0xD1B54A32D192ED03)); each party and decision site draws from its own ChaCha8 stream keyed by the run seed".to_string(),
    );
    m.insert(
        "survival".to_string(),
        "Kaplan-Meier; runs are censored only at the horizon, so it equals the share of runs still holding".to_string(),
    );
    m.insert(
        "intervals".to_string(),
        "95%: Wilson score intervals for shares; normal intervals for means; Newcombe's hybrid score interval (method 10) for paired differences".to_string(),
    );
    m
}
