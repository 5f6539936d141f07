//! `tdkt import ratings|discipline|initiatives|evaluations FILE.csv`: rows checked one
//! by one (row and column named in every refusal, in Vietnamese), people
//! found by the keyed hash of their CCCD, then written in one transaction
//! with one audit event, all or nothing unless `skip_invalid`.
//!
//! Re-importing a file changes nothing: a rating is keyed by subject and
//! year (a different rating for the same year corrects it), a discipline by
//! person and decision number, an initiative by person, title and date, an
//! evaluation by person and period (another level for a period already on
//! file is refused: it is corrected on the person page, not by a file).

use std::collections::HashMap;

use serde::Serialize;
use tdkt_core::cccd::Cccd;
use tdkt_core::import::{Report, RowError};
use tdkt_core::org::Unit;
use tdkt_core::period::Period;
use tdkt_core::rating::{DisciplineLevel, InitiativeKind, Rating, Scope};
use tdkt_core::{text, DomainError};
use time::Date;

use super::{check_year, describe_periods, employed_in};
use crate::audit::{audit, json};
use crate::awards::import::{normalise_header, ImportOptions};
use crate::{with_pool, write_tx, Result, Store};

/// Which kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum InputFile {
    Ratings,
    Discipline,
    Initiatives,
    Evaluations,
}

/// (canonical name, folded aliases, required).
type Col = (&'static str, &'static [&'static str], bool);

impl InputFile {
    /// The columns of the file, in the order `docs/rules.md` lists them.
    #[must_use]
    pub fn columns(self) -> &'static [Col] {
        match self {
            Self::Ratings => &[
                ("cccd", &["so cccd", "can cuoc", "so can cuoc"], false),
                ("unit_code", &["ma don vi", "don vi"], false),
                ("year", &["nam", "nam xep loai", "nam danh gia"], true),
                (
                    "rating",
                    &["xep loai", "muc xep loai", "ket qua xep loai", "danh gia"],
                    true,
                ),
                ("note", &["ghi chu"], false),
            ],
            Self::Discipline => &[
                ("cccd", &["so cccd", "can cuoc", "so can cuoc"], true),
                (
                    "level",
                    &["hinh thuc", "hinh thuc ky luat", "muc ky luat"],
                    true,
                ),
                ("decision_no", &["so quyet dinh", "so qd"], true),
                (
                    "decision_date",
                    &["ngay quyet dinh", "ngay qd", "ngay ky"],
                    true,
                ),
                ("effective_on", &["ngay hieu luc", "hieu luc tu"], false),
                ("months", &["thoi han", "thoi han thang", "so thang"], false),
                ("reason", &["ly do", "noi dung"], false),
            ],
            Self::Initiatives => &[
                ("cccd", &["so cccd", "can cuoc", "so can cuoc"], true),
                ("kind", &["loai"], false),
                ("title", &["ten", "ten sang kien", "ten de tai"], true),
                (
                    "scope",
                    &["pham vi", "pham vi anh huong", "cap cong nhan"],
                    true,
                ),
                ("recognised_on", &["ngay cong nhan", "ngay"], true),
                ("decision_no", &["so quyet dinh", "so qd"], false),
            ],
            Self::Evaluations => &[
                ("cccd", &["so cccd", "can cuoc", "so can cuoc"], true),
                (
                    "period",
                    &["ky", "ky danh gia", "thang", "quy", "thang quy"],
                    true,
                ),
                (
                    "level",
                    &["muc", "xep loai", "muc xep loai", "ket qua", "danh gia"],
                    true,
                ),
                ("note", &["ghi chu"], false),
            ],
        }
    }

    fn entity(self) -> &'static str {
        match self {
            Self::Ratings => "rating",
            Self::Discipline => "discipline",
            Self::Initiatives => "initiative",
            Self::Evaluations => "evaluation",
        }
    }
}

/// Where each column sits, and what the file calls it.
struct Header {
    index: HashMap<&'static str, usize>,
    names: Vec<String>,
}

impl Header {
    fn parse(kind: InputFile, names: &[String]) -> std::result::Result<Self, String> {
        let mut index = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            let h = normalise_header(n);
            if let Some((code, _, _)) = kind
                .columns()
                .iter()
                .find(|(c, aliases, _)| normalise_header(c) == h || aliases.contains(&h.as_str()))
            {
                index.entry(*code).or_insert(i);
            }
        }
        let missing: Vec<&str> = kind
            .columns()
            .iter()
            .filter(|(c, _, req)| *req && !index.contains_key(c))
            .map(|(c, _, _)| *c)
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "Tệp thiếu cột bắt buộc: {} (dòng tiêu đề có: {}).",
                missing.join(", "),
                names.join(", ")
            ));
        }
        if kind == InputFile::Ratings
            && !index.contains_key("cccd")
            && !index.contains_key("unit_code")
        {
            return Err("Tệp xếp loại phải có cột cccd (cá nhân) hoặc unit_code (tập thể).".into());
        }
        Ok(Self {
            index,
            names: names.to_vec(),
        })
    }

    fn get<'a>(&self, row: &'a [String], c: &str) -> &'a str {
        self.index
            .get(c)
            .and_then(|i| row.get(*i))
            .map_or("", |s| s.trim())
    }

    fn name(&self, c: &str) -> String {
        self.index
            .get(c)
            .and_then(|i| self.names.get(*i))
            .map_or_else(
                || c.to_owned(),
                |n| n.trim_start_matches('\u{feff}').trim().to_owned(),
            )
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct InputReport {
    /// Rows read and refused, as every import reports them.
    #[serde(flatten)]
    pub file: Report,
    /// New rows, and ratings whose value changed.
    pub written: u64,
    /// Rows already on file as they are: nothing done.
    pub unchanged: u64,
    /// `false` when refused rows made an all-or-nothing import roll back.
    pub committed: bool,
}

enum Pending {
    Rating {
        person: Option<i64>,
        unit: Option<i64>,
        year: i32,
        rating: Rating,
        note: String,
    },
    Discipline {
        person: i64,
        level: DisciplineLevel,
        decision_no: String,
        decision_date: Date,
        effective_on: Date,
        months: Option<i32>,
        reason: String,
    },
    Initiative {
        person: i64,
        kind: &'static str,
        title: String,
        scope: Scope,
        recognised_on: Date,
        decision_no: String,
    },
    Evaluation {
        person: i64,
        period: Period,
        level: Rating,
        note: String,
    },
}

impl Pending {
    fn key(&self) -> String {
        match self {
            Self::Rating {
                person, unit, year, ..
            } => match (person, unit) {
                (Some(p), _) => format!("p:{p}|{year}"),
                (None, u) => format!("u:{}|{year}", u.unwrap_or_default()),
            },
            Self::Discipline {
                person,
                decision_no,
                ..
            } => format!("{person}|{}", crate::awards::decision_key(decision_no)),
            Self::Initiative {
                person,
                title,
                recognised_on,
                ..
            } => format!("{person}|{}|{recognised_on}", text::fold(title)),
            Self::Evaluation { person, period, .. } => format!("{person}|{}", period.code()),
        }
    }
}

/// A person as an import needs them.
#[derive(Clone)]
struct Found {
    id: i64,
    name: String,
    periods: Vec<(Date, Option<Date>)>,
}

fn cell_date(s: &str) -> std::result::Result<Date, String> {
    let s = s.split(['T', ' ']).next().unwrap_or(s);
    tdkt_core::date::parse(s)
}

const BATCH: usize = 400;

impl Store {
    async fn find_by_cccd(&self, cccd: &Cccd) -> Result<Option<Found>> {
        let index = self.secrets.cccd_index(cccd.expose());
        let row: Option<(i64, String)> = with_pool!(self, |p| sqlx::query_as(
            "select id, full_name from people where cccd_hash = $1"
        )
        .bind(&index)
        .fetch_optional(p)
        .await?);
        let Some((id, name)) = row else {
            return Ok(None);
        };
        Ok(Some(Found {
            id,
            name,
            periods: self.service_periods(id).await?,
        }))
    }

    /// Imports ratings, discipline decisions or initiatives read from a file
    /// whose first row is `header`.
    ///
    /// # Errors
    /// A missing required column (`Invalid`, field `header`) or a database
    /// failure; refused rows are in the report, not errors.
    pub async fn import_inputs<I>(
        &self,
        actor: &str,
        kind: InputFile,
        header: &[String],
        rows: I,
        opts: &ImportOptions,
    ) -> Result<InputReport>
    where
        I: Iterator<Item = crate::awards::file::RowResult>,
    {
        let h = Header::parse(kind, header).map_err(|m| DomainError::invalid("header", m))?;
        let today = tdkt_core::date::today_vn();
        let units: HashMap<String, Unit> = self
            .units()
            .await?
            .into_iter()
            .map(|u| (u.code.clone(), u))
            .collect();
        let mut people: HashMap<String, Option<Found>> = HashMap::new();
        // evaluations already on file, per person: period code → level code
        let mut on_file: HashMap<i64, HashMap<String, String>> = HashMap::new();
        let mut seen: HashMap<String, u64> = HashMap::new();
        let mut pending: Vec<Pending> = Vec::new();
        let mut report = InputReport {
            file: Report::keeping(opts.max_errors),
            ..InputReport::default()
        };
        let mut row_no = 1u64;
        for row in rows {
            row_no += 1;
            let row = match row {
                Ok(r) => r,
                Err(e) => {
                    report.file.reject(e);
                    continue;
                }
            };
            if row.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            report.file.rows += 1;
            let checked: std::result::Result<Pending, (&str, String)> = async {
                let person = match h.get(&row, "cccd") {
                    "" => None,
                    raw => {
                        let c = Cccd::parse(raw).map_err(|e| ("cccd", e.message().to_owned()))?;
                        let key = self.secrets.cccd_index(c.expose());
                        if !people.contains_key(&key) {
                            let found = self.find_by_cccd(&c).await.map_err(|e| ("cccd", e.to_string()))?;
                            people.insert(key.clone(), found);
                        }
                        match people.get(&key).cloned().flatten() {
                            Some(f) => Some(f),
                            None => {
                                return Err((
                                    "cccd",
                                    format!("không có người mang số CCCD {} trong hệ thống.", c.masked()),
                                ))
                            }
                        }
                    }
                };
                match kind {
                    InputFile::Ratings => {
                        let unit = match h.get(&row, "unit_code") {
                            "" => None,
                            code => Some(units.get(code).ok_or_else(|| {
                                ("unit_code", format!("không có đơn vị mã «{code}»."))
                            })?),
                        };
                        let raw_year = h.get(&row, "year");
                        let year: i32 = raw_year
                            .split('.')
                            .next()
                            .unwrap_or_default()
                            .parse()
                            .map_err(|_| ("year", format!("«{raw_year}» không phải năm (4 chữ số).")))?;
                        check_year(year, today).map_err(|m| ("year", m))?;
                        let raw = h.get(&row, "rating");
                        let rating = Rating::parse(raw).ok_or_else(|| {
                            ("rating", format!("«{raw}» không phải mức xếp loại (hoàn thành xuất sắc / tốt / hoàn thành / không hoàn thành nhiệm vụ)."))
                        })?;
                        let note = h.get(&row, "note").to_owned();
                        match (person, unit) {
                            (Some(_), Some(_)) => Err(("unit_code", "chỉ ghi một trong hai: số CCCD (cá nhân) hoặc mã đơn vị (tập thể).".to_owned())),
                            (None, None) => Err(("cccd", "trống: ghi số CCCD (cá nhân) hoặc mã đơn vị (tập thể).".to_owned())),
                            (Some(p), None) => {
                                if !employed_in(&p.periods, year) {
                                    return Err(("year", format!(
                                        "{} không công tác trong năm {year} ({}): không thể xếp loại năm đó.",
                                        p.name, describe_periods(&p.periods)
                                    )));
                                }
                                Ok(Pending::Rating { person: Some(p.id), unit: None, year, rating, note })
                            }
                            (None, Some(u)) => {
                                if !u.valid_in_year(year) {
                                    return Err(("year", format!("đơn vị «{}» không hoạt động trong năm {year}.", u.name)));
                                }
                                Ok(Pending::Rating { person: None, unit: Some(u.id), year, rating, note })
                            }
                        }
                    }
                    InputFile::Discipline => {
                        let p = person.ok_or(("cccd", "trống.".to_owned()))?;
                        let raw = h.get(&row, "level");
                        let level = DisciplineLevel::parse(raw).ok_or_else(|| {
                            ("level", format!("«{raw}» không phải hình thức kỷ luật (khiển trách, cảnh cáo, hạ bậc lương, giáng chức, cách chức, buộc thôi việc)."))
                        })?;
                        let decision_no = h.get(&row, "decision_no").split_whitespace().collect::<Vec<_>>().join(" ");
                        if decision_no.is_empty() {
                            return Err(("decision_no", "trống.".to_owned()));
                        }
                        let decision_date = cell_date(h.get(&row, "decision_date")).map_err(|m| ("decision_date", m))?;
                        if decision_date > today {
                            return Err(("decision_date", format!("ngày {} ở tương lai.", tdkt_core::date::format_vn(decision_date))));
                        }
                        let effective_on = match h.get(&row, "effective_on") {
                            "" => decision_date,
                            s => cell_date(s).map_err(|m| ("effective_on", m))?,
                        };
                        let months = match h.get(&row, "months") {
                            "" => None,
                            s => Some(s.parse::<i32>().ok().filter(|m| (1..=120).contains(m)).ok_or_else(|| {
                                ("months", format!("«{s}» không phải số tháng từ 1 đến 120."))
                            })?),
                        };
                        Ok(Pending::Discipline {
                            person: p.id, level, decision_no, decision_date, effective_on, months,
                            reason: h.get(&row, "reason").to_owned(),
                        })
                    }
                    InputFile::Initiatives => {
                        let p = person.ok_or(("cccd", "trống.".to_owned()))?;
                        let raw = h.get(&row, "kind");
                        let kind = InitiativeKind::parse(raw).map(InitiativeKind::code).ok_or_else(|| ("kind", format!("«{raw}» không phải sáng kiến hoặc đề tài.")))?;
                        let title = h.get(&row, "title").split_whitespace().collect::<Vec<_>>().join(" ");
                        if title.is_empty() {
                            return Err(("title", "trống.".to_owned()));
                        }
                        let raw = h.get(&row, "scope");
                        let scope = Scope::parse(raw).ok_or_else(|| {
                            ("scope", format!("«{raw}» không phải phạm vi ảnh hưởng (cơ sở, cấp tỉnh/bộ, toàn quốc)."))
                        })?;
                        let recognised_on = cell_date(h.get(&row, "recognised_on")).map_err(|m| ("recognised_on", m))?;
                        if recognised_on > today {
                            return Err(("recognised_on", format!("ngày {} ở tương lai.", tdkt_core::date::format_vn(recognised_on))));
                        }
                        Ok(Pending::Initiative {
                            person: p.id, kind, title, scope, recognised_on,
                            decision_no: h.get(&row, "decision_no").to_owned(),
                        })
                    }
                    InputFile::Evaluations => {
                        let p = person.ok_or(("cccd", "trống.".to_owned()))?;
                        let period = tdkt_core::evaluation::parse_period(h.get(&row, "period")).map_err(|m| ("period", m))?;
                        let raw = h.get(&row, "level");
                        let level = Rating::parse(raw).ok_or_else(|| {
                            ("level", format!("«{raw}» không phải mức xếp loại (hoàn thành xuất sắc / tốt / hoàn thành / không hoàn thành nhiệm vụ)."))
                        })?;
                        if let Some(m) = super::evaluations::refuse_period(&period, &p.name, &p.periods, today) {
                            return Err(("period", m));
                        }
                        if let std::collections::hash_map::Entry::Vacant(slot) = on_file.entry(p.id) {
                            let had = self.person_evaluations(p.id).await.map_err(|e| ("cccd", e.to_string()))?;
                            slot.insert(had.into_iter().map(|e| (e.period, e.level)).collect());
                        }
                        let had: Option<Rating> = on_file.get(&p.id).and_then(|m| m.get(&period.code())).and_then(|c| Rating::parse(c));
                        if let Some(had) = had.filter(|h| *h != level) {
                            return Err(("level", format!(
                                "{} đã có đánh giá {} mức «{}»: sửa trên trang cá nhân, không nhập lại bằng tệp.",
                                p.name, period.label(), had.label()
                            )));
                        }
                        Ok(Pending::Evaluation { person: p.id, period, level, note: h.get(&row, "note").to_owned() })
                    }
                }
            }
            .await;
            match checked {
                Ok(p) => {
                    let key = p.key();
                    if let Some(first) = seen.get(&key) {
                        if matches!(p, Pending::Rating { .. } | Pending::Evaluation { .. }) {
                            let (col, what) = if matches!(p, Pending::Rating { .. }) {
                                ("year", "năm xếp loại")
                            } else {
                                ("period", "kỳ đánh giá")
                            };
                            report.file.reject(
                                RowError::new(
                                    row_no,
                                    h.name(col),
                                    format!("trùng {what} với dòng {first}."),
                                )
                                .with_fields(row),
                            );
                        } else {
                            report.unchanged += 1;
                        }
                        continue;
                    }
                    seen.insert(key, row_no);
                    pending.push(p);
                }
                Err((col, message)) => {
                    report
                        .file
                        .reject(RowError::new(row_no, h.name(col), message).with_fields(row));
                }
            }
        }
        if !report.file.is_clean() && !opts.skip_invalid {
            return Ok(report);
        }
        let now = crate::now_rfc3339();
        let total = pending.len() as u64;
        let written: u64 = write_tx!(self, |tx| {
            let mut written = 0u64;
            while !pending.is_empty() {
                let batch: Vec<Pending> = pending.drain(..pending.len().min(BATCH)).collect();
                let n = match kind {
                    InputFile::Ratings => {
                        let mut qb = sqlx::QueryBuilder::new(
                            "insert into annual_ratings (subject_kind, person_id, unit_id, year, rating, note, source, subject_key, created_at) ",
                        );
                        qb.push_values(batch, |mut b, p| {
                            let key = p.key();
                            if let Pending::Rating {
                                person,
                                unit,
                                year,
                                rating,
                                note,
                            } = p
                            {
                                b.push_bind(if person.is_some() { "person" } else { "unit" })
                                    .push_bind(person)
                                    .push_bind(unit)
                                    .push_bind(year)
                                    .push_bind(rating.code())
                                    .push_bind(note)
                                    .push_bind("imported")
                                    .push_bind(key)
                                    .push_bind(now.clone());
                            }
                        });
                        qb.push(
                            " on conflict (subject_key) do update set rating = excluded.rating, note = excluded.note, source = excluded.source
                              where annual_ratings.rating <> excluded.rating or annual_ratings.note <> excluded.note",
                        );
                        qb.build().execute(&mut *tx).await?.rows_affected()
                    }
                    InputFile::Discipline => {
                        let mut qb = sqlx::QueryBuilder::new(
                            "insert into discipline_records (person_id, level, decision_no, decision_date, effective_on, months, reason, source, dedupe_key, created_at) ",
                        );
                        qb.push_values(batch, |mut b, p| {
                            let key = p.key();
                            if let Pending::Discipline {
                                person,
                                level,
                                decision_no,
                                decision_date,
                                effective_on,
                                months,
                                reason,
                            } = p
                            {
                                b.push_bind(person)
                                    .push_bind(level.code())
                                    .push_bind(decision_no)
                                    .push_bind(decision_date)
                                    .push_bind(effective_on)
                                    .push_bind(months)
                                    .push_bind(reason)
                                    .push_bind("imported")
                                    .push_bind(key)
                                    .push_bind(now.clone());
                            }
                        });
                        qb.push(" on conflict (dedupe_key) do nothing");
                        qb.build().execute(&mut *tx).await?.rows_affected()
                    }
                    InputFile::Initiatives => {
                        let mut qb = sqlx::QueryBuilder::new(
                            "insert into initiatives (person_id, kind, title, scope, recognised_on, decision_no, source, dedupe_key, created_at) ",
                        );
                        qb.push_values(batch, |mut b, p| {
                            let key = p.key();
                            if let Pending::Initiative {
                                person,
                                kind,
                                title,
                                scope,
                                recognised_on,
                                decision_no,
                            } = p
                            {
                                b.push_bind(person)
                                    .push_bind(kind)
                                    .push_bind(title)
                                    .push_bind(scope.code())
                                    .push_bind(recognised_on)
                                    .push_bind(decision_no)
                                    .push_bind("imported")
                                    .push_bind(key)
                                    .push_bind(now.clone());
                            }
                        });
                        qb.push(" on conflict (dedupe_key) do nothing");
                        qb.build().execute(&mut *tx).await?.rows_affected()
                    }
                    InputFile::Evaluations => {
                        let mut qb = sqlx::QueryBuilder::new(
                            "insert into periodic_evaluations (person_id, period, period_kind, year, level, note, source, created_at) ",
                        );
                        qb.push_values(batch, |mut b, p| {
                            if let Pending::Evaluation {
                                person,
                                period,
                                level,
                                note,
                            } = p
                            {
                                b.push_bind(person)
                                    .push_bind(period.code())
                                    .push_bind(if matches!(period, Period::Quarter { .. }) {
                                        "quarter"
                                    } else {
                                        "month"
                                    })
                                    .push_bind(period.year())
                                    .push_bind(level.code())
                                    .push_bind(note)
                                    .push_bind("imported")
                                    .push_bind(now.clone());
                            }
                        });
                        // the same level for a period on file: nothing to do
                        qb.push(" on conflict (person_id, period) do nothing");
                        qb.build().execute(&mut *tx).await?.rows_affected()
                    }
                };
                written += n;
            }
            let after = serde_json::json!({
                "file": opts.source_name, "rows": report.file.rows, "written": written,
                "unchanged": total - written + report.unchanged, "rejected": report.file.rejected_count,
            });
            audit!(
                tx,
                actor,
                kind.entity(),
                "import",
                "import",
                None,
                json(&after)
            );
            written
        });
        report.unchanged += total - written;
        report.written = written;
        report.committed = true;
        Ok(report)
    }
}
