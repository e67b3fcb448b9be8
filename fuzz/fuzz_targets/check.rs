//! Any bytes as an article: read as kzlint reads a file (refused input is
//! fine), checked with every built-in rule, fixed at both levels.
#![no_main]

use std::sync::LazyLock;

use kzlint::{invariants, RuleSet, SourceFile};
use libfuzzer_sys::fuzz_target;

static RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::builtin().expect("built-in rules"));

fuzz_target!(|data: &[u8]| {
    let Ok(file) = SourceFile::from_bytes("fuzz.txt", data.to_vec()) else {
        return;
    };
    if let Err(e) = invariants::spans_slice_the_text(&file, &RULES) {
        panic!("{e}");
    }
    if let Err(e) = invariants::fixes_converge(&file, &RULES) {
        panic!("{e}");
    }
});
