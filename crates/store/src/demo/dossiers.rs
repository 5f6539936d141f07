//! Demo dossiers (issue 14), at several stages, dated from today so that the
//! overdue one stays overdue: a Bằng khen của Thủ tướng waiting at Cần Thơ
//! for sixty days (30 working days allowed, khoản 3 Điều 35 NĐ 152/2025), a
//! Bằng khen of the city returned to Sở Nội vụ for supplement, one ready for
//! the city chairman's decision, a Huân chương at Bộ Nội vụ, and a draft.
//! Their files are small PDFs put in the installation's file store.

use tdkt_core::access::{Principal, Role};
use tdkt_core::catalogue::Recipient;
use tdkt_core::{date, DomainError};
use time::Duration;

use crate::attachments::{Attachments, Owner};
use crate::dossiers::{DossierAction, NewDossier, NewRecipient};
use crate::{Result, Store};

/// An officer of the level `code`, as the demo's acts are signed.
async fn officer(store: &Store, code: &str, username: &str) -> Result<Principal> {
    Ok(Principal {
        user_id: 0,
        username: username.to_owned(),
        full_name: username.to_owned(),
        role: Role::Officer,
        scope_unit: Some(store.unit_by_code(code).await?.id),
    })
}

async fn attach_all(store: &Store, files: &Attachments, id: i64, skip: &[&str]) -> Result<()> {
    for item in store.dossier_view(id).await?.checklist {
        if skip.contains(&item.code.as_str()) {
            continue;
        }
        let body = format!(
            "%PDF-1.4\n% tdkt demo: {} (ho so #{id})\n%%EOF\n",
            item.code
        );
        files
            .put(
                store,
                super::ACTOR,
                Owner {
                    kind: "dossier",
                    id,
                    document: &item.code,
                },
                &format!("{}.pdf", item.code),
                body.into_bytes(),
            )
            .await?;
    }
    Ok(())
}

/// A session of Cần Thơ's council on `held_on` with dossier `id` on its
/// agenda: everyone present, everyone votes yes, closed.
async fn council_votes(store: &Store, id: i64, held_on: time::Date) -> Result<()> {
    use std::collections::{BTreeMap, BTreeSet};
    let unit = super::load_council(store).await?;
    let session = store
        .create_council_session(
            super::ACTOR,
            &crate::councils::NewSession {
                unit_id: unit,
                held_on,
                place: "Trụ sở UBND thành phố Cần Thơ".to_owned(),
                dossiers: vec![id],
            },
        )
        .await?;
    let view = store.council_session_view(session).await?;
    let all: BTreeSet<i64> = view.attendance.iter().map(|(m, _)| m.id).collect();
    store
        .set_council_attendance(super::ACTOR, session, &all)
        .await?;
    let ballot = store.open_council_vote(super::ACTOR, session).await?;
    for (m, _) in &view.attendance {
        let marks = BTreeMap::from([(tdkt_core::scoring::MemberId(format!("hs-{id}")), true)]);
        store
            .cast_vote(ballot, m.user_id, tdkt_core::ballot::Content::YesNo(marks))
            .await?;
    }
    store.close_council_session(super::ACTOR, session).await?;
    Ok(())
}

/// Publishes dossier `id` for public comment from `from` for the shortest
/// window the catalogue allows.
async fn disclose(store: &Store, city: &Principal, id: i64, from: time::Date) -> Result<i64> {
    store
        .publish_disclosure(
            city,
            &crate::disclosures::NewDisclosure {
                title: "Công khai danh sách đề nghị khen thưởng cấp Nhà nước".to_owned(),
                starts_on: from,
                ends_on: None,
                dossiers: vec![(
                    id,
                    "Hoàn thành xuất sắc nhiệm vụ nhiều năm liền; có sáng kiến được công nhận cấp thành phố."
                        .to_owned(),
                )],
            },
            from,
        )
        .await
}

async fn person(store: &Store, cccd: &str) -> Result<i64> {
    Ok(store
        .person_by_cccd(cccd)
        .await?
        .ok_or_else(|| DomainError::invalid("cccd", format!("demo: không có CCCD {cccd}")))?
        .id)
}

/// Loads the demo dossiers; call after [`super::load`].
///
/// # Errors
/// Any refusal by the store (the demo must satisfy every rule).
pub async fn load_dossiers(store: &Store, files: &Attachments) -> Result<()> {
    let today = date::today_vn();
    let ago = |days: i64| today - Duration::days(days);
    let year = today.year() - 1;
    let so_xd = officer(store, "can-tho.so-xay-dung", "vanthu.xaydung.ct").await?;
    let so_nv = officer(store, "can-tho.so-noi-vu", "vanthu.noivu.ct").await?;
    let so_tc = officer(store, "can-tho.so-tai-chinh", "vanthu.taichinh.ct").await?;
    let city = officer(store, "can-tho", "canbo.cantho").await?;
    let nhung = person(store, "092191938273").await?;
    let nam = person(store, "092085630226").await?;
    let new = |unit: &Principal, award: &str, kind, recipients, received| NewDossier {
        unit_id: unit.scope_unit.unwrap_or_default(),
        award_code: award.to_owned(),
        kind,
        year,
        title: String::new(),
        received_on: received,
        recipients,
        track: tdkt_core::dossier::Track::Regular,
        acted_on: None,
        facts: Vec::new(),
    };

    // overdue: at the city for sixty days
    let id = store
        .create_dossier(
            super::ACTOR,
            &new(
                &so_xd,
                "bang-khen-thu-tuong",
                Recipient::Individual,
                vec![NewRecipient::Person(nhung)],
                ago(62),
            ),
        )
        .await?;
    attach_all(store, files, id, &[]).await?;
    store
        .act_on_dossier(&so_xd, id, &DossierAction::Forward, ago(60))
        .await?;
    // published for comment from today, one comment received and approved
    let open = disclose(store, &city, id, today).await?;
    let comment = tdkt_core::dossier::disclosure::NewComment::parse(
        Some("Nguyễn Văn Tâm"),
        None,
        "Đồng chí Nhung làm việc tận tụy, được người dân trong phường tín nhiệm.",
    )?;
    if let crate::disclosures::Posted::Stored(c) = store
        .post_comment(open, id, &comment, "demo", time::OffsetDateTime::now_utc())
        .await?
    {
        store
            .moderate_comment(&city, c, &crate::disclosures::Moderation::Approve)
            .await?;
    }

    // returned for supplement
    let id = store
        .create_dossier(
            super::ACTOR,
            &new(
                &so_nv,
                "bang-khen-cap-tinh",
                Recipient::Individual,
                vec![NewRecipient::Person(nam)],
                ago(20),
            ),
        )
        .await?;
    attach_all(store, files, id, &[]).await?;
    store
        .act_on_dossier(&so_nv, id, &DossierAction::Forward, ago(18))
        .await?;
    store
        .act_on_dossier(
            &city,
            id,
            &DossierAction::Return {
                missing: vec![
                    "Báo cáo thành tích chưa có xác nhận của Giám đốc Sở Nội vụ".to_owned(),
                    "Biên bản họp Hội đồng TĐKT của Sở thiếu chữ ký thư ký".to_owned(),
                ],
            },
            ago(10),
        )
        .await?;

    // ready for the city chairman's decision
    let tc = store.unit_by_code("can-tho.so-tai-chinh").await?.id;
    let id = store
        .create_dossier(
            super::ACTOR,
            &new(
                &so_tc,
                "bang-khen-cap-tinh",
                Recipient::Collective,
                vec![NewRecipient::Unit(tc)],
                ago(15),
            ),
        )
        .await?;
    attach_all(store, files, id, &[]).await?;
    store
        .act_on_dossier(&so_tc, id, &DossierAction::Forward, ago(14))
        .await?;
    store
        .act_on_dossier(
            &city,
            id,
            &DossierAction::Appraise {
                favourable: true,
                notes: "Tập thể hai năm liền hoàn thành xuất sắc nhiệm vụ; đủ tiêu chuẩn Bằng khen của Chủ tịch UBND thành phố.".to_owned(),
            },
            ago(7),
        )
        .await?;
    store
        .act_on_dossier(&city, id, &DossierAction::Forward, ago(7))
        .await?;

    // a Huân chương at Bộ Nội vụ
    let xd = store.unit_by_code("can-tho.so-xay-dung").await?.id;
    let id = store
        .create_dossier(
            super::ACTOR,
            &new(
                &so_xd,
                "huan-chuong-lao-dong-hang-ba",
                Recipient::Collective,
                vec![NewRecipient::Unit(xd)],
                ago(40),
            ),
        )
        .await?;
    attach_all(store, files, id, &[]).await?;
    store
        .act_on_dossier(&so_xd, id, &DossierAction::Forward, ago(38))
        .await?;
    // published for 10 working days (khoản 2 Điều 44 NĐ 152/2025/NĐ-CP),
    // then Cần Thơ's council votes on it before it goes up (khoản 5 Điều
    // 33), all three members present and for
    disclose(store, &city, id, ago(36)).await?;
    council_votes(store, id, ago(6)).await?;
    store
        .act_on_dossier(&city, id, &DossierAction::Forward, ago(5))
        .await?;

    // a draft still missing its council minutes
    let id = store
        .create_dossier(
            super::ACTOR,
            &new(
                &so_xd,
                "chien-si-thi-dua-co-so",
                Recipient::Individual,
                vec![NewRecipient::Person(nhung)],
                today,
            ),
        )
        .await?;
    attach_all(store, files, id, &["bien-ban-hoi-dong-co-so"]).await?;
    // a unit's proposal list for the same title, submitted (`proposals.rs`)
    super::proposals::load_proposals(store).await?;
    // the year's movement and cluster reports (`demo/year.rs`)
    super::year::load_year(store).await
}
