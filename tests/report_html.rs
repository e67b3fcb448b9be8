//! The HTML report rendered by a real browser: Debian's Chromium, headless,
//! reads the page from disk (no server, no network), runs its script, and
//! the test reads the DOM it dumps and checks the screenshot it takes.
//! Without Chromium on the machine the test says so and passes, unless
//! KZLINT_REQUIRE_CHROMIUM is set (CI installs Chromium and sets it).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| {
            std::env::var_os("PATH")
                .map(|paths| {
                    std::env::split_paths(&paths)
                        .map(|d| d.join(name))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
        .find(|p| p.is_file())
}

/// Chromium, headless, as the machine allows it: no sandbox (CI runs as
/// root), no GPU, nothing fetched in the background.
fn headless(browser: &Path, profile: &Path) -> Command {
    let mut c = Command::new(browser);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--virtual-time-budget=5000",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn the_html_report_renders_in_chromium_with_a_row_per_article_and_its_clusters() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("KZLINT_REQUIRE_CHROMIUM").is_none(),
            "KZLINT_REQUIRE_CHROMIUM is set but no Chromium is on PATH"
        );
        eprintln!("no Chromium on PATH: the HTML report was not rendered");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let out = Command::new(env!("CARGO_BIN_EXE_kzlint"))
        .args(["report", "--html"])
        .arg(&page)
        .args(["corpus/", "tests/fixtures/report-copies"])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&page).unwrap();
    // Self-contained: nothing to fetch (an article's URL may be text).
    assert!(!html.contains("src=\"http") && !html.contains("<link"));

    let url = format!("file://{}", page.display());
    let dumped = headless(&browser, &dir.path().join("profile"))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("Chromium runs");
    let dom = String::from_utf8_lossy(&dumped.stdout);
    assert!(
        dumped.status.success() && dom.contains("</html>"),
        "Chromium failed: {}",
        String::from_utf8_lossy(&dumped.stderr)
    );
    // The page's script ran in the browser.
    assert!(dom.contains("data-ready=\"yes\""), "the script did not run");
    // One row per article: the five samples and the three fixtures.
    assert_eq!(count(&dom, "<tr class=\"article\""), 8);
    for name in ["000_46eaa28b00190ead.txt", "report-copies/c.txt"] {
        assert!(dom.contains(name), "{name} has no row");
    }
    // One cluster: the two copies of the bridge story, and nothing else.
    assert_eq!(count(&dom, "<li class=\"cluster\""), 1);
    assert_eq!(count(&dom, "<li class=\"member\""), 2);
    assert!(dom.contains("report-copies/a.txt</a> (adds 0, cuts 0)"));
    // Entries link to their article's row.
    assert!(dom.contains("<a href=\"#a5\">"), "no link to a row");
    // The figures the samples disagree on.
    assert!(dom.contains("arrests (Kazakhstan)"));
    // Evidence is there with its text: the scraper's comment form of b.txt.
    assert!(dom.contains("carrier scraper"));

    let shot = dir.path().join("report.png");
    let taken = headless(&browser, &dir.path().join("profile2"))
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1280,1600")
        .arg(&url)
        .output()
        .expect("Chromium runs");
    assert!(
        taken.status.success(),
        "{}",
        String::from_utf8_lossy(&taken.stderr)
    );
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(png.len() > 10_000, "a blank page? {} bytes", png.len());
}
