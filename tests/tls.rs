//! TLS certificate checks are on by default: a server whose certificate no trusted root
//! signed gets no request (and so never the key), while the same server, trusted through a
//! caller's own agent, gets it. `http://` to a remote host is refused in `tests/faults.rs`.
//!
//! `tests/tls/` holds a test CA and a `localhost`/`127.0.0.1` certificate it signed (EC P-256,
//! valid until 2126), made with:
//!
//! ```text
//! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key \
//!   -out ca.pem -days 36500 -subj "/CN=clerk-backend-api test CA (not trusted anywhere)" \
//!   -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
//! openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout localhost.key.pem \
//!   -out leaf.csr -subj "/CN=localhost"
//! openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -out localhost.pem -days 36500 \
//!   -extfile leaf.ext   # CA:FALSE, serverAuth, subjectAltName=DNS:localhost,IP:127.0.0.1
//! ```
//!
//! The CA key was thrown away. The leaf key protects nothing but this test.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use clerk_backend_api::testing::{FakeClock, fixtures};
use clerk_backend_api::{Clerk, Error};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use common::{KEY, error_text};

const CA: &str = include_str!("tls/ca.pem");
const CERT: &str = include_str!("tls/localhost.pem");
const CERT_KEY: &str = include_str!("tls/localhost.key.pem");

/// A one-route HTTPS server on 127.0.0.1 (rustls): answers every request with a user.
struct TlsServer {
    port: u16,
    /// Every request head that arrived decrypted.
    requests: Arc<Mutex<Vec<String>>>,
    /// TLS handshakes begun and failed.
    handshakes: Arc<Mutex<(usize, usize)>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TlsServer {
    fn start() -> TlsServer {
        let cert = CertificateDer::from_pem_slice(CERT.as_bytes()).expect("cert PEM");
        let key = PrivateKeyDer::from_pem_slice(CERT_KEY.as_bytes()).expect("key PEM");
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .expect("server config");
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handshakes = Arc::new(Mutex::new((0, 0)));
        let stop = Arc::new(AtomicBool::new(false));
        let (r, h, s) = (requests.clone(), handshakes.clone(), stop.clone());
        let thread = thread::spawn(move || {
            for tcp in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(tcp) = tcp else { continue };
                serve(tcp, config.clone(), &r, &h);
            }
        });
        TlsServer {
            port,
            requests,
            handshakes,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }
}

impl TlsServer {
    /// Stops the server and waits for its thread: connections are served one at a time on
    /// that thread, so once it has ended every handshake and request is counted. (The client
    /// can see a handshake fail before the server has finished counting it.)
    fn shut_down(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// One connection, one request (`Connection: close`).
fn serve(
    tcp: TcpStream,
    config: Arc<rustls::ServerConfig>,
    requests: &Mutex<Vec<String>>,
    handshakes: &Mutex<(usize, usize)>,
) {
    let _ = tcp.set_read_timeout(Some(Duration::from_secs(5)));
    let conn = rustls::ServerConnection::new(config).expect("server connection");
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    handshakes.lock().unwrap().0 += 1;
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match tls.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
            Err(_) => {
                if tls.conn.is_handshaking() {
                    handshakes.lock().unwrap().1 += 1;
                }
                return;
            }
        }
    }
    if head.is_empty() {
        return;
    }
    requests
        .lock()
        .unwrap()
        .push(String::from_utf8_lossy(&head).into_owned());
    let body = fixtures::user_with_id("user_tls");
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tls.write_all(response.as_bytes());
    let _ = tls.flush();
    tls.conn.send_close_notify();
    let _ = tls.flush();
}

#[test]
fn an_untrusted_certificate_is_refused_before_anything_is_sent() {
    let mut server = TlsServer::start();
    let clerk = Clerk::builder(KEY)
        .server_url(server.url())
        .clock(FakeClock::new())
        .build()
        .unwrap();
    let err = clerk.users().get("user_tls").send().unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let text = error_text(&err);
    assert!(
        text.contains("UnknownIssuer") || text.to_lowercase().contains("certificate"),
        "not a certificate failure: {text}"
    );
    assert!(!text.contains(KEY), "{text}");
    // A write too: refused the same way.
    let err = clerk.users().create().first_name("Ada").send().unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    // Nothing was sent: every handshake failed (rustls reports the certificate as an I/O
    // error, so a GET retries it like a lost connection and a POST does not), and no request
    // was ever decrypted.
    server.shut_down();
    assert!(server.requests.lock().unwrap().is_empty());
    let (begun, failed) = *server.handshakes.lock().unwrap();
    assert_eq!(begun, failed);
    assert!((2..=5).contains(&begun), "{begun} handshakes");
}

#[test]
fn the_same_server_trusted_through_an_agent_gets_the_request() {
    // The control: with its CA trusted, the server works, so the refusal above is the
    // certificate check and nothing else.
    let mut server = TlsServer::start();
    let ca = ureq::tls::Certificate::from_pem(CA.as_bytes())
        .expect("CA PEM")
        .to_owned();
    let tls = ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::Specific(Arc::new(vec![ca])))
        .build();
    let agent = ureq::Agent::config_builder()
        .tls_config(tls)
        .build()
        .new_agent();
    let clerk = Clerk::builder(KEY)
        .server_url(server.url())
        .agent(agent)
        .build()
        .unwrap();
    assert_eq!(clerk.users().get("user_tls").send().unwrap().id, "user_tls");
    server.shut_down();
    let requests = server.requests.lock().unwrap();
    assert_eq!(requests.len(), 1);
    assert!(
        requests[0].starts_with("GET /users/user_tls HTTP/1.1\r\n"),
        "{}",
        requests[0]
    );
    assert!(
        requests[0]
            .to_lowercase()
            .contains(&format!("authorization: bearer {}", KEY.to_lowercase())),
        "{}",
        requests[0]
    );
}
