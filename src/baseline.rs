//! A baseline of accepted findings, for plain-text articles that cannot
//! carry suppression comments. Each finding is keyed by its path, rule and
//! a fingerprint of the matched text and its neighbourhood on the same
//! line: editing elsewhere in the file (a paragraph added above) keeps it
//! valid; changing the finding's text brings it back.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;
use crate::text::{ceil_char_boundary, floor_char_boundary};

/// Bytes of context kept on each side of a finding, within its line.
const CONTEXT: usize = 40;

pub const DEFAULT_FILE_NAME: &str = ".kzlint-baseline.json";

/// The baseline format this kzlint reads and writes.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The file, relative to the baseline's folder, with `/` separators.
    pub path: String,
    pub rule: String,
    pub fingerprint: String,
    /// The matched text (shortened), so a person can read the file.
    pub snippet: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub entries: Vec<Entry>,
}

/// A file's key in a baseline kept in `baseline_dir`: its path relative
/// to that folder, with `/` separators, so the baseline works from any
/// folder. Both are resolved first (`..`, symbolic links) when they exist;
/// a path outside the folder keeps its own form.
pub fn path_key(path: &Path, baseline_dir: &Path) -> String {
    let resolve = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (file, dir) = (resolve(path), resolve(baseline_dir));
    let rel = file
        .strip_prefix(&dir)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf());
    let key = rel.to_string_lossy().replace('\\', "/");
    key.strip_prefix("./").map(str::to_string).unwrap_or(key)
}

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The fingerprint of a finding: its rule, its text and up to 40 bytes
/// around it on the same line, whitespace-normalised, hashed.
pub fn fingerprint(file: &SourceFile, d: &Diagnostic) -> String {
    let text = file.text();
    let line_start = text[..d.span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[d.span.end..]
        .find('\n')
        .map_or(text.len(), |i| d.span.end + i);
    let before =
        &text[ceil_char_boundary(text, d.span.start.saturating_sub(CONTEXT).max(line_start))
            ..d.span.start];
    let after = &text[d.span.end..floor_char_boundary(text, (d.span.end + CONTEXT).min(line_end))];
    let mut hash = Sha256::new();
    for part in [
        d.rule.as_str(),
        &normalize(before),
        &normalize(file.slice(d.span)),
        &normalize(after),
    ] {
        hash.update(part.as_bytes());
        hash.update([0u8]);
    }
    hash.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn snippet(file: &SourceFile, d: &Diagnostic) -> String {
    let s = normalize(file.slice(d.span));
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

impl Baseline {
    /// Reads a baseline (a UTF-8 byte-order mark allowed), refusing a
    /// version this kzlint does not write.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let baseline: Baseline = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if baseline.version != VERSION {
            return Err(format!(
                "version {} (this kzlint reads version {VERSION})",
                baseline.version
            ));
        }
        Ok(baseline)
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a baseline serializes");
        s.push('\n');
        s
    }

    pub fn entry(path_key: &str, file: &SourceFile, d: &Diagnostic) -> Entry {
        Entry {
            path: path_key.to_string(),
            rule: d.rule.clone(),
            fingerprint: fingerprint(file, d),
            snippet: snippet(file, d),
        }
    }

    /// This baseline with the entries a run could have re-found replaced
    /// by `found`: a run over some files, or with some rules, keeps what
    /// it did not look at.
    pub fn updated(&self, found: Vec<Entry>, reached: &dyn Fn(&Entry) -> bool) -> Baseline {
        let mut entries = found;
        entries.extend(self.entries.iter().filter(|e| !reached(e)).cloned());
        Baseline::from_entries(entries)
    }

    /// Builds a baseline from findings, sorted for stable diffs.
    pub fn from_entries(mut entries: Vec<Entry>) -> Baseline {
        entries.sort_by(|a, b| {
            (&a.path, &a.rule, &a.fingerprint).cmp(&(&b.path, &b.rule, &b.fingerprint))
        });
        Baseline {
            version: VERSION,
            entries,
        }
    }
}

type Key = (String, String, String);

/// A baseline being matched against a run: each entry suppresses one
/// finding, and what is left at the end is stale.
#[derive(Debug, Default)]
pub struct Matcher {
    remaining: HashMap<Key, Vec<Entry>>,
    matched: Vec<Entry>,
}

impl Matcher {
    pub fn new(baseline: &Baseline) -> Matcher {
        let mut remaining: HashMap<Key, Vec<Entry>> = HashMap::new();
        for e in &baseline.entries {
            remaining
                .entry((e.path.clone(), e.rule.clone(), e.fingerprint.clone()))
                .or_default()
                .push(e.clone());
        }
        Matcher {
            remaining,
            matched: Vec::new(),
        }
    }

    /// A matcher of this baseline's entries for one file only, all unused:
    /// a fix asks it afresh at every pass over the file.
    pub fn for_file(baseline: &Baseline, path_key: &str) -> Matcher {
        let mut matcher = Matcher::default();
        for e in baseline.entries.iter().filter(|e| e.path == path_key) {
            matcher
                .remaining
                .entry((e.path.clone(), e.rule.clone(), e.fingerprint.clone()))
                .or_default()
                .push(e.clone());
        }
        matcher
    }

    /// Removes the baselined findings of one file from `diagnostics`;
    /// returns how many were hidden.
    pub fn hide(
        &mut self,
        path_key: &str,
        file: &SourceFile,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> usize {
        let before = diagnostics.len();
        diagnostics.retain(|d| {
            let key = (path_key.to_string(), d.rule.clone(), fingerprint(file, d));
            match self.remaining.get_mut(&key).and_then(Vec::pop) {
                Some(entry) => {
                    self.matched.push(entry);
                    false
                }
                None => true,
            }
        });
        before - diagnostics.len()
    }

    /// Entries this run could have matched (see [`Baseline::reached`])
    /// that matched nothing: the findings went away.
    pub fn stale<'a>(
        &'a self,
        reached: &'a dyn Fn(&Entry) -> bool,
    ) -> impl Iterator<Item = &'a Entry> + 'a {
        self.remaining
            .values()
            .flat_map(|entries| entries.iter())
            .filter(move |e| reached(e))
    }

    /// The baseline without its stale entries: what matched, and what
    /// this run could not have matched (other files, rules it did not run).
    pub fn pruned(&self, reached: &dyn Fn(&Entry) -> bool) -> Baseline {
        let mut kept: Vec<Entry> = self.matched.clone();
        for entries in self.remaining.values() {
            kept.extend(entries.iter().filter(|e| !reached(e)).cloned());
        }
        Baseline::from_entries(kept)
    }
}

/// Counts per rule, for messages.
pub fn count_by_rule<'a>(entries: impl Iterator<Item = &'a Entry>) -> BTreeMap<&'a str, usize> {
    let mut counts = BTreeMap::new();
    for e in entries {
        *counts.entry(e.rule.as_str()).or_default() += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    fn findings(text: &str) -> (SourceFile, Vec<Diagnostic>) {
        let file = SourceFile::new("a.txt", text);
        let d = crate::check(&file, &RuleSet::builtin().unwrap());
        (file, d)
    }

    #[test]
    fn a_paragraph_added_above_keeps_a_finding_suppressed_and_an_edit_brings_it_back() {
        let original = "Body of the story, the agency said.\n\nSource link\n";
        let (file, ds) = findings(original);
        let baseline = Baseline::from_entries(
            ds.iter()
                .map(|d| Baseline::entry("a.txt", &file, d))
                .collect(),
        );
        assert_eq!(baseline.entries.len(), 1);

        let moved = "A new first paragraph, added later, the agency said.\n\nBody of the story, the agency said.\n\nSource link\n";
        let (file, mut ds) = findings(moved);
        let mut m = Matcher::new(&baseline);
        assert_eq!(m.hide("a.txt", &file, &mut ds), 1);
        assert!(ds.is_empty());

        let edited = "Body of the story, the agency said.\n\nSource Link:\n";
        let (file, mut ds) = findings(edited);
        let mut m = Matcher::new(&baseline);
        m.hide("a.txt", &file, &mut ds);
        assert_eq!(ds.len(), 1, "a changed finding is not the baselined one");
        let reached = |e: &Entry| e.path == "a.txt";
        assert_eq!(m.stale(&reached).count(), 1);
        assert!(m.pruned(&reached).entries.is_empty());
        // What the run could not reach is neither stale nor pruned.
        let elsewhere = |e: &Entry| e.path == "b.txt";
        assert_eq!(m.stale(&elsewhere).count(), 0);
        assert_eq!(m.pruned(&elsewhere).entries.len(), 1);
        let updated = baseline.updated(Vec::new(), &elsewhere);
        assert_eq!(updated.entries, baseline.entries);
    }

    #[test]
    fn each_entry_hides_one_finding() {
        let (file, ds) = findings("Source link\n\nBody.\n\nSource link\n");
        let mut links: Vec<Diagnostic> = ds
            .into_iter()
            .filter(|d| d.rule == "syndication/source-link")
            .collect();
        assert_eq!(links.len(), 2);
        let one = Baseline::from_entries(vec![Baseline::entry("a.txt", &file, &links[0])]);
        Matcher::new(&one).hide("a.txt", &file, &mut links);
        assert_eq!(links.len(), 1);
    }
}
