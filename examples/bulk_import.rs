//! Import users from a CSV file into Clerk, as Clerk's migration guides describe: worker
//! threads under the client's rate limit, a progress bar with rate and ETA, users that already
//! exist skipped, failures written to a CSV file.
//!
//! ```sh
//! # A generated demo file, against a local MockServer (no key needed):
//! cargo run --example bulk_import
//! # Your file, against the MockServer:
//! cargo run --example bulk_import -- users.csv
//! # Your file, against Clerk (start with a development instance):
//! CLERK_SECRET_KEY=sk_test_... cargo run --example bulk_import -- users.csv --workers 4
//! ```
//!
//! Options: `--workers N` (default 8), `--failures PATH` (default `bulk_import_failures.csv`),
//! `--rate N` (requests per 10 seconds; default Clerk's limit for the key: 1000 for `sk_live_`
//! keys, 100 otherwise), `--demo-users N` (rows of the generated demo file, default 1000).
//! `CLERK_API_URL` overrides the server, as for `Clerk::from_env`.
//!
//! # The input
//!
//! A header row, then one user per row; columns in any order, others ignored:
//!
//! | column | required | sent as |
//! |---|---|---|
//! | `external_id` (or `userId`) | yes, unique in the file | `external_id` |
//! | `email` (or `email_address`) | no | `email_address` |
//! | `first_name` (or `firstName`) | no | `first_name` |
//! | `last_name` (or `lastName`) | no | `last_name` |
//! | `password_digest` (or `password`) | no | `password_digest` |
//! | `password_hasher` (or `passwordHasher`) | with a digest | `password_hasher` (`bcrypt`, `argon2id`, ...) |
//!
//! A row without a password digest is created with `skip_password_requirement`, as Clerk's
//! migration script does. A row with an empty `external_id`, a row that repeats an earlier
//! row's `external_id`, and a row the CSV reader cannot read are not sent; they are failures.
//!
//! # Reruns, and why nothing is created twice
//!
//! The external id is the import's key. Rows are taken in batches of 100; a worker first
//! lists the users of its batch's external ids (`users().list().external_id([...])`), then
//! creates only the ones Clerk does not have. So after a crash, a kill or a failed run, running
//! the same file again skips every user that was created and creates the rest. If the lookup
//! of a batch fails, no user of that batch is created (they are reported; rerun).
//!
//! A create that fails after the request may have reached Clerk (a `5xx`, a timeout, a broken
//! connection) may still have created the user. The client never repeats such a write, and
//! neither does this script: at the end of the run it looks those users up again. Found: the
//! user was created and is counted as such ("confirmed"). Not found: it is a failure with
//! outcome `unknown`, and a rerun creates it only if the lookup still does not find it. One
//! window remains: a request still in flight at Clerk when the script died could land after
//! the rerun's lookup; wait for the client's timeout (30 s by default) before rerunning. Clerk
//! also refuses a second user with the same email address (`form_identifier_exists`).
//!
//! # The failures file
//!
//! Rewritten by every run, header included even when empty: `row` (the line of the input file
//! where the row starts; the header is line 1), `external_id`, `status` (Clerk's HTTP status,
//! empty when there was none), `code` (Clerk's error code, or the script's own:
//! `missing_external_id`, `duplicate_external_id`, `invalid_row`, `timeout`, `transport`,
//! `decode`, `invalid_request`), `outcome` (`not_created`: Clerk said no, or nothing was sent;
//! `unknown`: see above) and `message`. The exit code is 0 when there are no failures, 1
//! when there are, 2 when the import could not run.
//!
//! # Rate limit and progress
//!
//! Every worker shares one client, so one token bucket: the workers together never exceed the
//! limit, retries included, and a `429` with `Retry-After` pauses all of them. The bucket's
//! burst is a tenth of the limit, to leave the server's window some headroom. The progress
//! bar (rows done, created, skipped, failed, rate, ETA) is drawn on standard error when it is
//! a terminal; otherwise a plain line is printed every tenth of the way.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::thread;
use std::time::Duration;

use clerk_backend_api::testing::{MockServer, RecordedRequest, Reply, fixtures};
use clerk_backend_api::{Clerk, Error, RateLimit};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The most external ids one lookup asks for (Clerk accepts up to 100).
pub const BATCH: usize = 100;

fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) if message == "help" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("bulk_import: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args, std::env::var("CLERK_SECRET_KEY").ok()) {
        Ok((report, _mock)) if report.failures.is_empty() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(message) => {
            eprintln!("bulk_import: {message}");
            ExitCode::from(2)
        }
    }
}

const USAGE: &str = "usage: bulk_import [USERS.csv] [--workers N] [--failures PATH] [--rate N_PER_10S] [--demo-users N]";

/// The command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    /// The users file; `None`: a generated demo file (only without a key).
    pub input: Option<PathBuf>,
    /// Where the failures go.
    pub failures: PathBuf,
    /// Worker threads.
    pub workers: usize,
    /// Requests per 10 seconds; `None`: Clerk's limit for the key.
    pub rate: Option<u32>,
    /// Rows of the generated demo file.
    pub demo_users: usize,
}

impl Default for Args {
    fn default() -> Self {
        Args {
            input: None,
            failures: PathBuf::from("bulk_import_failures.csv"),
            workers: 8,
            rate: None,
            demo_users: 1000,
        }
    }
}

impl Args {
    /// Parses the arguments after the program name.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
        let mut parsed = Args::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
            let number = |name: &str, v: String| {
                v.parse::<usize>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("{name} needs a positive number, not {v:?}"))
            };
            match arg.as_str() {
                "--workers" => parsed.workers = number("--workers", value("--workers")?)?,
                "--failures" => parsed.failures = PathBuf::from(value("--failures")?),
                "--rate" => {
                    let n = number("--rate", value("--rate")?)?;
                    parsed.rate = Some(u32::try_from(n).unwrap_or(u32::MAX));
                }
                "--demo-users" => {
                    parsed.demo_users = number("--demo-users", value("--demo-users")?)?
                }
                "-h" | "--help" => return Err("help".to_owned()),
                flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
                path if parsed.input.is_none() => parsed.input = Some(PathBuf::from(path)),
                extra => return Err(format!("one input file only, not also {extra:?}")),
            }
        }
        Ok(parsed)
    }
}

/// The whole import. Without a key it runs against a local stand-in for Clerk's user
/// endpoints, and returns it so that a test can look at it.
pub fn run(
    args: &Args,
    secret_key: Option<String>,
) -> Result<(Report, Option<MockServer>), String> {
    let (clerk, mock, text) = match secret_key {
        Some(key) => {
            let Some(path) = &args.input else {
                return Err("with CLERK_SECRET_KEY set, give the users file to import".into());
            };
            let text = read_file(path)?;
            let live = key.starts_with("sk_live_");
            let mut builder = Clerk::builder(key);
            if let Ok(url) = std::env::var("CLERK_API_URL") {
                builder = builder.server_url(url);
            }
            let limit = match args.rate {
                Some(n) => RateLimit::new(n, Duration::from_secs(10)),
                None if live => RateLimit::clerk_production(),
                None => RateLimit::clerk_development(),
            };
            let clerk = builder
                .rate_limit(limit.with_burst(limit.requests() / 10))
                .build()
                .map_err(|e| e.to_string())?;
            (clerk, None, text)
        }
        None => {
            let text = match &args.input {
                Some(path) => read_file(path)?,
                None => demo_csv(args.demo_users),
            };
            // A few demo users "already imported", as after an earlier, interrupted run.
            let seeded: Vec<UserRow> = match &args.input {
                None => read_users(text.as_bytes())?
                    .users
                    .into_iter()
                    .map(|(_, u)| u)
                    .filter(|u| u.external_id.ends_with('7'))
                    .take(25)
                    .collect(),
                Some(_) => Vec::new(),
            };
            let mock = demo_server(&seeded);
            println!(
                "CLERK_SECRET_KEY is not set: importing {} into a local MockServer (a stand-in for \
                 Clerk's user endpoints) at {}",
                args.input.as_ref().map_or_else(
                    || format!("{} generated users", args.demo_users),
                    |p| p.display().to_string()
                ),
                mock.url()
            );
            // A scaled-down limit, so the demo shows the limiter at work: 200 requests a second.
            let per_10s = args.rate.unwrap_or(2000);
            let limit = RateLimit::new(per_10s, Duration::from_secs(10));
            let clerk = Clerk::builder("sk_test_bulk_import")
                .server_url(mock.url())
                .rate_limit(limit.with_burst(limit.requests() / 10))
                .build()
                .map_err(|e| e.to_string())?;
            (clerk, Some(mock), text)
        }
    };

    let input = read_users(text.as_bytes()).map_err(|e| format!("reading the users: {e}"))?;
    let progress = Progress::new(input.users.len() as u64 + input.rejected.len() as u64);
    let report = import(&clerk, input, args.workers, &progress);
    progress.finish();

    let file = File::create(&args.failures)
        .map_err(|e| format!("cannot write {}: {e}", args.failures.display()))?;
    write_failures(io::BufWriter::new(file), &report.failures)
        .map_err(|e| format!("cannot write {}: {e}", args.failures.display()))?;
    println!("{report}");
    if !report.failures.is_empty() {
        println!("failures written to {}", args.failures.display());
    }
    Ok((report, mock))
}

fn read_file(path: &std::path::Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

// ---------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------

/// One user of the input file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UserRow {
    /// The user's id in the system it comes from: the import's key.
    #[serde(alias = "userId")]
    pub external_id: String,
    /// The primary email address.
    #[serde(default, alias = "email_address")]
    pub email: Option<String>,
    /// First name.
    #[serde(default, alias = "firstName")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default, alias = "lastName")]
    pub last_name: Option<String>,
    /// A password digest from the old system.
    #[serde(default, alias = "password")]
    pub password_digest: Option<String>,
    /// The algorithm of `password_digest` (`bcrypt`, `argon2id`, ...).
    #[serde(default, alias = "passwordHasher")]
    pub password_hasher: Option<String>,
}

/// The rows to import, each with its line in the file, and the rows refused before sending.
#[derive(Debug, Default)]
pub struct Input {
    /// `(line, user)`, in file order, external ids unique.
    pub users: Vec<(u64, UserRow)>,
    /// Rows that are not sent: no external id, a repeated one, or unreadable.
    pub rejected: Vec<Failure>,
}

/// Reads the users CSV. A row that cannot be read is a failure of that row; an unreadable
/// header, or one without an `external_id` (or `userId`) column, is an error.
pub fn read_users(reader: impl io::Read) -> Result<Input, String> {
    let mut csv = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(reader);
    let headers = csv.headers().map_err(|e| e.to_string())?.clone();
    if !headers.iter().any(|h| h == "external_id" || h == "userId") {
        return Err(format!(
            "the header has no external_id (or userId) column: {:?}",
            headers.iter().collect::<Vec<_>>()
        ));
    }
    let mut input = Input::default();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in csv.records() {
        let (record, line) = match record {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line());
                (record, line)
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                input
                    .rejected
                    .push(Failure::local(line, "", "invalid_row", e.to_string()));
                continue;
            }
        };
        let user: UserRow = match record.deserialize(Some(&headers)) {
            Ok(user) => user,
            Err(e) => {
                let id = headers
                    .iter()
                    .position(|h| h == "external_id" || h == "userId")
                    .and_then(|i| record.get(i))
                    .unwrap_or("");
                input
                    .rejected
                    .push(Failure::local(line, id, "invalid_row", e.to_string()));
                continue;
            }
        };
        let user = UserRow {
            email: user.email.filter(|s| !s.is_empty()),
            first_name: user.first_name.filter(|s| !s.is_empty()),
            last_name: user.last_name.filter(|s| !s.is_empty()),
            password_digest: user.password_digest.filter(|s| !s.is_empty()),
            password_hasher: user.password_hasher.filter(|s| !s.is_empty()),
            ..user
        };
        if user.external_id.is_empty() {
            let message = "the row has no external_id".to_owned();
            input
                .rejected
                .push(Failure::local(line, "", "missing_external_id", message));
        } else if let Some(first) = seen.get(&user.external_id) {
            let message = format!("line {first} has the same external_id");
            let id = user.external_id.clone();
            input
                .rejected
                .push(Failure::local(line, &id, "duplicate_external_id", message));
        } else {
            seen.insert(user.external_id.clone(), line);
            input.users.push((line, user));
        }
    }
    Ok(input)
}

// ---------------------------------------------------------------------------
// The import
// ---------------------------------------------------------------------------

/// Whether a failed row's user exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Clerk answered that it did not create the user, or nothing was sent.
    NotCreated,
    /// The create may have reached Clerk, and the user was not found afterwards (or could
    /// not be looked up): a rerun creates it only if it still does not exist.
    Unknown,
}

/// One row that was not imported: a line of the failures file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The line of the input file where the row starts (the header is line 1).
    pub row: u64,
    /// The row's external id (empty when it had none).
    pub external_id: String,
    /// Clerk's HTTP status, when it answered.
    pub status: Option<u16>,
    /// Clerk's error code, or the script's own (see the module docs).
    pub code: String,
    /// Whether the user may exist anyway.
    pub outcome: Outcome,
    /// What went wrong, for a person.
    pub message: String,
}

impl Failure {
    fn local(row: u64, external_id: &str, code: &str, message: String) -> Failure {
        Failure {
            row,
            external_id: external_id.to_owned(),
            status: None,
            code: code.to_owned(),
            outcome: Outcome::NotCreated,
            message,
        }
    }

    fn from_error(row: u64, external_id: &str, error: &Error, outcome: Outcome) -> Failure {
        let code = match (error.code(), error) {
            (Some(code), _) => code.to_owned(),
            (None, Error::Timeout(_)) => "timeout".to_owned(),
            (None, Error::Transport(_)) => "transport".to_owned(),
            (None, Error::Decode(_)) => "decode".to_owned(),
            (None, Error::InvalidRequest(_)) => "invalid_request".to_owned(),
            (None, _) => String::new(),
        };
        Failure {
            row,
            external_id: external_id.to_owned(),
            status: error.status(),
            code,
            outcome,
            message: error.to_string(),
        }
    }
}

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Users created by this run, `confirmed` included.
    pub created: usize,
    /// Of `created`: users whose create returned an error, found by the check at the end.
    pub confirmed: usize,
    /// Users that already existed (by external id), so were not created again.
    pub skipped: usize,
    /// Rows not imported, by line.
    pub failures: Vec<Failure>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} created ({} confirmed after an error), {} already existed, {} failed",
            self.created,
            self.confirmed,
            self.skipped,
            self.failures.len()
        )
    }
}

/// A worker's share of the report, and the creates to check at the end.
#[derive(Default)]
struct Tally {
    report: Report,
    unsure: Vec<Failure>,
}

/// Imports `input` with `workers` threads sharing `clerk` (and so its rate limit), then checks
/// the creates that failed after they may have reached Clerk.
pub fn import(clerk: &Clerk, input: Input, workers: usize, progress: &Progress) -> Report {
    for _ in &input.rejected {
        progress.tick(Tick::Failed);
    }
    let batches: Vec<&[(u64, UserRow)]> = input.users.chunks(BATCH).collect();
    let next = AtomicUsize::new(0);
    let tallies: Vec<Tally> = thread::scope(|s| {
        let handles: Vec<_> = (0..workers.max(1))
            .map(|_| {
                s.spawn(|| {
                    let mut tally = Tally::default();
                    while let Some(batch) = batches.get(next.fetch_add(1, Ordering::Relaxed)) {
                        import_batch(clerk, batch, progress, &mut tally);
                    }
                    tally
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });

    let mut report = Report {
        failures: input.rejected,
        ..Report::default()
    };
    let mut unsure = Vec::new();
    for tally in tallies {
        report.created += tally.report.created;
        report.skipped += tally.report.skipped;
        report.failures.extend(tally.report.failures);
        unsure.extend(tally.unsure);
    }
    // The creates that may have landed: look them up once more.
    for batch in unsure.chunks(BATCH) {
        let ids: Vec<&str> = batch.iter().map(|f| f.external_id.as_str()).collect();
        match existing_ids(clerk, &ids) {
            Ok(found) => {
                for failure in batch {
                    if found.contains(&failure.external_id) {
                        report.created += 1;
                        report.confirmed += 1;
                    } else {
                        report.failures.push(failure.clone());
                    }
                }
            }
            Err(_) => report.failures.extend(batch.iter().cloned()),
        }
    }
    report.failures.sort_by_key(|f| f.row);
    report
}

fn import_batch(clerk: &Clerk, batch: &[(u64, UserRow)], progress: &Progress, tally: &mut Tally) {
    let ids: Vec<&str> = batch.iter().map(|(_, u)| u.external_id.as_str()).collect();
    let existing = match existing_ids(clerk, &ids) {
        Ok(existing) => existing,
        Err(e) => {
            // Without knowing who exists, creating could create twice: create nobody.
            for (line, user) in batch {
                let mut failure =
                    Failure::from_error(*line, &user.external_id, &e, Outcome::NotCreated);
                failure.message = format!("looking up the batch failed, nothing created: {e}");
                tally.report.failures.push(failure);
                progress.tick(Tick::Failed);
            }
            return;
        }
    };
    for (line, user) in batch {
        if existing.contains(&user.external_id) {
            tally.report.skipped += 1;
            progress.tick(Tick::Skipped);
            continue;
        }
        match create(clerk, user) {
            Ok(()) => {
                tally.report.created += 1;
                progress.tick(Tick::Created);
            }
            Err(e) if may_have_landed(&e) => {
                tally.unsure.push(Failure::from_error(
                    *line,
                    &user.external_id,
                    &e,
                    Outcome::Unknown,
                ));
                progress.tick(Tick::Failed);
            }
            Err(e) => {
                tally.report.failures.push(Failure::from_error(
                    *line,
                    &user.external_id,
                    &e,
                    Outcome::NotCreated,
                ));
                progress.tick(Tick::Failed);
            }
        }
    }
}

/// Which of `ids` (at most [`BATCH`]) Clerk has users for.
fn existing_ids(clerk: &Clerk, ids: &[&str]) -> Result<HashSet<String>, Error> {
    let mut found = HashSet::new();
    // More than one user may carry an external id: page until a short page.
    for user in clerk
        .users()
        .list()
        .external_id(ids.iter().copied())
        .limit(BATCH as i64)
        .paginate()
    {
        if let Some(id) = user?.external_id {
            found.insert(id);
        }
    }
    Ok(found)
}

fn create(clerk: &Clerk, user: &UserRow) -> Result<(), Error> {
    let mut create = clerk
        .users()
        .create()
        .external_id(user.external_id.as_str());
    if let Some(email) = &user.email {
        create = create.email_address([email.as_str()]);
    }
    if let Some(first) = &user.first_name {
        create = create.first_name(first.as_str());
    }
    if let Some(last) = &user.last_name {
        create = create.last_name(last.as_str());
    }
    if let Some(hasher) = &user.password_hasher {
        create = create.password_hasher(hasher.clone());
    }
    create = match &user.password_digest {
        Some(digest) => create.password_digest(digest.as_str()),
        None => create.skip_password_requirement(true),
    };
    create.send().map(drop)
}

/// Whether a failed create may have created the user: the request may have reached Clerk
/// and Clerk did not say no.
fn may_have_landed(error: &Error) -> bool {
    match error {
        Error::Api(e) => e.status() >= 500,
        Error::InvalidRequest(_) => false,
        // Transport, timeouts, a 2xx body that did not decode, and whatever comes next.
        _ => true,
    }
}

/// Writes the failures file: a header, then one line per failure.
pub fn write_failures(writer: impl Write, failures: &[Failure]) -> Result<(), csv::Error> {
    let mut csv = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(writer);
    csv.write_record(["row", "external_id", "status", "code", "outcome", "message"])?;
    for failure in failures {
        csv.serialize(failure)?;
    }
    csv.flush()?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Progress
// ---------------------------------------------------------------------------

/// What happened to one row.
#[derive(Debug, Clone, Copy)]
pub enum Tick {
    /// Created.
    Created,
    /// Already there.
    Skipped,
    /// Not imported (or not yet confirmed).
    Failed,
}

/// The progress bar on a terminal, plain lines elsewhere, or nothing.
pub struct Progress {
    bar: ProgressBar,
    /// Print a line every this many rows (`0`: never).
    every: u64,
    counts: [AtomicU64; 3],
    done: AtomicU64,
}

impl Progress {
    /// A bar on standard error when it is a terminal; otherwise a plain line every tenth.
    pub fn new(total: u64) -> Progress {
        if io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{elapsed_precise} [{wide_bar}] {pos}/{len} {rate} ETA {eta:>4}  {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .with_key("rate", |state: &ProgressState, w: &mut dyn fmt::Write| {
                let _ = write!(w, "{:>5.0} rows/s", state.per_sec());
            })
            .progress_chars("=> ");
            bar.set_style(style);
            Progress::with_bar(bar, 0)
        } else {
            Progress::with_bar(ProgressBar::hidden(), (total / 10).max(1))
        }
        .with_length(total)
    }

    /// Counts without showing anything (for tests).
    pub fn hidden(total: u64) -> Progress {
        Progress::with_bar(ProgressBar::hidden(), 0).with_length(total)
    }

    fn with_bar(bar: ProgressBar, every: u64) -> Progress {
        Progress {
            bar,
            every,
            counts: Default::default(),
            done: AtomicU64::new(0),
        }
    }

    fn with_length(self, total: u64) -> Progress {
        self.bar.set_length(total);
        self
    }

    /// Counts one row.
    pub fn tick(&self, tick: Tick) {
        self.counts[tick as usize].fetch_add(1, Ordering::Relaxed);
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        self.bar.inc(1);
        if self.every > 0 && (done % self.every == 0 || Some(done) == self.bar.length()) {
            eprintln!(
                "{done}/{} rows: {}, {:.0} rows/s, ETA {}s",
                self.bar.length().unwrap_or(0),
                self.summary(),
                self.bar.per_sec(),
                self.bar.eta().as_secs()
            );
        } else if !self.bar.is_hidden() {
            self.bar.set_message(self.summary());
        }
    }

    /// Rows counted so far, by kind: created, skipped, failed.
    pub fn counts(&self) -> [u64; 3] {
        self.counts.each_ref().map(|c| c.load(Ordering::Relaxed))
    }

    fn summary(&self) -> String {
        let [created, skipped, failed] = self.counts();
        format!("{created} created, {skipped} skipped, {failed} failed")
    }

    /// Leaves the finished bar on screen.
    pub fn finish(&self) {
        self.bar.finish();
    }
}

// ---------------------------------------------------------------------------
// The demo: a generated file and a stand-in for Clerk's user endpoints
// ---------------------------------------------------------------------------

/// A users file of `n` generated rows, two with an email address Clerk would refuse and a
/// few with bcrypt digests.
pub fn demo_csv(n: usize) -> String {
    let mut out =
        String::from("external_id,email,first_name,last_name,password_digest,password_hasher\n");
    for i in 1..=n {
        let email = if i % 400 == 13 {
            format!("user{i}.example.com")
        } else {
            format!("user{i}@example.com")
        };
        let (digest, hasher) = if i % 10 == 0 {
            (
                "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
                "bcrypt",
            )
        } else {
            ("", "")
        };
        out.push_str(&format!(
            "legacy-{i:05},{email},User,Number {i},{digest},{hasher}\n"
        ));
    }
    out
}

/// A user as a stand-in server keeps it: its id, external id, email address and JSON.
#[derive(Debug, Clone)]
pub struct StoredUser {
    /// Clerk's id (`user_...`).
    pub id: String,
    /// The external id it was created with.
    pub external_id: Option<String>,
    /// Its email address.
    pub email: Option<String>,
    /// The user object, as Clerk returns it.
    pub json: String,
}

impl StoredUser {
    /// The user that a `POST /users` with `body` creates, with this id: the crate's user
    /// fixture with the body's fields, and nothing a freshly imported user would not have
    /// (no phone number, no external account, no organization).
    pub fn new(id: &str, body: &Value) -> StoredUser {
        static TEMPLATE: OnceLock<Value> = OnceLock::new();
        let template = TEMPLATE.get_or_init(|| {
            let mut user: Value = serde_json::from_str(fixtures::USER).unwrap_or(Value::Null);
            for list in [
                "phone_numbers",
                "web3_wallets",
                "passkeys",
                "external_accounts",
                "saml_accounts",
                "enterprise_accounts",
                "organization_memberships",
            ] {
                user[list] = Value::Array(Vec::new());
            }
            for metadata in ["public_metadata", "private_metadata", "unsafe_metadata"] {
                user[metadata] = serde_json::json!({});
            }
            user["primary_phone_number_id"] = Value::Null;
            user
        });
        let mut user = template.clone();
        user["id"] = Value::from(id);
        for field in ["external_id", "first_name", "last_name"] {
            user[field] = body.get(field).cloned().unwrap_or(Value::Null);
        }
        let email = body["email_address"][0].as_str();
        let email_id = format!("idn_{id}");
        let mut addresses = Vec::new();
        if let (Some(email), Some(address)) = (email, template["email_addresses"].get(0)) {
            let mut address = address.clone();
            address["id"] = Value::from(email_id.as_str());
            address["email_address"] = Value::from(email);
            address["linked_to"] = Value::Array(Vec::new());
            addresses.push(address);
        }
        user["primary_email_address_id"] = email.map_or(Value::Null, |_| Value::from(email_id));
        user["email_addresses"] = Value::Array(addresses);
        user["password_enabled"] = Value::from(body.get("password_digest").is_some());
        StoredUser {
            id: id.to_owned(),
            external_id: body["external_id"].as_str().map(str::to_owned),
            email: email.map(str::to_owned),
            json: user.to_string(),
        }
    }
}

/// A Clerk-style error body.
pub fn error_json(code: &str, message: &str) -> String {
    serde_json::json!({ "errors": [{ "message": message, "long_message": message, "code": code }] })
        .to_string()
}

/// A `MockServer` that answers `GET /users` (by `external_id`, with `limit` and
/// `starting_after`) and `POST /users` from an in-memory store, refusing an email address
/// without `@` (`form_param_format_invalid`) or one already taken (`form_identifier_exists`),
/// as Clerk does. `seeded` users exist from the start.
pub fn demo_server(seeded: &[UserRow]) -> MockServer {
    let users: Vec<StoredUser> = seeded
        .iter()
        .enumerate()
        .map(|(i, user)| {
            let body = serde_json::json!({
                "external_id": user.external_id, "first_name": user.first_name,
                "last_name": user.last_name, "email_address": [user.email],
            });
            StoredUser::new(&format!("user_seed{i}"), &body)
        })
        .collect();
    let store = Arc::new(Mutex::new(users));
    let mock = MockServer::start();
    let list = Arc::clone(&store);
    mock.on("GET", "/users").respond_with(move |request| {
        let users = list.lock().unwrap_or_else(PoisonError::into_inner);
        Reply::json(200, list_page(request, &users))
    });
    mock.on("POST", "/users").respond_with(move |request| {
        let body = request.body_json();
        let email = body["email_address"][0].as_str();
        let mut users = store.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(email) = email {
            if !email.contains('@') {
                let message = "email_address must be a valid email address.";
                return Reply::json(422, error_json("form_param_format_invalid", message));
            }
            if users.iter().any(|u| u.email.as_deref() == Some(email)) {
                let message = "That email address is taken.";
                return Reply::json(422, error_json("form_identifier_exists", message));
            }
        }
        let user = StoredUser::new(&format!("user_demo{}", users.len()), &body);
        let reply = Reply::json(200, user.json.as_str());
        users.push(user);
        reply
    });
    mock
}

/// A `GET /users` page over `users` (in creation order): those whose external id is among
/// the request's `external_id`s (all when it has none), after `starting_after`, at most
/// `limit` (default 10), as a JSON array.
pub fn list_page(request: &RecordedRequest, users: &[StoredUser]) -> String {
    let pairs = request.query_pairs();
    let wanted: HashSet<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "external_id")
        .map(|(_, v)| v.as_str())
        .collect();
    let value = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let limit = value("limit").and_then(|l| l.parse().ok()).unwrap_or(10);
    let start = match value("starting_after") {
        Some(after) => users
            .iter()
            .position(|u| u.id == after)
            .map_or(users.len(), |i| i + 1),
        None => 0,
    };
    let page: Vec<&str> = users[start..]
        .iter()
        .filter(|u| {
            wanted.is_empty() || u.external_id.as_deref().is_some_and(|e| wanted.contains(e))
        })
        .take(limit)
        .map(|u| u.json.as_str())
        .collect();
    format!("[{}]", page.join(","))
}
