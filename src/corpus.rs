//! Facts gathered from every file of a run before any file is checked, for
//! the analyzers that compare an article with the rest of the corpus (a
//! name spelled one way here and another way in other files).
//!
//! The index grows with the vocabulary of names, not with the corpus: each
//! name form keeps a count of files, its first location and the name words
//! seen next to it.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::rules::RuleSet;
use crate::source::SourceFile;
use crate::text::Document;

/// Where a name form was first seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

/// What the corpus says about one spelling of a name.
#[derive(Debug, Clone)]
pub struct FormFacts {
    /// How many files use it.
    pub files: usize,
    pub first: Location,
    /// Capitalised words seen right before or after it (lower case).
    pub neighbours: HashSet<String>,
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
    forms: HashMap<String, FormFacts>,
    /// Spelling skeleton -> forms with that skeleton.
    by_skeleton: HashMap<String, Vec<String>>,
    /// Skeleton of the form without its first letter -> forms.
    by_tail_skeleton: HashMap<String, Vec<String>>,
    /// Every word seen in lower case somewhere: a capitalised form whose
    /// lower-case twin is here ("Office") is a common word, not a name.
    lowercase_words: HashSet<String>,
}

/// A key shared by spellings that transliteration tells apart: lower case,
/// letters only, doubled letters collapsed, every run of vowels (y
/// included) masked as one. Shoigu / Shoygu, Masimov / Massimov,
/// Volkonsky / Volkonskiy and Nur-Sultan / Nursultan share one.
pub fn skeleton(form: &str) -> String {
    let mut out = String::with_capacity(form.len());
    for c in form
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
    {
        let c = if matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y') {
            '*'
        } else {
            c
        };
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

fn tail(form: &str) -> &str {
    form.char_indices().nth(1).map_or("", |(i, _)| &form[i..])
}

impl CorpusIndex {
    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// Gathers what every rule wants to know from one file.
    pub fn add_file(&mut self, file: &SourceFile, rules: &RuleSet) {
        let doc = Document::new(file.body());
        for t in doc.tokens() {
            let word = doc.slice(t.span);
            if word.starts_with(char::is_lowercase) && !self.lowercase_words.contains(word) {
                self.lowercase_words.insert(word.to_string());
            }
        }
        let mut uses = Vec::new();
        for rule in rules.rules() {
            rule.check.gather(&doc, &mut uses);
        }
        let mut seen_here = HashSet::new();
        for u in uses {
            let at = file.line_col(u.offset + file.body_start());
            let facts = self
                .forms
                .entry(u.form.clone())
                .or_insert_with(|| FormFacts {
                    files: 0,
                    first: Location {
                        path: file.path().to_path_buf(),
                        line: at.line,
                        column: at.column,
                    },
                    neighbours: HashSet::new(),
                });
            // The first location is the one in the smallest path, so the
            // result does not depend on which thread saw which file first.
            if file.path() < facts.first.path.as_path() {
                facts.first = Location {
                    path: file.path().to_path_buf(),
                    line: at.line,
                    column: at.column,
                };
            }
            facts.neighbours.extend(u.neighbours);
            if seen_here.insert(u.form.clone()) {
                if facts.files == 0 {
                    self.by_skeleton
                        .entry(skeleton(&u.form))
                        .or_default()
                        .push(u.form.clone());
                    self.by_tail_skeleton
                        .entry(skeleton(tail(&u.form)))
                        .or_default()
                        .push(u.form.clone());
                }
                facts.files += 1;
            }
        }
    }

    /// Folds another index in (from another batch of files, in path order).
    pub fn merge(&mut self, other: CorpusIndex) {
        self.lowercase_words.extend(other.lowercase_words);
        let mut forms: Vec<_> = other.forms.into_iter().collect();
        forms.sort_by(|a, b| {
            (&a.1.first.path, a.1.first.line).cmp(&(&b.1.first.path, b.1.first.line))
        });
        for (form, theirs) in forms {
            match self.forms.get_mut(&form) {
                Some(ours) => {
                    ours.files += theirs.files;
                    ours.neighbours.extend(theirs.neighbours);
                    if theirs.first.path < ours.first.path {
                        ours.first = theirs.first;
                    }
                }
                None => {
                    self.by_skeleton
                        .entry(skeleton(&form))
                        .or_default()
                        .push(form.clone());
                    self.by_tail_skeleton
                        .entry(skeleton(tail(&form)))
                        .or_default()
                        .push(form.clone());
                    self.forms.insert(form, theirs);
                }
            }
        }
    }

    /// Was this word (in lower case) seen in lower case in some file?
    pub fn is_common_word(&self, form: &str) -> bool {
        self.lowercase_words.contains(&form.to_lowercase())
    }

    pub fn facts(&self, form: &str) -> Option<&FormFacts> {
        self.forms.get(form)
    }

    /// Forms that might be other spellings of `form`: the same skeleton, or
    /// `form` is another form without its first letter.
    pub fn candidates<'a>(&'a self, form: &str) -> impl Iterator<Item = &'a str> + 'a {
        let same = self.by_skeleton.get(&skeleton(form)).into_iter().flatten();
        let longer = self
            .by_tail_skeleton
            .get(&skeleton(form))
            .into_iter()
            .flatten();
        let me = form.to_string();
        same.chain(longer)
            .map(String::as_str)
            .filter(move |f| *f != me)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliteration_variants_share_a_skeleton() {
        assert_eq!(skeleton("Shoigu"), skeleton("Shoygu"));
        assert_eq!(skeleton("Masimov"), skeleton("Massimov"));
        assert_eq!(skeleton("Zelensky"), skeleton("Zelenskyy"));
        assert_eq!(skeleton("Nur-Sultan"), skeleton("Nursultan"));
        assert_eq!(skeleton("Volkonsky"), skeleton("Volkonskiy"));
        assert_ne!(skeleton("Davis"), skeleton("David"));
    }
}
