//! A verbless scrap left behind when a sentence was split: "18 were
//! killed and wounded. About 750 others." The scrap has no verb and a
//! capital, so it reads as a sentence of its own.

use serde::Deserialize;

use super::common::{ends_in_quote, word_tokens, words};
use super::{Analyzer, Finding, Found, Params};
use crate::diagnostic::Span;
use crate::text::Document;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    /// Finite and auxiliary verbs (is, said, took …); `-ed` and `-ing`
    /// words count as verbs too.
    verbs_file: String,
    /// Words a split-off scrap opens with: it continues the quantity or
    /// scope of the clause before ("About 40 others", "Mostly in the north").
    /// A fragment opening otherwise ("Very strange.") is style, not damage.
    continuation_openers: Vec<String>,
    #[serde(default = "default_max_words")]
    max_words: usize,
}

fn default_max_words() -> usize {
    5
}

#[derive(Debug)]
struct SplitFragment {
    verbs: foldhash::HashSet<String>,
    openers: Vec<String>,
    max_words: usize,
}

pub fn build(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    let config: Config = params.parse()?;
    Ok(Box::new(SplitFragment {
        verbs: params.word_list(&config.verbs_file)?.into_iter().collect(),
        openers: config.continuation_openers,
        max_words: config.max_words,
    }))
}

impl SplitFragment {
    fn is_verb(&self, word: &str) -> bool {
        let w = word.to_lowercase().replace('’', "'");
        // A contraction carries its verb: it's, we're, don't.
        let contraction = ["'s", "'re", "'ve", "'ll", "'d", "'m", "n't"]
            .iter()
            .any(|c| w.ends_with(c));
        contraction
            || self.verbs.contains(&w)
            || w.len() > 4 && (w.ends_with("ed") || w.ends_with("ing"))
    }
}

impl Analyzer for SplitFragment {
    fn variables(&self) -> &'static [&'static str] {
        &["fragment"]
    }

    fn check(&self, doc: &Document<'_>, out: &mut Found) {
        for pair in doc.sentences().windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if a.paragraph != b.paragraph || doc.is_tabular(a.paragraph) || ends_in_quote(doc, a) {
                continue;
            }
            let fragment = doc.slice(b.span);
            // Cheap tests first: this runs for every pair of sentences.
            if !fragment.ends_with('.')
                || !fragment.starts_with(char::is_uppercase)
                || !doc.slice(a.span).ends_with('.')
            {
                continue;
            }
            let ws = words(doc, b);
            let quoted = fragment.contains(['"', '“', '”', '«', '»']);
            if quoted
                || ws.len() < 2
                || ws.len() > self.max_words
                || ws.iter().any(|w| self.is_verb(doc.slice(w.span)))
                || has_verb_before_object(doc, &ws)
                || !self.openers.iter().any(|o| o == doc.slice(ws[0].span))
            {
                continue;
            }
            let Some(last_of_a) = word_tokens(doc, a).next_back().map(|w| w.span.start) else {
                continue;
            };
            out.push(Finding::new(Span::new(last_of_a, b.span.end)).var("fragment", fragment));
        }
    }
}

/// Words that open a noun phrase: the word before one is a verb ("Some
/// diplomats fear a walk-out") unless it is a function word ("of the").
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "this", "that", "these", "those", "his", "her", "their", "its", "our", "my",
    "your", "him", "them", "it", "us", "me",
];
/// Words that stand before a determiner without being verbs.
const FUNCTION_WORDS: &[&str] = &[
    "of", "in", "on", "at", "to", "for", "with", "by", "from", "into", "onto", "about", "over",
    "under", "after", "before", "between", "through", "during", "without", "against", "among",
    "across", "around", "near", "since", "until", "like", "as", "than", "per", "via", "within",
    "along", "behind", "beyond", "despite", "towards", "toward", "upon", "off", "out", "up",
    "down", "and", "or", "but", "nor", "yet", "so", "all", "both", "half", "such", "what", "quite",
    "not", "only", "just", "even", "mostly", "mainly", "chiefly", "largely", "partly", "almost",
    "nearly", "some", "many", "most", "more", "none", "each", "every",
];

/// A lower-case word before a determiner that is no function word: the
/// fragment has a verb the word list lacks ("fear a walk-out", "wants the").
fn has_verb_before_object(doc: &Document<'_>, ws: &[&crate::text::Token]) -> bool {
    ws.windows(2).skip(1).any(|pair| {
        let (w, next) = (doc.slice(pair[0].span), doc.lower(pair[1].span));
        w.starts_with(char::is_lowercase)
            && DETERMINERS.contains(&next.as_ref())
            && !FUNCTION_WORDS.contains(&w.to_lowercase().as_str())
    })
}
