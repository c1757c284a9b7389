//! The webhook payload: [`WebhookEvent`], its [`EventType`] and its typed [`EventData`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::models::{DeletedObject, Organization, OrganizationMembership, UnknownValue, User};

/// Declares `EventType` from the spec's event names: a string enum whose unknown values are
/// kept (the equivalent of the models' `string_enum!`).
macro_rules! event_types {
    ($($variant:ident = $wire:literal,)+) => {
        /// The `type` of a webhook event: every event of Clerk's webhook spec, and
        /// [`Unknown`](EventType::Unknown) for the ones this version does not know.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum EventType {
            $(
                #[doc = concat!("`", $wire, "`")]
                $variant,
            )+
            /// An event type this version of the SDK does not know; `as_str()` returns it as
            /// sent.
            Unknown(UnknownValue),
        }

        impl EventType {
            /// Every event type of the webhook spec, in the spec's order.
            pub const ALL: &'static [EventType] = &[$(EventType::$variant,)+];

            /// The name Clerk sends, for example `user.created`.
            pub fn as_str(&self) -> &str {
                match self {
                    $(EventType::$variant => $wire,)+
                    EventType::Unknown(value) => value.as_str(),
                }
            }

            fn from_known(value: &str) -> Option<EventType> {
                match value {
                    $($wire => Some(EventType::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

event_types! {
    EmailCreated = "email.created",
    OrganizationCreated = "organization.created",
    OrganizationUpdated = "organization.updated",
    OrganizationDeleted = "organization.deleted",
    OrganizationDomainCreated = "organizationDomain.created",
    OrganizationDomainUpdated = "organizationDomain.updated",
    OrganizationDomainDeleted = "organizationDomain.deleted",
    OrganizationInvitationCreated = "organizationInvitation.created",
    OrganizationInvitationAccepted = "organizationInvitation.accepted",
    OrganizationInvitationRevoked = "organizationInvitation.revoked",
    OrganizationMembershipCreated = "organizationMembership.created",
    OrganizationMembershipUpdated = "organizationMembership.updated",
    OrganizationMembershipDeleted = "organizationMembership.deleted",
    PaymentAttemptCreated = "paymentAttempt.created",
    PaymentAttemptUpdated = "paymentAttempt.updated",
    PermissionCreated = "permission.created",
    PermissionUpdated = "permission.updated",
    PermissionDeleted = "permission.deleted",
    RoleCreated = "role.created",
    RoleUpdated = "role.updated",
    RoleDeleted = "role.deleted",
    SessionCreated = "session.created",
    SessionPending = "session.pending",
    SessionEnded = "session.ended",
    SessionRemoved = "session.removed",
    SessionRevoked = "session.revoked",
    SmsCreated = "sms.created",
    SubscriptionCreated = "subscription.created",
    SubscriptionUpdated = "subscription.updated",
    SubscriptionActive = "subscription.active",
    SubscriptionPastDue = "subscription.pastDue",
    SubscriptionItemAbandoned = "subscriptionItem.abandoned",
    SubscriptionItemActive = "subscriptionItem.active",
    SubscriptionItemCanceled = "subscriptionItem.canceled",
    SubscriptionItemEnded = "subscriptionItem.ended",
    SubscriptionItemFreeTrialEnding = "subscriptionItem.freeTrialEnding",
    SubscriptionItemIncomplete = "subscriptionItem.incomplete",
    SubscriptionItemPastDue = "subscriptionItem.pastDue",
    SubscriptionItemUpcoming = "subscriptionItem.upcoming",
    SubscriptionItemUpdated = "subscriptionItem.updated",
    UserCreated = "user.created",
    UserUpdated = "user.updated",
    UserDeleted = "user.deleted",
    WaitlistEntryCreated = "waitlistEntry.created",
    WaitlistEntryUpdated = "waitlistEntry.updated",
}

impl EventType {
    /// Whether this version of the SDK knows the event type.
    pub fn is_known(&self) -> bool {
        !matches!(self, EventType::Unknown(_))
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EventType {
    type Err = std::convert::Infallible;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Ok(EventType::from_known(value)
            .unwrap_or_else(|| EventType::Unknown(UnknownValue::new(value.to_owned()))))
    }
}

impl Serialize for EventType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EventType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        Ok(EventType::from_known(&value).unwrap_or_else(|| {
            log::debug!(
                target: "clerk_backend_api",
                "unknown webhook event type; its data is kept as raw JSON"
            );
            EventType::Unknown(UnknownValue::new(value))
        }))
    }
}

/// The `data` of a webhook event, typed by the event's type.
///
/// Four variants hold raw JSON until their models are generated: `OrganizationInvitation`,
/// `Session`, `Email` and `Sms`. Events of every other type (billing, roles, permissions,
/// domains, waitlist, and types this version does not know) are [`Other`](EventData::Other).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
// Made once per delivery and matched at once: boxing would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub enum EventData {
    /// `user.created`, `user.updated`.
    User(User),
    /// `organization.created`, `organization.updated`.
    Organization(Organization),
    /// `organizationMembership.created`, `.updated`, `.deleted`.
    OrganizationMembership(OrganizationMembership),
    /// `user.deleted`, `organization.deleted`.
    Deleted(DeletedObject),
    /// `organizationInvitation.created`, `.accepted`, `.revoked`: an organization invitation
    /// (raw JSON for now).
    OrganizationInvitation(Value),
    /// `session.created`, `.pending`, `.ended`, `.removed`, `.revoked`: a session with its
    /// `user` (raw JSON for now).
    Session(Value),
    /// `email.created`: an email Clerk sent or would send (raw JSON for now).
    Email(Value),
    /// `sms.created`: an SMS message (raw JSON for now).
    Sms(Value),
    /// Any other event: the `data` object as sent.
    Other(Value),
}

impl EventData {
    /// Decodes `data` for an event of type `kind`. The target type is inferred from each
    /// variant's declaration above, so switching a raw-JSON variant to a generated model
    /// (`Session(Value)` to `Session(Session)`) is a change of that one line.
    fn decode(kind: &EventType, data: Value) -> Result<EventData, serde_json::Error> {
        use EventType as E;
        use serde_json::from_value as typed;
        Ok(match kind {
            E::UserCreated | E::UserUpdated => EventData::User(typed(data)?),
            E::OrganizationCreated | E::OrganizationUpdated => {
                EventData::Organization(typed(data)?)
            }
            E::OrganizationMembershipCreated
            | E::OrganizationMembershipUpdated
            | E::OrganizationMembershipDeleted => EventData::OrganizationMembership(typed(data)?),
            E::UserDeleted | E::OrganizationDeleted => EventData::Deleted(typed(data)?),
            E::OrganizationInvitationCreated
            | E::OrganizationInvitationAccepted
            | E::OrganizationInvitationRevoked => EventData::OrganizationInvitation(typed(data)?),
            E::SessionCreated
            | E::SessionPending
            | E::SessionEnded
            | E::SessionRemoved
            | E::SessionRevoked => EventData::Session(typed(data)?),
            E::EmailCreated => EventData::Email(typed(data)?),
            E::SmsCreated => EventData::Sms(typed(data)?),
            _ => EventData::Other(data),
        })
    }
}

/// Details of the request that caused an event, when there was one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EventAttributes {
    /// The HTTP request behind the event.
    #[serde(default)]
    pub http_request: Option<HttpRequest>,
}

/// The HTTP request behind an event.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HttpRequest {
    /// The client's IP address.
    #[serde(default)]
    pub client_ip: Option<String>,
    /// The client's user agent.
    #[serde(default)]
    pub user_agent: Option<String>,
}

/// One webhook delivery: `{"type", "data", "object", "instance_id", "timestamp",
/// "event_attributes"}`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WebhookEvent {
    /// The event type (`type` in JSON).
    pub kind: EventType,
    /// The event's object, typed by [`kind`](WebhookEvent::kind).
    pub data: EventData,
    /// Always `event`.
    pub object: String,
    /// The id of the Clerk instance the event comes from.
    pub instance_id: String,
    /// When the event happened, as sent (Clerk sends Unix milliseconds; the spec's examples
    /// show seconds).
    pub timestamp: i64,
    /// The request that caused the event, when there was one.
    pub event_attributes: Option<EventAttributes>,
}

/// Why a payload could not be decoded. Names the event type and a missing or repeated field;
/// never quotes a value from the payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadError {
    event_type: Option<String>,
    message: String,
}

impl PayloadError {
    fn new(kind: Option<&EventType>, e: &serde_json::Error) -> Self {
        let text = e.to_string();
        let text = text
            .rsplit_once(" at line ")
            .map_or(text.as_str(), |(m, _)| m);
        // serde_json quotes offending values; keep only messages that name our own fields.
        let message = if text.starts_with("missing field") || text.starts_with("duplicate field") {
            text.to_owned()
        } else {
            match e.classify() {
                serde_json::error::Category::Data => "a value has the wrong type".to_owned(),
                _ => "the body is not JSON".to_owned(),
            }
        };
        PayloadError {
            event_type: kind.filter(|k| k.is_known()).map(|k| k.as_str().to_owned()),
            message,
        }
    }

    /// The event type, when it was read and is known.
    pub fn event_type(&self) -> Option<&str> {
        self.event_type.as_deref()
    }

    /// What was wrong (for example ``missing field `id` ``).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.event_type {
            Some(kind) => write!(f, "{kind}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for PayloadError {}

impl WebhookEvent {
    /// Decodes a payload without checking its signature: for tests, or after
    /// [`Webhook::verify_signature`](super::Webhook::verify_signature).
    ///
    /// # Errors
    /// [`PayloadError`] when the body is not an event, or when its `data` does not fit the
    /// model of its type.
    pub fn from_slice(body: &[u8]) -> Result<WebhookEvent, PayloadError> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(rename = "type")]
            kind: EventType,
            data: Value,
            #[serde(default)]
            object: Option<String>,
            #[serde(default)]
            instance_id: Option<String>,
            #[serde(default)]
            timestamp: Option<Value>,
            #[serde(default)]
            event_attributes: Option<EventAttributes>,
        }
        let raw: Raw = serde_json::from_slice(body).map_err(|e| PayloadError::new(None, &e))?;
        let data = EventData::decode(&raw.kind, raw.data)
            .map_err(|e| PayloadError::new(Some(&raw.kind), &e))?;
        Ok(WebhookEvent {
            data,
            object: raw.object.unwrap_or_default(),
            instance_id: raw.instance_id.unwrap_or_default(),
            timestamp: raw.timestamp.as_ref().and_then(Value::as_i64).unwrap_or(0),
            event_attributes: raw.event_attributes,
            kind: raw.kind,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn event_types_round_trip() {
        assert_eq!(EventType::ALL.len(), 45);
        for kind in EventType::ALL {
            let parsed: EventType = kind.as_str().parse().unwrap();
            assert_eq!(&parsed, kind);
            assert!(parsed.is_known());
            let json = serde_json::to_string(kind).unwrap();
            assert_eq!(&serde_json::from_str::<EventType>(&json).unwrap(), kind);
        }
        let unknown: EventType = "user.teleported".parse().unwrap();
        assert!(!unknown.is_known());
        assert_eq!(unknown.as_str(), "user.teleported");
        assert_eq!(unknown.to_string(), "user.teleported");
        // Case matters: Clerk's names are camelCase.
        assert!(!"User.Created".parse::<EventType>().unwrap().is_known());
    }

    #[test]
    fn unknown_types_keep_their_data() {
        let body = json!({"type": "agent.spawned", "object": "event", "data": {"x": 1},
                          "instance_id": "ins_1", "timestamp": 5});
        let e = WebhookEvent::from_slice(body.to_string().as_bytes()).unwrap();
        assert_eq!(e.kind.as_str(), "agent.spawned");
        assert_eq!(e.data, EventData::Other(json!({"x": 1})));
        assert_eq!((e.timestamp, e.instance_id.as_str()), (5, "ins_1"));
    }

    #[test]
    fn payload_errors_name_fields_not_values() {
        let e = WebhookEvent::from_slice(br#"{"type":"user.created","data":{"id":"SECRETVALUE"}}"#)
            .unwrap_err();
        assert_eq!(e.event_type(), Some("user.created"));
        assert!(e.message().starts_with("missing field"), "{e}");
        let e =
            WebhookEvent::from_slice(br#"{"type":"user.created","data":{"id":["SECRETVALUE"]}}"#)
                .unwrap_err();
        assert!(!e.to_string().contains("SECRETVALUE"), "{e}");
        let e = WebhookEvent::from_slice(b"SECRETVALUE").unwrap_err();
        assert_eq!(e.to_string(), "the body is not JSON");
        let e = WebhookEvent::from_slice(br#"{"data":{}}"#).unwrap_err();
        assert!(e.message().contains("`type`"), "{e}");
        assert!(WebhookEvent::from_slice(br#"{"type":"x"}"#).is_err());
    }
}
