//! Each rule carries its own examples; a rule whose examples fail does not
//! load. `bad` examples mark expected spans with `[[` and `]]`.

use super::spec::ExamplesSpec;
use super::Rule;
use crate::diagnostic::{apply_fixes, Applicability, Span};
use crate::engine;
use crate::source::SourceFile;

const OPEN: &str = "[[";
const CLOSE: &str = "]]";

/// A failed example, at the example's span in the rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    pub span: std::ops::Range<usize>,
    pub message: String,
}

/// Removes `[[`/`]]` markers, returning the plain text and the marked spans.
pub fn strip_markers(marked: &str) -> Result<(String, Vec<Span>), String> {
    let mut text = String::with_capacity(marked.len());
    let mut spans = Vec::new();
    let mut rest = marked;
    while let Some(open) = rest.find(OPEN) {
        text.push_str(&rest[..open]);
        let after = &rest[open + OPEN.len()..];
        let close = after
            .find(CLOSE)
            .ok_or_else(|| "`[[` without a matching `]]`".to_string())?;
        let start = text.len();
        text.push_str(&after[..close]);
        spans.push(Span::new(start, text.len()));
        rest = &after[close + CLOSE.len()..];
    }
    if rest.contains(CLOSE) {
        return Err("`]]` without a matching `[[`".into());
    }
    text.push_str(rest);
    Ok((text, spans))
}

fn describe(text: &str, spans: &[Span]) -> String {
    if spans.is_empty() {
        return "nothing".into();
    }
    spans
        .iter()
        .map(|s| format!("{}..{} {:?}", s.start, s.end, &text[s.start..s.end]))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rules whose findings a rule that reads them is tried among: the
/// built-in ones (loaded once, only when such a rule is verified).
static CONTEXT: std::sync::LazyLock<Option<super::RuleSet>> =
    std::sync::LazyLock::new(|| super::RuleSet::builtin().ok());

/// `rule`'s diagnostics in an example. A rule that reads the other rules'
/// findings runs after the built-in rules, as it will in use.
fn check_example(rule: &Rule, text: &str) -> Vec<crate::diagnostic::Diagnostic> {
    let file = SourceFile::new("example", text);
    let context = rule
        .check
        .reads_findings()
        .then(|| CONTEXT.as_ref())
        .flatten();
    let Some(context) = context else {
        return engine::check_rules(&file, std::iter::once(rule));
    };
    let others = context
        .rules()
        .iter()
        .filter(|r| r.id != rule.id && !r.check.reads_findings());
    let mut found = engine::check_rules(&file, others.chain(std::iter::once(rule)));
    found.retain(|d| d.rule == rule.id);
    found
}

/// Runs every example of `rule`; returns each failure.
pub fn verify_examples(rule: &Rule, examples: &ExamplesSpec) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    let run = |text: &str| check_example(rule, text);
    for bad in &examples.bad {
        let fail = |message: String| ExampleFailure {
            span: bad.span(),
            message,
        };
        let (text, expected) = match strip_markers(bad.get_ref()) {
            Ok(parsed) => parsed,
            Err(e) => {
                failures.push(fail(format!("bad example: {e}")));
                continue;
            }
        };
        let found: Vec<Span> = run(&text).iter().map(|d| d.span).collect();
        if found.is_empty() {
            failures.push(fail("bad example does not trigger the rule".into()));
        } else if !expected.is_empty() && found != expected {
            failures.push(fail(format!(
                "bad example: expected {}, found {}",
                describe(&text, &expected),
                describe(&text, &found)
            )));
        }
    }
    for good in &examples.good {
        let found: Vec<Span> = run(good.get_ref()).iter().map(|d| d.span).collect();
        if !found.is_empty() {
            failures.push(ExampleFailure {
                span: good.span(),
                message: format!(
                    "good example triggers the rule at {}",
                    describe(good.get_ref(), &found)
                ),
            });
        }
    }
    for corpus in &examples.corpus {
        if let Err(message) = verify_corpus(rule, corpus.files.get_ref()) {
            failures.push(ExampleFailure {
                span: corpus.files.span(),
                message: format!("corpus example: {message}"),
            });
        }
    }
    for fixed in &examples.fixed {
        let input = fixed.input.get_ref();
        let diagnostics = run(input);
        let (output, _) = apply_fixes(input, &diagnostics, Applicability::Unsafe);
        if output != fixed.output {
            failures.push(ExampleFailure {
                span: fixed.input.span(),
                message: format!("fix example: expected {:?}, got {:?}", fixed.output, output),
            });
        }
    }
    failures
}

/// Checks the files of a corpus example together: each must be flagged
/// exactly at its marked spans (a file with no marks, nowhere).
fn verify_corpus(rule: &Rule, marked: &[String]) -> Result<(), String> {
    let mut files = Vec::new();
    for (n, text) in marked.iter().enumerate() {
        let (plain, expected) = strip_markers(text).map_err(|e| format!("file {}: {e}", n + 1))?;
        files.push((
            SourceFile::new(format!("example-{}", n + 1), plain),
            expected,
        ));
    }
    let mut index = crate::corpus::CorpusIndex::default();
    for (order, (file, _)) in files.iter().enumerate() {
        index.add_file(order, file, std::iter::once(rule));
    }
    for (n, (file, expected)) in files.iter().enumerate() {
        let found: Vec<Span> = engine::check_rules_in_corpus(file, std::iter::once(rule), &index)
            .iter()
            .map(|d| d.span)
            .collect();
        if &found != expected {
            return Err(format!(
                "file {}: expected {}, found {}",
                n + 1,
                describe(file.text(), expected),
                describe(file.text(), &found)
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_become_spans_in_the_plain_text() {
        let (text, spans) = strip_markers("Body.\n[[Source link]]\n[[ksk/]]").unwrap();
        assert_eq!(text, "Body.\nSource link\nksk/");
        assert_eq!(spans, [Span::new(6, 17), Span::new(18, 22)]);
        assert!(strip_markers("[[open").is_err());
        assert!(strip_markers("close]]").is_err());
    }
}
