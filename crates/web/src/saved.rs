//! One-shot confirmations after a save (issue 15 item 8): a handler
//! redirects with `?luu=CODE` ([`crate::routes::saved`]) and the next page
//! shows the sentence; app.js then drops the flag from the address, so a
//! reload does not say it again. A fixed table, so that a link cannot put
//! words of its own on the page (no names, no numbers typed by anyone); no
//! cookie and no database. Every successful form post that changes
//! something answers with one of these (tests/it/confirmations.rs performs
//! each and looks for its sentence).

/// `(code, sentence)`: the code goes in the address, the sentence on the
/// page. Codes are part of addresses people bookmark by accident: keep them.
pub const SAVED: &[(&str, &str)] = &[
    // cụm, khối: set-up, reports, review (routes/cluster_setup, clusters)
    ("chung", "Đã lưu thông tin chung."),
    ("thanh-vien", "Đã lưu danh sách thành viên."),
    ("quy-che", "Đã lưu quy chế."),
    ("van-ban", "Đã lưu văn bản tải lên."),
    ("chi-tieu", "Đã lưu chỉ tiêu."),
    ("dang-ky", "Đã lưu chỉ tiêu đăng ký của các thành viên."),
    ("ky", "Đã lưu ngày ký giao ước."),
    ("han", "Đã lưu hạn báo cáo."),
    ("so-lieu", "Đã lưu số liệu báo cáo."),
    ("tep", "Đã lưu số liệu từ tệp Excel."),
    ("du-thao", "Đã lưu dự thảo báo cáo."),
    ("cum", "Đã tạo cụm, khối."),
    // đơn vị, cán bộ (routes/units, people, eligibility)
    ("don-vi", "Đã tạo đơn vị."),
    ("sap-xep", "Đã ghi nhận việc sắp xếp đơn vị."),
    ("ca-nhan", "Đã thêm cán bộ, cá nhân."),
    ("chuyen-don-vi", "Đã chuyển đơn vị công tác."),
    ("chuc-vu", "Đã lưu chức vụ."),
    ("xoa-chuc-vu", "Đã xóa chức vụ."),
    ("xep-loai", "Đã lưu kết quả xếp loại."),
    ("ky-luat", "Đã ghi nhận kỷ luật."),
    ("sang-kien", "Đã ghi nhận sáng kiến."),
    ("danh-gia", "Đã lưu kết quả đánh giá."),
    ("huy-ban-ghi", "Đã hủy bản ghi."),
    // phong trào (routes/movements)
    ("phong-trao", "Đã tạo phong trào thi đua."),
    ("dang-ky-pt", "Đã lưu đăng ký thi đua."),
    // chấm điểm (routes/scoring)
    ("bang-tieu-chi", "Đã lưu bảng tiêu chí chấm điểm."),
    ("dot-cham", "Đã mở đợt chấm điểm."),
    ("tu-cham", "Đã lưu điểm tự chấm."),
    ("cham-cheo", "Đã lưu điểm chấm chéo."),
    ("dieu-chinh", "Đã lưu điểm cộng, trừ."),
    ("dong-dot", "Đã khóa đợt chấm điểm và xếp hạng."),
    // bỏ phiếu kín (routes/ballots); a vote answers with its receipt page
    ("cuoc-bo-phieu", "Đã tạo cuộc bỏ phiếu kín."),
    (
        "ket-thuc-bo-phieu",
        "Đã kết thúc cuộc bỏ phiếu và lập biên bản kiểm phiếu.",
    ),
    // hội đồng (routes/councils)
    ("thanh-vien-hd", "Đã thêm thành viên hội đồng."),
    (
        "thoi-thanh-vien-hd",
        "Đã ghi ngày thôi làm thành viên hội đồng.",
    ),
    ("phien-hop", "Đã tạo phiên họp hội đồng."),
    ("co-mat", "Đã lưu danh sách thành viên có mặt."),
    ("mo-bieu-quyet", "Đã mở biểu quyết."),
    ("ket-thuc-phien", "Đã kết thúc phiên họp."),
    // danh sách đề nghị (routes/proposals)
    ("danh-sach-de-nghi", "Đã tạo danh sách đề nghị khen thưởng."),
    ("them-de-nghi", "Đã thêm vào danh sách đề nghị."),
    ("bo-de-nghi", "Đã bỏ khỏi danh sách đề nghị."),
    ("phieu-hoi-dong", "Đã lưu kết quả bỏ phiếu của hội đồng."),
    ("gui-danh-sach", "Đã gửi danh sách đề nghị lên cấp trên."),
    // hồ sơ (routes/dossier): one sentence per step of the flow
    ("ho-so", "Đã tạo hồ sơ khen thưởng."),
    ("ho-so-tu-danh-sach", "Đã lập hồ sơ từ danh sách đề nghị."),
    ("gui-ho-so", "Đã gửi hồ sơ lên cấp trên."),
    ("tra-ho-so", "Đã trả hồ sơ để bổ sung."),
    ("tu-choi-ho-so", "Đã từ chối hồ sơ."),
    ("tham-dinh", "Đã ghi kết quả thẩm định."),
    ("trinh-khen", "Đã ghi đề xuất hình thức khen thưởng."),
    ("tep-ho-so", "Đã thêm tệp vào hồ sơ."),
    ("bao-cao-ho-so", "Đã lưu báo cáo thành tích vào hồ sơ."),
    // công khai (routes/disclosure)
    ("cong-khai", "Đã đăng công khai danh sách."),
    ("y-kien", "Đã xử lý ý kiến."),
    // quyết định, quỹ, khen thưởng (routes/decisions, revocation, award_import)
    ("du-thao-qd", "Đã tạo dự thảo quyết định."),
    ("sua-qd", "Đã lưu dự thảo quyết định."),
    ("xoa-qd", "Đã xóa dự thảo quyết định."),
    ("ban-hanh", "Đã ký, ban hành quyết định."),
    ("thu-quy", "Đã ghi khoản thu vào quỹ thi đua, khen thưởng."),
    ("thu-hoi", "Đã thu hồi khen thưởng."),
    ("dinh-chinh", "Đã đính chính khen thưởng."),
    ("nhan-tep", "Đã nhận tệp; việc nhập đang chạy."),
];

/// The confirmation a page's address asks for, if it is one of [`SAVED`];
/// an unknown code says nothing.
#[must_use]
pub fn message(path: &str) -> Option<&'static str> {
    let query = path.split_once('?')?.1;
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    let code = query.split('&').find_map(|kv| kv.strip_prefix("luu="))?;
    SAVED.iter().find(|(c, _)| *c == code).map(|(_, m)| *m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_sentences_vietnamese() {
        let mut seen = std::collections::BTreeSet::new();
        for (code, sentence) in SAVED {
            assert!(seen.insert(*code), "mã {code} lặp");
            assert!(
                code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{code}"
            );
            assert!(
                sentence.starts_with("Đã ") && sentence.ends_with('.'),
                "{sentence}"
            );
        }
    }

    #[test]
    fn only_a_known_code_speaks() {
        assert_eq!(message("/x?luu=cum"), Some("Đã tạo cụm, khối."));
        assert_eq!(
            message("/x?a=1&luu=ho-so"),
            Some("Đã tạo hồ sơ khen thưởng.")
        );
        assert_eq!(message("/x?luu=khong-co"), None);
        assert_eq!(message("/x?luu=<b>"), None);
        assert_eq!(message("/x"), None);
    }
}
