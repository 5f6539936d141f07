//! Certificates (*Bằng khen*, *Giấy khen*, *Giấy chứng nhận* of a title)
//! printed from the award registry: what a certificate says
//! ([`CertificateData`]), where it says it ([`Layout`], data in
//! `certificates/*.toml`), the public verification code ([`Code`]) and
//! the signature container ([`seal`]).
//!
//! Pure: the PDF is drawn by `tdkt-docs`, the key comes from the store, the
//! random bytes of a code from the caller. Verifying a file needs only this
//! module and a public key, which is what makes it testable without a
//! database and what `tdkt certificate verify --public-key` relies on.

pub mod seal;

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use time::Date;

use crate::catalogue::{Award, AwardKind, SourceError};

/// Crockford's base-32 alphabet: no I, L, O, U, so a code read aloud or
/// typed from paper is not mistaken.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The public verification code of one certificate: 80 random bits as 16
/// characters in four groups (`7K2Q-9XMB-…`), printed on the certificate,
/// in its QR code (`/xac-minh/{code}`) and in its seal. Unguessable, so the
/// verification page cannot be walked record by record.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code(String);

impl Code {
    /// The code of 10 random bytes (the caller draws them).
    #[must_use]
    pub fn from_bytes(bytes: [u8; 10]) -> Self {
        let mut bits: u128 = 0;
        for b in bytes {
            bits = (bits << 8) | u128::from(b);
        }
        let mut s = String::with_capacity(19);
        for i in 0..16 {
            if i > 0 && i % 4 == 0 {
                s.push('-');
            }
            let shift = 75 - 5 * i;
            s.push(char::from(ALPHABET[((bits >> shift) & 31) as usize]));
        }
        Self(s)
    }

    /// Reads a code as a person may type it: any case, with or without
    /// dashes and spaces, O for 0 and I or L for 1.
    ///
    /// # Errors
    /// Not 16 characters of the alphabet (Vietnamese message).
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut clean = String::with_capacity(16);
        for c in s.chars().filter(|c| !matches!(c, '-' | ' ')) {
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
                return Err(format!("mã xác minh «{s}» có ký tự không hợp lệ."));
            }
            clean.push(c);
        }
        if clean.len() != 16 {
            return Err(format!("mã xác minh «{s}» phải có 16 ký tự."));
        }
        let grouped = clean
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-");
        Ok(Self(grouped))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Everything a certificate prints about one registry record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateData {
    /// Who issues it, as on the decision (`Chủ tịch UBND tỉnh Hậu Giang`).
    pub issuer: String,
    pub award: String,
    pub recipient: String,
    /// The recipient's unit (a person's), or the collective's parent unit.
    pub unit: String,
    /// The achievement; empty = a default sentence from the award and year.
    pub reason: String,
    pub year: i32,
    pub decision_no: String,
    pub decision_date: Date,
    /// The province or city of issue (`Hậu Giang`), when known.
    pub place: Option<String>,
    pub signer_title: String,
    pub signer_name: Option<String>,
    pub code: Code,
    /// The public verification page of this certificate.
    pub verify_url: String,
    pub kind: AwardKind,
}

/// `ngày 21 tháng 3 năm 2022`, `ngày 05 tháng 01 năm 2026`: a day below
/// 10 and the months 1 and 2 take a leading zero (NĐ 30/2020/NĐ-CP, Phụ
/// lục I, địa danh và thời gian ban hành văn bản).
#[must_use]
pub fn long_date(d: Date) -> String {
    let m = u8::from(d.month());
    let month = if m <= 2 {
        format!("{m:02}")
    } else {
        m.to_string()
    };
    format!("ngày {:02} tháng {month} năm {}", d.day(), d.year())
}

impl CertificateData {
    /// The achievement as printed: the record's own text, or a sentence
    /// made from the award and the year.
    #[must_use]
    pub fn reason_text(&self) -> String {
        let r = self.reason.trim();
        if !r.is_empty() {
            return r.to_owned();
        }
        match self.kind {
            AwardKind::Title => format!("Đạt danh hiệu «{}» năm {}.", self.award, self.year),
            AwardKind::Form => format!(
                "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm {}.",
                self.year
            ),
        }
    }

    /// The value of placeholder `name`, or `None` when there is no such
    /// placeholder (see [`PLACEHOLDERS`]).
    #[must_use]
    pub fn field(&self, name: &str) -> Option<String> {
        Some(match name {
            "issuer" => self.issuer.clone(),
            "issuer_upper" => self.issuer.to_uppercase(),
            "award" => self.award.clone(),
            "award_upper" => self.award.to_uppercase(),
            "recipient" => self.recipient.clone(),
            "recipient_upper" => self.recipient.to_uppercase(),
            "unit" => self.unit.clone(),
            "reason" => self.reason_text(),
            "year" => self.year.to_string(),
            "decision_no" => self.decision_no.clone(),
            "decision_date" => crate::date::format_vn(self.decision_date),
            "decision" => format!(
                "Quyết định số {} {}",
                self.decision_no,
                long_date(self.decision_date)
            ),
            "place_date" => match &self.place {
                Some(p) => format!("{p}, {}", long_date(self.decision_date)),
                None => long_date(self.decision_date),
            },
            "signer_title" => self.signer_title.to_uppercase(),
            "signer_name" => self.signer_name.clone().unwrap_or_default(),
            "code" => self.code.to_string(),
            "verify_url" => self.verify_url.clone(),
            _ => return None,
        })
    }
}

/// Placeholders a layout's text may use, `{name}`.
pub const PLACEHOLDERS: &[&str] = &[
    "issuer",
    "issuer_upper",
    "award",
    "award_upper",
    "recipient",
    "recipient_upper",
    "unit",
    "reason",
    "year",
    "decision_no",
    "decision_date",
    "decision",
    "place_date",
    "signer_title",
    "signer_name",
    "code",
    "verify_url",
];

/// Where a block's `x_mm` is: its left edge, centre or right edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    Left,
    Center,
    Right,
}

/// One text block of a layout.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    /// Text with `{placeholders}`; `\n` breaks lines.
    pub text: String,
    pub x_mm: f32,
    /// Baseline of the first line, from the top of the page.
    pub y_mm: f32,
    /// Lines wrap at this width (default: the page less 20 mm each side).
    pub width_mm: Option<f32>,
    pub size_pt: f32,
    #[serde(default)]
    pub bold: bool,
    #[serde(default = "center")]
    pub align: Align,
    /// Line height as a multiple of the size.
    #[serde(default = "leading")]
    pub leading: f32,
    /// Already printed on the office's blank forms: left out when printing
    /// onto blanks.
    #[serde(default)]
    pub preprinted: bool,
    /// Text colour, red-green-blue (default black).
    pub rgb: Option<[u8; 3]>,
}

fn center() -> Align {
    Align::Center
}

fn leading() -> f32 {
    1.3
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    pub width_mm: f32,
    pub height_mm: f32,
}

/// The decorative border of a full print (never on blanks).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Frame {
    pub inset_mm: f32,
    pub line_pt: f32,
    /// A thinner second line inside the first, this far from the edge.
    pub inner_inset_mm: Option<f32>,
    pub rgb: [u8; 3],
}

/// The QR code to the verification page: square, dark modules on white.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Qr {
    pub x_mm: f32,
    pub y_mm: f32,
    pub size_mm: f32,
}

/// The layout of one certificate family, read from TOML.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// `bang-khen`, `giay-khen`, `giay-chung-nhan`.
    pub family: String,
    pub name: String,
    /// Award codes printed with this layout.
    #[serde(default)]
    pub awards: Vec<String>,
    /// Used for every award no layout names (exactly one layout has it).
    #[serde(default)]
    pub fallback: bool,
    pub page: Page,
    pub frame: Option<Frame>,
    pub qr: Qr,
    #[serde(rename = "block")]
    pub blocks: Vec<Block>,
}

/// Replaces each `{name}` of `text` with the field of `data`. Unknown names
/// cannot reach here: [`Layouts::load`] refuses them.
#[must_use]
pub fn fill(text: &str, data: &CertificateData) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match data.field(name) {
                    Some(v) => out.push_str(&v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(n, _)| n))
}

/// The shipped layouts, compiled into the binary; a rules directory may
/// replace any of them by family (`<rules-dir>/certificates/<family>.toml`, a folder beside `rules/`).
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "certificates/bang-khen.toml",
        include_str!("../../../certificates/bang-khen.toml"),
    ),
    (
        "certificates/giay-khen.toml",
        include_str!("../../../certificates/giay-khen.toml"),
    ),
    (
        "certificates/giay-chung-nhan.toml",
        include_str!("../../../certificates/giay-chung-nhan.toml"),
    ),
];

/// The certificate layouts by family.
#[derive(Debug, Clone)]
pub struct Layouts {
    by_family: BTreeMap<String, Layout>,
}

impl Layouts {
    /// The shipped layouts.
    ///
    /// # Panics
    /// Never in a released build: a test loads the same files.
    #[must_use]
    pub fn embedded() -> Self {
        match Self::load(EMBEDDED) {
            Ok(l) => l,
            Err(e) => panic!("embedded certificate layouts are invalid: {}", e[0]),
        }
    }

    /// Loads `(file name, contents)` pairs; a later file of the same family
    /// replaces an earlier one (a rules directory's override).
    ///
    /// # Errors
    /// Every problem found, with file and line: TOML errors, unknown
    /// placeholders, sizes that are not positive, no or two fallbacks.
    pub fn load(files: &[(&str, &str)]) -> Result<Self, Vec<SourceError>> {
        let mut errors = Vec::new();
        let mut by_family: BTreeMap<String, (String, Layout)> = BTreeMap::new();
        for (file, src) in files {
            let layout: Layout = match toml::from_str(src) {
                Ok(l) => l,
                Err(e) => {
                    errors.push(SourceError::from_toml(file, src, &e));
                    continue;
                }
            };
            let err = |m: String| SourceError::at(file, src, 0, Some(&layout.family), m);
            if layout.page.width_mm <= 0.0 || layout.page.height_mm <= 0.0 {
                errors.push(err("khổ giấy phải dương.".to_owned()));
            }
            if layout.qr.size_mm <= 0.0 {
                errors.push(err("mã QR phải có kích thước dương.".to_owned()));
            }
            for b in &layout.blocks {
                if b.size_pt <= 0.0 {
                    errors.push(err(format!("khối «{}»: cỡ chữ phải dương.", b.text)));
                }
                for name in placeholders(&b.text) {
                    if !PLACEHOLDERS.contains(&name) {
                        let offset = src.find(&format!("{{{name}}}")).unwrap_or(0);
                        errors.push(SourceError::at(
                            file,
                            src,
                            offset,
                            Some(&layout.family),
                            format!(
                                "không có trường «{{{name}}}» (có: {}).",
                                PLACEHOLDERS.join(", ")
                            ),
                        ));
                    }
                }
            }
            by_family.insert(layout.family.clone(), ((*file).to_owned(), layout));
        }
        let fallbacks = by_family.values().filter(|(_, l)| l.fallback).count();
        if errors.is_empty() && fallbacks != 1 {
            errors.push(SourceError {
                file: by_family
                    .values()
                    .next()
                    .map_or_else(String::new, |(f, _)| f.clone()),
                line: 1,
                column: 1,
                entry: None,
                message: format!(
                    "phải có đúng một mẫu giấy chứng nhận với fallback = true (có {fallbacks})."
                ),
            });
        }
        if errors.is_empty() {
            Ok(Self {
                by_family: by_family.into_iter().map(|(k, (_, l))| (k, l)).collect(),
            })
        } else {
            Err(errors)
        }
    }

    /// The layout an award is printed with: the one naming its code, else
    /// the fallback.
    ///
    /// # Panics
    /// Never: loading guarantees a fallback.
    #[must_use]
    pub fn for_award(&self, award: &Award) -> &Layout {
        self.by_family
            .values()
            .find(|l| l.awards.iter().any(|a| a == &award.code))
            .or_else(|| self.by_family.values().find(|l| l.fallback))
            .expect("a fallback layout")
    }

    #[must_use]
    pub fn get(&self, family: &str) -> Option<&Layout> {
        self.by_family.get(family)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Layout> {
        self.by_family.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use time::macros::date;

    fn data() -> CertificateData {
        CertificateData {
            issuer: "Chủ tịch UBND tỉnh Hậu Giang".into(),
            award: "Bằng khen của Chủ tịch UBND cấp tỉnh".into(),
            recipient: "Trần Thị Hà".into(),
            unit: "Sở Xây dựng tỉnh Hậu Giang".into(),
            reason: String::new(),
            year: 2021,
            decision_no: "2145/QĐ-UBND".into(),
            decision_date: date!(2022 - 03 - 21),
            place: Some("Hậu Giang".into()),
            signer_title: "Chủ tịch".into(),
            signer_name: None,
            code: Code::from_bytes([1; 10]),
            verify_url: "http://127.0.0.1:8080/xac-minh/X".into(),
            kind: AwardKind::Form,
        }
    }

    #[test]
    fn a_code_is_sixteen_unambiguous_characters_and_reads_back_as_typed() {
        let c = Code::from_bytes([0xff, 0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0]);
        assert_eq!(c.as_str().len(), 19);
        assert!(c
            .as_str()
            .chars()
            .all(|ch| ch == '-' || ALPHABET.contains(&(ch as u8))));
        assert_eq!(Code::parse(c.as_str()).unwrap(), c);
        let typed = c.as_str().to_lowercase().replace('-', " ");
        assert_eq!(Code::parse(&typed).unwrap(), c);
        assert_eq!(
            Code::parse("OOOO-IIII-LLLL-0000").unwrap().as_str(),
            "0000-1111-1111-0000"
        );
        assert!(Code::parse("ABC").unwrap_err().contains("16 ký tự"));
        assert!(Code::parse("UUUU-UUUU-UUUU-UUUU").is_err());
        assert_ne!(Code::from_bytes([1; 10]), Code::from_bytes([2; 10]));
    }

    #[test]
    fn placeholders_are_filled_and_dates_written_in_full() {
        let d = data();
        assert_eq!(
            fill("{place_date}", &d),
            "Hậu Giang, ngày 21 tháng 3 năm 2022"
        );
        assert_eq!(
            fill("Tặng {recipient} — {decision}", &d),
            "Tặng Trần Thị Hà — Quyết định số 2145/QĐ-UBND ngày 21 tháng 3 năm 2022"
        );
        assert_eq!(fill("{issuer_upper}", &d), "CHỦ TỊCH UBND TỈNH HẬU GIANG");
        assert_eq!(
            fill("{reason}", &d),
            "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2021."
        );
        assert_eq!(fill("a {b", &d), "a {b");
        assert_eq!(
            long_date(date!(2026 - 01 - 05)),
            "ngày 05 tháng 01 năm 2026"
        );
    }

    #[test]
    fn the_shipped_layouts_load_and_cover_every_award() {
        let layouts = Layouts::embedded();
        let cat = Catalogue::embedded();
        assert_eq!(
            layouts
                .for_award(cat.get("bang-khen-thu-tuong").unwrap())
                .family,
            "bang-khen"
        );
        assert_eq!(
            layouts.for_award(cat.get("giay-khen").unwrap()).family,
            "giay-khen"
        );
        assert_eq!(
            layouts
                .for_award(cat.get("lao-dong-tien-tien").unwrap())
                .family,
            "giay-chung-nhan"
        );
        for l in layouts.iter() {
            assert!(
                l.blocks.iter().any(|b| b.text.contains("{recipient")),
                "{}",
                l.family
            );
            assert!(l.blocks.iter().any(|b| !b.preprinted), "{}", l.family);
        }
    }

    #[test]
    fn an_unknown_placeholder_is_refused_with_its_line() {
        let src = EMBEDDED[0].1.replacen("{recipient", "{nguoi_nhan", 1);
        let mut files = EMBEDDED.to_vec();
        files[0] = ("x.toml", &src);
        let e = Layouts::load(&files).unwrap_err();
        assert!(e[0].message.contains("{nguoi_nhan"), "{}", e[0]);
        assert!(e[0].line > 1);
    }

    #[test]
    fn a_rules_directory_layout_replaces_the_shipped_one_of_its_family() {
        let src = EMBEDDED[1]
            .1
            .replace("name = \"Giấy khen\"", "name = \"Giấy khen (Bắc Ninh)\"");
        let mut files = EMBEDDED.to_vec();
        files.push(("rules.d/certificates/giay-khen.toml", &src));
        let l = Layouts::load(&files).unwrap();
        assert_eq!(l.get("giay-khen").unwrap().name, "Giấy khen (Bắc Ninh)");
    }
}
