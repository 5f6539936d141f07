//! Rubrics (*bảng tiêu chí chấm điểm*): the versioned tree of groups and
//! criteria a cluster or block scores its members against, as adopted in its
//! regulation (*quy chế tổ chức hoạt động và bình xét thi đua*).
//!
//! # Shape and the rule on maxima
//! - A **scored group** (*nhóm tiêu chí*) holds criteria and sub-groups. The
//!   maxima of its children added up must not exceed the group's maximum
//!   (they may fall short: a regulation can keep points in reserve). So a
//!   group's points, the sum of its children's, can never exceed its maximum.
//! - A **criterion** is `manual` (points entered, with evidence files
//!   *minh chứng*) or `formula` (computed from pledge indicators, see
//!   [`formula`]); its points lie in `[0, max]`.
//! - **Bonus** (*điểm thưởng*) and **penalty** (*điểm trừ*) items stand at the
//!   top level, alone or gathered in a group of their own kind whose maximum
//!   is a **cap**: there the children's maxima *may* exceed the group's, and
//!   the sum is cut at the cap (e.g. up to 2 points each, at most 5 in all).
//!
//! Total = scored points + capped bonus − capped penalty, never below 0.
//!
//! A rubric is stored as JSON (serde) and exchanged with spreadsheets through
//! the flat row form of [`rows`].

pub mod formula;
pub mod json;
pub mod rows;

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::number::format_vi;
use crate::points::round_points;
use formula::Formula;

/// Largest maximum any item may have: a safeguard against typing errors.
pub const MAX_POINTS: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);

/// A versioned rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rubric {
    /// Stable code, e.g. `cum-tay-nam-bo`.
    pub code: String,
    /// A new version for each change once a round has used the rubric.
    pub version: u32,
    pub title: String,
    pub items: Vec<Item>,
}

impl Rubric {
    /// Every item that is not a group, in document order, with the number
    /// of groups around it: the one walk of the tree that forms, checks
    /// and pages need.
    pub fn criteria(&self) -> impl Iterator<Item = (usize, &Item)> {
        let mut stack: Vec<std::slice::Iter<'_, Item>> = vec![self.items.iter()];
        std::iter::from_fn(move || loop {
            let depth = stack.len().checked_sub(1)?;
            match stack.last_mut()?.next() {
                None => {
                    stack.pop();
                }
                Some(Item {
                    kind: ItemKind::Group { children },
                    ..
                }) => stack.push(children.iter()),
                Some(i) => return Some((depth, i)),
            }
        })
    }
}

/// A group, criterion, bonus or penalty item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Unique within the rubric, e.g. `1`, `1.2`, `T1`.
    pub code: String,
    pub title: String,
    /// Maximum points; for a bonus or penalty group, the cap.
    pub max: Decimal,
    #[serde(flatten)]
    pub kind: ItemKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ItemKind {
    Group {
        children: Vec<Item>,
    },
    Manual,
    Formula {
        formula: String,
        /// Pledge indicator bound to `actual`, `target`, `direction`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        indicator: Option<String>,
    },
    Bonus,
    Penalty,
}

/// Whether more of an indicator is better (GRDP) or less (traffic accidents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
}

impl Direction {
    /// `1` or `-1`, the value of `direction` in a formula.
    #[must_use]
    pub fn sign(self) -> i64 {
        match self {
            Self::HigherIsBetter => 1,
            Self::LowerIsBetter => -1,
        }
    }
}

/// The result and target of one pledge indicator for one member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorValue {
    pub actual: Decimal,
    pub target: Decimal,
    pub direction: Direction,
}

/// A rubric refused on save, or a score sheet refused on evaluation. Each
/// message names the item and says why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RubricError {
    #[error("Bảng tiêu chí không có tiêu chí nào được chấm điểm.")]
    Empty,
    #[error("Mã “{code}” bị trùng: mỗi mục của bảng tiêu chí cần một mã riêng.")]
    DuplicateCode { code: String },
    #[error("Mã “{code}” không hợp lệ: chỉ dùng chữ không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới.")]
    BadCode { code: String },
    #[error("Mục “{code}”: điểm tối đa {max} phải lớn hơn 0 và không quá {limit}.")]
    BadMax {
        code: String,
        max: String,
        limit: String,
    },
    #[error("Nhóm “{code}” không có mục con nào.")]
    EmptyGroup { code: String },
    #[error("Nhóm “{code}”: tổng điểm tối đa của các mục con là {children}, vượt điểm tối đa của nhóm là {max}.")]
    ChildrenExceedGroup {
        code: String,
        children: String,
        max: String,
    },
    #[error("Nhóm “{code}” trộn điểm thưởng, điểm trừ và tiêu chí chấm điểm; hãy tách thành các nhóm riêng.")]
    MixedGroup { code: String },
    #[error("Mục “{code}” là điểm thưởng/điểm trừ nên phải đứng ở cấp cao nhất hoặc trong nhóm điểm thưởng/điểm trừ.")]
    NestedAdjustment { code: String },
    #[error("Tiêu chí “{code}”: {reason}.")]
    Formula { code: String, reason: String },
    #[error("Tiêu chí “{code}” gắn với chỉ tiêu “{indicator}” không có trong giao ước thi đua.")]
    UnknownIndicator { code: String, indicator: String },
    #[error("Không có mục “{code}” trong bảng tiêu chí.")]
    UnknownItem { code: String },
    #[error("Tiêu chí “{code}” được tính theo công thức, không nhập điểm tay.")]
    NotManual { code: String },
    #[error("Mục “{code}”: điểm {points} vượt điểm tối đa {max}.")]
    AboveMax {
        code: String,
        points: String,
        max: String,
    },
    #[error("Mục “{code}”: điểm không được âm (đã nhập {points}).")]
    Negative { code: String, points: String },
}

/// Points entered by hand for a manual, bonus or penalty item.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ManualEntry {
    pub points: Decimal,
    /// References to evidence files (*minh chứng*) kept by the store.
    #[serde(default)]
    pub evidence: Vec<String>,
}

/// What a member's score sheet holds: entered points and indicator values.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ScoreSheet {
    pub entries: BTreeMap<String, ManualEntry>,
    pub indicators: BTreeMap<String, IndicatorValue>,
}

/// How an item's points came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Group,
    Criterion,
    Bonus,
    Penalty,
}

/// The points of one item, explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemScore {
    pub code: String,
    pub title: String,
    pub role: Role,
    /// Nesting depth, 0 at the top: for indenting a score table.
    pub depth: usize,
    pub points: Decimal,
    pub max: Decimal,
    /// Vietnamese, e.g. “công thức min(10, 10 * actual / target) = 7,5”.
    pub explanation: String,
}

/// A member's evaluated score sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Every item, in rubric order (pre-order).
    pub items: Vec<ItemScore>,
    pub scored: Decimal,
    pub bonus: Decimal,
    pub penalty: Decimal,
    pub total: Decimal,
    /// Criteria (manual or formula) that reached their maximum: a tie-break.
    pub criteria_at_max: u32,
}

/// A rubric that passed validation, with its formulas compiled. Only this type
/// can evaluate, so an unchecked rubric is never used for scoring.
#[derive(Debug, Clone)]
pub struct CheckedRubric {
    rubric: Rubric,
    formulas: BTreeMap<String, Formula>,
}

impl Rubric {
    /// Validates the rubric against the indicator keys of the pledge and
    /// compiles its formulas. Every problem is reported, not just the first.
    ///
    /// # Errors
    /// The list of problems, each naming its item.
    pub fn check(self, indicators: &BTreeSet<String>) -> Result<CheckedRubric, Vec<RubricError>> {
        let mut errors = Vec::new();
        let mut formulas = BTreeMap::new();
        let mut seen = BTreeSet::new();
        if !self
            .items
            .iter()
            .any(|i| matches!(classify(i), Class::Scored))
        {
            errors.push(RubricError::Empty);
        }
        for item in &self.items {
            check_item(item, 0, indicators, &mut seen, &mut formulas, &mut errors);
        }
        if errors.is_empty() {
            Ok(CheckedRubric {
                rubric: self,
                formulas,
            })
        } else {
            Err(errors)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Scored,
    Bonus,
    Penalty,
    Mixed,
}

fn classify(item: &Item) -> Class {
    match &item.kind {
        ItemKind::Manual | ItemKind::Formula { .. } => Class::Scored,
        ItemKind::Bonus => Class::Bonus,
        ItemKind::Penalty => Class::Penalty,
        ItemKind::Group { children } => {
            let mut classes = children.iter().map(classify);
            match classes.next() {
                None => Class::Scored,
                Some(first) if classes.all(|c| c == first) => first,
                Some(_) => Class::Mixed,
            }
        }
    }
}

fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 32
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

fn check_item(
    item: &Item,
    depth: usize,
    indicators: &BTreeSet<String>,
    seen: &mut BTreeSet<String>,
    formulas: &mut BTreeMap<String, Formula>,
    errors: &mut Vec<RubricError>,
) {
    let code = || item.code.clone();
    if !valid_code(&item.code) {
        errors.push(RubricError::BadCode { code: code() });
    } else if !seen.insert(item.code.clone()) {
        errors.push(RubricError::DuplicateCode { code: code() });
    }
    if item.max <= Decimal::ZERO || item.max > MAX_POINTS {
        errors.push(RubricError::BadMax {
            code: code(),
            max: format_vi(item.max),
            limit: format_vi(MAX_POINTS),
        });
    }
    let class = classify(item);
    if depth > 0 && matches!(item.kind, ItemKind::Bonus | ItemKind::Penalty) {
        // Allowed only directly under a bonus/penalty group at the top; the
        // parent's Mixed check catches the other cases.
        if depth > 1 {
            errors.push(RubricError::NestedAdjustment { code: code() });
        }
    }
    match &item.kind {
        ItemKind::Group { children } => {
            if children.is_empty() {
                errors.push(RubricError::EmptyGroup { code: code() });
            }
            match class {
                Class::Mixed => errors.push(RubricError::MixedGroup { code: code() }),
                Class::Scored => {
                    let sum: Decimal = children.iter().map(|c| c.max).sum();
                    if sum > item.max {
                        errors.push(RubricError::ChildrenExceedGroup {
                            code: code(),
                            children: format_vi(sum),
                            max: format_vi(item.max),
                        });
                    }
                }
                Class::Bonus | Class::Penalty => {
                    if depth > 0 {
                        errors.push(RubricError::NestedAdjustment { code: code() });
                    }
                    if children
                        .iter()
                        .any(|c| matches!(c.kind, ItemKind::Group { .. }))
                    {
                        errors.push(RubricError::NestedAdjustment { code: code() });
                    }
                }
            }
            for child in children {
                check_item(child, depth + 1, indicators, seen, formulas, errors);
            }
        }
        ItemKind::Formula { formula, indicator } => {
            if let Some(key) = indicator {
                if !indicators.contains(key) {
                    errors.push(RubricError::UnknownIndicator {
                        code: code(),
                        indicator: key.clone(),
                    });
                    return;
                }
            }
            match Formula::compile(formula, indicator.is_some(), indicators) {
                Ok(f) => {
                    formulas.insert(item.code.clone(), f);
                }
                Err(reason) => errors.push(RubricError::Formula {
                    code: code(),
                    reason,
                }),
            }
        }
        ItemKind::Manual | ItemKind::Bonus | ItemKind::Penalty => {}
    }
}

impl CheckedRubric {
    #[must_use]
    pub fn rubric(&self) -> &Rubric {
        &self.rubric
    }

    /// The highest total a member can reach: scored maxima plus bonus caps.
    #[must_use]
    pub fn max_total(&self) -> Decimal {
        self.rubric
            .items
            .iter()
            .filter(|i| matches!(classify(i), Class::Scored | Class::Bonus))
            .map(|i| i.max)
            .sum()
    }

    /// Evaluates one member's score sheet. Formula results are rounded (see
    /// [`round_points`]) and clamped to `[0, max]`; entered points outside
    /// `[0, max]` are refused, not clamped, because they are typing errors.
    /// A missing entry counts 0 and says so.
    ///
    /// # Errors
    /// An entry for an unknown or computed item, points out of range, or a
    /// formula that cannot be evaluated — naming the item.
    pub fn evaluate(&self, sheet: &ScoreSheet) -> Result<Evaluation, RubricError> {
        for (code, entry) in &sheet.entries {
            let item = find(&self.rubric.items, code)
                .ok_or_else(|| RubricError::UnknownItem { code: code.clone() })?;
            match item.kind {
                ItemKind::Manual | ItemKind::Bonus | ItemKind::Penalty => {}
                _ => return Err(RubricError::NotManual { code: code.clone() }),
            }
            if entry.points < Decimal::ZERO {
                return Err(RubricError::Negative {
                    code: code.clone(),
                    points: format_vi(entry.points),
                });
            }
            if entry.points > item.max {
                return Err(RubricError::AboveMax {
                    code: code.clone(),
                    points: format_vi(entry.points),
                    max: format_vi(item.max),
                });
            }
        }
        let mut out = Evaluation {
            items: Vec::new(),
            scored: Decimal::ZERO,
            bonus: Decimal::ZERO,
            penalty: Decimal::ZERO,
            total: Decimal::ZERO,
            criteria_at_max: 0,
        };
        for item in &self.rubric.items {
            let points = self.eval_item(item, 0, sheet, &mut out)?;
            match classify(item) {
                Class::Bonus => out.bonus += points,
                Class::Penalty => out.penalty += points,
                Class::Scored | Class::Mixed => out.scored += points,
            }
        }
        out.total = (out.scored + out.bonus - out.penalty).max(Decimal::ZERO);
        Ok(out)
    }

    fn eval_item(
        &self,
        item: &Item,
        depth: usize,
        sheet: &ScoreSheet,
        out: &mut Evaluation,
    ) -> Result<Decimal, RubricError> {
        let slot = out.items.len();
        out.items.push(ItemScore {
            code: item.code.clone(),
            title: item.title.clone(),
            role: Role::Group,
            depth,
            points: Decimal::ZERO,
            max: item.max,
            explanation: String::new(),
        });
        let (role, points, explanation) =
            match &item.kind {
                ItemKind::Group { children } => {
                    let mut sum = Decimal::ZERO;
                    for child in children {
                        sum += self.eval_item(child, depth + 1, sheet, out)?;
                    }
                    let role = match classify(item) {
                        Class::Bonus => Role::Bonus,
                        Class::Penalty => Role::Penalty,
                        _ => Role::Group,
                    };
                    if sum > item.max {
                        let why = format!(
                            "tổng các mục {} vượt mức trần, tính {}",
                            format_vi(sum),
                            format_vi(item.max)
                        );
                        (role, item.max, why)
                    } else {
                        (role, sum, format!("tổng các mục con {}", format_vi(sum)))
                    }
                }
                ItemKind::Manual | ItemKind::Bonus | ItemKind::Penalty => {
                    let role = match item.kind {
                        ItemKind::Bonus => Role::Bonus,
                        ItemKind::Penalty => Role::Penalty,
                        _ => Role::Criterion,
                    };
                    match sheet.entries.get(&item.code) {
                        None => (role, Decimal::ZERO, "chưa nhập điểm, tính 0".to_owned()),
                        Some(e) => {
                            let files = if e.evidence.is_empty() {
                                "không có minh chứng".to_owned()
                            } else {
                                format!("{} tệp minh chứng", e.evidence.len())
                            };
                            (
                                role,
                                e.points,
                                format!("điểm nhập {}, {files}", format_vi(e.points)),
                            )
                        }
                    }
                }
                ItemKind::Formula { indicator, .. } => {
                    let f = &self.formulas[&item.code];
                    let own =
                        match indicator {
                            Some(key) => Some(sheet.indicators.get(key).ok_or_else(|| {
                                RubricError::Formula {
                                    code: item.code.clone(),
                                    reason: format!("chưa có số liệu của chỉ tiêu “{key}”"),
                                }
                            })?),
                            None => None,
                        };
                    let raw = f.evaluate(own, &sheet.indicators).map_err(|reason| {
                        RubricError::Formula {
                            code: item.code.clone(),
                            reason,
                        }
                    })?;
                    let rounded = round_points(raw);
                    let points = rounded.clamp(Decimal::ZERO, item.max);
                    let mut why = format!("công thức {} = {}", f.source(), format_vi(rounded));
                    if points != rounded {
                        why.push_str(&format!(
                            ", giới hạn trong [0; {}] nên tính {}",
                            format_vi(item.max),
                            format_vi(points)
                        ));
                    }
                    (Role::Criterion, points, why)
                }
            };
        if role == Role::Criterion && points == item.max {
            out.criteria_at_max += 1;
        }
        let row = &mut out.items[slot];
        row.role = role;
        row.points = points;
        row.explanation = explanation;
        Ok(points)
    }
}

fn find<'a>(items: &'a [Item], code: &str) -> Option<&'a Item> {
    items.iter().find_map(|i| {
        if i.code == code {
            Some(i)
        } else if let ItemKind::Group { children } = &i.kind {
            find(children, code)
        } else {
            None
        }
    })
}

#[cfg(test)]
pub(crate) mod tests;
