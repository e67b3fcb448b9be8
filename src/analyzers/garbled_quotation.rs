//! Quotation marks that do not pair up within a paragraph: a closing mark
//! with no opening, an opening mark left dangling at the end, or marks
//! that enclose nothing but punctuation (`“.`).

use serde::Deserialize;

use super::{Analyzer, Finding, Found, Params};
use crate::diagnostic::Span;
use crate::text::Document;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {}

#[derive(Debug)]
struct GarbledQuotation;

pub fn build(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    let Config {} = params.parse()?;
    Ok(Box::new(GarbledQuotation))
}

fn pair_of(c: char) -> Option<(char, char)> {
    match c {
        '“' | '”' => Some(('“', '”')),
        '«' | '»' => Some(('«', '»')),
        // German and Czech: „so“.
        '„' => Some(('„', '“')),
        _ => None,
    }
}

fn is_punct_or_blank(c: char) -> bool {
    c.is_whitespace() || (c.is_ascii_punctuation() && c != '"') || matches!(c, '…' | '–' | '—')
}

/// A mark set apart by a space before another mark or a table cell's edge
/// is a pull-quote icon, not punctuation: `“  “In summer …”`, `| “ | “Hi”`.
fn is_decoration(after_mark: &str) -> bool {
    after_mark.starts_with(char::is_whitespace)
        && after_mark
            .trim_start()
            .starts_with(['“', '”', '«', '»', '"', '|'])
}

/// What one paragraph's marks say: the problems found (spans relative to
/// the paragraph) and a quotation still open at its end.
#[derive(Debug, Default)]
struct Scan {
    problems: Vec<(std::ops::Range<usize>, &'static str)>,
    open: Option<(usize, char)>,
}

/// A mark between blanks (`Home » News`) separates a menu or breadcrumb;
/// one after `=` is an HTML attribute's (`href=”…`). Neither quotes.
fn is_separator_or_markup(text: &str, at: usize, c: char) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + c.len_utf8()..].chars().next();
    before == Some('=')
        || matches!(c, '«' | '»')
            && before.is_none_or(char::is_whitespace)
            && after.is_some_and(char::is_whitespace)
            && !text[at + c.len_utf8()..].trim().is_empty()
}

/// `”so”`: a closing mark after a blank and before a letter opens a
/// quotation that the same mark closes (the Finnish and Swedish
/// convention, and a common typing habit), when one follows.
fn opens_as_closing_mark(text: &str, at: usize, c: char) -> bool {
    let before = text[..at].chars().next_back();
    let rest = &text[at + c.len_utf8()..];
    c == '”'
        && before.is_none_or(char::is_whitespace)
        && rest.starts_with(char::is_alphanumeric)
        && rest.contains(c)
}

/// Straight quotes left unpaired in `s`: a page that mixes `"` with curly
/// marks (a CMS that curls only some) pairs one of each.
fn odd_straight_quotes(s: &str) -> bool {
    memchr::memchr_iter(b'"', s.as_bytes()).count() % 2 == 1
}

/// Scans one paragraph. `carried` is a quotation the paragraph before left
/// open, which this one closes.
fn scan_paragraph(text: &str, carried: Option<char>) -> Scan {
    let mut scan = Scan {
        open: carried.map(|c| (0, c)),
        ..Scan::default()
    };
    // The marks are `“ ” « » „`, whose UTF-8 opens with 0xE2 or 0xC2 (lead
    // bytes, so always at a character): jump between those instead of
    // decoding every character.
    let marks = memchr::memchr2_iter(0xE2, 0xC2, text.as_bytes());
    for (at, c) in marks.filter_map(|at| Some((at, text[at..].chars().next()?))) {
        if c == '“' && matches!(scan.open, Some((_, '„'))) {
            scan.open = None; // „so“ closes with the English opening mark
            continue;
        }
        let Some((opening, closing)) = pair_of(c) else {
            continue;
        };
        if is_separator_or_markup(text, at, c) {
            continue;
        }
        let mark = at..at + c.len_utf8();
        if c != opening && !opens_as_closing_mark(text, at, c) {
            if scan.open.take().is_none() && !odd_straight_quotes(&text[..at]) {
                scan.problems
                    .push((mark, "closing quotation mark with no opening one"));
            }
            continue;
        }
        let closing = if c == opening { closing } else { c };
        let rest = &text[mark.end..];
        if is_decoration(rest) {
            continue;
        }
        let inner_end = rest.find(closing).unwrap_or(rest.len());
        if rest[..inner_end].chars().all(is_punct_or_blank) {
            let end = mark.end + rest[..inner_end].trim_end().len();
            let what = if rest[..inner_end].trim().is_empty() {
                "opening quotation mark with nothing after it"
            } else {
                "quotation mark that encloses only punctuation"
            };
            scan.problems.push((at..end.max(mark.end), what));
            scan.open = None;
            continue;
        }
        if scan.open.is_some() {
            scan.problems
                .push((mark, "quotation opened again before the last one closed"));
        }
        // Closed by a straight quote before any curly one, in a page of
        // mixed marks.
        let straight_close = rest.find('"').is_some_and(|q| q < inner_end);
        scan.open = (!straight_close).then_some((at, c));
    }
    scan
}

/// How a quotation left open at a paragraph's end goes on in the next one.
enum RunsOn {
    /// The next paragraph opens with a quotation mark again (the English
    /// convention for a quotation over several paragraphs), or there is
    /// no next paragraph: the text was cut, an extraction matter.
    Reopened,
    /// The next paragraph's first mark of the pair closes it (the
    /// convention of repeating no mark).
    ClosedNext,
    /// Neither: the quotation is never closed.
    Never,
}

fn runs_on(next: Option<&str>, opening: char) -> RunsOn {
    let Some(next) = next else {
        return RunsOn::Reopened;
    };
    if next
        .trim_start()
        .starts_with(['“', '"', '‘', '\'', '«', '»', '„'])
    {
        return RunsOn::Reopened;
    }
    let Some((_, closing)) = pair_of(opening) else {
        return RunsOn::Never;
    };
    match next.chars().find(|&c| c == opening || c == closing) {
        Some(c) if c == closing => RunsOn::ClosedNext,
        _ => RunsOn::Never,
    }
}

impl Analyzer for GarbledQuotation {
    fn variables(&self) -> &'static [&'static str] {
        &["problem"]
    }

    fn check(&self, doc: &Document<'_>, out: &mut Found) {
        let paragraphs = doc.paragraphs();
        let mut carried = None;
        for (i, p) in paragraphs.iter().enumerate() {
            let scan = scan_paragraph(doc.slice(p.span), carried.take());
            let mut problems = scan.problems;
            if let Some((at, c)) = scan.open {
                let next = paragraphs.get(i + 1).map(|n| doc.slice(n.span));
                match runs_on(next, c) {
                    RunsOn::Reopened => {}
                    RunsOn::ClosedNext => carried = Some(c),
                    RunsOn::Never => problems.push((
                        at..at + c.len_utf8(),
                        "quotation never closed in its paragraph",
                    )),
                }
            }
            for (range, problem) in problems {
                let span = Span::new(p.span.start + range.start, p.span.start + range.end);
                out.push(Finding::new(span).var("problem", problem));
            }
        }
    }
}
