"""Who may write a campaign's activities."""

from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import CurrentUser
from app.campaigns.router import CampaignDep
from app.core.errors import Forbidden
from app.core.problem_codes import ProblemCode
from app.models import Campaign, Role, User

ACTIVITY_WRITERS_EVERYWHERE = (Role.ADMIN, Role.EDITOR)


def may_write_activities(user: User, campaign: Campaign) -> bool:
    """Editors and admins in every campaign; a group leader only in the campaigns they lead."""
    if user.role in ACTIVITY_WRITERS_EVERYWHERE:
        return True
    return user.role == Role.GROUP_LEADER and campaign.leader_id == user.id


async def require_activity_writer(campaign: CampaignDep, user: CurrentUser) -> User:
    """The one check behind every activity write. The campaign is loaded first, so an unknown
    campaign is a 404 for everyone before any 403."""
    if may_write_activities(user, campaign):
        return user
    if user.role == Role.GROUP_LEADER:
        raise Forbidden(
            f"campaign {campaign.id} is led by another user; a group leader logs activities "
            "only in the campaigns they lead",
            code=ProblemCode.NOT_CAMPAIGN_LEADER,
        )
    raise Forbidden(
        "logging activities needs the role admin or editor, or leading the campaign",
        code=ProblemCode.FORBIDDEN_ROLE,
    )


ActivityWriter = Annotated[User, Depends(require_activity_writer)]
