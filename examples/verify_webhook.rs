//! Verify a Clerk webhook delivery and read its typed event.
//!
//! ```sh
//! cargo run --example verify_webhook --features webhooks            # offline demo
//! CLERK_WEBHOOK_SIGNING_SECRET=whsec_... cargo run --example verify_webhook --features webhooks -- \
//!   body.json <svix-id> <svix-timestamp> "<svix-signature>"         # a real delivery
//! ```
//!
//! Without arguments it needs no account and no network: it signs the `user.created` example
//! of Clerk's webhook spec with a made-up test secret, the way Svix does, then verifies it as
//! a handler would, and shows that a changed body is refused.

use std::error::Error;
use std::time::{SystemTime, UNIX_EPOCH};

use clerk_backend_api::webhooks::{EventData, Webhook, WebhookError, WebhookEvent};

/// A made-up signing secret for the demo (base64 of "not-a-real-signing-secret").
const TEST_SECRET: &str = "whsec_bm90LWEtcmVhbC1zaWduaW5nLXNlY3JldA==";
const SAMPLE: &[u8] = include_bytes!("data/user.created.json");

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [file, id, timestamp, signature] => verify_real(file, id, timestamp, signature),
        [] => demo().map(drop),
        _ => Err(
            "expected no arguments, or: <body file> <svix-id> <svix-timestamp> <svix-signature>"
                .into(),
        ),
    }
}

fn verify_real(
    file: &str,
    id: &str,
    timestamp: &str,
    signature: &str,
) -> Result<(), Box<dyn Error>> {
    let secret = std::env::var("CLERK_WEBHOOK_SIGNING_SECRET")?;
    let webhook = Webhook::new(&secret)?;
    let body = std::fs::read(file)?;
    webhook.verify_signature(id, timestamp, signature, &body)?;
    describe(&WebhookEvent::from_slice(&body)?);
    Ok(())
}

/// The offline walk-through. Returns the event and the error for the changed body, so that
/// `tests/webhooks.rs` can check them.
pub fn demo() -> Result<(WebhookEvent, WebhookError), Box<dyn Error>> {
    println!("no delivery given: signing the spec's user.created example with a test secret");
    // Once, at startup.
    let webhook = Webhook::new(TEST_SECRET)?;

    // What Svix sends: three headers and the raw body.
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() as i64;
    let mut headers = http::HeaderMap::new();
    headers.insert("svix-id", "msg_2abcSAMPLE".parse()?);
    headers.insert("svix-timestamp", now.to_string().parse()?);
    headers.insert(
        "svix-signature",
        webhook.sign("msg_2abcSAMPLE", now, SAMPLE).parse()?,
    );

    // In the handler: verify the raw bytes, before any JSON parsing of your own.
    let event = webhook.verify(&headers, SAMPLE)?;
    describe(&event);

    let mut changed = SAMPLE.to_vec();
    let at = changed
        .iter()
        .position(|&b| b == b'J')
        .ok_or("no J in the sample")?;
    changed[at] = b'X'; // "John" becomes "Xohn"
    let refused = match webhook.verify(&headers, &changed) {
        Err(e) => e,
        Ok(_) => return Err("a changed body was accepted".into()),
    };
    println!("changed:  refused: {refused}");
    Ok((event, refused))
}

fn describe(event: &WebhookEvent) {
    println!("event:    {} from {}", event.kind, event.instance_id);
    match &event.data {
        EventData::User(user) => println!(
            "user:     {} {:?} {:?}",
            user.id, user.first_name, user.last_name
        ),
        EventData::Deleted(deleted) => println!("deleted:  {} {:?}", deleted.object, deleted.id),
        EventData::Session(s) => println!("session:  {} of {}", s.session.id, s.session.user_id),
        EventData::Other(data) => println!("data:     {} bytes of JSON", data.to_string().len()),
        _ => println!("data:     (see EventData)"),
    }
}
