"""The audit trail's writer: every flushed change of an audited model becomes an `audit_events`
row in the same transaction, so a change and its record commit or roll back together: a failed
request writes nothing, except the failed login it is, which commits its event with the
throttle's count.

Who and where come from the request: `RequestContextMiddleware` opens an `AuditContext` (request
id, client address, the route's operation) and `get_current_user` names the actor. Each flush's
changes are collected (`after_flush`), so no code path that changes an audited row through the
ORM can forget its record, and written by one INSERT when the transaction commits
(`before_commit`): one event per record and transaction, however many flushes changed it. The
few writes that are not row changes of an audited model (a failed login, a campaign's zone list)
call `record` or `note_change`.

What is recorded: the changed fields with their values before and after. A model's
`__personal__` fields and its `__audit__.secret` fields are recorded as changed with their
values masked; passwords and tokens never reach a row (a user's `password_hash` is secret, refresh
tokens are not audited at all).
"""

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from fastapi.routing import APIRoute
from pydantic_core import to_jsonable_python
from sqlalchemy import ClauseElement, event, insert, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstanceState, Session, SessionTransaction, UOWTransaction

from app.core.http import operation_id
from app.models import AuditAction, AuditEvent, AuditResource, Base

# Bookkeeping every audited model shares; never worth a line in the trail.
BOOKKEEPING = frozenset({"created_at", "updated_at", "version", "search_key"})

# Mapped classes the trail does not record row by row, and why (tests/core/test_audit.py holds
# every mapped class to either an `__audit__` or a line here).
NOT_AUDITED: Mapping[str, str] = {
    "AuditEvent": "the trail itself",
    "IdempotencyRecord": "a stored response replayed for a retried POST, whose own changes "
    "were audited when it ran",
    "LoginFailure": "the throttle's counter; each failed login is an audit event of its own "
    "(action login_failed)",
    "RefreshToken": "the hash of a token rotated inside a session; the session's opening and "
    "end are audited",
    "CampaignMember": "a campaign's working-group list, audited as the campaign's `members`",
    "ImportJob": "the progress of a background import; the import itself is an audit event "
    "(action import) written with its rows",
    "MaterialFile": "a material's bytes, written once with the material, whose audit event "
    "records the file's name, size and sha256",
    **dict.fromkeys(
        (
            "LedgerEnterpriseSpan",
            "LedgerEnterpriseDay",
            "LedgerMemberSpan",
            "LedgerMemberDay",
            "LedgerMetricItem",
            "LedgerMetricDay",
            "LedgerOrganizationSpan",
            "LedgerOrganizationDay",
            "LedgerProjectSpan",
            "LedgerProjectDay",
            "LedgerQuotaDay",
            "LedgerTrainedItem",
            "LedgerTrainedDay",
            "LedgerCompletion",
            "LedgerCompletionDay",
        ),
        "the as-of ledger, written by database triggers from the audited records",
    ),
}

# A session whose info holds this key records nothing (benchmarks' bulk loads).
DISABLED = "audit_disabled"
_PENDING = "audit_pending"
_NOTES = "audit_notes"


@dataclass
class AuditContext:
    """Who is acting, from where, in which request. One per request, or per CLI command."""

    request_id: str | None = None
    client_address: str | None = None
    operation: str | None = None
    actor_id: int | None = None
    actor_username: str | None = None
    scope: Mapping[str, Any] | None = None  # the ASGI scope: its route names the operation

    def fields(self) -> dict[str, Any]:
        operation = self.operation
        route = self.scope.get("route") if self.scope is not None else None
        if operation is None and isinstance(route, APIRoute):
            operation = operation_id(route)
        return {
            "request_id": self.request_id,
            "client_address": self.client_address,
            "operation": operation,
            "actor_id": self.actor_id,
            "actor_username": self.actor_username,
        }


_context: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)


@contextmanager
def audit_context(**values: Any) -> Iterator[AuditContext]:
    """Open the context the rows written inside it are attributed to."""
    context = AuditContext(**values)
    token = _context.set(context)
    try:
        yield context
    finally:
        _context.reset(token)


def set_actor(user_id: int, username: str) -> None:
    """Name the user the current request acts as (authentication, or a login)."""
    context = _context.get()
    if context is not None:
        context.actor_id = user_id
        context.actor_username = username


def _context_fields() -> dict[str, Any]:
    context = _context.get()
    return context.fields() if context is not None else AuditContext().fields()


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _json(value: Any) -> Any:
    if type(value) in _PLAIN:  # most values: as they are (an import's hundred thousand rows)
        return value
    if isinstance(value, ClauseElement):  # a SQL expression assigned to an attribute
        return None
    return to_jsonable_python(value)


def change(field: str, before: Any, after: Any, *, masked: bool = False) -> dict[str, Any]:
    """One changed field as the trail stores it (and the API shows it)."""
    if masked:
        return {"field": field, "before": None, "after": None, "masked": True}
    return {"field": field, "before": _json(before), "after": _json(after), "masked": False}


def note_change(session: AsyncSession, row: Base, field: str, before: Any, after: Any) -> None:
    """Add a change the row's own columns do not show (a campaign's zones live in another
    table) to the row's audit event. Call it before the row is flushed with its change."""
    notes = session.sync_session.info.setdefault(_NOTES, {})
    notes.setdefault(id(row), []).append(change(field, before, after))


def record(
    session: AsyncSession,
    action: AuditAction,
    resource: AuditResource,
    resource_id: int | None,
    *,
    changes: Sequence[dict[str, Any]] = (),
) -> None:
    """An event that is not a row change (a failed login), written when the session commits."""
    fields = _event(_context_fields(), action, resource, resource_id, None, None)
    _pending(session.sync_session).add(None, fields, {c["field"]: c for c in changes})


def _event(
    context: dict[str, Any],
    action: AuditAction,
    resource: AuditResource,
    resource_id: int | None,
    parent_type: AuditResource | None,
    parent_id: int | None,
) -> dict[str, Any]:
    """An event's columns but its changes."""
    return {
        **context,
        "action": action.value,
        "resource_type": resource.value,
        "resource_id": resource_id,
        "parent_type": parent_type.value if parent_type is not None else None,
        "parent_id": parent_id,
    }


class _Pending:
    """The events of one transaction, in order; a record changed by several flushes of the
    transaction (a role change, then the token generation it moves) is one event."""

    def __init__(self) -> None:
        self.events: list[tuple[dict[str, Any], dict[str, dict[str, Any]]]] = []
        self.latest: dict[tuple[str, Any], int] = {}

    def add(
        self, key: tuple[str, Any] | None, fields: dict[str, Any], changes: dict[str, Any]
    ) -> None:
        index = self.latest.get(key) if key is not None else None
        if index is not None and fields["action"] == AuditAction.UPDATE:
            merged = self.events[index][1]
            for name, later in changes.items():
                earlier = merged.get(name)
                if earlier is None or later["masked"]:
                    merged[name] = later
                else:
                    merged[name] = {**earlier, "after": later["after"]}
            return
        if key is not None:
            self.latest[key] = len(self.events)
        self.events.append((fields, changes))

    def rows(self) -> list[dict[str, Any]]:
        rows = []
        for fields, changes in self.events:
            kept = [c for c in changes.values() if c["masked"] or c["before"] != c["after"]]
            if kept or fields["action"] != AuditAction.UPDATE:
                rows.append({**fields, "changes": kept})
        return rows


def _pending(session: Session) -> _Pending:
    pending: _Pending | None = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = _Pending()
    return pending


def _changes(state: InstanceState[Any], operation: str) -> list[dict[str, Any]]:
    model = state.class_
    spec = model.__audit__
    skipped = BOOKKEEPING | set(spec.ignored) | {spec.key}
    masked = set(model.__personal__) | set(spec.secret)
    values = state.dict
    found = []
    for attribute in state.mapper.column_attrs:
        name = attribute.key
        if name in skipped:
            continue
        if operation == "update":
            history = state.attrs[name].history
            if not history.has_changes():
                continue
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before == after:
                continue
        elif operation == "create":
            before, after = None, values.get(name)
            if after is None:
                continue
        else:
            before, after = values.get(name), None
            if before is None:
                continue
        found.append(change(name, before, after, masked=name in masked))
    return found


def _collect(
    pending: _Pending,
    state: InstanceState[Any],
    operation: str,
    notes: dict[int, list[dict[str, Any]]],
    context: dict[str, Any],
) -> None:
    spec = state.class_.__audit__
    if spec is None:
        return
    changes = _changes(state, operation) + notes.pop(id(state.obj()), [])
    if operation == "update" and not changes:
        return
    values = state.dict
    parent_type, parent_id = (
        (spec.parent[0], values.get(spec.parent[1])) if spec.parent else (None, None)
    )
    resource_id = values.get(spec.key)
    action = spec.actions.get(operation, AuditAction(operation))
    fields = _event(context, action, spec.resource, resource_id, parent_type, parent_id)
    pending.add((spec.resource.value, resource_id), fields, {c["field"]: c for c in changes})


@event.listens_for(Session, "after_flush")
def _collect_flushed(session: Session, _flush_context: UOWTransaction) -> None:
    if session.info.get(DISABLED):
        return
    pending = _pending(session)
    notes: dict[int, list[dict[str, Any]]] = session.info.get(_NOTES, {})
    context = _context_fields()
    for operation, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            _collect(pending, inspect(obj), operation, notes, context)


@event.listens_for(Session, "before_commit")
def _write(session: Session) -> None:
    """Flush what is left, then write the transaction's events with one INSERT."""
    session.flush()
    pending: _Pending | None = session.info.pop(_PENDING, None)
    rows = pending.rows() if pending is not None else []
    if rows:
        session.connection().execute(insert(AuditEvent), rows)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    """A transaction that ends without committing takes its events with it."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_NOTES, None)
