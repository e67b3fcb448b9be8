//! The article as analyzers see it. Everything here is built lazily, at most
//! once per file, and shared by all rules: spans are byte offsets into the
//! article body (the engine shifts them past a BOM).

use foldhash::HashMap;
use std::any::{Any, TypeId};
use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

use crate::diagnostic::Span;
use crate::rules::prefilter::{Hits, LazyRegex, Prefilter, Starts};

mod layout;
mod segment;

pub use layout::{is_stop_word, layout_rows, Block, BlockClass, Layout, LayoutRow, Zone};

pub use segment::{
    bullet_len, is_abbreviation, word_filter_bit, Paragraph, Sentence, Token, TokenKind,
};

/// The char boundary at or before `i` (`str::floor_char_boundary`, which
/// is newer than our MSRV); past the end, the end.
pub fn floor_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The char boundary at or after `i`; past the end, the end.
pub fn ceil_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// One line without its terminator (`\n` or `\r\n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    pub span: Span,
    pub text: &'a str,
}

impl Line<'_> {
    pub fn is_blank(&self) -> bool {
        is_blank(self.text)
    }

    /// The span of the line without leading and trailing blanks.
    pub fn trimmed_span(&self) -> Span {
        let start = self.text.len() - self.text.trim_start_matches(is_blank_char).len();
        let end = self.text.trim_end_matches(is_blank_char).len();
        if end <= start {
            Span::new(self.span.start, self.span.start)
        } else {
            Span::new(self.span.start + start, self.span.start + end)
        }
    }
}

/// Blanks as scraped text has them: ASCII spaces and tabs, NBSP, and the
/// other Unicode spaces.
pub fn is_blank_char(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}'
}

/// `word` in lower case, borrowed when it already is (most words are):
/// analyzers compare every word with word lists, and allocating a copy of
/// each was a large share of their time.
pub fn lower(word: &str) -> std::borrow::Cow<'_, str> {
    if word.is_ascii() {
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(word.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(word)
        }
    } else {
        std::borrow::Cow::Owned(word.to_lowercase())
    }
}

/// A 64-bit key for a word, the same in every thread and run. A collision
/// (one in about 2^64 pairs) could only hide a finding.
pub fn word_key(word: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x6b7a_6c69_6e74).hash_one(word)
}

pub fn is_blank(s: &str) -> bool {
    s.chars().all(is_blank_char)
}

/// An article body with its lines, computed on first use.
pub struct Document<'a> {
    text: &'a str,
    lines: OnceCell<Vec<Line<'a>>>,
    structure: OnceCell<Structure>,
    layout: OnceCell<Layout>,
    /// See [`Document::word_keys`].
    word_keys: OnceCell<Vec<u64>>,
    /// The text with ASCII letters in lower case: same length, same
    /// offsets, so an ASCII word's lower case is a slice of it.
    ascii_lower: OnceCell<String>,
    /// Results analyzers share for this article (attribution cues, say),
    /// by type and a key the analyzer chooses.
    shared: RefCell<HashMap<(TypeId, u64), Rc<dyn Any>>>,
    /// Where each rule regex may match, from one scan of the article.
    prefilter: Option<(&'a Prefilter, Hits)>,
}

/// Paragraphs, sentences and tokens, built together on first use.
struct Structure {
    paragraphs: Vec<Paragraph>,
    sentences: Vec<Sentence>,
    tokens: Vec<Token>,
}

impl<'a> Document<'a> {
    pub fn new(text: &'a str) -> Self {
        Document {
            text,
            lines: OnceCell::new(),
            structure: OnceCell::new(),
            layout: OnceCell::new(),
            word_keys: OnceCell::new(),
            ascii_lower: OnceCell::new(),
            shared: RefCell::new(HashMap::default()),
            prefilter: None,
        }
    }

    /// A document whose regexes run only where `prefilter` finds their
    /// literals.
    pub(crate) fn with_prefilter(text: &'a str, prefilter: &'a Prefilter) -> Self {
        let hits = prefilter.scan(text);
        Document {
            prefilter: Some((prefilter, hits)),
            ..Document::new(text)
        }
    }

    /// Where `re` may match in this article.
    pub(crate) fn regex_starts(&self, re: &LazyRegex) -> Starts<'_> {
        match &self.prefilter {
            Some((prefilter, hits)) => prefilter.starts(hits, re),
            None => Starts::Anywhere,
        }
    }

    /// The article is one of the first of its run (see
    /// [`crate::rules::prefilter::WARMING_ARTICLES`]), or has no prefilter.
    pub(crate) fn warming(&self) -> bool {
        self.prefilter.as_ref().is_none_or(|(_, hits)| hits.warming)
    }

    /// The matches of `re` in `span` of the article, as if `span` were the
    /// whole text (`\b` and `^` see its edges).
    pub(crate) fn find_in(&self, re: &LazyRegex, span: Span) -> Vec<Span> {
        let mut found = Vec::new();
        re.for_each_match(
            self.text,
            span.start..span.end,
            self.regex_starts(re),
            |caps| {
                let m = caps.get_match().expect("a match");
                found.push(Span::new(span.start + m.start(), span.start + m.end()));
            },
        );
        found
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    pub fn lines(&self) -> &[Line<'a>] {
        self.lines.get_or_init(|| split_lines(self.text))
    }

    fn structure(&self) -> &Structure {
        self.structure.get_or_init(|| {
            let mut paragraphs = segment::paragraphs(self.lines());
            // News prose runs about six bytes a token and 150 a sentence:
            // sized so, the vectors rarely grow.
            let mut sentences = Vec::with_capacity(self.text.len() / 128);
            let mut tokens = Vec::with_capacity(self.text.len() / 5);
            for (i, p) in paragraphs.iter_mut().enumerate() {
                let first = sentences.len();
                segment::sentences(self.text, i, p.span, &mut tokens, &mut sentences);
                p.sentences = first..sentences.len();
            }
            Structure {
                paragraphs,
                sentences,
                tokens,
            }
        })
    }

    /// A value computed once per article and shared by every analyzer that
    /// asks with the same type and key.
    pub fn shared<T: 'static>(&self, key: u64, compute: impl FnOnce() -> T) -> Rc<T> {
        let id = (TypeId::of::<T>(), key);
        if let Some(found) = self.shared.borrow().get(&id) {
            return found.clone().downcast::<T>().expect("keyed by type");
        }
        // Not borrowed while computing: `compute` may use the document.
        let value = Rc::new(compute());
        self.shared.borrow_mut().insert(id, value.clone());
        value
    }

    /// Which paragraphs are article prose and which the page around it.
    pub fn layout(&self) -> &Layout {
        self.layout.get_or_init(|| {
            layout::layout(
                self.text,
                self.paragraphs(),
                self.tokens(),
                self.sentences(),
            )
        })
    }

    pub fn paragraphs(&self) -> &[Paragraph] {
        &self.structure().paragraphs
    }

    pub fn sentences(&self) -> &[Sentence] {
        &self.structure().sentences
    }

    pub fn tokens(&self) -> &[Token] {
        &self.structure().tokens
    }

    /// The text of a span in lower case, as [`lower`] gives it, without
    /// copying unless the span holds other than ASCII: analyzers compare
    /// most words with word lists in lower case.
    pub fn lower(&self, span: Span) -> std::borrow::Cow<'_, str> {
        let original = self.slice(span);
        if original.is_ascii() {
            std::borrow::Cow::Borrowed(&self.ascii_lower()[span.start..span.end])
        } else {
            std::borrow::Cow::Owned(original.to_lowercase())
        }
    }

    fn ascii_lower(&self) -> &str {
        self.ascii_lower
            .get_or_init(|| self.text.to_ascii_lowercase())
    }

    /// [`Document::lower`] of a token, which knows whether it is ASCII.
    pub fn lower_token(&self, token: &Token) -> std::borrow::Cow<'_, str> {
        if token.ascii {
            std::borrow::Cow::Borrowed(&self.ascii_lower()[token.span.start..token.span.end])
        } else {
            std::borrow::Cow::Owned(self.slice(token.span).to_lowercase())
        }
    }

    /// For each token, the [`word_key`] of its lower case; 0 for numbers
    /// and punctuation. Computed once for the analyzers and the corpus
    /// stage that compare words, so that each word is hashed once.
    pub fn word_keys(&self) -> &[u64] {
        self.word_keys.get_or_init(|| {
            self.tokens()
                .iter()
                .map(|t| match t.kind {
                    TokenKind::Word => word_key(&self.lower_token(t)),
                    _ => 0,
                })
                .collect()
        })
    }

    /// The text of a span of this document.
    pub fn slice(&self, span: Span) -> &'a str {
        &self.text[span.start..span.end]
    }

    /// The tokens inside `span`, in order.
    pub fn tokens_in(&self, span: Span) -> &[Token] {
        let tokens = self.tokens();
        let start = tokens.partition_point(|t| t.span.start < span.start);
        let end = tokens.partition_point(|t| t.span.end <= span.end);
        &tokens[start..end.max(start)]
    }

    /// The tokens of a sentence.
    pub fn sentence_tokens(&self, sentence: &Sentence) -> &[Token] {
        &self.tokens()[sentence.tokens.clone()]
    }

    /// See [`Paragraph::tabular`]; computed once when paragraphs are built.
    pub fn is_tabular(&self, paragraph: usize) -> bool {
        self.paragraphs()[paragraph].tabular
    }

    /// See [`Paragraph::heading`]; computed once when paragraphs are built.
    pub fn is_heading(&self, paragraph: usize) -> bool {
        self.paragraphs()[paragraph].heading
    }
}

fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices('\n') {
        let end = if text[..i].ends_with('\r') { i - 1 } else { i };
        lines.push(Line {
            span: Span::new(start, end),
            text: &text[start..end],
        });
        start = i + 1;
    }
    if start < text.len() {
        lines.push(Line {
            span: Span::new(start, text.len()),
            text: &text[start..],
        });
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_drop_lf_and_crlf_terminators() {
        let doc = Document::new("one\r\ntwo\n\nthree");
        let texts: Vec<_> = doc.lines().iter().map(|l| l.text).collect();
        assert_eq!(texts, ["one", "two", "", "three"]);
        assert_eq!(doc.lines()[1].span, Span::new(5, 8));
    }

    #[test]
    fn lower_case_spans_match_lower_in_any_script() {
        let text = "Said MINISTER Øster, Москва and İstanbul said\r\n";
        let doc = Document::new(text);
        for (i, _) in text.char_indices() {
            for (j, _) in text[i..].char_indices().skip(1) {
                let span = Span::new(i, i + j);
                assert_eq!(doc.lower(span), lower(doc.slice(span)), "{span:?}");
            }
        }
        assert!(matches!(
            doc.lower(Span::new(5, 13)),
            std::borrow::Cow::Borrowed("minister")
        ));
        // A token's lower case is its span's, whatever its script.
        let text = "“Øster’s” O’Neill, ĶEKAVA – 1,5 Москва… U.S. e-mail 😀 naïve";
        let doc = Document::new(text);
        assert!(doc.tokens().iter().any(|t| !t.ascii) && doc.tokens().iter().any(|t| t.ascii));
        for t in doc.tokens() {
            assert_eq!(t.ascii, doc.slice(t.span).is_ascii(), "{t:?}");
            assert_eq!(t.filter, word_filter_bit(doc.slice(t.span)), "{t:?}");
            assert_eq!(doc.lower_token(t), doc.lower(t.span), "{t:?}");
        }
    }

    #[test]
    fn a_words_key_is_the_key_of_its_lower_case_in_any_script() {
        let text = "Øster’s ØSTER øster, 1,5 MOSKVA Москва МОСКВА – 😀 U.S. naïve";
        let doc = Document::new(text);
        let keys = doc.word_keys();
        assert_eq!(keys.len(), doc.tokens().len());
        for (t, &key) in doc.tokens().iter().zip(keys) {
            let expected = match t.kind {
                TokenKind::Word => word_key(&lower(doc.slice(t.span))),
                _ => 0,
            };
            assert_eq!(key, expected, "{t:?}");
        }
        let key_of = |word: &str| {
            let i = doc.tokens().iter().position(|t| doc.slice(t.span) == word);
            keys[i.expect(word)]
        };
        assert_eq!(key_of("ØSTER"), key_of("øster"));
        assert_eq!(key_of("Москва"), key_of("МОСКВА"));
        assert_ne!(key_of("MOSKVA"), key_of("Москва"));
    }

    #[test]
    fn trimmed_span_skips_nbsp_and_spaces() {
        let doc = Document::new("\u{a0} Related Articles \t");
        let l = doc.lines()[0];
        assert_eq!(
            &doc.text()[l.trimmed_span().start..l.trimmed_span().end],
            "Related Articles"
        );
        assert!(Document::new("\u{a0} \t").lines()[0].is_blank());
    }
}
