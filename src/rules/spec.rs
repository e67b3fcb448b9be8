//! The rule file format as written by people: deserialized with spans so
//! that every error can point at the exact place in the TOML.

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Applicability, Severity};

/// One rule file (`rules/<category>/<name>.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// `category/kebab-name`.
    pub id: Spanned<String>,
    pub severity: Severity,
    /// One line for `kzlint rules`.
    pub summary: String,
    /// The diagnostic message; `{name}` interpolates a capture or variable.
    pub message: Spanned<String>,
    /// What to do about it; rendered as `= help:`.
    pub help: Option<String>,
    /// Markdown: what it finds, why it matters, an example.
    pub description: String,
    pub check: Spanned<CheckSpec>,
    pub fix: Option<Spanned<FixSpec>>,
    /// What a finding tells `kzlint report` of where the article came
    /// from (a sign-off credits its origin, a comment form shows a scraper).
    pub provenance: Option<crate::provenance::Role>,
    pub examples: ExamplesSpec,
}

/// The check, one table for all kinds so spans survive deserialization;
/// which fields a kind accepts is validated when the rule is compiled.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    /// `pattern`, `substitution`, `block` or `analyzer`.
    pub kind: Spanned<String>,

    // pattern and substitution
    pub patterns: Option<Spanned<Vec<Spanned<String>>>>,
    pub case_insensitive: Option<Spanned<bool>>,
    pub word_boundary: Option<Spanned<bool>>,
    /// The match must fill its line, apart from surrounding blanks.
    pub whole_line: Option<Spanned<bool>>,
    /// Drop a match when this regex matches the text before it on its line
    /// (anchor it with `$`: "immediately before").
    pub unless_after: Option<Spanned<String>>,
    /// Drop a match when this regex matches the text after it on its line
    /// (anchor it with `^`).
    pub unless_before: Option<Spanned<String>>,
    /// Only where the layout model does not see article prose.
    pub outside_prose: Option<Spanned<bool>>,
    /// Only inside the article: not on the page around it, nor on a short
    /// heading or caption beside it, nor on code or another language.
    pub in_article: Option<Spanned<bool>>,

    // block
    pub start: Option<Spanned<String>>,
    pub stop: Option<Spanned<String>>,
    pub include_stop: Option<Spanned<bool>>,
    /// `paragraph` (to the next blank line) or `article` (to the end).
    pub end: Option<Spanned<String>>,
    pub max_lines: Option<Spanned<usize>>,

    // analyzer
    pub name: Option<Spanned<String>>,
    pub params: Option<Spanned<toml::Table>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixSpec {
    pub applicability: Applicability,
    /// Replace the match with this text (`$1`, `${name}` expand captures).
    pub replacement: Option<Spanned<String>>,
    /// Remove the match (and its line, when it fills one).
    pub remove: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamplesSpec {
    /// Texts that must trigger the rule; `[[` and `]]` mark each expected span.
    #[serde(default)]
    pub bad: Vec<Spanned<String>>,
    /// Texts that must not trigger it.
    pub good: Vec<Spanned<String>>,
    /// Input and the text after applying this rule's fixes.
    #[serde(default)]
    pub fixed: Vec<FixedExample>,
    /// Several files checked as one corpus, for rules that compare files:
    /// `[[` and `]]` mark every span expected in each.
    #[serde(default)]
    pub corpus: Vec<CorpusExample>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorpusExample {
    pub files: Spanned<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixedExample {
    pub input: Spanned<String>,
    pub output: String,
}
