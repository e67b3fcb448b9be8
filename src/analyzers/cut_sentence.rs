//! A body paragraph that stops mid-clause, on a preposition, article or
//! conjunction and with no final punctuation: the end was a link whose text
//! the extractor dropped.

use serde::Deserialize;

use super::{Analyzer, Finding, Found, Params};
use crate::diagnostic::Span;
use crate::text::{Document, TokenKind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    /// Words a sentence cannot end on.
    dangling_words_file: String,
    /// Fewer words than this is a heading or label, not a cut sentence.
    #[serde(default = "default_min_words")]
    min_words: usize,
}

fn default_min_words() -> usize {
    7
}

#[derive(Debug)]
struct CutSentence {
    dangling: Vec<String>,
    min_words: usize,
}

pub fn build(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    let config: Config = params.parse()?;
    Ok(Box::new(CutSentence {
        dangling: params.word_list(&config.dangling_words_file)?,
        min_words: config.min_words,
    }))
}

impl Analyzer for CutSentence {
    fn variables(&self) -> &'static [&'static str] {
        &["last"]
    }

    fn check(&self, doc: &Document<'_>, out: &mut Found) {
        for (i, p) in doc.paragraphs().iter().enumerate() {
            if doc.is_tabular(i) || p.sentences.is_empty() {
                continue;
            }
            let last_sentence = &doc.sentences()[p.sentences.end - 1];
            let tokens = doc.sentence_tokens(last_sentence);
            let Some(last) = tokens.last() else { continue };
            let word_count = doc
                .sentence_tokens(last_sentence)
                .iter()
                .filter(|t| t.kind == TokenKind::Word)
                .count();
            if last.kind != TokenKind::Word || word_count < self.min_words {
                continue;
            }
            let last_word = doc.slice(last.span);
            // "n/a" or "and/or" end on a letter pair, not on a lost word.
            let after_blank = doc.text()[..last.span.start].ends_with(char::is_whitespace);
            if !after_blank || !self.dangling.iter().any(|w| w == last_word) {
                continue;
            }
            let span = Span::new(last_sentence.span.start, last.span.end);
            out.push(Finding::new(span).var("last", last_word));
        }
    }
}
