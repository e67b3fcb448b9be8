//! The source phrase classifier: a subject such as "many farmers in the
//! valley", "a White House spokeswoman" or "Interior Ministry officials"
//! as a head noun with its determiners, quantifiers and modifiers, and its
//! class.

use super::vocab::Sources;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    /// A proper name, a named organisation or outlet, a titled person.
    Named,
    /// Described but not named: "a White House spokeswoman", "Clinton
    /// aides", "two diplomats".
    Anonymous,
    /// A plural or collective group, a quantity of people, an unnamed poll
    /// or report: the phrase, for the message, and its head noun in lower
    /// case ("analysts" in "some analysts in London").
    Vague { phrase: String, head: String },
    /// A pronoun, or "the officials" after they were introduced.
    Carried,
    /// No source a reader could weigh ("state television", "the move").
    Unspecified,
}

impl SourceKind {
    /// The name tests and data examples use.
    pub fn name(&self) -> &'static str {
        match self {
            SourceKind::Named => "named",
            SourceKind::Anonymous => "anonymous",
            SourceKind::Vague { .. } => "vague",
            SourceKind::Carried => "carried",
            SourceKind::Unspecified => "none",
        }
    }
}

/// One word of a source phrase as the classifier sees it.
#[derive(Debug, Clone)]
pub struct PhraseWord<'a> {
    pub text: &'a str,
    pub lower: String,
    /// The first word of its sentence, capitalised for that reason alone
    /// unless the article capitalises it elsewhere.
    pub sentence_start: bool,
    /// Followed by a possessive mark ("voters’").
    pub possessive: bool,
}

/// What the article says about a word beyond the phrase.
pub trait WordContext {
    /// Was the word (in lower case) used before byte `before`?
    fn used_before(&self, lower: &str, before: usize) -> bool;
    /// Is the word capitalised somewhere other than at a sentence start?
    fn capitalised_elsewhere(&self, lower: &str) -> bool;
}

/// No article around the phrase: for examples and tests.
pub struct NoContext;

impl WordContext for NoContext {
    fn used_before(&self, _: &str, _: usize) -> bool {
        false
    }
    fn capitalised_elsewhere(&self, _: &str) -> bool {
        false
    }
}

const PRONOUNS: &[&str] = &["he", "she", "they", "we", "i", "it", "you", "both"];
/// Prepositions that may join a group to what qualifies it ("members of
/// Congress", "people in the valley"); the cue finder walks through them too.
pub(super) const PREPOSITIONS: &[&str] = &[
    "of",
    "in",
    "on",
    "at",
    "from",
    "to",
    "for",
    "with",
    "among",
    "across",
    "around",
    "within",
    "inside",
    "outside",
    "throughout",
    "near",
];
/// Adjectives that open a qualifier after a group ("people familiar with").
pub(super) const POSTMODIFIERS: &[&str] = &[
    "familiar",
    "close",
    "involved",
    "briefed",
    "knowledgeable",
    "opposed",
    "loyal",
    "allied",
    "like",
];
/// Prepositions whose named complement makes a group specific ("officials
/// at the ministry", "advisers to Mr. Obama"); "experts on North Korea"
/// stays vague.
const AFFILIATING: &[&str] = &["at", "from", "to", "for", "with", "close"];
const DEFINITE: &[&str] = &["the", "these", "those", "this", "that"];
const POSSESSIVE: &[&str] = &["his", "her", "their", "its", "our", "my", "your"];
const INDEFINITE: &[&str] = &["a", "an", "one", "another"];
const COUNTS: &[&str] = &[
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "2", "3", "4", "5",
];
/// Endings of common adjectives and participles: a capitalised sentence
/// start with one ("Frustrated", "Younger") is no name; "Kazakh" is.
const COMMON_ENDINGS: &[&str] = &[
    "ed", "ing", "ly", "er", "est", "ous", "ive", "ful", "less", "able", "ible", "al", "ent",
    "ant", "ary", "ory",
];
const WH: &[&str] = &["who", "whom", "which"];

fn is_preposition(w: &str) -> bool {
    PREPOSITIONS.contains(&w) || POSTMODIFIERS.contains(&w)
}

/// The phrase's class. `start` is the byte offset of its first word, for
/// "the officials" that points back to an earlier mention.
pub fn classify(
    words: &[PhraseWord<'_>],
    start: usize,
    vocab: &Sources,
    context: &dyn WordContext,
) -> SourceKind {
    let conjuncts: Vec<&[PhraseWord<'_>]> = words
        .split(|w| matches!(w.lower.as_str(), "and" | "or" | "&"))
        .filter(|c| !c.is_empty())
        .collect();
    if conjuncts.len() > 1 {
        // "Retailers and unions": vague unless someone in it is named.
        let kinds: Vec<SourceKind> = conjuncts
            .iter()
            .map(|c| classify_simple(c, start, vocab, context))
            .collect();
        return if kinds.contains(&SourceKind::Named) {
            SourceKind::Named
        } else if let Some(head) = kinds.iter().find_map(|k| match k {
            SourceKind::Vague { head, .. } => Some(head.clone()),
            _ => None,
        }) {
            SourceKind::Vague {
                phrase: phrase_text(words),
                head,
            }
        } else if kinds.contains(&SourceKind::Anonymous) {
            SourceKind::Anonymous
        } else {
            kinds.into_iter().next().unwrap_or(SourceKind::Unspecified)
        };
    }
    classify_simple(words, start, vocab, context)
}

fn phrase_text(words: &[PhraseWord<'_>]) -> String {
    let mut out = String::new();
    for w in words {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w.text);
        if w.possessive {
            out.push('’');
        }
    }
    out
}

/// A plural by its ending: "surveys", not "analysis", "consensus" or
/// "progress".
pub(super) fn looks_plural(lower: &str) -> bool {
    lower.ends_with('s') && !["ss", "sis", "us"].iter().any(|e| lower.ends_with(e))
}

/// The word without a possessive ending ("Obama’s" → "obama").
fn bare(lower: &str) -> &str {
    // As `trim_end_matches` would, without building a substring searcher
    // for each word (1.4% of a run's instructions when it did).
    let mut word = lower;
    while let Some(w) = word.strip_suffix("’s") {
        word = w;
    }
    while let Some(w) = word.strip_suffix("'s") {
        word = w;
    }
    word
}

fn classify_simple(
    words: &[PhraseWord<'_>],
    start: usize,
    vocab: &Sources,
    context: &dyn WordContext,
) -> SourceKind {
    if words.is_empty() {
        return SourceKind::Unspecified;
    }
    if words.len() == 1 && PRONOUNS.contains(&words[0].lower.as_str()) {
        return SourceKind::Carried;
    }
    // Chunks between prepositions: "a number | other members | Congress".
    let mut chunks: Vec<(Option<&str>, &[PhraseWord<'_>])> = Vec::new();
    let mut from = 0;
    let mut prep = None;
    for (k, w) in words.iter().enumerate() {
        if k > 0 && is_preposition(&w.lower) {
            chunks.push((prep, &words[from..k]));
            prep = Some(w.lower.as_str());
            from = k + 1;
        }
    }
    chunks.push((prep, &words[from..]));
    chunks.retain(|(_, c)| !c.is_empty());
    let Some(&(_, first)) = chunks.first() else {
        return SourceKind::Unspecified;
    };
    // "Jefferies Group", "the Wallenberg Group": capitalised inside a
    // phrase, a quantity word is part of a name.
    let is_quantity = |c: &[PhraseWord<'_>]| {
        c.last().is_some_and(|w| {
            let capitalised_inside = c.len() > 1 && w.text.starts_with(char::is_uppercase);
            vocab.quantities.contains(bare(&w.lower)) && !capitalised_inside
        })
    };
    // "a number of X", "many of whom": the quantity is vague, X the head.
    let quantified = is_quantity(first);
    let head_index = if quantified && chunks.len() > 1 { 1 } else { 0 };
    let (_, head_chunk) = chunks[head_index];
    let head = head_chunk.last().expect("chunks are not empty");
    let head_word = bare(&head.lower);
    let det = first[0].lower.as_str();
    let vague = || SourceKind::Vague {
        phrase: phrase_text(words),
        head: head_word.to_string(),
    };

    if quantified && DEFINITE.contains(&det) && head_index == 0 {
        return SourceKind::Unspecified; // "the group", "the rest", "the most"
    }
    if quantified && (chunks.len() == 1 || WH.contains(&head_word)) {
        // "Some believe", "many of whom say", "others in the party"
        if first.len() == 1 || !COUNTS.contains(&det) {
            return vague();
        }
    }
    let names_in = |c: &[PhraseWord<'_>]| {
        c.iter().enumerate().any(|(k, w)| {
            let next_capitalised = c
                .get(k + 1)
                .is_some_and(|n| n.text.starts_with(char::is_uppercase));
            is_name(w, next_capitalised, vocab, context)
        })
    };
    let named_modifier = names_in(&head_chunk[..head_chunk.len() - 1])
        || (head_index == 1 && names_in(&first[..first.len() - 1]));
    let named_complement = chunks[head_index + 1..]
        .iter()
        .any(|(p, c)| p.is_some_and(|p| AFFILIATING.contains(&p)) && names_in(c));
    let pointed_back =
        DEFINITE.contains(&det) && context.used_before(head_word, start) && head_index == 0;

    if vocab.evidence.contains(head_word) {
        if chunks.iter().any(|(_, c)| names_in(c)) {
            return SourceKind::Named; // "a Gallup poll", "a study in The Lancet"
        }
        // "The study", "this report": a singular with a definite article
        // points at one the reader was told of.
        let definite_singular = DEFINITE.contains(&det) && !looks_plural(head_word);
        if pointed_back || definite_singular || POSSESSIVE.contains(&det) {
            return SourceKind::Carried;
        }
        return vague();
    }
    if vocab.institutions.contains(head_word) && (named_modifier || named_complement) {
        return SourceKind::Named; // "the Kazakh authorities"
    }
    if is_group(head, vocab, context) {
        if named_modifier || named_complement || POSSESSIVE.contains(&det) {
            return SourceKind::Anonymous; // "Clinton aides", "his advisers"
        }
        if COUNTS.contains(&det) && head_index == 0 {
            return SourceKind::Anonymous; // "two diplomats"
        }
        if pointed_back {
            return SourceKind::Carried;
        }
        return vague();
    }
    if vocab.roles.contains(head_word) && INDEFINITE.contains(&det) {
        return SourceKind::Anonymous; // "a White House spokeswoman"
    }
    if names_in(head_chunk) || head_index == 0 && chunks.iter().any(|(_, c)| names_in(c)) {
        return SourceKind::Named;
    }
    SourceKind::Unspecified
}

/// A plural or collective head that stands for a group of people or
/// bodies.
fn is_group(w: &PhraseWord<'_>, vocab: &Sources, context: &dyn WordContext) -> bool {
    let lower = bare(&w.lower);
    if vocab.capitalised_groups.contains(lower) {
        return true;
    }
    let capitalised = w.text.starts_with(char::is_uppercase);
    let long = lower.chars().count() > 4;
    let all_caps = w.text.chars().all(|c| !c.is_lowercase());
    let capitalised_as_name = !w.sentence_start || context.capitalised_elsewhere(lower);
    if capitalised && !all_caps {
        // "Americans", "Democrats"; "Reuters", "Sanders" and the "United
        // Nations" are names. At a sentence start either reading holds.
        let capitalised_group = long
            && vocab
                .capitalised_group_endings
                .iter()
                .any(|e| lower.ends_with(e.as_str()));
        if capitalised_as_name || capitalised_group {
            return capitalised_group;
        }
    }
    vocab.groups.contains(lower)
        || long
            && vocab
                .group_endings
                .iter()
                .any(|e| lower.ends_with(e.as_str()))
}

/// A word that names someone: capitalised for no reason but the name.
pub(super) fn is_name(
    w: &PhraseWord<'_>,
    next_capitalised: bool,
    vocab: &Sources,
    context: &dyn WordContext,
) -> bool {
    let lower = bare(&w.lower);
    if !w.text.starts_with(char::is_uppercase) && !w.text.starts_with(char::is_numeric) {
        return false;
    }
    if w.text.starts_with(char::is_numeric) {
        return w.text.chars().any(char::is_alphabetic); // "9/11", "G7"
    }
    if vocab.qualifiers.contains(bare(w.text)) || vocab.quantities.contains(lower) {
        return false;
    }
    // "A new survey", "The aides": a capitalised determiner names nobody.
    let determiner = [DEFINITE, POSSESSIVE, INDEFINITE]
        .iter()
        .any(|list| list.contains(&lower));
    if determiner || is_group(w, vocab, context) {
        return false;
    }
    if vocab.titles.contains(lower.trim_end_matches('.')) {
        return true;
    }
    // A sentence's first word is capitalised anyway: a name only if the
    // article capitalises it elsewhere, it is an acronym, or a capitalised
    // word follows ("Amnesty International").
    if w.sentence_start {
        let acronym = w.text.chars().filter(|c| c.is_uppercase()).count() > 1;
        let common_shape = COMMON_ENDINGS.iter().any(|e| lower.ends_with(e));
        return acronym
            || next_capitalised
            || context.capitalised_elsewhere(lower)
            || !common_shape && !vocab.roles.contains(lower) && !vocab.evidence.contains(lower);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Sources {
        let text = include_str!("../../../rules/attribution/sources.vocab");
        Sources::parse(text, "sources.vocab")
            .expect("built-in vocabulary")
            .0
    }

    fn class_of(phrase: &str, context: &dyn WordContext) -> &'static str {
        let words: Vec<PhraseWord<'_>> = phrase
            .split(' ')
            .enumerate()
            .map(|(k, w)| PhraseWord {
                text: w,
                lower: w.to_lowercase(),
                sentence_start: k == 0,
                possessive: false,
            })
            .collect();
        classify(&words, 100, &vocab(), context).name()
    }

    /// An article in which "officials" came up earlier.
    struct Earlier;
    impl WordContext for Earlier {
        fn used_before(&self, lower: &str, before: usize) -> bool {
            lower == "officials" && before > 0
        }
        fn capitalised_elsewhere(&self, lower: &str) -> bool {
            lower == "reuters"
        }
    }

    #[test]
    fn a_bare_word_drops_every_possessive_ending() {
        for (word, want) in [
            ("ministry’s", "ministry"),
            ("voters's", "voters"),
            ("boss’s’s", "boss"),
            ("the’s's", "the’s"),
            ("’s", ""),
            ("news", "news"),
            ("analysis", "analysis"),
            ("'s’s", ""),
        ] {
            assert_eq!(bare(word), want, "{word}");
            assert_eq!(
                bare(word),
                word.trim_end_matches("’s").trim_end_matches("'s"),
                "{word}"
            );
        }
    }

    #[test]
    fn each_class_from_hand_written_phrases() {
        let cases = [
            ("the Foreign Ministry", "named"),
            ("Gov. Ana Ruiz", "named"),
            ("a Pew survey", "named"),
            ("the Chilean government", "named"),
            ("Jefferies Group", "named"),
            ("an aide to the governor", "anonymous"),
            ("Pentagon officials", "anonymous"),
            ("three lawmakers", "anonymous"),
            ("their lawyers", "anonymous"),
            ("Democrats", "vague"),
            ("Americans", "vague"),
            ("some senior diplomats", "vague"),
            ("staffers", "vague"),
            ("a number of economists", "vague"),
            ("an unpublished study", "vague"),
            ("retailers and unions", "vague"),
            ("many of whom", "vague"),
            ("they", "carried"),
            ("he", "carried"),
            ("state radio", "none"),
            ("the move", "none"),
        ];
        for (phrase, want) in cases {
            assert_eq!(class_of(phrase, &NoContext), want, "{phrase}");
        }
    }

    #[test]
    fn the_article_decides_carried_over_and_names() {
        // "the officials" after officials were introduced points back.
        assert_eq!(class_of("the officials", &Earlier), "carried");
        assert_eq!(class_of("the officials", &NoContext), "vague");
        // A name that ends like a plural stays a name where the article
        // capitalises it mid-sentence.
        assert_eq!(class_of("Reuters", &Earlier), "named");
        assert_eq!(class_of("Reuters reporters", &Earlier), "anonymous");
    }

    #[test]
    fn capitalised_common_nouns_inside_a_name_are_the_name() {
        assert_eq!(class_of("the United Nations", &NoContext), "named");
        assert_eq!(class_of("Senate Republicans", &NoContext), "anonymous");
    }
}
