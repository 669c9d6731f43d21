"""How long the audit trail keeps its events: KCN_AUDIT_RETENTION_DAYS, applied by
`kcn-party prune-audit`, the one path that deletes from the append-only table."""

import datetime as dt

from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import AuditEvent


async def prune(session: AsyncSession, days: int, *, dry_run: bool = False) -> int:
    """Delete (or with `dry_run` count) the events older than `days` days; their number."""
    older = AuditEvent.occurred_at < func.now() - dt.timedelta(days=days)
    if dry_run:
        return (await session.execute(select(func.count()).where(older))).scalar_one()
    # The table's trigger refuses every DELETE but one made under this transaction setting.
    await session.execute(text("SET LOCAL kcn.audit_prune = 'on'"))
    result = await session.execute(delete(AuditEvent).where(older))
    return int(getattr(result, "rowcount", 0))
