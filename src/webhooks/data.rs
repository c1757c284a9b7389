//! The `data` of the webhook events that have no model of the Backend API of their own:
//! sessions and organization invitations (an API model plus what the webhook adds).
//!
//! Fields follow the schemas of Clerk's webhook spec (`webhooks/2025-04-15.yml`): a required
//! value is a plain type, an optional or nullable one an `Option`. As in [`crate::models`],
//! unknown fields are ignored, a required value sent as `null` decodes to its default and a
//! missing required value is an error.

use serde::{Deserialize, Serialize};

use crate::models::{
    OrganizationInvitation, OrganizationInvitationPublicOrganizationData, Session, User,
};

/// The `data` of `session.created`, `.pending`, `.ended`, `.removed` and `.revoked`: the
/// webhook spec's `SessionEventPayload`, the API's [`Session`] with the session's [`User`].
///
/// In JSON the session's fields and `user` sit side by side; here the session is one field,
/// so `data.session.id`, `data.session.status` (a [`SessionStatus`](crate::models::SessionStatus),
/// unknown values kept) and `data.user`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SessionData {
    /// The session (every field of the payload but `user`).
    #[serde(flatten)]
    pub session: Session,
    /// The session's user. The spec requires it, but it is only a copy of the user that
    /// `session.user_id` names: a delivery without it still decodes (`None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
}

/// The `data` of `organizationInvitation.created`, `.accepted` and `.revoked`: the API's
/// [`OrganizationInvitation`], and for `.accepted` the webhook spec's
/// `OrganizationInvitationAcceptedPayload` additions.
///
/// In JSON the invitation's fields sit beside `user_id` and `data`; here the invitation is one
/// field (`data.invitation.email_address`). Its `inviter_id` and `public_inviter_data`, required
/// but nullable in both specs and absent from the webhook spec's examples, are `None` when
/// absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrganizationInvitationData {
    /// The invitation (every field of the payload but `user_id` and `data`).
    #[serde(flatten)]
    pub invitation: OrganizationInvitation,
    /// `organizationInvitation.accepted`: the id of the user who accepted the invitation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// `organizationInvitation.accepted`: more about the organization, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<InvitationAcceptedData>,
}

/// The `data` object of an `organizationInvitation.accepted` event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InvitationAcceptedData {
    /// The organization the invitation was to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_organization_data: Option<OrganizationInvitationPublicOrganizationData>,
}
