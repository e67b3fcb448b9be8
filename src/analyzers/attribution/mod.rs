//! Attribution: which claims stand on a named source and which do not.
//!
//! One model per article ([`Model::all_cues`]): for each sentence, its
//! attribution cues (reporting and cognition verbs in every tense and
//! order, evidence verbs for polls and studies, phrasal cues, attitudes)
//! with the source phrase of each classified as named, anonymous but
//! specific, vague, carried over or none ([`source::classify`]). Six
//! analyzers report on top of it. The vocabulary is data under
//! `rules/attribution/`: `cues.vocab`, `sources.vocab` (TOML) and word lists.

mod cues;
mod source;
mod vocab;

use std::rc::Rc;
use std::sync::{Arc, Mutex};

use crate::rules::LazyRegex;
use serde::Deserialize;

use super::common::WordSet;
use super::{Analyzer, Finding, Found, Params};
use crate::diagnostic::Span;
use crate::text::{BlockClass, Document, Sentence, Token, TokenKind};

pub use cues::Cue;
use cues::{Finder, Quotes, Words};
use source::{classify, PhraseWord, SourceKind};
use vocab::{Cues, Sources};

/// The data files, by file name beside the rule; a missing field takes the
/// name the built-in rules use.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct Vocabulary {
    cues_file: String,
    sources_file: String,
    casualty_words_file: String,
    figure_words_file: String,
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary {
            cues_file: "cues.vocab".into(),
            sources_file: "sources.vocab".into(),
            casualty_words_file: "casualty-words.words".into(),
            figure_words_file: "figure-words.words".into(),
        }
    }
}

#[derive(Debug)]
pub struct Model {
    /// Identifies the vocabulary, so rules built from the same files share
    /// one computation of the cues per article.
    id: u64,
    cues: Cues,
    sources: Sources,
    casualty: WordSet,
    figures: WordSet,
}

/// The marked span of an example: `[[…]]` taken out of the text.
fn marked(example: &str) -> Result<(String, Span), String> {
    let (Some(a), Some(b)) = (example.find("[["), example.find("]]")) else {
        return Err(format!("example {example:?} marks nothing with [[…]]"));
    };
    let text = format!(
        "{}{}{}",
        &example[..a],
        &example[a + 2..b],
        &example[b + 2..]
    );
    Ok((text, Span::new(a, b - 2)))
}

/// The models built so far, by the hash of their vocabulary (and whether
/// their examples were checked), while some rule holds them.
#[allow(clippy::type_complexity)]
static BUILT_MODELS: Mutex<Vec<((u64, bool), std::sync::Weak<Model>)>> = Mutex::new(Vec::new());

impl Model {
    fn build(params: &Params, vocabulary: &Vocabulary) -> Result<Arc<Model>, String> {
        let set = |file: &str| -> Result<WordSet, String> {
            Ok(params
                .word_list(file)?
                .into_iter()
                .map(|w| w.to_lowercase())
                .collect())
        };
        let cue_text = params.sibling(&vocabulary.cues_file)?;
        let source_text = params.sibling(&vocabulary.sources_file)?;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        std::hash::Hash::hash(&(&cue_text, &source_text), &mut hasher);
        for file in [
            &vocabulary.casualty_words_file,
            &vocabulary.figure_words_file,
        ] {
            std::hash::Hash::hash(&params.word_list(file)?, &mut hasher);
        }
        let id = std::hash::Hasher::finish(&hasher);
        // Every attribution rule reads the same vocabulary: parse it once
        // (parsed eight times over, it was a tenth of a one-file run's
        // instructions). Held while building, so a second thread waits for the
        // model rather than building its own.
        let mut built = BUILT_MODELS.lock().unwrap_or_else(|e| e.into_inner());
        let key = (id, params.verify);
        if let Some(model) = built
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, m)| m.upgrade())
        {
            return Ok(model);
        }
        let (cues, cue_examples) = Cues::parse(&cue_text, &vocabulary.cues_file)?;
        let (sources, source_examples) = Sources::parse(&source_text, &vocabulary.sources_file)?;
        let model = Model {
            id,
            cues,
            sources,
            casualty: set(&vocabulary.casualty_words_file)?,
            figures: set(&vocabulary.figure_words_file)?,
        };
        if params.verify {
            model.verify_cue_examples(&cue_examples, &vocabulary.cues_file)?;
            model.verify_source_examples(&source_examples, &vocabulary.sources_file)?;
        }
        let model = Arc::new(model);
        built.retain(|(_, m)| m.strong_count() > 0);
        built.push((key, Arc::downgrade(&model)));
        Ok(model)
    }

    /// Each `cues` example's marked word must be part of a cue, and no
    /// `not_cues` example's.
    fn verify_cue_examples(&self, examples: &vocab::CueExamples, file: &str) -> Result<(), String> {
        let check = |example: &String, want: bool| -> Result<(), String> {
            let (text, mark) = marked(example)?;
            let doc = Document::new(&text);
            let found = self
                .all_cues(&doc)
                .iter()
                .flatten()
                .any(|c| c.span.start < mark.end && mark.start < c.span.end);
            if found != want {
                let what = if want { "finds no cue" } else { "finds a cue" };
                return Err(format!(
                    "{file}: example {what} at the marked words: {example:?}"
                ));
            }
            Ok(())
        };
        for e in &examples.cues {
            check(e, true)?;
        }
        for e in &examples.not_cues {
            check(e, false)?;
        }
        Ok(())
    }

    fn verify_source_examples(
        &self,
        examples: &[vocab::SourceExample],
        file: &str,
    ) -> Result<(), String> {
        for e in examples {
            let got = self.classify_phrase(&e.phrase);
            if got.name() != e.class {
                return Err(format!(
                    "{file}: `{}` is classed {}, the example says {}",
                    e.phrase,
                    got.name(),
                    e.class
                ));
            }
        }
        Ok(())
    }

    /// The class of a source phrase standing alone (a sentence's subject).
    pub fn classify_phrase(&self, phrase: &str) -> SourceKind {
        let doc = Document::new(phrase);
        let words: Vec<PhraseWord<'_>> = doc
            .tokens()
            .iter()
            .enumerate()
            .filter(|(_, t)| t.kind == TokenKind::Word)
            .map(|(k, t)| PhraseWord {
                text: doc.slice(t.span),
                lower: doc.lower_token(t).into_owned(),
                sentence_start: k == 0,
                possessive: false,
            })
            .collect();
        classify(&words, 0, &self.sources, &source::NoContext)
    }

    /// The cues of every sentence of the article, computed once per article
    /// for all the rules that share this vocabulary.
    pub fn all_cues(&self, doc: &Document<'_>) -> Rc<Vec<Vec<Cue>>> {
        doc.shared(self.id, || {
            let words = Words::of(doc);
            // Where the last sentence started, in which paragraph, and the
            // quotation marks of that paragraph before it.
            let mut read_to: Option<(usize, usize, Quotes)> = None;
            doc.sentences()
                .iter()
                .map(|s| {
                    let mut quotes = Quotes::default();
                    let mut from = doc.paragraphs()[s.paragraph].span.start;
                    if let Some((paragraph, start, before)) = read_to {
                        if paragraph == s.paragraph {
                            (quotes, from) = (before, start);
                        }
                    }
                    quotes.read(&doc.text()[from..s.span.start]);
                    read_to = Some((s.paragraph, s.span.start, quotes));
                    Finder {
                        doc,
                        quotes_before: quotes,
                        sentence_start: s.span.start,
                        toks: doc.sentence_tokens(s),
                        cues: &self.cues,
                        sources: &self.sources,
                        words: &words,
                    }
                    .find()
                })
                .collect()
        })
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
            TokenKind::Word => self.figures.contains(doc.lower_token(t).as_ref()),
            TokenKind::Punct => false,
        }
    }
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

/// "Keith Scott, 43, was killed": a number set off by commas after a name
/// is the person's age.
fn is_age_apposition(doc: &Document<'_>, toks: &[Token], j: usize) -> bool {
    let punct = |k: usize, p: &str| toks.get(k).is_some_and(|t| doc.slice(t.span) == p);
    toks[j].kind == TokenKind::Number
        && j >= 2
        && punct(j - 1, ",")
        && punct(j + 1, ",")
        && toks[j - 2].kind == TokenKind::Word
        && doc.slice(toks[j - 2].span).starts_with(char::is_uppercase)
}

/// "imprisoned for three years": a figure before a unit of time.
fn is_duration(doc: &Document<'_>, toks: &[Token], j: usize) -> bool {
    const UNITS: &[&str] = &[
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "day",
        "days",
        "hour",
        "hours",
        "decade",
        "decades",
        "minute",
        "minutes",
        "century",
        "centuries",
    ];
    toks.get(j + 1)
        .is_some_and(|t| UNITS.contains(&doc.lower_token(t).as_ref()))
}

/// Sentences of body prose (not headings, tables or the page around the
/// article), with their indices.
fn prose_sentences<'d>(doc: &'d Document<'_>) -> Vec<(usize, &'d Sentence)> {
    let layout = doc.layout();
    doc.sentences()
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            let residue = layout
                .block_at(s.span.start)
                .is_some_and(|b| b.class == BlockClass::Residue);
            !doc.is_heading(s.paragraph) && !doc.is_tabular(s.paragraph) && !residue
        })
        .collect()
}

/// An analyzer struct over the shared model; `with patterns` adds the
/// phrase regex from the rule's `patterns`.
macro_rules! analyzer {
    ($name:ident, $vars:expr, |$self_:ident, $doc:ident, $out:ident| $body:block) => {
        #[derive(Debug)]
        pub struct $name {
            model: Arc<Model>,
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
            model: Arc<Model>,
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

            fn check(&self, $doc: &Document<'_>, $out: &mut Found) {
                let $self_ = self;
                $body
            }

            fn regexes(&self) -> Vec<&LazyRegex> {
                self.extra_regex().into_iter().collect()
            }

            fn profile(&self, doc: &Document<'_>) -> Option<crate::report::Profile> {
                Some(self.model.profile(doc))
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

fn parts(params: &Params) -> Result<(Arc<Model>, Option<LazyRegex>), String> {
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
    for claim in this.model.figure_claims(doc) {
        let s = &doc.sentences()[claim.sentence];
        if quoted(doc, s) || attributed(&this.model, doc, claim.sentence) {
            continue;
        }
        out.push(Finding::new(s.span).var("figure", doc.slice(claim.span())));
    }
});

/// Words that qualify a figure before it: "more than 3,000", "nearly
/// 8,000", "at least 20".
const QUALIFIERS: &[&str] = &[
    "more than",
    "over",
    "nearly",
    "almost",
    "about",
    "around",
    "at least",
    "up to",
    "some",
    "roughly",
    "fewer than",
    "less than",
    "as many as",
    "approximately",
];

/// The figure with the words that qualify it before it, if any.
fn qualified(doc: &Document<'_>, figure: Span) -> Span {
    let before = &doc.text()[..figure.start];
    let trimmed = before.trim_end();
    for q in QUALIFIERS {
        let n = q.len();
        if trimmed.len() >= n
            && trimmed.is_char_boundary(trimmed.len() - n)
            && trimmed[trimmed.len() - n..].eq_ignore_ascii_case(q)
            && !trimmed[..trimmed.len() - n]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        {
            return Span::new(trimmed.len() - n, figure.end);
        }
    }
    figure
}

/// A count of people next to a casualty word in a prose sentence ("more
/// than 160 people were killed").
#[derive(Debug, Clone, Copy)]
pub struct FigureClaim {
    pub sentence: usize,
    pub figure: Span,
    /// The casualty word.
    pub word: Span,
}

impl FigureClaim {
    /// From the figure to the word, or the other way round.
    pub fn span(&self) -> Span {
        Span::new(
            self.figure.start.min(self.word.start),
            self.figure.end.max(self.word.end),
        )
    }
}

impl Model {
    /// The first figure claim of each prose sentence: a figure within four
    /// words of a casualty word, either side.
    pub fn figure_claims(&self, doc: &Document<'_>) -> Vec<FigureClaim> {
        let mut claims = Vec::new();
        for (i, s) in prose_sentences(doc) {
            let toks = doc.sentence_tokens(s);
            let found = toks.iter().enumerate().find_map(|(k, t)| {
                if !self.casualty.contains_token(doc, t) {
                    return None;
                }
                let lo = k.saturating_sub(5);
                let hi = (k + 5).min(toks.len());
                (lo..hi)
                    .find(|&j| {
                        let f = &toks[j];
                        // An age ("died aged 62", "Keith Scott, 43, was
                        // killed"), a score ("a 16-9 win") or a duration
                        // ("jailed for three years") is no count of people.
                        let after_age = j > 0
                            && matches!(doc.lower_token(&toks[j - 1]).as_ref(), "aged" | "age");
                        let score = f.kind == TokenKind::Number && doc.slice(f.span).contains('-');
                        !after_age
                            && !score
                            && !is_age_apposition(doc, toks, j)
                            && !is_duration(doc, toks, j)
                            && self.is_figure(doc, f)
                    })
                    .map(|j| (toks[j].span, t.span))
            });
            if let Some((figure, word)) = found {
                claims.push(FigureClaim {
                    sentence: i,
                    figure,
                    word,
                });
            }
        }
        claims
    }

    /// What the provenance report wants of the article: its sourcing
    /// profile and its figures, each with the source its sentence gives.
    pub fn profile(&self, doc: &Document<'_>) -> crate::report::Profile {
        let cues = self.all_cues(doc);
        let figures = self
            .figure_claims(doc)
            .into_iter()
            .map(|claim| {
                let sentence = &doc.sentences()[claim.sentence];
                // Whatever the source's kind: the ledger says who gives a
                // figure, and lets the reader weigh them.
                let source = cues[claim.sentence]
                    .first()
                    .map(|c| doc.slice(c.source).to_string());
                crate::report::FigureFact {
                    figure: doc.slice(qualified(doc, claim.figure)).to_string(),
                    word: doc.lower(claim.word).into_owned(),
                    source,
                    sentence: sentence.span,
                }
            })
            .collect();
        crate::report::Profile {
            sourcing: self.sourcing(doc).counts(),
            figures,
        }
    }
}

/// One vague attribution in body prose.
#[derive(Debug)]
struct VagueClaim {
    span: Span,
    phrase: String,
    /// A member of the group is named nearby.
    backed: bool,
}

/// How an article sources its own claims: its vague attributions, and how
/// many claims stand on a named or an anonymous but specific source.
/// Computed once per article for every rule that reports on it.
#[derive(Debug, Default)]
pub struct Sourcing {
    vague: Vec<VagueClaim>,
    named: usize,
    anonymous: usize,
    /// Attributions to a source a reader could not weigh ("state
    /// television", "it was reported").
    unspecified: usize,
}

impl Sourcing {
    fn of(doc: &Document<'_>, cues: &[Vec<Cue>]) -> Sourcing {
        let mut profile = Sourcing::default();
        for (i, _) in prose_sentences(doc) {
            for cue in cues[i].iter().filter(|c| c.own) {
                match &cue.kind {
                    SourceKind::Vague { phrase, head } => profile.vague.push(VagueClaim {
                        span: cue.span,
                        phrase: phrase.clone(),
                        backed: member_named_nearby(doc, cues, i, head),
                    }),
                    SourceKind::Named => profile.named += 1,
                    SourceKind::Anonymous => profile.anonymous += 1,
                    SourceKind::Unspecified => profile.unspecified += 1,
                    SourceKind::Carried => {}
                }
            }
        }
        profile
    }

    /// The counts the provenance report gives.
    pub fn counts(&self) -> crate::report::SourcingCounts {
        crate::report::SourcingCounts {
            named: self.named,
            anonymous: self.anonymous,
            vague: self.vague.len(),
            unspecified: self.unspecified,
        }
    }

    /// Vague attributions no named member backs.
    fn unbacked(&self) -> usize {
        self.vague.iter().filter(|v| !v.backed).count()
    }

    /// More of the article's claims rest on unbacked vague sources than on
    /// named ones: the reader cannot tell who stands behind most of it.
    pub fn leans_on_vague(&self) -> bool {
        self.unbacked() > self.named
    }
}

/// "Analysts said the cut was priced in. … ‘It is,’ said Jane Doe, an
/// analyst at Ohm Bank." Does a sentence within two before or three after
/// `index` name a source and use the group's noun (`head` or its singular)?
fn member_named_nearby(doc: &Document<'_>, cues: &[Vec<Cue>], index: usize, head: &str) -> bool {
    let singular = head.strip_suffix('s').filter(|s| s.len() > 2);
    let range = index.saturating_sub(2)..(index + 4).min(cues.len());
    range.filter(|&j| j != index || cues[j].len() > 1).any(|j| {
        cues[j].iter().any(|c| c.kind == SourceKind::Named)
            && doc.sentence_tokens(&doc.sentences()[j]).iter().any(|t| {
                t.kind == TokenKind::Word && {
                    let w = doc.lower_token(t);
                    w == head || Some(w.as_ref()) == singular
                }
            })
    })
}

impl Model {
    /// The article's sourcing profile, shared by the rules that split its
    /// vague attributions.
    pub fn sourcing(&self, doc: &Document<'_>) -> Rc<Sourcing> {
        doc.shared(self.id, || Sourcing::of(doc, &self.all_cues(doc)))
    }
}

/// Which of the vague attributions a rule reports: the three rules split
/// one list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VagueShare {
    /// Unbacked, in an article that leans on vague sources.
    Leaning,
    /// Unbacked, in an article that names most of its sources.
    Occasional,
    /// Backed by a member named nearby.
    Backed,
}

fn report_vague(model: &Model, doc: &Document<'_>, share: VagueShare, out: &mut Found) {
    let sourcing = model.sourcing(doc);
    let leaning = sourcing.leans_on_vague();
    for claim in &sourcing.vague {
        let this = match (claim.backed, leaning) {
            (true, _) => VagueShare::Backed,
            (false, true) => VagueShare::Leaning,
            (false, false) => VagueShare::Occasional,
        };
        if this == share {
            out.push(Finding::new(claim.span).var("source", claim.phrase.as_str()));
        }
    }
}

analyzer!(VagueSource, &["source"], |this, doc, out| {
    report_vague(&this.model, doc, VagueShare::Leaning, out);
});

analyzer!(OccasionalVagueSource, &["source"], |this, doc, out| {
    report_vague(&this.model, doc, VagueShare::Occasional, out);
});

analyzer!(BackedGroup, &["source"], |this, doc, out| {
    report_vague(&this.model, doc, VagueShare::Backed, out);
});

analyzer!(AnonymousSource with patterns, &["source"], |this, doc, out| {
    let cues = this.model.all_cues(doc);
    for (i, s) in prose_sentences(doc) {
        for cue in &cues[i] {
            if cue.kind == SourceKind::Anonymous && cue.own {
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

pub fn build_occasional_vague_source(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    let (model, extra) = parts(params)?;
    refuse_patterns(&extra)?;
    Ok(Box::new(OccasionalVagueSource { model }))
}

pub fn build_backed_group(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    let (model, extra) = parts(params)?;
    refuse_patterns(&extra)?;
    Ok(Box::new(BackedGroup { model }))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The attribution rules read one vocabulary; it is parsed into one
    /// model they share, and a different vocabulary gets a model of its own.
    #[test]
    fn rules_reading_one_vocabulary_share_one_model() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/attribution");
        let read = |name: &str| std::fs::read_to_string(format!("{dir}/{name}")).ok();
        let params = |read_sibling| Params {
            table: toml::Table::new(),
            read_sibling,
            verify: false,
        };
        let (first, _) = parts(&params(&read)).unwrap();
        let (second, _) = parts(&params(&read)).unwrap();
        assert!(Arc::ptr_eq(&first, &second));
        let edited = |name: &str| {
            let text = read(name)?;
            Some(if name == "sources.vocab" {
                text + "\n# edited\n"
            } else {
                text
            })
        };
        let (other, _) = parts(&params(&edited)).unwrap();
        assert!(!Arc::ptr_eq(&first, &other));
        assert_ne!(first.id, other.id);
    }
}
