//! Lineage of org units: merges, splits, renames, transfers and dissolutions
//! with an effective date. Award history, streaks and quotas follow lineage,
//! so a title won by Hậu Giang in 2019 belongs to the history of today's Cần
//! Thơ (Nghị quyết 202/2025/QH15 về sắp xếp đơn vị hành chính cấp tỉnh, hiệu
//! lực 12/6/2025; chính quyền địa phương mới hoạt động từ 01/7/2025).

use std::collections::{BTreeSet, HashMap, VecDeque};

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::DomainError;
use crate::org::{Unit, UnitId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineageKind {
    /// Many units become one (the target may be new or one of them).
    Merge,
    /// One unit becomes several.
    Split,
    /// The unit keeps its identity under a new name.
    Rename,
    /// The unit moves under another parent.
    Transfer,
    /// The unit ends without successor.
    Dissolve,
}

impl LineageKind {
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Merge => "merge",
            Self::Split => "split",
            Self::Rename => "rename",
            Self::Transfer => "transfer",
            Self::Dissolve => "dissolve",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Merge => "sáp nhập",
            Self::Split => "chia tách",
            Self::Rename => "đổi tên",
            Self::Transfer => "chuyển đơn vị cấp trên",
            Self::Dissolve => "giải thể",
        }
    }

    /// # Errors
    /// Unknown kind, in Vietnamese.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match crate::text::fold(s).as_str() {
            "merge" | "sap nhap" => Ok(Self::Merge),
            "split" | "chia tach" => Ok(Self::Split),
            "rename" | "doi ten" => Ok(Self::Rename),
            "transfer" | "chuyen" => Ok(Self::Transfer),
            "dissolve" | "giai the" => Ok(Self::Dissolve),
            _ => Err(DomainError::invalid(
                "kind",
                format!("Loại sự kiện «{s}» không hợp lệ."),
            )),
        }
    }

    /// Does this event end the source units?
    #[must_use]
    pub fn ends_sources(self) -> bool {
        matches!(self, Self::Merge | Self::Split | Self::Dissolve)
    }
}

/// A lineage event as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineageEvent {
    pub id: i64,
    pub kind: LineageKind,
    pub effective: Date,
    pub from: Vec<UnitId>,
    pub to: Vec<UnitId>,
    /// Rename: the former name. Transfer: the former parent's code.
    pub detail: Option<String>,
    pub note: String,
}

/// A unit that came before another, with the event that linked them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Predecessor {
    pub unit: UnitId,
    pub event_id: i64,
    pub kind: LineageKind,
    pub effective: Date,
    /// 1 = directly merged/split into the unit; 2 = into one of those…
    pub depth: u32,
}

/// The lineage graph, built from all units and events (a few thousand rows:
/// small enough to hold whole).
#[derive(Debug, Clone, Default)]
pub struct Lineage {
    units: HashMap<UnitId, Unit>,
    events: Vec<LineageEvent>,
}

impl Lineage {
    #[must_use]
    pub fn new(units: impl IntoIterator<Item = Unit>, mut events: Vec<LineageEvent>) -> Self {
        events.sort_by_key(|e| (e.effective, e.id));
        Self {
            units: units.into_iter().map(|u| (u.id, u)).collect(),
            events,
        }
    }

    #[must_use]
    pub fn unit(&self, id: UnitId) -> Option<&Unit> {
        self.units.get(&id)
    }

    #[must_use]
    pub fn events(&self) -> &[LineageEvent] {
        &self.events
    }

    /// Checks a proposed event against the units it names.
    ///
    /// # Errors
    /// The first rule broken, in Vietnamese, naming the field.
    pub fn validate(
        &self,
        kind: LineageKind,
        effective: Date,
        from: &[UnitId],
        to: &[UnitId],
    ) -> Result<(), DomainError> {
        let (min_from, max_from, min_to, max_to) = match kind {
            LineageKind::Merge => (2, usize::MAX, 1, 1),
            LineageKind::Split => (1, 1, 2, usize::MAX),
            LineageKind::Rename | LineageKind::Transfer => (1, 1, 0, 0),
            LineageKind::Dissolve => (1, 1, 0, 0),
        };
        if from.len() < min_from || from.len() > max_from {
            return Err(DomainError::invalid(
                "from",
                match kind {
                    LineageKind::Merge => "Sáp nhập cần ít nhất hai đơn vị nguồn.".to_owned(),
                    _ => format!("Sự kiện {} phải có đúng một đơn vị nguồn.", kind.label()),
                },
            ));
        }
        if to.len() < min_to || to.len() > max_to {
            return Err(DomainError::invalid(
                "to",
                match kind {
                    LineageKind::Merge => {
                        "Sáp nhập phải có đúng một đơn vị hình thành sau sáp nhập.".to_owned()
                    }
                    LineageKind::Split => "Chia tách phải có ít nhất hai đơn vị mới.".to_owned(),
                    _ => format!("Sự kiện {} không có đơn vị đích.", kind.label()),
                },
            ));
        }
        let mut seen = BTreeSet::new();
        for id in from {
            if !seen.insert(*id) {
                return Err(DomainError::invalid(
                    "from",
                    "Một đơn vị được kê hai lần trong danh sách nguồn.",
                ));
            }
            let u = self.known(*id, "from")?;
            if u.valid_from >= effective {
                return Err(DomainError::invalid(
                    "effective_date",
                    format!(
                        "Ngày hiệu lực {} không hợp lệ: đơn vị «{}» chỉ tồn tại từ {}.",
                        crate::date::format_vn(effective),
                        u.name,
                        crate::date::format_vn(u.valid_from)
                    ),
                ));
            }
            if let Some(end) = u.valid_to {
                if end < effective {
                    return Err(DomainError::invalid(
                        "from",
                        format!(
                            "Đơn vị «{}» đã chấm dứt hoạt động từ {}.",
                            u.name,
                            crate::date::format_vn(end)
                        ),
                    ));
                }
            }
        }
        for id in to {
            let u = self.known(*id, "to")?;
            if let Some(end) = u.valid_to {
                if end < effective && !from.contains(id) {
                    return Err(DomainError::invalid(
                        "to",
                        format!(
                            "Không thể {} vào «{}»: đơn vị này đã giải thể hoặc chấm dứt từ {}.",
                            kind.label(),
                            u.name,
                            crate::date::format_vn(end)
                        ),
                    ));
                }
            }
            if u.valid_from > effective {
                return Err(DomainError::invalid(
                    "to",
                    format!(
                        "Đơn vị «{}» bắt đầu hiệu lực từ {}, sau ngày của sự kiện.",
                        u.name,
                        crate::date::format_vn(u.valid_from)
                    ),
                ));
            }
        }
        Ok(())
    }

    fn known(&self, id: UnitId, field: &'static str) -> Result<&Unit, DomainError> {
        self.units
            .get(&id)
            .ok_or_else(|| DomainError::invalid(field, format!("Không tìm thấy đơn vị #{id}.")))
    }

    /// The event that ended `unit` (merge, split or dissolve), if any.
    #[must_use]
    pub fn ending_event(&self, unit: UnitId) -> Option<&LineageEvent> {
        self.events
            .iter()
            .find(|e| e.kind.ends_sources() && e.from.contains(&unit) && !e.to.contains(&unit))
    }

    /// Units in being on `at` that carry on `unit` (itself if still in being).
    #[must_use]
    pub fn successors_at(&self, unit: UnitId, at: Date) -> Vec<UnitId> {
        let mut out = BTreeSet::new();
        let mut seen = BTreeSet::new();
        let mut queue = VecDeque::from([unit]);
        while let Some(u) = queue.pop_front() {
            if !seen.insert(u) {
                continue;
            }
            let Some(unit) = self.units.get(&u) else {
                continue;
            };
            if unit.valid_from > at {
                continue;
            }
            if unit.valid_on(at) {
                out.insert(u);
                continue;
            }
            if let Some(e) = self.ending_event(u) {
                if e.effective <= at {
                    queue.extend(e.to.iter().copied());
                }
            }
        }
        out.into_iter().collect()
    }

    /// Refuses a write dated `at` (a person's start, a move, a ballot or a
    /// round opened today) into a unit that is not in being on that day,
    /// naming the unit(s) that carry it on. Since the 2025 reorganisation
    /// (Nghị quyết 202/2025/QH15, chính quyền mới hoạt động từ 01/7/2025) a
    /// merged unit's work continues in its successor, and new records
    /// belong there (issue 12, item 9).
    ///
    /// # Errors
    /// The unit is unknown, not yet formed or already ended on `at`.
    pub fn require_in_being(
        &self,
        unit: UnitId,
        at: Date,
        field: &'static str,
    ) -> Result<&Unit, DomainError> {
        let u = self.known(unit, field)?;
        if u.valid_on(at) {
            return Ok(u);
        }
        let day = crate::date::format_vn(at);
        if at < u.valid_from {
            return Err(DomainError::invalid(
                field,
                format!(
                    "Đơn vị «{}» ({}) chưa được thành lập vào ngày {day} (thành lập ngày {}).",
                    u.name,
                    u.code,
                    crate::date::format_vn(u.valid_from)
                ),
            ));
        }
        Err(DomainError::invalid(field, self.ended_message(u, &day, at)))
    }

    /// As [`Lineage::require_in_being`] for a whole calendar year (an
    /// award's year of achievement): the unit must be in being on some day
    /// of it.
    ///
    /// # Errors
    /// The unit is unknown or not in being in `year`.
    pub fn require_in_year(
        &self,
        unit: UnitId,
        year: i32,
        field: &'static str,
    ) -> Result<&Unit, DomainError> {
        let u = self.known(unit, field)?;
        if u.valid_in_year(year) {
            return Ok(u);
        }
        let end = time::Date::from_calendar_date(year, time::Month::December, 31)
            .map_err(|_| DomainError::invalid(field, format!("Năm {year} không hợp lệ.")))?;
        if year < u.valid_from.year() {
            return Err(DomainError::invalid(
                field,
                format!(
                    "Đơn vị «{}» ({}) chưa được thành lập trong năm {year} (thành lập ngày {}).",
                    u.name,
                    u.code,
                    crate::date::format_vn(u.valid_from)
                ),
            ));
        }
        Err(DomainError::invalid(
            field,
            self.ended_message(u, &format!("năm {year}"), end),
        ))
    }

    /// “Đơn vị X đã chấm dứt hoạt động từ …; đơn vị kế thừa: Y (mã y)”.
    fn ended_message(&self, u: &Unit, when: &str, at: Date) -> String {
        let ended = u
            .valid_to
            .and_then(Date::next_day)
            .map(crate::date::format_vn)
            .unwrap_or_default();
        let how = self
            .ending_event(u.id)
            .map(|e| format!(" ({})", e.kind.label()))
            .unwrap_or_default();
        let successors: Vec<String> = self
            .successors_at(u.id, at)
            .into_iter()
            .filter_map(|id| self.units.get(&id))
            .map(|s| format!("«{}» (mã {})", s.name, s.code))
            .collect();
        let head = format!(
            "Đơn vị «{}» ({}) đã chấm dứt hoạt động từ ngày {ended}{how}, không thể ghi dữ liệu vào đơn vị này cho {when}",
            u.name, u.code
        );
        if successors.is_empty() {
            format!("{head}; đơn vị không có đơn vị kế thừa.")
        } else {
            format!(
                "{head}. Hãy ghi vào đơn vị kế thừa: {}.",
                successors.join(", ")
            )
        }
    }

    /// Every unit that came before `unit`, transitively, nearest first.
    #[must_use]
    pub fn predecessors(&self, unit: UnitId) -> Vec<Predecessor> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::from([unit]);
        let mut queue = VecDeque::from([(unit, 0u32)]);
        while let Some((u, depth)) = queue.pop_front() {
            for e in self
                .events
                .iter()
                .filter(|e| e.kind.ends_sources() && e.to.contains(&u))
            {
                for p in &e.from {
                    if seen.insert(*p) {
                        out.push(Predecessor {
                            unit: *p,
                            event_id: e.id,
                            kind: e.kind,
                            effective: e.effective,
                            depth: depth + 1,
                        });
                        queue.push_back((*p, depth + 1));
                    }
                }
            }
        }
        out
    }

    /// The events that formed `unit` directly (it is among their targets).
    pub fn formed_by(&self, unit: UnitId) -> impl Iterator<Item = &LineageEvent> {
        self.events
            .iter()
            .filter(move |e| e.to.contains(&unit) && !e.from.contains(&unit))
    }

    /// The events about `unit` itself: renames and transfers.
    pub fn own_events(&self, unit: UnitId) -> impl Iterator<Item = &LineageEvent> {
        self.events.iter().filter(move |e| {
            matches!(e.kind, LineageKind::Rename | LineageKind::Transfer) && e.from.contains(&unit)
        })
    }

    /// The name `unit` bore on `at`, following renames.
    #[must_use]
    pub fn name_at(&self, unit: UnitId, at: Date) -> Option<String> {
        let u = self.units.get(&unit)?;
        // The earliest rename after `at` holds the name that was in use then.
        self.own_events(unit)
            .filter(|e| e.kind == LineageKind::Rename && e.effective > at)
            .min_by_key(|e| e.effective)
            .and_then(|e| e.detail.clone())
            .or_else(|| Some(u.name.clone()))
    }

    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.units.values()
    }

    /// The unit with this code, in being or not (a code is never reused).
    #[must_use]
    pub fn by_code(&self, code: &str) -> Option<&Unit> {
        self.units().find(|u| u.code == code)
    }

    /// Units that carry `unit` on, by any date: the targets of the event that
    /// ended it, and theirs.
    fn next_units(&self, unit: UnitId) -> Vec<UnitId> {
        self.ending_event(unit)
            .map(|e| e.to.clone())
            .unwrap_or_default()
    }

    /// Everything `unit` sits under, across time: itself, its parents, the
    /// units that succeeded any of these, and their parents. An access scope
    /// rooted at any of them covers `unit`.
    #[must_use]
    pub fn ancestry(&self, unit: UnitId) -> Vec<UnitId> {
        let mut seen = BTreeSet::new();
        let mut queue = VecDeque::from([unit]);
        while let Some(u) = queue.pop_front() {
            if !seen.insert(u) {
                continue;
            }
            if let Some(p) = self.units.get(&u).and_then(|x| x.parent_id) {
                queue.push_back(p);
            }
            queue.extend(self.next_units(u));
        }
        seen.into_iter().collect()
    }

    /// [`Self::ancestry`] ordered nearest first (breadth first: the unit, then
    /// its parent and the units that carried it on, then theirs, …): the
    /// order in which a rule pack scoped to one of them is the most specific.
    #[must_use]
    pub fn ancestry_nearest(&self, unit: UnitId) -> Vec<UnitId> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        let mut queue = VecDeque::from([unit]);
        while let Some(u) = queue.pop_front() {
            if !seen.insert(u) {
                continue;
            }
            out.push(u);
            if let Some(p) = self.units.get(&u).and_then(|x| x.parent_id) {
                queue.push_back(p);
            }
            queue.extend(self.next_units(u));
        }
        out
    }

    /// The units an access scope rooted at `root` covers: its subtree and the
    /// subtrees of its predecessors (the inverse of [`Self::ancestry`]).
    #[must_use]
    pub fn scope(&self, root: UnitId) -> BTreeSet<UnitId> {
        let mut children: HashMap<UnitId, Vec<UnitId>> = HashMap::new();
        for u in self.units.values() {
            if let Some(p) = u.parent_id {
                children.entry(p).or_default().push(u.id);
            }
        }
        let mut seen = BTreeSet::new();
        let mut queue = VecDeque::from([root]);
        while let Some(u) = queue.pop_front() {
            if !seen.insert(u) {
                continue;
            }
            if let Some(c) = children.get(&u) {
                queue.extend(c.iter().copied());
            }
            for e in self
                .events
                .iter()
                .filter(|e| e.kind.ends_sources() && e.to.contains(&u))
            {
                queue.extend(e.from.iter().copied());
            }
        }
        seen
    }

    /// `unit` and all its predecessors: the set whose history is its history.
    #[must_use]
    pub fn with_predecessors(&self, unit: UnitId) -> Vec<UnitId> {
        std::iter::once(unit)
            .chain(self.predecessors(unit).into_iter().map(|p| p.unit))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn unit(id: UnitId, name: &str, from: Date, to: Option<Date>) -> Unit {
        Unit {
            id,
            code: crate::text::slug(name),
            name: name.into(),
            kind: "tinh".into(),
            parent_id: None,
            valid_from: from,
            valid_to: to,
        }
    }

    /// Cần Thơ (old, 1), Sóc Trăng (2), Hậu Giang (3) → Cần Thơ (new, 4) on 1/7/2025.
    fn can_tho() -> Lineage {
        let start = date!(2004 - 01 - 01);
        let end = Some(date!(2025 - 06 - 30));
        Lineage::new(
            vec![
                unit(1, "Cần Thơ", start, end),
                unit(2, "Sóc Trăng", start, end),
                unit(3, "Hậu Giang", start, end),
                unit(4, "Cần Thơ", date!(2025 - 07 - 01), None),
            ],
            vec![LineageEvent {
                id: 1,
                kind: LineageKind::Merge,
                effective: date!(2025 - 07 - 01),
                from: vec![1, 2, 3],
                to: vec![4],
                detail: None,
                note: String::new(),
            }],
        )
    }

    #[test]
    fn a_write_into_a_merged_unit_after_the_merger_names_the_successor() {
        let l = can_tho();
        let e = l
            .require_in_being(3, date!(2026 - 01 - 05), "unit")
            .unwrap_err();
        assert_eq!(e.field(), "unit");
        assert!(e.message().contains("«Hậu Giang»"), "{e}");
        assert!(e.message().contains("01/7/2025"), "{e}");
        assert!(
            e.message()
                .contains("đơn vị kế thừa: «Cần Thơ» (mã can-tho)"),
            "{e}"
        );
        assert!(l.require_in_being(3, date!(2025 - 06 - 30), "unit").is_ok());
        assert!(l.require_in_being(4, date!(2026 - 01 - 05), "unit").is_ok());
        let early = l
            .require_in_being(4, date!(2020 - 01 - 01), "unit")
            .unwrap_err();
        assert!(early.message().contains("chưa được thành lập"), "{early}");
        assert!(l.require_in_year(3, 2025, "unit").is_ok());
        let late = l.require_in_year(3, 2026, "unit").unwrap_err();
        assert!(late.message().contains("năm 2026"), "{late}");
        assert!(late.message().contains("mã can-tho"), "{late}");
    }

    #[test]
    fn hau_giang_of_2019_belongs_to_can_tho_today() {
        let l = can_tho();
        assert_eq!(l.successors_at(3, date!(2019 - 06 - 30)), vec![3]);
        assert_eq!(l.successors_at(3, date!(2026 - 11 - 27)), vec![4]);
        assert!(l.successors_at(4, date!(2019 - 01 - 01)).is_empty());
    }

    #[test]
    fn can_tho_today_has_three_predecessors() {
        let preds: Vec<_> = can_tho()
            .predecessors(4)
            .into_iter()
            .map(|p| p.unit)
            .collect();
        assert_eq!(preds, vec![1, 2, 3]);
    }

    #[test]
    fn scope_and_ancestry_agree_across_the_merger() {
        let mut l = can_tho();
        // a department of Hậu Giang (5) and one of Sóc Trăng (6)
        for (id, parent) in [(5, 3), (6, 2)] {
            let mut u = unit(id, "Sở", date!(2004 - 01 - 01), None);
            u.parent_id = Some(parent);
            l.units.insert(id, u);
        }
        assert!(
            l.ancestry(5).contains(&4),
            "today's Cần Thơ covers Hậu Giang's department"
        );
        assert!(l.scope(4).contains(&5) && l.scope(4).contains(&6));
        assert!(l.scope(3).contains(&5));
        assert!(
            !l.scope(3).contains(&6),
            "Hậu Giang does not reach Sóc Trăng"
        );
        for u in 1..=6 {
            for root in 1..=6 {
                assert_eq!(
                    l.scope(root).contains(&u),
                    l.ancestry(u).contains(&root),
                    "unit {u} root {root}"
                );
            }
        }
    }

    #[test]
    fn an_event_before_a_unit_exists_is_refused() {
        let e = can_tho()
            .validate(LineageKind::Dissolve, date!(2000 - 01 - 01), &[2], &[])
            .unwrap_err();
        assert_eq!(e.field(), "effective_date");
    }

    #[test]
    fn merging_into_a_dissolved_unit_is_refused() {
        let e = can_tho()
            .validate(LineageKind::Merge, date!(2026 - 01 - 01), &[4, 2], &[1])
            .unwrap_err();
        // Sóc Trăng itself ended in 2025: the sources are checked first.
        assert_eq!(e.field(), "from");
        let l = Lineage::new(
            vec![
                unit(1, "A", date!(2000 - 01 - 01), Some(date!(2010 - 12 - 31))),
                unit(2, "B", date!(2000 - 01 - 01), None),
                unit(3, "C", date!(2000 - 01 - 01), None),
            ],
            vec![],
        );
        let e = l
            .validate(LineageKind::Merge, date!(2020 - 01 - 01), &[2, 3], &[1])
            .unwrap_err();
        assert_eq!(e.field(), "to");
        assert!(e.message().contains("giải thể"));
    }

    #[test]
    fn transitive_predecessors_go_back_through_two_mergers() {
        let d1 = date!(2004 - 01 - 01);
        let l = Lineage::new(
            vec![
                unit(
                    1,
                    "Cần Thơ (cũ)",
                    date!(1976 - 01 - 01),
                    Some(date!(2003 - 12 - 31)),
                ),
                unit(2, "Cần Thơ", d1, Some(date!(2025 - 06 - 30))),
                unit(3, "Hậu Giang", d1, Some(date!(2025 - 06 - 30))),
                unit(4, "Cần Thơ", date!(2025 - 07 - 01), None),
            ],
            vec![
                LineageEvent {
                    id: 1,
                    kind: LineageKind::Split,
                    effective: d1,
                    from: vec![1],
                    to: vec![2, 3],
                    detail: None,
                    note: String::new(),
                },
                LineageEvent {
                    id: 2,
                    kind: LineageKind::Merge,
                    effective: date!(2025 - 07 - 01),
                    from: vec![2, 3],
                    to: vec![4],
                    detail: None,
                    note: String::new(),
                },
            ],
        );
        let preds = l.predecessors(4);
        assert_eq!(
            preds.iter().map(|p| (p.unit, p.depth)).collect::<Vec<_>>(),
            vec![(2, 1), (3, 1), (1, 2)]
        );
        assert_eq!(l.successors_at(1, date!(2026 - 01 - 01)), vec![4]);
        assert_eq!(l.successors_at(1, date!(2010 - 01 - 01)), vec![2, 3]);
    }
}
