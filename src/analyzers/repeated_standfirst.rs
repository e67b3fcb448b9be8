//! A summary line (standfirst) that is repeated as the start of a later
//! paragraph: the page's teaser and the article body were both extracted.

use serde::Deserialize;

use super::{Analyzer, Finding, Params};
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

impl Analyzer for RepeatedStandfirst {
    fn variables(&self) -> &'static [&'static str] {
        &[]
    }

    fn check(&self, doc: &Document<'_>, out: &mut Vec<Finding>) {
        let paragraphs = doc.paragraphs();
        // The standfirst is among the first few paragraphs after the title.
        for (i, p) in paragraphs.iter().enumerate().take(4).skip(1) {
            let lead = normalized(doc.slice(p.span));
            if lead.split(' ').count() < self.0.min_words {
                continue;
            }
            let lead = lead.trim_end_matches(['.', '…']);
            let repeated = paragraphs[i + 1..].iter().take(self.0.window).any(|q| {
                let body = normalized(doc.slice(q.span));
                body.len() > lead.len() && body.starts_with(lead)
            });
            if repeated {
                out.push(Finding::new(p.span));
                return;
            }
        }
    }
}
