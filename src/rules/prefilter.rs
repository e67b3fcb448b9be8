//! Where a pattern can match, found for every rule at once.
//!
//! Most rule patterns can only match where one of a few literals starts
//! ("subscribe", "read more", "source link"). Scanning an article once with
//! one Aho-Corasick automaton over all those literals tells each pattern
//! where to try; a pattern then runs anchored at those places only, and a
//! pattern with no candidate in an article costs nothing, not even its
//! compilation (see [`LazyRegex`]). Patterns without such literals run over
//! the whole article as before.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{LazyLock, OnceLock};

use aho_corasick::automaton::Automaton;
use aho_corasick::{dfa, nfa, MatchKind};
use regex_automata::meta;
use regex_automata::util::captures::Captures;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input};
use regex_syntax::ast::{self, Ast};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};

/// More literals than this make a prefilter slower than the regex.
const MAX_LITERALS: usize = 400;

/// A set of literals one of which every match of a regex holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Literals {
    pub(crate) bytes: Vec<Vec<u8>>,
    pub(crate) at: Place,
    /// The regex starts with `^` (and maybe blanks): a literal start means
    /// "try from the start of this line".
    pub(crate) line_anchored: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// Every match starts with one of the literals.
    Start,
    /// The regex cannot match a line break, and every match ends with one
    /// of the literals: a line holding one is worth searching.
    Line,
    /// Every match holds one of the literals somewhere: a text holding one
    /// is searched whole. For regexes whose starts are common words ("on
    /// the territory of" starts with "on"): trying each "on" costs more
    /// than one search of the few articles that hold "territory".
    Anywhere,
}

/// Letters and digits a literal needs before it is rare enough to stand
/// for its regex ("the " and ", " are everywhere, "believed" is not).
const STRONG_LITERAL: usize = 4;

/// How rare a literal is in prose: its letters and digits, and a blank
/// before closing punctuation (" ,", "\t.") counts as a strong literal on
/// its own, since edited text never sets one.
fn rarity(literal: &[u8]) -> usize {
    let alphanumeric = literal.iter().filter(|b| b.is_ascii_alphanumeric()).count();
    let blank_before_mark = literal
        .windows(2)
        .filter(|w| matches!(w[0], b' ' | b'\t') && b",;:.!?)".contains(&w[1]))
        .count();
    alphanumeric + STRONG_LITERAL * blank_before_mark
}

/// A literal prose is full of: a lone blank, comma or period (`[ \t]+$`
/// starts with " " or "\t"). Trying a regex at each costs more than one
/// search of the whole article, and scanning for it would report a hit
/// every few bytes of every article, for every rule.
fn is_everywhere(literal: &[u8]) -> bool {
    matches!(literal, [b' ' | b'\t' | b',' | b'.'])
}

/// The rarity score of a literal set: its weakest literal's [`rarity`],
/// then the fewer literals the better.
fn strength(set: &[Vec<u8>]) -> (usize, std::cmp::Reverse<usize>) {
    let weakest = set.iter().map(|l| rarity(l)).min().unwrap_or(0);
    (weakest, std::cmp::Reverse(set.len()))
}

/// Gives every [`LazyRegex`] its own id, by which a [`Prefilter`] knows it.
static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

/// A regex parsed (and so validated) at load and compiled the first time an
/// article needs it: one article rarely needs more than a few of them.
#[derive(Debug)]
pub struct LazyRegex {
    id: usize,
    source: String,
    case_insensitive: bool,
    /// Literals were looked for (the prefilter may tell where to search).
    /// Kept for the test that writes the built-in regexes' table.
    #[cfg(test)]
    prefilter: bool,
    /// What parsing told (or the prebuilt table had).
    analysis: Analysis,
    compiled: OnceLock<meta::Regex>,
    /// A build without the lazy DFA or the regex's own prefilter (a third
    /// of the compile time) for the first small articles that need a regex
    /// tried only at its literals or on the lines that hold them: a run
    /// over one file never pays for the DFA, a run over many soon does.
    quick: OnceLock<meta::Regex>,
    uses: AtomicUsize,
}

/// Articles a regex tried at its literals serves before it gets its lazy
/// DFA.
const QUICK_USES: usize = 16;

/// Articles at the start of a run whose regexes searched line by line get
/// the quick build: a run over one file (an editor's) never pays for the
/// lazy DFA, while a run over a corpus builds those regexes twice at most.
pub(crate) const EARLY_ARTICLES: usize = 2;

/// Articles at the start of a run that look for regexes not yet compiled
/// to compile them on every core at once. By then a corpus run has
/// compiled the regexes most articles need; a later article that needs a
/// new one compiles it where it is used, and the other articles do not pay
/// for asking every rule which regexes they need.
pub(crate) const WARMING_ARTICLES: usize = 32;

/// The longest text the quick build searches line by line: past it, an
/// unanchored search through the lines of a huge article wants the DFA.
const QUICK_TEXT: usize = 256 * 1024;

fn syntax_config(case_insensitive: bool) -> syntax::Config {
    syntax::Config::new()
        .case_insensitive(case_insensitive)
        .multi_line(true)
        .crlf(true)
}

/// What parsing a regex tells before it is compiled: its group names,
/// whether a match can cross a line, and where it can match.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Analysis {
    /// Capture group names, by index (group 0 is the whole match).
    pub(crate) names: Vec<Option<String>>,
    /// Literals that tell where a match can be, when there is a small set.
    pub(crate) literals: Option<Literals>,
    /// No match holds a line break.
    pub(crate) line_local: bool,
    /// Matches are case-sensitive throughout (no `(?i)` anywhere), so the
    /// literals are exact.
    pub(crate) exact_case: bool,
}

impl Analysis {
    /// Parses `source` (and so validates it); with `prefilter`, finds the
    /// literals that tell where it can match (see [`Prefilter`]).
    pub(crate) fn of(
        source: &str,
        prefilter: bool,
        case_insensitive: bool,
    ) -> Result<Analysis, String> {
        // Case folding matters neither for group names, nor for whether a
        // line break can match, nor (see below) for the literals, and it is
        // the slow part of parsing: parse without it, inline `(?i)` too.
        // Folded, "(?i)pct" has eight literals and a longer phrase so many
        // that the extractor cuts them to their first letter.
        let mut ast = regex_syntax::ast::parse::Parser::new()
            .parse(source)
            .map_err(|e| e.to_string())?;
        let folds_inline = drop_case_insensitivity(&mut ast);
        let hir = regex_syntax::hir::translate::TranslatorBuilder::new()
            .multi_line(true)
            .crlf(true)
            .build()
            .translate(source, &ast)
            .map_err(|e| e.to_string())?;
        let fold_case = case_insensitive || folds_inline;
        let mut names = vec![None];
        capture_names(&hir, &mut names);
        let line_local = !can_match_newline(&hir);
        // Case-sensitive literals; the automaton folds ASCII case, so it finds
        // every place a case-insensitive pattern can match too.
        let literals = prefilter
            .then(|| literals_of(&hir, fold_case, line_local))
            .flatten();
        Ok(Analysis {
            names,
            literals,
            line_local,
            exact_case: !fold_case,
        })
    }
}

/// The literals one of which every match of `hir` holds, and where, if
/// some small set of them is a filter worth having.
fn literals_of(hir: &Hir, fold_case: bool, line_local: bool) -> Option<Literals> {
    let (line_anchored, body) = strip_line_ends(hir);
    let starts = required_literals(&body, Place::Start, fold_case);
    let weak = starts
        .as_ref()
        .is_some_and(|set| strength(set).0 < STRONG_LITERAL);
    let anywhere = weak
        .then(|| contained_literals(&body, fold_case))
        .flatten()
        .filter(|set| strength(set).0 >= STRONG_LITERAL);
    if let Some(bytes) = anywhere {
        return Some(Literals {
            bytes,
            at: Place::Anywhere,
            line_anchored,
        });
    }
    // A set holding a literal found every few bytes is no filter;
    // a later kind of literal may still be one.
    let usable = |set: &Vec<Vec<u8>>| !set.iter().any(|l| is_everywhere(l));
    starts
        .filter(usable)
        .map(|bytes| Literals {
            bytes,
            at: Place::Start,
            line_anchored,
        })
        .or_else(|| {
            let bytes = required_literals(&body, Place::Line, fold_case)
                .filter(usable)
                .or_else(|| inner_literals(&body, fold_case).filter(usable))?;
            line_local.then_some(Literals {
                bytes,
                at: Place::Line,
                line_anchored,
            })
        })
}

impl LazyRegex {
    /// Parses `source`; with `prefilter`, finds the literals that tell
    /// where it can match (see [`Prefilter`]). A built-in rule's regex
    /// takes what parsing would tell from the table made when the rules
    /// were last changed ([`super::prebuilt`]): parsing them all was a
    /// quarter of a one-file run.
    pub(crate) fn new(
        source: String,
        prefilter: bool,
        case_insensitive: bool,
    ) -> Result<LazyRegex, String> {
        let analysis = match super::prebuilt::lookup(&source, prefilter, case_insensitive) {
            Some(analysis) => analysis,
            None => Analysis::of(&source, prefilter, case_insensitive)?,
        };
        Ok(LazyRegex {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            source,
            case_insensitive,
            #[cfg(test)]
            prefilter,
            analysis,
            compiled: OnceLock::new(),
            quick: OnceLock::new(),
            uses: AtomicUsize::new(0),
        })
    }

    /// What parsing this regex told; the same as [`Analysis::of`] its source.
    #[cfg(test)]
    pub(crate) fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    /// The arguments [`Self::new`] was given, but the source.
    #[cfg(test)]
    pub(crate) fn flags(&self) -> (bool, bool) {
        (self.prefilter, self.case_insensitive)
    }

    #[cfg(test)]
    pub(crate) fn source(&self) -> &str {
        &self.source
    }

    /// Compiles now, so that a rule file's errors show at load.
    pub(crate) fn compile(&self) -> Result<(), String> {
        if self.compiled.get().is_some() {
            return Ok(());
        }
        let re = self.build(true)?;
        let _ = self.compiled.set(re);
        Ok(())
    }

    fn build(&self, lazy_dfa: bool) -> Result<meta::Regex, String> {
        meta::Regex::builder()
            .syntax(syntax_config(self.case_insensitive))
            // Each thread keeps a lazy DFA cache per regex, which grows
            // only as far as the regex needs, up to the default 2 MiB. Most
            // need a few KiB; a smaller cap made a regex with many states
            // (`^.{400,}$`: one per count, per UTF-8 step) thrash its cache,
            // give up on the DFA and crawl through the PikeVM.
            .configure(
                meta::Config::new()
                    .onepass(false)
                    .dfa(false)
                    // Where our own literal scan decides where to search,
                    // the regex's own literal prefilter is never used.
                    // A quick build searches short spans, where building
                    // one costs more than it saves.
                    .auto_prefilter(
                        lazy_dfa
                            && self
                                .analysis.literals
                                .as_ref()
                                .is_none_or(|l| l.at == Place::Anywhere),
                    )
                    .hybrid(lazy_dfa)
                    // Without the lazy DFA to narrow a capture search to
                    // the match, the backtracker marks states over the
                    // whole span searched, in a bitset of up to 256 KiB per
                    // regex and thread that stays with the quick build for
                    // the run (2.4 MiB of the peak); the PikeVM's memory
                    // goes by states only.
                    .backtrack(lazy_dfa),
            )
            .build(&self.source)
            .map_err(|e| match e.size_limit() {
                Some(limit) => format!(
                    "pattern `{}` is too large: compiled, it would take more than the {} KiB a regex may use (shrink its bounded repeats such as `{{1000}}`, or split it)",
                    self.source,
                    limit / 1024
                ),
                None => e.to_string(),
            })
    }

    /// The compiled regex, for searches anywhere in an article.
    pub(crate) fn get(&self) -> &meta::Regex {
        let tried_at_starts = self
            .analysis
            .literals
            .as_ref()
            .is_some_and(|l| l.at == Place::Start);
        self.get_for(tried_at_starts)
    }

    /// Compiles the regex as a search of `text` at `starts` will need it,
    /// if it is not.
    pub(crate) fn warm(&self, text: &str, starts: Starts<'_>) {
        self.for_search(text, starts);
    }

    /// The compiled regex, for searches of `text` kept to the places
    /// `starts` gives or to their lines.
    pub(crate) fn for_search(&self, text: &str, starts: Starts<'_>) -> &meta::Regex {
        match starts {
            Starts::At { early, .. } => self.get_guided(text, early),
            Starts::Anywhere => self.get(),
        }
    }

    /// The compiled regex, for searches of `text` that [`Self::for_each_match`]
    /// keeps to the literals' starts or to the lines that hold them.
    fn get_guided(&self, text: &str, early: bool) -> &meta::Regex {
        let quick_will_do = self.analysis.literals.as_ref().is_some_and(|l| {
            l.at == Place::Start || early && self.analysis.line_local && text.len() <= QUICK_TEXT
        });
        self.get_for(quick_will_do)
    }

    /// The full build, or the quick one for its first [`QUICK_USES`] uses.
    fn get_for(&self, quick_will_do: bool) -> &meta::Regex {
        if let Some(full) = self.compiled.get() {
            return full;
        }
        if quick_will_do && self.uses.fetch_add(1, Ordering::Relaxed) < QUICK_USES {
            return self.quick.get_or_init(|| self.build_or_panic(false));
        }
        self.compiled.get_or_init(|| self.build_or_panic(true))
    }

    fn build_or_panic(&self, lazy_dfa: bool) -> meta::Regex {
        // The source parsed at load; only the size limits (far above any
        // rule's needs) could still fail.
        self.build(lazy_dfa)
            .unwrap_or_else(|e| panic!("pattern `{}` does not compile: {e}", self.source))
    }

    pub(crate) fn is_compiled(&self) -> bool {
        self.compiled.get().is_some() || self.quick.get().is_some()
    }

    pub(crate) fn group_len(&self) -> usize {
        self.analysis.names.len()
    }

    pub(crate) fn has_group(&self, name: &str) -> bool {
        self.analysis.names.iter().flatten().any(|n| n == name)
    }

    /// The literals the prefilter looks for, if this regex has them.
    pub(crate) fn literals(&self) -> Option<&[Vec<u8>]> {
        self.analysis.literals.as_ref().map(|l| l.bytes.as_slice())
    }

    /// Calls `found` with each match in `text[range]`, as `captures_iter`
    /// over that slice finds them (spans relative to the slice), trying only
    /// where `starts` (offsets in `text`) says.
    pub(crate) fn for_each_match(
        &self,
        text: &str,
        range: Range<usize>,
        starts: Starts<'_>,
        found: impl FnMut(&Captures),
    ) {
        self.for_each_match_outside(text, range, starts, &[], found);
    }

    /// [`Self::for_each_match`], leaving out lines where no finding would
    /// be kept: when the regex cannot match a line break, a line lying
    /// wholly inside one of `skip` (sorted, disjoint spans of `text`) is
    /// not tried, as each match on it would start inside that span. Every
    /// other match is found as before (no match crosses a line, so one
    /// left out hides none).
    pub(crate) fn for_each_match_outside(
        &self,
        text: &str,
        range: Range<usize>,
        starts: Starts<'_>,
        skip: &[crate::diagnostic::Span],
        mut found: impl FnMut(&Captures),
    ) {
        let mut skip = SkipLines::new(
            if self.analysis.line_local { skip } else { &[] },
            range.clone(),
        );
        let line_anchored = self
            .analysis
            .literals
            .as_ref()
            .is_some_and(|l| l.line_anchored);
        let base = range.start;
        let hay = &text[range.clone()];
        let search_all = matches!(starts, Starts::Anywhere)
            || self
                .analysis
                .literals
                .as_ref()
                .is_some_and(|l| l.at == Place::Anywhere);
        let (at, early) = match starts {
            Starts::Anywhere => (&[][..], false),
            Starts::At { at, early } => {
                let lo = at.partition_point(|&p| p < range.start);
                let hi = at.partition_point(|&p| p < range.end);
                (&at[lo..hi], early)
            }
        };
        // A match in the range holds a literal that starts in it.
        if matches!(starts, Starts::Anywhere)
            || search_all && !at.is_empty() && !self.analysis.line_local
        {
            if skip.is_empty() {
                for caps in self.get().captures_iter(hay) {
                    found(&caps);
                }
                return;
            }
            let re = self.get();
            let mut spare = SpareSearch::take(self.id, re);
            let Search { caps, cache } = &mut *spare;
            for part in skip.parts_left(hay) {
                each_match_in(re, cache, caps, hay, part, &mut found);
            }
            return;
        }
        if at.is_empty() {
            return;
        }
        let re = self.get_guided(text, early);
        let mut spare = SpareSearch::take(self.id, re);
        let Search { caps, cache } = &mut *spare;
        if search_all
            || self
                .analysis
                .literals
                .as_ref()
                .is_some_and(|l| l.at == Place::Line)
        {
            // No match crosses a line, and each holds a literal: search
            // only the lines that hold one, not the whole article.
            let mut done_to = 0;
            for &candidate in at {
                let candidate = candidate - base;
                if candidate < done_to {
                    continue;
                }
                let line = line_start(hay, candidate);
                let end = memchr_newline(hay, candidate);
                if skip.holds_line_of(hay, candidate) {
                    done_to = end + 1;
                    continue;
                }
                each_match_in(re, cache, caps, hay, line..end, &mut found);
                done_to = end + 1;
            }
            return;
        }
        let mut next = 0; // matches do not overlap
        let mut last_tried = usize::MAX;
        let mut line_tried_to = 0; // line-anchored: the end of the line tried last
                                   // The end of the line the last candidate was on: candidates come in
                                   // order, so a line is scanned for its end once, not once for each
                                   // candidate on it (which made a long line quadratic).
        let mut line_end: Option<usize> = None;
        for &candidate in at {
            let candidate = candidate - base;
            if skip.holds_line_of(hay, candidate) {
                continue;
            }
            let from = if line_anchored {
                if candidate < line_tried_to {
                    continue; // that line was tried from its start already
                }
                // A line ends at `\n` or, for `^` in CRLF mode, at `\r`.
                line_tried_to = memchr::memchr2(b'\n', b'\r', &hay.as_bytes()[candidate..])
                    .map_or(hay.len(), |i| candidate + i)
                    + 1;
                line_start(hay, candidate)
            } else {
                candidate
            };
            if from < next || from == last_tried {
                continue;
            }
            last_tried = from;
            // A short span lets the regex use its backtracker.
            let end = if self.analysis.line_local {
                match line_end {
                    Some(end) if from <= end => end,
                    _ => *line_end.insert(memchr_newline(hay, from)),
                }
            } else {
                hay.len()
            };
            re.search_captures_with(
                cache,
                &Input::new(hay).range(from..end).anchored(Anchored::Yes),
                caps,
            );
            if let Some(m) = caps.get_match() {
                next = m.end().max(from + 1);
                found(caps);
            }
        }
    }
}

/// Takes every `i` flag out of `ast` (`(?i)`, `(?i:...)`, `(?-i)`) and
/// says whether one turned case-insensitivity on (or, erring safe, off:
/// the literals are then folded, which finds a superset of the places).
fn drop_case_insensitivity(ast: &mut Ast) -> bool {
    fn strip(flags: &mut ast::Flags) -> bool {
        let before = flags.items.len();
        flags
            .items
            .retain(|item| item.kind != ast::FlagsItemKind::Flag(ast::Flag::CaseInsensitive));
        flags.items.len() != before
    }
    match ast {
        Ast::Flags(set) => strip(&mut set.flags),
        Ast::Group(group) => {
            let here = match &mut group.kind {
                ast::GroupKind::NonCapturing(flags) => strip(flags),
                _ => false,
            };
            drop_case_insensitivity(&mut group.ast) | here
        }
        Ast::Repetition(rep) => drop_case_insensitivity(&mut rep.ast),
        Ast::Alternation(alt) => alt
            .asts
            .iter_mut()
            .fold(false, |any, a| drop_case_insensitivity(a) | any),
        Ast::Concat(cat) => cat
            .asts
            .iter_mut()
            .fold(false, |any, a| drop_case_insensitivity(a) | any),
        Ast::Empty(_)
        | Ast::Literal(_)
        | Ast::Dot(_)
        | Ast::Assertion(_)
        | Ast::ClassUnicode(_)
        | Ast::ClassPerl(_)
        | Ast::ClassBracketed(_) => false,
    }
}

/// Where the line holding `offset` starts (after `\n`, or a lone `\r`, as
/// `^` in CRLF mode sees it).
fn line_start(text: &str, offset: usize) -> usize {
    memchr::memrchr2(b'\n', b'\r', &text.as_bytes()[..offset]).map_or(0, |i| i + 1)
}

/// Calls `found` with each match of `re` in `span` of `hay`, one after
/// another as `captures_iter` finds them (the text around the span is
/// seen by `^`, `$` and `\b`).
fn each_match_in(
    re: &meta::Regex,
    cache: &mut meta::Cache,
    caps: &mut Captures,
    hay: &str,
    span: Range<usize>,
    found: &mut impl FnMut(&Captures),
) {
    let mut from = span.start;
    while from <= span.end {
        re.search_captures_with(cache, &Input::new(hay).range(from..span.end), caps);
        let Some(m) = caps.get_match() else { break };
        from = m.end().max(m.start() + 1);
        found(caps);
    }
}

/// Spans (offsets in the haystack searched) whose whole lines a search
/// leaves out; lines here end at `\n`, which a line-local match never
/// holds. Asked about offsets in increasing order.
struct SkipLines<'s> {
    spans: &'s [crate::diagnostic::Span],
    /// Where the haystack starts in the text the spans are offsets of.
    base: usize,
    /// The first span not wholly before the last offset asked about.
    next: usize,
}

impl<'s> SkipLines<'s> {
    /// The spans of `skip` that meet `range` of the text.
    fn new(skip: &'s [crate::diagnostic::Span], range: Range<usize>) -> SkipLines<'s> {
        let lo = skip.partition_point(|s| s.end <= range.start);
        let hi = skip.partition_point(|s| s.start < range.end);
        SkipLines {
            spans: &skip[lo..hi.max(lo)],
            base: range.start,
            next: 0,
        }
    }

    fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// A span, in haystack offsets, cut to the haystack.
    fn span(&self, i: usize, hay: &str) -> Range<usize> {
        let s = self.spans[i];
        let cut = |at: usize| at.saturating_sub(self.base).min(hay.len());
        cut(s.start)..cut(s.end)
    }

    /// Does the line holding `at` lie wholly inside a span?
    fn holds_line_of(&mut self, hay: &str, at: usize) -> bool {
        while self.next < self.spans.len() && self.span(self.next, hay).end <= at {
            self.next += 1;
        }
        if self.next == self.spans.len() {
            return false;
        }
        let span = self.span(self.next, hay);
        if span.start > at {
            return false;
        }
        let bytes = hay.as_bytes();
        let line = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        span.start <= line && memchr_newline(hay, at) <= span.end
    }

    /// The haystack without the lines lying wholly inside a span: runs of
    /// whole lines, in order.
    fn parts_left(&self, hay: &str) -> Vec<Range<usize>> {
        let bytes = hay.as_bytes();
        let mut parts = Vec::new();
        let mut from = 0;
        for i in 0..self.spans.len() {
            let span = self.span(i, hay);
            // The first line starting in the span, and the `\n` (or end)
            // of the last line ending in it.
            let first = if span.start == 0 || bytes[span.start - 1] == b'\n' {
                span.start
            } else {
                memchr_newline(hay, span.start) + 1
            };
            let last_end = if span.end == hay.len() || bytes[span.end] == b'\n' {
                span.end
            } else {
                memchr::memrchr(b'\n', &bytes[..span.end]).unwrap_or(0)
            };
            if first >= last_end || first < from {
                continue;
            }
            parts.push(from..first);
            from = last_end;
        }
        parts.push(from..hay.len());
        parts.retain(|p| !p.is_empty());
        parts
    }
}

/// Where the line holding `offset` ends (its `\n`, or the end of text).
fn memchr_newline(text: &str, offset: usize) -> usize {
    memchr::memchr(b'\n', &text.as_bytes()[offset..]).map_or(text.len(), |i| offset + i)
}

/// Literals some part of every match starts with: the best prefix set of
/// any piece a match cannot skip (a line holding a match holds one of
/// them). "Best" is the longest shortest literal, then the fewest.
fn inner_literals(hir: &Hir, fold_case: bool) -> Option<Vec<Vec<u8>>> {
    let pieces: Vec<&Hir> = match hir.kind() {
        HirKind::Capture(cap) => return inner_literals(&cap.sub, fold_case),
        HirKind::Repetition(rep) if rep.min >= 1 => return inner_literals(&rep.sub, fold_case),
        HirKind::Concat(subs) => subs.iter().collect(),
        _ => return None,
    };
    let score = |set: &Vec<Vec<u8>>| {
        let shortest = set.iter().map(Vec::len).min().unwrap_or(0);
        (shortest, std::cmp::Reverse(set.len()))
    };
    pieces
        .into_iter()
        .flat_map(|piece| {
            [
                required_literals(piece, Place::Start, fold_case),
                inner_literals(piece, fold_case),
            ]
        })
        .flatten()
        .max_by_key(score)
}

/// Literals one of which every match of `hir` holds somewhere (in any
/// order with the rest), the rarest such set: for an alternation, each
/// branch's set together; for a sequence, its rarest piece's.
fn contained_literals(hir: &Hir, fold_case: bool) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Capture(cap) => contained_literals(&cap.sub, fold_case),
        HirKind::Repetition(rep) if rep.min >= 1 => contained_literals(&rep.sub, fold_case),
        HirKind::Alternation(branches) => {
            let mut all = Vec::new();
            for branch in branches {
                all.extend(contained_literals(branch, fold_case)?);
            }
            all.sort();
            all.dedup();
            (all.len() <= MAX_LITERALS).then_some(all)
        }
        HirKind::Concat(pieces) => {
            let junctions = pieces
                .windows(2)
                .filter_map(|pair| junction_literals(&pair[0], &pair[1], fold_case));
            pieces
                .iter()
                .filter_map(|piece| contained_literals(piece, fold_case))
                .chain(junctions)
                .max_by_key(|set| strength(set))
        }
        HirKind::Literal(_) => required_literals(hir, Place::Start, fold_case),
        _ => None,
    }
}

/// Where `a` meets `b` in a sequence: every match holds one of the endings
/// of `a` right before one of the starts of `b`. A blank run then a comma
/// (`[ \t]+,`) holds " ," or "\t,", rarer than either side alone.
///
/// Only a run of a character class (`[ \t]+`), which has no literal of its
/// own, is joined: the rules load on every run, so extraction is kept to
/// the pairs where it can help.
fn junction_literals(a: &Hir, b: &Hir, fold_case: bool) -> Option<Vec<Vec<u8>>> {
    let class_run = matches!(a.kind(), HirKind::Repetition(r)
        if r.min >= 1 && matches!(r.sub.kind(), HirKind::Class(_)));
    let literal_start = matches!(b.kind(), HirKind::Class(_) | HirKind::Literal(_));
    if !class_run || !literal_start {
        return None;
    }
    let ends = Extractor::new().kind(ExtractKind::Suffix).extract(a);
    let starts = Extractor::new().kind(ExtractKind::Prefix).extract(b);
    let (ends, starts) = (ends.literals()?, starts.literals()?);
    if ends.is_empty() || starts.is_empty() || ends.len() * starts.len() > MAX_LITERALS {
        return None;
    }
    let mut out = Vec::with_capacity(ends.len() * starts.len());
    for end in ends {
        for start in starts {
            let joined = [end.as_bytes(), start.as_bytes()].concat();
            // An empty side joins nothing; the automaton folds ASCII case
            // only, so a folded literal must be ASCII to be found.
            if end.is_empty() || start.is_empty() || fold_case && !folds_as_ascii(&joined) {
                return None;
            }
            out.push(if fold_case {
                joined.to_ascii_lowercase()
            } else {
                joined
            });
        }
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// `hir` without a leading `^` and the blanks after it, and without
/// trailing blanks and `$`: the part whose literals say where it matches.
/// Also whether it started with `^`.
fn strip_line_ends(hir: &Hir) -> (bool, Hir) {
    use regex_syntax::hir::Look;
    let HirKind::Concat(subs) = hir.kind() else {
        return (false, hir.clone());
    };
    let is_look =
        |h: &Hir, looks: &[Look]| matches!(h.kind(), HirKind::Look(l) if looks.contains(l));
    let is_blanks = |h: &Hir| {
        matches!(h.kind(), HirKind::Repetition(r)
            if r.min == 0 && matches!(r.sub.kind(), HirKind::Class(_)) && !can_match_newline(&r.sub))
    };
    let (mut i, mut j) = (0, subs.len());
    let anchored = is_look(&subs[0], &[Look::Start, Look::StartLF, Look::StartCRLF]);
    if anchored {
        i = 1;
        if i < j && is_blanks(&subs[i]) {
            i += 1;
        }
    }
    if j > i && is_look(&subs[j - 1], &[Look::End, Look::EndLF, Look::EndCRLF]) {
        j -= 1;
        while j > i
            && (is_blanks(&subs[j - 1])
                || matches!(subs[j - 1].kind(), HirKind::Repetition(r) if r.min == 0))
        {
            j -= 1;
        }
    }
    (anchored, Hir::concat(subs[i..j].to_vec()))
}

/// Can a match of `hir` hold a line break?
fn can_match_newline(hir: &Hir) -> bool {
    use regex_syntax::hir::Class;
    match hir.kind() {
        HirKind::Literal(lit) => lit.0.contains(&b'\n'),
        HirKind::Class(Class::Unicode(c)) => c
            .ranges()
            .iter()
            .any(|r| r.start() <= '\n' && '\n' <= r.end()),
        HirKind::Class(Class::Bytes(c)) => c
            .ranges()
            .iter()
            .any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
        HirKind::Capture(cap) => can_match_newline(&cap.sub),
        HirKind::Repetition(rep) => can_match_newline(&rep.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().any(can_match_newline),
        HirKind::Empty | HirKind::Look(_) => false,
    }
}

fn capture_names(hir: &Hir, names: &mut Vec<Option<String>>) {
    match hir.kind() {
        HirKind::Capture(cap) => {
            let index = cap.index as usize;
            if names.len() <= index {
                names.resize(index + 1, None);
            }
            names[index] = cap.name.as_deref().map(str::to_string);
            capture_names(&cap.sub, names);
        }
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().for_each(|s| capture_names(s, names))
        }
        HirKind::Repetition(rep) => capture_names(&rep.sub, names),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => {}
    }
}

/// The literals that every match of `hir` starts with (`Place::Start`) or
/// ends with (`Place::Line`), if there are a few and none is empty. With
/// `fold_case` the automaton folds ASCII case only, so each literal is cut
/// to its ASCII part: the start up to the first other byte, or (a line
/// only needs to hold it) the longest ASCII run.
fn required_literals(hir: &Hir, place: Place, fold_case: bool) -> Option<Vec<Vec<u8>>> {
    let kind = match place {
        Place::Start | Place::Anywhere => ExtractKind::Prefix,
        Place::Line => ExtractKind::Suffix,
    };
    let seq = Extractor::new().kind(kind).extract(hir);
    let literals = seq.literals()?;
    if literals.is_empty() || literals.len() > MAX_LITERALS {
        return None;
    }
    let mut out: Vec<Vec<u8>> = Vec::with_capacity(literals.len());
    for lit in literals {
        let mut bytes = lit.as_bytes();
        if fold_case && !folds_as_ascii(bytes) {
            bytes = match place {
                Place::Start | Place::Anywhere => {
                    &bytes[..bytes.iter().position(|b| !b.is_ascii()).unwrap_or(0)]
                }
                Place::Line => bytes
                    .split(|b| !b.is_ascii())
                    .max_by_key(|run| run.len())
                    .unwrap_or_default(),
            };
        }
        if bytes.is_empty() {
            return None;
        }
        // Case-sensitive literals keep their case: the scan folds ASCII
        // case, then checks the case of these (see `Prefilter::scan`).
        out.push(if fold_case {
            bytes.to_ascii_lowercase()
        } else {
            bytes.to_vec()
        });
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// Does folding ASCII case find every case form of `literal`? Yes when its
/// other characters have no case (`©`, `€`, `→`): the automaton compares
/// those bytes as they are, and no other form of them exists to miss.
fn folds_as_ascii(literal: &[u8]) -> bool {
    literal.is_ascii()
        || std::str::from_utf8(literal).is_ok_and(|s| {
            s.chars().all(|c| {
                c.is_ascii()
                    || !c.is_alphabetic() && c.to_lowercase().eq([c]) && c.to_uppercase().eq([c])
            })
        })
}

/// A regex a literal opens: its slot, and the literal's exact bytes when the
/// regex is case-sensitive.
type Owner = (usize, Option<Box<[u8]>>);

/// Articles scanned with the automaton that builds at once before the one
/// that scans faster is built: a run over one article (an editor's) never
/// pays for the second, a run over a corpus soon does.
const WARM_SCANS: usize = 64;

/// Bytes of a literal the automaton looks for. A match holding a literal
/// holds its start too, at the same place, so a cut literal finds every
/// place the whole one does (and a few more). Whole phrases of syndication
/// lines ("read all the latest news on") made the DFA 4.2 MB; cut at 16
/// bytes it is 2.3 MB and reports fewer overlapping matches of one phrase.
const MAX_LITERAL_LEN: usize = 16;

/// Bytes of a literal the automata look for; where they find those, the
/// rest is compared. Cut at 16 bytes, the literals made a DFA of 3.7 MB
/// (7,200 states); their 900 heads of 6 bytes make one of 1.4 MB, built
/// with half the instructions, that scans as fast with the comparisons.
const HEAD_LEN: usize = 6;

/// The literals' heads (their first [`HEAD_LEN`] bytes), each once, with
/// the literals that start with each.
#[derive(Debug, Default)]
struct Heads {
    heads: Vec<Vec<u8>>,
    /// For each head, the literals that start with it (by index).
    literals: Vec<Vec<u32>>,
}

impl Heads {
    fn of(literals: &[Vec<u8>]) -> Heads {
        let mut heads = Heads::default();
        let mut index: foldhash::HashMap<&[u8], usize> = Default::default();
        for (i, lit) in literals.iter().enumerate() {
            let head = &lit[..lit.len().min(HEAD_LEN)];
            let h = *index.entry(head).or_insert_with(|| {
                heads.heads.push(head.to_vec());
                heads.literals.push(Vec::new());
                heads.heads.len() - 1
            });
            heads.literals[h].push(i as u32);
        }
        heads
    }

    /// Calls `found(literal, start)` for each literal that starts with
    /// head `head` and that `text` holds at `start`, where the head was
    /// found (ASCII case aside, as the automata read it).
    fn literals_at(
        &self,
        head: usize,
        literals: &[Vec<u8>],
        text: &[u8],
        start: usize,
        found: &mut impl FnMut(usize, usize),
    ) {
        let seen = self.heads[head].len();
        for &lit in &self.literals[head] {
            let literal = &literals[lit as usize];
            let whole = literal.len() == seen
                || text
                    .get(start + seen..start + literal.len())
                    .is_some_and(|rest| rest.eq_ignore_ascii_case(&literal[seen..]));
            if whole {
                found(lit as usize, start);
            }
        }
    }
}

/// One automaton over the prefix literals of a set of regexes.
#[derive(Debug)]
pub(crate) struct Prefilter {
    /// An NFA: built in a few milliseconds, when the first article that
    /// [`each_literal_by_search`] does not serve is scanned; scans at tens
    /// of instructions a byte.
    automaton: OnceLock<nfa::contiguous::NFA>,
    /// The same literals as a DFA: several times faster to scan with, but
    /// about ten milliseconds to build, so built once a run is long enough.
    fast: OnceLock<dfa::DFA>,
    literals: Vec<Vec<u8>>,
    /// What the automata look for: the literals' first bytes, each once.
    heads: Heads,
    scans: AtomicUsize,
    /// Articles scanned.
    articles: AtomicUsize,
    /// For each automaton pattern, the regexes it opens.
    owners: Vec<Vec<Owner>>,
    /// The regexes that run only at their literals, by id: their slot.
    filtered: foldhash::HashMap<usize, usize>,
}

/// The literals as aho-corasick's first automaton, from which both scans'
/// automata are built and take their settings: every match reported
/// (overlapping ones too), and no prefilter of its own, which
/// [`each_literal`] relies on (only match states are special). The
/// literals are in lower case and [`each_literal`] folds the text's ASCII
/// letters as it reads it: an automaton folding case itself had twice the
/// transitions to build (a 500-file run: 3% fewer instructions without
/// them).
fn literal_trie(literals: &[Vec<u8>]) -> nfa::noncontiguous::NFA {
    nfa::noncontiguous::Builder::new()
        .ascii_case_insensitive(false)
        .match_kind(MatchKind::Standard)
        .prefilter(false)
        .build(literals)
        .expect("literal automaton builds")
}

/// The longest article of a run's first [`EARLY_ARTICLES`] that
/// [`each_literal_by_search`] scans: past it, building the automaton costs
/// less than searching for each literal on its own.
const SEARCHED_TEXT: usize = 64 * 1024;

/// Calls `found(pattern, start)` for every occurrence of every literal, as
/// [`each_literal`] does, without an automaton: each literal is searched
/// for in the text with its ASCII letters in lower case (as the automaton
/// folds them). For a run's first small articles, which would otherwise
/// wait for the automaton: building it was a sixth of a one-file run, and
/// searching a few kilobytes for each of some 1,600 literals costs a tenth
/// of that.
fn each_literal_by_search(literals: &[Vec<u8>], text: &[u8], mut found: impl FnMut(usize, usize)) {
    let lower = text.to_ascii_lowercase();
    for (pattern, literal) in literals.iter().enumerate() {
        let finder = memchr::memmem::Finder::new(literal);
        let mut from = 0;
        // Overlapping occurrences too ("abab" in "ababab" twice).
        while let Some(at) = finder.find(&lower[from..]) {
            found(pattern, from + at);
            from += at + 1;
        }
    }
}

/// Calls `found(pattern, start)` for every occurrence of every literal,
/// overlapping ones included. A loop of our own over the concrete
/// automaton type: `AhoCorasick`'s iterators step through a `dyn`
/// automaton, one indirect call a byte, and this scan reads every byte of
/// the corpus.
///
/// Each step of a DFA waits for the table load of the step before, a cache
/// miss in a table of megabytes. So the text is walked as two halves at
/// once, two independent chains of loads: the second walk starts early
/// enough to see every literal that ends in its half
/// (`max_pattern_len - 1` bytes before it) and reports only those.
fn each_literal<A: Automaton>(aut: &A, text: &[u8], mut found: impl FnMut(usize, usize)) {
    let Ok(start) = aut.start_state(aho_corasick::Anchored::No) else {
        return;
    };
    // Without a prefilter, only match states (and the dead state, which an
    // unanchored search never reaches) are special.
    let mut report = |state, end: usize| {
        if aut.is_match(state) {
            for i in 0..aut.match_len(state) {
                let pattern = aut.match_pattern(state, i);
                found(pattern.as_usize(), end - aut.pattern_len(pattern));
            }
        }
    };
    // The automaton knows the literals in lower case only (see
    // [`literal_trie`]): the text is folded as it is read.
    let step = |state, byte: u8| {
        aut.next_state(aho_corasick::Anchored::No, state, byte.to_ascii_lowercase())
    };
    let overlap = aut.max_pattern_len().saturating_sub(1);
    let mid = text.len() / 2;
    // Short texts are not worth two walks.
    let (first, second_from) = if mid > 2 * overlap {
        (&text[..mid], mid - overlap)
    } else {
        (text, text.len())
    };
    let second = &text[second_from..];
    let (mut a, mut b) = (start, start);
    for (i, (&x, &y)) in first.iter().zip(second).enumerate() {
        a = step(a, x);
        b = step(b, y);
        if aut.is_special(a) {
            report(a, i + 1);
        }
        // The second walk's first `overlap` bytes only lead into its half.
        if aut.is_special(b) && i >= overlap {
            report(b, second_from + i + 1);
        }
    }
    // The second half is the longer: it goes on alone (or the whole text,
    // when it was too short to split, walks here).
    let walked = first.len().min(second.len());
    let (rest, mut state, from) = if second.len() > walked {
        (&second[walked..], b, second_from + walked)
    } else {
        (&first[walked..], a, walked)
    };
    for (i, &byte) in rest.iter().enumerate() {
        state = step(state, byte);
        if aut.is_special(state) {
            report(state, from + i + 1);
        }
    }
}

/// The hits with each start list in order, each start once: the walks
/// report out of order, and several literals of one regex can start at
/// one place.
fn sorted(mut hits: Hits) -> Hits {
    for s in &mut hits.starts {
        s.sort_unstable();
        s.dedup();
    }
    hits
}

/// What one search with one build of a regex writes in: its captures
/// and its cache (the lazy DFA's states, the backtracker's marks).
struct Search {
    caps: Captures,
    cache: meta::Cache,
}

/// Counts the [`LazyRegex`]es dropped that had been built (a language
/// server reloading its rules drops a whole set): a thread that sees it
/// change lets go of the searches it kept, as ids are never given twice
/// and the kept searches of dropped regexes would otherwise stay on every
/// worker for good.
static BUILT_REGEXES_DROPPED: AtomicUsize = AtomicUsize::new(0);

impl Drop for LazyRegex {
    fn drop(&mut self) {
        if self.is_compiled() {
            BUILT_REGEXES_DROPPED.fetch_add(1, Ordering::AcqRel);
        }
    }
}

/// One thread's kept searches, by regex id counted from `base`: a
/// [`Search`] and the address of the build it was made for.
#[derive(Default)]
struct Spares {
    /// [`BUILT_REGEXES_DROPPED`] when these were kept.
    dropped_seen: usize,
    base: usize,
    slots: Vec<Option<(usize, Box<Search>)>>,
}

impl Spares {
    /// Lets go of every kept search once a built regex has been dropped:
    /// which one cannot be told here, and the live ones make theirs again.
    fn forget_if_stale(&mut self) {
        let dropped = BUILT_REGEXES_DROPPED.load(Ordering::Acquire);
        if dropped != self.dropped_seen {
            self.dropped_seen = dropped;
            self.slots = Vec::new();
        }
    }

    fn take(&mut self, id: usize, build: usize) -> Option<Box<Search>> {
        self.forget_if_stale();
        let slot = self.slots.get_mut(id.checked_sub(self.base)?)?;
        slot.take()
            .filter(|(made_for, _)| *made_for == build)
            .map(|(_, search)| search)
    }

    fn put(&mut self, id: usize, build: usize, search: Box<Search>) {
        self.forget_if_stale();
        if self.slots.is_empty() || id < self.base {
            // Room before the slots kept, for an older regex.
            let room = if self.slots.is_empty() {
                0
            } else {
                self.base - id
            };
            self.slots
                .splice(0..0, std::iter::repeat_with(|| None).take(room));
            self.base = id;
        }
        let i = id - self.base;
        if self.slots.len() <= i {
            self.slots.resize_with(i + 1, || None);
        }
        self.slots[i] = Some((build, search));
    }
}

/// How many slots this thread keeps searches in, and how many it holds.
#[cfg(test)]
fn kept_searches() -> (usize, usize) {
    SPARE_SEARCHES.with(|spares| {
        let spares = spares.borrow();
        let held = spares.slots.iter().filter(|s| s.is_some()).count();
        (spares.slots.len(), held)
    })
}

thread_local! {
    /// Each regex's [`Search`] from this thread's last search, by regex id,
    /// with the address of the build it was made for. Made anew for every
    /// search, captures cost an allocation and, on two cores, a contended
    /// count on the regex's shared group names; and a regex lends its
    /// cache to one thread without a lock, to the others from a locked
    /// stack.
    static SPARE_SEARCHES: std::cell::RefCell<Spares> =
        std::cell::RefCell::new(Spares::default());
}

/// A [`Search`] for one build of a regex, back in [`SPARE_SEARCHES`] when
/// dropped.
struct SpareSearch {
    id: usize,
    build: usize,
    /// Always some until dropped. Boxed: a regex's cache is over a
    /// kilobyte, which moving in and out of the spares copied each time.
    search: Option<Box<Search>>,
}

impl SpareSearch {
    fn take(id: usize, re: &meta::Regex) -> SpareSearch {
        let build = re as *const meta::Regex as usize;
        let spare = SPARE_SEARCHES.with(|spares| spares.borrow_mut().take(id, build));
        let search = spare.unwrap_or_else(|| {
            Box::new(Search {
                caps: re.create_captures(),
                cache: re.create_cache(),
            })
        });
        SpareSearch {
            id,
            build,
            search: Some(search),
        }
    }
}

impl std::ops::Deref for SpareSearch {
    type Target = Search;
    fn deref(&self) -> &Search {
        self.search.as_ref().expect("a search until dropped")
    }
}

impl std::ops::DerefMut for SpareSearch {
    fn deref_mut(&mut self) -> &mut Search {
        self.search.as_mut().expect("a search until dropped")
    }
}

impl Drop for SpareSearch {
    fn drop(&mut self) {
        let Some(search) = self.search.take() else {
            return;
        };
        // A thread that is exiting has no spares to keep.
        let _ = SPARE_SEARCHES.try_with(|spares| {
            spares.borrow_mut().put(self.id, self.build, search);
        });
    }
}

/// Where each filtered regex may match in one article, by slot.
#[derive(Debug, Default)]
pub(crate) struct Hits {
    starts: Vec<Vec<usize>>,
    /// The text holds a letter that case-folds to an ASCII one (see
    /// [`folds_to_ascii`]): the scan, which folds ASCII case only, cannot
    /// tell where a case-insensitive regex matches.
    folds_to_ascii: bool,
    /// The article is one of the first [`EARLY_ARTICLES`] the prefilter
    /// scanned.
    early: bool,
    /// The article is one of the first [`WARMING_ARTICLES`].
    pub(crate) warming: bool,
}

thread_local! {
    /// The start lists of the article this thread checked last, emptied,
    /// for its next: each article otherwise grew a few dozen lists from
    /// nothing (half a percent of a corpus run's instructions).
    static SPARE_STARTS: std::cell::RefCell<Vec<Vec<usize>>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// `slots` empty start lists, with the room earlier articles gave them.
fn spare_starts(slots: usize) -> Vec<Vec<usize>> {
    let mut starts = SPARE_STARTS
        .try_with(|spare| std::mem::take(&mut *spare.borrow_mut()))
        .unwrap_or_default();
    starts.truncate(slots);
    starts.iter_mut().for_each(Vec::clear);
    starts.resize_with(slots, Vec::new);
    starts
}

impl Drop for Hits {
    fn drop(&mut self) {
        let starts = std::mem::take(&mut self.starts);
        // A huge article's lists are not kept: memory stays bounded.
        if starts.iter().map(Vec::capacity).sum::<usize>() > MAX_SPARE_STARTS {
            return;
        }
        let _ = SPARE_STARTS.try_with(|spare| {
            if let Ok(mut spare) = spare.try_borrow_mut() {
                if spare.is_empty() {
                    *spare = starts;
                }
            }
        });
    }
}

/// Offsets kept for the next article at most (a 128 KiB article's worth).
const MAX_SPARE_STARTS: usize = 16 * 1024;

/// Does `text` hold a letter whose case folding is an ASCII letter? Only
/// two exist: the long s (ſ, as in "ſubscribe") and the Kelvin sign (K).
fn folds_to_ascii(text: &[u8]) -> bool {
    static LONG_S: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("\u{17f}"));
    static KELVIN: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("\u{212a}"));
    LONG_S.find(text).is_some() || KELVIN.find(text).is_some()
}

/// Where one regex may match in an article.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Starts<'a> {
    /// No prefilter: search the whole article.
    Anywhere,
    /// Only at these offsets (sorted, possibly none).
    At {
        at: &'a [usize],
        /// The article is one of the first of its run (see
        /// [`EARLY_ARTICLES`]).
        early: bool,
    },
}

impl Prefilter {
    pub(crate) fn new<'r>(regexes: impl IntoIterator<Item = &'r LazyRegex>) -> Prefilter {
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut owners: Vec<Vec<Owner>> = Vec::new();
        let mut index: foldhash::HashMap<Vec<u8>, usize> = Default::default();
        let mut filtered = foldhash::HashMap::default();
        for re in regexes {
            let Some(wanted) = re.literals() else {
                continue;
            };
            // An empty literal would be found everywhere: no filter at all.
            if wanted.iter().any(Vec::is_empty) {
                continue;
            }
            let slot = filtered.len();
            if filtered.insert(re.id, slot).is_some() {
                continue; // listed twice
            }
            for lit in wanted {
                let lit = &lit[..lit.len().min(MAX_LITERAL_LEN)];
                let folded = lit.to_ascii_lowercase();
                let id = *index.entry(folded.clone()).or_insert_with(|| {
                    literals.push(folded);
                    owners.push(Vec::new());
                    literals.len() - 1
                });
                let exact = re.analysis.exact_case.then(|| Box::<[u8]>::from(lit));
                // A case-insensitive regex lists every casing of its
                // literals ("the ", "The ", "THE "...), all one literal
                // here: one owner is enough, or each match is pushed for
                // each casing.
                if owners[id]
                    .iter()
                    .any(|(s, e)| *s == slot && (e.is_none() || *e == exact))
                {
                    continue;
                }
                owners[id].push((slot, exact));
            }
        }
        Prefilter {
            automaton: OnceLock::new(),
            fast: OnceLock::new(),
            heads: Heads::of(&literals),
            literals,
            scans: AtomicUsize::new(0),
            articles: AtomicUsize::new(0),
            owners,
            filtered,
        }
    }

    /// A prefilter that lets every regex search everywhere (to test that
    /// the real one changes no finding).
    #[cfg(test)]
    pub(crate) fn disabled() -> Prefilter {
        Prefilter {
            automaton: OnceLock::new(),
            fast: OnceLock::new(),
            literals: Vec::new(),
            heads: Heads::default(),
            scans: AtomicUsize::new(0),
            articles: AtomicUsize::new(0),
            owners: Vec::new(),
            filtered: Default::default(),
        }
    }

    /// How many literals the scan looks for.
    #[cfg(test)]
    pub(crate) fn literal_count(&self) -> usize {
        self.literals.len()
    }

    pub(crate) fn scan(&self, text: &str) -> Hits {
        let bytes = text.as_bytes();
        let article = self.articles.fetch_add(1, Ordering::Relaxed);
        let mut hits = Hits {
            starts: spare_starts(self.filtered.len()),
            folds_to_ascii: folds_to_ascii(bytes),
            early: article < EARLY_ARTICLES,
            warming: article < WARMING_ARTICLES,
        };
        let mut found = |pattern: usize, start: usize| {
            for (slot, exact) in &self.owners[pattern] {
                // " he" is no place for a case-sensitive " He".
                if exact
                    .as_deref()
                    .is_some_and(|e| e != &bytes[start..start + e.len()])
                {
                    continue;
                }
                hits.starts[*slot].push(start);
            }
        };
        if self.literals.is_empty() {
            return hits;
        }
        if hits.early && bytes.len() <= SEARCHED_TEXT {
            each_literal_by_search(&self.literals, bytes, &mut found);
            return sorted(hits);
        }
        let found_head = |head: usize, start: usize| {
            self.heads
                .literals_at(head, &self.literals, bytes, start, &mut found);
        };
        if let Some(dfa) = self.fast() {
            each_literal(dfa, bytes, found_head);
        } else {
            let nfa = self.automaton.get_or_init(|| {
                nfa::contiguous::Builder::new()
                    .build_from_noncontiguous(&literal_trie(&self.heads.heads))
                    .expect("literal NFA builds")
            });
            each_literal(nfa, bytes, found_head);
        }
        sorted(hits)
    }

    /// The DFA once it is built; builds it in the thread that makes the
    /// [`WARM_SCANS`]th scan (the others go on with the NFA meanwhile).
    /// Both find the same matches.
    fn fast(&self) -> Option<&dfa::DFA> {
        if let Some(fast) = self.fast.get() {
            return Some(fast);
        }
        if self.scans.fetch_add(1, Ordering::Relaxed) != WARM_SCANS {
            return None;
        }
        let dfa = dfa::Builder::new()
            .build_from_noncontiguous(&literal_trie(&self.heads.heads))
            .expect("literal DFA builds");
        Some(self.fast.get_or_init(|| dfa))
    }

    pub(crate) fn starts<'h>(&self, hits: &'h Hits, re: &LazyRegex) -> Starts<'h> {
        match self.filtered.get(&re.id) {
            Some(_) if hits.folds_to_ascii && !re.analysis.exact_case => Starts::Anywhere,
            Some(&slot) => Starts::At {
                at: hits.starts.get(slot).map_or(&[], Vec::as_slice),
                early: hits.early,
            },
            None => Starts::Anywhere,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefixes(pattern: &str) -> Option<Vec<String>> {
        LazyRegex::new(pattern.into(), true, true)
            .unwrap()
            .literals()
            .map(|p| {
                p.iter()
                    .map(|l| String::from_utf8(l.clone()).unwrap())
                    .collect()
            })
    }

    #[test]
    fn case_sensitive_regexes_are_tried_only_where_the_case_fits() {
        let exact = LazyRegex::new(r"\bThey said".into(), true, false).unwrap();
        let folded = LazyRegex::new(r"\bThey said".into(), true, true).unwrap();
        let inline = LazyRegex::new(r"\b(?i:They) said".into(), true, false).unwrap();
        let prefilter = Prefilter::new([&exact, &folded, &inline]);
        let text = "they said no. They said yes. THEY said so.";
        let hits = prefilter.scan(text);
        let starts = |re: &LazyRegex| match prefilter.starts(&hits, re) {
            Starts::At { at, .. } => at.to_vec(),
            Starts::Anywhere => panic!("prefiltered"),
        };
        assert_eq!(starts(&exact), [14]);
        assert_eq!(starts(&folded), [0, 14, 29]);
        assert_eq!(starts(&inline), [0, 14, 29], "(?i) inside keeps every case");
        let folds = |pattern: &str| {
            let mut ast = regex_syntax::ast::parse::Parser::new()
                .parse(pattern)
                .unwrap();
            drop_case_insensitivity(&mut ast)
        };
        assert!(folds("(?si:x)") && folds("a(?i)b") && folds("(x|(?-i:y))+"));
        assert!(!folds("(?P<a>x)") && !folds(r"\(?i") && !folds("[(?i)]"));
        // A negation left with no flag still parses; the literals fold.
        assert_eq!(
            prefixes(r"(?i)Breaking(?-i) NEWS").unwrap(),
            ["breaking news"]
        );
    }

    /// Leaving out the lines lying wholly inside some spans loses no
    /// match that starts outside them, and finds no match a full search
    /// does not: over paragraphs and arbitrary spans, LF, CRLF and lone CR,
    /// indented and bulleted lines, NBSP, emoji and Cyrillic, for regexes
    /// searched whole, from a literal start, around a literal anywhere and
    /// line by line.
    #[test]
    fn skipped_lines_lose_no_match_starting_outside_them() {
        use crate::diagnostic::Span;
        let patterns = [
            r"(?m)^\d{1,2} (?:min|hours?) read$",  // no literals: whole text
            r"(?i)\bsubscribe\s+now\b",            // a literal start
            r"\b(?:of|the)[ \t]+, and",            // a literal anywhere
            r"(?m)^[ \t]*(?:Related|Share)[^\n]*", // line-anchored
            r"[ \t]+$",
            r"(?i)\bread more\b[^\r\n]*",
        ];
        let pieces = [
            "Subscribe now for more",
            "5 min read",
            "\u{2022} Related: floods",
            "  Share this",
            "The mayor said, of the , and council",
            "Флот вернулся 🚢",
            "read more\u{a0}here ",
            "Officials met on Monday.",
            "",
            "\t",
            "3 hours read",
        ];
        let breaks = ["\n", "\n\n", "\r\n", "\r\n\r\n", "\r", " "];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let regexes: Vec<LazyRegex> = patterns
            .iter()
            .map(|p| LazyRegex::new(p.to_string(), true, false).unwrap())
            .collect();
        let prefilter = Prefilter::new(regexes.iter());
        let mut left_out = 0;
        for _ in 0..400 {
            let mut text = String::new();
            for _ in 0..1 + next(8) {
                text.push_str(pieces[next(pieces.len())]);
                text.push_str(breaks[next(breaks.len())]);
            }
            // Paragraph-like spans (first to last non-blank byte of a run
            // between blank lines) or arbitrary ones on char boundaries.
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let mut skip: Vec<Span> = Vec::new();
            if next(2) == 0 {
                let mut at = 0;
                for part in text.split("\n\n") {
                    let start = at + (part.len() - part.trim_start().len());
                    let end = at + part.trim_end().len();
                    if end > start && next(3) > 0 {
                        skip.push(Span::new(start, end));
                    }
                    at += part.len() + 2;
                }
            } else {
                let mut cut: Vec<usize> = (0..2 * next(4))
                    .map(|_| bounds[next(bounds.len())])
                    .collect();
                cut.sort_unstable();
                cut.dedup();
                skip = cut.chunks_exact(2).map(|c| Span::new(c[0], c[1])).collect();
            }
            let kept = |start: usize| !skip.iter().any(|s| s.start <= start && start < s.end);
            let hits = prefilter.scan(&text);
            for re in &regexes {
                let search = |skip: &[Span]| {
                    let mut found = Vec::new();
                    re.for_each_match_outside(
                        &text,
                        0..text.len(),
                        prefilter.starts(&hits, re),
                        skip,
                        |caps| {
                            let m = caps.get_match().unwrap();
                            found.push((m.start(), m.end()));
                        },
                    );
                    found
                };
                let (all, outside) = (search(&[]), search(&skip));
                left_out += all.len() - outside.len().min(all.len());
                assert!(
                    outside.iter().all(|m| all.contains(m)),
                    "{:?} in {text:?} skipping {skip:?}: {outside:?} not all in {all:?}",
                    re.source
                );
                let all_kept: Vec<_> = all.iter().filter(|m| kept(m.0)).collect();
                let outside_kept: Vec<_> = outside.iter().filter(|m| kept(m.0)).collect();
                assert_eq!(
                    all_kept, outside_kept,
                    "{:?} in {text:?} skipping {skip:?}",
                    re.source
                );
            }
        }
        assert!(left_out > 100, "lines were left out: {left_out} matches");
    }

    /// A language server reloads its rules many times: the searches kept
    /// for the regexes it dropped must not stay on its threads, and a
    /// reload between searches must not lose a match.
    #[test]
    fn searches_kept_for_dropped_regexes_are_let_go() {
        let text = "Read on.\nSubscribe now for more.\n";
        let search = |re: &LazyRegex| {
            let prefilter = Prefilter::new([re]);
            let hits = prefilter.scan(text);
            let mut found = Vec::new();
            re.for_each_match(text, 0..text.len(), prefilter.starts(&hits, re), |caps| {
                let m = caps.get_match().unwrap();
                found.push((m.start(), m.end()));
            });
            found
        };
        let kept = LazyRegex::new(r"\bRead on\b".into(), true, false).unwrap();
        assert_eq!(search(&kept), [(0, 7)]);
        for _ in 0..300 {
            let reloaded = LazyRegex::new(r"(?i)\bsubscribe\s+now\b".into(), true, false).unwrap();
            assert_eq!(search(&reloaded), [(9, 22)]);
            assert_eq!(search(&reloaded), [(9, 22)], "with the search it kept");
        }
        let (slots, held) = kept_searches();
        assert!(
            held <= 2 && slots < 300,
            "{slots} slots, {held} searches held"
        );
        // A regex older than those kept still keeps its search, and finds.
        assert_eq!(search(&kept), [(0, 7)]);
        assert_eq!(search(&kept), [(0, 7)]);
        assert!(kept_searches().1 >= 1);
    }

    #[test]
    fn common_word_starts_give_way_to_a_rarer_literal_anywhere_in_the_match() {
        let literals = |pattern: &str| {
            let re = LazyRegex::new(pattern.into(), true, true).unwrap();
            let l = re.analysis.literals.clone().expect("literals");
            let words: Vec<String> = l
                .bytes
                .iter()
                .map(|b| String::from_utf8(b.clone()).unwrap())
                .collect();
            (l.at, words)
        };
        assert_eq!(
            literals(r"\bon\s+the\s+territory\s+of\b"),
            (Place::Anywhere, vec!["territory".to_string()])
        );
        // Each branch brings its own rarest piece.
        assert_eq!(
            literals(r"\breportedly\b|\bit\s+is\s+(?:believed|understood)\b"),
            (
                Place::Anywhere,
                vec!["believed".into(), "reportedly".into(), "understood".into()]
            )
        );
        // Starts that are rare enough stay starts.
        assert_eq!(
            literals(r"\bsubscribe\s+now\b").0,
            Place::Start,
            "a strong start is kept"
        );
        // No rarer piece: the weak starts are all there is.
        assert_eq!(literals(r"\b(?:the|an?)[ \t]+(?:and|or)\b").0, Place::Start);
        // A blank run meeting a comma holds a blank before it, which prose
        // never has: rarer than any common-word start.
        assert_eq!(
            literals(r"\b(?P<gap>of|the|an?)[ \t]+[,;](?:[ \t]|$)"),
            (
                Place::Anywhere,
                vec!["\t,".into(), "\t;".into(), " ,".into(), " ;".into()]
            )
        );
        assert_eq!(literals(r"\b(?:of|the)[ \t]+, and").0, Place::Anywhere);
        // Not-ASCII edges cannot be folded by the automaton: no junction.
        assert_eq!(literals(r"\b(?:the|an?)\u{a0}+[,;]").0, Place::Start);
        let re = LazyRegex::new(r"\bon\s+the\s+territory\s+of\b".into(), true, true).unwrap();
        let prefilter = Prefilter::new([&re]);
        let find = |text: &str| {
            let hits = prefilter.scan(text);
            let mut found = Vec::new();
            re.for_each_match(text, 0..text.len(), prefilter.starts(&hits, &re), |caps| {
                let m = caps.get_match().unwrap();
                found.push((m.start(), m.end()))
            });
            found
        };
        assert_eq!(
            find("Troops stood on the\nterritory of the republic."),
            [(13, 32)]
        );
        assert!(find("They met on the border on Monday.").is_empty());
    }

    #[test]
    fn alternations_give_every_start_and_classes_of_any_size_give_none() {
        assert_eq!(
            prefixes(r"(?:Read|see) (?:also|more)").unwrap(),
            ["read also", "read more", "see also", "see more"]
        );
        assert_eq!(prefixes(r"\bSource link\b").unwrap(), ["source link"]);
        // No literal start: a line holding the literal end is searched,
        // unless the pattern can cross lines.
        assert_eq!(prefixes(r"\w+ said").unwrap(), [" said"]);
        assert_eq!(prefixes(r"\w+\s+said"), None);
        assert_eq!(prefixes(r"(?:x)?yz").unwrap(), ["xyz", "yz"]);
        assert_eq!(prefixes(r"a*b").unwrap(), ["a", "b"]);
        assert_eq!(prefixes(r"x?"), None, "an empty start is refused");
        // The automaton folds ASCII case only: literals keep their ASCII part.
        assert_eq!(
            prefixes("Émission").unwrap(),
            ["mission"],
            "a line holding it"
        );
        assert_eq!(prefixes("rue–Émile").unwrap(), ["rue"]);
        // Neither start nor end is literal: a piece every match holds.
        assert_eq!(prefixes(r"(?:[a-z]{2,4}/){2,}[a-z]{2,4}").unwrap(), ["/"]);
        assert_eq!(prefixes(r"\p{Lu}\w+ +\d{1,2}:[0-5]\d").unwrap(), [":"]);
        // A line's own blanks and anchors do not hide the literals.
        assert_eq!(
            prefixes("^[ \t\u{a0}]*(?:tags|topics)[ \t]*:?[ \t]*$").unwrap(),
            ["tags", "topics"]
        );
    }

    /// The texts of the matches of `re` that `prefilter` lets it find.
    fn found_by<'t>(prefilter: &Prefilter, re: &LazyRegex, text: &'t str) -> Vec<&'t str> {
        let hits = prefilter.scan(text);
        let mut found = Vec::new();
        re.for_each_match(text, 0..text.len(), prefilter.starts(&hits, re), |caps| {
            let m = caps.get_match().unwrap();
            found.push(&text[m.start()..m.end()]);
        });
        found
    }

    /// A regex's captures and cache are kept for its next search on the
    /// thread, which starts afresh: a group that took part in one
    /// article's match is empty in the next one's, and nested searches of
    /// one regex each get their own.
    #[test]
    fn kept_captures_carry_nothing_from_one_search_to_the_next() {
        let re = LazyRegex::new(r"Reuters(?P<desk> desk)?".into(), true, false).unwrap();
        let pre = Prefilter::new([&re]);
        let groups = |text: &str| {
            let hits = pre.scan(text);
            let mut found = Vec::new();
            re.for_each_match(text, 0..text.len(), pre.starts(&hits, &re), |caps| {
                found.push(
                    caps.get_group_by_name("desk")
                        .map(|m| text[m.range()].to_string()),
                );
                // A search of the same regex from inside the first.
                let inner = "a Reuters desk";
                let inner_hits = pre.scan(inner);
                re.for_each_match(inner, 0..inner.len(), pre.starts(&inner_hits, &re), |c| {
                    assert!(c.get_group_by_name("desk").is_some());
                });
            });
            found
        };
        for _ in 0..3 {
            assert_eq!(
                groups("By the Reuters desk in Paris"),
                [Some(" desk".into())]
            );
            assert_eq!(groups("Reuters reported. Reuters added"), [None, None]);
        }
    }

    /// `(?i)` in the pattern gives the literals the rule's
    /// `case_insensitive` flag gives, not every casing of them (which the
    /// extractor cut to a first letter tried all over the article).
    #[test]
    fn inline_case_insensitivity_gives_the_flags_literals() {
        let inline = |pattern: &str| {
            let re = LazyRegex::new(pattern.into(), true, false).unwrap();
            let l = re.analysis.literals.as_ref().expect("literals");
            let words: Vec<String> = l
                .bytes
                .iter()
                .map(|b| String::from_utf8(b.clone()).unwrap())
                .collect();
            (l.at, words, re.analysis.exact_case)
        };
        for pattern in [
            r"\b(?:in conclusion|it is worth noting)\b",
            r"\bpct\b",
            r"\bAs an AI\b",
        ] {
            let flag = prefixes(pattern).unwrap();
            let (at, words, exact) = inline(&format!("(?i){pattern}"));
            assert_eq!((at, &words), (Place::Start, &flag), "{pattern}");
            assert!(!exact);
        }
        assert_eq!(inline(r"(?i:Top) stories").1, ["top stories"]);
        // Matching still folds case: the regex itself keeps its flags.
        let re = LazyRegex::new(r"(?i)\bin conclusion\b".into(), true, false).unwrap();
        let prefilter = Prefilter::new([&re]);
        let text = "IN CONCLUSION, the panel said. In conclusion again.";
        assert_eq!(
            found_by(&prefilter, &re, text),
            ["IN CONCLUSION", "In conclusion"]
        );
    }

    /// The scan folds ASCII case, but a case-insensitive regex also
    /// matches "ſ" for "s" and "K" (Kelvin) for "k": in a text holding
    /// either, such regexes search it whole.
    #[test]
    fn letters_folding_to_ascii_do_not_hide_a_match() {
        let insensitive = LazyRegex::new(r"\bsubscribe now\b".into(), true, true).unwrap();
        let inline = LazyRegex::new(r"(?i)\b(?:5|10) km\b".into(), true, false).unwrap();
        let exact = LazyRegex::new(r"\bsubscribe now\b".into(), true, false).unwrap();
        let prefilter = Prefilter::new([&insensitive, &inline, &exact]);
        let text = "Please ſubscribe now. A 5 \u{212a}m race.";
        assert_eq!(found_by(&prefilter, &insensitive, text), ["ſubscribe now"]);
        assert_eq!(found_by(&prefilter, &inline, text), ["5 \u{212a}m"]);
        assert!(found_by(&prefilter, &exact, text).is_empty());
        assert!(insensitive.get().is_match(text) && !exact.get().is_match(text));
        // Other texts keep their filter.
        let hits = prefilter.scan("Subscribe now.");
        assert!(matches!(
            prefilter.starts(&hits, &insensitive),
            Starts::At { at: [0], .. }
        ));
    }

    /// A character with no case (`©`) stays in a case-insensitive regex's
    /// literal, which the scan then finds as it is; a letter with case
    /// (`É`) is cut off, as the scan folds ASCII only.
    #[test]
    fn caseless_marks_stay_in_folded_literals() {
        assert_eq!(prefixes("(?i)©[^\\n]*").unwrap(), ["©"]);
        assert_eq!(prefixes("(?i)abc→").unwrap(), ["abc→"]);
        assert_eq!(prefixes("(?i)café"), prefixes("(?i)caf"));
        let re = LazyRegex::new("©[^\n]*".into(), true, true).unwrap();
        let prefilter = Prefilter::new([&re]);
        assert_eq!(
            found_by(&prefilter, &re, "Text.\n© 2020 Example"),
            ["© 2020 Example"]
        );
    }

    /// A lone blank, comma or period is in every article: a regex whose
    /// only literals include one searches the whole article instead, and
    /// still finds every match.
    #[test]
    fn literals_found_every_few_bytes_are_no_filter() {
        assert_eq!(prefixes(r"[ \t]+$"), None);
        assert_eq!(prefixes(r"[,.][ \t]*$"), None);
        assert_eq!(prefixes(r"\.{4,}").unwrap(), ["...."], "four are rare");
        // Rarer single bytes still filter.
        assert_eq!(prefixes(r"\((?:AP|AFP)\)").unwrap(), ["(afp)", "(ap)"]);
        assert_eq!(prefixes(r"(?:[a-z]{2,4}/){2,}").unwrap(), ["/"]);
        // A blank start gives way to the line's literal end.
        assert_eq!(prefixes(r"[ \t]+\(AFP\)").unwrap(), ["\t(afp)", " (afp)"]);
        let re = LazyRegex::new(r"[ \t]+$".into(), true, false).unwrap();
        let prefilter = Prefilter::new([&re]);
        assert_eq!(prefilter.literal_count(), 0, "the scan skips it");
        let text = "A line with trailing blanks \t\nand one without\nend  ";
        let hits = prefilter.scan(text);
        assert!(matches!(prefilter.starts(&hits, &re), Starts::Anywhere));
        assert_eq!(found_by(&prefilter, &re, text), [" \t", "  "]);
    }

    /// A regex searched on the lines that hold its literals gets the quick
    /// build in a run's first articles and the lazy DFA after them; both
    /// find the same matches.
    #[test]
    fn line_searched_regexes_build_quick_only_in_the_first_articles() {
        let pattern = r"(?m)^\w+ this (?:story|page)[ \t]*$";
        let early = LazyRegex::new(pattern.into(), true, true).unwrap();
        let late = LazyRegex::new(pattern.into(), true, true).unwrap();
        assert!(
            early.analysis.line_local
                && early
                    .analysis
                    .literals
                    .as_ref()
                    .is_some_and(|l| l.at != Place::Start)
        );
        let prefilter = Prefilter::new([&early, &late]);
        let text = "A story.\nShare this story\nMore text.\nPRINT THIS PAGE\n";
        let want = ["Share this story", "PRINT THIS PAGE"];
        assert_eq!(found_by(&prefilter, &early, text), want);
        assert!(early.quick.get().is_some() && early.compiled.get().is_none());
        for _ in 1..EARLY_ARTICLES {
            prefilter.scan(text);
        }
        assert_eq!(found_by(&prefilter, &late, text), want);
        assert!(late.quick.get().is_none() && late.compiled.get().is_some());
        // A quick build serves a huge article no longer.
        let huge = format!(
            "{}Share this story\n",
            "Filler words here.\n".repeat(QUICK_TEXT / 16)
        );
        let big = LazyRegex::new(pattern.into(), true, true).unwrap();
        let fresh = Prefilter::new([&big]);
        assert_eq!(found_by(&fresh, &big, &huge), ["Share this story"]);
        assert!(big.compiled.get().is_some());
    }

    #[test]
    fn searching_for_each_literal_finds_what_the_automaton_finds() {
        let rules = crate::rules::RuleSet::builtin().unwrap();
        let prefilter = crate::rules::RulePrefilter::new(rules.rules()).0;
        let nfa = nfa::contiguous::Builder::new()
            .build_from_noncontiguous(&literal_trie(&prefilter.heads.heads))
            .unwrap();
        let mut texts = crate::rules::sample_texts(&rules);
        texts.push("SUBSCRIBE to our Newsletter — ÉTÉ été, Read MORE: “Said” officials\r\n".into());
        // Heads whose literals the text cuts short.
        texts.push("Read the full story\nSubscribe to our newsl".into());
        let both = |literals: &[Vec<u8>], text: &str| {
            let (mut by_automaton, mut by_search) = (Vec::new(), Vec::new());
            each_literal(&nfa, text.as_bytes(), |head, at| {
                prefilter
                    .heads
                    .literals_at(head, literals, text.as_bytes(), at, &mut |p, at| {
                        by_automaton.push((p, at))
                    })
            });
            each_literal_by_search(literals, text.as_bytes(), |p, at| by_search.push((p, at)));
            for found in [&mut by_automaton, &mut by_search] {
                found.sort_unstable();
                found.dedup();
            }
            (by_automaton, by_search)
        };
        let mut any = false;
        for text in &texts {
            let (by_automaton, by_search) = both(&prefilter.literals, text);
            any |= !by_automaton.is_empty();
            assert_eq!(by_automaton, by_search, "{text}");
        }
        assert!(any);
        // Overlapping occurrences, ASCII case folded, other letters not.
        let literals: Vec<Vec<u8>> = ["abab", "été"]
            .iter()
            .map(|l| l.as_bytes().to_vec())
            .collect();
        let mut found = Vec::new();
        each_literal_by_search(&literals, "ABABab ÉTÉ été".as_bytes(), |p, at| {
            found.push((p, at))
        });
        assert_eq!(found, [(0, 0), (0, 2), (1, 13)]);
    }

    #[test]
    fn literals_sharing_a_head_are_each_found_whole() {
        let literals: Vec<Vec<u8>> = ["subscribe now", "subscribe", "subscript", "sub"]
            .iter()
            .map(|l| l.as_bytes().to_vec())
            .collect();
        let heads = Heads::of(&literals);
        // "subscr" and "sub": the literals cut to their heads, each once.
        assert_eq!(heads.heads, [b"subscr".to_vec(), b"sub".to_vec()]);
        let nfa = nfa::contiguous::Builder::new()
            .build_from_noncontiguous(&literal_trie(&heads.heads))
            .unwrap();
        let text = "SubScribe NOW; a subscript, subscri";
        let mut found = Vec::new();
        each_literal(&nfa, text.as_bytes(), |head, at| {
            heads.literals_at(head, &literals, text.as_bytes(), at, &mut |p, at| {
                found.push((p, at))
            })
        });
        found.sort_unstable();
        // Not "subscribe" in the cut "subscri" at the end, nor "subscript"
        // where "subscribe" stands.
        assert_eq!(found, [(0, 0), (1, 0), (2, 17), (3, 0), (3, 17), (3, 28)]);
    }

    #[test]
    fn a_runs_first_small_articles_are_scanned_without_building_the_automaton() {
        let re = LazyRegex::new(r"\bsubscribe now\b".into(), true, true).unwrap();
        let pre = Prefilter::new([&re]);
        let text = "Subscribe now, and subscribe NOW.";
        for _ in 0..EARLY_ARTICLES {
            assert_eq!(pre.scan(text).starts, [vec![0, 19]]);
        }
        assert!(pre.automaton.get().is_none());
        assert_eq!(pre.scan(text).starts, [vec![0, 19]]);
        assert!(pre.automaton.get().is_some(), "the next article builds it");
        // A long first article is scanned with the automaton at once.
        let long = format!("{}subscribe now", "x".repeat(SEARCHED_TEXT));
        let fresh = Prefilter::new([&re]);
        assert_eq!(fresh.scan(&long).starts, [vec![SEARCHED_TEXT]]);
        assert!(fresh.automaton.get().is_some());
    }

    #[test]
    fn only_a_runs_first_articles_are_warming() {
        let re = LazyRegex::new(r"\bsubscribe now\b".into(), true, true).unwrap();
        let pre = Prefilter::new([&re]);
        for _ in 0..WARMING_ARTICLES {
            assert!(pre.scan("Subscribe now.").warming);
        }
        assert!(!pre.scan("Subscribe now.").warming);
        assert!(!pre.scan("").warming);
    }

    #[test]
    fn an_articles_start_lists_serve_the_next_article_emptied() {
        let re = LazyRegex::new(r"\bsubscribe now\b".into(), true, true).unwrap();
        let pre = Prefilter::new([&re]);
        let many = "subscribe now ".repeat(100);
        assert_eq!(pre.scan(&many).starts[0].len(), 100);
        // The lists come back with their room, and nothing of what they held.
        let next = pre.scan("nothing here");
        assert!(next.starts[0].is_empty() && next.starts[0].capacity() >= 100);
        drop(next);
        assert_eq!(pre.scan("Subscribe now.").starts, [vec![0]]);
        // Another prefilter's articles get as many lists as it has regexes.
        let two = [
            &re,
            &LazyRegex::new(r"\bsign up\b".into(), true, true).unwrap(),
        ];
        assert_eq!(
            Prefilter::new(two).scan("sign up").starts,
            [vec![], vec![0]]
        );
    }

    /// A long run switches to the DFA; it must find what the NFA found.
    #[test]
    fn the_dfa_built_for_long_runs_finds_what_the_nfa_finds() {
        let rules = crate::rules::RuleSet::builtin().unwrap();
        let prefilter = crate::rules::RulePrefilter::new(rules.rules()).0;
        let texts = crate::rules::sample_texts(&rules);
        assert!(texts.len() > WARM_SCANS);
        let by_nfa: Vec<Vec<Vec<usize>>> = texts
            .iter()
            .map(|t| prefilter.scan(t).starts.clone())
            .take(WARM_SCANS)
            .collect();
        assert!(prefilter.fast.get().is_none(), "the NFA serves short runs");
        // The rest of the texts go past the threshold.
        texts[WARM_SCANS..].iter().for_each(|t| {
            prefilter.scan(t);
        });
        assert!(prefilter.fast.get().is_some(), "a long run gets the DFA");
        let by_dfa: Vec<Vec<Vec<usize>>> = texts
            .iter()
            .take(WARM_SCANS)
            .map(|t| prefilter.scan(t).starts.clone())
            .collect();
        assert!(by_nfa.iter().flatten().any(|hits| !hits.is_empty()));
        assert_eq!(by_nfa, by_dfa);
    }

    #[test]
    fn hits_are_sorted_per_slot_and_unfiltered_slots_search_everywhere() {
        let a = LazyRegex::new("more".into(), true, true).unwrap();
        let b = LazyRegex::new("(?:re|more) news".into(), true, true).unwrap();
        let c = LazyRegex::new(r"\d+\s".into(), true, false).unwrap();
        let pre = Prefilter::new([&a, &b, &c]);
        let hits = pre.scan("More news, more NEWS");
        let at = |re| match pre.starts(&hits, re) {
            Starts::At { at, .. } => at.to_vec(),
            Starts::Anywhere => panic!("{re:?} is filtered"),
        };
        assert_eq!(at(&a), [0, 11]);
        assert_eq!(at(&b), [0, 2, 11, 13]);
        assert!(matches!(pre.starts(&hits, &c), Starts::Anywhere));
        assert!(!a.is_compiled(), "scanning compiles nothing");
    }

    #[test]
    fn the_two_walk_scan_finds_what_one_overlapping_search_finds() {
        let literals = ["ab", "abcab", "b", "cabcabca", "ca"];
        let literal_bytes: Vec<Vec<u8>> = literals.iter().map(|l| l.as_bytes().to_vec()).collect();
        let dfa = dfa::Builder::new()
            .build_from_noncontiguous(&literal_trie(&literal_bytes))
            .unwrap();
        let oracle = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(literals)
            .unwrap();
        // Every length around the split, with literals across the middle.
        let long = "xabcabcabcaBx".repeat(8);
        for len in 0..long.len() {
            let text = &long.as_bytes()[..len];
            let mut ours = Vec::new();
            each_literal(&dfa, text, |p, at| ours.push((at, p)));
            ours.sort_unstable();
            let mut theirs: Vec<_> = oracle
                .find_overlapping_iter(text)
                .map(|m| (m.start(), m.pattern().as_usize()))
                .collect();
            theirs.sort_unstable();
            assert_eq!(ours, theirs, "text of {len} bytes");
        }
    }

    #[test]
    fn long_literals_are_cut_and_still_find_every_match() {
        // Two phrases of more than MAX_LITERAL_LEN bytes that share their
        // first MAX_LITERAL_LEN bytes: one automaton pattern, one start each.
        let phrase = "Read the full coverage of";
        assert!(phrase.len() > MAX_LITERAL_LEN);
        let re = LazyRegex::new(
            r"Read the full coverage of (?:this|that) story".into(),
            true,
            false,
        )
        .unwrap();
        let pre = Prefilter::new([&re]);
        assert!(pre.literals.iter().all(|l| l.len() <= MAX_LITERAL_LEN));
        assert_eq!(pre.literals.len(), 1);
        let text = "Intro. Read the full coverage of that story. read the full";
        let hits = pre.scan(text);
        let Starts::At { at, .. } = pre.starts(&hits, &re) else {
            panic!("the regex is filtered");
        };
        // The cut literal keeps its case check: the lower-case "read" at
        // the end is no start for this case-sensitive regex.
        assert_eq!(at, [7]);
        let found: Vec<_> = re.get().find_iter(text).map(|m| m.start()).collect();
        assert_eq!(found, [7]);
    }
}
