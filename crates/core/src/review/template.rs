//! Sentence templates for review reports, kept as data (`vi.tpl`) so an
//! office can reword its reports, or add another language, without a
//! release.
//!
//! The format is deliberately tiny and safe: one `key = text` per line,
//! `#` comments, `{name}` placeholders, `{{`/`}}` for literal braces, and
//! `"…"` around a text whose leading or trailing spaces matter. There are no
//! loops, conditions or expressions: the code picks which sentence applies
//! (all members reached the threshold, some did, none did) and the template
//! only words it. Every key must be present and may use only the
//! placeholders listed for it in [`SPEC`], checked when the file is loaded,
//! so a typo fails at load, never halfway through a report.

use std::collections::BTreeMap;

const FIGURE: &[&str] = &[
    "indicator",
    "indicator_lc",
    "period",
    "members",
    "group",
    "figure",
];

/// Each key and the placeholders it may use.
pub const SPEC: &[(&str, &[&str])] = &[
    ("title", &["review", "period", "cluster", "group", "year"]),
    (
        "intro",
        &[
            "reported", "total", "members", "period", "cluster", "group", "year",
        ],
    ),
    ("heading", &["period", "group"]),
    ("figure.mean.higher", FIGURE),
    ("figure.mean.lower", FIGURE),
    ("figure.sum.higher", FIGURE),
    ("figure.sum.lower", FIGURE),
    ("standouts.higher", &["members", "group", "list", "count"]),
    ("standouts.lower", &["members", "group", "list", "count"]),
    (
        "threshold.all.higher",
        &["reached", "total", "members", "group", "threshold"],
    ),
    (
        "threshold.all.lower",
        &["reached", "total", "members", "group", "threshold"],
    ),
    (
        "threshold.some.higher",
        &["reached", "total", "members", "group", "threshold", "list"],
    ),
    (
        "threshold.some.lower",
        &["reached", "total", "members", "group", "threshold", "list"],
    ),
    (
        "threshold.none.higher",
        &["total", "members", "group", "threshold"],
    ),
    (
        "threshold.none.lower",
        &["total", "members", "group", "threshold"],
    ),
    ("end", &[]),
    ("targets.all", &["reached", "total", "members"]),
    ("targets.some", &["reached", "total", "members", "list"]),
    ("item.target", &["member", "value", "target"]),
    ("missing", &["list", "count", "members"]),
    (
        "no_data",
        &["indicator", "indicator_lc", "period", "members", "group"],
    ),
    ("item", &["member", "value"]),
    ("separator", &[]),
    ("separator.names", &[]),
];

/// The Vietnamese templates shipped with tdkt.
pub const VIETNAMESE: &str = include_str!("vi.tpl");

/// Keys of a set of templates and the placeholders each may use.
pub type Spec = &'static [(&'static str, &'static [&'static str])];

/// A template file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("mẫu câu, dòng {line}: {reason}")]
    Line { line: usize, reason: String },
    #[error("mẫu câu thiếu khóa «{0}»")]
    Missing(&'static str),
}

/// One template, split into literal text and placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Slot(String),
}

/// A loaded, checked set of templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Templates {
    entries: BTreeMap<&'static str, Vec<Piece>>,
}

impl Templates {
    /// The shipped Vietnamese set.
    ///
    /// # Panics
    /// Never in a build whose tests pass: the shipped file is checked by
    /// `the_shipped_templates_load`.
    #[must_use]
    pub fn vietnamese() -> Self {
        Self::parse(VIETNAMESE).expect("vi.tpl is checked by the tests")
    }

    /// Loads and checks a template file of review reports.
    ///
    /// # Errors
    /// [`TemplateError`] naming the line or the missing key.
    pub fn parse(src: &str) -> Result<Self, TemplateError> {
        Self::parse_with(SPEC, src)
    }

    /// Loads and checks a template file against `spec`: the review reports'
    /// [`SPEC`], the ballot minutes' (`super::minutes::SPEC`).
    ///
    /// # Errors
    /// [`TemplateError`] naming the line or the missing key.
    pub fn parse_with(spec: Spec, src: &str) -> Result<Self, TemplateError> {
        let mut entries = BTreeMap::new();
        for (i, raw) in src.lines().enumerate() {
            let line = i + 1;
            let err = |reason: String| TemplateError::Line { line, reason };
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let (key, text) = trimmed
                .split_once('=')
                .ok_or_else(|| err("thiếu dấu =".to_owned()))?;
            let key = key.trim();
            let (&spec_key, allowed) =
                spec.iter()
                    .find(|(k, _)| *k == key)
                    .map(|(k, a)| (k, *a))
                    .ok_or_else(|| err(format!("khóa «{key}» không có trong danh sách")))?;
            let mut text = text.trim();
            if text.len() >= 2 && text.starts_with('"') && text.ends_with('"') {
                text = &text[1..text.len() - 1];
            }
            let pieces = split(text).map_err(&err)?;
            for p in &pieces {
                if let Piece::Slot(name) = p {
                    if !allowed.contains(&name.as_str()) {
                        return Err(err(format!(
                            "khóa «{key}» không dùng được {{{name}}} (chỉ dùng: {})",
                            if allowed.is_empty() {
                                "không có".to_owned()
                            } else {
                                allowed.join(", ")
                            }
                        )));
                    }
                }
            }
            if entries.insert(spec_key, pieces).is_some() {
                return Err(err(format!("khóa «{key}» bị lặp")));
            }
        }
        if let Some((missing, _)) = spec.iter().find(|(k, _)| !entries.contains_key(k)) {
            return Err(TemplateError::Missing(missing));
        }
        Ok(Self { entries })
    }

    /// Fills template `key`. Placeholders without a value are left empty;
    /// which ones may appear was checked at load.
    #[must_use]
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut out = String::new();
        for p in self.entries.get(key).map_or(&[][..], Vec::as_slice) {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Slot(name) => {
                    if let Some((_, v)) = values.iter().find(|(n, _)| n == name) {
                        out.push_str(v);
                    }
                }
            }
        }
        out
    }
}

fn split(text: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut lit = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                lit.push('}');
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) if c.is_ascii_lowercase() || c == '_' => name.push(c),
                        _ => {
                            return Err("chỗ điền {…} viết sai (chỉ gồm chữ thường không dấu và _)"
                                .to_owned())
                        }
                    }
                }
                if !lit.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut lit)));
                }
                pieces.push(Piece::Slot(name));
            }
            '}' => return Err("dấu } đứng lẻ (viết }} để có dấu })".to_owned()),
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        pieces.push(Piece::Text(lit));
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal() -> String {
        SPEC.iter().fold(String::new(), |mut s, (k, _)| {
            s.push_str(k);
            s.push_str(" = x\n");
            s
        })
    }

    #[test]
    fn the_shipped_templates_load() {
        let t = Templates::parse(VIETNAMESE).unwrap();
        assert_eq!(t.fill("separator", &[]), "; ");
        assert_eq!(
            t.fill("item", &[("member", "Trà Vinh"), ("value", "17%")]),
            "Trà Vinh 17%"
        );
    }

    #[test]
    fn unknown_placeholders_and_keys_are_refused_at_load() {
        let bad = minimal().replace("item = x", "item = {member} {vaule}");
        let e = Templates::parse(&bad).unwrap_err().to_string();
        assert!(e.contains("{vaule}") && e.contains("member, value"), "{e}");
        let e = Templates::parse(&format!("{}bogus = y\n", minimal())).unwrap_err();
        assert!(matches!(e, TemplateError::Line { .. }));
        let e = Templates::parse(&minimal().replace("end = x\n", "")).unwrap_err();
        assert_eq!(e, TemplateError::Missing("end"));
        let e = Templates::parse(&minimal().replace("end = x", "end = }")).unwrap_err();
        assert!(e.to_string().contains("dấu }"));
    }

    #[test]
    fn braces_and_quotes_are_literal_where_asked() {
        let src = minimal().replace("item = x", "item = \" {{{member}}} \"");
        let t = Templates::parse(&src).unwrap();
        assert_eq!(t.fill("item", &[("member", "A")]), " {A} ");
    }
}
