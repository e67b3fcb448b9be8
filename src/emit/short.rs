use std::io;

use termcolor::WriteColor;

use super::Emitter;
use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

/// `path:line:column: severity[rule]: message`, for problem matchers and
/// vim's errorformat.
pub struct Short;

impl Emitter for Short {
    fn file(
        &mut self,
        out: &mut dyn WriteColor,
        file: &SourceFile,
        diagnostics: &[Diagnostic],
    ) -> io::Result<()> {
        for d in diagnostics {
            let at = file.line_col(d.span.start);
            writeln!(
                out,
                "{}:{}:{}: {}[{}]: {}",
                file.path().display(),
                at.line,
                at.column,
                d.severity,
                d.rule,
                d.message
            )?;
        }
        Ok(())
    }
}
