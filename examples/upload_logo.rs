//! Upload an organization's logo from a file, streamed from disk.
//!
//! ```sh
//! CLERK_SECRET_KEY=sk_test_... cargo run --example upload_logo -- org_2xyz assets/logo.png [user_2abc]
//! ```

use clerk_backend_api::{Clerk, Error, FilePart};

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let (Some(org), Some(path)) = (args.next(), args.next()) else {
        eprintln!("usage: upload_logo <organization_id> <image file> [uploader_user_id]");
        std::process::exit(2);
    };
    let clerk = Clerk::from_env()?;

    // The content type comes from the extension (png, jpg, gif, webp).
    let mut upload = clerk
        .organizations()
        .upload_logo(org, FilePart::open(path)?);
    if let Some(user) = args.next() {
        upload = upload.uploader_user_id(user);
    }
    match upload.send() {
        Ok(org) => println!("{}: logo at {:?}", org.id, org.image_url),
        Err(e) if e.status() == Some(413) || e.status() == Some(422) => {
            eprintln!("Clerk refused the file: {e}");
        }
        Err(e) => return Err(e),
    }
    Ok(())
}
