//! Secret ballots (*bỏ phiếu kín*) of a council (*Hội đồng TĐKT*) or a
//! cluster: candidates, the question, quorum, pass thresholds, tally and the
//! receipt a voter keeps.
//!
//! # Questions
//! - [`Question::YesNo`]: one question per candidate, *đồng ý / không đồng ý*;
//!   a candidate left unanswered is a blank on that question.
//! - [`Question::PickUpTo`]: mark at most `k` candidates. A ballot with more
//!   than `k` marks is **invalid** (*phiếu không hợp lệ*): kept, counted as
//!   invalid, and counts for nobody. At most `k` candidates are elected.
//!
//! # Quorum and thresholds — exact integers, no rounding
//! The quorum is a fraction `num/den` of eligible voters: met when
//! `present × den ≥ num × eligible` (2/3 of 12 = 8 present; 7 is not enough).
//! A candidate passes when its [`Share`] reaches the threshold:
//! `yes × 100 ≥ percent × base` (exact, [`crate::share`]) where the base is
//! the number of eligible voters, of those present or of valid ballots (see
//! [`Base`]); so 7 of 10 at 70% passes and 6 of 10 fails, and nothing is
//! ever rounded before the comparison. A base of 0 never passes. The percentages shown (`70,00%`)
//! are rounded for display only ([`crate::points::round_points`]).
//!
//! # No partial tally
//! [`Ballot<Open>`] accepts ballots and can be closed; only
//! [`Ballot<Closed>`] has [`Ballot::tally`]. The store rebuilds the right state
//! with [`restore`] from its `closed` flag, so the web layer cannot tally an
//! open ballot without lying about that flag. Below quorum the tally has no
//! counts at all ([`Outcome::NoQuorum`]).
//!
//! # Storage design: participation and content apart
//! The store keeps two tables that share **nothing** but the ballot-event id:
//! - `ballot_participation(event_id, voter_id)` with a unique key on
//!   `(event_id, voter_id)`: who voted. That unique key is what makes a
//!   second vote fail atomically.
//! - `ballot_content(event_id, id, content, valid)` where `id` is 16 random
//!   bytes from the OS generator, with **no timestamp, no serial/autoincrement
//!   key, no voter id, no session or IP**.
//! - `ballot_receipt(event_id, hash)`: the [`Receipt::hash`] of each cast
//!   ballot, in a third table, also keyed by nothing sequential.
//!
//! The three rows are inserted in **one transaction** (the participation
//! insert first, so a second vote fails before anything else is written), so
//! commit time cannot pair them more finely than the transaction. Reading
//! content or receipts always uses `order by id` / `order by hash` (random),
//! never insertion order: SQLite's `rowid` and PostgreSQL's physical order
//! follow insertion, so tables must be declared `without rowid` (SQLite)
//! and queries must never rely on default order. No log line, audit event or
//! metric may carry the content id or the receipt together with the voter.
//! Before close, the store serves only `count(*)` of participation (turnout),
//! never content.
//!
//! One transaction still leaves a trace with full database access:
//! PostgreSQL stamps every row with its inserting transaction (`xmin`), and
//! SQLite's WAL keeps the frames of one transaction together. So while the
//! vote is open the content is not written in clear at all: the vote's
//! transaction writes it to `ballot_pending`, sealed (AES-256-GCM under a
//! per-ballot key derived from the installation key, which is never in the
//! database) and padded to one length per ballot; the link a DBA can make
//! by `xmin` or WAL order leads to ciphertext only (issue 12, item 4). At
//! close the store opens the sealed votes and **rewrites** the content and
//! receipt tables in the closing transaction (fresh random ids, in random
//! order; then `VACUUM` on SQLite with a WAL checkpoint, `VACUUM FULL` on
//! PostgreSQL), after which every content row carries the same transaction
//! stamp. Whoever holds the database *and* the key file (or the running
//! server) during the vote is beyond this design. The store's tests check
//! `xmin` and the WAL during the vote and after close.
//!
//! Receipts are deliberately **not** linked to content: a voter can check that
//! a ballot with their code was counted (the hash is in the published list),
//! but cannot prove to anyone how they voted, so a receipt cannot be sold or
//! coerced. Counting checks `count(participation) = count(content) =
//! count(receipt)`.

use std::collections::{BTreeMap, BTreeSet};
use std::marker::PhantomData;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::number::format_vi;
use crate::points::round_points;
use crate::scoring::MemberId;

/// The question put on the ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Question {
    YesNo,
    PickUpTo { k: u32 },
}

pub use crate::share::{Base, Share, Threshold};

/// At least `num/den` of the eligible voters must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quorum {
    pub num: u32,
    pub den: u32,
}

impl Quorum {
    #[must_use]
    pub fn met(self, present: u32, eligible: u32) -> bool {
        Share::new(present, eligible, Base::Eligible).reaches_fraction(self.num, self.den)
    }

    /// Fewest voters that make the quorum.
    #[must_use]
    pub fn required(self, eligible: u32) -> u32 {
        let need = (u64::from(self.num) * u64::from(eligible)).div_ceil(u64::from(self.den));
        u32::try_from(need).unwrap_or(u32::MAX)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: MemberId,
    pub name: String,
    /// Overrides the ballot's threshold for this candidate's question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Threshold>,
}

/// Everything fixed when a ballot is opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotSpec {
    pub title: String,
    pub question: Question,
    pub candidates: Vec<Candidate>,
    /// Number of voters on the list (the list itself is the store's).
    pub eligible: u32,
    pub quorum: Quorum,
    /// Default threshold, from the award's rule or the regulation.
    pub threshold: Threshold,
}

/// What one ballot says. Serialised as the stored content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "marks", rename_all = "kebab-case")]
pub enum Content {
    /// Candidate → `true` (đồng ý) / `false` (không đồng ý); missing = blank.
    YesNo(BTreeMap<MemberId, bool>),
    /// The candidates marked.
    Picks(BTreeSet<MemberId>),
}

/// A ballot as accepted and stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cast {
    pub content: Content,
    pub valid: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BallotError {
    #[error("Phiếu bầu “{0}” chưa có ứng viên nào.")]
    NoCandidates(String),
    #[error("Ứng viên “{0}” bị trùng trong phiếu bầu.")]
    DuplicateCandidate(MemberId),
    #[error("Danh sách cử tri đang trống.")]
    NoVoters,
    #[error("Tỷ lệ tối thiểu {0}/{1} không hợp lệ (cần 0 < tử số ≤ mẫu số).")]
    BadQuorum(u32, u32),
    #[error("Ngưỡng {0}% không hợp lệ (cần lớn hơn 0% và không quá 100%).")]
    BadThreshold(Decimal),
    #[error("Số ứng viên được chọn tối đa phải từ 1 đến {0} (số ứng viên).")]
    BadK(usize),
    #[error("Phiếu có ứng viên “{0}” không có trong danh sách: phiếu bị từ chối.")]
    UnknownCandidate(MemberId),
    #[error("Phiếu không đúng mẫu của cuộc bỏ phiếu này: phiếu bị từ chối.")]
    WrongForm,
    #[error("Số liệu kiểm phiếu không khớp: {ballots} phiếu, {present} người tham gia, {eligible} cử tri.")]
    Inconsistent {
        ballots: usize,
        present: u32,
        eligible: u32,
    },
    #[error("Mã biên nhận “{0}” không hợp lệ: cần 26 ký tự chữ và số (không có I, L, O, U).")]
    BadReceipt(String),
}

/// Type-state marker: the ballot accepts votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Open;
/// Type-state marker: voting is over; the tally may be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closed;

/// A ballot in state `S` ([`Open`] or [`Closed`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ballot<S> {
    spec: BallotSpec,
    state: PhantomData<S>,
}

/// A ballot rebuilt from storage, in its stored state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Restored {
    Open(Ballot<Open>),
    Closed(Ballot<Closed>),
}

/// Rebuilds a ballot from its stored spec and `closed` flag.
///
/// # Errors
/// The spec breaks a rule of [`Ballot::open`].
pub fn restore(spec: BallotSpec, closed: bool) -> Result<Restored, BallotError> {
    let open = Ballot::open(spec)?;
    Ok(if closed {
        Restored::Closed(open.close())
    } else {
        Restored::Open(open)
    })
}

impl<S> Ballot<S> {
    #[must_use]
    pub fn spec(&self) -> &BallotSpec {
        &self.spec
    }
}

impl Ballot<Open> {
    /// Checks a spec and opens the ballot.
    ///
    /// # Errors
    /// No candidates, duplicates, no voters, a bad quorum, threshold or `k`.
    pub fn open(spec: BallotSpec) -> Result<Self, BallotError> {
        if spec.candidates.is_empty() {
            return Err(BallotError::NoCandidates(spec.title));
        }
        let mut seen = BTreeSet::new();
        for c in &spec.candidates {
            if !seen.insert(&c.id) {
                return Err(BallotError::DuplicateCandidate(c.id.clone()));
            }
            if let Some(t) = c.threshold {
                check_threshold(t)?;
            }
        }
        if spec.eligible == 0 {
            return Err(BallotError::NoVoters);
        }
        let Quorum { num, den } = spec.quorum;
        if num == 0 || den == 0 || num > den {
            return Err(BallotError::BadQuorum(num, den));
        }
        check_threshold(spec.threshold)?;
        if let Question::PickUpTo { k } = spec.question {
            if k == 0 || k as usize > spec.candidates.len() {
                return Err(BallotError::BadK(spec.candidates.len()));
            }
        }
        Ok(Self {
            spec,
            state: PhantomData,
        })
    }

    /// Checks one ballot before the store writes it. A forged ballot (unknown
    /// candidate, wrong form) is refused; too many marks make it invalid.
    ///
    /// # Errors
    /// [`BallotError::UnknownCandidate`], [`BallotError::WrongForm`].
    pub fn accept(&self, content: Content) -> Result<Cast, BallotError> {
        let known: BTreeSet<&MemberId> = self.spec.candidates.iter().map(|c| &c.id).collect();
        let marked: Vec<&MemberId> = match (&content, self.spec.question) {
            (Content::YesNo(m), Question::YesNo) => m.keys().collect(),
            (Content::Picks(p), Question::PickUpTo { .. }) => p.iter().collect(),
            _ => return Err(BallotError::WrongForm),
        };
        if let Some(unknown) = marked.iter().find(|m| !known.contains(*m)) {
            return Err(BallotError::UnknownCandidate((*unknown).clone()));
        }
        let valid = match (&content, self.spec.question) {
            (Content::Picks(p), Question::PickUpTo { k }) => p.len() <= k as usize,
            _ => true,
        };
        Ok(Cast { content, valid })
    }

    /// Ends voting.
    #[must_use]
    pub fn close(self) -> Ballot<Closed> {
        Ballot {
            spec: self.spec,
            state: PhantomData,
        }
    }
}

fn check_threshold(t: Threshold) -> Result<(), BallotError> {
    if !t.is_valid() {
        return Err(BallotError::BadThreshold(t.percent.normalize()));
    }
    Ok(())
}

/// Whether a candidate is elected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Elected {
    Yes,
    No,
    /// Passed the threshold but tied with others for the last of `k` places:
    /// the council must vote again between them.
    TieAtCutoff,
}

/// One candidate's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateResult {
    pub id: MemberId,
    pub name: String,
    pub yes: u32,
    pub no: u32,
    pub blank: u32,
    /// The denominator of the threshold.
    pub base: u32,
    pub threshold: Threshold,
    /// `yes / base` in percent, rounded for display only.
    pub share_percent: Decimal,
    pub passed_threshold: bool,
    pub elected: Elected,
    /// Vietnamese, one sentence.
    pub explanation: String,
}

/// The result of a closed ballot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    /// Below quorum: no counts are given, the vote has no result.
    NoQuorum {
        eligible: u32,
        present: u32,
        required: u32,
        explanation: String,
    },
    Counted(Tally),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub eligible: u32,
    pub present: u32,
    pub cast: u32,
    pub valid: u32,
    pub invalid: u32,
    pub candidates: Vec<CandidateResult>,
    /// The minutes' summary (*biên bản kiểm phiếu*), Vietnamese.
    pub explanation: String,
}

impl Tally {
    #[must_use]
    pub fn result_of(&self, id: &MemberId) -> Option<&CandidateResult> {
        self.candidates.iter().find(|c| &c.id == id)
    }

    /// A candidate's yes votes as a share of `on`: all eligible voters, those
    /// who took part, or the valid ballots, whatever the ballot's own
    /// threshold counted on (a rule may count on another base, e.g. the
    /// council's whole membership, Điều 33 k5 Nghị định 152/2025/NĐ-CP).
    #[must_use]
    pub fn share_of(&self, id: &MemberId, on: Base) -> Option<Share> {
        let c = self.result_of(id)?;
        let base = match on {
            Base::Eligible => self.eligible,
            Base::Present => self.present,
            Base::ValidBallots => self.valid,
        };
        Some(Share::new(c.yes, base, on))
    }
}

impl Ballot<Closed> {
    /// Counts the ballots. `present` is the number of voters who took part
    /// (participation rows, or the attendance of a meeting).
    ///
    /// # Errors
    /// More ballots than participants or participants than eligible voters.
    pub fn tally(&self, present: u32, ballots: &[Cast]) -> Result<Outcome, BallotError> {
        let spec = &self.spec;
        if ballots.len() > present as usize || present > spec.eligible {
            return Err(BallotError::Inconsistent {
                ballots: ballots.len(),
                present,
                eligible: spec.eligible,
            });
        }
        if !spec.quorum.met(present, spec.eligible) {
            let required = spec.quorum.required(spec.eligible);
            return Ok(Outcome::NoQuorum {
                eligible: spec.eligible,
                present,
                required,
                explanation: format!(
                    "Có {present}/{} cử tri tham gia, chưa đủ tỷ lệ tối thiểu {}/{} (cần {required}): cuộc bỏ phiếu không có kết quả.",
                    spec.eligible, spec.quorum.num, spec.quorum.den
                ),
            });
        }
        let cast = u32::try_from(ballots.len()).unwrap_or(u32::MAX);
        let valid = u32::try_from(ballots.iter().filter(|b| b.valid).count()).unwrap_or(u32::MAX);
        let mut results: Vec<CandidateResult> = spec
            .candidates
            .iter()
            .map(|c| {
                let (mut yes, mut no) = (0u32, 0u32);
                for b in ballots.iter().filter(|b| b.valid) {
                    match &b.content {
                        Content::YesNo(m) => match m.get(&c.id) {
                            Some(true) => yes += 1,
                            Some(false) => no += 1,
                            None => {}
                        },
                        Content::Picks(p) => {
                            if p.contains(&c.id) {
                                yes += 1;
                            } else {
                                no += 1;
                            }
                        }
                    }
                }
                let threshold = c.threshold.unwrap_or(spec.threshold);
                let base = match threshold.base {
                    Base::Eligible => spec.eligible,
                    Base::Present => present,
                    Base::ValidBallots => valid,
                };
                let share = Share::new(yes, base, threshold.base);
                let share_percent = share.percent().map_or(Decimal::ZERO, round_points);
                let passed = share.reaches(threshold.percent);
                CandidateResult {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    yes,
                    no,
                    blank: valid - yes - no,
                    base,
                    threshold,
                    share_percent,
                    passed_threshold: passed,
                    elected: if passed { Elected::Yes } else { Elected::No },
                    explanation: String::new(),
                }
            })
            .collect();
        if let Question::PickUpTo { k } = spec.question {
            limit_to_k(&mut results, k as usize);
        }
        for r in &mut results {
            r.explanation = explain(r);
        }
        let elected: Vec<&str> = results
            .iter()
            .filter(|r| r.elected == Elected::Yes)
            .map(|r| r.name.as_str())
            .collect();
        let explanation = format!(
            "{}: {}/{} cử tri tham gia (tối thiểu {}/{}), {cast} phiếu thu về, {valid} phiếu hợp lệ, {} phiếu không hợp lệ. Đạt: {}.",
            spec.title,
            present,
            spec.eligible,
            spec.quorum.num,
            spec.quorum.den,
            cast - valid,
            if elected.is_empty() { "không có".to_owned() } else { elected.join(", ") }
        );
        Ok(Outcome::Counted(Tally {
            eligible: spec.eligible,
            present,
            cast,
            valid,
            invalid: cast - valid,
            candidates: results,
            explanation,
        }))
    }
}

/// Of those past the threshold, keeps the `k` with most votes; a tie across
/// the `k`-th place elects none of the tied.
fn limit_to_k(results: &mut [CandidateResult], k: usize) {
    let mut passing: Vec<u32> = results
        .iter()
        .filter(|r| r.passed_threshold)
        .map(|r| r.yes)
        .collect();
    if passing.len() <= k {
        return;
    }
    passing.sort_unstable_by(|a, b| b.cmp(a));
    let cutoff = passing[k - 1];
    let above_cutoff = passing.iter().filter(|&&y| y > cutoff).count();
    let at_cutoff = passing.iter().filter(|&&y| y == cutoff).count();
    let fits = above_cutoff + at_cutoff <= k;
    for r in results.iter_mut().filter(|r| r.passed_threshold) {
        r.elected = if r.yes > cutoff || (r.yes == cutoff && fits) {
            Elected::Yes
        } else if r.yes == cutoff {
            Elected::TieAtCutoff
        } else {
            Elected::No
        };
    }
}

fn explain(r: &CandidateResult) -> String {
    let base = match r.threshold.base {
        Base::Eligible => "tổng số cử tri",
        Base::Present => "số cử tri tham gia",
        Base::ValidBallots => "số phiếu hợp lệ",
    };
    let verdict = match (r.passed_threshold, r.elected) {
        (false, _) => "không đạt",
        (true, Elected::Yes) => "đạt",
        (true, Elected::TieAtCutoff) => {
            "đạt ngưỡng nhưng bằng phiếu ở vị trí cuối, cần bỏ phiếu lại"
        }
        (true, Elected::No) => "đạt ngưỡng nhưng ngoài số lượng được chọn",
    };
    format!(
        "{}: {}/{} phiếu đồng ý ({}% {base}), ngưỡng {}% → {verdict}.",
        r.name,
        r.yes,
        r.base,
        format_vi(r.share_percent),
        r.threshold.percent_text()
    )
}

/// What a voter keeps, and what the store keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// Shown to the voter once: 26 Crockford base32 characters in groups,
    /// e.g. `8Z2QH-0M4TV-…`. Never stored.
    pub code: String,
    /// Stored in `ballot_receipt` and published after close: hex SHA-256.
    pub hash: String,
}

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const RECEIPT_DOMAIN: &[u8] = b"tdkt/ballot-receipt/v1\0";

/// Makes a receipt from 16 random bytes supplied by the caller (the store
/// draws them from the OS generator; core has no randomness).
#[must_use]
pub fn receipt(random: [u8; 16]) -> Receipt {
    let n = u128::from_be_bytes(random);
    // 26 symbols × 5 bits = 130 bits: the first symbol carries the top 3 bits.
    let symbols: String = (0..26)
        .rev()
        .map(|i| CROCKFORD[((n >> (i * 5)) & 0x1f) as usize] as char)
        .collect();
    let code = [
        &symbols[0..5],
        &symbols[5..10],
        &symbols[10..15],
        &symbols[15..20],
        &symbols[20..26],
    ]
    .join("-");
    Receipt {
        code,
        hash: receipt_hash(random),
    }
}

fn receipt_hash(random: [u8; 16]) -> String {
    let mut h = Sha256::new();
    h.update(RECEIPT_DOMAIN);
    h.update(random);
    hex::encode(h.finalize())
}

/// The stored hash of a receipt code typed by a voter. Case, hyphens and
/// spaces are ignored; `I`/`L` read as `1` and `O` as `0` (Crockford).
///
/// # Errors
/// Not 26 valid symbols, or a value over 128 bits.
pub fn hash_of_code(code: &str) -> Result<String, BallotError> {
    let bad = || BallotError::BadReceipt(code.trim().to_owned());
    let mut n: u128 = 0;
    let mut count = 0;
    for c in code.chars().filter(|c| !matches!(c, '-' | ' ')) {
        let c = match c.to_ascii_uppercase() {
            'I' | 'L' => '1',
            'O' => '0',
            other => other,
        };
        let v = CROCKFORD
            .iter()
            .position(|&s| s as char == c)
            .ok_or_else(bad)?;
        if count == 0 && v > 0b111 {
            return Err(bad());
        }
        n = (n << 5) | v as u128;
        count += 1;
        if count > 26 {
            return Err(bad());
        }
    }
    if count != 26 {
        return Err(bad());
    }
    Ok(receipt_hash(n.to_be_bytes()))
}

#[cfg(test)]
pub(crate) mod tests;
