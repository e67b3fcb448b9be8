//! The provenance report: for each article, who it credits as its origin,
//! who carried it and how, what happened to it on the way, and how its
//! claims are sourced; built from the findings the rules already made and
//! from the credits the text gives (datelines, credit lines, links), with
//! outlets resolved by the provenance data ([`crate::provenance`]).

pub mod corpus;
mod credits;
pub mod html;

use serde::Serialize;

use crate::diagnostic::{Category, Diagnostic, Span};
use crate::provenance::{Directory, OutletKind};
use crate::rules::RuleSet;
use crate::source::SourceFile;
use crate::text::Document;

pub use credits::Found;

/// What kind of evidence a span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum How {
    Dateline,
    SignOff,
    CreditLine,
    SourceLink,
    PublishedBy,
    Quoted,
    Signature,
    Site,
    SyndicatedFeed,
    Aggregator,
    Scraper,
    Figure,
    TranslatedFrom,
}

impl How {
    /// Its name, as JSON and the text report write it.
    pub fn as_str(self) -> &'static str {
        match self {
            How::Dateline => "dateline",
            How::SignOff => "sign-off",
            How::CreditLine => "credit-line",
            How::SourceLink => "source-link",
            How::PublishedBy => "published-by",
            How::Quoted => "quoted",
            How::Signature => "signature",
            How::Site => "site",
            How::SyndicatedFeed => "syndicated-feed",
            How::Aggregator => "aggregator",
            How::Scraper => "scraper",
            How::Figure => "figure",
            How::TranslatedFrom => "translated-from",
        }
    }
}

impl std::fmt::Display for How {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One piece of evidence: what kind, and the text that says so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// How the text says it.
    pub how: How,
    /// Byte offsets in the file as read.
    pub span: Span,
    /// 1-based line and column (characters).
    pub line: usize,
    pub column: usize,
    pub text: String,
}

/// An outlet the article credits or that carried it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Credit {
    /// The outlet's name as the data knows it, or as the text gives it.
    pub name: String,
    /// `agency`, `outlet` or `aggregator`; none for a name the data does
    /// not know.
    pub kind: Option<OutletKind>,
    pub evidence: Vec<Evidence>,
}

/// How the article reached the page it was taken from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Carrier {
    /// A syndicated feed, an aggregator or a scraper.
    pub how: How,
    /// Who, when the text names them.
    pub name: Option<String>,
    pub evidence: Vec<Evidence>,
}

/// What was done to the text on the way.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transformation {
    /// `none`, `some`, or `heavy` (likely machine-translated or spun).
    pub verdict: &'static str,
    pub translation_findings: usize,
    pub translation_per_1000_words: f64,
    pub extraction_findings: usize,
    pub extraction_per_1000_words: f64,
    /// Share of the file's bytes that syndication findings cover.
    pub residue_share: f64,
    /// The translation rules that fired, each once, in order.
    pub translation_rules: Vec<String>,
    /// Where the text says it was translated ("Translated from the
    /// Russian"), the language and the words that say so.
    pub translated_from: Option<Credit>,
}

/// How the article's claims are sourced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SourcingCounts {
    pub named: usize,
    pub anonymous: usize,
    pub vague: usize,
    /// Attributions to a source a reader could not weigh ("state
    /// television", "it was reported"), as the attribution model tells.
    pub unspecified: usize,
}

/// What the attribution model tells the report of one article.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub sourcing: SourcingCounts,
    pub figures: Vec<FigureFact>,
}

/// A figure claim as the attribution model finds it (offsets in the
/// article body).
#[derive(Debug, Clone)]
pub struct FigureFact {
    /// The figure as written ("160", "hundreds").
    pub figure: String,
    /// The casualty word, in lower case ("killed").
    pub word: String,
    /// The source its sentence gives, if any.
    pub source: Option<String>,
    pub sentence: Span,
}

/// A casualty, arrest, displacement or troop figure in an article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// The kind of count, as the provenance data groups words ("deaths",
    /// "arrests"); the word itself where the data has no kind for it.
    pub kind: String,
    pub figure: String,
    /// Its value, where the figure is written in digits.
    pub value: Option<f64>,
    pub word: String,
    /// Who gives it, as the sentence says; none when nobody does.
    pub source: Option<String>,
    /// The sentence.
    pub evidence: Evidence,
}

/// The provenance of one article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleReport {
    /// `article` (JSON Lines also hold `cluster` and `figures` records).
    pub record: &'static str,
    pub path: String,
    pub words: usize,
    /// Who wrote it, as the text credits them.
    pub origin: Vec<Credit>,
    /// The page's own outlet, where the page names itself.
    pub site: Vec<Credit>,
    /// Who carried it from its origin to the page.
    pub carriers: Vec<Carrier>,
    /// Agencies and outlets the article quotes as sources, not as authors.
    pub quoted: Vec<Credit>,
    pub transformation: Transformation,
    pub sourcing: SourcingCounts,
    pub figures: Vec<Figure>,
    /// What the corpus stage compares (not printed).
    #[serde(skip)]
    pub sketch: corpus::Sketch,
    /// The name the article mentions most, for grouping its figures with
    /// those of other articles about the same place or body.
    #[serde(skip)]
    pub topic: Option<String>,
}

/// Capitalised words that are dates, not names: a subject or an outlet is
/// never one.
pub(crate) fn is_date_word(word: &str) -> bool {
    const DATE_WORDS: &[&str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let word = word.trim_end_matches([',', '.']);
    DATE_WORDS.iter().any(|d| d.eq_ignore_ascii_case(word))
}

/// Translation findings per 1,000 words at and above which the verdict is
/// `heavy`: on the clean bench, fewer than 2 % of articles have any.
const HEAVY_PER_1000_WORDS: f64 = 4.0;
/// Findings a `heavy` verdict needs at least, so a short text with one
/// slip is not called machine-translated.
const HEAVY_MIN_FINDINGS: usize = 3;

/// Builds the report of one article from its document (already segmented
/// for the check) and its diagnostics (offsets in the file).
pub fn article(
    file: &SourceFile,
    doc: &Document<'_>,
    diagnostics: &[Diagnostic],
    rules: &RuleSet,
    directory: &Directory,
    profile: Profile,
) -> ArticleReport {
    let evidence = |how: How, span: Span| {
        let at = file.line_col(span.start);
        Evidence {
            how,
            span,
            line: at.line,
            column: at.column,
            text: file.text()[span.start..span.end].to_string(),
        }
    };
    let found = credits::read(file, doc, diagnostics, rules, directory);
    let words = doc
        .tokens()
        .iter()
        .filter(|t| t.kind == crate::text::TokenKind::Word)
        .count();
    let translated_from = credits::translated_from(doc).map(|(language, span)| Credit {
        name: language,
        kind: None,
        evidence: vec![evidence(How::TranslatedFrom, span.shift(file.body_start()))],
    });
    let (origin, site, carriers, quoted) = resolve(found, &evidence);
    let offset = file.body_start();
    let figures = profile
        .figures
        .into_iter()
        .map(|f| Figure {
            kind: directory
                .figure_kind(&f.word)
                .unwrap_or(&f.word)
                .to_string(),
            value: figure_value(&f.figure),
            figure: f.figure,
            word: f.word,
            source: f.source,
            evidence: evidence(How::Figure, f.sentence.shift(offset)),
        })
        .collect();
    ArticleReport {
        record: "article",
        path: file.path().display().to_string(),
        words,
        origin,
        site,
        carriers,
        quoted,
        transformation: Transformation {
            translated_from,
            ..transformation(file, diagnostics, words)
        },
        sourcing: profile.sourcing,
        figures,
        sketch: corpus::Sketch::of(doc),
        topic: corpus::topic(doc),
    }
}

/// A figure's value when written in digits ("more than 3,000" is 3000).
fn figure_value(figure: &str) -> Option<f64> {
    let last = figure.split_whitespace().last()?;
    let digits: String = last.chars().filter(|c| *c != ',').collect();
    digits.parse().ok()
}

type Credits = (Vec<Credit>, Vec<Credit>, Vec<Carrier>, Vec<Credit>);

/// Sorts what the text says into origin, site, carriers and quoted
/// sources. The page's own outlet is the origin when nothing else is
/// credited; when the text credits another, the page carried it.
fn resolve(found: Vec<Found>, evidence: &impl Fn(How, Span) -> Evidence) -> Credits {
    let mut origin: Vec<Credit> = Vec::new();
    let mut site: Vec<Credit> = Vec::new();
    let mut quoted: Vec<Credit> = Vec::new();
    let mut carriers: Vec<Carrier> = Vec::new();
    for f in found {
        let e = evidence(f.how, f.span);
        match f.how {
            How::Dateline | How::SignOff | How::CreditLine | How::SourceLink | How::PublishedBy => {
                if let Some(name) = f.name {
                    add(&mut origin, name, f.kind, e);
                }
            }
            How::Quoted => {
                if let Some(name) = f.name {
                    add(&mut quoted, name, f.kind, e);
                }
            }
            How::Signature | How::Site => {
                if let Some(name) = f.name {
                    add(&mut site, name, f.kind, e);
                }
            }
            // A feed disclaimer names the site that carries the feed.
            How::SyndicatedFeed => {
                if let Some(name) = &f.name {
                    add(&mut site, name.clone(), f.kind, e.clone());
                }
                add_carrier(&mut carriers, f.how, f.name, e);
            }
            how => add_carrier(&mut carriers, how, f.name, e),
        }
    }
    // Quoting an agency is not being written by it, unless it is also
    // credited as the author.
    quoted.retain(|q| !origin.iter().any(|o| o.name == q.name));
    if origin.is_empty() {
        origin = site.clone();
    }
    (origin, site, carriers, quoted)
}

fn add_carrier(list: &mut Vec<Carrier>, how: How, name: Option<String>, e: Evidence) {
    match list.iter_mut().find(|c| c.how == how) {
        Some(c) => {
            if c.name.is_none() {
                c.name = name;
            }
            c.evidence.push(e);
        }
        None => list.push(Carrier {
            how,
            name,
            evidence: vec![e],
        }),
    }
}

fn add(list: &mut Vec<Credit>, name: String, kind: Option<OutletKind>, e: Evidence) {
    match list.iter_mut().find(|c| c.name == name) {
        Some(c) => c.evidence.push(e),
        None => list.push(Credit {
            name,
            kind,
            evidence: vec![e],
        }),
    }
}

fn transformation(file: &SourceFile, diagnostics: &[Diagnostic], words: usize) -> Transformation {
    let per_1000 = |n: usize| {
        if words == 0 {
            0.0
        } else {
            (n as f64 * 1000.0 / words as f64 * 10.0).round() / 10.0
        }
    };
    let of = |c: Category| diagnostics.iter().filter(move |d| d.category == c);
    let translation = of(Category::TRANSLATION).count();
    let extraction = of(Category::EXTRACTION).count();
    let mut translation_rules: Vec<String> = Vec::new();
    for d in of(Category::TRANSLATION) {
        if !translation_rules.contains(&d.rule) {
            translation_rules.push(d.rule.clone());
        }
    }
    let rate = per_1000(translation);
    let verdict = if translation == 0 {
        "none"
    } else if rate >= HEAVY_PER_1000_WORDS && translation >= HEAVY_MIN_FINDINGS {
        "heavy"
    } else {
        "some"
    };
    Transformation {
        verdict,
        translation_findings: translation,
        translation_per_1000_words: rate,
        extraction_findings: extraction,
        extraction_per_1000_words: per_1000(extraction),
        residue_share: residue_share(file, of(Category::SYNDICATION)),
        translation_rules,
        translated_from: None,
    }
}

/// The share of the file's bytes under syndication findings, overlaps
/// counted once.
fn residue_share<'d>(file: &SourceFile, found: impl Iterator<Item = &'d Diagnostic>) -> f64 {
    let mut spans: Vec<Span> = found.map(|d| d.span).collect();
    spans.sort_by_key(|s| (s.start, s.end));
    let (mut covered, mut reach) = (0usize, 0usize);
    for s in spans {
        let start = s.start.max(reach);
        if s.end > start {
            covered += s.end - start;
            reach = s.end;
        }
    }
    let total = file.text().len();
    if total == 0 {
        0.0
    } else {
        (covered as f64 / total as f64 * 1000.0).round() / 1000.0
    }
}

/// Does a report name `name` (case aside) among `credits`?
pub fn names(credits: &[Credit], name: &str) -> bool {
    credits.iter().any(|c| c.name.eq_ignore_ascii_case(name))
}

/// One line for a reader: who wrote it, who carried it, what happened to
/// it, how much of it is the page, how it is sourced.
pub fn summary_line(r: &ArticleReport) -> String {
    let names = |list: &[Credit]| {
        list.iter()
            .map(|c| {
                let mut how: Vec<&str> = c.evidence.iter().map(|e| e.how.as_str()).collect();
                how.dedup();
                format!("{} ({})", c.name, how.join(", "))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let origin = if r.origin.is_empty() {
        "unknown".to_string()
    } else {
        names(&r.origin)
    };
    let carriers = if r.carriers.is_empty() {
        "none seen".to_string()
    } else {
        r.carriers
            .iter()
            .map(|c| match &c.name {
                Some(name) => format!("{} ({name})", c.how),
                None => c.how.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let t = &r.transformation;
    let mut line = format!(
        "{}: origin {origin}; carried by {carriers}; damage {} ({} translation findings per 1,000 words); residue {:.0}% of bytes",
        r.path,
        t.verdict,
        t.translation_per_1000_words,
        t.residue_share * 100.0
    );
    if !r.quoted.is_empty() {
        line.push_str(&format!("; quotes {}", names(&r.quoted)));
    }
    let s = &r.sourcing;
    line.push_str(&format!(
        "; sources: {} named, {} anonymous, {} vague, {} unspecified",
        s.named, s.anonymous, s.vague, s.unspecified
    ));
    line
}

/// Runs the examples the provenance files carry: each text's report must
/// credit exactly its `origin`, name each of its `carriers` (by name or by
/// how) and quote each of its `quoted`. A failure names the example's
/// place in its file.
pub fn verify_examples(rules: &RuleSet, directory: &Directory) -> Vec<crate::rules::RuleError> {
    let settings = crate::config::Settings::default();
    let mut errors = Vec::new();
    for placed in directory.examples() {
        let e = &placed.example;
        let file = SourceFile::new("example", e.text.clone());
        let (_, report) = crate::engine::report_file(&file, rules, &settings, None, directory);
        let origin: Vec<&str> = report.origin.iter().map(|c| c.name.as_str()).collect();
        let mut wrong = Vec::new();
        let same_origin =
            origin.len() == e.origin.len() && e.origin.iter().all(|o| names(&report.origin, o));
        if !same_origin {
            wrong.push(format!("origin {:?}, expected {:?}", origin, e.origin));
        }
        for c in &e.carriers {
            let carried = report.carriers.iter().any(|k| {
                k.how.as_str() == c || k.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(c))
            });
            if !carried {
                wrong.push(format!("no carrier `{c}` in {:?}", report.carriers));
            }
        }
        for q in &e.quoted {
            if !names(&report.quoted, q) {
                wrong.push(format!("`{q}` not among the quoted"));
            }
        }
        if !wrong.is_empty() {
            errors.push(crate::rules::RuleError {
                file: placed.file.clone(),
                contents: Some(placed.contents.clone()),
                rule: None,
                span: Some(placed.span.clone()),
                message: format!("provenance example: {}", wrong.join("; ")),
            });
        }
    }
    errors
}
