-- issue 12: a masked CCCD no longer shows its leading digits (province,
-- century and gender, birth year: Điều 7 Thông tư 07/2016/TT-BCA), which
-- the same pages show beside it. New rows are masked by
-- tdkt_core::cccd::mask (the last three digits). Rows masked the old way
-- (four leading, two trailing digits) keep only their two trailing digits:
-- the third from last was never stored in clear, and SQL cannot decrypt.
update people
   set cccd_masked = '**********' || substr(cccd_masked, length(cccd_masked) - 1, 2)
 where length(cccd_masked) = 12
   and cccd_masked not like '*%';
