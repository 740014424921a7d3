//! Errors about scenario files. Every message begins with the file's path, and with the line
//! and column when the error has a place in the file.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// Something wrong with a scenario (or sweep specification) file.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{}: cannot read the file: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// Something at a place in the file: a syntax error, a wrong type, an unknown key, a value
    /// out of range, an unknown reference.
    #[error("{}:{line}:{column}: {message}", path.display())]
    At {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// Something about the file as a whole (a missing section, inconsistent parts).
    #[error("{}: {message}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What is wrong and what is allowed.
        message: String,
    },
}

impl ScenarioError {
    /// An error at a byte span of `text`.
    pub fn at(path: &Path, text: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        let (line, column) = line_column(text, span.start);
        ScenarioError::At {
            path: path.to_path_buf(),
            line,
            column,
            message: message.into(),
        }
    }

    /// An error about the whole file.
    pub fn file(path: &Path, message: impl Into<String>) -> Self {
        ScenarioError::File {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }

    /// Converts a TOML parse or deserialisation error.
    pub fn from_toml(path: &Path, text: &str, err: &toml::de::Error) -> Self {
        let message = tidy_toml_message(err.message());
        match err.span() {
            Some(span) => ScenarioError::at(path, text, span, message),
            None => ScenarioError::file(path, message),
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn tidy_toml_message(m: &str) -> String {
    let m = m.trim();
    // serde's wording names Rust types; say what a scenario author writes instead.
    m.replace("expected f64", "expected a number")
        .replace("expected u8", "expected a whole number from 0 to 255")
        .replace("expected u32", "expected a whole number")
        .replace("expected u64", "expected a whole number")
        .replace(
            "struct ParamWire",
            "an inline table like { value = 1, unit = \"...\", source = \"...\" }",
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let t = "a = 1\nbé = 2\n";
        assert_eq!(line_column(t, 0), (1, 1));
        assert_eq!(line_column(t, 6), (2, 1));
        // 'é' is two bytes; the '=' after "bé " (byte 10) is the 4th character of its line.
        assert_eq!(line_column(t, 10), (2, 4));
    }

    #[test]
    fn messages_start_with_the_path() {
        let e = ScenarioError::at(Path::new("s.toml"), "x\ny", 2..3, "bad");
        assert_eq!(e.to_string(), "s.toml:2:1: bad");
    }
}
