"""The orders training classes are listed in: one Literal for the `sort` parameter and the
repository's orderings."""

from typing import Literal

from app.core.pagination import SortKey, orderings
from app.models import TrainingClass

ClassSort = Literal["-ends_on", "title"]

CLASS_ORDERINGS = orderings(
    ClassSort,
    {
        "-ends_on": (
            SortKey(TrainingClass.ends_on, "ends_on", True),
            SortKey(TrainingClass.id, "id", True),
        ),
        "title": (SortKey(TrainingClass.title, "title"), SortKey(TrainingClass.id, "id")),
    },
)
