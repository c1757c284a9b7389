//! A small streaming `multipart/form-data` encoder (RFC 7578) for file uploads.
//!
//! The body is a chain of readers: part headers as small buffers, file contents streamed from
//! disk, memory or the caller's reader. Nothing is read whole into memory. Files and byte
//! buffers can be sent again (so the upload can be retried); a caller's reader cannot.

use std::collections::VecDeque;
use std::fmt;
use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::error::{InvalidRequest, Result};

/// A file to upload, from a path, from bytes in memory, or from a reader.
///
/// The content type is guessed from the file name's extension (`png`, `jpg`, `gif`, `webp`,
/// `svg`, `ico`, …; otherwise `application/octet-stream`) and can be set explicitly.
///
/// ```no_run
/// use clerk_backend_api::FilePart;
///
/// # fn main() -> clerk_backend_api::Result<()> {
/// let from_disk = FilePart::open("assets/logo.png")?;
/// let from_memory = FilePart::from_bytes(vec![0x89, b'P', b'N', b'G'], "logo.png");
/// let from_reader = FilePart::from_reader(std::io::stdin(), "logo.png").content_type("image/png");
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct FilePart {
    source: Source,
    file_name: String,
    content_type: String,
}

#[derive(Clone)]
enum Source {
    Path(PathBuf),
    Bytes(Arc<[u8]>),
    Reader(Arc<Mutex<Option<Box<dyn Read + Send>>>>),
}

impl FilePart {
    /// A file on disk, streamed when the request is sent (and reopened on a retry). The file
    /// name sent is the path's last component.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) when the path cannot be opened or is not a regular file.
    pub fn open(path: impl AsRef<Path>) -> Result<FilePart> {
        let path = path.as_ref();
        let meta = std::fs::metadata(path)
            .map_err(|e| InvalidRequest::io(format!("cannot open {}", path.display()), e))?;
        if !meta.is_file() {
            return Err(InvalidRequest::new(format!("{} is not a file", path.display())).into());
        }
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".to_owned());
        Ok(FilePart {
            content_type: guess_content_type(&file_name).to_owned(),
            source: Source::Path(path.to_owned()),
            file_name,
        })
    }

    /// Bytes already in memory.
    pub fn from_bytes(bytes: impl Into<Vec<u8>>, file_name: impl Into<String>) -> FilePart {
        let file_name = file_name.into();
        FilePart {
            content_type: guess_content_type(&file_name).to_owned(),
            source: Source::Bytes(bytes.into().into()),
            file_name,
        }
    }

    /// A one-shot reader, streamed with chunked transfer encoding. A request with such a part
    /// is never retried, since the reader cannot be rewound.
    pub fn from_reader(
        reader: impl Read + Send + 'static,
        file_name: impl Into<String>,
    ) -> FilePart {
        let file_name = file_name.into();
        FilePart {
            content_type: guess_content_type(&file_name).to_owned(),
            source: Source::Reader(Arc::new(Mutex::new(Some(Box::new(reader))))),
            file_name,
        }
    }

    /// Sets the file name sent in the part's `Content-Disposition`.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = name.into();
        self
    }

    /// Sets the part's `Content-Type`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Path(p) => format!("path {}", p.display()),
            Source::Bytes(b) => format!("{} bytes", b.len()),
            Source::Reader(_) => "reader".to_owned(),
        };
        f.debug_struct("FilePart")
            .field("source", &source)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

fn guess_content_type(file_name: &str) -> &'static str {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "avif" => "image/avif",
        "bmp" => "image/bmp",
        "heic" => "image/heic",
        "pdf" => "application/pdf",
        "json" => "application/json",
        "txt" => "text/plain",
        _ => "application/octet-stream",
    }
}

/// A `multipart/form-data` body: text fields and file parts, in order.
#[derive(Debug, Clone)]
pub(crate) struct Multipart {
    boundary: String,
    parts: Vec<(String, Value)>,
}

#[derive(Debug, Clone)]
enum Value {
    Text(String),
    File(FilePart),
}

impl Multipart {
    pub(crate) fn new(boundary: String) -> Self {
        Multipart {
            boundary,
            parts: Vec::new(),
        }
    }

    pub(crate) fn text(mut self, name: &str, value: Option<String>) -> Self {
        if let Some(v) = value {
            self.parts.push((name.to_owned(), Value::Text(v)));
        }
        self
    }

    pub(crate) fn file(mut self, name: &str, file: FilePart) -> Self {
        self.parts.push((name.to_owned(), Value::File(file)));
        self
    }

    pub(crate) fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// Whether [`open`](Self::open) can be called more than once.
    pub(crate) fn is_replayable(&self) -> bool {
        !self.parts.iter().any(|(_, v)| {
            matches!(
                v,
                Value::File(FilePart {
                    source: Source::Reader(_),
                    ..
                })
            )
        })
    }

    /// The body as a reader, and its length when every part's length is known.
    ///
    /// # Errors
    /// When a name, file name or content type would break the part headers (CR or LF), when a
    /// file cannot be opened, or when a one-shot reader was already sent.
    pub(crate) fn open(&self) -> Result<(Box<dyn Read + Send>, Option<u64>), InvalidRequest> {
        let mut chain = Chain::default();
        let mut len = Some(0u64);
        let mut add = |chain: &mut Chain, r: Box<dyn Read + Send>, n: Option<u64>| {
            len = len.and_then(|l| n.map(|n| l + n));
            chain.0.push_back(r);
        };
        for (name, value) in &self.parts {
            let mut head = format!(
                "--{}\r\nContent-Disposition: form-data; name=\"{}\"",
                self.boundary,
                quote(name)?
            );
            match value {
                Value::Text(text) => {
                    head.push_str("\r\n\r\n");
                    head.push_str(text);
                    head.push_str("\r\n");
                    let n = head.len() as u64;
                    add(
                        &mut chain,
                        Box::new(Cursor::new(head.into_bytes())),
                        Some(n),
                    );
                }
                Value::File(file) => {
                    if file.content_type.contains(['\r', '\n']) {
                        return Err(InvalidRequest::new(
                            "a file part's content type must not contain CR or LF",
                        ));
                    }
                    head.push_str(&format!(
                        "; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                        quote(&file.file_name)?,
                        file.content_type
                    ));
                    let n = head.len() as u64;
                    add(
                        &mut chain,
                        Box::new(Cursor::new(head.into_bytes())),
                        Some(n),
                    );
                    let (reader, n) = file_reader(&file.source)?;
                    add(&mut chain, reader, n);
                    add(&mut chain, Box::new(Cursor::new(b"\r\n".to_vec())), Some(2));
                }
            }
        }
        let tail = format!("--{}--\r\n", self.boundary);
        let n = tail.len() as u64;
        add(
            &mut chain,
            Box::new(Cursor::new(tail.into_bytes())),
            Some(n),
        );
        Ok((Box::new(chain), len))
    }
}

fn file_reader(source: &Source) -> Result<(Box<dyn Read + Send>, Option<u64>), InvalidRequest> {
    match source {
        Source::Path(p) => {
            let file = File::open(p)
                .map_err(|e| InvalidRequest::io(format!("cannot open {}", p.display()), e))?;
            let len = file
                .metadata()
                .map_err(|e| InvalidRequest::io(format!("cannot read {}", p.display()), e))?
                .len();
            // `take` keeps the body within the announced length if the file grows meanwhile.
            Ok((Box::new(file.take(len)), Some(len)))
        }
        Source::Bytes(b) => {
            let len = b.len() as u64;
            Ok((Box::new(Cursor::new(SharedBytes(b.clone()))), Some(len)))
        }
        Source::Reader(r) => {
            let reader = r
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .ok_or_else(|| InvalidRequest::new("a one-shot reader part was already sent"))?;
            Ok((reader, None))
        }
    }
}

/// Quotes a name for a `Content-Disposition` parameter: `"` becomes `%22` (as browsers do);
/// CR and LF are refused, since they would end the header.
fn quote(name: &str) -> Result<String, InvalidRequest> {
    if name.contains(['\r', '\n']) {
        return Err(InvalidRequest::new(
            "a multipart field or file name must not contain CR or LF",
        ));
    }
    Ok(name.replace('"', "%22"))
}

struct SharedBytes(Arc<[u8]>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// Readers read one after another.
#[derive(Default)]
struct Chain(VecDeque<Box<dyn Read + Send>>);

impl Read for Chain {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while let Some(front) = self.0.front_mut() {
            let n = front.read(buf)?;
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
            self.0.pop_front();
        }
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(m: &Multipart) -> (Vec<u8>, Option<u64>) {
        let (mut r, len) = m.open().unwrap();
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        (out, len)
    }

    #[test]
    fn frames_text_and_file_parts_with_exact_length() {
        let m = Multipart::new("B".into())
            .file(
                "file",
                FilePart::from_bytes(b"PNGDATA".to_vec(), "a\"b.png"),
            )
            .text("uploader_user_id", Some("user_1".into()))
            .text("absent", None);
        let (body, len) = read_all(&m);
        let expected = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a%22b.png\"\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n--B\r\nContent-Disposition: form-data; name=\"uploader_user_id\"\r\n\r\nuser_1\r\n--B--\r\n";
        assert_eq!(String::from_utf8(body.clone()).unwrap(), expected);
        assert_eq!(len, Some(body.len() as u64));
        assert!(m.is_replayable());
        assert_eq!(read_all(&m).0, body, "a bytes part can be sent again");
    }

    #[test]
    fn readers_have_no_length_and_are_one_shot() {
        let m =
            Multipart::new("B".into()).file("file", FilePart::from_reader(&b"xyz"[..], "x.bin"));
        assert!(!m.is_replayable());
        let (body, len) = read_all(&m);
        assert_eq!(len, None);
        assert!(String::from_utf8_lossy(&body).contains("application/octet-stream\r\n\r\nxyz\r\n"));
        assert!(m.open().is_err());
    }

    #[test]
    fn header_injection_is_refused() {
        let m = Multipart::new("B".into())
            .file("file", FilePart::from_bytes(vec![1], "x\r\nX-Evil: 1"));
        assert!(m.open().is_err());
        let m = Multipart::new("B".into()).file(
            "file",
            FilePart::from_bytes(vec![1], "x.png").content_type("image/png\r\nX: y"),
        );
        assert!(m.open().is_err());
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(guess_content_type("logo.PNG"), "image/png");
        assert_eq!(guess_content_type("a.b.jpeg"), "image/jpeg");
        assert_eq!(guess_content_type("noext"), "application/octet-stream");
    }
}
