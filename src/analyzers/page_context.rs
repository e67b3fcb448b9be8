//! A line after the article that the page holds on both sides: between two
//! paragraphs other rules found to be the page (a newsletter form, a
//! footer), or under one at the end of the file, a short paragraph that no
//! rule names is the page too — the pitch under a sign-up heading, the
//! link between two footer lines, the licence line closing the page. This
//! is jusText's context rule, with the family rules' findings as the
//! context: they know what a line of the page says, this knows where one
//! stands.

use serde::Deserialize;

use super::common::REPORTING_VERBS;
use super::{Analyzer, Finding, Found, Params};
use crate::diagnostic::{Category, Diagnostic, Label, Span};
use crate::text::{Block, Document, Line, TokenKind, Zone};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    /// Words the paragraph holds at most: longer text is an author's note
    /// or a reader's letter as often as the page's.
    #[serde(default = "default_max_words")]
    max_words: usize,
}

fn default_max_words() -> usize {
    40
}

#[derive(Debug)]
struct PageContext {
    config: Config,
}

pub fn build(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    let config: Config = params.parse()?;
    if config.max_words == 0 {
        return Err("`max_words` must be at least 1".into());
    }
    Ok(Box::new(PageContext { config }))
}

impl PageContext {
    /// Can this paragraph take the page's class from its neighbours? Words
    /// of an ordinary line, not too many; not figures or a table, code or
    /// another language, a quotation, or someone's reported words.
    fn may_be_the_page(&self, doc: &Document<'_>, block: &Block) -> bool {
        if block.zone != Zone::Tail || block.data || block.foreign {
            return false;
        }
        let text = doc
            .slice(block.span)
            .trim_start_matches(['*', '-', '•', ' ', '\t']);
        if text.starts_with(['"', '“', '‘', '\'', '«']) {
            return false;
        }
        let mut words = 0;
        for t in doc.tokens_in(block.span) {
            if t.kind != TokenKind::Word {
                continue;
            }
            words += 1;
            if words > self.config.max_words
                || REPORTING_VERBS.contains(&doc.lower_token(t).as_ref())
            {
                return false;
            }
        }
        words > 0
    }
}

/// Where the rules before this one found the page: their syndication
/// findings merged into disjoint spans in text order, each with the first
/// finding in it, so that each paragraph's cover is found by a binary
/// search (a file of many findings costs linear time, not their product).
struct Cover<'f> {
    spans: Vec<(Span, &'f Diagnostic)>,
}

impl<'f> Cover<'f> {
    fn new(found: &'f [Diagnostic]) -> Self {
        let mut page: Vec<&Diagnostic> = found
            .iter()
            .filter(|d| d.category == Category::SYNDICATION && !d.span.is_empty())
            .collect();
        page.sort_by_key(|d| (d.span.start, d.span.end));
        let mut spans: Vec<(Span, &Diagnostic)> = Vec::with_capacity(page.len());
        for d in page {
            match spans.last_mut() {
                Some((last, _)) if d.span.start <= last.end => last.end = last.end.max(d.span.end),
                _ => spans.push((d.span, d)),
            }
        }
        Cover { spans }
    }

    /// Bytes of `span` the page covers, and a finding that covers some.
    fn of(&self, span: Span) -> (usize, Option<&'f Diagnostic>) {
        let first = self.spans.partition_point(|(s, _)| s.end <= span.start);
        let mut bytes = 0;
        let mut finding = None;
        for (s, d) in self.spans[first..]
            .iter()
            .take_while(|(s, _)| s.start < span.end)
        {
            bytes += overlap(*s, span);
            finding.get_or_insert(*d);
        }
        (bytes, finding)
    }

    /// The finding that covers at least half of `span`, if any.
    fn half_of(&self, span: Span) -> Option<&'f Diagnostic> {
        let (bytes, finding) = self.of(span);
        (bytes > 0 && bytes * 2 >= span.len())
            .then_some(finding)
            .flatten()
    }
}

fn overlap(a: Span, b: Span) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

/// The paragraph's span without the blanks around it.
fn trimmed(doc: &Document<'_>, span: Span) -> Span {
    Line {
        span,
        text: doc.slice(span),
    }
    .trimmed_span()
}

impl Analyzer for PageContext {
    fn variables(&self) -> &'static [&'static str] {
        &[]
    }

    fn reads_findings(&self) -> bool {
        true
    }

    fn check(&self, _doc: &Document<'_>, _out: &mut Found) {}

    fn check_found(&self, doc: &Document<'_>, found: &[Diagnostic], out: &mut Found) {
        let cover = Cover::new(found);
        if cover.spans.is_empty() {
            return;
        }
        let blocks = &doc.layout().blocks;
        for i in 1..blocks.len() {
            let here = trimmed(doc, blocks[i].span);
            if here.is_empty()
                || blocks[i].zone != Zone::Tail
                || cover.of(here).0 > 0
                || !self.may_be_the_page(doc, &blocks[i])
            {
                continue;
            }
            let before = trimmed(doc, blocks[i - 1].span);
            let Some(page_before) = cover.half_of(before) else {
                continue;
            };
            let mut labels = vec![Label {
                span: before,
                message: format!("the page before it ({})", page_before.rule),
            }];
            // The end of the file counts as the page (jusText's edges do):
            // the last line under a footer is the footer's.
            if let Some(next) = blocks.get(i + 1) {
                let after = trimmed(doc, next.span);
                let Some(page_after) = cover.half_of(after) else {
                    continue;
                };
                labels.push(Label {
                    span: after,
                    message: format!("the page after it ({})", page_after.rule),
                });
            }
            let mut finding = Finding::new(here);
            finding.labels = labels;
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn finding(rule: &str, category: Category, start: usize, end: usize) -> Diagnostic {
        Diagnostic {
            rule: rule.into(),
            category,
            severity: Severity::Warning,
            span: Span::new(start, end),
            message: String::new(),
            labels: Vec::new(),
            fix: None,
            help: None,
            is_block: false,
        }
    }

    /// Overlapping findings merge; only syndication ones count; a paragraph
    /// is the page's when they cover half of it.
    #[test]
    fn the_cover_merges_findings_and_weighs_each_paragraph() {
        let found = [
            finding("syndication/b", Category::SYNDICATION, 10, 20),
            finding("attribution/x", Category::ATTRIBUTION, 0, 100),
            finding("syndication/a", Category::SYNDICATION, 5, 12),
            finding("syndication/c", Category::SYNDICATION, 40, 44),
        ];
        let cover = Cover::new(&found);
        assert_eq!(cover.spans.len(), 2);
        assert_eq!(cover.spans[0].0, Span::new(5, 20));
        assert_eq!(cover.spans[0].1.rule, "syndication/a");
        assert_eq!(cover.of(Span::new(0, 50)).0, 15 + 4);
        assert_eq!(
            cover.half_of(Span::new(4, 22)).unwrap().rule,
            "syndication/a"
        );
        assert!(cover.half_of(Span::new(30, 50)).is_none(), "4 of 20 bytes");
        assert!(cover.half_of(Span::new(21, 39)).is_none(), "nothing");
        assert_eq!(
            cover.half_of(Span::new(38, 46)).unwrap().rule,
            "syndication/c"
        );
    }
}
