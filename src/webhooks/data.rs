//! The `data` of the webhook events that have no model of the Backend API of their own, or
//! whose model does not fit what the webhook sends: sessions and organization invitations (an
//! API model plus what the webhook adds), roles (the API's `Role` requires a field the webhook
//! leaves out), emails, SMS messages and billing (only the webhook spec describes them).
//!
//! Fields follow the schemas of Clerk's webhook spec (`webhooks/2025-04-15.yml`): a required
//! value is a plain type, an optional or nullable one an `Option`. As in [`crate::models`],
//! unknown fields are ignored, unknown enum values are kept (`Unknown`), a required value sent
//! as `null` decodes to its default, a list that is absent or `null` decodes as empty, and a
//! missing required value is an error. Where the spec's own examples leave out a value its
//! schema requires, the field is an `Option` and its documentation says so.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::models::{
    BillingPaymentAttemptStatus, CommerceCreditsResponse, CommerceMoneyResponse,
    CommercePaymentSourceResponseStatus, CommerceProrationCreditDetailResponse,
    CommerceSubscriptionItemPlanPeriod, CommerceSubscriptionItemStatus, CommerceSubscriptionStatus,
    OrganizationInvitation, OrganizationInvitationPublicOrganizationData, Permission, Session,
    User,
};
use crate::secret::Redacted;

/// The `data` of `session.created`, `.pending`, `.ended`, `.removed` and `.revoked`: the
/// webhook spec's `SessionEventPayload`, the API's [`Session`] with the session's [`User`].
///
/// In JSON the session's fields and `user` sit side by side; here the session is one field,
/// so `data.session.id`, `data.session.status` (a [`SessionStatus`](crate::models::SessionStatus),
/// unknown values kept) and `data.user`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// The `data` of `role.created` and `role.updated`: an organization role with its
/// permissions (the webhook spec's `Role`).
///
/// The API's [`Role`](crate::models::Role) has the same fields, but requires
/// `is_creator_eligible`, which the spec's own `role.updated` example leaves out: here it is an
/// `Option`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoleData {
    /// Always `role`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub object: String,
    /// The role's id (`role_…`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub id: String,
    /// The role's display name.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub name: String,
    /// The role's key, e.g. `org:admin`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub key: String,
    /// The role's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether a member with this role may create organizations. Required by the schema, but
    /// absent from the `role.updated` example: `None` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_creator_eligible: Option<bool>,
    /// The permissions the role grants.
    #[serde(
        default,
        deserialize_with = "crate::models::support::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub permissions: Vec<Permission>,
    /// Unix timestamp of creation, in milliseconds.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub created_at: i64,
    /// Unix timestamp of the last update, in milliseconds.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub updated_at: i64,
}

// ---------------------------------------------------------------------------
// Billing
// ---------------------------------------------------------------------------
//
// No billing field is a secret in the sense of this crate (nothing in them signs anyone in or
// moves money on its own): a card's brand and last four digits are what Clerk's own UI shows,
// and the gateway's ids are useless without the gateway's secret key. `Debug` prints them.

string_enum! {
    /// How a payment was charged (`charge_type` of a [`PaymentAttemptData`]).
    BillingChargeType {
        /// `checkout`: the first payment, when the payer subscribed.
        Checkout = "checkout",
        /// `recurring`: a renewal.
        Recurring = "recurring",
    }
}

string_enum! {
    /// The kind of a [`BillingPaymentSource`].
    BillingPaymentMethod {
        /// `link`: Stripe Link.
        Link = "link",
        /// `card`: a payment card.
        Card = "card",
    }
}

/// The `data` of `subscription.created`, `.updated`, `.active` and `.pastDue`: a billing
/// subscription with its items (the webhook spec's `SubscriptionEventPayload`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SubscriptionData {
    /// Always `commerce_subscription`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub object: String,
    /// The subscription's id (`csub_…`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub id: String,
    /// The subscription's status, unknown values kept.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub status: CommerceSubscriptionStatus,
    /// When the subscription became active (Unix milliseconds); `None` if it never was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_at: Option<i64>,
    /// When it was canceled (Unix milliseconds); `None` if it was not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canceled_at: Option<i64>,
    /// When it was created (Unix milliseconds).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub created_at: i64,
    /// When it ended (Unix milliseconds); `None` if it has not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<i64>,
    /// When it became past due (Unix milliseconds); `None` if it is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub past_due_at: Option<i64>,
    /// When it was last modified (Unix milliseconds).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub updated_at: i64,
    /// The id of its most recent payment attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_payment_id: Option<String>,
    /// The id of the payer (`cpayer_…`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub payer_id: String,
    /// The payer.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub payer: BillingPayer,
    /// The id of the payment method charged for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_source_id: Option<String>,
    /// Its items, each the period of time the subscription was in one state. Within a
    /// subscription their `payer` and `subscription_id` are `None`.
    #[serde(
        default,
        deserialize_with = "crate::models::support::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub items: Vec<SubscriptionItemData>,
}

/// The `data` of the `subscriptionItem.*` events (`.abandoned`, `.active`, `.canceled`,
/// `.ended`, `.freeTrialEnding`, `.incomplete`, `.pastDue`, `.upcoming`, `.updated`), and an
/// item of a [`SubscriptionData`] (the webhook spec's `BillingSubscriptionItemEventPayload`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SubscriptionItemData {
    /// `commerce_subscription_item` in the schema; the spec's `subscriptionItem.*` examples
    /// send `subscription_item`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub object: String,
    /// The item's id (`csub_item_…`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub id: String,
    /// The item's status, unknown values kept.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub status: CommerceSubscriptionItemStatus,
    /// Whether the item is in a free trial.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub is_free_trial: bool,
    /// When it was created (Unix milliseconds).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub created_at: i64,
    /// When it was last modified (Unix milliseconds).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub updated_at: i64,
    /// When its period starts (Unix milliseconds).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub period_start: i64,
    /// When its period ends (Unix milliseconds); `None` for a default (free) plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_end: Option<i64>,
    /// The billing interval, e.g. `month` or `annual` (unknown values kept).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub interval: CommerceSubscriptionItemPlanPeriod,
    /// The id of its plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_id: Option<String>,
    /// Its plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<BillingSubscriptionItemPlan>,
    /// The payer, in a standalone `subscriptionItem.*` event; `None` within a subscription.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer: Option<BillingPayer>,
    /// The id of its subscription, in a standalone event; `None` within a subscription.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    /// Its seat entitlement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seats: Option<BillingSeats>,
}

/// The plan of a [`SubscriptionItemData`] (the webhook spec's
/// `BillingSubscriptionItemEventPlan`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BillingSubscriptionItemPlan {
    /// The plan's id (`cplan_…`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub id: String,
    /// The plan's URL-friendly identifier.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub slug: String,
    /// The plan's display name.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub name: String,
    /// Whether the plan charges on a recurring basis.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub is_recurring: bool,
    /// The amount, in the smallest unit of the currency (cents for USD).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub amount: i64,
    /// ISO 4217 currency code, e.g. `USD`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub currency: String,
    /// Tiered unit prices (e.g. per seat), for plans priced per unit.
    #[serde(
        default,
        deserialize_with = "crate::models::support::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub unit_prices: Vec<BillingPlanUnitPrice>,
}

/// A unit price of a [`BillingSubscriptionItemPlan`] (the webhook spec's
/// `BillingSubscriptionItemEventPlanUnitPrice`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BillingPlanUnitPrice {
    /// The unit priced, e.g. `seats`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub name: String,
    /// Units per pricing block.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub block_size: i64,
    /// The tiers, by `starts_at_block`.
    #[serde(
        default,
        deserialize_with = "crate::models::support::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub tiers: Vec<BillingPlanUnitPriceTier>,
}

/// A tier of a [`BillingPlanUnitPrice`] (the webhook spec's
/// `BillingSubscriptionItemEventPlanUnitPriceTier`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BillingPlanUnitPriceTier {
    /// The block at which the tier begins.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub starts_at_block: i64,
    /// The block after which it ends; `None` when it has no upper bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_after_block: Option<i64>,
    /// The price per block, in the smallest unit of the currency.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub amount_per_block: i64,
    /// ISO 4217 currency code.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub currency: String,
}

/// The seat entitlement of a [`SubscriptionItemData`] (the webhook spec's `BillingSeats`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BillingSeats {
    /// The number of seats; `None` means unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
}

/// Who pays for a subscription or a payment (the webhook spec's `BillingPayerEventPayload`):
/// a user or an organization.
///
/// The schema requires the user's and the organization's fields alike, but describes each set
/// as populated only for its kind of payer, and the spec's examples leave out or send `""` for
/// the other set: they are `Option`s, `Some("")` when sent empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BillingPayer {
    /// `commerce_payer`, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The payer's id (`cpayer_…`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub id: String,
    /// The user's id, for a user payer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The user's first name, for a user payer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// The user's last name, for a user payer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// The payer's email address.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub email: String,
    /// The organization's id, for an organization payer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The organization's name, for an organization payer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_name: Option<String>,
    /// The user's avatar or the organization's logo.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub image_url: String,
    /// When the payer was created (Unix milliseconds), when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    /// When the payer was last modified (Unix milliseconds), when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<i64>,
}

/// The `data` of `paymentAttempt.created` and `paymentAttempt.updated`: one attempt to collect
/// a payment (the webhook spec's `PaymentAttemptEventPayload`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PaymentAttemptData {
    /// The attempt's id.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub id: String,
    /// The id of the Clerk instance.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub instance_id: String,
    /// The id of the payment this attempt is for.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub payment_id: String,
    /// Deprecated in the spec for [`statement_id`](PaymentAttemptData::statement_id). Required
    /// by the schema, but absent from the spec's examples: `None` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<String>,
    /// The id of the statement the payment is on.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub statement_id: String,
    /// The payment gateway's id for the attempt (for Stripe, a payment intent `pi_…`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub gateway_external_id: String,
    /// `pending`, `paid` or `failed` (unknown values kept).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub status: BillingPaymentAttemptStatus,
    /// When the attempt was created (Unix milliseconds).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub created_at: i64,
    /// When it was last modified (Unix milliseconds).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub updated_at: i64,
    /// When the payment succeeded (Unix milliseconds); `None` until it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_at: Option<i64>,
    /// When the payment failed (Unix milliseconds); `None` unless it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_at: Option<i64>,
    /// Why the payment failed; `None` unless it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_reason: Option<BillingPaymentFailedReason>,
    /// The date the payment bills for (Unix milliseconds).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub billing_date: i64,
    /// `checkout` or `recurring` (unknown values kept).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub charge_type: BillingChargeType,
    /// Who is paid.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub payee: BillingPayee,
    /// Who pays.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub payer: BillingPayer,
    /// What the payment is for.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub totals: BillingTotals,
    /// The payment method charged.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub payment_source: BillingPaymentSource,
    /// The subscription items the payment is for.
    #[serde(
        default,
        deserialize_with = "crate::models::support::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub subscription_items: Vec<BillingSubscriptionItem>,
}

/// Why a payment failed (the webhook spec's `BillingPaymentFailedReason`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BillingPaymentFailedReason {
    /// The kind of failure, e.g. `card_declined`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub code: String,
    /// The payment processor's decline code.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub decline_code: String,
}

/// Who a payment is made to (the webhook spec's `BillingPayee`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BillingPayee {
    /// The payee's id (`cpayee_…`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub id: String,
    /// The payment gateway, e.g. `stripe`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub gateway_type: String,
    /// The gateway's id for the payee (for Stripe, an account `acct_…`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub gateway_external_id: String,
    /// The payee's status at the gateway.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub gateway_status: String,
}

/// The amounts of a payment (the webhook spec's `BillingTotals`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BillingTotals {
    /// Before taxes and fees.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub subtotal: CommerceMoneyResponse,
    /// Taxes.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub tax_total: CommerceMoneyResponse,
    /// The total, taxes and fees included.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub grand_total: CommerceMoneyResponse,
    /// Charges per unit (e.g. per seat).
    #[serde(
        default,
        deserialize_with = "crate::models::support::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub per_unit_totals: Vec<BillingUnitTotal>,
}

/// A charge per unit in [`BillingTotals`] (the webhook spec's `BillingUnitTotal`, whose
/// fields are all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BillingUnitTotal {
    /// The unit charged, e.g. `seats`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The price per unit, in the smallest unit of the currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    /// The number of units; `None` also when unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    /// `amount` × `quantity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
    /// ISO 4217 currency code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// The payment method charged (the webhook spec's `BillingPaymentSource`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BillingPaymentSource {
    /// The payment source's id (`cps_…`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub id: String,
    /// The payment gateway, e.g. `stripe`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub gateway: String,
    /// The gateway's id for the method (for Stripe, a payment method `pm_…`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub gateway_external_id: String,
    /// The gateway's account id, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_external_account_id: Option<String>,
    /// `card` or `link` (unknown values kept).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub payment_method: BillingPaymentMethod,
    /// `active` or `disconnected` (unknown values kept).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub status: CommercePaymentSourceResponseStatus,
    /// The card's brand, e.g. `visa`; `None` for other methods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_type: Option<String>,
    /// The card's last four digits; `None` for other methods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last4: Option<String>,
}

/// A `null` payment source (the spec requires one) decodes as every field's own null value.
impl crate::models::support::NullValue for BillingPaymentSource {
    fn null_value() -> Self {
        use crate::models::support::NullValue;
        BillingPaymentSource {
            id: String::new(),
            gateway: String::new(),
            gateway_external_id: String::new(),
            gateway_external_account_id: None,
            payment_method: NullValue::null_value(),
            status: NullValue::null_value(),
            card_type: None,
            last4: None,
        }
    }
}

/// A subscription item a [`PaymentAttemptData`] is for (the webhook spec's
/// `BillingSubscriptionItem`).
///
/// The spec's payment examples send an item that differs from this schema: without `object`,
/// `created_at`, `updated_at` and `interval`, which the schema requires (here `Option`s), and
/// with the billing interval as `plan_period` (kept in
/// [`plan_period`](BillingSubscriptionItem::plan_period)). Other fields of the examples that
/// the schema does not describe are ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BillingSubscriptionItem {
    /// The item's id (`csub_item_…`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub id: String,
    /// `commerce_subscription_item`, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The item's status, unknown values kept.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub status: CommerceSubscriptionItemStatus,
    /// When it was created (Unix milliseconds), when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    /// When it was last modified (Unix milliseconds), when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<i64>,
    /// When its period started (Unix milliseconds).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub period_start: i64,
    /// When its period ends (Unix milliseconds).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub period_end: i64,
    /// The billing interval under the schema's name, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<CommerceSubscriptionItemPlanPeriod>,
    /// The billing interval under the examples' name, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_period: Option<CommerceSubscriptionItemPlanPeriod>,
    /// The id of its plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_id: Option<String>,
    /// Its plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<BillingPlan>,
    /// The payer, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer: Option<BillingPayer>,
    /// The id of its subscription, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    /// Deprecated in the spec for [`credits`](BillingSubscriptionItem::credits): the proration
    /// credit alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<CommerceProrationCreditDetailResponse>,
    /// The credits applied: proration and account credit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits: Option<CommerceCreditsResponse>,
}

/// The plan of a [`BillingSubscriptionItem`] (the webhook spec's `BillingPlan`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BillingPlan {
    /// The plan's id (`cplan_…`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub id: String,
    /// The plan's URL-friendly identifier.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub slug: String,
    /// The plan's display name.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub name: String,
    /// Whether the plan charges on a recurring basis.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub is_recurring: bool,
    /// The amount per billing period, in the smallest unit of the currency.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub amount: i64,
    /// ISO 4217 currency code.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub currency: String,
}
