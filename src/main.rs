//! The `truce` command line: parses arguments, calls the library, prints, exits.
//!
//! Exit status: 0 on success; 2 for bad input (a wrong scenario or specification, a wrong
//! command line, a result directory that must not be overwritten); 1 when reading or writing
//! files fails; 130 when interrupted (the job can then be finished with `--resume`).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
