//! Any text as a configuration file and as a baseline: parsed, or refused
//! with an error inside it.
#![no_main]

use std::sync::LazyLock;

use kzlint::{invariants, RuleSet};
use libfuzzer_sys::fuzz_target;

static RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::builtin().expect("built-in rules"));

fuzz_target!(|text: &str| {
    if let Err(e) = invariants::config_errors_point_inside(text, &RULES) {
        panic!("{e}");
    }
});
