//! Test support: a loopback HTTP/1.1 [`MockServer`] and canned JSON [`fixtures`].
//!
//! [`MockServer`] is a small HTTP/1.1 server (std, plus `socket2` to reset
//! connections) bound to `127.0.0.1` on a port the OS picks. It never listens on
//! another interface and makes no outgoing connections. Tests register routes with
//! canned [`Reply`]s (including failure modes such as a connection closed or reset
//! mid-body, headers that never finish, a slow drip or a server that never answers)
//! or with replies computed per request ([`Route::respond_with`]: a store of created
//! objects, a rate limit), point the client at [`MockServer::url`], then inspect
//! what the client sent through [`MockServer::requests`]. It speaks keep-alive
//! and accepts chunked request bodies, and it is cheap enough per request to
//! drive throughput benchmarks. Dropping the server shuts it down promptly.
//!
//! ```no_run
//! use clerk_backend_api::testing::{MockServer, Reply};
//!
//! let mock = MockServer::start();
//! mock.on("GET", "/users/user_1")
//!     .reply(Reply::status(503))
//!     .reply(Reply::json(200, r#"{"id":"user_1"}"#));
//!
//! let base_url: String = mock.url(); // e.g. "http://127.0.0.1:40123"; give it to the client
//! # let _ = base_url;
//!
//! // ... let the client call `GET {base_url}/users/user_1` ...
//!
//! let requests = mock.requests();
//! assert!(requests.iter().all(|r| r.path == "/users/user_1"));
//! ```

mod reply;
mod request;
mod server;
mod wire;
pub use reply::Reply;
pub use request::RecordedRequest;
pub use server::{MockServer, Route};

pub mod fixtures;

mod support;
pub use support::*;

#[cfg(feature = "jwt")]
mod tokens;
#[cfg(feature = "jwt")]
#[cfg_attr(docsrs, doc(cfg(feature = "jwt")))]
pub use tokens::{TestKey, TestToken};
