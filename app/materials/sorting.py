"""The orders materials are listed in (see app.core.pagination.orderings)."""

from typing import Literal

from app.core.pagination import orderings
from app.models import Material

MaterialSort = Literal["title", "-created_at"]

MATERIAL_ORDERINGS = orderings(
    MaterialSort,
    {
        "title": (Material.title, Material.id),
        "-created_at": (Material.created_at, Material.id),
    },
)
