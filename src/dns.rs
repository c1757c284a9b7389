//! A one-entry DNS cache in front of `ureq`'s resolver.
//!
//! `ureq` resolves the host before every request, pooled connection or not, and with a
//! whole-request timeout it does so on a new thread (to bound the lookup). Remembering the
//! client's one host for a short time removes both costs from all but the first request, so
//! every attempt can run under one whole-attempt timer. The entry is dropped after `TTL`, and
//! at once when a connection fails, so a moved host is found again on the retry.
//!
//! Uses `ureq::unversioned::resolver`, outside `ureq`'s semver: `Cargo.toml` pins the minor.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long a lookup is reused: short, like curl's default DNS cache (60 s), so DNS changes
/// reach a long-running process quickly.
const TTL: Duration = Duration::from_secs(30);

struct Entry {
    scheme: String,
    authority: String,
    addrs: ResolvedSocketAddrs,
    expires: Instant,
}

/// The shared cache: the resolver holds one handle, the client another (to invalidate it).
#[derive(Default)]
pub(crate) struct DnsCache {
    entry: Mutex<Option<Entry>>,
}

impl DnsCache {
    /// Forgets the cached lookup, so the next request resolves again.
    pub(crate) fn invalidate(&self) {
        *self.entry.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn get(&self, uri: &Uri, now: Instant) -> Option<ResolvedSocketAddrs> {
        let entry = self.entry.lock().unwrap_or_else(|e| e.into_inner());
        let e = entry.as_ref()?;
        let same = uri.scheme_str() == Some(e.scheme.as_str())
            && uri.authority().map(|a| a.as_str()) == Some(e.authority.as_str());
        (same && now < e.expires).then(|| e.addrs.clone())
    }

    fn put(&self, uri: &Uri, addrs: &ResolvedSocketAddrs, now: Instant) {
        let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
            return;
        };
        *self.entry.lock().unwrap_or_else(|e| e.into_inner()) = Some(Entry {
            scheme: scheme.to_owned(),
            authority: authority.as_str().to_owned(),
            addrs: addrs.clone(),
            expires: now + TTL,
        });
    }
}

/// `ureq`'s resolver, behind the cache.
pub(crate) struct CachingResolver<R = DefaultResolver> {
    pub(crate) cache: Arc<DnsCache>,
    pub(crate) inner: R,
}

impl<R> fmt::Debug for CachingResolver<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachingResolver").finish_non_exhaustive()
    }
}

impl<R: Resolver> Resolver for CachingResolver<R> {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        if let Some(addrs) = self.cache.get(uri, Instant::now()) {
            return Ok(addrs);
        }
        let addrs = self.inner.resolve(uri, config, timeout)?;
        self.cache.put(uri, &addrs, Instant::now());
        Ok(addrs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Counts lookups and answers 127.0.0.1 with the URI's port.
    #[derive(Debug, Default)]
    struct Counting(AtomicUsize);

    impl Resolver for Counting {
        fn resolve(
            &self,
            uri: &Uri,
            _config: &Config,
            _timeout: NextTimeout,
        ) -> Result<ResolvedSocketAddrs, ureq::Error> {
            self.0.fetch_add(1, Ordering::SeqCst);
            let mut addrs = self.empty();
            addrs.push(std::net::SocketAddr::from((
                [127, 0, 0, 1],
                uri.port_u16().unwrap_or(443),
            )));
            Ok(addrs)
        }
    }

    #[test]
    fn lookups_are_reused_per_host_until_invalidated_or_expired() {
        let cache = Arc::new(DnsCache::default());
        let r = CachingResolver {
            cache: cache.clone(),
            inner: Counting::default(),
        };
        let config = Config::default();
        let resolve = |u: &str| {
            let uri: Uri = u.parse().unwrap();
            r.resolve(&uri, &config, NextTimeout::default()).unwrap()[0]
        };
        let calls = || r.inner.0.load(Ordering::SeqCst);

        assert_eq!(resolve("https://api.clerk.com/v1/users").port(), 443);
        assert_eq!(resolve("https://api.clerk.com/v1/users/u1").port(), 443);
        assert_eq!(calls(), 1, "same host: one lookup");
        assert_eq!(resolve("https://api.clerk.com:8443/v1").port(), 8443);
        assert_eq!(calls(), 2, "another port is another host");
        resolve("http://api.clerk.com:8443/v1");
        assert_eq!(calls(), 3, "another scheme too");
        resolve("http://api.clerk.com:8443/v1");
        assert_eq!(calls(), 3);
        cache.invalidate();
        resolve("http://api.clerk.com:8443/v1");
        assert_eq!(calls(), 4, "invalidated");
        let uri: Uri = "http://api.clerk.com:8443/v1".parse().unwrap();
        assert!(cache.get(&uri, Instant::now() + TTL).is_none(), "expired");
    }
}
