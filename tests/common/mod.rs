//! Shared by the integration tests: run the real binary.

use std::path::Path;
use std::process::{Command, Output};

/// Runs kzlint with `args` in `cwd`, with NO_COLOR unset so colour tests
/// see the real default.
pub fn kzlint(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kzlint"))
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .output()
        .expect("kzlint runs")
}
