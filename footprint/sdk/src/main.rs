//! The program of `footprint/floor`, through the SDK: one `users().get(..)` and one
//! `users().list().limit(100)`. Prints `first <id>` once the first answer is parsed, then
//! `page <n>`; `footprint/README.md` says how it is measured.

use std::io::Write;

use clerk_backend_api::Clerk;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let clerk = Clerk::from_env()?; // CLERK_SECRET_KEY and CLERK_API_URL

    let user = clerk.users().get("user_2abc").send()?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "first {}", user.id)?;
    out.flush()?;

    let page = clerk.users().list().limit(100).send()?;
    writeln!(out, "page {}", page.len())?;
    Ok(())
}
