//! The page layout: which paragraphs are the article's prose and which are
//! the page around it (menus, share bars, footers, link lists).
//!
//! Each paragraph is first judged on its own, from features in the manner
//! of jusText: its length, its share of stop words, whether it ends as a
//! sentence does, link-like tokens, code and table marks. Then the article
//! is found as one region, in the manner of Body Text Extraction: the run of
//! paragraphs that holds the most prose words against the fewest short
//! non-prose paragraphs. Short paragraphs inside the region are headings,
//! captions or list items (unsure); short ones outside it, in the head or
//! tail zone, are residue, except the headline just before the article and
//! lines that read as sentences or as ordinary lower-case list items.
//!
//! The model says where residue is; rules say what it is. A rule with
//! `outside_prose` lets its pattern match only where this model does not
//! see article prose, so a sentence about a newsletter stays clean.

use std::ops::Range;

use super::{Paragraph, Token, TokenKind};
use crate::diagnostic::Span;

/// What a paragraph is on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockClass {
    /// The article's running text.
    Prose,
    /// The page around the article.
    Residue,
    /// A heading, caption, list item, table or code; or text in a language
    /// the stop-word model cannot read.
    Unsure,
}

/// Where a paragraph sits relative to the article region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Head,
    Body,
    Tail,
}

/// One paragraph of the page with its class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub paragraph: usize,
    pub span: Span,
    pub class: BlockClass,
    pub zone: Zone,
    /// Holds a URL, a handle or a menu separator (`|`, `»`, `›`).
    pub link_like: bool,
    /// A list item.
    pub bullet: bool,
    /// Code, or prose in another language or script: text whose wording
    /// the English models cannot judge.
    pub foreign: bool,
    /// Two words or more ending with a full stop: a sentence, however short.
    pub sentence: bool,
    /// The headline (or its companion line) just before the article.
    pub headline: bool,
    /// Figures, or a table with column gaps: data the article carries.
    pub data: bool,
}

/// A paragraph's class, one per paragraph of the document (same indexes).
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub blocks: Vec<Block>,
    /// The spans of the prose blocks, and of the blocks outside the
    /// article ([`Layout::in_article`]): where rules for the page around
    /// an article, and rules for its wording, report nothing.
    prose: Vec<Span>,
    off_article: Vec<Span>,
}

impl Layout {
    /// The block of the paragraph that holds byte `at`, if any.
    pub fn block_at(&self, at: usize) -> Option<&Block> {
        let i = self.blocks.partition_point(|b| b.span.end <= at);
        self.blocks.get(i).filter(|b| b.span.start <= at)
    }

    /// Is `span` inside a paragraph the model calls prose?
    pub fn is_prose(&self, span: Span) -> bool {
        self.block_at(span.start)
            .is_some_and(|b| b.class == BlockClass::Prose)
    }

    /// Is `span` in the article's own text: prose, or a paragraph the model
    /// is unsure of that is long, or a short sentence among the article's
    /// paragraphs, or any such paragraph where no article was found; never
    /// residue, a heading, label or list beside an article, code, or
    /// another language? What rules about the wording of the article read, as the
    /// page around it was not written with it.
    pub fn in_article(&self, span: Span) -> bool {
        self.block_at(span.start)
            .is_some_and(|block| block_in_article(block, self.has_article()))
    }

    /// The blocks of `blocks`, with the spans where the rules that read
    /// only the page, or only the article, report nothing.
    fn new(blocks: Vec<Block>) -> Layout {
        let mut layout = Layout {
            blocks,
            ..Layout::default()
        };
        layout.prose = layout
            .blocks
            .iter()
            .filter(|b| b.class == BlockClass::Prose)
            .map(|b| b.span)
            .collect();
        let has_article = layout.has_article();
        layout.off_article = layout
            .blocks
            .iter()
            .filter(|b| !block_in_article(b, has_article))
            .map(|b| b.span)
            .collect();
        layout
    }

    /// The spans of the prose blocks, in order: a match starting in one is
    /// [`Layout::is_prose`].
    pub fn prose_spans(&self) -> &[Span] {
        &self.prose
    }

    /// The spans of the blocks outside the article, in order: a match
    /// starting in one is not [`Layout::in_article`].
    pub fn off_article_spans(&self) -> &[Span] {
        &self.off_article
    }

    /// Did the model find an article (some paragraph of prose)?
    pub fn has_article(&self) -> bool {
        !self.prose.is_empty()
    }

    /// Maximal runs of consecutive residue blocks, as ranges of blocks.
    pub fn residue_runs(&self) -> Vec<Range<usize>> {
        let mut runs = Vec::new();
        let mut i = 0;
        while i < self.blocks.len() {
            if self.blocks[i].class != BlockClass::Residue {
                i += 1;
                continue;
            }
            let start = i;
            while i < self.blocks.len() && self.blocks[i].class == BlockClass::Residue {
                i += 1;
            }
            runs.push(start..i);
        }
        runs
    }
}

/// Is `block` in the article's own text (see [`Layout::in_article`])?
fn block_in_article(block: &Block, has_article: bool) -> bool {
    match block.class {
        BlockClass::Prose => true,
        BlockClass::Residue => false,
        BlockClass::Unsure => {
            !block.foreign
                && !block.bullet
                && (block.span.len() >= SHORT_BLOCK
                    || block.zone == Zone::Body && block.sentence
                    || !has_article)
        }
    }
}

/// One paragraph as the layout model reads it, for people to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutRow {
    /// Byte offset of the paragraph in the text.
    pub start: usize,
    pub zone: &'static str,
    pub class: &'static str,
    /// The paragraph's first line, cut at 70 characters.
    pub opening: String,
}

/// Every paragraph of `text` with the zone and class the model gives it.
pub fn layout_rows(text: &str) -> Vec<LayoutRow> {
    const OPENING: usize = 70;
    let doc = super::Document::new(text);
    doc.layout()
        .blocks
        .iter()
        .map(|b| {
            let first_line = doc.slice(b.span).lines().next().unwrap_or("");
            let mut opening: String = first_line.chars().take(OPENING).collect();
            if opening.len() < first_line.len() {
                opening.push('…');
            }
            LayoutRow {
                start: b.span.start,
                zone: match b.zone {
                    Zone::Head => "head",
                    Zone::Body => "body",
                    Zone::Tail => "tail",
                },
                class: match b.class {
                    BlockClass::Prose => "prose",
                    BlockClass::Residue => "residue",
                    BlockClass::Unsure => "unsure",
                },
                opening,
            }
        })
        .collect()
}

/// Function words of English: prose is dense in them, menus and labels are
/// not (jusText's measure).
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "against", "all", "also", "an", "and", "any", "are", "as", "at", "be",
    "because", "been", "before", "being", "between", "both", "but", "by", "can", "could", "did",
    "do", "does", "during", "each", "few", "for", "from", "had", "has", "have", "he", "her",
    "here", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "me", "more",
    "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other",
    "our", "out", "over", "said", "says", "she", "should", "so", "some", "such", "than", "that",
    "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to",
    "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which",
    "while", "who", "whom", "why", "will", "with", "would", "you", "your",
];

/// What the classifier reads of one paragraph.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Features {
    chars: usize,
    words: usize,
    stop_share: f32,
    capital_share: f32,
    ends_as_sentence: bool,
    /// Ends with `.`, `!`, `?` or `…`: a sentence, where a label ends in `:`.
    ends_with_full_stop: bool,
    /// Ends with `:`: a label or a line that leads into what follows.
    ends_with_colon: bool,
    bullet: bool,
    link_like: bool,
    code_like: bool,
    table_like: bool,
    other_script: bool,
    /// Mostly figures, or a comma-separated list of names: data the
    /// article carries (results, line-ups), not the page's template.
    data_like: bool,
    /// The first word is a figure: a quantity or a rank ("2 cups of
    /// flour", "01. Name").
    opens_with_number: bool,
    /// A comma inside the line: a name and a role, items of a list.
    inner_comma: bool,
}

impl Features {
    /// Code, another script, or a long paragraph whose words are not
    /// English function words (another language in Latin letters).
    fn is_foreign(&self) -> bool {
        self.code_like || self.other_script || self.words >= 12 && self.stop_share < THIN
    }
}

/// The class a paragraph has on its own, before its context is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Own {
    /// Long and dense in stop words.
    Good,
    /// Long enough, but thin in stop words or not ending as a sentence.
    NearGood,
    /// Short: a label, heading, caption or list item.
    Short,
    /// A short line that reads as a sentence.
    ShortSentence,
    /// Links, or no words at all.
    Bad,
    /// Code, a table, or text in another script: not for this model.
    Other,
}

/// Bytes below which a paragraph the model is unsure of, beside an
/// article, is a heading, caption or list item rather than its text.
const SHORT_BLOCK: usize = 80;
/// Paragraphs at least this long (in characters) can be prose on their own.
const LONG: usize = 70;
/// Paragraphs this long need no final punctuation to be prose.
const VERY_LONG: usize = 150;
/// Stop-word share of prose; below `THIN` a long paragraph is a list of names.
const DENSE: f32 = 0.25;
const THIN: f32 = 0.15;
/// What one short non-prose paragraph costs a region, in prose words.
const SHORT_PENALTY: f32 = 10.0;
/// Below this mean stop-word share of its long paragraphs, a document is
/// not English prose as the model knows it, and it says nothing.
const ENGLISH: f32 = 0.2;
/// Tokens of a paragraph read for its shares of stop words, capitals and
/// figures.
const SAMPLED_TOKENS: usize = 80;
/// How far before the article the headline may stand, in paragraphs.
const HEADLINE_REACH: usize = 6;
/// How many lines there may be kept as the headline and its companion.
const HEADLINES: usize = 2;

/// The layout of a document's paragraphs.
pub fn layout(
    text: &str,
    paragraphs: &[Paragraph],
    tokens: &[Token],
    sentences: &[super::Sentence],
) -> Layout {
    let features: Vec<Features> = paragraphs
        .iter()
        .map(|p| features(text, p, paragraph_tokens(p, tokens, sentences)))
        .collect();
    let own: Vec<Own> = features.iter().map(own_class).collect();
    let region = article_region(&features, &own);
    let headlines = region
        .as_ref()
        .map(|r| headlines_before(r.start, &features, &own))
        .unwrap_or_default();
    let english = reads_as_english(&features);
    let zones: Vec<Zone> = (0..paragraphs.len())
        .map(|i| match &region {
            Some(r) if i < r.start => Zone::Head,
            Some(r) if i >= r.end => Zone::Tail,
            _ => Zone::Body,
        })
        .collect();
    let mut classes: Vec<BlockClass> = (0..paragraphs.len())
        .map(|i| {
            if !english || region.is_none() || headlines.contains(&i) {
                BlockClass::Unsure
            } else {
                in_context(own[i], &features[i], zones[i])
            }
        })
        .collect();
    if english && region.is_some() {
        take_the_page_context(&mut classes, &zones, &features, &headlines);
        // Paragraphs with no blank line before them: the segmenter cut
        // them from one list of lines.
        let tight: Vec<bool> = (0..paragraphs.len())
            .map(|i| i > 0 && paragraphs[i].lines.start == paragraphs[i - 1].lines.end)
            .collect();
        take_the_list_under_the_page(&mut classes, &zones, &features, &tight);
    }
    let blocks = paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| Block {
            paragraph: i,
            span: p.span,
            class: classes[i],
            zone: zones[i],
            link_like: features[i].link_like,
            bullet: features[i].bullet,
            foreign: features[i].is_foreign(),
            sentence: features[i].words >= 2 && features[i].ends_with_full_stop,
            headline: headlines.contains(&i),
            data: features[i].data_like || p.tabular,
        })
        .collect();
    Layout::new(blocks)
}

fn paragraph_tokens<'t>(
    p: &Paragraph,
    tokens: &'t [Token],
    sentences: &[super::Sentence],
) -> &'t [Token] {
    let s = &sentences[p.sentences.clone()];
    match (s.first(), s.last()) {
        (Some(first), Some(last)) => &tokens[first.tokens.start..last.tokens.end],
        _ => &[],
    }
}

fn features(text: &str, p: &Paragraph, tokens: &[Token]) -> Features {
    let body = &text[p.span.start..p.span.end];
    let ascii = body.is_ascii();
    let mut f = Features {
        chars: if ascii {
            body.len()
        } else {
            body.chars().count()
        },
        bullet: p.bullet,
        table_like: p.tabular || memchr::memchr_iter(b'|', body.as_bytes()).nth(1).is_some(),
        ..Features::default()
    };
    let (mut stop, mut capital, mut numbers) = (0usize, 0usize, 0usize);
    f.opens_with_number = tokens
        .iter()
        .find(|t| t.kind != TokenKind::Punct)
        .is_some_and(|t| t.kind == TokenKind::Number);
    f.inner_comma = body.trim_end().trim_end_matches(',').contains(", ");
    // Shares are read from the paragraph's first words: a long paragraph's
    // opening tells prose from a list as well as all of it does.
    for t in tokens.iter().take(SAMPLED_TOKENS) {
        match t.kind {
            TokenKind::Word => {}
            TokenKind::Number => {
                numbers += 1;
                continue;
            }
            TokenKind::Punct => continue,
        }
        let word = &text.as_bytes()[t.span.start..t.span.end];
        f.words += 1;
        capital += (word[0].is_ascii_uppercase()
            || word[0] >= 0x80 && text[t.span.start..].starts_with(char::is_uppercase))
            as usize;
        stop += is_stop_word(word) as usize;
        f.link_like |= is_link_like(word);
    }
    let sampled = f.words;
    if sampled > 0 {
        f.stop_share = stop as f32 / sampled as f32;
        f.capital_share = capital as f32 / sampled as f32;
    }
    let rest = tokens.get(SAMPLED_TOKENS..).unwrap_or(&[]);
    f.words += rest.iter().filter(|t| t.kind == TokenKind::Word).count();
    f.link_like |= has_link_marks(body);
    f.ends_as_sentence = super::segment::ends_sentence(body);
    f.ends_with_colon = body.trim_end().ends_with(':');
    f.ends_with_full_stop = f.ends_as_sentence && !f.ends_with_colon;
    f.code_like = looks_like_code(body);
    f.other_script = !ascii && may_hold_other_script(body) && other_script_share(body) > 0.3;
    f.data_like =
        numbers * 2 >= sampled.max(1) || f.stop_share < THIN && body.matches(", ").nth(2).is_some();
    f
}

/// Is `word` an English function word (in any case)? Asked of most words
/// of every paragraph: a stop word fits in one number, looked up in a small
/// open-addressed table, with no hashing of bytes.
pub fn is_stop_word(word: &[u8]) -> bool {
    static TABLE: std::sync::LazyLock<StopTable> = std::sync::LazyLock::new(|| {
        let mut table = StopTable([0; STOP_SLOTS]);
        for w in STOP_WORDS {
            let key = packed_lower(w.as_bytes()).expect("stop words are short ASCII");
            let mut slot = stop_slot(key);
            while table.0[slot] != 0 {
                slot = (slot + 1) % STOP_SLOTS;
            }
            table.0[slot] = key;
        }
        table
    });
    let Some(key) = packed_lower(word) else {
        return false;
    };
    let mut slot = stop_slot(key);
    loop {
        match TABLE.0[slot] {
            0 => return false,
            k if k == key => return true,
            _ => slot = (slot + 1) % STOP_SLOTS,
        }
    }
}

/// Slots of the stop-word table: a power of two, under a quarter full.
const STOP_SLOTS: usize = 512;

struct StopTable([u64; STOP_SLOTS]);

fn stop_slot(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - STOP_SLOTS.trailing_zeros())) as usize
}

/// A word of one to eight ASCII bytes (no NUL) as one number, its letters
/// in lower case: two words share a number only if their lower cases are
/// the same.
fn packed_lower(word: &[u8]) -> Option<u64> {
    if word.is_empty() || word.len() > 8 {
        return None;
    }
    word.iter().try_fold(0u64, |key, &b| {
        (b != 0 && b.is_ascii()).then(|| key << 8 | u64::from(b.to_ascii_lowercase()))
    })
}

fn is_link_like(word: &[u8]) -> bool {
    let starts = |p: &[u8]| word.len() >= p.len() && word[..p.len()].eq_ignore_ascii_case(p);
    starts(b"http")
        || starts(b"www.")
        || word.len() > 4 && word[word.len() - 4..].eq_ignore_ascii_case(b".com")
}

/// URLs, handles and the separators of menus and breadcrumbs.
fn has_link_marks(body: &str) -> bool {
    let bytes = body.as_bytes();
    if memchr::memchr3(b':', b'@', b'|', bytes).is_none() && body.is_ascii() {
        return false;
    }
    body.contains("://")
        || body.contains(" » ")
        || body.contains(" › ")
        || body.contains(" | ")
        || memchr::memchr(b'@', bytes).is_some()
            && body
                .split_whitespace()
                .any(|w| w.len() > 1 && w.starts_with('@') && !w.contains('.'))
}

/// Two or more of the marks code has and prose lacks, with `=` or braces.
fn looks_like_code(body: &str) -> bool {
    let bytes = body.as_bytes();
    if memchr::memchr3(b'=', b'{', b';', bytes).is_none() && memchr::memchr(b'}', bytes).is_none() {
        return false;
    }
    let marks = bytes
        .iter()
        .filter(|b| {
            matches!(
                b,
                b'{' | b'}' | b'=' | b';' | b'<' | b'>' | b'[' | b']' | b'$'
            )
        })
        .count();
    marks >= 2 && bytes.iter().any(|b| matches!(b, b'=' | b'{' | b'}' | b';'))
}

/// Lead bytes of letters past Latin Extended-B (U+0250 to U+1FFF, and
/// U+3000 on): curly quotes and dashes (U+2000 to U+2FFF) are not among
/// them, so most English text is passed over from its bytes.
fn may_hold_other_script(body: &str) -> bool {
    body.bytes().any(|b| matches!(b, 0xCA..=0xE1 | 0xE3..=0xF4))
}

fn other_script_share(body: &str) -> f32 {
    let (mut letters, mut other) = (0usize, 0usize);
    for c in body.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        // Past Latin Extended-B: Greek, Cyrillic, CJK and the rest.
        other += (c as u32 > 0x24f) as usize;
    }
    if letters == 0 {
        0.0
    } else {
        other as f32 / letters as f32
    }
}

fn own_class(f: &Features) -> Own {
    if f.code_like || f.table_like || f.other_script || f.data_like {
        return Own::Other;
    }
    if f.words == 0 || f.link_like && f.words < 15 {
        return Own::Bad;
    }
    if f.chars < LONG {
        let sentence = f.words >= 2 && f.ends_with_full_stop;
        return if sentence {
            Own::ShortSentence
        } else {
            Own::Short
        };
    }
    if f.stop_share >= DENSE && (f.chars >= VERY_LONG || f.ends_as_sentence) {
        return Own::Good;
    }
    if f.stop_share < THIN {
        return Own::Bad;
    }
    Own::NearGood
}

/// The run of paragraphs that best covers the article: the maximum-sum
/// run where prose counts its words and each short or bad paragraph costs
/// a fixed penalty (Finn, Kushmerick and Smyth's Body Text Extraction).
fn article_region(features: &[Features], own: &[Own]) -> Option<Range<usize>> {
    let score = |i: usize| match own[i] {
        Own::Good => features[i].words as f32,
        Own::NearGood => features[i].words as f32 * 0.5,
        Own::Other | Own::ShortSentence => 0.0,
        Own::Short | Own::Bad => -SHORT_PENALTY,
    };
    let (mut best, mut best_range) = (0.0f32, None);
    let (mut sum, mut start) = (0.0f32, 0);
    for i in 0..own.len() {
        if sum <= 0.0 {
            sum = 0.0;
            start = i;
        }
        sum += score(i);
        if sum > best {
            best = sum;
            best_range = Some(start..i + 1);
        }
    }
    // A region with no long prose paragraph is not an article.
    best_range.filter(|r| own[r.clone()].contains(&Own::Good))
}

/// The headline and the line beside it (a standfirst, or a dateline the
/// segmenter cut off): the nearest two short lines of three or more words
/// before the article that are not list items or links.
fn headlines_before(start: usize, features: &[Features], own: &[Own]) -> Vec<usize> {
    (start.saturating_sub(HEADLINE_REACH)..start)
        .rev()
        .filter(|&i| {
            let f = &features[i];
            matches!(own[i], Own::Short | Own::NearGood)
                && f.words >= 3
                && !f.bullet
                && !f.link_like
        })
        .take(HEADLINES)
        .collect()
}

fn reads_as_english(features: &[Features]) -> bool {
    let long: Vec<&Features> = features
        .iter()
        .filter(|f| f.chars >= LONG && !f.other_script)
        .collect();
    if long.is_empty() {
        return true;
    }
    long.iter().map(|f| f.stop_share).sum::<f32>() / long.len() as f32 >= ENGLISH
}

/// Outside the article, paragraphs take the class of their context
/// (jusText's second pass). An unsure one with residue on both sides (the
/// nearest paragraphs that are not unsure; the file's edges count as
/// residue) is the page too: a date under a related headline, a label in a
/// form, a line of a footer. Then a prose paragraph outside the article
/// with residue right beside it on both sides is the page's own text (a
/// newsletter pitch, a cookie notice): the article region, which would
/// have taken it in had it belonged, left it out. The article's prose on
/// either side keeps a paragraph as it is, so the headline and the lines
/// just after the article stay.
fn take_the_page_context(
    classes: &mut [BlockClass],
    zones: &[Zone],
    features: &[Features],
    headlines: &[usize],
) {
    let outside = |i: usize| zones[i] != Zone::Body && !headlines.contains(&i);
    let before = nearest_sure_before(classes);
    let mut after = BlockClass::Residue;
    for i in (0..classes.len()).rev() {
        if classes[i] != BlockClass::Unsure {
            after = classes[i];
        } else if outside(i)
            && may_be_the_page(&features[i])
            && before[i] == BlockClass::Residue
            && after == BlockClass::Residue
        {
            classes[i] = BlockClass::Residue;
        }
    }
}

/// After the article, the lines packed right under a label of the page
/// ("Related stories", "Editors' picks"), with no blank line between, are
/// the items of its list even where one reads as a clause. The list runs
/// while the lines stay packed and read as items; a sentence, a line that
/// leads into what follows, figures or a table end it. Only a label opens
/// one: a line of the page that reads as text may be the article's,
/// misplaced.
fn take_the_list_under_the_page(
    classes: &mut [BlockClass],
    zones: &[Zone],
    features: &[Features],
    tight: &[bool],
) {
    let mut in_list = false;
    for i in 0..classes.len() {
        let f = &features[i];
        let item = !(f.is_foreign()
            || f.data_like
            || f.table_like
            || f.opens_with_number
            || f.ends_with_colon
            || f.words >= 3 && f.ends_with_full_stop);
        in_list = in_list && tight[i] && item && zones[i] == Zone::Tail;
        if in_list && classes[i] == BlockClass::Unsure {
            classes[i] = BlockClass::Residue;
        }
        let label = f.words <= LIST_LABEL_WORDS && !f.ends_with_full_stop && !f.bullet;
        in_list |= classes[i] == BlockClass::Residue && zones[i] == Zone::Tail && label;
    }
}

/// Words a label that opens a list of the page's holds at most.
const LIST_LABEL_WORDS: usize = 4;

/// For each paragraph, the class of the nearest one before it that is not
/// unsure (residue at the start of the file).
fn nearest_sure_before(classes: &[BlockClass]) -> Vec<BlockClass> {
    let mut last = BlockClass::Residue;
    classes
        .iter()
        .map(|&c| {
            let before = last;
            if c != BlockClass::Unsure {
                last = c;
            }
            before
        })
        .collect()
}

/// Can an unsure paragraph take the page's class from its neighbours?
/// Only a label: not code or another language, which the model cannot
/// read; not figures or a table, the article's data wherever they stand;
/// not a line that opens with a quantity or a rank (an ingredient, a
/// ranked entry) or pairs items with a comma (a name and a role); not a
/// sentence, nor a list item that reads as a clause in lower case (a step,
/// a point the article makes). Menus are title-cased labels.
fn may_be_the_page(f: &Features) -> bool {
    let sentence = f.words >= 3 && f.ends_with_full_stop;
    let clause_item = f.bullet && f.capital_share < 0.5 && f.words >= 4;
    !f.is_foreign()
        && !f.data_like
        && !f.table_like
        && !f.opens_with_number
        && !f.inner_comma
        && !sentence
        && !clause_item
}

/// The class of a paragraph given its own class and its zone.
fn in_context(own: Own, f: &Features, zone: Zone) -> BlockClass {
    match (own, zone) {
        (Own::Good, _) => BlockClass::Prose,
        (Own::Other | Own::ShortSentence, _) => BlockClass::Unsure,
        // Inside the article only links are residue: a short line there is
        // a heading, caption or list item.
        (Own::Bad, Zone::Body) if f.link_like => BlockClass::Residue,
        (_, Zone::Body) => BlockClass::Unsure,
        // Outside it, an ordinary list item in lower case (an ingredient, a
        // step) may still be the article's; menus are title-cased.
        (Own::Short, _) if f.words >= 3 && f.capital_share < 0.5 && !f.link_like => {
            BlockClass::Unsure
        }
        // A long paragraph that ends as a sentence is a note or a list of
        // names in a sentence: what the page adds of that kind, the family
        // rules know by its words.
        (Own::NearGood | Own::Bad, _) if f.chars >= LONG && f.ends_with_full_stop => {
            BlockClass::Unsure
        }
        _ => BlockClass::Residue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Document;

    fn classes(text: &str) -> Vec<(String, BlockClass)> {
        let doc = Document::new(text);
        doc.layout()
            .blocks
            .iter()
            .map(|b| (doc.slice(b.span).to_string(), b.class))
            .collect()
    }

    fn class_of(text: &str, line: &str) -> BlockClass {
        classes(text)
            .into_iter()
            .find(|(t, _)| t == line)
            .unwrap_or_else(|| panic!("no block {line:?}"))
            .1
    }

    const PROSE_1: &str = "The council voted on Tuesday to close the old bridge to traffic after engineers found that two of its supports had cracked during the winter floods.";
    const PROSE_2: &str = "Residents who cross it every day said they were worried about the longer drive, and the mayor promised that a temporary crossing would be built within a month.";
    const PROSE_3: &str = "The repairs are expected to cost more than the bridge did when it was built, and the work will not begin until the spring, when the river is lower.";

    #[test]
    fn the_lines_packed_under_a_page_line_after_the_article_are_its_list() {
        let text = format!(
            "{PROSE_1}\n\n{PROSE_2}\n\n{PROSE_3}\n\nRELATED STORIES\n\
             * Farmers warn of a poor harvest as the drought goes on\n\
             * Why the river keeps flooding every spring\n\n\
             * Ferry fares rise as fuel costs climb\n\n\
             Share\n\
             The bridge will reopen in June."
        );
        let got = classes(&text);
        let class = |line: &str| got.iter().find(|(t, _)| t == line).expect(line).1;
        // Under the label with no blank line between: the label's list.
        assert_eq!(
            class("Farmers warn of a poor harvest as the drought goes on"),
            BlockClass::Residue
        );
        assert_eq!(
            class("Why the river keeps flooding every spring"),
            BlockClass::Residue
        );
        // After a blank line, a clause in a list is not known to be the page's.
        assert_eq!(
            class("Ferry fares rise as fuel costs climb"),
            BlockClass::Unsure
        );
        // A sentence under a page line stays what it was.
        assert_ne!(
            class("The bridge will reopen in June."),
            BlockClass::Residue
        );
    }

    #[test]
    fn a_line_that_leads_into_a_list_keeps_the_list_the_articles() {
        let text = format!(
            "{PROSE_1}\n\n{PROSE_2}\n\n{PROSE_3}\n\nConclusion\n\
             So here is what the tests showed:\n\
             * Tuples save a little memory over lists\n\
             * Slotted classes save a lot of memory"
        );
        let got = classes(&text);
        let class = |line: &str| got.iter().find(|(t, _)| t == line).expect(line).1;
        // The lead-in ends the list the label opened: the items under it
        // keep their own class.
        assert_ne!(
            class("Tuples save a little memory over lists"),
            BlockClass::Residue
        );
    }

    fn page(head: &[&str], middle: &[&str], tail: &[&str]) -> String {
        let mut parts: Vec<&str> = head.to_vec();
        parts.push(PROSE_1);
        parts.extend_from_slice(middle);
        parts.push(PROSE_2);
        parts.push(PROSE_3);
        parts.extend_from_slice(tail);
        parts.join("\n")
    }

    #[test]
    fn long_sentences_are_prose() {
        let text = page(&[], &[], &[]);
        assert!(classes(&text).iter().all(|(_, c)| *c == BlockClass::Prose));
    }

    #[test]
    fn menus_before_and_footers_after_the_article_are_residue() {
        let text = page(
            &[
                "Home",
                "World News",
                "Sport",
                "Weather Today",
                "Bridge to close after floods",
            ],
            &[],
            &[
                "Terms of Use",
                "Privacy Policy",
                "Contact Us",
                "Follow Us On Twitter",
            ],
        );
        for line in [
            "Home",
            "World News",
            "Weather Today",
            "Terms of Use",
            "Follow Us On Twitter",
        ] {
            assert_eq!(class_of(&text, line), BlockClass::Residue, "{line}");
        }
        // The headline right before the article stays.
        assert_eq!(
            class_of(&text, "Bridge to close after floods"),
            BlockClass::Unsure
        );
    }

    #[test]
    fn short_lines_inside_the_article_are_headings_not_residue() {
        let text = page(&[], &["What happens next", "Photo of the bridge"], &[]);
        assert_eq!(class_of(&text, "What happens next"), BlockClass::Unsure);
        assert_eq!(class_of(&text, "Photo of the bridge"), BlockClass::Unsure);
    }

    #[test]
    fn links_inside_the_article_are_residue() {
        // Blank lines around it: a line of wire width runs on into the next.
        let text = page(&[], &["\nhttps://example.org/news/bridge-closure\n"], &[]);
        assert_eq!(
            class_of(&text, "https://example.org/news/bridge-closure"),
            BlockClass::Residue
        );
    }

    #[test]
    fn short_sentences_lists_code_and_tables_are_never_residue() {
        let text = page(
            &[],
            &[],
            &[
                "When I woke up, there was nothing.",
                "2 cups of water and a pinch of salt",
                "let total = items.len(); { }",
                "| Plan | Price | Seats |",
            ],
        );
        for (line, class) in classes(&text).into_iter().skip(3) {
            assert_eq!(class, BlockClass::Unsure, "{line}");
        }
    }

    #[test]
    fn text_the_stop_words_cannot_read_is_left_unsure() {
        let german = "Die Entscheidung des Gerichts wurde am Dienstag verkündet, nachdem die Richter lange beraten hatten.";
        let text = format!("Startseite\n{german}\n{german}\nImpressum");
        assert!(classes(&text).iter().all(|(_, c)| *c == BlockClass::Unsure));
        let chinese = "这是一个很长的句子，用来测试模型是否会把其他文字的段落当成网页残留。这是一个很长的句子。";
        let middle = format!("\n{chinese}\n");
        assert_eq!(
            class_of(&page(&[], &[&middle], &[]), chinese),
            BlockClass::Unsure
        );
    }

    #[test]
    fn labels_among_the_page_take_its_class_but_the_articles_lists_do_not() {
        let article_lines = [
            "2 cups of flour",
            "salt, pepper and olive oil to taste",
            "Read the full report.",
            "- prices rose in every region",
        ];
        for line in article_lines {
            // Blank lines apart, as an extractor leaves separate blocks.
            let text = page(
                &[],
                &[],
                &[
                    "Privacy Policy\n",
                    "Get the latest stories in your inbox\n",
                    "Contact Us\n",
                    &format!("{line}\n"),
                    "Cookie Settings",
                ],
            );
            // A short line between two lines of the page is the page.
            assert_eq!(
                class_of(&text, "Get the latest stories in your inbox"),
                BlockClass::Residue
            );
            // Quantities, items paired by commas, a sentence and a
            // lower-case list item keep the article's benefit of the doubt.
            let body = line.trim_start_matches("- "); // a block starts after its bullet
            assert_eq!(class_of(&text, body), BlockClass::Unsure, "{line}");
        }
    }

    #[test]
    fn a_label_between_the_article_and_the_page_stays_unsure() {
        let line = "more stories like this one";
        let text = page(&[], &[], &[line, "Privacy Policy", "Contact Us"]);
        assert_eq!(class_of(&text, line), BlockClass::Unsure);
    }

    #[test]
    fn layout_rows_name_each_paragraph_zone_and_class() {
        let text = page(&["Home", "World News"], &[], &["Terms of Use"]);
        let rows = layout_rows(&text);
        assert_eq!(rows.len(), 6);
        assert_eq!((rows[0].zone, rows[0].class), ("head", "residue"));
        assert_eq!(rows[0].opening, "Home");
        assert_eq!((rows[2].zone, rows[2].class), ("body", "prose"));
        assert!(rows[2].opening.ends_with('…') && rows[2].opening.chars().count() == 71);
        assert_eq!(rows[2].start, text.find(PROSE_1).unwrap());
        assert_eq!((rows[5].zone, rows[5].class), ("tail", "residue"));
    }

    #[test]
    fn a_page_with_no_prose_has_no_residue() {
        let text = "Home\nNews\nSport\nWeather";
        assert!(classes(text).iter().all(|(_, c)| *c == BlockClass::Unsure));
    }

    #[test]
    fn stop_words_are_found_in_any_case_and_only_whole() {
        assert!(is_stop_word(b"The") && is_stop_word(b"WHICH") && is_stop_word(b"said"));
        assert!(
            !is_stop_word(b"thereby") && !is_stop_word("Théo".as_bytes()) && !is_stop_word(b"th")
        );
        for w in STOP_WORDS {
            assert!(is_stop_word(w.as_bytes()) && is_stop_word(w.to_uppercase().as_bytes()));
            // Nor a word with more before or after it.
            assert!(!is_stop_word(format!("x{w}").as_bytes()), "x{w}");
            assert!(!is_stop_word(format!("{w}’").as_bytes()), "{w}’");
        }
        assert!(!is_stop_word(b"\0a") && !is_stop_word(b"") && !is_stop_word(b"becausee"));
        assert!(is_link_like(b"HTTPS") && is_link_like(b"example.com") && !is_link_like(b"com"));
    }

    #[test]
    fn block_lookup_by_offset() {
        let text = page(&["Home"], &[], &[]);
        let doc = Document::new(&text);
        let layout = doc.layout();
        assert_eq!(
            layout.block_at(0).map(|b| b.class),
            Some(BlockClass::Residue)
        );
        assert!(layout.is_prose(Span::new(10, 12)));
        assert_eq!(layout.residue_runs(), vec![0..1]);
    }

    #[test]
    fn the_article_is_its_prose_and_sentences_not_the_page_or_its_labels() {
        let german = "Die Entscheidung des Gerichts wurde am Dienstag verkündet, nachdem die Richter lange beraten hatten und die Anwälte ihre Argumente noch einmal vorgetragen hatten.";
        let text = page(
            &["Home", "World News"],
            &[
                "What happens next",
                "Thank you. thank you all.",
                "* Bridge works begin on Monday.",
            ],
            &[german, "Terms of Use", "Privacy Policy"],
        );
        let doc = Document::new(&text);
        let in_article = |line: &str| {
            let at = text.find(line).unwrap();
            doc.layout().in_article(Span::new(at, at + line.len()))
        };
        assert!(in_article(PROSE_1) && in_article(PROSE_3));
        assert!(
            in_article("Thank you. thank you all."),
            "a short sentence in the body"
        );
        for outside in [
            "Home",
            "What happens next",
            german,
            "Bridge works begin",
            "Privacy Policy",
        ] {
            assert!(
                !in_article(outside),
                "{outside:?} is not the article's text"
            );
        }
        // Where no article is found, everything may be the article's text.
        let lone = Document::new("Thank you. thank you all.");
        assert!(lone.layout().in_article(Span::new(0, 5)));
    }
}
