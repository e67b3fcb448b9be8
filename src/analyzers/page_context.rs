//! A line after the article that the page holds on both sides: between two
//! paragraphs other rules found to be the page (a newsletter form, a
//! footer), a short paragraph that no rule names is the page too — the
//! pitch under a sign-up heading, the link between two footer lines. This
//! is jusText's context rule, with the family rules' findings as the
//! context: they know what a line of the page says, this knows where one
//! stands.

use serde::Deserialize;

use super::{Analyzer, Finding, Found, Params};
use crate::diagnostic::{Category, Diagnostic, Label, Span};
use crate::text::{Block, Document, TokenKind, Zone};

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

/// Verbs that report someone's words: a paragraph with one is the
/// article's, wherever it stands.
const REPORTING: &[&str] = &["said", "says", "told", "added", "according", "wrote"];

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
        let text = doc.slice(block.span).trim_start_matches(['*', '-', '•', ' ', '\t']);
        if text.starts_with(['"', '“', '‘', '\'', '«']) {
            return false;
        }
        let mut words = 0;
        for t in doc.tokens_in(block.span) {
            if t.kind != TokenKind::Word {
                continue;
            }
            words += 1;
            if words > self.config.max_words || REPORTING.contains(&doc.lower(t.span).as_ref()) {
                return false;
            }
        }
        words > 0
    }
}

/// The residue finding that covers at least half of `span`'s bytes.
fn covering<'f>(found: &'f [Diagnostic], span: Span) -> Option<&'f Diagnostic> {
    let half = span.len().div_ceil(2);
    found.iter().find(|d| {
        d.category == Category::SYNDICATION && overlap(d.span, span) >= half.max(1)
    })
}

fn overlap(a: Span, b: Span) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

/// The paragraph's span without the blank space around it.
fn trimmed(doc: &Document<'_>, span: Span) -> Span {
    let text = doc.slice(span);
    let start = span.start + (text.len() - text.trim_start().len());
    Span::new(start, start + text.trim().len())
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
        let blocks = &doc.layout().blocks;
        for i in 1..blocks.len().saturating_sub(1) {
            let here = trimmed(doc, blocks[i].span);
            if here.is_empty()
                || found
                    .iter()
                    .any(|d| d.category == Category::SYNDICATION && overlap(d.span, here) > 0)
                || !self.may_be_the_page(doc, &blocks[i])
            {
                continue;
            }
            let before = covering(found, trimmed(doc, blocks[i - 1].span));
            let after = covering(found, trimmed(doc, blocks[i + 1].span));
            if let (Some(before), Some(after)) = (before, after) {
                let mut finding = Finding::new(here);
                finding.labels = vec![
                    Label {
                        span: trimmed(doc, blocks[i - 1].span),
                        message: format!("the page before it ({})", before.rule),
                    },
                    Label {
                        span: trimmed(doc, blocks[i + 1].span),
                        message: format!("the page after it ({})", after.rule),
                    },
                ];
                out.push(finding);
            }
        }
    }
}
