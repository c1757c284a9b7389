//! The list of operations as data: [`OPERATIONS`](crate::OPERATIONS).

/// One operation of the API: how to reach it and what it sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct OperationInfo {
    /// The group accessor on [`Clerk`](crate::Clerk), e.g. `users`.
    pub group: &'static str,
    /// The method on the group, e.g. `list`.
    pub method: &'static str,
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub http_method: &'static str,
    /// The path template relative to the server URL, e.g. `/users/{user_id}`.
    pub path: &'static str,
    /// The spec's `operationId`, e.g. `GetUserList`.
    pub operation_id: &'static str,
    /// Whether Clerk marks the operation deprecated.
    pub deprecated: bool,
}
