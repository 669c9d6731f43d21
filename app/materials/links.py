"""The materials linked to an activity (handed over) or a planned visit (to bring): one link
table each, the same two operations on both."""

from collections.abc import Iterable, Sequence

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession


async def linked_materials(
    session: AsyncSession, table: Table, owner: str, owner_ids: Iterable[int]
) -> dict[int, list[int]]:
    """The material ids linked to each of `owner_ids` in `table` (by its `owner` column)."""
    ids = list(owner_ids)
    found: dict[int, list[int]] = {ident: [] for ident in ids}
    if ids:
        rows = await session.execute(
            select(table.c[owner], table.c.material_id)
            .where(table.c[owner].in_(ids))
            .order_by(table.c.material_id)
        )
        for owner_id, material_id in rows:
            found[owner_id].append(material_id)
    return found


async def link_materials(
    session: AsyncSession, table: Table, owner: str, owner_id: int, material_ids: Sequence[int]
) -> None:
    """Make `material_ids` (each once) the materials linked to `owner_id`."""
    await session.execute(delete(table).where(table.c[owner] == owner_id))
    rows = [{owner: owner_id, "material_id": m} for m in dict.fromkeys(material_ids)]
    if rows:
        await session.execute(insert(table), rows)
