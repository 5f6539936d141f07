//! The vocabulary of a person's record besides awards: annual ratings
//! (*xếp loại mức độ hoàn thành nhiệm vụ*), discipline levels, the scope of
//! an initiative and its kind. One place for each level's code (as stored
//! and in files), its Vietnamese name, the names and abbreviations files
//! use for it, and the order of the list a form offers: the engine, the
//! store, the importers and the web's `<select>` lists all read from here.

use serde::Serialize;

use crate::text;

/// Folds a typed name for matching: no diacritics, lower case, `-`, `_`
/// and `,` as spaces, single spaces.
fn fold_name(s: &str) -> String {
    text::fold(s)
        .replace(['-', '_', ','], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first letter upper-cased, for a list entry or a table cell.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Annual rating (*xếp loại mức độ hoàn thành nhiệm vụ*), ordered low →
/// high: the levels the titles count, e.g. *hoàn thành tốt nhiệm vụ trở
/// lên* (điểm a khoản 1 Điều 24 Luật TĐKT 2022).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Rating {
    /// Không hoàn thành nhiệm vụ.
    KhongHoanThanh,
    /// Hoàn thành nhiệm vụ.
    HoanThanh,
    /// Hoàn thành tốt nhiệm vụ.
    HoanThanhTot,
    /// Hoàn thành xuất sắc nhiệm vụ.
    HoanThanhXuatSac,
}

impl Rating {
    /// Every level, as a form lists them: the best first.
    pub const ALL: [Self; 4] = [
        Self::HoanThanhXuatSac,
        Self::HoanThanhTot,
        Self::HoanThanh,
        Self::KhongHoanThanh,
    ];

    /// The level a form offers first.
    pub const DEFAULT: Self = Self::HoanThanhTot;

    /// Its code, as stored and in rule packs (`hoan-thanh-tot`).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::KhongHoanThanh => "khong-hoan-thanh",
            Self::HoanThanh => "hoan-thanh",
            Self::HoanThanhTot => "hoan-thanh-tot",
            Self::HoanThanhXuatSac => "hoan-thanh-xuat-sac",
        }
    }

    /// From its exact code (`hoan-thanh-tot`), as stored and in rule packs.
    #[must_use]
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == s)
    }

    /// From what a person or a file writes: the code, the Vietnamese name
    /// with or without diacritics and with or without *nhiệm vụ*, or the
    /// usual abbreviations (`HTXSNV`, `HTTNV`, `HTNV`, `KHTNV`).
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        let f = fold_name(s);
        let f = f.strip_suffix(" nhiem vu").unwrap_or(&f);
        Some(match f {
            "hoan thanh xuat sac" | "htxs" | "htxsnv" | "xuat sac" => Self::HoanThanhXuatSac,
            "hoan thanh tot" | "htt" | "httnv" | "tot" => Self::HoanThanhTot,
            "hoan thanh" | "ht" | "htnv" => Self::HoanThanh,
            "khong hoan thanh" | "kht" | "khtnv" => Self::KhongHoanThanh,
            _ => return None,
        })
    }

    /// Its Vietnamese name inside a sentence: *hoàn thành tốt nhiệm vụ*.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::KhongHoanThanh => "không hoàn thành nhiệm vụ",
            Self::HoanThanh => "hoàn thành nhiệm vụ",
            Self::HoanThanhTot => "hoàn thành tốt nhiệm vụ",
            Self::HoanThanhXuatSac => "hoàn thành xuất sắc nhiệm vụ",
        }
    }

    /// Its name as a list entry: *Hoàn thành tốt nhiệm vụ*.
    #[must_use]
    pub fn title(self) -> String {
        capitalised(self.label())
    }
}

/// Discipline levels (Luật Cán bộ, công chức; Luật Viên chức), ordered by
/// severity so that "no discipline from *cảnh cáo* up" is a comparison.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum DisciplineLevel {
    KhienTrach,
    CanhCao,
    HaBacLuong,
    GiangChuc,
    CachChuc,
    BuocThoiViec,
}

impl DisciplineLevel {
    /// Every level, the lightest first.
    pub const ALL: [Self; 6] = [
        Self::KhienTrach,
        Self::CanhCao,
        Self::HaBacLuong,
        Self::GiangChuc,
        Self::CachChuc,
        Self::BuocThoiViec,
    ];

    /// Its code, as stored (`canh-cao`).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::KhienTrach => "khien-trach",
            Self::CanhCao => "canh-cao",
            Self::HaBacLuong => "ha-bac-luong",
            Self::GiangChuc => "giang-chuc",
            Self::CachChuc => "cach-chuc",
            Self::BuocThoiViec => "buoc-thoi-viec",
        }
    }

    /// From its code or Vietnamese name, diacritics optional.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Some(match fold_name(s).as_str() {
            "khien trach" => Self::KhienTrach,
            "canh cao" => Self::CanhCao,
            "ha bac luong" | "ha bac" | "ha ngach" => Self::HaBacLuong,
            "giang chuc" => Self::GiangChuc,
            "cach chuc" => Self::CachChuc,
            "buoc thoi viec" => Self::BuocThoiViec,
            _ => return None,
        })
    }

    /// Its Vietnamese name inside a sentence: *cảnh cáo*.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::KhienTrach => "khiển trách",
            Self::CanhCao => "cảnh cáo",
            Self::HaBacLuong => "hạ bậc lương",
            Self::GiangChuc => "giáng chức",
            Self::CachChuc => "cách chức",
            Self::BuocThoiViec => "buộc thôi việc",
        }
    }

    /// Its name as a list entry: *Cảnh cáo*.
    #[must_use]
    pub fn title(self) -> String {
        capitalised(self.label())
    }
}

/// Scope of influence of an initiative or research result, ordered.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Cơ sở.
    CoSo,
    /// Bộ, ban, ngành, tỉnh.
    CapTinh,
    /// Toàn quốc.
    ToanQuoc,
}

impl Scope {
    /// Every scope, the narrowest first.
    pub const ALL: [Self; 3] = [Self::CoSo, Self::CapTinh, Self::ToanQuoc];

    /// Its code, as stored (`cap-tinh`).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::CoSo => "co-so",
            Self::CapTinh => "cap-tinh",
            Self::ToanQuoc => "toan-quoc",
        }
    }

    /// From its code or Vietnamese name (`cấp tỉnh`, `Bộ, ban, ngành, tỉnh`).
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        let f = fold_name(s);
        let f = f.strip_prefix("cap ").unwrap_or(&f);
        Some(match f {
            "co so" => Self::CoSo,
            "tinh" | "bo" | "tinh bo" | "bo tinh" | "bo ban nganh tinh" | "nganh" => Self::CapTinh,
            "toan quoc" | "quoc gia" => Self::ToanQuoc,
            _ => return None,
        })
    }

    /// Its Vietnamese name inside a sentence.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::CoSo => "cơ sở",
            Self::CapTinh => "Bộ, ban, ngành, tỉnh",
            Self::ToanQuoc => "toàn quốc",
        }
    }

    /// Its name as a list entry: *Toàn quốc*.
    #[must_use]
    pub fn title(self) -> String {
        capitalised(self.label())
    }
}

/// What was recognised: an initiative (*sáng kiến*) or a research result
/// (*đề tài, công trình khoa học*).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum InitiativeKind {
    SangKien,
    DeTai,
}

impl InitiativeKind {
    /// Both kinds, as a form lists them.
    pub const ALL: [Self; 2] = [Self::SangKien, Self::DeTai];

    /// Its code, as stored (`sang-kien`, `de-tai`).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::SangKien => "sang-kien",
            Self::DeTai => "de-tai",
        }
    }

    /// From its code or a Vietnamese name; empty is an initiative, what
    /// most files hold.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match fold_name(s).as_str() {
            "" | "sang kien" => Some(Self::SangKien),
            "de tai"
            | "de an"
            | "cong trinh"
            | "cong trinh khoa hoc"
            | "nghien cuu"
            | "de tai cong trinh khoa hoc" => Some(Self::DeTai),
            _ => None,
        }
    }

    /// From a stored code; anything else reads as an initiative.
    #[must_use]
    pub fn from_code(code: &str) -> Self {
        if code == Self::DeTai.code() {
            Self::DeTai
        } else {
            Self::SangKien
        }
    }

    /// Its Vietnamese name inside a sentence.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::SangKien => "sáng kiến",
            Self::DeTai => "đề tài, công trình khoa học",
        }
    }

    /// Its name as a list entry: *Sáng kiến*.
    #[must_use]
    pub fn title(self) -> String {
        capitalised(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_and_names_and_abbreviations_are_understood() {
        for r in Rating::ALL {
            assert_eq!(Rating::from_code(r.code()), Some(r));
            assert_eq!(Rating::parse(r.code()), Some(r));
            assert_eq!(Rating::parse(r.label()), Some(r));
            assert_eq!(Rating::parse(&r.title()), Some(r));
        }
        assert_eq!(Rating::parse("HTXSNV"), Some(Rating::HoanThanhXuatSac));
        assert_eq!(Rating::parse("hoan thanh tot"), Some(Rating::HoanThanhTot));
        assert_eq!(Rating::parse("KHTNV"), Some(Rating::KhongHoanThanh));
        assert_eq!(Rating::parse("giỏi"), None);
        assert_eq!(DisciplineLevel::parse("phạt tiền"), None);
        assert_eq!(Scope::parse("toàn quốc"), Some(Scope::ToanQuoc));
        assert_eq!(Rating::from_code("Hoàn thành tốt nhiệm vụ"), None);
        for d in DisciplineLevel::ALL {
            assert_eq!(DisciplineLevel::parse(d.code()), Some(d));
            assert_eq!(DisciplineLevel::parse(&d.title()), Some(d));
        }
        for s in Scope::ALL {
            assert_eq!(Scope::parse(s.code()), Some(s));
            assert_eq!(Scope::parse(s.label()), Some(s));
        }
        assert_eq!(Scope::parse("cấp tỉnh"), Some(Scope::CapTinh));
        for k in InitiativeKind::ALL {
            assert_eq!(InitiativeKind::parse(k.code()), Some(k));
            assert_eq!(InitiativeKind::from_code(k.code()), k);
            assert_eq!(InitiativeKind::parse(k.label()), Some(k));
        }
    }

    #[test]
    fn lists_are_complete_and_ratings_are_offered_best_first() {
        assert_eq!(Rating::ALL.len(), 4);
        assert!(Rating::ALL.windows(2).all(|w| w[0] > w[1]));
        assert!(DisciplineLevel::ALL.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(Rating::HoanThanhTot.title(), "Hoàn thành tốt nhiệm vụ");
        assert_eq!(Scope::CapTinh.title(), "Bộ, ban, ngành, tỉnh");
    }
}
