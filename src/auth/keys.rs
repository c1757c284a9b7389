//! RSA public keys, from a PEM (SPKI `PUBLIC KEY` or PKCS#1 `RSA PUBLIC KEY`) or from a JWK,
//! each fixed to the one algorithm it verifies. Verification is ring's RSA PKCS#1 v1.5.
//!
//! Everything here parses input byte by byte with bounds checks: a bad key is an error, never a
//! panic.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::signature::{self, RsaParameters, RsaPublicKeyComponents};

/// The signature algorithms a key can be fixed to. HMAC and `none` are deliberately absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Algorithm {
    Rs256,
    Rs384,
    Rs512,
}

impl Algorithm {
    /// The algorithm a JOSE `alg` names, if we support it.
    pub(crate) fn from_name(name: &str) -> Option<Algorithm> {
        match name {
            "RS256" => Some(Algorithm::Rs256),
            "RS384" => Some(Algorithm::Rs384),
            "RS512" => Some(Algorithm::Rs512),
            _ => None,
        }
    }

    fn params(self) -> &'static RsaParameters {
        match self {
            Algorithm::Rs256 => &signature::RSA_PKCS1_2048_8192_SHA256,
            Algorithm::Rs384 => &signature::RSA_PKCS1_2048_8192_SHA384,
            Algorithm::Rs512 => &signature::RSA_PKCS1_2048_8192_SHA512,
        }
    }
}

/// An RSA public key and the algorithm it is used with.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct PublicKey {
    n: Vec<u8>,
    e: Vec<u8>,
    alg: Algorithm,
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicKey")
            .field("bits", &(self.n.len() * 8))
            .field("alg", &self.alg)
            .finish()
    }
}

/// The OID 1.2.840.113549.1.1.1 (`rsaEncryption`), DER-encoded content.
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

impl PublicKey {
    /// A key from a PEM `PUBLIC KEY` (SPKI) or `RSA PUBLIC KEY` (PKCS#1) block, for RS256.
    ///
    /// Tolerates what environment variables do to PEM: the block on one line, `\n` written as
    /// two characters, surrounding whitespace or quotes.
    pub(crate) fn from_pem(pem: &str) -> Result<PublicKey, &'static str> {
        let text = pem.replace("\\n", "\n").replace("\\r", "");
        let text = text.trim().trim_matches(|c| c == '"' || c == '\'');
        let (label, body) = pem_block(text).ok_or(
            "the JWT key is not a PEM block (expected -----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)",
        )?;
        let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        let der = STANDARD
            .decode(b64.as_bytes())
            .map_err(|_| "the JWT key's PEM body is not valid base64")?;
        let (n, e) = match label {
            "PUBLIC KEY" => spki_rsa(&der)?,
            "RSA PUBLIC KEY" => pkcs1(&der).ok_or("the JWT key is not a valid PKCS#1 RSA key")?,
            _ => return Err("the JWT key must be a PEM PUBLIC KEY or RSA PUBLIC KEY block"),
        };
        PublicKey::from_components(n, e, Algorithm::Rs256)
    }

    /// A key from a JWK's base64url `n` and `e`.
    pub(crate) fn from_jwk(n: &str, e: &str, alg: Algorithm) -> Result<PublicKey, &'static str> {
        let decode = |s: &str| URL_SAFE_NO_PAD.decode(s.trim_end_matches('=').as_bytes());
        let n = decode(n).map_err(|_| "the JWK's `n` is not base64url")?;
        let e = decode(e).map_err(|_| "the JWK's `e` is not base64url")?;
        PublicKey::from_components(&n, &e, alg)
    }

    /// Checks what ring will check at verification time, so a bad key fails when loaded:
    /// a 2048 to 8192-bit modulus and an odd exponent of at least 3 that fits in 33 bits.
    fn from_components(n: &[u8], e: &[u8], alg: Algorithm) -> Result<PublicKey, &'static str> {
        let n = strip_zeros(n);
        let e = strip_zeros(e);
        // After stripping, the first byte is non-zero: at most 7 leading zero bits.
        let bits = n
            .first()
            .map_or(0, |b| n.len() * 8 - b.leading_zeros() as usize);
        if !(2048..=8192).contains(&bits) {
            return Err("the RSA key must have a 2048 to 8192-bit modulus");
        }
        let exponent = if e.len() <= 5 {
            e.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
        } else {
            u64::MAX
        };
        if exponent < 3 || exponent % 2 == 0 || exponent >= 1 << 33 {
            return Err("the RSA key's public exponent is not usable");
        }
        Ok(PublicKey {
            n: n.to_vec(),
            e: e.to_vec(),
            alg,
        })
    }

    /// The one algorithm this key verifies.
    pub(crate) fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// Whether `signature` is this key's signature of `message` under its algorithm.
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        RsaPublicKeyComponents {
            n: &self.n,
            e: &self.e,
        }
        .verify(self.alg.params(), message, signature)
        .is_ok()
    }
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

/// The label and body of the first PEM block in `text`.
fn pem_block(text: &str) -> Option<(&str, &str)> {
    const BEGIN: &str = "-----BEGIN ";
    const DASHES: &str = "-----";
    let start = text.find(BEGIN)? + BEGIN.len();
    let rest = &text[start..];
    let label_end = rest.find(DASHES)?;
    let label = &rest[..label_end];
    let body_and_end = &rest[label_end + DASHES.len()..];
    let end_marker = format!("-----END {label}-----");
    let body_end = body_and_end.find(&end_marker)?;
    Some((label, &body_and_end[..body_end]))
}

/// A minimal DER reader: enough for SPKI and PKCS#1 RSA public keys.
struct Der<'a>(&'a [u8]);

impl<'a> Der<'a> {
    /// The content of the next element, which must have tag `tag`.
    fn read(&mut self, tag: u8) -> Option<&'a [u8]> {
        let (&t, rest) = self.0.split_first()?;
        if t != tag {
            return None;
        }
        let (&first, mut rest) = rest.split_first()?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 4 {
                return None;
            }
            let (bytes, after) = rest.split_at_checked(count)?;
            rest = after;
            bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
        };
        let (content, after) = rest.split_at_checked(len)?;
        self.0 = after;
        Some(content)
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// `n` and `e` of a DER SubjectPublicKeyInfo holding an RSA key.
fn spki_rsa(der: &[u8]) -> Result<(&[u8], &[u8]), &'static str> {
    let bad = "the JWT key is not a valid DER SubjectPublicKeyInfo";
    let mut outer = Der(der);
    let spki = outer.read(0x30).ok_or(bad)?;
    if !outer.is_empty() {
        return Err(bad);
    }
    let mut spki = Der(spki);
    let algorithm = spki.read(0x30).ok_or(bad)?;
    let bits = spki.read(0x03).ok_or(bad)?;
    if !spki.is_empty() {
        return Err(bad);
    }
    let oid = Der(algorithm).read(0x06).ok_or(bad)?;
    if oid != RSA_ENCRYPTION {
        return Err("the JWT key is not an RSA key (Clerk signs session tokens with RS256)");
    }
    // A BIT STRING starts with its count of unused bits, 0 here.
    match bits.split_first() {
        Some((0, key)) => pkcs1(key).ok_or(bad),
        _ => Err(bad),
    }
}

/// `n` and `e` of a DER PKCS#1 RSAPublicKey, both positive.
fn pkcs1(der: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut outer = Der(der);
    let seq = outer.read(0x30)?;
    if !outer.is_empty() {
        return None;
    }
    let mut seq = Der(seq);
    let n = seq.read(0x02)?;
    let e = seq.read(0x02)?;
    if !seq.is_empty() {
        return None;
    }
    // A DER INTEGER with its top bit set is negative.
    let positive = |i: &[u8]| i.first().is_some_and(|b| b & 0x80 == 0);
    (positive(n) && positive(e)).then_some((n, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    const A_SPKI: &str = include_str!("../../tests/fixtures/keys/rsa_a.pub.pem");
    const A_PKCS1: &str = include_str!("../../tests/fixtures/keys/rsa_a.pkcs1.pub.pem");
    const SMALL: &str = include_str!("../../tests/fixtures/keys/rsa_1024.pub.pem");
    const EC: &str = include_str!("../../tests/fixtures/keys/ec_p256.pub.pem");

    #[test]
    fn spki_and_pkcs1_give_the_same_key() {
        let a = PublicKey::from_pem(A_SPKI).unwrap();
        let b = PublicKey::from_pem(A_PKCS1).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.n.len(), 256);
        assert_eq!(a.e, [1, 0, 1]);
        assert_eq!(a.algorithm(), Algorithm::Rs256);
    }

    #[test]
    fn pem_as_environment_variables_mangle_it() {
        let want = PublicKey::from_pem(A_SPKI).unwrap();
        let one_line = A_SPKI.replace('\n', "");
        let escaped = format!("\"{}\"", A_SPKI.replace('\n', "\\n"));
        let crlf = A_SPKI.replace('\n', "\r\n");
        for text in [one_line, escaped, crlf] {
            assert_eq!(PublicKey::from_pem(&text).unwrap(), want, "{text}");
        }
    }

    #[test]
    fn unusable_keys_are_refused() {
        assert!(PublicKey::from_pem(SMALL).unwrap_err().contains("2048"));
        assert!(
            PublicKey::from_pem(EC)
                .unwrap_err()
                .contains("not an RSA key")
        );
        assert!(PublicKey::from_pem("").is_err());
        assert!(PublicKey::from_pem("-----BEGIN PUBLIC KEY-----").is_err());
        assert!(
            PublicKey::from_pem("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----")
                .unwrap_err()
                .contains("base64")
        );
        let private = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----";
        assert!(PublicKey::from_pem(private).is_err());
    }

    #[test]
    fn truncated_or_corrupt_der_never_panics() {
        let body: String = A_SPKI.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = STANDARD.decode(body).unwrap();
        for len in 0..der.len() {
            assert!(spki_rsa(&der[..len]).is_err(), "prefix of {len} bytes");
        }
        for i in 0..der.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut bad = der.clone();
                bad[i] ^= flip;
                // Any outcome but a panic; most flips are refused.
                let _ = spki_rsa(&bad).and_then(|(n, e)| {
                    PublicKey::from_components(n, e, Algorithm::Rs256).map(drop)
                });
            }
        }
        // A length that claims more than there is.
        assert!(
            Der(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff])
                .read(0x30)
                .is_none()
        );
        assert!(Der(&[0x30, 0x80]).read(0x30).is_none());
    }

    #[test]
    fn jwk_components() {
        let a = PublicKey::from_pem(A_SPKI).unwrap();
        let n = URL_SAFE_NO_PAD.encode(&a.n);
        let k = PublicKey::from_jwk(&n, "AQAB", Algorithm::Rs512).unwrap();
        assert_eq!(k.algorithm(), Algorithm::Rs512);
        assert_eq!(k.n, a.n);
        // A leading zero byte (as some encoders write) is accepted.
        let mut padded = vec![0];
        padded.extend_from_slice(&a.n);
        assert!(
            PublicKey::from_jwk(&URL_SAFE_NO_PAD.encode(&padded), "AQAB", Algorithm::Rs256).is_ok()
        );
        assert!(PublicKey::from_jwk("***", "AQAB", Algorithm::Rs256).is_err());
        assert!(PublicKey::from_jwk(&n, "AQ", Algorithm::Rs256).is_err()); // e = 1
        assert!(PublicKey::from_jwk(&n, "AQAA", Algorithm::Rs256).is_err()); // even
        assert!(PublicKey::from_jwk("", "AQAB", Algorithm::Rs256).is_err());
    }

    #[test]
    fn algorithm_names() {
        assert_eq!(Algorithm::from_name("RS256"), Some(Algorithm::Rs256));
        assert_eq!(Algorithm::from_name("RS384"), Some(Algorithm::Rs384));
        assert_eq!(Algorithm::from_name("RS512"), Some(Algorithm::Rs512));
        for bad in ["none", "None", "HS256", "rs256", "ES256", "PS256", ""] {
            assert_eq!(Algorithm::from_name(bad), None, "{bad}");
        }
    }
}
