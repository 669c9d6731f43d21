"""The password policy (NIST SP 800-63B): at least 12 characters, and not guessable — not a
common or breached password, not built from the account's own names, not weak by zxcvbn's
estimate (score 3 of 4 or better). Applied wherever a password is set: the users API, the CLI.
Existing passwords are never re-judged, so nobody is locked out by the rule."""

import anyio
from zxcvbn import zxcvbn

from app.core.errors import RuleViolation
from app.core.problem_codes import ProblemCode
from app.core.text import search_key

MIN_LENGTH = 12
MIN_SCORE = 3
# zxcvbn's matching grows quickly with length; the first characters decide the estimate.
_ESTIMATED_PREFIX = 100


def _weakness(password: str, user_inputs: list[str]) -> str | None:
    if len(password) < MIN_LENGTH:
        return f"a password needs at least {MIN_LENGTH} characters"
    # The names as written and without tone marks ("Nguyễn Văn An" → nguyen, van, an,
    # nguyenvanan), and the password both ways: "Nguyễn Văn An 1995" is as weak as
    # "nguyenvanan1995".
    inputs: set[str] = set()
    for text in user_inputs:
        for form in (text.lower(), search_key(text)):
            parts = form.replace(".", " ").replace("_", " ").replace("-", " ").split()
            inputs.update([form, "".join(parts), *parts])
    candidates = {password[:_ESTIMATED_PREFIX], search_key(password)[:_ESTIMATED_PREFIX]}
    results = [zxcvbn(candidate, user_inputs=sorted(inputs)) for candidate in candidates]
    result = min(results, key=lambda r: int(r["score"]))
    if result["score"] >= MIN_SCORE:
        return None
    feedback = result["feedback"]
    reason = feedback.get("warning") or "this password is too easy to guess"
    hints = " ".join(feedback.get("suggestions") or [])
    return f"{reason.rstrip('.')}. {hints}".strip() if hints else reason


async def ensure_strong(password: str, *user_inputs: str) -> None:
    """422 `weak_password` on the password field, saying why, unless the password is strong."""
    reason = await anyio.to_thread.run_sync(_weakness, password, list(user_inputs))
    if reason is not None:
        raise RuleViolation(reason, code=ProblemCode.WEAK_PASSWORD, field="password")
