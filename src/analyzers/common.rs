//! Small helpers that several analyzers share.

use crate::diagnostic::Span;
use crate::text::{word_filter_bit, Document, Sentence, Token, TokenKind, Zone};

/// A word list that analyzers ask about every word of an article. A small
/// filter on each word's length and first and last bytes answers "no" for
/// most words without hashing them.
#[derive(Debug, Clone, Default)]
pub struct WordSet {
    words: foldhash::HashSet<String>,
    /// One bit per [`word_filter_bit`] of some word.
    filter: [u64; 32],
}

impl WordSet {
    #[inline]
    fn may_hold(&self, word: &str) -> bool {
        self.has_bit(word_filter_bit(word))
    }

    #[inline]
    fn has_bit(&self, bit: u16) -> bool {
        let bit = usize::from(bit);
        self.filter[bit / 64] & 1 << (bit % 64) != 0
    }

    /// Could the set hold the token's lower case? "No" is sure: for an
    /// ASCII token, the filter bit the tokenizer gave it says so without a
    /// lower-case copy or a hash.
    #[inline]
    pub fn may_hold_token(&self, token: &Token) -> bool {
        !token.ascii || self.has_bit(token.filter)
    }

    /// Does the set hold the token's lower case?
    pub fn contains_token(&self, doc: &Document<'_>, token: &Token) -> bool {
        self.may_hold_token(token) && self.contains(&doc.lower_token(token))
    }

    pub fn contains(&self, word: &str) -> bool {
        self.may_hold(word) && self.words.contains(word)
    }
}

impl FromIterator<String> for WordSet {
    fn from_iter<I: IntoIterator<Item = String>>(words: I) -> Self {
        let mut set = WordSet::default();
        for word in words {
            let bit = usize::from(word_filter_bit(&word));
            set.filter[bit / 64] |= 1 << (bit % 64);
            set.words.insert(word);
        }
        set
    }
}

/// The word and number tokens of a sentence (punctuation dropped).
pub fn words<'d>(doc: &'d Document<'_>, sentence: &Sentence) -> Vec<&'d Token> {
    word_tokens(doc, sentence).collect()
}

/// [`words`] without collecting them.
pub fn word_tokens<'d>(
    doc: &'d Document<'_>,
    sentence: &Sentence,
) -> impl DoubleEndedIterator<Item = &'d Token> {
    doc.sentence_tokens(sentence)
        .iter()
        .filter(|t| t.kind != TokenKind::Punct)
}

/// The last `k` words of `a` repeat, in order, as the first `k` words of
/// `b` ("in a statement. a statement on Saturday"). Returns the largest such
/// `k` (at most `max`) with the span of the repeat in `a` and in `b`.
pub fn repeat_across(
    doc: &Document<'_>,
    a: &Sentence,
    b: &Sentence,
    max: usize,
) -> Option<(usize, Span, Span)> {
    // Only the last and first `max` words can take part: this runs for
    // every pair of sentences, most of them far longer.
    let mut wa: Vec<&Token> = word_tokens(doc, a).rev().take(max).collect();
    wa.reverse();
    let wb: Vec<&Token> = word_tokens(doc, b).take(max).collect();
    (1..=max.min(wa.len()).min(wb.len())).rev().find_map(|k| {
        let tail = &wa[wa.len() - k..];
        let head = &wb[..k];
        let same = tail
            .iter()
            .zip(head)
            .all(|(x, y)| doc.lower(x.span) == doc.lower(y.span));
        same.then(|| {
            (
                k,
                Span::new(tail[0].span.start, tail[k - 1].span.end),
                Span::new(head[0].span.start, head[k - 1].span.end),
            )
        })
    })
}

/// The text of `sentence` ends with a closing quotation mark after its
/// terminator (`…,” she said` style quotes may go on in lower case).
pub fn ends_in_quote(doc: &Document<'_>, sentence: &Sentence) -> bool {
    doc.slice(sentence.span)
        .ends_with(['”', '"', '’', '\'', '»'])
}

pub fn starts_lowercase(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_lowercase)
}

/// Where a finding outside (or inside) the article stands, for messages.
/// Verbs that report someone's words: a paragraph with one is the
/// article's ("we read every comment, the editor wrote"), which a site's
/// template never is.
pub const REPORTING_VERBS: &[&str] = &[
    "said",
    "says",
    "wrote",
    "writes",
    "told",
    "added",
    "according",
];

pub fn zone_name(zone: Zone) -> &'static str {
    match zone {
        Zone::Head => "before the article",
        Zone::Body => "inside the article",
        Zone::Tail => "after the article",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_set_finds_exactly_its_words() {
        let words = [
            "said",
            "told",
            "a",
            "",
            "reported",
            "Ministry",
            "заявил",
            "dit’",
        ];
        let set: WordSet = words.iter().map(|w| w.to_string()).collect();
        for w in words {
            assert!(set.contains(w), "{w:?}");
        }
        // Lower case asked of any case, of tokens, from the filter bit the
        // tokenizer gave them.
        let found = |text: &str| {
            let doc = Document::new(text);
            let t = doc.tokens()[0];
            // The filter never turns away a word the set holds.
            assert_eq!(
                set.may_hold_token(&t),
                !text.is_ascii() || set.may_hold(text)
            );
            set.contains_token(&doc, &t)
        };
        for w in ["SAID", "Told", "reporteD", "ЗАЯВИЛ"] {
            assert!(found(w), "{w:?}");
        }
        for w in ["SAY", "Ministry", "Reporter", "ЗАЯВИЛА"] {
            assert!(!found(w), "{w:?}");
        }
        for w in [
            "say",
            "sad",
            "Said",
            "ministry",
            "b",
            "заявила",
            "dit'",
            "reporter",
        ] {
            assert!(!set.contains(w), "{w:?}");
        }
    }
}
