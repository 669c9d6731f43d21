"""The orders users are listed in (see app.core.pagination.orderings)."""

from typing import Literal

from app.core.pagination import orderings
from app.models import User

UserSort = Literal["username", "-created_at"]

USER_ORDERINGS = orderings(
    UserSort,
    {
        "username": (User.username,),
        "-created_at": (User.created_at, User.id),
    },
)
