//! Quotation marks that do not pair up within a paragraph: a closing mark
//! with no opening, an opening mark left dangling at the end, or marks
//! that enclose nothing but punctuation (`“.`).

use serde::Deserialize;

use super::{Analyzer, Finding, Params};
use crate::diagnostic::Span;
use crate::text::{BlockClass, Document};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {}

#[derive(Debug)]
struct GarbledQuotation;

/// Bytes below which a paragraph the layout model is unsure of is a
/// heading, caption or list item.
const SHORT_BLOCK: usize = 80;

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

impl Analyzer for GarbledQuotation {
    fn variables(&self) -> &'static [&'static str] {
        &["problem"]
    }

    fn check(&self, doc: &Document<'_>, out: &mut Vec<Finding>) {
        let paragraphs = doc.paragraphs();
        let layout = doc.layout();
        let has_article = layout.has_article();
        for (i, p) in paragraphs.iter().enumerate() {
            let text = doc.slice(p.span);
            // Marks on the page around the article, or on a short heading,
            // caption or list item beside it, were cut by the extractor,
            // not garbled in translation.
            let class = layout.blocks[i].class;
            let short = text.len() < SHORT_BLOCK;
            if class == BlockClass::Residue || has_article && class == BlockClass::Unsure && short {
                continue;
            }
            let mut open: Option<(usize, char)> = None; // byte offset in text, mark
            let mut problems: Vec<(Span, &'static str)> = Vec::new();
            // The marks are `“ ” « »`, whose UTF-8 opens with 0xE2 or 0xC2
            // (lead bytes, so always at a character): jump between those
            // instead of decoding every character.
            let marks = memchr::memchr2_iter(0xE2, 0xC2, text.as_bytes());
            for (at, c) in marks.filter_map(|at| Some((at, text[at..].chars().next()?))) {
                if c == '“' && matches!(open, Some((_, '„'))) {
                    open = None; // „so“ closes with the English opening mark
                    continue;
                }
                let Some((opening, closing)) = pair_of(c) else {
                    continue;
                };
                let abs = p.span.start + at;
                let mark = Span::new(abs, abs + c.len_utf8());
                if c == opening {
                    let rest = &text[at + c.len_utf8()..];
                    if is_decoration(rest) {
                        continue;
                    }
                    let inner_end = rest.find(closing).unwrap_or(rest.len());
                    if rest[..inner_end].chars().all(is_punct_or_blank) {
                        let end = abs + c.len_utf8() + rest[..inner_end].trim_end().len();
                        let what = if rest[..inner_end].trim().is_empty() {
                            "opening quotation mark with nothing after it"
                        } else {
                            "quotation mark that encloses only punctuation"
                        };
                        problems.push((Span::new(abs, end.max(mark.end)), what));
                        open = None;
                        continue;
                    }
                    if open.is_some() {
                        problems.push((mark, "quotation opened again before the last one closed"));
                    }
                    open = Some((at, c));
                } else if open.is_some() {
                    open = None;
                } else {
                    problems.push((mark, "closing quotation mark with no opening one"));
                }
            }
            if let Some((at, c)) = open {
                // A quotation may run on into the next paragraph, which then
                // opens with a quotation mark again.
                let continues = paragraphs
                    .get(i + 1)
                    .is_some_and(|next| doc.slice(next.span).starts_with(c));
                // Open at the very end of the text, the quotation was cut
                // off: extraction damage, not translation.
                let last = i + 1 == paragraphs.len();
                if !continues && !last {
                    let abs = p.span.start + at;
                    problems.push((
                        Span::new(abs, abs + c.len_utf8()),
                        "quotation never closed in its paragraph",
                    ));
                }
            }
            for (span, problem) in problems {
                out.push(Finding::new(span).var("problem", problem));
            }
        }
    }
}
