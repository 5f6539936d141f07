//! A draft decision over HTTP: the annexed list uploaded as an XLSX or CSV
//! file (each bad row reported), the draft edited and deleted, an issued
//! decision refused both, a viewer refused the forms. Both backends.

use axum::http::StatusCode;
use tdkt_web::testing::TestApp;

fn today() -> String {
    tdkt_core::date::today_vn().to_string()
}

fn header<'a>(number: &'a str, today: &'a str, signer: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("authority", "can-tho"),
        ("number", number),
        ("decided_on", today),
        ("signer_name", signer),
        ("signer_title", "CHỦ TỊCH"),
        ("title", "Về việc tặng Giấy khen"),
        (
            "bases",
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        ),
        ("dossier_id", ""),
    ]
}

/// The list as a spreadsheet: a header row, then one row per recipient.
fn xlsx(rows: &[[&str; 6]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let head = [
        "Loại đối tượng",
        "Số CCCD",
        "Mã đơn vị",
        "Họ tên",
        "Danh hiệu",
        "Năm thành tích",
    ];
    for (r, row) in std::iter::once(&head).chain(rows).enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(u32::try_from(r).unwrap(), u16::try_from(c).unwrap(), *v)
                .unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

async fn id_of(app: &TestApp, number: &str) -> i64 {
    app.db
        .store
        .decisions(false, None)
        .await
        .unwrap()
        .iter()
        .find(|d| d.number == number)
        .unwrap()
        .id
}

#[tokio::test]
async fn an_officer_uploads_the_list_as_xlsx_then_edits_and_deletes_the_draft() {
    let app = TestApp::demo().await;
    let mut ct = app.login("canbo.cantho").await;
    let today = today();
    let book = xlsx(&[
        [
            "cá nhân",
            "092085630226",
            "can-tho.so-noi-vu",
            "Đỗ Hoàng Nam",
            "giay-khen",
            "2025",
        ],
        [
            "tập thể",
            "",
            "can-tho.so-tai-chinh",
            "",
            "giay-khen",
            "2025",
        ],
    ]);
    let created = ct
        .post_file(
            "/decisions/upload",
            &header("16", &today, "Nguyễn Văn B"),
            "ds.xlsx",
            &book,
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id = id_of(&app, "16/QĐ-UBND").await;
    assert_eq!(app.db.store.decision_lines(id).await.unwrap().len(), 2);
    let page = ct.get(&format!("/decisions/{id}")).await;
    assert!(
        page.body.contains(&format!("/decisions/{id}/edit")),
        "{}",
        page.body
    );

    // a bad row in the file: reported by row and column, nothing saved
    let bad = xlsx(&[[
        "người ngoài",
        "092085630226",
        "can-tho.so-noi-vu",
        "Đỗ Hoàng Nam",
        "giay-khen",
        "2025",
    ]]);
    let refused = ct
        .post_file(
            "/decisions/upload",
            &header("17", &today, "Nguyễn Văn B"),
            "ds.xlsx",
            &bad,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"row-errors\""),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("người ngoài"), "{}", refused.body);
    assert!(app
        .db
        .store
        .decisions(false, None)
        .await
        .unwrap()
        .iter()
        .all(|d| d.number != "17/QĐ-UBND"));

    // edit: number and signer change, no new list given so the list stays
    let form = ct.get(&format!("/decisions/{id}/edit")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Nguyễn Văn B"));
    let edited = ct
        .post_file(
            &format!("/decisions/{id}/edit"),
            &header("18", &today, "Trần Văn C"),
            "",
            b"",
        )
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
    let d = app.db.store.decision(id).await.unwrap();
    assert_eq!(
        (d.number.as_str(), d.signer_name.as_str()),
        ("18/QĐ-UBND", "Trần Văn C")
    );
    assert_eq!(app.db.store.decision_lines(id).await.unwrap().len(), 2);
    // a new list pasted replaces it
    let mut with_list = header("18", &today, "Trần Văn C");
    let csv = "Loại đối tượng,Mã đơn vị,Danh hiệu,Năm thành tích\ntập thể,can-tho.so-tai-chinh,giay-khen,2025\n";
    with_list.push(("recipients", csv));
    let edited = ct
        .post_file(&format!("/decisions/{id}/edit"), &with_list, "", b"")
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
    assert_eq!(app.db.store.decision_lines(id).await.unwrap().len(), 1);

    let gone = ct.post_form(&format!("/decisions/{id}/delete"), &[]).await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER, "{}", gone.body);
    assert!(app.db.store.decision(id).await.is_err());
}

#[tokio::test]
async fn an_issued_decision_cannot_be_edited_or_deleted_and_a_viewer_cannot_try() {
    let app = TestApp::demo().await;
    let id = id_of(&app, "15/QĐ-UBND").await;
    let mut ct = app.login("canbo.cantho").await;
    let today = today();
    assert_eq!(
        ct.get(&format!("/decisions/{id}/edit")).await.status,
        StatusCode::CONFLICT
    );
    let edit = ct
        .post_file(
            &format!("/decisions/{id}/edit"),
            &header("99", &today, "Trần Văn C"),
            "",
            b"",
        )
        .await;
    assert_eq!(edit.status, StatusCode::CONFLICT, "{}", edit.body);
    assert!(edit.body.contains("đã ban hành"), "{}", edit.body);
    let delete = ct.post_form(&format!("/decisions/{id}/delete"), &[]).await;
    assert_eq!(delete.status, StatusCode::CONFLICT);
    assert!(app.db.store.decision(id).await.unwrap().issued());
    assert_eq!(
        app.db.store.decision(id).await.unwrap().number,
        "15/QĐ-UBND"
    );

    let mut viewer = app.login("xem.cantho").await;
    assert_eq!(
        viewer
            .post_form(&format!("/decisions/{id}/delete"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
