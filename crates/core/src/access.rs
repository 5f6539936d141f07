//! Who may do what, where. Every route asks [`decide`]; scope is an org
//! subtree (plus the predecessors of its root, so an officer of today's Cần
//! Thơ sees the history of Hậu Giang). Fail closed: an officer without a scope
//! sees nothing, never everything.

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::org::UnitId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Quản trị hệ thống: every unit, accounts, audit.
    Admin,
    /// Cán bộ làm công tác TĐKT of an org subtree: reads and writes there.
    Officer,
    /// Đơn vị gửi báo cáo: reads its unit, submits figures and proposals.
    Submitter,
    /// Thành viên Hội đồng TĐKT: reads its subtree, votes on its ballots.
    Council,
    /// Chỉ xem: reads its subtree.
    Viewer,
}

impl Role {
    pub const ALL: [Self; 5] = [
        Self::Admin,
        Self::Officer,
        Self::Submitter,
        Self::Council,
        Self::Viewer,
    ];

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Officer => "officer",
            Self::Submitter => "submitter",
            Self::Council => "council",
            Self::Viewer => "viewer",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "Quản trị hệ thống",
            Self::Officer => "Cán bộ thi đua, khen thưởng",
            Self::Submitter => "Đơn vị gửi báo cáo",
            Self::Council => "Thành viên Hội đồng TĐKT",
            Self::Viewer => "Chỉ xem",
        }
    }

    /// # Errors
    /// Unknown role code.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|r| r.code() == s.trim())
            .ok_or_else(|| DomainError::invalid("role", format!("Vai trò «{s}» không tồn tại.")))
    }
}

/// The signed-in user as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub user_id: i64,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    /// Root of the subtree the user works on; `None` only for admins.
    pub scope_unit: Option<UnitId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Org tree and unit pages: public information.
    ReadUnits,
    CreateUnit,
    EditUnit,
    RecordLineage,
    ReadPeople,
    WritePeople,
    /// See a CCCD in full instead of masked.
    SeeFullCccd,
    ReadAudit,
    ManageAccounts,
    /// Run an evaluation (*bình xét*): open and close scoring rounds and
    /// secret ballots of a unit in scope, read their results. Voting itself
    /// needs no role: being on the ballot's voter list is the right to vote.
    RunEvaluation,
    /// Report a member unit's indicator values to its cluster or block.
    SubmitIndicators,
    /// Run a cluster or block: reporting status, review drafts, exports.
    ManageCluster,
    /// Launch a movement from a unit, attach its documents, follow who has
    /// registered.
    LaunchMovement,
    /// Register a unit (or one of its people) for a movement.
    RegisterMovement,
    /// Score for one's own unit in a scoring round it is a member of:
    /// self-score, cross-score the other members and, for the leader
    /// member, adjust. A write: read-only roles (viewer, council member)
    /// never score, even when their scope unit is a member (issue 12).
    ScoreAsMember,
    /// Read the decisions of an authority in scope and their annexes.
    ReadDecisions,
    /// Draft and issue decisions of an authority in scope (issuing writes
    /// the registry records and the fund's payment).
    IssueDecisions,
    /// Enter receipts of a unit's emulation and commendation fund, export
    /// its ledger.
    ManageFund,
    /// Read the dossiers (*hồ sơ đề nghị khen thưởng*) of a level in scope.
    ReadDossiers,
    /// Open a dossier and act on it at the level that holds it (forward,
    /// return, reject, appraise, attach documents).
    HandleDossiers,
    /// Keep the council (*Hội đồng TĐKT*) of a unit in scope: its members,
    /// its sessions, attendance, opening and closing the vote (an officer's
    /// work; members vote through the ballot, which needs no role).
    ManageCouncil,
    /// Read a council's members, sessions, results and minutes.
    ReadCouncil,
    /// Publish dossiers held at one's level for public comment (*công khai*,
    /// khoản 2 Điều 44 NĐ 152/2025/NĐ-CP) and moderate the comments.
    DiscloseDossiers,
}

/// Outcome of an access decision; `NotFound` hides the existence of things
/// outside the caller's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Allowed,
    /// Not signed in where signing in is needed.
    Unauthenticated,
    /// Signed in but the role never may.
    Forbidden,
    /// The target lies outside the caller's subtree.
    OutOfScope,
}

/// May `who` do `action` on a target whose lineage-aware ancestry is
/// `target_ancestry` (the target unit, its ancestors, and the successors of
/// each — see the store)? `None` target = the action has no unit (e.g. list
/// the tree).
#[must_use]
pub fn decide(
    who: Option<&Principal>,
    action: Action,
    target_ancestry: Option<&[UnitId]>,
) -> Access {
    if action == Action::ReadUnits {
        return Access::Allowed;
    }
    let Some(p) = who else {
        return Access::Unauthenticated;
    };
    if !role_may(p.role, action) {
        return Access::Forbidden;
    }
    if p.role == Role::Admin {
        return Access::Allowed;
    }
    let Some(scope) = p.scope_unit else {
        return Access::OutOfScope;
    };
    match target_ancestry {
        None => Access::Allowed,
        Some(chain) if chain.contains(&scope) => Access::Allowed,
        Some(_) => Access::OutOfScope,
    }
}

/// What each role may ever do, before scope.
#[must_use]
pub fn role_may(role: Role, action: Action) -> bool {
    use Action as A;
    match role {
        Role::Admin => true,
        Role::Officer => !matches!(action, A::ReadAudit | A::ManageAccounts),
        Role::Submitter
            if matches!(
                action,
                A::SubmitIndicators | A::RegisterMovement | A::ScoreAsMember
            ) =>
        {
            true
        }
        Role::Council | Role::Viewer => matches!(
            action,
            A::ReadUnits | A::ReadPeople | A::ReadDecisions | A::ReadDossiers | A::ReadCouncil
        ),
        Role::Submitter => matches!(action, A::ReadUnits | A::ReadPeople),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn officer(scope: UnitId) -> Principal {
        Principal {
            user_id: 1,
            username: "o".into(),
            full_name: "O".into(),
            role: Role::Officer,
            scope_unit: Some(scope),
        }
    }

    #[test]
    fn an_officer_reaches_only_their_subtree() {
        let hau_giang = 93;
        let p = officer(hau_giang);
        assert_eq!(
            decide(Some(&p), Action::ReadPeople, Some(&[930, hau_giang, 1])),
            Access::Allowed
        );
        assert_eq!(
            decide(Some(&p), Action::ReadPeople, Some(&[940, 94, 1])),
            Access::OutOfScope
        );
        assert_eq!(
            decide(None, Action::ReadPeople, Some(&[930, hau_giang, 1])),
            Access::Unauthenticated
        );
    }

    #[test]
    fn viewers_never_write_and_only_admins_read_audit() {
        let v = Principal {
            role: Role::Viewer,
            ..officer(1)
        };
        assert_eq!(
            decide(Some(&v), Action::WritePeople, Some(&[1])),
            Access::Forbidden
        );
        assert_eq!(
            decide(Some(&officer(1)), Action::ReadAudit, None),
            Access::Forbidden
        );
    }

    #[test]
    fn only_writing_roles_score_as_a_member() {
        for (role, may) in [
            (Role::Admin, true),
            (Role::Officer, true),
            (Role::Submitter, true),
            (Role::Council, false),
            (Role::Viewer, false),
        ] {
            assert_eq!(role_may(role, Action::ScoreAsMember), may, "{role:?}");
        }
    }

    #[test]
    fn a_scopeless_officer_sees_nothing() {
        let p = Principal {
            scope_unit: None,
            ..officer(1)
        };
        assert_eq!(
            decide(Some(&p), Action::ReadPeople, Some(&[1])),
            Access::OutOfScope
        );
    }
}
