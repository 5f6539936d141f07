//! The states of a dossier and the transitions the law allows between them.
//!
//! A dossier is *held* by one level of its route ([`State::step`]):
//! - `Draft`: the opening level assembles it;
//! - `Pending`: a higher level has received it and is considering it
//!   (appraisal, council); it may accept and forward it, return it for
//!   supplement, reject it, appraise it, or recommend another form;
//! - `Returned`: sent back one level for supplement, with the list of what
//!   is missing; when resubmitted it goes straight back to the level that
//!   returned it ([`State::resume`]), not through the levels between again;
//! - `Ready`: the deciding level has accepted it: ready for decision;
//! - `Rejected`, `Decided`: settled.
//!
//! Appraising and recommending record an event without moving the dossier.
//! Forwarding is refused while a required document is missing (Điều 36–42
//! NĐ 152/2025/NĐ-CP; below state level, the province's rules, khoản 2
//! Điều 6).

use serde::Serialize;

use crate::error::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Status {
    Draft,
    Pending,
    Returned,
    Rejected,
    Ready,
    Decided,
}

impl Status {
    pub const ALL: [Self; 6] = [
        Self::Draft,
        Self::Pending,
        Self::Returned,
        Self::Rejected,
        Self::Ready,
        Self::Decided,
    ];

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Pending => "pending",
            Self::Returned => "returned",
            Self::Rejected => "rejected",
            Self::Ready => "ready",
            Self::Decided => "decided",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "đang lập",
            Self::Pending => "đang xem xét",
            Self::Returned => "trả lại để bổ sung",
            Self::Rejected => "không chấp nhận",
            Self::Ready => "sẵn sàng quyết định",
            Self::Decided => "đã có quyết định",
        }
    }

    /// # Errors
    /// An unknown code.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|x| x.code() == s)
            .ok_or_else(|| {
                DomainError::invalid("status", format!("Trạng thái hồ sơ «{s}» không tồn tại."))
            })
    }

    /// Still moving: a level has something to do.
    #[must_use]
    pub fn is_open(self) -> bool {
        matches!(self, Self::Draft | Self::Pending | Self::Returned)
    }
}

/// Where a dossier stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct State {
    pub status: Status,
    /// Index in the route of the level holding it.
    pub step: usize,
    /// For a returned dossier: the level it goes back to when resubmitted.
    pub resume: Option<usize>,
}

impl State {
    /// A new dossier at its opening level.
    #[must_use]
    pub fn new() -> Self {
        Self {
            status: Status::Draft,
            step: 0,
            resume: None,
        }
    }
}

impl Default for State {
    fn default() -> Self {
        Self::new()
    }
}

/// What a level does to a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act<'a> {
    /// Submit (the opening level), resubmit (a returned dossier), or accept
    /// and forward (a higher level); at the deciding level: accept, ready
    /// for decision.
    Forward,
    /// Return one level down for supplement, naming what is missing.
    Return { missing: &'a [String] },
    /// Refuse, with the reasons.
    Reject { reasons: &'a str },
    /// Thẩm định: notes and whether the dossier meets the conditions.
    Appraise { favourable: bool, notes: &'a str },
    /// Recommend another form than the one proposed (điểm a khoản 4 Điều
    /// 35 NĐ 152/2025/NĐ-CP: the appraising body agrees it with the
    /// proposing one before submitting).
    Recommend { award: &'a str, reason: &'a str },
    /// The deciding authority decided (recorded by the decision module).
    Decide,
}

impl Act<'_> {
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Forward => "forward",
            Self::Return { .. } => "return",
            Self::Reject { .. } => "reject",
            Self::Appraise { .. } => "appraise",
            Self::Recommend { .. } => "recommend",
            Self::Decide => "decide",
        }
    }

    #[must_use]
    pub fn label(&self) -> &'static str {
        match self {
            Self::Forward => "chuyển lên cấp trên",
            Self::Return { .. } => "trả lại để bổ sung",
            Self::Reject { .. } => "không chấp nhận",
            Self::Appraise { .. } => "thẩm định",
            Self::Recommend { .. } => "đề xuất hình thức khác",
            Self::Decide => "ghi nhận quyết định",
        }
    }
}

/// The state after `act` on a dossier in `state` whose route has `steps`
/// levels; `missing` are the names of the required documents not yet
/// attached.
///
/// # Errors
/// The act is not allowed in this state (the message names both), a
/// reason or list left empty, or documents missing for a forward.
pub fn next(
    state: State,
    steps: usize,
    act: &Act<'_>,
    missing: &[&str],
) -> Result<State, DomainError> {
    use Status as S;
    let refuse = || {
        DomainError::invalid(
            "action",
            format!(
                "Hồ sơ đang ở trạng thái «{}»: không thể {}.",
                state.status.label(),
                act.label()
            ),
        )
    };
    let last = steps.saturating_sub(1);
    match act {
        Act::Forward => {
            if !state.status.is_open() {
                return Err(refuse());
            }
            if !missing.is_empty() {
                return Err(DomainError::invalid(
                    "documents",
                    format!(
                        "Chưa thể {}: hồ sơ còn thiếu {} (Điều 36–42 NĐ 152/2025/NĐ-CP; dưới cấp Nhà nước theo quy định của bộ, ngành, tỉnh, khoản 2 Điều 6).",
                        act.label(),
                        missing
                            .iter()
                            .map(|m| format!("«{m}»"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            if state.status == S::Returned {
                let to = state.resume.unwrap_or(state.step + 1).min(last);
                return Ok(State {
                    status: S::Pending,
                    step: to,
                    resume: None,
                });
            }
            if state.step >= last {
                Ok(State {
                    status: S::Ready,
                    step: last,
                    resume: None,
                })
            } else {
                Ok(State {
                    status: S::Pending,
                    step: state.step + 1,
                    resume: None,
                })
            }
        }
        Act::Return { missing } => {
            if !matches!(state.status, S::Pending | S::Ready) || state.step == 0 {
                return Err(refuse());
            }
            if missing.iter().all(|m| m.trim().is_empty()) {
                return Err(DomainError::invalid(
                    "missing",
                    "Trả lại hồ sơ phải ghi rõ những gì cần bổ sung.",
                ));
            }
            Ok(State {
                status: S::Returned,
                step: state.step - 1,
                resume: Some(state.step),
            })
        }
        Act::Reject { reasons } => {
            if !matches!(state.status, S::Pending | S::Ready) {
                return Err(refuse());
            }
            if reasons.trim().is_empty() {
                return Err(DomainError::invalid(
                    "reasons",
                    "Không chấp nhận hồ sơ phải ghi rõ lý do và căn cứ pháp lý (điểm a khoản 4 Điều 35 NĐ 152/2025/NĐ-CP).",
                ));
            }
            Ok(State {
                status: S::Rejected,
                resume: None,
                ..state
            })
        }
        Act::Appraise { notes, .. } => {
            if !matches!(state.status, S::Pending | S::Ready) {
                return Err(refuse());
            }
            if notes.trim().is_empty() {
                return Err(DomainError::invalid(
                    "notes",
                    "Kết quả thẩm định phải có nội dung nhận xét.",
                ));
            }
            Ok(state)
        }
        Act::Recommend { award, reason } => {
            if !matches!(state.status, S::Pending | S::Ready) {
                return Err(refuse());
            }
            if award.trim().is_empty() {
                return Err(DomainError::invalid(
                    "award",
                    "Phải chọn hình thức khen thưởng đề xuất.",
                ));
            }
            if reason.trim().is_empty() {
                return Err(DomainError::invalid(
                    "reason",
                    "Đề xuất hình thức khác phải ghi lý do.",
                ));
            }
            Ok(state)
        }
        Act::Decide => {
            if state.status != S::Ready {
                return Err(refuse());
            }
            Ok(State {
                status: S::Decided,
                ..state
            })
        }
    }
}
