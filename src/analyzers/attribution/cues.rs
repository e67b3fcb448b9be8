//! Finding attribution cues in a sentence and the source phrase of each:
//! the subject before a cue verb (past auxiliaries, modals and adverbs:
//! "have warned", "would prefer", "continue to insist"), the inverted
//! subject after it ("…, said the aides"), the source of a phrasal cue
//! ("according to", "as … put it"), and the subject of an attitude
//! ("were incensed").

use std::ops::Range;

use foldhash::HashMap;

use super::source::{
    classify, is_name, looks_plural, PhraseWord, SourceKind, WordContext, POSTMODIFIERS,
    PREPOSITIONS,
};
use super::vocab::{CueClass, CueVerb, Cues, Sources};
use crate::diagnostic::Span;
use crate::text::{word_key, Document, Token, TokenKind};

#[derive(Debug, Clone)]
pub struct Cue {
    /// The cue and its source phrase together ("Officials claimed").
    pub span: Span,
    pub source: Span,
    pub kind: SourceKind,
    /// The article's own attribution: not inside a quotation (the quoted
    /// speaker's words) nor inside the reported words of an earlier cue
    /// ("the commissioner says an internal review shows").
    pub own: bool,
}

/// Words skipped between a subject and its verb.
const BETWEEN: &[&str] = &[
    "also",
    "then",
    "further",
    "later",
    "earlier",
    "has",
    "have",
    "had",
    "was",
    "were",
    "is",
    "are",
    "be",
    "been",
    "would",
    "will",
    "could",
    "should",
    "may",
    "might",
    "must",
    "can",
    "do",
    "does",
    "did",
    "not",
    "never",
    "still",
    "now",
    "then",
    "again",
    "already",
    "even",
    "just",
    "often",
    "long",
    "too",
    "yet",
    "once",
    "first",
    "all",
    "both",
    "themselves",
    "reportedly",
    "generally",
];
/// Verbs before "to" that carry the subject on ("continue to insist").
const CATENATIVES: &[&str] = &[
    "continue",
    "continues",
    "continued",
    "continuing",
    "begin",
    "begins",
    "began",
    "begun",
    "seem",
    "seems",
    "seemed",
    "appear",
    "appears",
    "appeared",
    "tend",
    "tends",
    "tended",
    "like",
    "used",
    "going",
    "want",
    "wants",
    "wanted",
    "need",
    "needs",
    "needed",
    "ought",
    "have",
    "has",
    "had",
];
/// Adverbs set off by commas between subject and verb ("Democrats,
/// however, argue").
const PARENTHETICAL: &[&str] = &[
    "however",
    "too",
    "also",
    "though",
    "meanwhile",
    "particular",
    "turn",
    "part",
    "instead",
    "in",
    "for",
    "their",
    "his",
    "her",
    "its",
    "contrast",
    "fact",
    "general",
    "response",
    "short",
    "privately",
    "publicly",
    "separately",
    "now",
];
/// Words that end a source phrase.
const BREAKS: &[&str] = &[
    "that", "which", "who", "whom", "but", "as", "while", "when", "if", "because", "after",
    "before", "than", "whether", "where", "although", "though", "since", "until", "so", "by",
    "there", "here", "what", "how", "why", "not", "is", "are", "was", "were", "has", "have", "had",
    "will", "would", "can", "could", "should", "may", "might", "must", "do", "does", "did",
];
const COPULAS: &[&str] = &["is", "are", "was", "were", "be", "been", "being", "am"];
/// Verbs of seeming before an attitude word ("felt frustrated").
const LINKING: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "being", "am", "feel", "feels", "felt", "seem",
    "seems", "seemed", "remain", "remains", "remained", "grew", "grow", "grown", "became",
    "become", "appear", "appeared", "appears", "sound", "sounded",
];
/// Words before a verb form that make it a noun ("the reports").
const DETERMINERS: &[&str] = &[
    "the",
    "a",
    "an",
    "any",
    "these",
    "those",
    "such",
    "his",
    "her",
    "their",
    "its",
    "our",
    "my",
    "your",
    "no",
    "some",
    "many",
    "new",
    "this",
    "that",
    "of",
    "every",
    "each",
    "more",
    "few",
    "growing",
    "widespread",
    "mounting",
    "public",
    "private",
    "repeated",
    "unconfirmed",
    "conflicting",
    "and",
    "or",
    "whose",
    "early",
    "initial",
    "latest",
    "first",
    "own",
];
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "tonight",
];

/// Prepositions that never join a source phrase.
const OTHER_PREPOSITIONS: &[&str] = &[
    "without", "about", "into", "over", "under", "against", "during", "through", "between",
    "despite", "per", "via", "upon", "toward", "towards", "amid", "behind", "beyond", "onto",
    "off", "up", "down", "out",
];

/// Quantifiers that open a noun phrase ("most business leaders").
const QUANTIFIERS: &[&str] = &["some", "many", "most", "several", "few"];

/// Words a noun phrase starts with.
const PHRASE_OPENERS: &[&str] = &[
    "the", "a", "an", "this", "these", "those", "his", "her", "their", "its", "our", "my", "your",
];
/// The longest source phrase, in words.
const MAX_PHRASE: usize = 12;

/// What the cue finder asks of the rest of the article (a definite
/// article's earlier mention, a capital past a sentence start), answered
/// from the document's word keys. An article asks two or three questions
/// on average, and its first [`SCANNED_QUESTIONS`] are answered by reading
/// the keys, which costs less than a table of every word; past them the
/// table is built, so that a page asking a question per sentence stays
/// linear in its length.
pub struct Words<'a, 'd> {
    doc: &'d Document<'a>,
    asked: std::cell::Cell<usize>,
    /// Word key → (first offset, capitalised past a sentence start).
    table: std::cell::OnceCell<HashMap<u64, (usize, bool)>>,
}

/// Questions [`Words`] answers by reading the word keys.
const SCANNED_QUESTIONS: usize = 16;

impl<'a, 'd> Words<'a, 'd> {
    pub fn of(doc: &'d Document<'a>) -> Self {
        Words {
            doc,
            asked: std::cell::Cell::new(0),
            table: std::cell::OnceCell::new(),
        }
    }

    /// The table, once more than [`SCANNED_QUESTIONS`] have been asked.
    fn table(&self) -> Option<&HashMap<u64, (usize, bool)>> {
        let asked = self.asked.get() + 1;
        self.asked.set(asked);
        (asked > SCANNED_QUESTIONS).then(|| self.table.get_or_init(|| self.build()))
    }

    fn build(&self) -> HashMap<u64, (usize, bool)> {
        let mut table: HashMap<u64, (usize, bool)> = HashMap::default();
        for (i, (t, &key)) in self
            .doc
            .tokens()
            .iter()
            .zip(self.doc.word_keys())
            .enumerate()
        {
            if t.kind != TokenKind::Word {
                continue;
            }
            let capital = self.capitalised_at(i);
            table
                .entry(key)
                .and_modify(|entry| entry.1 |= capital)
                .or_insert((t.span.start, capital));
        }
        table
    }

    /// Is word `i` (a token index) capitalised where case tells: not in a
    /// heading, not first in its sentence or after an opening quotation
    /// mark, bracket, colon or dash?
    fn capitalised_at(&self, i: usize) -> bool {
        let doc = self.doc;
        let sentences = doc.sentences();
        let s = &sentences[sentences.partition_point(|s| s.tokens.end <= i)];
        let k = i - s.tokens.start;
        let toks = doc.sentence_tokens(s);
        let after_opening = k == 0
            || toks[k - 1].kind == TokenKind::Punct
                && matches!(
                    doc.slice(toks[k - 1].span),
                    "“" | "\"" | ":" | "(" | "‘" | "—"
                );
        !doc.is_heading(s.paragraph)
            && !after_opening
            && doc.slice(toks[k].span).starts_with(char::is_uppercase)
    }
}

impl WordContext for Words<'_, '_> {
    fn used_before(&self, lower: &str, before: usize) -> bool {
        let key = word_key(lower);
        if let Some(table) = self.table() {
            return table.get(&key).is_some_and(|&(first, _)| first < before);
        }
        let end = self.doc.tokens().partition_point(|t| t.span.start < before);
        self.doc.word_keys()[..end].contains(&key)
    }
    fn capitalised_elsewhere(&self, lower: &str) -> bool {
        let key = word_key(lower);
        if let Some(table) = self.table() {
            return table.get(&key).is_some_and(|&(_, capital)| capital);
        }
        self.doc
            .word_keys()
            .iter()
            .enumerate()
            .any(|(i, &k)| k == key && self.capitalised_at(i))
    }
}

/// The quotation marks read so far in a paragraph, carried from sentence
/// to sentence so that a paragraph is read once, however long.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quotes {
    open: i32,
    straight: usize,
}

impl Quotes {
    pub fn read(&mut self, text: &str) {
        // Some outlets write a quotation mark as two apostrophes.
        self.straight += text.matches("''").count();
        for c in text.chars() {
            match c {
                '“' => self.open += 1,
                '”' => self.open = (self.open - 1).max(0),
                '"' => self.straight += 1,
                _ => {}
            }
        }
    }

    pub fn is_open(&self) -> bool {
        self.open > 0 || self.straight % 2 == 1
    }
}

/// One sentence's tokens with the questions the cue finder asks of them.
pub struct Finder<'a, 'd> {
    pub doc: &'d Document<'a>,
    /// The quotation marks of the paragraph before the sentence, and
    /// where the sentence starts.
    pub quotes_before: Quotes,
    pub sentence_start: usize,
    pub toks: &'d [Token],
    pub cues: &'d Cues,
    pub sources: &'d Sources,
    pub words: &'d Words<'a, 'd>,
}

impl Finder<'_, '_> {
    fn lower(&self, k: usize) -> std::borrow::Cow<'_, str> {
        self.doc.lower_token(&self.toks[k])
    }
    fn text(&self, k: usize) -> &str {
        self.doc.slice(self.toks[k].span)
    }
    fn is_word(&self, k: usize) -> bool {
        self.toks[k].kind == TokenKind::Word
    }
    fn word_in(&self, k: usize, list: &[&str]) -> bool {
        self.is_word(k) && list.contains(&&*self.lower(k))
    }
    fn is_possessive_mark(&self, k: usize) -> bool {
        // "that’s", "it’s", "there’s": a contraction of "is", not a possessive.
        const CONTRACTED: &[&str] = &[
            "that", "it", "there", "here", "what", "who", "he", "she", "where", "how", "let",
        ];
        self.toks[k].kind == TokenKind::Punct
            && matches!(self.text(k), "’" | "'")
            && k > 0
            && self.is_word(k - 1)
            && self.toks[k - 1].span.end == self.toks[k].span.start
            && !self.word_in(k - 1, CONTRACTED)
    }
    /// A lower-case adverb in -ly ("privately", "increasingly").
    fn is_adverb(&self, k: usize) -> bool {
        let t = self.text(k);
        self.is_word(k) && t.len() > 4 && t.ends_with("ly") && t.starts_with(char::is_lowercase)
    }

    /// Every cue of the sentence, one per source phrase.
    pub fn find(&self) -> Vec<Cue> {
        let mut out: Vec<Cue> = Vec::new();
        for i in 0..self.toks.len() {
            if !self.is_word(i) {
                continue;
            }
            let raw = self.text(i);
            if !self.cues.may_be_cue(&self.toks[i]) {
                continue;
            }
            // Inside a sentence a capitalised word is a name ("the United
            // States"), not a verb; a headline in capitals is no prose.
            let capitalised = raw.starts_with(char::is_uppercase);
            if capitalised && Some(i) != self.sentence_first_word() && !self.after_opening(i) {
                continue;
            }
            let token = &self.toks[i];
            let cue = if self.cues.may_start_frame(self.doc, token) {
                self.frame_at(i)
            } else {
                None
            };
            let cue = cue.or_else(|| {
                let verb = self
                    .cues
                    .verb(self.doc, token)
                    .filter(|v| self.has_particle(i, v));
                verb.and_then(|v| self.verb_cue(i, v)).or_else(|| {
                    self.cues
                        .attitudes
                        .contains_token(self.doc, token)
                        .then(|| self.attitude_cue(i))
                        .flatten()
                })
            });
            if let Some(mut cue) = cue {
                // "Republicans wanted to know": one source, one cue.
                if !out.iter().any(|c| c.source == cue.source) {
                    cue.own = !self.in_quotation(cue.span.start) && !self.embedded(&out, &cue);
                    out.push(cue);
                }
            }
        }
        out
    }

    /// Is byte `at` inside a quotation opened in its paragraph?
    fn in_quotation(&self, at: usize) -> bool {
        let mut quotes = self.quotes_before;
        quotes.read(&self.doc.text()[self.sentence_start..at]);
        quotes.is_open()
    }

    /// Does `cue` sit in the reported words of an earlier cue of the
    /// sentence, with no clause boundary (";", ", and", ", but") between?
    fn embedded(&self, earlier: &[Cue], cue: &Cue) -> bool {
        earlier.iter().any(|e| {
            e.kind != SourceKind::Unspecified
                && e.span.end <= cue.span.start
                && !self.clause_boundary(e.span.end, cue.span.start)
        })
    }

    fn clause_boundary(&self, from: usize, to: usize) -> bool {
        let between = &self.doc.text()[from..to];
        between.contains([';', ',', ':', '—', '–'])
            || [" and ", " but ", " while ", " whereas "]
                .iter()
                .any(|b| between.contains(b))
    }

    /// "according to X", "as X put it".
    fn frame_at(&self, i: usize) -> Option<Cue> {
        'frames: for frame in &self.cues.frames {
            let mut k = i;
            for w in &frame.before {
                if k >= self.toks.len() || !self.is_word(k) || self.lower(k) != w.as_str() {
                    continue 'frames;
                }
                k += 1;
            }
            if frame.after.is_empty() {
                let source = self.phrase_after(k)?;
                return Some(self.cue(self.toks[i].span, source, true));
            }
            // The source runs to the words after it, within a phrase's length.
            let limit = (k + MAX_PHRASE).min(self.toks.len());
            for end in k + 1..limit {
                let fits = frame.after.iter().enumerate().all(|(n, w)| {
                    end + n < self.toks.len()
                        && self.is_word(end + n)
                        && self.lower(end + n) == w.as_str()
                });
                if fits {
                    let last = self.toks[end + frame.after.len() - 1].span;
                    return Some(self.cue(
                        Span::new(self.toks[i].span.start, last.end),
                        k..end,
                        true,
                    ));
                }
                if !self.is_word(end) && !self.is_possessive_mark(end) {
                    break;
                }
            }
        }
        None
    }

    fn verb_cue(&self, i: usize, verb: CueVerb) -> Option<Cue> {
        let prev = i.checked_sub(1);
        if i + 1 < self.toks.len() && self.cues.is_action(&self.lower(i), &self.lower(i + 1)) {
            return None; // "agreed to share": a commitment, not a claim
        }
        if self.hypothetical(i, verb) || self.saying(i, verb) {
            return None;
        }
        // A noun: "the reports", "any claims", "voters’ fears".
        if let Some(p) = prev {
            let possessive_word = self.is_word(p) && {
                let t = self.text(p);
                t.ends_with("’s") || t.ends_with("'s")
            };
            let after_preposition = (self.word_in(p, PREPOSITIONS) && !self.word_in(p, &["to"]))
                || self.word_in(p, OTHER_PREPOSITIONS);
            // "some reports" is a noun, "some believe" a verb with "some"
            // as its subject.
            let quantity_subject = !verb.third_person
                && !verb.participle
                && self.word_in(p, &["some", "many", "few", "most", "several", "others"]);
            let determiner = self.word_in(p, DETERMINERS) && !quantity_subject;
            if determiner || self.is_possessive_mark(p) || possessive_word || after_preposition {
                return None;
            }
        }
        if !verb.participle && !verb.base && !verb.third_person && self.is_reduced_relative(i) {
            return None;
        }
        // A passive ("is widely believed") names its source only with an
        // agent; a progressive ("are hinting") is active.
        let mut back = i;
        while back > 0
            && (self.is_adverb(back - 1)
                || self.word_in(back - 1, &["also", "widely", "often", "first"]))
        {
            back -= 1;
        }
        if back > 0 && self.word_in(back - 1, COPULAS) && !verb.participle {
            if i + 1 < self.toks.len() && self.word_in(i + 1, &["by"]) {
                let source = self.phrase_after(i + 2)?;
                return Some(self.cue(self.toks[i].span, source, true));
            }
            return None;
        }
        // A participle never takes its subject after it: "…, saying that
        // the troops would stay" is the main clause's subject speaking.
        let inverted = !verb.participle
            && match prev {
                None => !verb.base,
                Some(p) => {
                    self.toks[p].kind == TokenKind::Punct
                        && !self.is_possessive_mark(p)
                        && self.parenthetical_start(p).is_none()
                }
            };
        if let Some(source) = prev.and_then(|p| self.apposition_subject(p)) {
            let cue = self.cue(self.toks[i].span, source, false);
            return self.fits(verb, cue);
        }
        if inverted {
            // "…, said the aides." ends the clause; "…) said members will
            // help" is a subject before "said" that the walk missed.
            let source = self.phrase_after(i + 1)?;
            let ends_clause = source.end == self.toks.len()
                || !self.is_word(source.end)
                || self.word_in(source.end, PREPOSITIONS);
            let after_comma_or_quote =
                prev.is_none_or(|p| matches!(self.text(p), "," | "”" | "\"" | "’" | "—" | "–"));
            if !verb.inverts || !ends_clause || !after_comma_or_quote {
                return None;
            }
            let cue = self.cue(self.toks[i].span, source, true);
            return self.fits(verb, cue);
        }
        let end = self.subject_end(i);
        let subject = self
            .subject(end)
            .filter(|r| !verb.participle || self.opens_clause(r.start));
        let cue = match subject {
            Some(source) => self.cue(self.toks[i].span, source, false),
            // A participle with no subject of its own ("…, saying that")
            // takes the main clause's.
            None if verb.participle => Cue {
                span: self.toks[i].span,
                source: self.toks[i].span,
                kind: SourceKind::Carried,
                own: true,
            },
            None => return None,
        };
        if verb.third_person && self.plural_head(&cue) {
            return None; // "phone calls", "battleground states": a noun
        }
        if verb.participle
            && matches!(cue.kind, SourceKind::Unspecified | SourceKind::Named)
            && end < i
        {
            return None; // "…, including saying": no subject here
        }
        self.fits(verb, cue)
    }

    /// "critics will say", "voters could have weighed": speech that is
    /// only foreseen or possible, or a thought that did not happen, reports
    /// no one's claim. "Would" generalises a view ("what critics would call
    /// a bailout", "few people would have described him so") and a modal
    /// before a view ("may fear") still holds one.
    fn hypothetical(&self, i: usize, verb: CueVerb) -> bool {
        const MODALS: &[&str] = &["will", "shall", "could", "might", "may"];
        let mut k = i;
        while k > 0 && (self.is_adverb(k - 1) || self.word_in(k - 1, &["not", "also"])) {
            k -= 1;
        }
        let perfect = k > 1 && self.word_in(k - 1, &["have"]) && self.word_in(k - 2, MODALS);
        let modal = k > 0 && self.word_in(k - 1, MODALS);
        perfect || modal && verb.class == CueClass::Speech
    }

    /// "As farmers often say, ‘…’": a habitual saying quoted word for word
    /// is a proverb or a slogan, not a claim someone made.
    fn saying(&self, i: usize, verb: CueVerb) -> bool {
        const HABITUAL: &[&str] = &["often", "always", "usually", "sometimes", "commonly"];
        let habitual = i > 0 && self.word_in(i - 1, HABITUAL)
            || i > 1 && self.word_in(i - 1, &["to"]) && self.word_in(i - 2, &["like", "love"]);
        let quoted_next = i + 2 < self.toks.len()
            && matches!(self.text(i + 1), "," | ":")
            && self.text(i + 2).starts_with(['“', '"', '‘', '\'', '«']);
        verb.class == CueClass::Speech && habitual && quoted_next
    }

    /// A participle's own subject stands at a clause's start ("With polls
    /// showing …", "…, Republicans wondering …"), not after a verb ("left
    /// many nations feeling").
    fn opens_clause(&self, start: usize) -> bool {
        start == 0
            || !self.is_word(start - 1)
            || self.word_in(start - 1, &["with", "without", "and", "but", "as", "while"])
    }

    /// "people accused of fraud", "a group called Open Roads", "a plan
    /// described as bold": a past participle after its noun, not a verb.
    fn is_reduced_relative(&self, i: usize) -> bool {
        let Some(next) = (i + 1 < self.toks.len()).then_some(i + 1) else {
            return false;
        };
        let passive_sense = self.word_in(
            i,
            &[
                "accused",
                "suspected",
                "charged",
                "described",
                "viewed",
                "considered",
                "regarded",
                "known",
            ],
        );
        if passive_sense && self.word_in(next, &["of", "as"]) {
            return true;
        }
        let naming = self.word_in(
            i,
            &["called", "named", "dubbed", "known", "labelled", "labeled"],
        );
        let named = naming
            && (self.text(next).starts_with(char::is_uppercase)
                || matches!(self.text(next), "“" | "\"" | "‘"));
        named || self.relative_before_verb(i)
    }

    /// "Americans worried about the border might stop": a past participle
    /// with a prepositional complement, then the clause's own verb.
    fn relative_before_verb(&self, i: usize) -> bool {
        const COMPLEMENT: &[&str] = &[
            "about", "over", "by", "with", "at", "in", "of", "from", "for",
        ];
        const FINITE: &[&str] = &[
            "will", "would", "could", "should", "might", "may", "must", "can", "is", "are", "was",
            "were",
        ];
        const CLAUSE: &[&str] = &[
            "that", "whether", "if", "what", "who", "which", "how", "why", "when", "where",
        ];
        if !self.lower(i).ends_with("ed") || !self.word_in(i + 1, COMPLEMENT) {
            return false;
        }
        (i + 2..(i + 14).min(self.toks.len()))
            .take_while(|&k| self.is_word(k) && !self.word_in(k, CLAUSE))
            .any(|k| self.word_in(k, FINITE))
    }

    /// Does the source end in a plural noun (not a collective such as
    /// "police", which takes either number)?
    fn plural_head(&self, cue: &Cue) -> bool {
        let head = self.doc.slice(cue.source).rsplit(' ').next().unwrap_or("");
        let lower = head.to_lowercase();
        matches!(cue.kind, SourceKind::Vague { .. } | SourceKind::Anonymous)
            && lower.ends_with('s')
            && !lower.ends_with("ss")
            && !lower.ends_with("’s")
            && !self.sources.quantities.contains(&lower)
    }

    /// Evidence verbs ("show", "find") take polls and studies; the rest take
    /// people and groups.
    fn fits(&self, verb: CueVerb, cue: Cue) -> Option<Cue> {
        let head = self
            .doc
            .slice(cue.source)
            .rsplit(' ')
            .next()
            .unwrap_or("")
            .to_lowercase();
        let evidence = self.sources.evidence.contains(head.trim_end_matches("’s"));
        match verb.class {
            CueClass::Evidence if !evidence => None,
            _ => Some(cue),
        }
    }

    /// "were incensed", "felt frustrated", "are deeply worried".
    fn attitude_cue(&self, i: usize) -> Option<Cue> {
        let mut back = i;
        while back > 0
            && (self.is_adverb(back - 1)
                || self.word_in(
                    back - 1,
                    &[
                        "also", "too", "very", "so", "not", "more", "less", "still", "all",
                    ],
                ))
        {
            back -= 1;
        }
        if back == 0 || !self.word_in(back - 1, LINKING) {
            return None;
        }
        let end = self.subject_end(back - 1);
        let source = self.subject(end)?;
        let cue = self.cue(self.toks[i].span, source, false);
        matches!(cue.kind, SourceKind::Vague { .. } | SourceKind::Anonymous).then_some(cue)
    }

    /// Where a parenthetical set off by commas ("Democrats, however,
    /// argue") starts, if token `p` is the comma that ends one.
    fn parenthetical_start(&self, p: usize) -> Option<usize> {
        if self.text(p) != "," {
            return None;
        }
        let mut k = p;
        while k > 0 && p - k < 3 && self.is_word(k - 1) {
            let ok = self.word_in(k - 1, PARENTHETICAL) || self.is_adverb(k - 1);
            if !ok {
                return None;
            }
            k -= 1;
        }
        // Not `then_some(k - 1)`: its argument is computed even when k is 0.
        if k < p && k > 1 && self.text(k - 1) == "," && self.is_word(k - 2) {
            Some(k - 1)
        } else {
            None
        }
    }

    /// Where the subject of the verb at `verb` ends: walking back over
    /// auxiliaries, adverbs, "continue to", "on Friday" and parentheticals.
    fn subject_end(&self, verb: usize) -> usize {
        let mut end = verb;
        loop {
            if end == 0 {
                return end;
            }
            let k = end - 1;
            if self.word_in(k, BETWEEN) || self.is_adverb(k) || self.is_negated_auxiliary(k) {
                end -= 1;
            } else if self.word_in(k, &["to"]) && k > 0 && self.word_in(k - 1, CATENATIVES) {
                end -= 2;
            } else if self.word_in(k, WEEKDAYS) {
                end -= if k > 0 && self.word_in(k - 1, &["on"]) {
                    2
                } else {
                    1
                };
            } else if let Some(start) = self.parenthetical_start(k) {
                end = start;
            } else {
                return end;
            }
        }
    }

    /// "weren’t", "didn’t".
    fn is_negated_auxiliary(&self, k: usize) -> bool {
        let t = self.lower(k);
        self.is_word(k) && (t.ends_with("n’t") || t.ends_with("n't"))
    }

    /// The subject phrase ending at `end`, walking back to a clause
    /// boundary; through "of", "in" and "and" only where a group comes
    /// before them ("members of Congress", "Retailers and unions").
    fn subject(&self, end: usize) -> Option<Range<usize>> {
        if end == 0 {
            return None;
        }
        // "allow companies to know": an infinitive has no subject of its own.
        if self.word_in(end - 1, &["to"]) {
            return None;
        }
        // "who say": the subject is what "who" stands for.
        if self.word_in(end - 1, &["who", "whom"]) {
            let k = end - 1;
            if k >= 2
                && self.word_in(k - 1, &["of"])
                && self.sources.quantities.contains(&self.lower(k - 2))
            {
                return Some(k - 2..end); // "many of whom"
            }
            let mut before = k;
            if before > 0 && self.text(before - 1) == "," {
                before -= 1;
            }
            return self.subject(before);
        }
        let mut start = end;
        let mut words = 0;
        while start > 0 && words < MAX_PHRASE {
            let k = start - 1;
            if self.is_possessive_mark(k) {
                start -= 1;
                continue;
            }
            if !self.is_word(k) {
                break;
            }
            let w = self.lower(k);
            let joining = PREPOSITIONS.contains(&&*w) || w == "and" || w == "or";
            // Not back from "to": "…in order to curry favour" is a purpose.
            let joined = joining.then(|| {
                self.group_before(k).or_else(|| {
                    (w != "to")
                        .then(|| self.group_before_complement(k))
                        .flatten()
                })
            });
            if let Some(to) = joined.flatten() {
                words += k - to;
                start = to;
                continue;
            }
            if joining || BREAKS.contains(&&*w) || OTHER_PREPOSITIONS.contains(&&*w) {
                break;
            }
            if self.cues.is_verb(&w) && !(k > 0 && self.word_in(k - 1, DETERMINERS)) {
                break; // another clause's verb: "He said critics argue"
            }
            let opens_phrase = |j: usize| {
                self.word_in(j, PHRASE_OPENERS) || self.sources.quantities.contains(&self.lower(j))
            };
            if w.ends_with("ed")
                && self.text(k).starts_with(char::is_lowercase)
                && opens_phrase(k + 1)
            {
                break; // "…were released some people wrote": a clause ends there
            }
            if self.word_in(k + 1, QUANTIFIERS) && !self.may_precede_quantifier(k) {
                break; // "that’s something most leaders want": "most" opens the phrase
            }
            start -= 1;
            words += 1;
            if PHRASE_OPENERS.contains(&&*w) {
                // "Last week the governor’s aides": the phrase starts at
                // "the", unless a group comes before ("farmers in the valley").
                let by_preposition =
                    k > 0 && self.word_in(k - 1, PREPOSITIONS) && !self.word_in(k - 1, &["to"]);
                let joined = by_preposition || k > 0 && self.word_in(k - 1, &["and", "or"]);
                // Back over a complement only from a preposition: "voters in
                // Ohio and the governor said" is the governor speaking.
                let group = joined.then(|| {
                    self.group_before(k - 1).or_else(|| {
                        by_preposition
                            .then(|| self.group_before_complement(k - 1))
                            .flatten()
                    })
                });
                match group.flatten() {
                    Some(to) => {
                        words += k - to;
                        start = to;
                    }
                    None => break,
                }
            }
        }
        // "…to placate nervous Democrats who say": after an infinitive's
        // "to", the first word is its verb.
        if start > 0 && end - start > 1 && self.word_in(start - 1, &["to"]) {
            let first = self.lower(start);
            let nominal = PHRASE_OPENERS.contains(&&*first)
                || self.sources.quantities.contains(&first)
                || self.text(start).starts_with(char::is_uppercase);
            if !nominal {
                start += 1;
            }
        }
        (start < end).then_some(start..end)
    }

    /// Words that may stand before "some", "many", "most" … inside one
    /// noun phrase: "the many", "so many", "nearly all", "a great many".
    fn may_precede_quantifier(&self, k: usize) -> bool {
        const BEFORE: &[&str] = &[
            "so", "too", "as", "how", "very", "great", "quite", "all", "both", "only", "just",
            "even", "nearly", "almost", "of", "and", "or",
        ];
        self.word_in(k, BEFORE)
            || self.word_in(k, DETERMINERS)
            || self.word_in(k, PHRASE_OPENERS)
            || self.is_adverb(k)
    }

    /// "62 percent of voters said", "eight of 10 voters": a poll's figure,
    /// sourced by the poll the article names.
    fn poll_share(&self, start: usize) -> bool {
        start >= 2
            && self.word_in(start - 1, &["of"])
            && (self.word_in(start - 2, &["percent", "per", "cent", "percentage"])
                || matches!(self.text(start - 2), "%")
                || self.toks[start - 2].kind == TokenKind::Number)
            || start >= 2
                && self.toks[start - 1].kind == TokenKind::Number
                && self.word_in(start - 2, &["of"])
    }

    /// Before the joining word at `k`: does a group end there (allowing
    /// "familiar" between)? Returns where the walk goes on from.
    fn group_before(&self, k: usize) -> Option<usize> {
        let mut j = k;
        if j > 1 && self.word_in(j - 1, POSTMODIFIERS) {
            j -= 1;
        }
        if j == 0 || !self.is_word(j - 1) {
            return None;
        }
        let w = self.lower(j - 1);
        let group = self.sources.groups.contains(&w)
            || self.sources.quantities.contains(&w)
            || self.sources.evidence.contains(&w)
            || self.looks_plural_agent(j - 1);
        group.then_some(j - 1)
    }

    /// "Experts on North Korea and nuclear arms", "observers in Virginia and
    /// around the country": from the joining word at `k`, back over the
    /// complement of a preposition to the group before it.
    fn group_before_complement(&self, k: usize) -> Option<usize> {
        let mut j = k;
        while j > 0 && k - j < 6 && self.is_word(j - 1) {
            let w = self.lower(j - 1);
            if w == "to" {
                return None;
            }
            if PREPOSITIONS.contains(&&*w) {
                return self.group_before(j - 1);
            }
            if BREAKS.contains(&&*w) || OTHER_PREPOSITIONS.contains(&&*w) || self.cues.is_verb(&w) {
                return None;
            }
            j -= 1;
        }
        None
    }

    fn looks_plural_agent(&self, k: usize) -> bool {
        let w = self.lower(k);
        let text = self.text(k);
        let endings = if text.starts_with(char::is_uppercase) && k > 0 {
            &self.sources.capitalised_group_endings
        } else {
            &self.sources.group_endings
        };
        w.chars().count() > 4 && endings.iter().any(|e| w.ends_with(e.as_str()))
    }

    /// The phrase after an inverted verb or a phrasal cue, to a break; on
    /// through a preposition after a group ("officials at the ministry").
    fn phrase_after(&self, start: usize) -> Option<Range<usize>> {
        if start < self.toks.len() && self.word_in(start, BREAKS) {
            return None; // "…, saying that": a clause, not a source
        }
        let mut end = start;
        while end < self.toks.len() && end - start < MAX_PHRASE {
            if self.is_possessive_mark(end) {
                end += 1;
                continue;
            }
            if !self.is_word(end) {
                break;
            }
            let w = self.lower(end);
            let joining = PREPOSITIONS.contains(&&*w)
                || w == "and"
                || w == "or"
                || POSTMODIFIERS.contains(&&*w);
            if end > start && joining {
                if self.group_before(end).is_none()
                    && !(end >= start + 2 && POSTMODIFIERS.contains(&&*self.lower(end - 1)))
                {
                    break;
                }
            } else if end > start
                && (BREAKS.contains(&&*w) || self.cues.is_verb(&w))
                && !(w == "by" && self.group_before(end).is_some())
            {
                break; // but "a survey by Gallup" goes on to its author
            }
            end += 1;
        }
        // A phrase does not end on a joining word.
        while end > start
            && (self.word_in(end - 1, PREPOSITIONS) || self.word_in(end - 1, &["and", "or"]))
        {
            end -= 1;
        }
        (end > start).then_some(start..end)
    }

    /// A cue whose source is `source`; `after` when the source follows the
    /// cue word.
    fn cue(&self, cue: Span, source: Range<usize>, after: bool) -> Cue {
        let src = Span::new(
            self.toks[source.start].span.start,
            self.toks[source.end - 1].span.end,
        );
        let span = if after {
            Span::new(cue.start, src.end.max(cue.end))
        } else {
            Span::new(src.start, cue.end)
        };
        let words = self.phrase_words(source.clone());
        let kind = if words.len() == 1 && words[0].lower == "there" {
            SourceKind::Unspecified // "There were reports": an expletive is nobody.
        } else if !after && self.poll_share(source.start) {
            SourceKind::Carried
        } else if !after && self.named_partner(source.start) {
            SourceKind::Named // "RT and its defenders say": the name speaks too
        } else if !after && self.definite_partner(source.start) {
            SourceKind::Carried // "The nominee and his aides": he speaks too
        } else {
            classify(&words, src.start, self.sources, self.words)
        };
        Cue {
            span,
            source: src,
            kind,
            own: true,
        }
    }

    /// A phrasal cue verb needs its particle next: "pointed out", not "pointed".
    fn has_particle(&self, i: usize, verb: &CueVerb) -> bool {
        match self.cues.particle(verb) {
            None => true,
            Some(p) => i + 1 < self.toks.len() && self.word_in(i + 1, &[p]),
        }
    }

    /// "Jane Doe, an analyst at Ohm Bank, said", "Piet Maas, 51, said": the
    /// subject before an apposition that ends at the comma `p`.
    fn apposition_subject(&self, p: usize) -> Option<Range<usize>> {
        if self.text(p) != "," {
            return None;
        }
        let mut k = p;
        while k > 0 && p - k <= MAX_PHRASE && self.text(k - 1) != "," {
            let j = k - 1;
            let fits = self.is_word(j) && !self.word_in(j, BREAKS)
                || self.toks[j].kind == TokenKind::Number
                || self.is_possessive_mark(j)
                || matches!(self.text(j), "-" | "." | "&");
            if !fits {
                return None;
            }
            k -= 1;
        }
        if k < 2 || k == p || self.text(k - 1) != "," {
            return None;
        }
        // The apposition is a noun phrase ("an analyst at …") or an age.
        let noun_phrase = self.word_in(k, PHRASE_OPENERS);
        let age = p - k == 1 && self.toks[k].kind == TokenKind::Number;
        if !noun_phrase && !age {
            return None;
        }
        self.subject(k - 1)
    }

    /// Is the subject starting at `start` the second half of a pair whose
    /// first half is a name ("Obama and his aides", "RT and its defenders")?
    fn named_partner(&self, start: usize) -> bool {
        // "Obama, others vow": a comma pairs a name with "others" as "and" does.
        let comma_others =
            self.word_in(start, &["others"]) && start >= 1 && self.text(start - 1) == ",";
        let joined = self.word_in(start.saturating_sub(1), &["and", "or"]) || comma_others;
        if start < 2 || !joined || !self.is_word(start - 2) {
            return false;
        }
        let k = start - 2;
        let words = self.phrase_words(k..k + 1);
        let Some(word) = words.first() else {
            return false;
        };
        // At a sentence start the classifier asks whether the article
        // capitalises the word elsewhere or it has a name's shape:
        // "Federal and state officials" pairs two adjectives.
        is_name(word, false, self.sources, self.words)
    }

    /// Is the subject starting at `start` "his aides" (or "her", "its")
    /// after "the nominee and": one the article already introduced, with
    /// the people around them?
    fn definite_partner(&self, start: usize) -> bool {
        if start < 3 || !self.word_in(start, &["his", "her", "its"]) {
            return false;
        }
        if !self.word_in(start - 1, &["and"]) || !self.is_word(start - 2) {
            return false;
        }
        if looks_plural(&self.lower(start - 2)) {
            return false;
        }
        // "the [Republican] [presidential] nominee": a definite singular.
        (start.saturating_sub(6)..start - 2)
            .rev()
            .take_while(|&k| self.is_word(k))
            .any(|k| self.word_in(k, &["the", "this"]))
    }

    fn phrase_words(&self, range: Range<usize>) -> Vec<PhraseWord<'_>> {
        let mut out: Vec<PhraseWord<'_>> = Vec::new();
        let first_word = self.sentence_first_word();
        for k in range {
            if self.is_possessive_mark(k) {
                if let Some(last) = out.last_mut() {
                    last.possessive = true;
                }
                continue;
            }
            if !self.is_word(k) {
                continue;
            }
            let after_opening = self.after_opening(k);
            out.push(PhraseWord {
                text: self.text(k),
                lower: self.lower(k).into_owned(),
                sentence_start: Some(k) == first_word || after_opening,
                possessive: false,
            });
        }
        out
    }

    /// Does token `k` follow an opening quotation mark, a colon or a dash?
    fn after_opening(&self, k: usize) -> bool {
        k > 0
            && self.toks[k - 1].kind == TokenKind::Punct
            && matches!(self.text(k - 1), "“" | "\"" | ":" | "(" | "‘" | "—")
    }

    fn sentence_first_word(&self) -> Option<usize> {
        (0..self.toks.len()).find(|&k| self.is_word(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_tell_earlier_mentions_and_capitals_past_a_sentence_start() {
        let text = "Bank Shares Rise\n\n\
                    Analysts expected the report. “Traders” said the Report was late: \
                    Brokers agreed. Officials, in ÉTATS and États, said so.";
        let doc = Document::new(text);
        let words = Words::of(&doc);
        let at = |w: &str| text.find(w).unwrap();
        // Before its first use, and after it, in any case.
        assert!(!words.used_before("report", at("report")));
        assert!(words.used_before("report", at("report") + 1));
        assert!(words.used_before("report", at("Report")));
        assert!(!words.used_before("analysts", 0));
        assert!(words.used_before("états", text.len()));
        // Capitalised inside a sentence: "Report" is; "Analysts" (first
        // word), "Traders" (after a quotation mark), "Brokers" (after a
        // colon) and the headline's words are not.
        assert!(words.capitalised_elsewhere("report"));
        assert!(words.capitalised_elsewhere("états"));
        for lower in [
            "analysts",
            "traders",
            "brokers",
            "shares",
            "bank",
            "officials",
        ] {
            assert!(!words.capitalised_elsewhere(lower), "{lower}");
        }
        assert!(!words.capitalised_elsewhere("absent"));
        // Past the scanned questions, the table built then gives the
        // answers reading the keys gave.
        for _ in 0..SCANNED_QUESTIONS {
            assert!(!words.used_before("report", 0));
        }
        assert!(words.table.get().is_some());
        let fresh = Words::of(&doc);
        for (lower, before) in [
            ("report", at("Report")),
            ("report", at("report")),
            ("états", 0),
        ] {
            let (read, looked_up) = (Words::of(&doc), &words);
            assert_eq!(
                read.used_before(lower, before),
                looked_up.used_before(lower, before),
                "{lower}"
            );
            assert_eq!(
                fresh.capitalised_elsewhere(lower),
                looked_up.capitalised_elsewhere(lower)
            );
        }
    }

    /// A page asking a question per sentence builds the table once instead
    /// of reading every key for each.
    #[test]
    fn many_questions_are_answered_from_one_table() {
        let text = "The officials said so. ".repeat(2_000);
        let doc = Document::new(&text);
        let words = Words::of(&doc);
        for k in 0..1_000 {
            assert!(words.used_before("officials", 100 + k));
            assert!(!words.capitalised_elsewhere("officials"));
        }
        assert!(words.table.get().is_some());
    }
}
