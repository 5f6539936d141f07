# Câu mẫu báo cáo sơ kết, tổng kết thực hiện giao ước thi đua (tiếng Việt),
# theo lối viết của báo cáo Cụm thi đua các tỉnh Tây Nam bộ (seed 001).
#
# Mỗi dòng: khóa = câu mẫu. {tên} là chỗ điền, chỉ dùng được các tên mà khóa
# đó cho phép (sai tên thì mẫu bị từ chối khi nạp); {{ và }} là dấu ngoặc nhọn.
# Đặt câu mẫu trong "..." để giữ dấu cách ở đầu hoặc cuối.
# Dòng bắt đầu bằng # là ghi chú.

title = Báo cáo {review} thực hiện giao ước thi đua {period} của {cluster}
intro = Trên cơ sở số liệu do {reported}/{total} {members} báo cáo, kết quả thực hiện các chỉ tiêu giao ước thi đua {period} của {cluster} như sau:
heading = Kết quả thực hiện các chỉ tiêu giao ước thi đua

# Con số của cả Cụm/Khối: bình quân hoặc tổng, theo giao ước.
# Chiều "lower" (càng thấp càng tốt: hộ nghèo, tai nạn…) không nói "đạt".
figure.mean.higher = {indicator} {period} của các {members} trong {group} bình quân đạt {figure}
figure.mean.lower = {indicator} {period} của các {members} trong {group} bình quân ở mức {figure}
figure.sum.higher = {indicator} của {group} {period} đạt {figure}
figure.sum.lower = {indicator} của {group} {period} là {figure}

# Các thành viên có kết quả tốt hơn bình quân, tốt nhất trước.
standouts.higher = , một số {members} đạt cao như: {list}
standouts.lower = , một số {members} ở mức thấp như: {list}

# Ngưỡng đã giao ước: tất cả / một phần / không thành viên nào đạt.
threshold.all.higher = . {reached}/{total} {members} trong {group} đạt từ {threshold} trở lên
threshold.all.lower = . {reached}/{total} {members} trong {group} ở mức {threshold} trở xuống
threshold.some.higher = . Có {reached}/{total} {members} đạt từ {threshold} trở lên, gồm: {list}
threshold.some.lower = . Có {reached}/{total} {members} ở mức {threshold} trở xuống, gồm: {list}
threshold.none.higher = . Chưa có {members} nào đạt từ {threshold} trở lên
threshold.none.lower = . Chưa có {members} nào ở mức {threshold} trở xuống

end = .

# Chỉ tiêu đăng ký riêng của từng thành viên.
targets.all = {reached}/{total} {members} đạt chỉ tiêu đã đăng ký.
targets.some = {reached}/{total} {members} đạt chỉ tiêu đã đăng ký; chưa đạt: {list}.
item.target = {member} {value} (chỉ tiêu {target})

missing = Chưa có số liệu của: {list}.
no_data = {indicator} {period}: chưa có {members} nào báo cáo số liệu.

item = {member} {value}
separator = "; "
separator.names = ", "
