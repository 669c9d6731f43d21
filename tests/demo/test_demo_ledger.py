"""On the demo dataset, every figure the as-of ledger gives equals the one derived from the
records: each target's actual and its quotas' roll-up on several days, the open enterprises,
and the ledger as a whole (`ledger_rebuild`)."""

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Target
from app.party.ledger import rebuild
from app.targets.metrics import measure

DAYS = [dt.date(2020, 12, 31), dt.date(2023, 7, 1), dt.date(2024, 6, 30), dt.date(2025, 7, 31)]


@pytest.mark.parametrize("day", DAYS)
async def test_every_target_measures_the_same_from_the_ledger(
    demo_session: AsyncSession, day: dt.date
) -> None:
    targets = (await demo_session.scalars(select(Target))).all()
    assert len(targets) > 50

    from_ledger = await measure(demo_session, targets, day)
    from_records = await measure(demo_session, targets, day, from_records=True)

    assert from_ledger == from_records
    assert any(m.quotas for m in from_ledger.values())
    if day >= dt.date(2024, 6, 30):  # the quotas' period has begun: some are attained
        assert any(m.quota_actual for m in from_ledger.values())


async def test_the_demos_ledger_is_the_records(demo_session: AsyncSession) -> None:
    checks = await rebuild(demo_session, apply=False)
    assert [(c.ledger, c.differences) for c in checks] == [
        ("member_states", 0),
        ("metric_items", 0),
        ("open_enterprises", 0),
    ]
    assert all(c.rows > 0 for c in checks)
