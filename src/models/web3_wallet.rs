//! The `Web3Wallet` schema.

use serde::{Deserialize, Serialize};

use crate::models::{VerificationAdmin, VerificationWeb3};

/// A Web3 wallet of a user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Web3Wallet {
    /// Unique identifier of the Web3 wallet.
    pub id: Option<String>,
    /// String representing the object's type. Objects of the same type share the same value.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub object: String,
    /// The wallet address.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub web3_wallet: String,
    /// Verification of the wallet, if any.
    pub verification: Option<Web3WalletVerification>,
    /// Unix timestamp (milliseconds) of creation.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub created_at: i64,
    /// Unix timestamp (milliseconds) of last update.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub updated_at: i64,
}

tagged_union! {
    /// How a Web3 wallet was verified.
    Web3WalletVerification {
        /// Verified by wallet signature.
        Web3Signature = "verification_web3" => VerificationWeb3,
        /// Verified by an administrator.
        Admin = "verification_admin" => VerificationAdmin,
    }
}
