//! The append-only, hash-chained audit log. Each event's hash covers its own
//! fields and the previous event's hash, so editing or deleting any row
//! breaks the chain from that row on; the stored head (last sequence and
//! hash) catches the deletion of the newest rows.

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
}

impl ChainBreak {
    /// The first event that can no longer be trusted.
    #[must_use]
    pub fn first_broken(&self) -> i64 {
        match self {
            Self::Edited { seq } | Self::Unlinked { seq } => *seq,
            Self::Missing { expected, .. } => *expected,
            Self::Truncated { last_seq, .. } => last_seq + 1,
        }
    }
}

/// Walks the chain in sequence order, holding one event at a time.
#[derive(Debug)]
pub struct Verifier {
    prev_hash: String,
    next_seq: i64,
}

impl Default for Verifier {
    fn default() -> Self {
        Self {
            prev_hash: GENESIS.to_owned(),
            next_seq: 1,
        }
    }
}

impl Verifier {
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
        if last != head_seq || (head_seq > 0 && self.prev_hash != head_hash) {
            return Err(ChainBreak::Truncated {
                head_seq,
                last_seq: last,
            });
        }
        Ok(last)
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
