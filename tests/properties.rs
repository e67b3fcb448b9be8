//! Properties of the core on any text (issue 21, item 13): no panic, every
//! span on character boundaries and slicing to what it reports, fixes that
//! converge and leave text that reads back. Inputs mix the hard cases:
//! CRLF and lone CR, a BOM, NBSP, curly quotes, emoji, other scripts, and
//! the words residue and attribution rules look for.

use std::sync::LazyLock;

use kzlint::{invariants, RuleSet, SourceFile};
use proptest::prelude::*;

static RULES: LazyLock<RuleSet> =
    LazyLock::new(|| RuleSet::builtin().expect("built-in rules load"));

/// Pieces of text the rules and the segmenter react to.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\n\n".to_string()),
        Just("\u{feff}".to_string()),
        Just("\u{a0}".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just("\"".to_string()),
        Just("🚗".to_string()),
        Just("Москва".to_string()),
        Just("北京".to_string()),
        Just("Source link".to_string()),
        Just("Advertisement".to_string()),
        Just("© 2024 Example Media".to_string()),
        Just("Photo: Jane Doe/AP".to_string()),
        Just("officials said".to_string()),
        Just("according to sources".to_string()),
        Just("The council voted on Tuesday to close the bridge.".to_string()),
        Just(" said. said ".to_string()),
        Just("--IANS".to_string()),
        Just(" - ".to_string()),
        Just("250000".to_string()),
        "[a-zA-Z ,.;:!?'()-]{0,12}",
    ]
}

fn article() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..40).prop_map(|parts| parts.concat())
}

/// Pieces of rule files and configurations: keys, tables, strings with
/// escapes and non-ASCII text, broken regexes and templates.
fn toml_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("id = \"syndication/x-y\"\n".to_string()),
        Just("id = \"house/x\"\n".to_string()),
        Just("severity = \"warning\"\n".to_string()),
        Just("summary = \"s\"\nmessage = \"m `{0}` {nope}\"\ndescription = \"d\"\n".to_string()),
        Just("[check]\nkind = \"pattern\"\npatterns = ['(?i)source link']\n".to_string()),
        Just("patterns = ['(unclosed', '\\bok\\b']\n".to_string()),
        Just("[examples]\nbad = [\"[[Source link]]\"]\ngood = [\"“Москва” 🚗\"]\n".to_string()),
        Just("[fix]\nreplacement = \"${1}\\u0000\"\n".to_string()),
        Just("disable = [\"syndication\", \"nope/rule\"]\n".to_string()),
        Just("[[overrides]]\npaths = [\"[\"]\n".to_string()),
        Just("fail-on = \"info\"\n".to_string()),
        Just("\u{feff}".to_string()),
        Just("\"\"\"\n".to_string()),
        Just("= \n".to_string()),
        "[a-z=\\[\\]\"' \n{}é]{0,12}",
    ]
}

fn toml_text() -> impl Strategy<Value = String> {
    prop::collection::vec(toml_piece(), 0..12).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn spans_slice_the_text_on_character_boundaries(text in article()) {
        let file = SourceFile::new("p.txt", text);
        let checked = invariants::spans_slice_the_text(&file, &RULES);
        prop_assert!(checked.is_ok(), "{:?}", checked);
    }

    #[test]
    fn fixes_converge_and_read_back(text in article()) {
        let file = SourceFile::new("p.txt", text);
        let checked = invariants::fixes_converge(&file, &RULES);
        prop_assert!(checked.is_ok(), "{:?}", checked);
    }

    #[test]
    fn rule_file_errors_point_inside_the_file(text in toml_text()) {
        let checked = invariants::rule_file_errors_point_inside(&text);
        prop_assert!(checked.is_ok(), "{:?}", checked);
    }

    #[test]
    fn configuration_errors_point_inside_the_file(text in toml_text()) {
        let checked = invariants::config_errors_point_inside(&text, &RULES);
        prop_assert!(checked.is_ok(), "{:?}", checked);
    }
}

/// proptest's find: a comma first and a cue verb after it once underflowed
/// in debug builds (a parenthetical's start computed before its check).
#[test]
fn a_comma_opening_the_text_before_a_cue_is_checked_and_fixed() {
    let file = SourceFile::new("p.txt", ", said. said ");
    invariants::spans_slice_the_text(&file, &RULES).unwrap();
    invariants::fixes_converge(&file, &RULES).unwrap();
}
