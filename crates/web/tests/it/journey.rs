//! The second half of a TĐKT year end to end, over HTTP, on both backends
//! (issue 14, "done when"): a Bằng khen của Thủ tướng Chính phủ for a
//! public servant of Sở Xây dựng Cần Thơ (the city after the 2025 merger)
//! climbs Sở → thành phố → Bộ Nội vụ with one return for supplement; the
//! city publishes the candidate, a citizen comments, the officer moderates;
//! the city's council votes on its whole membership; Bộ Nội vụ appraises
//! and readies it; the Prime Minister's decision is recorded with its
//! reward money; the certificate verifies publicly; a revocation flips the
//! verification page.

use axum::http::StatusCode;
use tdkt_core::certificate::seal;
use tdkt_web::testing::{Client, TestApp, TestResponse};

/// Bùi Thị Hồng Nhung, Sở Xây dựng Cần Thơ (demo people).
const PERSON: &str = "092191938273";
const NAME: &str = "Bùi Thị Hồng Nhung";

async fn accounts(app: &TestApp) {
    for (username, full_name, scope) in [
        ("canbo.soxd", "Cán bộ Sở Xây dựng", "can-tho.so-xay-dung"),
        ("canbo.bnv", "Chuyên viên Vụ TĐKT, Bộ Nội vụ", "bo-noi-vu"),
    ] {
        app.db.add_officer(username, full_name, scope).await;
    }
}

fn see_other(r: &TestResponse, what: &str) {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{what}: {}", r.body);
}

async fn act(c: &mut Client<'_>, url: &str, fields: &[(&str, &str)], what: &str) {
    let r = c.post_form(&format!("{url}/act"), fields).await;
    see_other(&r, what);
}

async fn upload(c: &mut Client<'_>, url: &str, document: &str) {
    let today = tdkt_core::date::format_vn(tdkt_core::date::today_vn());
    let r = c
        .post_file(
            &format!("{url}/files"),
            &[("document", document), ("report_date", &today)],
            &format!("{document}.pdf"),
            format!("%PDF-1.7\n% {document}\n%%EOF\n").as_bytes(),
        )
        .await;
    see_other(&r, document);
}

#[tokio::test]
async fn a_prime_ministers_bang_khen_goes_from_a_can_tho_department_to_a_verified_and_revoked_certificate(
) {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    accounts(&app).await;

    // ── Sở Xây dựng opens the dossier and submits it
    let mut so = app.login("canbo.soxd").await;
    let r = so
        .post_form(
            "/dossiers",
            &[
                ("unit", "can-tho.so-xay-dung"),
                ("award", "bang-khen-thu-tuong"),
                ("kind", "individual"),
                ("year", "2025"),
                ("received_on", "03/11/2026"),
                ("title", "Bằng khen của Thủ tướng Chính phủ năm 2025"),
                ("recipients", PERSON),
            ],
        )
        .await;
    see_other(&r, "create");
    let url = r.landing().unwrap().to_owned();
    let id: i64 = url.rsplit('/').next().unwrap().parse().unwrap();
    let route: Vec<String> = store
        .dossier_steps(id)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.unit_code)
        .collect();
    assert_eq!(route, ["can-tho.so-xay-dung", "can-tho", "bo-noi-vu"]);
    // the department drafts the achievement report from tdkt's records and
    // saves it dated today; the tờ trình and the council minutes are the
    // city's, due before it submits (Điều 36)
    let draft = so.get(&format!("{url}/report")).await;
    assert_eq!(draft.status, StatusCode::OK, "{}", draft.body);
    assert!(draft.body.contains(NAME), "{}", draft.body);
    let recipient = draft
        .body
        .split("name=\"recipient\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let today = tdkt_core::date::format_vn(tdkt_core::date::today_vn());
    let r = so
        .post_form(
            &format!("{url}/report"),
            &[
                ("recipient", recipient.as_str()),
                ("report_date", today.as_str()),
                ("report_text", "I. SƠ LƯỢC LÝ LỊCH\nChuyên viên Sở Xây dựng.\nII. THÀNH TÍCH ĐẠT ĐƯỢC\nNăm 2024, 2025: hoàn thành xuất sắc nhiệm vụ."),
            ],
        )
        .await;
    see_other(&r, "report");
    act(&mut so, &url, &[("action", "forward")], "submit").await;

    // ── the city returns it once for supplement; it comes back to the Sở
    let mut city = app.login("canbo.cantho").await;
    act(
        &mut city,
        &url,
        &[
            ("action", "return"),
            (
                "missing",
                "Báo cáo thành tích chưa có xác nhận của thủ trưởng",
            ),
        ],
        "return",
    )
    .await;
    let page = so.get(&url).await;
    assert!(page.body.contains("trả lại để bổ sung"), "{}", page.body);
    // the timeline reads in Việt Nam time (dd/mm/yyyy hh:mm), not UTC
    assert!(!page.body.contains(" UTC"), "{}", page.body);
    upload(&mut so, &url, "bao-cao-thanh-tich").await;
    act(&mut so, &url, &[("action", "forward")], "resubmit").await;
    let page = city.get(&url).await;
    assert!(page.body.contains("Thành phố Cần Thơ") || page.body.contains("Cần Thơ"));

    // ── the city publishes the candidate; a citizen comments; the officer
    // approves the comment for display
    let summary = format!("summary_{id}");
    let r = city
        .post_form(
            "/disclosures",
            &[
                (
                    "title",
                    "Công khai danh sách đề nghị Bằng khen của Thủ tướng Chính phủ",
                ),
                ("starts_on", ""),
                ("ends_on", ""),
                ("dossier", &id.to_string()),
                (
                    &summary,
                    "Ba năm liền hoàn thành xuất sắc nhiệm vụ; một sáng kiến cấp thành phố.",
                ),
            ],
        )
        .await;
    see_other(&r, "publish");
    let public_url = r.landing().unwrap().to_owned();
    let mut anon = app.client();
    anon.ensure_csrf().await;
    let comment = "Đồng chí Nhung tận tụy, được nhân dân phường tín nhiệm.";
    let r = anon
        .post_form(
            &format!("{public_url}/y-kien"),
            &[
                ("dossier", &id.to_string()),
                ("comment", comment),
                ("author", "Trần Văn Bình"),
            ],
        )
        .await;
    see_other(&r, "comment");
    assert!(
        !anon.get(&public_url).await.body.contains(comment),
        "pending"
    );

    // ── the city's council: not before the comment is handled
    let council = tdkt_store::demo::load_council(store).await.unwrap();
    let today = tdkt_core::date::format_vn(tdkt_core::date::today_vn());
    let dossier_field = id.to_string();
    let session_form = [
        ("held_on", today.as_str()),
        ("place", "Trụ sở UBND thành phố Cần Thơ"),
        ("dossier", dossier_field.as_str()),
    ];
    let r = city
        .post_form("/councils/can-tho/sessions", &session_form)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("chưa xử lý"), "{}", r.body);
    let c = store.dossier_comments(id).await.unwrap().remove(0);
    see_other(
        &city
            .post_form(
                &format!("/disclosures/comments/{}", c.id),
                &[("decision", "approve")],
            )
            .await,
        "approve",
    );
    assert!(anon.get(&public_url).await.body.contains(comment));

    // the forward waits for the council's vote
    let r = city
        .post_form(&format!("{url}/act"), &[("action", "forward")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

    let r = city
        .post_form("/councils/can-tho/sessions", &session_form)
        .await;
    see_other(&r, "session");
    let session = r.landing().unwrap().to_owned();
    let members: Vec<String> = store
        .council_members(council, tdkt_core::date::today_vn())
        .await
        .unwrap()
        .iter()
        .map(|m| m.id.to_string())
        .collect();
    let present: Vec<(&str, &str)> = members.iter().map(|m| ("present", m.as_str())).collect();
    see_other(
        &city
            .post_form(&format!("{session}/attendance"), &present)
            .await,
        "attendance",
    );
    see_other(
        &city.post_form(&format!("{session}/open"), &[]).await,
        "open",
    );
    let session_id: i64 = session.rsplit('/').next().unwrap().parse().unwrap();
    let ballot = store
        .council_session(session_id)
        .await
        .unwrap()
        .ballot_id
        .unwrap();
    for member in ["hoidong.cantho", "xem.cantho", "canbo.cantho"] {
        let mut m = app.login(member).await;
        let r = m
            .post_form(&format!("/ballots/{ballot}/vote"), &[("yn-0", "yes")])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{member}: {}", r.body);
    }
    see_other(
        &city.post_form(&format!("{session}/close"), &[]).await,
        "close",
    );
    let minutes = city.get(&format!("{session}/minutes")).await;
    assert!(
        minutes
            .body
            .contains("tính trên tổng số thành viên Hội đồng"),
        "{}",
        minutes.body
    );
    assert!(
        minutes.body.contains("1 ý kiến được chấp nhận"),
        "{}",
        minutes.body
    );

    // the passed vote answers the council-minutes item; the city still owes
    // its tờ trình
    let r = city
        .post_form(&format!("{url}/act"), &[("action", "forward")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Tờ trình"), "{}", r.body);
    assert!(!r.body.contains("Biên bản"), "{}", r.body);
    upload(&mut city, &url, "to-trinh").await;
    act(&mut city, &url, &[("action", "forward")], "city forwards").await;

    // ── Bộ Nội vụ appraises and readies it for the Prime Minister
    let mut bnv = app.login("canbo.bnv").await;
    act(
        &mut bnv,
        &url,
        &[
            ("action", "appraise"),
            ("favourable", "yes"),
            (
                "notes",
                "Đủ điều kiện, tiêu chuẩn theo Điều 71 Luật TĐKT 2022",
            ),
        ],
        "appraise",
    )
    .await;
    act(&mut bnv, &url, &[("action", "forward")], "ready").await;
    assert_eq!(store.dossier(id).await.unwrap().status, "ready");

    // ── the Prime Minister's decision, recorded by the administrator
    store
        .set_decision_authority(
            "test",
            store.unit_by_code("trung-uong").await.unwrap().id,
            &tdkt_store::decisions::AuthorityInput {
                abbreviation: "TTg".into(),
                body: "Thủ tướng Chính phủ".into(),
                parent_body: String::new(),
                place: "Hà Nội".into(),
                signer_title: "THỦ TƯỚNG".into(),
            },
        )
        .await
        .unwrap();
    let list = format!(
        "Loại đối tượng,Số CCCD,Mã đơn vị,Họ tên,Danh hiệu,Năm thành tích,Thành tích\n\
         cá nhân,{PERSON},can-tho.so-xay-dung,{NAME},bang-khen-thu-tuong,2025,Có thành tích xuất sắc trong công tác xây dựng\n"
    );
    let dossier_id = id.to_string();
    let fields = |authority: &'static str| {
        vec![
            ("authority", authority),
            ("number", "1520"),
            ("decided_on", "2026-11-20"),
            ("signer_name", "Phạm Minh Chính"),
            ("signer_title", "THỦ TƯỚNG"),
            ("title", "Về việc tặng Bằng khen của Thủ tướng Chính phủ"),
            (
                "bases",
                "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
            ),
        ]
    };
    // the city cannot record the Prime Minister's award as its own decision
    let mut own = fields("can-tho");
    own.extend([
        ("dossier_id", dossier_id.as_str()),
        ("recipients", list.as_str()),
    ]);
    let r = city.post_form("/decisions", &own).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("không thuộc thẩm quyền"), "{}", r.body);

    let mut admin = app.login("admin").await;
    let r = admin
        .post_form(
            "/decisions",
            &[
                ("authority", "trung-uong"),
                ("number", "1520"),
                ("decided_on", "2026-11-20"),
                ("signer_name", "Phạm Minh Chính"),
                ("signer_title", "THỦ TƯỚNG"),
                ("title", "Về việc tặng Bằng khen của Thủ tướng Chính phủ"),
                (
                    "bases",
                    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
                ),
                ("dossier_id", &dossier_id),
                ("recipients", &list),
            ],
        )
        .await;
    see_other(&r, "draft decision");
    let decision = r.landing().unwrap().to_owned();
    // the centre's fund holds no receipt in the demo: the draft warns that
    // issuing takes it below zero, and still may be issued
    let draft = admin.get(&decision).await;
    assert!(draft.body.contains("quỹ âm 8.860.000 đ"), "{}", draft.body);
    see_other(
        &admin.post_form(&format!("{decision}/issue"), &[]).await,
        "issue",
    );
    assert_eq!(store.dossier(id).await.unwrap().status, "decided");
    // 3,5 × 2.530.000 đ (base salary from 01/7/2026) = 8.855.000 đ, rounded
    // up to the next 10.000 đ (Điều 49–55 NĐ 152/2025/NĐ-CP)
    let page = admin.get(&decision).await;
    assert!(page.body.contains("1520/QĐ-TTg"), "{}", page.body);
    assert!(page.body.contains("8.860.000"), "{}", page.body);
    assert!(page.body.contains(&format!("href=\"/dossiers/{id}\"")));

    // ── the registry shows the award, found without diacritics
    let record = store
        .records_of_decision("1520/QĐ-TTg")
        .await
        .unwrap()
        .remove(0);
    let found = city.get("/search?q=bui+thi+hong+nhung").await;
    assert!(found.body.contains("1520/QĐ-TTg"), "{}", found.body);

    // ── the certificate verifies on the public page
    let pdf = city
        .get(&format!("/awards/{}/certificate.pdf", record.id))
        .await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
    let key = store.secrets().certificate_public_key();
    let code = seal::verify(&pdf.bytes, &key).unwrap().remove(0);
    let public = anon.get(&format!("/xac-minh/{code}")).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("Còn hiệu lực"), "{}", public.body);
    assert!(public.body.contains(NAME));
    assert!(!public.body.contains(PERSON));

    // ── a revocation flips it
    let r = admin
        .post_form(
            &format!("/awards/{}/revoke", record.id),
            &[
                ("ground", "lam-gia-ho-so"),
                ("decision_no", "1710/QĐ-TTg"),
                ("decision_date", "2026-12-01"),
                ("reason", "Báo cáo thành tích kê khai không đúng sự thật"),
            ],
        )
        .await;
    see_other(&r, "revoke");
    let public = anon.get(&format!("/xac-minh/{code}")).await;
    assert!(public.body.contains("Đã bị hủy bỏ"), "{}", public.body);
    assert!(public.body.contains("1710/QĐ-TTg"));
    assert!(!public.body.contains("Còn hiệu lực"));
}
