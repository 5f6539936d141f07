# Câu mẫu biên bản kiểm phiếu bỏ phiếu kín (tiếng Việt), cùng cách viết với
# vi.tpl của báo cáo sơ kết, tổng kết: mỗi dòng một khóa = câu mẫu; {tên} là
# chỗ điền, chỉ dùng được các tên mà khóa đó cho phép; {{ và }} là dấu ngoặc
# nhọn; đặt câu trong "..." để giữ dấu cách ở đầu hoặc cuối.

# Thể thức (Phụ lục I, mẫu biên bản Phụ lục III NĐ 30/2020/NĐ-CP): tên loại,
# trích yếu, số và ký hiệu (BB = biên bản; phòng văn thư ghi số), chữ ký.
title = Biên bản kiểm phiếu
subject = {title}
number = Số: ……/BB-……
organiser = Đơn vị tổ chức: {unit}.
organiser.context = Đơn vị tổ chức: {unit} ({context}).
form = Hình thức: bỏ phiếu kín; {question}.
question.yes_no = đồng ý / không đồng ý với từng ứng viên
question.pick = chọn tối đa {k} ứng viên
rules = Tỷ lệ cử tri tham gia tối thiểu: {num}/{den} tổng số cử tri, tức ít nhất {required} cử tri. Ngưỡng đạt: {percent}% {base}.
base.eligible = tổng số cử tri
base.valid = số phiếu hợp lệ
base.present = số cử tri tham gia
closed = Kết thúc bỏ phiếu lúc {hour}:{minute} ngày {date} (giờ Việt Nam).

heading.result = Kết quả kiểm phiếu
no_quorum = Cuộc bỏ phiếu không đủ tỷ lệ cử tri tham gia nên không có kết quả.
counted = Tổng số cử tri: {eligible}; số cử tri tham gia bỏ phiếu: {present}; số phiếu thu về: {cast}; số phiếu hợp lệ: {valid}; số phiếu không hợp lệ: {invalid}.
candidate = {name}: {yes} phiếu đồng ý trên {base} ({share}%), {no} phiếu không đồng ý, {blank} phiếu để trống — {verdict}.
verdict.yes = đạt
verdict.tie = bằng phiếu ở vị trí cuối, cần bỏ phiếu lại
verdict.no = không đạt

heading.secrecy = Bảo đảm bí mật
secrecy = Phiếu bầu được lưu tách khỏi danh sách người tham gia; mỗi cử tri nhận một mã biên nhận để tự kiểm tra phiếu của mình đã được tính.
sign.left = THƯ KÝ
sign.right = TRƯỞNG BAN KIỂM PHIẾU
sign.hint = (Ký, ghi rõ họ tên)
archive = - Lưu: VT, hồ sơ cuộc bỏ phiếu.
