//! The library's one error type. Every variant names the file (and line, where there is
//! one) so a user can find the problem; messages are lowercase without a final period.

use std::path::PathBuf;

/// Where a problem was found: a file (or `<stdin>`) and, for line-oriented input, a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, or `<stdin>`.
    pub path: PathBuf,
    /// The 1-based line number, for JSON Lines input.
    pub line: Option<usize>,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("{location}: {source}")]
    Io {
        /// The file concerned.
        location: Location,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// Input that is not valid UTF-8 text.
    #[error("{location}: not valid UTF-8 (byte offset {offset})")]
    InvalidUtf8 {
        /// The file (and line) concerned.
        location: Location,
        /// Byte offset of the first invalid byte within the file or line.
        offset: usize,
    },
    /// A file that looks binary (it holds NUL bytes).
    #[error("{location}: looks like a binary file (NUL byte at offset {offset}), skipped")]
    Binary {
        /// The file concerned.
        location: Location,
        /// Byte offset of the first NUL byte.
        offset: usize,
    },
    /// A JSON document that does not parse or lacks what a document needs.
    #[error("{location}: {message}")]
    BadDocument {
        /// The file and line concerned.
        location: Location,
        /// What is wrong, e.g. `missing "text" field`.
        message: String,
    },
    /// A document larger than the configured limit.
    #[error("{location}: document of {size} bytes exceeds the limit of {limit} bytes (see --max-doc-bytes)")]
    TooLarge {
        /// The file (and line) concerned.
        location: Location,
        /// The document's size in bytes.
        size: usize,
        /// The configured limit.
        limit: usize,
    },
    /// A graph file that is not one of ours or is damaged.
    #[error("{path}: not a timeline-kg graph: {message}")]
    BadGraph {
        /// The graph file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A user dictionary (`--dict FILE`) that does not parse, or an entry that is wrong or
    /// contradicts another.
    #[error("{location}: {message}")]
    BadDictionary {
        /// The dictionary file and line.
        location: Location,
        /// What is wrong.
        message: String,
    },
    /// A value the user typed that does not parse.
    #[error("invalid {what} {value:?}: {expected}")]
    InvalidValue {
        /// What the value is for ("date", "format").
        what: &'static str,
        /// The value as typed.
        value: String,
        /// What would have been accepted.
        expected: String,
    },
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
