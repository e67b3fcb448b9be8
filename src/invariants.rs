//! What every check keeps on any input, stated once for the property tests
//! (`tests/properties.rs`) and the fuzz targets (`fuzz/`): no panic; every
//! span inside the text, on character boundaries, with a line and column;
//! fixes that converge and leave text kzlint reads back; and errors in a
//! rule file, a configuration or a baseline that point inside it. Each
//! returns what broke, for the caller to fail on.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::config::{Config, Settings};
use crate::diagnostic::Applicability;
use crate::rules::{load_files, RuleFile, RuleSet};
use crate::source::SourceFile;

/// A byte range inside `text`, on character boundaries.
fn inside(text: &str, span: &Range<usize>) -> bool {
    span.start <= span.end
        && span.end <= text.len()
        && text.is_char_boundary(span.start)
        && text.is_char_boundary(span.end)
}

/// Every diagnostic's span and labels lie inside the file's text on
/// character boundaries, and each start has a line and column.
pub fn spans_slice_the_text(file: &SourceFile, rules: &RuleSet) -> Result<(), String> {
    let text = file.text();
    for d in crate::check(file, rules) {
        let spans = std::iter::once(d.span).chain(d.labels.iter().map(|l| l.span));
        for span in spans {
            if !inside(text, &(span.start..span.end)) {
                return Err(format!(
                    "{}: span {span:?} outside the text or a character",
                    d.rule
                ));
            }
        }
        let at = file.line_col(d.span.start);
        if at.line == 0 || at.column == 0 {
            return Err(format!("{}: no line and column for {:?}", d.rule, d.span));
        }
    }
    Ok(())
}

/// Safe and unsafe fixes converge, leave text that reads back, and a
/// second pass finds nothing left to fix.
pub fn fixes_converge(file: &SourceFile, rules: &RuleSet) -> Result<(), String> {
    for level in [Applicability::Safe, Applicability::Unsafe] {
        let fixed = crate::fix::fix(file, rules, &Settings::default(), level)
            .map_err(|e| format!("fixes at {level:?} do not converge: {e}"))?;
        let again = SourceFile::from_bytes(file.path(), fixed.text.into_bytes())
            .map_err(|e| format!("fixed text does not read back: {e}"))?;
        let more = crate::fix::fix(&again, rules, &Settings::default(), level)
            .map_err(|e| format!("second fix pass: {e}"))?;
        if more.applied > 0 {
            return Err(format!(
                "a second {level:?} pass fixed {} more",
                more.applied
            ));
        }
    }
    Ok(())
}

/// A rule file with this text loads or is refused with errors that point
/// inside it.
pub fn rule_file_errors_point_inside(contents: &str) -> Result<(), String> {
    let file = RuleFile {
        display: "fuzz/rule.toml".into(),
        rel: "fuzz/rule.toml".into(),
        contents: Arc::from(contents),
    };
    let (_, errors) = load_files(&[file]);
    for e in errors {
        if let Some(span) = &e.span {
            if !inside(contents, span) {
                return Err(format!(
                    "rule error span {span:?} outside the file: {}",
                    e.message
                ));
            }
        }
    }
    Ok(())
}

/// A configuration file with this text parses or is refused with an error
/// inside it; a baseline with it parses or is refused with a message.
pub fn config_errors_point_inside(text: &str, rules: &RuleSet) -> Result<(), String> {
    if let Err(e) = Config::parse(Path::new("kzlint.toml"), text, rules) {
        if let Some(span) = &e.span {
            if !inside(text, span) {
                return Err(format!(
                    "config error span {span:?} outside the file: {}",
                    e.message
                ));
            }
        }
    }
    let _ = crate::baseline::Baseline::parse(text);
    Ok(())
}
