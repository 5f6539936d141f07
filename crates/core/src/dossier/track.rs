//! Special tracks of a dossier (issue 14): the kinds of commendation that
//! carry their own facts and checks besides the award's criteria.
//!
//! - **Sudden** (*khen thưởng đột xuất*, thành tích đặc biệt xuất sắc đột
//!   xuất: khoản 3, 4 Điều 3 NĐ 152/2025/NĐ-CP): follows the simplified
//!   procedure (Điều 85 Luật TĐKT 2022), whose documents and deadlines are
//!   data (`[[procedure]]` and `procedure = "don-gian"` deadlines of
//!   `catalogue/ho-so.toml`, read by [`super::procedure`]); the day of the
//!   act is recorded and may not be later than the day the dossier is
//!   received.
//! - **Long service** (*khen thưởng quá trình cống hiến*, Điều 9–10, 21 NĐ
//!   152/2025/NĐ-CP): the positions held and their periods are the key
//!   fact; they are checked and totalled with [`crate::tenure`].
//! - **Resistance** (*khen thưởng thành tích kháng chiến*, khoản 1 Điều 96
//!   Luật TĐKT 2022): the war (dated data, `[[war]]`) and the period of
//!   participation; dates outside the war, or a person born after it, are
//!   refused.
//!
//! *Bà mẹ Việt Nam anh hùng* needs no track of its own: its recipient
//! condition is the award's (`Award::check_recipient`), which the dossier,
//! the decision and the import all call.

use serde::{Deserialize, Serialize};
use time::Date;

use super::procedure::{Procedure, Procedures};
use crate::date::format_vn;
use crate::error::DomainError;
use crate::tenure::{self, Tenure};

/// The track of a dossier.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Track {
    #[default]
    Regular,
    Sudden,
    LongService,
    Resistance,
}

impl Track {
    pub const ALL: [Self; 4] = [
        Self::Regular,
        Self::Sudden,
        Self::LongService,
        Self::Resistance,
    ];

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Regular => "thuong",
            Self::Sudden => "dot-xuat",
            Self::LongService => "cong-hien",
            Self::Resistance => "khang-chien",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Regular => "Khen thưởng thường xuyên, chuyên đề",
            Self::Sudden => "Khen thưởng đột xuất (thủ tục đơn giản)",
            Self::LongService => "Khen thưởng quá trình cống hiến",
            Self::Resistance => "Khen thưởng thành tích kháng chiến",
        }
    }

    /// # Errors
    /// An unknown code, naming the field `track`.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(Self::Regular);
        }
        Self::ALL
            .into_iter()
            .find(|t| t.code() == s)
            .ok_or_else(|| {
                DomainError::invalid("track", format!("Loại khen thưởng «{s}» không tồn tại."))
            })
    }

    /// A sudden achievement is commended by the simplified procedure
    /// (điểm b khoản 1 Điều 85 Luật TĐKT 2022: cá nhân, tập thể lập được
    /// thành tích xuất sắc đột xuất; the article's list is from memory of
    /// the text, not verified against it here).
    #[must_use]
    pub fn procedure(self) -> Procedure {
        match self {
            Self::Sudden => Procedure::Simplified,
            _ => Procedure::Regular,
        }
    }
}

/// A war of the resistance-award track, as dated data (`[[war]]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct War {
    pub code: String,
    pub name: String,
    pub from: Date,
    pub to: Date,
    pub citation: String,
}

/// One position held (long service).
pub type ServicePeriod = Tenure<String>;

/// What the dossier records of one recipient on a special track.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Long service: positions and their periods (an open end counts to
    /// the day the dossier is received).
    pub service: Vec<ServicePeriod>,
    /// Resistance: the war's code and the period of participation.
    pub war: Option<String>,
    pub took_part_from: Option<Date>,
    pub took_part_to: Option<Date>,
}

impl Facts {
    fn is_empty(&self) -> bool {
        self.service.is_empty()
            && self.war.is_none()
            && self.took_part_from.is_none()
            && self.took_part_to.is_none()
    }
}

/// The recipient the facts are about: their name for the messages, and
/// their birth year where it is known (individuals).
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub name: &'a str,
    pub birth_year: Option<i32>,
}

/// Service time, totalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Service {
    pub days: i64,
    pub years: i64,
    pub months: i64,
}

impl Service {
    /// Days to whole years and months of the Gregorian calendar's average
    /// length (146 097 days in 400 years), without floats.
    #[must_use]
    pub fn of_days(days: i64) -> Self {
        let months = days * 4800 / 146_097;
        Self {
            days,
            years: months / 12,
            months: months % 12,
        }
    }

    #[must_use]
    pub fn label(&self) -> String {
        format!("{} năm {} tháng", self.years, self.months)
    }
}

fn fail(field: &'static str, who: &Subject<'_>, m: String) -> DomainError {
    let mut message = m;
    message.insert_str(0, &format!("{}: ", who.name));
    DomainError::invalid(field, message)
}

/// Checks the day of a sudden act against the day the dossier is received.
///
/// # Errors
/// `acted_on`: missing on a sudden dossier, later than `received`, or given
/// on another track.
pub fn check_act(track: Track, acted_on: Option<Date>, received: Date) -> Result<(), DomainError> {
    match (track, acted_on) {
        (Track::Sudden, None) => Err(DomainError::invalid(
            "acted_on",
            "Hồ sơ khen thưởng đột xuất phải ghi ngày lập thành tích (khoản 3, 4 Điều 3 NĐ 152/2025/NĐ-CP).",
        )),
        (Track::Sudden, Some(d)) if d > received => Err(DomainError::invalid(
            "acted_on",
            format!(
                "Ngày lập thành tích {} sau ngày nhận hồ sơ {}.",
                format_vn(d),
                format_vn(received)
            ),
        )),
        (Track::Sudden, Some(_)) | (_, None) => Ok(()),
        (_, Some(_)) => Err(DomainError::invalid(
            "acted_on",
            "Ngày lập thành tích đột xuất chỉ ghi cho hồ sơ khen thưởng đột xuất.",
        )),
    }
}

/// Checks one recipient's facts for `track`; for long service, returns the
/// total service time to the day the dossier is `received`.
///
/// # Errors
/// The first fact refused, naming its field (`service`, `war`,
/// `took_part_from`, `took_part_to`, `birth_year`) and the recipient.
pub fn check(
    track: Track,
    procs: &Procedures,
    who: &Subject<'_>,
    facts: &Facts,
    received: Date,
) -> Result<Option<Service>, DomainError> {
    match track {
        Track::Regular | Track::Sudden => {
            if facts.is_empty() {
                Ok(None)
            } else {
                Err(fail(
                    "track",
                    who,
                    "thời gian giữ chức vụ chỉ ghi cho khen thưởng quá trình cống hiến, cuộc kháng chiến chỉ ghi cho khen thưởng kháng chiến.".to_owned(),
                ))
            }
        }
        Track::LongService => check_service(who, facts, received).map(Some),
        Track::Resistance => check_resistance(procs, who, facts).map(|()| None),
    }
}

/// Điều 9–10, 21 NĐ 152/2025/NĐ-CP: a long-service award counts the years
/// in each position; the periods are those of [`tenure`] (no reversed or
/// overlapping period).
fn check_service(who: &Subject<'_>, facts: &Facts, received: Date) -> Result<Service, DomainError> {
    if facts.war.is_some() || facts.took_part_from.is_some() || facts.took_part_to.is_some() {
        return Err(fail(
            "war",
            who,
            "cuộc kháng chiến chỉ ghi cho khen thưởng kháng chiến.".to_owned(),
        ));
    }
    if facts.service.is_empty() {
        return Err(fail(
            "service",
            who,
            "khen thưởng quá trình cống hiến phải ghi các chức vụ đã giữ và thời gian giữ (Điều 21 NĐ 152/2025/NĐ-CP).".to_owned(),
        ));
    }
    for p in &facts.service {
        if p.value.trim().is_empty() {
            return Err(fail(
                "service",
                who,
                format!("thời gian từ {} thiếu tên chức vụ.", format_vn(p.start)),
            ));
        }
        if p.start > received {
            return Err(fail(
                "service",
                who,
                format!(
                    "chức vụ «{}» bắt đầu ngày {}, sau ngày nhận hồ sơ {}.",
                    p.value,
                    format_vn(p.start),
                    format_vn(received)
                ),
            ));
        }
        if let Some(born) = who.birth_year {
            if p.start.year() < born {
                return Err(fail(
                    "service",
                    who,
                    format!(
                        "chức vụ «{}» bắt đầu năm {}, trước năm sinh {born}.",
                        p.value,
                        p.start.year()
                    ),
                ));
            }
        }
    }
    tenure::check(tenure::Kind::Position, &facts.service)
        .map_err(|e| fail("service", who, e.to_string()))?;
    Ok(Service::of_days(tenure::total_days(
        &facts.service,
        received,
    )))
}

/// Khoản 1 Điều 96 Luật TĐKT 2022: a resistance award is for what was done
/// in the war; participation outside it, or by someone born after it, is
/// impossible data.
fn check_resistance(
    procs: &Procedures,
    who: &Subject<'_>,
    facts: &Facts,
) -> Result<(), DomainError> {
    if !facts.service.is_empty() {
        return Err(fail(
            "service",
            who,
            "thời gian giữ chức vụ chỉ ghi cho khen thưởng quá trình cống hiến.".to_owned(),
        ));
    }
    let Some(code) = facts.war.as_deref().filter(|c| !c.trim().is_empty()) else {
        return Err(fail(
            "war",
            who,
            "khen thưởng kháng chiến phải ghi cuộc kháng chiến đã tham gia.".to_owned(),
        ));
    };
    let war = procs.war(code).ok_or_else(|| {
        let known: Vec<&str> = procs.wars().iter().map(|w| w.code.as_str()).collect();
        fail(
            "war",
            who,
            format!(
                "cuộc kháng chiến «{code}» không có trong danh mục ({}).",
                known.join(", ")
            ),
        )
    })?;
    let (Some(from), Some(to)) = (facts.took_part_from, facts.took_part_to) else {
        return Err(fail(
            if facts.took_part_from.is_none() {
                "took_part_from"
            } else {
                "took_part_to"
            },
            who,
            "phải ghi thời gian tham gia kháng chiến (từ ngày, đến ngày).".to_owned(),
        ));
    };
    if to < from {
        return Err(fail(
            "took_part_to",
            who,
            format!(
                "thời gian tham gia kết thúc ngày {} trước ngày bắt đầu {}.",
                format_vn(to),
                format_vn(from)
            ),
        ));
    }
    let window = format!(
        "{} ({} – {}; {})",
        war.name,
        format_vn(war.from),
        format_vn(war.to),
        war.citation
    );
    if from < war.from {
        return Err(fail(
            "took_part_from",
            who,
            format!(
                "bắt đầu tham gia ngày {}, trước khi {window} bắt đầu.",
                format_vn(from)
            ),
        ));
    }
    if to > war.to {
        return Err(fail(
            "took_part_to",
            who,
            format!(
                "tham gia đến ngày {}, sau khi {window} đã kết thúc.",
                format_vn(to)
            ),
        ));
    }
    if let Some(born) = who.birth_year {
        if born > war.to.year() {
            return Err(fail(
                "birth_year",
                who,
                format!("sinh năm {born}, sau khi {window} đã kết thúc."),
            ));
        }
        if born > from.year() {
            return Err(fail(
                "birth_year",
                who,
                format!(
                    "sinh năm {born}, sau ngày bắt đầu tham gia {}.",
                    format_vn(from)
                ),
            ));
        }
    }
    Ok(())
}

/// Reads the facts a form lists, one line each: `who; value; from; to`,
/// `who` as the recipient is written in the list (a CCCD, a unit code),
/// `value` the position held (long service) or the war's code
/// (resistance), dates dd/mm/yyyy, `to` empty for a position still held.
/// A person with several positions has several lines. Returns the facts of
/// each `who`, in the order first seen.
///
/// # Errors
/// `facts`, naming the line: too few cells, a bad date, a second war for
/// the same recipient, facts on a track that has none.
pub fn parse_lines(t: Track, text: &str) -> Result<Vec<(String, Facts)>, DomainError> {
    let mut out: Vec<(String, Facts)> = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let bad = |m: String| {
            DomainError::invalid("facts", format!("Dòng {} «{}»: {m}", i + 1, line.trim()))
        };
        if !matches!(t, Track::LongService | Track::Resistance) {
            return Err(bad(
                "chỉ khen thưởng quá trình cống hiến và khen thưởng kháng chiến ghi thông tin này."
                    .to_owned(),
            ));
        }
        let cells: Vec<&str> = line.split(';').map(str::trim).collect();
        if cells.len() < 3 || cells[0].is_empty() || cells[1].is_empty() {
            return Err(bad(
                "cần «người được đề nghị; chức vụ hoặc mã cuộc kháng chiến; từ ngày; đến ngày»."
                    .to_owned(),
            ));
        }
        let date = |s: &str| -> Result<Option<Date>, DomainError> {
            if s.is_empty() {
                Ok(None)
            } else {
                crate::date::parse(s)
                    .map(Some)
                    .map_err(|m| bad(format!("ngày «{s}»: {m}")))
            }
        };
        let from = date(cells[2])?.ok_or_else(|| bad("thiếu ngày bắt đầu.".to_owned()))?;
        let to = date(cells.get(3).copied().unwrap_or(""))?;
        let at = match out.iter().position(|(k, _)| k == cells[0]) {
            Some(at) => at,
            None => {
                out.push((cells[0].to_owned(), Facts::default()));
                out.len() - 1
            }
        };
        let f = &mut out[at].1;
        if t == Track::LongService {
            f.service.push(Tenure {
                value: cells[1].to_owned(),
                start: from,
                end: to,
            });
        } else {
            if f.war.is_some() {
                return Err(bad(
                    "mỗi người ghi một thời gian tham gia kháng chiến.".to_owned()
                ));
            }
            f.war = Some(cells[1].to_owned());
            f.took_part_from = Some(from);
            f.took_part_to =
                Some(to.ok_or_else(|| bad("thiếu ngày kết thúc tham gia.".to_owned()))?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use time::macros::date;

    fn who(birth_year: Option<i32>) -> Subject<'static> {
        Subject {
            name: "Nguyễn Văn A",
            birth_year,
        }
    }

    fn period(value: &str, start: Date, end: Option<Date>) -> ServicePeriod {
        Tenure {
            value: value.to_owned(),
            start,
            end,
        }
    }

    #[test]
    fn a_sudden_dossier_follows_the_simplified_procedure_from_the_data() {
        let c = Catalogue::embedded();
        let p = c.procedures();
        assert_eq!(Track::Sudden.procedure(), Procedure::Simplified);
        assert!(!p.disclosed(Procedure::Simplified));
        assert!(p.disclosed(Procedure::Regular));
        let award = c.get("bang-khen-thu-tuong").unwrap();
        let on = date!(2026 - 03 - 01);
        let regular = p.checklist(Procedure::Regular, award, &["can-tho"], on);
        let simple = p.checklist(Procedure::Simplified, award, &["can-tho"], on);
        assert!(simple.len() < regular.len(), "{simple:?}");
        assert!(simple.iter().all(|r| r.citation.contains("Điều 85")));
        let class = super::super::LevelClass::Province;
        let regular_days = p
            .deadline(
                super::super::DeadlineKind::Handle,
                award,
                class,
                &["can-tho"],
                on,
                Procedure::Regular,
            )
            .unwrap()
            .days;
        let simple_days = p
            .deadline(
                super::super::DeadlineKind::Handle,
                award,
                class,
                &["can-tho"],
                on,
                Procedure::Simplified,
            )
            .unwrap()
            .days;
        assert!(
            simple_days < regular_days,
            "{simple_days} vs {regular_days}"
        );
    }

    #[test]
    fn form_lines_group_positions_by_recipient() {
        let got = parse_lines(
            Track::LongService,
            "001; Phó Vụ trưởng; 01/01/2010; 31/12/2015\n\n001; Vụ trưởng; 01/01/2016;\n002; Vụ trưởng; 01/01/2018",
        )
        .unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].1.service.len(), 2);
        assert_eq!(got[0].1.service[1].end, None);
        let e = parse_lines(Track::Resistance, "001; chong-my; 01/01/1968").unwrap_err();
        assert_eq!(e.field(), "facts");
        assert!(e.to_string().contains("Dòng 1"), "{e}");
        assert!(parse_lines(Track::Regular, "001; x; 01/01/2010").is_err());
    }

    #[test]
    fn the_day_of_a_sudden_act_is_required_and_not_after_receipt() {
        let rec = date!(2026 - 03 - 01);
        assert_eq!(
            check_act(Track::Sudden, None, rec).unwrap_err().field(),
            "acted_on"
        );
        assert!(check_act(Track::Sudden, Some(date!(2026 - 03 - 02)), rec).is_err());
        assert!(check_act(Track::Sudden, Some(date!(2026 - 02 - 20)), rec).is_ok());
        assert!(check_act(Track::Regular, Some(date!(2026 - 02 - 20)), rec).is_err());
    }

    #[test]
    fn long_service_totals_the_positions_and_refuses_overlaps() {
        let c = Catalogue::embedded();
        let rec = date!(2026 - 01 - 01);
        let facts = Facts {
            service: vec![
                period(
                    "Phó Vụ trưởng",
                    date!(2010 - 01 - 01),
                    Some(date!(2015 - 12 - 31)),
                ),
                period("Vụ trưởng", date!(2016 - 01 - 01), None),
            ],
            ..Facts::default()
        };
        let s = check(
            Track::LongService,
            c.procedures(),
            &who(Some(1970)),
            &facts,
            rec,
        )
        .unwrap()
        .unwrap();
        assert_eq!((s.years, s.months), (16, 0), "{s:?}");
        assert_eq!(s.label(), "16 năm 0 tháng");
        let overlap = Facts {
            service: vec![
                period(
                    "Phó Vụ trưởng",
                    date!(2010 - 01 - 01),
                    Some(date!(2016 - 06 - 30)),
                ),
                period("Vụ trưởng", date!(2016 - 01 - 01), None),
            ],
            ..Facts::default()
        };
        let e = check(
            Track::LongService,
            c.procedures(),
            &who(Some(1970)),
            &overlap,
            rec,
        )
        .unwrap_err();
        assert_eq!(e.field(), "service");
        assert!(
            e.to_string().contains("Nguyễn Văn A") && e.to_string().contains("chồng lên"),
            "{e}"
        );
        let none = check(
            Track::LongService,
            c.procedures(),
            &who(None),
            &Facts::default(),
            rec,
        )
        .unwrap_err();
        assert_eq!(none.field(), "service");
    }

    #[test]
    fn resistance_dates_outside_the_war_or_a_person_born_after_it_are_refused() {
        let c = Catalogue::embedded();
        let p = c.procedures();
        let rec = date!(2026 - 01 - 01);
        let facts = |war: &str, from: Date, to: Date| Facts {
            war: Some(war.to_owned()),
            took_part_from: Some(from),
            took_part_to: Some(to),
            ..Facts::default()
        };
        let ok = facts("chong-my", date!(1968 - 01 - 01), date!(1975 - 04 - 30));
        assert!(check(Track::Resistance, p, &who(Some(1950)), &ok, rec).is_ok());
        let late = facts("chong-my", date!(1968 - 01 - 01), date!(1976 - 01 - 01));
        let e = check(Track::Resistance, p, &who(Some(1950)), &late, rec).unwrap_err();
        assert_eq!(e.field(), "took_part_to");
        assert!(e.to_string().contains("30/4/1975"), "{e}");
        let e = check(Track::Resistance, p, &who(Some(1980)), &ok, rec).unwrap_err();
        assert_eq!(e.field(), "birth_year");
        let early = facts("chong-phap", date!(1940 - 01 - 01), date!(1950 - 01 - 01));
        assert_eq!(
            check(Track::Resistance, p, &who(Some(1920)), &early, rec)
                .unwrap_err()
                .field(),
            "took_part_from"
        );
        let unknown = facts("chong-xyz", date!(1968 - 01 - 01), date!(1970 - 01 - 01));
        assert_eq!(
            check(Track::Resistance, p, &who(Some(1950)), &unknown, rec)
                .unwrap_err()
                .field(),
            "war"
        );
        // facts of one track on another are refused
        assert_eq!(
            check(Track::Regular, p, &who(Some(1950)), &ok, rec)
                .unwrap_err()
                .field(),
            "track"
        );
    }
}
