//! `webhooks` (feature `webhooks`): Svix signatures (a published test vector, tampering,
//! timestamps, several signatures, wrong secrets) and the typed decoding of every example
//! payload of Clerk's webhook spec (`tests/fixtures/webhooks/`).

#[allow(dead_code)] // its `main` is not called here
#[path = "../examples/verify_webhook.rs"]
mod verify_webhook;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clerk_backend_api::models::{
    BillingPaymentAttemptStatus, CommercePaymentSourceResponseStatus,
    CommerceSubscriptionItemPlanPeriod, CommerceSubscriptionItemStatus, CommerceSubscriptionStatus,
    OrganizationDomainEnrollmentMode, SessionStatus, WaitlistEntryStatus,
};
use clerk_backend_api::webhooks::{
    BillingChargeType, BillingPaymentMethod, EmailData, EventData, EventType,
    OrganizationInvitationData, PaymentAttemptData, RoleData, SessionData, SmsData,
    SubscriptionData, SubscriptionItemData, Webhook, WebhookError, WebhookEvent,
};
use serde_json::{Value, json};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER_SECRET: &str = "whsec_c2VjcmV0LW9mLWFub3RoZXItZW5kcG9pbnQ=";
const NOW: i64 = 1_767_225_600;

fn at(secs: i64) -> impl Fn() -> SystemTime + Send + Sync + 'static {
    move || UNIX_EPOCH + Duration::from_secs(secs as u64)
}

fn webhook(secret: &str) -> Webhook {
    Webhook::new(secret).unwrap().with_clock(at(NOW))
}

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/webhooks");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_str().unwrap().to_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

fn fixture(name: &str) -> Vec<u8> {
    fixtures()
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no fixture {name}"))
        .1
}

fn user_created() -> Vec<u8> {
    fixture("user.created")
}

/// The example `name` with its `data` object changed by `edit`.
fn edited(name: &str, edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Vec<u8> {
    let mut body: Value = serde_json::from_slice(&fixture(name)).unwrap();
    edit(body["data"].as_object_mut().unwrap());
    serde_json::to_vec(&body).unwrap()
}

fn decode(body: &[u8]) -> EventData {
    WebhookEvent::from_slice(body)
        .unwrap_or_else(|e| panic!("{e}"))
        .data
}

fn headers(id: &str, timestamp: &str, signature: &str) -> http::HeaderMap {
    let mut map = http::HeaderMap::new();
    map.insert("svix-id", id.parse().unwrap());
    map.insert("svix-timestamp", timestamp.parse().unwrap());
    map.insert("svix-signature", signature.parse().unwrap());
    map
}

fn signed(w: &Webhook, body: &[u8], timestamp: i64) -> http::HeaderMap {
    headers(
        "msg_2abc",
        &timestamp.to_string(),
        &w.sign("msg_2abc", timestamp, body),
    )
}

// ---------------------------------------------------------------------------
// Signatures
// ---------------------------------------------------------------------------

#[test]
fn svix_documentation_vector() {
    // The example of Svix's "verifying webhooks manually" guide, checked independently with
    // Python's hmac module.
    let w = Webhook::new(SECRET).unwrap().with_clock(at(1_614_265_330));
    let body = br#"{"test": 2432232314}"#;
    let signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    w.verify_signature(
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "1614265330",
        signature,
        body,
    )
    .unwrap();
    assert_eq!(
        w.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330, body),
        signature
    );
    // Without the prefix, the same key.
    let bare = Webhook::new("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .unwrap()
        .with_clock(at(1_614_265_330));
    assert!(
        bare.verify_signature(
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            "1614265330",
            signature,
            body
        )
        .is_ok()
    );
}

#[test]
fn a_valid_delivery_decodes_into_a_typed_event() {
    let w = webhook(SECRET);
    let body = user_created();
    let event = w.verify(&signed(&w, &body, NOW), &body).unwrap();
    assert_eq!(event.kind, EventType::UserCreated);
    assert_eq!(event.object, "event");
    assert_eq!(event.instance_id, "ins_2g7np7Hrk0SN6kj5EDMLDaKNL0S");
    let attributes = event.event_attributes.unwrap();
    assert_eq!(
        attributes.http_request.unwrap().client_ip.as_deref(),
        Some("192.168.1.100")
    );
    match event.data {
        EventData::User(user) => {
            assert_eq!(user.id, "user_2g7np7Hrk0SN6kj5EDMLDaKNL0S");
            assert_eq!(user.first_name.as_deref(), Some("John"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_tampered_body_is_refused() {
    let w = webhook(SECRET);
    let body = user_created();
    let h = signed(&w, &body, NOW);
    let mut tampered = body.clone();
    let at = tampered.iter().position(|&b| b == b'J').unwrap(); // "John"
    tampered[at] = b'X';
    assert!(matches!(
        w.verify(&h, &tampered),
        Err(WebhookError::BadSignature)
    ));
    // Re-serialized JSON is not the signed body either.
    let reserialized =
        serde_json::to_vec(&serde_json::from_slice::<Value>(&body).unwrap()).unwrap();
    assert!(matches!(
        w.verify(&h, &reserialized),
        Err(WebhookError::BadSignature)
    ));
    // Nor is another id or timestamp with the same signature.
    let sig = w.sign("msg_2abc", NOW, &body);
    let other_id = headers("msg_2abd", &NOW.to_string(), &sig);
    assert!(matches!(
        w.verify(&other_id, &body),
        Err(WebhookError::BadSignature)
    ));
    let other_time = headers("msg_2abc", &(NOW - 1).to_string(), &sig);
    assert!(matches!(
        w.verify(&other_time, &body),
        Err(WebhookError::BadSignature)
    ));
}

#[test]
fn old_and_future_timestamps_are_refused() {
    let w = webhook(SECRET);
    let body = user_created();
    assert!(w.verify(&signed(&w, &body, NOW - 300), &body).is_ok());
    assert!(w.verify(&signed(&w, &body, NOW + 300), &body).is_ok());
    assert!(matches!(
        w.verify(&signed(&w, &body, NOW - 301), &body),
        Err(WebhookError::TimestampTooOld)
    ));
    assert!(matches!(
        w.verify(&signed(&w, &body, NOW + 301), &body),
        Err(WebhookError::TimestampTooNew)
    ));
    assert!(matches!(
        w.verify(&signed(&w, &body, 1_614_265_330), &body),
        Err(WebhookError::TimestampTooOld)
    ));
    // A configured tolerance.
    let lenient = w.clone().with_tolerance(Duration::from_secs(3600));
    assert!(
        lenient
            .verify(&signed(&w, &body, NOW - 3000), &body)
            .is_ok()
    );
    // A timestamp that is not Unix seconds.
    for bad in ["soon", "-1", "1.5", "17672256000000000"] {
        let h = headers("msg_2abc", bad, &w.sign("msg_2abc", NOW, &body));
        assert!(
            matches!(w.verify(&h, &body), Err(WebhookError::InvalidTimestamp)),
            "{bad}"
        );
    }
}

#[test]
fn one_valid_signature_among_several_is_enough() {
    let w = webhook(SECRET);
    let other = webhook(OTHER_SECRET);
    let body = user_created();
    let good = w.sign("msg_2abc", NOW, &body);
    let stale = other.sign("msg_2abc", NOW, &body);
    let good_b64 = good.trim_start_matches("v1,");
    let list =
        format!("v1,bm90IGEgc2lnbmF0dXJl {stale} v1a,{good_b64} v2,{good_b64} v1,!!! v1 {good}");
    let h = headers("msg_2abc", &NOW.to_string(), &list);
    assert!(w.verify(&h, &body).is_ok());
    // The same list without the valid entry: the right bytes under another version do not count.
    let without = list.replace(&format!(" {good}"), "");
    let h = headers("msg_2abc", &NOW.to_string(), &without);
    assert!(matches!(
        w.verify(&h, &body),
        Err(WebhookError::BadSignature)
    ));
    let h = headers("msg_2abc", &NOW.to_string(), "");
    assert!(matches!(
        w.verify(&h, &body),
        Err(WebhookError::BadSignature)
    ));
}

#[test]
fn a_wrong_secret_is_refused() {
    let body = user_created();
    let sender = webhook(OTHER_SECRET);
    let receiver = webhook(SECRET);
    assert!(matches!(
        receiver.verify(&signed(&sender, &body, NOW), &body),
        Err(WebhookError::BadSignature)
    ));
}

#[test]
fn missing_headers_and_other_header_sources() {
    let w = webhook(SECRET);
    let body = user_created();
    let full = signed(&w, &body, NOW);
    for name in ["svix-id", "svix-timestamp", "svix-signature"] {
        let mut h = full.clone();
        h.remove(name);
        match w.verify(&h, &body) {
            Err(WebhookError::MissingHeader(missing)) => assert_eq!(missing, name),
            other => panic!("{other:?}"),
        }
    }
    // Unbranded `webhook-*` headers, looked up through a closure.
    let value = |n: &str| full.get(n).unwrap().to_str().unwrap().to_owned();
    let unbranded = [
        ("webhook-id", value("svix-id")),
        ("webhook-timestamp", value("svix-timestamp")),
        ("webhook-signature", value("svix-signature")),
    ];
    let event = w
        .verify_with(
            |name| {
                unbranded
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.clone())
            },
            &body,
        )
        .unwrap();
    assert_eq!(event.kind, EventType::UserCreated);
}

#[test]
fn a_signed_body_that_is_not_an_event_is_a_payload_error() {
    let w = webhook(SECRET);
    for body in [
        &b"not json"[..],
        br#"{"type":"user.created","data":{"object":"user"}}"#,
    ] {
        match w.verify(&signed(&w, body, NOW), body) {
            Err(WebhookError::Payload(e)) => assert!(!e.message().is_empty()),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn errors_and_debug_never_show_the_secret() {
    let w = webhook(SECRET);
    let body = user_created();
    let mut text = format!("{w:?}\n");
    for secret in ["whsec_!!!", "whsec_", "not base64 at all"] {
        let e = Webhook::new(secret).unwrap_err();
        text.push_str(&format!("{e}\n{e:?}\n"));
    }
    let h = signed(&webhook(OTHER_SECRET), &body, NOW);
    let e = w.verify(&h, &body).unwrap_err();
    text.push_str(&format!("{e}\n{e:?}\n"));
    for needle in [
        "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "c2VjcmV0LW9mLWFub3RoZXItZW5kcG9pbnQ",
        "!!!",
    ] {
        assert!(!text.contains(needle), "{needle} in {text}");
    }
    assert!(text.contains("whsec_…"), "{text}");
}

// ---------------------------------------------------------------------------
// Every example of the webhook spec
// ---------------------------------------------------------------------------

/// The variant each event type decodes to.
fn variant(data: &EventData) -> &'static str {
    match data {
        EventData::User(_) => "User",
        EventData::Organization(_) => "Organization",
        EventData::OrganizationDomain(_) => "OrganizationDomain",
        EventData::OrganizationMembership(_) => "OrganizationMembership",
        EventData::Deleted(_) => "Deleted",
        EventData::OrganizationInvitation(_) => "OrganizationInvitation",
        EventData::Role(_) => "Role",
        EventData::Permission(_) => "Permission",
        EventData::Session(_) => "Session",
        EventData::Email(_) => "Email",
        EventData::Sms(_) => "Sms",
        EventData::Subscription(_) => "Subscription",
        EventData::SubscriptionItem(_) => "SubscriptionItem",
        EventData::PaymentAttempt(_) => "PaymentAttempt",
        EventData::WaitlistEntry(_) => "WaitlistEntry",
        EventData::Other(_) => "Other",
        _ => "new variant",
    }
}

/// What the spec says each event's `data` is, written out here rather than derived from the
/// code under test. No event type of the spec is `Other`.
fn expected_variant(event_type: &str) -> &'static str {
    match event_type {
        "user.created" | "user.updated" => "User",
        "user.deleted"
        | "organization.deleted"
        | "organizationDomain.deleted"
        | "role.deleted"
        | "permission.deleted" => "Deleted",
        "organization.created" | "organization.updated" => "Organization",
        "organizationDomain.created" | "organizationDomain.updated" => "OrganizationDomain",
        t if t.starts_with("organizationMembership.") => "OrganizationMembership",
        t if t.starts_with("organizationInvitation.") => "OrganizationInvitation",
        "role.created" | "role.updated" => "Role",
        "permission.created" | "permission.updated" => "Permission",
        t if t.starts_with("session.") => "Session",
        "email.created" => "Email",
        "sms.created" => "Sms",
        t if t.starts_with("subscription.") => "Subscription",
        t if t.starts_with("subscriptionItem.") => "SubscriptionItem",
        t if t.starts_with("paymentAttempt.") => "PaymentAttempt",
        t if t.starts_with("waitlistEntry.") => "WaitlistEntry",
        _ => "Other",
    }
}

#[test]
fn every_example_of_the_spec_is_a_known_type_and_decodes() {
    let all = fixtures();
    assert_eq!(
        all.len(),
        EventType::ALL.len(),
        "one example per event type"
    );
    let w = webhook(SECRET);
    for (name, body) in &all {
        let event = w
            .verify(&signed(&w, body, NOW), body)
            .unwrap_or_else(|e| panic!("{name}: {e} ({e:?})"));
        assert!(event.kind.is_known(), "{name}");
        assert_eq!(event.kind.as_str(), name);
        assert_eq!(variant(&event.data), expected_variant(name), "{name}");
        assert_ne!(variant(&event.data), "Other", "{name}");
        assert_eq!(event.object, "event", "{name}");
        // The typed value is the example's object, not a default: its id survives.
        let raw: Value = serde_json::from_slice(body).unwrap();
        let id = raw["data"]["id"].as_str();
        assert!(id.is_some_and(|id| !id.is_empty()), "{name}: no id");
        let typed_id = match &event.data {
            EventData::User(u) => Some(u.id.as_str()),
            EventData::Organization(o) => Some(o.id.as_str()),
            EventData::OrganizationDomain(d) => Some(d.id.as_str()),
            EventData::OrganizationMembership(m) => Some(m.id.as_str()),
            EventData::Deleted(d) => d.id.as_deref(),
            EventData::OrganizationInvitation(i) => Some(i.invitation.id.as_str()),
            EventData::Role(r) => Some(r.id.as_str()),
            EventData::Permission(p) => Some(p.id.as_str()),
            EventData::Session(s) => Some(s.session.id.as_str()),
            EventData::Email(e) => Some(e.id.as_str()),
            EventData::Sms(m) => Some(m.id.as_str()),
            EventData::Subscription(s) => Some(s.id.as_str()),
            EventData::SubscriptionItem(i) => Some(i.id.as_str()),
            EventData::PaymentAttempt(p) => Some(p.id.as_str()),
            EventData::WaitlistEntry(w) => Some(w.id.as_str()),
            other => panic!("{name}: {other:?}"),
        };
        assert_eq!(typed_id, id, "{name}");
    }
}

#[test]
fn a_type_newer_than_the_spec_is_other_with_its_data_as_sent() {
    let w = webhook(SECRET);
    let data = json!({"id": "agt_1", "object": "agent", "nested": {"list": [1, null, "x"]}});
    // A new family, and a new event of a family the spec has (typed or not).
    for kind in [
        "agent.spawned",
        "subscriptionItem.paused",
        "user.merged",
        "role.Created",
    ] {
        let body = serde_json::to_vec(&json!({
            "type": kind, "object": "event", "data": data,
            "instance_id": "ins_1", "timestamp": 1_716_883_200_000_i64,
        }))
        .unwrap();
        let event = w.verify(&signed(&w, &body, NOW), &body).unwrap();
        assert!(!event.kind.is_known(), "{kind}");
        assert_eq!(event.kind.as_str(), kind);
        assert_eq!(event.data, EventData::Other(data.clone()), "{kind}");
        assert_eq!(event.timestamp, 1_716_883_200_000);
    }
    // Its data need not be an object, nor match any model.
    let body = br#"{"type":"agent.spawned","data":[1,2]}"#;
    assert_eq!(decode(body), EventData::Other(json!([1, 2])));
}

#[test]
fn typed_examples_keep_their_nested_objects() {
    let all = fixtures();
    let get = |name: &str| {
        let body = &all.iter().find(|(n, _)| n == name).unwrap().1;
        WebhookEvent::from_slice(body).unwrap().data
    };
    match get("organizationMembership.created") {
        EventData::OrganizationMembership(m) => {
            assert_eq!(m.role, "org:member");
            assert_eq!(m.organization.id, "org_2g7np7Hrk0SN6kj5EDMLDaKNL0S");
            let user = m.public_user_data.expect("public_user_data");
            assert_eq!(user.user_id, "user_2h8op3Isl1QR7tKu5FGNfaLKEoU");
        }
        other => panic!("{other:?}"),
    }
    match get("user.deleted") {
        EventData::Deleted(d) => {
            assert!(d.deleted);
            assert_eq!(d.object, "user");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_verify_webhook_example_runs_offline() {
    let (event, refused) = verify_webhook::demo().unwrap();
    assert_eq!(event.kind, EventType::UserCreated);
    assert!(matches!(event.data, EventData::User(_)));
    assert!(matches!(refused, WebhookError::BadSignature));
}

// ---------------------------------------------------------------------------
// Sessions, invitations, emails and SMS messages
// ---------------------------------------------------------------------------

/// Decodes `body` and takes its data, which must be the variant `$variant`.
macro_rules! data {
    ($variant:ident, $body:expr) => {
        match decode($body) {
            EventData::$variant(x) => x,
            other => panic!("{other:?}"),
        }
    };
}

#[test]
fn session_examples_decode_with_their_user() {
    for (name, status) in [
        ("session.created", SessionStatus::Active),
        ("session.pending", SessionStatus::Pending),
        ("session.ended", SessionStatus::Ended),
        ("session.removed", SessionStatus::Removed),
        ("session.revoked", SessionStatus::Revoked),
    ] {
        let data = data!(Session, &fixture(name));
        let s = &data.session;
        assert_eq!(s.object, "session", "{name}");
        assert_eq!(s.id, "sess_2g7np7Hrk0SN6kj5EDMLDaKNL0S", "{name}");
        assert_eq!(s.user_id, "user_2g7np7Hrk0SN6kj5EDMLDaKNL0S", "{name}");
        assert_eq!(s.client_id, "client_2g7np7Hrk0SN6kj5EDMLDaKNL0S", "{name}");
        assert_eq!(s.status, status, "{name}");
        // Millisecond timestamps survive the buffering `flatten` does.
        assert_eq!(s.expire_at, 1_716_969_600_000, "{name}");
        assert_eq!(s.created_at, 1_716_883_200_000, "{name}");
        let user = data.user.as_ref().expect("user");
        assert_eq!(user.id, s.user_id, "{name}");
        assert_eq!(
            (user.first_name.as_deref(), user.last_name.as_deref()),
            (Some("John"), Some("Doe")),
            "{name}"
        );
        assert_eq!(user.last_sign_in_at, Some(1_716_883_200_000), "{name}");
        // What Serialize writes (one flat object) reads back the same.
        let again: SessionData =
            serde_json::from_value(serde_json::to_value(&data).unwrap()).unwrap();
        assert_eq!(again, data, "{name}");
    }
    let created = data!(Session, &fixture("session.created")).session;
    assert_eq!(created.abandon_at, 1_719_475_200_000);
    assert_eq!(
        created.last_active_organization_id.as_deref(),
        Some("org_2g7np7Hrk0SN6kj5EDMLDaKNL0S")
    );
    let activity = created.latest_activity.expect("latest_activity");
    assert_eq!(activity.city.as_deref(), Some("San Francisco"));
    assert!(!activity.is_mobile);
    let pending = data!(Session, &fixture("session.pending")).session;
    assert_eq!(pending.last_active_organization_id, None);
    assert_eq!(pending.latest_activity, None);
}

#[test]
fn a_session_without_its_user_still_decodes() {
    let data = data!(
        Session,
        &edited("session.ended", |d| {
            d.remove("user");
        })
    );
    assert_eq!(data.user, None);
    assert_eq!(data.session.user_id, "user_2g7np7Hrk0SN6kj5EDMLDaKNL0S");
    let data = data!(
        Session,
        &edited("session.ended", |d| {
            d.insert("user".into(), Value::Null);
        })
    );
    assert_eq!(data.user, None);
}

#[test]
fn invitation_examples_decode() {
    for (name, status, accepted_by) in [
        ("organizationInvitation.created", "pending", None),
        (
            "organizationInvitation.accepted",
            "accepted",
            Some("user_2h8op3Isl1QR7tKu5FGNfaLKEoU"),
        ),
        ("organizationInvitation.revoked", "revoked", None),
    ] {
        let data = data!(OrganizationInvitation, &fixture(name));
        let i = &data.invitation;
        assert_eq!(i.object, "organization_invitation", "{name}");
        assert_eq!(i.id, "orginv_2g7np7Hrk0SN6kj5EDMLDaKNL0S", "{name}");
        assert_eq!(i.email_address, "jane.doe@acme.com", "{name}");
        assert_eq!(
            (i.role.as_str(), i.role_name.as_str()),
            ("org:member", "Member")
        );
        assert_eq!(
            i.organization_id.as_deref(),
            Some("org_2g7np7Hrk0SN6kj5EDMLDaKNL0S"),
            "{name}"
        );
        assert_eq!(i.status.as_deref(), Some(status), "{name}");
        assert_eq!(i.expires_at, Some(1_717_487_999_000), "{name}");
        assert_eq!(i.created_at, 1_716_883_200_000, "{name}");
        // Required but nullable in both specs, and absent from every example.
        assert_eq!(
            (&i.inviter_id, &i.public_inviter_data),
            (&None, &None),
            "{name}"
        );
        assert_eq!(data.user_id.as_deref(), accepted_by, "{name}");
        assert_eq!(data.data, None, "{name}");
        let again: OrganizationInvitationData =
            serde_json::from_value(serde_json::to_value(&data).unwrap()).unwrap();
        assert_eq!(again, data, "{name}");
    }
}

#[test]
fn an_accepted_invitation_keeps_the_fields_the_examples_leave_out() {
    let data = data!(
        OrganizationInvitation,
        &edited("organizationInvitation.accepted", |d| {
            d.insert("inviter_id".into(), json!("user_inviter"));
            d.insert(
                "public_inviter_data".into(),
                json!({"user_id": "user_inviter", "first_name": "Ada", "last_name": null,
                   "image_url": "https://img.clerk.com/a", "has_image": true,
                   "identifier": "ada@acme.com"}),
            );
            d.insert(
                "data".into(),
                json!({"public_organization_data": {"id": "org_1", "name": "Acme",
                   "slug": "acme", "has_image": false}}),
            );
        })
    );
    assert_eq!(data.invitation.inviter_id.as_deref(), Some("user_inviter"));
    let inviter = data.invitation.public_inviter_data.expect("inviter");
    assert_eq!(
        (inviter.first_name.as_deref(), inviter.last_name),
        (Some("Ada"), None)
    );
    assert_eq!(inviter.identifier, "ada@acme.com");
    let org = data
        .data
        .and_then(|d| d.public_organization_data)
        .expect("organization");
    assert_eq!(
        (org.id.as_str(), org.slug.as_str(), org.image_url),
        ("org_1", "acme", None)
    );
}

#[test]
fn the_email_example_decodes() {
    let e = data!(Email, &fixture("email.created"));
    assert_eq!((e.id.as_str(), e.object.as_str()), ("ema_abcd", "email"));
    assert_eq!(e.slug.as_deref(), Some("verification_code"));
    assert_eq!(e.from_email_name, "notifications");
    assert_eq!(e.reply_to_email_name, None);
    assert_eq!(e.to_email_address.as_deref(), Some("johndoe@acme.com"));
    assert_eq!(e.email_address_id.as_deref(), Some("idn_abcd"));
    assert_eq!(e.user_id.as_deref(), Some("user_abcd"));
    assert_eq!(
        e.subject.as_deref(),
        Some("123456 is your verification code")
    );
    assert!(e.body.as_deref().unwrap().starts_with("<!DOCTYPE html"));
    assert!(
        e.body_plain
            .as_deref()
            .unwrap()
            .starts_with("123456 is your OTP code")
    );
    assert_eq!(e.status.as_deref(), Some("queued"));
    assert_eq!(e.data["otp_code"], json!("123456"));
    assert_eq!(e.data["app"]["name"], json!("Acme"));
    assert!(e.delivered_by_clerk);
}

#[test]
fn the_sms_example_decodes() {
    let m = data!(Sms, &fixture("sms.created"));
    assert_eq!(
        (m.id.as_str(), m.object.as_str()),
        ("sms_2g7np7Hrk0SN6kj5EDMLDaKNL0S", "sms_message")
    );
    assert_eq!(m.slug.as_deref(), Some("verification_code"));
    assert_eq!(m.from_phone_number, "+12345678901");
    assert_eq!(m.to_phone_number, "+19876543210");
    assert_eq!(
        m.phone_number_id.as_deref(),
        Some("idn_2g7np7Hrk0SN6kj5EDMLDaKNL0S")
    );
    assert_eq!(
        m.user_id.as_deref(),
        Some("user_2g7np7Hrk0SN6kj5EDMLDaKNL0S")
    );
    assert_eq!(m.message, "Your verification code is 123456");
    assert_eq!(m.status, "queued");
    assert_eq!(m.data, json!({}));
    assert!(m.delivered_by_clerk);
    // The example's name for the timestamp, not the schema's (`created_at_ms`).
    assert_eq!(
        (m.created_at, m.created_at_ms),
        (Some(1_716_883_200_000), None)
    );
    let m = data!(
        Sms,
        &edited("sms.created", |d| {
            d.remove("created_at");
            d.insert("created_at_ms".into(), json!(1_716_883_200_001_i64));
        })
    );
    assert_eq!(
        (m.created_at, m.created_at_ms),
        (None, Some(1_716_883_200_001))
    );
}

#[test]
fn an_unknown_session_status_is_kept() {
    let s = data!(
        Session,
        &edited("session.created", |d| {
            d.insert("status".into(), json!("hibernating"));
        })
    )
    .session;
    assert!(!s.status.is_known());
    assert_eq!(s.status.as_str(), "hibernating");
    assert_eq!(s.id, "sess_2g7np7Hrk0SN6kj5EDMLDaKNL0S");
}

#[test]
fn unknown_fields_are_accepted() {
    for name in [
        "session.created",
        "organizationInvitation.accepted",
        "email.created",
        "sms.created",
        "organizationDomain.updated",
        "role.updated",
        "permission.created",
        "waitlistEntry.updated",
        "subscription.created",
        "subscriptionItem.canceled",
        "paymentAttempt.created",
    ] {
        let extra = json!({"nested": [1, 2.5, null], "text": "x"});
        let body = edited(name, |d| {
            d.insert("added_later".into(), extra.clone());
            d.insert("tasks_v2".into(), json!(17));
        });
        let with = WebhookEvent::from_slice(&body).unwrap_or_else(|e| panic!("{name}: {e}"));
        let without = WebhookEvent::from_slice(&fixture(name)).unwrap();
        assert_eq!(with.data, without.data, "{name}");
    }
    // Inside the session's user as well, and in nested billing objects.
    let body = edited("session.created", |d| {
        d["user"]["added_later"] = json!({"x": 1});
    });
    assert_eq!(decode(&body), decode(&fixture("session.created")));
    let body = edited("subscription.created", |d| {
        d["payer"]["added_later"] = json!(1);
        d["items"][0]["plan"]["unit_prices"][0]["tiers"][0]["added_later"] = json!([]);
    });
    assert_eq!(decode(&body), decode(&fixture("subscription.created")));
    let body = edited("paymentAttempt.created", |d| {
        d["totals"]["grand_total"]["added_later"] = json!("x");
        d["payment_source"]["wallet_type"] = json!("apple_pay");
    });
    assert_eq!(decode(&body), decode(&fixture("paymentAttempt.created")));
}

#[test]
fn a_missing_required_field_is_a_payload_error() {
    for (name, field) in [
        ("session.created", "id"),
        ("session.revoked", "user_id"),
        ("session.ended", "expire_at"),
        ("organizationInvitation.created", "email_address"),
        ("organizationInvitation.accepted", "created_at"),
        ("email.created", "id"),
        ("email.created", "from_email_name"),
        ("email.created", "delivered_by_clerk"),
        ("sms.created", "to_phone_number"),
        ("sms.created", "message"),
        ("sms.created", "status"),
        ("organizationDomain.created", "enrollment_mode"),
        ("role.created", "key"),
        ("role.updated", "name"),
        ("permission.updated", "type"),
        ("waitlistEntry.created", "email_address"),
        ("subscription.created", "payer"),
        ("subscription.updated", "status"),
        ("subscriptionItem.active", "interval"),
        ("subscriptionItem.ended", "period_start"),
        ("paymentAttempt.created", "totals"),
        ("paymentAttempt.updated", "payment_id"),
        ("paymentAttempt.updated", "charge_type"),
    ] {
        let body = edited(name, |d| {
            assert!(d.remove(field).is_some(), "{name}.{field}");
        });
        let e = WebhookEvent::from_slice(&body).expect_err(name);
        assert_eq!(e.event_type(), Some(name));
        assert_eq!(e.message(), format!("missing field `{field}`"), "{name}");
    }
    // A value of the wrong type, the message without the value.
    let body = edited("sms.created", |d| {
        d.insert("to_phone_number".into(), json!(["+19876543210"]));
    });
    let e = WebhookEvent::from_slice(&body).unwrap_err();
    assert_eq!(e.message(), "a value has the wrong type");
    assert!(!e.to_string().contains("98765"), "{e}");
    let body = edited("session.created", |d| {
        d.insert("expire_at".into(), json!("tomorrow"));
    });
    let e = WebhookEvent::from_slice(&body).unwrap_err();
    assert_eq!(e.message(), "a value has the wrong type");
    // Optional ones may go.
    let e = data!(
        Email,
        &edited("email.created", |d| {
            for field in [
                "slug",
                "to_email_address",
                "subject",
                "body",
                "body_plain",
                "data",
            ] {
                d.remove(field);
            }
        })
    );
    assert_eq!((e.slug, e.subject, e.data), (None, None, Value::Null));
}

#[test]
fn debug_never_shows_the_one_time_code() {
    // The code of both examples is 123456 (which the SMS's sender number also contains).
    for (name, secrets) in [
        ("email.created", &["123456"][..]),
        ("sms.created", &["code is 123456", "\"123456\""][..]),
    ] {
        let event = WebhookEvent::from_slice(&fixture(name)).unwrap();
        let shown = format!("{event:?}\n{:#?}", event.data);
        for secret in secrets {
            assert!(!shown.contains(secret), "{name}: {secret} in {shown}");
        }
        assert!(shown.contains("<redacted>"), "{name}: {shown}");
        // The rest is still there.
        assert!(shown.contains("verification_code"), "{name}: {shown}");
        assert!(
            shown.contains("delivered_by_clerk: true"),
            "{name}: {shown}"
        );
    }
    // Absent values show as such.
    let shown = format!("{:?} {:?}", EmailData::default(), SmsData::default());
    assert!(shown.contains("subject: None"), "{shown}");
    assert!(shown.contains("data: Null"), "{shown}");
    assert!(shown.contains(r#"message: <redacted>"#), "{shown}");
}

// ---------------------------------------------------------------------------
// Domains, roles, permissions, waitlist entries and billing
// ---------------------------------------------------------------------------

#[test]
fn organization_domain_examples_decode() {
    let d = data!(OrganizationDomain, &fixture("organizationDomain.created"));
    assert_eq!(d.object, "organization_domain");
    assert_eq!(d.organization_id, "org_2g7np7Hrk0SN6kj5EDMLDaKNL0S");
    assert_eq!(d.name, "acme.com");
    assert_eq!(
        d.enrollment_mode,
        OrganizationDomainEnrollmentMode::AutomaticInvitation
    );
    assert_eq!(
        d.affiliation_email_address.as_deref(),
        Some("admin@acme.com")
    );
    assert_eq!(
        (d.total_pending_invitations, d.total_pending_suggestions),
        (0, 2)
    );
    let org = d
        .public_organization_data
        .expect("public_organization_data");
    assert_eq!((org.slug.as_str(), org.has_image), ("acme-corp", false));
    assert_eq!(
        (d.created_at, d.updated_at),
        (1_716_883_200_000, 1_716_883_200_000)
    );

    let d = data!(OrganizationDomain, &fixture("organizationDomain.updated"));
    assert_eq!(
        d.enrollment_mode,
        OrganizationDomainEnrollmentMode::AutomaticSuggestion
    );
    // The example still sends the deprecated `verification`, and neither of its successors.
    #[allow(deprecated)]
    let verification = d.verification.expect("verification");
    assert_eq!(
        (verification.status.as_str(), verification.strategy.as_str()),
        ("verified", "email_code")
    );
    assert_eq!(
        (verification.attempts, verification.expire_at),
        (Some(1), None)
    );
    assert_eq!(
        (d.affiliation_verification, d.ownership_verification),
        (None, None)
    );
    assert_eq!(d.public_organization_data, None);
    assert_eq!(d.updated_at, 1_716_883_500_000);

    let d = data!(
        OrganizationDomain,
        &edited("organizationDomain.created", |d| {
            d.insert("enrollment_mode".into(), json!("sso_only"));
        })
    );
    assert_eq!(d.enrollment_mode.as_str(), "sso_only");
    assert!(!d.enrollment_mode.is_known());
}

#[test]
fn deleted_domain_role_and_permission_examples_decode() {
    for (name, object, id) in [
        (
            "organizationDomain.deleted",
            "organization_domain",
            "orgdm_2g7np7Hrk0SN6kj5EDMLDaKNL0S",
        ),
        ("role.deleted", "role", "role_2g7np7Hrk0SN6kj5EDMLDaKNL0S"),
        (
            "permission.deleted",
            "permission",
            "perm_2g7np7Hrk0SN6kj5EDMLDaKNL0S",
        ),
    ] {
        let d = data!(Deleted, &fixture(name));
        assert!(d.deleted, "{name}");
        assert_eq!(d.object, object, "{name}");
        assert_eq!(d.id.as_deref(), Some(id), "{name}");
        // `role.deleted` sends `"slug": null`.
        assert_eq!(d.slug, None, "{name}");
    }
}

#[test]
fn role_and_permission_examples_decode() {
    let r = data!(Role, &fixture("role.created"));
    assert_eq!(
        (r.object.as_str(), r.key.as_str()),
        ("role", "org:content_manager")
    );
    assert_eq!(r.name, "Content Manager");
    assert_eq!(
        r.description.as_deref(),
        Some("Can manage all content in the organization")
    );
    assert_eq!(r.is_creator_eligible, Some(false));
    assert_eq!(r.permissions.len(), 1);
    assert_eq!(r.permissions[0].key, "org:posts:create");
    assert_eq!(r.permissions[0].kind, "custom");
    let again: RoleData = serde_json::from_value(serde_json::to_value(&r).unwrap()).unwrap();
    assert_eq!(again, r);

    // The example that leaves out `is_creator_eligible`, which the API's `Role` requires.
    let r = data!(Role, &fixture("role.updated"));
    assert_eq!(r.is_creator_eligible, None);
    let keys: Vec<&str> = r.permissions.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["org:posts:edit", "org:posts:publish"]);
    assert_eq!(r.updated_at, 1_716_883_500_000);

    for name in ["permission.created", "permission.updated"] {
        let p = data!(Permission, &fixture(name));
        assert_eq!(p.object, "permission", "{name}");
        assert_eq!(p.id, "perm_2g7np7Hrk0SN6kj5EDMLDaKNL0S", "{name}");
        assert!(p.key.starts_with("org:posts:"), "{name}");
        assert_eq!(p.kind, "custom", "{name}");
        assert_eq!(p.created_at, 1_716_883_200_000, "{name}");
    }
}

#[test]
fn waitlist_entry_examples_decode_and_hide_the_invitation_url() {
    let e = data!(WaitlistEntry, &fixture("waitlistEntry.created"));
    assert_eq!(e.email_address, "john.doe@example.com");
    assert_eq!(e.status, WaitlistEntryStatus::Pending);
    assert_eq!(e.is_locked, Some(false));
    assert_eq!(e.invitation, None);
    let e = data!(WaitlistEntry, &fixture("waitlistEntry.updated"));
    assert_eq!(e.status, WaitlistEntryStatus::Invited);
    let invitation = e.invitation.expect("invitation");
    assert_eq!(invitation.id, "inv_2g7np7Hrk0SN6kj5EDMLDaKNL0S");
    assert_eq!(invitation.created_at, 1_716_883_500_000);

    // An invitation's URL carries its ticket: whoever has it signs up.
    let e = data!(
        WaitlistEntry,
        &edited("waitlistEntry.updated", |d| {
            d["invitation"]["url"] = json!("https://acme.com/sign-up?__clerk_ticket=TICKETVALUE");
            d.insert("status".into(), json!("expired"));
        })
    );
    assert_eq!(e.status.as_str(), "expired");
    let shown = format!("{e:?} {:#?}", EventData::WaitlistEntry(e.clone()));
    assert!(!shown.contains("TICKETVALUE"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
    assert!(
        e.invitation.unwrap().url.unwrap().ends_with("TICKETVALUE"),
        "the field keeps the value"
    );
}

#[test]
fn subscription_examples_decode_with_payer_and_items() {
    for (name, status) in [
        ("subscription.created", CommerceSubscriptionStatus::Active),
        ("subscription.updated", CommerceSubscriptionStatus::Active),
        ("subscription.active", CommerceSubscriptionStatus::Active),
        ("subscription.pastDue", CommerceSubscriptionStatus::PastDue),
    ] {
        let s = data!(Subscription, &fixture(name));
        assert_eq!(s.object, "commerce_subscription", "{name}");
        assert_eq!(s.id, "csub_2g7np7Hrk0SN6kj5EDMLDaKNL0S", "{name}");
        assert_eq!(s.status, status, "{name}");
        assert_eq!(s.payer_id, s.payer.id, "{name}");
        assert_eq!(s.items.len(), 1, "{name}");
        // Within a subscription, items have no payer nor subscription id of their own.
        assert_eq!(
            (&s.items[0].payer, &s.items[0].subscription_id),
            (&None, &None)
        );
        let again: SubscriptionData =
            serde_json::from_value(serde_json::to_value(&s).unwrap()).unwrap();
        assert_eq!(again, s, "{name}");
    }
    let s = data!(Subscription, &fixture("subscription.created"));
    assert_eq!(
        (s.active_at, s.canceled_at, s.ended_at, s.past_due_at),
        (Some(1_716_883_200_000), None, None, None)
    );
    assert_eq!(
        s.latest_payment_id.as_deref(),
        Some("cpa_2g7np7Hrk0SN6kj5EDMLDaKNL0S")
    );
    assert_eq!(
        s.payment_source_id.as_deref(),
        Some("cps_2g7np7Hrk0SN6kj5EDMLDaKNL0S")
    );
    let payer = &s.payer;
    assert_eq!(payer.object.as_deref(), Some("commerce_payer"));
    assert_eq!(
        payer.user_id.as_deref(),
        Some("user_34D368EufHwugfYh4yyGNEheM0S")
    );
    assert_eq!(
        (payer.first_name.as_deref(), payer.last_name.as_deref()),
        (Some("Test"), Some("User"))
    );
    assert_eq!(payer.email, "test@example.com");
    // A user payer: the organization's fields are sent empty.
    assert_eq!(payer.organization_id.as_deref(), Some(""));
    assert_eq!(payer.created_at, Some(1_716_883_200_000));
    let item = &s.items[0];
    assert_eq!(item.object, "commerce_subscription_item");
    assert_eq!(item.status, CommerceSubscriptionItemStatus::Active);
    assert_eq!(item.interval, CommerceSubscriptionItemPlanPeriod::Month);
    assert_eq!(item.period_end, Some(1_719_561_600_000));
    assert_eq!(item.seats.as_ref().and_then(|s| s.quantity), Some(5));
    let plan = item.plan.as_ref().expect("plan");
    assert_eq!((plan.slug.as_str(), plan.amount), ("pro-plan", 2000));
    assert!(plan.is_recurring);
    let tier = &plan.unit_prices[0].tiers[0];
    assert_eq!(plan.unit_prices[0].name, "seats");
    assert_eq!(
        (
            tier.starts_at_block,
            tier.ends_after_block,
            tier.amount_per_block
        ),
        (1, Some(5), 0)
    );

    let s = data!(Subscription, &fixture("subscription.pastDue"));
    assert_eq!(s.items[0].status, CommerceSubscriptionItemStatus::PastDue);
}

#[test]
fn subscription_item_examples_decode_with_their_status() {
    use CommerceSubscriptionItemStatus as S;
    for (name, status, free_trial) in [
        ("subscriptionItem.abandoned", S::Abandoned, false),
        ("subscriptionItem.active", S::Active, false),
        ("subscriptionItem.canceled", S::Canceled, false),
        ("subscriptionItem.ended", S::Ended, false),
        ("subscriptionItem.freeTrialEnding", S::Active, true),
        ("subscriptionItem.incomplete", S::Incomplete, false),
        ("subscriptionItem.pastDue", S::PastDue, false),
        ("subscriptionItem.upcoming", S::Upcoming, false),
        ("subscriptionItem.updated", S::Active, false),
    ] {
        let i = data!(SubscriptionItem, &fixture(name));
        assert_eq!(i.id, "csub_item_2g7np7Hrk0SN6kj5EDMLDaKNL0S", "{name}");
        assert_eq!(i.object, "subscription_item", "{name}");
        assert_eq!(i.status, status, "{name}");
        assert_eq!(i.is_free_trial, free_trial, "{name}");
        assert_eq!(
            i.interval,
            CommerceSubscriptionItemPlanPeriod::Month,
            "{name}"
        );
        // Standalone, an item names its subscription and its payer.
        assert_eq!(
            i.subscription_id.as_deref(),
            Some("csub_2g7np7Hrk0SN6kj5EDMLDaKNL0S"),
            "{name}"
        );
        assert_eq!(
            i.payer.as_ref().map(|p| p.id.as_str()),
            Some("cpayer_2g7np7Hrk0SN6kj5EDMLDaKNL0S"),
            "{name}"
        );
        assert!(i.plan_id.is_some() && i.plan.is_some(), "{name}");
        let again: SubscriptionItemData =
            serde_json::from_value(serde_json::to_value(&i).unwrap()).unwrap();
        assert_eq!(again, i, "{name}");
    }
    // A free plan: no end to its period.
    let i = data!(SubscriptionItem, &fixture("subscriptionItem.active"));
    assert_eq!(i.period_end, None);
    assert_eq!(
        i.plan.map(|p| (p.slug, p.amount)),
        Some(("free-plan".into(), 0))
    );
    let i = data!(SubscriptionItem, &fixture("subscriptionItem.upcoming"));
    assert_eq!(i.period_end, Some(1_722_240_000_000));
}

#[test]
fn payment_attempt_examples_decode() {
    for (name, status, paid_at) in [
        (
            "paymentAttempt.created",
            BillingPaymentAttemptStatus::Pending,
            None,
        ),
        (
            "paymentAttempt.updated",
            BillingPaymentAttemptStatus::Paid,
            Some(1_716_883_500_000),
        ),
    ] {
        let p = data!(PaymentAttempt, &fixture(name));
        assert_eq!(p.id, "pa_2g7np7Hrk0SN6kj5EDMLDaKNL0S", "{name}");
        assert_eq!(p.status, status, "{name}");
        assert_eq!(p.paid_at, paid_at, "{name}");
        assert_eq!((&p.failed_at, &p.failed_reason), (&None, &None), "{name}");
        // Required by the schema, deprecated, and absent from both examples.
        assert_eq!(p.invoice_id, None, "{name}");
        assert_eq!(p.charge_type, BillingChargeType::Recurring, "{name}");
        let again: PaymentAttemptData =
            serde_json::from_value(serde_json::to_value(&p).unwrap()).unwrap();
        assert_eq!(again, p, "{name}");
    }
    let p = data!(PaymentAttempt, &fixture("paymentAttempt.created"));
    assert_eq!(p.statement_id, "stmt_2g7np7Hrk0SN6kj5EDMLDaKNL0S");
    assert_eq!(p.gateway_external_id, "pi_1A2B3C4D5E6F7G8H9I0J1K2L");
    assert_eq!(p.billing_date, 1_716_883_200_000);
    assert_eq!(
        (
            p.payee.gateway_type.as_str(),
            p.payee.gateway_status.as_str()
        ),
        ("stripe", "active")
    );
    // This example's payer leaves out the organization's fields and `object`.
    assert_eq!(p.payer.first_name.as_deref(), Some("John"));
    assert_eq!((&p.payer.organization_id, &p.payer.object), (&None, &None));
    let totals = &p.totals;
    assert_eq!(
        (
            totals.subtotal.amount,
            totals.tax_total.amount,
            totals.grand_total.amount
        ),
        (2000, 200, 2200)
    );
    assert_eq!(totals.grand_total.amount_formatted, "$22.00");
    assert!(totals.per_unit_totals.is_empty());
    let source = &p.payment_source;
    assert_eq!(source.payment_method, BillingPaymentMethod::Card);
    assert_eq!(source.status, CommercePaymentSourceResponseStatus::Active);
    assert_eq!(
        (source.card_type.as_deref(), source.last4.as_deref()),
        (Some("visa"), Some("4242"))
    );
    let item = &p.subscription_items[0];
    assert_eq!(item.status, CommerceSubscriptionItemStatus::Active);
    // The example's item: `plan_period` rather than the schema's `interval`.
    assert_eq!(
        (&item.interval, &item.plan_period),
        (&None, &Some(CommerceSubscriptionItemPlanPeriod::Month))
    );
    assert_eq!((item.object.as_deref(), item.created_at), (None, None));
    assert_eq!(
        (item.period_start, item.period_end),
        (1_716_883_200_000, 1_719_561_600_000)
    );
    let plan = item.plan.as_ref().expect("plan");
    assert_eq!((plan.name.as_str(), plan.amount), ("Pro Plan", 2000));
    let credits = item.credits.as_ref().expect("credits");
    assert_eq!(credits.total.amount, 500);
    assert_eq!(credits.proration.as_ref().unwrap().cycle_days_remaining, 15);
    assert_eq!(
        credits.payer.as_ref().unwrap().remaining_balance.amount,
        800
    );
    assert_eq!(item.credit.as_ref().unwrap().amount.amount, 500);
}

#[test]
fn a_failed_payment_keeps_its_reason() {
    let p = data!(
        PaymentAttempt,
        &edited("paymentAttempt.updated", |d| {
            d.insert("status".into(), json!("failed"));
            d.insert("paid_at".into(), Value::Null);
            d.insert("failed_at".into(), json!(1_716_883_600_000_i64));
            d.insert(
                "failed_reason".into(),
                json!({"code": "card_declined", "decline_code": "insufficient_funds"}),
            );
            d["totals"]["per_unit_totals"] = json!([
                {"name": "seats", "amount": 500, "quantity": null, "total": 0, "currency": "USD"}
            ]);
        })
    );
    assert_eq!(p.status, BillingPaymentAttemptStatus::Failed);
    assert_eq!((p.paid_at, p.failed_at), (None, Some(1_716_883_600_000)));
    let reason = p.failed_reason.expect("failed_reason");
    assert_eq!(
        (reason.code.as_str(), reason.decline_code.as_str()),
        ("card_declined", "insufficient_funds")
    );
    let unit = &p.totals.per_unit_totals[0];
    assert_eq!(
        (unit.name.as_deref(), unit.amount, unit.quantity),
        (Some("seats"), Some(500), None)
    );
}

#[test]
fn unknown_billing_values_are_kept() {
    let p = data!(
        PaymentAttempt,
        &edited("paymentAttempt.created", |d| {
            d.insert("status".into(), json!("refunded"));
            d.insert("charge_type".into(), json!("proration"));
            d["payment_source"]["payment_method"] = json!("sepa_debit");
            d["payment_source"]["status"] = json!("expired");
            d["subscription_items"][0]["status"] = json!("paused");
        })
    );
    assert_eq!(p.status.as_str(), "refunded");
    assert_eq!(p.charge_type.as_str(), "proration");
    assert_eq!(p.payment_source.payment_method.as_str(), "sepa_debit");
    assert_eq!(p.payment_source.status.as_str(), "expired");
    assert_eq!(p.subscription_items[0].status.as_str(), "paused");
    for value in [
        p.status.is_known(),
        p.charge_type.is_known(),
        p.payment_source.payment_method.is_known(),
        p.subscription_items[0].status.is_known(),
    ] {
        assert!(!value);
    }
    let s = data!(
        Subscription,
        &edited("subscription.created", |d| {
            d.insert("status".into(), json!("paused"));
            d["items"][0]["interval"] = json!("quarter");
        })
    );
    assert_eq!(s.status.as_str(), "paused");
    assert_eq!(s.items[0].interval.as_str(), "quarter");
}

/// Calls `f` with the JSON pointer of `value` and of every value inside it.
fn pointers(value: &Value, at: String, f: &mut impl FnMut(String)) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = k.replace('~', "~0").replace('/', "~1");
                pointers(v, format!("{at}/{key}"), f);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), f);
            }
        }
        _ => {}
    }
    f(at);
}

#[test]
fn any_value_anywhere_in_an_example_is_typed_or_a_payload_error() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    const MARKER: &str = "MARKER-9f3e";
    let all = fixtures();
    // Every value inside `data` of every example (its root included), as (example, pointer).
    let mut spots = Vec::new();
    for (i, (_, body)) in all.iter().enumerate() {
        let v: Value = serde_json::from_slice(body).unwrap();
        pointers(&v["data"], "/data".to_owned(), &mut |p| spots.push((i, p)));
    }
    assert!(spots.len() > 1000, "{}", spots.len());
    let replacement = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        Just(json!(u64::MAX)),
        Just(json!(1.5e300)),
        Just(json!(MARKER)),
        Just(json!([MARKER, 1])),
        Just(json!({ MARKER: MARKER })),
    ];
    // Both outcomes must occur, or the test proves nothing.
    let (typed, refused) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    let mut runner = TestRunner::new(Config {
        cases: 1000,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(
            &(0..spots.len(), replacement, any::<bool>()),
            |(spot, value, remove)| {
                let (i, pointer) = &spots[spot];
                let name = all[*i].0.as_str();
                let mut body: Value = serde_json::from_slice(&all[*i].1).unwrap();
                let (parent, last) = pointer.rsplit_once('/').unwrap();
                match body.pointer_mut(parent).unwrap() {
                    Value::Object(map) if remove && pointer != "/data" => {
                        map.remove(&last.replace("~1", "/").replace("~0", "~"));
                    }
                    _ => *body.pointer_mut(pointer).unwrap() = value,
                }
                match WebhookEvent::from_slice(&serde_json::to_vec(&body).unwrap()) {
                    Ok(event) => {
                        typed.set(typed.get() + 1);
                        prop_assert_eq!(event.kind.as_str(), name);
                        prop_assert_ne!(variant(&event.data), "Other", "{}", name);
                    }
                    Err(e) => {
                        refused.set(refused.get() + 1);
                        prop_assert_eq!(e.event_type(), Some(name));
                        prop_assert!(!e.to_string().contains(MARKER), "{}", e);
                    }
                }
                Ok(())
            },
        )
        .unwrap();
    assert!(
        typed.get() > 100 && refused.get() > 100,
        "{typed:?} {refused:?}"
    );
}
