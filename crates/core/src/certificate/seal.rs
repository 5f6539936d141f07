//! The signature container of a certificate file: one PDF comment line at
//! the very end of the file, after `%%EOF`,
//!
//! ```text
//! …%%EOF\n
//! %TDKT-SIG v1 ed25519 <key-id> <codes> <signature>\n
//! ```
//!
//! `key-id` is 16 hex digits of the SHA-256 of the public key ([`key_id`]),
//! `codes` the verification codes of the certificates in the file, joined by
//! commas (one for a single certificate, many for a batch), `signature` the
//! 64-byte Ed25519 signature in standard base64. What is signed is **every
//! byte of the file before the signature**: the PDF, its `%%EOF`, and the
//! comment line up to and including the space before the signature. So the
//! key id and the codes are signed too, and any change to any byte (an edit
//! inside the PDF, another code, one byte appended after the line) makes the
//! check fail: the line must be the file's last, ended by one `\n`.
//!
//! PDF readers skip a comment after `%%EOF`, so the sealed file still opens
//! everywhere. Unlike a PDF signature field, it needs no incremental
//! update, and anyone can check it offline with the published public key
//! (`docs/certificates.md` shows how with `openssl`).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

/// The tag that opens the signature line.
pub const TAG: &str = "%TDKT-SIG";
/// Version and algorithm, as written after the tag.
pub const SCHEME: &str = "v1 ed25519";

/// Why a file does not carry a well-formed seal (before any key is tried).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("tệp không có dòng chữ ký TDKT ở cuối tệp (không phải giấy chứng nhận do tdkt cấp, hoặc đã bị sửa, bị nối thêm dữ liệu)")]
    Missing,
    #[error("dòng chữ ký TDKT không đúng định dạng: {0}")]
    Malformed(&'static str),
    #[error("tệp được ký bằng khóa {found}, không phải khóa {expected} của hệ thống")]
    UnknownKey { found: String, expected: String },
    #[error("chữ ký không khớp với nội dung: tệp đã bị sửa sau khi ký")]
    BadSignature,
}

/// A parsed seal: what was signed, by which key, for which certificates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened<'a> {
    /// The signed bytes: everything before the signature.
    pub message: &'a [u8],
    /// The PDF itself, without the seal line.
    pub pdf: &'a [u8],
    pub key_id: String,
    pub codes: Vec<String>,
    pub signature: [u8; 64],
}

/// 16 hex digits naming a public key: the first 8 bytes of its SHA-256.
#[must_use]
pub fn key_id(key: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(key.as_bytes())[..8])
}

fn valid_code(c: &str) -> bool {
    !c.is_empty() && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Appends the seal to `pdf` (which must end with `%%EOF`, optionally
/// followed by one newline) for the certificates `codes`.
///
/// # Panics
/// When `codes` is empty or a code holds other characters than ASCII
/// letters, digits and `-`: codes come from [`super::Code`], never from input.
#[must_use]
pub fn seal(mut pdf: Vec<u8>, key: &SigningKey, codes: &[String]) -> Vec<u8> {
    assert!(
        !codes.is_empty() && codes.iter().all(|c| valid_code(c)),
        "certificate codes are ASCII letters, digits and '-'"
    );
    if !pdf.ends_with(b"\n") {
        pdf.push(b'\n');
    }
    let id = key_id(&key.verifying_key());
    pdf.extend_from_slice(format!("{TAG} {SCHEME} {id} {} ", codes.join(",")).as_bytes());
    let sig = key.sign(&pdf);
    pdf.extend_from_slice(STANDARD.encode(sig.to_bytes()).as_bytes());
    pdf.push(b'\n');
    pdf
}

/// Finds and parses the seal line; checks nothing cryptographic.
///
/// # Errors
/// [`SealError::Missing`] when the last line is not a seal (or something
/// follows it), [`SealError::Malformed`] when it is one but broken.
pub fn open(file: &[u8]) -> Result<Opened<'_>, SealError> {
    let body = file.strip_suffix(b"\n").ok_or(SealError::Missing)?;
    let start = body.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = &body[start..];
    if !line.starts_with(TAG.as_bytes()) {
        return Err(SealError::Missing);
    }
    let line = std::str::from_utf8(line).map_err(|_| SealError::Malformed("không phải ASCII"))?;
    let sig_at = line
        .rfind(' ')
        .ok_or(SealError::Malformed("thiếu chữ ký"))?;
    let fields: Vec<&str> = line[..sig_at].split(' ').collect();
    let [tag, version, algorithm, key_id, codes] = fields.as_slice() else {
        return Err(SealError::Malformed("số trường không đúng"));
    };
    if *tag != TAG || format!("{version} {algorithm}") != SCHEME {
        return Err(SealError::Malformed(
            "phiên bản hoặc thuật toán không được hỗ trợ",
        ));
    }
    if key_id.len() != 16 || !key_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(SealError::Malformed("mã khóa phải là 16 chữ số hex"));
    }
    let codes: Vec<String> = codes.split(',').map(str::to_owned).collect();
    if !codes.iter().all(|c| valid_code(c)) {
        return Err(SealError::Malformed("mã xác minh không hợp lệ"));
    }
    let raw = STANDARD
        .decode(&line[sig_at + 1..])
        .map_err(|_| SealError::Malformed("chữ ký không phải base64"))?;
    let signature: [u8; 64] = raw
        .try_into()
        .map_err(|_| SealError::Malformed("chữ ký Ed25519 phải dài 64 byte"))?;
    Ok(Opened {
        message: &file[..=start + sig_at],
        pdf: &file[..start],
        key_id: (*key_id).to_owned(),
        codes,
        signature,
    })
}

/// Checks the seal of `file` with `key`; the certificate codes it carries
/// when the signature holds.
///
/// # Errors
/// A missing or malformed seal, another key, or a signature that does not
/// match the bytes (the file was changed).
pub fn verify(file: &[u8], key: &VerifyingKey) -> Result<Vec<String>, SealError> {
    let opened = open(file)?;
    let expected = key_id(key);
    if opened.key_id != expected {
        return Err(SealError::UnknownKey {
            found: opened.key_id,
            expected,
        });
    }
    key.verify(opened.message, &Signature::from_bytes(&opened.signature))
        .map_err(|_| SealError::BadSignature)?;
    Ok(opened.codes)
}

/// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the key's 32
/// bytes follow.
const SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

/// The public key as PEM (`-----BEGIN PUBLIC KEY-----`, RFC 8410), the form
/// `openssl pkeyutl -verify` reads.
#[must_use]
pub fn public_key_pem(key: &VerifyingKey) -> String {
    let mut der = SPKI_PREFIX.to_vec();
    der.extend_from_slice(key.as_bytes());
    format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        STANDARD.encode(der)
    )
}

/// Reads a public key written as PEM ([`public_key_pem`]) or as 64 hex
/// digits.
///
/// # Errors
/// Neither form, or not a valid Ed25519 point (Vietnamese message).
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, String> {
    let t = text.trim();
    let bytes: Vec<u8> = if t.starts_with("-----BEGIN PUBLIC KEY-----") {
        let b64: String = t
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<String>();
        let der = STANDARD
            .decode(b64.trim())
            .map_err(|_| "khóa công khai PEM không đọc được (base64 hỏng)".to_owned())?;
        der.strip_prefix(&SPKI_PREFIX[..])
            .ok_or_else(|| "tệp PEM không chứa khóa công khai Ed25519".to_owned())?
            .to_vec()
    } else {
        hex::decode(t)
            .map_err(|_| "khóa công khai phải ở dạng PEM hoặc 64 chữ số hex".to_owned())?
    };
    let arr: [u8; 32] = bytes
        .try_into()
        .map_err(|_| "khóa công khai Ed25519 phải dài 32 byte".to_owned())?;
    VerifyingKey::from_bytes(&arr).map_err(|_| "khóa công khai Ed25519 không hợp lệ".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[9; 32])
    }

    fn pdf() -> Vec<u8> {
        b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec()
    }

    #[test]
    fn a_sealed_file_verifies_and_names_its_codes() {
        let k = key();
        let sealed = seal(pdf(), &k, &["ABCD-EFGH".to_owned()]);
        assert!(sealed.starts_with(&pdf()));
        let last = sealed.split(|&b| b == b'\n').rev().nth(1).unwrap();
        assert!(last.starts_with(b"%TDKT-SIG v1 ed25519 "));
        assert_eq!(verify(&sealed, &k.verifying_key()).unwrap(), ["ABCD-EFGH"]);
        let opened = open(&sealed).unwrap();
        assert_eq!(opened.pdf, pdf().as_slice());
        assert_eq!(opened.key_id, key_id(&k.verifying_key()));
    }

    #[test]
    fn any_changed_byte_is_detected() {
        let k = key();
        let sealed = seal(pdf(), &k, &["ABCD-EFGH".to_owned(), "JKMN-PQRS".to_owned()]);
        // every byte of the file, flipped one at a time: never verifies
        for i in 0..sealed.len() {
            let mut t = sealed.clone();
            t[i] ^= 0x01;
            assert!(verify(&t, &k.verifying_key()).is_err(), "byte {i}");
        }
    }

    #[test]
    fn appending_or_truncating_is_detected() {
        let k = key();
        let sealed = seal(pdf(), &k, &["ABCD".to_owned()]);
        let mut appended = sealed.clone();
        appended.extend_from_slice(b"%%EOF\n");
        assert_eq!(
            verify(&appended, &k.verifying_key()),
            Err(SealError::Missing)
        );
        let mut one_more = sealed.clone();
        one_more.push(b'\n');
        assert!(verify(&one_more, &k.verifying_key()).is_err());
        let cut = &sealed[..sealed.len() - 1];
        assert_eq!(verify(cut, &k.verifying_key()), Err(SealError::Missing));
        assert_eq!(verify(&pdf(), &k.verifying_key()), Err(SealError::Missing));
    }

    #[test]
    fn another_key_is_named_not_mistaken_for_tampering() {
        let sealed = seal(pdf(), &key(), &["ABCD".to_owned()]);
        let other = SigningKey::from_bytes(&[10; 32]);
        assert!(matches!(
            verify(&sealed, &other.verifying_key()),
            Err(SealError::UnknownKey { .. })
        ));
    }

    #[test]
    fn the_public_key_round_trips_as_pem_and_hex() {
        let vk = key().verifying_key();
        let pem = public_key_pem(&vk);
        assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA"));
        assert_eq!(parse_public_key(&pem).unwrap(), vk);
        assert_eq!(parse_public_key(&hex::encode(vk.as_bytes())).unwrap(), vk);
        assert!(parse_public_key("xyz").is_err());
    }
}
