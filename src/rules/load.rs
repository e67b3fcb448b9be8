//! Loading rule files: parse, validate, compile, and run each rule's
//! examples. A rule with any problem does not load; every problem is
//! reported with the file, the rule id and the span in the TOML.

use std::path::Path;
use std::sync::Arc;

use toml::Spanned;

use super::check::{Check, SpecError};
use super::spec::{FixSpec, RuleSpec};
use super::{verify_examples, Examples, FixTemplate, Rule, RuleError, Template};
use crate::diagnostic::Category;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));
}

/// A file of a rule folder: rule files (`.toml`) and the word lists beside them.
#[derive(Debug, Clone)]
pub struct RuleFile {
    /// How errors name the file.
    pub display: String,
    /// Path relative to the rule folder, with `/` separators.
    pub rel: String,
    pub contents: Arc<str>,
}

/// The built-in rule folder, as compiled into the binary.
pub fn builtin_rule_files() -> Vec<RuleFile> {
    generated::BUILTIN_RULE_FILES
        .iter()
        .map(|(rel, contents)| RuleFile {
            display: format!("rules/{rel}"),
            rel: rel.to_string(),
            contents: Arc::from(*contents),
        })
        .collect()
}

/// Reads a user's rule folder (recursively, hidden entries skipped).
pub fn load_dir(dir: &Path) -> Result<Vec<RuleFile>, RuleError> {
    let mut files = Vec::new();
    let walker = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .hidden(true)
        .sort_by_file_path(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        let entry = entry.map_err(|e| io_error(dir, e.to_string()))?;
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let contents = std::fs::read_to_string(path).map_err(|e| io_error(path, e.to_string()))?;
        let rel = path
            .strip_prefix(dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        files.push(RuleFile {
            display: path.display().to_string(),
            rel,
            contents: Arc::from(contents),
        });
    }
    if !files.iter().any(|f| f.rel.ends_with(".toml")) {
        return Err(io_error(
            dir,
            "no rule files (*.toml) in this folder".into(),
        ));
    }
    Ok(files)
}

fn io_error(path: &Path, message: String) -> RuleError {
    RuleError {
        file: path.display().to_string(),
        contents: None,
        rule: None,
        span: None,
        message,
    }
}

/// Loads every `.toml` rule in `files`; other files are word lists that
/// analyzers may read. Repeated ids are caught when the rules join a
/// [`RuleSet`](super::RuleSet). Each rule's regexes are compiled and its
/// examples run: a rule that fails either does not load.
pub fn load_files(files: &[RuleFile]) -> (Vec<Rule>, Vec<RuleError>) {
    load(files, Verify::Examples)
}

/// The built-in rules, for linting. Their examples are not run again: they
/// were fixed when the binary was built, and `cargo test` and
/// `kzlint check-rules` run them. Regexes compile when an article first
/// needs them, which keeps one-file runs (an editor's on-save lint) fast.
pub fn load_builtin() -> (Vec<Rule>, Vec<RuleError>) {
    load(&builtin_rule_files(), Verify::Syntax)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verify {
    /// Parse regexes only.
    Syntax,
    /// Compile regexes and run the examples.
    Examples,
}

/// A rule folder's own categories, at its top: `[name]` tables with a
/// `description`, for rules whose ids start with a category kzlint does not
/// build in.
pub const CATEGORIES_FILE: &str = "categories.toml";

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CategorySpec {
    description: String,
}

/// The categories `files` declare in [`CATEGORIES_FILE`], declared for the
/// process as they are read; each problem names the file and the span.
fn declared_categories(files: &[RuleFile]) -> (Vec<Category>, Vec<RuleError>) {
    let Some(file) = files.iter().find(|f| f.rel == CATEGORIES_FILE) else {
        return (Vec::new(), Vec::new());
    };
    let error = |span: Option<std::ops::Range<usize>>, message: String| RuleError {
        file: file.display.clone(),
        contents: Some(file.contents.clone()),
        rule: None,
        span,
        message,
    };
    let specs: std::collections::BTreeMap<Spanned<String>, CategorySpec> =
        match toml::from_str(&file.contents) {
            Ok(specs) => specs,
            Err(e) => return (Vec::new(), vec![error(e.span(), e.message().to_string())]),
        };
    let (mut declared, mut errors) = (Vec::new(), Vec::new());
    for (name, spec) in specs {
        let problem = if Category::parse(name.get_ref()).is_some() {
            Some(format!("`{}` is a built-in category", name.get_ref()))
        } else if !is_kebab(name.get_ref()) {
            Some(format!(
                "category name `{}` must be kebab-case (lowercase words joined by `-`)",
                name.get_ref()
            ))
        } else if spec.description.trim().is_empty() {
            Some(format!("category `{}` needs a description", name.get_ref()))
        } else {
            None
        };
        match problem {
            Some(message) => errors.push(error(Some(name.span()), message)),
            None => declared.push(Category::declare(name.get_ref(), spec.description.trim())),
        }
    }
    (declared, errors)
}

fn is_kebab(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

fn load(files: &[RuleFile], verify: Verify) -> (Vec<Rule>, Vec<RuleError>) {
    use rayon::prelude::*;
    let (declared, category_errors) = declared_categories(files);
    // Compiling regexes and running examples is most of kzlint's start-up;
    // rule files are independent, so they load in parallel (in order).
    let results: Vec<Result<Rule, Vec<RuleError>>> = files
        .par_iter()
        .filter(|f| {
            f.rel.ends_with(".toml")
                && f.rel != CATEGORIES_FILE
                && !f.rel.starts_with(crate::provenance::PROVENANCE_DIR)
        })
        .map(|file| {
            let dir = file.rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
            let read_sibling = |name: &str| {
                let wanted = if dir.is_empty() {
                    name.to_string()
                } else {
                    format!("{dir}/{name}")
                };
                files
                    .iter()
                    .find(|f| f.rel == wanted)
                    .map(|f| f.contents.to_string())
            };
            load_one(file, &read_sibling, &declared, verify)
        })
        .collect();
    let mut rules = Vec::new();
    let mut errors = category_errors;
    for result in results {
        match result {
            Ok(rule) => rules.push(rule),
            Err(mut errs) => errors.append(&mut errs),
        }
    }
    (rules, errors)
}

fn load_one(
    file: &RuleFile,
    read_sibling: &dyn Fn(&str) -> Option<String>,
    declared: &[Category],
    verify: Verify,
) -> Result<Rule, Vec<RuleError>> {
    let text = &file.contents;
    let error =
        |rule: Option<&str>, span: Option<std::ops::Range<usize>>, message: String| RuleError {
            file: file.display.clone(),
            contents: Some(text.clone()),
            rule: rule.map(str::to_string),
            span,
            message,
        };
    let spec: RuleSpec = toml::from_str(text).map_err(|e| {
        // Name the rule even when the file does not deserialize, if we can.
        let id = toml::from_str::<toml::Table>(text)
            .ok()
            .and_then(|t| t.get("id").and_then(|v| v.as_str()).map(str::to_string));
        vec![error(id.as_deref(), e.span(), e.message().to_string())]
    })?;
    let id = spec.id.get_ref().clone();
    let at = |e: SpecError| {
        let span = match e.inside {
            Some(inside) => string_span(text, e.span, inside),
            None => e.span,
        };
        vec![error(Some(&id), Some(span), e.message)]
    };

    let category = parse_id(&id, &file.rel, declared)
        .map_err(|m| vec![error(Some(&id), Some(spec.id.span()), m)])?;
    let message = Template::parse(spec.message.get_ref()).map_err(|e| {
        let span = inner_span(text, &spec.message, e.at.clone());
        vec![error(Some(&id), Some(span), e.message)]
    })?;
    let check_span = spec.check.span();
    let check_span_for_fix = check_span.clone();
    let check_kind = spec.check.get_ref().kind.get_ref().clone();
    let check = Check::compile(
        spec.check.into_inner(),
        check_span.clone(),
        read_sibling,
        verify == Verify::Examples,
    )
    .map_err(at)?;
    if verify == Verify::Examples {
        check.compile_all().map_err(|e| {
            vec![error(
                Some(&id),
                Some(check_span.clone()),
                format!("regex does not compile:\n{e}"),
            )]
        })?;
    }
    if let Some(missing) = message.variables().find(|v| !check.has_variable(v)) {
        return Err(vec![error(
            Some(&id),
            Some(spec.message.span()),
            format!("message uses `{{{missing}}}`, which this check does not provide"),
        )]);
    }
    if let Some(replacement) = spec
        .fix
        .as_ref()
        .and_then(|f| f.get_ref().replacement.as_ref())
    {
        check_replacement(replacement.get_ref(), |name| check.has_variable(name)).map_err(|e| {
            let span = inner_span(text, replacement, e.at);
            vec![error(Some(&id), Some(span), e.message)]
        })?;
    }
    let fix = compile_fix(spec.fix, &check_kind, check_span_for_fix).map_err(at)?;
    let marked_corpus = spec
        .examples
        .corpus
        .iter()
        .any(|c| c.files.get_ref().iter().any(|f| f.contains("[[")));
    if (spec.examples.bad.is_empty() && !marked_corpus) || spec.examples.good.is_empty() {
        return Err(vec![error(
            Some(&id),
            None,
            "a rule needs at least one `bad` example (or a `corpus` example with a marked span) and one `good` example".into(),
        )]);
    }
    let rule = Rule {
        id: id.clone(),
        category,
        severity: spec.severity,
        summary: spec.summary,
        description: spec.description,
        help: spec.help,
        origin: file.display.clone(),
        examples: Examples {
            bad: spec
                .examples
                .bad
                .iter()
                .map(|s| s.get_ref().clone())
                .collect(),
            good: spec
                .examples
                .good
                .iter()
                .map(|s| s.get_ref().clone())
                .collect(),
            corpus: spec
                .examples
                .corpus
                .iter()
                .map(|c| c.files.get_ref().clone())
                .collect(),
        },
        provenance: spec.provenance,
        message,
        check,
        fix,
    };
    if verify == Verify::Syntax {
        return Ok(rule);
    }
    let failures = verify_examples(&rule, &spec.examples);
    if failures.is_empty() {
        Ok(rule)
    } else {
        Err(failures
            .into_iter()
            .map(|f| error(Some(&id), Some(f.span), f.message))
            .collect())
    }
}

/// Checks `category/kebab-name` (a built-in category or one the folder
/// declares), and that a rule under `rules/<category>/` declares that
/// category.
fn parse_id(id: &str, rel: &str, declared: &[Category]) -> Result<Category, String> {
    let (category, name) = id
        .split_once('/')
        .ok_or_else(|| format!("rule id `{id}` must be `category/kebab-name`"))?;
    let category = Category::parse(category)
        .or_else(|| declared.iter().copied().find(|c| c.as_str() == category))
        .ok_or_else(|| {
            format!(
                "unknown category `{category}`; expected one of: syndication, translation, \
                 attribution, extraction, or one declared in the folder's {CATEGORIES_FILE} \
                 (`[{category}]` with a `description`)"
            )
        })?;
    if !is_kebab(name) {
        return Err(format!(
            "rule name `{name}` must be kebab-case (lowercase words joined by `-`)"
        ));
    }
    if let Some((folder, _)) = rel.rsplit_once('/') {
        let folder = folder.rsplit('/').next().unwrap_or(folder);
        if Category::known(folder).is_some_and(|c| c != category) {
            return Err(format!(
                "rule `{id}` is in the `{folder}` folder but declares category `{category}`"
            ));
        }
    }
    Ok(category)
}

fn compile_fix(
    fix: Option<Spanned<FixSpec>>,
    kind: &str,
    check_span: std::ops::Range<usize>,
) -> Result<Option<FixTemplate>, SpecError> {
    let Some(fix) = fix else {
        return if kind == "substitution" {
            Err(SpecError {
                span: check_span,
                message: "a `substitution` check needs a `[fix]` with a `replacement`".into(),
                inside: None,
            })
        } else {
            Ok(None)
        };
    };
    let fix_span = fix.span();
    let fix = fix.into_inner();
    let a = fix.applicability;
    match (fix.replacement, fix.remove) {
        (Some(r), None | Some(false)) => Ok(Some(FixTemplate::Replace(r.into_inner(), a))),
        (Some(r), Some(true)) => Err(SpecError {
            span: r.span(),
            message: "a fix takes `replacement` or `remove = true`, not both".into(),
            inside: None,
        }),
        (None, Some(true)) if kind != "substitution" => Ok(Some(FixTemplate::Remove(a))),
        (None, _) if kind == "analyzer" => Ok(Some(FixTemplate::Proposed(a))),
        (None, _) => Err(SpecError {
            span: fix_span,
            message: format!(
                "the `[fix]` of a `{kind}` check needs `replacement` or `remove = true`"
            ),
            inside: None,
        }),
    }
}

/// A problem in a fix's replacement, at a byte range inside it.
#[derive(Debug, PartialEq, Eq)]
struct ReplacementError {
    at: std::ops::Range<usize>,
    message: String,
}

/// Checks a replacement as the regex crate will expand it (`$name`,
/// `${name}`, `$1`, `$$`): every group it names must exist, or it would
/// expand to nothing; and it may hold no control character but a tab or a
/// line break, or the fixed article would no longer read as text.
fn check_replacement(
    replacement: &str,
    has_group: impl Fn(&str) -> bool,
) -> Result<(), ReplacementError> {
    let bytes = replacement.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = replacement[i..].chars().next().expect("on a char boundary");
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
            return Err(ReplacementError {
                at: i..i + c.len_utf8(),
                message: format!(
                    "the replacement holds the control character U+{:04X}",
                    c as u32
                ),
            });
        }
        if c != '$' {
            i += c.len_utf8();
            continue;
        }
        let (name, end) = match bytes.get(i + 1) {
            Some(b'$') => {
                i += 2;
                continue;
            }
            Some(b'{') => match replacement[i + 2..].find('}') {
                Some(close) => (&replacement[i + 2..i + 2 + close], i + 3 + close),
                None => (&replacement[i..i], i + 1),
            },
            _ => {
                let len = bytes[i + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                    .count();
                (&replacement[i + 1..i + 1 + len], i + 1 + len)
            }
        };
        if !name.is_empty() && !has_group(name) {
            return Err(ReplacementError {
                at: i..end,
                message: format!(
                    "the replacement uses `{}`, which the pattern does not capture (write `$$` for a literal `$`, `${{1}}x` to put text right after a group)",
                    &replacement[i..end]
                ),
            });
        }
        i = end.max(i + 1);
    }
    Ok(())
}

/// Maps a range inside a string value to the file, when the literal holds
/// the value verbatim (no escapes); otherwise the whole literal.
pub(crate) fn inner_span(
    text: &str,
    value: &Spanned<String>,
    inner: std::ops::Range<usize>,
) -> std::ops::Range<usize> {
    string_span(text, value.span(), inner)
}

/// The bytes of the rule file that hold bytes `inner` of the value of the
/// TOML string at `whole` (quotes included): escapes (`\\`, `\u00e9`) and
/// a multi-line string's first line break are read as TOML reads them. An
/// empty `inner` (a position) covers one character. The whole string when
/// the literal cannot be read.
pub(crate) fn string_span(
    text: &str,
    whole: std::ops::Range<usize>,
    inner: std::ops::Range<usize>,
) -> std::ops::Range<usize> {
    let raw = &text[whole.clone()];
    let (quote, basic) = if raw.starts_with("'''") {
        (3, false)
    } else if raw.starts_with("\"\"\"") {
        (3, true)
    } else if raw.starts_with('\'') {
        (1, false)
    } else if raw.starts_with('"') {
        (1, true)
    } else {
        return whole;
    };
    let Some(mut body) = raw.get(quote..raw.len().saturating_sub(quote)) else {
        return whole;
    };
    let mut start = whole.start + quote;
    if quote == 3 {
        if let Some(rest) = body
            .strip_prefix("\r\n")
            .or_else(|| body.strip_prefix('\n'))
        {
            start += body.len() - rest.len();
            body = rest;
        }
    }
    let map = value_offsets(body, basic);
    let at = |i: usize| map.get(i).map(|o| start + o);
    let (Some(from), Some(to)) = (at(inner.start), at(inner.end)) else {
        return whole;
    };
    if from < to {
        return from..to;
    }
    let next = text[from..].chars().next().map_or(0, char::len_utf8);
    from..(from + next).min(whole.end)
}

/// For each byte of a TOML string's value, the offset in `body` (the text
/// between the quotes) of what wrote it; then one entry for the end.
fn value_offsets(body: &str, basic: bool) -> Vec<usize> {
    let mut map = Vec::with_capacity(body.len() + 1);
    let mut chars = body.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if !basic || c != '\\' {
            map.extend(std::iter::repeat_n(at, c.len_utf8()));
            continue;
        }
        let decoded_len = match chars.next() {
            Some((_, 'u')) => escaped_char(&mut chars, 4),
            Some((_, 'U')) => escaped_char(&mut chars, 8),
            Some((_, 'x')) => escaped_char(&mut chars, 2),
            // A line-ending backslash drops the blanks after it.
            Some((_, c)) if c.is_whitespace() => {
                while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
                0
            }
            Some(_) => 1,
            None => 0,
        };
        map.extend(std::iter::repeat_n(at, decoded_len));
    }
    map.push(body.len());
    map
}

/// Reads the `digits` hex digits of an escape; the UTF-8 length of the
/// character they name.
fn escaped_char(
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
    digits: usize,
) -> usize {
    let hex: String = (0..digits)
        .filter_map(|_| chars.next().map(|(_, c)| c))
        .collect();
    u32::from_str_radix(&hex, 16)
        .ok()
        .and_then(char::from_u32)
        .map_or(1, char::len_utf8)
}

#[cfg(test)]
mod string_span_tests {
    use super::string_span;

    /// Where bytes of a TOML string's value sit in the file, through
    /// escapes, literal strings and a multi-line string's first break.
    #[test]
    fn value_bytes_map_to_the_file() {
        let cases = [
            // (file text, the value, the part of the value to find)
            (r#"p = "\\bA (b""#, r"\bA (b", "("),
            (r#"p = "caf\u00e9 (x""#, "café (x", "("),
            ("p = 'a\\b (c'", "a\\b (c", "("),
            ("p = \"\"\"\nab (c\"\"\"", "ab (c", "("),
        ];
        for (text, value, part) in cases {
            let whole = 4..text.len();
            let at = value.find(part).unwrap();
            let span = string_span(text, whole, at..at + part.len());
            assert_eq!(&text[span], part, "in {text}");
        }
        // A position covers one character.
        let text = r#"p = "x\ty""#;
        assert_eq!(&text[string_span(text, 4..text.len(), 2..2)], "y");
    }
}

#[cfg(test)]
mod replacement_tests {
    use super::*;

    fn check(replacement: &str) -> Result<(), ReplacementError> {
        check_replacement(replacement, |name| matches!(name, "0" | "1" | "word"))
    }

    #[test]
    fn groups_the_pattern_has_and_literal_dollars_pass() {
        for ok in [
            "", "plain", "$1", "${1}x", "$word", "${word}", "$$9", "costs $$", "a\tb\nc",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok:?}");
        }
    }

    #[test]
    fn unknown_groups_and_control_characters_are_refused_where_they_stand() {
        let err = check("x ${nosuchgroup} y").unwrap_err();
        assert_eq!(err.at, 2..16);
        assert!(err.message.contains("`${nosuchgroup}`"), "{}", err.message);
        assert_eq!(check("$9").unwrap_err().at, 0..2);
        // `$1a` is the group named "1a", as the regex crate reads it.
        assert_eq!(check("$1a").unwrap_err().at, 0..3);
        let err = check("a\u{0}b").unwrap_err();
        assert_eq!(err.at, 1..2);
        assert!(err.message.contains("U+0000"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_category_slash_kebab_and_match_their_folder() {
        assert_eq!(
            parse_id(
                "syndication/source-link",
                "syndication/source-link.toml",
                &[]
            ),
            Ok(Category::SYNDICATION)
        );
        assert!(parse_id("syndication/Source_Link", "x.toml", &[]).is_err());
        assert!(parse_id("gossip/rumour", "x.toml", &[]).is_err());
        let gossip = Category::declare("gossip", "rumours");
        assert_eq!(parse_id("gossip/rumour", "x.toml", &[gossip]), Ok(gossip));
        assert!(parse_id("translation/x", "syndication/x.toml", &[])
            .unwrap_err()
            .contains("folder"));
        assert_eq!(
            parse_id("attribution/x", "mine/x.toml", &[]),
            Ok(Category::ATTRIBUTION)
        );
    }
}
