//! The one diagnostic model every emitter renders.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A half-open byte range into a file's text as read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }

    pub fn shift(self, by: usize) -> Self {
        Span::new(self.start + by, self.end + by)
    }

    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// How serious a finding is. Ordered, so `--fail-on` can compare.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of provenance damage a rule finds; the first part of a rule id.
/// Four are built in; a user's rule folder may declare more
/// (`categories.toml`), which are interned for the life of the process.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Category(&'static str);

/// The built-in categories, in the order reports list them, with what each
/// covers.
const BUILT_IN: [(&str, &str); 4] = [
    (
        "syndication",
        "residue of the page and the feed around the article: menus, share \
         buttons, wire sign-offs, feed and aggregator disclaimers",
    ),
    (
        "translation",
        "damage from machine translation or spinning: garbled quotations, \
         names spelled two ways, words run together or split",
    ),
    (
        "attribution",
        "claims that stand on no source or a vague one",
    ),
    (
        "extraction",
        "what the extractor broke: cut sentences, inline captions, lost breaks",
    ),
];

/// Categories declared by rule folders: name and description.
static DECLARED: std::sync::Mutex<Vec<(&'static str, &'static str)>> =
    std::sync::Mutex::new(Vec::new());

impl Category {
    pub const SYNDICATION: Category = Category("syndication");
    pub const TRANSLATION: Category = Category("translation");
    pub const ATTRIBUTION: Category = Category("attribution");
    pub const EXTRACTION: Category = Category("extraction");
    /// The built-in categories.
    pub const ALL: [Category; 4] = [
        Category::SYNDICATION,
        Category::TRANSLATION,
        Category::ATTRIBUTION,
        Category::EXTRACTION,
    ];

    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// A built-in category by name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// A built-in category, or one a rule folder declared, by name.
    pub fn known(s: &str) -> Option<Self> {
        Self::parse(s).or_else(|| {
            let declared = DECLARED.lock().unwrap_or_else(|e| e.into_inner());
            declared
                .iter()
                .find(|(name, _)| *name == s)
                .map(|(name, _)| Category(name))
        })
    }

    /// Declares a category from a rule folder (or one read back from a
    /// report); a name declared before keeps its first description.
    pub fn declare(name: &str, description: &str) -> Self {
        if let Some(c) = Self::known(name) {
            return c;
        }
        let mut declared = DECLARED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((found, _)) = declared.iter().find(|(n, _)| *n == name) {
            return Category(found);
        }
        let name: &'static str = Box::leak(name.to_string().into_boxed_str());
        let description: &'static str = Box::leak(description.to_string().into_boxed_str());
        declared.push((name, description));
        Category(name)
    }

    pub fn is_built_in(self) -> bool {
        Self::parse(self.0).is_some()
    }

    /// What the category covers, as the built-in list or its folder says.
    pub fn description(self) -> &'static str {
        if let Some((_, d)) = BUILT_IN.iter().find(|(n, _)| *n == self.0) {
            return d;
        }
        let declared = DECLARED.lock().unwrap_or_else(|e| e.into_inner());
        declared
            .iter()
            .find(|(n, _)| *n == self.0)
            .map(|(_, d)| *d)
            .unwrap_or("")
    }

    /// Built-in categories first, in their order; then declared ones by name.
    fn rank(self) -> (usize, &'static str) {
        let built_in = BUILT_IN.iter().position(|(n, _)| *n == self.0);
        (built_in.unwrap_or(BUILT_IN.len()), self.0)
    }
}

impl PartialOrd for Category {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Category {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.rank().cmp(&other.rank())
    }
}

impl fmt::Debug for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Category({:?})", self.0)
    }
}

impl Serialize for Category {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Category {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        // A report read back (the corpus pass's kept findings) may name a
        // category a rule folder declared in this run.
        Ok(Category::declare(&name, ""))
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a fix may be applied without a person looking (as in ruff).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Shown as a suggestion, never applied.
    Display,
    /// Applied only when the user opts in to unsafe fixes.
    Unsafe,
    /// Applied by `--fix`.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Display => "display",
            Applicability::Unsafe => "unsafe",
            Applicability::Safe => "safe",
        }
    }
}

/// A suggested edit: replace the diagnostic's span with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub replacement: String,
    pub applicability: Applicability,
}

impl Fix {
    /// How the fix reads to a person: "safe fix: remove this text".
    pub fn describe(&self) -> String {
        let what = if self.replacement.is_empty() {
            "remove this text".to_string()
        } else {
            format!("replace with `{}`", self.replacement)
        };
        let how = match self.applicability {
            Applicability::Safe => "safe fix",
            Applicability::Unsafe => "unsafe fix",
            Applicability::Display => "suggestion",
        };
        format!("{how}: {what}")
    }
}

/// A secondary location that explains the finding (e.g. the other spelling).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One finding in one file. It serializes whole (a run that checks a
/// corpus keeps its findings on disk until the corpus is gathered); the
/// emitters choose what each format shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub rule: String,
    pub category: Category,
    pub severity: Severity,
    pub span: Span,
    pub message: String,
    pub labels: Vec<Label>,
    pub fix: Option<Fix>,
    /// Why it matters and what to do: rendered as `= help:`.
    pub help: Option<String>,
    /// True when the span is a whole region (a trailer, a block) that
    /// subsumes smaller findings of the same category inside it.
    pub is_block: bool,
}

/// Applies the fixes of `diagnostics` to `text`, skipping any fix that
/// overlaps one already taken (earlier spans win). Returns the new text and
/// how many fixes were applied.
pub fn apply_fixes<'a>(
    text: &str,
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
    at_least: Applicability,
) -> (String, usize) {
    let mut edits: Vec<(Span, &str)> = diagnostics
        .into_iter()
        .filter_map(|d| d.fix.as_ref().map(|f| (d.span, f)))
        .filter(|(_, f)| f.applicability >= at_least && f.applicability != Applicability::Display)
        .map(|(span, f)| (span, f.replacement.as_str()))
        .collect();
    edits.sort_by_key(|(span, _)| (span.start, span.end));
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    let mut applied = 0;
    let mut edits_removed_last = false;
    for (span, replacement) in edits {
        if span.start < cursor {
            continue; // overlaps an edit already applied
        }
        out.push_str(&text[cursor..span.start]);
        out.push_str(replacement);
        edits_removed_last = replacement.is_empty();
        cursor = edited_span(text, span, replacement).end;
        applied += 1;
    }
    let removed_to_end = cursor > 0 && edits_removed_last && text[cursor..].trim().is_empty();
    out.push_str(&text[cursor..]);
    if removed_to_end {
        end_with_one_line_break(&mut out, text);
    }
    (out, applied)
}

/// After the last block of a file was removed, the blank lines that set
/// it apart are left at the end: keep exactly one final line break, in
/// the file's own style, as the file had before (none if it had none).
fn end_with_one_line_break(out: &mut String, original: &str) {
    let kept = out.trim_end_matches(['\n', '\r', ' ', '\t']).len();
    out.truncate(kept);
    if kept > 0 && original.ends_with('\n') {
        out.push_str(if original.ends_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        });
    }
}

/// The text a fix of `span` really replaces: a removal of everything on a
/// line takes the line break too (see below). An editor applying one fix
/// uses this, so it edits exactly what `--fix` would.
pub fn edited_span(text: &str, span: Span, replacement: &str) -> Span {
    if replacement.is_empty() {
        Span::new(span.start, end_of_removed_line(text, span))
    } else {
        span
    }
}

/// Removing everything on a line removes the line too: the edit then also
/// takes the line break, so deleting residue does not leave a hole.
fn end_of_removed_line(text: &str, span: Span) -> usize {
    let at_line_start = span.start == 0 || text[..span.start].ends_with('\n');
    if !at_line_start {
        return span.end;
    }
    let rest = &text[span.end..];
    let trailing = rest.len() - rest.trim_start_matches([' ', '\t', '\u{a0}']).len();
    let after = &rest[trailing..];
    let end = if after.starts_with("\r\n") {
        span.end + trailing + 2
    } else if after.starts_with('\n') || after.is_empty() {
        span.end + trailing + after.len().min(1)
    } else {
        return span.end;
    };
    // Between two blank lines, take one of them too, so the paragraphs
    // around the removed line keep a single blank line between them.
    let blank_before =
        text[..span.start].ends_with("\n\n") || text[..span.start].ends_with("\n\r\n");
    let next = &text[end..];
    if blank_before && next.starts_with("\r\n") {
        end + 2
    } else if blank_before && next.starts_with('\n') {
        end + 1
    } else {
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_categories_sort_after_the_built_in_ones_and_read_back() {
        let house = Category::declare("house", "the newsroom's style");
        assert_eq!(Category::declare("house", "another text"), house);
        assert_eq!(house.description(), "the newsroom's style");
        let mut all = vec![house, Category::EXTRACTION, Category::SYNDICATION];
        all.sort();
        assert_eq!(all, [Category::SYNDICATION, Category::EXTRACTION, house]);
        let json = serde_json::to_string(&house).unwrap();
        assert_eq!(json, "\"house\"");
        assert_eq!(serde_json::from_str::<Category>(&json).unwrap(), house);
        assert_eq!(
            serde_json::from_str::<Category>("\"attribution\"").unwrap(),
            Category::ATTRIBUTION
        );
        assert!(!house.is_built_in() && Category::TRANSLATION.is_built_in());
    }

    fn diag(
        start: usize,
        end: usize,
        replacement: &str,
        applicability: Applicability,
    ) -> Diagnostic {
        Diagnostic {
            rule: "syndication/test".into(),
            category: Category::SYNDICATION,
            severity: Severity::Warning,
            span: Span::new(start, end),
            message: String::new(),
            labels: vec![],
            fix: Some(Fix {
                replacement: replacement.into(),
                applicability,
            }),
            help: None,
            is_block: false,
        }
    }

    #[test]
    fn removing_a_whole_line_takes_its_line_break() {
        let text = "Body.\r\nSource link\r\nMore.";
        let d = diag(7, 18, "", Applicability::Safe);
        assert_eq!(
            apply_fixes(text, [&d], Applicability::Safe).0,
            "Body.\r\nMore."
        );
    }

    #[test]
    fn removing_a_paragraph_line_leaves_one_blank_line_between_paragraphs() {
        let text = "Body.\n\nSource link\n\nMore.\n";
        let d = diag(7, 18, "", Applicability::Safe);
        assert_eq!(
            apply_fixes(text, [&d], Applicability::Safe).0,
            "Body.\n\nMore.\n"
        );
    }

    #[test]
    fn removing_part_of_a_line_keeps_the_line() {
        let text = "Body the the end.\n";
        let d = diag(5, 9, "", Applicability::Safe);
        assert_eq!(
            apply_fixes(text, [&d], Applicability::Safe).0,
            "Body the end.\n"
        );
    }

    #[test]
    fn overlapping_and_unsafe_fixes_are_skipped() {
        let text = "abcdef";
        let a = diag(0, 3, "X", Applicability::Safe);
        let b = diag(2, 4, "Y", Applicability::Safe);
        let c = diag(4, 6, "Z", Applicability::Unsafe);
        let (out, n) = apply_fixes(text, [&a, &b, &c], Applicability::Safe);
        assert_eq!((out.as_str(), n), ("Xdef", 1));
        let (out, n) = apply_fixes(text, [&a, &c], Applicability::Unsafe);
        assert_eq!((out.as_str(), n), ("XdZ", 2));
    }
}
