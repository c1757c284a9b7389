//! Finding the token in a request, and what authenticating a request gives.

use super::claims::SessionClaims;
use super::error::{Reason, TokenError};
use super::machine::{MachineIdentity, TokenType};

/// Where a request's token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// `Authorization: Bearer …`: any token type.
    Header,
    /// The `__session` cookie: session tokens only (Clerk's frontend sets it).
    Cookie,
}

/// The token of a request: the `Authorization: Bearer` header first, then the `__session`
/// cookie. `lookup` is asked for `authorization` and `cookie` and returns every value of that
/// header, in order.
pub(crate) fn find_token(lookup: &mut dyn FnMut(&str) -> Vec<String>) -> Option<(String, Source)> {
    for value in lookup("authorization") {
        if let Some(token) = bearer(&value) {
            return Some((token.to_owned(), Source::Header));
        }
    }
    for value in lookup("cookie") {
        if let Some(token) = session_cookie(&value) {
            return Some((token.to_owned(), Source::Cookie));
        }
    }
    None
}

/// The token of `Bearer <token>` (scheme case-insensitive).
fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The value of the `__session` cookie in one `Cookie` header, without surrounding quotes.
fn session_cookie(header: &str) -> Option<&str> {
    header.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        (name.trim() == "__session" && !value.is_empty()).then_some(value)
    })
}

/// Who is calling: the outcome of
/// [`Authenticator::authenticate_request`](super::Authenticator::authenticate_request).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
// Made once per request and matched at once: a box would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub enum RequestState {
    /// A valid token of an accepted type.
    SignedIn(Identity),
    /// No token, or one that was refused; the error says why. Answer `401`.
    SignedOut(TokenError),
}

/// The identity behind a valid token.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Identity {
    /// A user's session.
    Session(SessionClaims),
    /// A machine token: M2M token, API key or OAuth access token.
    Machine(MachineIdentity),
}

impl Identity {
    /// The type of the token that proved it.
    pub fn token_type(&self) -> TokenType {
        match self {
            Identity::Session(_) => TokenType::SessionToken,
            Identity::Machine(m) => m.token_type,
        }
    }

    /// The session token's `sub`, or the machine token's subject: the user, organization or
    /// machine the call acts for.
    pub fn subject(&self) -> &str {
        match self {
            Identity::Session(c) => &c.sub,
            Identity::Machine(m) => &m.subject,
        }
    }
}

impl RequestState {
    /// Whether the request carried a valid token.
    pub fn is_signed_in(&self) -> bool {
        matches!(self, RequestState::SignedIn(_))
    }

    /// The identity, when signed in.
    pub fn identity(&self) -> Option<&Identity> {
        match self {
            RequestState::SignedIn(i) => Some(i),
            RequestState::SignedOut(_) => None,
        }
    }

    /// The session claims, when signed in with a session token.
    pub fn session(&self) -> Option<&SessionClaims> {
        match self.identity()? {
            Identity::Session(c) => Some(c),
            Identity::Machine(_) => None,
        }
    }

    /// The machine identity, when signed in with a machine token.
    pub fn machine(&self) -> Option<&MachineIdentity> {
        match self.identity()? {
            Identity::Machine(m) => Some(m),
            Identity::Session(_) => None,
        }
    }

    /// Why the request is signed out, when it is.
    pub fn reason(&self) -> Option<Reason> {
        match self {
            RequestState::SignedIn(_) => None,
            RequestState::SignedOut(e) => Some(e.reason()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(headers: &[(&str, &str)]) -> Option<(String, Source)> {
        find_token(&mut |name: &str| {
            headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| (*v).to_owned())
                .collect()
        })
    }

    #[test]
    fn header_first_then_cookie() {
        let both = [
            ("Authorization", "Bearer h.h.h"),
            ("Cookie", "__session=c.c.c"),
        ];
        assert_eq!(find(&both), Some(("h.h.h".into(), Source::Header)));
        assert_eq!(
            find(&[("cookie", "a=1; __session=c.c.c; b=2")]),
            Some(("c.c.c".into(), Source::Cookie))
        );
        assert_eq!(
            find(&[("authorization", "bearer   t  ")]),
            Some(("t".into(), Source::Header))
        );
        assert_eq!(
            find(&[("cookie", "__session=\"q.q.q\"")]),
            Some(("q.q.q".into(), Source::Cookie))
        );
    }

    #[test]
    fn what_is_not_a_token() {
        assert_eq!(find(&[]), None);
        assert_eq!(find(&[("authorization", "Basic dXNlcjpwdw==")]), None);
        assert_eq!(find(&[("authorization", "Bearer ")]), None);
        assert_eq!(find(&[("authorization", "Bearer")]), None);
        assert_eq!(find(&[("cookie", "__session=")]), None);
        assert_eq!(
            find(&[("cookie", "__session_abc=x.y.z; __sessionx=1")]),
            None
        );
        // A non-bearer Authorization falls through to the cookie.
        assert_eq!(
            find(&[("authorization", "Basic x"), ("cookie", "__session=c")]),
            Some(("c".into(), Source::Cookie))
        );
        // Several Cookie headers: each is searched.
        assert_eq!(
            find(&[("cookie", "a=1"), ("cookie", "__session=s")]),
            Some(("s".into(), Source::Cookie))
        );
    }
}
