//! Organizations: groups of users with roles and shared resources.
//!
//! Reached through [`Clerk::organizations`].

use crate::Clerk;
use crate::error::Result;
use crate::http::{Body, CallOptions, Query, RequestSpec};
use crate::log::Operation;
use crate::models::OrganizationWithLogo;
use crate::multipart::{FilePart, Multipart};

/// The `organizations` operations. Made by [`Clerk::organizations`].
#[derive(Debug, Clone, Copy)]
pub struct Organizations<'a> {
    clerk: &'a Clerk,
}

impl<'a> Organizations<'a> {
    pub(crate) fn new(clerk: &'a Clerk) -> Self {
        Organizations { clerk }
    }

    /// Upload a logo for the organization.
    ///
    /// Sets or replaces an organization's logo by uploading an image file (`image/jpeg`,
    /// `image/png`, `image/gif` or `image/webp`, at most 10 MB). The file is streamed, never
    /// read whole into memory.
    ///
    /// Sends `PUT /organizations/{organization_id}/logo` (`UploadOrganizationLogo`) as
    /// `multipart/form-data`.
    ///
    /// ```no_run
    /// use clerk_backend_api::FilePart;
    /// # fn main() -> clerk_backend_api::Result<()> {
    /// # let clerk = clerk_backend_api::Clerk::from_env()?;
    /// let org = clerk
    ///     .organizations()
    ///     .upload_logo("org_2xyz", FilePart::open("assets/logo.png")?)
    ///     .uploader_user_id("user_2abc")
    ///     .send()?;
    /// println!("{:?}", org.image_url);
    /// # Ok(())
    /// # }
    /// ```
    pub fn upload_logo(
        &self,
        organization_id: impl Into<String>,
        file: FilePart,
    ) -> UploadOrganizationLogo {
        UploadOrganizationLogo {
            clerk: self.clerk.clone(),
            organization_id: organization_id.into(),
            file,
            uploader_user_id: None,
            options: CallOptions::default(),
        }
    }
}

/// Upload a logo for the organization. Made by [`Organizations::upload_logo`].
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until .send()"]
pub struct UploadOrganizationLogo {
    clerk: Clerk,
    organization_id: String,
    file: FilePart,
    uploader_user_id: Option<String>,
    options: CallOptions,
}

impl UploadOrganizationLogo {
    const OP: Operation = Operation {
        id: "UploadOrganizationLogo",
        method: "PUT",
        path: "/organizations/{organization_id}/logo",
    };

    call_options!();

    /// The id of the user credited with the upload.
    pub fn uploader_user_id(mut self, user_id: impl Into<String>) -> Self {
        self.uploader_user_id = Some(user_id.into());
        self
    }

    /// Sends the request. A file or byte upload is retried like any write (only when nothing
    /// was sent, or on `429`); an upload from a reader is never retried.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) when the file cannot be opened;
    /// [`Error::Api`](crate::Error::Api) with status 413 or 422 for a file Clerk refuses; any
    /// other [`Error`](crate::Error) on failure.
    pub fn send(self) -> Result<OrganizationWithLogo> {
        let body = Multipart::new(self.clerk.inner.boundary())
            .file("file", self.file)
            .text("uploader_user_id", self.uploader_user_id);
        self.clerk.send_json(RequestSpec {
            op: Self::OP,
            path_params: &[&self.organization_id],
            query: Query::new(),
            body: Body::Multipart(body),
            options: &self.options,
        })
    }
}
