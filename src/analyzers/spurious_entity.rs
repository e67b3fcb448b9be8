//! A country that appears once, in a slot where the sentence needs none:
//! "troops were sent to help <Country> restore order" when that country
//! plays no other part in the article.

use crate::rules::LazyRegex;
use serde::Deserialize;

use super::{Analyzer, Finding, Found, Params};
use crate::diagnostic::Span;
use crate::text::Document;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    /// Groups of country forms, one group per line, the country first.
    countries_file: String,
    /// Verbs of helping that open the slot.
    helping_verbs: Vec<String>,
    /// Verbs of restoring order that close it.
    order_verbs: Vec<String>,
}

#[derive(Debug)]
struct SpuriousEntity {
    slot: LazyRegex,
    /// Each country's forms (name, demonyms).
    groups: Vec<Vec<String>>,
}

pub fn build(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    let config: Config = params.parse()?;
    let groups: Vec<Vec<String>> = params
        .word_list(&config.countries_file)?
        .iter()
        .map(|line| line.split_whitespace().map(str::to_string).collect())
        .collect();
    let alternation = |words: &[String]| {
        words
            .iter()
            .map(|w| regex::escape(w))
            .collect::<Vec<_>>()
            .join("|")
    };
    let countries: Vec<String> = groups.iter().filter_map(|g| g.first().cloned()).collect();
    let source = format!(
        r"\b(?:{})\s+(?P<entity>{})\s+(?:to\s+)?(?:{})\b",
        alternation(&config.helping_verbs),
        alternation(&countries),
        alternation(&config.order_verbs)
    );
    let slot = LazyRegex::new(source, true, false)?;
    Ok(Box::new(SpuriousEntity { slot, groups }))
}

impl SpuriousEntity {
    /// How often any form of `country` appears as a word in `text`.
    fn mentions(&self, text: &str, country: &str) -> usize {
        let Some(group) = self
            .groups
            .iter()
            .find(|g| g.first().is_some_and(|c| c == country))
        else {
            return 0;
        };
        group
            .iter()
            .map(|form| {
                text.match_indices(form.as_str())
                    .filter(|(i, _)| {
                        let before = text[..*i].chars().next_back();
                        let after = text[i + form.len()..].chars().next();
                        !before.is_some_and(char::is_alphanumeric)
                            && !after.is_some_and(char::is_alphanumeric)
                    })
                    .count()
            })
            .sum()
    }
}

impl Analyzer for SpuriousEntity {
    fn variables(&self) -> &'static [&'static str] {
        &["entity"]
    }

    fn check(&self, doc: &Document<'_>, out: &mut Found) {
        let text = doc.text();
        let starts = doc.regex_starts(&self.slot);
        self.slot
            .for_each_match(text, 0..text.len(), starts, |caps| {
                let entity = caps
                    .get_group_by_name("entity")
                    .expect("the slot has an entity");
                let entity = &text[entity.start..entity.end];
                if self.mentions(text, entity) == 1 {
                    let m = caps.get_match().expect("a match");
                    out.push(Finding::new(Span::new(m.start(), m.end())).var("entity", entity));
                }
            });
    }

    fn regexes(&self) -> Vec<&LazyRegex> {
        vec![&self.slot]
    }
}
