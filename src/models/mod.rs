//! Response models of the Clerk Backend API.
//!
//! Every struct and enum is `#[non_exhaustive]`: the API adds fields and
//! values without a new version. Unknown JSON fields are ignored, unknown
//! string enum values decode to an `Unknown` variant holding an
//! [`UnknownValue`], and unknown `object` tags of unions decode to an
//! `Unknown` variant holding the raw JSON. Timestamps are Unix milliseconds
//! (`i64`). Required values that arrive as `null` decode to their default;
//! arrays that are absent or `null` decode as empty.

#[macro_use]
mod support;

pub use support::UnknownValue;

mod clerk_error;
pub use clerk_error::*;
mod deleted_object;
pub use deleted_object::*;
mod email_address;
pub use email_address::*;
mod enterprise_account;
pub use enterprise_account::*;
mod enterprise_account_connection;
pub use enterprise_account_connection::*;
mod external_account_with_verification;
pub use external_account_with_verification::*;
mod identification_link;
pub use identification_link::*;
mod organization;
pub use organization::*;
mod organization_membership;
pub use organization_membership::*;
mod organization_membership_public_user_data;
pub use organization_membership_public_user_data::*;
mod organization_with_logo;
pub use organization_with_logo::*;
mod passkey;
pub use passkey::*;
mod phone_number;
pub use phone_number::*;
mod saml_account;
pub use saml_account::*;
mod saml_account_connection;
pub use saml_account_connection::*;
mod scim_user_metadata;
pub use scim_user_metadata::*;
mod user;
pub use user::*;
mod verification_admin;
pub use verification_admin::*;
mod verification_email_link;
pub use verification_email_link::*;
mod verification_from_oauth;
pub use verification_from_oauth::*;
mod verification_google_one_tap;
pub use verification_google_one_tap::*;
mod verification_oauth;
pub use verification_oauth::*;
mod verification_otp;
pub use verification_otp::*;
mod verification_passkey;
pub use verification_passkey::*;
mod verification_saml;
pub use verification_saml::*;
mod verification_scim;
pub use verification_scim::*;
mod verification_ticket;
pub use verification_ticket::*;
mod verification_web3;
pub use verification_web3::*;
mod web3_wallet;
pub use web3_wallet::*;
