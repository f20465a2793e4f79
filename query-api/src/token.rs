//! Making JWT-ZGW tokens, as a ZGW client does: for our own calls to other ZGW APIs
//! (`remote`) and for the seed's in-process requests. Verifying them is `auth`'s.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

/// Who a token speaks for: the client and the user it acts for.
pub struct Claims<'a> {
    pub client_id: &'a str,
    pub user_id: &'a str,
    pub user_representation: &'a str,
    /// Issued at, in seconds since the epoch.
    pub iat: i64,
}

/// An HS256 JWT-ZGW token signed with `secret`.
pub fn sign(claims: &Claims<'_>, secret: &str) -> String {
    let enc = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
    let header = json!({"alg": "HS256", "typ": "JWT"});
    let payload = json!({
        "iss": claims.client_id,
        "iat": claims.iat,
        "client_id": claims.client_id,
        "user_id": claims.user_id,
        "user_representation": claims.user_representation,
    });
    let input = format!("{}.{}", enc(&header), enc(&payload));
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(input.as_bytes());
    format!(
        "{input}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    )
}
