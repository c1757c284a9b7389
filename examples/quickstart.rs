//! Create a user, read it back, list users, delete the user.
//!
//! With `CLERK_SECRET_KEY` set this talks to Clerk (use a development instance: it creates
//! and deletes a real user). Without it, it starts the crate's loopback `MockServer`, says so,
//! and runs the same calls against it.
//!
//! ```sh
//! cargo run --example quickstart
//! ```

use clerk_backend_api::testing::{MockServer, Reply, fixtures};
use clerk_backend_api::{Clerk, Error};

fn main() -> Result<(), Error> {
    run(std::env::var("CLERK_SECRET_KEY").ok()).map(drop)
}

/// The whole walk-through. Without a key it returns the mock it ran against, so that
/// `tests/quickstart.rs` can check what was sent.
pub fn run(secret_key: Option<String>) -> Result<Option<MockServer>, Error> {
    let (clerk, mock) = match secret_key {
        Some(_) => (Clerk::from_env()?, None),
        None => {
            let mock = start_mock();
            println!(
                "CLERK_SECRET_KEY is not set: running against a local MockServer (canned replies) at {}",
                mock.url()
            );
            let clerk = Clerk::builder("sk_test_quickstart")
                .server_url(mock.url())
                .build()?;
            (clerk, Some(mock))
        }
    };

    let email = format!("quickstart+{}@example.com", std::process::id());
    let created = clerk
        .users()
        .create()
        .email_address([email.as_str()])
        .first_name("Ada")
        .last_name("Lovelace")
        .skip_password_requirement(true)
        .send()?;
    println!(
        "created  {} ({:?} {:?})",
        created.id, created.first_name, created.last_name
    );

    let user = clerk.users().get(&created.id).send()?;
    let primary = user
        .email_addresses
        .iter()
        .find(|e| e.id.is_some() && e.id == user.primary_email_address_id)
        .map(|e| e.email_address.as_str());
    println!("fetched  {} primary email {:?}", user.id, primary);

    let first_page = clerk.users().list().limit(5).send()?;
    println!("listed   {} user(s) on the first page", first_page.len());
    for u in clerk.users().list().limit(2).paginate().take(4) {
        println!("  - {}", u?.id);
    }

    let deleted = clerk.users().delete(&created.id).send()?;
    println!("deleted  {:?} (deleted: {})", deleted.id, deleted.deleted);
    Ok(mock)
}

fn start_mock() -> MockServer {
    let mock = MockServer::start();
    mock.on("POST", "/users")
        .reply(Reply::json(200, fixtures::USER));
    mock.on("GET", "/users/user_2abc")
        .reply(Reply::json(200, fixtures::USER));
    mock.on("GET", "/users").reply(Reply::json(
        200,
        fixtures::users_page(&["user_2abc", "user_2def", "user_2ghi"]),
    ));
    mock.on("GET", "/users")
        .query("limit", "2")
        .reply(Reply::json(
            200,
            fixtures::users_page(&["user_2abc", "user_2def"]),
        ));
    mock.on("GET", "/users")
        .query("limit", "2")
        .query("starting_after", "user_2def")
        .reply(Reply::json(200, fixtures::users_page(&["user_2ghi"])));
    mock.on("DELETE", "/users/user_2abc")
        .reply(Reply::json(200, fixtures::DELETED_USER));
    mock
}
