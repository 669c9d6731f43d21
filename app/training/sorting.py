"""The orders training classes are listed in (see app.core.pagination.orderings)."""

from typing import Literal

from app.core.pagination import orderings
from app.models import TrainingClass

ClassSort = Literal["-ends_on", "title"]

CLASS_ORDERINGS = orderings(
    ClassSort,
    {
        "-ends_on": (TrainingClass.ends_on, TrainingClass.id),
        "title": (TrainingClass.title, TrainingClass.id),
    },
)
