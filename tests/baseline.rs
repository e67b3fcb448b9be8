//! The baseline through the binary: written, honoured, robust to edits
//! elsewhere in the file, and pruned.

mod common;
use common::kzlint;

use std::process::Output;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn baselined_findings_stay_hidden_until_their_text_changes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let article = root.join("articles/a.txt");
    std::fs::create_dir_all(article.parent().unwrap()).unwrap();
    std::fs::write(&article, "Dam repairs begin\n\nRepairs to the dam began on Monday, the water board said.\n\nSource link\n").unwrap();

    let wrote = kzlint(&["baseline", "."], root);
    assert_eq!(wrote.status.code(), Some(0), "{}", stderr(&wrote));
    assert!(stderr(&wrote).contains("wrote 1 findings to ./.kzlint-baseline.json"));
    let json = std::fs::read_to_string(root.join(".kzlint-baseline.json")).unwrap();
    assert!(
        json.contains("\"path\": \"articles/a.txt\"") && json.contains("syndication/source-link")
    );

    let clean = kzlint(&["--format", "short", "."], root);
    assert_eq!(clean.status.code(), Some(0));
    assert!(stdout(&clean).contains("1 hidden by the baseline"));

    // A paragraph added above: still the same finding, still hidden; and
    // the baseline works from another folder too.
    std::fs::write(&article, "Dam repairs begin\n\nEngineers arrived early on Monday, the board said.\n\nRepairs to the dam began on Monday, the water board said.\n\nSource link\n").unwrap();
    let moved = kzlint(
        &[
            "--format",
            "short",
            "a.txt",
            "--baseline",
            "../.kzlint-baseline.json",
        ],
        &root.join("articles"),
    );
    assert_eq!(moved.status.code(), Some(0), "{}", stdout(&moved));

    // The finding's text changes: it comes back, and the old entry is stale.
    std::fs::write(&article, "Dam repairs begin\n\nRepairs to the dam began on Monday, the water board said.\n\nSource Link:\n").unwrap();
    let back = kzlint(&["--format", "short", "."], root);
    assert_eq!(back.status.code(), Some(1));
    assert!(stdout(&back).contains("source-link residue `Source Link:`"));
    assert!(stderr(&back).contains("1 baselined findings no longer occur"));

    let pruned = kzlint(&["baseline", "--prune", "."], root);
    assert!(
        stderr(&pruned).contains("dropped 1 stale entries"),
        "{}",
        stderr(&pruned)
    );
    let after = kzlint(&["--format", "short", "."], root);
    assert_eq!(after.status.code(), Some(1));
    assert!(!stderr(&after).contains("no longer occur"));

    // --no-baseline shows everything.
    kzlint(&["baseline", "."], root);
    assert_eq!(kzlint(&["--no-baseline", "."], root).status.code(), Some(1));
}
