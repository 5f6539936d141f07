//! Protection of CCCD numbers at rest: a keyed hash (HMAC-SHA256) for
//! exact-match lookup and AES-256-GCM for the few roles that must read the
//! number. Without the key, the database reveals neither, and the masked
//! form's six visible digits do not make the hash brute-forceable.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::StoreError;

/// Keys derived from one 32-byte master key.
#[derive(Clone)]
pub struct Secrets {
    /// HMAC state with the index key already absorbed: cloning it saves
    /// the two key-schedule blocks per hash (ten million of them in a
    /// large import).
    index_mac: Hmac<Sha256>,
    cipher: Aes256Gcm,
    /// Signs certificates (label `tdkt/certificate/v1`).
    certificate: ed25519_dalek::SigningKey,
    /// HMAC state keyed for CSRF tokens.
    csrf_mac: Hmac<Sha256>,
    /// Seed of the Ed25519 key that signs audit checkpoints.
    audit_seed: [u8; 32],
    /// Root of the per-ballot keys that seal votes until the close.
    ballot_seal: [u8; 32],
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets(…)")
    }
}

fn derive(master: &[u8; 32], label: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(master).expect("any key length");
    mac.update(label.as_bytes());
    mac.finalize().into_bytes().into()
}

impl Secrets {
    /// # Panics
    /// Never: HMAC takes a key of any length.
    #[must_use]
    pub fn from_master(master: &[u8; 32]) -> Self {
        let enc = derive(master, "tdkt/cccd-encryption/v1");
        Self {
            index_mac: <Hmac<Sha256> as Mac>::new_from_slice(&derive(master, "tdkt/cccd-index/v1"))
                .expect("any key length"),
            cipher: Aes256Gcm::new(&enc.into()),
            certificate: ed25519_dalek::SigningKey::from_bytes(&derive(
                master,
                "tdkt/certificate/v1",
            )),
            csrf_mac: <Hmac<Sha256> as Mac>::new_from_slice(&derive(master, "tdkt/csrf/v1"))
                .expect("any key length"),
            audit_seed: derive(master, "tdkt/audit-checkpoint/v1"),
            ballot_seal: derive(master, "tdkt/ballot-seal/v1"),
        }
    }

    /// Parses a master key written as 64 hex digits.
    ///
    /// # Errors
    /// Not 64 hex digits.
    pub fn from_hex(s: &str) -> Result<Self, String> {
        let bytes =
            hex::decode(s.trim()).map_err(|_| "khóa bí mật phải là 64 chữ số hex".to_owned())?;
        let master: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "khóa bí mật phải dài 32 byte (64 chữ số hex)".to_owned())?;
        Ok(Self::from_master(&master))
    }

    /// A fresh random master key as hex (for `tdkt.key` on first start).
    #[must_use]
    pub fn generate_hex() -> String {
        let mut k = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut k);
        hex::encode(k)
    }

    /// The Ed25519 key that signs certificates, derived from the master key
    /// with the label `tdkt/certificate/v1`: the same installation key
    /// always signs with the same key, published at
    /// `/xac-minh/khoa-cong-khai`.
    #[must_use]
    pub fn certificate_signing_key(&self) -> &ed25519_dalek::SigningKey {
        &self.certificate
    }

    /// The public half of [`Secrets::certificate_signing_key`].
    #[must_use]
    pub fn certificate_public_key(&self) -> ed25519_dalek::VerifyingKey {
        self.certificate.verifying_key()
    }

    /// The lookup hash of a (validated) CCCD.
    #[must_use]
    pub fn cccd_index(&self, cccd: &str) -> String {
        let mut mac = self.index_mac.clone();
        mac.update(cccd.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// HMAC-SHA256 under the CSRF key of `parts`, each length-prefixed so
    /// that no two lists of parts collide.
    #[must_use]
    pub fn csrf_tag(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut mac = self.csrf_mac.clone();
        for p in parts {
            mac.update(&(p.len() as u64).to_be_bytes());
            mac.update(p);
        }
        mac.finalize().into_bytes().into()
    }

    /// The Ed25519 key that signs audit checkpoints (derived, never stored).
    #[must_use]
    pub fn audit_signing_key(&self) -> ed25519_dalek::SigningKey {
        ed25519_dalek::SigningKey::from_bytes(&self.audit_seed)
    }

    /// The public half of [`Secrets::audit_signing_key`].
    #[must_use]
    pub fn audit_verifying_key(&self) -> ed25519_dalek::VerifyingKey {
        self.audit_signing_key().verifying_key()
    }

    /// Signs an audit checkpoint: its line for the checkpoint file.
    #[must_use]
    pub fn sign_checkpoint(&self, c: &tdkt_core::audit::Checkpoint) -> String {
        use ed25519_dalek::Signer;
        c.to_line(&self.audit_signing_key().sign(&c.message()).to_bytes())
    }

    /// Reads a checkpoint line and checks its signature with this key.
    ///
    /// # Errors
    /// A Vietnamese reason: not a checkpoint line, or a signature that does
    /// not verify (forged, altered, or made with another key).
    pub fn verify_checkpoint(&self, line: &str) -> Result<tdkt_core::audit::Checkpoint, String> {
        let (c, sig) = tdkt_core::audit::Checkpoint::parse_line(line)?;
        let sig = ed25519_dalek::Signature::from_slice(&sig)
            .map_err(|_| "chữ ký không đúng độ dài".to_owned())?;
        self.audit_verifying_key()
            .verify_strict(&c.message(), &sig)
            .map_err(|_| {
                "chữ ký không hợp lệ: điểm kiểm tra bị giả mạo, bị sửa, hoặc ký bằng khóa khác"
                    .to_owned()
            })?;
        Ok(c)
    }

    /// The AES-256-GCM key of one ballot's sealed votes: derived from the
    /// master key and the ballot id, so it is nowhere in the database and
    /// nothing in a vote's row (or its order) helps to find it.
    fn ballot_cipher(&self, ballot_id: i64) -> Aes256Gcm {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.ballot_seal).expect("any key length");
        mac.update(&ballot_id.to_be_bytes());
        let key: [u8; 32] = mac.finalize().into_bytes().into();
        Aes256Gcm::new(&key.into())
    }

    /// Seals a vote of `ballot_id` (random nonce, the ballot id as
    /// associated data so a sealed vote cannot be moved to another ballot).
    ///
    /// # Errors
    /// Encryption failure (never expected).
    pub fn seal_vote(&self, ballot_id: i64, plain: &[u8]) -> Result<String, StoreError> {
        use aes_gcm::aead::Payload;
        let mut nonce = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut nonce);
        let aad = ballot_id.to_be_bytes();
        let ct = self
            .ballot_cipher(ballot_id)
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: &aad,
                },
            )
            .map_err(|_| StoreError::Crypto)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        Ok(STANDARD.encode(out))
    }

    /// Opens a vote sealed by [`Secrets::seal_vote`] for the same ballot.
    ///
    /// # Errors
    /// Wrong key, wrong ballot or tampered ciphertext.
    pub fn open_vote(&self, ballot_id: i64, sealed: &str) -> Result<Vec<u8>, StoreError> {
        use aes_gcm::aead::Payload;
        let raw = STANDARD.decode(sealed).map_err(|_| StoreError::Crypto)?;
        if raw.len() < 12 {
            return Err(StoreError::Crypto);
        }
        let (nonce, ct) = raw.split_at(12);
        let aad = ballot_id.to_be_bytes();
        self.ballot_cipher(ballot_id)
            .decrypt(Nonce::from_slice(nonce), Payload { msg: ct, aad: &aad })
            .map_err(|_| StoreError::Crypto)
    }

    /// # Errors
    /// Encryption failure (never expected).
    pub fn encrypt(&self, plain: &str) -> Result<String, StoreError> {
        let mut nonce = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut nonce);
        let ct = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
            .map_err(|_| StoreError::Crypto)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        Ok(STANDARD.encode(out))
    }

    /// # Errors
    /// Wrong key or tampered ciphertext.
    pub fn decrypt(&self, stored: &str) -> Result<String, StoreError> {
        let raw = STANDARD.decode(stored).map_err(|_| StoreError::Crypto)?;
        if raw.len() < 12 {
            return Err(StoreError::Crypto);
        }
        let (nonce, ct) = raw.split_at(12);
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), ct)
            .map_err(|_| StoreError::Crypto)?;
        String::from_utf8(plain).map_err(|_| StoreError::Crypto)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_stable_index() {
        let s = Secrets::from_master(&[7; 32]);
        let enc = s.encrypt("093185000123").unwrap();
        assert_ne!(enc, s.encrypt("093185000123").unwrap(), "random nonce");
        assert_eq!(s.decrypt(&enc).unwrap(), "093185000123");
        assert_eq!(s.cccd_index("093185000123"), s.cccd_index("093185000123"));
        assert!(Secrets::from_master(&[8; 32]).decrypt(&enc).is_err());
    }

    #[test]
    fn a_sealed_vote_opens_only_for_its_ballot_and_key() {
        let s = Secrets::from_master(&[7; 32]);
        let sealed = s.seal_vote(3, b"phieu").unwrap();
        assert_eq!(s.open_vote(3, &sealed).unwrap(), b"phieu");
        assert!(s.open_vote(4, &sealed).is_err());
        assert!(Secrets::from_master(&[8; 32])
            .open_vote(3, &sealed)
            .is_err());
    }

    #[test]
    fn the_certificate_key_is_derived_from_the_master_key_alone() {
        let a = Secrets::from_master(&[7; 32]).certificate_public_key();
        assert_eq!(a, Secrets::from_master(&[7; 32]).certificate_public_key());
        assert_ne!(a, Secrets::from_master(&[8; 32]).certificate_public_key());
        // a key of its own, not the CCCD keys
        assert_ne!(a.as_bytes(), &derive(&[7; 32], "tdkt/cccd-index/v1"));
        // nor the audit checkpoint key
        assert_ne!(a, Secrets::from_master(&[7; 32]).audit_verifying_key());
    }

    #[test]
    fn each_derived_key_depends_on_the_master_key() {
        let a = Secrets::from_master(&[7; 32]);
        let b = Secrets::from_master(&[8; 32]);
        assert_eq!(
            a.csrf_tag(&[b"x"]),
            Secrets::from_master(&[7; 32]).csrf_tag(&[b"x"])
        );
        assert_ne!(a.csrf_tag(&[b"x"]), b.csrf_tag(&[b"x"]));
        assert_ne!(a.csrf_tag(&[b"ab", b"c"]), a.csrf_tag(&[b"a", b"bc"]));
        assert_ne!(a.audit_verifying_key(), b.audit_verifying_key());
    }

    #[test]
    fn a_checkpoint_verifies_only_unchanged_and_with_the_same_key() {
        let a = Secrets::from_master(&[7; 32]);
        let c = tdkt_core::audit::Checkpoint {
            seq: 3,
            hash: "cd".repeat(32),
            at: "2026-12-07T01:00:00Z".into(),
        };
        let line = a.sign_checkpoint(&c);
        assert_eq!(a.verify_checkpoint(&line), Ok(c));
        let altered = line.replace("seq=3", "seq=4");
        assert!(a
            .verify_checkpoint(&altered)
            .unwrap_err()
            .contains("chữ ký"));
        assert!(Secrets::from_master(&[8; 32])
            .verify_checkpoint(&line)
            .is_err());
    }
}
