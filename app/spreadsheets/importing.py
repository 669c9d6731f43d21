"""Bringing a register in from a spreadsheet (issue 14): each row created, updated or left
unchanged by its natural key, through the same services and rules as the API; all or nothing.

Enterprises are keyed by tax code; organizations by (enterprise tax code, kind, name); members by
party card number where the row has one, else (full name, date of birth, enterprise tax code).
The keys of a whole file are looked up in one query per kind. New records are checked row by row
and written a thousand at a time; other rows each run in a savepoint, so a refused row is reported
with its row number and column and the others still get checked; any refusal, or a dry run, rolls
everything back."""

import datetime as dt
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import Any, Literal

from pydantic import Field, ValidationError
from sqlalchemy import ColumnElement, String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.constraints import describe_integrity_error
from app.core.errors import DomainError
from app.core.schemas import OutputModel
from app.enterprises.schemas import Closure, EnterpriseCreate, EnterpriseUpdate
from app.enterprises.service import EnterpriseService
from app.members.repository import NewMember, write_new_members
from app.members.schemas import Admission, MemberCreate, MemberUpdate, Recognition, Removal
from app.members.service import MemberService
from app.models import (
    Enterprise,
    EnterpriseStatus,
    IndustrialZone,
    Member,
    MemberStatus,
    Organization,
    User,
)
from app.organizations.repository import HeldOrganizations
from app.organizations.schemas import Dissolution, OrganizationCreate, OrganizationUpdate
from app.organizations.service import OrganizationService
from app.spreadsheets import columns as registers
from app.spreadsheets.columns import Column
from app.spreadsheets.reading import RowError, Sheet

Outcome = Literal["created", "updated", "unchanged"]
IMPORTED = "recorded from an imported spreadsheet"


class ImportReport(OutputModel):
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = Field(default_factory=list)


class RowProblem(Exception):
    def __init__(self, column: str | None, code: str, message: str) -> None:
        super().__init__(message)
        self.column, self.code, self.message = column, code, message


def _one_of(column: Any, values: set[str]) -> ColumnElement[bool]:
    """`column = ANY($1)` with the file's values as one array parameter: an IN list of a
    100,000-row file's keys would pass the driver's 32,767 parameters."""
    matches: ColumnElement[bool] = column == any_(
        bindparam(None, sorted(values), type_=ARRAY(String()))
    )
    return matches


def _present(values: dict[str, Any], *keys: str) -> dict[str, Any]:
    """The file's values of `keys`, for the columns the file has."""
    return {key: values[key] for key in keys if key in values}


def _changed(row: Any, wanted: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in wanted.items() if getattr(row, key) != value}


class Importer:
    """One register's rows into its records."""

    columns: tuple[Column, ...]
    required: tuple[str, ...]
    # A request model's field -> the column it is read from, where the names differ.
    fields: dict[str, str] = {}  # noqa: RUF012

    def __init__(self, session: AsyncSession, user: User) -> None:
        self.session, self.user = session, user

    def key(self, values: dict[str, Any]) -> tuple[Any, ...]:
        raise NotImplementedError

    async def prepare(self, rows: Sequence[dict[str, Any]]) -> None:
        """Look up, once for the file, what its rows refer to."""

    async def apply(self, values: dict[str, Any]) -> Outcome:
        raise NotImplementedError

    def in_bulk(self, values: dict[str, Any]) -> bool:
        """Whether the row is a new record `new` and `add_many` create (a batch at a time)."""
        return False

    def forget(self, values: dict[str, Any]) -> None:
        """The row was refused and its savepoint rolled back: drop what it remembered."""

    async def new(self, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    async def add_many(self, records: list[Any]) -> None:
        raise NotImplementedError

    async def _ids_by_tax_code(self, rows: Sequence[dict[str, Any]], key: str) -> dict[str, int]:
        codes = {v[key] for v in rows if v.get(key)}
        # Held for the whole import, so that the services' checks of each row's enterprise
        # find it in the session's identity map (which keeps only referenced objects).
        self.held_enterprises = list(
            await self.session.scalars(
                select(Enterprise).where(_one_of(Enterprise.tax_code, codes))
            )
        )
        return {enterprise.tax_code: enterprise.id for enterprise in self.held_enterprises}

    def _reference(self, table: dict[str, int], values: dict[str, Any], column: str) -> int | None:
        code = values.get(column)
        if code is None:
            return None
        if code not in table:
            raise RowProblem(column, "unknown_reference", f"{code} is not in the records")
        return table[code]


class EnterpriseImporter(Importer):
    columns = registers.ENTERPRISES
    required = ("tax_code", "name", "zone_code", "ownership")
    fields = {"zone_id": "zone_code"}  # noqa: RUF012
    FIELDS = (
        "name", "foreign_name", "ownership", "investor_country", "industry", "address",
        "workers_count", "has_trade_union", "has_youth_union", "registered_on",
    )  # fmt: skip

    def key(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return (values.get("tax_code"),)

    async def prepare(self, rows: Sequence[dict[str, Any]]) -> None:
        await self._ids_by_tax_code(rows, "tax_code")
        self.existing = {e.tax_code: e for e in self.held_enterprises}
        zone_codes = {v["zone_code"].upper() for v in rows if v.get("zone_code")}
        # Held for the whole import: the session's identity map keeps only referenced objects,
        # and the service's check of each row's zone then finds it there, not in the database.
        self.zone_rows = list(
            await self.session.scalars(
                select(IndustrialZone).where(_one_of(func.upper(IndustrialZone.code), zone_codes))
            )
        )
        self.zones = {zone.code.upper(): zone.id for zone in self.zone_rows}

    def _wanted(self, values: dict[str, Any]) -> dict[str, Any]:
        """The row as an enterprise's fields (its zone resolved, its status unless closed)."""
        wanted = _present(values, *self.FIELDS)
        if wanted.get("investor_country"):
            wanted["investor_country"] = wanted["investor_country"].upper()
        if values.get("zone_code") is not None:
            values["zone_code"] = values["zone_code"].upper()
        wanted["zone_id"] = self._reference(self.zones, values, "zone_code")
        if values.get("status") not in (None, EnterpriseStatus.CLOSED):
            wanted["status"] = values["status"]
        return wanted

    def _create_body(self, values: dict[str, Any]) -> EnterpriseCreate:
        body = {k: v for k, v in self._wanted(values).items() if v is not None}
        return EnterpriseCreate.model_validate({"tax_code": values["tax_code"], **body})

    def in_bulk(self, values: dict[str, Any]) -> bool:
        closing = values.get("status") == EnterpriseStatus.CLOSED
        return not closing and values["tax_code"] not in self.existing

    async def new(self, values: dict[str, Any]) -> Enterprise:
        return EnterpriseService.new(self._create_body(values))

    async def add_many(self, records: list[Any]) -> None:
        await EnterpriseService(self.session, self.user).add_many(records)
        self.existing |= {enterprise.tax_code: enterprise for enterprise in records}

    async def apply(self, values: dict[str, Any]) -> Outcome:
        service = EnterpriseService(self.session, self.user)
        closing = values.get("status") == EnterpriseStatus.CLOSED
        existing = self.existing.get(values["tax_code"])
        if existing is None:
            enterprise = await service.create(self._create_body(values))
            self.existing[enterprise.tax_code] = enterprise
            if closing:
                await self._close(service, enterprise, values)
            return "created"
        wanted = self._wanted(values)
        required = {"name", "ownership", "zone_id", "workers_count", "registered_on"}
        changes = {
            k: v
            for k, v in _changed(existing, wanted).items()
            if v is not None or k not in required | {"has_trade_union", "has_youth_union"}
        }
        if changes:
            await service.update(existing, EnterpriseUpdate.model_validate(changes))
        if closing and existing.status != EnterpriseStatus.CLOSED:
            await self._close(service, existing, values)
            return "updated"
        if not closing and "status" in values and existing.status == EnterpriseStatus.CLOSED:
            raise RowProblem(
                "status", "closed_by_action", "reopen it with POST /enterprises/{id}/reopen"
            )
        return "updated" if changes else "unchanged"

    @staticmethod
    async def _close(
        service: EnterpriseService, enterprise: Enterprise, values: dict[str, Any]
    ) -> None:
        if values.get("closed_on") is None:
            raise RowProblem("closed_on", "invalid_value", "a closed enterprise needs its date")
        await service.close(enterprise, Closure(closed_on=values["closed_on"], reason=IMPORTED))


class OrganizationImporter(Importer):
    columns = registers.ORGANIZATIONS
    required = ("name", "kind", "established_on")
    fields = {"enterprise_id": "enterprise_tax_code", "parent_id": "parent_name"}  # noqa: RUF012

    def key(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return (values.get("enterprise_tax_code"), values.get("kind"), _fold(values.get("name")))

    async def prepare(self, rows: Sequence[dict[str, Any]]) -> None:
        self.enterprises = await self._ids_by_tax_code(rows, "enterprise_tax_code")
        names = {_fold(v.get(k)) for v in rows for k in ("name", "parent_name") if v.get(k)}
        found = await self.session.scalars(
            select(Organization).where(_one_of(func.lower(Organization.name), names))
        )
        # Ids, not objects: a row's savepoint rolled back expires what it touched, and a later
        # row must not read an expired object (nor an id the rollback took back).
        self.by_name: dict[str, list[int]] = {}
        self.existing: dict[tuple[Any, ...], int] = {}
        for organization in found:
            self._remember(organization)

    def _remember(self, organization: Organization) -> None:
        self.by_name.setdefault(_fold(organization.name), []).append(organization.id)
        key = (organization.enterprise_id, organization.kind, _fold(organization.name))
        self.existing[key] = organization.id

    def _parent(self, values: dict[str, Any]) -> int | None:
        if values.get("parent_name") is None:
            return None
        return _named(self.by_name, values, "parent_name")

    def forget(self, values: dict[str, Any]) -> None:
        """A row refused: what it created is gone with its savepoint."""
        for ids in self.by_name.values():
            ids[:] = [i for i in ids if i not in self.created_by_row]
        self.existing = {k: i for k, i in self.existing.items() if i not in self.created_by_row}

    async def apply(self, values: dict[str, Any]) -> Outcome:
        self.created_by_row: set[int] = set()
        service = OrganizationService(self.session)
        enterprise_id = self._reference(self.enterprises, values, "enterprise_tax_code")
        known = self.existing.get((enterprise_id, values["kind"], _fold(values["name"])))
        existing = await self.session.get(Organization, known) if known is not None else None
        wanted = _present(values, "established_on", "decision_no", "notes")
        if existing is None:
            body = {k: v for k, v in wanted.items() if v is not None}
            organization = await service.create(
                OrganizationCreate.model_validate(
                    {
                        "name": values["name"],
                        "kind": values["kind"],
                        "enterprise_id": enterprise_id,
                        "parent_id": self._parent(values),
                        **body,
                    }
                )
            )
            self._remember(organization)
            self.created_by_row.add(organization.id)
            outcome: Outcome = "created"
        else:
            organization = existing
            changes = {
                k: v
                for k, v in _changed(existing, wanted).items()
                if v is not None or k != "established_on"
            }
            if changes:
                await service.update(existing, OrganizationUpdate.model_validate(changes))
            outcome = "updated" if changes else "unchanged"
        dissolved_on = values.get("dissolved_on")
        if dissolved_on is not None and organization.dissolved_on is None:
            await service.dissolve(
                organization, Dissolution(dissolved_on=dissolved_on, reason=IMPORTED)
            )
            outcome = "updated" if outcome == "unchanged" else outcome
        return outcome


class MemberImporter(Importer):
    columns = registers.MEMBERS
    required = ("full_name", "gender", "date_of_birth")
    fields = {  # noqa: RUF012
        "enterprise_id": "enterprise_tax_code",
        "organization_id": "organization_name",
        "started_on": "dossier_started_on",
        "on": "left_on",
        "reason": "left_reason",
    }
    PERSON = ("full_name", "party_card_no", "gender", "date_of_birth", "position",
              "source_group", "phone", "email", "notes")  # fmt: skip

    def key(self, values: dict[str, Any]) -> tuple[Any, ...]:
        """The party card number where the row has one, else name, birth date and employer."""
        if values.get("party_card_no"):
            values["party_card_no"] = values["party_card_no"].upper()
            return ("card", values["party_card_no"])
        return (
            _fold(values.get("full_name")),
            values.get("date_of_birth"),
            values.get("enterprise_tax_code"),
        )

    async def prepare(self, rows: Sequence[dict[str, Any]]) -> None:
        self.enterprises = await self._ids_by_tax_code(rows, "enterprise_tax_code")
        names = {_fold(v["full_name"]) for v in rows if v.get("full_name")}
        cards = {str(v["party_card_no"]).upper() for v in rows if v.get("party_card_no")}
        found = await self.session.scalars(
            select(Member).where(
                _one_of(func.lower(Member.full_name), names) | _one_of(Member.party_card_no, cards)
            )
        )
        self.existing: dict[tuple[Any, ...], Member] = {}
        for member in found:
            self._remember(member)
        wanted = {_fold(v["organization_name"]) for v in rows if v.get("organization_name")}
        # Share-locked once for the whole file, as each admission would lock its organization:
        # none can be dissolved under the import; the service then finds them without a query.
        held = await self.session.scalars(
            select(Organization)
            .where(_one_of(func.lower(Organization.name), wanted))
            .with_for_update(read=True)
        )
        self.held = HeldOrganizations(self.session, list(held))
        self.organizations: dict[str, list[int]] = {}
        for organization in self.held.held.values():
            self.organizations.setdefault(_fold(organization.name), []).append(organization.id)

    def _remember(self, member: Member) -> None:
        if member.party_card_no is not None:
            self.existing[("card", member.party_card_no)] = member
        person = (_fold(member.full_name), member.date_of_birth, member.enterprise_id)
        if person not in self.existing or member.party_card_no is None:
            self.existing[person] = member

    def forget(self, values: dict[str, Any]) -> None:
        """A row refused: the member it created is gone with its savepoint."""
        if self.created_by_row is not None:
            gone = self.created_by_row
            self.existing = {k: m for k, m in self.existing.items() if m is not gone}

    def _find(self, values: dict[str, Any], enterprise_id: int | None) -> Member | None:
        """The recorded member the row is: by party card number, else by name, birth date and
        employer (a member recorded without a card number gets the row's)."""
        card = values.get("party_card_no")
        if card and (member := self.existing.get(("card", card))) is not None:
            return member
        member = self.existing.get(
            (_fold(values["full_name"]), values["date_of_birth"], enterprise_id)
        )
        if member is not None and card and member.party_card_no not in (None, card):
            return None  # the same name and birth date, another card: another person
        return member

    def in_bulk(self, values: dict[str, Any]) -> bool:
        enterprise_id = self.enterprises.get(values.get("enterprise_tax_code") or "")
        return self._find(values, enterprise_id) is None

    async def new(self, values: dict[str, Any]) -> NewMember:
        """A new member with the history the row records, checked by the service's rules and
        kept in memory until `add_many` writes the batch."""
        repository = NewMember(self.session)
        service = MemberService(
            self.session, self.user, members=repository, organizations=self.held
        )
        enterprise_id = self._reference(self.enterprises, values, "enterprise_tax_code")
        member = await self._create(service, values, enterprise_id)
        await self._steps(service, member, values)
        return repository

    async def add_many(self, records: list[Any]) -> None:
        await write_new_members(self.session, records)
        for record in records:
            self._remember(record.member)

    async def _create(
        self, service: MemberService, values: dict[str, Any], enterprise_id: int | None
    ) -> Member:
        body = _present(values, *self.PERSON, "registered_on", "dossier_started_on")
        body["enterprise_id"] = enterprise_id
        return await service.create_candidate(
            MemberCreate.model_validate({k: v for k, v in body.items() if v is not None})
        )

    async def apply(self, values: dict[str, Any]) -> Outcome:
        self.created_by_row: Member | None = None
        service = MemberService(self.session, self.user, organizations=self.held)
        enterprise_id = self._reference(self.enterprises, values, "enterprise_tax_code")
        member = self._find(values, enterprise_id)
        outcome: Outcome = "unchanged"
        if member is None:
            member = self.created_by_row = await self._create(service, values, enterprise_id)
            self._remember(member)
            outcome = "created"
        else:
            person = _present(values, *self.PERSON) | {"enterprise_id": enterprise_id}
            changes = {
                k: v
                for k, v in _changed(member, person).items()
                if v is not None
                or k in ("party_card_no", "position", "phone", "email", "notes", "enterprise_id")
            }
            if changes:
                await service.update(member, MemberUpdate.model_validate(changes))
                outcome = "updated"
        stepped = await self._steps(service, member, values)
        return "updated" if stepped and outcome == "unchanged" else outcome

    async def _steps(self, service: MemberService, member: Member, values: dict[str, Any]) -> bool:
        """The history the row records beyond the member's: admission, recognition, leaving,
        each through the service's rules. A recorded date the row contradicts is refused."""
        stepped = False
        for column, recorded in (
            ("admitted_on", member.admitted_on),
            ("recognized_on", member.recognized_on),
            ("left_on", member.left_on),
        ):
            wanted: dt.date | None = values.get(column)
            if wanted is None or wanted == recorded:
                continue
            if recorded is not None:
                raise RowProblem(
                    column, "differs_from_record",
                    f"the records say {recorded}; correct history with the member's actions",
                )  # fmt: skip
            if column == "admitted_on":
                admission = Admission(
                    admitted_on=wanted,
                    organization_id=_named(self.organizations, values, "organization_name"),
                    decision_no=values.get("admission_decision_no"),
                )
                await service.admit(member, admission)
            elif column == "recognized_on":
                await service.recognize(member, Recognition(recognized_on=wanted))
            elif member.status != MemberStatus.LEFT:
                reason = values.get("left_reason") or "other"
                await service.remove(
                    member, Removal.model_validate({"on": wanted, "reason": reason})
                )
            stepped = True
        self._agrees(member, values)
        return stepped

    def _agrees(self, member: Member, values: dict[str, Any]) -> None:
        """The row's status and organization, where it gives them, are what its dates make of
        the member (they are derived, never set: a row that says otherwise is refused)."""
        status = values.get("status")
        if status is not None and status != member.status:
            raise RowProblem(
                "status", "differs_from_record",
                f"the row's dates make the member {member.status}, not {status}",
            )  # fmt: skip
        name = values.get("organization_name")
        if member.status == MemberStatus.LEFT:
            return  # the organization a member left, as a clerk's list often still says
        if name is not None and member.organization_id not in self.organizations.get(
            _fold(name), []
        ):
            where = "in no organization" if member.organization_id is None else "elsewhere"
            raise RowProblem(
                "organization_name", "differs_from_record",
                f"the member is {where}; organizations change through the member's actions",
            )  # fmt: skip


IMPORTERS: dict[str, type[Importer]] = {
    "enterprises": EnterpriseImporter,
    "organizations": OrganizationImporter,
    "members": MemberImporter,
}


def _named(ids_by_name: dict[str, list[int]], values: dict[str, Any], column: str) -> int:
    """The one organization the row's `column` names (by name, any case)."""
    name = values.get(column)
    found = ids_by_name.get(_fold(name), []) if name else []
    if len(found) != 1:
        problem = "names several organizations" if found else "is not in the records"
        raise RowProblem(column, "unknown_reference", f"{name!r} {problem}")
    return found[0]


def _fold(text: Any) -> str:
    return str(text or "").strip().lower()


BATCH = 1000


async def run_import(
    importer: Importer,
    sheet: Sheet,
    *,
    dry_run: bool,
    progress: Callable[[int], Awaitable[None]] | None = None,
) -> ImportReport:
    """Every row of `sheet` through `importer`: new records it can create in bulk a thousand
    at a time, the others each in a savepoint; everything rolled back when a row is refused or
    on a dry run. The report counts and lists what happened where."""
    report = ImportReport(rows=len(sheet.rows), errors=list(sheet.errors))
    rows = _Rows(importer, sheet, report)
    outer = await importer.session.begin_nested()
    try:
        await importer.prepare([values for _n, values in sheet.rows])
        batch: list[tuple[int, dict[str, Any]]] = []
        for done, (number, values) in enumerate(rows.checked(), start=1):
            if progress is not None and done % BATCH == 0:
                await progress(done)
            if importer.in_bulk(values):
                batch.append((number, values))
                if len(batch) == BATCH:
                    await rows.create_many(batch)
                    batch = []
            else:
                rows.count(number, await rows.apply(number, values))
        await rows.create_many(batch)
    except BaseException:
        await outer.rollback()  # the cause stays the error answered (a timeout is a 503)
        raise
    if dry_run or report.errors:
        await outer.rollback()
    else:
        await outer.commit()
    report.errors.sort(key=lambda e: e.row)
    return report


class _Rows:
    """A file's rows on their way through an importer, and what became of each."""

    def __init__(self, importer: Importer, sheet: Sheet, report: ImportReport) -> None:
        self.importer, self.sheet, self.report = importer, sheet, report
        self.header_of = {
            column.key: header for column, header in zip(sheet.columns, sheet.headers, strict=True)
        }

    def checked(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """The rows read without a problem, with their required values, once per key."""
        bad_rows = {error.row for error in self.report.errors}
        seen: dict[tuple[Any, ...], int] = {}
        for number, values in self.sheet.rows:
            if number in bad_rows:
                continue
            missing = [k for k in self.importer.required if values.get(k) is None]
            for column in missing:
                self.refuse(number, column, "missing_value", "a value is required")
            if missing:
                continue
            key = self.importer.key(values)
            if key in seen:
                self.refuse(
                    number, None, "duplicate_in_file", f"the same record as row {seen[key]}"
                )
                continue
            seen[key] = number
            yield number, values

    def where(self, field: str | None) -> str | None:
        """The file's header of a request field (or of a column key)."""
        if field is None:
            return None
        column = self.importer.fields.get(field, field)
        return self.header_of.get(column, column)

    def refuse(self, number: int, field: str | None, code: str, message: str) -> None:
        self.report.errors.append(
            RowError(row=number, column=self.where(field), code=code, message=message)
        )

    def count(self, number: int, outcome: Outcome | Exception) -> None:
        if isinstance(outcome, Exception):
            self.refuse(number, *_problem(outcome))
        else:
            setattr(self.report, outcome, getattr(self.report, outcome) + 1)

    async def apply(self, number: int, values: dict[str, Any]) -> Outcome | Exception:
        """One row in its own savepoint: refused, it leaves nothing behind."""
        savepoint = await self.importer.session.begin_nested()
        try:
            outcome = await self.importer.apply(values)
            await self.importer.session.flush()
        except (RowProblem, DomainError, ValidationError, IntegrityError) as exc:
            await savepoint.rollback()
            if isinstance(exc, IntegrityError) and describe_integrity_error(exc) is None:
                raise
            self.importer.forget(values)
            return exc
        await savepoint.commit()
        return outcome

    async def create_many(self, batch: list[tuple[int, dict[str, Any]]]) -> None:
        """New records in one batch; if the database refuses it (a key taken meanwhile), the
        batch's rows one by one, to name the row."""
        if not batch:
            return
        ready: list[tuple[int, Any]] = []
        for number, values in batch:
            try:
                ready.append((number, await self.importer.new(values)))
            except (RowProblem, DomainError, ValidationError) as exc:
                self.count(number, exc)
        savepoint = await self.importer.session.begin_nested()
        try:
            await self.importer.add_many([record for _number, record in ready])
        except IntegrityError:
            await savepoint.rollback()
            checked = {number for number, _record in ready}
            for number, values in batch:
                if number in checked:
                    self.count(number, await self.apply(number, values))
            return
        await savepoint.commit()
        for number, _record in ready:
            self.count(number, "created")


def _problem(exc: Exception) -> tuple[str | None, str, str]:
    """(field, code, message) of a refused row."""
    if isinstance(exc, RowProblem):
        return exc.column, exc.code, exc.message
    if isinstance(exc, DomainError):
        field = next((str(e.loc[-1]) for e in exc.errors if e.loc), None)
        return field, exc.code, exc.detail
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else None
        return field, str(first["type"]), str(first["msg"]).removeprefix("Value error, ")
    if isinstance(exc, IntegrityError) and (described := describe_integrity_error(exc)):
        _status, code, detail, field = described
        return field, code, detail
    raise exc
