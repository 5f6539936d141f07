//! The `tdkt` binary: thin; everything testable lives in the library crates.

#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    tdkt_cli::main()
}
