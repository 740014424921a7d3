//! `truce` simulates a peace agreement provision by provision as an agent-based model on
//! `bevy_ecs`, and runs it many times with seeded randomness to measure how stable the
//! agreement is: how often and how soon it breaks, by which path, and which provisions hold it
//! together.
//!
//! The library holds the model and prints nothing; the `truce` binary is a thin command line
//! over it. The parts, in the order data flows through them:
//! - [`scenario`]: the strict TOML format of an agreement and its checks;
//! - [`model`]: the components, messages and spawning of a run's entities;
//! - [`conflict`]: the causal core shared by every agreement;
//! - [`provisions`]: one module per family of provisions;
//! - [`engine`]: the tick schedule and the World that runs batches of runs;
//! - [`batch`]: the Monte Carlo driver (threads, seeds, shards, resumable streaming output);
//! - [`output`]: the CSV tables, survival curves and manifest;
//! - [`runs`]: the plain Monte Carlo job of `truce run`;
//! - [`explore`]: sweeps, provision ablation, sensitivity analysis, and merging shards;
//! - [`stats`]: intervals, Kaplan–Meier, designs and sensitivity estimators.

pub mod batch;
pub mod conflict;
pub mod engine;
pub mod explore;
pub mod model;
pub mod output;
pub mod provisions;
pub mod runs;
pub mod scenario;
pub mod stats;
#[cfg(test)]
pub(crate) mod testing;
