//! `truce run`: a plain Monte Carlo of one scenario (with some provisions switched off), as a
//! [`Job`] and the tables it ends with.

use crate::batch::{self, Shard};
use crate::engine::Variant;
use crate::output::aggregate::Aggregates;
use crate::output::manifest::{Manifest, standard_methods};
use crate::output::rows::RunColumns;
use crate::output::tables::{Summary, provisions_table, summary, survival_table};
use crate::output::{Job, csv_bytes};
use crate::scenario::Scenario;
use std::path::PathBuf;
use std::sync::Arc;

/// What `truce run` was asked for.
#[derive(Debug, Clone)]
pub struct RunRequest {
    /// The scenario.
    pub scenario: Arc<Scenario>,
    /// Runs in the whole job.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// Points switched off.
    pub disabled: Vec<u32>,
    /// Runs to trace.
    pub trace: u64,
    /// The shard to simulate.
    pub shard: Shard,
    /// Result directory.
    pub out: PathBuf,
}

/// Switches off the provisions bound to `points`; every point must exist in the scenario.
pub fn disable(scenario: &Scenario, variant: &mut Variant, points: &[u32]) -> Result<(), String> {
    for &p in points {
        match scenario.provision_at(p) {
            Some(info) => variant.enabled.remove(info.kind),
            None => {
                let mut known: Vec<u32> = scenario.provisions.iter().map(|p| p.point).collect();
                known.sort();
                let list = known
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(format!(
                    "--disable {p}: the scenario has no point {p}; its points are {list}"
                ));
            }
        }
    }
    Ok(())
}

/// The canonical form of a command: its words without the options that do not change results.
pub fn canonical_command(words: &[String]) -> String {
    words.join(" ")
}

impl RunRequest {
    /// The job for this request; `command` is its canonical command line.
    pub fn job(&self, command: String) -> Result<Job, String> {
        let sc = &self.scenario;
        let mut variant = Variant::of(sc);
        let mut disabled = self.disabled.clone();
        disabled.sort_unstable();
        disabled.dedup();
        disable(sc, &mut variant, &disabled)?;
        let manifest = Manifest {
            truce_version: env!("CARGO_PKG_VERSION").to_string(),
            command,
            job: "run".to_string(),
            method: None,
            scenario: sc.path.display().to_string(),
            scenario_sha256: sc.sha256.clone(),
            spec: None,
            spec_sha256: None,
            seed: self.seed,
            runs: self.runs,
            variants: 1,
            disabled: disabled.clone(),
            trace: self.trace,
            shard: (!self.shard.is_whole()).then_some(self.shard),
            methods: standard_methods(),
            files: Default::default(),
        };
        Ok(Job {
            manifest,
            plan: batch::Plan {
                scenario: sc.clone(),
                variants: Arc::new(vec![variant]),
                runs: self.runs,
                seed: self.seed,
                shard: self.shard,
                trace: self.trace,
            },
            columns: RunColumns::new(sc, None),
            trace_variant: None,
            detailed: true,
            out: self.out.clone(),
        })
    }

    /// The tables a run ends with, and its summary.
    pub fn tables(&self, agg: &Aggregates) -> (Vec<(&'static str, Vec<u8>)>, Summary) {
        let sc = &self.scenario;
        let v = &agg.variants[0];
        let tick = sc.params.spec(sc.time.tick).value;
        let (h, rows) = survival_table(sc, v, tick);
        let survival = csv_bytes(&h, &rows);
        let (h, rows) = provisions_table(sc, agg, &self.disabled);
        let provisions = csv_bytes(&h, &rows);
        (
            vec![("survival.csv", survival), ("provisions.csv", provisions)],
            summary(sc, v),
        )
    }
}
