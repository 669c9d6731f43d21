"""The orders users are listed in: one Literal for the `sort` parameter and the repository's
orderings."""

from typing import Literal

from app.core.pagination import SortKey, orderings
from app.models import User

UserSort = Literal["username", "-created_at"]

USER_ORDERINGS = orderings(
    UserSort,
    {
        "username": (SortKey(User.username, "username"),),
        "-created_at": (SortKey(User.created_at, "created_at", True), SortKey(User.id, "id", True)),
    },
)
