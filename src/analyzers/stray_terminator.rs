//! A period that splits one clause: the next "sentence" starts in lower case
//! ("the protests. broke out"), or two terminators stand apart (". .").

use serde::Deserialize;

use super::common::{ends_in_quote, repeat_across, starts_lowercase, word_tokens};
use super::{Analyzer, Finding, Params};
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

    fn check(&self, doc: &Document<'_>, out: &mut Vec<Finding>) {
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
