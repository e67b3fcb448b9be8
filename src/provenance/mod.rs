//! Who is who in news provenance, as data: agencies, outlets and
//! aggregators with the names texts credit them by, their web domains and
//! the lines only their pages carry. The files live under `provenance/` in
//! a rule folder (`rules/provenance/*.toml` for the built-in ones) and
//! users extend them the same way as rules. No code here names an outlet:
//! what the report says of one it does not know, it reads from the text
//! (a dateline, a credit line, a disclaimer).

use std::ops::Range;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::rules::{RuleError, RuleFile};

/// The folder of a rule folder that holds provenance data.
pub const PROVENANCE_DIR: &str = "provenance/";

/// What an outlet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutletKind {
    /// A wire service that writes for others to carry.
    Agency,
    /// A newspaper, broadcaster or news site.
    Outlet,
    /// A site that republishes others' articles.
    Aggregator,
}

/// What a rule's finding tells of an article's provenance (the rule file's
/// `provenance` key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// A wire sign-off: credits the article's origin.
    SignOff,
    /// A credit line ("… contributed reporting"): credits its origin.
    CreditLine,
    /// A link back to the original: its origin.
    SourceLink,
    /// A syndicated-feed disclaimer: the site carries someone's feed.
    SyndicatedFeed,
    /// An aggregator's disclaimer: an aggregator carries it.
    Aggregator,
    /// What a scraper leaves (an emptied tag list, a comment form).
    Scraper,
    /// The site speaking of itself (a subscription appeal naming it).
    Site,
}

/// One agency, outlet or aggregator.
#[derive(Debug, Clone)]
pub struct Outlet {
    pub name: String,
    pub kind: OutletKind,
    /// The names texts credit it by, matched as whole words with their case.
    pub aliases: Vec<String>,
    /// Web domains (a subdomain matches too).
    pub domains: Vec<String>,
    /// Lines only this outlet's own pages carry (regexes, whole line).
    signatures: Vec<Regex>,
}

/// A test a provenance file carries: a text and what the report must say
/// of it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub text: String,
    #[serde(default)]
    pub origin: Vec<String>,
    #[serde(default)]
    pub carriers: Vec<String>,
    #[serde(default)]
    pub quoted: Vec<String>,
}

/// An example with where it stands in its file, for errors.
#[derive(Debug, Clone)]
pub struct PlacedExample {
    pub file: String,
    pub contents: Arc<str>,
    pub span: Range<usize>,
    pub example: Example,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    #[serde(default)]
    outlet: Vec<Spanned<OutletSpec>>,
    #[serde(default)]
    example: Vec<Spanned<Example>>,
    #[serde(default)]
    figure_kind: Vec<FigureKind>,
}

/// A kind of count the figure ledger groups: the words that count it
/// ("killed", "dead", "deaths" are all deaths).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureKind {
    pub name: String,
    pub words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutletSpec {
    name: String,
    kind: OutletKind,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    domains: Vec<String>,
    #[serde(default)]
    signatures: Vec<Spanned<String>>,
}

/// Every outlet known, with fast lookups by alias, domain and signature.
#[derive(Debug, Default)]
pub struct Directory {
    outlets: Vec<Outlet>,
    /// Over every alias; the pattern index maps to `alias_owner`.
    aliases: Option<AhoCorasick>,
    alias_owner: Vec<usize>,
    examples: Vec<PlacedExample>,
    figure_kinds: Vec<FigureKind>,
}

fn error(file: &RuleFile, span: Option<Range<usize>>, message: String) -> RuleError {
    RuleError {
        file: file.display.clone(),
        contents: Some(file.contents.clone()),
        rule: None,
        span,
        message,
    }
}

impl Directory {
    /// The built-in data (`rules/provenance/`).
    pub fn builtin() -> (Directory, Vec<RuleError>) {
        Directory::load(&crate::rules::builtin_rule_files())
    }

    /// Loads the provenance files among a rule folder's files (those under
    /// [`PROVENANCE_DIR`]); a file with an error adds nothing and the
    /// error names it and the place in it.
    pub fn load(files: &[RuleFile]) -> (Directory, Vec<RuleError>) {
        let mut directory = Directory::default();
        let errors = directory.extend(files);
        (directory, errors)
    }

    /// Adds the provenance files among `files` (a user's rule folder after
    /// the built-in one).
    pub fn extend(&mut self, files: &[RuleFile]) -> Vec<RuleError> {
        let mut errors = Vec::new();
        for file in files
            .iter()
            .filter(|f| f.rel.starts_with(PROVENANCE_DIR) && f.rel.ends_with(".toml"))
        {
            match parse_file(file) {
                Ok((outlets, examples, kinds)) => {
                    self.outlets.extend(outlets);
                    self.examples.extend(examples);
                    self.figure_kinds.extend(kinds);
                }
                Err(e) => errors.push(e),
            }
        }
        self.index();
        errors
    }

    fn index(&mut self) {
        let mut patterns = Vec::new();
        self.alias_owner.clear();
        for (i, outlet) in self.outlets.iter().enumerate() {
            for alias in outlet.aliases.iter().chain(std::iter::once(&outlet.name)) {
                patterns.push(alias.clone());
                self.alias_owner.push(i);
            }
        }
        self.aliases = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .ok();
    }

    pub fn outlets(&self) -> &[Outlet] {
        &self.outlets
    }

    pub fn examples(&self) -> &[PlacedExample] {
        &self.examples
    }

    /// Known names in `text`, as whole words: (byte range, outlet).
    pub fn find_names<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (Range<usize>, &'a Outlet)> + 'a {
        self.aliases
            .iter()
            .flat_map(move |ac| ac.find_iter(text))
            .filter(move |m| is_whole_word(text, m.start(), m.end()))
            .map(move |m| {
                let outlet = &self.outlets[self.alias_owner[m.pattern().as_usize()]];
                (m.start()..m.end(), outlet)
            })
    }

    /// The outlet a name is, exactly one of its names or aliases (case
    /// aside), without a possessive ending.
    pub fn by_name(&self, name: &str) -> Option<&Outlet> {
        let bare = name
            .trim()
            .trim_end_matches("'s")
            .trim_end_matches("’s")
            .trim();
        self.outlets.iter().find(|o| {
            o.name.eq_ignore_ascii_case(bare)
                || o.aliases.iter().any(|a| a.eq_ignore_ascii_case(bare))
        })
    }

    /// The outlet a web host belongs to (`edition.cnn.com` is `cnn.com`'s).
    pub fn by_host(&self, host: &str) -> Option<&Outlet> {
        let host = host.trim_start_matches("www.").to_ascii_lowercase();
        self.outlets.iter().find(|o| {
            o.domains
                .iter()
                .any(|d| host == *d || host.ends_with(&format!(".{d}")))
        })
    }

    /// The kind of count a casualty word is ("killed" is a death), if the
    /// data groups it.
    pub fn figure_kind(&self, word: &str) -> Option<&str> {
        self.figure_kinds
            .iter()
            .find(|k| k.words.iter().any(|w| w.eq_ignore_ascii_case(word)))
            .map(|k| k.name.as_str())
    }

    /// Does any outlet have signature lines?
    pub fn has_signatures(&self) -> bool {
        self.outlets.iter().any(|o| !o.signatures.is_empty())
    }

    /// The outlet whose signature `line` is.
    pub fn by_signature(&self, line: &str) -> Option<&Outlet> {
        let line = line.trim();
        if line.is_empty() {
            return None;
        }
        self.outlets
            .iter()
            .find(|o| o.signatures.iter().any(|re| re.is_match(line)))
    }
}

fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

type Parsed = (Vec<Outlet>, Vec<PlacedExample>, Vec<FigureKind>);

fn parse_file(file: &RuleFile) -> Result<Parsed, RuleError> {
    let spec: FileSpec = toml::from_str(&file.contents)
        .map_err(|e| error(file, e.span(), e.message().to_string()))?;
    let mut outlets = Vec::new();
    for spanned in spec.outlet {
        let span = spanned.span();
        let o = spanned.into_inner();
        if o.name.trim().is_empty() {
            return Err(error(file, Some(span), "an outlet needs a `name`".into()));
        }
        let mut signatures = Vec::new();
        for s in &o.signatures {
            // A signature is a whole line, whatever blanks surround it.
            let re = Regex::new(&format!("^(?:{})$", s.get_ref())).map_err(|e| {
                error(
                    file,
                    Some(s.span()),
                    format!("signature of `{}`: {e}", o.name),
                )
            })?;
            signatures.push(re);
        }
        outlets.push(Outlet {
            name: o.name,
            kind: o.kind,
            aliases: o.aliases,
            domains: o.domains.iter().map(|d| d.to_ascii_lowercase()).collect(),
            signatures,
        });
    }
    let examples = spec
        .example
        .into_iter()
        .map(|e| PlacedExample {
            file: file.display.clone(),
            contents: file.contents.clone(),
            span: e.span(),
            example: e.into_inner(),
        })
        .collect();
    Ok((outlets, examples, spec.figure_kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> RuleFile {
        RuleFile {
            display: "p/provenance/x.toml".into(),
            rel: "provenance/x.toml".into(),
            contents: Arc::from(text),
        }
    }

    #[test]
    fn names_domains_and_signatures_find_their_outlet() {
        let (d, errors) = Directory::load(&[file(
            "[[outlet]]\nname = \"Harbour Wire\"\nkind = \"agency\"\naliases = [\"HW\"]\ndomains = [\"harbourwire.example\"]\nsignatures = [\"Read more from Harbour Wire.*\"]\n",
        )]);
        assert!(errors.is_empty(), "{errors:?}");
        let found: Vec<_> = d.find_names("told HW; HWX no; Harbour Wire said").collect();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0, 5..7);
        assert_eq!(d.by_name("HW’s").unwrap().name, "Harbour Wire");
        assert_eq!(
            d.by_host("www.news.harbourwire.example").unwrap().kind,
            OutletKind::Agency
        );
        assert!(d.by_host("notharbourwire.example").is_none());
        assert!(d
            .by_signature("  Read more from Harbour Wire today ")
            .is_some());
        assert!(d.by_signature("We read more from Harbour Wire").is_none());
    }

    #[test]
    fn a_broken_file_is_named_with_the_place_of_its_mistake() {
        let text = "[[outlet]]\nname = \"X\"\nkind = \"agency\"\nsignatures = [\"(unclosed\"]\n";
        let (d, errors) = Directory::load(&[file(text)]);
        assert!(d.outlets().is_empty());
        assert_eq!(errors.len(), 1);
        let e = &errors[0];
        assert_eq!(e.file, "p/provenance/x.toml");
        assert_eq!(&text[e.span.clone().unwrap()], "\"(unclosed\"");
        let (_, errors) = Directory::load(&[file("[[outlet]]\nname = \"X\"\nkind = \"wire\"\n")]);
        assert!(errors[0].message.contains("wire"), "{}", errors[0].message);
    }
}
