//! A file as read: its text, and the mapping from byte offsets to lines and
//! columns. Spans are always byte offsets into the text exactly as read (a BOM
//! included); lines and columns are derived from them, never the reverse.

use std::path::{Path, PathBuf};

use crate::diagnostic::Span;

const BOM: &str = "\u{feff}";

/// Why a file's bytes could not be turned into a [`SourceFile`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("binary file (NUL byte at offset {offset}), skipped")]
    Binary { offset: usize },
    #[error("not valid UTF-8 (invalid byte at offset {offset})")]
    NotUtf8 { offset: usize },
    #[error("UTF-16 text (convert it to UTF-8, e.g. `iconv -f UTF-16 -t UTF-8`), skipped")]
    Utf16,
}

/// One article: its display path, its text and a line index.
#[derive(Debug, Clone)]
pub struct SourceFile {
    path: PathBuf,
    text: String,
    /// Byte offset where each line starts; the first line starts after a BOM.
    line_starts: Vec<usize>,
}

/// A 1-based line and column; the column counts characters (Unicode scalar
/// values), not bytes, so an editor lands on the right character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    /// Builds a source file from text already known to be valid.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        let text = text.into();
        let body = bom_len(&text);
        // Counted first: a vector grown line by line was reallocated several
        // times an article.
        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
        let mut line_starts = Vec::with_capacity(lines + 1);
        line_starts.push(body);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// Decodes raw bytes, refusing binary data and invalid UTF-8 with the
    /// offending byte offset.
    pub fn from_bytes(path: impl Into<PathBuf>, bytes: Vec<u8>) -> Result<Self, DecodeError> {
        if looks_like_utf16(&bytes) {
            return Err(DecodeError::Utf16);
        }
        if let Some(offset) = memchr_nul(&bytes) {
            return Err(DecodeError::Binary { offset });
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Self::new(path, text)),
            Err(e) => Err(DecodeError::NotUtf8 {
                offset: e.utf8_error().valid_up_to(),
            }),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The whole text as read, BOM included.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Byte offset where the article proper starts (3 after a BOM, else 0).
    pub fn body_start(&self) -> usize {
        self.line_starts[0]
    }

    /// The text a rule sees: everything after the BOM.
    pub fn body(&self) -> &str {
        &self.text[self.body_start()..]
    }

    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.start..span.end]
    }

    /// Line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len()).max(self.body_start());
        let line_idx = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let line_start = self.line_starts[line_idx];
        let column = self.text[line_start..offset].chars().count() + 1;
        LineCol {
            line: line_idx + 1,
            column,
        }
    }

    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }

    /// Lines and columns for many offsets of this file, as an emitter asks
    /// for a file's diagnostics: a long line is indexed once (its column
    /// every few KiB), so each position counts characters over a few KiB at
    /// most, however many findings the line holds.
    pub fn positions(&self) -> Positions<'_> {
        Positions {
            file: self,
            index: std::cell::RefCell::new(None),
        }
    }
}

/// See [`SourceFile::positions`].
pub struct Positions<'a> {
    file: &'a SourceFile,
    /// The last long line indexed: its number (0-based) and its points.
    index: std::cell::RefCell<Option<(usize, Vec<Checkpoint>)>>,
}

/// A byte offset on a long line and its column there, in characters and
/// in UTF-16 units, every [`CHECKPOINT`] bytes.
type Checkpoint = (usize, usize, usize);

/// What a column counts from the line's start: a consumer's own unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColumnUnit {
    /// Unicode scalar values (characters): kzlint's own output.
    #[default]
    Char,
    /// Bytes of UTF-8: Vim's `%c`, Emacs.
    Byte,
    /// UTF-16 code units: VS Code, the Language Server Protocol.
    Utf16,
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// Bytes between two indexed points of a long line.
const CHECKPOINT: usize = 4096;

impl Positions<'_> {
    /// What [`SourceFile::line_col`] gives.
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.line_col_in(offset, ColumnUnit::Char)
    }

    /// The line and the column in `unit` (1-based both).
    pub fn line_col_in(&self, offset: usize, unit: ColumnUnit) -> LineCol {
        let file = self.file;
        let offset = offset.min(file.text.len()).max(file.body_start());
        let line_idx = file.line_starts.partition_point(|&s| s <= offset) - 1;
        let line_start = file.line_starts[line_idx];
        let count = |from: usize| match unit {
            ColumnUnit::Char => file.text[from..offset].chars().count(),
            ColumnUnit::Byte => offset - from,
            ColumnUnit::Utf16 => utf16_len(&file.text[from..offset]),
        };
        if offset - line_start <= CHECKPOINT || unit == ColumnUnit::Byte {
            return LineCol {
                line: line_idx + 1,
                column: count(line_start) + 1,
            };
        }
        let mut index = self.index.borrow_mut();
        if index.as_ref().is_none_or(|(line, _)| *line != line_idx) {
            *index = Some((line_idx, self.checkpoints(line_idx)));
        }
        let points = &index.as_ref().expect("indexed above").1;
        let (at, chars, units) = points[points.partition_point(|&(o, _, _)| o <= offset) - 1];
        let base = if unit == ColumnUnit::Utf16 {
            units
        } else {
            chars
        };
        LineCol {
            line: line_idx + 1,
            column: base + count(at),
        }
    }

    /// (offset, column) at the line's start and about every CHECKPOINT
    /// bytes after it, each on a character boundary.
    fn checkpoints(&self, line_idx: usize) -> Vec<Checkpoint> {
        let text = &self.file.text;
        let start = self.file.line_starts[line_idx];
        let end = self
            .file
            .line_starts
            .get(line_idx + 1)
            .copied()
            .unwrap_or(text.len());
        let mut points = vec![(start, 1, 1)];
        let (mut at, mut chars, mut units) = (start, 1, 1);
        while at + CHECKPOINT < end {
            let next = crate::text::floor_char_boundary(text, at + CHECKPOINT);
            chars += text[at..next].chars().count();
            units += utf16_len(&text[at..next]);
            at = next;
            points.push((at, chars, units));
        }
        points
    }
}

fn bom_len(text: &str) -> usize {
    if text.starts_with(BOM) {
        BOM.len()
    } else {
        0
    }
}

/// `.` and `..` taken out of a path without asking the file system (for
/// a path that may not exist, or when a system call per path is too dear).
pub fn normalize_path(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A path's own bytes: on Unix a file name is bytes, not always UTF-8;
/// elsewhere its text, with `/` between folders.
pub fn path_bytes(path: &Path) -> std::borrow::Cow<'_, [u8]> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::borrow::Cow::Borrowed(path.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        std::borrow::Cow::Owned(path.to_string_lossy().replace('\\', "/").into_bytes())
    }
}

/// A UTF-16 byte-order mark, or text whose every other byte is NUL at the
/// start (ASCII written as UTF-16 without a mark).
fn looks_like_utf16(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let head = &bytes[..bytes.len().min(64) & !1];
    head.len() >= 4 && {
        let (even, odd) = head.chunks(2).fold((0, 0), |(e, o), pair| {
            (e + (pair[0] == 0) as usize, o + (pair[1] == 0) as usize)
        });
        let pairs = head.len() / 2;
        (even == pairs && odd == 0) || (odd == pairs && even == 0)
    }
}

/// Where the first NUL byte is, looking only at the head of the file as git
/// and ripgrep do: binary files announce themselves early.
fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    let head = &bytes[..bytes.len().min(8 * 1024)];
    memchr::memchr(0, head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_agree_with_line_col_on_long_lines_in_any_order() {
        let long = "née “x” 🚗 ab ".repeat(2000);
        let text = format!("\u{feff}short\r\n{long}\n{long}\nend");
        let file = SourceFile::new("p.txt", text.clone());
        let positions = file.positions();
        let offsets: Vec<usize> = (0..text.len())
            .step_by(97)
            .chain((0..text.len()).rev().step_by(1013))
            .filter(|&o| text.is_char_boundary(o))
            .chain([text.len()])
            .collect();
        for o in offsets {
            assert_eq!(positions.line_col(o), file.line_col(o), "offset {o}");
        }
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let f = SourceFile::new("a.txt", "“Quoted” café\nnext line");
        let café = f.text().find("café").unwrap();
        assert_eq!(
            f.line_col(café),
            LineCol {
                line: 1,
                column: 10
            }
        );
        let next = f.text().find("next").unwrap();
        assert_eq!(f.line_col(next), LineCol { line: 2, column: 1 });
    }

    /// One offset, three units: after “ (3 bytes, 1 unit) and 😀 (4 bytes,
    /// 2 UTF-16 units), on short lines and past a long line's checkpoints,
    /// with a BOM that is no column.
    #[test]
    fn columns_in_characters_bytes_and_utf16_units() {
        let long = "x".repeat(3 * CHECKPOINT);
        for pad in ["", long.as_str()] {
            let text = format!("\u{feff}{pad}“😀” here\nnext");
            let f = SourceFile::new("a.txt", text.as_str());
            let at = f.text().find("here").unwrap();
            let p = f.positions();
            let col = |unit| p.line_col_in(at, unit).column - pad.len();
            assert_eq!(col(ColumnUnit::Char), 5);
            assert_eq!(col(ColumnUnit::Byte), 3 + 4 + 3 + 1 + 1);
            assert_eq!(col(ColumnUnit::Utf16), 1 + 2 + 1 + 1 + 1);
        }
    }

    #[test]
    fn crlf_lines_and_end_of_line_column() {
        let f = SourceFile::new("a.txt", "one\r\ntwo\r\nthree");
        let two = f.text().find("two").unwrap();
        assert_eq!(two, 5);
        assert_eq!(f.line_col(two), LineCol { line: 2, column: 1 });
        // The offset of the CR is still on line 2, after "two".
        assert_eq!(f.line_col(8), LineCol { line: 2, column: 4 });
    }

    #[test]
    fn bom_is_kept_in_offsets_but_not_counted_as_a_column() {
        let f = SourceFile::new("a.txt", "\u{feff}Hello");
        assert_eq!(f.body_start(), 3);
        assert_eq!(f.body(), "Hello");
        assert_eq!(f.line_col(3), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(4), LineCol { line: 1, column: 2 });
    }

    #[test]
    fn non_breaking_space_and_cyrillic_are_one_column_each() {
        let f = SourceFile::new("a.txt", "a\u{a0}b Москва x");
        let x = f.text().find('x').unwrap();
        assert_eq!(
            f.line_col(x),
            LineCol {
                line: 1,
                column: 12
            }
        );
    }

    #[test]
    fn invalid_utf8_reports_the_offset() {
        let err = SourceFile::from_bytes("a.txt", b"abc\xffdef".to_vec()).unwrap_err();
        assert_eq!(err, DecodeError::NotUtf8 { offset: 3 });
    }

    #[test]
    fn nul_bytes_mean_binary() {
        let err = SourceFile::from_bytes("a.bin", b"PK\x03\x04\x00\x00".to_vec()).unwrap_err();
        assert_eq!(err, DecodeError::Binary { offset: 4 });
    }

    #[test]
    fn empty_file_has_one_line() {
        let f = SourceFile::from_bytes("e.txt", Vec::new()).unwrap();
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
    }
}
