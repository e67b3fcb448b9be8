use std::io;

use serde::Serialize;
use termcolor::WriteColor;

use super::Emitter;
use crate::diagnostic::{Applicability, Category, Diagnostic, Severity, Span};
use crate::source::SourceFile;

/// JSON Lines: one object per diagnostic, the schema documented in the
/// README. Field order is part of the format.
pub struct Json;

#[derive(Serialize)]
struct Record<'a> {
    path: &'a str,
    rule: &'a str,
    category: Category,
    severity: Severity,
    message: &'a str,
    span: Span,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    snippet: &'a str,
    fix: Option<FixRecord<'a>>,
}

#[derive(Serialize)]
struct FixRecord<'a> {
    replacement: &'a str,
    applicability: Applicability,
}

impl Emitter for Json {
    fn file(
        &mut self,
        out: &mut dyn WriteColor,
        file: &SourceFile,
        diagnostics: &[Diagnostic],
    ) -> io::Result<()> {
        let path = file.path().display().to_string();
        // One write per file: serde_json writes each field and quote on
        // its own, and every write to the terminal stream is a call
        // through its colour layer.
        let mut buf = Vec::with_capacity(512 * diagnostics.len());
        let (starts, ends) = (file.positions(), file.positions());
        for d in diagnostics {
            let (start, end) = (starts.line_col(d.span.start), ends.line_col(d.span.end));
            let record = Record {
                path: &path,
                rule: &d.rule,
                category: d.category,
                severity: d.severity,
                message: &d.message,
                span: d.span,
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                snippet: file.slice(d.span),
                fix: d.fix.as_ref().map(|f| FixRecord {
                    replacement: &f.replacement,
                    applicability: f.applicability,
                }),
            };
            serde_json::to_writer(&mut buf, &record)?;
            buf.push(b'\n');
        }
        out.write_all(&buf)
    }
}
