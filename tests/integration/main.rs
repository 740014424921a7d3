//! Integration tests: they drive the `truce` binary as a user would. One test crate, so the
//! binary and the helpers link once.

mod bad_input;
mod bad_spec;
mod determinism;
mod explore;
mod provisions;
mod resume;
mod run;
mod shards;
mod util;
