//! Facts gathered from every file of a run before any file is checked, for
//! the analyzers that compare an article with the rest of the corpus (a
//! name spelled one way here and another way in other files).
//!
//! The index grows with the vocabulary of names, not with the corpus: each
//! name form keeps a count of files, its first location and the name words
//! seen next to it.

use std::hash::BuildHasher;
use std::path::Path;
use std::sync::Arc;

use foldhash::{HashMap, HashSet};

use crate::rules::RuleSet;
use crate::source::SourceFile;
use crate::text::Document;

/// Where a name form was first seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: Arc<Path>,
    /// The file's place in the run (files are gathered in path order).
    pub order: usize,
    pub line: usize,
    pub column: usize,
}

/// What the corpus says about one spelling of a name.
#[derive(Debug, Clone)]
pub struct FormFacts {
    /// How many files use it.
    pub files: usize,
    pub first: Location,
    /// Capitalised words seen right before or after it (lower case), as
    /// [`word_key`]s: the index holds no text it does not need.
    neighbours: HashSet<u64>,
}

impl FormFacts {
    pub fn has_neighbours(&self) -> bool {
        !self.neighbours.is_empty()
    }

    /// Was some word seen beside both forms?
    pub fn shares_neighbour_with(&self, other: &FormFacts) -> bool {
        self.neighbours.iter().any(|n| other.neighbours.contains(n))
    }

    /// Was any of these (lower-case) words seen beside this form?
    pub fn shares_neighbour(&self, words: &[String]) -> bool {
        words.iter().any(|w| self.neighbours.contains(&word_key(w)))
    }
}

/// A 64-bit key for a word, the same in every thread and run. A collision
/// (one in about 2^64 pairs) could only hide a finding.
pub fn word_key(word: &str) -> u64 {
    foldhash::fast::FixedState::with_seed(0x6b7a_6c69_6e74).hash_one(word)
}

/// What one article tells the corpus, as the analyzers gather it.
#[derive(Debug, Default)]
pub struct ArticleFacts {
    /// The name forms used, with where and beside which words.
    pub name_uses: Vec<NameUse>,
    /// Words seen in lower case, as [`word_key`]s of their lower case: an
    /// analyzer reports only those long enough to be one of its forms.
    pub lowercase_words: Vec<u64>,
}

/// One use of a name form in one article, as an analyzer reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameUse {
    pub form: String,
    /// Byte offset in the article body.
    pub offset: usize,
    pub neighbours: Vec<String>,
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
}

/// The forms by spelling skeleton, to find candidate variants.
#[derive(Debug, Default, Clone)]
struct Skeletons {
    /// Skeleton -> forms with that skeleton.
    same: HashMap<u64, Vec<Arc<str>>>,
    /// Skeleton of the form without its first letter -> forms.
    tail: HashMap<u64, Vec<Arc<str>>>,
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
        self.forms.is_empty()
    }

    /// Gathers what every rule wants to know from one file; `order` is
    /// its place in the run, which decides which file is "first".
    pub fn add_file(&mut self, order: usize, file: &SourceFile, rules: &RuleSet) {
        self.add_document(order, file, &Document::new(file.body()), rules);
    }

    /// [`CorpusIndex::add_file`] for an article already segmented.
    pub fn add_document(
        &mut self,
        order: usize,
        file: &SourceFile,
        doc: &Document<'_>,
        rules: &RuleSet,
    ) {
        self.skeletons.take();
        let mut facts = ArticleFacts::default();
        for rule in rules.rules() {
            rule.check.gather(doc, &mut facts);
        }
        self.lowercase_words.extend(facts.lowercase_words);
        let path: Arc<Path> = Arc::from(file.path());
        let mut seen_here = HashSet::default();
        for u in facts.name_uses {
            let location = || {
                let at = file.line_col(u.offset + file.body_start());
                Location {
                    path: path.clone(),
                    order,
                    line: at.line,
                    column: at.column,
                }
            };
            let first_here = seen_here.insert(word_key(&u.form));
            let facts = match self.forms.get_mut(u.form.as_str()) {
                Some(facts) => {
                    // The first location is the one in the earliest file, so
                    // the result does not depend on which thread saw what.
                    if order < facts.first.order {
                        facts.first = location();
                    }
                    facts
                }
                None => {
                    let facts = FormFacts {
                        files: 0,
                        first: location(),
                        neighbours: HashSet::default(),
                    };
                    self.forms.entry(Arc::from(u.form)).or_insert(facts)
                }
            };
            facts
                .neighbours
                .extend(u.neighbours.iter().map(|n| word_key(n)));
            if first_here {
                facts.files += 1;
            }
        }
    }

    /// Folds another index in.
    pub fn merge(&mut self, other: CorpusIndex) {
        self.skeletons.take();
        self.lowercase_words.extend(other.lowercase_words);
        for (form, theirs) in other.forms {
            match self.forms.get_mut(&form) {
                Some(ours) => {
                    ours.files += theirs.files;
                    ours.neighbours.extend(theirs.neighbours);
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
        let skeletons = self.skeletons.get_or_init(|| {
            let mut skeletons = Skeletons::default();
            for form in self.forms.keys() {
                let (same, tail_key) = (skeleton_key(form), skeleton_key(tail(form)));
                skeletons.same.entry(same).or_default().push(form.clone());
                skeletons
                    .tail
                    .entry(tail_key)
                    .or_default()
                    .push(form.clone());
            }
            skeletons
        });
        let key = skeleton_key(form);
        let same = skeletons.same.get(&key).into_iter().flatten();
        let longer = skeletons.tail.get(&key).into_iter().flatten();
        let mut found: Vec<&str> = same
            .chain(longer)
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
}
