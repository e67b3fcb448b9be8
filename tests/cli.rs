//! Command-line cases as files: each `tests/cmd/*.toml` names the arguments
//! and exit code, with the expected output beside it (`*.stdout`,
//! `*.stderr`). Regenerate after an intended change with
//! `TRYCMD=overwrite cargo test --test cli` and review the diff.

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
