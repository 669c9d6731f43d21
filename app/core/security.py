"""Password hashing (argon2) and bearer JWTs."""

import datetime as dt
from dataclasses import dataclass

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

_hasher = PasswordHash((Argon2Hasher(),))
_ALGORITHM = "HS256"
_ISSUER = "kcn-party"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    return _hasher.verify(password, password_hash)


# Verifying against this on unknown usernames keeps response time from revealing which exist.
_DUMMY_HASH = hash_password("timing-equalizer")


def verify_dummy(password: str) -> None:
    _hasher.verify(password, _DUMMY_HASH)


@dataclass(frozen=True)
class AccessToken:
    token: str
    expires_at: dt.datetime


def create_access_token(user_id: int, key: str, minutes: int) -> AccessToken:
    now = dt.datetime.now(dt.UTC)
    expires_at = now + dt.timedelta(minutes=minutes)
    claims = {"sub": str(user_id), "iat": now, "exp": expires_at, "iss": _ISSUER}
    return AccessToken(jwt.encode(claims, key, algorithm=_ALGORITHM), expires_at)


class InvalidToken(Exception):
    pass


def decode_access_token(token: str, key: str) -> int:
    """The user id a valid, unexpired token was issued to."""
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[_ALGORITHM],
            issuer=_ISSUER,
            options={"require": ["sub", "exp", "iat"]},
        )
        return int(claims["sub"])
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("the token has expired") from exc
    except (jwt.InvalidTokenError, ValueError) as exc:
        raise InvalidToken("the token is not valid") from exc
