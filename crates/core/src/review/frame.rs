//! The official frame of a generated document (Phụ lục I Nghị định
//! 30/2020/NĐ-CP, thể thức văn bản hành chính): the parts around the text
//! that the DOCX and the PDF both print, worded once here for each kind of
//! document tdkt drafts — a cluster's review report ([`ReviewReport::frame`]),
//! the minutes of a ballot (`super::minutes::Minutes::frame`) and of a
//! council session (`super::council_minutes::CouncilMinutes::frame`) — and
//! laid out once by `tdkt_docs` (one header, one footer, DOCX and PDF).
//!
//! A cluster's report is issued by the cluster (*Cụm/Khối thi đua …*) and
//! signed by its leader on the cluster's behalf (`TM. CỤM THI ĐUA` /
//! `CỤM TRƯỞNG`). The number, the place and the day are given by the
//! leader's office when the report is signed, so the draft leaves them
//! blank for the hand (`Số: ……/BC-……`, `…………, ngày …… tháng …… năm 2019`): tdkt
//! does not know the office's abbreviation nor its register of numbers.
//! The kind symbols `BC` (báo cáo) and `BB` (biên bản) are those of Phụ lục
//! III NĐ 30/2020.

use super::ReviewReport;

/// Dots for a place the office writes by hand (a place name, not an
/// address: Phụ lục I NĐ 30/2020, mục II.5 địa danh).
pub const PLACE_BLANK: &str = "…………";

/// The parts of the frame, as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The governing body above the issuer, in capitals (`ỦY BAN NHÂN DÂN
    /// TỈNH …`), or empty.
    pub parent: String,
    /// The issuing body in capitals: `CỤM THI ĐUA CÁC TỈNH TÂY NAM BỘ`.
    pub issuer: String,
    /// `Số: ……/BC-……`, the number and the office left as dots (spaces
    /// would collapse when the PDF breaks lines).
    pub number_line: String,
    /// `…………, ngày …… tháng …… năm 2019`, or a known day:
    /// `…………, ngày 27 tháng 11 năm 2026`.
    pub place_date: String,
    /// The abstract (*trích yếu*) printed bold and centred under the
    /// document's title, or empty when the title says it all.
    pub subject: String,
    /// `Nơi nhận:` and its lines; empty for none.
    pub recipients: Vec<String>,
    /// The signature blocks, left to right (the main signer last, on the
    /// right); each top to bottom: the title lines in bold capitals, the
    /// hint in italics (`(Ký, ghi rõ họ tên)`), room to sign, the name.
    pub signatures: Vec<Signature>,
}

/// One signature block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// `TM. CỤM THI ĐUA`, `CỤM TRƯỞNG`: bold capitals.
    pub titles: Vec<String>,
    /// `(Ký, ghi rõ họ tên, đóng dấu)`, in italics; may be empty.
    pub hint: String,
    /// The signer's name, or dots for the hand.
    pub name: String,
}

/// A known day as the place-and-date line with the place left as dots:
/// `…………, ngày 27 tháng 11 năm 2026` (khoản 5 mục II Phụ lục I: the day
/// and a month below 3 with a leading zero).
#[must_use]
pub fn dated(day: time::Date) -> String {
    crate::decision::place_date(PLACE_BLANK, day)
}

impl Signature {
    /// A block whose name is written by hand when no name is known.
    #[must_use]
    pub fn new(titles: &[&str], hint: &str, name: &str) -> Self {
        Self {
            titles: titles.iter().map(|t| (*t).to_owned()).collect(),
            hint: hint.to_owned(),
            name: if name.trim().is_empty() {
                "……………………………".to_owned()
            } else {
                name.to_owned()
            },
        }
    }
}

impl ReviewReport {
    /// The frame of this report.
    #[must_use]
    pub fn frame(&self) -> Frame {
        let group = self.nouns.group.to_uppercase();
        let leader = format!("{group} TRƯỞNG");
        let year = self.period.end_date().year();
        Frame {
            parent: String::new(),
            issuer: self.cluster.to_uppercase(),
            number_line: "Số: ……/BC-……".to_owned(),
            place_date: format!("{PLACE_BLANK}, ngày …… tháng …… năm {year}"),
            subject: String::new(),
            recipients: vec![
                "Nơi nhận:".to_owned(),
                format!(
                    "- Các {} thành viên {};",
                    self.nouns.member,
                    self.nouns.group.to_lowercase()
                ),
                "- Lưu: VT.".to_owned(),
            ],
            signatures: vec![Signature::new(
                &[&format!("TM. {group} THI ĐUA"), &leader],
                "(Ký, ghi rõ họ tên, đóng dấu)",
                "",
            )],
        }
    }
}
