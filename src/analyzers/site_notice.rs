//! The site speaking to its reader outside the article: "Sign up for our
//! newsletter", "You can unsubscribe at any time", "This site uses cookies",
//! "We publish new recipes weekly". A paragraph before or after the
//! article's prose that uses a first- or second-person word together with a
//! word of the site's relationship with its reader (newsletter, subscribe,
//! comments, privacy, account …) is the page, whatever its length; inside
//! the article, the same words are the article's own.

use foldhash::HashSet;
use serde::Deserialize;

use super::common::{zone_name, WordSet, REPORTING_VERBS};
use super::{Analyzer, Finding, Found, Params};
use crate::diagnostic::Span;
use crate::text::{Block, BlockClass, Document, TokenKind, Zone};

/// The words by which a site addresses its reader or speaks of itself.
const PERSON_WORDS: &[&str] = &["we", "our", "us", "you", "your", "i", "my", "me"];

/// Words a footer line holds at most: longer text after the article may be
/// the article's own (an author's note, a reader's letter).
const MAX_FOOTER_WORDS: usize = 20;

/// Words a notice inside the article's span holds at most. Where the layout
/// model's body runs on past the article (a page dump with comments or
/// related stories below it), the site's template is still short.
const MAX_BODY_NOTICE_WORDS: usize = 40;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    /// Words of a site's relationship with its reader: newsletter,
    /// subscribe, comments, privacy, account, donate …
    site_words_file: String,
}

#[derive(Debug)]
struct SiteNotice {
    site_words: HashSet<String>,
    /// The site words, person words and reporting verbs together: a filter
    /// that passes over most words without putting them in lower case.
    listed: WordSet,
}

pub fn build(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    let config: Config = params.parse()?;
    let site_words: HashSet<String> = params
        .word_list(&config.site_words_file)?
        .into_iter()
        .map(|w| w.to_lowercase())
        .collect();
    let listed = (site_words.iter().map(String::as_str))
        .chain(PERSON_WORDS.iter().copied())
        .chain(REPORTING_VERBS.iter().copied())
        .map(str::to_string)
        .collect();
    Ok(Box::new(SiteNotice { site_words, listed }))
}

impl SiteNotice {
    /// Outside the article, a person word and a site word in one paragraph.
    /// Inside it, one site word may be the article's subject ("our
    /// readers"); a short paragraph that speaks to its reader with two
    /// different ones ("Join our newsletter … your inbox") is the site's.
    fn is_notice(&self, doc: &Document<'_>, block: &Block) -> bool {
        if block.zone == Zone::Body {
            // Most paragraphs there are prose: reading stops past the limit.
            let words = Words::read(doc, block, self, MAX_BODY_NOTICE_WORDS);
            return words.person
                && words.site.len() >= 2
                && words.count <= MAX_BODY_NOTICE_WORDS
                && !words.reporting;
        }
        // After the article, a line that is not prose and names the site's
        // dealings with its reader is the page's footer even with no "we"
        // or "you" in it ("Privacy Policy", "Subscription renews yearly").
        let footer = block.zone == Zone::Tail
            && block.class != BlockClass::Prose
            && !block.sentence
            && !block.foreign;
        let words = Words::read(doc, block, self, usize::MAX);
        let site = !words.site.is_empty();
        words.person && site || footer && site && !words.numbers && words.count <= MAX_FOOTER_WORDS
    }
}

/// What a paragraph's words say about who speaks in it.
struct Words<'d> {
    /// A first- or second-person word outside quotation marks.
    person: bool,
    /// The distinct site words.
    site: Vec<std::borrow::Cow<'d, str>>,
    count: usize,
    /// Figures make a table's line ("Current account +13.5 bln").
    numbers: bool,
    /// A reporting verb ("said", "wrote").
    reporting: bool,
}

impl<'d> Words<'d> {
    /// Reads the paragraph's words, stopping once there are more than
    /// `max_words` (`count` then says so).
    fn read(
        doc: &'d Document<'_>,
        block: &Block,
        notice: &SiteNotice,
        max_words: usize,
    ) -> Words<'d> {
        let mut words = Words {
            person: false,
            site: Vec::new(),
            count: 0,
            numbers: false,
            reporting: false,
        };
        let mut quoted = false;
        for t in doc.tokens_in(block.span) {
            let text = doc.slice(t.span);
            if t.kind == TokenKind::Punct {
                // A speaker's "we" and "I" are the speaker's, not the site's.
                match text {
                    "“" | "«" => quoted = true,
                    "”" | "»" => quoted = false,
                    "\"" => quoted = !quoted,
                    _ => {}
                }
                continue;
            }
            if t.kind == TokenKind::Number {
                words.numbers = true;
                continue;
            }
            words.count += 1;
            if words.count > max_words {
                break;
            }
            if !notice.listed.may_hold_token(t) {
                continue;
            }
            let w = doc.lower_token(t);
            // "US" in capitals is the country.
            let capitals = text.len() > 1 && !text.contains(char::is_lowercase);
            words.person |= !quoted && !capitals && PERSON_WORDS.contains(&w.as_ref());
            words.reporting |= REPORTING_VERBS.contains(&w.as_ref());
            if notice.site_words.contains(w.as_ref()) && !words.site.contains(&w) {
                words.site.push(w);
            }
        }
        words
    }
}

impl Analyzer for SiteNotice {
    fn variables(&self) -> &'static [&'static str] {
        &["where"]
    }

    fn reports_blocks(&self) -> bool {
        true
    }

    fn check(&self, doc: &Document<'_>, out: &mut Found) {
        let layout = doc.layout();
        if !layout.has_article() {
            return; // no article, so no "outside" either
        }
        let blocks = &layout.blocks;
        let mut i = 0;
        while i < blocks.len() {
            if !self.is_notice(doc, &blocks[i]) {
                i += 1;
                continue;
            }
            let first = &blocks[i];
            while i + 1 < blocks.len() && self.is_notice(doc, &blocks[i + 1]) {
                i += 1;
            }
            out.push(
                Finding::new(Span::new(first.span.start, blocks[i].span.end))
                    .var("where", zone_name(first.zone)),
            );
            i += 1;
        }
    }
}
