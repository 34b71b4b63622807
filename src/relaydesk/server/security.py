"""Passwords (scrypt), bearer tokens (random, stored as SHA-256) and slowing down guessers."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import defaultdict, deque

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(
        password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(candidate.hex(), digest)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps: a leaked table does not give working tokens."""
    return hashlib.sha256(token.encode()).hexdigest()


class LoginThrottle:
    """Counts recent failed logins per login and per address; past the allowance, wait.

    The wait doubles with each further failure (capped at 5 minutes), so a guesser gets a
    handful of tries an hour while a person who mistyped waits seconds. Per process: behind a
    load balancer each replica slows guessers on its own.
    """

    def __init__(self, allowed: int, window_s: float) -> None:
        self.allowed = allowed
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures[key]
        while times and times[0] <= now - self.window_s:
            times.popleft()
        return times

    def retry_after(self, login: str, address: str, now: float | None = None) -> float:
        """Seconds to wait before another attempt is heard (0 when allowed now)."""
        now = time.time() if now is None else now
        wait = 0.0
        for key in (f"login:{login.casefold()}", f"addr:{address}"):
            times = self._recent(key, now)
            extra = len(times) - self.allowed
            if extra >= 0:
                wait = max(wait, times[-1] + min(300.0, 2.0 ** (extra + 1)) - now)
        return max(0.0, wait)

    def failed(self, login: str, address: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        self._failures[f"login:{login.casefold()}"].append(now)
        self._failures[f"addr:{address}"].append(now)

    def succeeded(self, login: str) -> None:
        self._failures.pop(f"login:{login.casefold()}", None)
