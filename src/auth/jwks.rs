//! The JWKS cache: keys fetched through the API, kept for a TTL, refreshed early for an
//! unknown `kid` at most once a minute. One fetch at a time; callers that waited for a fetch
//! share its outcome. A failed fetch is never stored: the next caller fetches again, and the
//! keys already cached stay as they were.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use super::error::{Reason, TokenError, Unavailable, VerifyError};
use super::keys::{Algorithm, PublicKey};
use crate::Error;

/// How often an unknown `kid` may trigger a refresh while the cached keys are still fresh.
pub(crate) const REFRESH_INTERVAL: Duration = Duration::from_secs(60);

/// One key of a JWKS, as the API returns it; only what verification needs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Jwk {
    pub(crate) kid: Option<String>,
    pub(crate) kty: Option<String>,
    pub(crate) alg: Option<String>,
    pub(crate) use_: Option<String>,
    pub(crate) n: Option<String>,
    pub(crate) e: Option<String>,
}

impl Jwk {
    /// The key, when it is an RSA signing key we can use: `kty` `RSA`, `use` absent or `sig`,
    /// `alg` absent (RS256) or RS256/RS384/RS512. Anything else (EC keys, encryption keys) is
    /// skipped.
    fn usable(&self) -> Option<(String, PublicKey)> {
        let kid = self.kid.clone().filter(|k| !k.is_empty())?;
        if self.kty.as_deref() != Some("RSA") || self.use_.as_deref().is_some_and(|u| u != "sig") {
            return None;
        }
        let alg = match self.alg.as_deref() {
            None => Algorithm::Rs256,
            Some(name) => Algorithm::from_name(name)?,
        };
        let key = PublicKey::from_jwk(self.n.as_deref()?, self.e.as_deref()?, alg).ok()?;
        Some((kid, key))
    }
}

struct KeySet {
    keys: HashMap<String, Arc<PublicKey>>,
    fetched_at: SystemTime,
}

#[derive(Default)]
struct State {
    keys: Option<KeySet>,
    /// When the last fetch started, successful or not.
    last_attempt: Option<SystemTime>,
    /// Counts fetches completed, so that a caller can tell that one ended while it waited.
    generation: u64,
    /// The error of the fetch that completed as that generation, for the callers that waited
    /// on it.
    failure: Option<(u64, Arc<Error>)>,
}

enum Decision {
    Use(Arc<PublicKey>),
    Unknown,
    Fetch,
}

/// A thread-safe JWKS cache.
pub(crate) struct JwksCache {
    ttl: Duration,
    state: Mutex<State>,
    fetching: Mutex<()>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Time from `since` to `now`; a clock that went backwards counts as a long time.
fn elapsed(since: SystemTime, now: SystemTime) -> Duration {
    now.duration_since(since).unwrap_or(Duration::MAX)
}

fn unknown_key() -> VerifyError {
    TokenError::new(
        Reason::UnknownKey,
        "no key in the instance's JWKS has the token's `kid`",
    )
    .into()
}

impl JwksCache {
    pub(crate) fn new(ttl: Duration) -> Self {
        JwksCache {
            ttl,
            state: Mutex::new(State::default()),
            fetching: Mutex::new(()),
        }
    }

    pub(crate) fn ttl(&self) -> Duration {
        self.ttl
    }

    fn decide(&self, state: &State, kid: &str, now: SystemTime) -> Decision {
        match &state.keys {
            Some(set) if elapsed(set.fetched_at, now) < self.ttl => match set.keys.get(kid) {
                Some(key) => Decision::Use(key.clone()),
                None if state
                    .last_attempt
                    .is_some_and(|t| elapsed(t, now) < REFRESH_INTERVAL) =>
                {
                    Decision::Unknown
                }
                None => Decision::Fetch,
            },
            _ => Decision::Fetch,
        }
    }

    /// The key with id `kid`, from the cache or, when needed and allowed, after one fetch.
    pub(crate) fn key(
        &self,
        kid: &str,
        now: &dyn Fn() -> SystemTime,
        fetch: &dyn Fn() -> Result<Vec<Jwk>, Error>,
    ) -> Result<Arc<PublicKey>, VerifyError> {
        let seen = {
            let state = lock(&self.state);
            match self.decide(&state, kid, now()) {
                Decision::Use(key) => return Ok(key),
                Decision::Unknown => return Err(unknown_key()),
                Decision::Fetch => state.generation,
            }
        };
        let _one_fetch_at_a_time = lock(&self.fetching);
        {
            let mut state = lock(&self.state);
            if state.generation != seen {
                // Another caller fetched while this one waited: use its outcome.
                if let Some((g, error)) = &state.failure {
                    if *g == state.generation {
                        return Err(Unavailable::shared(error.clone()).into());
                    }
                }
                match self.decide(&state, kid, now()) {
                    Decision::Use(key) => return Ok(key),
                    Decision::Unknown => return Err(unknown_key()),
                    Decision::Fetch => {}
                }
            }
            state.last_attempt = Some(now());
        }
        // The network call holds the fetch lock only, never the state lock: callers with
        // fresh keys are not held up.
        let result = fetch();
        let mut state = lock(&self.state);
        state.generation += 1;
        match result {
            Ok(jwks) => {
                state.keys = Some(KeySet {
                    keys: jwks
                        .iter()
                        .filter_map(Jwk::usable)
                        .map(|(kid, key)| (kid, Arc::new(key)))
                        .collect(),
                    fetched_at: now(),
                });
                state.failure = None;
                match self.decide(&state, kid, now()) {
                    Decision::Use(key) => Ok(key),
                    // A zero TTL: use the keys just fetched, this once.
                    Decision::Fetch => state
                        .keys
                        .as_ref()
                        .and_then(|s| s.keys.get(kid).cloned())
                        .ok_or_else(unknown_key),
                    Decision::Unknown => Err(unknown_key()),
                }
            }
            Err(error) => {
                let error = Arc::new(error);
                state.failure = Some((state.generation, error.clone()));
                Err(Unavailable::shared(error).into())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    const A: &str = include_str!("../../tests/fixtures/keys/rsa_a.pub.pem");

    fn jwk(kid: &str) -> Jwk {
        use base64::Engine as _;
        let body: String = A.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap();
        // The modulus of a 2048-bit SPKI sits at a fixed offset: 33 bytes in, 256 long.
        let n = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&der[33..289]);
        Jwk {
            kid: Some(kid.into()),
            kty: Some("RSA".into()),
            alg: Some("RS256".into()),
            use_: Some("sig".into()),
            n: Some(n),
            e: Some("AQAB".into()),
        }
    }

    #[test]
    fn skips_keys_it_cannot_use() {
        assert!(jwk("k").usable().is_some());
        let variants = [
            Jwk {
                kid: None,
                ..jwk("k")
            },
            Jwk {
                kid: Some(String::new()),
                ..jwk("k")
            },
            Jwk {
                kty: Some("EC".into()),
                ..jwk("k")
            },
            Jwk {
                use_: Some("enc".into()),
                ..jwk("k")
            },
            Jwk {
                alg: Some("HS256".into()),
                ..jwk("k")
            },
            Jwk {
                alg: Some("ES256".into()),
                ..jwk("k")
            },
            Jwk {
                n: None,
                ..jwk("k")
            },
            Jwk {
                e: Some("!".into()),
                ..jwk("k")
            },
        ];
        for v in variants {
            assert!(v.usable().is_none(), "{v:?}");
        }
        let no_alg = Jwk {
            alg: None,
            use_: None,
            ..jwk("k")
        };
        assert_eq!(no_alg.usable().unwrap().1.algorithm(), Algorithm::Rs256);
    }

    #[test]
    fn zero_ttl_still_uses_the_fresh_fetch() {
        let cache = JwksCache::new(Duration::ZERO);
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let fetches = Cell::new(0);
        let fetch = || {
            fetches.set(fetches.get() + 1);
            Ok(vec![jwk("k")])
        };
        assert!(cache.key("k", &|| t, &fetch).is_ok());
        assert!(cache.key("k", &|| t, &fetch).is_ok());
        assert_eq!(fetches.get(), 2);
    }
}
