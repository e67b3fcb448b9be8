//! Source-language text left in English prose: a run of another script
//! standing bare between two lower-case English words ("the committee 批准
//! the plan"). Full-width punctuation is a pattern in the same rule file.

use serde::Deserialize;

use super::{Analyzer, Finding, Found, Params};
use crate::diagnostic::Span;
use crate::text::Document;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    /// Words before a fragment that mention it as a word ("the verb おく").
    mention_words: Vec<String>,
    /// Words after a fragment that gloss it ("福 means luck").
    gloss_words: Vec<String>,
}

#[derive(Debug)]
struct UntranslatedFragment(Config);

pub fn build(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    Ok(Box::new(UntranslatedFragment(params.parse()?)))
}

/// Letters of the scripts machine translation leaves behind: Greek,
/// Cyrillic, Hebrew, Arabic, Devanagari, Thai, kana, CJK and Hangul.
fn is_other_script(c: char) -> bool {
    matches!(c as u32,
        0x0370..=0x03FF | 0x0400..=0x052F | 0x0590..=0x05FF | 0x0600..=0x06FF
        | 0x0900..=0x097F | 0x0E00..=0x0E7F | 0x3040..=0x30FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF)
}

/// Byte ranges of runs of other-script letters in `s`, spaces between
/// words of the same run included.
fn other_script_runs(s: &str) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (at, c) in s.char_indices().filter(|&(_, c)| is_other_script(c)) {
        let end = at + c.len_utf8();
        match runs.last_mut() {
            Some(last) if s[last.1..at].chars().all(|g| g == ' ') => last.1 = end,
            _ => runs.push((at, end)),
        }
    }
    runs
}

/// The word before `at` when only blanks separate it, if it is a lower-case
/// Latin word.
fn latin_word_before(s: &str, at: usize) -> Option<&str> {
    let head = s[..at].strip_suffix(' ')?.trim_end_matches(' ');
    let start = head.rfind(|c: char| !c.is_alphabetic()).map_or(0, |i| {
        i + head[i..].chars().next().map_or(1, char::len_utf8)
    });
    let word = &head[start..];
    word.chars()
        .all(|c| c.is_ascii_lowercase())
        .then_some(word)
        .filter(|w| !w.is_empty())
}

/// The word after `end` when only blanks separate it, if it is a
/// lower-case Latin word.
fn latin_word_after(s: &str, end: usize) -> Option<&str> {
    let tail = s[end..].strip_prefix(' ')?.trim_start_matches(' ');
    let len = tail
        .find(|c: char| !c.is_ascii_lowercase())
        .unwrap_or(tail.len());
    (len > 0).then(|| &tail[..len])
}

impl Analyzer for UntranslatedFragment {
    fn variables(&self) -> &'static [&'static str] {
        &["text"]
    }

    fn check(&self, doc: &Document<'_>, out: &mut Found) {
        if doc.text().is_ascii() {
            return;
        }
        let listed = |list: &[String], w: &str| list.iter().any(|m| m == w);
        for sentence in doc.sentences() {
            let s = doc.slice(sentence.span);
            if s.is_ascii() {
                continue;
            }
            for (start, end) in other_script_runs(s) {
                let (Some(before), Some(after)) =
                    (latin_word_before(s, start), latin_word_after(s, end))
                else {
                    continue;
                };
                if listed(&self.0.mention_words, before) || listed(&self.0.gloss_words, after) {
                    continue;
                }
                let span = Span::new(sentence.span.start + start, sentence.span.start + end);
                out.push(Finding::new(span).var("text", &s[start..end]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_another_script_join_over_spaces() {
        let s = "the 批准 rule and Слава Україні here";
        let runs: Vec<&str> = other_script_runs(s)
            .iter()
            .map(|&(a, b)| &s[a..b])
            .collect();
        assert_eq!(runs, ["批准", "Слава Україні"]);
        assert!(other_script_runs("café “naïve” — ok 🙂").is_empty());
    }

    #[test]
    fn neighbours_must_be_bare_lower_case_latin_words() {
        let s = "would 加强 oversight";
        assert_eq!(latin_word_before(s, 6), Some("would"));
        assert_eq!(latin_word_after(s, 12), Some("oversight"));
        let t = "Jinping (习近平) arrived";
        assert_eq!(latin_word_before(t, 9), None);
        assert_eq!(latin_word_before("Tokyo 東京", 6), None);
    }
}
