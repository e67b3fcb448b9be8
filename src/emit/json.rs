use std::io;

use serde::Serialize;
use termcolor::WriteColor;

use super::{Emitter, Render};
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
    /// The file name's own bytes in base64, when they are not UTF-8 and
    /// `path` had to replace some with U+FFFD.
    #[serde(skip_serializing_if = "Option::is_none")]
    path_bytes: Option<&'a str>,
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
        // One write per file: serde_json writes each field and quote on
        // its own, and every write to the terminal stream is a call
        // through its colour layer.
        out.write_all(&self.render(file, diagnostics))
    }
}

impl Render for Json {
    fn render(&self, file: &SourceFile, diagnostics: &[Diagnostic]) -> Vec<u8> {
        let mut buf = Vec::with_capacity(512 * diagnostics.len());
        if diagnostics.is_empty() {
            return buf;
        }
        let path = file.path().display().to_string();
        let path_bytes = lossless_name(file.path());
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
                path_bytes: path_bytes.as_deref(),
            };
            serde_json::to_writer(&mut buf, &record).expect("a record serialises into memory");
            buf.push(b'\n');
        }
        buf
    }
}

/// A path's bytes in base64, if they are not UTF-8 (Unix file names are
/// bytes); `None` when the path prints as it is.
fn lossless_name(path: &std::path::Path) -> Option<String> {
    let bytes = crate::source::path_bytes(path);
    std::str::from_utf8(&bytes).is_err().then(|| base64(&bytes))
}

/// Standard base64 with padding (RFC 4648).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_examples() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }
}
