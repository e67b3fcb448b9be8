//! Where articles come from: files, standard input, or JSON Lines records
//! (one article per line), read a batch at a time so memory does not grow
//! with the corpus.

use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use kzlint::SourceFile;

/// One article to check.
pub enum Input {
    Path(PathBuf),
    /// Standard input, reported under this name.
    Stdin(PathBuf, Vec<u8>),
    /// A JSON Lines record: its id (reported as the path) and its text.
    Record(PathBuf, String),
    /// A record that could not be read: its name and why.
    Broken(PathBuf, String),
    /// A path that could not be walked; the message names it.
    Unwalkable(String),
}

/// The largest article read unless `--max-file-size` says otherwise: far
/// above any news article, and small enough that checking one stays well
/// within memory.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 << 20;

impl Input {
    pub fn name(&self) -> &Path {
        match self {
            Input::Path(p) | Input::Stdin(p, _) | Input::Record(p, _) | Input::Broken(p, _) => p,
            Input::Unwalkable(_) => Path::new(""),
        }
    }

    /// The article, and its bytes as read when `keep_original` (fixes
    /// compare the file on disk with them before writing).
    pub fn read(
        &self,
        max_size: u64,
        keep_original: bool,
    ) -> Result<(SourceFile, Option<Vec<u8>>), String> {
        let too_big = |size: u64| {
            format!(
                "{} is larger than --max-file-size ({}); skipped",
                human_size(size),
                human_size(max_size)
            )
        };
        let bytes = match self {
            Input::Path(p) => {
                // One open and one stat: the size is checked before reading.
                let mut file = std::fs::File::open(p).map_err(|e| e.to_string())?;
                let meta = file.metadata().map_err(|e| e.to_string())?;
                let size = meta.len();
                if size > max_size {
                    return Err(too_big(size));
                }
                if meta.is_file() {
                    never_block(&file);
                }
                // Through `take`, not `File::read_to_end`, which asks the
                // size and position again (a stat and a seek per file), and
                // so that a file that grew since is still cut at the limit.
                let mut bytes = Vec::with_capacity(size as usize);
                (&mut file)
                    .take(max_size.saturating_add(1))
                    .read_to_end(&mut bytes)
                    .map_err(|e| match e.kind() {
                        std::io::ErrorKind::WouldBlock => {
                            "reading it would wait for data (a kernel interface such as \
                             /proc/kmsg, not an article); skipped"
                                .to_string()
                        }
                        _ => e.to_string(),
                    })?;
                if bytes.len() as u64 > max_size {
                    return Err(too_big(bytes.len() as u64));
                }
                bytes
            }
            Input::Stdin(_, bytes) => bytes.clone(),
            Input::Record(id, text) => {
                if text.len() as u64 > max_size {
                    return Err(too_big(text.len() as u64));
                }
                return Ok((SourceFile::new(id, text.as_str()), None));
            }
            Input::Broken(_, why) | Input::Unwalkable(why) => return Err(why.clone()),
        };
        let original = keep_original.then(|| bytes.clone());
        let file = SourceFile::from_bytes(self.name(), bytes).map_err(|e| e.to_string())?;
        Ok((file, original))
    }
}

/// A regular file read without waiting: the same as a blocking read on a
/// disk, while a kernel file that waits for events (`/proc/kmsg`) fails at
/// once instead of hanging the run. Pipes are not passed here: they are
/// read as streams.
fn never_block(file: &std::fs::File) {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let fd = file.as_raw_fd();
        // SAFETY: `fd` is open for the life of `file`; F_GETFL and F_SETFL
        // only read and set its status flags.
        unsafe {
            let flags = libc::fcntl(fd, libc::F_GETFL);
            if flags >= 0 {
                libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
            }
        }
    }
    #[cfg(not(unix))]
    let _ = file;
}

/// Reads all of standard input, up to `max_size` bytes.
pub fn read_stdin(max_size: u64) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    io::stdin()
        .take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_size {
        anyhow::bail!(
            "standard input is larger than --max-file-size ({})",
            human_size(max_size)
        );
    }
    Ok(bytes)
}

pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1024.0 && unit + 1 < UNITS.len() {
        size /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{size:.1} {}", UNITS[unit])
    }
}

/// Parses `--max-file-size`: bytes, or a number with K, M or G (powers of
/// 1024); 0 means no limit.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let (digits, shift) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 10),
        Some((i, 'm' | 'M')) => (&t[..i], 20),
        Some((i, 'g' | 'G')) => (&t[..i], 30),
        _ => (t, 0),
    };
    let n: u64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a size (bytes, or a number with K, M or G)"))?;
    if n == 0 {
        return Ok(u64::MAX);
    }
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("`{text}` is too large"))
}

/// The field names of a JSON Lines record.
#[derive(Debug, Clone)]
pub struct Fields {
    pub id: String,
    pub text: String,
}

/// Records of one or more JSON Lines sources (`-` is standard input), in
/// order. A line that is not a record becomes an [`Input::Broken`] naming
/// the source and line, and reading goes on.
pub struct JsonlRecords {
    sources: std::vec::IntoIter<PathBuf>,
    current: Option<(String, Box<dyn BufRead>)>,
    line: usize,
    fields: Fields,
    max_size: u64,
    buf: Vec<u8>,
    /// Sources that could not be opened.
    pub errors: Vec<String>,
}

impl JsonlRecords {
    pub fn new(sources: Vec<PathBuf>, fields: Fields, max_size: u64) -> Self {
        JsonlRecords {
            sources: sources.into_iter(),
            current: None,
            line: 0,
            fields,
            max_size,
            buf: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn open_next(&mut self) -> Option<()> {
        loop {
            let path = self.sources.next()?;
            let name = path.display().to_string();
            let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
                Box::new(io::BufReader::with_capacity(1 << 16, io::stdin()))
            } else if path.is_dir() {
                self.errors.push(format!(
                    "{name}: is a folder; --input jsonl reads JSON Lines files, or `-` for standard input"
                ));
                continue;
            } else {
                match std::fs::File::open(&path) {
                    Ok(f) => Box::new(io::BufReader::with_capacity(1 << 16, f)),
                    Err(e) => {
                        self.errors.push(format!("{name}: {e}"));
                        continue;
                    }
                }
            };
            let name = if name == "-" { "<stdin>".into() } else { name };
            self.current = Some((name, reader));
            self.line = 0;
            return Some(());
        }
    }
}

impl Iterator for JsonlRecords {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        loop {
            if self.current.is_none() {
                self.open_next()?;
            }
            let (name, reader) = self.current.as_mut().expect("a source is open");
            self.buf.clear();
            // A line longer than the limit is read only up to it.
            let limit = self.max_size.saturating_add(1 << 16);
            let read = reader.by_ref().take(limit).read_until(b'\n', &mut self.buf);
            self.line += 1;
            // A record without an id is named by its place: FILE#LINE.
            let at = PathBuf::from(format!("{name}#{}", self.line));
            match read {
                Ok(0) => {
                    self.current = None;
                    continue;
                }
                Ok(_) => {}
                Err(e) => {
                    let broken = Input::Broken(at, format!("cannot read: {e}"));
                    self.current = None;
                    return Some(broken);
                }
            }
            if !self.buf.ends_with(b"\n") && self.buf.len() as u64 >= limit {
                // Skip the rest of the over-long line.
                let mut rest = Vec::new();
                let _ = reader.read_until(b'\n', &mut rest);
                return Some(Input::Broken(
                    at,
                    format!(
                        "record is larger than --max-file-size ({}); skipped",
                        human_size(self.max_size)
                    ),
                ));
            }
            let mut line = trim_line_end(&self.buf);
            if self.line == 1 {
                // A byte-order mark before the first record is no part of it.
                line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(match parse_record(line, &self.fields) {
                Ok((id, text)) => Input::Record(id.map_or(at, PathBuf::from), text),
                Err(why) => Input::Broken(at, why),
            });
        }
    }
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The id (if the record has one) and the text of a record; other fields
/// are skipped without being kept.
fn parse_record(line: &[u8], fields: &Fields) -> Result<(Option<String>, String), String> {
    let mut de = serde_json::Deserializer::from_slice(line);
    let (id, text) = Pick(fields)
        .deserialize(&mut de)
        .and_then(|picked| de.end().map(|_| picked))
        .map_err(|e| format!("not a JSON object record: {e}"))?;
    let text = text.ok_or_else(|| format!("record has no `{}` field", fields.text))?;
    Ok((id, text))
}

struct Pick<'a>(&'a Fields);

impl<'de> DeserializeSeed<'de> for Pick<'_> {
    type Value = (Option<String>, Option<String>);

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Pick<'_> {
    type Value = (Option<String>, Option<String>);

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error;
        let (mut id, mut text) = (None, None);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.0.text {
                text = Some(
                    map.next_value::<String>()
                        .map_err(|e| A::Error::custom(format!("field `{}`: {e}", self.0.text)))?,
                );
            } else if key == self.0.id {
                // Read raw, so a number keeps its digits (one above u64
                // would otherwise come back as a float).
                let raw = map.next_value::<&serde_json::value::RawValue>()?.get();
                id = match raw.as_bytes().first() {
                    Some(b'"') => {
                        Some(serde_json::from_str::<String>(raw).map_err(A::Error::custom)?)
                    }
                    Some(b'-' | b'0'..=b'9') => Some(raw.to_string()),
                    Some(b'n') => None,
                    _ => {
                        return Err(A::Error::custom(format!(
                            "field `{}` must be a string or a number, not {raw}",
                            self.0.id
                        )))
                    }
                };
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok((id, text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Fields {
        Fields {
            id: "id".into(),
            text: "text".into(),
        }
    }

    #[test]
    fn a_file_is_read_whole_up_to_the_limit_and_refused_above_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        let text = "Caf\u{e9} \u{201c}quoted\u{201d}\r\n\u{a0}line two\n";
        std::fs::write(&path, text).unwrap();
        let input = Input::Path(path);
        let size = text.len() as u64;
        let (file, original) = input.read(size, true).unwrap();
        assert_eq!(file.text(), text);
        assert_eq!(original.as_deref(), Some(text.as_bytes()));
        let refused = input.read(size - 1, false).unwrap_err();
        assert!(refused.contains("larger than --max-file-size"), "{refused}");
        assert_eq!(input.read(u64::MAX, false).unwrap().0.text(), text);
    }

    #[test]
    fn a_record_gives_its_id_and_text_and_skips_the_rest() {
        let line = br#"{"url": "http://x", "id": 7, "meta": {"a": [1, 2]}, "text": "Caf\u00e9 \"quoted\"\nline two"}"#;
        let (id, text) = parse_record(line, &fields()).unwrap();
        assert_eq!(id.as_deref(), Some("7"));
        assert_eq!(text, "Café \"quoted\"\nline two");
        let err = parse_record(br#"{"id": "a"}"#, &fields()).unwrap_err();
        assert!(err.contains("no `text` field"), "{err}");
        assert!(parse_record(b"[1, 2]", &fields()).is_err());
        assert!(parse_record(br#"{"text": "a"} trailing"#, &fields()).is_err());
        assert!(parse_record(br#"{"text": 5}"#, &fields()).is_err());
    }

    #[test]
    fn sizes_take_binary_suffixes_and_zero_means_no_limit() {
        assert_eq!(parse_size("512").unwrap(), 512);
        assert_eq!(parse_size("64K").unwrap(), 64 << 10);
        assert_eq!(parse_size("16m").unwrap(), 16 << 20);
        assert_eq!(parse_size("1G").unwrap(), 1 << 30);
        assert_eq!(parse_size("0").unwrap(), u64::MAX);
        assert!(parse_size("ten").is_err());
        assert_eq!(human_size(3 << 20), "3.0 MiB");
    }
}
