use std::collections::BTreeMap;
use std::io;

use termcolor::WriteColor;

use super::Emitter;
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::source::SourceFile;

/// `--statistics`: one line per rule with its count over the run, most
/// frequent first, as ruff prints them; `[*]` marks a rule whose findings
/// have a safe fix.
#[derive(Default)]
pub struct Statistics {
    /// Per rule: count, severity, and whether any finding had a safe fix.
    counts: BTreeMap<String, (usize, Severity, bool)>,
}

impl Emitter for Statistics {
    fn file(
        &mut self,
        _: &mut dyn WriteColor,
        _: &SourceFile,
        diagnostics: &[Diagnostic],
    ) -> io::Result<()> {
        for d in diagnostics {
            let entry = self
                .counts
                .entry(d.rule.clone())
                .or_insert((0, d.severity, false));
            entry.0 += 1;
            entry.2 |= d
                .fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe);
        }
        Ok(())
    }

    /// The table, then the run's summary under it.
    fn summary(&mut self, out: &mut dyn WriteColor, summary: &super::Summary) -> io::Result<()> {
        self.table(out)?;
        summary.write(out)
    }

    /// With `--quiet` there is no summary: the table still comes.
    fn finish(&mut self, out: &mut dyn WriteColor) -> io::Result<()> {
        self.table(out)
    }
}

impl Statistics {
    /// Written once, at the first of `summary` and `finish`.
    fn table(&mut self, out: &mut dyn WriteColor) -> io::Result<()> {
        let counts = std::mem::take(&mut self.counts);
        let mut rows: Vec<_> = counts.iter().collect();
        rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
        let width = rows
            .iter()
            .map(|(_, c)| c.0.to_string().len())
            .max()
            .unwrap_or(1);
        for (rule, (count, severity, safe)) in rows {
            let mark = if *safe { "[*]" } else { "   " };
            let severity = severity.to_string();
            writeln!(out, "{count:>width$}  {mark} {severity:<7}  {rule}")?;
        }
        Ok(())
    }
}
