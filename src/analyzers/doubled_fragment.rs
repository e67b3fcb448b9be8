//! A word or short phrase written twice: back to back ("the the") or across
//! a stray sentence boundary ("said in a statement. a statement on Monday").

use serde::Deserialize;

use super::common::{repeat_across, starts_lowercase, word_tokens};
use super::{Analyzer, Finding, Found, Params};
use crate::diagnostic::Span;
use crate::text::{Document, TokenKind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    /// Words English does double ("had had", "that that").
    #[serde(default)]
    allowed_doubles: Vec<String>,
    /// The longest phrase looked for across a boundary, in words.
    #[serde(default = "default_max_words")]
    max_words: usize,
}

fn default_max_words() -> usize {
    4
}

#[derive(Debug)]
struct DoubledFragment(Config);

/// One space, or one line break with its indentation after a line as long
/// as wrapped prose: the gap between two words of prose. Wider gaps are
/// table columns ("nil     nil"); a break after a short line ends a
/// heading, which the text under it may well repeat ("Poetry\npoetry is").
/// `text_before` is the text up to the gap, whose last line is read only
/// when the gap holds a line break.
fn is_word_gap(gap: &str, text_before: &str) -> bool {
    match gap.split_once('\n') {
        Some((before, after)) => {
            let line_before = &text_before[text_before.rfind('\n').map_or(0, |i| i + 1)..];
            before.trim_end_matches('\r').is_empty()
                && after.chars().all(|c| c == ' ' || c == '\t')
                && line_before.trim().len() >= WRAPPED_LINE
        }
        None => gap == " " || gap == "\u{a0}",
    }
}

/// Bytes a hard-wrapped line of prose holds at least.
const WRAPPED_LINE: usize = 50;

/// The same word, case aside (ASCII words, most of them, without copying).
fn same_word(x: &str, y: &str) -> bool {
    // Asked of every pair of neighbouring words. Lower case keeps an ASCII
    // letter ASCII, so two different ASCII first letters settle it.
    if let (Some(a), Some(b)) = (x.bytes().next(), y.bytes().next()) {
        if a.is_ascii() && b.is_ascii() && !a.eq_ignore_ascii_case(&b) {
            return false;
        }
    }
    x.eq_ignore_ascii_case(y)
        || !(x.is_ascii() && y.is_ascii()) && crate::text::lower(x) == crate::text::lower(y)
}

pub fn build(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    Ok(Box::new(DoubledFragment(params.parse()?)))
}

impl Analyzer for DoubledFragment {
    fn variables(&self) -> &'static [&'static str] {
        &["fragment"]
    }

    fn check(&self, doc: &Document<'_>, out: &mut Found) {
        let text = doc.text();
        for sentence in doc.sentences() {
            if doc.is_tabular(sentence.paragraph) {
                continue;
            }
            let mut ws = word_tokens(doc, sentence);
            let Some(mut a) = ws.next() else {
                continue;
            };
            for b in ws {
                let previous = std::mem::replace(&mut a, b);
                let a = previous;
                let (x, y) = (doc.slice(a.span), doc.slice(b.span));
                let gap = &text[a.span.end..b.span.start];
                if a.kind != TokenKind::Word
                    || !same_word(x, y)
                    || !is_word_gap(gap, &text[..a.span.end])
                    // "user5105 user5105": a handle, not a word.
                    || x.bytes().any(|b| b.is_ascii_digit())
                    || self.0.allowed_doubles.iter().any(|w| w.eq_ignore_ascii_case(x))
                    // "Sirhan Sirhan": a name may double; a capitalised
                    // pair is left alone unless it opens the sentence.
                    || y.starts_with(char::is_uppercase)
                {
                    continue;
                }
                let span = Span::new(a.span.start, b.span.end);
                let replacement = x.to_string();
                out.push(
                    Finding::new(span)
                        .var("fragment", x)
                        .replacement(replacement),
                );
            }
        }
        for pair in doc.sentences().windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            // The second copy opens `b` and must be in lower case (below):
            // most sentences are ruled out by their first letter alone.
            let opens_lowercase = word_tokens(doc, b)
                .next()
                .is_some_and(|w| starts_lowercase(doc.slice(w.span)));
            if a.paragraph != b.paragraph || !opens_lowercase {
                continue;
            }
            let Some((_, in_a, in_b)) = repeat_across(doc, a, b, self.0.max_words) else {
                continue;
            };
            // The second copy must continue the clause in lower case
            // ("said. said,"); "It was a report. A report can…" is rhetoric.
            if !starts_lowercase(doc.slice(in_b)) {
                continue;
            }
            // "a statement. a statement" becomes one "a statement": the
            // stray period goes with the second copy.
            let span = Span::new(in_a.start, in_b.end);
            let fragment = doc.slice(in_a);
            out.push(
                Finding::new(span)
                    .var("fragment", fragment)
                    .replacement(fragment),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::same_word;

    #[test]
    fn words_are_the_same_case_aside_in_any_script() {
        for (x, y) in [
            ("the", "The"),
            ("ÉLAN", "élan"),
            ("Москва", "москва"),
            ("said", "said"),
        ] {
            assert!(same_word(x, y), "{x} / {y}");
        }
        for (x, y) in [
            ("the", "they"),
            ("a", "b"),
            ("élan", "elan"),
            ("İstanbul", "istanbul"),
            ("Москва", "Moskva"),
        ] {
            assert!(!same_word(x, y), "{x} / {y}");
        }
    }
}
