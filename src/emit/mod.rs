//! Emitters: every output format renders the same [`Diagnostic`]s. An
//! emitter writes to any [`WriteColor`]; whether colour is wanted is decided
//! by the caller.

use std::collections::BTreeMap;
use std::io;

use termcolor::WriteColor;

use crate::diagnostic::{Category, Diagnostic, Severity};
use crate::source::{ColumnUnit, SourceFile};

mod github;
mod human;
mod json;
mod sarif;
mod short;
mod statistics;

pub use github::Github;
pub use human::Human;
pub use json::Json;
pub use sarif::Sarif21;
pub use short::Short;
pub use statistics::Statistics;

use crate::rules::RuleSet;

/// Output formats, by the name `--format` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with source snippets.
    Human,
    /// One line each: `path:line:column: severity[rule]: message`.
    Short,
    /// JSON Lines, one object per diagnostic.
    Json,
    /// GitHub Actions workflow commands (annotations), capped per run.
    Github,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
}

impl Format {
    /// An emitter for this format; `max_annotations` caps GitHub's, and
    /// the short format counts columns in `column_unit`.
    pub fn emitter(
        self,
        rules: &RuleSet,
        max_annotations: usize,
        column_unit: ColumnUnit,
    ) -> Box<dyn Emitter> {
        match self {
            Format::Human => Box::new(Human),
            Format::Short => Box::new(Short(column_unit)),
            Format::Json => Box::new(Json),
            Format::Github => Box::new(Github::new(max_annotations)),
            Format::Sarif => Box::new(Sarif21::new(rules)),
        }
    }

    /// The renderer of this format, when its output for a file depends on
    /// that file alone (no colour, nothing counted or gathered across
    /// files): a run can then render each file on the thread that checked
    /// it and only write the bytes out in order.
    pub fn renderer(self, column_unit: ColumnUnit) -> Option<Box<dyn Render>> {
        match self {
            Format::Json => Some(Box::new(Json)),
            Format::Short => Some(Box::new(Short(column_unit))),
            Format::Human | Format::Github | Format::Sarif => None,
        }
    }

    /// Formats whose standard output is a machine-read document: the
    /// caller writes the summary to standard error instead of calling
    /// `Emitter::summary`.
    pub fn is_machine_document(self) -> bool {
        matches!(self, Format::Json | Format::Sarif)
    }
}

/// A format's output for one file, rendered from that file alone: the
/// same bytes its [`Emitter::file`] writes.
pub trait Render: Send + Sync {
    fn render(&self, file: &SourceFile, diagnostics: &[Diagnostic]) -> Vec<u8>;
}

pub trait Emitter {
    /// Writes one file's diagnostics (already sorted by span).
    fn file(
        &mut self,
        out: &mut dyn WriteColor,
        file: &SourceFile,
        diagnostics: &[Diagnostic],
    ) -> io::Result<()>;

    /// Writes the closing summary, if this format has one on its main output.
    fn summary(&mut self, out: &mut dyn WriteColor, summary: &Summary) -> io::Result<()> {
        summary.write(out)
    }

    /// Called once at the end of every run, summary or not.
    fn finish(&mut self, _out: &mut dyn WriteColor) -> io::Result<()> {
        Ok(())
    }
}

/// What a run found, for the closing line and the exit code.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub files_checked: usize,
    pub files_failed: usize,
    pub files_fixed: usize,
    pub fixes_applied: usize,
    /// Findings hidden because the baseline lists them.
    pub hidden: usize,
    /// Findings past the cap per file, counted but not kept.
    pub not_shown: usize,
    pub by_severity: BTreeMap<Severity, usize>,
    pub by_category: BTreeMap<Category, usize>,
}

impl Summary {
    pub fn add(&mut self, diagnostics: &[Diagnostic]) {
        self.files_checked += 1;
        for d in diagnostics {
            *self.by_severity.entry(d.severity).or_default() += 1;
            *self.by_category.entry(d.category).or_default() += 1;
        }
    }

    pub fn total(&self) -> usize {
        self.by_severity.values().sum()
    }

    /// Diagnostics at or above `level`.
    pub fn at_least(&self, level: Severity) -> usize {
        self.by_severity.range(level..).map(|(_, n)| n).sum()
    }

    pub fn write(&self, out: &mut dyn io::Write) -> io::Result<()> {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let count = |s: Severity| self.by_severity.get(&s).copied().unwrap_or(0);
        write!(
            out,
            "checked {}: {} ({}, {}, {})",
            plural(self.files_checked, "file", "files"),
            plural(self.total(), "diagnostic", "diagnostics"),
            plural(count(Severity::Error), "error", "errors"),
            plural(count(Severity::Warning), "warning", "warnings"),
            plural(count(Severity::Info), "info", "info"),
        )?;
        if self.fixes_applied > 0 {
            write!(
                out,
                "; fixed {} in {}",
                plural(self.fixes_applied, "issue", "issues"),
                plural(self.files_fixed, "file", "files")
            )?;
        }
        if self.hidden > 0 {
            write!(out, "; {} hidden by the baseline", self.hidden)?;
        }
        if self.not_shown > 0 {
            write!(
                out,
                "; {} more not shown (--max-findings-per-file)",
                self.not_shown
            )?;
        }
        if self.files_failed > 0 {
            write!(
                out,
                "; {} could not be read",
                plural(self.files_failed, "file", "files")
            )?;
        }
        writeln!(out)?;
        if !self.by_category.is_empty() {
            let parts: Vec<String> = self
                .by_category
                .iter()
                .map(|(c, n)| format!("{c} {n}"))
                .collect();
            writeln!(out, "by category: {}", parts.join(", "))?;
        }
        Ok(())
    }
}
