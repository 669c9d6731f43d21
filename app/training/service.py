"""Training class rules: a class ends on or after it starts."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import RuleViolation
from app.models import TrainingClass
from app.training.repository import TrainingClassRepository
from app.training.schemas import TrainingClassCreate, TrainingClassUpdate


def _check(training_class: TrainingClass) -> None:
    if training_class.ends_on < training_class.starts_on:
        raise RuleViolation("ends_on is before starts_on", field="ends_on")


class TrainingClassService:
    def __init__(self, session: AsyncSession) -> None:
        self.classes = TrainingClassRepository(session)

    async def create(self, data: TrainingClassCreate) -> TrainingClass:
        training_class = TrainingClass(**data.model_dump())
        _check(training_class)
        return await self.classes.add(training_class)

    async def update(
        self, training_class: TrainingClass, data: TrainingClassUpdate
    ) -> TrainingClass:
        return await self.classes.update(training_class, data, check=_check)

    async def delete(self, training_class: TrainingClass) -> None:
        """The attendance list goes with the class."""
        await self.classes.delete(training_class)
