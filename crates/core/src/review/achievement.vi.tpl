# Câu mẫu báo cáo thành tích (theo các mẫu báo cáo thành tích tại Phụ lục
# Nghị định 152/2025/NĐ-CP; khoản 9 Điều 33: báo cáo phải phù hợp với điều
# kiện, tiêu chuẩn của hình thức đề nghị). Cùng cách viết với vi.tpl và
# minutes.vi.tpl: mỗi dòng một khóa = câu mẫu; {tên} là chỗ điền.

title = BÁO CÁO THÀNH TÍCH
subject = Đề nghị tặng {award}

heading.profile = I. SƠ LƯỢC LÝ LỊCH, ĐẶC ĐIỂM, TÌNH HÌNH
profile.individual = Họ và tên: {name}; đơn vị công tác: {unit}.
profile.collective = Tên tập thể: {name}; đơn vị cấp trên trực tiếp: {unit}.
profile.household = Hộ gia đình: {name}; địa chỉ: {unit}.
lineage = Đơn vị kế thừa lịch sử của: {list} (thành tích của đơn vị tiền thân được tính theo Điều 95 Luật Thi đua, khen thưởng năm 2022).

heading.achievements = II. THÀNH TÍCH ĐẠT ĐƯỢC
period = Thành tích từ năm {from} đến năm {to}, các năm mà tiêu chuẩn của {award} xét đến.
rating = Năm {year}: {rating}.
rating.via = Năm {year}: {rating} ({via}).
rating.none = Năm {year}: chưa có kết quả đánh giá, xếp loại.
initiative = Sáng kiến, đề tài «{title}», được công nhận ngày {date}, phạm vi ảnh hưởng {scope}.
initiatives.none = Không có sáng kiến, đề tài được công nhận trong thời gian trên.

heading.awards = III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG
award = Năm {year}: {award}, Quyết định số {decision}.
award.via = Năm {year}: {award}, Quyết định số {decision} (tặng {via}).
awards.none = Chưa có danh hiệu thi đua, hình thức khen thưởng trong thời gian trên.

heading.discipline = IV. KỶ LUẬT
discipline = {level}, Quyết định số {decision}, có hiệu lực từ ngày {date}.
discipline.none = Không bị kỷ luật trong thời gian trên.

sign.left = XÁC NHẬN, ĐỀ NGHỊ CỦA CẤP TRÌNH KHEN THƯỞNG
sign.right.individual = NGƯỜI BÁO CÁO THÀNH TÍCH
sign.right.collective = THỦ TRƯỞNG ĐƠN VỊ
