//! Users: the people who sign in to your application.
//!
//! Reached through [`Clerk::users`]. Each method returns a request builder; `send()` runs it.

use std::fmt;

use serde::Serialize;

use crate::Clerk;
use crate::error::{InvalidRequest, Result};
use crate::http::{Body, CallOptions, Query, RequestSpec};
use crate::log::Operation;
use crate::models::{DeletedObject, User};
use crate::pagination::{Cursor, Page, Paginator};

/// The `users` operations. Made by [`Clerk::users`].
#[derive(Debug, Clone, Copy)]
pub struct Users<'a> {
    clerk: &'a Clerk,
}

impl<'a> Users<'a> {
    pub(crate) fn new(clerk: &'a Clerk) -> Self {
        Users { clerk }
    }

    /// Retrieve a user.
    ///
    /// Retrieve the details of a user.
    ///
    /// Sends `GET /users/{user_id}` (`GetUser`).
    ///
    /// ```no_run
    /// # fn main() -> clerk_backend_api::Result<()> {
    /// # let clerk = clerk_backend_api::Clerk::from_env()?;
    /// let user = clerk.users().get("user_2abc").send()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn get(&self, user_id: impl Into<String>) -> GetUser {
        GetUser {
            clerk: self.clerk.clone(),
            user_id: user_id.into(),
            options: CallOptions::default(),
        }
    }

    /// List all users.
    ///
    /// Returns a list of all users, sorted by creation date, newest first. One call returns one
    /// page; [`GetUserList::paginate`] walks them all, by the `starting_after` cursor when the
    /// ordering allows it (large offsets get slow and eventually time out).
    ///
    /// Sends `GET /users` (`GetUserList`).
    ///
    /// ```no_run
    /// # fn main() -> clerk_backend_api::Result<()> {
    /// # let clerk = clerk_backend_api::Clerk::from_env()?;
    /// let users = clerk
    ///     .users()
    ///     .list()
    ///     .email_address(["ada@example.com", "grace@example.com"])
    ///     .limit(200)
    ///     .paginate();
    /// for user in users {
    ///     println!("{}", user?.id);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> GetUserList {
        GetUserList {
            clerk: self.clerk.clone(),
            params: ListParams::default(),
            options: CallOptions::default(),
        }
    }

    /// Create a new user.
    ///
    /// Your user management settings determine which fields are required. By default, any
    /// email address and phone number created this way is marked as verified.
    ///
    /// Sends `POST /users` (`CreateUser`).
    ///
    /// ```no_run
    /// # fn main() -> clerk_backend_api::Result<()> {
    /// # let clerk = clerk_backend_api::Clerk::from_env()?;
    /// let user = clerk
    ///     .users()
    ///     .create()
    ///     .email_address(["ada@example.com"])
    ///     .first_name("Ada")
    ///     .skip_password_requirement(true)
    ///     .send()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn create(&self) -> CreateUser {
        CreateUser {
            clerk: self.clerk.clone(),
            body: CreateUserBody::default(),
            options: CallOptions::default(),
        }
    }

    /// Delete a user.
    ///
    /// Delete the specified user.
    ///
    /// Sends `DELETE /users/{user_id}` (`DeleteUser`).
    pub fn delete(&self, user_id: impl Into<String>) -> DeleteUser {
        DeleteUser {
            clerk: self.clerk.clone(),
            user_id: user_id.into(),
            options: CallOptions::default(),
        }
    }
}

fn strings(values: impl IntoIterator<Item = impl Into<String>>) -> Vec<String> {
    values.into_iter().map(Into::into).collect()
}

/// Retrieve a user. Made by [`Users::get`].
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until .send()"]
pub struct GetUser {
    clerk: Clerk,
    user_id: String,
    options: CallOptions,
}

impl GetUser {
    const OP: Operation = Operation {
        id: "GetUser",
        method: "GET",
        path: "/users/{user_id}",
    };

    call_options!();

    /// Sends the request.
    ///
    /// # Errors
    /// [`Error::Api`](crate::Error::Api) with status 404 when there is no such user; any
    /// other [`Error`](crate::Error) on failure.
    pub fn send(self) -> Result<User> {
        self.clerk.send_json(RequestSpec {
            op: Self::OP,
            path_params: &[&self.user_id],
            query: Query::new(),
            body: Body::Empty,
            options: &self.options,
        })
    }
}

/// The query of [`GetUserList`].
#[derive(Debug, Clone, Default)]
struct ListParams {
    email_address: Vec<String>,
    phone_number: Vec<String>,
    external_id: Vec<String>,
    username: Vec<String>,
    web3_wallet: Vec<String>,
    user_id: Vec<String>,
    organization_id: Vec<String>,
    query: Option<String>,
    email_address_query: Option<String>,
    phone_number_query: Option<String>,
    username_query: Option<String>,
    name_query: Option<String>,
    banned: Option<bool>,
    last_active_at_before: Option<i64>,
    last_active_at_after: Option<i64>,
    last_active_at_since: Option<i64>,
    created_at_before: Option<i64>,
    created_at_after: Option<i64>,
    last_sign_in_at_before: Option<i64>,
    last_sign_in_at_after: Option<i64>,
    provider: Option<String>,
    provider_user_id: Vec<String>,
    limit: Option<u32>,
    offset: Option<u64>,
    starting_after: Option<String>,
    order_by: Option<String>,
}

impl ListParams {
    fn query(&self) -> Result<Query> {
        if let Some(limit) = self.limit {
            if !(1..=500).contains(&limit) {
                return Err(InvalidRequest::new(format!(
                    "`limit` must be within 1..=500, not {limit}"
                ))
                .into());
            }
        }
        let mut q = Query::new();
        q.each("email_address", &self.email_address);
        q.each("phone_number", &self.phone_number);
        q.each("external_id", &self.external_id);
        q.each("username", &self.username);
        q.each("web3_wallet", &self.web3_wallet);
        q.each("user_id", &self.user_id);
        q.each("organization_id", &self.organization_id);
        q.opt("query", self.query.as_ref());
        q.opt("email_address_query", self.email_address_query.as_ref());
        q.opt("phone_number_query", self.phone_number_query.as_ref());
        q.opt("username_query", self.username_query.as_ref());
        q.opt("name_query", self.name_query.as_ref());
        q.opt("banned", self.banned);
        q.opt("last_active_at_before", self.last_active_at_before);
        q.opt("last_active_at_after", self.last_active_at_after);
        q.opt("last_active_at_since", self.last_active_at_since);
        q.opt("created_at_before", self.created_at_before);
        q.opt("created_at_after", self.created_at_after);
        q.opt("last_sign_in_at_before", self.last_sign_in_at_before);
        q.opt("last_sign_in_at_after", self.last_sign_in_at_after);
        q.opt("provider", self.provider.as_ref());
        q.each("provider_user_id", &self.provider_user_id);
        q.opt("limit", self.limit);
        q.opt("offset", self.offset);
        q.opt("starting_after", self.starting_after.as_ref());
        q.opt("order_by", self.order_by.as_ref());
        Ok(q)
    }
}

/// List all users. Made by [`Users::list`].
///
/// Every filter is optional; a repeated call to a setter replaces the earlier value.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until .send()"]
pub struct GetUserList {
    clerk: Clerk,
    params: ListParams,
    options: CallOptions,
}

impl GetUserList {
    const OP: Operation = Operation {
        id: "GetUserList",
        method: "GET",
        path: "/users",
    };

    call_options!();

    /// Users with these email addresses (up to 100; unknown ones are ignored).
    pub fn email_address(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.params.email_address = strings(values);
        self
    }

    /// Users with these phone numbers (up to 100).
    pub fn phone_number(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.params.phone_number = strings(values);
        self
    }

    /// Users with these external ids (up to 100). Prefix an id with `+` or `-` to include or
    /// exclude it.
    pub fn external_id(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.params.external_id = strings(values);
        self
    }

    /// Users with these usernames (up to 100).
    pub fn username(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.params.username = strings(values);
        self
    }

    /// Users with these web3 wallet addresses (up to 100).
    pub fn web3_wallet(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.params.web3_wallet = strings(values);
        self
    }

    /// Users with these ids (up to 100). Prefix an id with `+` or `-` to include or exclude it.
    pub fn user_id(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.params.user_id = strings(values);
        self
    }

    /// Users with memberships in these organizations (up to 100). Prefix an id with `+` or
    /// `-` to include or exclude it.
    pub fn organization_id(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.params.organization_id = strings(values);
        self
    }

    /// Users matching this text in their email addresses, phone numbers, usernames, web3
    /// wallets, ids, first or last names (partial matches too).
    pub fn query(mut self, value: impl Into<String>) -> Self {
        self.params.query = Some(value.into());
        self
    }

    /// Users with an email address containing this text (case-insensitive).
    pub fn email_address_query(mut self, value: impl Into<String>) -> Self {
        self.params.email_address_query = Some(value.into());
        self
    }

    /// Users with a phone number containing this text.
    pub fn phone_number_query(mut self, value: impl Into<String>) -> Self {
        self.params.phone_number_query = Some(value.into());
        self
    }

    /// Users with a username containing this text (case-insensitive).
    pub fn username_query(mut self, value: impl Into<String>) -> Self {
        self.params.username_query = Some(value.into());
        self
    }

    /// Users with a name containing this text (case-insensitive).
    pub fn name_query(mut self, value: impl Into<String>) -> Self {
        self.params.name_query = Some(value.into());
        self
    }

    /// Only banned (`true`) or only not banned (`false`) users.
    pub fn banned(mut self, value: bool) -> Self {
        self.params.banned = Some(value);
        self
    }

    /// Users whose last session activity was before this time (Unix milliseconds).
    pub fn last_active_at_before(mut self, unix_ms: i64) -> Self {
        self.params.last_active_at_before = Some(unix_ms);
        self
    }

    /// Users whose last session activity was after this time (Unix milliseconds).
    pub fn last_active_at_after(mut self, unix_ms: i64) -> Self {
        self.params.last_active_at_after = Some(unix_ms);
        self
    }

    /// Users with session activity since this time (Unix milliseconds).
    #[deprecated(note = "use `last_active_at_after`")]
    pub fn last_active_at_since(mut self, unix_ms: i64) -> Self {
        self.params.last_active_at_since = Some(unix_ms);
        self
    }

    /// Users created before this time (Unix milliseconds).
    pub fn created_at_before(mut self, unix_ms: i64) -> Self {
        self.params.created_at_before = Some(unix_ms);
        self
    }

    /// Users created after this time (Unix milliseconds).
    pub fn created_at_after(mut self, unix_ms: i64) -> Self {
        self.params.created_at_after = Some(unix_ms);
        self
    }

    /// Users whose last sign-in was before this time (Unix milliseconds).
    pub fn last_sign_in_at_before(mut self, unix_ms: i64) -> Self {
        self.params.last_sign_in_at_before = Some(unix_ms);
        self
    }

    /// Users whose last sign-in was after this time (Unix milliseconds).
    pub fn last_sign_in_at_after(mut self, unix_ms: i64) -> Self {
        self.params.last_sign_in_at_after = Some(unix_ms);
        self
    }

    /// Users with external accounts of this OAuth provider (for example `oauth_google`);
    /// use together with [`provider_user_id`](Self::provider_user_id).
    pub fn provider(mut self, value: impl Into<String>) -> Self {
        self.params.provider = Some(value.into());
        self
    }

    /// Users with these provider user ids (up to 100); use together with
    /// [`provider`](Self::provider).
    pub fn provider_user_id(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.params.provider_user_id = strings(values);
        self
    }

    /// The page size, 1 to 500 (Clerk's default is 10). With [`paginate`](Self::paginate) it is
    /// the size of each request, not a total. Out of range: `InvalidRequest` at send time.
    pub fn limit(mut self, limit: u32) -> Self {
        self.params.limit = Some(limit);
        self
    }

    /// Skip this many users. Prefer [`starting_after`](Self::starting_after) for deep pages.
    pub fn offset(mut self, offset: u64) -> Self {
        self.params.offset = Some(offset);
        self
    }

    /// The users after the one with this id (a cursor). Requires the `created_at` ordering.
    pub fn starting_after(mut self, user_id: impl Into<String>) -> Self {
        self.params.starting_after = Some(user_id.into());
        self
    }

    /// The ordering: a field (`created_at`, `updated_at`, `email_address`, `web3wallet`,
    /// `first_name`, `last_name`, `phone_number`, `username`, `last_active_at`,
    /// `last_sign_in_at`) with an optional `+` (ascending) or `-` (descending) prefix.
    pub fn order_by(mut self, value: impl Into<String>) -> Self {
        self.params.order_by = Some(value.into());
        self
    }

    /// Sends the request and returns one page.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) for a `limit` outside 1..=500;
    /// any other [`Error`](crate::Error) on failure.
    pub fn send(self) -> Result<Vec<User>> {
        self.clerk.send_json(RequestSpec {
            op: Self::OP,
            path_params: &[],
            query: self.params.query()?,
            body: Body::Empty,
            options: &self.options,
        })
    }

    /// Every matching user, fetched page by page as the iterator needs them.
    ///
    /// Pages by the `starting_after` cursor when the ordering is by `created_at` (the default)
    /// and no `offset` is set; otherwise by `offset`. Stops after a short page.
    pub fn paginate(self) -> Paginator<User> {
        let by_cursor = self.params.offset.unwrap_or(0) == 0
            && self
                .params
                .order_by
                .as_deref()
                .is_none_or(|o| matches!(o, "created_at" | "+created_at" | "-created_at"));
        let first = if by_cursor {
            Cursor::After(self.params.starting_after.clone())
        } else {
            Cursor::Offset(self.params.offset.unwrap_or(0))
        };
        let page_size = u64::from(self.params.limit.unwrap_or(10));
        Paginator::new(
            Self::OP.id,
            first,
            page_size,
            |u: &User| &u.id,
            move |cursor| {
                let mut page = self.clone();
                match cursor {
                    Cursor::Offset(o) => page.params.offset = Some(*o),
                    Cursor::After(after) => page.params.starting_after = after.clone(),
                }
                Ok(Page {
                    data: page.send()?,
                    total_count: None,
                })
            },
        )
    }
}

/// The JSON body of [`CreateUser`]. Unset fields are left out.
#[derive(Clone, Default, Serialize)]
struct CreateUserBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    locale: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    email_address: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    email_address_identification_status: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    phone_number: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    phone_number_identification_status: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    web3_wallet: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_digest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_hasher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_password_checks: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_password_requirement: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    totp_secret: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    backup_codes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_metadata: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    private_metadata: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unsafe_metadata: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delete_self_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    legal_accepted_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_legal_checks: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_user_requirement: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    create_organization_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    create_organizations_limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bypass_client_trust: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    banned: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    locked: Option<bool>,
}

/// Prints every field but the secrets (`password`, `password_digest`, `totp_secret`,
/// `backup_codes`), which show as `<redacted>` when set.
impl fmt::Debug for CreateUserBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn redact<T>(v: &Option<T>) -> Option<&'static str> {
            v.as_ref().map(|_| "<redacted>")
        }
        let codes = if self.backup_codes.is_empty() {
            None
        } else {
            Some("<redacted>")
        };
        f.debug_struct("CreateUserBody")
            .field("external_id", &self.external_id)
            .field("first_name", &self.first_name)
            .field("last_name", &self.last_name)
            .field("locale", &self.locale)
            .field("email_address", &self.email_address)
            .field(
                "email_address_identification_status",
                &self.email_address_identification_status,
            )
            .field("phone_number", &self.phone_number)
            .field(
                "phone_number_identification_status",
                &self.phone_number_identification_status,
            )
            .field("web3_wallet", &self.web3_wallet)
            .field("username", &self.username)
            .field("password", &redact(&self.password))
            .field("password_digest", &redact(&self.password_digest))
            .field("password_hasher", &self.password_hasher)
            .field("skip_password_checks", &self.skip_password_checks)
            .field("skip_password_requirement", &self.skip_password_requirement)
            .field("totp_secret", &redact(&self.totp_secret))
            .field("backup_codes", &codes)
            .field("public_metadata", &self.public_metadata)
            .field("private_metadata", &self.private_metadata)
            .field("unsafe_metadata", &self.unsafe_metadata)
            .field("delete_self_enabled", &self.delete_self_enabled)
            .field("legal_accepted_at", &self.legal_accepted_at)
            .field("skip_legal_checks", &self.skip_legal_checks)
            .field("skip_user_requirement", &self.skip_user_requirement)
            .field(
                "create_organization_enabled",
                &self.create_organization_enabled,
            )
            .field(
                "create_organizations_limit",
                &self.create_organizations_limit,
            )
            .field("created_at", &self.created_at)
            .field("bypass_client_trust", &self.bypass_client_trust)
            .field("banned", &self.banned)
            .field("locked", &self.locked)
            .finish()
    }
}

/// Create a new user. Made by [`Users::create`].
///
/// Every field is optional as far as the API is concerned; your instance's settings decide
/// which identifiers and whether a password are required.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until .send()"]
pub struct CreateUser {
    clerk: Clerk,
    body: CreateUserBody,
    options: CallOptions,
}

impl CreateUser {
    const OP: Operation = Operation {
        id: "CreateUser",
        method: "POST",
        path: "/users",
    };

    call_options!();

    /// The user's id in your own systems. Must be unique across the instance.
    pub fn external_id(mut self, value: impl Into<String>) -> Self {
        self.body.external_id = Some(value.into());
        self
    }

    /// The first name.
    pub fn first_name(mut self, value: impl Into<String>) -> Self {
        self.body.first_name = Some(value.into());
        self
    }

    /// The last name.
    pub fn last_name(mut self, value: impl Into<String>) -> Self {
        self.body.last_name = Some(value.into());
        self
    }

    /// The locale, for example `en-US` or `fr-FR`.
    pub fn locale(mut self, value: impl Into<String>) -> Self {
        self.body.locale = Some(value.into());
        self
    }

    /// Email addresses; the first becomes the primary one. Created verified unless
    /// [`email_address_identification_status`](Self::email_address_identification_status)
    /// says otherwise.
    pub fn email_address(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.body.email_address = strings(values);
        self
    }

    /// One status per email address, by position: `verified` (default) or `reserved`
    /// (unverified but usable for sign-in, and locked so no other user can claim it).
    pub fn email_address_identification_status(
        mut self,
        values: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.body.email_address_identification_status = strings(values);
        self
    }

    /// Phone numbers; the first becomes the primary one.
    pub fn phone_number(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.body.phone_number = strings(values);
        self
    }

    /// One status per phone number, by position: `verified` (default) or `reserved`.
    pub fn phone_number_identification_status(
        mut self,
        values: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.body.phone_number_identification_status = strings(values);
        self
    }

    /// Web3 wallets; the first becomes the primary one.
    pub fn web3_wallet(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.body.web3_wallet = strings(values);
        self
    }

    /// The username, unique across the instance.
    pub fn username(mut self, value: impl Into<String>) -> Self {
        self.body.username = Some(value.into());
        self
    }

    /// The plaintext password (at least 8 characters, not in a list of breached passwords).
    /// Never printed by `Debug`.
    pub fn password(mut self, value: impl Into<String>) -> Self {
        self.body.password = Some(value.into());
        self
    }

    /// An existing password digest, made with the algorithm named by
    /// [`password_hasher`](Self::password_hasher). Never printed by `Debug`.
    pub fn password_digest(mut self, value: impl Into<String>) -> Self {
        self.body.password_digest = Some(value.into());
        self
    }

    /// The algorithm of [`password_digest`](Self::password_digest), for example `bcrypt`,
    /// `argon2id` or `scrypt_firebase`.
    pub fn password_hasher(mut self, value: impl Into<String>) -> Self {
        self.body.password_hasher = Some(value.into());
        self
    }

    /// Skip all password checks (for migrating plaintext passwords).
    pub fn skip_password_checks(mut self, value: bool) -> Self {
        self.body.skip_password_checks = Some(value);
        self
    }

    /// Create the user without a password even where passwords are required.
    pub fn skip_password_requirement(mut self, value: bool) -> Self {
        self.body.skip_password_requirement = Some(value);
        self
    }

    /// A TOTP secret (30 s period, 6 digits, SHA1) to enable TOTP without a reset. Never
    /// printed by `Debug`.
    pub fn totp_secret(mut self, value: impl Into<String>) -> Self {
        self.body.totp_secret = Some(value.into());
        self
    }

    /// Backup codes, plain or as bcrypt digests. Never printed by `Debug`.
    pub fn backup_codes(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.body.backup_codes = strings(values);
        self
    }

    /// Metadata visible to both your frontend and backend.
    pub fn public_metadata(mut self, value: serde_json::Value) -> Self {
        self.body.public_metadata = Some(value);
        self
    }

    /// Metadata visible only to your backend.
    pub fn private_metadata(mut self, value: serde_json::Value) -> Self {
        self.body.private_metadata = Some(value);
        self
    }

    /// Metadata the frontend can also write: do not trust it for anything sensitive.
    pub fn unsafe_metadata(mut self, value: serde_json::Value) -> Self {
        self.body.unsafe_metadata = Some(value);
        self
    }

    /// Whether the user can delete themselves through the Frontend API.
    pub fn delete_self_enabled(mut self, value: bool) -> Self {
        self.body.delete_self_enabled = Some(value);
        self
    }

    /// When the user accepted the legal requirements, as RFC 3339 (`2012-10-20T07:15:20.902Z`).
    pub fn legal_accepted_at(mut self, value: impl Into<String>) -> Self {
        self.body.legal_accepted_at = Some(value.into());
        self
    }

    /// Skip the legal checks (for migrations).
    pub fn skip_legal_checks(mut self, value: bool) -> Self {
        self.body.skip_legal_checks = Some(value);
        self
    }

    /// Do not enforce identification requirements.
    pub fn skip_user_requirement(mut self, value: bool) -> Self {
        self.body.skip_user_requirement = Some(value);
        self
    }

    /// Whether the user can create organizations through the Frontend API.
    pub fn create_organization_enabled(mut self, value: bool) -> Self {
        self.body.create_organization_enabled = Some(value);
        self
    }

    /// The most organizations the user can create; 0 means unlimited.
    pub fn create_organizations_limit(mut self, value: i64) -> Self {
        self.body.create_organizations_limit = Some(value);
        self
    }

    /// When the user signed up, as RFC 3339 (for migrations).
    pub fn created_at(mut self, value: impl Into<String>) -> Self {
        self.body.created_at = Some(value.into());
        self
    }

    /// Whether the user bypasses Device Trust checks at sign-in.
    pub fn bypass_client_trust(mut self, value: bool) -> Self {
        self.body.bypass_client_trust = Some(value);
        self
    }

    /// Create the user already banned.
    pub fn banned(mut self, value: bool) -> Self {
        self.body.banned = Some(value);
        self
    }

    /// Create the user already locked.
    pub fn locked(mut self, value: bool) -> Self {
        self.body.locked = Some(value);
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// [`Error::Api`](crate::Error::Api) with status 422 when the data breaks your
    /// instance's rules (a taken email address, say); any other [`Error`](crate::Error).
    pub fn send(self) -> Result<User> {
        self.clerk.send_json(RequestSpec {
            op: Self::OP,
            path_params: &[],
            query: Query::new(),
            body: Body::json(&self.body)?,
            options: &self.options,
        })
    }
}

/// Delete a user. Made by [`Users::delete`].
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until .send()"]
pub struct DeleteUser {
    clerk: Clerk,
    user_id: String,
    options: CallOptions,
}

impl DeleteUser {
    const OP: Operation = Operation {
        id: "DeleteUser",
        method: "DELETE",
        path: "/users/{user_id}",
    };

    call_options!();

    /// Sends the request.
    ///
    /// # Errors
    /// [`Error::Api`](crate::Error::Api) with status 404 when there is no such user; any
    /// other [`Error`](crate::Error) on failure.
    pub fn send(self) -> Result<DeletedObject> {
        self.clerk.send_json(RequestSpec {
            op: Self::OP,
            path_params: &[&self.user_id],
            query: Query::new(),
            body: Body::Empty,
            options: &self.options,
        })
    }
}
