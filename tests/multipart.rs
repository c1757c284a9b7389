//! Multipart uploads, checked by parsing what the mock received with an independent parser
//! (`multer`): field names, file names, part content types, exact bytes, framing headers.

mod common;

use std::io::{self, Cursor, Read};

use clerk_backend_api::testing::{MockServer, RecordedRequest, Reply, fixtures};
use clerk_backend_api::{Error, FilePart};

use common::{Part, TempFile, assert_invalid, harness, parse_multipart, pattern};

const LOGO_PATH: &str = "/organizations/org_1/logo";

fn upload_mock() -> MockServer {
    let mock = MockServer::start();
    mock.on("PUT", LOGO_PATH)
        .reply(Reply::json(200, fixtures::ORGANIZATION_WITH_LOGO));
    mock
}

fn parts_of(r: &RecordedRequest) -> Vec<Part> {
    let ct = r.header("content-type").expect("a content type");
    assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");
    parse_multipart(ct, &r.body)
}

fn file_part(name: &str, content_type: &str, data: &[u8]) -> Part {
    Part {
        name: Some("file".to_owned()),
        file_name: Some(name.to_owned()),
        content_type: Some(content_type.to_owned()),
        data: data.to_vec(),
    }
}

fn text_part(name: &str, value: &str) -> Part {
    Part {
        name: Some(name.to_owned()),
        file_name: None,
        content_type: None,
        data: value.as_bytes().to_vec(),
    }
}

/// A reader that hands out at most `chunk` bytes per call, like a pipe.
struct Trickle {
    inner: Cursor<Vec<u8>>,
    chunk: usize,
}

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.chunk);
        self.inner.read(&mut buf[..n])
    }
}

#[test]
fn bytes_upload_has_the_file_and_text_fields() {
    let mock = upload_mock();
    let h = harness(&mock);
    // Binary content that contains CRLFs and dashes, like a real image might.
    let mut data = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', 0, 0xff];
    data.extend_from_slice(b"\r\n--\r\n--clerk-rust-\r\n\r\n");
    data.extend(pattern(3000, 1));
    let org = h
        .clerk
        .organizations()
        .upload_logo("org_1", FilePart::from_bytes(data.clone(), "logo.png"))
        .uploader_user_id("user_2abc")
        .send()
        .unwrap();
    assert_eq!(org.id, "org_2xyz");

    let r = &mock.requests()[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("PUT", LOGO_PATH));
    assert_eq!(
        parts_of(r),
        [
            text_part("uploader_user_id", "user_2abc"),
            file_part("logo.png", "image/png", &data),
        ]
    );
    // A known length goes out as Content-Length, not chunked.
    assert_eq!(
        r.header("content-length"),
        Some(r.body.len().to_string().as_str())
    );
    assert_eq!(r.header("transfer-encoding"), None);
}

#[test]
fn without_uploader_only_the_file_is_sent() {
    let mock = upload_mock();
    let h = harness(&mock);
    h.clerk
        .organizations()
        .upload_logo("org_1", FilePart::from_bytes(b"GIF89a".to_vec(), "a.gif"))
        .send()
        .unwrap();
    assert_eq!(
        parts_of(&mock.requests()[0]),
        [file_part("a.gif", "image/gif", b"GIF89a")]
    );
}

#[test]
fn file_upload_streams_the_file_with_its_name_and_type() {
    let mock = upload_mock();
    let h = harness(&mock);
    let data = pattern(10_000, 2);
    let file = TempFile::new("company logo.JPG", &data);
    h.clerk
        .organizations()
        .upload_logo("org_1", FilePart::open(file.path()).unwrap())
        .uploader_user_id("user_9")
        .send()
        .unwrap();
    let r = &mock.requests()[0];
    // Only the last path component is sent, never the local directory.
    assert_eq!(
        parts_of(r),
        [
            text_part("uploader_user_id", "user_9"),
            file_part("company logo.JPG", "image/jpeg", &data),
        ]
    );
    let dir = file.path().parent().unwrap().to_string_lossy().into_owned();
    assert!(
        !String::from_utf8_lossy(&r.body).contains(&dir),
        "the local path leaked"
    );
    assert_eq!(
        r.header("content-length"),
        Some(r.body.len().to_string().as_str())
    );
}

#[test]
fn reader_upload_goes_out_chunked() {
    let mock = upload_mock();
    let h = harness(&mock);
    let data = pattern(50_000, 3);
    let reader = Trickle {
        inner: Cursor::new(data.clone()),
        chunk: 777,
    };
    h.clerk
        .organizations()
        .upload_logo("org_1", FilePart::from_reader(reader, "logo.webp"))
        .uploader_user_id("user_2abc")
        .send()
        .unwrap();
    let r = &mock.requests()[0];
    assert_eq!(r.header("transfer-encoding"), Some("chunked"));
    assert_eq!(r.header("content-length"), None);
    assert_eq!(
        parts_of(r),
        [
            text_part("uploader_user_id", "user_2abc"),
            file_part("logo.webp", "image/webp", &data),
        ]
    );
}

#[test]
fn a_one_mebibyte_file_round_trips_byte_exact() {
    let mock = upload_mock();
    let h = harness(&mock);
    let data = pattern(1024 * 1024, 4);
    let file = TempFile::new("big.png", &data);
    h.clerk
        .organizations()
        .upload_logo("org_1", FilePart::open(file.path()).unwrap())
        .send()
        .unwrap();
    let parts = parts_of(&mock.requests()[0]);
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].data.len(), data.len());
    assert!(
        parts[0].data == data,
        "the 1 MiB file was altered in transit"
    );
}

#[test]
fn explicit_file_name_and_content_type_are_sent() {
    let mock = upload_mock();
    let h = harness(&mock);
    let part = FilePart::from_bytes(b"<svg/>".to_vec(), "upload.bin")
        .file_name("logo.svg")
        .content_type("image/svg+xml");
    h.clerk
        .organizations()
        .upload_logo("org_1", part)
        .send()
        .unwrap();
    assert_eq!(
        parts_of(&mock.requests()[0]),
        [file_part("logo.svg", "image/svg+xml", b"<svg/>")]
    );
}

#[test]
fn a_quote_in_the_file_name_cannot_add_parameters() {
    let mock = upload_mock();
    let h = harness(&mock);
    let part = FilePart::from_bytes(b"x".to_vec(), r#"a".png; name="evil"#);
    h.clerk
        .organizations()
        .upload_logo("org_1", part)
        .uploader_user_id("u")
        .send()
        .unwrap();
    let parts = parts_of(&mock.requests()[0]);
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[1].name.as_deref(), Some("file"));
    assert_eq!(parts[1].data, b"x");
    let name = parts[1].file_name.as_deref().unwrap();
    assert!(!name.contains('"'), "{name}");
    assert_eq!(parts[0], text_part("uploader_user_id", "u"));
}

#[test]
fn cr_or_lf_in_part_headers_is_refused_before_sending() {
    let mock = upload_mock();
    let h = harness(&mock);
    let bad = [
        FilePart::from_bytes(vec![1], "a.png\r\nX-Evil: 1"),
        FilePart::from_bytes(vec![1], "a.png").content_type("image/png\nX-Evil: 1"),
    ];
    for part in bad {
        let err = h
            .clerk
            .organizations()
            .upload_logo("org_1", part)
            .send()
            .unwrap_err();
        assert_invalid(&err);
    }
    assert_eq!(mock.request_count(), 0);
}

#[test]
fn unopenable_files_are_invalid_requests() {
    let missing = std::env::temp_dir().join("clerk-backend-api-tests-no-such-file.png");
    assert_invalid(&FilePart::open(&missing).unwrap_err());
    let file = TempFile::new("x.png", b"x");
    let dir = file.path().parent().unwrap();
    assert_invalid(&FilePart::open(dir).unwrap_err());
}

#[test]
fn a_file_removed_before_sending_is_an_invalid_request() {
    let mock = upload_mock();
    let h = harness(&mock);
    let file = TempFile::new("gone.png", b"x");
    let part = FilePart::open(file.path()).unwrap();
    drop(file);
    let err = h
        .clerk
        .organizations()
        .upload_logo("org_1", part)
        .send()
        .unwrap_err();
    assert_invalid(&err);
    assert_eq!(mock.request_count(), 0);
}

#[test]
fn file_and_bytes_uploads_are_replayed_identically_on_429() {
    let file_data = pattern(20_000, 5);
    let file = TempFile::new("logo.png", &file_data);
    let parts = [
        FilePart::from_bytes(pattern(5000, 6), "logo.png"),
        FilePart::open(file.path()).unwrap(),
    ];
    for part in parts {
        let mock = MockServer::start();
        mock.on("PUT", LOGO_PATH)
            .reply(Reply::status(429).header("Retry-After", "0"))
            .reply(Reply::json(200, fixtures::ORGANIZATION_WITH_LOGO));
        let h = harness(&mock);
        h.clerk
            .organizations()
            .upload_logo("org_1", part)
            .uploader_user_id("user_1")
            .send()
            .unwrap();
        let requests = mock.requests();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].body, requests[1].body);
        assert_eq!(parts_of(&requests[1]), parts_of(&requests[0]));
        assert_eq!(parts_of(&requests[1]).len(), 2);
    }
}

#[test]
fn a_reader_part_cannot_be_sent_twice() {
    let mock = upload_mock();
    let h = harness(&mock);
    let request = h.clerk.organizations().upload_logo(
        "org_1",
        FilePart::from_reader(Cursor::new(b"abc".to_vec()), "a.png"),
    );
    let again = request.clone();
    request.send().unwrap();
    let err = again.send().unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert_eq!(mock.request_count(), 1);
}
