//! What the CLI tests share: the `tdkt` binary run against a test
//! database with the test key and quiet logs, and what it printed.

use std::process::{Command, Output};

/// The master key of `tdkt_store::testing::test_secrets` ([42; 32]).
pub const KEY: &str = "2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a";

/// The `tdkt` binary against database `url`, with [`KEY`] and quiet logs;
/// the caller adds its arguments and anything else.
pub fn command(url: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tdkt"));
    c.env("TDKT_DATABASE_URL", url)
        .env("TDKT_SECRET_KEY", KEY)
        .env("TDKT_LOG", "warn");
    c
}

/// Runs `tdkt args` against database `url`.
pub fn run(url: &str, args: &[&str]) -> Output {
    command(url).args(args).output().expect("run tdkt")
}

/// What a run printed: its standard output, then its standard error.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
