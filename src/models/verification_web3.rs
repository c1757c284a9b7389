//! The `verification_web3` schema.

use serde::{Deserialize, Serialize};

/// A verification by Web3 wallet signature.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerificationWeb3 {
    /// Object type tag (`verification_web3`).
    pub object: Option<String>,
    /// Status of the verification.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub status: VerificationWeb3Status,
    /// Strategy used for the verification.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub strategy: VerificationWeb3Strategy,
    /// Nonce the wallet was asked to sign, if any.
    pub nonce: Option<String>,
    /// Message the wallet was asked to sign, if any.
    pub message: Option<String>,
    /// Number of attempts made, if counted.
    pub attempts: Option<i64>,
    /// When the verification expires, as a Unix timestamp in milliseconds.
    pub expire_at: Option<i64>,
    /// ID of the client the verification was completed on, if known.
    pub verified_at_client: Option<String>,
}

string_enum! {
    /// Status of a [`VerificationWeb3`].
    VerificationWeb3Status {
        /// `unverified`
        Unverified = "unverified",
        /// `verified`
        Verified = "verified",
        /// `failed`
        Failed = "failed",
        /// `expired`
        Expired = "expired",
    }
}

string_enum! {
    /// Strategy of a [`VerificationWeb3`].
    VerificationWeb3Strategy {
        /// `web3_metamask_signature`
        Web3MetamaskSignature = "web3_metamask_signature",
        /// `web3_base_signature`
        Web3BaseSignature = "web3_base_signature",
        /// `web3_coinbase_wallet_signature`
        Web3CoinbaseWalletSignature = "web3_coinbase_wallet_signature",
        /// `web3_okx_wallet_signature`
        Web3OkxWalletSignature = "web3_okx_wallet_signature",
        /// `web3_solana_signature`
        Web3SolanaSignature = "web3_solana_signature",
    }
}

impl crate::models::support::Strategy for VerificationWeb3 {
    fn has_strategy(strategy: &str) -> bool {
        strategy.starts_with("web3_")
    }
}
