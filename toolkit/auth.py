"""Sign-in: join codes, the facilitator password, sessions, throttling and the audit trail.

Secrets are never stored in the clear: join codes are kept as an HMAC digest (for lookup)
and sealed with the server key (so a facilitator can print join cards again); the
facilitator password is an argon2 hash; session tokens are stored as SHA-256 digests.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken

from toolkit.store import Session, Store, utcnow

# Crockford's base32: no I, L, O or U, so nothing on a join card can be misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
JOIN_CODE_LENGTH = 13  # 13 x 5 bits = 65 bits of entropy
SESSION_HOURS = 14  # one workshop day, with the evening reception
TICKET_SECONDS = 120
THROTTLE_WINDOW = dt.timedelta(minutes=5)
THROTTLE_LIMIT = 10
NAME_MAX = 60
COOKIE_NAME = "isc_session"

_hasher = PasswordHasher()


class SignInError(Exception):
    """A sign-in was refused; the message says what to do."""


class Throttled(SignInError):
    pass


@dataclass(frozen=True)
class SignedIn:
    session: Session
    token: str  # goes into the HttpOnly cookie; never shown or logged


# --- the server key -------------------------------------------------------------------


def key_path(db_file: Path) -> Path:
    """The key lives beside the database, not inside it, so a copied database alone
    does not reveal join codes."""
    return Path(os.environ.get("ISC_SECRET_FILE") or db_file.with_suffix(".key"))


def server_key(db_file: Path) -> bytes:
    path = key_path(db_file)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(base64.urlsafe_b64encode(secrets.token_bytes(32)))
    return base64.urlsafe_b64decode(path.read_bytes().strip())


def _fernet(key: bytes) -> Fernet:
    derived = hmac.new(key, b"isc-seal-join-codes", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


# --- join codes -----------------------------------------------------------------------


def new_join_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(JOIN_CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalize_code(text: str) -> str:
    """Accept what people type: any case, spaces or dashes, O for 0 and I or L for 1."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def join_digest(key: bytes, code: str) -> str:
    return hmac.new(key, normalize_code(code).encode(), hashlib.sha256).hexdigest()


def seal(key: bytes, code: str) -> str:
    return _fernet(key).encrypt(code.encode()).decode()


def unseal(key: bytes, sealed: str | None) -> str | None:
    if not sealed:
        return None
    try:
        return _fernet(key).decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None  # the key file was replaced: the facilitator issues new codes


# --- facilitator password -------------------------------------------------------------

PASSWORD_SETTING = "facilitator_password_hash"


def new_password() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(16))  # 80 bits
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def set_facilitator_password(store: Store, password: str) -> None:
    if len(password) < 12:
        raise SignInError("Choose a facilitator password of at least 12 characters.")
    store.set_setting(PASSWORD_SETTING, _hasher.hash(password))


def ensure_facilitator_password(store: Store) -> str | None:
    """Create the facilitator password on first start; return it only when it was generated."""
    if store.get_setting(PASSWORD_SETTING):
        return None
    chosen = os.environ.get("ISC_FACILITATOR_PASSWORD")
    password = chosen or new_password()
    set_facilitator_password(store, password)
    return None if chosen else password


# --- signing in -----------------------------------------------------------------------


def _check_throttle(store: Store, event: str, subject: str, client: str) -> None:
    since = utcnow() - THROTTLE_WINDOW
    by_subject = store.count_audit(event, "failed", since, subject=subject)
    by_client = store.count_audit(event, "failed", since, client=client) if client else 0
    if by_subject >= THROTTLE_LIMIT or by_client >= THROTTLE_LIMIT:
        store.audit(event, "throttled", subject=subject, client=client)
        raise Throttled(
            "Too many attempts in the last five minutes. Wait five minutes and try again, "
            "or ask a facilitator to check your code."
        )


def _start_session(store: Store, *, role, name: str, team_id: int | None,
                   client: str, invite_id: int | None = None) -> SignedIn:
    token = secrets.token_urlsafe(32)
    expires = utcnow() + dt.timedelta(hours=SESSION_HOURS)
    session_id = store.create_session(
        token_digest=_digest(token), role=role, name=name, team_id=team_id,
        expires_at=expires, client=client, invite_id=invite_id,
    )
    return SignedIn(Session(session_id, role, name, team_id, expires), token)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise SignInError("Type your name, so your teammates can see who changed what.")
    if len(name) > NAME_MAX:
        raise SignInError(f"Use a name of {NAME_MAX} characters or fewer.")
    return name


def sign_in_team(store: Store, key: bytes, code: str, name: str, client: str = "") -> SignedIn:
    name = clean_name(name)
    normalized = normalize_code(code or "")
    if not normalized:
        raise SignInError("Type the join code from your team's card.")
    digest = join_digest(key, normalized)
    _check_throttle(store, "join", digest, client)
    team_id = store.team_id_for_join_digest(digest)
    if team_id is None:
        store.audit("join", "failed", actor=name, subject=digest, client=client,
                    detail=f"{len(normalized)} characters")
        raise SignInError(
            "That join code does not match any team. Check it against your team's card "
            "(it looks like 7KQ2-M9XD-4TPRW) or ask a facilitator."
        )
    store.audit("join", "ok", actor=name, team_id=team_id, subject=digest, client=client)
    return _start_session(store, role="team", name=name, team_id=team_id, client=client)


def sign_in_with_code(store: Store, key: bytes, code: str, name: str, client: str = ""
                      ) -> SignedIn:
    """The "Join" form: a team's join code, or an invitation for a co-facilitator or guest.

    Both kinds of code share one throttle, checked before either is looked up, so a client
    locked out for guessing cannot go on trying invitation codes."""
    digest = join_digest(key, code or "")
    _check_throttle(store, "join", digest, client)
    invite = store.invite_for_digest(digest)
    if invite is None:
        return sign_in_team(store, key, code, name, client)
    name = clean_name(name)
    store.audit("invite", "ok", actor=name, subject=invite["role"], client=client)
    return _start_session(store, role=invite["role"], name=f"{name} ({invite['name']})"
                          if invite["name"] and invite["name"] != name else name,
                          team_id=None, client=client, invite_id=invite["id"])


def create_invite(store: Store, actor, key: bytes, *, role: str, name: str) -> str:
    """A code for a co-facilitator or an expert guest, used on the same Join form."""
    if role not in ("facilitator", "guest"):
        raise SignInError("An invitation is for a facilitator or an expert guest.")
    name = clean_name(name)
    code = new_join_code()
    store.create_invite(actor, role=role, name=name, digest=join_digest(key, code),
                        sealed=seal(key, code))
    store.audit("invite", "created", actor=actor.name, subject=role, detail=name)
    return code


def sign_in_facilitator(store: Store, password: str, name: str = "Facilitator",
                        client: str = "") -> SignedIn:
    name = clean_name(name or "Facilitator")
    _check_throttle(store, "facilitator", "facilitator", client)
    stored = store.get_setting(PASSWORD_SETTING)
    try:
        ok = bool(stored) and _hasher.verify(stored, password or "")
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        store.audit("facilitator", "failed", actor=name, subject="facilitator", client=client)
        raise SignInError("That password is not right. It was printed when the app first started.")
    store.audit("facilitator", "ok", actor=name, subject="facilitator", client=client)
    return _start_session(store, role="facilitator", name=name, team_id=None, client=client)


def session_for_token(store: Store, token: str | None) -> Session | None:
    if not token:
        return None
    return store.session_by_digest(_digest(token), utcnow())


def sign_out(store: Store, token: str | None) -> None:
    if token:
        store.revoke_session(_digest(token))
        store.audit("sign-out", "ok")


# --- the cookie hand-off ----------------------------------------------------------------
# A Streamlit script cannot set an HttpOnly cookie. After sign-in the page sends the browser
# to /auth/session?ticket=..., a route of server.py that swaps the one-time ticket for the
# cookie. The ticket expires in two minutes and works once.


def issue_ticket(store: Store, signed_in: SignedIn) -> str:
    ticket = secrets.token_urlsafe(24)
    store.create_ticket(
        digest=_digest(ticket),
        session_id=signed_in.session.id,
        token=signed_in.token,
        expires_at=utcnow() + dt.timedelta(seconds=TICKET_SECONDS),
    )
    return ticket


def redeem_ticket(store: Store, ticket: str | None) -> str | None:
    if not ticket:
        return None
    return store.redeem_ticket(_digest(ticket), utcnow())
