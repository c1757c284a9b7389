//! Decoding tests for the response models, against the JSON fixtures.

use std::str::FromStr;
use std::sync::{Mutex, Once};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use clerk_backend_api::models as m;
use clerk_backend_api::testing::fixtures::{
    DELETED_USER, ERROR_NOT_FOUND, ERROR_UNPROCESSABLE, ORGANIZATION, ORGANIZATION_WITH_LOGO, USER,
};

/// The `ClerkErrors` body shape; the envelope type itself lives elsewhere.
#[derive(Debug, PartialEq, Deserialize)]
struct ErrorBody {
    errors: Vec<m::ClerkError>,
    clerk_trace_id: Option<String>,
}

fn decode<T: DeserializeOwned>(text: &str) -> T {
    match serde_json::from_str(text) {
        Ok(value) => value,
        Err(err) => panic!("decode failed: {err}"),
    }
}

fn decode_value<T: DeserializeOwned>(value: Value) -> T {
    match serde_json::from_value(value) {
        Ok(value) => value,
        Err(err) => panic!("decode failed: {err}"),
    }
}

fn value_of(text: &str) -> Value {
    decode(text)
}

/// Serializes and decodes again; the result must equal the input.
fn assert_round_trip<T>(original: &T)
where
    T: serde::Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = serde_json::to_string(original).expect("serialize");
    let again: T = decode(&text);
    assert_eq!(&again, original);
}

// ---- capturing logger --------------------------------------------------------

struct Capture(Mutex<Vec<String>>);

static CAPTURE: Capture = Capture(Mutex::new(Vec::new()));
static INIT: Once = Once::new();

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let line = format!("{} {} {}", record.level(), record.target(), record.args());
        if let Ok(mut lines) = self.0.lock() {
            lines.push(line);
        }
    }

    fn flush(&self) {}
}

fn install_logger() {
    INIT.call_once(|| {
        log::set_logger(&CAPTURE).expect("set logger");
        log::set_max_level(log::LevelFilter::Debug);
    });
}

fn logged(needle_a: &str, needle_b: &str) -> bool {
    CAPTURE
        .0
        .lock()
        .map(|lines| {
            lines.iter().any(|l| {
                l.starts_with("DEBUG clerk_backend_api ")
                    && l.contains(needle_a)
                    && l.contains(needle_b)
            })
        })
        .unwrap_or(false)
}

// ---- fixtures decode ---------------------------------------------------------

#[test]
fn user_fixture_decodes_with_expected_values() {
    let user: m::User = decode(USER);
    assert_eq!(user.id, "user_2abc");
    assert_eq!(user.object, "user");
    assert_eq!(user.external_id.as_deref(), Some("ext-4821"));
    assert_eq!(
        user.primary_email_address_id.as_deref(),
        Some("idn_2email1")
    );
    assert_eq!(user.primary_web3_wallet_id, None);
    assert_eq!(user.username.as_deref(), Some("jdoe"));
    assert!(user.has_image);
    assert!(user.password_enabled);
    assert!(!user.two_factor_enabled);
    assert_eq!(user.created_at, 1_700_690_400_000);
    assert_eq!(user.last_active_at, Some(1_700_690_400_000));
    assert_eq!(user.mfa_enabled_at, None);
    assert_eq!(user.verification_attempts_remaining, Some(100));
    assert_eq!(user.public_metadata["role"], "admin");
    assert_eq!(user.private_metadata["internal_id"], 4821);
    assert_eq!(user.unsafe_metadata["theme"], "dark");
    assert_eq!(user.scim, None);

    assert_eq!(user.email_addresses.len(), 2);
    let first = &user.email_addresses[0];
    assert_eq!(first.email_address, "jane.doe@example.com");
    match &first.verification {
        Some(m::EmailAddressVerification::Otp(v)) => {
            assert_eq!(v.status, m::VerificationOtpStatus::Verified);
            assert_eq!(v.strategy, m::VerificationOtpStrategy::EmailCode);
            assert_eq!(v.attempts, Some(1));
            assert_eq!(v.object.as_deref(), Some("verification_otp"));
        }
        other => panic!("expected an OTP verification, got {other:?}"),
    }
    let second = &user.email_addresses[1];
    match &second.verification {
        Some(m::EmailAddressVerification::FromOauth(v)) => {
            assert_eq!(v.status, m::VerificationFromOauthStatus::Verified);
            assert_eq!(v.strategy, "from_oauth_google");
            assert_eq!(v.expire_at, None);
        }
        other => panic!("expected a from-OAuth verification, got {other:?}"),
    }
    assert_eq!(second.linked_to.len(), 1);
    assert_eq!(second.linked_to[0].kind, "oauth_google");
    assert_eq!(second.linked_to[0].id, "idn_2google1");

    assert_eq!(user.phone_numbers.len(), 1);
    let phone = &user.phone_numbers[0];
    assert_eq!(phone.phone_number, "+15555550100");
    assert!(phone.backup_codes.is_empty());
    match &phone.verification {
        Some(m::PhoneNumberVerification::Otp(v)) => {
            assert_eq!(v.strategy, m::VerificationOtpStrategy::PhoneCode);
            assert_eq!(v.channel.as_deref(), Some("sms"));
        }
        other => panic!("expected an OTP verification, got {other:?}"),
    }

    assert_eq!(user.web3_wallets.len(), 1);
    match &user.web3_wallets[0].verification {
        Some(m::Web3WalletVerification::Web3Signature(v)) => {
            assert_eq!(
                v.strategy,
                m::VerificationWeb3Strategy::Web3MetamaskSignature
            );
            assert_eq!(v.status, m::VerificationWeb3Status::Verified);
        }
        other => panic!("expected a web3 verification, got {other:?}"),
    }
    assert_eq!(user.passkeys.len(), 1);
    let passkey = &user.passkeys[0];
    assert_eq!(passkey.name, "MacBook Pro Touch ID");
    match &passkey.verification {
        Some(m::PasskeyVerification::Passkey(v)) => {
            assert_eq!(v.attempts, Some(1));
            assert_eq!(v.object.as_deref(), Some("verification_passkey"));
        }
        other => panic!("expected a passkey verification, got {other:?}"),
    }

    assert_eq!(user.external_accounts.len(), 2);
    assert_eq!(user.external_accounts[1].provider, "oauth_github");
    assert_eq!(
        user.external_accounts[1].username.as_deref(),
        Some("janedoe")
    );
    let google = &user.external_accounts[0];
    assert_eq!(
        google.object,
        m::ExternalAccountWithVerificationObject::ExternalAccount
    );
    assert_eq!(google.provider, "oauth_google");
    assert_eq!(google.approved_scopes, "email openid profile");
    match &google.verification {
        Some(m::ExternalAccountWithVerificationVerification::Oauth(v)) => {
            assert_eq!(v.status, m::VerificationOauthStatus::Verified);
            assert_eq!(v.strategy, "oauth_google");
            assert_eq!(v.error, None);
        }
        other => panic!("expected an OAuth verification, got {other:?}"),
    }
    assert!(user.saml_accounts.is_empty());
    assert!(user.enterprise_accounts.is_empty());

    assert_eq!(user.organization_memberships.len(), 1);
    let membership = &user.organization_memberships[0];
    assert_eq!(membership.role, "org:admin");
    assert_eq!(membership.permissions, ["org:sys_memberships:manage"]);
    assert_eq!(membership.organization.id, "org_2xyz");
    assert_eq!(membership.public_user_data, None);
}

#[test]
fn organization_fixtures_decode() {
    let org: m::Organization = decode(ORGANIZATION);
    assert_eq!(org.id, "org_2xyz");
    assert_eq!(org.slug, "acme-inc");
    assert!(!org.has_image);
    assert_eq!(org.max_allowed_memberships, 5);
    assert_eq!(org.members_count, None);
    assert_eq!(org.role_set_key, None);
    assert_eq!(org.created_by.as_deref(), Some("user_2abc"));
    assert_eq!(org.public_metadata["plan"], "pro");
    assert_eq!(org.private_metadata["stripe_customer_id"], "cus_Q1w2e3r4");

    let with_logo: m::OrganizationWithLogo = decode(ORGANIZATION_WITH_LOGO);
    assert_eq!(with_logo.id, "org_2xyz");
    assert!(with_logo.has_image);
    assert!(with_logo.image_url.starts_with("https://img.clerk.com/"));
    #[allow(deprecated)] // the spec still sends it
    let logo_url = with_logo.logo_url.as_deref();
    assert_eq!(logo_url, Some(with_logo.image_url.as_str()));
    assert_eq!(with_logo.name, org.name);
}

#[test]
fn deleted_user_fixture_decodes() {
    let deleted: m::DeletedObject = decode(DELETED_USER);
    assert_eq!(deleted.object, "user");
    assert_eq!(deleted.id.as_deref(), Some("user_2abc"));
    assert!(deleted.deleted);
    assert_eq!(deleted.slug, None);
    assert_eq!(deleted.external_id, None);
}

#[test]
fn error_fixtures_decode() {
    let not_found: ErrorBody = decode(ERROR_NOT_FOUND);
    assert_eq!(not_found.errors.len(), 1);
    assert_eq!(not_found.errors[0].code, "resource_not_found");
    assert_eq!(not_found.errors[0].message, "not found");
    assert_eq!(not_found.errors[0].long_message, "User not found");
    assert_eq!(not_found.errors[0].meta, Value::Null);
    assert!(not_found.clerk_trace_id.is_some());

    let taken: ErrorBody = decode(ERROR_UNPROCESSABLE);
    assert_eq!(taken.errors[0].code, "form_identifier_exists");
    assert_eq!(taken.errors[0].meta["param_name"], "email_address");
}

#[test]
fn fixtures_round_trip() {
    assert_round_trip(&decode::<m::User>(USER));
    assert_round_trip(&decode::<m::Organization>(ORGANIZATION));
    assert_round_trip(&decode::<m::OrganizationWithLogo>(ORGANIZATION_WITH_LOGO));
    assert_round_trip(&decode::<m::DeletedObject>(DELETED_USER));
    let error: ErrorBody = decode(ERROR_UNPROCESSABLE);
    assert_round_trip(&error.errors[0]);
}

#[test]
fn serialized_user_keeps_wire_names_and_tags() {
    let user: m::User = decode(USER);
    let out = serde_json::to_value(&user).expect("serialize");
    assert_eq!(
        out["email_addresses"][0]["verification"]["object"],
        "verification_otp"
    );
    assert_eq!(
        out["email_addresses"][0]["verification"]["status"],
        "verified"
    );
    assert_eq!(
        out["email_addresses"][1]["linked_to"][0]["type"],
        "oauth_google"
    );
    assert!(
        out["email_addresses"][1]["linked_to"][0]
            .get("kind")
            .is_none()
    );
    assert_eq!(out["external_accounts"][0]["object"], "external_account");
}

// ---- open enums and unions ----------------------------------------------------

#[test]
fn unknown_enum_value_decodes_to_unknown_and_is_logged() {
    install_logger();
    let mut value = value_of(USER);
    value["email_addresses"][0]["verification"]["status"] = json!("brand_new");
    let user: m::User = decode_value(value);
    let status = match &user.email_addresses[0].verification {
        Some(m::EmailAddressVerification::Otp(v)) => v.status.clone(),
        other => panic!("expected an OTP verification, got {other:?}"),
    };
    assert!(matches!(status, m::VerificationOtpStatus::Unknown(_)));
    assert_eq!(status.as_str(), "brand_new");
    assert_eq!(status.to_string(), "brand_new");
    if let m::VerificationOtpStatus::Unknown(raw) = &status {
        assert_eq!(raw.as_str(), "brand_new");
    }
    assert_eq!(
        serde_json::to_value(&status).expect("serialize"),
        "brand_new"
    );
    assert_round_trip(&user);
    assert!(logged("VerificationOtpStatus", "brand_new"));
}

#[test]
fn unknown_union_tag_decodes_to_raw_json_and_is_logged() {
    install_logger();
    let future = json!({"object": "verification_future", "status": "verified", "level": 3});
    let mut value = value_of(USER);
    value["email_addresses"][0]["verification"] = future.clone();
    let user: m::User = decode_value(value);
    match &user.email_addresses[0].verification {
        Some(v @ m::EmailAddressVerification::Unknown(raw)) => {
            assert_eq!(raw, &future);
            assert_eq!(v.object(), Some("verification_future"));
        }
        other => panic!("expected Unknown, got {other:?}"),
    }
    assert_round_trip(&user);
    assert!(logged("EmailAddressVerification", "verification_future"));
}

#[test]
fn union_without_object_string_decodes_to_raw_json() {
    for raw in [
        json!({"status": "verified", "strategy": "carrier_pigeon", "attempts": 1, "expire_at": 1}),
        json!({"status": "verified", "attempts": 1, "expire_at": 1}),
        json!({"object": 42, "status": "verified", "strategy": "email_code"}),
    ] {
        let v: m::PhoneNumberVerification = decode_value(raw.clone());
        assert_eq!(v, m::PhoneNumberVerification::Unknown(raw.clone()));
        assert_eq!(v.object(), None);
        assert_eq!(serde_json::to_value(&v).expect("serialize"), raw);
    }
}

#[test]
fn known_union_tag_with_bad_body_is_an_error() {
    let raw = json!({"object": "verification_otp", "status": 5, "strategy": "email_code",
                     "attempts": 1, "expire_at": 1});
    let err = serde_json::from_value::<m::EmailAddressVerification>(raw)
        .expect_err("a known tag with a bad body must fail");
    let text = err.to_string();
    assert!(text.contains("EmailAddressVerification"), "{text}");
    assert!(text.contains("verification_otp"), "{text}");
}

#[test]
fn known_union_tag_decodes_to_its_variant() {
    let v: m::SamlAccountVerification = decode_value(json!({
        "object": "verification_saml", "status": "transferable", "strategy": "saml",
        "attempts": null, "error": {"message": "m", "long_message": "lm", "code": "c"}
    }));
    match &v {
        m::SamlAccountVerification::Saml(saml) => {
            assert_eq!(saml.status, m::VerificationSamlStatus::Transferable);
            assert_eq!(saml.expire_at, None);
            assert_eq!(saml.error.as_ref().map(|e| e.code.as_str()), Some("c"));
        }
        other => panic!("expected Saml, got {other:?}"),
    }
    assert_eq!(v.object(), Some("verification_saml"));
}

#[test]
fn null_or_absent_verification_is_none() {
    let mut value = value_of(USER);
    value["email_addresses"][0]["verification"] = Value::Null;
    value["phone_numbers"][0]
        .as_object_mut()
        .expect("object")
        .remove("verification");
    let user: m::User = decode_value(value);
    assert_eq!(user.email_addresses[0].verification, None);
    assert_eq!(user.phone_numbers[0].verification, None);
}

#[test]
fn enum_display_from_str_as_str_and_serde_agree() {
    fn check<T>(wire: &str, known: bool)
    where
        T: FromStr<Err = std::convert::Infallible>
            + std::fmt::Display
            + std::fmt::Debug
            + PartialEq
            + serde::Serialize
            + DeserializeOwned
            + for<'a> From<&'a str>
            + From<String>,
    {
        let Ok(parsed) = T::from_str(wire);
        assert_eq!(T::from(wire), parsed);
        assert_eq!(T::from(wire.to_owned()), parsed);
        assert_eq!(parsed.to_string(), wire);
        assert_eq!(serde_json::to_value(&parsed).expect("serialize"), wire);
        let decoded: T = decode_value(json!(wire));
        assert_eq!(decoded, parsed);
        assert_eq!(
            !format!("{parsed:?}").starts_with("Unknown"),
            known,
            "{wire}"
        );
    }
    for wire in ["unverified", "verified", "failed", "expired"] {
        check::<m::VerificationOtpStatus>(wire, true);
        check::<m::VerificationWeb3Status>(wire, true);
    }
    for wire in ["phone_code", "email_code", "reset_password_email_code"] {
        check::<m::VerificationOtpStrategy>(wire, true);
    }
    check::<m::VerificationOauthStatus>("transferable", true);
    check::<m::VerificationTicketStatus>("failed", false);
    check::<m::VerificationWeb3Strategy>("web3_solana_signature", true);
    check::<m::EnterpriseAccountProtocol>("saml", true);
    check::<m::EnterpriseAccountProtocol>("oidc", false);
    check::<m::ExternalAccountWithVerificationObject>("google_account", true);
    check::<m::VerificationOtpStatus>("brand_new", false);
    check::<m::VerificationOtpStatus>("", false);

    assert_eq!(
        m::VerificationOtpStatus::from_str("verified"),
        Ok(m::VerificationOtpStatus::Verified)
    );
    assert_eq!(m::VerificationEmailLinkStatus::Expired.as_str(), "expired");
    assert_eq!(
        m::VerificationGoogleOneTapStatus::Unverified.to_string(),
        "unverified"
    );
}

#[test]
fn enum_decode_rejects_non_strings() {
    assert!(serde_json::from_value::<m::VerificationOtpStatus>(json!(5)).is_err());
    assert!(serde_json::from_value::<m::VerificationOtpStatus>(json!(["verified"])).is_err());
}

// ---- nulls, absences, extras ----------------------------------------------------

#[test]
fn null_for_required_scalars_decodes_to_default() {
    let mut value = value_of(ORGANIZATION_WITH_LOGO);
    value["has_image"] = Value::Null;
    value["image_url"] = Value::Null;
    value["max_allowed_memberships"] = Value::Null;
    let org: m::OrganizationWithLogo = decode_value(value);
    assert!(!org.has_image);
    assert_eq!(org.image_url, "");
    assert_eq!(org.max_allowed_memberships, 0);
    assert_eq!(org.id, "org_2xyz");

    let mut value = value_of(USER);
    value["has_image"] = Value::Null;
    value["email_addresses"][0]["verification"]["status"] = Value::Null;
    let user: m::User = decode_value(value);
    assert!(!user.has_image);
    match &user.email_addresses[0].verification {
        Some(m::EmailAddressVerification::Otp(v)) => assert_eq!(v.status.as_str(), ""),
        other => panic!("expected an OTP verification, got {other:?}"),
    }
}

#[test]
fn null_for_a_required_object_without_default_decodes_field_by_field() {
    // `BillingSubscriptionItem` and `CommercePriceTransitionDetails` hold required string
    // enums, so they have no `Default`; a `null` in their place still decodes, every field
    // from its own null value (an enum as `Unknown("")`).
    let r: m::CommercePriceTransitionResponse = decode(
        r#"{"object": "commerce_price_transition", "subscription_item": null, "transition": null}"#,
    );
    assert_eq!(r.subscription_item.id, "");
    assert_eq!(r.subscription_item.status.as_str(), "");
    assert!(!r.subscription_item.status.is_known());
    assert_eq!(r.transition.effective_mode.as_str(), "");
    assert_eq!(r.transition.previous_plan.id, "");
    assert_eq!(r.transition.next_billing_date, None);
}

#[test]
fn missing_required_field_is_an_error() {
    let mut value = value_of(ORGANIZATION);
    value.as_object_mut().expect("object").remove("has_image");
    assert!(serde_json::from_value::<m::Organization>(value).is_err());

    let mut value = value_of(USER);
    value.as_object_mut().expect("object").remove("created_at");
    assert!(serde_json::from_value::<m::User>(value).is_err());

    let mut value = value_of(USER);
    value["organization_memberships"][0]
        .as_object_mut()
        .expect("object")
        .remove("organization");
    assert!(serde_json::from_value::<m::User>(value).is_err());
}

#[test]
fn null_and_absent_arrays_decode_as_empty() {
    let mut value = value_of(USER);
    value["email_addresses"] = Value::Null;
    value["passkeys"] = Value::Null;
    value["organization_memberships"][0]["permissions"] = Value::Null;
    value["phone_numbers"][0]["linked_to"] = Value::Null;
    value
        .as_object_mut()
        .expect("object")
        .remove("saml_accounts");
    let user: m::User = decode_value(value);
    assert!(user.email_addresses.is_empty());
    assert!(user.passkeys.is_empty());
    assert!(user.saml_accounts.is_empty());
    assert!(user.organization_memberships[0].permissions.is_empty());
    assert!(user.phone_numbers[0].linked_to.is_empty());
    assert_eq!(user.phone_numbers.len(), 1);
}

#[test]
fn unknown_fields_are_ignored() {
    let original: m::User = decode(USER);
    let mut value = value_of(USER);
    value["brand_new_field"] = json!({"nested": [1, 2, 3]});
    value["email_addresses"][0]["verification"]["brand_new_field"] = json!(true);
    value["organization_memberships"][0]["organization"]["brand_new_field"] = json!("x");
    let user: m::User = decode_value(value);
    assert_eq!(user, original);
    let out = serde_json::to_value(&user).expect("serialize");
    assert!(out.get("brand_new_field").is_none());
}

/// The generated `Deserialize` impls: what `#[derive(Deserialize)]` did, minus arrays.
#[test]
fn generated_decoders_name_missing_repeated_and_wrongly_shaped_input() {
    let err = |text: &str| {
        serde_json::from_str::<m::Organization>(text)
            .expect_err(text)
            .to_string()
    };
    let org = ORGANIZATION.trim();
    // A repeated key: the second value is not silently taken.
    let repeated = format!("{},\"name\":\"again\"}}", &org[..org.len() - 1]);
    assert!(
        err(&repeated).starts_with("duplicate field `name`"),
        "{}",
        err(&repeated)
    );
    // The first missing required field is named.
    let mut value = value_of(ORGANIZATION);
    value.as_object_mut().expect("object").remove("slug");
    let missing = serde_json::from_value::<m::Organization>(value).expect_err("no slug");
    assert_eq!(missing.to_string(), "missing field `slug`");
    // Only an object is a struct: an array, a string or a number is a typed error.
    for text in ["[]", "[\"org_1\"]", "\"org_1\"", "7", "null"] {
        assert!(
            err(text).contains("expected struct Organization"),
            "{text}: {}",
            err(text)
        );
    }
    // A key written with escapes is the same key.
    let escaped = org.replacen("\"slug\"", "\"sl\\u0075g\"", 1);
    assert_ne!(escaped, org);
    assert_eq!(
        decode::<m::Organization>(&escaped),
        decode::<m::Organization>(org)
    );
    // A wrongly typed value names what was expected.
    let mut value = value_of(ORGANIZATION);
    value["members_count"] = json!("three");
    let wrong = serde_json::from_value::<m::Organization>(value).expect_err("string count");
    assert!(
        wrong.to_string().contains("invalid type: string"),
        "{wrong}"
    );
}

// ---- Debug redaction -------------------------------------------------------------

#[test]
fn phone_number_debug_redacts_backup_codes() {
    let mut value = value_of(USER)["phone_numbers"][0].clone();
    value["backup_codes"] = json!(["73hf82kd", "q9zx41mm"]);
    let phone: m::PhoneNumber = decode_value(value);
    assert_eq!(phone.backup_codes.len(), 2);
    let debug = format!("{phone:?}");
    assert!(!debug.contains("73hf82kd"), "{debug}");
    assert!(!debug.contains("q9zx41mm"), "{debug}");
    assert!(debug.contains("backup_codes: <redacted>"), "{debug}");
    assert!(debug.contains("+15555550100"), "{debug}");
    assert!(debug.contains("PhoneNumber"), "{debug}");

    let user: m::User = decode(USER);
    let debug = format!("{:?}", user.phone_numbers[0]);
    assert!(debug.contains("backup_codes: []"), "{debug}");
    assert!(!debug.contains("<redacted>"), "{debug}");
}

// ---- derives ------------------------------------------------------------------

#[test]
fn value_free_types_are_eq_and_hash() {
    fn eq_hash<T: Eq + std::hash::Hash>() {}
    eq_hash::<m::IdentificationLink>();
    eq_hash::<m::DeletedObject>();
    eq_hash::<m::VerificationOtp>();
    eq_hash::<m::VerificationWeb3>();
    eq_hash::<m::SamlAccountConnection>();
    eq_hash::<m::EnterpriseAccountConnection>();
    eq_hash::<m::ScimUserMetadata>();
    eq_hash::<m::OrganizationMembershipPublicUserData>();
    eq_hash::<m::VerificationOtpStatus>();
    eq_hash::<m::UnknownValue>();

    let a = m::VerificationOtpStatus::Unverified;
    let b = m::VerificationOtpStatus::Verified;
    assert!(a < b);
}

#[test]
fn union_decodes_alike_wherever_the_tag_stands() {
    // `object` first takes the streaming path, anywhere else the buffered one; both must agree.
    let texts = |tag: &str, status: &str| {
        [
            format!(
                r#"{{"object":{tag},"status":{status},"strategy":"email_code","attempts":1,"expire_at":2}}"#
            ),
            format!(
                r#"{{"status":{status},"object":{tag},"strategy":"email_code","attempts":1,"expire_at":2}}"#
            ),
            format!(
                r#"{{"status":{status},"strategy":"email_code","attempts":1,"expire_at":2,"object":{tag}}}"#
            ),
        ]
    };
    for text in texts(r#""verification_otp""#, r#""verified""#) {
        let v: m::EmailAddressVerification = decode(&text);
        match &v {
            m::EmailAddressVerification::Otp(otp) => {
                assert_eq!(otp.object.as_deref(), Some("verification_otp"), "{text}");
                assert_eq!(otp.status, m::VerificationOtpStatus::Verified, "{text}");
                assert_eq!(otp.attempts, Some(1), "{text}");
            }
            other => panic!("{text}: expected Otp, got {other:?}"),
        }
    }
    for text in texts(r#""verification_new""#, r#""verified""#)
        .into_iter()
        .chain(texts("7", r#""verified""#))
    {
        let v: m::EmailAddressVerification = decode(&text);
        assert_eq!(
            v,
            m::EmailAddressVerification::Unknown(value_of(&text)),
            "{text}"
        );
    }
    for text in texts(r#""verification_otp""#, "5") {
        let err = serde_json::from_str::<m::EmailAddressVerification>(&text).expect_err(&text);
        assert!(
            err.to_string().contains("verification_otp"),
            "{text}: {err}"
        );
    }
    for text in ["{}", "[1]", r#""otp""#, "3"] {
        let v: m::EmailAddressVerification = decode(text);
        assert_eq!(
            v,
            m::EmailAddressVerification::Unknown(value_of(text)),
            "{text}"
        );
    }
}

#[test]
fn a_repeated_key_in_a_union_is_an_error_wherever_the_tag_stands() {
    for text in [
        r#"{"object":"verification_new","status":"verified","object":"verification_otp"}"#,
        r#"{"status":"verified","object":"verification_otp","object":"verification_new"}"#,
        r#"{"object":"verification_otp","status":"verified","strategy":"email_code","attempts":1,"expire_at":2,"status":"failed"}"#,
        r#"{"status":"verified","object":"verification_otp","status":"failed"}"#,
    ] {
        let err = serde_json::from_str::<m::EmailAddressVerification>(text).expect_err(text);
        assert!(err.to_string().contains("duplicate field"), "{text}: {err}");
    }
}

#[test]
fn a_union_without_object_is_recognised_by_its_strategy() {
    // As in the spec's own webhook examples: no `object` in the verification.
    let otp =
        json!({"status": "verified", "strategy": "email_code", "attempts": 1, "expire_at": null});
    let v: m::EmailAddressVerification = decode(&otp.to_string());
    match &v {
        m::EmailAddressVerification::Otp(o) => {
            assert_eq!(o.strategy, m::VerificationOtpStrategy::EmailCode);
            assert_eq!(o.object, None, "the input had no tag");
        }
        other => panic!("expected Otp, got {other:?}"),
    }
    let admin: m::PhoneNumberVerification =
        decode(r#"{"status":"verified","strategy":"admin","attempts":null,"expire_at":null}"#);
    assert!(
        matches!(admin, m::PhoneNumberVerification::Admin(_)),
        "{admin:?}"
    );
    let web3: m::Web3WalletVerification = decode(
        r#"{"status":"verified","strategy":"web3_metamask_signature","attempts":1,"expire_at":1}"#,
    );
    assert!(
        matches!(web3, m::Web3WalletVerification::Web3Signature(_)),
        "{web3:?}"
    );
    let oauth: m::ExternalAccountWithVerificationVerification =
        decode(r#"{"status":"verified","strategy":"oauth_google","attempts":null,"expire_at":1}"#);
    assert!(
        matches!(
            oauth,
            m::ExternalAccountWithVerificationVerification::Oauth(_)
        ),
        "{oauth:?}"
    );
    // A guess that does not fit stays raw JSON instead of failing the whole response.
    let odd = json!({"status": 5, "strategy": "email_code", "attempts": 1, "expire_at": 1});
    let v: m::EmailAddressVerification = decode(&odd.to_string());
    assert_eq!(v, m::EmailAddressVerification::Unknown(odd));
}
