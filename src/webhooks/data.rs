//! The `data` of the webhook events that have no model of the Backend API of their own:
//! sessions and organization invitations (an API model plus what the webhook adds), emails and
//! SMS messages (only the webhook spec describes them).
//!
//! Fields follow the schemas of Clerk's webhook spec (`webhooks/2025-04-15.yml`): a required
//! value is a plain type, an optional or nullable one an `Option`. As in [`crate::models`],
//! unknown fields are ignored, a required value sent as `null` decodes to its default and a
//! missing required value is an error.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::models::support::Redacted;
use crate::models::{
    OrganizationInvitation, OrganizationInvitationPublicOrganizationData, Session, User,
};

/// The `data` of `session.created`, `.pending`, `.ended`, `.removed` and `.revoked`: the
/// webhook spec's `SessionEventPayload`, the API's [`Session`] with the session's [`User`].
///
/// In JSON the session's fields and `user` sit side by side; here the session is one field,
/// so `data.session.id`, `data.session.status` (a [`SessionStatus`](crate::models::SessionStatus),
/// unknown values kept) and `data.user`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SessionData {
    /// The session (every field of the payload but `user`).
    #[serde(flatten)]
    pub session: Session,
    /// The session's user. The spec requires it, but it is only a copy of the user that
    /// `session.user_id` names: a delivery without it still decodes (`None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
}

/// The `data` of `organizationInvitation.created`, `.accepted` and `.revoked`: the API's
/// [`OrganizationInvitation`], and for `.accepted` the webhook spec's
/// `OrganizationInvitationAcceptedPayload` additions.
///
/// In JSON the invitation's fields sit beside `user_id` and `data`; here the invitation is one
/// field (`data.invitation.email_address`). Its `inviter_id` and `public_inviter_data`, required
/// but nullable in both specs and absent from the webhook spec's examples, are `None` when
/// absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrganizationInvitationData {
    /// The invitation (every field of the payload but `user_id` and `data`).
    #[serde(flatten)]
    pub invitation: OrganizationInvitation,
    /// `organizationInvitation.accepted`: the id of the user who accepted the invitation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// `organizationInvitation.accepted`: more about the organization, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<InvitationAcceptedData>,
}

/// The `data` object of an `organizationInvitation.accepted` event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InvitationAcceptedData {
    /// The organization the invitation was to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_organization_data: Option<OrganizationInvitationPublicOrganizationData>,
}

/// The `data` of `email.created`: an email Clerk sent, or would have sent when
/// [`delivered_by_clerk`](EmailData::delivered_by_clerk) is `false` (the webhook spec's
/// `EmailEventPayload`).
///
/// `Debug` prints `<redacted>` for `subject`, `body`, `body_plain` and `data`: a verification
/// email carries its one-time code (or a sign-in link) in all four, the subject included
/// (`"123456 is your verification code"`). The fields themselves hold the values as sent.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmailData {
    /// The email's id (`ema_…`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub id: String,
    /// Always `email`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub object: String,
    /// The email template, e.g. `verification_code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// The sender's name, the part of the address before `@`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub from_email_name: String,
    /// The reply-to name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to_email_name: Option<String>,
    /// The recipient's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_email_address: Option<String>,
    /// The id of the recipient's email address object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_address_id: Option<String>,
    /// The id of the recipient user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The subject (redacted in `Debug`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The HTML body (redacted in `Debug`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The plain-text body (redacted in `Debug`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_plain: Option<String>,
    /// The delivery status, e.g. `queued`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The template's variables, e.g. `otp_code` (redacted in `Debug`).
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub data: Value,
    /// Whether Clerk delivers the email; `false` when the application sends it itself.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub delivered_by_clerk: bool,
}

/// Prints `<redacted>` for the fields that can carry a one-time code.
impl fmt::Debug for EmailData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmailData")
            .field("id", &self.id)
            .field("object", &self.object)
            .field("slug", &self.slug)
            .field("from_email_name", &self.from_email_name)
            .field("reply_to_email_name", &self.reply_to_email_name)
            .field("to_email_address", &self.to_email_address)
            .field("email_address_id", &self.email_address_id)
            .field("user_id", &self.user_id)
            .field("subject", &Redacted(&self.subject))
            .field("body", &Redacted(&self.body))
            .field("body_plain", &Redacted(&self.body_plain))
            .field("status", &self.status)
            .field("data", &Redacted(&self.data))
            .field("delivered_by_clerk", &self.delivered_by_clerk)
            .finish()
    }
}

/// The `data` of `sms.created`: an SMS message Clerk sent, or would have sent when
/// [`delivered_by_clerk`](SmsData::delivered_by_clerk) is `false` (the webhook spec's
/// `SmsEventPayload`).
///
/// `Debug` prints `<redacted>` for `message` and `data`: a verification SMS carries its
/// one-time code in both. The fields themselves hold the values as sent.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SmsData {
    /// Always `sms_message`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub object: String,
    /// The message's id (`sms_…`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub id: String,
    /// The SMS template, e.g. `verification_code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// The sender's phone number.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub from_phone_number: String,
    /// The recipient's phone number.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub to_phone_number: String,
    /// The id of the recipient's phone number object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number_id: Option<String>,
    /// The id of the recipient user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The text of the message (redacted in `Debug`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub message: String,
    /// The delivery status, e.g. `queued`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub status: String,
    /// The template's variables (redacted in `Debug`).
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub data: Value,
    /// Whether Clerk delivers the message; `false` when the application sends it itself.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub delivered_by_clerk: bool,
    /// Unix timestamp of creation, in milliseconds, under the name the spec's schema gives it.
    /// The schema requires it, but the spec's own example sends
    /// [`created_at`](SmsData::created_at) instead, so either may be missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at_ms: Option<i64>,
    /// Unix timestamp of creation, in milliseconds, under the name the spec's example gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
}

/// Prints `<redacted>` for the fields that can carry a one-time code.
impl fmt::Debug for SmsData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmsData")
            .field("object", &self.object)
            .field("id", &self.id)
            .field("slug", &self.slug)
            .field("from_phone_number", &self.from_phone_number)
            .field("to_phone_number", &self.to_phone_number)
            .field("phone_number_id", &self.phone_number_id)
            .field("user_id", &self.user_id)
            .field("message", &Redacted(&self.message))
            .field("status", &self.status)
            .field("data", &Redacted(&self.data))
            .field("delivered_by_clerk", &self.delivered_by_clerk)
            .field("created_at_ms", &self.created_at_ms)
            .field("created_at", &self.created_at)
            .finish()
    }
}
