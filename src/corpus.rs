//! Facts gathered from every file of a run before any file is checked, for
//! the analyzers that compare an article with the rest of the corpus (a
//! name spelled one way here and another way in other files).
//!
//! The index grows with the vocabulary of names and of page lines, not with
//! the corpus: each name form keeps a count of files, its first location and
//! the name words seen next to it; each short line of the page around an
//! article keeps a count of files, two article keys and its first files.

use std::hash::BuildHasher;
use std::path::Path;
use std::sync::Arc;

use foldhash::{HashMap, HashSet};

use crate::rules::Rule;
use crate::source::SourceFile;
use crate::text::Document;

/// Where a name form was first seen. (32-bit places and a sorted vector
/// of neighbours: a corpus holds some 100,000 forms, and these facts were
/// a ninth of a long run's peak memory at 104 bytes a form.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: Arc<Path>,
    /// The file's place in the run (files are gathered in path order).
    pub order: u32,
    pub line: u32,
    pub column: u32,
}

/// What the corpus says about one spelling of a name.
#[derive(Debug, Clone)]
pub struct FormFacts {
    /// How many files use it.
    pub files: u32,
    pub first: Location,
    /// Capitalised words seen right before or after it (lower case), as
    /// [`word_key`]s, sorted, without repeats: the index holds no text it
    /// does not need.
    neighbours: Vec<u64>,
}

impl FormFacts {
    pub fn has_neighbours(&self) -> bool {
        !self.neighbours.is_empty()
    }

    /// Was some word seen beside both forms?
    pub fn shares_neighbour_with(&self, other: &FormFacts) -> bool {
        self.neighbours.iter().any(|n| other.has_neighbour(*n))
    }

    /// Was any of these words (by [`word_key`] of their lower case) seen
    /// beside this form?
    pub fn shares_neighbour(&self, keys: &[u64]) -> bool {
        keys.iter().any(|&key| self.has_neighbour(key))
    }

    fn has_neighbour(&self, key: u64) -> bool {
        self.neighbours.binary_search(&key).is_ok()
    }

    /// Each key goes in at its place: a common name meets the same few
    /// neighbours in file after file, which then cost one search each
    /// (sorting the whole list again on every file would grow with it).
    fn add_neighbours(&mut self, keys: impl IntoIterator<Item = u64>) {
        for key in keys {
            if let Err(at) = self.neighbours.binary_search(&key) {
                self.neighbours.insert(at, key);
            }
        }
    }
}

/// A place in the run, or line or column, as the index keeps it.
fn narrow(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub use crate::text::word_key;

/// [`word_key`] of the word's lower case ([`crate::text::lower`]), without
/// a copy for a short ASCII word: names are capitalised, so putting each
/// in lower case was an allocation.
pub fn lower_word_key(word: &str) -> u64 {
    const ROOM: usize = 32;
    if word.len() > ROOM || !word.is_ascii() {
        return word_key(&crate::text::lower(word));
    }
    if !word.bytes().any(|b| b.is_ascii_uppercase()) {
        return word_key(word);
    }
    let mut buf = [0u8; ROOM];
    let lower = &mut buf[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    word_key(std::str::from_utf8(lower).expect("ASCII stays ASCII"))
}

/// What one article tells the corpus, as the analyzers gather it.
#[derive(Debug, Default)]
pub struct ArticleFacts {
    /// The name forms used, with where and beside which words.
    pub name_uses: Vec<NameUse>,
    /// Words seen in lower case, as [`word_key`]s of their lower case: an
    /// analyzer reports only those long enough to be one of its forms.
    pub lowercase_words: Vec<u64>,
    /// Keys of the short lines on the page around the article (see
    /// [`line_key`]), each once.
    pub page_lines: Vec<u64>,
    /// A key of the article's own text: copies of one story share it, so
    /// a line they all carry (its headline) is not taken for a template.
    pub article_key: u32,
}

/// What the corpus says about one short line of the page around articles.
#[derive(Debug, Clone, Copy)]
pub struct LineFacts {
    /// How many files carry it.
    pub files: u32,
    /// The least distinct article keys among those files (copies of one
    /// story share a key), [`NONE`] where there are fewer.
    articles: [u32; KEPT],
    /// The first files (by place in the run) that carry it, for the
    /// second check; [`NONE`] where fewer files carry it.
    first: [u32; KEPT],
}

/// How many article keys and files a line remembers.
pub const KEPT: usize = 4;
const NONE: u32 = u32::MAX;

/// Merges two sorted lists of the least distinct values, keeping the
/// least [`KEPT`]: the same whichever order files were gathered in.
fn least(a: &[u32; KEPT], b: &[u32; KEPT]) -> [u32; KEPT] {
    let mut all: Vec<u32> = a.iter().chain(b).copied().collect();
    all.sort_unstable();
    all.dedup();
    let mut out = [NONE; KEPT];
    for (slot, v) in out.iter_mut().zip(all) {
        *slot = v;
    }
    out
}

impl LineFacts {
    fn new(order: u32, article: u32) -> Self {
        let (mut first, mut articles) = ([NONE; KEPT], [NONE; KEPT]);
        first[0] = order;
        articles[0] = article.min(NONE - 1);
        LineFacts {
            files: 1,
            articles,
            first,
        }
    }

    /// How many different stories the files carrying it hold (at most
    /// [`KEPT`]).
    pub fn articles(&self) -> usize {
        self.articles.iter().filter(|a| **a != NONE).count()
    }

    fn merge(&mut self, other: &LineFacts) {
        self.files += other.files;
        self.articles = least(&self.articles, &other.articles);
        self.first = least(&self.first, &other.first);
    }
}

/// A key for a line of text: its words in lower case, blanks collapsed, so
/// two extractions of one template line share it.
pub fn line_key(lower: &str) -> u64 {
    use std::hash::Hasher;
    let mut hasher = foldhash::fast::FixedState::with_seed(0x6c69_6e65).build_hasher();
    for word in lower.split_whitespace() {
        hasher.write(word.as_bytes());
        hasher.write_u8(0xff);
    }
    hasher.finish()
}

/// One use of a name form in one article, as an analyzer reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameUse {
    pub form: String,
    /// Byte offset in the article body.
    pub offset: usize,
    /// The lower case of the capitalised words beside it, by [`word_key`].
    pub neighbours: Vec<u64>,
}

#[derive(Debug, Default, Clone)]
pub struct CorpusIndex {
    forms: HashMap<Arc<str>, FormFacts>,
    /// Built from `forms` when candidates are first asked for, once the
    /// corpus is gathered (and again if it grows after that).
    skeletons: std::sync::OnceLock<Skeletons>,
    /// Every word seen in lower case somewhere (as long as some form), as
    /// a [`word_key`]: a capitalised form whose lower-case twin is here
    /// ("Office") is a common word, not a name.
    lowercase_words: HashSet<u64>,
    /// Short lines of the page around articles, by [`line_key`].
    page_lines: HashMap<u64, LineFacts>,
    /// Which files (by place in the run, one bit each) have any page line:
    /// a line carried by more files than it names is checked again in all.
    files_with_page_lines: Vec<u64>,
}

/// The forms by spelling skeleton, to find candidate variants: pairs
/// sorted by key, looked up by binary search. (A hash map of vectors took
/// four times the memory, in a run's peak.)
#[derive(Debug, Default, Clone)]
struct Skeletons {
    /// (skeleton, form).
    same: Vec<(u64, Arc<str>)>,
    /// (skeleton of the form without its first letter, form).
    tail: Vec<(u64, Arc<str>)>,
}

impl Skeletons {
    fn of<'a>(forms: impl ExactSizeIterator<Item = &'a Arc<str>>) -> Skeletons {
        let (mut same, mut tail) = (
            Vec::with_capacity(forms.len()),
            Vec::with_capacity(forms.len()),
        );
        for form in forms {
            same.push((skeleton_key(form), form.clone()));
            tail.push((skeleton_key(self::tail(form)), form.clone()));
        }
        same.sort_unstable_by_key(|(key, _)| *key);
        tail.sort_unstable_by_key(|(key, _)| *key);
        Skeletons { same, tail }
    }

    /// The forms whose skeleton, or whose tail's skeleton, is `key`.
    fn with_key(&self, key: u64) -> impl Iterator<Item = &Arc<str>> {
        fn run(pairs: &[(u64, Arc<str>)], key: u64) -> &[(u64, Arc<str>)] {
            let from = pairs.partition_point(|(k, _)| *k < key);
            let to = from + pairs[from..].partition_point(|(k, _)| *k == key);
            &pairs[from..to]
        }
        run(&self.same, key)
            .iter()
            .chain(run(&self.tail, key))
            .map(|(_, form)| form)
    }
}

/// A key shared by spellings that transliteration tells apart: lower case,
/// letters only, doubled letters collapsed, every run of vowels (y
/// included) masked as one. Shoigu / Shoygu, Masimov / Massimov,
/// Volkonsky / Volkonskiy and Nur-Sultan / Nursultan share one.
///
/// It is a hash of that skeleton, built without allocating: keys only pick
/// the pairs worth comparing, so a collision costs one comparison more.
pub fn skeleton_key(form: &str) -> u64 {
    use std::hash::Hasher;
    let mut hasher = foldhash::fast::FixedState::with_seed(0x736b_656c).build_hasher();
    let mut last = None;
    let mut push = |c: char| {
        let c = if matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y') {
            '*'
        } else {
            c
        };
        if last != Some(c) {
            hasher.write_u32(c as u32);
            last = Some(c);
        }
    };
    for c in form.chars() {
        // Most names are ASCII: no case tables for them.
        if c.is_ascii() {
            if c.is_ascii_alphabetic() {
                push(c.to_ascii_lowercase());
            }
        } else if c.is_alphabetic() {
            c.to_lowercase().for_each(&mut push);
        }
    }
    hasher.finish()
}

fn tail(form: &str) -> &str {
    form.char_indices().nth(1).map_or("", |(i, _)| &form[i..])
}

impl CorpusIndex {
    pub fn is_empty(&self) -> bool {
        self.forms.is_empty() && self.page_lines.is_empty()
    }

    /// Gathers what every rule wants to know from one file; `order` is
    /// its place in the run, which decides which file is "first".
    pub fn add_file<'r>(
        &mut self,
        order: usize,
        file: &SourceFile,
        rules: impl IntoIterator<Item = &'r Rule>,
    ) {
        self.add_document(order, file, &Document::new(file.body()), rules);
    }

    /// [`CorpusIndex::add_file`] for an article already segmented.
    pub fn add_document<'r>(
        &mut self,
        order: usize,
        file: &SourceFile,
        doc: &Document<'_>,
        rules: impl IntoIterator<Item = &'r Rule>,
    ) {
        self.skeletons.take();
        let mut facts = ArticleFacts::default();
        for rule in rules {
            rule.check.gather(doc, &mut facts);
        }
        self.lowercase_words.extend(facts.lowercase_words);
        self.add_page_lines(order, facts.article_key, &facts.page_lines);
        let path: Arc<Path> = Arc::from(file.path());
        let mut seen_here = HashSet::default();
        for u in facts.name_uses {
            let location = || {
                let at = file.line_col(u.offset + file.body_start());
                Location {
                    path: path.clone(),
                    order: narrow(order),
                    line: narrow(at.line),
                    column: narrow(at.column),
                }
            };
            let first_here = seen_here.insert(word_key(&u.form));
            let facts = match self.forms.get_mut(u.form.as_str()) {
                Some(facts) => {
                    // The first location is the one in the earliest file, so
                    // the result does not depend on which thread saw what.
                    if narrow(order) < facts.first.order {
                        facts.first = location();
                    }
                    facts
                }
                None => {
                    let facts = FormFacts {
                        files: 0,
                        first: location(),
                        neighbours: Vec::new(),
                    };
                    self.forms.entry(Arc::from(u.form)).or_insert(facts)
                }
            };
            facts.add_neighbours(u.neighbours.iter().copied());
            if first_here {
                facts.files += 1;
            }
        }
    }

    fn add_page_lines(&mut self, order: usize, article: u32, lines: &[u64]) {
        if lines.is_empty() {
            return;
        }
        let order32 = u32::try_from(order).unwrap_or(NONE - 1);
        for key in lines {
            let here = LineFacts::new(order32, article);
            self.page_lines
                .entry(*key)
                .and_modify(|facts| facts.merge(&here))
                .or_insert(here);
        }
        let (word, bit) = (order / 64, order % 64);
        if self.files_with_page_lines.len() <= word {
            self.files_with_page_lines.resize(word + 1, 0);
        }
        self.files_with_page_lines[word] |= 1 << bit;
    }

    /// What the corpus says about a page line, by its [`line_key`].
    pub fn page_line(&self, key: u64) -> Option<&LineFacts> {
        self.page_lines.get(&key)
    }

    /// Adds to `out` the files that carry some page line for which `hit`
    /// holds: the ones it names, or every file with page lines when one
    /// such line is carried by more files than it names.
    pub fn files_with_page_lines(
        &self,
        hit: impl Fn(&LineFacts) -> bool,
        out: &mut HashSet<usize>,
    ) {
        let mut all = false;
        for facts in self.page_lines.values().filter(|f| hit(f)) {
            out.extend(
                facts
                    .first
                    .iter()
                    .filter(|o| **o != NONE)
                    .map(|o| *o as usize),
            );
            all |= facts.files as usize > KEPT;
        }
        if all {
            for (w, word) in self.files_with_page_lines.iter().enumerate() {
                out.extend((0..64).filter(|b| word & (1 << b) != 0).map(|b| w * 64 + b));
            }
        }
    }

    /// Folds another index in.
    pub fn merge(&mut self, mut other: CorpusIndex) {
        self.merge_from(&mut other);
    }

    /// Moves everything `other` holds into this index, leaving `other`
    /// empty but with its tables' room, to be filled again.
    pub fn merge_from(&mut self, other: &mut CorpusIndex) {
        self.skeletons.take();
        other.skeletons.take();
        self.lowercase_words.extend(other.lowercase_words.drain());
        for (key, theirs) in other.page_lines.drain() {
            self.page_lines
                .entry(key)
                .and_modify(|ours| ours.merge(&theirs))
                .or_insert(theirs);
        }
        if self.files_with_page_lines.len() < other.files_with_page_lines.len() {
            self.files_with_page_lines
                .resize(other.files_with_page_lines.len(), 0);
        }
        for (ours, theirs) in self
            .files_with_page_lines
            .iter_mut()
            .zip(&mut other.files_with_page_lines)
        {
            *ours |= std::mem::take(theirs);
        }
        for (form, theirs) in other.forms.drain() {
            match self.forms.get_mut(&form) {
                Some(ours) => {
                    ours.files += theirs.files;
                    ours.add_neighbours(theirs.neighbours);
                    if theirs.first.order < ours.first.order {
                        ours.first = theirs.first;
                    }
                }
                None => {
                    self.forms.insert(form, theirs);
                }
            }
        }
    }

    /// Every form with its facts, in no particular order.
    pub fn forms(&self) -> impl Iterator<Item = (&str, &FormFacts)> {
        self.forms
            .iter()
            .map(|(form, facts)| (form.as_ref(), facts))
    }

    /// Was this word (in lower case) seen in lower case in some file?
    pub fn is_common_word(&self, form: &str) -> bool {
        self.lowercase_words
            .contains(&word_key(&form.to_lowercase()))
    }

    pub fn facts(&self, form: &str) -> Option<&FormFacts> {
        self.forms.get(form)
    }

    /// Forms that might be other spellings of `form`: the same skeleton, or
    /// `form` is another form without its first letter. In the order they
    /// first occur in the corpus, whatever order the files were gathered in.
    pub fn candidates<'a>(&'a self, form: &str) -> Vec<&'a str> {
        let skeletons = self
            .skeletons
            .get_or_init(|| Skeletons::of(self.forms.keys()));
        let mut found: Vec<&str> = skeletons
            .with_key(skeleton_key(form))
            .map(|f| f.as_ref())
            .filter(|f| *f != form)
            .collect();
        found.sort_by_cached_key(|f| {
            let first = &self.forms[*f].first;
            (first.order, first.line, first.column, *f)
        });
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliteration_variants_share_a_skeleton() {
        assert_eq!(skeleton_key("Shoigu"), skeleton_key("Shoygu"));
        assert_eq!(skeleton_key("Masimov"), skeleton_key("Massimov"));
        assert_eq!(skeleton_key("Zelensky"), skeleton_key("Zelenskyy"));
        assert_eq!(skeleton_key("Nur-Sultan"), skeleton_key("Nursultan"));
        assert_eq!(skeleton_key("Volkonsky"), skeleton_key("Volkonskiy"));
        assert_ne!(skeleton_key("Davis"), skeleton_key("David"));
        // Other scripts: case and vowels (Latin ones) fold the same way.
        assert_eq!(skeleton_key("Šoigu"), skeleton_key("šoygu"));
        assert_eq!(skeleton_key("Зеленский"), skeleton_key("ЗЕЛЕНСКИЙ"));
        assert_ne!(skeleton_key("Зеленский"), skeleton_key("Зеленский-Бис"));
    }

    #[test]
    fn a_lower_word_key_is_the_key_of_the_lower_case() {
        let long = "Wolfeschlegelsteinhausenbergerdorff-Wolfeschlegel";
        for w in [
            "Putin",
            "putin",
            "O'Neill",
            "ZELENSKY",
            "Żukowski",
            "İstanbul",
            long,
            "",
        ] {
            assert_eq!(lower_word_key(w), word_key(&crate::text::lower(w)), "{w}");
        }
        assert_ne!(lower_word_key("Putin"), lower_word_key("Puton"));
    }

    #[test]
    fn neighbours_added_in_batches_are_one_set() {
        let first = Location {
            path: Arc::from(Path::new("a.txt")),
            order: 0,
            line: 1,
            column: 1,
        };
        let mut a = FormFacts {
            files: 1,
            first,
            neighbours: Vec::new(),
        };
        let mut b = a.clone();
        assert!(!a.has_neighbours());
        a.add_neighbours(["minister", "president"].map(word_key));
        a.add_neighbours(["president", "general", "minister"].map(word_key));
        assert_eq!(a.neighbours.len(), 3);
        assert!(a.shares_neighbour(&[word_key("general")]));
        assert!(!a.shares_neighbour(&[word_key("colonel")]));
        b.add_neighbours(["colonel"].map(word_key));
        assert!(!a.shares_neighbour_with(&b) && !b.shares_neighbour_with(&a));
        b.add_neighbours(["general"].map(word_key));
        assert!(a.shares_neighbour_with(&b) && b.shares_neighbour_with(&a));
    }

    #[test]
    fn candidates_share_a_skeleton_or_lack_a_first_letter_in_corpus_order() {
        let mut index = CorpusIndex::default();
        let forms = [
            ("Zelenskyy", 4),
            ("Shoigu", 3),
            ("Zelensky", 2),
            ("Elensky", 5),
            ("Zelenski", 1),
            ("Shoygu", 0),
        ];
        for (form, order) in forms {
            let first = Location {
                path: Arc::from(Path::new("a.txt")),
                order,
                line: 1,
                column: 1,
            };
            let facts = FormFacts {
                files: 1,
                first,
                neighbours: Vec::new(),
            };
            index.forms.insert(Arc::from(form), facts);
        }
        // Not itself, and in the order the forms first occur.
        assert_eq!(index.candidates("Zelensky"), ["Zelenski", "Zelenskyy"]);
        // Each of these is "Elensky" with a letter before it.
        assert_eq!(
            index.candidates("Elensky"),
            ["Zelenski", "Zelensky", "Zelenskyy"]
        );
        assert_eq!(index.candidates("Shoigu"), ["Shoygu"]);
        assert!(index.candidates("Davis").is_empty());
    }

    #[test]
    fn page_line_facts_do_not_depend_on_how_files_were_split_between_workers() {
        let lines = [
            (0, 7, 1u64),
            (1, 7, 1),
            (2, 9, 1),
            (3, 5, 1),
            (4, 3, 1),
            (5, 8, 1),
            (2, 9, 2),
        ];
        let facts = |parts: &[&[(usize, u32, u64)]]| {
            let mut whole = CorpusIndex::default();
            for part in parts {
                let mut index = CorpusIndex::default();
                for (order, article, key) in *part {
                    index.add_page_lines(*order, *article, &[*key]);
                }
                whole.merge(index);
            }
            let f = *whole.page_line(1).unwrap();
            (
                f.files,
                f.articles,
                f.first,
                whole.files_with_page_lines.clone(),
            )
        };
        let one = facts(&[&lines]);
        let (a, b) = lines.split_at(3);
        assert_eq!(one, facts(&[b, a]));
        let reversed: Vec<_> = lines.iter().rev().copied().collect();
        assert_eq!(one, facts(&[&reversed]));
        assert_eq!(one.0, 6);
        // The least distinct article keys, and the first files.
        assert_eq!(one.1, [3, 5, 7, 8]);
        assert_eq!(one.2, [0, 1, 2, 3]);
    }

    #[test]
    fn a_line_in_more_files_than_it_names_rechecks_every_file_with_page_lines() {
        let mut index = CorpusIndex::default();
        for order in 0..6 {
            index.add_page_lines(order, order as u32, &[42]);
        }
        index.add_page_lines(70, 1, &[43]);
        let mut out = HashSet::default();
        index.files_with_page_lines(|f| f.files >= 3, &mut out);
        let mut named: Vec<usize> = out.into_iter().collect();
        named.sort_unstable();
        assert_eq!(named, [0, 1, 2, 3, 4, 5, 70]);
        let mut none = HashSet::default();
        index.files_with_page_lines(|f| f.files >= 9, &mut none);
        assert!(none.is_empty());
    }

    #[test]
    fn a_line_key_ignores_how_blanks_were_laid_out() {
        assert_eq!(
            line_key("share this  story"),
            line_key(" share\tthis story ")
        );
        assert_ne!(line_key("share this story"), line_key("share this"));
    }
}
