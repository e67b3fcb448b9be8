//! Attribution: which claims stand on a named source and which do not.
//!
//! For each sentence the model finds attribution cues (reporting verbs in
//! either order, "according to", "citing") and classifies each cue's
//! source as named ("the Interior Ministry", "Reuters"), anonymous but
//! specific ("a police officer in the city"), vague ("officials",
//! "observers", "Western countries"), a pronoun carried over from an
//! earlier sentence ("he said"), or unspecified ("state television").
//! Six analyzers report on top of it; their vocabularies are word lists
//! under `rules/attribution/`.

use foldhash::HashMap;

use crate::rules::LazyRegex;
use serde::Deserialize;

use super::common::WordSet;
use super::{Analyzer, Finding, Params};
use crate::diagnostic::Span;
use crate::text::{lower, Document, Sentence, Token, TokenKind};

/// The word lists, by file name beside the rule; a missing field takes the
/// name the built-in rules use.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct Vocabulary {
    cue_verbs_file: String,
    vague_sources_file: String,
    vague_qualifiers_file: String,
    anonymous_roles_file: String,
    casualty_words_file: String,
    figure_words_file: String,
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary {
            cue_verbs_file: "cue-verbs.words".into(),
            vague_sources_file: "vague-sources.words".into(),
            vague_qualifiers_file: "vague-qualifiers.words".into(),
            anonymous_roles_file: "anonymous-roles.words".into(),
            casualty_words_file: "casualty-words.words".into(),
            figure_words_file: "figure-words.words".into(),
        }
    }
}

#[derive(Debug)]
pub struct Model {
    /// Identifies the vocabulary, so rules built from the same word lists
    /// share one computation of the cues per article.
    id: u64,
    cues: WordSet,
    vague: WordSet,
    vague_qualifiers: WordSet,
    roles: WordSet,
    casualty: WordSet,
    figures: WordSet,
}

/// Words before a verb that make it a noun ("the reports", "any claims").
const DETERMINERS: &[&str] = &[
    "the",
    "a",
    "an",
    "any",
    "these",
    "those",
    "such",
    "his",
    "her",
    "their",
    "its",
    "our",
    "my",
    "your",
    "no",
    "some",
    "many",
    "new",
    "unconfirmed",
    "conflicting",
    "this",
    "that",
    "of",
];

/// Words skipped when walking back from a verb to its subject.
const BETWEEN_SUBJECT_AND_VERB: &[&str] = &[
    "also",
    "further",
    "later",
    "earlier",
    "has",
    "have",
    "had",
    "was",
    "were",
    "is",
    "are",
    "previously",
    "repeatedly",
    "again",
    "then",
    "still",
    "now",
    "reportedly",
    "would",
    "will",
    "could",
    "may",
    "might",
    "not",
    "never",
    "had",
    "separately",
    "publicly",
    "privately",
    "initially",
    "first",
    "once",
    "often",
    "widely",
    "frequently",
];

/// Words that end a source phrase.
const PHRASE_BREAKS: &[&str] = &[
    "that", "which", "who", "and", "but", "as", "while", "when", "if", "because", "after",
    "before", "on", "in", "at", "to", "for", "with", "by", "from", "said", "says", "told",
];

const COPULAS: &[&str] = &["is", "are", "was", "were", "be", "been", "being"];

const ADVERBS: &[&str] = &[
    "widely",
    "generally",
    "commonly",
    "largely",
    "often",
    "also",
    "previously",
    "initially",
    "first",
];

const PRONOUNS: &[&str] = &["he", "she", "they", "it", "we", "i", "who", "which", "you"];

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    Named,
    Anonymous,
    Vague(String),
    Carried,
    Unspecified,
}

#[derive(Debug, Clone)]
pub struct Cue {
    /// The cue and its source phrase together ("Officials claimed").
    pub span: Span,
    pub source: Span,
    pub kind: SourceKind,
}

impl Model {
    fn build(params: &Params, vocabulary: &Vocabulary) -> Result<Model, String> {
        let set = |file: &str, lower: bool| -> Result<WordSet, String> {
            Ok(params
                .word_list(file)?
                .into_iter()
                .map(|w| if lower { w.to_lowercase() } else { w })
                .collect())
        };
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for file in [
            &vocabulary.cue_verbs_file,
            &vocabulary.vague_sources_file,
            &vocabulary.vague_qualifiers_file,
            &vocabulary.anonymous_roles_file,
            &vocabulary.casualty_words_file,
            &vocabulary.figure_words_file,
        ] {
            std::hash::Hash::hash(&params.word_list(file)?, &mut hasher);
        }
        Ok(Model {
            id: std::hash::Hasher::finish(&hasher),
            cues: set(&vocabulary.cue_verbs_file, true)?,
            vague: set(&vocabulary.vague_sources_file, true)?,
            vague_qualifiers: set(&vocabulary.vague_qualifiers_file, false)?,
            roles: set(&vocabulary.anonymous_roles_file, true)?,
            casualty: set(&vocabulary.casualty_words_file, true)?,
            figures: set(&vocabulary.figure_words_file, true)?,
        })
    }

    /// The cues of every sentence of the article, computed once per article
    /// for all the rules that share this vocabulary.
    pub fn all_cues(&self, doc: &Document<'_>) -> std::rc::Rc<Vec<Vec<Cue>>> {
        doc.shared(self.id, || {
            doc.sentences().iter().map(|s| self.cues(doc, s)).collect()
        })
    }

    /// The attribution cues of a sentence, with their sources classified.
    pub fn cues(&self, doc: &Document<'_>, sentence: &Sentence) -> Vec<Cue> {
        let toks = doc.sentence_tokens(sentence);
        let text = |t: &Token| doc.slice(t.span);
        let lower = |t: &Token| doc.lower(t.span);
        let mut cues = Vec::new();
        for (i, t) in toks.iter().enumerate() {
            if t.kind != TokenKind::Word {
                continue;
            }
            // Most words are no cue: for ASCII ones (lower case is ASCII
            // case) that is told without making their lower case.
            let raw = text(t);
            let prepositional_word = ["according", "citing", "quoting"]
                .iter()
                .any(|w| raw.eq_ignore_ascii_case(w));
            if !prepositional_word && !self.cues.contains_lower(raw, || lower(t)) {
                continue;
            }
            let word = lower(t);
            // "according to X", "citing X": the source follows.
            let prepositional = word == "according"
                && toks.get(i + 1).is_some_and(|n| lower(n) == "to")
                || word == "citing"
                || word == "quoting";
            if prepositional {
                let start = if word == "according" { i + 2 } else { i + 1 };
                cues.extend(self.cue_with_source_after(doc, toks, sentence, t.span, start));
                continue;
            }
            if !self.cues.contains(&word) {
                continue;
            }
            let prev = i.checked_sub(1).map(|k| &toks[k]);
            if prev.is_some_and(|p| DETERMINERS.contains(&&*lower(p))) {
                continue; // a noun: "the reports", "any claims"
            }
            // A passive ("was said to", "is widely reported") names its
            // source only with an agent: "was reported by the agency".
            let mut back = i;
            while back > 0 && ADVERBS.contains(&&*lower(&toks[back - 1])) {
                back -= 1;
            }
            if back > 0 && COPULAS.contains(&&*lower(&toks[back - 1])) {
                if toks.get(i + 1).is_some_and(|n| lower(n) == "by") {
                    cues.extend(self.cue_with_source_after(doc, toks, sentence, t.span, i + 2));
                }
                continue;
            }
            // A participle ("…, saying that") takes the main clause's subject.
            if word.ends_with("ing") {
                cues.push(Cue {
                    span: t.span,
                    source: t.span,
                    kind: SourceKind::Carried,
                });
                continue;
            }
            let inverted = match prev {
                None => true,
                Some(p) => p.kind == TokenKind::Punct && !matches!(text(p), "’" | "'"),
            };
            let source = if inverted {
                self.phrase_after(doc, toks, i + 1)
            } else {
                self.phrase_before(doc, toks, i)
            };
            let Some(source) = source else {
                if !inverted {
                    continue; // no subject: not a reporting use
                }
                cues.push(Cue {
                    span: t.span,
                    source: t.span,
                    kind: SourceKind::Unspecified,
                });
                continue;
            };
            // "There were reports": an expletive is nobody.
            if source.len() == 1 && lower(&toks[source.start]) == "there" {
                continue;
            }
            let kind = self.classify(doc, toks, source.clone(), sentence);
            let (a, b) = if inverted {
                (t.span.start, toks[source.end - 1].span.end)
            } else {
                (toks[source.start].span.start, t.span.end)
            };
            cues.push(Cue {
                span: Span::new(a, b),
                source: tokens_span(toks, &source),
                kind,
            });
        }
        cues
    }

    /// A cue at `cue` whose source is the phrase starting at token `start`
    /// ("according to X", "reported by X", "…, said X").
    fn cue_with_source_after(
        &self,
        doc: &Document<'_>,
        toks: &[Token],
        sentence: &Sentence,
        cue: Span,
        start: usize,
    ) -> Option<Cue> {
        let source = self.phrase_after(doc, toks, start)?;
        Some(Cue {
            span: Span::new(cue.start, toks[source.end - 1].span.end),
            source: tokens_span(toks, &source),
            kind: self.classify(doc, toks, source, sentence),
        })
    }

    /// Up to six words after `start`, to the first phrase break.
    fn phrase_after(
        &self,
        doc: &Document<'_>,
        toks: &[Token],
        start: usize,
    ) -> Option<std::ops::Range<usize>> {
        let mut end = start;
        while end < toks.len() && end - start < 6 {
            let t = &toks[end];
            let w = doc.lower(t.span);
            let possessive_mark =
                t.kind == TokenKind::Punct && matches!(doc.slice(t.span), "’" | "'");
            if t.kind == TokenKind::Punct && !possessive_mark
                || end > start && PHRASE_BREAKS.contains(&&*w)
            {
                break;
            }
            end += 1;
        }
        (end > start).then_some(start..end)
    }

    /// The subject of the verb at `verb`: words walking back to a clause
    /// boundary, skipping adverbs, auxiliaries and "on Friday".
    fn phrase_before(
        &self,
        doc: &Document<'_>,
        toks: &[Token],
        verb: usize,
    ) -> Option<std::ops::Range<usize>> {
        let lower = |k: usize| doc.lower(toks[k].span);
        let mut end = verb;
        while end > 0 {
            let w = lower(end - 1);
            if BETWEEN_SUBJECT_AND_VERB.contains(&&*w) {
                end -= 1;
            } else if WEEKDAYS.contains(&&*w) && end >= 2 && lower(end - 2) == "on" {
                end -= 2;
            } else {
                break;
            }
        }
        let mut start = end;
        while start > 0 && end - start < 6 {
            let t = &toks[start - 1];
            let w = lower(start - 1);
            let possessive_mark =
                t.kind == TokenKind::Punct && matches!(doc.slice(t.span), "’" | "'");
            if t.kind == TokenKind::Punct && !possessive_mark || PHRASE_BREAKS.contains(&&*w) {
                break;
            }
            start -= 1;
        }
        (start < end).then_some(start..end)
    }

    fn classify(
        &self,
        doc: &Document<'_>,
        toks: &[Token],
        phrase: std::ops::Range<usize>,
        sentence: &Sentence,
    ) -> SourceKind {
        let words: Vec<&Token> = toks[phrase]
            .iter()
            .filter(|t| t.kind == TokenKind::Word)
            .collect();
        let Some(head) = words.last() else {
            return SourceKind::Unspecified;
        };
        let head_word = doc.lower(head.span);
        let first_word = doc.lower(words[0].span);
        if words.len() == 1 && PRONOUNS.contains(&&*head_word) {
            return SourceKind::Carried;
        }
        let sentence_start = sentence.span.start;
        let naming = words.iter().any(|w| {
            let s = doc.slice(w.span);
            let s = s.trim_end_matches("’s").trim_end_matches("'s");
            s.starts_with(char::is_uppercase)
                && !(w.span.start == sentence_start && self.vague.contains(lower(s).as_ref()))
                && !self.vague_qualifiers.contains(s)
        });
        let anonymous_opener = matches!(
            &*first_word,
            "a" | "an" | "one" | "two" | "three" | "several"
        );
        if anonymous_opener && self.roles.contains(head_word.trim_end_matches('s')) {
            return SourceKind::Anonymous;
        }
        if naming {
            return SourceKind::Named;
        }
        if self.vague.contains(&head_word) {
            // "the officials said" points back to officials introduced
            // earlier in the article: carried over, not a new vague source.
            let anaphoric = first_word == "the"
                && first_use(doc, &head_word).is_some_and(|at| at < words[0].span.start);
            if anaphoric {
                return SourceKind::Carried;
            }
            let phrase_text = doc.slice(Span::new(words[0].span.start, head.span.end));
            return SourceKind::Vague(phrase_text.to_string());
        }
        SourceKind::Unspecified
    }

    fn is_figure(&self, doc: &Document<'_>, t: &Token) -> bool {
        let w = doc.slice(t.span);
        match t.kind {
            TokenKind::Number => {
                // A year is a date, not a count.
                let digits: String = w.chars().filter(char::is_ascii_digit).collect();
                !(digits.len() == 4
                    && (digits.starts_with("19") || digits.starts_with("20"))
                    && !w.contains(','))
            }
            TokenKind::Word => self.figures.contains(doc.lower(t.span).as_ref()),
            TokenKind::Punct => false,
        }
    }
}

fn tokens_span(toks: &[Token], range: &std::ops::Range<usize>) -> Span {
    Span::new(toks[range.start].span.start, toks[range.end - 1].span.end)
}

/// The sentence is (part of) a direct quotation.
fn quoted(doc: &Document<'_>, sentence: &Sentence) -> bool {
    doc.slice(sentence.span).contains(['“', '”', '"', '«', '»'])
}

/// Attribution in this sentence, or carried over from the sentence before
/// it in the same paragraph.
fn attributed(model: &Model, doc: &Document<'_>, index: usize) -> bool {
    let sentences = doc.sentences();
    let cues = model.all_cues(doc);
    if !cues[index].is_empty() {
        return true;
    }
    // Carried over from the sentence before only when that one has a real
    // speaker ("The ministry said … It added …"), not a bare verb.
    index > 0
        && sentences[index - 1].paragraph == sentences[index].paragraph
        && cues[index - 1]
            .iter()
            .any(|c| c.kind != SourceKind::Unspecified)
}

/// Sentences of body prose (not headings or tables), with their indices.
fn prose_sentences<'d>(doc: &'d Document<'_>) -> Vec<(usize, &'d Sentence)> {
    doc.sentences()
        .iter()
        .enumerate()
        .filter(|(_, s)| !doc.is_heading(s.paragraph) && !doc.is_tabular(s.paragraph))
        .collect()
}

/// Where each word (a run of letters and digits, in lower case) first
/// occurs in the article: computed once, so looking back for an earlier
/// mention costs the same in a long file as in a short one.
fn first_use(doc: &Document<'_>, word: &str) -> Option<usize> {
    let firsts = doc.shared(0, || {
        let text = doc.text();
        let mut firsts: HashMap<String, usize> = HashMap::default();
        let mut start = None;
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            match (c.is_alphanumeric(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    // Most words are seen before: copy only new ones.
                    let word = doc.lower(Span::new(s, i));
                    if !firsts.contains_key(word.as_ref()) {
                        firsts.insert(word.into_owned(), s);
                    }
                    start = None;
                }
                _ => {}
            }
        }
        firsts
    });
    firsts.get(word).copied()
}

/// An analyzer struct over the shared model; `with patterns` adds the
/// phrase regex from the rule's `patterns`.
macro_rules! analyzer {
    ($name:ident, $vars:expr, |$self_:ident, $doc:ident, $out:ident| $body:block) => {
        #[derive(Debug)]
        pub struct $name {
            model: Model,
        }
        impl $name {
            fn extra_regex(&self) -> Option<&LazyRegex> {
                None
            }
        }
        analyzer!(@impl $name, $vars, |$self_, $doc, $out| $body);
    };
    ($name:ident with patterns, $vars:expr, |$self_:ident, $doc:ident, $out:ident| $body:block) => {
        #[derive(Debug)]
        pub struct $name {
            model: Model,
            extra: Option<LazyRegex>,
        }
        impl $name {
            fn extra_regex(&self) -> Option<&LazyRegex> {
                self.extra.as_ref()
            }
        }
        analyzer!(@impl $name, $vars, |$self_, $doc, $out| $body);
    };
    (@impl $name:ident, $vars:expr, |$self_:ident, $doc:ident, $out:ident| $body:block) => {
        impl Analyzer for $name {
            fn variables(&self) -> &'static [&'static str] {
                $vars
            }

            fn check(&self, $doc: &Document<'_>, $out: &mut Vec<Finding>) {
                let $self_ = self;
                $body
            }

            fn regexes(&self) -> Vec<&LazyRegex> {
                self.extra_regex().into_iter().collect()
            }
        }
    };
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    #[serde(flatten)]
    vocabulary: Vocabulary,
    /// The phrases this analyzer looks for, where it has any.
    #[serde(default)]
    patterns: Vec<String>,
}

fn parts(params: &Params) -> Result<(Model, Option<LazyRegex>), String> {
    let config: Config = params.parse()?;
    let model = Model::build(params, &config.vocabulary)?;
    let extra = if config.patterns.is_empty() {
        None
    } else {
        let source = config.patterns.join("|");
        Some(LazyRegex::new(source, true, true)?)
    };
    Ok((model, extra))
}

fn require_patterns(extra: &Option<LazyRegex>) -> Result<(), String> {
    extra
        .as_ref()
        .map(|_| ())
        .ok_or_else(|| "this analyzer needs `patterns`".to_string())
}

fn refuse_patterns(extra: &Option<LazyRegex>) -> Result<(), String> {
    match extra {
        Some(_) => Err("this analyzer takes no `patterns`".to_string()),
        None => Ok(()),
    }
}

analyzer!(UnsourcedFigure, &["figure"], |this, doc, out| {
    for (i, s) in prose_sentences(doc) {
        let toks = doc.sentence_tokens(s);
        // A figure within four words of a casualty word, either side.
        let figure = toks.iter().enumerate().find_map(|(k, t)| {
            if !this
                .model
                .casualty
                .contains_lower(doc.slice(t.span), || doc.lower(t.span))
            {
                return None;
            }
            let lo = k.saturating_sub(5);
            let hi = (k + 5).min(toks.len());
            (lo..hi)
                .find(|&j| {
                    let f = &toks[j];
                    // An age ("died aged 62") or a score ("a 16-9 win") is
                    // no count of people.
                    let after_age =
                        j > 0 && matches!(doc.lower(toks[j - 1].span).as_ref(), "aged" | "age");
                    let score = f.kind == TokenKind::Number && doc.slice(f.span).contains('-');
                    this.model.is_figure(doc, f) && !after_age && !score
                })
                .map(|j| (toks[j].span, t.span))
        });
        let Some((figure, claim)) = figure else {
            continue;
        };
        if quoted(doc, s) || attributed(&this.model, doc, i) {
            continue;
        }
        let (a, b) = if figure.start < claim.start {
            (figure, claim)
        } else {
            (claim, figure)
        };
        let text = doc.slice(Span::new(a.start, b.end));
        out.push(Finding::new(s.span).var("figure", text));
    }
});

analyzer!(VagueSource, &["source"], |this, doc, out| {
    let cues = this.model.all_cues(doc);
    for (i, _) in prose_sentences(doc) {
        for cue in &cues[i] {
            if let SourceKind::Vague(phrase) = &cue.kind {
                out.push(Finding::new(cue.span).var("source", phrase.clone()));
            }
        }
    }
});

analyzer!(AnonymousSource with patterns, &["source"], |this, doc, out| {
    let cues = this.model.all_cues(doc);
    for (i, s) in prose_sentences(doc) {
        for cue in &cues[i] {
            if cue.kind == SourceKind::Anonymous {
                out.push(Finding::new(cue.span).var("source", doc.slice(cue.source)));
            }
        }
        if let Some(re) = &this.extra {
            for span in doc.find_in(re, s.span) {
                out.push(Finding::new(span).var("source", doc.slice(span)));
            }
        }
    }
});

/// Phrase analyzers: a phrase from `patterns` in a sentence that has no
/// attribution cue (with `carried`, none in the sentence before either).
macro_rules! phrase_analyzer {
    ($name:ident, carried = $carried:expr) => {
        analyzer!($name with patterns, &["phrase"], |this, doc, out| {
            let Some(re) = &this.extra else { return };
            for (i, s) in prose_sentences(doc) {
                let found = doc.find_in(re, s.span);
                if found.is_empty() || quoted(doc, s) {
                    continue;
                }
                let sourced = if $carried { attributed(&this.model, doc, i) } else { !this.model.all_cues(doc)[i].is_empty() };
                if sourced {
                    continue;
                }
                for span in found {
                    out.push(Finding::new(span).var("phrase", doc.slice(span)));
                }
            }
        });
    };
}

phrase_analyzer!(HedgeWithoutSource, carried = false);
phrase_analyzer!(PassiveAttribution, carried = false);
phrase_analyzer!(SourcelessSpeculation, carried = false);

pub fn build_unsourced_figure(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    let (model, extra) = parts(params)?;
    refuse_patterns(&extra)?;
    Ok(Box::new(UnsourcedFigure { model }))
}

pub fn build_vague_source(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    let (model, extra) = parts(params)?;
    refuse_patterns(&extra)?;
    Ok(Box::new(VagueSource { model }))
}

pub fn build_anonymous_source(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    let (model, extra) = parts(params)?;
    Ok(Box::new(AnonymousSource { model, extra }))
}

pub fn build_hedge(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    let (model, extra) = parts(params)?;
    require_patterns(&extra)?;
    Ok(Box::new(HedgeWithoutSource { model, extra }))
}

pub fn build_passive(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    let (model, extra) = parts(params)?;
    require_patterns(&extra)?;
    Ok(Box::new(PassiveAttribution { model, extra }))
}

pub fn build_speculation(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    let (model, extra) = parts(params)?;
    require_patterns(&extra)?;
    Ok(Box::new(SourcelessSpeculation { model, extra }))
}
