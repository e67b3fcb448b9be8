//! Collocations from a data file: each entry is a regex, the confusion it
//! stands for, and its own examples, which must pass for the rule to load.

use crate::rules::LazyRegex;
use serde::Deserialize;

use super::{Analyzer, Finding, Found, Params};
use crate::diagnostic::Span;
use crate::text::Document;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    /// The lexicon file beside the rule (TOML, `[[entry]]` tables).
    lexicon_file: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    entry: Vec<EntrySpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntrySpec {
    /// Case-insensitive regex; a `span` group narrows what is reported.
    pattern: String,
    /// What the phrase stands for, for the message ("'toppled': …").
    means: String,
    #[serde(default)]
    case_sensitive: bool,
    /// At least two texts it must match.
    bad: Vec<String>,
    /// Texts it must not match.
    good: Vec<String>,
}

#[derive(Debug)]
struct Entry {
    regex: LazyRegex,
    means: String,
}

#[derive(Debug)]
struct Lexicon(Vec<Entry>);

pub fn build(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    let config: Config = params.parse()?;
    let text = params.sibling(&config.lexicon_file)?;
    let file: LexiconFile =
        toml::from_str(&text).map_err(|e| format!("{}: {}", config.lexicon_file, e.message()))?;
    let mut entries = Vec::new();
    for (i, spec) in file.entry.into_iter().enumerate() {
        let name = format!(
            "{} entry {} (`{}`)",
            config.lexicon_file,
            i + 1,
            spec.pattern
        );
        let regex = LazyRegex::new(spec.pattern.clone(), true, !spec.case_sensitive)
            .map_err(|e| format!("{name}: {e}"))?;
        if spec.bad.len() < 2 {
            return Err(format!(
                "{name}: an entry needs at least two `bad` examples"
            ));
        }
        if params.verify {
            regex.compile().map_err(|e| format!("{name}: {e}"))?;
            if let Some(b) = spec.bad.iter().find(|b| !regex.get().is_match(b)) {
                return Err(format!("{name}: bad example does not match: {b:?}"));
            }
            if let Some(g) = spec.good.iter().find(|g| regex.get().is_match(g)) {
                return Err(format!("{name}: good example matches: {g:?}"));
            }
        }
        entries.push(Entry {
            regex,
            means: spec.means,
        });
    }
    Ok(Box::new(Lexicon(entries)))
}

impl Analyzer for Lexicon {
    fn variables(&self) -> &'static [&'static str] {
        &["text", "means"]
    }

    fn check(&self, doc: &Document<'_>, out: &mut Found) {
        let text = doc.text();
        for entry in &self.0 {
            let starts = doc.regex_starts(&entry.regex);
            entry
                .regex
                .for_each_match(text, 0..text.len(), starts, |caps| {
                    let m = caps
                        .get_group_by_name("span")
                        .or_else(|| caps.get_group(0))
                        .expect("group 0");
                    out.push(
                        Finding::new(Span::new(m.start, m.end))
                            .var("text", &text[m.start..m.end])
                            .var("means", entry.means.clone()),
                    );
                });
        }
    }

    fn regexes(&self) -> Vec<&LazyRegex> {
        self.0.iter().map(|e| &e.regex).collect()
    }
}
