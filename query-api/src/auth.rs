//! JWT-ZGW: a Bearer token, HS256-signed with the client's secret, carrying iss, iat,
//! client_id, user_id and user_representation; valid from iat for an hour (plus leeway).
//! Every failure is a 403 with the standard's code. The verified client is then resolved
//! to its applicatie's autorisaties and the operation's scope is checked (`scopes`), all
//! in the `Caller` extractor, so no handler can forget it.

use std::sync::Arc;

use axum::extract::{FromRequestParts, MatchedPath};
use axum::http::request::Parts;
use base64::Engine as _;
use event_schemas::applicatie::Component;
use event_schemas::zaak::Vertrouwelijkheidaanduiding;
use event_schemas::Actor;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

use crate::authorisation::{Authorisation, Grants};
use crate::clients::ClientCache;
use crate::error::ApiError;
use crate::secrets::SecretKey;
use crate::{scopes, AppState};

const VALIDITY_SECONDS: i64 = 3600;

/// How tokens are verified: the key that opens the stored client secrets, and the leeway on
/// token expiry and on an iat ahead of our clock.
#[derive(Clone, Debug)]
pub struct Credentials {
    key: SecretKey,
    leeway_seconds: i64,
    clients: Arc<ClientCache>,
}

impl Credentials {
    pub fn new(key: SecretKey, leeway_seconds: i64) -> Self {
        Self {
            key,
            leeway_seconds,
            clients: Arc::default(),
        }
    }

    pub fn key(&self) -> &SecretKey {
        &self.key
    }
}

/// The authenticated client and user of a request and what its applicatie may do.
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: Actor,
    pub authorisation: Arc<Authorisation>,
    /// The request's `X-Audit-Toelichting`: why the client makes this change (empty: none).
    pub toelichting: String,
    /// The request's `If-Match`, as sent (`crate::concurrency` reads it on writes).
    pub if_match: Option<String>,
}

impl Caller {
    /// The grants of `scope` (or of any of `a|b`) on `component`.
    pub fn grants(&self, component: Component, scope: &str) -> Grants {
        self.authorisation.grants(component, scope)
    }

    /// 403 unless the caller holds `scope` on the object's type at its vertrouwelijkheid.
    pub fn require(
        &self,
        component: Component,
        scope: &str,
        type_url: &str,
        vertrouwelijkheid: Vertrouwelijkheidaanduiding,
    ) -> Result<(), ApiError> {
        Ok(self
            .authorisation
            .require(component, scope, type_url, vertrouwelijkheid)?)
    }
}

impl Caller {
    /// [`Self::require`] for a vertrouwelijkheidaanduiding as a read model stores it.
    pub fn require_stored(
        &self,
        component: Component,
        scope: &str,
        type_url: &str,
        stored: &str,
    ) -> Result<(), ApiError> {
        let vertrouwelijkheid = Vertrouwelijkheidaanduiding::parse(stored)
            .ok_or_else(|| ApiError::internal("stored vertrouwelijkheidaanduiding is unknown"))?;
        self.require(component, scope, type_url, vertrouwelijkheid)
    }
}

#[derive(Deserialize)]
struct Header {
    alg: Option<String>,
}

#[derive(Deserialize)]
struct Claims {
    client_id: Option<String>,
    iat: Option<serde_json::Value>,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    user_representation: Option<String>,
}

/// A token whose claims are read but whose signature is not yet checked.
struct Unverified<'a> {
    header: Header,
    claims: Claims,
    signing_input: (&'a str, &'a str),
    signature: &'a str,
}

fn fail(code: &'static str, detail: &str) -> ApiError {
    ApiError::Authentication {
        code,
        detail: detail.to_owned(),
    }
}

fn invalid_client() -> ApiError {
    fail(
        "invalid-client-identifier",
        "Client identifier bestaat niet.",
    )
}

fn decode_part<T: for<'de> Deserialize<'de>>(part: &str) -> Result<T, ApiError> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|_| fail("invalid-jwt", "Het JWT is niet correct gecodeerd."))?;
    serde_json::from_slice(&bytes).map_err(|_| fail("invalid-jwt", "Het JWT is geen geldige JSON."))
}

fn parse(token: &str) -> Result<Unverified<'_>, ApiError> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(fail("invalid-jwt", "Het JWT bestaat niet uit drie delen."));
    };
    Ok(Unverified {
        header: decode_part(h)?,
        claims: decode_part(p)?,
        signing_input: (h, p),
        signature: sig,
    })
}

impl Unverified<'_> {
    fn client_id(&self) -> Result<&str, ApiError> {
        self.claims
            .client_id
            .as_deref()
            // A NUL cannot be looked up (PostgreSQL text refuses it): as good as absent.
            .filter(|c| !c.is_empty() && !c.contains('\0'))
            .ok_or_else(|| {
                fail(
                    "missing-client-identifier",
                    "Client identifier ontbreekt in het JWT.",
                )
            })
    }

    /// Checks signature, iat and expiry against the client's secret; the actor on success.
    fn verify(self, secret: &str, now: i64, leeway_seconds: i64) -> Result<Actor, ApiError> {
        let client_id = self.client_id()?.to_owned();
        let (h, p) = self.signing_input;
        if self.header.alg.as_deref() != Some("HS256")
            || !signature_matches(secret, h, p, self.signature)
        {
            return Err(fail(
                "invalid-jwt-signature",
                "Het JWT kon niet geverifieerd worden.",
            ));
        }
        let iat = self
            .claims
            .iat
            .as_ref()
            .and_then(serde_json::Value::as_i64)
            .ok_or_else(|| {
                fail(
                    "jwt-missing-iat-claim",
                    "De iat claim ontbreekt in het JWT.",
                )
            })?;
        // Issued in the future (beyond the leeway for clock skew): refused, as PyJWT does
        // under Open Zaak (ImmatureSignatureError, code jwt-immaturesignatureerror), or a
        // token dated ahead would stay valid for as long as its issuer likes.
        if iat > now.saturating_add(leeway_seconds) {
            return Err(fail(
                "jwt-immaturesignatureerror",
                "Het JWT is nog niet geldig: de iat claim ligt in de toekomst.",
            ));
        }
        if now > iat.saturating_add(VALIDITY_SECONDS + leeway_seconds) {
            return Err(fail("jwt-expired", "Het JWT is verlopen."));
        }
        Ok(Actor {
            client_id,
            // Labels for the audit trail; a NUL could not be stored.
            user_id: self.claims.user_id.unwrap_or_default().replace('\0', ""),
            user_representation: self
                .claims
                .user_representation
                .unwrap_or_default()
                .replace('\0', ""),
            applicatie_weergave: String::new(),
        })
    }
}

fn signature_matches(secret: &str, header: &str, payload: &str, signature: &str) -> bool {
    let Ok(sig) =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(signature.trim_end_matches('='))
    else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(header.as_bytes());
    mac.update(b".");
    mac.update(payload.as_bytes());
    mac.verify_slice(&sig).is_ok()
}

/// The client of a JWT-ZGW (signed with its secret) and its autorisaties.
async fn jwt_client(state: &AppState, jwt: &str) -> Result<(Actor, Arc<Authorisation>), ApiError> {
    let token = parse(jwt)?;
    let client_id = token.client_id()?;
    let credentials = &state.credentials;
    let client = credentials
        .clients
        .resolve(&state.pool, &credentials.key, client_id)
        .await?
        .ok_or_else(invalid_client)?;
    let actor = token.verify(
        &client.secret,
        chrono::Utc::now().timestamp(),
        credentials.leeway_seconds,
    )?;
    Ok((actor, client.authorisation.clone()))
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(caller) = parts.extensions.get::<Caller>() {
            return Ok(caller.clone());
        }
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let (mut actor, authorisation) = match header.split_once(' ') {
            Some(("Bearer", jwt)) => jwt_client(state, jwt.trim()).await?,
            Some(("Token", key)) => api_key(parts, state, key.trim()).await?,
            _ => {
                return Err(fail(
                    "not_authenticated",
                    "Authenticatiegegevens zijn niet opgegeven.",
                ))
            }
        };
        // A valid token: the access log names its client, whatever the request comes to.
        if let Some(seen) = parts.extensions.get::<crate::monitoring::ClientId>() {
            seen.set(&actor.client_id);
        }
        let path = parts
            .extensions
            .get::<MatchedPath>()
            .map(MatchedPath::as_str)
            .unwrap_or_default();
        scopes::check(&authorisation, &parts.method, path)?;
        actor.applicatie_weergave = authorisation.label.clone();
        let caller = Caller {
            actor,
            authorisation,
            toelichting: toelichting(&parts.headers),
            if_match: crate::concurrency::if_match(&parts.headers),
        };
        parts.extensions.insert(caller.clone());
        Ok(caller)
    }
}

/// `Authorization: Token <key>` (`crate::tokens`): on the APIs that take it, the client
/// the key was given to, with that client's autorisaties and no user. Refused as
/// Open Klant refuses it: 401, `authentication_failed`.
async fn api_key(
    parts: &Parts,
    state: &AppState,
    key: &str,
) -> Result<(Actor, Arc<Authorisation>), ApiError> {
    // The path as asked: a nested router sees only its own part of it.
    let path = parts
        .extensions
        .get::<axum::extract::OriginalUri>()
        .map_or(parts.uri.path(), |original| original.path());
    if !crate::tokens::APIS.iter().any(|api| path.starts_with(api)) {
        return Err(fail(
            "not_authenticated",
            "Token-authenticatie geldt alleen voor de Klantinteracties- en \
             Contactgegevens-API; gebruik een JWT-ZGW.",
        ));
    }
    let refused = || {
        ApiError::http(
            axum::http::StatusCode::UNAUTHORIZED,
            "authentication_failed",
            "Ongeldige token.",
        )
    };
    if key.is_empty() || key.contains('\0') {
        return Err(refused());
    }
    let (client_id, authorisation) = crate::tokens::resolve(&state.pool, key)
        .await?
        .ok_or_else(refused)?;
    let actor = Actor {
        client_id,
        user_id: String::new(),
        user_representation: String::new(),
        applicatie_weergave: String::new(),
    };
    Ok((actor, Arc::new(authorisation)))
}

/// The standard's `X-Audit-Toelichting` header, as text (a value that is not UTF-8 is read
/// lossily rather than refused: it explains a change, it does not decide one).
fn toelichting(headers: &axum::http::HeaderMap) -> String {
    headers
        .get("x-audit-toelichting")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(secret: &str, claims: serde_json::Value) -> String {
        let enc = |v: &serde_json::Value| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
        };
        let signing_input = format!(
            "{}.{}",
            enc(&serde_json::json!({"alg": "HS256", "typ": "JWT"})),
            enc(&claims)
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(signing_input.as_bytes());
        let sig =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{signing_input}.{sig}")
    }

    /// Verification as a request does it, with two known clients.
    fn verify(token: &str, now: i64) -> Result<Actor, ApiError> {
        let token = parse(token)?;
        let secret = match token.client_id()? {
            "app" => "s3cret",
            "docs" => "example-secret",
            _ => return Err(invalid_client()),
        };
        token.verify(secret, now, 0)
    }

    fn code(r: Result<Actor, ApiError>) -> &'static str {
        match r {
            Err(ApiError::Authentication { code, .. }) => code,
            other => panic!("{other:?}"),
        }
    }

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn a_token_signed_with_the_clients_secret_identifies_client_and_user() {
        let token = sign(
            "s3cret",
            serde_json::json!({"iss": "app", "iat": NOW, "client_id": "app", "user_id": "u1", "user_representation": "Ada"}),
        );
        let actor = verify(&token, NOW + 10).unwrap();
        assert_eq!(actor.client_id, "app");
        assert_eq!(actor.user_id, "u1");
        assert_eq!(actor.user_representation, "Ada");
    }

    #[test]
    fn the_tokens_we_sign_for_other_apis_verify_as_a_clients_tokens() {
        let claims = crate::token::Claims {
            client_id: "app",
            user_id: "u2",
            user_representation: "Zaakstroom",
            iat: NOW,
        };
        let actor = verify(&crate::token::sign(&claims, "s3cret"), NOW + 1).unwrap();
        assert_eq!(
            (actor.client_id.as_str(), actor.user_id.as_str()),
            ("app", "u2")
        );
        let forged = crate::token::sign(&claims, "not-the-secret");
        assert_eq!(code(verify(&forged, NOW + 1)), "invalid-jwt-signature");
    }

    /// The token of Open Zaak's client documentation (client `docs`, secret
    /// `example-secret`, iat 1602857301) verifies within its hour and expires after it.
    #[test]
    fn open_zaaks_documented_known_answer_token_verifies() {
        const DOCS: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJkb2NzIiwiaWF0IjoxNjAyODU3MzAxLCJjbGllbnRfaWQiOiJkb2NzIiwidXNlcl9pZCI6ImRvY3NAZXhhbXBsZS5jb20iLCJ1c2VyX3JlcHJlc2VudGF0aW9uIjoiRG9jdW1lbnRhdGlvbiBFeGFtcGxlIn0.DZu7E780xG4zqRiT8ZhrBeMudz45301wNVDT0ra-Iyw";
        let actor = verify(DOCS, 1_602_857_301 + 60).unwrap();
        assert_eq!(actor.client_id, "docs");
        assert_eq!(actor.user_id, "docs@example.com");
        assert_eq!(actor.user_representation, "Documentation Example");
        assert_eq!(code(verify(DOCS, 1_602_857_301 + 3601)), "jwt-expired");
        let tampered = DOCS.replace(".DZu7", ".DZu8");
        assert_eq!(
            code(verify(&tampered, 1_602_857_301)),
            "invalid-jwt-signature"
        );
    }

    #[test]
    fn each_jwt_failure_has_its_own_code() {
        let t = |secret: &str, claims| sign(secret, claims);
        assert_eq!(
            code(verify(&t("s3cret", serde_json::json!({"iat": NOW})), NOW)),
            "missing-client-identifier"
        );
        assert_eq!(
            code(verify(
                &t(
                    "s3cret",
                    serde_json::json!({"client_id": "other", "iat": NOW})
                ),
                NOW
            )),
            "invalid-client-identifier"
        );
        assert_eq!(
            code(verify(
                &t("wrong", serde_json::json!({"client_id": "app", "iat": NOW})),
                NOW
            )),
            "invalid-jwt-signature"
        );
        assert_eq!(
            code(verify(
                &t("s3cret", serde_json::json!({"client_id": "app"})),
                NOW
            )),
            "jwt-missing-iat-claim"
        );
        assert_eq!(
            code(verify(
                &t(
                    "s3cret",
                    serde_json::json!({"client_id": "app", "iat": NOW})
                ),
                NOW + 3601
            )),
            "jwt-expired"
        );
        assert_eq!(code(verify("not-a-jwt", NOW)), "invalid-jwt");
    }

    #[test]
    fn a_token_issued_in_the_future_is_refused_beyond_the_leeway() {
        let at = |iat: i64| {
            sign(
                "s3cret",
                serde_json::json!({"client_id": "app", "iat": iat}),
            )
        };
        let with_leeway = |token: &str, leeway| parse(token)?.verify("s3cret", NOW, leeway);
        let ten_years = 10 * 365 * 24 * 3600;
        assert_eq!(
            code(verify(&at(NOW + ten_years), NOW)),
            "jwt-immaturesignatureerror"
        );
        assert_eq!(
            code(verify(&at(NOW + 1), NOW)),
            "jwt-immaturesignatureerror"
        );
        assert_eq!(
            code(verify(&at(i64::MAX), NOW)),
            "jwt-immaturesignatureerror"
        );
        assert!(verify(&at(NOW), NOW).is_ok());
        assert!(with_leeway(&at(NOW + 30), 30).is_ok());
        assert_eq!(
            code(with_leeway(&at(NOW + 31), 30)),
            "jwt-immaturesignatureerror"
        );
    }
}
