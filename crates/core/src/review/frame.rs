//! The official frame of a review report (Phụ lục I Nghị định
//! 30/2020/NĐ-CP, thể thức văn bản hành chính): the parts around the text
//! that the DOCX and the PDF both print, worded once here.
//!
//! A cluster's report is issued by the cluster (*Cụm/Khối thi đua …*) and
//! signed by its leader on the cluster's behalf (`TM. CỤM THI ĐUA` /
//! `CỤM TRƯỞNG`). The number, the place and the day are given by the
//! leader's office when the report is signed, so the draft leaves them
//! blank for the hand (`Số: ……/BC-……`, `…………, ngày …… tháng …… năm 2019`): tdkt
//! does not know the office's abbreviation nor its register of numbers.
//! The kind symbol `BC` (báo cáo) is that of Phụ lục III NĐ 30/2020.

use super::ReviewReport;

/// The parts of the frame, as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The issuing body in capitals: `CỤM THI ĐUA CÁC TỈNH TÂY NAM BỘ`.
    pub issuer: String,
    /// `Số: ……/BC-……`, the number and the office left as dots (spaces
    /// would collapse when the PDF breaks lines).
    pub number_line: String,
    /// `…………, ngày …… tháng …… năm 2019`: the year of the period's end
    /// is the earliest the report can be signed.
    pub place_date: String,
    /// `Nơi nhận:` and its lines.
    pub recipients: Vec<String>,
    /// The signature block, top to bottom: `TM. CỤM THI ĐUA`, `CỤM
    /// TRƯỞNG`, then the room for the signature and the name line.
    pub signature: Vec<String>,
}

impl ReviewReport {
    /// The frame of this report.
    #[must_use]
    pub fn frame(&self) -> Frame {
        let group = self.nouns.group.to_uppercase();
        let leader = format!("{group} TRƯỞNG");
        let year = self.period.end_date().year();
        Frame {
            issuer: self.cluster.to_uppercase(),
            number_line: "Số: ……/BC-……".to_owned(),
            place_date: format!("…………, ngày …… tháng …… năm {year}"),
            recipients: vec![
                "Nơi nhận:".to_owned(),
                format!(
                    "- Các {} thành viên {};",
                    self.nouns.member,
                    self.nouns.group.to_lowercase()
                ),
                "- Lưu: VT.".to_owned(),
            ],
            signature: vec![
                format!("TM. {group} THI ĐUA"),
                leader,
                "(Ký, ghi rõ họ tên, đóng dấu)".to_owned(),
                String::new(),
                String::new(),
                "……………………………".to_owned(),
            ],
        }
    }
}
