//! Any text as a user's rule file: it loads, or its errors point inside it.
#![no_main]

use kzlint::invariants;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(e) = invariants::rule_file_errors_point_inside(text) {
        panic!("{e}");
    }
});
