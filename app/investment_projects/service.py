"""Investment project rules: a known enterprise, FDI by default for an FDI enterprise, and a
termination date exactly when terminated."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import RuleViolation
from app.enterprises.repository import EnterpriseRepository
from app.investment_projects.repository import ProjectRepository
from app.investment_projects.schemas import ProjectCreate, ProjectUpdate
from app.models import InvestmentProject, Ownership, ProjectStatus


def _check(project: InvestmentProject) -> None:
    terminated = project.status == ProjectStatus.TERMINATED
    if terminated and project.terminated_on is None:
        raise RuleViolation(
            "terminated_on is required for a terminated project", field="terminated_on"
        )
    if not terminated and project.terminated_on is not None:
        raise RuleViolation(
            f"terminated_on is only for a terminated project, not an {project.status} one",
            field="terminated_on",
        )
    if project.terminated_on is not None and project.terminated_on < project.licensed_on:
        raise RuleViolation("terminated_on is before licensed_on", field="terminated_on")


class ProjectService:
    def __init__(self, session: AsyncSession) -> None:
        self.projects = ProjectRepository(session)
        self.enterprises = EnterpriseRepository(session)

    async def create(self, data: ProjectCreate) -> InvestmentProject:
        enterprise = await self.enterprises.reference(data.enterprise_id, "enterprise_id")
        values = data.model_dump()
        if values["is_fdi"] is None:
            values["is_fdi"] = enterprise.ownership == Ownership.FDI
        project = InvestmentProject(**values)
        _check(project)
        return await self.projects.add(project)

    async def update(self, project: InvestmentProject, data: ProjectUpdate) -> InvestmentProject:
        """is_fdi is the project's own record: moving it to another enterprise keeps it."""
        await self.enterprises.reference(data.enterprise_id, "enterprise_id")
        return await self.projects.update(project, data, check=_check)

    async def delete(self, project: InvestmentProject) -> None:
        await self.projects.delete(project)
