//! Reading an article's credits: the names its dateline, sign-off, credit
//! lines, links, disclaimers and page furniture give, and the agencies it
//! quotes. The forms are general (a dateline is a place and a name in
//! brackets before a dash); which names are outlets is data.

use std::sync::LazyLock;

use regex::Regex;

use super::How;
use crate::diagnostic::{Diagnostic, Span};
use crate::provenance::{Directory, OutletKind, Role};
use crate::rules::RuleSet;
use crate::source::SourceFile;
use crate::text::{BlockClass, Document};

/// One credit read from the text, before it is sorted.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub how: How,
    /// In the file as read.
    pub span: Span,
    pub name: Option<String>,
    pub kind: Option<OutletKind>,
}

/// `Moscow (CNN) —`, `NEW DELHI, Jan 7 (Reuters) -`, `(AP) —`: a place and
/// date, a name in brackets, a dash.
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:\p{Lu}[\p{L}.,'’ -]{0,50}?(?:\s+\d{1,2})?\s+)?\((?P<name>\p{Lu}[\p{L}&.'’ -]{0,30}?)\)\s*[—–-]{1,2}\s",
    )
    .expect("dateline regex")
});

/// `IANS | Nur-Sultan`: an agency and a place between bars.
static PIPE_DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?P<name>\p{Lu}[\p{L}&.-]{1,24})\s+\|\s+\p{Lu}[\p{L}. -]{1,40}\s*$")
        .expect("pipe dateline regex")
});

/// `CNN’s Helen Regan contributed reporting`.
static POSSESSIVE_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?P<name>\p{Lu}[\p{L}&.\- ]{0,30}?)['’]s?\s+\p{Lu}").expect("credit regex")
});

/// `first published in The Harbour Times`, `originally appeared on …`
/// (not "a report published by", which is a document, not the article).
static PUBLISHED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i:first published|originally published|originally appeared|(?:article|story) (?:was )?(?:first |originally )?(?:published|appeared))[ \t]+(?i:in|on|by)[ \t]+(?P<name>(?:the[ \t]+)?\p{Lu}[\p{L}\d&.'’-]*(?:[ \t]+\p{Lu}[\p{L}\d&.'’-]*){0,4})",
    )
    .expect("published-by regex")
});

/// `by the Harbour Times staff` in a feed disclaimer.
static BY_STAFF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"by (?:the )?(?P<name>\p{Lu}[\p{L}&.'’ -]{1,40}?) (?:staff|team|desk)")
        .expect("staff regex")
});

/// `X is an automatic aggregator …`.
static AGGREGATOR_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?P<name>[\p{L}\d.\-]{2,40}) is an? (?:[\p{L}-]+ ){0,4}aggregator")
        .expect("aggregator regex")
});

/// `subscribe to The Harbour Times`.
static SUBSCRIBE_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:subscribe to)[ \t]+(?P<name>(?:the[ \t]+)?\p{Lu}[\p{L}&'’-]*(?:[ \t]+\p{Lu}[\p{L}&'’-]*){0,4})")
        .expect("subscribe regex")
});

/// `Translated from the Russian`, `translated from Arabic by …`.
static TRANSLATED_FROM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:translated from)[ \t]+(?:the[ \t]+)?(?P<language>\p{Lu}\p{L}+)")
        .expect("translated-from regex")
});

static URL_HOST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"https?://(?P<host>[A-Za-z0-9.-]+)").expect("url regex"));

/// Words that, just before a name, make it a source the article quotes.
const QUOTED_BEFORE: &[&str] = &[
    "told",
    "according",
    "quoted",
    "by",
    "agency",
    "citing",
    "cited",
    "to",
];
/// Words that, just after a name, make it a source the article quotes.
const QUOTED_AFTER: &[&str] = &[
    "reported",
    "said",
    "says",
    "reports",
    "quoted",
    "cited",
    "reporting",
];

/// Reads every credit the article gives.
pub fn read(
    file: &SourceFile,
    doc: &Document<'_>,
    diagnostics: &[Diagnostic],
    rules: &RuleSet,
    directory: &Directory,
) -> Vec<Found> {
    let offset = file.body_start();
    let mut found = Vec::new();
    from_findings(file, diagnostics, rules, directory, &mut found);
    datelines(doc, offset, directory, &mut found);
    closing_sign_off(doc, offset, directory, &mut found);
    published_by(doc, offset, directory, &mut found);
    signatures(doc, offset, directory, &mut found);
    quoted(doc, offset, directory, &mut found);
    found.sort_by_key(|f| (f.span.start, f.span.end));
    found
}

/// A name the text gives: the outlet the data knows it as, or the name as
/// written.
fn named(directory: &Directory, raw: &str) -> (Option<String>, Option<OutletKind>) {
    let raw = raw.trim().trim_end_matches(['.', ',', ';', ':']);
    let bare = raw.trim_start_matches("the ").trim_start_matches("The ");
    match directory.by_name(raw).or_else(|| directory.by_name(bare)) {
        Some(o) => (Some(o.name.clone()), Some(o.kind)),
        None if bare.is_empty() => (None, None),
        None => (Some(raw.to_string()), None),
    }
}

/// The first outlet the data knows inside `text`, optionally of one kind.
fn known_in(
    directory: &Directory,
    text: &str,
    kind: Option<OutletKind>,
) -> Option<(String, OutletKind)> {
    directory
        .find_names(text)
        .find(|(_, o)| kind.is_none_or(|k| o.kind == k))
        .map(|(_, o)| (o.name.clone(), o.kind))
}

/// Findings of rules whose files say what they mean for provenance.
fn from_findings(
    file: &SourceFile,
    diagnostics: &[Diagnostic],
    rules: &RuleSet,
    directory: &Directory,
    out: &mut Vec<Found>,
) {
    for d in diagnostics {
        let Some(role) = rules.get(&d.rule).and_then(|r| r.provenance) else {
            continue;
        };
        let text = &file.text()[d.span.start..d.span.end];
        let known = || known_in(directory, text, None);
        let (how, name, kind) = match role {
            Role::SignOff => {
                let bare: String = text.chars().filter(|c| c.is_alphanumeric()).collect();
                match known() {
                    Some((n, k)) => (How::SignOff, Some(n), Some(k)),
                    None => {
                        let (n, k) = named(directory, &bare);
                        (How::SignOff, n, k)
                    }
                }
            }
            Role::CreditLine => match known() {
                Some((n, k)) => (How::CreditLine, Some(n), Some(k)),
                None => match POSSESSIVE_CREDIT.captures(text) {
                    Some(c) => {
                        let (n, k) = named(directory, &c["name"]);
                        (How::CreditLine, n, k)
                    }
                    // "Reporting by Jane Doe": a credit, but of no outlet.
                    None => continue,
                },
            },
            Role::SourceLink => match URL_HOST.captures(text) {
                Some(c) => {
                    let host = c["host"].trim_start_matches("www.").to_ascii_lowercase();
                    match directory.by_host(&host) {
                        Some(o) => (How::SourceLink, Some(o.name.clone()), Some(o.kind)),
                        None => (How::SourceLink, Some(host), None),
                    }
                }
                // A bare "Source link" whose link is gone: a scraper's.
                None => (How::Scraper, None, None),
            },
            Role::SyndicatedFeed => {
                let (n, k) = match known() {
                    Some((n, k)) => (Some(n), Some(k)),
                    None => BY_STAFF
                        .captures(text)
                        .map_or((None, None), |c| named(directory, &c["name"])),
                };
                (How::SyndicatedFeed, n, k)
            }
            Role::Aggregator => {
                let (n, k) = match known_in(directory, text, Some(OutletKind::Aggregator)) {
                    Some((n, k)) => (Some(n), Some(k)),
                    None => AGGREGATOR_NAME
                        .captures(text)
                        .map_or((None, None), |c| named(directory, &c["name"])),
                };
                (How::Aggregator, n, k)
            }
            Role::Scraper => (How::Scraper, None, None),
            Role::Site => match SUBSCRIBE_TO.captures(text) {
                Some(c) => {
                    // The evidence is the words that name the site.
                    let (n, k) = named(directory, &c["name"]);
                    let m = c.get(0).expect("whole match");
                    out.push(Found {
                        how: How::Site,
                        span: Span::new(d.span.start + m.start(), d.span.start + m.end()),
                        name: n,
                        kind: k,
                    });
                    continue;
                }
                None => match known() {
                    Some((n, k)) => (How::Site, Some(n), Some(k)),
                    None => continue,
                },
            },
        };
        out.push(Found {
            how,
            span: d.span,
            name,
            kind,
        });
    }
}

/// Paragraphs a dateline may open: those up to the article's second
/// paragraph of prose.
fn opening_paragraphs(doc: &Document<'_>) -> usize {
    let blocks = &doc.layout().blocks;
    let mut prose = 0;
    for (i, b) in blocks.iter().enumerate() {
        if b.class == BlockClass::Prose {
            prose += 1;
            if prose == 2 {
                return i + 1;
            }
        }
    }
    blocks.len().min(8)
}

fn datelines(doc: &Document<'_>, offset: usize, directory: &Directory, out: &mut Vec<Found>) {
    for p in &doc.paragraphs()[..opening_paragraphs(doc)] {
        let line = doc.lines()[p.lines.start];
        let (name, end) = if let Some(c) = DATELINE.captures(line.text) {
            let name = c.name("name").expect("named group");
            // A name the data does not know is an outlet only after a
            // place ("Harbour City (Tide Wire) —"), not after any phrase
            // ("the Policy Committee (MPC) -") or alone ("(CORRECTED) -").
            let place = &line.text[..name.start() - 1];
            if directory.by_name(name.as_str()).is_none() && !reads_as_place(place) {
                continue;
            }
            (name, c.get(0).map_or(0, |m| m.end()))
        } else if let Some(c) = PIPE_DATELINE.captures(line.text) {
            let name = c.name("name").expect("named group");
            // A menu ("Home | News") is no dateline: the name must be an
            // outlet the data knows, or an agency's capitals.
            let caps = name
                .as_str()
                .chars()
                .all(|ch| ch.is_uppercase() || !ch.is_alphabetic());
            if directory.by_name(name.as_str()).is_none() && !caps {
                continue;
            }
            (name, c.get(0).map_or(0, |m| m.end()))
        } else {
            continue;
        };
        let (n, k) = named(directory, name.as_str());
        let start = line.span.start + offset;
        let end = line.text[..end.min(line.text.len())].trim_end().len();
        out.push(Found {
            how: How::Dateline,
            span: Span::new(start, start + end),
            name: n,
            kind: k,
        });
    }
}

/// An agency's own sign-off closing its copy ("REUTER", "-- AFP"), which
/// the wire-sign-off rule leaves alone: the last line, when it is nothing
/// but a known agency's name between dashes or brackets.
fn closing_sign_off(
    doc: &Document<'_>,
    offset: usize,
    directory: &Directory,
    out: &mut Vec<Found>,
) {
    let Some(line) = doc.lines().iter().rev().find(|l| !l.is_blank()) else {
        return;
    };
    let span = line.trimmed_span();
    let bare = doc.slice(span).trim_matches(|c: char| {
        matches!(c, '-' | '–' | '—' | '(' | ')' | '.') || c.is_whitespace()
    });
    let Some(agency) = directory
        .by_name(bare)
        .filter(|o| o.kind == OutletKind::Agency)
    else {
        return;
    };
    let span = Span::new(span.start + offset, span.end + offset);
    // The rule may have flagged it already.
    if out.iter().any(|f| f.span == span) {
        return;
    }
    out.push(Found {
        how: How::SignOff,
        span,
        name: Some(agency.name.clone()),
        kind: Some(agency.kind),
    });
}

/// A dateline's place and date: one to three segments between commas, each
/// of at most three words, every word capitalised, a figure, or a short
/// particle ("Rio de Janeiro", "NEW DELHI, Jan 7").
fn reads_as_place(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && text.split(',').count() <= 3
        && text.split(',').all(|segment| {
            let words: Vec<&str> = segment.split_whitespace().collect();
            (1..=3).contains(&words.len())
                && words.iter().all(|w| {
                    w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
                        || w.chars().count() <= 2
                })
        })
}

/// A name the data does not know, given after "first published in": two
/// words or more ("The Harbour Herald"), or a web address; a single word
/// is too often a place or a body ("the UK", "the Institute").
fn reads_as_outlet(name: &str) -> bool {
    let bare = name
        .trim()
        .trim_start_matches("the ")
        .trim_start_matches("The ");
    bare.split_whitespace().count() >= 2 || bare.contains('.')
}

fn published_by(doc: &Document<'_>, offset: usize, directory: &Directory, out: &mut Vec<Found>) {
    for line in doc.lines() {
        // Most lines say nothing of the kind: a cheap test first.
        if !(line.text.contains("ublished") || line.text.contains("ppeared")) {
            continue;
        }
        for c in PUBLISHED_BY.captures_iter(line.text) {
            let raw = &c["name"];
            // "first published on Monday": a date, not an outlet.
            if super::is_date_word(raw.split_whitespace().next().unwrap_or("")) {
                continue;
            }
            let (n, k) = named(directory, raw);
            if k.is_none() && !reads_as_outlet(raw.trim_end_matches(['.', ',', ';', ':'])) {
                continue;
            }
            let m = c.get(0).expect("whole match");
            out.push(Found {
                how: How::PublishedBy,
                span: Span::new(
                    line.span.start + offset + m.start(),
                    line.span.start + offset + m.end(),
                ),
                name: n,
                kind: k,
            });
        }
    }
}

/// Lines only one outlet's pages carry. They may read as a sentence ("Catch
/// all the … on Live Mint."), so every line is tried.
fn signatures(doc: &Document<'_>, offset: usize, directory: &Directory, out: &mut Vec<Found>) {
    if !directory.has_signatures() {
        return;
    }
    for line in doc.lines() {
        if let Some(o) = directory.by_signature(line.text) {
            let span = line.trimmed_span();
            out.push(Found {
                how: How::Signature,
                span: Span::new(span.start + offset, span.end + offset),
                name: Some(o.name.clone()),
                kind: Some(o.kind),
            });
        }
    }
}

/// Known agencies and outlets named as sources in the article's
/// sentences: "told AFP", "according to Reuters", "news agency AFP
/// reported".
fn quoted(doc: &Document<'_>, offset: usize, directory: &Directory, out: &mut Vec<Found>) {
    let taken: Vec<Span> = out.iter().map(|f| f.span).collect();
    let layout = doc.layout();
    for s in doc.sentences() {
        if !layout.in_article(s.span) {
            continue;
        }
        let text = doc.slice(s.span);
        for (range, outlet) in directory.find_names(text) {
            let span = Span::new(
                s.span.start + offset + range.start,
                s.span.start + offset + range.end,
            );
            if taken
                .iter()
                .any(|t| t.start <= span.start && span.end <= t.end)
            {
                continue;
            }
            let before: Vec<String> = text[..range.start]
                .split_whitespace()
                .rev()
                .take(3)
                .map(|w| {
                    w.trim_matches(|c: char| !c.is_alphanumeric())
                        .to_lowercase()
                })
                .collect();
            let after: Vec<String> = text[range.end..]
                .split_whitespace()
                .take(2)
                .map(|w| {
                    w.trim_matches(|c: char| !c.is_alphanumeric())
                        .to_lowercase()
                })
                .collect();
            let cue = before.iter().any(|w| QUOTED_BEFORE.contains(&w.as_str()))
                || after.iter().any(|w| QUOTED_AFTER.contains(&w.as_str()));
            if cue {
                out.push(Found {
                    how: How::Quoted,
                    span,
                    name: Some(outlet.name.clone()),
                    kind: Some(outlet.kind),
                });
            }
        }
    }
}

/// The language the text says it was translated from, and where it says so
/// (in the body's offsets).
pub fn translated_from(doc: &Document<'_>) -> Option<(String, Span)> {
    doc.lines().iter().find_map(|line| {
        if !line.text.contains("ranslated") {
            return None;
        }
        let c = TRANSLATED_FROM.captures(line.text)?;
        let m = c.get(0)?;
        Some((
            c["language"].to_string(),
            Span::new(line.span.start + m.start(), line.span.start + m.end()),
        ))
    })
}
