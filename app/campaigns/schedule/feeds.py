"""/calendar/feed: a personal calendar feed URL for a phone's calendar app, which cannot send a
bearer token. The URL carries a random token (stored as its sha256) that reads only the visits of
the campaigns its user leads or belongs to; a new one replaces it, DELETE revokes it, and it
stops working when the user is deactivated."""

import datetime as dt
import secrets
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status

from app.auth.dependencies import CurrentUser
from app.campaigns.schedule.repository import (
    CalendarFeedRepository,
    VisitRepository,
    campaigns_of,
)
from app.campaigns.schedule.router import CALENDAR, calendar_response
from app.campaigns.schedule.schemas import FeedToken
from app.core.dates import today
from app.core.db import SessionDep
from app.core.errors import NotFound
from app.core.http import API_PREFIX
from app.models import PlannedVisit

# Not an IdempotentRoute: a replayed answer would be a stored copy of the feed's secret URL
# (and a dead one once replaced or revoked); a retried POST simply makes another feed URL.
router = APIRouter(prefix="/calendar", tags=["calendar"])
public_router = APIRouter(prefix="/calendar", tags=["calendar"])

# A personal feed holds the visits from six months back on: a phone's calendar needs no more,
# and each poll then reads a bounded number of rows however long the service has run.
FEED_HISTORY = dt.timedelta(days=183)

FeedTokenPath = Annotated[
    str,
    Path(
        min_length=20,
        max_length=100,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The token of the feed's URL.",
    ),
]


@router.post("/feed", name="create-feed", response_model=FeedToken, status_code=201)
async def create_calendar_feed(
    request: Request, session: SessionDep, user: CurrentUser, response: Response
) -> FeedToken:
    """A new personal feed URL (the previous one stops working): the visits of the campaigns you
    lead or belong to, for a calendar app to subscribe to. Shown once; keep it private."""
    token = secrets.token_urlsafe(32)
    feed = await CalendarFeedRepository(session).replace(user, token)
    path = f"{API_PREFIX}/calendar/feed/{token}.ics"
    response.headers["Location"] = path
    return FeedToken(url=str(request.base_url).rstrip("/") + path, created_at=feed.created_at)


@router.delete("/feed", name="revoke-feed", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_calendar_feed(session: SessionDep, user: CurrentUser) -> None:
    """Revoke your feed URL: calendar apps subscribed to it get 404 from now on."""
    feeds = CalendarFeedRepository(session)
    feed = await feeds.get_or_none(user.id)
    if feed is not None:
        await feeds.delete(feed)


@public_router.get(
    "/feed/{token}.ics",
    name="get-feed",
    response_class=Response,
    responses=CALENDAR | {404: {"description": "No such feed (revoked or replaced)."}},
)
async def get_calendar_feed(token: FeedTokenPath, session: SessionDep) -> Response:
    """The personal feed (no bearer token: the URL's token is the credential). An unknown,
    replaced or revoked token, or a deactivated user's, is 404."""
    user = await CalendarFeedRepository(session).owner(token)
    if user is None:
        raise NotFound("no such calendar feed")
    since = today() - FEED_HISTORY
    rows = await VisitRepository(session).for_calendar(
        today(), campaigns_of(user.id), PlannedVisit.planned_on >= since
    )
    return calendar_response(f"Lịch thăm doanh nghiệp — {user.full_name}", rows, "lich-cong-tac")
