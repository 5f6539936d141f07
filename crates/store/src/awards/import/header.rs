//! The header of an award file: its columns by their canonical (English)
//! names, matched in Vietnamese or English, with the required ones checked.

use tdkt_core::text;

/// The columns of an award file, by their canonical (English) names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    RecipientType,
    Cccd,
    UnitCode,
    RecipientName,
    Award,
    Year,
    DecisionNo,
    DecisionDate,
    Authority,
    Status,
    Reason,
    AchievedOn,
    RevocationGround,
    RevocationDecisionNo,
    RevocationDecisionDate,
    RevocationReason,
}

impl Column {
    const ALL: [Self; 16] = [
        Self::RecipientType,
        Self::Cccd,
        Self::UnitCode,
        Self::RecipientName,
        Self::Award,
        Self::Year,
        Self::DecisionNo,
        Self::DecisionDate,
        Self::Authority,
        Self::Status,
        Self::Reason,
        Self::AchievedOn,
        Self::RevocationGround,
        Self::RevocationDecisionNo,
        Self::RevocationDecisionDate,
        Self::RevocationReason,
    ];

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::RecipientType => "recipient_type",
            Self::Cccd => "cccd",
            Self::UnitCode => "unit_code",
            Self::RecipientName => "recipient_name",
            Self::Award => "award",
            Self::Year => "year",
            Self::DecisionNo => "decision_no",
            Self::DecisionDate => "decision_date",
            Self::Authority => "authority",
            Self::Status => "status",
            Self::Reason => "reason",
            Self::AchievedOn => "achieved_on",
            Self::RevocationGround => "revocation_ground",
            Self::RevocationDecisionNo => "revocation_decision_no",
            Self::RevocationDecisionDate => "revocation_decision_date",
            Self::RevocationReason => "revocation_reason",
        }
    }

    /// Header spellings accepted, folded (see [`normalise_header`]).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::RecipientType => &["loai doi tuong", "doi tuong", "loai"],
            Self::Cccd => &["so cccd", "can cuoc", "so can cuoc", "so can cuoc cong dan"],
            Self::UnitCode => &["ma don vi", "don vi"],
            Self::RecipientName => &["ho ten", "ho va ten", "ten", "ten doi tuong"],
            Self::Award => &[
                "danh hieu",
                "hinh thuc",
                "danh hieu hinh thuc",
                "hinh thuc khen thuong",
                "ma danh hieu",
            ],
            Self::Year => &["nam", "nam thanh tich"],
            Self::DecisionNo => &["so quyet dinh", "so qd"],
            Self::DecisionDate => &["ngay quyet dinh", "ngay qd", "ngay ky"],
            Self::Authority => &["co quan", "cap quyet dinh", "co quan quyet dinh"],
            Self::Status => &["trang thai"],
            Self::Reason => &["ly do", "thanh tich", "noi dung"],
            Self::AchievedOn => &["ngay lap thanh tich", "ngay thanh tich"],
            Self::RevocationGround => &["can cu huy bo", "can cu huy"],
            Self::RevocationDecisionNo => &["so quyet dinh huy bo", "so qd huy bo", "so qd huy"],
            Self::RevocationDecisionDate => {
                &["ngay quyet dinh huy bo", "ngay qd huy bo", "ngay qd huy"]
            }
            Self::RevocationReason => &["ly do huy bo", "ly do huy"],
        }
    }

    fn required(self) -> bool {
        matches!(
            self,
            Self::RecipientType
                | Self::RecipientName
                | Self::Award
                | Self::Year
                | Self::DecisionNo
                | Self::DecisionDate
        )
    }
}

/// `Số CCCD`, `so_cccd`, `\u{feff}số cccd ` → `so cccd`.
#[must_use]
pub fn normalise_header(h: &str) -> String {
    let h = h.trim_start_matches('\u{feff}');
    let folded = text::fold(&h.replace(['_', '-', '/', '.'], " "));
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where each column sits in the file, and what the file calls it.
#[derive(Debug, Clone)]
pub struct Header {
    /// Position of each column in the file, by `Column as usize`: an array,
    /// not a map, as it is read a dozen times per row.
    index: [Option<usize>; Column::ALL.len()],
    names: Vec<String>,
}

impl Header {
    /// # Errors
    /// A required column is missing (Vietnamese, naming it).
    pub fn parse(names: &[String]) -> std::result::Result<Self, String> {
        let mut index = [None; Column::ALL.len()];
        for (i, n) in names.iter().enumerate() {
            let h = normalise_header(n);
            if let Some(c) = Column::ALL
                .iter()
                .find(|c| normalise_header(c.code()) == h || c.aliases().contains(&h.as_str()))
            {
                index[*c as usize].get_or_insert(i);
            }
        }
        let missing: Vec<&str> = Column::ALL
            .iter()
            .filter(|c| c.required() && index[**c as usize].is_none())
            .map(|c| c.code())
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "Tệp thiếu cột bắt buộc: {} (dòng tiêu đề có: {}).",
                missing.join(", "),
                names.join(", ")
            ));
        }
        Ok(Self {
            index,
            names: names.to_vec(),
        })
    }

    pub(super) fn get<'a>(&self, row: &'a [String], c: Column) -> &'a str {
        self.index[c as usize]
            .and_then(|i| row.get(i))
            .map_or("", |s| s.trim())
    }

    /// The column as the file names it (for error messages).
    #[must_use]
    pub fn name(&self, c: Column) -> String {
        self.index[c as usize]
            .and_then(|i| self.names.get(i))
            .map_or_else(
                || c.code().to_owned(),
                |n| n.trim_start_matches('\u{feff}').trim().to_owned(),
            )
    }

    #[must_use]
    pub fn names(&self) -> &[String] {
        &self.names
    }
}
