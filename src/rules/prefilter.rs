//! Where a pattern can match, found for every rule at once.
//!
//! Most rule patterns can only match where one of a few literals starts
//! ("subscribe", "read more", "source link"). Scanning an article once with
//! one Aho-Corasick automaton over all those literals tells each pattern
//! where to try; a pattern then runs anchored at those places only, and a
//! pattern with no candidate in an article costs nothing, not even its
//! compilation (see [`LazyRegex`]). Patterns without such literals run over
//! the whole article as before.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex_automata::meta;
use regex_automata::util::syntax;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};

/// More literals than this make a prefilter slower than the regex.
const MAX_LITERALS: usize = 400;

/// A regex parsed (and so validated) at load and compiled the first time an
/// article needs it: one article rarely needs more than a few of them.
#[derive(Debug)]
pub(crate) struct LazyRegex {
    source: String,
    case_insensitive: bool,
    /// Capture group names, by index (group 0 is the whole match).
    names: Vec<Option<String>>,
    /// Literals every match starts with, when there is a small set of them.
    prefixes: Option<Vec<Vec<u8>>>,
    compiled: OnceLock<meta::Regex>,
}

fn syntax_config(case_insensitive: bool) -> syntax::Config {
    syntax::Config::new()
        .case_insensitive(case_insensitive)
        .multi_line(true)
        .crlf(true)
}

impl LazyRegex {
    /// Parses `source`; `literal_source` is the part of it whose literal
    /// prefixes the prefilter uses (a whole-line pattern's body, without
    /// the blanks around it), or `None` for no prefilter.
    pub(crate) fn new(
        source: String,
        literal_source: Option<&str>,
        case_insensitive: bool,
    ) -> Result<LazyRegex, String> {
        let parse = |pattern: &str, case_insensitive: bool| {
            regex_syntax::ParserBuilder::new()
                .case_insensitive(case_insensitive)
                .multi_line(true)
                .crlf(true)
                .build()
                .parse(pattern)
                .map_err(|e| e.to_string())
        };
        let hir = parse(&source, case_insensitive)?;
        let mut names = vec![None];
        capture_names(&hir, &mut names);
        // Case-sensitive literals; the automaton folds ASCII case, so it finds
        // every place a case-insensitive pattern can start too.
        let prefixes = match literal_source {
            Some(part) => required_prefixes(&parse(part, false)?, case_insensitive),
            None => None,
        };
        Ok(LazyRegex {
            source,
            case_insensitive,
            names,
            prefixes,
            compiled: OnceLock::new(),
        })
    }

    /// Compiles now, so that a rule file's errors show at load.
    pub(crate) fn compile(&self) -> Result<(), String> {
        if self.compiled.get().is_some() {
            return Ok(());
        }
        let re = self.build()?;
        let _ = self.compiled.set(re);
        Ok(())
    }

    fn build(&self) -> Result<meta::Regex, String> {
        meta::Regex::builder()
            .syntax(syntax_config(self.case_insensitive))
            .build(&self.source)
            .map_err(|e| e.to_string())
    }

    pub(crate) fn get(&self) -> &meta::Regex {
        self.compiled.get_or_init(|| {
            // The source parsed at load; only the size limits (far above any
            // rule's needs) could still fail.
            self.build()
                .unwrap_or_else(|e| panic!("pattern `{}` does not compile: {e}", self.source))
        })
    }

    #[cfg(test)]
    pub(crate) fn is_compiled(&self) -> bool {
        self.compiled.get().is_some()
    }

    pub(crate) fn group_len(&self) -> usize {
        self.names.len()
    }

    pub(crate) fn has_group(&self, name: &str) -> bool {
        self.names.iter().flatten().any(|n| n == name)
    }

    pub(crate) fn prefixes(&self) -> Option<&[Vec<u8>]> {
        self.prefixes.as_deref()
    }
}

fn capture_names(hir: &Hir, names: &mut Vec<Option<String>>) {
    match hir.kind() {
        HirKind::Capture(cap) => {
            let index = cap.index as usize;
            if names.len() <= index {
                names.resize(index + 1, None);
            }
            names[index] = cap.name.as_deref().map(str::to_string);
            capture_names(&cap.sub, names);
        }
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().for_each(|s| capture_names(s, names))
        }
        HirKind::Repetition(rep) => capture_names(&rep.sub, names),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => {}
    }
}

/// The literals that every match of `hir` starts with, if there are a few
/// and none is empty. With `fold_case`, literals that carry non-ASCII
/// letters are refused, as the automaton folds ASCII case only.
fn required_prefixes(hir: &Hir, fold_case: bool) -> Option<Vec<Vec<u8>>> {
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(hir);
    let literals = seq.literals()?;
    if literals.is_empty() || literals.len() > MAX_LITERALS {
        return None;
    }
    let mut out: Vec<Vec<u8>> = Vec::with_capacity(literals.len());
    for lit in literals {
        let bytes = lit.as_bytes();
        if bytes.is_empty() || (fold_case && !bytes.is_ascii()) {
            return None;
        }
        out.push(bytes.to_ascii_lowercase());
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// One automaton over the prefix literals of a list of regexes ("slots").
#[derive(Debug)]
pub(crate) struct Prefilter {
    automaton: Option<AhoCorasick>,
    /// For each automaton pattern, the slots it is a prefix of.
    owners: Vec<Vec<usize>>,
    /// Whether each slot is filtered (has prefixes).
    filtered: Vec<bool>,
}

/// Where each slot's matches can start in one article.
#[derive(Debug)]
pub(crate) struct Hits {
    starts: Vec<Vec<usize>>,
}

/// Where one regex may match in an article.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Starts<'a> {
    /// No prefilter: search the whole article.
    Anywhere,
    /// Only at these offsets (sorted, possibly none).
    At(&'a [usize]),
}

impl Prefilter {
    pub(crate) fn new<'r>(slots: impl IntoIterator<Item = &'r LazyRegex>) -> Prefilter {
        let mut literals: Vec<&[u8]> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut index: std::collections::HashMap<&[u8], usize> = Default::default();
        let mut filtered = Vec::new();
        for (slot, re) in slots.into_iter().enumerate() {
            filtered.push(re.prefixes().is_some());
            for lit in re.prefixes().unwrap_or_default() {
                let id = *index.entry(lit.as_slice()).or_insert_with(|| {
                    literals.push(lit);
                    owners.push(Vec::new());
                    literals.len() - 1
                });
                owners[id].push(slot);
            }
        }
        let automaton = (!literals.is_empty()).then(|| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&literals)
                .expect("literal automaton builds")
        });
        Prefilter {
            automaton,
            owners,
            filtered,
        }
    }

    /// A prefilter that lets every regex search everywhere (to test that
    /// the real one changes no finding).
    #[cfg(test)]
    pub(crate) fn disabled(&self) -> Prefilter {
        Prefilter {
            automaton: None,
            owners: Vec::new(),
            filtered: vec![false; self.filtered.len()],
        }
    }

    pub(crate) fn scan(&self, text: &str) -> Hits {
        let mut starts = vec![Vec::new(); self.filtered.len()];
        if let Some(ac) = &self.automaton {
            for m in ac.find_overlapping_iter(text) {
                for &slot in &self.owners[m.pattern().as_usize()] {
                    starts[slot].push(m.start());
                }
            }
            for s in &mut starts {
                // Overlapping matches come in order of their ends.
                s.sort_unstable();
                s.dedup();
            }
        }
        Hits { starts }
    }

    pub(crate) fn starts<'h>(&self, hits: &'h Hits, slot: usize) -> Starts<'h> {
        if self.filtered[slot] {
            Starts::At(&hits.starts[slot])
        } else {
            Starts::Anywhere
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefixes(pattern: &str) -> Option<Vec<String>> {
        LazyRegex::new(pattern.into(), Some(pattern), true)
            .unwrap()
            .prefixes()
            .map(|p| {
                p.iter()
                    .map(|l| String::from_utf8(l.clone()).unwrap())
                    .collect()
            })
    }

    #[test]
    fn alternations_give_every_start_and_classes_of_any_size_give_none() {
        assert_eq!(
            prefixes(r"(?:Read|see) (?:also|more)").unwrap(),
            ["read also", "read more", "see also", "see more"]
        );
        assert_eq!(prefixes(r"\bSource link\b").unwrap(), ["source link"]);
        assert_eq!(prefixes(r"\w+ said"), None);
        assert_eq!(prefixes(r"(?:x)?yz").unwrap(), ["xyz", "yz"]);
        assert_eq!(prefixes(r"a*b").unwrap(), ["a", "b"]);
        assert_eq!(prefixes(r"x?"), None, "an empty start is refused");
        // The automaton folds ASCII case only.
        assert_eq!(prefixes("Émission"), None);
    }

    #[test]
    fn hits_are_sorted_per_slot_and_unfiltered_slots_search_everywhere() {
        let a = LazyRegex::new("more".into(), Some("more"), true).unwrap();
        let b = LazyRegex::new("(?:re|more) news".into(), Some("(?:re|more) news"), true).unwrap();
        let c = LazyRegex::new(r"\d+".into(), Some(r"\d+"), false).unwrap();
        let pre = Prefilter::new([&a, &b, &c]);
        let hits = pre.scan("More news, more NEWS");
        let at = |slot| match pre.starts(&hits, slot) {
            Starts::At(s) => s.to_vec(),
            Starts::Anywhere => panic!("slot {slot} is filtered"),
        };
        assert_eq!(at(0), [0, 11]);
        assert_eq!(at(1), [0, 2, 11, 13]);
        assert!(matches!(pre.starts(&hits, 2), Starts::Anywhere));
        assert!(!a.is_compiled(), "scanning compiles nothing");
    }
}
