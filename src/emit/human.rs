use std::io;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as Level};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};
use termcolor::WriteColor;

use super::Emitter;
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::source::SourceFile;

/// rustc-style diagnostics rendered by codespan-reporting.
pub struct Human;

fn level(severity: Severity) -> Level {
    match severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Note,
    }
}

/// How a fix reads in a note.
fn describe_fix(d: &Diagnostic) -> Option<String> {
    let fix = d.fix.as_ref()?;
    let what = if fix.replacement.is_empty() {
        "remove this text".to_string()
    } else {
        format!("replace with `{}`", fix.replacement)
    };
    let how = match fix.applicability {
        Applicability::Safe => "safe fix",
        Applicability::Unsafe => "unsafe fix",
        Applicability::Display => "suggestion",
    };
    Some(format!("{how}: {what}"))
}

impl Emitter for Human {
    fn file(
        &mut self,
        out: &mut dyn WriteColor,
        file: &SourceFile,
        diagnostics: &[Diagnostic],
    ) -> io::Result<()> {
        if diagnostics.is_empty() {
            return Ok(());
        }
        let files = SimpleFile::new(file.path().display().to_string(), file.text());
        let config = Config::default();
        for d in diagnostics {
            let mut labels = vec![
                Label::primary((), d.span.start..d.span.end).with_message(d.category.as_str())
            ];
            labels.extend(d.labels.iter().map(|l| {
                Label::secondary((), l.span.start..l.span.end).with_message(l.message.clone())
            }));
            let mut notes = Vec::new();
            if let Some(help) = &d.help {
                notes.push(format!("help: {help}"));
            }
            if let Some(fix) = describe_fix(d) {
                notes.push(format!("note: {fix}"));
            }
            let report = Report::new(level(d.severity))
                .with_message(&d.message)
                .with_code(&d.rule)
                .with_labels(labels)
                .with_notes(notes);
            term::emit_to_write_style(out, &config, &files, &report).map_err(io::Error::other)?;
        }
        Ok(())
    }
}
