//! A site's template seen across the corpus: a short line of the page
//! around the article (a footer, a share bar, a section label) that many
//! files carry, in articles that are not copies of one story. No word list
//! names it; the repetition does, as in CCNet-style corpus cleaning, and the
//! layout model keeps the article's own lines out of it.

use serde::Deserialize;

use super::{Analyzer, Finding, Found, Params};
use crate::corpus::{line_key, ArticleFacts, CorpusIndex, LineFacts, KEPT};
use crate::diagnostic::{Label, Span};
use crate::text::{BlockClass, Document, TokenKind, Zone};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    /// Different articles (not copies of one story) whose files must
    /// carry the line.
    #[serde(default = "default_min_articles")]
    min_articles: usize,
    /// Longer lines are not a template's.
    #[serde(default = "default_max_words")]
    max_words: usize,
}

fn default_min_articles() -> usize {
    3
}

fn default_max_words() -> usize {
    12
}

#[derive(Debug)]
struct TemplateLine(Config);

pub fn build(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    let config: Config = params.parse()?;
    if !(2..=KEPT).contains(&config.min_articles) {
        return Err(format!(
            "`min_articles` must be from 2 to {KEPT}: one article is no template"
        ));
    }
    Ok(Box::new(TemplateLine(config)))
}

impl TemplateLine {
    /// The short lines of the page around the article, with their keys:
    /// one-line paragraphs the layout model calls residue, or is unsure of
    /// before or after the article. Never the article's own lines: its
    /// headline, its subheadings among its paragraphs, a sentence, the
    /// labels of a table of figures, or its sign-off (a word or two right
    /// after its last sentence or ending the file: "Reuter", "More").
    fn page_lines(&self, doc: &Document<'_>) -> Vec<(Span, u64)> {
        let blocks = &doc.layout().blocks;
        // Where an article signs off: the first line after its last
        // sentence, and the last line of the file.
        let first_after = blocks
            .iter()
            .position(|b| b.zone == Zone::Tail && !b.sentence);
        let sign_off = |i: usize| Some(i) == first_after || i + 1 == blocks.len();
        // A table of figures: a line holding two figures or more.
        let data_at = |i: Option<usize>| {
            i.and_then(|i| blocks.get(i)).is_some_and(|b| {
                let figures = doc
                    .tokens_in(b.span)
                    .iter()
                    .filter(|t| t.kind == TokenKind::Number);
                b.data || figures.count() >= 2
            })
        };
        let mut found = Vec::new();
        for (i, b) in blocks.iter().enumerate() {
            let page = match b.class {
                BlockClass::Residue => true,
                BlockClass::Unsure => b.zone != Zone::Body && !b.headline && !b.foreign,
                BlockClass::Prose => false,
            };
            if !page || b.sentence || b.data || data_at(i.checked_sub(1)) || data_at(Some(i + 1)) {
                continue;
            }
            let lines = &doc.lines()[doc.paragraphs()[b.paragraph].lines.clone()];
            let spans: Vec<Span> = lines
                .iter()
                .map(|l| l.trimmed_span())
                .filter(|s| !s.is_empty())
                .collect();
            if !self.is_list_of_lines(doc, &spans) {
                continue;
            }
            for span in spans {
                let words = doc.slice(span).split_whitespace().count();
                if sign_off(i) && words <= 2 && lines.len() == 1 {
                    continue;
                }
                if doc.slice(span).chars().any(char::is_alphabetic) {
                    found.push((span, line_key(&doc.lower(span))));
                }
            }
        }
        found
    }

    /// Are these lines of a paragraph each a unit of their own (a one-line
    /// label, a menu, a footer), not the hard-wrapped lines of a passage
    /// ("… within the next few weeks, he / said.")? Every line is short and
    /// none carries on in lower case from the line before.
    fn is_list_of_lines(&self, doc: &Document<'_>, spans: &[Span]) -> bool {
        spans.iter().enumerate().all(|(n, span)| {
            let text = doc.slice(*span);
            text.split_whitespace().count() <= self.0.max_words
                && (n == 0 || !text.starts_with(char::is_lowercase))
        })
    }

    fn is_template(&self, facts: &LineFacts) -> bool {
        facts.articles() >= self.0.min_articles
    }
}

/// A key of the article's own text: the least hash of its prose
/// sentences (one MinHash), so two copies of a story share it with the
/// odds of the share of sentences they share, however their extractors
/// cut the page around them. With no prose, the least over all sentences.
fn article_key(doc: &Document<'_>) -> u32 {
    let layout = doc.layout();
    let key_of = |s: &crate::text::Sentence| {
        let words = doc.lower(s.span);
        line_key(&words) as u32
    };
    let sentences = doc.sentences();
    let prose = sentences
        .iter()
        .filter(|s| {
            layout
                .blocks
                .get(s.paragraph)
                .is_some_and(|b| b.class == BlockClass::Prose)
        })
        .map(key_of)
        .min();
    prose
        .or_else(|| sentences.iter().map(key_of).min())
        .unwrap_or(0)
}

impl Analyzer for TemplateLine {
    fn variables(&self) -> &'static [&'static str] {
        &["line", "files"]
    }

    fn compares_files(&self) -> bool {
        true
    }

    fn gather(&self, doc: &Document<'_>, out: &mut ArticleFacts) {
        let mut keys: Vec<u64> = self
            .page_lines(doc)
            .into_iter()
            .map(|(_, key)| key)
            .collect();
        if keys.is_empty() {
            return;
        }
        keys.sort_unstable();
        keys.dedup();
        out.page_lines = keys;
        out.article_key = article_key(doc);
    }

    fn check_in_corpus(&self, doc: &Document<'_>, corpus: &CorpusIndex, out: &mut Found) {
        for (span, key) in self.page_lines(doc) {
            let Some(facts) = corpus.page_line(key).filter(|f| self.is_template(f)) else {
                continue;
            };
            let mut finding = Finding::new(span)
                .var("line", doc.slice(span))
                .var("files", facts.files.to_string());
            finding.labels.push(Label {
                span,
                message: format!("carried by {} files of this corpus", facts.files),
            });
            out.push(finding);
        }
    }

    fn files_to_recheck(&self, corpus: &CorpusIndex, out: &mut foldhash::HashSet<usize>) {
        corpus.files_with_page_lines(|f| self.is_template(f), out);
    }

    /// Nothing to see in one file alone.
    fn check(&self, _doc: &Document<'_>, _out: &mut Found) {}
}
