//! Analyzers: named Rust checks for logic a regex cannot express, configured
//! from a rule file's `[check.params]`.
//!
//! To add one: write a module with a `build` function and list it in
//! [`REGISTRY`]. That is the only place analyzers are named.

use serde::de::DeserializeOwned;

use crate::diagnostic::{Label, Span};
use crate::text::Document;

mod attribution;
mod common;
mod cut_sentence;
mod doubled_fragment;
mod garbled_quotation;
mod inline_caption;
mod lexicon;
mod name_variant;
mod page_context;
mod page_residue;
mod repeated_line;
mod repeated_standfirst;
mod site_notice;
mod split_fragment;
mod spurious_entity;
mod stray_terminator;
mod template_line;
mod untranslated_fragment;

/// Every analyzer by the name rule files use.
pub const REGISTRY: &[(&str, BuildFn)] = &[
    ("anonymous-source", attribution::build_anonymous_source),
    ("backed-group", attribution::build_backed_group),
    (
        "occasional-vague-source",
        attribution::build_occasional_vague_source,
    ),
    ("cut-sentence", cut_sentence::build),
    ("doubled-fragment", doubled_fragment::build),
    ("garbled-quotation", garbled_quotation::build),
    ("hedge-without-source", attribution::build_hedge),
    ("inline-caption", inline_caption::build),
    ("lexicon", lexicon::build),
    ("name-variant", name_variant::build),
    ("page-context", page_context::build),
    ("page-residue", page_residue::build),
    ("passive-attribution", attribution::build_passive),
    ("repeated-line", repeated_line::build),
    ("repeated-standfirst", repeated_standfirst::build),
    ("sourceless-speculation", attribution::build_speculation),
    ("site-notice", site_notice::build),
    ("split-fragment", split_fragment::build),
    ("spurious-entity", spurious_entity::build),
    ("stray-terminator", stray_terminator::build),
    ("template-line", template_line::build),
    ("unsourced-figure", attribution::build_unsourced_figure),
    ("untranslated-fragment", untranslated_fragment::build),
    ("vague-source", attribution::build_vague_source),
];

pub type BuildFn = fn(&Params) -> Result<Box<dyn Analyzer>, String>;

/// What an analyzer found: a span in the article body and what the rule's
/// message and fix may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub span: Span,
    /// Values for `{name}` in the rule's message.
    pub vars: Vec<(&'static str, String)>,
    /// The analyzer's proposed replacement for the span, if it has one.
    pub replacement: Option<String>,
    pub labels: Vec<Label>,
}

impl Finding {
    pub fn new(span: Span) -> Self {
        Finding {
            span,
            vars: Vec::new(),
            replacement: None,
            labels: Vec::new(),
        }
    }

    pub fn var(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.vars.push((name, value.into()));
        self
    }

    pub fn replacement(mut self, text: impl Into<String>) -> Self {
        self.replacement = Some(text.into());
        self
    }
}

/// Where an analyzer puts its findings: at most `room` of them are kept and
/// the rest only counted, so a file made of findings (a megabyte of "they
/// said He ran.") costs no more memory than the cap allows. Reads as the
/// list kept.
#[derive(Debug)]
pub struct Found {
    kept: Vec<Finding>,
    room: usize,
    dropped: usize,
}

impl Found {
    pub fn with_room(room: usize) -> Self {
        Found {
            kept: Vec::new(),
            room,
            dropped: 0,
        }
    }

    pub fn push(&mut self, finding: Finding) {
        if self.kept.len() < self.room {
            self.kept.push(finding);
        } else {
            self.dropped += 1;
        }
    }

    pub fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) {
        for f in findings {
            self.push(f);
        }
    }

    /// How many findings did not fit.
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    pub fn into_kept(self) -> Vec<Finding> {
        self.kept
    }
}

impl std::ops::Deref for Found {
    type Target = Vec<Finding>;
    fn deref(&self) -> &Vec<Finding> {
        &self.kept
    }
}

impl std::ops::DerefMut for Found {
    /// For reading and pruning what was kept (`retain`, `last_mut`);
    /// additions go through [`Found::push`].
    fn deref_mut(&mut self) -> &mut Vec<Finding> {
        &mut self.kept
    }
}

pub trait Analyzer: Send + Sync + std::fmt::Debug {
    /// The names this analyzer fills in for the message template.
    fn variables(&self) -> &'static [&'static str];
    /// Appends findings for one article body.
    fn check(&self, doc: &Document<'_>, out: &mut Found);

    /// The regexes this analyzer searches articles with: the engine's
    /// prefilter finds where they can match ([`Document::find_in`]).
    fn regexes(&self) -> Vec<&crate::rules::LazyRegex> {
        Vec::new()
    }

    /// The regexes this analyzer tries on parts of an article it picks (a
    /// paragraph), not searched for: compiled with the others the first
    /// time an article is checked.
    fn context_regexes(&self) -> Vec<&crate::rules::LazyRegex> {
        Vec::new()
    }

    /// Does each finding cover a block (several lines) that swallows the
    /// smaller findings of its category inside it, as a `block` rule does?
    fn reports_blocks(&self) -> bool {
        false
    }

    /// Does this analyzer read what the other rules found in the article?
    /// It then runs after them, and [`Analyzer::check_found`] is called
    /// instead of [`Analyzer::check`].
    fn reads_findings(&self) -> bool {
        false
    }

    /// For an analyzer that reads findings: its own, given what the rules
    /// that do not read findings found (spans in the article body).
    fn check_found(
        &self,
        _doc: &Document<'_>,
        _found: &[crate::diagnostic::Diagnostic],
        _out: &mut Found,
    ) {
    }

    /// Does this analyzer compare articles with each other? Only then is
    /// a corpus gathered for it ([`Analyzer::gather`] and the rest).
    fn compares_files(&self) -> bool {
        false
    }

    /// What the provenance report wants from an analyzer that models
    /// attribution: the article's sourcing profile and its figures.
    fn profile(&self, _doc: &Document<'_>) -> Option<crate::report::Profile> {
        None
    }

    /// First pass over a corpus: what this analyzer wants to compare
    /// across files (name uses, words seen in lower case). Most analyzers
    /// need nothing.
    fn gather(&self, _doc: &Document<'_>, _out: &mut crate::corpus::ArticleFacts) {}

    /// Second pass: findings that compare this article with the corpus.
    fn check_in_corpus(
        &self,
        _doc: &Document<'_>,
        _corpus: &crate::corpus::CorpusIndex,
        _out: &mut Found,
    ) {
    }

    /// The files (by their place in the run) on which `check_in_corpus`
    /// may find something, judged from the corpus alone: a run that checked
    /// every file while gathering checks only these again. Naming a file
    /// that has no finding costs time; missing one loses findings.
    fn files_to_recheck(
        &self,
        _corpus: &crate::corpus::CorpusIndex,
        _out: &mut foldhash::HashSet<usize>,
    ) {
    }
}

/// The `[check.params]` table of a rule, and access to word-list files that
/// sit beside the rule file.
pub struct Params<'a> {
    pub table: toml::Table,
    pub read_sibling: &'a dyn Fn(&str) -> Option<String>,
    /// Check the examples a data file carries (a lexicon's entries): off
    /// for the built-in rules, whose tests run them.
    pub verify: bool,
}

impl Params<'_> {
    /// Deserializes the table into an analyzer's own parameter struct (which
    /// should deny unknown fields, so typos are errors).
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, String> {
        toml::Value::Table(self.table.clone())
            .try_into()
            .map_err(|e: toml::de::Error| e.message().to_string())
    }

    /// Reads a word list that sits beside the rule file: one entry per
    /// line, `#` starts a comment, blank lines are skipped.
    pub fn word_list(&self, name: &str) -> Result<Vec<String>, String> {
        let text = (self.read_sibling)(name)
            .ok_or_else(|| format!("word list `{name}` not found beside the rule file"))?;
        Ok(parse_word_list(&text))
    }

    /// Reads a sibling file whole (a lexicon, say).
    pub fn sibling(&self, name: &str) -> Result<String, String> {
        (self.read_sibling)(name).ok_or_else(|| format!("`{name}` not found beside the rule file"))
    }
}

pub fn parse_word_list(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

pub fn build(name: &str, params: &Params) -> Result<Box<dyn Analyzer>, String> {
    match REGISTRY.iter().find(|(n, _)| *n == name) {
        Some((_, build)) => build(params),
        None => Err(format!(
            "unknown analyzer `{name}`; known analyzers: {}",
            REGISTRY
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}
