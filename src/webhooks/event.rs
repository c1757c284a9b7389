//! The webhook payload: [`WebhookEvent`], its [`EventType`] and its typed [`EventData`].

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::data::{
    EmailData, OrganizationInvitationData, PaymentAttemptData, RoleData, SessionData, SmsData,
    SubscriptionData, SubscriptionItemData,
};
use crate::models::{
    DeletedObject, Organization, OrganizationDomain, OrganizationMembership, Permission, User,
    WaitlistEntry,
};

string_enum! {
    /// The `type` of a webhook event: every event of Clerk's webhook spec, and
    /// [`Unknown`](EventType::Unknown) for the ones this version does not know.
    EventType {
        /// `email.created`
        EmailCreated = "email.created",
        /// `organization.created`
        OrganizationCreated = "organization.created",
        /// `organization.updated`
        OrganizationUpdated = "organization.updated",
        /// `organization.deleted`
        OrganizationDeleted = "organization.deleted",
        /// `organizationDomain.created`
        OrganizationDomainCreated = "organizationDomain.created",
        /// `organizationDomain.updated`
        OrganizationDomainUpdated = "organizationDomain.updated",
        /// `organizationDomain.deleted`
        OrganizationDomainDeleted = "organizationDomain.deleted",
        /// `organizationInvitation.created`
        OrganizationInvitationCreated = "organizationInvitation.created",
        /// `organizationInvitation.accepted`
        OrganizationInvitationAccepted = "organizationInvitation.accepted",
        /// `organizationInvitation.revoked`
        OrganizationInvitationRevoked = "organizationInvitation.revoked",
        /// `organizationMembership.created`
        OrganizationMembershipCreated = "organizationMembership.created",
        /// `organizationMembership.updated`
        OrganizationMembershipUpdated = "organizationMembership.updated",
        /// `organizationMembership.deleted`
        OrganizationMembershipDeleted = "organizationMembership.deleted",
        /// `paymentAttempt.created`
        PaymentAttemptCreated = "paymentAttempt.created",
        /// `paymentAttempt.updated`
        PaymentAttemptUpdated = "paymentAttempt.updated",
        /// `permission.created`
        PermissionCreated = "permission.created",
        /// `permission.updated`
        PermissionUpdated = "permission.updated",
        /// `permission.deleted`
        PermissionDeleted = "permission.deleted",
        /// `role.created`
        RoleCreated = "role.created",
        /// `role.updated`
        RoleUpdated = "role.updated",
        /// `role.deleted`
        RoleDeleted = "role.deleted",
        /// `session.created`
        SessionCreated = "session.created",
        /// `session.pending`
        SessionPending = "session.pending",
        /// `session.ended`
        SessionEnded = "session.ended",
        /// `session.removed`
        SessionRemoved = "session.removed",
        /// `session.revoked`
        SessionRevoked = "session.revoked",
        /// `sms.created`
        SmsCreated = "sms.created",
        /// `subscription.created`
        SubscriptionCreated = "subscription.created",
        /// `subscription.updated`
        SubscriptionUpdated = "subscription.updated",
        /// `subscription.active`
        SubscriptionActive = "subscription.active",
        /// `subscription.pastDue`
        SubscriptionPastDue = "subscription.pastDue",
        /// `subscriptionItem.abandoned`
        SubscriptionItemAbandoned = "subscriptionItem.abandoned",
        /// `subscriptionItem.active`
        SubscriptionItemActive = "subscriptionItem.active",
        /// `subscriptionItem.canceled`
        SubscriptionItemCanceled = "subscriptionItem.canceled",
        /// `subscriptionItem.ended`
        SubscriptionItemEnded = "subscriptionItem.ended",
        /// `subscriptionItem.freeTrialEnding`
        SubscriptionItemFreeTrialEnding = "subscriptionItem.freeTrialEnding",
        /// `subscriptionItem.incomplete`
        SubscriptionItemIncomplete = "subscriptionItem.incomplete",
        /// `subscriptionItem.pastDue`
        SubscriptionItemPastDue = "subscriptionItem.pastDue",
        /// `subscriptionItem.upcoming`
        SubscriptionItemUpcoming = "subscriptionItem.upcoming",
        /// `subscriptionItem.updated`
        SubscriptionItemUpdated = "subscriptionItem.updated",
        /// `user.created`
        UserCreated = "user.created",
        /// `user.updated`
        UserUpdated = "user.updated",
        /// `user.deleted`
        UserDeleted = "user.deleted",
        /// `waitlistEntry.created`
        WaitlistEntryCreated = "waitlistEntry.created",
        /// `waitlistEntry.updated`
        WaitlistEntryUpdated = "waitlistEntry.updated",
    }
}

/// The `data` of a webhook event, typed by the event's type.
///
/// Every event type of Clerk's webhook spec (`webhooks/2025-04-15.yml`, the 45 of
/// [`EventType::ALL`]) has a typed variant: an API model of [`crate::models`] where the
/// webhook sends that model, a struct of this module where it sends something else. Only a type
/// newer than the spec (an [`EventType::Unknown`]) is [`Other`](EventData::Other), the `data`
/// object as sent.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
// Made once per delivery and matched at once: boxing would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub enum EventData {
    /// `user.created`, `user.updated`.
    User(User),
    /// `organization.created`, `organization.updated`.
    Organization(Organization),
    /// `organizationDomain.created`, `organizationDomain.updated`.
    OrganizationDomain(OrganizationDomain),
    /// `organizationMembership.created`, `.updated`, `.deleted`.
    OrganizationMembership(OrganizationMembership),
    /// `user.deleted`, `organization.deleted`, `organizationDomain.deleted`, `role.deleted`,
    /// `permission.deleted`: the deleted object's `object`, `id` and (for some) `slug`.
    Deleted(DeletedObject),
    /// `organizationInvitation.created`, `.accepted`, `.revoked`: an organization invitation.
    OrganizationInvitation(OrganizationInvitationData),
    /// `role.created`, `role.updated`: an organization role with its permissions.
    Role(RoleData),
    /// `permission.created`, `permission.updated`.
    Permission(Permission),
    /// `session.created`, `.pending`, `.ended`, `.removed`, `.revoked`: a session with its
    /// user.
    Session(SessionData),
    /// `email.created`: an email Clerk sent or would send.
    Email(EmailData),
    /// `sms.created`: an SMS message Clerk sent or would send.
    Sms(SmsData),
    /// `subscription.created`, `.updated`, `.active`, `.pastDue`: a billing subscription.
    Subscription(SubscriptionData),
    /// `subscriptionItem.*` (`.abandoned`, `.active`, `.canceled`, `.ended`,
    /// `.freeTrialEnding`, `.incomplete`, `.pastDue`, `.upcoming`, `.updated`): one item of a
    /// billing subscription.
    SubscriptionItem(SubscriptionItemData),
    /// `paymentAttempt.created`, `paymentAttempt.updated`: an attempt to collect a payment.
    PaymentAttempt(PaymentAttemptData),
    /// `waitlistEntry.created`, `waitlistEntry.updated`.
    WaitlistEntry(WaitlistEntry),
    /// An event type newer than this version of the SDK: the `data` object as sent.
    Other(Value),
}

impl EventData {
    /// Decodes `data` for an event of type `kind`. The target type is inferred from each
    /// variant's declaration above. The match names every known type (no wildcard for them),
    /// so a type added to [`EventType`] does not compile until it is given a variant.
    fn decode(kind: &EventType, data: Value) -> Result<EventData, serde_json::Error> {
        use EventType as E;
        use serde_json::from_value as typed;
        Ok(match kind {
            E::UserCreated | E::UserUpdated => EventData::User(typed(data)?),
            E::OrganizationCreated | E::OrganizationUpdated => {
                EventData::Organization(typed(data)?)
            }
            E::OrganizationDomainCreated | E::OrganizationDomainUpdated => {
                EventData::OrganizationDomain(typed(data)?)
            }
            E::OrganizationMembershipCreated
            | E::OrganizationMembershipUpdated
            | E::OrganizationMembershipDeleted => EventData::OrganizationMembership(typed(data)?),
            E::UserDeleted
            | E::OrganizationDeleted
            | E::OrganizationDomainDeleted
            | E::RoleDeleted
            | E::PermissionDeleted => EventData::Deleted(typed(data)?),
            E::OrganizationInvitationCreated
            | E::OrganizationInvitationAccepted
            | E::OrganizationInvitationRevoked => EventData::OrganizationInvitation(typed(data)?),
            E::RoleCreated | E::RoleUpdated => EventData::Role(typed(data)?),
            E::PermissionCreated | E::PermissionUpdated => EventData::Permission(typed(data)?),
            E::SessionCreated
            | E::SessionPending
            | E::SessionEnded
            | E::SessionRemoved
            | E::SessionRevoked => EventData::Session(typed(data)?),
            E::EmailCreated => EventData::Email(typed(data)?),
            E::SmsCreated => EventData::Sms(typed(data)?),
            E::SubscriptionCreated
            | E::SubscriptionUpdated
            | E::SubscriptionActive
            | E::SubscriptionPastDue => EventData::Subscription(typed(data)?),
            E::SubscriptionItemAbandoned
            | E::SubscriptionItemActive
            | E::SubscriptionItemCanceled
            | E::SubscriptionItemEnded
            | E::SubscriptionItemFreeTrialEnding
            | E::SubscriptionItemIncomplete
            | E::SubscriptionItemPastDue
            | E::SubscriptionItemUpcoming
            | E::SubscriptionItemUpdated => EventData::SubscriptionItem(typed(data)?),
            E::PaymentAttemptCreated | E::PaymentAttemptUpdated => {
                EventData::PaymentAttempt(typed(data)?)
            }
            E::WaitlistEntryCreated | E::WaitlistEntryUpdated => {
                EventData::WaitlistEntry(typed(data)?)
            }
            E::Unknown(_) => EventData::Other(data),
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
