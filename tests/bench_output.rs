//! What the built-in rules find on the clean bench corpus (21,268 news
//! articles in ../shared/bench), held to a snapshot: a digest of the whole
//! `--format json` output and the count of each rule's findings. Work that
//! should change no finding (speed work above all) must leave it
//! byte-identical; a change of detection shows here as counts per rule,
//! and updates the snapshot with `KZLINT_BLESS=1 cargo test --test
//! bench_output`.
//!
//! Without ../shared/bench or `zstd` the test says so and passes, unless
//! KZLINT_REQUIRE_BENCH is set (CI sets it).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const SNAPSHOT: &str = "tests/snapshots/bench-output.txt";

/// The bench corpus unpacked once under the test's scratch folder; None
/// (with why) when it cannot be.
fn unpacked() -> Result<PathBuf, String> {
    let tarball = root().join("../shared/bench/news-corpus.tar.zst");
    if !tarball.is_file() {
        return Err(format!("{} not found", tarball.display()));
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-output");
    if dir.join("corpus").is_dir() {
        return Ok(dir);
    }
    let partial = dir.with_extension("partial");
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir_all(&partial).map_err(|e| e.to_string())?;
    let zstd = Command::new("zstd")
        .arg("-dc")
        .arg(&tarball)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("zstd: {e}"))?;
    let status = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(&partial)
        .stdin(zstd.stdout.expect("piped"))
        .status()
        .map_err(|e| format!("tar: {e}"))?;
    if !status.success() {
        return Err(format!("tar -x failed: {status}"));
    }
    // An empty configuration, so none from a folder above applies.
    std::fs::write(partial.join("kzlint.toml"), "").map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::rename(&partial, &dir).map_err(|e| e.to_string())?;
    Ok(dir)
}

/// FNV-1a, 64 bits: a stable digest with no dependency.
fn digest(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The snapshot's text for one JSON Lines output.
fn summary(output: &[u8]) -> String {
    let mut rules: BTreeMap<String, usize> = BTreeMap::new();
    let mut files = std::collections::HashSet::new();
    let mut total = 0;
    for line in output.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let d: serde_json::Value = serde_json::from_slice(line).expect("a JSON line");
        *rules
            .entry(d["rule"].as_str().expect("rule").to_string())
            .or_default() += 1;
        files.insert(d["path"].as_str().expect("path").to_string());
        total += 1;
    }
    let mut text = format!(
        "# kzlint --format json corpus/ on ../shared/bench: what the built-in rules find.\n\
         # Update after a change of detection: KZLINT_BLESS=1 cargo test --test bench_output\n\
         digest {:016x}\ndiagnostics {total}\nfiles {}\n",
        digest(output),
        files.len()
    );
    for (rule, n) in rules {
        text.push_str(&format!("{rule} {n}\n"));
    }
    text
}

/// The lines of `a` and `b` that differ, for the failure message.
fn difference(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    let mut out = String::new();
    for line in &a {
        if !b.contains(line) {
            out.push_str(&format!("- {line}\n"));
        }
    }
    for line in &b {
        if !a.contains(line) {
            out.push_str(&format!("+ {line}\n"));
        }
    }
    out
}

#[test]
fn the_bench_corpus_output_matches_its_snapshot() {
    let dir = match unpacked() {
        Ok(dir) => dir,
        Err(why) if std::env::var_os("KZLINT_REQUIRE_BENCH").is_none() => {
            eprintln!("skipped: the bench corpus is not available ({why})");
            return;
        }
        Err(why) => panic!("KZLINT_REQUIRE_BENCH is set, but: {why}"),
    };
    // Relative paths, so the output does not depend on where the project is.
    let out = Command::new(env!("CARGO_BIN_EXE_kzlint"))
        .current_dir(&dir)
        .args(["--format", "json", "--quiet", "--no-baseline", "corpus"])
        .output()
        .expect("kzlint runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "kzlint failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let actual = summary(&out.stdout);
    let snapshot = root().join(SNAPSHOT);
    if std::env::var_os("KZLINT_BLESS").is_some() {
        std::fs::write(&snapshot, &actual).expect("writing the snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
    assert!(
        expected == actual,
        "the output on the bench corpus changed (run with KZLINT_BLESS=1 if the change is meant):\n{}",
        difference(&expected, &actual)
    );
}

#[test]
fn the_summary_counts_rules_and_tells_outputs_apart() {
    let a = b"{\"path\":\"x\",\"rule\":\"r/a\"}\n{\"path\":\"y\",\"rule\":\"r/a\"}\n";
    let b = b"{\"path\":\"x\",\"rule\":\"r/a\"}\n{\"path\":\"z\",\"rule\":\"r/a\"}\n";
    let (sa, sb) = (summary(a), summary(b));
    assert!(
        sa.contains("\nr/a 2\n") && sa.contains("\nfiles 2\n"),
        "{sa}"
    );
    assert_ne!(sa, sb, "another path is another output");
    let diff = difference(&sa, &sb);
    assert_eq!(diff.lines().count(), 2, "{diff}");
}
