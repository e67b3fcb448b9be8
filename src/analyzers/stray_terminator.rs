//! A period that splits one clause: the next "sentence" starts in lower case
//! ("the protests. broke out"), or two terminators stand apart (". .").

use serde::Deserialize;

use super::common::{ends_in_quote, repeat_across, starts_lowercase, word_tokens};
use super::{Analyzer, Finding, Found, Params};
use crate::diagnostic::Span;
use crate::text::{Document, TokenKind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    /// Words that may open a sentence in lower case (brand names, say).
    #[serde(default)]
    lowercase_openers: Vec<String>,
    /// A word list file with more of them.
    lowercase_openers_file: Option<String>,
}

#[derive(Debug)]
struct StrayTerminator {
    lowercase_openers: Vec<String>,
}

pub fn build(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    let config: Config = params.parse()?;
    let mut lowercase_openers = config.lowercase_openers;
    if let Some(file) = &config.lowercase_openers_file {
        lowercase_openers.extend(params.word_list(file)?);
    }
    Ok(Box::new(StrayTerminator { lowercase_openers }))
}

impl Analyzer for StrayTerminator {
    fn variables(&self) -> &'static [&'static str] {
        &["text", "kind"]
    }

    fn check(&self, doc: &Document<'_>, out: &mut Found) {
        let text = doc.text();
        let tokens = doc.tokens();
        // Two terminators with only blanks between them ("treason. .") but
        // not a spaced ellipsis (". . .").
        let in_table = |offset: usize| {
            let ps = doc.paragraphs();
            let i = ps.partition_point(|p| p.span.end < offset);
            ps.get(i)
                .is_some_and(|p| p.span.start <= offset && p.tabular)
        };
        for (i, pair) in tokens.windows(2).enumerate() {
            let (a, b) = (pair[0], pair[1]);
            let is_term = |t: crate::text::Token| {
                t.kind == TokenKind::Punct && matches!(doc.slice(t.span), "." | "!" | "?")
            };
            let gap = &text[a.span.end..b.span.start];
            if !(is_term(a) && is_term(b))
                || gap.is_empty()
                || !gap.chars().all(|c| c == ' ' || c == '\t' || c == '\u{a0}')
            {
                continue;
            }
            let spaced_ellipsis = tokens
                .get(i + 2)
                .is_some_and(|c| is_term(*c) && doc.slice(c.span) == ".")
                || i > 0 && is_term(tokens[i - 1]) && tokens[i - 1].span.end < a.span.start;
            if spaced_ellipsis || in_table(a.span.start) {
                continue;
            }
            let start = if i > 0 && tokens[i - 1].kind != TokenKind::Punct {
                tokens[i - 1].span.start
            } else {
                a.span.start
            };
            let span = Span::new(start, b.span.end);
            out.push(
                Finding::new(span)
                    .var("text", doc.slice(span))
                    .var("kind", "doubled terminator"),
            );
        }

        // A sentence that opens in lower case right after one that ended
        // with a bare period, in the same paragraph.
        let sentences = doc.sentences();
        // Asked once per paragraph, not per sentence: a paragraph can be
        // a whole 1 MB line.
        let mut casual: Option<(usize, bool)> = None;
        let mut is_casual_paragraph = |p: usize| match casual {
            Some((q, answer)) if q == p => answer,
            _ => {
                casual
                    .insert((p, is_casual(doc.slice(doc.paragraphs()[p].span))))
                    .1
            }
        };
        for pair in sentences.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if a.paragraph != b.paragraph
                || ends_in_quote(doc, a)
                || !doc.slice(a.span).ends_with('.')
            {
                continue;
            }
            let (last, first) = (word_tokens(doc, a).next_back(), word_tokens(doc, b).next());
            let (Some(last), Some(first)) = (last, first) else {
                continue;
            };
            let opener = doc.slice(first.span);
            // The next sentence must start with its first word, not a quote.
            if first.span.start != b.span.start || !starts_lowercase(opener) {
                continue;
            }
            if !is_sentence_period(text, a.span.end, doc.slice(last.span))
                || is_abbreviation_or_address(opener, &text[first.span.end..])
                || is_casual_paragraph(b.paragraph)
            {
                continue;
            }
            // Mixed case ("iPhone", "eBay") is a brand, not a split clause.
            if opener.chars().skip(1).any(char::is_uppercase)
                || self.lowercase_openers.iter().any(|w| w == opener)
            {
                continue;
            }
            // A repeated fragment across the period is the doubled-fragment
            // rule's finding; one diagnostic per defect.
            if repeat_across(doc, a, b, 4).is_some() {
                continue;
            }
            let span = Span::new(last.span.start, first.span.end);
            out.push(
                Finding::new(span)
                    .var("text", doc.slice(span))
                    .var("kind", "clause split by a stray period"),
            );
        }
    }
}

/// The period that ends a sentence at `end` stands against a word, as a
/// terminator does, and that word is not one letter (`v.`, `p.`): code
/// spaces its dots (`array . map`, `COPY . .`) and follows brackets.
fn is_sentence_period(text: &str, end: usize, last_word: &str) -> bool {
    let before = text[..end.saturating_sub(1)].chars().next_back();
    before.is_some_and(char::is_alphanumeric) && last_word.chars().nth(1).is_some()
}

/// A lower-case word that is itself an abbreviation (`p. 263`, `i.e.`),
/// the start of an address (`https://`) or of a dotted name
/// (`android.permission`): not the first word of a split clause.
fn is_abbreviation_or_address(opener: &str, rest: &str) -> bool {
    opener.contains('.')
        || rest.starts_with("://")
        || rest.starts_with('.')
            && (opener.len() <= 2 || rest[1..].starts_with(|c: char| c.is_alphanumeric()))
}

/// A paragraph that writes the pronoun "I" in lower case is typed without
/// capitals by its writer (a comment, a post), so its lower-case sentence
/// starts are the writer's style, not a clause split in translation.
fn is_casual(paragraph: &str) -> bool {
    paragraph.match_indices('i').any(|(at, _)| {
        let before = paragraph[..at].chars().next_back();
        let after = paragraph[at + 1..].chars().next();
        before.is_none_or(|c| c == ' ' || c == '\n')
            && matches!(after, Some(' ' | '\'' | '\u{2019}') | None)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_period_stands_against_a_word_of_two_letters_or_more() {
        assert!(is_sentence_period("talks ended.", 12, "ended"));
        assert!(is_sentence_period("in 1980.", 8, "1980"));
        assert!(!is_sentence_period("array . map", 7, "array"));
        assert!(!is_sentence_period("false ].", 8, "false"));
        assert!(!is_sentence_period("Smith v.", 8, "v"));
    }

    #[test]
    fn abbreviations_and_addresses_are_not_clause_openers() {
        assert!(is_abbreviation_or_address("p", ". 263"));
        assert!(is_abbreviation_or_address("i", ".e., one"));
        assert!(is_abbreviation_or_address("https", "://example.org"));
        assert!(is_abbreviation_or_address("android", ".permission"));
        assert!(is_abbreviation_or_address("pic.twitter.com", "/x"));
        assert!(!is_abbreviation_or_address("yesterday", " in Geneva."));
        assert!(!is_abbreviation_or_address("week", "."));
    }

    #[test]
    fn a_lower_case_i_marks_casual_writing() {
        assert!(is_casual("it does not work. so i looked around"));
        assert!(is_casual("i think it's fine. but who knows"));
        assert!(is_casual("and then i’m told it closed"));
        assert!(!is_casual("The talks ended. yesterday in Geneva."));
        assert!(!is_casual("iPhone sales fell in Delhi, it said."));
    }
}
