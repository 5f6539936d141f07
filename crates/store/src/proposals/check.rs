//! Checking and submitting a proposal list: the base its quota counts on
//! (see the parent module), each nominee's vote share from its minutes or
//! ballot, and the eligibility engine run for every nominee.

use serde::Serialize;
use tdkt_core::ballot::Outcome;
use tdkt_core::catalogue::AwardId;
use tdkt_core::eligibility::{
    ClauseResult, EvalContext, Explanation, QuotaBase, QuotaCheck, Rating, RuleSet, Status, Verdict,
};
use tdkt_core::lineage::Lineage;
use tdkt_core::scoring::MemberId;
use tdkt_core::share::{Base, Share};

use super::{ids, invalid, pct, quoted, year_bounds, ProposalEntry, ProposalList, VoteFigures};
use crate::audit::{audit, json};
use crate::{now_rfc3339, with_pool, write_tx, Result, Store, StoreError};

/// One nominee, judged.
#[derive(Debug, Clone, Serialize)]
pub struct EntryCheck {
    pub entry: ProposalEntry,
    pub explanation: Explanation,
    pub vote: Option<VoteFigures>,
    /// Why the vote could not be read (ballot open, below quorum, …).
    pub vote_problem: Option<String>,
    pub vote_rows: Vec<ClauseResult>,
}

/// The list, judged: what submitting it would say.
#[derive(Debug, Clone, Serialize)]
pub struct ListCheck {
    pub list: ProposalList,
    pub award_name: String,
    pub entries: Vec<EntryCheck>,
    pub quota: QuotaCheck,
    /// Every reason the list cannot be submitted, Vietnamese, one sentence each.
    pub refusals: Vec<String>,
}

impl ListCheck {
    #[must_use]
    pub fn ok(&self) -> bool {
        self.refusals.is_empty()
    }
}

impl Store {
    /// What a quota clause's base counts to for a list: see the module doc.
    ///
    /// # Errors
    /// Database failure.
    pub async fn quota_base(
        &self,
        rules: &RuleSet,
        lineage: &Lineage,
        list: &ProposalList,
        base: &QuotaBase,
    ) -> Result<u32> {
        let scope = lineage.scope(list.unit_id);
        let scope_ids = ids(scope.iter().copied());
        let (from, to) = year_bounds(list.year);
        let units = list.nominee_kind == "unit";
        let n = match base {
            QuotaBase::Members if units => {
                let all = self.units().await?;
                all.iter()
                    .filter(|u| u.id != list.unit_id && scope.contains(&u.id))
                    .filter(|u| u.valid_in_year(list.year))
                    .count()
            }
            QuotaBase::Members => self
                .people_employed_in(&scope, list.year, i64::MAX)
                .await?
                .len(),
            QuotaBase::Rating(r) => {
                let codes = quoted(
                    [
                        Rating::KhongHoanThanh,
                        Rating::HoanThanh,
                        Rating::HoanThanhTot,
                        Rating::HoanThanhXuatSac,
                    ]
                    .into_iter()
                    .filter(|x| x >= r)
                    .map(Rating::code),
                );
                let y = list.year;
                let sql = if units {
                    format!("select distinct unit_id from annual_ratings where subject_kind = 'unit' and year = {y} and unit_id in ({scope_ids}) and rating in ({codes})")
                } else {
                    format!("select distinct a.person_id from annual_ratings a join employment_periods e on e.person_id = a.person_id
                        where a.year = {y} and e.unit_id in ({scope_ids}) and e.start_date <= '{to}' and (e.end_date is null or e.end_date >= '{from}') and a.rating in ({codes})")
                };
                let found: Vec<i64> =
                    with_pool!(self, |p| sqlx::query_scalar(&sql).fetch_all(p).await?);
                found.len()
            }
            QuotaBase::Award(set) => {
                let codes = quoted(
                    std::iter::once(set.main)
                        .chain(set.ids.iter().copied())
                        .map(|a: AwardId| rules.catalogue().award(a).code.as_str()),
                );
                let y = list.year;
                let (kind, col) = if units {
                    ("unit", "nominee_unit_id")
                } else {
                    ("person", "person_id")
                };
                let held_by = if units { "unit_id" } else { "person_id" };
                let sql = format!(
                    "select distinct {held_by} from award_records where recipient_kind = '{kind}' and status = 'valid' and year = {y} and unit_id in ({scope_ids}) and award_code in ({codes})
                     union
                     select distinct e.{col} from proposal_entries e join proposal_lists l on l.id = e.list_id
                     where l.status = 'submitted' and l.year = {y} and l.unit_id in ({scope_ids}) and e.{col} is not null and l.award_code in ({codes})"
                );
                let found: Vec<i64> =
                    with_pool!(self, |p| sqlx::query_scalar(&sql).fetch_all(p).await?);
                found.len()
            }
        };
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// A nominee's vote as counted: from the minutes, or from the ballot's
    /// tally (`Err` with the reason when it cannot be read).
    ///
    /// `on` is the base the rule in force counts on: a ballot's tally gives
    /// any base; the minutes record yes of the council's whole membership
    /// (the form asks "Tổng số thành viên Hội đồng", Điều 33 k5 Nghị định
    /// 152/2025/NĐ-CP), so a rule counting on another base sees them as such
    /// and answers that they cannot be compared.
    async fn entry_vote(&self, e: &ProposalEntry, on: Base) -> Result<Option<VoteFigures>, String> {
        match e.vote_source.as_deref() {
            Some("minutes") => {
                let yes = u32::try_from(e.vote_yes.unwrap_or(0)).unwrap_or(0);
                let base = u32::try_from(e.vote_base.unwrap_or(0)).unwrap_or(0);
                Ok((base > 0).then(|| VoteFigures {
                    share: Share::new(yes, base, Base::Eligible),
                    source: if e.minutes_ref.is_empty() {
                        "biên bản họp Hội đồng".to_owned()
                    } else {
                        format!("biên bản {}", e.minutes_ref)
                    },
                }))
            }
            Some("ballot") => {
                let (Some(bid), Some(cand)) = (e.ballot_id, e.ballot_candidate.as_deref()) else {
                    return Ok(None);
                };
                let outcome = self
                    .ballot_result(bid)
                    .await
                    .map_err(|err| format!("bỏ phiếu kín #{bid}: {err}"))?;
                match outcome {
                    Outcome::NoQuorum { explanation, .. } => Err(format!(
                        "bỏ phiếu kín #{bid} không có kết quả: {explanation}"
                    )),
                    Outcome::Counted(t) => {
                        let share =
                            t.share_of(&MemberId(cand.to_owned()), on).ok_or_else(|| {
                                format!("bỏ phiếu kín #{bid} không có ứng viên «{cand}»")
                            })?;
                        Ok((share.base > 0).then(|| VoteFigures {
                            share,
                            source: format!("bỏ phiếu kín #{bid}"),
                        }))
                    }
                }
            }
            _ => Ok(None),
        }
    }

    /// Judges a list as submitting it would: each nominee's eligibility
    /// (with their vote), the quota clauses, the vote clauses.
    ///
    /// # Errors
    /// `NotFound`, database failure.
    pub async fn check_proposal_list(&self, rules: &RuleSet, list_id: i64) -> Result<ListCheck> {
        let list = self.proposal_list(list_id).await?;
        let award = rules.catalogue().id(&list.award_code).ok_or_else(|| {
            invalid(
                "award",
                format!("Mã «{}» không còn trong danh mục.", list.award_code),
            )
        })?;
        let award_name = rules.catalogue().award(award).name.clone();
        let lineage = self.lineage().await?;
        let ctx = EvalContext::year_end(list.year);
        let entries = self.proposal_entries(list_id).await?;
        let mut refusals = Vec::new();
        if entries.is_empty() {
            refusals.push("Danh sách chưa có ai được đề nghị.".to_owned());
        }
        let mut checked = Vec::with_capacity(entries.len());
        let vote_base = rules.vote_base(award, ctx.at).unwrap_or(Base::Eligible);
        for e in entries {
            let inputs = match (e.person_id, e.nominee_unit_id) {
                (Some(p), _) => self.person_inputs(rules.catalogue(), p).await?,
                (_, Some(u)) => self.unit_inputs(rules.catalogue(), &lineage, u).await?,
                _ => continue,
            };
            let (vote, vote_problem) = match self.entry_vote(&e, vote_base).await {
                Ok(v) => (v, None),
                Err(m) => (None, Some(m)),
            };
            let share = vote.as_ref().map(|v| v.share);
            let ectx = EvalContext { vote: share, ..ctx };
            let explanation = rules.explain(award, &inputs.history(), &ectx);
            let vote_rows = rules.check_vote(award, &ctx, share);
            for r in &vote_rows {
                let cite = r.citation.as_deref().unwrap_or_default();
                match r.status {
                    Status::Fail => refusals.push(format!(
                        "{}: {} phiếu đồng ý ({}), dưới ngưỡng — {} [{cite}].",
                        e.name,
                        vote.as_ref().map_or_else(String::new, |v| format!(
                            "{}/{}",
                            v.share.yes, v.share.base
                        )),
                        share.and_then(Share::percent).map(pct).unwrap_or_default(),
                        r.description
                    )),
                    Status::Pending => refusals.push(format!(
                        "{}: chưa có tỷ lệ phiếu của Hội đồng ({}) — {} [{cite}].",
                        e.name,
                        vote_problem
                            .as_deref()
                            .unwrap_or("nhập từ biên bản họp hoặc chọn cuộc bỏ phiếu kín"),
                        r.description
                    )),
                    _ => {}
                }
            }
            if explanation.verdict == Verdict::NotEligible {
                // the vote was refused above; name the first other failure
                if let Some(f) = explanation.rows.iter().find(|r| {
                    r.status == Status::Fail
                        && !matches!(r.kind.as_str(), "all" | "any" | "not" | "vote")
                }) {
                    refusals.push(format!(
                        "{}: chưa đủ điều kiện «{award_name}» — {}{} [{}].",
                        e.name,
                        f.description,
                        f.missing
                            .as_deref()
                            .map(|m| format!(" (còn thiếu: {m})"))
                            .unwrap_or_default(),
                        f.citation.as_deref().unwrap_or_default()
                    ));
                }
            }
            checked.push(EntryCheck {
                entry: e,
                explanation,
                vote,
                vote_problem,
                vote_rows,
            });
        }
        let mut counted = Vec::new();
        for b in rules.quota_bases(award, ctx.at) {
            let n = self.quota_base(rules, &lineage, &list, &b).await?;
            counted.push((b, n));
        }
        let proposed = u32::try_from(checked.len()).unwrap_or(u32::MAX);
        let quota = rules.check_quota_with(award, &ctx, proposed, |b| {
            counted.iter().find(|(x, _)| x == b).map_or(0, |(_, n)| *n)
        });
        for r in quota.clauses.iter().filter(|r| r.status == Status::Fail) {
            refusals.push(format!(
                "Vượt tỷ lệ «{award_name}»: {} — {} [{}].",
                r.description,
                r.missing.as_deref().unwrap_or_default(),
                r.citation.as_deref().unwrap_or_default()
            ));
        }
        Ok(ListCheck {
            list,
            award_name,
            entries: checked,
            quota,
            refusals,
        })
    }

    /// Submits a draft list when its check passes; the check is stored with
    /// it. A list changed since `expected_version` is refused (checked
    /// against an older list).
    ///
    /// # Errors
    /// `Invalid` naming every refusal (over quota with count, limit and
    /// citation; nominees under the vote threshold or not eligible);
    /// `Conflict` when already submitted or changed meanwhile.
    pub async fn submit_proposal_list(
        &self,
        actor: &str,
        rules: &RuleSet,
        list_id: i64,
    ) -> Result<ListCheck> {
        let check = self.check_proposal_list(rules, list_id).await?;
        Self::draft_only(&check.list)?;
        if !check.ok() {
            return Err(invalid("list", check.refusals.join("\n")));
        }
        let snapshot = serde_json::to_string(&check)
            .map_err(|e| StoreError::Db(sqlx::Error::Decode(Box::new(e))))?;
        let before = serde_json::json!({"status": "draft", "version": check.list.version});
        write_tx!(self, |tx| {
            let done = sqlx::query(
                "update proposal_lists set status = 'submitted', submitted_by = $1, submitted_at = $2, check_json = $3
                 where id = $4 and status = 'draft' and version = $5",
            )
            .bind(actor)
            .bind(now_rfc3339())
            .bind(&snapshot)
            .bind(list_id)
            .bind(check.list.version)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done == 0 {
                return Err(StoreError::Conflict(
                    "list",
                    "Danh sách vừa được người khác thay đổi hoặc đã trình: kiểm tra lại rồi trình."
                        .into(),
                ));
            }
            let after = serde_json::json!({
                "status": "submitted", "proposed": check.quota.proposed, "bases": check.quota.bases,
            });
            audit!(
                tx,
                actor,
                "proposal_list",
                list_id,
                "submit",
                json(&before),
                json(&after)
            );
        });
        let mut check = check;
        check.list = self.proposal_list(list_id).await?;
        Ok(check)
    }
}
