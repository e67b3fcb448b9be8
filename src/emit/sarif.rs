use std::io;

use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif,
    Tool, ToolComponent,
};
use termcolor::WriteColor;

use super::Emitter;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::RuleSet;
use crate::source::SourceFile;

/// SARIF 2.1.0, for GitHub code scanning: every rule's metadata and help
/// in `tool.driver.rules`, byte offsets and line/columns in each region.
/// One document, so results are collected and written at the end.
pub struct Sarif21 {
    rules: Vec<ReportingDescriptor>,
    results: Vec<SarifResult>,
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

fn level_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

impl Sarif21 {
    pub fn new(rules: &RuleSet) -> Self {
        let rules = rules
            .rules()
            .iter()
            .map(|r| {
                ReportingDescriptor::builder()
                    .id(r.id.clone())
                    .name(r.id.replace('/', "-"))
                    .short_description(
                        MultiformatMessageString::builder()
                            .text(r.summary.clone())
                            .build(),
                    )
                    .full_description(
                        MultiformatMessageString::builder()
                            .text(r.summary.clone())
                            .markdown(r.description.clone())
                            .build(),
                    )
                    .help(
                        MultiformatMessageString::builder()
                            .text(r.help.clone().unwrap_or_else(|| r.summary.clone()))
                            .markdown(r.description.clone())
                            .build(),
                    )
                    .default_configuration(
                        ReportingConfiguration::builder()
                            .level(serde_json::json!(level_name(r.severity)))
                            .build(),
                    )
                    .build()
            })
            .collect();
        Sarif21 {
            rules,
            results: Vec::new(),
        }
    }
}

/// The symbol for the folder kzlint ran in: relative paths are relative to
/// it (GitHub code scanning reads it as the repository's root).
const SRCROOT: &str = "%SRCROOT%";

/// A file's location as SARIF wants it: a valid URI reference, every byte
/// outside RFC 3986's unreserved set and `/` percent-encoded (a space, `%`,
/// `:`, `é`, or a name that is not UTF-8). A relative path is relative to
/// [`SRCROOT`]; an absolute one is a `file://` URI.
fn artifact_location(path: &std::path::Path) -> ArtifactLocation {
    let bytes = crate::source::path_bytes(path);
    let relative = bytes.strip_prefix(b"./").unwrap_or(&bytes);
    if relative.first() == Some(&b'/') {
        return ArtifactLocation::builder()
            .uri(format!("file://{}", percent_encode(relative)))
            .build();
    }
    ArtifactLocation::builder()
        .uri(percent_encode(relative))
        .uri_base_id(SRCROOT.to_string())
        .build()
}

fn percent_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Emitter for Sarif21 {
    fn file(
        &mut self,
        _: &mut dyn WriteColor,
        file: &SourceFile,
        diagnostics: &[Diagnostic],
    ) -> io::Result<()> {
        let artifact = artifact_location(file.path());
        let (starts, ends) = (file.positions(), file.positions());
        for d in diagnostics {
            let (start, end) = (starts.line_col(d.span.start), ends.line_col(d.span.end));
            let region = Region::builder()
                .byte_offset(d.span.start as i64)
                .byte_length(d.span.len() as i64)
                .start_line(start.line as i64)
                .start_column(start.column as i64)
                .end_line(end.line as i64)
                .end_column(end.column as i64)
                .build();
            let location = Location::builder()
                .physical_location(
                    PhysicalLocation::builder()
                        .artifact_location(artifact.clone())
                        .region(region)
                        .build(),
                )
                .build();
            self.results.push(
                SarifResult::builder()
                    .rule_id(d.rule.clone())
                    .level(level(d.severity))
                    .message(Message::builder().text(d.message.clone()).build())
                    .locations(vec![location])
                    .build(),
            );
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn WriteColor) -> io::Result<()> {
        let driver = ToolComponent::builder()
            .name("kzlint")
            .semantic_version(env!("CARGO_PKG_VERSION"))
            .rules(std::mem::take(&mut self.rules))
            .build();
        let run = Run::builder()
            .tool(Tool::builder().driver(driver).build())
            .results(std::mem::take(&mut self.results))
            .column_kind(serde_json::json!("unicodeCodePoints"))
            .build();
        let sarif = Sarif::builder()
            .schema("https://json.schemastore.org/sarif-2.1.0.json")
            .version(serde_json::json!("2.1.0"))
            .runs(vec![run])
            .build();
        serde_json::to_writer_pretty(&mut *out, &sarif)?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn uri(path: &str) -> (String, Option<String>) {
        let a = artifact_location(Path::new(path));
        (a.uri.unwrap(), a.uri_base_id)
    }

    #[test]
    fn uris_are_percent_encoded_references() {
        let base = Some(SRCROOT.to_string());
        assert_eq!(
            uri("my article.txt"),
            ("my%20article.txt".into(), base.clone())
        );
        assert_eq!(uri("100%.txt"), ("100%25.txt".into(), base.clone()));
        assert_eq!(
            uri("./news/é.txt"),
            ("news/%C3%A9.txt".into(), base.clone())
        );
        // A colon would make the first segment read as a scheme.
        assert_eq!(uri("note:draft.txt"), ("note%3Adraft.txt".into(), base));
        assert_eq!(uri("/srv/a b.txt"), ("file:///srv/a%20b.txt".into(), None));
    }
}
