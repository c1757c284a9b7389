#![doc = include_str!("../README.md")]
//!
//! # Crate layout
//!
//! - [`Clerk`] is the client; [`ClerkBuilder`] configures it.
//! - Operations are grouped as in Clerk's official SDKs: [`Clerk::users`] gives [`users::Users`],
//!   whose methods return one request builder per operation (for example [`users::GetUser`]).
//!   Required parameters are method arguments, optional ones are setters, `send()` runs it.
//! - [`models`] holds the typed responses; [`Error`] is the one error type.
//! - [`testing`] (feature `testing`) has a loopback `MockServer` for offline tests.
//! - [`auth`] (feature `jwt`) verifies session tokens, machine tokens and whole requests;
//!   [`webhooks`] (feature `webhooks`) verifies and decodes Clerk's webhook deliveries.
//!
//! # Minimum supported Rust version
//!
//! Rust 1.85. An MSRV bump is a minor release, never combined with other changes, and is listed
//! in the changelog.

#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[macro_use]
mod macros;
// Before `generated`: the model macros (`string_enum!`, `tagged_union!`) live in `models`.
#[macro_use]
pub mod models;

#[cfg(feature = "jwt")]
#[cfg_attr(docsrs, doc(cfg(feature = "jwt")))]
pub mod auth;
mod catalog;
mod client;
mod error;
mod generated;
mod http;
pub mod log;
mod multipart;
mod pagination;
mod patch;
mod rate_limit;
mod raw;
mod redact;
mod response;
pub mod retry;
mod secret;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
mod url;
#[cfg(feature = "webhooks")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
pub mod webhooks;

pub use catalog::OperationInfo;
pub use client::{
    API_VERSION, Clerk, ClerkBuilder, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_SERVER_URL,
};
pub use error::{
    ApiError, DecodeError, Error, ErrorDetail, InvalidRequest, PaginationError, Result,
    TransportError,
};
pub use generated::*;
pub use multipart::FilePart;
pub use pagination::{PagedList, Paginator};
pub use rate_limit::RateLimit;
pub use raw::RawRequest;
pub use response::ApiResponse;
pub use retry::RetryPolicy;

#[cfg(test)]
mod send_sync {
    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn public_types_are_send_sync_static() {
        assert_send_sync::<crate::Clerk>();
        assert_send_sync::<crate::Error>();
        assert_send_sync::<crate::users::GetUser>();
        assert_send_sync::<crate::users::GetUserList>();
        assert_send_sync::<crate::users::CreateUser>();
        assert_send_sync::<crate::users::DeleteUser>();
        assert_send_sync::<crate::organizations::UploadOrganizationLogo>();
    }
}
