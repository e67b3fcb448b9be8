//! Shared by the integration tests: run the real binary.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

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

/// Runs kzlint with `args` in `cwd`, writing `input` to its standard input.
#[allow(dead_code)] // not every test file reads standard input
pub fn kzlint_with_stdin(args: &[&str], cwd: &Path, input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kzlint"))
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kzlint starts");
    child
        .stdin
        .take()
        .expect("a stdin pipe")
        .write_all(input)
        .expect("kzlint reads its input");
    child.wait_with_output().expect("kzlint runs")
}
