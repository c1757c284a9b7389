//! Exec to first answer: the start-up half of the footprint table (`scripts/footprint.sh`,
//! `footprint/README.md`). Not a throughput benchmark; `cargo bench` alone only says how to
//! run it.
//!
//! `footprint FLOOR_BIN SDK_BIN [ROUNDS]` starts one loopback `MockServer` answering
//! `GET /users/user_2abc` (the 4 KB `USER` fixture) and `GET /users?limit=100` (a 100-user
//! page), then runs the two programs of `footprint/` against it in alternating order, ROUNDS
//! times each (default 101) after 5 warm-up runs each. For each run it measures, from just
//! before the process is spawned: the time until the program writes `first <id>` (its first
//! answer parsed) and the time until it exits after the page. It checks what each program
//! printed, and reports the medians and the median of the per-pair ratios (SDK / floor).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clerk_backend_api::testing::{MockServer, Reply, fixtures};

mod support;

fn main() {
    let args = support::positional_args();
    let (floor, sdk, rounds) = match args.as_slice() {
        [floor, sdk] => (floor, sdk, 101),
        [floor, sdk, n] => (floor, sdk, n.parse().expect("ROUNDS: a number")),
        _ => {
            println!(
                "footprint: run scripts/footprint.sh (or: footprint FLOOR_BIN SDK_BIN [ROUNDS])"
            );
            return;
        }
    };

    let mock = MockServer::start();
    mock.set_recording(false);
    let ids: Vec<String> = (0..100).map(|i| format!("user_{i:027}")).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    mock.on("GET", "/users/user_2abc")
        .reply(Reply::json(200, fixtures::user_with_id("user_2abc")));
    mock.on("GET", "/users")
        .query("limit", "100")
        .reply(Reply::json(200, fixtures::users_page(&ids)));
    let url = mock.url();

    for _ in 0..5 {
        run(floor, &url);
        run(sdk, &url);
    }
    let (mut f, mut s) = (Vec::new(), Vec::new());
    for i in 0..rounds {
        // Alternate which goes first, so neither always runs on a warmer machine.
        if i % 2 == 0 {
            f.push(run(floor, &url));
            s.push(run(sdk, &url));
        } else {
            s.push(run(sdk, &url));
            f.push(run(floor, &url));
        }
    }
    let first = |v: &[Run]| support::median(v.iter().map(|r| ms(r.first)).collect());
    let exit = |v: &[Run]| support::median(v.iter().map(|r| ms(r.exit)).collect());
    let ratio = |pick: fn(&Run) -> Duration| {
        support::median(
            f.iter()
                .zip(&s)
                .map(|(f, s)| pick(s).as_secs_f64() / pick(f).as_secs_f64())
                .collect(),
        )
    };
    println!("{rounds} alternating runs each, medians:");
    println!(
        "exec -> first answer parsed: floor {:.2} ms, sdk {:.2} ms, ratio {:.2}",
        first(&f),
        first(&s),
        ratio(|r| r.first)
    );
    println!(
        "exec -> exit after the page: floor {:.2} ms, sdk {:.2} ms, ratio {:.2}",
        exit(&f),
        exit(&s),
        ratio(|r| r.exit)
    );
}

struct Run {
    first: Duration,
    exit: Duration,
}

fn run(bin: &str, url: &str) -> Run {
    let start = Instant::now();
    let mut child = Command::new(bin)
        .env("CLERK_API_URL", url)
        .env("CLERK_SECRET_KEY", "sk_test_footprint")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{bin}: {e}"));
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let line = lines.next().expect("a first line").expect("stdout");
    let first = start.elapsed();
    assert_eq!(line, "first user_2abc", "{bin}");
    let line = lines.next().expect("a second line").expect("stdout");
    assert_eq!(line, "page 100", "{bin}");
    let status = child.wait().expect("wait");
    let exit = start.elapsed();
    assert!(status.success(), "{bin}: {status}");
    Run { first, exit }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
