//! The levels a dossier climbs: from the unit that opens it, up the org tree
//! as it stood on the day, to the level that decides (or, for state-level
//! awards, through the province or ministry to Bộ Nội vụ, which appraises
//! and submits to the Prime Minister or the President).
//!
//! Which unit decides follows the award's [`Authority`] in the catalogue and
//! the class of each unit in the chain ([`LevelClass`], from the unit's kind):
//! - *cơ sở* awards: the nearest head of an agency, unit or commune
//!   (khoản 1 Điều 80 Luật TĐKT 2022); after the two-tier reform the commune
//!   chairman decides LĐTT, CSTĐ cơ sở, TTLĐTT, the cultural titles and the
//!   Giấy khen (Điều 59 NĐ 129/2025/NĐ-CP, from 01/7/2025); before it, a
//!   commune chairman decided only LĐTT, Giấy khen and Gia đình văn hóa
//!   (khoản 3 Điều 80 Luật TĐKT 2022) and the rest went to the district
//!   (khoản 2 Điều 80);
//! - province or ministry awards (Bằng khen, Cờ, CSTĐ cấp tỉnh): the nearest
//!   province, centrally-run city or ministry;
//! - state-level awards: that province or ministry, then Bộ Nội vụ
//!   (Điều 35, 36–42 NĐ 152/2025/NĐ-CP).

use serde::{Deserialize, Serialize};
use time::Date;

use crate::catalogue::{Authority, Award};
use crate::error::DomainError;
use crate::org::UnitId;

/// What a unit is, for routing and deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LevelClass {
    /// Phòng, tổ: inside an agency, never a level of its own.
    Subunit,
    /// Cơ quan, đơn vị, sở, ban, ngành: a head who gives *cơ sở* awards.
    Grassroots,
    /// Xã, phường, đặc khu.
    Commune,
    /// Quận, huyện, thị xã (until 30/6/2025).
    District,
    /// Tỉnh, thành phố trực thuộc Trung ương.
    Province,
    /// Bộ, ban, ngành Trung ương.
    Ministry,
    /// Bộ Nội vụ (Ban Thi đua - Khen thưởng Trung ương): appraises
    /// state-level dossiers.
    HomeAffairs,
    /// Trung ương: the root of the tree, not a level.
    Central,
}

/// The unit code of Bộ Nội vụ in the org tree.
pub const HOME_AFFAIRS_CODE: &str = "bo-noi-vu";

impl LevelClass {
    /// The class of a unit from its code, kind and the kind's rank (0 at the
    /// root): the kinds shipped with the demo and the usual Vietnamese
    /// names; any other kind of rank 4 or more is a subunit, of lower rank a
    /// grassroots agency.
    #[must_use]
    pub fn of_unit(code: &str, kind: &str, rank: i64) -> Self {
        if code == HOME_AFFAIRS_CODE {
            return Self::HomeAffairs;
        }
        match kind {
            "trung-uong" => Self::Central,
            "tinh" | "thanh-pho-tw" => Self::Province,
            "bo-nganh" => Self::Ministry,
            "xa" | "phuong" | "dac-khu" => Self::Commune,
            "huyen" | "quan" | "thi-xa" => Self::District,
            _ if rank >= 4 => Self::Subunit,
            _ => Self::Grassroots,
        }
    }

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Subunit => "subunit",
            Self::Grassroots => "grassroots",
            Self::Commune => "commune",
            Self::District => "district",
            Self::Province => "province",
            Self::Ministry => "ministry",
            Self::HomeAffairs => "home-affairs",
            Self::Central => "central",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Subunit => "phòng, tổ",
            Self::Grassroots => "cơ quan, đơn vị",
            Self::Commune => "cấp xã",
            Self::District => "cấp huyện",
            Self::Province => "cấp tỉnh",
            Self::Ministry => "bộ, ban, ngành",
            Self::HomeAffairs => "Bộ Nội vụ",
            Self::Central => "Trung ương",
        }
    }
}

/// A unit of the chain a route is drawn from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteUnit {
    pub id: UnitId,
    pub code: String,
    pub name: String,
    pub class: LevelClass,
}

/// The levels of one dossier, lowest first; the last one decides (or, for
/// state-level awards, appraises and submits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Route {
    pub steps: Vec<RouteUnit>,
    /// Why the last level is the last.
    pub citation: &'static str,
}

/// Awards a commune chairman gave before the reform (khoản 3 Điều 80 Luật
/// TĐKT 2022).
const COMMUNE_BEFORE_REFORM: [&str; 3] = ["lao-dong-tien-tien", "giay-khen", "gia-dinh-van-hoa"];

/// Can a unit of `class` decide `award` (on a day after the reform or not)?
fn decides(award: &Award, reformed: bool, class: LevelClass) -> bool {
    use LevelClass as L;
    match (award.authority, class) {
        (Authority::CoSo | Authority::CapXa, L::Commune) => {
            // Điều 59 NĐ 129/2025/NĐ-CP; before it khoản 3 Điều 80 Luật TĐKT 2022
            reformed || COMMUNE_BEFORE_REFORM.contains(&award.code.as_str())
        }
        (Authority::CoSo | Authority::CapXa, L::District) => !reformed,
        (Authority::CoSo, L::Grassroots | L::Province | L::Ministry | L::HomeAffairs) => true,
        (
            Authority::CapTinh | Authority::ThuTuong | Authority::ChuTichNuoc,
            L::Province | L::Ministry,
        ) => true,
        _ => false,
    }
}

/// The route of a dossier for `award` opened by `chain[0]`, whose
/// ancestors on `on` follow nearest first; `home_affairs` is Bộ Nội vụ's
/// unit, needed for state-level awards.
///
/// # Errors
/// An empty chain, no unit in it that can decide the award, or a
/// state-level award without Bộ Nội vụ in the tree: the message names the
/// unit and the award.
pub fn route(
    award: &Award,
    chain: &[RouteUnit],
    home_affairs: Option<&RouteUnit>,
    on: Date,
) -> Result<Route, DomainError> {
    use LevelClass as L;
    let Some(origin) = chain.first() else {
        return Err(DomainError::invalid("unit", "Chưa chọn đơn vị lập hồ sơ."));
    };
    let reformed = on >= super::ND152_IN_FORCE;
    let citation = match award.authority {
        Authority::CoSo | Authority::CapXa if reformed => {
            "khoản 1 Điều 80 Luật TĐKT 2022; Điều 59 NĐ 129/2025/NĐ-CP (Chủ tịch UBND cấp xã từ 01/7/2025)"
        }
        Authority::CoSo | Authority::CapXa => {
            "khoản 1, 2, 3 Điều 80 Luật TĐKT 2022 (trước 01/7/2025)"
        }
        Authority::CapTinh | Authority::ThuTuong | Authority::ChuTichNuoc => {
            "Điều 35 NĐ 152/2025/NĐ-CP (bộ, ban, ngành, tỉnh xem xét, quyết định hoặc trình)"
        }
    };
    let Some(top) = chain.iter().position(|u| decides(award, reformed, u.class)) else {
        return Err(DomainError::invalid(
            "unit",
            format!(
                "Không tìm thấy cấp có thẩm quyền quyết định «{}» ({}) phía trên đơn vị «{}» vào ngày {}.",
                award.name,
                award.authority.label(),
                origin.name,
                crate::date::format_vn(on)
            ),
        ));
    };
    let mut steps: Vec<RouteUnit> = vec![origin.clone()];
    steps.extend(
        chain
            .get(1..=top)
            .unwrap_or_default()
            .iter()
            .filter(|u| !matches!(u.class, L::Subunit | L::Central))
            .cloned(),
    );
    if matches!(
        award.authority,
        Authority::ThuTuong | Authority::ChuTichNuoc
    ) {
        let Some(bnv) = home_affairs else {
            return Err(DomainError::invalid(
                "unit",
                format!(
                    "«{}» do {} quyết định qua Bộ Nội vụ, nhưng cây tổ chức chưa có đơn vị mã «{HOME_AFFAIRS_CODE}».",
                    award.name,
                    award.authority.label()
                ),
            ));
        };
        if steps.last().map(|s| s.id) != Some(bnv.id) {
            steps.push(bnv.clone());
        }
        return Ok(Route {
            steps,
            citation: "Điều 35, Điều 36–42 NĐ 152/2025/NĐ-CP (bộ, ban, ngành, tỉnh trình; Bộ Nội vụ thẩm định, trình Thủ tướng Chính phủ)",
        });
    }
    Ok(Route { steps, citation })
}
