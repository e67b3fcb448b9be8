//! Runs of paragraphs the layout model calls the page around the article:
//! menus before it, footers and link lists after it, links inside it. One
//! finding per run, not per line.

use foldhash::HashSet;
use serde::Deserialize;

use super::common::zone_name;
use super::{Analyzer, Finding, Found, Params};
use crate::diagnostic::Span;
use crate::text::{Block, Document, TokenKind, Zone};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    /// Before the article the headline, a dateline and a byline stand in
    /// clean copy too: there a run needs more paragraphs.
    #[serde(default = "default_min_head_blocks")]
    min_head_blocks: usize,
    /// After the article, runs of fewer paragraphs than this are left to the
    /// family rules, which know what a single line is: a lone line there may
    /// be a sign-off or the author's note.
    #[serde(default = "default_min_tail_blocks")]
    min_tail_blocks: usize,
    /// Words of a site's template (home, privacy, share, topics): outside
    /// the article a run must hold one of them, a link or a list bullet, so
    /// that a table of results or a list of fixtures is not taken for a
    /// menu.
    page_words_file: String,
}

fn default_min_head_blocks() -> usize {
    3
}

fn default_min_tail_blocks() -> usize {
    2
}

/// Words a label of the page's template holds at most, function words
/// aside.
const MAX_LABEL_WORDS: usize = 6;

#[derive(Debug)]
struct PageResidue {
    config: Config,
    page_words: HashSet<String>,
}

pub fn build(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    let config: Config = params.parse()?;
    if config.min_tail_blocks == 0 || config.min_head_blocks == 0 {
        return Err("`min_head_blocks` and `min_tail_blocks` must be at least 1".into());
    }
    let page_words = params
        .word_list(&config.page_words_file)?
        .into_iter()
        .map(|w| w.to_lowercase())
        .collect();
    Ok(Box::new(PageResidue { config, page_words }))
}

impl PageResidue {
    /// Does a run read as the site's template rather than as data? One of
    /// its paragraphs is a link, a list item, or a label made of page
    /// words: at least half of its words that are not function words
    /// ("Terms of Use", "More From Our Network"), so that a line of a table
    /// that happens to hold one ("Adjusted world price") is not evidence.
    fn has_page_evidence(&self, doc: &Document<'_>, blocks: &[Block]) -> bool {
        blocks
            .iter()
            .any(|b| b.link_like || b.bullet || self.is_page_label(doc, b))
    }

    fn is_page_label(&self, doc: &Document<'_>, block: &Block) -> bool {
        if block.sentence {
            return false;
        }
        let (mut page, mut content) = (0usize, 0usize);
        for t in doc.tokens_in(block.span) {
            if t.kind != TokenKind::Word {
                continue;
            }
            let word = doc.lower_token(t);
            if self.page_words.contains(word.as_ref()) {
                page += 1;
                content += 1;
            } else if !crate::text::is_stop_word(word.as_bytes()) {
                content += 1;
            }
            if content > MAX_LABEL_WORDS {
                return false;
            }
        }
        page > 0 && page * 2 >= content
    }

    fn is_reported(&self, doc: &Document<'_>, blocks: &[Block]) -> bool {
        let needed = match blocks[0].zone {
            Zone::Head => self.config.min_head_blocks,
            Zone::Tail => self.config.min_tail_blocks,
            // Inside the article a residue block is a bare link.
            Zone::Body => return true,
        };
        if blocks.len() >= needed {
            return self.has_page_evidence(doc, blocks);
        }
        // A short run after the article is the page when each line is a
        // label of the template's own words ("Latest articles"); a lone
        // line of other words may be a sign-off or the author's note, and
        // a lone word the wire's own marker ("MORE").
        blocks[0].zone == Zone::Tail
            && blocks
                .iter()
                .all(|b| self.is_page_label(doc, b) && word_count(doc, b) >= 2)
    }
}

fn word_count(doc: &Document<'_>, block: &Block) -> usize {
    doc.tokens_in(block.span)
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .count()
}

impl Analyzer for PageResidue {
    fn variables(&self) -> &'static [&'static str] {
        &["count", "where"]
    }

    fn reports_blocks(&self) -> bool {
        true
    }

    fn check(&self, doc: &Document<'_>, out: &mut Found) {
        let layout = doc.layout();
        for run in layout.residue_runs() {
            let blocks = &layout.blocks[run];
            if !self.is_reported(doc, blocks) {
                continue;
            }
            let (first, last) = (&blocks[0], &blocks[blocks.len() - 1]);
            let lines: usize = blocks
                .iter()
                .map(|b| doc.paragraphs()[b.paragraph].lines.len())
                .sum();
            let count = if lines == 1 {
                "1 line".to_string()
            } else {
                format!("{lines} lines")
            };
            out.push(
                Finding::new(Span::new(first.span.start, last.span.end))
                    .var("count", count)
                    .var("where", zone_name(first.zone)),
            );
        }
    }
}
