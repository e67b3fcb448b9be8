use std::io;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as Level};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, Config};
use termcolor::WriteColor;

use super::Emitter;
use crate::diagnostic::{Diagnostic, Severity};
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
    d.fix.as_ref().map(|f| f.describe())
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
        let name = file.path().display().to_string();
        let positions = file.positions();
        let config = Config::default();
        for d in diagnostics {
            let files = Windowed::new(&name, file, &positions, d);
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
            if d.severity == Severity::Info {
                emit_as_info(out, &config, &files, &report)?;
            } else {
                term::emit_to_write_style(out, &config, &files, &report)
                    .map_err(io::Error::other)?;
            }
        }
        Ok(())
    }
}

/// codespan-reporting has no "info" level: an info finding is rendered as
/// a note, and its header word (the first "note" written) says "info", as
/// every other format does.
fn emit_as_info<'f, F: codespan_reporting::files::Files<'f, FileId = ()>>(
    out: &mut dyn WriteColor,
    config: &term::Config,
    files: &'f F,
    report: &Report<()>,
) -> io::Result<()> {
    let mut buffer = if out.supports_color() {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    term::emit_to_write_style(&mut buffer, config, files, report).map_err(io::Error::other)?;
    let mut bytes = buffer.into_inner();
    if let Some(at) = bytes.windows(4).position(|w| w == b"note") {
        bytes[at..at + 4].copy_from_slice(b"info");
    }
    out.write_all(&bytes)
}

/// Lines longer than this are shown as a window around what is marked on
/// them: a paragraph of a megabyte printed whole for each of its findings
/// would wrap every caret and take time quadratic in its length.
const LONG_LINE: usize = 400;
/// Bytes shown on either side of what is marked on a long line.
const MARGIN: usize = 160;

/// The file as codespan reads it for one diagnostic: its real lines and
/// columns, with each long line cut to a window that holds every label
/// point on it.
struct Windowed<'a> {
    name: &'a str,
    file: &'a SourceFile,
    positions: &'a crate::source::Positions<'a>,
    /// Long lines (by index) and the byte range shown of each.
    windows: Vec<(usize, std::ops::Range<usize>)>,
}

impl<'a> Windowed<'a> {
    fn new(
        name: &'a str,
        file: &'a SourceFile,
        positions: &'a crate::source::Positions<'a>,
        d: &Diagnostic,
    ) -> Self {
        let mut shown = Windowed {
            name,
            file,
            positions,
            windows: Vec::new(),
        };
        let points = std::iter::once(d.span)
            .chain(d.labels.iter().map(|l| l.span))
            .flat_map(|s| [s.start, s.end]);
        for at in points {
            let line = shown.line_of(at);
            let whole = shown.real_range(line);
            if whole.len() <= LONG_LINE {
                continue;
            }
            let text = file.text();
            let from =
                crate::text::floor_char_boundary(text, at.saturating_sub(MARGIN).max(whole.start));
            let to = crate::text::ceil_char_boundary(text, (at + MARGIN).min(whole.end));
            match shown.windows.iter_mut().find(|(l, _)| *l == line) {
                Some((_, w)) => *w = w.start.min(from)..w.end.max(to),
                None => shown.windows.push((line, from..to)),
            }
        }
        shown
    }

    fn line_of(&self, at: usize) -> usize {
        self.file
            .line_starts()
            .partition_point(|&s| s <= at)
            .saturating_sub(1)
    }

    fn real_range(&self, line: usize) -> std::ops::Range<usize> {
        let starts = self.file.line_starts();
        let end = self.file.text().len();
        let start = starts.get(line).copied().unwrap_or(end);
        start..starts.get(line + 1).copied().unwrap_or(end)
    }
}

impl<'a> Files<'a> for Windowed<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.file.text())
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.line_of(byte_index))
    }

    fn column_number(
        &'a self,
        (): (),
        _line: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        Ok(self.positions.line_col(byte_index).column)
    }

    fn line_range(&'a self, (): (), line: usize) -> Result<std::ops::Range<usize>, FilesError> {
        let lines = self.file.line_starts().len();
        if line > lines {
            return Err(FilesError::LineTooLarge {
                given: line,
                max: lines,
            });
        }
        if let Some((_, window)) = self.windows.iter().find(|(l, _)| *l == line) {
            return Ok(window.clone());
        }
        let whole = self.real_range(line);
        if whole.len() <= LONG_LINE {
            return Ok(whole);
        }
        // A long line inside a multi-line label, with nothing marked on it.
        let text = self.file.text();
        Ok(whole.start..crate::text::floor_char_boundary(text, whole.start + 2 * MARGIN))
    }
}
