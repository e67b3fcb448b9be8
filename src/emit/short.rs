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
        use std::io::Write;
        // One write per file (see the JSON emitter).
        let path = file.path().display().to_string();
        let mut buf = Vec::with_capacity(128 * diagnostics.len());
        for d in diagnostics {
            let at = file.line_col(d.span.start);
            writeln!(
                buf,
                "{path}:{}:{}: {}[{}]: {}",
                at.line, at.column, d.severity, d.rule, d.message
            )?;
        }
        out.write_all(&buf)
    }
}
