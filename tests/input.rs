//! Streaming JSON Lines input and the file size limit, through the binary.

mod common;

use std::io::Write;

use common::{kzlint, kzlint_with_stdin};

fn json_lines(output: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(output)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

/// 100,000 generated records: every 997th carries a "Source link" line,
/// every 7,919th is not JSON. Every finding must come back under its
/// record's id, in input order, and every broken line be named.
#[test]
fn a_hundred_thousand_records_stream_in_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dump.jsonl");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let (mut residue, mut broken) = (Vec::new(), Vec::new());
    for i in 0..100_000u32 {
        if i % 7919 == 7918 {
            writeln!(file, "{{\"id\": \"r{i}\", \"text\": unquoted}}").unwrap();
            broken.push(i + 1); // line number
            continue;
        }
        let text = if i % 997 == 0 {
            residue.push(format!("r{i:06}"));
            format!("Rain fell on town {i}.\nSource link")
        } else {
            format!("Rain fell on town {i}.")
        };
        let record = serde_json::json!({"url": "https://example.org", "id": format!("r{i:06}"), "text": text});
        writeln!(file, "{record}").unwrap();
    }
    drop(file);
    let out = kzlint(
        &["--input", "jsonl", "--format", "json", "dump.jsonl"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "broken records are errors");
    let found = json_lines(&out.stdout);
    let paths: Vec<&str> = found.iter().map(|d| d["path"].as_str().unwrap()).collect();
    assert_eq!(paths, residue, "one finding per damaged record, in order");
    assert!(found
        .iter()
        .all(|d| d["rule"] == "syndication/source-link" && d["line"] == 2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for line in &broken {
        assert!(
            stderr.contains(&format!(
                "error: dump.jsonl#{line}: not a JSON object record"
            )),
            "line {line} is reported: {stderr}"
        );
    }
    assert!(stderr.contains(&format!("checked {} files", 100_000 - broken.len())));
    // A folder is no stream; the error names it.
    let out = kzlint(&["--input", "jsonl", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error: .: is a folder"));
}

#[test]
fn field_names_are_configurable_and_records_come_from_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = kzlint_with_stdin(
        &[
            "--input",
            "jsonl",
            "--id-field",
            "doc_id",
            "--text-field",
            "body",
            "--format",
            "short",
            "-",
        ],
        dir.path(),
        "{\"doc_id\": 41, \"body\": \"Prix du café.\\nSource link\"}\n\
         {\"body\": \"Calm day.\\r\\nSource link\"}\n\
         {\"doc_id\": \"no-text\"}\n"
            .as_bytes(),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Columns count characters of the record's own text.
    assert!(
        stdout.contains("41:2:1: warning[syndication/source-link]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("<stdin>#2:2:1: warning[syndication/source-link]"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: <stdin>#3: record has no `body` field"),
        "{stderr}"
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn files_above_the_size_limit_are_refused_by_name_and_the_rest_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.txt"), "Calm day.\n".repeat(300)).unwrap();
    std::fs::write(dir.path().join("small.txt"), "Calm day.\nSource link\n").unwrap();
    let out = kzlint(
        &["--format", "short", "--max-file-size", "1K", "."],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "error: ./big.txt: 2.9 KiB is larger than --max-file-size (1.0 KiB); skipped"
        ),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("small.txt:2:1"));
    assert_eq!(out.status.code(), Some(2));
    // 0 lifts the limit.
    let out = kzlint(&["--max-file-size", "0", "big.txt"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let out = kzlint(&["--max-file-size", "lots", "big.txt"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`lots` is not a size"));
}

/// A byte-order mark before the first record is not part of it; an id
/// above u64 keeps its digits; a UTF-16 file is named for what it is.
#[test]
fn jsonl_bom_big_ids_and_utf16_files() {
    let dir = tempfile::tempdir().unwrap();
    let dump = "\u{feff}{\"id\": 123456789012345678901234567890, \"text\": \"The ferry resumed on Monday.\\n\\nSource link\\n\"}\n";
    std::fs::write(dir.path().join("dump.jsonl"), dump).unwrap();
    let out = kzlint(
        &["--input", "jsonl", "--format", "json", "dump.jsonl"],
        dir.path(),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("\"path\":\"123456789012345678901234567890\""),
        "{stdout}"
    );

    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("Source link\n".encode_utf16().flat_map(|u| u.to_le_bytes()));
    std::fs::write(dir.path().join("wide.txt"), &utf16).unwrap();
    let no_mark: Vec<u8> = "Source link\n"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    std::fs::write(dir.path().join("wide2.txt"), &no_mark).unwrap();
    let out = kzlint(&["wide.txt", "wide2.txt"], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    for name in ["wide.txt", "wide2.txt"] {
        assert!(
            stderr.contains(&format!("{name}: UTF-16 text (convert it to UTF-8")),
            "{stderr}"
        );
    }
}
