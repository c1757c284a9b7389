//! One `GET /users/{id}` and one 100-user page with plain `ureq` 3 and `serde_json::Value`:
//! the floor a user could write by hand. The agent has the timeouts and the redirect rule of
//! the SDK's own agent, so both pay the same transport. Prints `first <id>` once the first
//! answer is parsed, then `page <n>`; `footprint/README.md` says how it is measured.

use std::io::Write;
use std::time::Duration;

use serde_json::Value;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = std::env::var("CLERK_API_URL")?;
    let key = std::env::var("CLERK_SECRET_KEY")?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(true)
        .timeout_connect(Some(Duration::from_secs(10)))
        .timeout_global(Some(Duration::from_secs(60)))
        .max_redirects(0)
        .build()
        .new_agent();
    let auth = format!("Bearer {key}");
    let get = |url: String| -> Result<Value, ureq::Error> {
        agent
            .get(url)
            .header("authorization", &auth)
            .header("clerk-api-version", "2026-05-12")
            .header("accept", "application/json")
            .call()?
            .body_mut()
            .read_json::<Value>()
    };

    let user = get(format!("{base}/users/user_2abc"))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "first {}", user["id"].as_str().unwrap_or_default())?;
    out.flush()?;

    let page = get(format!("{base}/users?limit=100"))?;
    let n = page.as_array().map_or(0, Vec::len);
    writeln!(out, "page {n}")?;
    Ok(())
}
