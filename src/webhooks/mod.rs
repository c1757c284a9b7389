//! Clerk webhooks (feature `webhooks`): signature checks and typed events.
//!
//! Clerk delivers webhooks through Svix. Each delivery carries the headers `svix-id`,
//! `svix-timestamp` (Unix seconds) and `svix-signature` (space-separated `v1,<base64>`
//! entries, several during a secret rotation). The signature is HMAC-SHA256, keyed with the
//! endpoint's signing secret (`whsec_<base64>`), over `<id>.<timestamp>.<body>`.
//! [`Webhook::verify`] checks the timestamp (5 minutes either way by default), compares the
//! signatures in constant time, then decodes the body into a [`WebhookEvent`].
//!
//! ```no_run
//! use clerk_backend_api::webhooks::{EventData, Webhook, WebhookError};
//!
//! # fn handle(headers: &http::HeaderMap, body: &[u8]) -> Result<(), WebhookError> {
//! // Once, at startup: the endpoint's signing secret from the dashboard.
//! let webhook = Webhook::new(&std::env::var("CLERK_WEBHOOK_SIGNING_SECRET").unwrap_or_default())?;
//!
//! // Per delivery, with the raw body bytes (not re-serialized JSON):
//! let event = webhook.verify(headers, body)?;
//! match event.data {
//!     EventData::User(user) => println!("{}: {}", event.kind, user.id),
//!     EventData::Deleted(deleted) => println!("{}: {:?}", event.kind, deleted.id),
//!     EventData::Session(s) => {
//!         println!("{}: {} of {}", event.kind, s.session.id, s.session.user_id)
//!     }
//!     _ => println!("{} (not handled)", event.kind),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Typed events
//!
//! Every event type of Clerk's webhook spec (`webhooks/2025-04-15.yml`; its example of each
//! type is in `tests/fixtures/webhooks/`) has an [`EventData`] variant. Where the webhook
//! sends an object of the Backend API, the variant holds that API model; where it sends
//! something else, a struct of this module written from the webhook spec:
//!
//! | Events | Variant | Type |
//! |---|---|---|
//! | `user.created`, `.updated` | [`User`](EventData::User) | [`models::User`](crate::models::User) |
//! | `organization.created`, `.updated` | [`Organization`](EventData::Organization) | [`models::Organization`](crate::models::Organization) |
//! | `organizationDomain.created`, `.updated` | [`OrganizationDomain`](EventData::OrganizationDomain) | [`models::OrganizationDomain`](crate::models::OrganizationDomain) |
//! | `organizationMembership.created`, `.updated`, `.deleted` | [`OrganizationMembership`](EventData::OrganizationMembership) | [`models::OrganizationMembership`](crate::models::OrganizationMembership) |
//! | `user.deleted`, `organization.deleted`, `organizationDomain.deleted`, `role.deleted`, `permission.deleted` | [`Deleted`](EventData::Deleted) | [`models::DeletedObject`](crate::models::DeletedObject) |
//! | `organizationInvitation.created`, `.accepted`, `.revoked` | [`OrganizationInvitation`](EventData::OrganizationInvitation) | [`OrganizationInvitationData`] |
//! | `role.created`, `.updated` | [`Role`](EventData::Role) | [`RoleData`] |
//! | `permission.created`, `.updated` | [`Permission`](EventData::Permission) | [`models::Permission`](crate::models::Permission) |
//! | `session.created`, `.pending`, `.ended`, `.removed`, `.revoked` | [`Session`](EventData::Session) | [`SessionData`] |
//! | `email.created` | [`Email`](EventData::Email) | [`EmailData`] |
//! | `sms.created` | [`Sms`](EventData::Sms) | [`SmsData`] |
//! | `subscription.created`, `.updated`, `.active`, `.pastDue` | [`Subscription`](EventData::Subscription) | [`SubscriptionData`] |
//! | `subscriptionItem.abandoned`, `.active`, `.canceled`, `.ended`, `.freeTrialEnding`, `.incomplete`, `.pastDue`, `.upcoming`, `.updated` | [`SubscriptionItem`](EventData::SubscriptionItem) | [`SubscriptionItemData`] |
//! | `paymentAttempt.created`, `.updated` | [`PaymentAttempt`](EventData::PaymentAttempt) | [`PaymentAttemptData`] |
//! | `waitlistEntry.created`, `.updated` | [`WaitlistEntry`](EventData::WaitlistEntry) | [`models::WaitlistEntry`](crate::models::WaitlistEntry) |
//!
//! A type newer than the spec is [`EventType::Unknown`] (its name kept) with
//! [`EventData::Other`], the `data` object as sent. As in [`crate::models`], unknown fields
//! are ignored and unknown enum values kept (`Unknown`); a missing required field, or a value
//! of the wrong type, is a [`PayloadError`] naming the field, never quoting the value. Where
//! the spec's own examples leave out a field its schema requires, that field is an `Option`
//! (for example [`RoleData::is_creator_eligible`]).
//!
//! `Debug` prints `<redacted>` for what lets someone in: the one-time codes of emails and SMS
//! messages ([`EmailData`], [`SmsData`]) and the URLs of invitations, which carry their
//! ticket (in organization invitations and in a waitlist entry's invitation). Billing data
//! holds no such value (a card's brand and last four digits, the payment gateway's ids) and
//! prints as sent.

mod data;
mod event;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ring::hmac;

pub use data::{
    BillingChargeType, BillingPayee, BillingPayer, BillingPaymentFailedReason,
    BillingPaymentMethod, BillingPaymentSource, BillingPlan, BillingPlanUnitPrice,
    BillingPlanUnitPriceTier, BillingSeats, BillingSubscriptionItem, BillingSubscriptionItemPlan,
    BillingTotals, BillingUnitTotal, EmailData, InvitationAcceptedData, OrganizationInvitationData,
    PaymentAttemptData, RoleData, SessionData, SmsData, SubscriptionData, SubscriptionItemData,
};
pub use event::{EventAttributes, EventData, EventType, HttpRequest, PayloadError, WebhookEvent};

/// How far a delivery's timestamp may be from now, by default: 5 minutes, either way.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// Why a delivery was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The signing secret is not `whsec_` followed by base64 (raised by [`Webhook::new`]).
    #[error("the webhook signing secret is not a whsec_ secret")]
    InvalidSecret,
    /// A required header is missing or not text: `svix-id`, `svix-timestamp` or
    /// `svix-signature`.
    #[error("the webhook request has no {0} header")]
    MissingHeader(&'static str),
    /// `svix-timestamp` is not a Unix timestamp in seconds.
    #[error("the svix-timestamp header is not a Unix timestamp")]
    InvalidTimestamp,
    /// The timestamp is older than the tolerance: possibly a replay.
    #[error("the webhook timestamp is too old")]
    TimestampTooOld,
    /// The timestamp is further in the future than the tolerance.
    #[error("the webhook timestamp is too far in the future")]
    TimestampTooNew,
    /// No `v1` signature matches the body: wrong secret, or the body was altered.
    #[error("no webhook signature matches the body")]
    BadSignature,
    /// The signature is valid but the body is not a webhook event, or its `data` does not fit
    /// the model of its type.
    #[error("could not decode the webhook payload")]
    Payload(#[source] PayloadError),
}

type Now = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Verifies webhook deliveries for one endpoint. Cheap to clone, `Send + Sync`.
///
/// `Debug` never shows the secret.
#[derive(Clone)]
pub struct Webhook {
    key: hmac::Key,
    tolerance: Duration,
    now: Now,
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("secret", &"whsec_…")
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

impl Webhook {
    /// A verifier for the endpoint with this signing secret (`whsec_…`, from the dashboard's
    /// webhook endpoint page). The `whsec_` prefix may be left out.
    ///
    /// # Errors
    /// [`WebhookError::InvalidSecret`] when the secret is empty or not base64. The error
    /// never quotes it.
    pub fn new(secret: &str) -> Result<Webhook, WebhookError> {
        let secret = secret.trim();
        let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
        let bytes = STANDARD
            .decode(encoded)
            .map_err(|_| WebhookError::InvalidSecret)?;
        if bytes.is_empty() {
            return Err(WebhookError::InvalidSecret);
        }
        Ok(Webhook {
            key: hmac::Key::new(hmac::HMAC_SHA256, &bytes),
            tolerance: DEFAULT_TOLERANCE,
            now: Arc::new(SystemTime::now),
        })
    }

    /// How far the timestamp may be from now, either way; default 5 minutes.
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// The wall clock the timestamp is compared with; default [`SystemTime::now`].
    pub fn with_clock(mut self, now: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.now = Arc::new(now);
        self
    }

    /// Verifies a delivery from its headers and raw body, then decodes the event.
    ///
    /// # Errors
    /// A [`WebhookError`] saying why; answer `400` (Svix retries later).
    pub fn verify(
        &self,
        headers: &::http::HeaderMap,
        body: &[u8],
    ) -> Result<WebhookEvent, WebhookError> {
        self.verify_with(
            |name| {
                headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            },
            body,
        )
    }

    /// [`verify`](Self::verify) for frameworks without `http::HeaderMap`: `header` is called
    /// with lowercase names (`svix-id`, `svix-timestamp`, `svix-signature`, and their
    /// unbranded `webhook-*` forms) and returns the value (look it up case-insensitively).
    ///
    /// # Errors
    /// As [`verify`](Self::verify).
    pub fn verify_with(
        &self,
        header: impl Fn(&str) -> Option<String>,
        body: &[u8],
    ) -> Result<WebhookEvent, WebhookError> {
        let get = |name: &'static str, unbranded: &str| {
            header(name)
                .or_else(|| header(unbranded))
                .ok_or(WebhookError::MissingHeader(name))
        };
        let id = get("svix-id", "webhook-id")?;
        let timestamp = get("svix-timestamp", "webhook-timestamp")?;
        let signatures = get("svix-signature", "webhook-signature")?;
        self.verify_signature(&id, &timestamp, &signatures, body)?;
        WebhookEvent::from_slice(body).map_err(WebhookError::Payload)
    }

    /// Checks the timestamp and the signatures only, from the three header values.
    ///
    /// # Errors
    /// [`WebhookError::InvalidTimestamp`], [`WebhookError::TimestampTooOld`],
    /// [`WebhookError::TimestampTooNew`] or [`WebhookError::BadSignature`].
    pub fn verify_signature(
        &self,
        id: &str,
        timestamp: &str,
        signatures: &str,
        body: &[u8],
    ) -> Result<(), WebhookError> {
        let timestamp = timestamp.trim();
        let sent = parse_timestamp(timestamp).ok_or(WebhookError::InvalidTimestamp)?;
        let now = unix_seconds((self.now)());
        let tolerance = i128::from(self.tolerance.as_secs());
        if now - sent > tolerance {
            return Err(WebhookError::TimestampTooOld);
        }
        if sent - now > tolerance {
            return Err(WebhookError::TimestampTooNew);
        }
        let expected = self.tag(id, timestamp, body);
        let matches = signatures.split_whitespace().any(|entry| {
            let Some(("v1", encoded)) = entry.split_once(',') else {
                return false;
            };
            STANDARD
                .decode(encoded)
                .is_ok_and(|sig| constant_time_eq(&sig, expected.as_ref()))
        });
        if matches {
            Ok(())
        } else {
            Err(WebhookError::BadSignature)
        }
    }

    /// The `svix-signature` value Svix would send for this delivery: `v1,<base64>`. For
    /// tests of your own handlers.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let tag = self.tag(id, &timestamp.to_string(), body);
        format!("v1,{}", STANDARD.encode(tag.as_ref()))
    }

    fn tag(&self, id: &str, timestamp: &str, body: &[u8]) -> hmac::Tag {
        let mut context = hmac::Context::with_key(&self.key);
        context.update(id.as_bytes());
        context.update(b".");
        context.update(timestamp.as_bytes());
        context.update(b".");
        context.update(body);
        context.sign()
    }
}

/// Unix seconds: ASCII digits only (no sign, no spaces), at most 12 of them.
fn parse_timestamp(text: &str) -> Option<i128> {
    if text.is_empty() || text.len() > 12 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn unix_seconds(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i128::from(d.as_secs()),
        Err(e) => -i128::from(e.duration().as_secs()),
    }
}

/// Compares in time that depends on the lengths only, never on where the bytes differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets() {
        assert!(Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").is_ok());
        assert!(Webhook::new("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").is_ok());
        for bad in ["", "whsec_", "whsec_!!!", "whsec_abc"] {
            assert!(
                matches!(Webhook::new(bad), Err(WebhookError::InvalidSecret)),
                "{bad}"
            );
        }
        let w = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let text = format!("{w:?}");
        assert!(!text.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "{text}");
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("1716883200"), Some(1_716_883_200));
        assert_eq!(parse_timestamp("0"), Some(0));
        for bad in ["", "-5", "+5", "1.5", "12345678901234", " 1", "1e9", "١٢"] {
            assert_eq!(parse_timestamp(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn public_types_are_send_sync_static() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Webhook>();
        assert_send_sync::<WebhookError>();
        assert_send_sync::<WebhookEvent>();
    }

    #[test]
    fn constant_time_eq_is_equality() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
