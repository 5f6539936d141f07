//! The demo's unit proposal list (issue 15): Sở Xây dựng Cần Thơ proposes
//! its specialist Bùi Thị Hồng Nhung for «Chiến sĩ thi đua cơ sở» of the
//! past year and submits the list. Submitting runs the rules in force on
//! every nominee, so she is given, through the store's own calls as the
//! unit's officer would enter it, the history Điều 23 Luật TĐKT 2022 asks
//! for: the year's rating «hoàn thành xuất sắc nhiệm vụ» (khoản 1: at least
//! «hoàn thành tốt»; khoản 2: «hoàn thành xuất sắc» or an initiative) and a
//! recognised initiative of the unit; her «Lao động tiên tiến» of that year
//! is in the registry already (`data/demo/awards.csv`). Her draft dossier
//! for the same title (`dossiers.rs`) is what a list submitted leads to.

use tdkt_core::catalogue::Recipient;
use tdkt_core::eligibility::{Rating, Scope};
use tdkt_core::DomainError;

use crate::proposals::NewProposalList;
use crate::ratings::{NewInitiative, Subject};
use crate::{Result, Store};

/// Nhung's CCCD (`data/demo/people.csv`).
const NOMINEE: &str = "092191938273";
const UNIT: &str = "can-tho.so-xay-dung";
const AWARD: &str = "chien-si-thi-dua-co-so";

/// Records the nominee's year and submits the list; returns its id.
///
/// # Errors
/// Any refusal by the store: the list must pass the rules' check.
pub async fn load_proposals(store: &Store) -> Result<i64> {
    let year = tdkt_core::date::today_vn().year() - 1;
    let person = store
        .person_by_cccd(NOMINEE)
        .await?
        .ok_or_else(|| DomainError::invalid("cccd", format!("demo: không có CCCD {NOMINEE}")))?
        .id;
    store
        .record_rating(
            super::ACTOR,
            Subject::Person(person),
            year,
            Rating::HoanThanhXuatSac,
            "Kết quả đánh giá, xếp loại công chức cuối năm",
        )
        .await?;
    let recognised_on = time::Date::from_calendar_date(year, time::Month::November, 20)
        .map_err(|e| DomainError::invalid("recognised_on", e.to_string()))?;
    store
        .record_initiative(
            super::ACTOR,
            &NewInitiative {
                person_id: person,
                kind: "sang-kien",
                title: "Số hóa quy trình cấp giấy phép xây dựng tại bộ phận một cửa".to_owned(),
                scope: Scope::CoSo,
                recognised_on,
                decision_no: "25/QĐ-SXD".to_owned(),
            },
        )
        .await?;
    let rules = crate::rules::current().eligibility();
    let unit = store.unit_by_code(UNIT).await?;
    let list = store
        .create_proposal_list(
            super::ACTOR,
            rules,
            &NewProposalList {
                unit_id: unit.id,
                year,
                award_code: AWARD,
                kind: Recipient::Individual,
                note: "Đề nghị theo kết quả bình xét của Hội đồng Thi đua - Khen thưởng Sở",
            },
        )
        .await?;
    store
        .add_proposal_entry(super::ACTOR, list.id, person)
        .await?;
    store
        .submit_proposal_list(super::ACTOR, rules, list.id)
        .await?;
    Ok(list.id)
}
