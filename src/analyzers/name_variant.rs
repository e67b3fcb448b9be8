//! One name spelled two ways in an article: a near copy of another
//! capitalised word (Zelensky / Zelenskyy, Shoigu / Shoygu, Peskov / Eskov,
//! Nur-Sultan / Nursultan). The rarer spelling is reported, with a label on
//! the other.

use serde::Deserialize;

use super::{Analyzer, Finding, Found, Params};
use crate::corpus::skeleton_key;
use crate::diagnostic::{Label, Span};
use crate::text::{Document, TokenKind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    /// Shorter names are too often different words (Ali / Al).
    #[serde(default = "default_min_len")]
    min_len: usize,
    /// Endings that make a related word, not a misspelling (Russia /
    /// Russian, Kazakh / Kazakhs).
    #[serde(default)]
    derived_endings: Vec<String>,
    /// Word lists of known words (countries and demonyms, say): a pair in
    /// which either spelling is a known word is not a variant.
    #[serde(default)]
    known_words_files: Vec<String>,
}

fn default_min_len() -> usize {
    4
}

#[derive(Debug)]
struct NameVariant {
    config: Config,
    known: foldhash::HashSet<String>,
}

pub fn build(params: &Params) -> Result<Box<dyn Analyzer>, String> {
    let config: Config = params.parse()?;
    let mut known = foldhash::HashSet::default();
    for file in &config.known_words_files {
        for line in params.word_list(file)? {
            known.extend(line.split_whitespace().map(str::to_lowercase));
        }
    }
    Ok(Box::new(NameVariant { config, known }))
}

/// One spelling: where it occurs, whether each use opens a longer name
/// ("Nursultan Nazarbayev"), and how often it stands inside a sentence
/// (not as its first word, where any word is capitalised).
#[derive(Debug, Default)]
struct Form {
    spans: Vec<Span>,
    /// For each span: followed by another capitalised word. (Apart from
    /// the spans, not beside them: a page that repeats a name a million
    /// times holds 17 bytes a use, not 24.)
    opens_name: Vec<bool>,
    mid_sentence: usize,
    /// Capitalised words right before or after it: their lower case by
    /// [`crate::corpus::word_key`], the key the corpus keeps them by.
    neighbours: Vec<u64>,
}

impl Form {
    fn first(&self) -> Span {
        self.spans[0]
    }
}

/// Does the word start with a lower-case letter? (Stripping a possessive
/// never changes a word's first letter.)
fn starts_lower(word: &str) -> bool {
    match word.as_bytes().first() {
        Some(b) if b.is_ascii() => b.is_ascii_lowercase(),
        Some(_) => word.starts_with(char::is_lowercase),
        None => false,
    }
}

/// The [`crate::corpus::word_key`] of token `i`'s lower case, possessive
/// aside: the document's key of the token unless it had one to strip.
fn bare_key(doc: &Document<'_>, keys: &[u64], i: usize) -> u64 {
    let raw = doc.slice(doc.tokens()[i].span);
    let bare = strip_possessive(raw);
    if bare.len() == raw.len() {
        keys[i]
    } else {
        crate::corpus::lower_word_key(bare)
    }
}

fn strip_possessive(w: &str) -> &str {
    // Most words end otherwise: one byte tells.
    if !w.ends_with('s') {
        return w;
    }
    w.strip_suffix("’s")
        .or_else(|| w.strip_suffix("'s"))
        .unwrap_or(w)
}

/// The spelling with case, apostrophes and hyphens made uniform.
fn typeset(w: &str) -> String {
    w.chars()
        .map(|c| match c {
            '’' | '‘' | 'ʼ' | '′' => '\'',
            '‐' | '‑' | '–' | '−' => '-',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_vowel(c: char) -> bool {
    matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// One edit of the kind transliteration makes: a letter doubled or
/// undoubled (Masimov / Massimov, Zelensky / Zelenskyy), the -iy / -y of
/// Russian names (Volkonsky / Volkonskiy), or one vowel for another, `y`
/// included (Shoigu / Shoygu). Other one-letter differences are different
/// names (Davis / David) or typing slips (swapped letters).
fn transliteration_edit(a: &[char], b: &[char]) -> bool {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match ra.len() as isize - rb.len() as isize {
        // Not the last letter: Mario / Maria, Italiana / Italiane mark
        // gender or grammar, not spelling.
        0 => ra.len() > 1 && ra[1..] == rb[1..] && is_vowel(ra[0]) && is_vowel(rb[0]),
        1 | -1 => {
            let (long, short, whole) = if ra.len() > rb.len() {
                (ra, rb, a)
            } else {
                (rb, ra, b)
            };
            // The extra letter doubles its neighbour, or is the `i` of a
            // Russian -iy ending written -y (Dmitriy / Dmitry).
            let beside = |c: char| prefix > 0 && whole[prefix - 1] == c || long.get(1) == Some(&c);
            let iy_ending = long[0].eq_ignore_ascii_case(&'i')
                && long.get(1).is_some_and(|c| c.eq_ignore_ascii_case(&'y'));
            long[1..] == short[..] && (beside(long[0]) || iy_ending)
        }
        _ => false,
    }
}

/// How two spellings of one name differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variation {
    /// A hyphen or space: Nur-Sultan / Nursultan.
    Joining,
    /// A lost first letter: Psaki / Saki.
    FirstLetter,
    /// A doubled letter or a vowel for a vowel: Shoigu / Shoygu.
    OneEdit,
}

impl NameVariant {
    fn derived(&self, short: &str, long: &str) -> bool {
        long.strip_prefix(short)
            .is_some_and(|end| self.config.derived_endings.iter().any(|e| e == end))
    }

    fn is_known(&self, word: &str) -> bool {
        word.split('-')
            .any(|part| self.known.contains(&part.to_lowercase()))
    }

    /// Are these two spellings of one name, and how do they differ?
    fn near(&self, a: &str, b: &str) -> Option<Variation> {
        // Letters differing only in case are a typing slip, not a variant;
        // a curly or a straight apostrophe (O’Neill / O'Neill) or another
        // dash for the hyphen is the typesetting, not the spelling.
        if typeset(a) == typeset(b) {
            return None;
        }
        let squash = |s: &str| {
            s.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        };
        if squash(a) == squash(b) {
            return Some(Variation::Joining);
        }
        if self.derived(a, b) || self.derived(b, a) || self.is_known(a) || self.is_known(b) {
            return None;
        }
        // Beyond joining, hyphenated codes (AA-minus / A-minus) and inner
        // capitals (MCorp / Corp) are names of other things.
        let coded = |s: &str| s.contains('-') || s.chars().skip(1).any(char::is_uppercase);
        if coded(a) || coded(b) {
            return None;
        }
        let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let (short, long) = if ca.len() <= cb.len() {
            (&ca, &cb)
        } else {
            (&cb, &ca)
        };
        // A lost first letter: Psaki / Saki, Peskov / Eskov.
        let lower = |cs: &[char]| cs.iter().flat_map(|c| c.to_lowercase()).collect::<String>();
        if long.len() == short.len() + 1
            && lower(&long[1..]) == lower(short)
            && short.len() >= self.config.min_len
        {
            return Some(Variation::FirstLetter);
        }
        (short.len() >= 5 && transliteration_edit(&ca, &cb)).then_some(Variation::OneEdit)
    }
}

/// The name-like forms of one article, sorted by spelling.
#[derive(Debug, Default)]
struct Forms {
    list: Vec<(String, Form)>,
}

impl Forms {
    fn get(&self, word: &str) -> Option<&Form> {
        self.list
            .binary_search_by(|(w, _)| w.as_str().cmp(word))
            .ok()
            .map(|i| &self.list[i].1)
    }
}

impl NameVariant {
    /// Every name-like capitalised form of an article, with its uses:
    /// computed once per article for the in-article and corpus checks.
    fn forms(&self, doc: &Document<'_>) -> std::rc::Rc<Forms> {
        doc.shared(self as *const Self as u64, || self.compute_forms(doc))
    }

    fn compute_forms(&self, doc: &Document<'_>) -> Forms {
        let mut forms = self.name_forms(doc);
        // A capitalised word that also appears in lower case is a common
        // word at the start of a sentence, not a name.
        let spellings: Vec<&str> = forms.keys().copied().collect();
        let common = self.found_in_lower_case(doc, &spellings);
        if !common.is_empty() {
            forms.retain(|word, _| !common.contains(&crate::corpus::lower_word_key(word)));
        }
        let mut list: Vec<(String, Form)> =
            forms.into_iter().map(|(w, f)| (w.to_string(), f)).collect();
        list.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Forms { list }
    }

    /// Every name-like capitalised word of the article, with its uses in
    /// the order of the text.
    fn name_forms<'d>(&self, doc: &'d Document<'_>) -> foldhash::HashMap<&'d str, Form> {
        let tokens = doc.tokens();
        let sentences = doc.sentences();
        let opens_sentence = |start: usize| {
            sentences
                .binary_search_by_key(&start, |s| s.span.start)
                .is_ok()
        };
        let keys = doc.word_keys();
        let mut forms: foldhash::HashMap<&str, Form> = foldhash::HashMap::default();
        for (i, t) in tokens.iter().enumerate() {
            if t.kind != TokenKind::Word {
                continue;
            }
            let raw = doc.slice(t.span);
            // Most words are lower case: told by their first byte.
            if starts_lower(raw) {
                continue;
            }
            let word = strip_possessive(raw);
            if !self.is_name_like(word) {
                continue;
            }
            let adjacent_name = |n: &crate::text::Token, gap: &str| {
                n.kind == TokenKind::Word
                    && gap == " "
                    && doc.slice(n.span).starts_with(char::is_uppercase)
            };
            let next = Some(i + 1).filter(|&n| {
                tokens
                    .get(n)
                    .is_some_and(|n| adjacent_name(n, &doc.text()[t.span.end..n.span.start]))
            });
            // A capitalised sentence opener ("Later Shoygu said") is no name.
            let prev = i
                .checked_sub(1)
                .filter(|&p| {
                    adjacent_name(&tokens[p], &doc.text()[tokens[p].span.end..t.span.start])
                })
                .filter(|&p| !opens_sentence(tokens[p].span.start));
            let form = forms.entry(word).or_default();
            form.mid_sentence += usize::from(!opens_sentence(t.span.start));
            form.spans
                .push(Span::new(t.span.start, t.span.start + word.len()));
            form.opens_name.push(next.is_some());
            for n in next.into_iter().chain(prev) {
                form.neighbours.push(bare_key(doc, keys, n));
            }
        }
        forms
    }

    /// Long enough, letters (and hyphens or apostrophes: "1.5bn" and
    /// "Baa-3" are not names), and not all capitals (an acronym).
    fn is_name_like(&self, word: &str) -> bool {
        // A word has at least as many bytes as letters: most words are
        // ASCII, and bytes answer for them.
        if word.len() < self.config.min_len {
            return false;
        }
        if word.is_ascii() {
            let bytes = word.as_bytes();
            return bytes
                .iter()
                .all(|b| b.is_ascii_alphabetic() || matches!(b, b'-' | b'\''))
                && bytes.iter().any(u8::is_ascii_lowercase);
        }
        word.chars().count() >= self.config.min_len
            && word
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’'))
            && !word
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
    }

    /// The keys ([`crate::corpus::lower_word_key`]) of those of these
    /// spellings whose lower case is also a word of the article in lower
    /// case (only those are worth remembering of its lower-case words).
    fn found_in_lower_case(
        &self,
        doc: &Document<'_>,
        spellings: &[&str],
    ) -> foldhash::HashSet<u64> {
        use crate::corpus::lower_word_key;
        let lowered: foldhash::HashSet<u64> = spellings.iter().map(|w| lower_word_key(w)).collect();
        // Their lengths let most words (all the short ones) go unhashed.
        let length_bit = |len: usize| 1u128 << len.min(127);
        let lengths = spellings.iter().fold(0, |bits, w| {
            let len = if w.is_ascii() {
                w.len()
            } else {
                crate::text::lower(w).len()
            };
            bits | length_bit(len)
        });
        let mut found = foldhash::HashSet::default();
        let keys = doc.word_keys();
        for (i, t) in doc.tokens().iter().enumerate() {
            if t.kind != TokenKind::Word {
                continue;
            }
            let raw = doc.slice(t.span);
            if !starts_lower(raw) {
                continue;
            }
            let word = strip_possessive(raw);
            // The token knows whether it is ASCII; a word with other
            // letters is looked up whatever its length.
            if t.ascii && lengths & length_bit(word.len()) == 0 {
                continue;
            }
            let key = bare_key(doc, keys, i);
            if lowered.contains(&key) {
                found.insert(key);
            }
        }
        found
    }

    /// Is `rare` (this article) another spelling of `common`?
    fn variant_of(
        &self,
        rare: &str,
        rare_form: &Form,
        common: &str,
        common_mid_sentence: bool,
    ) -> Option<Variation> {
        let variation = self.near(rare, common)?;
        match variation {
            Variation::OneEdit if rare_form.mid_sentence == 0 || !common_mid_sentence => None,
            Variation::FirstLetter
                if rare.chars().count() > common.chars().count() || !common_mid_sentence =>
            {
                None
            }
            _ => Some(variation),
        }
    }
}

impl Analyzer for NameVariant {
    fn variables(&self) -> &'static [&'static str] {
        &["variant", "other", "where"]
    }

    fn compares_files(&self) -> bool {
        true
    }

    fn gather(&self, doc: &Document<'_>, out: &mut crate::corpus::ArticleFacts) {
        // Most of an article's words can be lower-case words of four letters
        // or more: room for all of them at once rather than growing for them.
        out.lowercase_words.reserve(doc.tokens().len());
        for (t, &key) in doc.tokens().iter().zip(doc.word_keys()) {
            let word = doc.slice(t.span);
            // A form has at least `min_len` letters, and lower case never
            // shortens a word: shorter words can match no form ("the",
            // "of"), so they are not kept.
            if starts_lower(word) && !(t.ascii && word.len() < self.config.min_len) {
                out.lowercase_words.push(key);
            }
        }
        for (form, facts) in &self.forms(doc).list {
            if self.is_known(form) {
                continue;
            }
            out.name_uses.push(crate::corpus::NameUse {
                form: form.clone(),
                offset: facts.first().start,
                // Only a name used inside sentences is worth comparing.
                neighbours: if facts.mid_sentence > 0 {
                    facts.neighbours.clone()
                } else {
                    Vec::new()
                },
            });
        }
    }

    /// A spelling that is rare in the corpus, next to the same name words
    /// as a commoner spelling used in other files (Karim Massimov here,
    /// Karim Masimov elsewhere).
    fn check_in_corpus(
        &self,
        doc: &Document<'_>,
        corpus: &crate::corpus::CorpusIndex,
        out: &mut Found,
    ) {
        let forms = self.forms(doc);
        for (form, here) in &forms.list {
            // Only a spelling found in this one file, with name words beside
            // it, can be a variant of a commoner one (see below).
            if here.neighbours.is_empty() {
                continue;
            }
            let Some(mine) = corpus.facts(form) else {
                continue;
            };
            if mine.files != 1 {
                continue;
            }
            for other in corpus.candidates(form) {
                if forms.get(other).is_some() || corpus.is_common_word(other) {
                    // Both in this article is the in-article check's case; a
                    // word the corpus also writes in lower case is no name.
                    continue;
                }
                let Some(theirs) = corpus.facts(other) else {
                    continue;
                };
                let shares_context = theirs.shares_neighbour(&here.neighbours);
                // Across files only the strongest case: a spelling found in
                // this one file, one transliteration edit from a spelling
                // that several files use with the same name word. Style
                // variants (Co-operation, X-Box) and lost letters (Tate /
                // State) across different articles are too often different
                // words or people.
                if theirs.files < 2 || !shares_context {
                    continue;
                }
                if self.variant_of(form, here, other, theirs.has_neighbours())
                    != Some(Variation::OneEdit)
                {
                    continue;
                }
                let at = &theirs.first;
                let others = theirs.files;
                let place = format!(
                    "in {others} other file{}, first at {}:{}:{}",
                    if others == 1 { "" } else { "s" },
                    at.path.display(),
                    at.line,
                    at.column
                );
                out.push(
                    Finding::new(here.first())
                        .var("variant", form.as_str())
                        .var("other", other)
                        .var("where", place),
                );
                break;
            }
        }
    }

    /// The conditions of `check_in_corpus` that the corpus alone can tell:
    /// all but "the other spelling is not in this article too".
    fn files_to_recheck(
        &self,
        corpus: &crate::corpus::CorpusIndex,
        out: &mut foldhash::HashSet<usize>,
    ) {
        for (form, mine) in corpus.forms() {
            // Gathered neighbours mean the form is used inside sentences,
            // which a one-edit variant needs anyway.
            if mine.files != 1 || !mine.has_neighbours() {
                continue;
            }
            let suspect = corpus.candidates(form).into_iter().any(|other| {
                corpus.facts(other).is_some_and(|theirs| {
                    theirs.files >= 2
                        && theirs.has_neighbours()
                        && mine.shares_neighbour_with(theirs)
                        && !corpus.is_common_word(other)
                        && self.near(form, other) == Some(Variation::OneEdit)
                })
            });
            if suspect {
                out.insert(mine.first.order as usize);
            }
        }
    }

    fn check(&self, doc: &Document<'_>, out: &mut Found) {
        let forms = self.forms(doc);
        let names: Vec<(&str, &Form)> = forms.list.iter().map(|(w, f)| (w.as_str(), f)).collect();
        // Only forms that share a spelling skeleton (or one is the other
        // without its first letter) can be variants: bucket them instead of
        // comparing every pair.
        let keys: Vec<(u64, u64)> = names
            .iter()
            .map(|(name, _)| {
                let tail = name.char_indices().nth(1).map_or("", |(k, _)| &name[k..]);
                (skeleton_key(name), skeleton_key(tail))
            })
            .collect();
        // (skeleton, form) sorted: a bucket is a run of equal skeletons.
        let mut buckets: Vec<(u64, usize)> = keys.iter().map(|k| k.0).zip(0..).collect();
        buckets.sort_unstable();
        let mut pairs = Vec::new();
        for (i, &(same, tail)) in keys.iter().enumerate() {
            for key in [same, tail] {
                let from = buckets.partition_point(|&(k, _)| k < key);
                for &(_, j) in buckets[from..].iter().take_while(|&&(k, _)| k == key) {
                    if i != j {
                        pairs.push((i.min(j), i.max(j)));
                    }
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut reported = foldhash::HashSet::default();
        for (i, j) in pairs {
            let ((a, fa), (b, fb)) = (&names[i], &names[j]);
            {
                if self.near(a, b).is_none() {
                    continue;
                }
                // The rarer spelling is the suspect; on a tie, the later one.
                let ((rare, fr), (common, fc)) = if fa.spans.len() < fb.spans.len()
                    || fa.spans.len() == fb.spans.len() && fa.first() > fb.first()
                {
                    ((a, fa), (b, fb))
                } else {
                    ((b, fb), (a, fa))
                };
                if self
                    .variant_of(rare, fr, common, fc.mid_sentence > 0)
                    .is_none()
                {
                    continue;
                }
                // Both come with name words and share none: two people
                // (Donald Regan beside President Reagan).
                let different_people = !fr.neighbours.is_empty()
                    && !fc.neighbours.is_empty()
                    && !fr.neighbours.iter().any(|n| fc.neighbours.contains(n));
                if different_people {
                    continue;
                }
                // A first name of a longer name is another entity than a
                // one-word place or surname of the same letters.
                let other_entity = |f: &Form| f.opens_name.iter().all(|&opens| opens);
                for (&span, &in_name) in fr.spans.iter().zip(&fr.opens_name) {
                    if !reported.insert(span) {
                        continue;
                    }
                    if in_name && !other_entity(fc) {
                        continue;
                    }
                    let mut finding = Finding::new(span)
                        .var("variant", *rare)
                        .var("other", *common);
                    finding.labels.push(Label {
                        span: fc.first(),
                        message: format!("spelled `{common}` here"),
                    });
                    out.push(finding);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn transliteration_edits_are_doubled_letters_and_vowel_changes() {
        let t = |a: &str, b: &str| {
            transliteration_edit(&chars(a), &chars(b)) && transliteration_edit(&chars(b), &chars(a))
        };
        assert!(t("Zelensky", "Zelenskyy"));
        assert!(t("Shoigu", "Shoygu"));
        assert!(t("Masimov", "Massimov"));
        assert!(t("Volkonsky", "Volkonskiy"));
        assert!(!t("Regan", "Reagan"), "an added vowel is another name");
        assert!(!t("Tokayev", "Tokyaev"), "a swap is a typing slip");
        assert!(!t("Davis", "David"));
        assert!(!t("Horgan", "Horan"));
        assert!(!t("Ukraine", "Ukrainian"));
        assert!(
            !t("Mario", "Maria"),
            "a final vowel marks gender, not spelling"
        );
    }
}
