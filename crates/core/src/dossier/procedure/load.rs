//! Reading the procedure tables of the catalogue files (`[[document]]`,
//! `[[deadline]]`, `[[documents]]`, `[[disclosure]]`, `[[procedure]]`,
//! `[[war]]`, a province's `[overlay]`) into [`Procedures`]: each entry
//! checked where it is written (dates, citation, days), then the references
//! between entries once every file is read (document kinds, award codes).

use std::collections::HashMap;

use serde::Deserialize;
use time::{Date, Month};

use super::{
    DeadlineKind, DeadlineRule, DocumentKind, ExtraDocuments, Procedure, Procedures, Scope, Stage,
    Variant,
};
use crate::catalogue::{Authority, AwardId, SourceError};
use crate::dossier::disclosure::{DisclosureRule, RawDisclosure};
use crate::dossier::LevelClass;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProcedure {
    code: Procedure,
    name: String,
    documents: Vec<String>,
    disclosure: bool,
    citation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawWar {
    code: String,
    name: String,
    from: String,
    to: String,
    citation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDocumentKind {
    code: String,
    name: String,
    citation: String,
    #[serde(default)]
    stage: Stage,
    #[serde(default)]
    max_age_months: Option<u32>,
    #[serde(default)]
    age_citation: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDeadline {
    kind: DeadlineKind,
    levels: Vec<LevelClass>,
    #[serde(default)]
    awards: Vec<String>,
    #[serde(default)]
    authority: Vec<Authority>,
    #[serde(default)]
    procedure: Procedure,
    days: Option<u32>,
    day: Option<String>,
    from: Option<String>,
    to: Option<String>,
    citation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDocuments {
    awards: Vec<String>,
    add: Vec<String>,
    citation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOverlay {
    id: String,
    scope_unit: String,
    decision: String,
    effective_from: String,
    effective_to: Option<String>,
}

/// The procedure tables of one catalogue file, as parsed.
pub(crate) struct FileTables {
    pub(crate) overlay: Option<toml::Spanned<RawOverlay>>,
    pub(crate) kinds: Vec<toml::Spanned<RawDocumentKind>>,
    pub(crate) deadlines: Vec<toml::Spanned<RawDeadline>>,
    pub(crate) documents: Vec<toml::Spanned<RawDocuments>>,
    pub(crate) disclosures: Vec<toml::Spanned<RawDisclosure>>,
    pub(crate) procedures: Vec<toml::Spanned<RawProcedure>>,
    pub(crate) wars: Vec<toml::Spanned<RawWar>>,
}

/// Gathers the procedure tables of the catalogue files, then checks their
/// references once every file is read.
#[derive(Default)]
pub(crate) struct Builder {
    kinds: Vec<(DocumentKind, SourceError)>,
    variants: Vec<(Variant, SourceError)>,
    wars: Vec<crate::dossier::track::War>,
    deadlines: Vec<(DeadlineRule, SourceError)>,
    extra: Vec<(ExtraDocuments, SourceError)>,
    award_docs: Vec<(String, Vec<String>, SourceError)>,
    disclosures: Vec<(DisclosureRule, SourceError)>,
}

/// The dates and the citation every dated entry of the data carries:
/// `from`/`to` read as dates, a citation present; `what` names the kind of
/// entry in the message.
fn dated_and_cited(
    what: &str,
    from: Option<&str>,
    to: Option<&str>,
    citation: &str,
) -> Result<(Option<Date>, Option<Date>), String> {
    let (Ok(from), Ok(to)) = (
        from.map(crate::date::parse).transpose(),
        to.map(crate::date::parse).transpose(),
    ) else {
        return Err(format!(
            "{what}: from/to không phải ngày hợp lệ (yyyy-mm-dd)."
        ));
    };
    if citation.trim().is_empty() {
        return Err(format!("{what} thiếu căn cứ (citation)."));
    }
    Ok((from, to))
}

fn parse_day(s: &str) -> Option<(u8, Month)> {
    let (d, m) = s.trim().split_once('/')?;
    let d: u8 = d.parse().ok()?;
    let m = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(2024, m, d).ok()?;
    Some((d, m))
}

impl Builder {
    pub(crate) fn add_file(
        &mut self,
        file: &str,
        src: &str,
        tables: FileTables,
        errors: &mut Vec<SourceError>,
    ) {
        let FileTables {
            overlay,
            kinds,
            deadlines,
            documents,
            disclosures,
            procedures,
            wars,
        } = tables;
        let at = |offset: usize, entry: Option<&str>| SourceError::at(file, src, offset, entry, "");
        let scope = match overlay {
            None => None,
            Some(o) => {
                let loc = at(o.span().start, None);
                let o = o.into_inner();
                let from = crate::date::parse(&o.effective_from);
                let to = o
                    .effective_to
                    .as_deref()
                    .map(crate::date::parse)
                    .transpose();
                match (from, to) {
                    (Ok(from), Ok(to))
                        if !o.decision.trim().is_empty() && !o.scope_unit.trim().is_empty() =>
                    {
                        Some(Scope {
                            id: o.id,
                            unit: o.scope_unit,
                            decision: o.decision,
                            from,
                            to,
                        })
                    }
                    (Err(m), _) | (_, Err(m)) => {
                        errors.push(SourceError {
                            message: format!("overlay: {m}"),
                            ..loc
                        });
                        return;
                    }
                    _ => {
                        errors.push(SourceError {
                            message: "lớp phủ phải ghi đơn vị áp dụng (scope_unit) và văn bản ban hành (decision).".to_owned(),
                            ..loc
                        });
                        return;
                    }
                }
            }
        };
        for k in kinds {
            let loc = at(k.span().start, None);
            let k = k.into_inner();
            if k.name.trim().is_empty() || k.citation.trim().is_empty() {
                errors.push(SourceError {
                    entry: Some(k.code.clone()),
                    message: "loại giấy tờ phải có tên (name) và căn cứ (citation).".to_owned(),
                    ..loc
                });
                continue;
            }
            self.kinds.push((
                DocumentKind {
                    code: k.code.clone(),
                    name: k.name,
                    citation: k.citation,
                    stage: k.stage,
                    max_age_months: k.max_age_months,
                    age_citation: k.age_citation,
                },
                SourceError {
                    entry: Some(k.code),
                    ..loc
                },
            ));
        }
        for p in procedures {
            let loc = at(p.span().start, None);
            let p = p.into_inner();
            if p.code == Procedure::Regular
                || p.name.trim().is_empty()
                || p.citation.trim().is_empty()
                || p.documents.is_empty()
            {
                errors.push(SourceError {
                    message: "thủ tục ([[procedure]]) phải là một thủ tục khác thủ tục thường (don-gian), có tên (name), giấy tờ (documents) và căn cứ (citation).".to_owned(),
                    ..loc
                });
                continue;
            }
            self.variants.push((
                Variant {
                    procedure: p.code,
                    name: p.name,
                    documents: p.documents,
                    disclosure: p.disclosure,
                    citation: p.citation,
                },
                loc,
            ));
        }
        for w in wars {
            let loc = at(w.span().start, None);
            let w = w.into_inner();
            match (crate::date::parse(&w.from), crate::date::parse(&w.to)) {
                (Ok(from), Ok(to)) if from <= to && !w.citation.trim().is_empty() => {
                    if self.wars.iter().any(|x| x.code == w.code) {
                        errors.push(SourceError {
                            message: format!("cuộc kháng chiến «{}» bị trùng.", w.code),
                            ..loc
                        });
                    } else {
                        self.wars.push(crate::dossier::track::War {
                            code: w.code,
                            name: w.name,
                            from,
                            to,
                            citation: w.citation,
                        });
                    }
                }
                _ => errors.push(SourceError {
                    entry: Some(w.code),
                    message: "cuộc kháng chiến ([[war]]): from, to là ngày hợp lệ (yyyy-mm-dd), from không sau to, và có căn cứ (citation).".to_owned(),
                    ..loc
                }),
            }
        }
        for d in deadlines {
            let loc = at(d.span().start, None);
            let d = d.into_inner();
            let fail = |m: &str| SourceError {
                message: m.to_owned(),
                ..loc.clone()
            };
            let (from, to) =
                match dated_and_cited("thời hạn", d.from.as_deref(), d.to.as_deref(), &d.citation)
                {
                    Ok(dates) => dates,
                    Err(m) => {
                        errors.push(fail(&m));
                        continue;
                    }
                };
            if d.levels.is_empty() || (d.awards.is_empty() && d.authority.is_empty()) {
                errors.push(fail(
                    "thời hạn phải ghi cấp áp dụng (levels) và awards hoặc authority.",
                ));
                continue;
            }
            let (days, day) = match (d.kind, d.days, d.day.as_deref()) {
                (DeadlineKind::SubmitBy, None, Some(s)) => match parse_day(s) {
                    Some(day) => (0, Some(day)),
                    None => {
                        errors.push(fail(&format!(
                            "day «{s}» không phải ngày/tháng (ví dụ \"10/12\")."
                        )));
                        continue;
                    }
                },
                (DeadlineKind::Handle | DeadlineKind::Refusal, Some(n), None)
                    if (1..=crate::workdays::MAX_DAYS).contains(&n) =>
                {
                    (n, None)
                }
                _ => {
                    errors.push(fail("thời hạn handle, refusal ghi days (số ngày làm việc, từ 1); submit-by ghi day (\"dd/mm\")."));
                    continue;
                }
            };
            self.deadlines.push((
                DeadlineRule {
                    kind: d.kind,
                    levels: d.levels,
                    awards: d.awards,
                    authority: d.authority,
                    procedure: d.procedure,
                    days,
                    day,
                    from,
                    to,
                    scope: scope.clone(),
                    citation: d.citation,
                },
                loc,
            ));
        }
        for d in disclosures {
            let loc = at(d.span().start, None);
            let d = d.into_inner();
            let fail = |m: &str| SourceError {
                message: m.to_owned(),
                ..loc.clone()
            };
            let (from, to) =
                match dated_and_cited("công khai", d.from.as_deref(), d.to.as_deref(), &d.citation)
                {
                    Ok(dates) => dates,
                    Err(m) => {
                        errors.push(fail(&m));
                        continue;
                    }
                };
            if d.awards.is_empty() && d.authority.is_empty() {
                errors.push(fail("công khai phải ghi awards hoặc authority."));
                continue;
            }
            if !(1..=crate::workdays::MAX_DAYS).contains(&d.days) {
                errors.push(fail("công khai: days là số ngày làm việc, từ 1."));
                continue;
            }
            self.disclosures.push((
                DisclosureRule {
                    awards: d.awards,
                    authority: d.authority,
                    days: d.days,
                    from,
                    to,
                    scope: scope.clone(),
                    citation: d.citation,
                    note: d.note,
                },
                loc,
            ));
        }
        for x in documents {
            let loc = at(x.span().start, None);
            let x = x.into_inner();
            let Some(scope) = scope.clone() else {
                errors.push(SourceError {
                    message: "[[documents]] (giấy tờ bổ sung) chỉ dùng trong tệp lớp phủ có mục [overlay].".to_owned(),
                    ..loc
                });
                continue;
            };
            self.extra.push((
                ExtraDocuments {
                    awards: x.awards,
                    add: x.add,
                    scope,
                    citation: x.citation,
                },
                loc,
            ));
        }
    }

    /// Records an award's `documents` for checking once all kinds are read.
    pub(crate) fn award_documents(
        &mut self,
        file: &str,
        src: &str,
        offset: usize,
        code: &str,
        documents: &[String],
    ) {
        if !documents.is_empty() {
            self.award_docs.push((
                code.to_owned(),
                documents.to_vec(),
                SourceError::at(file, src, offset, Some(code), ""),
            ));
        }
    }

    pub(crate) fn finish(
        self,
        awards: &HashMap<String, AwardId>,
        errors: &mut Vec<SourceError>,
    ) -> Procedures {
        let mut kinds: Vec<DocumentKind> = Vec::new();
        for (k, loc) in self.kinds {
            if kinds.iter().any(|x| x.code == k.code) {
                errors.push(SourceError {
                    message: format!("loại giấy tờ «{}» bị trùng.", k.code),
                    ..loc
                });
            } else {
                kinds.push(k);
            }
        }
        let known = |c: &str| kinds.iter().any(|k| k.code == c);
        let unknown_docs = |list: &[String]| -> Vec<String> {
            list.iter().filter(|c| !known(c)).cloned().collect()
        };
        let unknown_awards = |list: &[String]| -> Vec<String> {
            list.iter()
                .filter(|c| !awards.contains_key(c.as_str()))
                .cloned()
                .collect()
        };
        let mut national = HashMap::new();
        for (code, docs, loc) in self.award_docs {
            let bad = unknown_docs(&docs);
            if bad.is_empty() {
                national.insert(code, docs);
            } else {
                errors.push(SourceError {
                    message: format!(
                        "documents: loại giấy tờ chưa khai báo ([[document]]): {}.",
                        bad.join(", ")
                    ),
                    ..loc
                });
            }
        }
        let mut variants: Vec<Variant> = Vec::new();
        for (v, loc) in self.variants {
            let bad = unknown_docs(&v.documents);
            if variants.iter().any(|x| x.procedure == v.procedure) {
                errors.push(SourceError {
                    message: format!("thủ tục «{}» bị trùng.", v.procedure.code()),
                    ..loc
                });
            } else if bad.is_empty() {
                variants.push(v);
            } else {
                errors.push(SourceError {
                    message: format!(
                        "thủ tục: loại giấy tờ chưa khai báo ([[document]]): {}.",
                        bad.join(", ")
                    ),
                    ..loc
                });
            }
        }
        let mut deadlines = Vec::new();
        for (d, loc) in self.deadlines {
            let bad = unknown_awards(&d.awards);
            if bad.is_empty() {
                deadlines.push(d);
            } else {
                errors.push(SourceError {
                    message: format!("thời hạn: mã không có trong danh mục: {}.", bad.join(", ")),
                    ..loc
                });
            }
        }
        let mut extra = Vec::new();
        for (x, loc) in self.extra {
            let (bad_a, bad_d) = (unknown_awards(&x.awards), unknown_docs(&x.add));
            if bad_a.is_empty() && bad_d.is_empty() && !x.add.is_empty() {
                extra.push(x);
            } else {
                errors.push(SourceError {
                    message: format!(
                        "giấy tờ bổ sung: mã danh hiệu không có [{}], loại giấy tờ chưa khai báo [{}] (add không được trống).",
                        bad_a.join(", "),
                        bad_d.join(", ")
                    ),
                    ..loc
                });
            }
        }
        let mut disclosures = Vec::new();
        for (d, loc) in self.disclosures {
            let bad = unknown_awards(&d.awards);
            if bad.is_empty() {
                disclosures.push(d);
            } else {
                errors.push(SourceError {
                    message: format!("công khai: mã không có trong danh mục: {}.", bad.join(", ")),
                    ..loc
                });
            }
        }
        Procedures {
            kinds,
            variants,
            wars: self.wars,
            deadlines,
            extra,
            national,
            disclosures,
        }
    }
}
