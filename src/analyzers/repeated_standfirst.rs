//! A summary line (standfirst) that is repeated as the start of a later
//! paragraph: the page's teaser and the article body were both extracted.

use serde::Deserialize;

use super::{Analyzer, Finding, Found, Params};
use crate::text::Document;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    #[serde(default = "default_min_words")]
    min_words: usize,
    /// How far down the article the repeat may come, in paragraphs.
    #[serde(default = "default_window")]
    window: usize,
}

fn default_min_words() -> usize {
    8
}

fn default_window() -> usize {
    8
}

#[derive(Debug)]
struct RepeatedStandfirst(Config);

pub fn build(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    Ok(Box::new(RepeatedStandfirst(params.parse()?)))
}

fn normalized(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Is `normalized(body)` longer than `lead` and does it start with it?
/// Compared word by word, without normalizing the whole paragraph.
fn opens_with(body: &str, lead: &str) -> bool {
    let mut rest = lead;
    let mut words = body.split_whitespace().peekable();
    let mut first = true;
    while let Some(w) = words.next() {
        if !first {
            if rest.is_empty() {
                return true; // the lead is done and the body goes on
            }
            match rest.strip_prefix(' ') {
                Some(r) => rest = r,
                None => return false,
            }
        }
        first = false;
        if rest.len() <= w.len() {
            return w.starts_with(rest) && (w.len() > rest.len() || words.peek().is_some());
        }
        match rest.strip_prefix(w) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    false
}

impl Analyzer for RepeatedStandfirst {
    fn variables(&self) -> &'static [&'static str] {
        &[]
    }

    fn check(&self, doc: &Document<'_>, out: &mut Found) {
        let paragraphs = doc.paragraphs();
        // The standfirst is among the first few paragraphs after the title.
        for (i, p) in paragraphs.iter().enumerate().take(4).skip(1) {
            let text = doc.slice(p.span);
            let mut words = text.split_whitespace();
            let first_word = words.next();
            // As `normalized(text).split(' ')` counts them.
            let word_count = first_word.map_or(1, |_| 1 + words.count());
            if word_count < self.0.min_words {
                continue;
            }
            let window = || paragraphs[i + 1..].iter().take(self.0.window);
            // A paragraph that opens with a lead of several words opens
            // with its first word: most leads are ruled out so, without
            // normalizing them.
            if let (Some(first), true) = (first_word, word_count > 1) {
                let opens_alike = |q: &crate::text::Paragraph| {
                    doc.slice(q.span).split_whitespace().next() == Some(first)
                };
                if !window().any(opens_alike) {
                    continue;
                }
            }
            let lead = normalized(text);
            let lead = lead.trim_end_matches(['.', '…']);
            let repeated = window().any(|q| opens_with(doc.slice(q.span), lead));
            if repeated {
                out.push(Finding::new(p.span));
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_with_a_lead_reads_whitespace_runs_as_one_space() {
        let same = |body: &str, lead: &str| {
            let n = normalized(body);
            n.len() > lead.len() && n.starts_with(lead)
        };
        for (body, lead) in [
            ("The  cabinet\nmet today and agreed", "The cabinet met"),
            ("The cabinet met", "The cabinet met"),
            ("The cabinet meets", "The cabinet met"),
            ("The cabinet meeting", "The cabinet meet"),
            ("The cabinet", "The cabinet met"),
            ("\u{a0}The cabinet met again", "The cabinet met"),
            ("The cab inet", "The cabinet"),
            ("", "The"),
        ] {
            assert_eq!(
                opens_with(body, lead),
                same(body, lead),
                "{body:?} / {lead:?}"
            );
        }
    }
}
