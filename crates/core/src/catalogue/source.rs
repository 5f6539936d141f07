//! Where a data file (the catalogue, a rule pack) went wrong: file, line,
//! column, entry and a Vietnamese reason, the form `tdkt rules check` prints.

use std::fmt;

/// A catalogue file that failed to load: where and why, in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct SourceError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The entry concerned (award code or rule), when known.
    pub entry: Option<String>,
    pub message: String,
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if let Some(e) = &self.entry {
            write!(f, "mục «{e}»: ")?;
        }
        f.write_str(&self.message)
    }
}

impl SourceError {
    pub(crate) fn at(
        file: &str,
        src: &str,
        offset: usize,
        entry: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = line_col(src, offset);
        Self {
            file: file.to_owned(),
            line,
            column,
            entry: entry.map(str::to_owned),
            message: message.into(),
        }
    }

    pub(crate) fn from_toml(file: &str, src: &str, e: &toml::de::Error) -> Self {
        let offset = e.span().map_or(0, |s| s.start);
        Self::at(
            file,
            src,
            offset,
            None,
            format!("lỗi cú pháp hoặc kiểu dữ liệu: {}", e.message().trim()),
        )
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}
