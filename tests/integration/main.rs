//! Integration tests: they drive the `truce` binary as a user would. One test crate, so the
//! binary and the helpers link once.

mod bad_input;
mod determinism;
mod provisions;
mod run;
mod util;
