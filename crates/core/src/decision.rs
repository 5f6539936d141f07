//! Commendation decisions (*quyết định khen thưởng*) at the deciding
//! authority (issue 14, the decision half): their number and symbol, the
//! place and date line, the parsed header of a new decision, the amounts of
//! its annex and the text of its draft in the official layout.
//!
//! # Number and symbol (Nghị định 30/2020/NĐ-CP về công tác văn thư)
//!
//! - Điều 15 khoản 1: a document's number is its order among the documents
//!   the body issues in one year, "bắt đầu liên tiếp từ số 01 vào ngày 01
//!   tháng 01 và kết thúc vào ngày 31 tháng 12 hàng năm": so a number is
//!   unique per authority **and year**, and a reused one is refused.
//! - Phụ lục I, Mục I khoản 3: "Số của văn bản được ghi bằng chữ số Ả Rập";
//!   numbers below 10 take a leading 0 ([`number`] writes `01/QĐ-UBND`).
//!   The symbol of an individual document (*văn bản cá biệt*) is the
//!   abbreviation of its kind (`QĐ`) and of the issuing body (`UBND`), joined
//!   by a hyphen; the body's abbreviation is data ([`Symbol`]).
//! - Phụ lục I, Mục I khoản 4: the date line "ngày … tháng … năm …", with a
//!   0 before a day below 10 and a month below 3 ([`place_date`]).
//!
//! # Amounts
//! Each line's amount is [`crate::reward::compute`] on the decision date
//! (Điều 49 khoản 1 NĐ 152/2025/NĐ-CP: the base salary in force when the
//! decision is issued), rounded there once (Điều 49 khoản 2).

use rust_decimal::Decimal;
use serde::Serialize;
use time::Date;

use crate::catalogue::{Authority, Catalogue, Recipient};
use crate::dossier::route::LevelClass;
use crate::error::DomainError;
use crate::reward::{compute, BaseSalaries, Reward};

/// The kind part of the symbol: *Quyết định* (Phụ lục III NĐ 30/2020/NĐ-CP,
/// bảng chữ viết tắt tên loại văn bản).
pub const KIND: &str = "QĐ";

/// The largest number a body can reach in a year (a sanity bound, not law).
pub const MAX_SEQ: u32 = 99_999;

/// The issuing body's abbreviation in the symbol (`UBND`, `SNV`,
/// `BTĐKT`, `TTg`): letters (Vietnamese included) starting with a capital,
/// digits and hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Symbol(String);

impl Symbol {
    /// # Errors
    /// Empty, too long, or with a character a symbol does not carry.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        if s.is_empty() || s.chars().count() > 20 {
            return Err(DomainError::invalid(
                "abbreviation",
                "Chữ viết tắt tên cơ quan ban hành phải có từ 1 đến 20 ký tự (vd. UBND).",
            ));
        }
        // Phụ lục III NĐ 30/2020/NĐ-CP writes some bodies with a small
        // letter inside (TTg: Thủ tướng Chính phủ); every one begins with a
        // capital.
        if !s
            .chars()
            .all(|c| c.is_alphabetic() || c.is_ascii_digit() || c == '-')
            || !s.starts_with(char::is_uppercase)
            || s.ends_with('-')
        {
            return Err(DomainError::invalid(
                "abbreviation",
                format!("Chữ viết tắt «{s}» phải bắt đầu bằng chữ in hoa và chỉ gồm chữ cái, chữ số, dấu gạch nối (vd. UBND, SNV, TTg)."),
            ));
        }
        Ok(Self(s.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// May a body of class `issuer` record a decision giving an award whose
/// deciding authority is `authority`? Only the centre gives the Prime
/// Minister's and the President's forms, and only a province or a
/// ministry its own Bằng khen, Cờ and CSTĐ cấp tỉnh (thẩm quyền quyết định
/// khen thưởng, Chương V Luật TĐKT 2022; Điều 35 NĐ 152/2025/NĐ-CP). The
/// grassroots forms are left open: heads of many kinds of agency give a
/// Giấy khen.
#[must_use]
pub fn may_issue(authority: Authority, issuer: LevelClass) -> bool {
    match authority {
        Authority::ThuTuong | Authority::ChuTichNuoc => issuer == LevelClass::Central,
        Authority::CapTinh => matches!(issuer, LevelClass::Province | LevelClass::Ministry),
        Authority::CoSo | Authority::CapXa => issuer != LevelClass::Central,
    }
}

/// `15/QĐ-UBND`; `01/QĐ-UBND` below 10 (Phụ lục I NĐ 30/2020/NĐ-CP).
#[must_use]
pub fn number(seq: u32, symbol: &Symbol) -> String {
    format!("{seq:02}/{KIND}-{}", symbol.0)
}

/// Reads the number an officer typed: `15`, `015` or the whole `15/QĐ-UBND`
/// (whose symbol must then be this body's).
///
/// # Errors
/// Not a number from 1 to [`MAX_SEQ`], or another body's symbol.
pub fn parse_seq(input: &str, symbol: &Symbol) -> Result<u32, DomainError> {
    let input = input.trim();
    let (digits, rest) = match input.split_once('/') {
        Some((d, r)) => (d.trim(), Some(r.trim())),
        None => (input, None),
    };
    if let Some(rest) = rest {
        let expected = format!("{KIND}-{}", symbol.0);
        if crate::text::fold(&rest.replace(' ', "")) != crate::text::fold(&expected) {
            return Err(DomainError::invalid(
                "number",
                format!("Ký hiệu «{rest}» không phải của cơ quan này (phải là {expected})."),
            ));
        }
    }
    match digits.parse::<u32>() {
        Ok(n) if (1..=MAX_SEQ).contains(&n) => Ok(n),
        _ => Err(DomainError::invalid(
            "number",
            format!("Số quyết định «{input}» phải là số thứ tự từ 1 đến {MAX_SEQ} trong năm (vd. 15 hoặc 15/{KIND}-{}).", symbol.0),
        )),
    }
}

/// `Cần Thơ, ngày 05 tháng 02 năm 2026`: a 0 before a day below 10 and a
/// month below 3 (Phụ lục I Mục I khoản 4 NĐ 30/2020/NĐ-CP).
#[must_use]
pub fn place_date(place: &str, d: Date) -> String {
    let m = u8::from(d.month());
    let month = if m < 3 {
        format!("{m:02}")
    } else {
        m.to_string()
    };
    format!(
        "{place}, ngày {:02} tháng {month} năm {}",
        d.day(),
        d.year()
    )
}

/// Where a decision stands: drafted (editable), then issued (immutable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Issued,
}

impl Status {
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Issued => "issued",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "dự thảo",
            Self::Issued => "đã ban hành",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(Self::Draft),
            "issued" => Some(Self::Issued),
            _ => None,
        }
    }
}

/// Recipient kinds as a file or form writes them.
///
/// # Errors
/// Unknown kind, naming the accepted spellings.
pub fn parse_recipient(s: &str) -> Result<Recipient, DomainError> {
    match crate::text::fold(s.trim())
        .replace(['-', '_'], " ")
        .as_str()
    {
        "individual" | "ca nhan" | "person" | "nguoi" => Ok(Recipient::Individual),
        "collective" | "tap the" | "unit" | "don vi" => Ok(Recipient::Collective),
        "household" | "ho gia dinh" | "ho" | "gia dinh" => Ok(Recipient::Household),
        _ => Err(DomainError::invalid(
            "recipient_type",
            format!(
                "Loại đối tượng «{s}» không hợp lệ: ghi «cá nhân», «tập thể» hoặc «hộ gia đình»."
            ),
        )),
    }
}

/// The legal bases proposed for a new decision of a people's committee
/// (the officer edits them): one "Căn cứ …;" a line.
pub const DEFAULT_BASES: &str = "Căn cứ Luật Tổ chức chính quyền địa phương năm 2025;\nCăn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;\nCăn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết một số điều của Luật Thi đua, khen thưởng;";

/// The legal bases proposed for a new decision of a body at `issuer`'s
/// level: the law that organises it, then the emulation law and its decree
/// (NĐ 152/2025 itself cites Luật Tổ chức Chính phủ 2025 and Luật Tổ chức
/// chính quyền địa phương 2025). A ministry or an agency is organised by its
/// own decree or decision, which the officer adds.
#[must_use]
pub fn default_bases(issuer: LevelClass) -> String {
    let law = DEFAULT_BASES
        .split_once('\n')
        .map_or(DEFAULT_BASES, |(_, rest)| rest);
    match issuer {
        LevelClass::Central => format!("Căn cứ Luật Tổ chức Chính phủ năm 2025;\n{law}"),
        LevelClass::Province | LevelClass::District | LevelClass::Commune => {
            DEFAULT_BASES.to_owned()
        }
        LevelClass::Ministry
        | LevelClass::HomeAffairs
        | LevelClass::Grassroots
        | LevelClass::Subunit => law.to_owned(),
    }
}

/// The header of a new decision, parsed from a form or the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDecision {
    pub seq: u32,
    pub decided_on: Date,
    pub signer_name: String,
    pub signer_title: String,
    /// "Về việc …" (the abstract, *trích yếu*).
    pub title: String,
    /// The legal bases, one a line.
    pub bases: Vec<String>,
    /// The dossier this decision answers, from the dossier flow (no key yet).
    pub dossier_id: Option<i64>,
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl NewDecision {
    /// # Errors
    /// The first bad field, in Vietnamese.
    #[expect(clippy::too_many_arguments, reason = "one argument per form field")]
    pub fn parse(
        symbol: &Symbol,
        number: &str,
        decided_on: &str,
        signer_name: &str,
        signer_title: &str,
        title: &str,
        bases: &str,
        dossier_id: Option<i64>,
        today: Date,
    ) -> Result<Self, DomainError> {
        let seq = parse_seq(number, symbol)?;
        let decided_on = crate::date::parse(decided_on)
            .map_err(|m| DomainError::invalid("decided_on", format!("Ngày quyết định: {m}")))?;
        if decided_on > today {
            return Err(DomainError::invalid(
                "decided_on",
                format!(
                    "Ngày quyết định {} ở tương lai.",
                    crate::date::format_vn(decided_on)
                ),
            ));
        }
        let signer_name = one_line(signer_name);
        if signer_name.is_empty() {
            return Err(DomainError::invalid(
                "signer_name",
                "Phải ghi họ tên người ký.",
            ));
        }
        let signer_title = one_line(signer_title);
        if signer_title.is_empty() {
            return Err(DomainError::invalid(
                "signer_title",
                "Phải ghi chức vụ người ký (vd. CHỦ TỊCH, KT. CHỦ TỊCH / PHÓ CHỦ TỊCH).",
            ));
        }
        let title = one_line(title);
        if title.is_empty() {
            return Err(DomainError::invalid(
                "title",
                "Phải ghi trích yếu (vd. Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân thành phố).",
            ));
        }
        let bases: Vec<String> = bases
            .lines()
            .map(one_line)
            .filter(|l| !l.is_empty())
            .collect();
        if bases.is_empty() {
            return Err(DomainError::invalid(
                "bases",
                "Phải có ít nhất một căn cứ ban hành («Căn cứ …»).",
            ));
        }
        if dossier_id.is_some_and(|d| d <= 0) {
            return Err(DomainError::invalid(
                "dossier_id",
                "Mã hồ sơ phải là số nguyên dương.",
            ));
        }
        Ok(Self {
            seq,
            decided_on,
            signer_name,
            signer_title,
            title,
            bases,
            dossier_id,
        })
    }
}

/// The reward of one annex line on the decision date.
///
/// # Errors
/// Unknown award, a recipient it is not given to, no multiple or base
/// salary for the date (Vietnamese, from [`crate::reward`]).
pub fn line_reward(
    catalogue: &Catalogue,
    salaries: &BaseSalaries,
    award: &str,
    recipient: Recipient,
    decided_on: Date,
) -> Result<Reward, DomainError> {
    let a = catalogue.get(award).ok_or_else(|| {
        DomainError::invalid(
            "award",
            format!("Mã danh hiệu/hình thức «{award}» không có trong danh mục."),
        )
    })?;
    compute(a, recipient, decided_on, salaries)
        .map_err(|e| DomainError::invalid("award", e.to_string()))
}

/// An amount of money as a whole number of đồng for storage (amounts are
/// rounded to 10.000 đ, so they are whole).
#[must_use]
pub fn dong(x: Decimal) -> i64 {
    i64::try_from(x.round()).unwrap_or(i64::MAX)
}

/// One row of a decision's annex as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnexRow {
    /// Person's name, collective's name or "Hộ ông/bà …".
    pub name: String,
    /// Position and unit of a person; the parent unit of a collective.
    pub detail: String,
    pub award_name: String,
    pub recipient: Recipient,
    /// Đồng.
    pub amount: i64,
}

/// What the draft says: everything laid out by `tdkt_docs::decision`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionDocument {
    /// Governing body above the issuer, when there is one (cơ quan chủ quản).
    pub parent_body: String,
    /// The issuing body, e.g. `ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ`.
    pub body: String,
    /// `Số: 15/QĐ-UBND`.
    pub number_line: String,
    pub place_date: String,
    /// "Về việc …".
    pub title: String,
    /// Who decides, as the line above the bases writes it.
    pub decider: String,
    pub bases: Vec<String>,
    pub articles: Vec<String>,
    pub recipients_to: Vec<String>,
    pub signer_title: String,
    pub signer_name: String,
    pub annex_title: String,
    pub annex_subtitle: String,
    pub annex: Vec<AnnexRow>,
    pub total: i64,
    /// "DỰ THẢO" on a draft.
    pub draft: bool,
}

/// What a decision holds, for [`document`].
#[derive(Debug, Clone)]
pub struct DocumentInput<'a> {
    pub parent_body: &'a str,
    pub body: &'a str,
    pub place: &'a str,
    pub number: &'a str,
    pub decided_on: Date,
    pub title: &'a str,
    pub signer_title: &'a str,
    pub signer_name: &'a str,
    pub bases: &'a [String],
    pub annex: Vec<AnnexRow>,
    pub draft: bool,
}

/// `8.190.000` (đồng, without the sign).
#[must_use]
pub fn format_dong(x: i64) -> String {
    crate::number::format_decimal(Decimal::from(x), 0)
}

/// The draft's text in the official layout (Phụ lục I NĐ 30/2020/NĐ-CP:
/// national header and motto, issuing body, number and symbol, place and
/// date, abstract, bases, articles, recipients, signature; the annex on
/// its own page).
#[must_use]
pub fn document(i: &DocumentInput<'_>) -> DecisionDocument {
    let total: i64 = i.annex.iter().map(|r| r.amount).sum();
    let count = |k: Recipient| i.annex.iter().filter(|r| r.recipient == k).count();
    let mut who = Vec::new();
    for (k, label) in [
        (Recipient::Individual, "cá nhân"),
        (Recipient::Collective, "tập thể"),
        (Recipient::Household, "hộ gia đình"),
    ] {
        let n = count(k);
        if n > 0 {
            who.push(format!("{n:02} {label}"));
        }
    }
    let mut forms: Vec<&str> = Vec::new();
    for r in &i.annex {
        if !forms.contains(&r.award_name.as_str()) {
            forms.push(&r.award_name);
        }
    }
    let body_title = i.body;
    let articles = vec![
        format!(
            "Điều 1. Tặng {} cho {} (có danh sách kèm theo), đã có thành tích xuất sắc trong phong trào thi đua.",
            forms.join(", "),
            who.join(", ")
        ),
        format!(
            "Điều 2. Tiền thưởng của mỗi cá nhân, tập thể, hộ gia đình ghi tại danh sách kèm theo, tính theo mức lương cơ sở có hiệu lực ngày ban hành Quyết định (Điều 49 đến Điều 55 Nghị định số 152/2025/NĐ-CP); tổng cộng {} đồng, chi từ Quỹ thi đua, khen thưởng của {}.",
            format_dong(total),
            body_title
        ),
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, Thủ trưởng cơ quan làm công tác thi đua, khen thưởng, Thủ trưởng các cơ quan, đơn vị có liên quan và các cá nhân, tập thể, hộ gia đình có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.".to_owned(),
    ];
    DecisionDocument {
        parent_body: i.parent_body.to_uppercase(),
        body: i.body.to_uppercase(),
        number_line: format!("Số: {}", i.number),
        place_date: place_date(i.place, i.decided_on),
        title: i.title.to_owned(),
        decider: format!(
            "{} {}",
            decider_title(i.signer_title),
            i.body.to_uppercase()
        ),
        bases: i.bases.to_vec(),
        articles,
        recipients_to: vec!["- Như Điều 3;".to_owned(), "- Lưu: VT, TĐKT.".to_owned()],
        signer_title: i.signer_title.to_uppercase(),
        signer_name: i.signer_name.to_owned(),
        annex_title: "DANH SÁCH KHEN THƯỞNG".to_owned(),
        annex_subtitle: format!(
            "(Kèm theo Quyết định số {} ngày {} của {})",
            i.number,
            crate::date::format_vn(i.decided_on),
            body_title
        ),
        annex: i.annex.clone(),
        total,
        draft: i.draft,
    }
}

/// Who decides, from a signature title: `KT. CHỦ TỊCH / PHÓ CHỦ TỊCH`
/// decides as `CHỦ TỊCH` (a deputy signs on behalf, *ký thay*; Phụ lục I
/// NĐ 30/2020/NĐ-CP, mục thẩm quyền ký).
#[must_use]
pub fn decider_title(signer_title: &str) -> String {
    let t = signer_title.trim();
    let t = t.split('/').next().unwrap_or(t).trim();
    let upper = t.to_uppercase();
    for prefix in ["KT.", "TM.", "Q.", "TL.", "TUQ."] {
        if let Some(rest) = upper.strip_prefix(prefix) {
            return rest.trim().to_owned();
        }
    }
    upper
}

/// Who decided, as the registry records it: the decider's title before the
/// issuing body (`Chủ tịch Ủy ban nhân dân thành phố Cần Thơ`), or the body
/// alone when its name already says who decides (`Thủ tướng Chính phủ`, not
/// `Thủ tướng Thủ tướng Chính phủ`).
#[must_use]
pub fn decided_by(signer_title: &str, body: &str) -> String {
    let title = decider_title(signer_title).to_lowercase();
    let body = body.trim();
    if title.is_empty() || body.to_lowercase().starts_with(&title) {
        return body.to_owned();
    }
    let mut c = title.chars();
    let title = c
        .next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default();
    format!("{title} {body}")
}

/// What the payment of a decision's reward money leaves in the issuing
/// body's emulation and commendation fund for the year, when it would take
/// the fund below zero: a warning in Vietnamese, not a refusal. Điều 46–48
/// NĐ 152/2025/NĐ-CP set the fund's sources and its uses; the notes hold no
/// rule that bars a commendation, or its money (Điều 49), because the fund is
/// short, so the decision is still issued and the ledger shows the deficit
/// for the office to cover from the fund's sources.
#[must_use]
pub fn fund_shortfall(balance: i64, payment: i64, year: i32) -> Option<String> {
    let after = balance.checked_sub(payment)?;
    (payment > 0 && after < 0).then(|| {
        format!(
            "Quỹ thi đua, khen thưởng năm {year} của cơ quan ban hành còn {} đ; tiền thưởng của quyết định này là {} đ: ban hành thì quỹ âm {} đ. Quyết định vẫn ban hành được; cần bổ sung nguồn quỹ (Điều 46 NĐ 152/2025/NĐ-CP) để chi đủ tiền thưởng (Điều 49).",
            format_dong(balance),
            format_dong(payment),
            format_dong(-after)
        )
    })
}

/// A receipt or payment of an emulation and commendation fund.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FundKind {
    /// Money entered into the fund (budget allocation, contributions).
    Receipt,
    /// Reward money paid for a decision (written when it is issued).
    Payment,
}

impl FundKind {
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Receipt => "receipt",
            Self::Payment => "payment",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Receipt => "Thu",
            Self::Payment => "Chi",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "receipt" => Some(Self::Receipt),
            "payment" => Some(Self::Payment),
            _ => None,
        }
    }
}

/// A receipt an officer enters, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReceipt {
    pub entry_date: Date,
    /// Đồng, positive.
    pub amount: i64,
    pub description: String,
}

impl NewReceipt {
    /// # Errors
    /// A bad date (or one in the future), an amount that is not a positive
    /// whole number of đồng, no description.
    pub fn parse(
        entry_date: &str,
        amount: &str,
        description: &str,
        today: Date,
    ) -> Result<Self, DomainError> {
        let entry_date = crate::date::parse(entry_date)
            .map_err(|m| DomainError::invalid("entry_date", format!("Ngày thu: {m}")))?;
        if entry_date > today {
            return Err(DomainError::invalid(
                "entry_date",
                format!(
                    "Ngày thu {} ở tương lai.",
                    crate::date::format_vn(entry_date)
                ),
            ));
        }
        let amount = match crate::number::parse_vi(amount.trim().trim_end_matches('đ').trim()) {
            Ok(a)
                if a > Decimal::ZERO
                    && a.fract().is_zero()
                    && a < Decimal::from(1_000_000_000_000_i64) =>
            {
                dong(a)
            }
            _ => {
                return Err(DomainError::invalid(
                    "amount",
                    format!(
                        "Số tiền «{}» phải là số đồng nguyên dương (vd. 50.000.000).",
                        amount.trim()
                    ),
                ))
            }
        };
        let description = one_line(description);
        if description.is_empty() {
            return Err(DomainError::invalid(
                "description",
                "Phải ghi nội dung khoản thu (vd. Ngân sách cấp năm 2026).",
            ));
        }
        Ok(Self {
            entry_date,
            amount,
            description,
        })
    }
}

/// Receipts, payments and the balance of a fund over a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Balance {
    pub receipts: i64,
    pub payments: i64,
    pub balance: i64,
}

/// Sums `(kind, amount)` entries in order; the running balance after each.
#[must_use]
pub fn ledger(entries: &[(FundKind, i64)]) -> (Vec<i64>, Balance) {
    let mut b = Balance::default();
    let running = entries
        .iter()
        .map(|(k, a)| {
            match k {
                FundKind::Receipt => b.receipts += a,
                FundKind::Payment => b.payments += a,
            }
            b.balance = b.receipts - b.payments;
            b.balance
        })
        .collect();
    (running, b)
}

#[cfg(test)]
mod tests;
