//! The attribution vocabulary as data: cue verbs by class (with their
//! inflections), phrasal cues, attitude words, and the words a source
//! phrase is classified by. Both files carry examples that must hold for a
//! user's rule to load.

use foldhash::HashMap;
use serde::Deserialize;

use super::super::common::WordSet;
use crate::text::{Document, Token};

/// What kind of subject a cue verb takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CueClass {
    /// Saying, writing, arguing: a person, a group or a document.
    Speech,
    /// Believing, fearing, expecting: a person or a group.
    Cognition,
    /// Showing, finding: polls, studies, data.
    Evidence,
}

#[derive(Debug, Clone, Copy)]
pub struct CueVerb {
    pub class: CueClass,
    /// The form is an `-ing` participle ("saying", "showing").
    pub participle: bool,
    /// The form is the lemma ("say"): an imperative at a sentence start.
    pub base: bool,
    /// The third person singular ("says", "states"): a plural subject
    /// cannot take it, so after one it is a noun ("battleground states").
    pub third_person: bool,
    /// May come before its subject ("…, said the aides"); "told" and
    /// "urged" before a phrase take it as their object.
    pub inverts: bool,
    /// The particle a phrasal verb needs right after it ("pointed out",
    /// "weighed in"), as an index into [`Cues::particle`].
    pub particle: Option<u8>,
}

/// A phrasal cue: words before the source, and words after it ("as …
/// put it").
#[derive(Debug, Clone)]
pub struct Frame {
    pub before: Vec<String>,
    pub after: Vec<String>,
}

#[derive(Debug)]
pub struct Cues {
    verbs: HashMap<String, CueVerb>,
    /// The particles of phrasal verbs, by `CueVerb::particle`.
    particles: Vec<String>,
    /// A filter over the verb forms: most words are no cue.
    verb_words: WordSet,
    pub frames: Vec<Frame>,
    frame_starts: WordSet,
    pub attitudes: WordSet,
    /// Verb forms, frame starts and attitude words together: a filter that
    /// passes over most words of a sentence at once.
    cue_words: WordSet,
    /// For a cue verb form, the words after it that make it an action
    /// rather than a claim ("agreed to share", "agreed on a plan").
    actions: HashMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CuesFile {
    /// Lemmas that may come before their subject.
    inverted: Vec<String>,
    verbs: Vec<VerbsSpec>,
    frames: FramesSpec,
    attitudes: AttitudesSpec,
    #[serde(default)]
    actions: ActionsSpec,
}

/// `lemma word` pairs: the cue verb followed by the word does something
/// rather than says something.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionsSpec {
    words: Vec<String>,
    /// Sentences whose `[[marked]]` word must not be found as a cue.
    not_cues: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VerbsSpec {
    class: CueClass,
    /// `lemma` (regular forms are derived) or `lemma: form form …`; a
    /// phrasal verb adds its particle after the lemma (`point out`).
    words: Vec<String>,
    /// Sentences whose `[[marked]]` word must be found as a cue.
    cues: Vec<String>,
    /// Sentences whose `[[marked]]` word must not be.
    #[serde(default)]
    not_cues: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FramesSpec {
    /// `according to {source}`, `as {source} put it`.
    phrases: Vec<String>,
    cues: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AttitudesSpec {
    /// Adjectives of attitude after a copula ("were incensed").
    words: Vec<String>,
    cues: Vec<String>,
}

/// The examples of the cue file, for the caller to run on the model.
#[derive(Debug, Default)]
pub struct CueExamples {
    pub cues: Vec<String>,
    pub not_cues: Vec<String>,
}

/// Regular inflections of a verb lemma: third person, past, participle.
pub fn inflect(lemma: &str) -> [String; 3] {
    let b = lemma.as_bytes();
    let vowel = |c: u8| b"aeiou".contains(&c);
    let consonant_y = lemma.ends_with('y') && b.len() > 1 && !vowel(b[b.len() - 2]);
    let stem = &lemma[..lemma.len().saturating_sub(1)];
    let third = if consonant_y {
        format!("{stem}ies")
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| lemma.ends_with(e))
    {
        format!("{lemma}es")
    } else {
        format!("{lemma}s")
    };
    // A one-syllable verb ending consonant-vowel-consonant doubles its last
    // consonant ("slam" → "slammed"); longer ones are listed with their forms.
    let doubled =
        doubles_final_consonant(lemma).then(|| format!("{lemma}{}", &lemma[b.len() - 1..]));
    let past = if consonant_y {
        format!("{stem}ied")
    } else if let Some(d) = &doubled {
        format!("{d}ed")
    } else if lemma.ends_with('e') {
        format!("{lemma}d")
    } else {
        format!("{lemma}ed")
    };
    let participle = if let Some(d) = &doubled {
        format!("{d}ing")
    } else if lemma.ends_with("ee") || !lemma.ends_with('e') {
        format!("{lemma}ing")
    } else {
        format!("{stem}ing")
    };
    [third, past, participle]
}

/// "slam", "quip", "nod": one vowel (a "u" after "q" is none) between
/// consonants at the end, and no other vowel before.
fn doubles_final_consonant(lemma: &str) -> bool {
    let b = lemma.as_bytes();
    let vowel = |k: usize| b"aeiou".contains(&b[k]) && !(b[k] == b'u' && k > 0 && b[k - 1] == b'q');
    let n = b.len();
    n >= 3
        && b.is_ascii()
        && !vowel(n - 1)
        && !b"wxy".contains(&b[n - 1])
        && vowel(n - 2)
        && !vowel(n - 3)
        && (0..n - 2).all(|k| !vowel(k))
}

/// The forms a `words` entry stands for, lemma first, and the particle of
/// a phrasal verb.
fn forms(entry: &str) -> Result<(Vec<String>, Option<String>), String> {
    let (head, listed) = match entry.split_once(':') {
        Some((l, rest)) => (l.trim(), Some(rest)),
        None => (entry.trim(), None),
    };
    let mut words = head.split_whitespace();
    let (Some(lemma), particle, None) = (words.next(), words.next(), words.next()) else {
        return Err(format!(
            "`{entry}`: a verb entry is `lemma`, `lemma particle` or `lemma: form form …`"
        ));
    };
    let mut out = vec![lemma.to_lowercase()];
    match listed {
        Some(rest) => out.extend(rest.split_whitespace().map(str::to_lowercase)),
        None => out.extend(inflect(lemma)),
    }
    Ok((out, particle.map(str::to_lowercase)))
}

/// The index of `particle` in `particles`, adding it if it is new.
fn intern(particles: &mut Vec<String>, particle: String) -> Result<u8, String> {
    let at = match particles.iter().position(|q| *q == particle) {
        Some(at) => at,
        None => {
            particles.push(particle);
            particles.len() - 1
        }
    };
    u8::try_from(at).map_err(|_| "more than 256 particles".to_string())
}

impl Cues {
    pub fn parse(text: &str, file: &str) -> Result<(Cues, CueExamples), String> {
        let spec: CuesFile =
            toml::from_str(text).map_err(|e| format!("{file}: {}", e.message()))?;
        let mut verbs = HashMap::default();
        let mut particles: Vec<String> = Vec::new();
        let mut examples = CueExamples::default();
        let mut forms_of: HashMap<String, Vec<String>> = HashMap::default();
        for group in spec.verbs {
            for entry in &group.words {
                let (forms, particle) = forms(entry).map_err(|e| format!("{file}: {e}"))?;
                forms_of.insert(forms[0].clone(), forms.clone());
                let inverts = spec.inverted.contains(&forms[0]);
                let particle = particle
                    .map(|p| intern(&mut particles, p))
                    .transpose()
                    .map_err(|e| format!("{file}: {e}"))?;
                for (k, form) in forms.iter().enumerate() {
                    let verb = CueVerb {
                        class: group.class,
                        participle: form.ends_with("ing") && k > 0,
                        base: k == 0,
                        third_person: k > 0 && form.ends_with('s'),
                        inverts,
                        particle,
                    };
                    verbs.entry(form.clone()).or_insert(verb);
                }
            }
            examples.cues.extend(group.cues);
            examples.not_cues.extend(group.not_cues);
        }
        let mut frames = Vec::new();
        for phrase in &spec.frames.phrases {
            frames.push(parse_frame(phrase).map_err(|e| format!("{file}: {e}"))?);
        }
        examples.cues.extend(spec.frames.cues);
        examples.cues.extend(spec.attitudes.cues);
        let actions =
            parse_actions(&spec.actions.words, &forms_of).map_err(|e| format!("{file}: {e}"))?;
        examples.not_cues.extend(spec.actions.not_cues);
        let attitudes: Vec<String> = spec
            .attitudes
            .words
            .iter()
            .map(|w| w.to_lowercase())
            .collect();
        let frame_starts: Vec<String> = frames.iter().map(|f| f.before[0].clone()).collect();
        let cue_words = (verbs.keys().chain(&frame_starts).chain(&attitudes))
            .cloned()
            .collect();
        let cues = Cues {
            verb_words: verbs.keys().cloned().collect(),
            verbs,
            particles,
            frame_starts: frame_starts.into_iter().collect(),
            frames,
            attitudes: attitudes.into_iter().collect(),
            cue_words,
            actions,
        };
        Ok((cues, examples))
    }

    /// Is the cue verb form `lower` followed by `next` an action ("agreed
    /// to")?
    pub fn is_action(&self, lower: &str, next: &str) -> bool {
        self.actions
            .get(lower)
            .is_some_and(|words| words.iter().any(|w| w == next))
    }

    /// The cue verb the token is a form of, if any.
    pub fn verb(&self, doc: &Document<'_>, token: &Token) -> Option<CueVerb> {
        if !self.verb_words.may_hold_token(token) {
            return None;
        }
        self.verbs.get(doc.lower_token(token).as_ref()).copied()
    }

    /// The particle a phrasal cue verb needs after it ("out").
    pub fn particle(&self, verb: &CueVerb) -> Option<&str> {
        verb.particle.map(|p| self.particles[p as usize].as_str())
    }

    pub fn is_verb(&self, lower: &str) -> bool {
        self.verbs.contains_key(lower)
    }

    /// Could the word (in any case) be a cue verb, start a frame or be an
    /// attitude word? "No" is sure.
    pub fn may_be_cue(&self, word: &Token) -> bool {
        self.cue_words.may_hold_token(word)
    }

    /// Could a phrasal cue start at this token?
    pub fn may_start_frame(&self, doc: &Document<'_>, token: &Token) -> bool {
        self.frame_starts.contains_token(doc, token)
    }
}

/// Each `lemma word` of the actions list, for every form of the lemma.
fn parse_actions(
    entries: &[String],
    forms_of: &HashMap<String, Vec<String>>,
) -> Result<HashMap<String, Vec<String>>, String> {
    let mut out: HashMap<String, Vec<String>> = HashMap::default();
    for entry in entries {
        let mut words = entry.split_whitespace().map(str::to_lowercase);
        let (Some(lemma), Some(next), None) = (words.next(), words.next(), words.next()) else {
            return Err(format!(
                "action `{entry}`: write a cue verb's lemma and the word after it"
            ));
        };
        let Some(forms) = forms_of.get(&lemma) else {
            return Err(format!(
                "action `{entry}`: `{lemma}` is not a cue verb's lemma"
            ));
        };
        for form in forms {
            out.entry(form.clone()).or_default().push(next.clone());
        }
    }
    Ok(out)
}

fn parse_frame(phrase: &str) -> Result<Frame, String> {
    let Some((before, after)) = phrase.split_once("{source}") else {
        return Err(format!("frame `{phrase}` has no `{{source}}`"));
    };
    let words = |s: &str| {
        s.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    let frame = Frame {
        before: words(before),
        after: words(after),
    };
    if frame.before.is_empty() {
        return Err(format!("frame `{phrase}` needs a word before `{{source}}`"));
    }
    Ok(frame)
}

/// The words source phrases are classified by.
#[derive(Debug)]
pub struct Sources {
    /// Plural or collective heads that name a group ("officials"), in
    /// lower case.
    pub groups: WordSet,
    /// Groups whose names are capitalised ("Republicans", "Kurds"), in
    /// lower case. A listed lower-case group capitalised inside a phrase
    /// is part of a name ("the United Nations").
    pub capitalised_groups: WordSet,
    /// Endings of plural nouns of agents ("-ers", "-ists"): a head with one
    /// is a group even when it is not listed.
    pub group_endings: Vec<String>,
    /// Endings that make a capitalised plural a group ("Americans").
    pub capitalised_group_endings: Vec<String>,
    /// Polls, studies, reports, data.
    pub evidence: WordSet,
    /// Bodies that speak as one ("authorities", "government"): named when
    /// a name qualifies them ("the Kazakh authorities").
    pub institutions: WordSet,
    /// "many", "some", "a number of".
    pub quantities: WordSet,
    /// Singular roles of a person described but not named.
    pub roles: WordSet,
    /// Capitalised words that qualify a source without naming it.
    pub qualifiers: WordSet,
    /// Words before a name that make a titled person ("Mr.", "Sen.").
    pub titles: WordSet,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    groups: Vec<String>,
    group_endings: Vec<String>,
    capitalised_group_endings: Vec<String>,
    evidence: Vec<String>,
    institutions: Vec<String>,
    quantities: Vec<String>,
    roles: Vec<String>,
    qualifiers: Vec<String>,
    titles: Vec<String>,
    /// Phrases and the class each must get.
    examples: Vec<SourceExample>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceExample {
    pub phrase: String,
    pub class: String,
}

impl Sources {
    pub fn parse(text: &str, file: &str) -> Result<(Sources, Vec<SourceExample>), String> {
        let spec: SourcesFile =
            toml::from_str(text).map_err(|e| format!("{file}: {}", e.message()))?;
        let lower = |v: &[String]| -> WordSet { v.iter().map(|w| w.to_lowercase()).collect() };
        let sources = Sources {
            groups: spec
                .groups
                .iter()
                .filter(|w| !w.starts_with(char::is_uppercase))
                .cloned()
                .collect(),
            capitalised_groups: spec
                .groups
                .iter()
                .filter(|w| w.starts_with(char::is_uppercase))
                .map(|w| w.to_lowercase())
                .collect(),
            group_endings: spec.group_endings,
            capitalised_group_endings: spec.capitalised_group_endings,
            evidence: lower(&spec.evidence),
            institutions: lower(&spec.institutions),
            quantities: lower(&spec.quantities),
            roles: lower(&spec.roles),
            qualifiers: spec.qualifiers.into_iter().collect(),
            titles: lower(&spec.titles),
        };
        Ok((sources, spec.examples))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_inflections() {
        assert_eq!(inflect("warn"), ["warns", "warned", "warning"]);
        assert_eq!(inflect("argue"), ["argues", "argued", "arguing"]);
        assert_eq!(inflect("deny"), ["denies", "denied", "denying"]);
        assert_eq!(inflect("stress"), ["stresses", "stressed", "stressing"]);
        assert_eq!(inflect("agree"), ["agrees", "agreed", "agreeing"]);
        assert_eq!(inflect("slam"), ["slams", "slammed", "slamming"]);
        assert_eq!(inflect("quip"), ["quips", "quipped", "quipping"]);
        assert_eq!(inflect("vow"), ["vows", "vowed", "vowing"]);
        assert_eq!(inflect("blast"), ["blasts", "blasted", "blasting"]);
        assert_eq!(inflect("fear"), ["fears", "feared", "fearing"]);
        assert_eq!(inflect("say")[0], "says");
    }

    #[test]
    fn listed_forms_replace_the_regular_ones() {
        assert_eq!(
            forms("tell: tells told telling").unwrap().0,
            ["tell", "tells", "told", "telling"]
        );
        assert!(forms("three whole words").is_err());
    }

    #[test]
    fn a_phrasal_verb_keeps_its_particle() {
        let (forms, particle) = forms("point out").unwrap();
        assert_eq!(forms, ["point", "points", "pointed", "pointing"]);
        assert_eq!(particle.as_deref(), Some("out"));
    }
}
