//! The append-only, hash-chained audit log. Each event's hash covers its own
//! fields and the previous event's hash, so editing or deleting any row
//! breaks the chain from that row on; the stored head (last sequence and
//! hash) catches the deletion of the newest rows.
//!
//! The hash has no key and the head lives in the same database, so someone
//! who can write the database can delete the newest rows and rewind the
//! head, or edit a row and recompute every hash after it. A [`Checkpoint`]
//! closes that hole: a statement "event #seq had this hash", signed with a
//! key that is not in the database and kept in a file outside it. A chain
//! that no longer reaches a checkpointed event, or has another hash there,
//! has been rewritten.

pub mod names;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Hash of the (empty) chain before the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An event as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub seq: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    /// JSON, never containing a full CCCD.
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// SHA-256 over the length-prefixed fields, so no two field lists collide.
#[must_use]
#[expect(
    clippy::too_many_arguments,
    reason = "every field of the event goes into its hash"
)]
pub fn event_hash(
    prev_hash: &str,
    seq: i64,
    at: &str,
    actor: &str,
    entity: &str,
    entity_id: &str,
    action: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> String {
    let mut h = Sha256::new();
    let seq = seq.to_string();
    for field in [
        Some(prev_hash),
        Some(seq.as_str()),
        Some(at),
        Some(actor),
        Some(entity),
        Some(entity_id),
        Some(action),
        before,
        after,
    ] {
        match field {
            Some(f) => {
                h.update(b"+");
                h.update((f.len() as u64).to_be_bytes());
                h.update(f.as_bytes());
            }
            None => h.update(b"-"),
        }
    }
    hex::encode(h.finalize())
}

impl AuditEvent {
    #[must_use]
    pub fn expected_hash(&self) -> String {
        event_hash(
            &self.prev_hash,
            self.seq,
            &self.at,
            &self.actor,
            &self.entity,
            &self.entity_id,
            &self.action,
            self.before.as_deref(),
            self.after.as_deref(),
        )
    }
}

/// Where and how the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("sự kiện #{seq}: nội dung đã bị sửa (hash không khớp)")]
    Edited { seq: i64 },
    #[error("sự kiện #{seq}: không nối tiếp sự kiện trước (có sự kiện bị xóa hoặc chèn trước nó)")]
    Unlinked { seq: i64 },
    #[error("thiếu sự kiện #{expected}: đã bị xóa (tìm thấy #{found})")]
    Missing { expected: i64, found: i64 },
    #[error("sự kiện cuối phải là #{head_seq}, nhưng nhật ký dừng ở #{last_seq}: các sự kiện mới nhất đã bị xóa hoặc sửa")]
    Truncated { head_seq: i64, last_seq: i64 },
    #[error("sự kiện #{seq} khác với điểm kiểm tra đã ký (hash không khớp): nhật ký đã bị viết lại từ sự kiện này hoặc trước đó")]
    Rewritten { seq: i64 },
    #[error("điểm kiểm tra đã ký ghi nhận sự kiện #{checkpoint_seq}, nhưng nhật ký chỉ còn đến #{last_seq}: các sự kiện mới nhất đã bị xóa")]
    ShorterThanCheckpoint { checkpoint_seq: i64, last_seq: i64 },
}

impl ChainBreak {
    /// The first event that can no longer be trusted.
    #[must_use]
    pub fn first_broken(&self) -> i64 {
        match self {
            Self::Edited { seq } | Self::Unlinked { seq } => *seq,
            Self::Missing { expected, .. } => *expected,
            Self::Truncated { last_seq, .. } | Self::ShorterThanCheckpoint { last_seq, .. } => {
                last_seq + 1
            }
            Self::Rewritten { seq } => *seq,
        }
    }
}

/// Walks the chain in sequence order, holding one event at a time.
#[derive(Debug)]
pub struct Verifier {
    prev_hash: String,
    next_seq: i64,
    /// Hashes the chain must have at these sequence numbers.
    checkpoints: std::collections::BTreeMap<i64, String>,
}

impl Default for Verifier {
    fn default() -> Self {
        Self::after(0, GENESIS)
    }
}

impl Verifier {
    /// A verifier that starts after event `seq`, whose hash is `hash` (a
    /// checkpoint already verified): events from `seq + 1` on are fed.
    #[must_use]
    pub fn after(seq: i64, hash: &str) -> Self {
        Self {
            prev_hash: hash.to_owned(),
            next_seq: seq + 1,
            checkpoints: std::collections::BTreeMap::new(),
        }
    }

    /// Also require the hashes of these (signature-checked) checkpoints.
    #[must_use]
    pub fn with_checkpoints<'a>(mut self, cps: impl IntoIterator<Item = &'a Checkpoint>) -> Self {
        for c in cps {
            self.checkpoints.insert(c.seq, c.hash.clone());
        }
        self
    }

    /// Feeds the next event (in ascending `seq`).
    ///
    /// # Errors
    /// The first break found.
    pub fn push(&mut self, e: &AuditEvent) -> Result<(), ChainBreak> {
        if e.seq != self.next_seq {
            return Err(ChainBreak::Missing {
                expected: self.next_seq,
                found: e.seq,
            });
        }
        if e.prev_hash != self.prev_hash {
            return Err(ChainBreak::Unlinked { seq: e.seq });
        }
        if e.expected_hash() != e.hash {
            return Err(ChainBreak::Edited { seq: e.seq });
        }
        if self.checkpoints.get(&e.seq).is_some_and(|h| *h != e.hash) {
            return Err(ChainBreak::Rewritten { seq: e.seq });
        }
        self.prev_hash.clone_from(&e.hash);
        self.next_seq += 1;
        Ok(())
    }

    /// Compares the end of the chain with the stored head.
    ///
    /// # Errors
    /// [`ChainBreak::Truncated`] when the head says more events existed or the
    /// last hash differs.
    pub fn finish(self, head_seq: i64, head_hash: &str) -> Result<i64, ChainBreak> {
        let last = self.next_seq - 1;
        // checked first: a rewound head hides a truncation from the check below
        if let Some((&seq, hash)) = self.checkpoints.last_key_value() {
            if seq > last {
                return Err(ChainBreak::ShorterThanCheckpoint {
                    checkpoint_seq: seq,
                    last_seq: last,
                });
            }
            if seq == 0 && hash != GENESIS {
                return Err(ChainBreak::Rewritten { seq });
            }
        }
        if last != head_seq || (head_seq > 0 && self.prev_hash != head_hash) {
            return Err(ChainBreak::Truncated {
                head_seq,
                last_seq: last,
            });
        }
        Ok(last)
    }
}

/// "Event #`seq` of the chain had hash `hash`", as of `at` (RFC 3339, UTC):
/// one line of a checkpoint file once signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    pub at: String,
}

/// The first word of a checkpoint line (and the signature's domain).
const CHECKPOINT_TAG: &str = "tdkt-audit-checkpoint/v1";

impl Checkpoint {
    /// The bytes that are signed: a fixed tag and the three fields, one a
    /// line, so that nothing else tdkt signs can be taken for a checkpoint.
    #[must_use]
    pub fn message(&self) -> Vec<u8> {
        format!(
            "{CHECKPOINT_TAG}\n{}\n{}\n{}\n",
            self.seq, self.hash, self.at
        )
        .into_bytes()
    }

    /// The line of the checkpoint file, with the signature in hex.
    #[must_use]
    pub fn to_line(&self, signature: &[u8]) -> String {
        format!(
            "{CHECKPOINT_TAG} seq={} hash={} at={} sig={}",
            self.seq,
            self.hash,
            self.at,
            hex::encode(signature)
        )
    }

    /// Reads a line written by [`Checkpoint::to_line`]: the checkpoint and
    /// its signature bytes (not yet verified).
    ///
    /// # Errors
    /// A Vietnamese reason when the line is not a checkpoint.
    pub fn parse_line(line: &str) -> Result<(Self, Vec<u8>), String> {
        let mut words = line.split_whitespace();
        if words.next() != Some(CHECKPOINT_TAG) {
            return Err(format!(
                "không phải điểm kiểm tra (phải bắt đầu bằng «{CHECKPOINT_TAG}»)"
            ));
        }
        let mut field = |name: &str| {
            words
                .next()
                .and_then(|w| w.strip_prefix(name))
                .and_then(|w| w.strip_prefix('='))
                .map(str::to_owned)
                .ok_or_else(|| format!("thiếu trường «{name}»"))
        };
        let seq = field("seq")?
            .parse::<i64>()
            .map_err(|_| "số thứ tự «seq» không phải số nguyên".to_owned())?;
        let hash = field("hash")?;
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("«hash» phải là 64 chữ số hex".to_owned());
        }
        let at = field("at")?;
        let sig =
            hex::decode(field("sig")?).map_err(|_| "chữ ký «sig» không phải hex".to_owned())?;
        Ok((Self { seq, hash, at }, sig))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEvent> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let at = format!("2026-01-01T00:00:{seq:02}Z");
                let after = format!("{{\"n\":{seq}}}");
                let hash = event_hash(
                    &prev,
                    seq,
                    &at,
                    "admin",
                    "unit",
                    "1",
                    "create",
                    None,
                    Some(&after),
                );
                let e = AuditEvent {
                    seq,
                    at,
                    actor: "admin".into(),
                    entity: "unit".into(),
                    entity_id: "1".into(),
                    action: "create".into(),
                    before: None,
                    after: Some(after),
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    fn verify(events: &[AuditEvent], head: (i64, &str)) -> Result<i64, ChainBreak> {
        let mut v = Verifier::default();
        for e in events {
            v.push(e)?;
        }
        v.finish(head.0, head.1)
    }

    #[test]
    fn an_intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify(&c, (5, &c[4].hash)), Ok(5));
    }

    #[test]
    fn an_edit_is_found_at_its_row() {
        let mut c = chain(5);
        c[2].after = Some("{\"n\":99}".into());
        assert_eq!(
            verify(&c, (5, &c[4].hash.clone()))
                .unwrap_err()
                .first_broken(),
            3
        );
    }

    #[test]
    fn a_checkpoint_line_reads_back_and_refuses_garbage() {
        let c = Checkpoint {
            seq: 12,
            hash: "ab".repeat(32),
            at: "2026-12-07T01:00:00Z".into(),
        };
        let line = c.to_line(&[1, 2, 255]);
        assert_eq!(Checkpoint::parse_line(&line), Ok((c, vec![1, 2, 255])));
        assert!(Checkpoint::parse_line("tdkt-audit-checkpoint/v1 seq=x").is_err());
        assert!(Checkpoint::parse_line("hello").is_err());
    }

    #[test]
    fn a_recomputed_or_shortened_chain_fails_its_checkpoint() {
        let c = chain(5);
        let cp = |seq: i64, hash: &str| Checkpoint {
            seq,
            hash: hash.to_owned(),
            at: String::new(),
        };
        let ok = [cp(3, &c[2].hash)];
        let verify_cp = |events: &[AuditEvent], cps: &[Checkpoint]| {
            let mut v = Verifier::default().with_checkpoints(cps);
            for e in events {
                v.push(e)?;
            }
            let last = events.last().unwrap();
            v.finish(last.seq, &last.hash)
        };
        assert_eq!(verify_cp(&c, &ok), Ok(5));
        // the chain as if rewritten from #3: valid links, other hash at #3
        assert_eq!(
            verify_cp(&c, &[cp(3, &"0".repeat(64))]),
            Err(ChainBreak::Rewritten { seq: 3 })
        );
        // shortened to #2 with the head rewound to #2
        assert_eq!(
            verify_cp(&c[..2], &ok),
            Err(ChainBreak::ShorterThanCheckpoint {
                checkpoint_seq: 3,
                last_seq: 2
            })
        );
        // verification may start at a checkpoint
        let mut v = Verifier::after(3, &c[2].hash);
        v.push(&c[3]).unwrap();
        v.push(&c[4]).unwrap();
        assert_eq!(v.finish(5, &c[4].hash), Ok(5));
    }

    #[test]
    fn a_deletion_in_the_middle_or_at_the_end_is_found() {
        let mut c = chain(5);
        let head = c[4].hash.clone();
        c.remove(1);
        assert_eq!(verify(&c, (5, &head)).unwrap_err().first_broken(), 2);
        let mut c = chain(5);
        c.pop();
        assert!(matches!(
            verify(&c, (5, &head)),
            Err(ChainBreak::Truncated { .. })
        ));
    }
}
