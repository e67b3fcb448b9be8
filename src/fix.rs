//! Fixing a file: apply the fixes of one check, check again, and repeat
//! until nothing fixable is left. Fixes never overlap within a pass; a
//! fix that removes residue can expose more (a comment widget under a
//! source link), which the next pass finds.

use crate::config::Settings;
use crate::diagnostic::{apply_fixes, Applicability, Diagnostic};
use crate::engine;
use crate::rules::RuleSet;
use crate::source::SourceFile;

/// More passes than any real article needs; past it the fixes fight.
pub const MAX_PASSES: usize = 10;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FixError {
    #[error("fixes did not converge after {passes} passes (two fixes keep undoing each other)")]
    NotConverged { passes: usize },
}

/// The text after fixing, and how many fixes were applied in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    pub applied: usize,
    pub passes: usize,
}

/// Applies every fix at or above `level` (Safe: safe fixes only; Unsafe:
/// safe and unsafe) of the rules `settings` leaves on, until a check finds
/// nothing more to fix.
pub fn fix(
    file: &SourceFile,
    rules: &RuleSet,
    settings: &Settings,
    level: Applicability,
) -> Result<Fixed, FixError> {
    fix_shown(file, rules, settings, level, &mut |_, _| {})
}

/// Like [`fix`], acting only on the findings the user is shown: `hide`
/// takes out of each pass's findings those the user does not see (the ones
/// a baseline accepts), so that no fix touches them.
pub fn fix_shown(
    file: &SourceFile,
    rules: &RuleSet,
    settings: &Settings,
    level: Applicability,
    hide: &mut dyn FnMut(&SourceFile, &mut Vec<Diagnostic>),
) -> Result<Fixed, FixError> {
    let mut text = file.text().to_string();
    let mut applied = 0;
    for pass in 0..MAX_PASSES {
        let current = SourceFile::new(file.path(), text.clone());
        let mut diagnostics = engine::check_with(&current, rules, settings);
        settings.apply(&mut diagnostics);
        hide(&current, &mut diagnostics);
        let (next, n) = apply_fixes(&text, &diagnostics, level);
        if n == 0 {
            return Ok(Fixed {
                text,
                applied,
                passes: pass,
            });
        }
        applied += n;
        text = next;
    }
    Err(FixError::NotConverged { passes: MAX_PASSES })
}

/// A unified diff of a fix, for `--diff`.
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> RuleSet {
        RuleSet::builtin().expect("built-in rules load")
    }

    #[test]
    fn safe_fixes_remove_residue_and_a_second_run_changes_nothing() {
        let text = "Ferry resumes\n\nThe ferry resumed service on Monday, the operator said.\n\nSource link\n\nLeave a Reply\n\nYour email address will not be published.\n";
        let file = SourceFile::new("a.txt", text);
        let fixed = fix(&file, &rules(), &Settings::default(), Applicability::Safe).unwrap();
        assert!(!fixed.text.contains("Source link") && !fixed.text.contains("Leave a Reply"));
        assert!(fixed.text.contains("The ferry resumed service on Monday"));
        let again = fix(
            &SourceFile::new("a.txt", fixed.text.clone()),
            &rules(),
            &Settings::default(),
            Applicability::Safe,
        )
        .unwrap();
        assert_eq!((again.applied, again.text), (0, fixed.text));
    }

    #[test]
    fn unsafe_fixes_wait_for_the_unsafe_level() {
        let text = "The minister said. said that talks would resume.\n";
        let file = SourceFile::new("a.txt", text);
        assert_eq!(
            fix(&file, &rules(), &Settings::default(), Applicability::Safe)
                .unwrap()
                .applied,
            0
        );
        let fixed = fix(&file, &rules(), &Settings::default(), Applicability::Unsafe).unwrap();
        assert_eq!(fixed.text, "The minister said that talks would resume.\n");
    }

    #[test]
    fn the_diff_names_the_file_and_shows_the_removed_line() {
        let diff = unified_diff("x.txt", "Body.\nSource link\n", "Body.\n");
        assert!(
            diff.contains("--- a/x.txt")
                && diff.contains("+++ b/x.txt")
                && diff.contains("-Source link")
        );
    }
}
