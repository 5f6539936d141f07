//! Revocation (*hủy bỏ*) and correction of a registry record.
//!
//! Điều 93 Luật TĐKT 2022 (Chương VII, Xử lý vi phạm): a decision granting
//! a title or form is revoked, and the insignia and money recovered, on one
//! of four grounds (khoản 2 a–d); a holder of a State honorary title
//! convicted to imprisonment is stripped of it (*tước*, khoản 3). The
//! procedure is NĐ 152/2025/NĐ-CP Điều 56–58: the revoking authority's
//! decision, then the insignia and money returned within 15 working days
//! (Điều 58). One recipient of a decision is revoked at a time: the rest of
//! the decision stands.
//!
//! A correction fixes what was entered wrong about the decision (its
//! number, date, issuing body, the achievement text, the year), with a
//! reason; the recipient and the award are never corrected: that is a
//! revocation and a new record.

use serde::Serialize;
use time::Date;

use crate::date::format_vn;
use crate::error::DomainError;

/// The legal ground of a revocation, a fixed list (Điều 93 Luật TĐKT 2022).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ground {
    /// điểm a khoản 2 Điều 93: gian dối trong kê khai công trạng, thành tích.
    GianDoiKeKhai,
    /// điểm b: cung cấp thông tin sai sự thật hoặc làm giả hồ sơ, giấy tờ.
    LamGiaHoSo,
    /// điểm c: thẩm định, xét, duyệt, đề nghị trái quy định của pháp luật.
    DeNghiTraiQuyDinh,
    /// điểm d: kết luận, quyết định, bản án về vi phạm trong thời gian tính
    /// thành tích.
    KetLuanBanAn,
    /// khoản 3: tước danh hiệu vinh dự nhà nước (bị kết án tù).
    TuocDanhHieuVinhDu,
    /// A file imported before grounds were recorded (`status = revoked`
    /// without a ground column): kept as received, never chosen by hand.
    KhongGhi,
}

impl Ground {
    /// The grounds an officer may choose.
    pub const CHOOSABLE: [Self; 5] = [
        Self::GianDoiKeKhai,
        Self::LamGiaHoSo,
        Self::DeNghiTraiQuyDinh,
        Self::KetLuanBanAn,
        Self::TuocDanhHieuVinhDu,
    ];

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::GianDoiKeKhai => "gian-doi-ke-khai",
            Self::LamGiaHoSo => "lam-gia-ho-so",
            Self::DeNghiTraiQuyDinh => "de-nghi-trai-quy-dinh",
            Self::KetLuanBanAn => "ket-luan-ban-an",
            Self::TuocDanhHieuVinhDu => "tuoc-danh-hieu-vinh-du",
            Self::KhongGhi => "khong-ghi",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::GianDoiKeKhai => "Gian dối trong kê khai công trạng, thành tích",
            Self::LamGiaHoSo => "Cung cấp thông tin sai sự thật hoặc làm giả hồ sơ, giấy tờ",
            Self::DeNghiTraiQuyDinh => {
                "Thẩm định, xét, duyệt, đề nghị khen thưởng trái quy định của pháp luật"
            }
            Self::KetLuanBanAn => {
                "Có kết luận, quyết định, bản án về vi phạm dẫn đến không bảo đảm tiêu chuẩn trong thời gian tính thành tích"
            }
            Self::TuocDanhHieuVinhDu => {
                "Bị kết án tù: tước danh hiệu vinh dự nhà nước"
            }
            Self::KhongGhi => "Không ghi căn cứ (nhập từ tệp)",
        }
    }

    #[must_use]
    pub fn citation(self) -> &'static str {
        match self {
            Self::GianDoiKeKhai => "điểm a khoản 2 Điều 93 Luật TĐKT 2022",
            Self::LamGiaHoSo => "điểm b khoản 2 Điều 93 Luật TĐKT 2022",
            Self::DeNghiTraiQuyDinh => "điểm c khoản 2 Điều 93 Luật TĐKT 2022",
            Self::KetLuanBanAn => "điểm d khoản 2 Điều 93 Luật TĐKT 2022",
            Self::TuocDanhHieuVinhDu => "khoản 3 Điều 93 Luật TĐKT 2022; Điều 57 NĐ 152/2025/NĐ-CP",
            Self::KhongGhi => "",
        }
    }

    /// Accepts the code or the label (any case, diacritics optional).
    ///
    /// # Errors
    /// Not one of the grounds, naming the choices.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let f = crate::text::slug(s.trim());
        [
            Self::GianDoiKeKhai,
            Self::LamGiaHoSo,
            Self::DeNghiTraiQuyDinh,
            Self::KetLuanBanAn,
            Self::TuocDanhHieuVinhDu,
            Self::KhongGhi,
        ]
        .into_iter()
        .find(|g| g.code() == f || crate::text::slug(g.label()) == f)
        .ok_or_else(|| {
            DomainError::invalid(
                "ground",
                format!(
                    "căn cứ hủy bỏ «{s}» không có trong danh sách ({}).",
                    Self::CHOOSABLE.map(Self::code).join(", ")
                ),
            )
        })
    }
}

/// A revocation as decided, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revocation {
    pub ground: Ground,
    /// The revoking decision's number (`12/QĐ-UBND`).
    pub decision_no: String,
    pub decision_date: Date,
    pub reason: String,
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Award groups that are State honorary titles (Điều 59 Luật TĐKT 2022):
/// only they can be stripped under khoản 3 Điều 93.
pub const HONORARY_GROUP: &str = "danh-hieu-vinh-du";

impl Revocation {
    /// Parses a revocation of a record decided on `awarded_on` in award
    /// group `group`.
    ///
    /// # Errors
    /// The first bad field, in Vietnamese: unknown ground, a stripping of
    /// something that is not an honorary title, no decision number, a date
    /// unreadable, in the future or before the award, no reason.
    pub fn parse(
        ground: &str,
        decision_no: &str,
        decision_date: &str,
        reason: &str,
        awarded_on: Date,
        group: &str,
        today: Date,
    ) -> Result<Self, DomainError> {
        let ground = Ground::parse(ground)?;
        if ground == Ground::KhongGhi {
            return Err(DomainError::invalid(
                "ground",
                "Phải chọn căn cứ hủy bỏ theo Điều 93 Luật TĐKT 2022.",
            ));
        }
        if ground == Ground::TuocDanhHieuVinhDu && group != HONORARY_GROUP {
            return Err(DomainError::invalid(
                "ground",
                "Chỉ danh hiệu vinh dự nhà nước mới bị tước theo khoản 3 Điều 93; với hình thức này hãy chọn căn cứ ở khoản 2.",
            ));
        }
        let decision_no = squeeze(decision_no);
        if decision_no.is_empty() {
            return Err(DomainError::invalid(
                "decision_no",
                "Phải ghi số quyết định hủy bỏ.",
            ));
        }
        let decision_date = crate::date::parse(decision_date.trim())
            .map_err(|m| DomainError::invalid("decision_date", m))?;
        if decision_date > today {
            return Err(DomainError::invalid(
                "decision_date",
                format!(
                    "Ngày quyết định hủy bỏ {} ở tương lai.",
                    format_vn(decision_date)
                ),
            ));
        }
        if decision_date < awarded_on {
            return Err(DomainError::invalid(
                "decision_date",
                format!(
                    "Ngày quyết định hủy bỏ {} trước ngày quyết định khen thưởng {}.",
                    format_vn(decision_date),
                    format_vn(awarded_on)
                ),
            ));
        }
        let reason = squeeze(reason);
        if reason.is_empty() {
            return Err(DomainError::invalid("reason", "Phải ghi lý do hủy bỏ."));
        }
        Ok(Self {
            ground,
            decision_no,
            decision_date,
            reason,
        })
    }

    /// `Hủy bỏ theo Quyết định số 12/QĐ-UBND ngày 05/3/2026`.
    #[must_use]
    pub fn summary(&self) -> String {
        format!(
            "Hủy bỏ theo Quyết định số {} ngày {}",
            self.decision_no,
            format_vn(self.decision_date)
        )
    }
}

/// The fields of a record that a correction may change. The recipient and
/// the award are not among them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Corrected {
    pub year: i32,
    pub decision_no: String,
    pub decision_date: Date,
    pub authority: String,
    /// The achievement text (`award_records.reason`).
    pub achievement: String,
}

/// A correction: the fields as they should be, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub fields: Corrected,
    pub reason: String,
}

impl Correction {
    /// Parses a correction of a record whose fields are now `current`.
    ///
    /// # Errors
    /// No reason, nothing changed, a field unreadable (Vietnamese).
    pub fn parse(
        current: &Corrected,
        year: &str,
        decision_no: &str,
        decision_date: &str,
        authority: &str,
        achievement: &str,
        reason: &str,
    ) -> Result<Self, DomainError> {
        let year: i32 = year
            .trim()
            .parse()
            .ok()
            .filter(|y| (1900..=9999).contains(y))
            .ok_or_else(|| {
                DomainError::invalid("year", format!("«{year}» không phải năm (4 chữ số)."))
            })?;
        let decision_no = squeeze(decision_no);
        if decision_no.is_empty() {
            return Err(DomainError::invalid(
                "decision_no",
                "Phải có số quyết định.",
            ));
        }
        let decision_date = crate::date::parse(decision_date.trim())
            .map_err(|m| DomainError::invalid("decision_date", m))?;
        let fields = Corrected {
            year,
            decision_no,
            decision_date,
            authority: squeeze(authority),
            achievement: achievement.trim().to_owned(),
        };
        if &fields == current {
            return Err(DomainError::invalid(
                "decision_no",
                "Không có trường nào thay đổi so với bản ghi.",
            ));
        }
        let reason = squeeze(reason);
        if reason.is_empty() {
            return Err(DomainError::invalid("reason", "Phải ghi lý do đính chính."));
        }
        Ok(Self { fields, reason })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 06 - 01);
    const AWARDED: Date = date!(2022 - 03 - 21);

    fn parse(ground: &str, no: &str, d: &str, reason: &str) -> Result<Revocation, DomainError> {
        Revocation::parse(ground, no, d, reason, AWARDED, "bang-khen", TODAY)
    }

    #[test]
    fn every_choosable_ground_cites_article_93() {
        for g in Ground::CHOOSABLE {
            assert!(g.citation().contains("Điều 93 Luật TĐKT 2022"), "{g:?}");
            assert_eq!(Ground::parse(g.code()).unwrap(), g);
            assert_eq!(Ground::parse(g.label()).unwrap(), g);
        }
        assert!(Ground::parse("ghet")
            .unwrap_err()
            .message()
            .contains("gian-doi-ke-khai"));
    }

    #[test]
    fn a_revocation_needs_a_decision_a_date_and_a_reason() {
        let r = parse(
            "lam-gia-ho-so",
            " 12/QĐ-UBND ",
            "2026-03-05",
            "Làm giả  hồ sơ",
        )
        .unwrap();
        assert_eq!(r.decision_no, "12/QĐ-UBND");
        assert_eq!(r.reason, "Làm giả hồ sơ");
        assert_eq!(
            r.summary(),
            "Hủy bỏ theo Quyết định số 12/QĐ-UBND ngày 05/3/2026"
        );
        assert_eq!(
            parse("lam-gia-ho-so", "", "2026-03-05", "x")
                .unwrap_err()
                .field(),
            "decision_no"
        );
        assert_eq!(
            parse("lam-gia-ho-so", "1/QĐ", "2027-01-01", "x")
                .unwrap_err()
                .field(),
            "decision_date"
        );
        let before = parse("lam-gia-ho-so", "1/QĐ", "2021-01-01", "x").unwrap_err();
        assert!(before
            .message()
            .contains("trước ngày quyết định khen thưởng"));
        assert_eq!(
            parse("lam-gia-ho-so", "1/QĐ", "2026-03-05", " ")
                .unwrap_err()
                .field(),
            "reason"
        );
        assert_eq!(
            parse("khong-ghi", "1/QĐ", "2026-03-05", "x")
                .unwrap_err()
                .field(),
            "ground"
        );
    }

    #[test]
    fn only_an_honorary_title_is_stripped_under_khoan_3() {
        assert!(parse("tuoc-danh-hieu-vinh-du", "1/QĐ-CTN", "2026-03-05", "án tù").is_err());
        assert!(Revocation::parse(
            "tuoc-danh-hieu-vinh-du",
            "1/QĐ-CTN",
            "2026-03-05",
            "án tù",
            AWARDED,
            HONORARY_GROUP,
            TODAY
        )
        .is_ok());
    }

    #[test]
    fn a_correction_needs_a_change_and_a_reason() {
        let cur = Corrected {
            year: 2021,
            decision_no: "2145/QĐ-UBND".into(),
            decision_date: AWARDED,
            authority: "UBND tỉnh".into(),
            achievement: String::new(),
        };
        let same = Correction::parse(
            &cur,
            "2021",
            "2145/QĐ-UBND",
            "2022-03-21",
            "UBND tỉnh",
            "",
            "x",
        );
        assert!(same
            .unwrap_err()
            .message()
            .contains("Không có trường nào thay đổi"));
        let no_reason = Correction::parse(
            &cur,
            "2021",
            "2154/QĐ-UBND",
            "2022-03-21",
            "UBND tỉnh",
            "",
            "",
        );
        assert_eq!(no_reason.unwrap_err().field(), "reason");
        let ok = Correction::parse(
            &cur,
            "2021",
            "2154/QĐ-UBND",
            "2022-03-21",
            "UBND tỉnh",
            "",
            "gõ nhầm số",
        )
        .unwrap();
        assert_eq!(ok.fields.decision_no, "2154/QĐ-UBND");
    }
}
