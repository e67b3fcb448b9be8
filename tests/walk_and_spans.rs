//! Behaviour of the real binary that is easier to assert than to snapshot:
//! which files a walk picks up, that every JSON span slices the file's own
//! bytes to the reported snippet, and that output does not depend on the
//! number of threads.

mod common;
use common::kzlint;

use std::path::Path;
use std::process::Output;

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect()
}

const RESIDUE: &str = "The ferry resumed service on Monday, the operator said.\n\nSource link\n";

#[test]
fn walk_respects_gitignore_hidden_files_and_extensions() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for name in [
        "a.txt",
        "b.md",
        "c.html",
        ".hidden.txt",
        "ignored.txt",
        "sub/d.TXT",
        ".private/e.txt",
    ] {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, RESIDUE).unwrap();
    }
    std::fs::write(root.join(".gitignore"), "ignored.txt\n").unwrap();

    let out = kzlint(&["--format", "json", "--quiet", "."], root);
    assert_eq!(out.status.code(), Some(1));
    let mut paths: Vec<String> = json_lines(&out)
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect();
    paths.dedup();
    assert_eq!(paths, ["./a.txt", "./b.md", "./sub/d.TXT"]);

    // --ext widens the walk; a file named directly is always checked.
    let out = kzlint(
        &[
            "--format",
            "json",
            "--quiet",
            "--ext",
            "html",
            ".",
            "ignored.txt",
        ],
        root,
    );
    let paths: Vec<String> = json_lines(&out)
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths, ["./c.html", "ignored.txt"]);
}

#[test]
fn json_spans_are_byte_offsets_into_the_file_as_read() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8]); 4] = [
        (
            "crlf.txt",
            b"Title\r\n\r\nBody text, the agency said.\r\n\r\n--AFP\r\nRelated Articles\r\n",
        ),
        ("bom.txt", "\u{feff}views\nBody.\n".as_bytes()),
        (
            "nbsp.txt",
            "\u{a0}“Quoted” text — said\u{a0}she.\n\n\u{a0}Back to top\u{a0}\n".as_bytes(),
        ),
        (
            "cyrillic.txt",
            "Новости дня\n\nТекст статьи.\n\nSource link\n".as_bytes(),
        ),
    ];
    for (name, bytes) in cases {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let out = kzlint(&["--format", "json", "--quiet", "."], dir.path());
    let diagnostics = json_lines(&out);
    assert_eq!(diagnostics.len(), 5, "{diagnostics:#?}");
    for d in &diagnostics {
        let bytes = std::fs::read(dir.path().join(d["path"].as_str().unwrap())).unwrap();
        let (start, end) = (
            d["span"]["start"].as_u64().unwrap() as usize,
            d["span"]["end"].as_u64().unwrap() as usize,
        );
        let text = std::str::from_utf8(&bytes).unwrap();
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        assert_eq!(&text[start..end], d["snippet"].as_str().unwrap());
        // Line and column (in characters, BOM not counted) lead to the same place.
        let line = d["line"].as_u64().unwrap() as usize;
        let column = d["column"].as_u64().unwrap() as usize;
        let line_text = text
            .trim_start_matches('\u{feff}')
            .split('\n')
            .nth(line - 1)
            .unwrap();
        let from_column: String = line_text.chars().skip(column - 1).collect();
        assert!(
            from_column.starts_with(d["snippet"].as_str().unwrap()),
            "{d}"
        );
    }
    let snippets: Vec<&str> = diagnostics
        .iter()
        .map(|d| d["snippet"].as_str().unwrap())
        .collect();
    // Files in path order: bom, crlf, cyrillic, nbsp.
    assert_eq!(
        snippets,
        [
            "views",
            "--AFP",
            "Related Articles",
            "Source link",
            "Back to top"
        ]
    );
}

#[test]
fn output_is_the_same_whatever_the_thread_count() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let one = kzlint(&["--format", "json", "-j", "1", "corpus/"], root);
    let many = kzlint(&["--format", "json", "-j", "8", "corpus/"], root);
    assert!(!one.stdout.is_empty());
    assert_eq!(one.stdout, many.stdout);
}

#[test]
fn no_color_turns_off_colour_and_always_forces_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let always = kzlint(&["--color", "always", "tests/fixtures/crlf.txt"], root);
    assert!(always.stdout.contains(&0x1b), "expected ANSI escapes");
    let piped = kzlint(&["tests/fixtures/crlf.txt"], root);
    assert!(!piped.stdout.contains(&0x1b), "auto must not colour a pipe");
}

/// A reader that goes away (`kzlint corpus/ | head -1`) does not make the
/// run look clean.
#[test]
fn a_closed_output_pipe_is_not_a_clean_exit() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kzlint"))
        .args(["--format", "json", "corpus/"])
        .current_dir(root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(141));
}

/// One folder under several spellings (`dir`, `./dir`, a symlink to it, a
/// file inside it named again) is checked once, and fixed without a
/// spurious conflict.
#[test]
fn a_folder_named_twice_is_checked_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("dir")).unwrap();
    std::fs::write(root.join("dir/a.txt"), RESIDUE).unwrap();
    std::fs::write(root.join("dir/b.txt"), RESIDUE).unwrap();
    std::os::unix::fs::symlink("dir", root.join("link")).unwrap();
    let args = [
        "--format",
        "json",
        "--quiet",
        "dir",
        "./dir",
        "link",
        "./dir/a.txt",
    ];
    let out = kzlint(&args, root);
    let paths: Vec<String> = json_lines(&out)
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    let fixed = kzlint(&["--fix", "dir", "./dir", "link"], root);
    assert_eq!(
        fixed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fixed.stderr)
    );
    assert!(!std::fs::read_to_string(root.join("dir/a.txt"))
        .unwrap()
        .contains("Source link"));
}

/// A pipe named on the command line (`<(zstdcat x)`, a FIFO) is read as a
/// stream; a device is refused by name; paths that hold nothing to check
/// are an error, not a clean run.
#[test]
fn pipes_are_read_devices_refused_and_nothing_to_check_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let fifo = root.join("stream.txt");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, RESIDUE).unwrap())
    };
    let out = kzlint(&["--format", "short", "stream.txt"], root);
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("stream.txt:3:1: warning[syndication/source-link]"));

    let out = kzlint(&["/dev/null"], root);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("/dev/null: a device or socket, not a file or folder; skipped"));

    std::fs::create_dir(root.join("empty")).unwrap();
    std::fs::write(root.join("empty/page.html"), RESIDUE).unwrap();
    let out = kzlint(&["empty"], root);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error: no file to check in empty"));
}

/// A regular file that waits for events instead of ending (`/proc/kmsg`)
/// is refused by name at once, not read forever.
#[cfg(target_os = "linux")]
#[test]
fn a_kernel_file_that_waits_for_data_is_refused_not_read_forever() {
    if !std::path::Path::new("/proc/kmsg").exists() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kzlint"))
        .arg("/proc/kmsg")
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Generous for a loaded machine; before the fix it never ended.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("kzlint /proc/kmsg still reading after 60 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(2), "{stderr}");
    // Without the right to read it, the message is the system's.
    assert!(stderr.contains("error: /proc/kmsg: "), "{stderr}");
}

/// A line break in a file name cannot split a `--format short` line.
#[test]
fn a_line_break_in_a_file_name_is_escaped_in_short_output() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("two\nlines.txt"), RESIDUE).unwrap();
    let out = kzlint(&["--format", "short", "--quiet", "."], dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with("./two\\nlines.txt:3:1: warning[syndication/source-link]"),
        "{stdout}"
    );
}
