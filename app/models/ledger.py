"""The as-of ledger: counts kept up to date by the database itself, so that "how many on D" and
"how many in [a, b]" cost what the answer costs, not what the history does (docs/architecture.md,
"The as-of ledger").

Triggers on the dated records (member events, members' dossiers, organizations, industrial zones,
enterprises and their events, investment projects) keep two kinds of tables in the same
transaction as the change:
- a contribution: what each record counts for now (a member's spans in each state, an item's
  dated scope keys), recomputed from its records whenever they change;
- dated deltas: the difference each change made, appended (never updated, so concurrent writers
  never wait on each other), summed by the readers, and folded by `kcn-party
  rebuild-aggregates`.

The derivations in app/party/asof.py and app/targets/metrics.py stay as the reference the
ledger is checked against (the property tests, and `ledger_rebuild` in the database).
"""

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, Date, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class LedgerState(StrEnum):
    """The member states the ledger counts: the three statuses, and two views of a candidate's
    dossier (started by that day; started more than DOSSIER_STALE_MONTHS before it)."""

    OFFICIAL = "official"
    PROBATIONARY = "probationary"
    CANDIDATE = "candidate"
    DOSSIER = "dossier"
    DOSSIER_STALE = "dossier_stale"


class LedgerMemberSpan(Base):
    """A member counted in `state` from `from_day` until the day before `to_day` (NULL: still)."""

    __tablename__ = "ledger_member_spans"

    member_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[LedgerState] = mapped_column(String(16), primary_key=True)
    from_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    to_day: Mapped[dt.date | None] = mapped_column(Date)


class LedgerMemberDay(Base):
    """How the number of members in `state` changed on `day`; the number on D is the sum of the
    deltas dated on or before D."""

    __tablename__ = "ledger_member_days"
    __table_args__ = (
        Index("ix_ledger_member_days_day", "day", "state", postgresql_include=["delta"]),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    state: Mapped[LedgerState] = mapped_column(String(16))
    day: Mapped[dt.date] = mapped_column(Date)
    delta: Mapped[int] = mapped_column(Integer)


class LedgerMetricItem(Base):
    """One thing a target metric counts (app/targets/metrics.py), dated, once per scope key it
    counts for."""

    __tablename__ = "ledger_metric_items"

    metric: Mapped[str] = mapped_column(String(32), primary_key=True)
    item_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    scope_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date)


class LedgerMetricDay(Base):
    """How many items of `metric` counting for (scope, scope_key) are dated `day`, as deltas:
    the number in [a, b] is the sum of the deltas dated in it."""

    __tablename__ = "ledger_metric_days"
    __table_args__ = (
        Index(
            "ix_ledger_metric_days_key",
            "metric",
            "scope",
            "scope_key",
            "day",
            postgresql_include=["delta"],
        ),
        # Many keys over one window (a committee target's quotas): the window's rows first.
        Index(
            "ix_ledger_metric_days_window",
            "metric",
            "scope",
            "day",
            postgresql_include=["scope_key", "delta"],
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    metric: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str] = mapped_column(String(16))
    scope_key: Mapped[int] = mapped_column(Integer)
    day: Mapped[dt.date] = mapped_column(Date)
    delta: Mapped[int] = mapped_column(Integer)


class LedgerEnterpriseSpan(Base):
    """An enterprise open from `from_day` until the day before `to_day` (NULL: still), in its
    zone and ownership, with `workers` (its latest workforce report; 0 when none)."""

    __tablename__ = "ledger_enterprise_spans"

    enterprise_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    from_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    zone_id: Mapped[int] = mapped_column(Integer)
    ownership: Mapped[str] = mapped_column(String(16))
    to_day: Mapped[dt.date | None] = mapped_column(Date)
    workers: Mapped[int] = mapped_column(Integer)


class LedgerEnterpriseDay(Base):
    """How the open enterprises of a zone and ownership, and their workers, changed on `day`."""

    __tablename__ = "ledger_enterprise_days"
    __table_args__ = (
        Index(
            "ix_ledger_enterprise_days_day",
            "day",
            postgresql_include=["zone_id", "ownership", "open_delta", "workers_delta"],
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    zone_id: Mapped[int] = mapped_column(Integer)
    ownership: Mapped[str] = mapped_column(String(16))
    day: Mapped[dt.date] = mapped_column(Date)
    open_delta: Mapped[int] = mapped_column(Integer)
    workers_delta: Mapped[int] = mapped_column(Integer)


# What the organizations' ledger counts besides the organizations of each kind: the enterprises
# with at least one active organization (of any kind).
ENTERPRISES_COVERED = "enterprises_covered"


class LedgerOrganizationSpan(Base):
    """What `counted` counts from `from_day` until the day before `to_day` (NULL: still): an
    organization of that kind active then (`key_id` its id, `ownership` its enterprise's, ''
    when it has none), or an enterprise covered by an active organization then
    (ENTERPRISES_COVERED, `key_id` the enterprise's id)."""

    __tablename__ = "ledger_organization_spans"

    key_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    counted: Mapped[str] = mapped_column(String(32), primary_key=True)
    from_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    ownership: Mapped[str] = mapped_column(String(16))
    to_day: Mapped[dt.date | None] = mapped_column(Date)


class LedgerOrganizationDay(Base):
    """How the number `counted` for an enterprise ownership changed on `day`."""

    __tablename__ = "ledger_organization_days"
    __table_args__ = (
        Index(
            "ix_ledger_organization_days_day",
            "day",
            postgresql_include=["counted", "ownership", "delta"],
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    counted: Mapped[str] = mapped_column(String(32))
    ownership: Mapped[str] = mapped_column(String(16))
    day: Mapped[dt.date] = mapped_column(Date)
    delta: Mapped[int] = mapped_column(Integer)


class LedgerProjectSpan(Base):
    """An investment project as the ledger counts it: licensed on `licensed_on` (a new project
    that day), active from then until the day before `terminated_on` (NULL: still)."""

    __tablename__ = "ledger_project_spans"

    project_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    is_fdi: Mapped[bool] = mapped_column(Boolean)
    capital: Mapped[Decimal] = mapped_column(Numeric)
    licensed_on: Mapped[dt.date] = mapped_column(Date)
    terminated_on: Mapped[dt.date | None] = mapped_column(Date)


class LedgerProjectDay(Base):
    """On `day`: how many projects (FDI or not) were licensed and their capital, and how the
    number of active projects and their capital changed."""

    __tablename__ = "ledger_project_days"
    __table_args__ = (
        Index(
            "ix_ledger_project_days_day",
            "day",
            postgresql_include=[
                "is_fdi",
                "licensed",
                "licensed_capital",
                "active_delta",
                "capital_delta",
            ],
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    is_fdi: Mapped[bool] = mapped_column(Boolean)
    day: Mapped[dt.date] = mapped_column(Date)
    licensed: Mapped[int] = mapped_column(Integer)
    licensed_capital: Mapped[Decimal] = mapped_column(Numeric)
    active_delta: Mapped[int] = mapped_column(Integer)
    capital_delta: Mapped[Decimal] = mapped_column(Numeric)


class LedgerQuotaDay(Base):
    """The organization quotas of one metric and period (those a committee target of the same
    metric and period rolls up), as dated deltas: with no `day`, how their number and their
    allotted values changed; on a day of the period, how the sum of their actuals changed
    (each quota counts its organization's items that day, so an organization with two quotas
    counts them twice, as the roll-up from the records does)."""

    __tablename__ = "ledger_quota_days"
    __table_args__ = (
        Index(
            "ix_ledger_quota_days_group",
            "metric",
            "period_start",
            "period_end",
            "day",
            postgresql_include=["quotas_delta", "allocated_delta", "actual_delta"],
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    metric: Mapped[str] = mapped_column(String(32))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    day: Mapped[dt.date | None] = mapped_column(Date)
    quotas_delta: Mapped[int] = mapped_column(Integer)
    allocated_delta: Mapped[int] = mapped_column(BigInteger)
    actual_delta: Mapped[int] = mapped_column(Integer)


class LedgerTrainedItem(Base):
    """A member counted by `candidates_trained` in a target's period: the day of their first
    completed class ending in it (a member completing two classes in the period counts once)."""

    __tablename__ = "ledger_trained_items"

    member_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_start: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    period_end: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date)


class LedgerTrainedDay(Base):
    """How many members the candidates_trained targets of one period count from `day` on."""

    __tablename__ = "ledger_trained_days"
    __table_args__ = (
        Index(
            "ix_ledger_trained_days_period",
            "period_start",
            "period_end",
            "day",
            postgresql_include=["delta"],
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    day: Mapped[dt.date] = mapped_column(Date)
    delta: Mapped[int] = mapped_column(Integer)


class LedgerCompletion(Base):
    """A day on which a member completed a class (one row however many classes ended that day),
    with the day of their previous completion: a member is among the distinct people trained in
    [a, b] exactly once, on their first completion in it, the one whose previous day is before
    a (or none)."""

    __tablename__ = "ledger_completions"

    member_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    previous_day: Mapped[dt.date | None] = mapped_column(Date)


class LedgerCompletionDay(Base):
    """How many completions there are of `day` whose previous completion was `previous_day`:
    the distinct people trained in [a, b] are the sum over day in [a, b] and previous_day before
    a or null."""

    __tablename__ = "ledger_completion_days"
    __table_args__ = (
        Index("ix_ledger_completion_days_day", "day", postgresql_include=["previous_day", "delta"]),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date)
    previous_day: Mapped[dt.date | None] = mapped_column(Date)
    delta: Mapped[int] = mapped_column(Integer)
