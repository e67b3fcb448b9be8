use std::io;

use termcolor::WriteColor;

use super::{Emitter, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;

/// GitHub Actions workflow commands, one annotation per diagnostic, capped
/// so a large corpus does not flood the run's annotation limits.
pub struct Github {
    cap: usize,
    shown: usize,
    hidden: usize,
}

impl Github {
    pub fn new(cap: usize) -> Self {
        Github {
            cap,
            shown: 0,
            hidden: 0,
        }
    }
}

/// Escaping for a workflow command's message.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for a workflow command's property values.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

impl Emitter for Github {
    fn file(
        &mut self,
        out: &mut dyn WriteColor,
        file: &SourceFile,
        diagnostics: &[Diagnostic],
    ) -> io::Result<()> {
        let path = property(&file.path().display().to_string());
        let (starts, ends) = (file.positions(), file.positions());
        for d in diagnostics {
            if self.shown >= self.cap {
                self.hidden += 1;
                continue;
            }
            self.shown += 1;
            let (start, end) = (starts.line_col(d.span.start), ends.line_col(d.span.end));
            writeln!(
                out,
                "::{} file={path},line={},col={},endLine={},endColumn={},title={}::{}",
                command(d.severity),
                start.line,
                start.column,
                end.line,
                end.column,
                property(&d.rule),
                data(&d.message)
            )?;
        }
        Ok(())
    }

    fn summary(&mut self, out: &mut dyn WriteColor, summary: &Summary) -> io::Result<()> {
        summary.write(out)
    }

    fn finish(&mut self, out: &mut dyn WriteColor) -> io::Result<()> {
        if self.hidden > 0 {
            writeln!(
                out,
                "::notice title=kzlint::{} more diagnostics not shown as annotations (at most {} are); run kzlint locally for all of them",
                self.hidden, self.cap
            )?;
        }
        Ok(())
    }
}
