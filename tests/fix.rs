//! --fix, --unsafe-fixes, --diff and standard input, through the binary.

mod common;
use common::{kzlint, kzlint_with_stdin};

use std::os::unix::fs::PermissionsExt;

const DAMAGED: &str = "Ferry resumes\n\nThe ferry resumed service on Monday, the operator said.\n\nSource link\n\nLeave a Reply\n\nThe minister said. said that fares would not rise.\n";

#[test]
fn fix_removes_residue_and_a_second_run_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.txt");
    std::fs::write(&path, DAMAGED).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();

    let out = kzlint(&["--fix", "--format", "short", "a.txt"], dir.path());
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert!(
        !fixed.contains("Source link") && !fixed.contains("Leave a Reply"),
        "{fixed}"
    );
    // The doubled "said" is an unsafe fix: still there, still reported.
    assert!(fixed.contains("said. said"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("doubled-fragment"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o640
    );

    let again = kzlint(&["--fix", "--format", "short", "a.txt"], dir.path());
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        fixed,
        "a second --fix changes nothing"
    );
    assert!(String::from_utf8_lossy(&again.stdout).contains("checked 1 file"));
    assert!(!String::from_utf8_lossy(&again.stdout).contains("fixed"));

    kzlint(&["--unsafe-fixes", "a.txt"], dir.path());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("The minister said that fares"), "{text}");
}

#[test]
fn a_read_only_file_gets_an_error_and_is_left_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ro.txt");
    std::fs::write(&path, DAMAGED).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = kzlint(&["--fix", "--format", "short", "ro.txt"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("ro.txt: file is read-only; left unchanged")
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), DAMAGED);
    // What it still contains is reported.
    assert!(String::from_utf8_lossy(&out.stdout).contains("source-link"));
}

#[test]
fn diff_prints_the_change_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.txt");
    std::fs::write(&path, DAMAGED).unwrap();
    let out = kzlint(&["--diff", "d.txt"], dir.path());
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.contains("--- a/d.txt") && diff.contains("-Source link"),
        "{diff}"
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), DAMAGED);
}

#[test]
fn crlf_line_ends_survive_a_fix() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crlf.txt");
    std::fs::write(
        &path,
        "Body text, the agency said.\r\n\r\n--AFP\r\n\r\nMore text.\r\n",
    )
    .unwrap();
    kzlint(&["--fix", "crlf.txt"], dir.path());
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "Body text, the agency said.\r\n\r\nMore text.\r\n"
    );
}

#[test]
fn standard_input_is_linted_under_its_given_name_and_fixed_to_standard_output() {
    let cwd = std::env::current_dir().unwrap();
    let run = |args: &[&str]| kzlint_with_stdin(args, &cwd, b"Body text.\n--AFP\n");
    let out = run(&["--format", "short", "--stdin-filename", "drafts/a.txt", "-"]);
    assert!(String::from_utf8_lossy(&out.stdout)
        .starts_with("drafts/a.txt:2:1: warning[syndication/wire-sign-off]"));
    assert_eq!(out.status.code(), Some(1));
    let out = run(&["--fix", "-"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "Body text.\n");
}

#[test]
fn removing_the_last_block_leaves_exactly_one_final_line_break() {
    let body = "The council voted to close the old bridge on Tuesday after engineers found cracks.";
    for (input, want) in [
        (format!("{body}\n\nSource link\n"), format!("{body}\n")),
        (
            format!("{body}\r\n\r\nSource link\r\n"),
            format!("{body}\r\n"),
        ),
        (format!("{body}\n\nSource link"), body.to_string()),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, &input).unwrap();
        kzlint(&["--fix", "--quiet", "a.txt"], dir.path());
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            want,
            "from {input:?}"
        );
    }
}
