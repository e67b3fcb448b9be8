//! The compiled form of a rule's `[check]`, and how each kind runs over an
//! article.

use regex_automata::util::captures::Captures;
use regex_automata::Input;

use super::prefilter::{LazyRegex, Starts};
use super::spec::CheckSpec;
use super::{FixTemplate, Rule};
use crate::analyzers::{self, Analyzer, Found, Params};
use crate::diagnostic::{Diagnostic, Fix, Span};
use crate::text::{ceil_char_boundary, floor_char_boundary, Document};

/// Name of the group a pattern may use to mark the reported span when it
/// needs context around it.
const SPAN_GROUP: &str = "span";
/// Internal group wrapped around a `whole_line` pattern's body.
const LINE_GROUP: &str = "kzlint_line";

#[derive(Debug)]
pub enum Check {
    Pattern(Pattern),
    Block(Block),
    Analyzer(AnalyzerCheck),
}

#[derive(Debug)]
pub struct Pattern {
    regexes: Vec<LazyRegex>,
    unless_after: Option<LazyRegex>,
    unless_before: Option<LazyRegex>,
    /// Report only matches on paragraphs the layout model does not call
    /// article prose.
    outside_prose: bool,
    /// Report only matches inside the article ([`crate::text::Layout::in_article`]).
    in_article: bool,
}

/// An analyzer, and where its findings may stand.
pub struct AnalyzerCheck {
    analyzer: Box<dyn Analyzer>,
    /// Report only findings inside the article ([`crate::text::Layout::in_article`]).
    in_article: bool,
}

impl std::fmt::Debug for AnalyzerCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnalyzerCheck")
            .field("analyzer", &self.analyzer)
            .field("in_article", &self.in_article)
            .finish()
    }
}

impl std::ops::Deref for AnalyzerCheck {
    type Target = dyn Analyzer;
    fn deref(&self) -> &Self::Target {
        &*self.analyzer
    }
}

/// How far `unless_after` and `unless_before` look from a match, at most:
/// the line, cut to this many bytes either side, so that checking a match
/// costs the same on a 1 MB line as on a paragraph.
pub const CONTEXT_WINDOW: usize = 1024;

impl Pattern {
    /// A match survives unless its line context says otherwise.
    fn allowed(&self, text: &str, span: Span) -> bool {
        let matches = |re: &LazyRegex, input: Input<'_>| re.get().is_match(input);
        !self
            .unless_after
            .as_ref()
            .is_some_and(|re| matches(re, context_before(text, span.start)))
            && !self
                .unless_before
                .as_ref()
                .is_some_and(|re| matches(re, context_after(text, span.end)))
    }
}

/// The line before `at`, back to its start or [`CONTEXT_WINDOW`] bytes. A
/// cut window keeps one more character in the haystack, outside the range
/// searched, so that `^` does not take the cut for a line start and `\b`
/// sees the letter before it.
fn context_before(text: &str, at: usize) -> Input<'_> {
    let floor = ceil_char_boundary(text, at.saturating_sub(CONTEXT_WINDOW));
    match memchr::memrchr(b'\n', &text.as_bytes()[floor..at]) {
        Some(i) => Input::new(&text[floor + i + 1..at]),
        None if floor == 0 => Input::new(&text[..at]),
        None => {
            let outside = floor_char_boundary(text, floor - 1);
            Input::new(&text[outside..at]).range(floor - outside..at - outside)
        }
    }
}

/// The line after `at`, to its end or [`CONTEXT_WINDOW`] bytes; a cut
/// window keeps one more character, unsearched, so `$` holds only at a
/// real line end.
fn context_after(text: &str, at: usize) -> Input<'_> {
    let ceil = floor_char_boundary(text, at.saturating_add(CONTEXT_WINDOW));
    match memchr::memchr(b'\n', &text.as_bytes()[at..ceil]) {
        Some(i) => Input::new(&text[at..at + i]),
        None if ceil == text.len() => Input::new(&text[at..]),
        None => {
            let outside = ceil_char_boundary(text, ceil + 1);
            Input::new(&text[at..outside]).range(..ceil - at)
        }
    }
}

#[derive(Debug)]
pub struct Block {
    start: LazyRegex,
    stop: Option<LazyRegex>,
    include_stop: bool,
    to_end_of_article: bool,
    max_lines: Option<usize>,
}

/// An error at a byte range of the rule file.
#[derive(Debug)]
pub(crate) struct SpecError {
    pub span: std::ops::Range<usize>,
    pub message: String,
    /// When `span` is a string's, the bytes of its value at fault.
    pub inside: Option<std::ops::Range<usize>>,
}

fn err(span: std::ops::Range<usize>, message: impl Into<String>) -> SpecError {
    SpecError {
        span,
        message: message.into(),
        inside: None,
    }
}

/// Horizontal blanks around a whole-line match, NBSP included.
const BLANKS: &str = r"[\t \u{a0}\u{2000}-\u{200b}\u{3000}]*";

/// Parses a rule's regex (compiled later, when an article needs it). With
/// `prefilter`, the regex runs only where its literal prefixes occur.
fn compile_regex(
    pattern: &toml::Spanned<String>,
    case_insensitive: bool,
    word_boundary: bool,
    whole_line: bool,
    prefilter: bool,
    builtin: bool,
) -> Result<LazyRegex, SpecError> {
    // The user's pattern must parse on its own, so that it cannot close
    // the wrapper's group below (`a)(b`). Its syntax alone is checked here
    // (fast); a full parse, case folding and all, is slow and done only
    // for an error's message. A built-in pattern whose whole regex is in
    // the prebuilt table passed this check when the table was made.
    let source = wrap(pattern.get_ref(), word_boundary, whole_line);
    let checked = builtin && super::prebuilt::contains(&source, prefilter, case_insensitive);
    if !checked
        && regex_syntax::ast::parse::Parser::new()
            .parse(pattern.get_ref())
            .is_err()
    {
        return Err(user_pattern_error(pattern));
    }
    LazyRegex::new(source, prefilter, case_insensitive).map_err(|e| {
        // Most errors are the user's pattern's own: shown in it, not in the
        // wrapper around it, at the part at fault.
        let own = user_pattern_error(pattern);
        if own.inside.is_some() {
            own
        } else {
            err(pattern.span(), format!("regex does not compile:\n{e}"))
        }
    })
}

/// A rule's pattern as its regex: within word boundaries, or as a whole
/// line (blanks and a list bullet around it, the line in a group).
fn wrap(pattern: &str, word_boundary: bool, whole_line: bool) -> String {
    let mut body = pattern.to_string();
    if word_boundary {
        body = format!(r"\b(?:{body})\b");
    }
    if whole_line {
        // A list bullet may stand before the line's text: share bars and
        // link lists are often lists.
        format!(r"^{BLANKS}(?P<{LINE_GROUP}>(?:[-*•+·▪][ \t]+)?(?:{body})){BLANKS}$")
    } else {
        body
    }
}

/// The error of a rule's own pattern, parsed whole, pointing inside it.
fn user_pattern_error(pattern: &toml::Spanned<String>) -> SpecError {
    let Err(e) = regex_syntax::Parser::new().parse(pattern.get_ref()) else {
        return err(pattern.span(), "regex does not compile");
    };
    let at = match &e {
        regex_syntax::Error::Parse(e) => Some(*e.span()),
        regex_syntax::Error::Translate(e) => Some(*e.span()),
        _ => None,
    };
    SpecError {
        span: pattern.span(),
        message: format!("regex does not compile:\n{e}"),
        inside: at.map(|s| s.start.offset..s.end.offset),
    }
}

/// Which check fields each kind accepts, for precise "not allowed" errors.
fn allowed_fields(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "pattern" | "substitution" => &[
            "patterns",
            "case_insensitive",
            "word_boundary",
            "whole_line",
            "unless_after",
            "unless_before",
            "outside_prose",
            "in_article",
        ],
        "block" => &[
            "start",
            "stop",
            "include_stop",
            "end",
            "max_lines",
            "case_insensitive",
        ],
        "analyzer" => &["name", "params", "in_article"],
        _ => return None,
    })
}

impl Check {
    /// Compiles a check. `table_span` is where `[check]` sits, for errors
    /// about missing fields.
    pub(crate) fn compile(
        spec: CheckSpec,
        table_span: std::ops::Range<usize>,
        read_sibling: &dyn Fn(&str) -> Option<String>,
        verify: bool,
    ) -> Result<Check, SpecError> {
        let kind = spec.kind.get_ref().as_str();
        let allowed = allowed_fields(kind).ok_or_else(|| {
            err(
                spec.kind.span(),
                format!("unknown check kind `{kind}`; expected one of: pattern, substitution, block, analyzer"),
            )
        })?;
        // Fields present, with their spans where serde kept them.
        let present: [(&str, Option<std::ops::Range<usize>>); 15] = [
            (
                "outside_prose",
                spec.outside_prose.as_ref().map(|s| s.span()),
            ),
            ("in_article", spec.in_article.as_ref().map(|s| s.span())),
            ("unless_after", spec.unless_after.as_ref().map(|s| s.span())),
            (
                "unless_before",
                spec.unless_before.as_ref().map(|s| s.span()),
            ),
            ("patterns", spec.patterns.as_ref().map(|p| p.span())),
            (
                "case_insensitive",
                spec.case_insensitive.as_ref().map(|s| s.span()),
            ),
            (
                "word_boundary",
                spec.word_boundary.as_ref().map(|s| s.span()),
            ),
            ("whole_line", spec.whole_line.as_ref().map(|s| s.span())),
            ("start", spec.start.as_ref().map(|s| s.span())),
            ("stop", spec.stop.as_ref().map(|s| s.span())),
            ("include_stop", spec.include_stop.as_ref().map(|s| s.span())),
            ("end", spec.end.as_ref().map(|s| s.span())),
            ("max_lines", spec.max_lines.as_ref().map(|s| s.span())),
            ("name", spec.name.as_ref().map(|s| s.span())),
            ("params", spec.params.as_ref().map(|s| s.span())),
        ];
        if let Some((field, span)) = present
            .iter()
            .find(|(field, span)| span.is_some() && !allowed.contains(field))
        {
            return Err(err(
                span.clone().unwrap(),
                format!(
                    "`{field}` is not a field of a `{kind}` check (it takes: {})",
                    allowed.join(", ")
                ),
            ));
        }
        let flag = |f: &Option<toml::Spanned<bool>>| f.as_ref().is_some_and(|s| *s.get_ref());
        // Rules checked at load are a user's; the built-in ones are not.
        let builtin = !verify;
        let case_insensitive = flag(&spec.case_insensitive);
        let in_article = flag(&spec.in_article);
        if in_article && flag(&spec.outside_prose) {
            let span = spec
                .in_article
                .as_ref()
                .map(|s| s.span())
                .unwrap_or(table_span);
            return Err(err(
                span,
                "`in_article` and `outside_prose` exclude each other: a match cannot be both inside the article and outside its prose",
            ));
        }
        match kind {
            "pattern" | "substitution" => {
                let patterns = spec.patterns.ok_or_else(|| {
                    err(
                        table_span.clone(),
                        format!("a `{kind}` check needs `patterns`"),
                    )
                })?;
                if patterns.get_ref().is_empty() {
                    return Err(err(patterns.span(), "`patterns` is empty"));
                }
                let regexes = patterns
                    .get_ref()
                    .iter()
                    .map(|p| {
                        compile_regex(
                            p,
                            case_insensitive,
                            flag(&spec.word_boundary),
                            flag(&spec.whole_line),
                            true,
                            builtin,
                        )
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let context = |r: &Option<toml::Spanned<String>>| {
                    r.as_ref()
                        .map(|r| compile_regex(r, case_insensitive, false, false, false, builtin))
                        .transpose()
                };
                Ok(Check::Pattern(Pattern {
                    regexes,
                    unless_after: context(&spec.unless_after)?,
                    unless_before: context(&spec.unless_before)?,
                    outside_prose: flag(&spec.outside_prose),
                    in_article,
                }))
            }
            "block" => {
                let start = spec
                    .start
                    .ok_or_else(|| err(table_span.clone(), "a `block` check needs `start`"))?;
                let end = spec.end.ok_or_else(|| {
                    err(
                        table_span.clone(),
                        "a `block` check needs `end` (`paragraph` or `article`)",
                    )
                })?;
                let to_end_of_article = match end.get_ref().as_str() {
                    "article" => true,
                    "paragraph" => false,
                    other => {
                        return Err(err(
                            end.span(),
                            format!("`end` must be `paragraph` or `article`, not `{other}`"),
                        ))
                    }
                };
                let stop = spec
                    .stop
                    .as_ref()
                    .map(|s| compile_regex(s, case_insensitive, false, false, false, builtin))
                    .transpose()?;
                Ok(Check::Block(Block {
                    start: compile_regex(&start, case_insensitive, false, false, true, builtin)?,
                    stop,
                    include_stop: spec.include_stop.as_ref().is_none_or(|s| *s.get_ref()),
                    to_end_of_article,
                    max_lines: spec.max_lines.map(|s| s.into_inner()),
                }))
            }
            "analyzer" => {
                let name = spec
                    .name
                    .ok_or_else(|| err(table_span.clone(), "an `analyzer` check needs `name`"))?;
                let (table, params_span) = match spec.params {
                    Some(p) => {
                        let span = p.span();
                        (p.into_inner(), span)
                    }
                    None => (toml::Table::new(), name.span()),
                };
                let params = Params {
                    table,
                    read_sibling,
                    verify,
                };
                analyzers::build(name.get_ref(), &params)
                    .map_err(|message| {
                        let span = if message.starts_with("unknown analyzer") {
                            name.span()
                        } else {
                            params_span
                        };
                        err(span, message)
                    })
                    .map(|analyzer| {
                        Check::Analyzer(AnalyzerCheck {
                            analyzer,
                            in_article,
                        })
                    })
            }
            _ => unreachable!("kinds are checked above"),
        }
    }

    /// The names a message template may use with this check.
    pub(crate) fn has_variable(&self, name: &str) -> bool {
        let in_regex = |re: &LazyRegex| {
            re.has_group(name) || name.parse::<usize>().is_ok_and(|i| i < re.group_len())
        };
        match self {
            Check::Pattern(p) => p.regexes.iter().all(in_regex),
            Check::Block(block) => in_regex(&block.start),
            Check::Analyzer(a) => a.variables().contains(&name),
        }
    }

    /// The regexes the prefilter finds candidates for, in the order `run`
    /// numbers them.
    pub(crate) fn filtered_regexes(&self) -> Vec<&LazyRegex> {
        match self {
            Check::Pattern(p) => p.regexes.iter().collect(),
            Check::Block(b) => vec![&b.start],
            Check::Analyzer(a) => a.regexes(),
        }
    }

    /// The regexes this check may run on `doc`: those the prefilter found
    /// a place for, and the context regexes that come with them.
    pub(crate) fn regexes_needed(&self, doc: &Document<'_>) -> Vec<&LazyRegex> {
        let may_run = |re: &LazyRegex| !matches!(doc.regex_starts(re), Starts::At { at: [], .. });
        match self {
            Check::Pattern(p) => {
                let mut needed: Vec<&LazyRegex> =
                    p.regexes.iter().filter(|re| may_run(re)).collect();
                if !needed.is_empty() {
                    needed.extend(p.unless_after.iter().chain(&p.unless_before));
                }
                needed
            }
            Check::Block(b) if may_run(&b.start) => {
                std::iter::once(&b.start).chain(&b.stop).collect()
            }
            Check::Block(_) => Vec::new(),
            Check::Analyzer(a) => {
                let searched = a.regexes().into_iter().filter(|re| may_run(re));
                searched.chain(a.context_regexes()).collect()
            }
        }
    }

    /// Every regex of the check, compiled now (errors show at load).
    pub(crate) fn compile_all(&self) -> Result<(), String> {
        self.all_regexes()
            .into_iter()
            .try_for_each(LazyRegex::compile)
    }

    /// Every regex of the check, needed or not.
    pub(crate) fn all_regexes(&self) -> Vec<&LazyRegex> {
        match self {
            Check::Pattern(p) => p
                .regexes
                .iter()
                .chain(&p.unless_after)
                .chain(&p.unless_before)
                .collect(),
            Check::Block(b) => std::iter::once(&b.start).chain(&b.stop).collect(),
            Check::Analyzer(a) => a.regexes().into_iter().chain(a.context_regexes()).collect(),
        }
    }

    /// See [`crate::analyzers::Analyzer::reads_findings`].
    pub(crate) fn reads_findings(&self) -> bool {
        matches!(self, Check::Analyzer(analyzer) if analyzer.reads_findings())
    }

    /// See [`crate::analyzers::Analyzer::compares_files`].
    pub(crate) fn compares_files(&self) -> bool {
        matches!(self, Check::Analyzer(analyzer) if analyzer.compares_files())
    }

    /// See [`crate::analyzers::Analyzer::files_to_recheck`].
    pub(crate) fn files_to_recheck(
        &self,
        corpus: &crate::corpus::CorpusIndex,
        out: &mut foldhash::HashSet<usize>,
    ) {
        if let Check::Analyzer(analyzer) = self {
            analyzer.files_to_recheck(corpus, out);
        }
    }

    /// The article's sourcing profile and figures, if this check models
    /// attribution.
    pub(crate) fn profile(&self, doc: &Document<'_>) -> Option<crate::report::Profile> {
        match self {
            Check::Analyzer(analyzer) => analyzer.profile(doc),
            _ => None,
        }
    }

    /// First pass over a corpus: what this check wants to compare across
    /// files (only analyzers want anything).
    pub(crate) fn gather(&self, doc: &Document<'_>, out: &mut crate::corpus::ArticleFacts) {
        if let Check::Analyzer(analyzer) = self {
            analyzer.gather(doc, out);
        }
    }

    /// Runs over one article body; spans are relative to the body. With a
    /// corpus index, analyzers also compare the article with the corpus.
    /// Adds at most `room` diagnostics to `out` and returns how many more
    /// it found.
    pub(crate) fn run(
        &self,
        rule: &Rule,
        doc: &Document<'_>,
        corpus: Option<&crate::corpus::CorpusIndex>,
        out: &mut Vec<Diagnostic>,
        room: usize,
    ) -> usize {
        let limit = out.len().saturating_add(room);
        let mut dropped = 0;
        match self {
            Check::Pattern(pattern) => {
                let text = doc.text();
                for re in &pattern.regexes {
                    let starts = doc.regex_starts(re);
                    // Where no match of this rule would be kept (the layout
                    // only when there is somewhere to search).
                    let skip = match starts {
                        Starts::At { at: &[], .. } => &[][..],
                        _ if pattern.outside_prose => doc.layout().prose_spans(),
                        _ if pattern.in_article => doc.layout().off_article_spans(),
                        _ => &[],
                    };
                    re.for_each_match_outside(text, 0..text.len(), starts, skip, |caps| {
                        let span = match (
                            caps.get_group_by_name(SPAN_GROUP),
                            caps.get_group_by_name(LINE_GROUP),
                        ) {
                            (Some(m), _) => Span::new(m.start, m.end),
                            // A whole-line match reports the line's text, never
                            // a line break a `\s` in the pattern took along.
                            (None, Some(m)) => trim_span(doc.text(), Span::new(m.start, m.end)),
                            (None, None) => {
                                let m = caps.get_match().expect("a match");
                                Span::new(m.start(), m.end())
                            }
                        };
                        if span.is_empty()
                            || !pattern.allowed(doc.text(), span)
                            || pattern.outside_prose && doc.layout().is_prose(span)
                            || pattern.in_article && !doc.layout().in_article(span)
                        {
                            return;
                        }
                        if out.len() >= limit {
                            dropped += 1;
                            return;
                        }
                        out.push(diagnostic(rule, span, doc.text(), caps, false));
                    });
                }
            }
            Check::Block(block) => {
                if let Starts::At { at: &[], .. } = doc.regex_starts(&block.start) {
                    return 0; // no line can start a block
                }
                dropped = block.run(rule, doc, out, limit);
            }
            Check::Analyzer(analyzer) => {
                let mut findings = Found::with_room(room);
                if analyzer.reads_findings() {
                    // What the rules before it found is all in `out`.
                    analyzer.check_found(doc, out, &mut findings);
                } else {
                    analyzer.check(doc, &mut findings);
                }
                if let Some(corpus) = corpus {
                    analyzer.check_in_corpus(doc, corpus, &mut findings);
                }
                if analyzer.in_article {
                    findings.retain(|f| doc.layout().in_article(f.span));
                }
                dropped = findings.dropped();
                for f in findings.into_kept() {
                    let message = rule.message.render(|v| {
                        f.vars
                            .iter()
                            .find(|(n, _)| *n == v)
                            .map(|(_, s)| s.as_str())
                    });
                    let fix = rule.fix.as_ref().and_then(|t| match t {
                        FixTemplate::Remove(a) => Some(fix(String::new(), *a)),
                        FixTemplate::Replace(r, a) => Some(fix(r.clone(), *a)),
                        FixTemplate::Proposed(a) => f.replacement.clone().map(|r| fix(r, *a)),
                    });
                    let mut d =
                        new_diagnostic(rule, f.span, message, fix, analyzer.reports_blocks());
                    d.labels = f.labels;
                    out.push(d);
                }
            }
        }
        dropped
    }
}

fn trim_span(text: &str, span: Span) -> Span {
    let s = &text[span.start..span.end];
    let start = span.start + (s.len() - s.trim_start().len());
    let end = span.start + s.trim_end().len();
    Span::new(start, end.max(start))
}

fn fix(replacement: String, applicability: crate::diagnostic::Applicability) -> Fix {
    Fix {
        replacement,
        applicability,
    }
}

/// A diagnostic for a regex match in `text`, its message and fix filled
/// from captures.
fn diagnostic(rule: &Rule, span: Span, text: &str, caps: &Captures, is_block: bool) -> Diagnostic {
    let lookup = |name: &str| {
        match name.parse::<usize>() {
            Ok(i) => caps.get_group(i),
            Err(_) => caps.get_group_by_name(name),
        }
        .map(|m| &text[m.start..m.end])
    };
    let fix = rule.fix.as_ref().and_then(|t| match t {
        FixTemplate::Remove(a) => Some(fix(String::new(), *a)),
        FixTemplate::Replace(template, a) => {
            let mut out = String::new();
            caps.interpolate_string_into(text, template, &mut out);
            Some(fix(out, *a))
        }
        FixTemplate::Proposed(_) => None,
    });
    new_diagnostic(rule, span, rule.message.render(lookup), fix, is_block)
}

fn new_diagnostic(
    rule: &Rule,
    span: Span,
    message: String,
    fix: Option<Fix>,
    is_block: bool,
) -> Diagnostic {
    Diagnostic {
        rule: rule.id.clone(),
        category: rule.category,
        severity: rule.severity,
        span,
        message,
        labels: Vec::new(),
        fix,
        help: rule.help.clone(),
        is_block,
    }
}

impl Block {
    /// Finds each region that starts at a line matching `start` and runs to
    /// a `stop` line, the end of its paragraph or of the article, or
    /// `max_lines`, whichever comes first. Trailing blank lines are not part
    /// of it.
    /// Adds blocks to `out` while it holds fewer than `limit`; returns how
    /// many more there were.
    fn run(
        &self,
        rule: &Rule,
        doc: &Document<'_>,
        out: &mut Vec<Diagnostic>,
        limit: usize,
    ) -> usize {
        let mut dropped = 0;
        let lines = doc.lines();
        // The start is tried on every line, as the warm-up compiled it.
        let start = self
            .start
            .for_search(doc.text(), doc.regex_starts(&self.start));
        let stop = self.stop.as_ref().map(LazyRegex::get);
        let mut caps = start.create_captures();
        let mut i = 0;
        while i < lines.len() {
            start.captures(lines[i].text, &mut caps);
            if !caps.is_match() {
                i += 1;
                continue;
            }
            let mut last = i; // last line inside the block
            let mut j = i + 1;
            while j < lines.len() {
                if self.max_lines.is_some_and(|max| j - i >= max) {
                    break;
                }
                let line = &lines[j];
                if !self.to_end_of_article && line.is_blank() {
                    break;
                }
                if stop.is_some_and(|s| s.is_match(line.text)) {
                    if self.include_stop {
                        last = j;
                    }
                    break;
                }
                if !line.is_blank() {
                    last = j;
                }
                j += 1;
            }
            let start = lines[i].trimmed_span().start;
            let end = lines[last].trimmed_span().end;
            let span = Span::new(start, end.max(start));
            if out.len() < limit {
                out.push(diagnostic(rule, span, lines[i].text, &caps, true));
            } else {
                dropped += 1;
            }
            i = last + 1;
        }
        dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::meta::Regex;

    fn regex(pattern: &str) -> Regex {
        Regex::builder()
            .syntax(
                regex_automata::util::syntax::Config::new()
                    .multi_line(true)
                    .crlf(true),
            )
            .build(pattern)
            .unwrap()
    }

    fn spanned(pattern: &str) -> toml::Spanned<String> {
        #[derive(serde::Deserialize)]
        struct P {
            p: toml::Spanned<String>,
        }
        let doc = format!("p = {}", toml::Value::String(pattern.into()));
        toml::from_str::<P>(&doc).unwrap().p
    }

    /// A pattern that would close the wrapper's group (`a)(b` inside
    /// `\b(?:…)\b`) is refused though the wrapped text parses; an error
    /// points inside the user's own pattern, not the wrapper.
    #[test]
    fn a_pattern_is_judged_on_its_own_not_inside_its_wrapper() {
        // A built-in rule's pattern skips the check only when its whole
        // regex is in the prebuilt table, which these are not.
        for (pattern, word_boundary, whole_line, builtin) in [
            ("a)(b", true, false, false),
            ("a)(b", false, true, false),
            ("x)|(y", true, true, false),
            ("a)(b", true, false, true),
        ] {
            let e = compile_regex(
                &spanned(pattern),
                false,
                word_boundary,
                whole_line,
                true,
                builtin,
            )
            .expect_err(pattern);
            assert!(
                e.message.contains("does not compile"),
                "{pattern}: {}",
                e.message
            );
            assert!(e.inside.is_some(), "{pattern}: {e:?}");
        }
        let e = compile_regex(
            &spanned(r"ok \p{NoSuchClass}"),
            true,
            true,
            false,
            true,
            false,
        )
        .expect_err("unknown class");
        assert_eq!(e.inside, Some(3..18), "{e:?}");
        assert!(compile_regex(&spanned("(?i)a(b)c"), false, true, true, true, false).is_ok());
    }

    #[test]
    fn context_is_the_line_when_the_line_is_short() {
        let text = "First line.\nAttorney General Smith said.\n";
        let at = text.find("General").unwrap();
        let before = context_before(text, at);
        assert_eq!(&before.haystack()[before.get_span()], b"Attorney ");
        assert!(regex(r"^Attorney $").is_match(before));
        let after = context_after(text, at + "General".len());
        assert_eq!(&after.haystack()[after.get_span()], b" Smith said.");
        assert!(regex(r"^ Smith said\.$").is_match(after));
    }

    #[test]
    fn a_cut_window_is_not_taken_for_a_line_start_or_end() {
        // One long line: the match sits far from both of its ends.
        let pad = "é".repeat(CONTEXT_WINDOW); // two bytes a letter: cuts fall mid-character
        let text = format!("{pad}Attorney General{pad}");
        let at = text.find("General").unwrap();
        let before = context_before(&text, at);
        assert!(before.get_span().len() <= CONTEXT_WINDOW);
        assert!(regex(r"Attorney $").is_match(before.clone()));
        assert!(!regex(r"^").is_match(before.clone()), "`^` at the cut");
        assert!(!regex(r"\bé").is_match(before), "`\\b` at the cut");
        let after = context_after(&text, at + "General".len());
        assert!(after.get_span().len() <= CONTEXT_WINDOW);
        assert!(!regex(r"é$").is_match(after.clone()), "`$` at the cut");
        assert!(regex(r"^é").is_match(after));
    }

    #[test]
    fn a_window_cut_right_at_a_line_break_keeps_the_anchor() {
        let line = "x".repeat(CONTEXT_WINDOW);
        let text = format!("head\n{line}MATCH{line}\ntail");
        let at = text.find("MATCH").unwrap();
        assert!(regex(r"^x+$").is_match(context_before(&text, at)));
        assert!(regex(r"^x+$").is_match(context_after(&text, at + 5)));
    }
}
