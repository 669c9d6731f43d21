"""Password hashing (argon2) and bearer JWTs."""

import datetime as dt
import hashlib
import os
import time
from dataclasses import dataclass
from functools import lru_cache

import anyio
import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

_hasher = PasswordHash((Argon2Hasher(),))
_ALGORITHM = "HS256"
_ISSUER = "kcn-party"


def token_digest(token: str) -> str:
    """How a random token is stored (refresh tokens, calendar feeds): its sha256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    return _hasher.verify(password, password_hash)


# Verifying against this on unknown usernames keeps response time from revealing which exist.
_DUMMY_HASH = hash_password("timing-equalizer")


def verify_dummy(password: str) -> None:
    _hasher.verify(password, _DUMMY_HASH)


# argon2 takes tens of milliseconds of CPU on purpose: run it in worker threads (it releases the
# GIL), one fewer than the cores (at least one), so that logins never stall the event loop serving
# other requests and leave it a core (bench/logins.py on 2 cores: p90 of other requests 15 ms with
# one hashing thread, 25 ms with two).
_HASHING_THREADS = max(1, (os.cpu_count() or 1) - 1)
_limiter: anyio.CapacityLimiter | None = None


def _hashing_limiter() -> anyio.CapacityLimiter:
    global _limiter
    if _limiter is None:
        _limiter = anyio.CapacityLimiter(_HASHING_THREADS)
    return _limiter


async def hash_password_off_loop(password: str) -> str:
    return await anyio.to_thread.run_sync(hash_password, password, limiter=_hashing_limiter())


async def check_password(password: str, password_hash: str | None) -> bool:
    """Whether `password` matches `password_hash`, off the event loop; with no hash (an unknown
    username) it still spends the time of one verification, so the answer's timing tells
    nothing, and is False."""
    if password_hash is None:
        await anyio.to_thread.run_sync(verify_dummy, password, limiter=_hashing_limiter())
        return False
    verified: bool = await anyio.to_thread.run_sync(
        verify_password, password, password_hash, limiter=_hashing_limiter()
    )
    return verified


@dataclass(frozen=True)
class AccessToken:
    token: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    session_id: int
    generation: int


def create_access_token(
    user_id: int, key: str, minutes: int, *, session_id: int, generation: int
) -> AccessToken:
    now = dt.datetime.now(dt.UTC)
    expires_at = now + dt.timedelta(minutes=minutes)
    claims = {
        "sub": str(user_id),
        "sid": session_id,
        "gen": generation,
        "iat": now,
        "exp": expires_at,
        "iss": _ISSUER,
    }
    return AccessToken(jwt.encode(claims, key, algorithm=_ALGORITHM), expires_at)


class InvalidToken(Exception):
    pass


def decode_access_token(token: str, key: str) -> TokenClaims:
    """The user, session and generation a valid, unexpired token was issued to.

    A token's signature is checked once and remembered (a few thousand tokens): a signature
    that was valid stays valid, while the expiry is checked on every use, and whether the
    session and the user's token generation still hold is the caller's database check."""
    claims, expires = _verified(token, key)
    if expires <= time.time():
        raise InvalidToken("the token has expired")
    return claims


@lru_cache(maxsize=4096)
def _verified(token: str, key: str) -> tuple[TokenClaims, float]:
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[_ALGORITHM],
            issuer=_ISSUER,
            options={"require": ["sub", "sid", "gen", "exp", "iat"]},
        )
        verified = TokenClaims(int(claims["sub"]), int(claims["sid"]), int(claims["gen"]))
        return verified, float(claims["exp"])
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("the token has expired") from exc
    except (jwt.InvalidTokenError, ValueError, TypeError) as exc:
        raise InvalidToken("the token is not valid") from exc
