//! Command-line interface of tdkt (clap). `anyhow` lives only here.

pub mod audit;
pub mod awards;
pub mod backup;
pub mod bench;
pub mod calc;
pub mod certificates;
pub mod decisions;
pub mod eligibility;
pub mod gen;
pub mod import;
pub mod remind;
pub mod report;
pub mod serve;
pub mod user;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use tdkt_store::{Secrets, Store};

pub mod rules;

#[derive(Parser, Debug)]
#[command(
    name = "tdkt",
    version,
    about = "Thi đua, khen thưởng — phong trào, cụm khối, giao ước, chấm điểm, bình xét, khen thưởng"
)]
pub struct Cli {
    /// Cơ sở dữ liệu: `sqlite:đường/dẫn.db` (mặc định `tdkt.db` ở thư mục hiện tại) hoặc `postgres://…`.
    #[arg(
        long,
        env = "TDKT_DATABASE_URL",
        default_value = "sqlite:tdkt.db",
        global = true
    )]
    pub database_url: String,

    /// Khóa bí mật (64 chữ số hex) bảo vệ số CCCD; nếu không có, đọc hoặc tạo tệp `--key-file`.
    #[arg(long, env = "TDKT_SECRET_KEY", hide_env_values = true, global = true)]
    pub secret_key: Option<String>,

    /// Tệp chứa khóa bí mật (tạo mới với quyền 0600 nếu chưa có).
    #[arg(long, env = "TDKT_KEY_FILE", default_value = "tdkt.key", global = true)]
    pub key_file: PathBuf,

    /// Địa chỉ công khai của máy chủ: mã QR trên giấy chứng nhận trỏ tới `{địa chỉ}/xac-minh/{mã}`.
    #[arg(long, env = "TDKT_PUBLIC_URL", default_value = tdkt_web::DEFAULT_PUBLIC_URL, global = true)]
    pub public_url: String,

    /// Thư mục quy tắc (catalogue/, rules/, calendar/, salary/, council/) thay cho bộ
    /// tích hợp sẵn; không hợp lệ thì không chạy (in tệp, dòng, lý do). Xem docs/rules.md.
    #[arg(long, env = "TDKT_RULES_DIR", global = true)]
    pub rules_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Áp dụng các bước di chuyển lược đồ cơ sở dữ liệu.
    Migrate,
    /// Chạy máy chủ web (giao diện và /api/v1).
    Serve(ServeArgs),
    /// Nạp dữ liệu mẫu vào cơ sở dữ liệu trống.
    Demo,
    /// Kiểm tra chuỗi băm của nhật ký; mã thoát khác 0 khi có sự kiện bị sửa hoặc xóa.
    VerifyAudit {
        /// Tệp điểm kiểm tra đã ký: nhật ký phải còn đến và khớp từng điểm kiểm tra.
        #[arg(long)]
        checkpoint: Option<PathBuf>,
    },
    /// Sao lưu cơ sở dữ liệu khi máy chủ vẫn chạy (SQLite: VACUUM INTO; PostgreSQL: pg_dump --format=custom).
    /// Tệp khóa không nằm trong bản sao lưu: hãy cất kèm.
    Backup {
        /// Tệp sao lưu (chưa tồn tại).
        #[arg(long)]
        out: PathBuf,
    },
    /// Khôi phục bản sao lưu vào cơ sở dữ liệu --database-url (dừng máy chủ trước).
    Restore {
        /// Tệp sao lưu do `tdkt backup` tạo.
        file: PathBuf,
        /// Cho phép thay một cơ sở dữ liệu đã có dữ liệu.
        #[arg(long)]
        force: bool,
    },
    /// Nhật ký: điểm kiểm tra đã ký.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Quy tắc xét khen thưởng (gói quy tắc).
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Sinh dữ liệu khen thưởng giả lập (CSV) để đo hiệu năng.
    Gen {
        /// Số người.
        #[arg(long, default_value_t = 1000)]
        people: u64,
        /// Số bản ghi khen thưởng.
        #[arg(long, default_value_t = 10_000)]
        awards: u64,
        /// Thư mục ghi `awards.csv`, `ratings.csv` và `initiatives.csv`.
        #[arg(long, default_value = "gen")]
        out: PathBuf,
        /// Hạt giống ngẫu nhiên (cùng hạt giống → cùng dữ liệu).
        #[arg(long, default_value_t = 2025)]
        seed: u64,
    },
    /// Gửi thư nhắc việc trong ngày (hồ sơ đến hạn, quá hạn; báo cáo chỉ tiêu chưa gửi): mỗi tài khoản có địa chỉ thư một thư một ngày.
    Remind {
        /// Chỉ in nội dung thư sẽ gửi, không gửi, không ghi nhận.
        #[arg(long)]
        dry_run: bool,
        /// Máy chủ thư: smtp://máy:25, smtp://máy:587?tls=required, smtps://tên:mật-khẩu@máy:465.
        #[arg(long, env = "TDKT_SMTP_URL", hide_env_values = true)]
        smtp_url: Option<String>,
        /// Địa chỉ người gửi, vd. "Phòng TĐKT <tdkt@cantho.gov.vn>".
        #[arg(long, env = "TDKT_MAIL_FROM", default_value = "tdkt <tdkt@localhost>")]
        mail_from: String,
    },
    /// Quản lý tài khoản.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Nhập dữ liệu từ tệp (giao ước, số liệu chỉ tiêu, lịch sử khen thưởng).
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Xét điều kiện khen thưởng: một người/tập thể, hoặc quét cả sổ khen thưởng.
    Eligibility {
        #[command(subcommand)]
        command: EligibilityCommand,
    },
    /// Đo hiệu năng.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// Lập báo cáo (sơ kết, tổng kết của cụm, khối).
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// Giấy chứng nhận khen thưởng: in (PDF có chữ ký số), kiểm tra.
    Certificate {
        #[command(subcommand)]
        command: CertificateCommand,
    },
    /// Sổ khen thưởng: hủy bỏ, đính chính một bản ghi.
    Award {
        #[command(subcommand)]
        command: AwardCommand,
    },
    /// Quyết định khen thưởng: liệt kê, ban hành từ danh sách CSV/XLSX, khai báo cơ quan ban hành, bản DOCX.
    Decision {
        #[command(subcommand)]
        command: DecisionCommand,
    },
    /// Quỹ thi đua, khen thưởng: ghi khoản thu, xuất sổ quỹ XLSX.
    Fund {
        #[command(subcommand)]
        command: FundCommand,
    },
    /// Tính hạn theo ngày làm việc (không tính ngày bắt đầu); dòng cuối là ngày đến hạn YYYY-MM-DD.
    Workdays {
        /// Ngày bắt đầu (ngày xảy ra sự kiện), YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Số ngày làm việc.
        #[arg(long)]
        add: u32,
    },
    /// Tính tiền thưởng (hệ số × mức lương cơ sở ngày quyết định, làm tròn lên hàng chục nghìn đồng); dòng cuối là số tiền.
    Reward {
        /// Mã danh hiệu/hình thức (vd. giay-khen).
        #[arg(long)]
        award: String,
        /// individual | collective | household
        #[arg(long)]
        recipient: String,
        /// Ngày ban hành quyết định khen thưởng, YYYY-MM-DD.
        #[arg(long)]
        decided: String,
    },
}

// The flags of `tdkt serve` (its help text is the variant's).
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    #[arg(long, env = "TDKT_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Nạp dữ liệu mẫu nếu cơ sở dữ liệu còn trống.
    #[arg(long)]
    pub demo: bool,
    /// Luôn đánh dấu cookie `Secure` (khi chạy sau HTTPS). Mặc định cookie
    /// đã `Secure` khi máy chủ không chỉ nghe trên địa chỉ loopback.
    #[arg(long, env = "TDKT_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Không đánh dấu cookie `Secure` dù nghe trên mạng: chỉ để thử trên
    /// mạng nội bộ bằng HTTP thường (trình duyệt bỏ cookie `Secure` qua HTTP).
    #[arg(long, env = "TDKT_INSECURE_COOKIES", conflicts_with = "secure_cookies")]
    pub insecure_cookies: bool,
    /// Địa chỉ IP của proxy ngược tin cậy (lặp lại được): chỉ với yêu cầu
    /// đến từ các địa chỉ này mới đọc địa chỉ máy khách trong `X-Forwarded-For`.
    #[arg(
        long = "trusted-proxy",
        env = "TDKT_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Thư mục lưu tệp đính kèm (mặc định `tdkt-files` cạnh tệp SQLite, hoặc `./tdkt-files`).
    #[arg(long, env = "TDKT_FILES_DIR")]
    pub files_dir: Option<PathBuf>,
    /// Lưu tệp đính kèm trên kho S3 tương thích: `s3://bucket/thư-mục` (khóa, vùng, endpoint từ các biến AWS_*).
    #[arg(long, env = "TDKT_FILES_URL")]
    pub files_url: Option<String>,
    /// Dung lượng tối đa một tệp đính kèm, MB.
    #[arg(long, env = "TDKT_MAX_UPLOAD_MB", default_value_t = 20)]
    pub max_upload_mb: u64,
    /// Tệp ghi thêm điểm kiểm tra nhật ký đã ký (giữ ngoài cơ sở dữ liệu, cùng nơi với tệp khóa; nên sao ra máy khác).
    #[arg(
        long,
        env = "TDKT_AUDIT_CHECKPOINT_FILE",
        default_value = "tdkt-audit.checkpoints"
    )]
    pub audit_checkpoint_file: PathBuf,
    /// Ghi điểm kiểm tra mỗi N phút nếu nhật ký có sự kiện mới (0: không ghi).
    #[arg(long, env = "TDKT_AUDIT_CHECKPOINT_EVERY", default_value_t = 15)]
    pub audit_checkpoint_every: u64,
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Kiểm tra toàn bộ nhật ký rồi ghi thêm một điểm kiểm tra (số thứ tự và
    /// hash của sự kiện mới nhất, thời điểm, chữ ký Ed25519) vào tệp.
    Checkpoint {
        /// Tệp điểm kiểm tra (ghi thêm vào cuối; tạo mới nếu chưa có).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum CertificateCommand {
    /// In giấy chứng nhận của một bản ghi (--record) hoặc cả một quyết định (--decision), ký số.
    Export {
        /// Mã bản ghi khen thưởng.
        #[arg(
            long,
            conflicts_with = "decision",
            required_unless_present = "decision"
        )]
        record: Option<i64>,
        /// Số quyết định: in mọi bản ghi còn hiệu lực của quyết định vào một tệp.
        #[arg(long)]
        decision: Option<String>,
        /// Tệp PDF kết quả.
        #[arg(long)]
        out: PathBuf,
        /// In lên phôi in sẵn: chỉ phần thay đổi, không khung, không quốc hiệu.
        #[arg(long)]
        blank: bool,
        /// Dịch sang phải (mm, âm là sang trái) khi in lên phôi.
        #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
        offset_x: f32,
        /// Dịch xuống dưới (mm, âm là lên trên) khi in lên phôi.
        #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
        offset_y: f32,
    },
    /// Kiểm tra tệp giấy chứng nhận. Mã thoát: 0 hợp lệ, 3 đã bị hủy bỏ, 1 bị sửa hoặc không rõ.
    Verify {
        file: PathBuf,
        /// Tệp khóa công khai đã công bố (PEM hoặc hex): chỉ kiểm tra chữ ký, không tra cơ sở dữ liệu.
        #[arg(long)]
        public_key: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum DecisionCommand {
    /// Liệt kê các quyết định đã ban hành (mới nhất trước).
    List {
        /// In mảng JSON: mỗi quyết định có `number` (vd. "15/QĐ-UBND") và `records` (mã các bản ghi khen thưởng đã tạo).
        #[arg(long)]
        json: bool,
    },
    /// Lập và ban hành một quyết định từ danh sách CSV/XLSX (cột: Loại đối tượng, Số CCCD, Mã đơn vị, Họ tên, Danh hiệu, Năm thành tích, Thành tích; tùy chọn Mã hồ sơ). Lỗi một dòng thì không ghi gì.
    Issue {
        /// Tệp danh sách khen thưởng.
        #[arg(long)]
        file: PathBuf,
        /// Mã đơn vị của cơ quan ban hành (đã khai báo bằng `tdkt decision authority`).
        #[arg(long)]
        authority: String,
        /// Số quyết định: số thứ tự trong năm (15) hoặc cả số, ký hiệu (15/QĐ-UBND).
        #[arg(long)]
        number: String,
        /// Ngày ban hành, YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// Họ tên người ký.
        #[arg(long)]
        signer: String,
        /// Chức vụ người ký (mặc định: của cơ quan ban hành).
        #[arg(long)]
        signer_title: Option<String>,
        /// Trích yếu.
        #[arg(long, default_value = "Về việc tặng Bằng khen")]
        title: String,
        /// Căn cứ ban hành (lặp lại được; mặc định: Luật TĐKT 2022, NĐ 152/2025/NĐ-CP).
        #[arg(long = "basis")]
        bases: Vec<String>,
        /// Mã hồ sơ đề nghị khen thưởng (nếu có).
        #[arg(long)]
        dossier: Option<i64>,
        /// Chỉ lưu dự thảo, không ban hành.
        #[arg(long)]
        draft: bool,
    },
    /// Khai báo (hoặc sửa) một đơn vị là cơ quan ban hành quyết định.
    Authority {
        /// Mã đơn vị.
        #[arg(long)]
        unit: String,
        /// Chữ viết tắt tên cơ quan trong ký hiệu (vd. UBND → 15/QĐ-UBND).
        #[arg(long)]
        abbreviation: String,
        /// Tên cơ quan (vd. "Ủy ban nhân dân thành phố Cần Thơ").
        #[arg(long)]
        body: String,
        /// Tên cơ quan chủ quản trên tiêu đề (nếu có).
        #[arg(long, default_value = "")]
        parent_body: String,
        /// Địa danh ghi trên dòng ngày tháng (vd. "Cần Thơ").
        #[arg(long)]
        place: String,
        /// Chức vụ người ký thường dùng (vd. "CHỦ TỊCH").
        #[arg(long, default_value = "")]
        signer_title: String,
    },
    /// Ghi bản DOCX của quyết định (thể thức Nghị định 30/2020/NĐ-CP).
    Docx {
        /// Mã quyết định.
        #[arg(long)]
        id: i64,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum FundCommand {
    /// Ghi một khoản thu vào quỹ thi đua, khen thưởng của đơn vị.
    Receipt {
        #[arg(long)]
        unit: String,
        /// Ngày thu, YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// Số tiền (đồng), vd. 50.000.000.
        #[arg(long)]
        amount: String,
        #[arg(long)]
        description: String,
    },
    /// Xuất sổ quỹ một năm ra XLSX (thu, chi theo quyết định, tồn quỹ).
    Export {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum AwardCommand {
    /// Hủy bỏ khen thưởng của một bản ghi (Điều 93 Luật TĐKT 2022).
    Revoke {
        #[arg(long)]
        record: i64,
        /// Căn cứ: gian-doi-ke-khai | lam-gia-ho-so | de-nghi-trai-quy-dinh | ket-luan-ban-an | tuoc-danh-hieu-vinh-du.
        #[arg(long)]
        ground: String,
        /// Số quyết định hủy bỏ.
        #[arg(long)]
        decision: String,
        /// Ngày quyết định hủy bỏ (YYYY-MM-DD hoặc dd/mm/yyyy).
        #[arg(long)]
        date: String,
        /// Lý do.
        #[arg(long)]
        reason: String,
    },
    /// Đính chính số, ngày, cấp quyết định, năm hoặc thành tích nhập sai (không đổi người nhận, hình thức).
    Correct {
        #[arg(long)]
        record: i64,
        #[arg(long)]
        year: Option<i32>,
        /// Số quyết định đúng.
        #[arg(long)]
        decision: Option<String>,
        /// Ngày quyết định đúng.
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        authority: Option<String>,
        #[arg(long)]
        achievement: Option<String>,
        /// Lý do đính chính.
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Độ trễ p50/p95/p99 của tìm kiếm và danh sách (họ tên, CCCD, số quyết định, trang khen thưởng của đơn vị, danh sách theo danh hiệu), với quyền của một tài khoản.
    Search {
        /// Tệp khen thưởng đã nhập (đầu ra của `tdkt gen`), để lấy mẫu truy vấn.
        #[arg(long)]
        from: PathBuf,
        /// Số truy vấn.
        #[arg(long, default_value_t = 1000)]
        queries: usize,
        /// Hạt giống ngẫu nhiên của mẫu.
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Chạy với quyền và phạm vi của tài khoản này, đúng như trang web áp dụng
        /// (mặc định: quản trị, thấy toàn bộ).
        #[arg(long = "as", value_name = "USERNAME")]
        as_user: Option<String>,
    },
    /// Đo bước xét điều kiện trên hồ sơ sinh trong bộ nhớ (không đọc cơ sở dữ liệu).
    Eligibility {
        #[arg(long, default_value_t = 1_000_000)]
        people: u64,
        #[arg(long, default_value_t = 2025)]
        year: i32,
        #[arg(long, default_value_t = 2025)]
        seed: u64,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Giao ước thi đua: cột cluster,year,indicator,name,unit,direction,aggregate,threshold (tùy chọn: cluster_name).
    Pledge {
        file: PathBuf,
        /// Tạo cụm, khối chưa có.
        #[arg(long)]
        create_missing: bool,
    },
    /// Số liệu chỉ tiêu: cột cluster,period,member,indicator,value,unit (các cột khác bỏ qua).
    Indicators {
        file: PathBuf,
        /// Tạo đơn vị thành viên chưa có và thêm vào cụm, khối.
        #[arg(long)]
        create_missing: bool,
        /// Nhập các dòng hợp lệ, ghi các dòng lỗi kèm lý do ra tệp CSV.
        #[arg(long)]
        skip_invalid: bool,
        /// Tệp ghi các dòng lỗi (mặc định TÊN.rejected.csv cạnh tệp nhập).
        #[arg(long)]
        rejected: Option<PathBuf>,
    },
    /// Nhập lịch sử khen thưởng từ CSV/XLSX (cột recipient_type, cccd, unit_code, recipient_name, award, year, decision_no, decision_date, authority; chấp nhận tiêu đề tiếng Việt). Mặc định: lỗi một dòng thì không nhập dòng nào.
    Awards {
        file: PathBuf,
        /// Nhập các dòng hợp lệ, ghi các dòng lỗi kèm lý do ra tệp CSV.
        #[arg(long)]
        skip_invalid: bool,
        /// Tệp ghi các dòng lỗi (mặc định `<tệp>.loi.csv`).
        #[arg(long = "rejected", alias = "rejects")]
        rejects: Option<PathBuf>,
        /// Không hiện thanh tiến độ và tóm tắt.
        #[arg(long)]
        quiet: bool,
    },
    /// Xếp loại hằng năm (cột cccd hoặc unit_code, year, rating, note). Xem docs/rules.md.
    Ratings {
        file: PathBuf,
        #[arg(long)]
        skip_invalid: bool,
        #[arg(long = "rejected", alias = "rejects")]
        rejects: Option<PathBuf>,
    },
    /// Kỷ luật (cột cccd, level, decision_no, decision_date, effective_on, months, reason).
    Discipline {
        file: PathBuf,
        #[arg(long)]
        skip_invalid: bool,
        #[arg(long = "rejected", alias = "rejects")]
        rejects: Option<PathBuf>,
    },
    /// Sáng kiến, đề tài (cột cccd, kind, title, scope, recognised_on, decision_no).
    Initiatives {
        file: PathBuf,
        #[arg(long)]
        skip_invalid: bool,
        #[arg(long = "rejected", alias = "rejects")]
        rejects: Option<PathBuf>,
    },
    /// Đánh giá, xếp loại theo tháng, quý (cột cccd, period, level, note).
    Evaluations {
        file: PathBuf,
        #[arg(long)]
        skip_invalid: bool,
        #[arg(long = "rejected", alias = "rejects")]
        rejects: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum EligibilityCommand {
    /// Xét một cá nhân (--person CCCD) hoặc tập thể (--unit MÃ) cho một danh hiệu/hình thức.
    /// Mã thoát: 0 đủ điều kiện, 3 chưa đủ điều kiện, 4 cần xem xét thêm, 1 lỗi.
    Check {
        /// Số CCCD của cá nhân.
        #[arg(long, conflicts_with = "unit", required_unless_present = "unit")]
        person: Option<String>,
        /// Mã đơn vị (tập thể).
        #[arg(long)]
        unit: Option<String>,
        /// Mã danh hiệu/hình thức (vd. chien-si-thi-dua-co-so).
        #[arg(long)]
        award: String,
        /// Ngày xét: áp dụng quy tắc có hiệu lực ngày này (mặc định 31/12 của năm xét).
        #[arg(long)]
        at: Option<String>,
        /// Năm thành tích được xét (mặc định năm của --at, hoặc năm nay).
        #[arg(long)]
        year: Option<i32>,
        /// In kết quả dạng JSON.
        #[arg(long)]
        json: bool,
    },
    /// Liệt kê mọi cá nhân đủ điều kiện (và còn một năm nữa) trong năm.
    Scan {
        #[arg(long)]
        year: i32,
        /// Chỉ xét một danh hiệu/hình thức.
        #[arg(long)]
        award: Option<String>,
        /// Chỉ xét người thuộc đơn vị này và các đơn vị trực thuộc.
        #[arg(long)]
        unit: Option<String>,
        /// Ghi danh sách ra tệp XLSX.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Báo cáo sơ kết, tổng kết thực hiện giao ước của một cụm, khối.
    Review {
        /// Mã cụm, khối (vd. tay-nam-bo).
        #[arg(long)]
        cluster: String,
        /// Kỳ báo cáo: 2019, 2019-H1, 2019-Q2, 2019-03…
        #[arg(long)]
        period: String,
        /// text | md | html | docx | pdf
        #[arg(long, default_value = "text")]
        format: String,
        /// Tệp kết quả (mặc định: văn bản ra đầu ra chuẩn).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Dùng bản dự thảo đã chỉnh sửa trên web (nếu có).
        #[arg(long)]
        edited: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// Kiểm tra danh mục và các gói quy tắc: mã không tồn tại, vòng lặp,
    /// hiệu lực chồng chéo, điều kiện không bao giờ thỏa. Với --rules-dir
    /// (và không ghi tệp): kiểm tra cả thư mục quy tắc (danh mục, gói, lịch, lương cơ sở).
    Check {
        /// Tệp gói quy tắc (.toml); bỏ trống để kiểm tra các gói kèm theo.
        files: Vec<PathBuf>,
        /// Tệp danh mục khác với danh mục kèm theo.
        #[arg(long)]
        catalogue: Option<PathBuf>,
    },
    /// Ghi bộ quy tắc tích hợp sẵn ra một thư mục (điểm xuất phát để sửa, bổ sung rồi dùng với --rules-dir).
    Export {
        /// Thư mục đích (không ghi đè tệp đã có).
        dir: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Tạo tài khoản; mật khẩu đọc từ biến môi trường TDKT_NEW_PASSWORD.
    Add {
        username: String,
        #[arg(long)]
        full_name: String,
        /// admin | officer | submitter | council | viewer
        #[arg(long)]
        role: String,
        /// Mã đơn vị phạm vi (bắt buộc trừ admin).
        #[arg(long)]
        scope: Option<String>,
    },
    /// Đặt địa chỉ thư điện tử nhận thư nhắc việc (để trống để xóa).
    Email { username: String, address: String },
}

/// Entry point shared by `main` and tests.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TDKT_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("lỗi: không khởi tạo được runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("lỗi: {e:#}");
            ExitCode::FAILURE
        }
    }
}

pub(crate) fn secrets(cli: &Cli) -> Result<Secrets> {
    if let Some(k) = &cli.secret_key {
        return Secrets::from_hex(k)
            .map_err(anyhow::Error::msg)
            .context("TDKT_SECRET_KEY không hợp lệ");
    }
    let path = &cli.key_file;
    if path.exists() {
        let k = std::fs::read_to_string(path)
            .with_context(|| format!("không đọc được tệp khóa {}", path.display()))?;
        return Secrets::from_hex(&k)
            .map_err(anyhow::Error::msg)
            .with_context(|| format!("tệp khóa {} không hợp lệ", path.display()));
    }
    let k = Secrets::generate_hex();
    write_private(path, &k)
        .with_context(|| format!("không tạo được tệp khóa {}", path.display()))?;
    eprintln!(
        "Đã tạo khóa bí mật mới tại {} — hãy sao lưu tệp này cùng cơ sở dữ liệu.",
        path.display()
    );
    Secrets::from_hex(&k).map_err(anyhow::Error::msg)
}

fn write_private(path: &std::path::Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path)?.write_all(content.as_bytes())
}

pub(crate) async fn open(cli: &Cli) -> Result<Store> {
    let store = Store::connect(&cli.database_url, secrets(cli)?)
        .await
        .context("không kết nối được cơ sở dữ liệu")?;
    store
        .migrate()
        .await
        .context("không áp dụng được lược đồ cơ sở dữ liệu")?;
    tdkt_store::demo::load_kinds(&store)
        .await
        .context("không nạp được danh mục loại đơn vị")?;
    Ok(store)
}

async fn run(cli: Cli) -> Result<ExitCode> {
    if let Command::Rules { command } = &cli.command {
        return match command {
            RulesCommand::Check { files, catalogue } => {
                match (&cli.rules_dir, files.is_empty() && catalogue.is_none()) {
                    (Some(dir), true) => rules::check_dir(dir),
                    _ => rules::check(files, catalogue.as_ref()),
                }
            }
            RulesCommand::Export { dir } => rules::export(dir),
        };
    }
    // The rules every command judges with: the directory's, or the compiled-in
    // ones. An invalid directory stops here, before a server starts.
    if let Some(dir) = &cli.rules_dir {
        let loaded = rules::load(Some(dir))?;
        if tdkt_store::rules::install(loaded).is_err() {
            anyhow::bail!("bộ quy tắc đã được nạp trước khi đọc {}", dir.display());
        }
    }
    let rules_in_force = tdkt_store::rules::current();
    match &cli.command {
        Command::Rules { .. } => unreachable!("handled above"),
        Command::Workdays { from, add } => calc::workdays(rules_in_force, from, *add)?,
        Command::Reward {
            award,
            recipient,
            decided,
        } => calc::reward(rules_in_force, award, recipient, decided)?,
        Command::Migrate => {
            open(&cli).await?;
            println!("Đã áp dụng lược đồ cơ sở dữ liệu.");
        }
        Command::Demo => serve::demo(&cli).await?,
        Command::Serve(args) => serve::run(&cli, args, rules_in_force).await?,
        Command::Decision { command } => decisions::run(&open(&cli).await?, command).await?,
        Command::Fund { command } => decisions::fund(&open(&cli).await?, command).await?,
        Command::VerifyAudit { checkpoint } => {
            let store = open(&cli).await?;
            return audit::verify(&store, checkpoint.as_deref()).await;
        }
        Command::Backup { out } => {
            let store = open(&cli).await?;
            backup::backup(&store, &cli.database_url, out).await?;
        }
        Command::Restore { file, force } => {
            return backup::restore(&cli.database_url, secrets(&cli)?, file, *force).await;
        }
        Command::Audit {
            command: AuditCommand::Checkpoint { out },
        } => {
            let store = open(&cli).await?;
            return audit::checkpoint(&store, out).await;
        }
        Command::Import { command } => return import::run(&open(&cli).await?, command).await,
        Command::Bench { command } => bench::run(&cli, command).await?,
        Command::Gen {
            people,
            awards: n,
            out,
            seed,
        } => gen::run(*people, *n, out, *seed)?,
        Command::User { command } => user::run(&open(&cli).await?, command).await?,
        Command::Remind {
            dry_run,
            smtp_url,
            mail_from,
        } => {
            let smtp = remind::Smtp::configured(smtp_url.as_deref(), mail_from);
            remind::run(
                &open(&cli).await?,
                smtp.as_ref(),
                tdkt_core::date::today_vn(),
                &cli.public_url,
                *dry_run,
            )
            .await?;
        }
        Command::Eligibility { command } => {
            return eligibility::run(&open(&cli).await?, command).await;
        }
        Command::Certificate { command } => return certificates::run(&cli, command).await,
        Command::Award { command } => certificates::award(&open(&cli).await?, command).await?,
        Command::Report { command } => report::run(&open(&cli).await?, command).await?,
    }
    Ok(ExitCode::SUCCESS)
}
