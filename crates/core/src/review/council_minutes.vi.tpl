# Câu mẫu biên bản họp Hội đồng Thi đua - Khen thưởng (biên bản xét khen
# thưởng, có kết quả bỏ phiếu kín), cùng cách viết với minutes.vi.tpl: mỗi
# dòng một khóa = câu mẫu; {tên} là chỗ điền; đặt câu trong "..." để giữ dấu
# cách ở đầu hoặc cuối. Khoản 5 Điều 33 NĐ 152/2025/NĐ-CP: kết quả và tỷ lệ
# phiếu đồng ý phải được thể hiện trong biên bản.

# Thể thức (Phụ lục I, mẫu biên bản Phụ lục III NĐ 30/2020/NĐ-CP): cơ quan
# ban hành (in hoa), số và ký hiệu (BB = biên bản; phòng văn thư ghi số), tên
# loại, trích yếu, nơi nhận, chữ ký.
title = Biên bản họp Hội đồng Thi đua - Khen thưởng
issuer = Hội đồng Thi đua - Khen thưởng {unit}
number = Số: ……/BB-HĐTĐKT
subject = Xét đề nghị khen thưởng
held = Thời gian: ngày {date}. Địa điểm: {place}.
heading.attendance = Thành phần dự họp
members = Tổng số thành viên Hội đồng: {members}; có mặt: {present}; vắng mặt: {absent}.
member.present = {name} — {role}: có mặt.
member.absent = {name} — {role}: vắng mặt.
quorum = Số thành viên dự họp tối thiểu: {num}/{den} tổng số thành viên Hội đồng, tức ít nhất {required} người ({citation}). Phiên họp đủ điều kiện bỏ phiếu.
heading.result = Kết quả bỏ phiếu kín
form = Hình thức: bỏ phiếu kín, đồng ý / không đồng ý với từng hồ sơ; tỷ lệ phiếu đồng ý tính trên tổng số thành viên Hội đồng khi quy định như vậy, kể cả thành viên vắng mặt.
dossier = Hồ sơ #{id} — {award}: {recipients}. Số phiếu đồng ý: {yes}/{base} ({share}%) {on}; yêu cầu {rule} ({citation}) — {verdict}.
comments = Kết quả lấy ý kiến công khai (khoản 2 Điều 44 NĐ 152/2025/NĐ-CP): {comments}
verdict.yes = ĐẠT
verdict.no = KHÔNG ĐẠT
heading.conclusion = Kết luận
conclusion = Hội đồng thống nhất đề nghị cấp có thẩm quyền khen thưởng {passed} hồ sơ đạt; {failed} hồ sơ không đạt được trả lại hoặc không chấp nhận theo quy định.
sign.left = THƯ KÝ HỘI ĐỒNG
sign.right = CHỦ TỌA PHIÊN HỌP
sign.hint = (Ký, ghi rõ họ tên)
recipient.members = - Thành viên Hội đồng;
recipient.archive = - Lưu: VT, hồ sơ khen thưởng.
