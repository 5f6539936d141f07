//! What the audit log's codes mean, in words an auditor reads: the stored
//! events keep short English codes (`award_record`, `revoke`), which are part
//! of each event's hash and never change; the log page shows these names.
//! A code without a name here is shown as the code itself, and a store test
//! fails until it has one.

/// The Vietnamese name of an audited kind of object, if it has one.
#[must_use]
pub fn entity(code: &str) -> Option<&'static str> {
    ENTITIES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// The Vietnamese name of an audited action, if it has one.
#[must_use]
pub fn action(code: &str) -> Option<&'static str> {
    ACTIONS.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// Every named kind of object, as (code, name), in the order a filter lists
/// them.
#[must_use]
pub fn entities() -> &'static [(&'static str, &'static str)] {
    ENTITIES
}

/// "Thu hồi · Bản ghi khen thưởng #12": the action, then the object.
#[must_use]
pub fn describe(entity_code: &str, action_code: &str) -> String {
    format!(
        "{} · {}",
        action(action_code).unwrap_or(action_code),
        entity(entity_code).unwrap_or(entity_code)
    )
}

const ENTITIES: &[(&str, &str)] = &[
    ("attachment", "Tệp đính kèm"),
    ("award_import", "Lần nhập khen thưởng"),
    ("award_record", "Bản ghi khen thưởng"),
    ("ballot", "Cuộc bỏ phiếu"),
    ("certificate", "Bằng, giấy chứng nhận"),
    ("cluster", "Cụm, khối thi đua"),
    ("cluster_member", "Thành viên cụm, khối"),
    ("cluster_settings", "Quy chế cụm, khối"),
    ("council_member", "Thành viên Hội đồng TĐKT"),
    ("council_session", "Phiên họp Hội đồng TĐKT"),
    ("decision", "Quyết định khen thưởng"),
    ("decision_authority", "Cơ quan ra quyết định"),
    ("disclosure", "Công khai lấy ý kiến"),
    ("disclosure_comment", "Ý kiến góp ý khi công khai"),
    ("discipline", "Kỷ luật"),
    ("document", "Văn bản"),
    ("dossier", "Hồ sơ đề nghị khen thưởng"),
    ("evaluation", "Đánh giá, xếp loại"),
    ("fund_entry", "Quỹ thi đua, khen thưởng"),
    ("indicator_submission", "Báo cáo chỉ tiêu"),
    ("initiative", "Sáng kiến"),
    ("lineage_event", "Sáp nhập, chia tách đơn vị"),
    ("movement", "Phong trào thi đua"),
    ("movement_registration", "Đăng ký thi đua"),
    ("nomination", "Đề cử"),
    ("org_unit", "Đơn vị"),
    ("person", "Cá nhân"),
    ("pledge_indicator", "Chỉ tiêu giao ước"),
    ("pledge_target", "Chỉ tiêu của thành viên"),
    ("position", "Chức vụ"),
    ("proposal_entry", "Dòng đề nghị"),
    ("proposal_list", "Danh sách đề nghị"),
    ("rating", "Danh hiệu, xếp loại năm"),
    ("reminder_mail", "Thư nhắc việc"),
    ("report_deadline", "Hạn báo cáo"),
    ("review_draft", "Dự thảo báo cáo sơ kết, tổng kết"),
    ("round_ranking", "Xếp hạng đợt chấm điểm"),
    ("rubric", "Bảng tiêu chí chấm điểm"),
    ("scoring_round", "Đợt chấm điểm"),
    ("session", "Phiên đăng nhập"),
    ("unit_kind", "Loại đơn vị"),
    ("user", "Tài khoản"),
];

const ACTIONS: &[(&str, &str)] = &[
    ("appraise", "Thẩm định"),
    ("attendance", "Điểm danh"),
    ("approve", "Chấp nhận, đăng công khai"),
    ("close", "Kết thúc"),
    ("configure", "Thiết lập"),
    ("correct", "Đính chính"),
    ("council_vote", "Hội đồng TĐKT bỏ phiếu"),
    ("create", "Tạo mới"),
    ("create_many", "Tạo hàng loạt"),
    ("decide", "Có quyết định khen thưởng"),
    ("delete", "Xóa"),
    ("dismiss", "Không chấp nhận"),
    ("forward", "Chuyển cấp trên"),
    ("import", "Nhập từ tệp"),
    ("issue", "Ban hành"),
    ("login", "Đăng nhập"),
    ("move", "Điều chuyển"),
    ("open_vote", "Mở bỏ phiếu"),
    ("propose", "Đề nghị"),
    ("position", "Cập nhật quá trình giữ chức vụ"),
    ("publish", "Công khai"),
    ("rank", "Xếp hạng"),
    ("reject", "Từ chối"),
    ("return", "Trả lại để bổ sung"),
    ("revoke", "Hủy bỏ"),
    ("save", "Lưu"),
    ("send", "Gửi thư"),
    ("set", "Đặt"),
    ("set_parent", "Đổi đơn vị cấp trên"),
    ("sign_pledge", "Ký giao ước"),
    ("submit", "Gửi"),
    ("update", "Cập nhật"),
    ("upload", "Tải lên"),
    ("void", "Vô hiệu"),
    ("vote", "Biểu quyết"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_every_name_is_written_in_vietnamese() {
        for list in [ENTITIES, ACTIONS] {
            let mut codes: Vec<&str> = list.iter().map(|(c, _)| *c).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), list.len());
            assert!(list.iter().all(|(_, n)| !n.is_empty()));
        }
        assert_eq!(
            describe("award_record", "revoke"),
            "Hủy bỏ · Bản ghi khen thưởng"
        );
        assert_eq!(describe("thing", "poke"), "poke · thing");
    }
}
