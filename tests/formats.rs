//! The CI formats through the binary: SARIF validated against the official
//! 2.1.0 schema, GitHub workflow commands parsed back, and the editor
//! problem matcher shipped in editors/vscode/tasks.json.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

fn kzlint(args: &[&str]) -> Output {
    common::kzlint(args, root())
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn sarif_for_corpus_validates_against_the_official_schema() {
    let out = kzlint(&["--format", "sarif", "corpus/"]);
    assert_eq!(out.status.code(), Some(1));
    let sarif: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("stdout is one JSON document");
    // The schema file is verbatim. Its run.language pattern has a stray `]`
    // (a known erratum, not a valid regex); it is corrected in memory, as
    // later revisions of the schema did, so the validator can compile it.
    let text = std::fs::read_to_string(root().join("tests/sarif/sarif-2.1.0.schema.json"))
        .unwrap()
        .replace(
            r#"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$"#,
            r#"^[a-zA-Z]{2}(-[a-zA-Z]{2})?$"#,
        );
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
    // The validator does reject what the schema forbids.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("catastrophic");
    assert!(!validator.is_valid(&broken));

    // Every rule's metadata, and byte offsets that slice the file.
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let listed = kzlint(&["rules"]);
    assert_eq!(
        rules.len(),
        String::from_utf8_lossy(&listed.stdout).lines().count()
    );
    assert!(rules
        .iter()
        .all(|r| r["help"]["text"].is_string() && r["fullDescription"]["markdown"].is_string()));
    let results = run["results"].as_array().unwrap();
    assert!(results.len() > 20);
    for r in results {
        let loc = &r["locations"][0]["physicalLocation"];
        let bytes =
            std::fs::read(root().join(loc["artifactLocation"]["uri"].as_str().unwrap())).unwrap();
        let start = loc["region"]["byteOffset"].as_u64().unwrap() as usize;
        let len = loc["region"]["byteLength"].as_u64().unwrap() as usize;
        assert!(std::str::from_utf8(&bytes[start..start + len]).is_ok());
    }
}

#[test]
fn github_annotations_are_escaped_and_capped_with_a_final_notice() {
    let out = kzlint(&["--format", "github", "--max-annotations", "5", "corpus/"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let annotations: Vec<&str> = text
        .lines()
        .filter(|l| {
            l.starts_with("::warning ")
                || l.starts_with("::error ")
                || l.starts_with("::notice file")
        })
        .collect();
    assert_eq!(annotations.len(), 5);
    let re = regex::Regex::new(r"^::(warning|error|notice) file=([^,]+),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=([^:]+)::(.+)$").unwrap();
    for a in &annotations {
        let caps = re
            .captures(a)
            .unwrap_or_else(|| panic!("not a workflow command: {a}"));
        assert!(caps[2].starts_with("corpus/") && !caps[8].contains('\n'));
    }
    assert!(text
        .lines()
        .any(|l| l.starts_with("::notice title=kzlint::")
            && l.contains("more diagnostics not shown")));
}

/// Where VS Code's problem matcher puts a reported file: `fileLocation`
/// is `["relative", base]`, `["absolute"]` or `["autoDetect", base]`.
fn vscode_location(file_location: &serde_json::Value, file: &str, workspace: &Path) -> PathBuf {
    let kind = file_location[0]
        .as_str()
        .unwrap_or(file_location.as_str().unwrap_or(""));
    let base = file_location[1]
        .as_str()
        .map(|b| PathBuf::from(b.replace("${workspaceFolder}", &workspace.display().to_string())))
        .unwrap_or_else(|| workspace.to_path_buf());
    match kind {
        "absolute" => PathBuf::from(file),
        "autoDetect" if Path::new(file).is_absolute() => PathBuf::from(file),
        _ => base.join(file),
    }
}

/// The shipped task's problem matcher reads every line kzlint prints, run
/// as the task runs it and with absolute paths too: each problem points at
/// the file, line and UTF-16 column (VS Code's unit) of the finding
/// (issue 20, defect 1).
#[test]
fn the_vscode_problem_matcher_parses_every_short_line_for_corpus() {
    let tasks: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("editors/vscode/tasks.json")).unwrap(),
    )
    .unwrap();
    let task = &tasks["tasks"][0];
    let matcher = &task["problemMatcher"];
    let pattern = &matcher["pattern"];
    let re = regex::Regex::new(pattern["regexp"].as_str().unwrap()).unwrap();
    let group = |name: &str| pattern[name].as_u64().unwrap() as usize;
    // A workspace holding the corpus, so the task's `.` is just the corpus.
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().canonicalize().unwrap();
    copy_corpus(&workspace.join("corpus"));
    let cwd = task["options"]["cwd"]
        .as_str()
        .unwrap()
        .replace("${workspaceFolder}", &workspace.display().to_string());
    let command = task["command"].as_str().unwrap();
    let absolute = workspace.join("corpus").display().to_string();
    let mut n = 0;
    for command in [
        command.to_string(),
        command.replace(" .", &format!(" {absolute}")),
    ] {
        let args: Vec<&str> = command.split_whitespace().skip(1).collect();
        let out = common::kzlint(&args, Path::new(&cwd));
        let text = String::from_utf8_lossy(&out.stdout);
        // The same findings as JSON, for their byte spans.
        let json_args: Vec<&str> = args
            .iter()
            .map(|a| if *a == "short" { "json" } else { a })
            .collect();
        let json = common::kzlint(&json_args, Path::new(&cwd));
        let spans: Vec<usize> = String::from_utf8_lossy(&json.stdout)
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .map(|d| d["span"]["start"].as_u64().unwrap() as usize)
            .collect();
        assert_eq!(spans.len(), text.lines().count());
        for (line, start) in text.lines().zip(spans) {
            let caps = re
                .captures(line)
                .unwrap_or_else(|| panic!("the problem matcher does not parse: {line}"));
            let file = vscode_location(&matcher["fileLocation"], &caps[group("file")], &workspace);
            let l: usize = caps[group("line")].parse().unwrap();
            let c: usize = caps[group("column")].parse().unwrap();
            let body = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("{line}: no file {}: {e}", file.display()));
            // Line and UTF-16 column land on the finding's first byte.
            let line_start = body[..start].rfind('\n').map_or(0, |i| i + 1);
            assert_eq!(l, body[..start].matches('\n').count() + 1, "{line}");
            assert_eq!(
                c,
                body[line_start..start].encode_utf16().count() + 1,
                "{line}"
            );
            assert!(["error", "warning", "info"].contains(&&caps[group("severity")]));
            assert!(caps[group("code")].contains('/') && !caps[group("message")].is_empty());
            n += 1;
        }
    }
    assert!(n > 40, "only {n} lines");
}

fn copy_corpus(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(root().join("corpus")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// A finding in a long paragraph is shown in a window around it, with the
/// caret under it, not under a line of the whole paragraph.
#[test]
fn human_output_shows_a_window_of_a_long_line() {
    let dir = tempfile::tempdir().unwrap();
    let filler = "The council met again on Tuesday to talk about the bridge. ".repeat(40);
    let text = format!("{filler}Officials said the work would take a year. {filler}\n");
    std::fs::write(dir.path().join("long.txt"), &text).unwrap();
    let out = common::kzlint(&["--color", "never", "long.txt"], dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let shown = stdout
        .lines()
        .find(|l| l.contains("Officials said"))
        .expect("the finding's line is shown");
    assert!(shown.chars().count() < 400, "{shown}");
    let caret = stdout.lines().skip_while(|l| *l != shown).nth(1).unwrap();
    let at = shown.find("Officials").unwrap();
    assert_eq!(caret.find('^'), Some(at), "{shown}\n{caret}");
    let column = filler.chars().count() + 1;
    assert!(stdout.contains(&format!("long.txt:1:{column}")), "{stdout}");
}

/// A file name that is not UTF-8 keeps its bytes, in base64, beside the
/// readable `path`.
#[test]
fn json_keeps_a_non_utf8_file_name_losslessly() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(dir.path().join(name), "Body text.\n\nSource link\n").unwrap();
    std::fs::write(dir.path().join("plain.txt"), "Body text.\n\nSource link\n").unwrap();
    let out = common::kzlint(&["--format", "json", "--quiet", "."], dir.path());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let odd = lines
        .iter()
        .find(|d| d["path"].as_str().unwrap().contains('\u{fffd}'))
        .expect("the odd name is reported");
    // "./caf\xe9.txt" in base64.
    assert_eq!(odd["path_bytes"], "Li9jYWbpLnR4dA==");
    let plain = lines.iter().find(|d| d["path"] == "./plain.txt").unwrap();
    assert!(plain.get("path_bytes").is_none());
}

/// File names with a space, `%`, `:` and non-ASCII letters come out as
/// valid relative URI references under %SRCROOT% that name the file
/// (issue 20, defect 7).
#[test]
fn sarif_uris_are_valid_references_to_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let names = ["my article.txt", "100%.txt", "é.txt", "note:draft.txt"];
    for name in names {
        std::fs::write(dir.path().join(name), "Ferry resumes\n\nSource link\n").unwrap();
    }
    let out = common::kzlint(&["--format", "sarif", "."], dir.path());
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut seen = Vec::new();
    for r in sarif["runs"][0]["results"].as_array().unwrap() {
        let artifact = &r["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
        let uri = artifact["uri"].as_str().unwrap();
        assert!(
            uri.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)),
            "{uri}"
        );
        // Decoded, it is the file's name.
        let mut bytes = Vec::new();
        let mut rest = uri.as_bytes();
        while let Some((&b, tail)) = rest.split_first() {
            if b == b'%' {
                bytes.push(
                    u8::from_str_radix(std::str::from_utf8(&tail[..2]).unwrap(), 16).unwrap(),
                );
                rest = &tail[2..];
            } else {
                bytes.push(b);
                rest = tail;
            }
        }
        seen.push(String::from_utf8(bytes).unwrap());
    }
    seen.sort();
    seen.dedup();
    let mut want: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    want.sort();
    assert_eq!(seen, want);
}

/// `-o FILE` writes the report there (no colour codes, even when asked
/// for), and standard output stays empty.
#[test]
fn output_file_takes_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.txt");
    let out = kzlint(&[
        "--format",
        "short",
        "--color",
        "always",
        "-o",
        report.to_str().unwrap(),
        "corpus/",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let text = std::fs::read_to_string(&report).unwrap();
    let short = kzlint(&["--format", "short", "corpus/"]);
    assert_eq!(text, String::from_utf8_lossy(&short.stdout));
    assert!(!text.contains('\u{1b}'));
}

/// `kzlint rules --format json` lists every rule with its docs.
#[test]
fn rules_as_json() {
    let out = kzlint(&["rules", "--format", "json"]);
    let rules: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let text = kzlint(&["rules"]);
    assert_eq!(
        rules.len(),
        String::from_utf8_lossy(&text.stdout).lines().count()
    );
    assert!(rules.iter().all(|r| r["id"].as_str().unwrap().contains('/')
        && r["description"].as_str().is_some_and(|d| !d.is_empty())));
}

/// `kzlint completions bash` is a script bash loads and that completes
/// kzlint's subcommands; `kzlint man` is a roff page naming its options.
#[test]
fn shell_completions_and_man_page() {
    let script = kzlint(&["completions", "bash"]);
    assert_eq!(script.status.code(), Some(0));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kzlint.bash");
    std::fs::write(&path, &script.stdout).unwrap();
    let completed = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {}; COMP_WORDS=(kzlint expl); COMP_CWORD=1; _kzlint kzlint expl kzlint; echo \"${{COMPREPLY[@]}}\"",
            path.display()
        ))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&completed.stdout).trim(), "explain");

    let man = kzlint(&["man"]);
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(page.contains(".TH kzlint 1"), "{page}");
    assert!(page.contains("statistics") && page.contains("column\\-unit"));
}

/// JSON Lines and the short format are rendered on the worker threads when
/// nothing on the main thread changes what is shown; with a baseline in
/// use they are rendered on the main thread. Both must give the same bytes,
/// in the same order, on text with a BOM, CRLF, NBSP, curly quotes, emoji
/// and another script, in a corpus run over several files.
#[test]
fn reports_rendered_by_workers_match_the_emitters() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path();
    for entry in std::fs::read_dir(root().join("corpus")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, tmp.join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        tmp.join("z-mixed.txt"),
        "\u{feff}Флот вернулся 🚢 домой\r\n\r\nThe fleet returned\u{a0}on Monday, \u{201c}officials said\u{201d}.\r\n\r\nClick here to subscribe now\r\n\r\nRelated Articles\r\n",
    )
    .unwrap();
    std::fs::write(tmp.join("clean.txt"), "Rain is expected on Tuesday.\n").unwrap();
    let wrote = common::kzlint(&["baseline", "clean.txt"], tmp);
    assert_eq!(wrote.status.code(), Some(0));
    for format in ["json", "short"] {
        let by_workers = common::kzlint(&["--format", format, "--no-baseline", "."], tmp);
        let by_main = common::kzlint(&["--format", format, "."], tmp);
        assert_eq!(by_workers.status.code(), Some(1), "{format}");
        assert!(
            by_workers.stdout.len() > 1000,
            "{format}: findings in every file"
        );
        let text = String::from_utf8_lossy(&by_workers.stdout);
        assert!(text.contains("z-mixed.txt"), "{format}: {text}");
        assert_eq!(
            text,
            String::from_utf8_lossy(&by_main.stdout),
            "{format}: rendered on the workers and by the emitter"
        );
    }
}
