//! List users: every user page by page, or only those with the given email addresses.
//!
//! ```sh
//! CLERK_SECRET_KEY=sk_test_... cargo run --example list_users
//! CLERK_SECRET_KEY=sk_test_... cargo run --example list_users -- ada@example.com grace@example.com
//! ```

use clerk_backend_api::{Clerk, Error};

fn main() -> Result<(), Error> {
    let clerk = Clerk::from_env()?;
    let emails: Vec<String> = std::env::args().skip(1).collect();

    // One page, by hand: `send` returns the users of that page.
    let first_page = clerk.users().list().limit(10).send()?;
    println!("first page: {} user(s)", first_page.len());

    // Every matching user: `paginate` fetches the next page when the iterator needs it,
    // by the `starting_after` cursor (the ordering is the default `-created_at`).
    let mut list = clerk.users().list().limit(100);
    if !emails.is_empty() {
        list = list.email_address(emails);
    }
    let mut count = 0;
    for user in list.paginate() {
        let user = user?;
        count += 1;
        println!(
            "{}  {} {}",
            user.id,
            user.first_name.as_deref().unwrap_or("-"),
            user.last_name.as_deref().unwrap_or("-")
        );
    }
    println!("{count} user(s) in all");
    Ok(())
}
