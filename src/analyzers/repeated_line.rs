//! The same short line twice in a row: an image's alt text and caption, or a
//! tag and a heading, both kept by the extractor.

use serde::Deserialize;

use super::{Analyzer, Finding, Found, Params};
use crate::diagnostic::Span;
use crate::text::{Document, Line};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    /// Longer lines are prose, where a repeat is another rule's business.
    #[serde(default = "default_max_chars")]
    max_chars: usize,
    /// How many blank lines may separate the two copies.
    #[serde(default = "default_max_gap")]
    max_blank_lines_between: usize,
}

fn default_max_chars() -> usize {
    80
}

fn default_max_gap() -> usize {
    1
}

#[derive(Debug)]
struct RepeatedLine(Config);

pub fn build(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    Ok(Box::new(RepeatedLine(params.parse()?)))
}

impl RepeatedLine {
    fn is_candidate(&self, line: &Line) -> bool {
        let t = line.text.trim();
        !t.is_empty()
            && t.chars().count() <= self.0.max_chars
            && t.chars().any(char::is_alphabetic)
            // A full sentence repeated is translation damage, not a label.
            && !t.ends_with(['.', '!', '?', '"', '”', ':'])
    }
}

impl Analyzer for RepeatedLine {
    fn variables(&self) -> &'static [&'static str] {
        &["line"]
    }

    fn check(&self, doc: &Document<'_>, out: &mut Found) {
        let lines = doc.lines();
        let mut i = 0;
        while i < lines.len() {
            let first = &lines[i];
            if !self.is_candidate(first) {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < lines.len() && lines[j].is_blank() && j - i <= self.0.max_blank_lines_between
            {
                j += 1;
            }
            let repeat = lines
                .get(j)
                .filter(|second| !second.is_blank() && second.text.trim() == first.text.trim());
            match repeat {
                Some(second) => {
                    let (a, b) = (first.trimmed_span(), second.trimmed_span());
                    let keep = &doc.text()[a.start..a.end];
                    out.push(
                        Finding::new(Span::new(a.start, b.end))
                            .var("line", keep)
                            .replacement(keep),
                    );
                    i = j + 1;
                }
                None => i += 1,
            }
        }
    }
}
