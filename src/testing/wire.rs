//! The HTTP/1.1 wire of the [`MockServer`](super::MockServer): the accept loop, one thread per
//! connection with keep-alive, request parsing (bounded lines and headers, `Content-Length` and
//! chunked bodies), writing replies, and acting out each [`Reply`]'s failure mode (closes,
//! resets through `SO_LINGER` 0, stalls, delays, drips).

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::thread;
use std::time::Duration;

use super::reply::Fault;
use super::request::hex_value;
use super::server::{SLICE, Shared, error_body, lock};
use super::{RecordedRequest, Reply};

/// Read/write timeout on accepted sockets: how often a blocked connection
/// thread looks at the shutdown flag.
const POLL: Duration = Duration::from_millis(100);
/// Pause between sending part of a response and resetting the connection, so the client has
/// read the part before the reset arrives.
const RESET_PAUSE: Duration = Duration::from_millis(20);
/// Longest accepted request line, header line or chunk-size line.
const MAX_LINE: u64 = 64 * 1024;
/// Most header lines accepted in one request (or chunked trailer).
const MAX_HEADERS: usize = 256;
/// Largest up-front allocation for a request body.
const MAX_PREALLOC: usize = 1 << 20;

pub(super) fn has_token(value: &str, token: &str) -> bool {
    value
        .split(',')
        .any(|t| t.trim().eq_ignore_ascii_case(token))
}

// ---------------------------------------------------------------------------
// Accept loop and connections
// ---------------------------------------------------------------------------

pub(super) fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut next_id: u64 = 0;
    for stream in listener.incoming() {
        if shared.is_shutdown() {
            break;
        }
        let stream = match stream {
            Ok(stream) => stream,
            Err(_) => {
                // E.g. out of file descriptors: back off instead of spinning.
                thread::sleep(SLICE);
                continue;
            }
        };
        let id = next_id;
        next_id += 1;
        {
            let mut connections = lock(&shared.connections);
            // Checked under the lock so `drop` cannot miss this connection.
            if shared.is_shutdown() {
                break;
            }
            if let Ok(clone) = stream.try_clone() {
                connections.insert(id, clone);
            }
        }
        shared.connection_count.fetch_add(1, Ordering::SeqCst);
        shared.active_connections.fetch_add(1, Ordering::SeqCst);
        let guard = ConnectionGuard {
            shared: Arc::clone(&shared),
            id,
        };
        // If spawning fails, the closure (and so the guard) is dropped, which
        // undoes the bookkeeping and closes the stream: nothing else to do.
        let _ = thread::Builder::new()
            .name("mock-server-conn".to_owned())
            .spawn(move || connection_thread(stream, guard));
    }
}

fn connection_thread(stream: TcpStream, guard: ConnectionGuard) {
    if let Ending::Reset(stream) = serve_connection(stream, &guard.shared) {
        // Close every handle without `shutdown` (which would send a FIN first); with
        // `SO_LINGER` 0 the last close sends an RST.
        let clone = lock(&guard.shared.connections).remove(&guard.id);
        drop(clone);
        drop(stream);
    }
    // `guard` drops here, unregistering the connection.
}

/// How a connection ended.
enum Ending {
    /// Closed in order (or by an error): already shut down.
    Closed,
    /// To be reset: `SO_LINGER` is 0 on this socket; close it without shutting it down.
    Reset(TcpStream),
}

/// Arms `stream` so that closing it sends an RST, and hands it back for closing.
fn reset(reader: BufReader<Conn>) -> Ending {
    let stream = reader.into_inner().stream;
    let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
    Ending::Reset(stream)
}

/// Unregisters a connection when its thread ends (even by panic).
struct ConnectionGuard {
    shared: Arc<Shared>,
    id: u64,
}

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        if let Some(stream) = lock(&self.shared.connections).remove(&self.id) {
            let _ = stream.shutdown(Shutdown::Both);
        }
        self.shared
            .active_connections
            .fetch_sub(1, Ordering::SeqCst);
    }
}

/// The accepted socket, with reads and writes that retry on the socket timeouts
/// until the server shuts down.
struct Conn {
    stream: TcpStream,
    shared: Arc<Shared>,
}

fn is_retryable(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

fn shutdown_error() -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionAborted, "MockServer shut down")
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.shared.is_shutdown() {
                return Err(shutdown_error());
            }
            match self.stream.read(buf) {
                Err(e) if is_retryable(&e) => continue,
                other => return other,
            }
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        loop {
            if self.shared.is_shutdown() {
                return Err(shutdown_error());
            }
            match self.stream.write(buf) {
                Err(e) if is_retryable(&e) => continue,
                other => return other,
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

/// Why a request could not be read.
enum ReadError {
    /// The connection failed or ended mid-request: close without answering.
    Io,
    /// The request is malformed: answer 400 and close.
    Bad(&'static str),
}

impl From<io::Error> for ReadError {
    fn from(_: io::Error) -> Self {
        ReadError::Io
    }
}

/// A parsed request plus what the connection loop needs to know about it.
struct Incoming {
    request: RecordedRequest,
    keep_alive: bool,
    http10: bool,
}

fn serve_connection(stream: TcpStream, shared: &Arc<Shared>) -> Ending {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(POLL));
    let _ = stream.set_write_timeout(Some(POLL));
    let mut reader = BufReader::with_capacity(
        16 * 1024,
        Conn {
            stream,
            shared: Arc::clone(shared),
        },
    );
    let mut line = Vec::with_capacity(256);
    let mut out = Vec::with_capacity(1024);
    loop {
        let incoming = match read_request(&mut reader, &mut line) {
            Ok(Some(incoming)) => incoming,
            Ok(None) | Err(ReadError::Io) => break,
            Err(ReadError::Bad(why)) => {
                let reply = Reply::json(
                    400,
                    error_body(
                        "bad request",
                        format!("MockServer could not parse the request: {why}"),
                        "mock_bad_request",
                    ),
                );
                let _ = send_reply(&mut reader, &mut out, &reply, false, false, false);
                break;
            }
        };
        let is_head = incoming.request.method == "HEAD";
        let reply = shared.dispatch(incoming.request);
        if !reply.delay.is_zero() && !shared.sleep(reply.delay) {
            break;
        }
        match reply.fault {
            Fault::CloseBeforeResponse => break,
            Fault::NeverRespond => {
                hold_open(&mut reader);
                break;
            }
            Fault::CloseMidBody => {
                let _ = send_reply(&mut reader, &mut out, &reply, is_head, false, false);
                break;
            }
            Fault::ResetBeforeResponse => return reset(reader),
            Fault::ResetMidHeaders => {
                let sent = send_partial_head(&mut reader, &mut out, &reply).is_ok();
                if sent && shared.sleep(RESET_PAUSE) {
                    return reset(reader);
                }
                break;
            }
            Fault::StallMidHeaders => {
                if send_partial_head(&mut reader, &mut out, &reply).is_ok() {
                    hold_open(&mut reader);
                }
                break;
            }
            Fault::ResetMidBody => {
                let sent = send_reply(&mut reader, &mut out, &reply, is_head, false, false);
                if sent.is_ok() && shared.sleep(RESET_PAUSE) {
                    return reset(reader);
                }
                break;
            }
            Fault::None => {}
        }
        let keep_alive = incoming.keep_alive && !reply.closes;
        if send_reply(
            &mut reader,
            &mut out,
            &reply,
            is_head,
            keep_alive,
            incoming.http10,
        )
        .is_err()
            || !keep_alive
        {
            break;
        }
    }
    let conn = reader.get_ref();
    let _ = conn.stream.shutdown(Shutdown::Both);
    Ending::Closed
}

/// Reads and discards whatever the client sends until it closes the connection
/// or the server shuts down.
fn hold_open(reader: &mut BufReader<Conn>) {
    let mut sink = [0u8; 1024];
    loop {
        match reader.read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

/// Reads one line (up to `\n`) into `line` without its line ending.
/// `Ok(false)` on a clean end of stream before any byte.
fn read_line(reader: &mut BufReader<Conn>, line: &mut Vec<u8>) -> Result<bool, ReadError> {
    line.clear();
    let n = reader.by_ref().take(MAX_LINE).read_until(b'\n', line)?;
    if n == 0 {
        return Ok(false);
    }
    if line.last() != Some(&b'\n') {
        return Err(if n as u64 >= MAX_LINE {
            ReadError::Bad("line too long")
        } else {
            ReadError::Io
        });
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(true)
}

fn is_token(s: &[u8]) -> bool {
    !s.is_empty()
        && s.iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn read_request(
    reader: &mut BufReader<Conn>,
    line: &mut Vec<u8>,
) -> Result<Option<Incoming>, ReadError> {
    // Request line, tolerating a few stray empty lines before it.
    let mut blank_lines = 0;
    loop {
        if !read_line(reader, line)? {
            return Ok(None);
        }
        if !line.is_empty() {
            break;
        }
        blank_lines += 1;
        if blank_lines > 8 {
            return Err(ReadError::Bad("expected a request line"));
        }
    }
    let mut parts = line.split(|&b| b == b' ');
    let (method, target, version) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(t), Some(v), None) => (m, t, v),
        _ => return Err(ReadError::Bad("malformed request line")),
    };
    if !is_token(method) {
        return Err(ReadError::Bad("malformed method"));
    }
    if target.is_empty() || target.iter().any(|b| b.is_ascii_control()) {
        return Err(ReadError::Bad("malformed request target"));
    }
    let http10 = match version {
        b"HTTP/1.1" => false,
        b"HTTP/1.0" => true,
        _ => return Err(ReadError::Bad("unsupported HTTP version")),
    };
    let method = String::from_utf8_lossy(method).into_owned();
    let target = String::from_utf8_lossy(target);
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path.to_owned(), Some(query.to_owned())),
        None => (target.into_owned(), None),
    };

    let headers = read_headers(reader, line)?;

    let mut content_length: Option<u64> = None;
    let mut chunked = false;
    let mut transfer_encoding = false;
    let mut expect_continue = false;
    let mut close = false;
    let mut keep_alive_token = false;
    for (name, value) in &headers {
        match name.as_str() {
            "content-length" => {
                for part in value.split(',') {
                    let part = part.trim();
                    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(ReadError::Bad("malformed content-length"));
                    }
                    let length: u64 = part
                        .parse()
                        .map_err(|_| ReadError::Bad("malformed content-length"))?;
                    if content_length.is_some_and(|known| known != length) {
                        return Err(ReadError::Bad("conflicting content-length"));
                    }
                    content_length = Some(length);
                }
            }
            "transfer-encoding" => {
                transfer_encoding = true;
                // Only the final coding decides whether the body is chunked.
                if let Some(last) = value.rsplit(',').next() {
                    chunked = last.trim().eq_ignore_ascii_case("chunked");
                }
            }
            "expect" => expect_continue |= value.eq_ignore_ascii_case("100-continue"),
            "connection" => {
                close |= has_token(value, "close");
                keep_alive_token |= has_token(value, "keep-alive");
            }
            _ => {}
        }
    }
    if transfer_encoding && !chunked {
        return Err(ReadError::Bad("unsupported transfer-encoding"));
    }

    if expect_continue && !http10 {
        reader
            .get_mut()
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    }

    let mut body = Vec::new();
    if chunked {
        read_chunked_body(reader, line, &mut body)?;
    } else if let Some(length) = content_length {
        read_exact_body(reader, length, &mut body)?;
    }

    let keep_alive = if http10 { keep_alive_token } else { !close };
    Ok(Some(Incoming {
        request: RecordedRequest {
            method,
            path,
            query,
            headers,
            body,
        },
        keep_alive,
        http10,
    }))
}

fn read_headers(
    reader: &mut BufReader<Conn>,
    line: &mut Vec<u8>,
) -> Result<Vec<(String, String)>, ReadError> {
    let mut headers = Vec::new();
    loop {
        if !read_line(reader, line)? {
            return Err(ReadError::Io);
        }
        if line.is_empty() {
            return Ok(headers);
        }
        if headers.len() >= MAX_HEADERS {
            return Err(ReadError::Bad("too many headers"));
        }
        let colon = match line.iter().position(|&b| b == b':') {
            Some(colon) => colon,
            None => return Err(ReadError::Bad("malformed header line")),
        };
        let name = &line[..colon];
        if !is_token(name) {
            return Err(ReadError::Bad("malformed header name"));
        }
        let value = String::from_utf8_lossy(&line[colon + 1..]);
        headers.push((
            String::from_utf8_lossy(name).to_ascii_lowercase(),
            value.trim_matches([' ', '\t']).to_owned(),
        ));
    }
}

fn read_exact_body(
    reader: &mut BufReader<Conn>,
    length: u64,
    body: &mut Vec<u8>,
) -> Result<(), ReadError> {
    let prealloc = usize::try_from(length)
        .unwrap_or(usize::MAX)
        .min(MAX_PREALLOC);
    body.reserve(prealloc);
    let read = reader.by_ref().take(length).read_to_end(body)?;
    if read as u64 != length {
        return Err(ReadError::Io);
    }
    Ok(())
}

fn read_chunked_body(
    reader: &mut BufReader<Conn>,
    line: &mut Vec<u8>,
    body: &mut Vec<u8>,
) -> Result<(), ReadError> {
    loop {
        if !read_line(reader, line)? {
            return Err(ReadError::Io);
        }
        let size_end = line.iter().position(|&b| b == b';').unwrap_or(line.len());
        let digits = line[..size_end].trim_ascii();
        if digits.is_empty() || digits.len() > 15 {
            return Err(ReadError::Bad("malformed chunk size"));
        }
        let mut size: u64 = 0;
        for &digit in digits {
            match hex_value(digit) {
                Some(value) => size = size * 16 + u64::from(value),
                None => return Err(ReadError::Bad("malformed chunk size")),
            }
        }
        if size == 0 {
            // Trailer section: ignored.
            for _ in 0..=MAX_HEADERS {
                if !read_line(reader, line)? {
                    return Err(ReadError::Io);
                }
                if line.is_empty() {
                    return Ok(());
                }
            }
            return Err(ReadError::Bad("too many trailers"));
        }
        read_exact_body(reader, size, body)?;
        if !read_line(reader, line)? {
            return Err(ReadError::Io);
        }
        if !line.is_empty() {
            return Err(ReadError::Bad("missing CRLF after chunk data"));
        }
    }
}

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

fn reason(status: u16) -> &'static str {
    ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|c| c.canonical_reason())
        .unwrap_or("Unknown")
}

/// Writes `reply` (or, for [`Fault::CloseMidBody`] and [`Fault::ResetMidBody`], its
/// truncated form). `keep_alive` false adds `Connection: close`; `http10` with keep-alive
/// adds `Connection: keep-alive`.
fn send_reply(
    reader: &mut BufReader<Conn>,
    out: &mut Vec<u8>,
    reply: &Reply,
    is_head: bool,
    keep_alive: bool,
    http10: bool,
) -> io::Result<()> {
    let status = reply.status;
    let bodiless_status = status < 200 || status == 204 || status == 304;
    let truncated = matches!(reply.fault, Fault::CloseMidBody | Fault::ResetMidBody);
    let (length, body): (Option<usize>, &[u8]) = if truncated {
        let half = &reply.body[..reply.body.len() / 2];
        (
            Some(reply.body.len().max(1)),
            if is_head || bodiless_status {
                &[]
            } else {
                half
            },
        )
    } else if bodiless_status {
        (None, &[])
    } else {
        (
            Some(reply.body.len()),
            if is_head { &[] } else { &reply.body },
        )
    };

    write_head(out, reply, length, keep_alive, http10);
    let conn = reader.get_mut();
    match reply.drip {
        None => {
            out.extend_from_slice(body);
            conn.write_all(out)?;
        }
        Some(pause) => {
            conn.write_all(out)?;
            for (i, byte) in body.iter().enumerate() {
                if i > 0 && !conn.shared.sleep(pause) {
                    return Err(shutdown_error());
                }
                conn.write_all(std::slice::from_ref(byte))?;
            }
        }
    }
    conn.flush()
}

/// The status line and headers of `reply`, into `out` (cleared first).
fn write_head(
    out: &mut Vec<u8>,
    reply: &Reply,
    length: Option<usize>,
    keep_alive: bool,
    http10: bool,
) {
    let status = reply.status;
    out.clear();
    let _ = write!(out, "HTTP/1.1 {status} {}\r\n", reason(status));
    if let (Some(length), false) = (length, reply.own_length) {
        let _ = write!(out, "Content-Length: {length}\r\n");
    }
    for (name, value) in &reply.headers {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    if !keep_alive && !reply.closes && reply.fault == Fault::None {
        out.extend_from_slice(b"Connection: close\r\n");
    } else if keep_alive && http10 {
        out.extend_from_slice(b"Connection: keep-alive\r\n");
    }
    out.extend_from_slice(b"\r\n");
}

/// Writes the status line and the header section of `reply` up to the middle of a header
/// line: never the blank line that would end it.
fn send_partial_head(
    reader: &mut BufReader<Conn>,
    out: &mut Vec<u8>,
    reply: &Reply,
) -> io::Result<()> {
    write_head(out, reply, Some(reply.body.len()), false, false);
    let status_line = out.iter().position(|&b| b == b'\n').map_or(0, |i| i + 1);
    // Past the status line, never up to the final CRLF CRLF, and never just after a line
    // ending: the last header line sent is unfinished.
    let mut cut = (out.len() / 2).max(status_line + 4).min(out.len() - 4);
    while cut > status_line && matches!(out[cut - 1], b'\r' | b'\n') {
        cut -= 1;
    }
    let conn = reader.get_mut();
    conn.write_all(&out[..cut])?;
    conn.flush()
}
