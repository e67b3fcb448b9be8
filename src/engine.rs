//! Runs compiled rules over one file.

use crate::corpus::CorpusIndex;
use crate::diagnostic::Diagnostic;
use crate::rules::{Rule, RuleSet};
use crate::source::SourceFile;
use crate::text::Document;

/// Every diagnostic of `rules` for `file`, sorted by span, then rule.
pub fn check(file: &SourceFile, rules: &RuleSet) -> Vec<Diagnostic> {
    check_rules(file, rules.rules())
}

/// Like [`check`], and also compares the file with the rest of a corpus
/// gathered beforehand (see [`CorpusIndex`]).
pub fn check_in_corpus(
    file: &SourceFile,
    rules: &RuleSet,
    corpus: &CorpusIndex,
) -> Vec<Diagnostic> {
    run(file, rules.rules(), Some(corpus))
}

/// Like [`check`], for any selection of rules (one rule's examples, say).
pub fn check_rules<'r>(
    file: &SourceFile,
    rules: impl IntoIterator<Item = &'r Rule>,
) -> Vec<Diagnostic> {
    run(file, rules, None)
}

fn run<'r>(
    file: &SourceFile,
    rules: impl IntoIterator<Item = &'r Rule>,
    corpus: Option<&CorpusIndex>,
) -> Vec<Diagnostic> {
    let doc = Document::new(file.body());
    let mut diagnostics = Vec::new();
    for rule in rules {
        rule.check.run(rule, &doc, corpus, &mut diagnostics);
    }
    let offset = file.body_start();
    for d in &mut diagnostics {
        d.span = d.span.shift(offset);
        for label in &mut d.labels {
            label.span = label.span.shift(offset);
        }
    }
    finish(diagnostics)
}

/// Sorts, drops exact repeats (one rule's patterns can match the same text
/// twice), and lets a block swallow smaller findings of its category: a
/// trailer of many paragraphs is one diagnostic.
fn finish(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort_by(|a, b| {
        (a.span.start, std::cmp::Reverse(a.span.end), &a.rule).cmp(&(
            b.span.start,
            std::cmp::Reverse(b.span.end),
            &b.rule,
        ))
    });
    diagnostics.dedup_by(|b, a| a.rule == b.rule && a.span == b.span);
    let blocks: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.is_block)
        .map(|d| (d.category, d.span, d.rule.clone()))
        .collect();
    diagnostics.retain(|d| {
        !blocks.iter().any(|(category, span, rule)| {
            *category == d.category && span.contains(d.span) && (*span != d.span || *rule != d.rule)
        })
    });
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule))
    });
    diagnostics
}
