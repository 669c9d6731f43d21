"""PATCH bodies answer one way for a required field sent as null: a 422 validation_error, before
any rule runs. Checked for every update schema against the NOT NULL columns it may change."""

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy import inspect

from app import models
from app.campaigns.activities.schemas import ActivityUpdate
from app.campaigns.schemas import CampaignUpdate
from app.enterprises.contacts.schemas import ContactUpdate
from app.enterprises.schemas import EnterpriseUpdate
from app.investment_projects.schemas import ProjectUpdate
from app.members.schemas import MemberUpdate
from app.organizations.schemas import OrganizationUpdate
from app.targets.schemas import TargetUpdate
from app.training.attendees.schemas import AttendeeUpdate
from app.training.schemas import TrainingClassUpdate
from app.users.schemas import UserUpdate
from app.zones.schemas import ZoneUpdate

UPDATES: list[tuple[type[BaseModel], type[models.Base]]] = [
    (ActivityUpdate, models.CampaignActivity),
    (CampaignUpdate, models.Campaign),
    (ContactUpdate, models.EnterpriseContact),
    (EnterpriseUpdate, models.Enterprise),
    (ProjectUpdate, models.InvestmentProject),
    (MemberUpdate, models.Member),
    (OrganizationUpdate, models.Organization),
    (TargetUpdate, models.Target),
    (AttendeeUpdate, models.ClassAttendee),
    (TrainingClassUpdate, models.TrainingClass),
    (UserUpdate, models.User),
    (ZoneUpdate, models.IndustrialZone),
]


def _required_fields(update: type[BaseModel], model: type[models.Base]) -> list[str]:
    columns = {c.key: c for c in inspect(model).columns}
    return [name for name in update.model_fields if name in columns and not columns[name].nullable]


@pytest.mark.parametrize(("update", "model"), UPDATES, ids=[u.__name__ for u, _ in UPDATES])
def test_null_for_a_not_null_column_is_a_validation_error(
    update: type[BaseModel], model: type[models.Base]
) -> None:
    required = _required_fields(update, model)
    assert required, f"{update.__name__} changes no required column?"
    for name in required:
        with pytest.raises(ValidationError) as refused:
            update.model_validate({name: None})
        [error] = refused.value.errors()
        assert error["loc"] == (name,)
