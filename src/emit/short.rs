use std::io;

use termcolor::WriteColor;

use super::{Emitter, Render};
use crate::diagnostic::Diagnostic;
use crate::source::{ColumnUnit, SourceFile};

/// `path:line:column: severity[rule]: message`, for problem matchers and
/// vim's errorformat, the column counted in the unit the reader wants.
pub struct Short(pub ColumnUnit);

impl Emitter for Short {
    fn file(
        &mut self,
        out: &mut dyn WriteColor,
        file: &SourceFile,
        diagnostics: &[Diagnostic],
    ) -> io::Result<()> {
        // One write per file (see the JSON emitter).
        out.write_all(&self.render(file, diagnostics))
    }
}

impl Render for Short {
    fn render(&self, file: &SourceFile, diagnostics: &[Diagnostic]) -> Vec<u8> {
        use std::io::Write;
        let mut buf = Vec::with_capacity(128 * diagnostics.len());
        if diagnostics.is_empty() {
            return buf;
        }
        let name = file.path().display().to_string();
        let path = escape_line_breaks(&name);
        let starts = file.positions();
        for d in diagnostics {
            let at = starts.line_col_in(d.span.start, self.0);
            writeln!(
                buf,
                "{path}:{}:{}: {}[{}]: {}",
                at.line, at.column, d.severity, d.rule, d.message
            )
            .expect("a line writes into memory");
        }
        buf
    }
}

/// A file name with a line break would split its line in two and send
/// an editor to a file that does not exist: write breaks (and the
/// backslash that escapes them) as `\n`, `\r`, `\\`.
fn escape_line_breaks(path: &str) -> std::borrow::Cow<'_, str> {
    if !path.contains(['\n', '\r']) {
        return path.into();
    }
    path.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_in_a_name_are_escaped_and_other_names_left_alone() {
        assert_eq!(escape_line_breaks("a b\\c.txt"), "a b\\c.txt");
        assert_eq!(
            escape_line_breaks("two\nlines\\.txt"),
            "two\\nlines\\\\.txt"
        );
        assert_eq!(escape_line_breaks("cr\r.txt"), "cr\\r.txt");
    }
}
