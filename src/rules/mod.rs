//! Rules as data: the file format ([`spec`]), compilation into checks, the
//! loader that turns rule files into a [`RuleSet`] or precise errors, and the
//! runner for the examples each rule carries.

mod check;
mod examples;
mod load;
mod prebuilt;
pub(crate) mod prefilter;
pub use prefilter::LazyRegex;
pub mod spec;
mod template;

use std::ops::Range;
use std::sync::Arc;

pub use check::Check;
pub use examples::verify_examples;
pub use load::{builtin_rule_files, load_builtin, load_dir, load_files, RuleFile};
pub use template::Template;

use crate::diagnostic::{Applicability, Category, Severity};

/// A rule ready to run: its metadata, compiled check and fix.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub category: Category,
    pub severity: Severity,
    pub summary: String,
    pub description: String,
    pub help: Option<String>,
    /// The rule file it came from (for `explain` and errors).
    pub origin: String,
    pub examples: Examples,
    /// What a finding tells the provenance report, if anything.
    pub provenance: Option<crate::provenance::Role>,
    pub(crate) message: Template,
    pub(crate) check: Check,
    pub(crate) fix: Option<FixTemplate>,
}

/// The built-in rules plus the rules of each folder in `dirs` (a user's
/// `--rules` folders): what loads, and an error for each rule that does
/// not, which is left out.
pub fn load_with_dirs(dirs: &[std::path::PathBuf]) -> (RuleSet, Vec<RuleError>) {
    let (builtin, mut errors) = load_builtin();
    let mut set = RuleSet::default();
    errors.extend(set.extend(builtin));
    for dir in dirs {
        match load_dir(dir) {
            Ok(files) => {
                let (loaded, mut errs) = load_files(&files);
                errors.append(&mut errs);
                errors.extend(set.extend(loaded));
            }
            Err(e) => errors.push(e),
        }
    }
    (set, errors)
}

impl Rule {
    /// The rule's documentation, as `kzlint explain` prints it and the
    /// language server shows it: one text for every place it appears.
    pub fn explanation(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let indent = |s: &str| s.replace('\n', "\n    ");
        let _ = writeln!(out, "{}\n", self.id);
        let _ = writeln!(
            out,
            "category: {}    severity: {}    from: {}\n",
            self.category, self.severity, self.origin
        );
        if !self.category.is_built_in() {
            let _ = writeln!(
                out,
                "The `{}` category: {}\n",
                self.category,
                self.category.description()
            );
        }
        let _ = writeln!(out, "{}\n", self.description.trim_end());
        if let Some(help) = &self.help {
            let _ = writeln!(out, "Fix: {help}\n");
        }
        let _ = writeln!(out, "Flagged (the span between [[ and ]]):");
        for bad in &self.examples.bad {
            let _ = writeln!(out, "  - {}", indent(bad));
        }
        let corpus = |out: &mut String, marked: bool| {
            for files in &self.examples.corpus {
                if files.iter().any(|f| f.contains("[[")) == marked {
                    let _ = writeln!(out, "  - files checked together as a corpus:");
                    for file in files {
                        let _ = writeln!(out, "    - {}", indent(&indent(file)));
                    }
                }
            }
        };
        corpus(&mut out, true);
        let _ = writeln!(out, "\nNot flagged:");
        for good in &self.examples.good {
            let _ = writeln!(out, "  - {}", indent(good));
        }
        corpus(&mut out, false);
        out
    }

    /// Does this rule compare articles with each other (so a run over
    /// several files gathers a corpus for it)?
    pub fn compares_files(&self) -> bool {
        self.check.compares_files()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Examples {
    pub bad: Vec<String>,
    pub good: Vec<String>,
    /// Corpora of several files, for rules that compare files.
    pub corpus: Vec<Vec<String>>,
}

#[derive(Debug, Clone)]
pub(crate) enum FixTemplate {
    /// Delete the span.
    Remove(Applicability),
    /// Replace the span, expanding `$1`/`${name}` from the match.
    Replace(String, Applicability),
    /// Use the replacement the analyzer proposes.
    Proposed(Applicability),
}

/// The rules of one run, compiled once.
#[derive(Debug, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
    /// Built on first use, over every rule's literal prefixes.
    prefilter: std::sync::OnceLock<RulePrefilter>,
    /// Built on first use for each selection of rules that leaves some
    /// off, over the literals of those left on: which rules are on.
    selections: std::sync::Mutex<Vec<(Vec<bool>, std::sync::Arc<RulePrefilter>)>>,
}

/// Texts for tests that compare two ways of scanning: the seed articles,
/// and every example of `rules` as written, with Windows and old Mac line
/// ends, and with its lines indented.
#[cfg(test)]
pub(crate) fn sample_texts(rules: &RuleSet) -> Vec<String> {
    let mut texts: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus")).unwrap() {
        texts.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    for rule in rules.rules() {
        for example in rule.examples.bad.iter().chain(&rule.examples.good) {
            let plain = example.replace("[[", "").replace("]]", "");
            texts.push(plain.replace('\n', "\r\n"));
            texts.push(plain.replace('\n', "\r"));
            texts.push(plain.replace('\n', "\n \u{a0}"));
            texts.push(plain);
        }
    }
    texts
}

/// A [`prefilter::Prefilter`] over every regex of a list of rules.
#[derive(Debug)]
pub(crate) struct RulePrefilter(pub(crate) prefilter::Prefilter);

/// The prefilter of every rule, or a shared one of some of them.
pub(crate) enum PrefilterRef<'a> {
    All(&'a RulePrefilter),
    Some(std::sync::Arc<RulePrefilter>),
}

impl std::ops::Deref for PrefilterRef<'_> {
    type Target = RulePrefilter;

    fn deref(&self) -> &RulePrefilter {
        match self {
            PrefilterRef::All(p) => p,
            PrefilterRef::Some(p) => p,
        }
    }
}

impl RulePrefilter {
    pub(crate) fn new<'r>(rules: impl IntoIterator<Item = &'r Rule>) -> RulePrefilter {
        let regexes: Vec<_> = rules
            .into_iter()
            .flat_map(|r| r.check.filtered_regexes())
            .collect();
        RulePrefilter(prefilter::Prefilter::new(regexes))
    }
}

impl RuleSet {
    /// The rules compiled into the binary.
    pub fn builtin() -> Result<RuleSet, Vec<RuleError>> {
        let (rules, mut errors) = load_builtin();
        let mut set = RuleSet::default();
        errors.extend(set.extend(rules));
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(errors)
        }
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub(crate) fn prefilter(&self) -> &RulePrefilter {
        self.prefilter
            .get_or_init(|| RulePrefilter::new(&self.rules))
    }

    /// The prefilter over the rules `on` leaves on, so that a rule turned
    /// off costs nothing in the scan either: its literals are not looked
    /// for. Each selection's is built once and shared.
    pub(crate) fn prefilter_for(&self, on: impl Fn(&Rule) -> bool) -> PrefilterRef<'_> {
        let selection: Vec<bool> = self.rules.iter().map(on).collect();
        if selection.iter().all(|&on| on) {
            return PrefilterRef::All(self.prefilter());
        }
        let mut built = self
            .selections
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, prefilter)) = built.iter().find(|(s, _)| *s == selection) {
            return PrefilterRef::Some(prefilter.clone());
        }
        let rules = self.rules.iter().zip(&selection).filter(|(_, &on)| on);
        let prefilter = std::sync::Arc::new(RulePrefilter::new(rules.map(|(r, _)| r)));
        built.push((selection, prefilter.clone()));
        PrefilterRef::Some(prefilter)
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Adds rules, refusing ids that are already taken.
    pub fn extend(&mut self, rules: Vec<Rule>) -> Vec<RuleError> {
        let mut errors = Vec::new();
        for rule in rules {
            if let Some(existing) = self.get(&rule.id) {
                errors.push(RuleError {
                    file: rule.origin.clone(),
                    contents: None,
                    rule: Some(rule.id.clone()),
                    span: None,
                    message: format!(
                        "rule id `{}` is already defined in {}",
                        rule.id, existing.origin
                    ),
                });
            } else {
                self.rules.push(rule);
            }
        }
        self.rules.sort_by(|a, b| a.id.cmp(&b.id));
        self.prefilter = Default::default();
        self.selections = Default::default();
        errors
    }
}

/// A rule file that could not be loaded, or a rule whose examples fail.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}{}: {message}", rule.as_ref().map(|r| format!(": rule `{r}`")).unwrap_or_default())]
pub struct RuleError {
    /// The rule file, as the user would name it.
    pub file: String,
    /// The file's text, so the error can be shown in place.
    pub contents: Option<Arc<str>>,
    pub rule: Option<String>,
    /// Byte range in the rule file.
    pub span: Option<Range<usize>>,
    pub message: String,
}

impl RuleError {
    /// 1-based line and column of the span in the rule file, if known.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let (text, span) = (self.contents.as_deref()?, self.span.as_ref()?);
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        Some((line, column))
    }
}
