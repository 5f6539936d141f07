//! The catalogue of emulation titles (*danh hiệu thi đua*) and commendation
//! forms (*hình thức khen thưởng*): data in `catalogue/awards.toml`, not code,
//! so that a new decree changes a file, not a release.
//!
//! Each entry carries a stable code (the slug of its Vietnamese name, e.g.
//! `lao-dong-tien-tien`), who may receive it, the deciding authority, the
//! cycle, the reward as a multiple of the base salary where a decree gives
//! one, the dates it is in force and the legal citation. Awards of the earlier
//! law (Luật TĐKT 2003, sửa đổi 2005, 2009, 2013) stay in the catalogue for
//! history: Điều 95 Luật TĐKT 2022 keeps recognising titles and forms given
//! before 01/01/2024.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::Date;

mod rewards;
mod source;

pub use rewards::{RewardMoney, RewardRule};
pub(crate) use source::line_col;
pub use source::SourceError;

use rewards::{reward_rules, RawReward};

/// Index of an award in its [`Catalogue`]; stable for one loaded catalogue.
pub type AwardId = u16;

/// Danh hiệu thi đua or hình thức khen thưởng (Điều 3 Luật TĐKT 2022).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AwardKind {
    /// Danh hiệu thi đua.
    Title,
    /// Hình thức khen thưởng.
    Form,
}

impl AwardKind {
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Title => "danh hiệu thi đua",
            Self::Form => "hình thức khen thưởng",
        }
    }
}

/// Who may receive an award (Điều 2 Luật TĐKT 2022: cá nhân, tập thể, hộ gia đình).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Recipient {
    Individual,
    Collective,
    Household,
}

impl Recipient {
    /// The stored code (the serde name).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Individual => "individual",
            Self::Collective => "collective",
            Self::Household => "household",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Individual => "cá nhân",
            Self::Collective => "tập thể",
            Self::Household => "hộ gia đình",
        }
    }
}

/// The level that decides the award.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Authority {
    /// Thủ trưởng cơ quan, tổ chức, đơn vị (cấp cơ sở).
    CoSo,
    /// Chủ tịch Ủy ban nhân dân cấp xã.
    CapXa,
    /// Bộ trưởng, Thủ trưởng ban, ngành, Chủ tịch UBND cấp tỉnh.
    CapTinh,
    /// Thủ tướng Chính phủ.
    ThuTuong,
    /// Chủ tịch nước.
    ChuTichNuoc,
}

impl Authority {
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::CoSo => "Thủ trưởng cơ quan, đơn vị cơ sở",
            Self::CapXa => "Chủ tịch UBND cấp xã",
            Self::CapTinh => "Bộ, ban, ngành, tỉnh",
            Self::ThuTuong => "Thủ tướng Chính phủ",
            Self::ChuTichNuoc => "Chủ tịch nước",
        }
    }
}

/// How often an award is considered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cycle {
    /// Hằng năm.
    Annual,
    /// Sau nhiều năm (chuỗi năm liên tục, niên hạn, sơ kết/tổng kết).
    MultiYear,
    /// Một lần (danh hiệu vinh dự, giải thưởng, kháng chiến).
    Once,
    /// Đột xuất.
    Sudden,
}

/// One award of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Award {
    pub id: AwardId,
    pub code: String,
    /// The name as the law writes it.
    pub name: String,
    pub kind: AwardKind,
    /// Family for grouping in lists: `danh-hieu-ca-nhan`, `huan-chuong`, …
    pub group: String,
    pub recipients: Vec<Recipient>,
    pub authority: Authority,
    pub cycles: Vec<Cycle>,
    /// Reward money, dated by the decree that sets it (NĐ 152/2025/NĐ-CP
    /// Điều 50–55 and earlier): see [`RewardRule`] and [`crate::reward`].
    pub rewards: Vec<RewardRule>,
    /// First day this catalogue tracks the award under the laws it cites.
    pub effective_from: Date,
    /// The award existed before `effective_from` (earlier ordinances and
    /// decrees): records of earlier years are history, not errors.
    pub existed_before: bool,
    /// Last day the award could be given (`None` = still in force).
    pub effective_to: Option<Date>,
    pub citation: String,
    /// For awards of the earlier law: the current award whose streaks this one
    /// continues (Điều 95 Luật TĐKT 2022).
    pub counts_as: Option<String>,
    /// Why the code is not the slug of the name, when it is not.
    pub code_exception: Option<String>,
    pub note: Option<String>,
    /// Conditions on the person who receives it that the registry can
    /// check from a CCCD or a person's record (see [`RecipientRule`]).
    pub recipient_rule: Option<RecipientRule>,
    /// The documents a dossier for it must carry (codes of
    /// [`crate::dossier::procedure::DocumentKind`]), nationally; a province's
    /// overlay may add its own ([`Catalogue::procedures`]).
    pub documents: Vec<String>,
}

/// What the registry can check about an individual recipient of one award,
/// from data (`recipient_gender`, `recipient_min_age`, `recipient_citation`
/// in the catalogue), never from code special-cased on the award: e.g. "Bà
/// mẹ Việt Nam anh hùng" goes to women old enough to be the mother of a
/// martyr (docs/rules.md explains the figure).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecipientRule {
    pub gender: Option<crate::person::Gender>,
    /// Least age, in whole years (decision year − birth year), at the date
    /// of the decision.
    pub min_age: Option<i32>,
    pub citation: String,
}

impl Award {
    /// Checks an individual recipient against [`Award::recipient_rule`]:
    /// `gender` and `birth_year` as known (from the CCCD or the person's
    /// record; `None` = unknown, not checked), the decision on `decided`.
    ///
    /// # Errors
    /// `("gender" | "birth_year", Vietnamese reason with the citation)`.
    pub fn check_recipient(
        &self,
        gender: Option<crate::person::Gender>,
        birth_year: Option<i32>,
        decided: Date,
    ) -> Result<(), (&'static str, String)> {
        let Some(rule) = &self.recipient_rule else {
            return Ok(());
        };
        if let (Some(want), Some(g)) = (rule.gender, gender) {
            if want != g {
                return Err((
                    "gender",
                    format!(
                        "«{}» chỉ tặng cho người {}; người nhận là {} ({}).",
                        self.name,
                        want.label(),
                        g.label(),
                        rule.citation
                    ),
                ));
            }
        }
        if let (Some(min), Some(born)) = (rule.min_age, birth_year) {
            let age = decided.year() - born;
            if age < min {
                return Err((
                    "birth_year",
                    format!(
                        "người nhận sinh năm {born}, đến năm quyết định {} mới {age} tuổi: «{}» cần người nhận từ {min} tuổi trở lên ({}).",
                        decided.year(),
                        self.name,
                        rule.citation
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The recipient kind an award's multiple is written for: an individual
    /// where the award is given to individuals, else its only recipient kind.
    #[must_use]
    pub fn reward_base_recipient(&self) -> Option<Recipient> {
        if self.accepts(Recipient::Individual) {
            Some(Recipient::Individual)
        } else if self.recipients.len() == 1 {
            Some(self.recipients[0])
        } else {
            None
        }
    }

    /// The reward rule in force on `d`, if the catalogue has one.
    #[must_use]
    pub fn reward_on(&self, d: Date) -> Option<&RewardRule> {
        self.rewards.iter().find(|r| r.in_force_on(d))
    }

    /// In force on `d`.
    #[must_use]
    pub fn in_force_on(&self, d: Date) -> bool {
        self.effective_from <= d && self.effective_to.is_none_or(|t| d <= t)
    }

    /// Could a record of achievement year `year` exist?
    #[must_use]
    pub fn could_exist_in(&self, year: i32) -> bool {
        (self.existed_before || self.effective_from.year() <= year)
            && self.effective_to.is_none_or(|t| year <= t.year())
    }

    #[must_use]
    pub fn accepts(&self, r: Recipient) -> bool {
        self.recipients.contains(&r)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    award: Vec<toml::Spanned<RawAward>>,
    /// Dossier procedure data (`catalogue/ho-so.toml`, `catalogue/tinh/*.toml`):
    /// see [`crate::dossier::procedure`].
    #[serde(default)]
    document: Vec<toml::Spanned<crate::dossier::procedure::RawDocumentKind>>,
    #[serde(default)]
    deadline: Vec<toml::Spanned<crate::dossier::procedure::RawDeadline>>,
    #[serde(default)]
    documents: Vec<toml::Spanned<crate::dossier::procedure::RawDocuments>>,
    overlay: Option<toml::Spanned<crate::dossier::procedure::RawOverlay>>,
    /// Public disclosure before the council (khoản 2 Điều 44 NĐ 152/2025):
    /// see [`crate::dossier::disclosure`].
    #[serde(default)]
    disclosure: Vec<toml::Spanned<crate::dossier::disclosure::RawDisclosure>>,
    #[serde(default)]
    procedure: Vec<toml::Spanned<crate::dossier::procedure::RawProcedure>>,
    #[serde(default)]
    war: Vec<toml::Spanned<crate::dossier::procedure::RawWar>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAward {
    code: String,
    name: String,
    kind: AwardKind,
    group: String,
    recipients: Vec<Recipient>,
    authority: Authority,
    cycle: Vec<Cycle>,
    #[serde(default)]
    reward: Vec<toml::Spanned<RawReward>>,
    effective_from: String,
    #[serde(default)]
    existed_before: bool,
    effective_to: Option<String>,
    citation: String,
    counts_as: Option<String>,
    code_exception: Option<String>,
    note: Option<String>,
    recipient_gender: Option<crate::person::Gender>,
    recipient_min_age: Option<i32>,
    recipient_citation: Option<String>,
    #[serde(default)]
    documents: Vec<String>,
}

/// The loaded, validated catalogue.
#[derive(Debug, Clone)]
pub struct Catalogue {
    awards: Vec<Award>,
    by_code: HashMap<String, AwardId>,
    procedures: crate::dossier::procedure::Procedures,
}

/// The shipped catalogue files, compiled into the binary.
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "catalogue/awards.toml",
        include_str!("../../../catalogue/awards.toml"),
    ),
    (
        "catalogue/ho-so.toml",
        include_str!("../../../catalogue/ho-so.toml"),
    ),
    (
        "catalogue/tinh/bac-ninh-qd-86-2025.toml",
        include_str!("../../../catalogue/tinh/bac-ninh-qd-86-2025.toml"),
    ),
];

impl Catalogue {
    /// The catalogue shipped with tdkt.
    ///
    /// # Panics
    /// Never in a released build: a test loads the same files.
    #[must_use]
    pub fn embedded() -> Self {
        match Self::load(EMBEDDED) {
            Ok(c) => c,
            Err(errors) => panic!("embedded catalogue is invalid: {}", errors[0]),
        }
    }

    /// Loads and validates `(file name, contents)` pairs.
    ///
    /// # Errors
    /// Every problem found, each with file, line and entry.
    pub fn load(files: &[(&str, &str)]) -> Result<Self, Vec<SourceError>> {
        let mut errors = Vec::new();
        let mut awards: Vec<Award> = Vec::new();
        let mut by_code: HashMap<String, AwardId> = HashMap::new();
        let mut counts_as_checks = Vec::new();
        let mut procedures = crate::dossier::procedure::Builder::default();
        for (file, src) in files {
            let raw: RawFile = match toml::from_str(src) {
                Ok(r) => r,
                Err(e) => {
                    errors.push(SourceError::from_toml(file, src, &e));
                    continue;
                }
            };
            procedures.add_file(
                file,
                src,
                crate::dossier::procedure::FileTables {
                    overlay: raw.overlay,
                    kinds: raw.document,
                    deadlines: raw.deadline,
                    documents: raw.documents,
                    disclosures: raw.disclosure,
                    procedures: raw.procedure,
                    wars: raw.war,
                },
                &mut errors,
            );
            for entry in raw.award {
                let offset = entry.span().start;
                let r = entry.into_inner();
                let err = |m: String| SourceError::at(file, src, offset, Some(&r.code), m);
                let slug = crate::text::slug(&r.name);
                if slug != r.code && r.code_exception.is_none() {
                    errors.push(err(format!(
                        "mã «{}» khác quy tắc slug của tên «{}» (phải là «{slug}»); nếu cố ý, ghi lý do ở code_exception.",
                        r.code, r.name
                    )));
                }
                if slug == r.code && r.code_exception.is_some() {
                    errors.push(err(
                        "code_exception thừa: mã đã đúng quy tắc slug.".to_owned()
                    ));
                }
                if by_code.contains_key(&r.code) {
                    errors.push(err(format!("mã «{}» bị trùng.", r.code)));
                    continue;
                }
                let effective_from = match crate::date::parse(&r.effective_from) {
                    Ok(d) => d,
                    Err(m) => {
                        errors.push(err(format!("effective_from: {m}")));
                        continue;
                    }
                };
                let effective_to = match r
                    .effective_to
                    .as_deref()
                    .map(crate::date::parse)
                    .transpose()
                {
                    Ok(d) => d,
                    Err(m) => {
                        errors.push(err(format!("effective_to: {m}")));
                        continue;
                    }
                };
                if let Some(to) = effective_to {
                    if to < effective_from {
                        errors.push(err(format!(
                            "hiệu lực không hợp lệ: kết thúc {} trước khi bắt đầu {}.",
                            crate::date::format_vn(to),
                            crate::date::format_vn(effective_from)
                        )));
                    }
                }
                if r.recipients.is_empty() {
                    errors.push(err(
                        "phải có ít nhất một đối tượng nhận (recipients).".to_owned()
                    ));
                }
                if r.cycle.is_empty() {
                    errors.push(err("phải có ít nhất một chu kỳ xét (cycle).".to_owned()));
                }
                if r.citation.trim().is_empty() {
                    errors.push(err("thiếu căn cứ pháp lý (citation).".to_owned()));
                }
                let rewards = reward_rules(file, src, offset, &r, &mut errors);
                if let Some(target) = &r.counts_as {
                    counts_as_checks.push((
                        file.to_string(),
                        *src,
                        offset,
                        r.code.clone(),
                        target.clone(),
                    ));
                }
                let recipient_rule = if r.recipient_gender.is_some()
                    || r.recipient_min_age.is_some()
                {
                    if r.recipient_citation
                        .as_deref()
                        .is_none_or(|c| c.trim().is_empty())
                    {
                        errors.push(err(
                            "điều kiện người nhận (recipient_gender, recipient_min_age) phải có recipient_citation.".to_owned(),
                        ));
                    }
                    if r.recipient_min_age.is_some_and(|a| !(1..=120).contains(&a)) {
                        errors.push(err("recipient_min_age phải từ 1 đến 120.".to_owned()));
                    }
                    if !r.recipients.contains(&Recipient::Individual) {
                        errors.push(err(
                            "điều kiện người nhận chỉ dùng cho hình thức trao cho cá nhân."
                                .to_owned(),
                        ));
                    }
                    Some(RecipientRule {
                        gender: r.recipient_gender,
                        min_age: r.recipient_min_age,
                        citation: r.recipient_citation.clone().unwrap_or_default(),
                    })
                } else {
                    if r.recipient_citation.is_some() {
                        errors.push(err(
                            "recipient_citation thừa: không có điều kiện người nhận.".to_owned(),
                        ));
                    }
                    None
                };
                let Ok(id) = AwardId::try_from(awards.len()) else {
                    errors.push(err("danh mục quá lớn.".to_owned()));
                    break;
                };
                procedures.award_documents(file, src, offset, &r.code, &r.documents);
                by_code.insert(r.code.clone(), id);
                awards.push(Award {
                    id,
                    code: r.code,
                    name: r.name,
                    kind: r.kind,
                    group: r.group,
                    recipients: r.recipients,
                    authority: r.authority,
                    cycles: r.cycle,
                    rewards,
                    effective_from,
                    existed_before: r.existed_before,
                    effective_to,
                    citation: r.citation,
                    counts_as: r.counts_as,
                    code_exception: r.code_exception,
                    note: r.note,
                    recipient_rule,
                    documents: r.documents,
                });
            }
        }
        for (file, src, offset, code, target) in counts_as_checks {
            if !by_code.contains_key(&target) || target == code {
                errors.push(SourceError::at(
                    &file,
                    src,
                    offset,
                    Some(&code),
                    format!("counts_as «{target}» không phải một mã khác trong danh mục."),
                ));
            }
        }
        let procedures = procedures.finish(&by_code, &mut errors);
        if errors.is_empty() {
            Ok(Self {
                awards,
                by_code,
                procedures,
            })
        } else {
            Err(errors)
        }
    }

    /// Dossier documents and deadlines ([`crate::dossier::procedure`]).
    #[must_use]
    pub fn procedures(&self) -> &crate::dossier::procedure::Procedures {
        &self.procedures
    }

    #[must_use]
    pub fn id(&self, code: &str) -> Option<AwardId> {
        self.by_code.get(code).copied()
    }

    #[must_use]
    pub fn get(&self, code: &str) -> Option<&Award> {
        self.id(code).map(|id| &self.awards[usize::from(id)])
    }

    /// # Panics
    /// When `id` does not come from this catalogue.
    #[must_use]
    pub fn award(&self, id: AwardId) -> &Award {
        &self.awards[usize::from(id)]
    }

    #[must_use]
    pub fn awards(&self) -> &[Award] {
        &self.awards
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.awards.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.awards.is_empty()
    }

    /// The award whose streaks `id` continues: itself, or its `counts_as`.
    #[must_use]
    pub fn canonical(&self, id: AwardId) -> AwardId {
        self.award(id)
            .counts_as
            .as_deref()
            .and_then(|c| self.id(c))
            .unwrap_or(id)
    }

    /// Awards whose name or code matches every token of `query`, diacritics-insensitive.
    pub fn search<'a>(&'a self, query: &'a str) -> impl Iterator<Item = &'a Award> + 'a {
        self.awards.iter().filter(move |a| {
            crate::text::matches(&format!("{} {}", crate::text::fold(&a.name), a.code), query)
        })
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;

    fn one(body: &str) -> String {
        format!(
            "[[award]]\n{body}\nname = \"Lao động tiên tiến\"\nkind = \"title\"\ngroup = \"g\"\nrecipients = [\"individual\"]\nauthority = \"co-so\"\ncycle = [\"annual\"]\neffective_from = \"2024-01-01\"\ncitation = \"Điều 24 Luật TĐKT 2022\"\n[[award.reward]]\nmultiple = \"0.3\"\nfrom = \"2024-01-01\"\ncitation = \"Điều 50\"\n"
        )
    }

    #[test]
    fn the_shipped_catalogue_loads() {
        let c = Catalogue::embedded();
        for code in [
            "lao-dong-tien-tien",
            "chien-si-thi-dua-co-so",
            "chien-si-thi-dua-cap-tinh",
            "chien-si-thi-dua-toan-quoc",
            "co-thi-dua-chinh-phu",
            "bang-khen-thu-tuong",
            "huan-chuong-lao-dong-hang-ba",
            "ba-me-viet-nam-anh-hung",
            "xa-phuong-thi-tran-tieu-bieu",
            "gia-dinh-van-hoa",
        ] {
            assert!(c.get(code).is_some(), "{code} is missing");
        }
        let on = Date::from_calendar_date(2026, time::Month::January, 1).unwrap();
        assert!(matches!(
            c.get("lao-dong-tien-tien").unwrap().reward_on(on).unwrap().money,
            RewardMoney::Multiple { multiple, .. } if multiple == Decimal::new(3, 1)
        ));
    }

    #[test]
    fn a_code_that_is_not_the_slug_is_refused_with_its_line() {
        let src = format!("# đầu tệp\n{}", one("code = \"ldtt\""));
        let e = Catalogue::load(&[("x.toml", &src)]).unwrap_err();
        assert_eq!(e[0].line, 2);
        assert_eq!(e[0].entry.as_deref(), Some("ldtt"));
        assert!(
            e[0].to_string()
                .starts_with("x.toml:2:1: mục «ldtt»: mã «ldtt» khác quy tắc slug"),
            "{}",
            e[0]
        );
    }

    #[test]
    fn duplicate_codes_are_refused() {
        let src = format!(
            "{}{}",
            one("code = \"lao-dong-tien-tien\""),
            one("code = \"lao-dong-tien-tien\"")
        );
        let e = Catalogue::load(&[("x.toml", &src)]).unwrap_err();
        assert!(e[0].message.contains("bị trùng"));
        assert_eq!(e[0].line, 15);
    }

    #[test]
    fn an_end_before_the_start_is_refused() {
        let src = one("code = \"lao-dong-tien-tien\"\neffective_to = \"2020-01-01\"");
        let e = Catalogue::load(&[("x.toml", &src)]).unwrap_err();
        assert!(e[0].message.contains("hiệu lực không hợp lệ"), "{}", e[0]);
    }

    #[test]
    fn a_type_error_points_at_its_line() {
        let src = one("code = \"lao-dong-tien-tien\"").replace("\"co-so\"", "\"xa\"");
        let e = Catalogue::load(&[("x.toml", &src)]).unwrap_err();
        assert_eq!(e[0].line, 7, "{}", e[0]);
    }

    #[test]
    fn a_heroic_mother_must_be_a_woman_old_enough_to_be_a_martyrs_mother() {
        use crate::person::Gender;
        use time::macros::date;
        let c = Catalogue::embedded();
        let bm = c.get("ba-me-viet-nam-anh-hung").unwrap();
        let rule = bm.recipient_rule.as_ref().unwrap();
        assert!(rule.citation.contains("Pháp lệnh"));
        let d = date!(2025 - 07 - 27);
        assert!(bm
            .check_recipient(Some(Gender::Female), Some(1930), d)
            .is_ok());
        let (field, m) = bm
            .check_recipient(Some(Gender::Female), Some(1992), d)
            .unwrap_err();
        assert_eq!(field, "birth_year");
        assert!(m.contains("sinh năm 1992") && m.contains("36 tuổi"), "{m}");
        let (field, m) = bm
            .check_recipient(Some(Gender::Male), Some(1930), d)
            .unwrap_err();
        assert_eq!(field, "gender");
        assert!(m.contains("chỉ tặng cho người nữ"), "{m}");
        // unknown facts are not held against the record
        assert!(bm.check_recipient(None, None, d).is_ok());
        // and other awards have no such rule
        let ldtt = c.get("lao-dong-tien-tien").unwrap();
        assert!(ldtt
            .check_recipient(Some(Gender::Male), Some(2010), d)
            .is_ok());
    }

    #[test]
    fn a_recipient_condition_without_its_citation_is_refused() {
        let src = one("code = \"lao-dong-tien-tien\"\nrecipient_gender = \"female\"");
        let e = Catalogue::load(&[("x.toml", &src)]).unwrap_err();
        assert!(e[0].message.contains("recipient_citation"), "{}", e[0]);
    }

    #[test]
    fn an_award_for_individuals_and_collectives_must_say_what_a_collective_receives() {
        let src = one("code = \"lao-dong-tien-tien\"")
            .replace("[\"individual\"]", "[\"individual\", \"collective\"]");
        let e = Catalogue::load(&[("x.toml", &src)]).unwrap_err();
        assert_eq!(e[0].line, 11, "{}", e[0]);
        assert!(e[0].message.contains("ghi collective"), "{}", e[0]);
        let ok = src.replace(
            "citation = \"Điều 50\"",
            "citation = \"Điều 50\"\ncollective = \"khoản 2 Điều 54\"",
        );
        assert!(Catalogue::load(&[("x.toml", &ok)]).is_ok());
    }

    #[test]
    fn an_award_without_money_or_a_reason_for_none_is_refused() {
        let src = one("code = \"lao-dong-tien-tien\"");
        let cut = &src[..src.find("[[award.reward]]").unwrap()];
        let e = Catalogue::load(&[("x.toml", cut)]).unwrap_err();
        assert!(e[0].message.contains("thiếu mức tiền thưởng"), "{}", e[0]);
        assert_eq!(e[0].line, 1);
        let none = format!("{cut}[[award.reward]]\nnone = \"không có\"\nmultiple = \"1\"\nfrom = \"2024-01-01\"\ncitation = \"x\"\n");
        let e = Catalogue::load(&[("x.toml", &none)]).unwrap_err();
        assert!(e[0].message.contains("đúng một trong multiple"), "{}", e[0]);
    }

    #[test]
    fn search_ignores_diacritics() {
        let c = Catalogue::embedded();
        assert!(c
            .search("lao dong tien tien")
            .any(|a| a.code == "lao-dong-tien-tien"));
        assert!(c
            .search("Bà mẹ")
            .any(|a| a.code == "ba-me-viet-nam-anh-hung"));
    }
}
