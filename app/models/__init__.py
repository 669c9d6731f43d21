"""All mapped classes: the one place alembic and the app import the schema from."""

from app.models.base import Base
from app.models.user import Role, User

__all__ = ["Base", "Role", "User"]
