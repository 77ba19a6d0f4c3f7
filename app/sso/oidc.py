"""OpenID Connect, authorisation code flow with PKCE, through Authlib: the request and the checked ID token.

The ID token is checked here as OpenID Connect Core 3.1.3.7 asks: its signature against the provider's
published keys (JWKS), then its issuer, audience (and ``azp``), expiry and the nonce this sign-in sent,
with a minute's leeway for clocks. Every failure is a ``ProviderProblem`` whose message a person can read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import ClaimError, ExpiredTokenError, JoseError
from joserfc.jwk import KeySet

TIMEOUT_SECONDS = 10
LEEWAY_SECONDS = 60
SCOPE = "openid email profile"
# A claim that failed its check, and the reason recorded for it.
CLAIM_REASONS = {"iss": "wrong_issuer", "aud": "wrong_audience", "azp": "wrong_audience", "nonce": "nonce_mismatch"}


class ProviderProblem(Exception):
    """The provider could not be reached, or what it sent cannot be trusted: ``reason`` names which."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason, self.message = reason, message


@dataclass(frozen=True)
class Client:
    """What one organisation registered with its provider, and the address the provider sends people back to."""

    provider_name: str
    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str

    def session(self) -> OAuth2Session:
        return OAuth2Session(
            self.client_id,
            self.client_secret,
            scope=SCOPE,
            redirect_uri=self.redirect_uri,
            code_challenge_method="S256",
        )


def _get_json(session: OAuth2Session, client: Client, url: str) -> dict[str, Any]:
    try:
        response = session.get(url, timeout=TIMEOUT_SECONDS, withhold_token=True)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderProblem(
            "provider_unreachable",
            f"Waymark could not reach {client.provider_name}. Try again in a few minutes, "
            "or sign in with your email address and password.",
        ) from error
    if not isinstance(document, dict):
        raise ProviderProblem("provider_unreachable", f"{client.provider_name} sent something Waymark cannot read.")
    return document


def discover(session: OAuth2Session, client: Client) -> dict[str, Any]:
    """The provider's metadata; its ``issuer`` must be the one the organisation set up (Discovery 4.3)."""
    metadata = _get_json(session, client, client.issuer.rstrip("/") + "/.well-known/openid-configuration")
    if metadata.get("issuer") != client.issuer:
        raise ProviderProblem(
            "wrong_issuer",
            f"{client.provider_name} says its issuer is not the one your organisation set up, so Waymark "
            "did not send you there. Ask your administrator to check the single sign-on settings.",
        )
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(metadata.get(key), str):
            raise ProviderProblem("provider_unreachable", f"{client.provider_name} does not publish its {key}.")
    return metadata


@dataclass(frozen=True)
class Pending:
    """What a sign-in keeps, in the person's session, until the provider sends them back."""

    state: str
    nonce: str
    code_verifier: str


def begin(client: Client, *, confirm: bool = False) -> tuple[str, Pending]:
    """The authorisation request (code flow, PKCE with S256, a fresh state and nonce) and what to keep.

    ``confirm`` asks the provider to authenticate the person again now, for a fresh sign-in.
    """
    session = client.session()
    metadata = discover(session, client)
    verifier, nonce = generate_token(64), generate_token(32)
    extra = {"prompt": "login", "max_age": 0} if confirm else {}
    url, state = session.create_authorization_url(
        metadata["authorization_endpoint"], code_verifier=verifier, nonce=nonce, **extra
    )
    return url, Pending(state, nonce, verifier)


def _callback_parameters(client: Client, callback_url: str, state: str) -> str:
    """The code from the provider's redirect, once its state and issuer (RFC 9207) are this sign-in's."""
    query = {name: values[0] for name, values in parse_qs(urlsplit(callback_url).query).items()}
    if query.get("state") != state:
        raise ProviderProblem(
            "state_mismatch", "This sign-in had already been used or was not started here. Start again."
        )
    if "iss" in query and query["iss"] != client.issuer:
        raise ProviderProblem(
            "wrong_issuer", _untrusted(client, "came from a different issuer than your organisation set up")
        )
    if error := query.get("error"):
        if error == "access_denied":
            raise ProviderProblem("provider_refused", f"You did not finish signing in with {client.provider_name}.")
        detail = query.get("error_description", error)
        raise ProviderProblem("provider_refused", f"{client.provider_name} did not sign you in: {detail[:200]}")
    if not query.get("code"):
        raise ProviderProblem("provider_refused", f"{client.provider_name} sent no sign-in code. Start again.")
    return query["code"]


def _untrusted(client: Client, why: str) -> str:
    return (
        f"The sign-in from {client.provider_name} {why}, so Waymark did not accept it. "
        "Start again; if it happens again, tell your administrator."
    )


CLAIM_WORDS = {
    "wrong_issuer": "came from a different issuer than your organisation set up",
    "wrong_audience": "was meant for another service",
    "nonce_mismatch": "did not belong to the sign-in Waymark started (it may have been replayed)",
    "invalid_claims": "was not a valid ID token",
}


def finish(client: Client, pending: Pending, callback_url: str) -> dict[str, Any]:
    """Exchange the code (with the PKCE verifier) and return the ID token's claims, every check passed."""
    code = _callback_parameters(client, callback_url, pending.state)
    session = client.session()
    metadata = discover(session, client)
    try:
        token = session.fetch_token(
            metadata["token_endpoint"],
            grant_type="authorization_code",
            code=code,
            code_verifier=pending.code_verifier,
            timeout=TIMEOUT_SECONDS,
        )
    except requests.RequestException as error:
        raise ProviderProblem(
            "provider_unreachable", f"Waymark could not reach {client.provider_name}. Try again."
        ) from error
    except (OAuthError, ValueError) as error:
        raise ProviderProblem(
            "token_refused", f"{client.provider_name} did not complete the sign-in. Start again."
        ) from error
    if not isinstance(token.get("id_token"), str):
        raise ProviderProblem("invalid_claims", _untrusted(client, "carried no ID token"))
    return checked_claims(client, pending, token, _get_json(session, client, metadata["jwks_uri"]), metadata)


def checked_claims(
    client: Client, pending: Pending, token: dict[str, Any], jwks: dict[str, Any], metadata: dict[str, Any]
) -> dict[str, Any]:
    """The ID token's claims after its signature, issuer, audience, expiry and nonce are checked."""
    algorithms = [alg for alg in metadata.get("id_token_signing_alg_values_supported", ["RS256"]) if alg != "none"]
    try:
        decoded = jwt.decode(token["id_token"], KeySet.import_key_set(jwks), algorithms=algorithms)  # type: ignore[arg-type]
    except JoseError as error:
        raise ProviderProblem("bad_signature", _untrusted(client, "was not signed with its published keys")) from error
    claims = CodeIDToken(
        decoded.claims,
        decoded.header,
        {"iss": {"essential": True, "value": client.issuer}, "aud": {"essential": True, "value": client.client_id}},
        {"nonce": pending.nonce, "client_id": client.client_id, "access_token": token.get("access_token")},
    )
    try:
        claims.validate(leeway=LEEWAY_SECONDS)
    except ExpiredTokenError as error:
        raise ProviderProblem(
            "expired",
            f"The sign-in from {client.provider_name} had expired before it reached Waymark. Start again; if it "
            "happens again, the clocks may be out of step: tell your administrator.",
        ) from error
    except ClaimError as error:
        reason = CLAIM_REASONS.get(error.claim, "invalid_claims")
        raise ProviderProblem(reason, _untrusted(client, CLAIM_WORDS[reason])) from error
    return dict(claims)
