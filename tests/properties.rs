//! Properties of the core on any text (issue 21, item 13): no panic, every
//! span on character boundaries and slicing to what it reports, fixes that
//! converge and leave text that reads back. Inputs mix the hard cases:
//! CRLF and lone CR, a BOM, NBSP, curly quotes, emoji, other scripts, and
//! the words residue and attribution rules look for.

use std::sync::LazyLock;

use kzlint::config::Settings;
use kzlint::{Applicability, RuleSet, SourceFile};
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn spans_slice_the_text_on_character_boundaries(text in article()) {
        let file = SourceFile::new("p.txt", text.clone());
        for d in kzlint::check(&file, &RULES) {
            prop_assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "{d:?}");
            prop_assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end), "{d:?}");
            for label in &d.labels {
                prop_assert!(text.is_char_boundary(label.span.start) && text.is_char_boundary(label.span.end));
            }
            let at = file.line_col(d.span.start);
            prop_assert!(at.line >= 1 && at.column >= 1);
        }
    }

    #[test]
    fn fixes_converge_and_read_back(text in article()) {
        let file = SourceFile::new("p.txt", text);
        for level in [Applicability::Safe, Applicability::Unsafe] {
            let fixed = kzlint::fix::fix(&file, &RULES, &Settings::default(), level)
                .expect("fixes converge");
            let again = SourceFile::from_bytes("p.txt", fixed.text.clone().into_bytes())
                .expect("fixed text reads back");
            let more = kzlint::fix::fix(&again, &RULES, &Settings::default(), level).unwrap();
            prop_assert_eq!(more.applied, 0, "a second fix pass finds nothing left");
        }
    }
}
