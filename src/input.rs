//! Stage 1: input. Reads documents from text files, JSON Lines / JSON files, folders and
//! standard input, one document at a time so memory never holds the corpus. A bad file or
//! line becomes an [`Error`] in the stream; the documents around it still come through.

use crate::error::{Error, Location, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Documents larger than this many bytes are refused unless configured otherwise.
pub const DEFAULT_MAX_DOC_BYTES: usize = 16 * 1024 * 1024;

/// One news article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Stable identifier: the JSON `id`, or the file's path without extension.
    pub id: String,
    /// Headline, when the input gives one.
    pub title: Option<String>,
    /// Document creation (publication) time; relative dates resolve against it.
    pub date: Option<NaiveDate>,
    /// The text exactly as read (a leading byte-order mark removed); all spans index into it.
    pub text: String,
    /// Where the document came from ("file:line").
    pub origin: String,
    /// The raw JSON line when the input is an annotation line written by `tkg extract`:
    /// the document was already annotated and the per-document stages are skipped.
    #[serde(skip)]
    pub annotations: Option<String>,
}

/// Parses a publication date: `YYYY-MM-DD`, optionally followed by a time (`2025-03-05T10:00Z`).
pub fn parse_date(value: &str) -> Result<NaiveDate> {
    let trimmed = value.trim();
    let day = trimmed.get(..10).unwrap_or(trimmed);
    let rest = trimmed.get(10..).unwrap_or("");
    let ok_rest = rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ');
    let shaped = day.len() == 10
        && day.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    match NaiveDate::parse_from_str(day, "%Y-%m-%d") {
        Ok(d) if ok_rest && shaped => Ok(d),
        _ => Err(Error::InvalidValue {
            what: "date",
            value: value.to_string(),
            expected: "a real calendar date as YYYY-MM-DD (optionally followed by a time)".into(),
        }),
    }
}

/// How to read inputs.
#[derive(Debug, Clone)]
pub struct InputConfig {
    /// Publication date for documents that carry none (`--date`).
    pub default_date: Option<NaiveDate>,
    /// Largest document accepted, in bytes.
    pub max_doc_bytes: usize,
}

impl Default for InputConfig {
    /// No default date; documents up to [`DEFAULT_MAX_DOC_BYTES`].
    fn default() -> Self {
        InputConfig {
            default_date: None,
            max_doc_bytes: DEFAULT_MAX_DOC_BYTES,
        }
    }
}

/// What a file holds, decided from its extension or, failing that, its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileFormat {
    Text,
    JsonLines,
}

/// A source to read: a file with the id stem for text documents, or standard input.
#[derive(Debug, Clone)]
enum Source {
    File { path: PathBuf, id: String },
    Stdin,
}

/// Expands the user's inputs into the ordered list of sources: folders recursively, in sorted
/// order, keeping `.txt`, `.md`, `.text`, `.jsonl`, `.ndjson` and `.json` files.
fn expand(inputs: &[PathBuf]) -> Vec<Result<Source>> {
    let mut out = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            out.push(Ok(Source::Stdin));
        } else if input.is_dir() {
            let mut files = Vec::new();
            if let Err(e) = walk(input, &mut files) {
                out.push(Err(e));
            }
            files.sort();
            for path in files {
                let rel = path.strip_prefix(input).unwrap_or(&path).with_extension("");
                let id = rel.to_string_lossy().replace('\\', "/");
                out.push(Ok(Source::File { path, id }));
            }
        } else {
            let id = input.file_stem().map_or_else(
                || input.to_string_lossy().into_owned(),
                |s| s.to_string_lossy().into_owned(),
            );
            out.push(Ok(Source::File {
                path: input.clone(),
                id,
            }));
        }
    }
    out
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    let io_err = |source| Error::Io {
        location: Location {
            path: dir.to_path_buf(),
            line: None,
        },
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io_err)? {
        let path = entry.map_err(io_err)?.path();
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, files)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("txt" | "md" | "text" | "jsonl" | "ndjson" | "json")
        ) {
            files.push(path);
        }
    }
    Ok(())
}

/// Reads documents from `inputs` lazily, one at a time, in input order.
pub fn read_documents(inputs: &[PathBuf], config: &InputConfig) -> Documents {
    Documents {
        sources: expand(inputs).into_iter(),
        current: None,
        config: config.clone(),
    }
}

/// The stream of documents (or per-document errors) from [`read_documents`].
pub struct Documents {
    sources: std::vec::IntoIter<Result<Source>>,
    current: Option<LineReader>,
    config: InputConfig,
}

/// An open JSON Lines source being read line by line, or a JSON array file being read
/// element by element (each element's 1-based index standing in for its line).
struct LineReader {
    reader: Box<dyn BufRead>,
    path: PathBuf,
    stem: String,
    line: usize,
    /// A first line already read while sniffing the format of standard input.
    pending: Option<Vec<u8>>,
    /// `Some` for a JSON array: where the scan of the array stands.
    array: Option<ArrayState>,
}

/// Where the scan of a JSON array file stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArrayState {
    /// Before the opening `[`.
    Start,
    /// Inside the array, before the next element.
    Elements,
    /// After the closing `]`: only white space may follow.
    Closed,
    /// The array is closed (or broken beyond repair): nothing more to read.
    Done,
}

impl Iterator for Documents {
    type Item = Result<Document>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(reader) = self.current.as_mut() {
                match next_json_line(reader, &self.config) {
                    Some(item) => return Some(item),
                    None => self.current = None,
                }
            }
            let source = match self.sources.next()? {
                Ok(s) => s,
                Err(e) => return Some(Err(e)),
            };
            match self.open(source) {
                Ok(Some(doc)) => return Some(Ok(doc)),
                Ok(None) => {}
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

impl Documents {
    /// Opens a source: a text source yields its one document at once, a JSON source
    /// becomes the current line reader.
    fn open(&mut self, source: Source) -> Result<Option<Document>> {
        match source {
            Source::Stdin => {
                let mut reader: Box<dyn BufRead> = Box::new(BufReader::new(std::io::stdin()));
                let path = PathBuf::from("<stdin>");
                let mut first = Vec::new();
                // The first line tells JSON from text; capped like a JSON line, so a
                // 100 MB stdin without a newline is not read whole to find out.
                let cap = (self.config.max_doc_bytes as u64)
                    .saturating_mul(2)
                    .saturating_add(2);
                (&mut reader)
                    .take(cap)
                    .read_until(b'\n', &mut first)
                    .map_err(|source| io(&path, source))?;
                let looks_json = first
                    .iter()
                    .find(|b| !b.is_ascii_whitespace())
                    .is_some_and(|&b| b == b'{' || b == b'[');
                let array = first.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
                if array {
                    let reader: Box<dyn BufRead> =
                        Box::new(std::io::Cursor::new(first).chain(reader));
                    self.current = Some(LineReader {
                        reader,
                        path,
                        stem: "stdin".into(),
                        line: 0,
                        pending: None,
                        array: Some(ArrayState::Start),
                    });
                    Ok(None)
                } else if looks_json {
                    self.current = Some(LineReader {
                        reader,
                        path,
                        stem: "stdin".into(),
                        line: 0,
                        pending: Some(first),
                        array: None,
                    });
                    Ok(None)
                } else {
                    let limit = self.config.max_doc_bytes;
                    let mut bytes = first;
                    reader
                        .take((limit + 1 - bytes.len().min(limit)) as u64)
                        .read_to_end(&mut bytes)
                        .map_err(|source| io(&path, source))?;
                    text_document(bytes, &path, "stdin".into(), &self.config).map(Some)
                }
            }
            Source::File { path, id } => {
                let file = std::fs::File::open(&path).map_err(|source| io(&path, source))?;
                let format = match path.extension().and_then(|e| e.to_str()) {
                    Some("jsonl" | "ndjson" | "json") => FileFormat::JsonLines,
                    Some("txt" | "md" | "text") => FileFormat::Text,
                    _ => FileFormat::Text,
                };
                let mut reader: Box<dyn BufRead> =
                    Box::new(BufReader::with_capacity(1 << 16, file));
                if format == FileFormat::JsonLines {
                    let (first, blank_lines) =
                        skip_blank(&mut reader, true).map_err(|e| io(&path, e))?;
                    let array = first == Some(b'[');
                    self.current = Some(LineReader {
                        reader,
                        path,
                        stem: id,
                        line: if array { 0 } else { blank_lines },
                        pending: None,
                        array: array.then_some(ArrayState::Start),
                    });
                    return Ok(None);
                }
                let limit = self.config.max_doc_bytes;
                // The size on disk refuses a large regular file before reading a byte of it;
                // `take` bounds what is read from anything else (a pipe, a growing file).
                let size = std::fs::metadata(&path)
                    .ok()
                    .filter(|m| m.is_file())
                    .map(|m| m.len());
                if let Some(size) = size.filter(|&n| n > limit as u64) {
                    return Err(Error::TooLarge {
                        location: Location { path, line: None },
                        size: usize::try_from(size).unwrap_or(usize::MAX),
                        limit,
                    });
                }
                let expected = size.map_or(0, |n| n as usize).min(limit) + 1;
                let mut bytes = Vec::with_capacity(expected.min(1 << 26));
                reader
                    .take(limit as u64 + 1)
                    .read_to_end(&mut bytes)
                    .map_err(|source| io(&path, source))?;
                text_document(bytes, &path, id, &self.config).map(Some)
            }
        }
    }
}

fn io(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        location: Location {
            path: path.to_path_buf(),
            line: None,
        },
        source,
    }
}

/// Checks raw bytes and makes them a document's text: refuses binary data, invalid UTF-8
/// and oversized documents; drops a leading byte-order mark.
fn checked_text(bytes: Vec<u8>, location: Location, limit: usize) -> Result<String> {
    if bytes.len() > limit {
        return Err(Error::TooLarge {
            location,
            size: bytes.len(),
            limit,
        });
    }
    if let Some(offset) = memchr_nul(&bytes) {
        return Err(Error::Binary { location, offset });
    }
    let mut text = String::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 {
        location,
        offset: e.utf8_error().valid_up_to(),
    })?;
    if text.starts_with('\u{FEFF}') {
        text.drain(..3);
    }
    Ok(text)
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

fn text_document(
    bytes: Vec<u8>,
    path: &Path,
    id: String,
    config: &InputConfig,
) -> Result<Document> {
    let location = Location {
        path: path.to_path_buf(),
        line: None,
    };
    let text = checked_text(bytes, location, config.max_doc_bytes)?;
    Ok(Document {
        id,
        title: None,
        date: config.default_date,
        text,
        origin: path.display().to_string(),
        annotations: None,
    })
}

/// The fields we read from a JSON document; others are ignored.
#[derive(Deserialize)]
struct RawDocument {
    id: Option<serde_json::Value>,
    text: Option<serde_json::Value>,
    title: Option<serde_json::Value>,
    date: Option<serde_json::Value>,
    dct: Option<serde_json::Value>,
    tkg_annotations: Option<serde_json::Value>,
    /// Where the document was first read (`file:line`), set by a map step that feeds
    /// `tkg extract -` from elsewhere (scripts/spark_build.py); replaces the stdin location.
    tkg_origin: Option<serde_json::Value>,
}

/// Skips ASCII white space (and, with `bom`, a leading byte-order mark) without reading
/// further: returns the first other byte, left unread, and how many line feeds were skipped.
fn skip_blank(reader: &mut dyn BufRead, mut bom: bool) -> std::io::Result<(Option<u8>, usize)> {
    let mut newlines = 0;
    loop {
        let chunk = reader.fill_buf()?;
        if bom && chunk.starts_with(b"\xEF\xBB\xBF") {
            reader.consume(3);
            bom = false;
            continue;
        }
        bom = false;
        if chunk.is_empty() {
            return Ok((None, newlines));
        }
        let blank = chunk.iter().take_while(|b| b.is_ascii_whitespace()).count();
        newlines += chunk[..blank].iter().filter(|&&b| b == b'\n').count();
        let next = chunk.get(blank).copied();
        reader.consume(blank);
        if next.is_some() {
            return Ok((next, newlines));
        }
    }
}

/// How the scan of one element of a JSON array ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ElementEnd {
    /// At a `,`: more elements follow.
    Comma,
    /// At the `]` that closes the array.
    Close,
    /// At the end of the input, with the array still open.
    Eof,
}

/// Reads one element of a JSON array (up to the `,` or `]` at its own level, outside
/// strings; the delimiter is consumed, not kept), keeping at most `cap` bytes of it in
/// `buf` so an oversized element costs no more memory than that. Returns how the element
/// ended and its full size in bytes. Whether the element itself is valid JSON is left to
/// the JSON parser.
fn scan_element(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> std::io::Result<(ElementEnd, usize)> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut size = 0;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok((ElementEnd::Eof, size));
        }
        let mut end = None;
        let mut used = 0;
        for &b in chunk {
            used += 1;
            if in_string {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' => depth = depth.saturating_sub(1),
                b']' if depth == 0 => {
                    end = Some(ElementEnd::Close);
                    break;
                }
                b']' => depth -= 1,
                b',' if depth == 0 => {
                    end = Some(ElementEnd::Comma);
                    break;
                }
                _ => {}
            }
        }
        let keep = if end.is_some() { used - 1 } else { used };
        size += keep;
        let room = cap.saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..keep.min(room)]);
        reader.consume(used);
        if let Some(end) = end {
            return Ok((end, size));
        }
    }
}

/// Reads the next element of a JSON array file as a document, its 1-based index standing
/// in for the line. The array is scanned, not parsed whole, so memory holds one element; a
/// damaged array gives its good elements, then one error at the damage.
fn next_array_element(reader: &mut LineReader, config: &InputConfig) -> Option<Result<Document>> {
    let cap = config.max_doc_bytes.saturating_mul(2).saturating_add(2);
    let path = reader.path.clone();
    let malformed = |reader: &mut LineReader, line: usize, what: &str| {
        reader.array = Some(ArrayState::Done);
        Some(Err(Error::BadDocument {
            location: Location {
                path: path.clone(),
                line: Some(line),
            },
            message: format!("malformed JSON array: {what}"),
        }))
    };
    match reader.array? {
        ArrayState::Done => return None,
        ArrayState::Start => match skip_blank(&mut reader.reader, true) {
            Ok((Some(b'['), _)) => {
                reader.reader.consume(1);
                reader.array = Some(ArrayState::Elements);
            }
            Ok(_) => return malformed(reader, 1, "it does not start with '['"),
            Err(e) => {
                reader.array = Some(ArrayState::Done);
                return Some(Err(io(&path, e)));
            }
        },
        ArrayState::Closed => {
            reader.array = Some(ArrayState::Done);
            return match skip_blank(&mut reader.reader, false) {
                Ok((None, _)) => None,
                Ok(_) => {
                    // Counted as the element after the last, so no two items share a number.
                    let line = reader.line + 1;
                    malformed(reader, line, "data after the closing ']'")
                }
                Err(e) => Some(Err(io(&path, e))),
            };
        }
        ArrayState::Elements => {}
    }
    let mut buf = Vec::new();
    let (end, size) = match scan_element(&mut reader.reader, &mut buf, cap) {
        Ok(scan) => scan,
        Err(e) => {
            reader.array = Some(ArrayState::Done);
            return Some(Err(io(&path, e)));
        }
    };
    let blank = buf.iter().all(u8::is_ascii_whitespace);
    if end == ElementEnd::Close && blank && reader.line == 0 {
        reader.array = Some(ArrayState::Closed);
        return next_array_element(reader, config);
    }
    reader.line += 1;
    let line = reader.line;
    match end {
        ElementEnd::Eof => return malformed(reader, line, "no closing ']' (truncated file?)"),
        _ if blank => return malformed(reader, line, "empty element"),
        ElementEnd::Close => reader.array = Some(ArrayState::Closed),
        ElementEnd::Comma => {}
    }
    let location = Location {
        path,
        line: Some(line),
    };
    if size > buf.len() {
        return Some(Err(Error::TooLarge {
            location,
            size,
            limit: config.max_doc_bytes,
        }));
    }
    Some(parse_json_document(buf, location, &reader.stem, config))
}

/// Reads the next non-blank line of a JSON Lines source as a document.
fn next_json_line(reader: &mut LineReader, config: &InputConfig) -> Option<Result<Document>> {
    if reader.array.is_some() {
        return next_array_element(reader, config);
    }
    loop {
        let mut buf = match reader.pending.take() {
            Some(b) => b,
            None => {
                let mut b = Vec::new();
                // Cap the line so a 100 MB line without a newline cannot exhaust memory.
                let limit = config.max_doc_bytes as u64 * 2 + 2;
                match (&mut reader.reader).take(limit).read_until(b'\n', &mut b) {
                    Ok(0) => return None,
                    Ok(_) => b,
                    Err(source) => return Some(Err(io(&reader.path, source))),
                }
            }
        };
        reader.line += 1;
        let location = Location {
            path: reader.path.clone(),
            line: Some(reader.line),
        };
        if buf.len() as u64 >= config.max_doc_bytes as u64 * 2 + 2 && !buf.ends_with(b"\n") {
            // Skip the rest of the oversized line so the next line starts clean.
            let mut sink = Vec::new();
            loop {
                sink.clear();
                match (&mut reader.reader)
                    .take(1 << 20)
                    .read_until(b'\n', &mut sink)
                {
                    Ok(0) => break,
                    Ok(_) if sink.ends_with(b"\n") => break,
                    Ok(_) => {}
                    Err(source) => return Some(Err(io(&reader.path, source))),
                }
            }
            return Some(Err(Error::TooLarge {
                location,
                size: buf.len(),
                limit: config.max_doc_bytes,
            }));
        }
        while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            buf.pop();
        }
        if buf.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        return Some(parse_json_document(buf, location, &reader.stem, config));
    }
}

fn parse_json_document(
    buf: Vec<u8>,
    location: Location,
    stem: &str,
    config: &InputConfig,
) -> Result<Document> {
    let bad = |location: &Location, message: String| Error::BadDocument {
        location: location.clone(),
        message,
    };
    let line = checked_text(
        buf,
        location.clone(),
        config.max_doc_bytes.saturating_mul(2),
    )?;
    let raw: RawDocument =
        serde_json::from_str(&line).map_err(|e| bad(&location, format!("malformed JSON: {e}")))?;
    let text = match raw.text {
        Some(serde_json::Value::String(s)) => s,
        Some(other) => {
            return Err(bad(
                &location,
                format!("\"text\" must be a string, found {}", json_kind(&other)),
            ))
        }
        None => return Err(bad(&location, "missing \"text\" field".into())),
    };
    if text.len() > config.max_doc_bytes {
        return Err(Error::TooLarge {
            location,
            size: text.len(),
            limit: config.max_doc_bytes,
        });
    }
    let id = match raw.id {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        None | Some(serde_json::Value::Null) => format!("{stem}:{}", location.line.unwrap_or(0)),
        Some(other) => {
            return Err(bad(
                &location,
                format!(
                    "\"id\" must be a string or number, found {}",
                    json_kind(&other)
                ),
            ))
        }
    };
    let title = match raw.title {
        Some(serde_json::Value::String(s)) => Some(s),
        None | Some(serde_json::Value::Null) => None,
        Some(other) => {
            return Err(bad(
                &location,
                format!("\"title\" must be a string, found {}", json_kind(&other)),
            ))
        }
    };
    let date = match raw.date.or(raw.dct) {
        None | Some(serde_json::Value::Null) => config.default_date,
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => config.default_date,
        Some(serde_json::Value::String(s)) => {
            Some(parse_date(&s).map_err(|e| bad(&location, format!("{e}")))?)
        }
        Some(other) => {
            return Err(bad(
                &location,
                format!("\"date\" must be a string, found {}", json_kind(&other)),
            ))
        }
    };
    let annotations = raw.tkg_annotations.is_some().then_some(line);
    let origin = match raw.tkg_origin {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s,
        _ => location.to_string(),
    };
    Ok(Document {
        id,
        title,
        date,
        text,
        origin,
        annotations,
    })
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let p = dir.join(name);
        std::fs::File::create(&p).unwrap().write_all(bytes).unwrap();
        p
    }

    #[test]
    fn dates_parse_or_explain() {
        assert_eq!(
            parse_date("2025-03-05").unwrap(),
            NaiveDate::from_ymd_opt(2025, 3, 5).unwrap()
        );
        assert_eq!(
            parse_date("2025-03-05T10:00:00Z").unwrap(),
            NaiveDate::from_ymd_opt(2025, 3, 5).unwrap()
        );
        for bad in ["2025-02-30", "yesterday", "", "2025-3-5", "2025-03-05x"] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn jsonl_bad_lines_are_reported_and_the_rest_goes_through() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "c.jsonl",
            b"{\"id\":\"a\",\"text\":\"One.\",\"date\":\"2025-03-05\"}\n{broken\n\n{\"id\":\"c\"}\n{\"id\":7,\"text\":\"Two.\",\"dct\":\"2025-02-30\"}\n{\"id\":8,\"text\":\"Three.\",\"date\":5}\n{\"text\":\"Four.\"}\n",
        );
        let items: Vec<_> = read_documents(&[p], &InputConfig::default()).collect();
        assert_eq!(items.len(), 6);
        let a = items[0].as_ref().unwrap();
        assert_eq!(
            (a.id.as_str(), a.date.map(|d| d.to_string())),
            ("a", Some("2025-03-05".into()))
        );
        let msg = |i: usize| items[i].as_ref().unwrap_err().to_string();
        assert!(
            msg(1).contains("c.jsonl:2") && msg(1).contains("malformed JSON"),
            "{}",
            msg(1)
        );
        assert!(
            msg(2).contains("c.jsonl:4") && msg(2).contains("missing \"text\""),
            "{}",
            msg(2)
        );
        assert!(
            msg(3).contains(":5") && msg(3).contains("2025-02-30"),
            "{}",
            msg(3)
        );
        assert!(
            msg(4).contains(":6") && msg(4).contains("\"date\" must be a string"),
            "{}",
            msg(4)
        );
        assert_eq!(items[5].as_ref().unwrap().id, "c:7");
    }

    #[test]
    fn text_files_binary_invalid_utf8_bom_and_folders() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        write(dir.path(), "b.txt", "\u{FEFF}Hello.".as_bytes());
        write(&sub, "a.txt", b"Inner.");
        write(dir.path(), "bin.txt", b"ab\0cd");
        write(dir.path(), "bad.txt", b"ok \xff\xfe");
        write(dir.path(), "ignored.png", b"\x89PNG");
        let config = InputConfig {
            default_date: NaiveDate::from_ymd_opt(2025, 1, 1),
            ..InputConfig::default()
        };
        let items: Vec<_> = read_documents(&[dir.path().to_path_buf()], &config).collect();
        assert_eq!(items.len(), 4);
        assert_eq!(items[0].as_ref().unwrap().text, "Hello.");
        assert!(items[1]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("not valid UTF-8"));
        assert!(items[2]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("binary"));
        let inner = items[3].as_ref().unwrap();
        assert_eq!(
            (inner.id.as_str(), inner.date),
            ("sub/a", config.default_date)
        );
    }

    #[test]
    fn missing_file_and_size_limit() {
        let items: Vec<_> = read_documents(
            &[PathBuf::from("/nonexistent/x.txt")],
            &InputConfig::default(),
        )
        .collect();
        assert!(items[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("/nonexistent/x.txt"));
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "big.txt", &[b'a'; 100]);
        let small = InputConfig {
            max_doc_bytes: 10,
            ..InputConfig::default()
        };
        let items: Vec<_> = read_documents(&[p], &small).collect();
        assert!(items[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("exceeds the limit"));
    }

    /// Reads `bytes` as a `.json` file; each item as `Ok(id)` or `Err(message)`.
    fn read_json(bytes: &[u8], max_doc_bytes: usize) -> Vec<std::result::Result<String, String>> {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "a.json", bytes);
        let config = InputConfig {
            max_doc_bytes,
            ..InputConfig::default()
        };
        read_documents(&[p], &config)
            .map(|d| d.map(|d| d.id).map_err(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn json_arrays_stream_element_by_element() {
        let doc = |id: &str| format!("{{\"id\":\"{id}\",\"text\":\"T [x], {{y}} \\\" ] ,\"}}");
        let good = format!("\u{FEFF} \n[{}, {} ,\n{}]\n", doc("a"), doc("b"), doc("c"));
        let big = format!(
            "[{},{{\"id\":\"big\",\"text\":\"{}\"}},{}]",
            doc("a"),
            "z".repeat(500),
            doc("c")
        );
        // (input, limit, expected items: id or a piece of the error message)
        let cases: Vec<(String, usize, Vec<&str>)> = vec![
            (good, 1000, vec!["a", "b", "c"]),
            ("[]".into(), 1000, vec![]),
            (" [ ] \n".into(), 1000, vec![]),
            (
                format!("[{}", doc("a")),
                1000,
                vec!["a.json:1: malformed JSON array: no closing ']'"],
            ),
            (
                format!("[{},{}", doc("a"), doc("b")),
                1000,
                vec!["a", "a.json:2: malformed JSON array: no closing"],
            ),
            (
                format!("[{},]", doc("a")),
                1000,
                vec!["a", "a.json:2: malformed JSON array: empty element"],
            ),
            (
                format!("[{}] x", doc("a")),
                1000,
                vec!["a", "a.json:2: malformed JSON array: data after"],
            ),
            (
                format!("[{} {}]", doc("a"), doc("b")),
                1000,
                vec!["a.json:1: malformed JSON"],
            ),
            (
                format!("[{},7,{}]", doc("a"), doc("c")),
                1000,
                vec!["a", "a.json:2: malformed JSON", "c"],
            ),
            (
                big,
                100,
                vec![
                    "a",
                    "a.json:2: document of 522 bytes exceeds the limit",
                    "c",
                ],
            ),
        ];
        for (input, limit, expected) in cases {
            let got = read_json(input.as_bytes(), limit);
            assert_eq!(got.len(), expected.len(), "{input:?}: {got:?}");
            for (g, e) in got.iter().zip(&expected) {
                match g {
                    Ok(id) => assert_eq!(id, e, "{input:?}"),
                    Err(msg) => assert!(msg.contains(e), "{input:?}: {msg} lacks {e:?}"),
                }
            }
        }
    }

    #[test]
    fn jsonl_line_numbers_count_leading_blank_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "l.jsonl", b"\xEF\xBB\xBF\n \n\n{broken\n");
        let items: Vec<_> = read_documents(&[p], &InputConfig::default()).collect();
        assert_eq!(items.len(), 1);
        let msg = items[0].as_ref().unwrap_err().to_string();
        assert!(msg.contains("l.jsonl:4: malformed JSON"), "{msg}");
    }

    #[test]
    fn a_large_text_file_is_refused_from_its_size_alone() {
        let dir = tempfile::tempdir().unwrap();
        // Not valid UTF-8 and binary: only the size is looked at, so the message is the size.
        let p = write(dir.path(), "big.txt", &[0xff; 4096]);
        let small = InputConfig {
            max_doc_bytes: 4095,
            ..InputConfig::default()
        };
        let items: Vec<_> = read_documents(std::slice::from_ref(&p), &small).collect();
        let msg = items[0].as_ref().unwrap_err().to_string();
        assert!(
            msg.contains("document of 4096 bytes exceeds the limit of 4095"),
            "{msg}"
        );
        let exact = InputConfig {
            max_doc_bytes: 4096,
            ..InputConfig::default()
        };
        let items: Vec<_> = read_documents(&[p], &exact).collect();
        let msg = items[0].as_ref().unwrap_err().to_string();
        assert!(msg.contains("not valid UTF-8"), "{msg}");
    }

    #[test]
    fn json_array_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "a.json",
            b"[{\"id\":\"x\",\"text\":\"A.\"},{\"id\":\"y\",\"text\":\"B.\"}]",
        );
        let ids: Vec<String> = read_documents(&[p], &InputConfig::default())
            .map(|d| d.unwrap().id)
            .collect();
        assert_eq!(ids, ["x", "y"]);
    }
}
