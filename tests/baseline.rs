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

/// The baseline keeps its mode when rewritten, a new one takes the umask's,
/// a byte-order mark is read, and an unknown version or bytes that are not
/// UTF-8 are a broken baseline (exit 3).
#[test]
fn baseline_mode_version_bom_and_encoding() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("a.txt"), "Dam repairs begin\n\nRepairs to the dam began on Monday, the water board said.\n\nSource link\n").unwrap();
    let baseline = root.join(".kzlint-baseline.json");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;

    assert_eq!(kzlint(&["baseline", "."], root).status.code(), Some(0));
    let probe = root.join("probe");
    std::fs::write(&probe, "").unwrap();
    assert_eq!(
        mode(&baseline),
        mode(&probe),
        "a new baseline takes the umask's mode"
    );
    std::fs::set_permissions(&baseline, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(kzlint(&["baseline", "."], root).status.code(), Some(0));
    assert_eq!(
        mode(&baseline),
        0o644,
        "a rewritten baseline keeps its mode"
    );

    let json = std::fs::read_to_string(&baseline).unwrap();
    std::fs::write(&baseline, format!("\u{feff}{json}")).unwrap();
    let with_bom = kzlint(&["--format", "short", "a.txt"], root);
    assert_eq!(with_bom.status.code(), Some(0), "{}", stderr(&with_bom));

    for version in ["0", "99"] {
        std::fs::write(
            &baseline,
            json.replace("\"version\": 1", &format!("\"version\": {version}")),
        )
        .unwrap();
        let out = kzlint(&["a.txt"], root);
        assert_eq!(out.status.code(), Some(3), "version {version}");
        assert!(
            stderr(&out).contains(&format!("version {version} (this kzlint reads version 1)")),
            "{}",
            stderr(&out)
        );
    }
    std::fs::write(&baseline, b"{\"version\": 1, \"entries\": [\xff]}").unwrap();
    let out = kzlint(&["a.txt"], root);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("not a kzlint baseline: not UTF-8"),
        "{}",
        stderr(&out)
    );
}

fn entries(root: &std::path::Path) -> Vec<(String, String)> {
    let json = std::fs::read_to_string(root.join(".kzlint-baseline.json")).unwrap();
    let baseline: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut found: Vec<(String, String)> = baseline["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().into(),
                e["rule"].as_str().unwrap().into(),
            )
        })
        .collect();
    found.sort();
    found
}

/// A run over some files, or with some rules off, or without the corpus
/// pass, updates only what it could find again: the other entries stay
/// (issue 20, defect 4).
#[test]
fn a_subset_run_updates_only_the_entries_it_could_find_again() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (name, place) in [("a.txt", "dam"), ("b.txt", "bridge")] {
        let text = format!("Works begin\n\nRepairs to the {place} began on Monday, officials said.\n\nSource link\n");
        std::fs::write(root.join(name), text).unwrap();
    }
    kzlint(&["baseline", "."], root);
    let all = entries(root);
    assert_eq!(all.len(), 4, "{all:?}");

    // One file: the other's entries stay.
    std::fs::write(
        root.join("a.txt"),
        "Works begin\n\nRepairs to the dam began on Monday, officials said.\n",
    )
    .unwrap();
    let wrote = kzlint(&["baseline", "a.txt"], root);
    assert!(
        stderr(&wrote).contains("wrote 1 findings"),
        "{}",
        stderr(&wrote)
    );
    let now = entries(root);
    assert_eq!(
        now.iter().filter(|(p, _)| p == "b.txt").count(),
        2,
        "{now:?}"
    );
    assert_eq!(
        now.iter().filter(|(p, _)| p == "a.txt").count(),
        1,
        "{now:?}"
    );

    // A rule switched off: its entries stay.
    kzlint(&["baseline", "--disable", "attribution", "."], root);
    assert_eq!(entries(root).len(), 3, "{:?}", entries(root));
}

/// Pruning one file of a corpus keeps the entry of a finding that only the
/// whole corpus shows (a name spelled differently in other files).
#[test]
fn pruning_one_file_keeps_what_only_the_corpus_finds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let names =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus-names");
    for f in ["a.txt", "b.txt", "c.txt"] {
        std::fs::copy(names.join(f), root.join(f)).unwrap();
    }
    kzlint(&["baseline", "."], root);
    let variant = ("c.txt".to_string(), "translation/name-variant".to_string());
    assert!(entries(root).contains(&variant));
    let pruned = kzlint(&["baseline", "--prune", "c.txt"], root);
    assert!(
        stderr(&pruned).contains("dropped 0 stale entries"),
        "{}",
        stderr(&pruned)
    );
    assert!(entries(root).contains(&variant));
}
