//! A one-sentence paragraph between body paragraphs that describes a
//! picture: a photo credit ("(Reuters)", "Photo: …"), or a present-tense
//! scene ("Residents gather outside the court") ending in a place and date.

use serde::Deserialize;

use super::common::words;
use super::{Analyzer, Finding, Found, Params};
use crate::rules::LazyRegex;
use crate::text::Document;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    /// Present-tense verbs of caption scenes ("gather", "greets").
    scene_verbs_file: String,
    /// Words that cannot come right before a verb (articles, prepositions):
    /// "a long visit" or "the protests" are nouns.
    not_before_verb_file: String,
    /// The scene verb must come within this many words of the start.
    #[serde(default = "default_verb_within")]
    verb_within: usize,
    /// Agencies and picture desks that appear as a credit in parentheses.
    credits: Vec<String>,
    #[serde(default = "default_max_words")]
    max_words: usize,
}

fn default_max_words() -> usize {
    45
}

fn default_verb_within() -> usize {
    10
}

/// Before the main verb of a caption there is no auxiliary: "had ordered
/// … to take" is narrative, "Residents take shelter" is a scene.
const AUXILIARIES: &[&str] = &[
    "has", "have", "had", "is", "are", "was", "were", "will", "would", "can", "could", "may",
    "might", "must", "shall", "should", "did", "does", "do", "been", "be", "to",
];

/// A verb right after these heads a relative clause ("Delhi, which holds
/// …"), not the caption's main clause.
const RELATIVE_PRONOUNS: &[&str] = &["which", "who", "whom", "whose", "that", "where", "when"];

#[derive(Debug)]
struct InlineCaption {
    scene_verbs: Vec<String>,
    not_before_verb: Vec<String>,
    verb_within: usize,
    credit: LazyRegex,
    dated_end: LazyRegex,
    attribution: LazyRegex,
    max_words: usize,
}

const MONTH: &str = "(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\\.|Feb\\.|Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\.)";
const WEEKDAY: &str = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";

/// A regex tried on a whole paragraph, `$` at its end: checked when the
/// rule loads and compiled when an article first needs it, with the rules'
/// regexes (and in parallel with them: it was the last regex a one-file
/// run compiled, alone).
fn paragraph_regex(source: String) -> Result<LazyRegex, String> {
    LazyRegex::new(format!("(?-mR:{source})"), false, false)
}

pub fn build(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    let config: Config = params.parse()?;
    let credits = config
        .credits
        .iter()
        .map(|c| regex::escape(c))
        .collect::<Vec<_>>()
        .join("|");
    let credit = paragraph_regex(format!(
        r"(?:\((?:{credits}|[^()]{{0,40}}(?:Photo|Photos|Images|Pictures|Picture|Photograph)\b[^()]{{0,40}})\)|\b(?:Photo|Photograph|Picture|Image|Credit)\s*:\s*\S.*|\bAP Photo/\S.*)\.?$"
    ))?;
    // "... in Almaty on January 8." / "on Friday, March 6, 2020." / "on 5 May".
    let dated_end = paragraph_regex(format!(
        r"\bon\s+(?:{WEEKDAY},?\s+)?(?:{MONTH}\s+\d{{1,2}}(?:,\s+\d{{4}})?|\d{{1,2}}\s+{MONTH}(?:\s+\d{{4}})?|{WEEKDAY})\.?$"
    ))?;
    let attribution = paragraph_regex(
        r#"(?i)\b(?:said|says|told|according to|reported|announced|stated)\b|["“”«»]"#.into(),
    )?;
    Ok(Box::new(InlineCaption {
        scene_verbs: params.word_list(&config.scene_verbs_file)?,
        not_before_verb: params.word_list(&config.not_before_verb_file)?,
        verb_within: config.verb_within,
        credit,
        dated_end,
        attribution,
        max_words: config.max_words,
    }))
}

impl InlineCaption {
    /// A subject, then a present-tense scene verb as the main verb:
    /// "Local residents stand …", "The minister greets …".
    fn opens_with_scene(&self, doc: &Document<'_>, sentence: &crate::text::Sentence) -> bool {
        let ws: Vec<&str> = words(doc, sentence)
            .iter()
            .map(|w| doc.slice(w.span))
            .collect();
        let Some(at) = ws
            .iter()
            .take(self.verb_within)
            .position(|w| self.scene_verbs.iter().any(|v| v == w))
        else {
            return false;
        };
        at > 0
            && !ws[..at]
                .iter()
                .any(|w| AUXILIARIES.contains(&w.to_lowercase().as_str()))
            && !self
                .not_before_verb
                .iter()
                .any(|n| n.eq_ignore_ascii_case(ws[at - 1]))
            && !RELATIVE_PRONOUNS.contains(&ws[at - 1].to_lowercase().as_str())
    }
}

impl Analyzer for InlineCaption {
    fn variables(&self) -> &'static [&'static str] {
        &["reason"]
    }

    fn context_regexes(&self) -> Vec<&LazyRegex> {
        vec![&self.credit, &self.dated_end, &self.attribution]
    }

    fn check(&self, doc: &Document<'_>, out: &mut Found) {
        let paragraphs = doc.paragraphs();
        // The first paragraph of plain prose: a caption comes after it.
        let first_body = paragraphs
            .iter()
            .position(|p| !p.heading && !p.bullet && !p.tabular);
        for (i, p) in paragraphs.iter().enumerate() {
            // Between two paragraphs of the article, itself plain prose.
            let between = first_body.is_some_and(|f| f < i) && i + 1 < paragraphs.len();
            // One sentence; a credit may follow as a second ("… Photo: X").
            if !between
                || p.sentences.is_empty()
                || p.sentences.len() > 2
                || paragraphs[i].bullet
                || doc.is_tabular(i)
            {
                continue;
            }
            let text = doc.slice(p.span);
            if p.sentences.len() == 2 && !self.credit.get().is_match(text) {
                continue;
            }
            let sentence = &doc.sentences()[p.sentences.start];
            let n_words = words(doc, sentence).len();
            if n_words < 5 || n_words > self.max_words || !text.starts_with(char::is_uppercase) {
                continue;
            }
            let reason = if self.credit.get().is_match(text) {
                "it ends with a photo credit"
            } else if self.dated_end.get().is_match(text)
                && !self.attribution.get().is_match(text)
                && self.opens_with_scene(doc, sentence)
            {
                "a present-tense scene with a place and date, standing alone between paragraphs"
            } else {
                continue;
            };
            out.push(Finding::new(p.span).var("reason", reason));
        }
    }
}
