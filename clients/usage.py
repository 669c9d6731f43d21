"""What an integrator writes against the generated Python client (make clients): it must pass
`mypy --strict` with openapi-python-client's defaults. Never run; only type-checked."""

import datetime as dt

from kcn_party_client import AuthenticatedClient, Client
from kcn_party_client.api.attainment import attainment_list
from kcn_party_client.api.auth import auth_token
from kcn_party_client.api.enterprises import enterprises_create, enterprises_list
from kcn_party_client.api.imports import imports_enterprises
from kcn_party_client.api.reports import (
    reports_download_overview_csv,
    reports_download_overview_xlsx,
)
from kcn_party_client.models import (
    EnterpriseCreate,
    EnterprisesListSort,
    ImportReport,
    ImportsEnterprisesForm,
    Ownership,
    Problem,
    ProblemCode,
    Token,
    TokenRequest,
)
from kcn_party_client.types import File

BASE = "http://127.0.0.1:8000"


def log_in(username: str, password: str) -> AuthenticatedClient:
    token = auth_token.sync(
        client=Client(base_url=BASE), body=TokenRequest(username=username, password=password)
    )
    if not isinstance(token, Token):
        raise RuntimeError(f"cannot log in: {token.detail if token else 'no answer'}")
    return AuthenticatedClient(base_url=BASE, token=token.access_token)


def behind_targets(api: AuthenticatedClient) -> list[str]:
    page = attainment_list.sync(client=api, as_of=dt.date(2024, 6, 30), limit=100)
    if page is None or isinstance(page, Problem):
        return []
    # Percentages are floats; every field of a response is present.
    return [a.name for a in page.items if a.percent is not None and a.percent < 50.0]


def largest_employers(api: AuthenticatedClient) -> list[tuple[str, int]]:
    page = enterprises_list.sync(
        client=api, sort=EnterprisesListSort.WORKERS_COUNT_DESC, zone_id=[1, 2], limit=10
    )
    if page is None or isinstance(page, Problem):
        return []
    cursor: str | None = page.next_cursor
    return [(e.name, e.workers_count) for e in page.items if cursor is None or e.id > 0]


def create_enterprise(api: AuthenticatedClient) -> int | ProblemCode:
    # Fields with a default (workers_count, status…) may be left out.
    body = EnterpriseCreate(
        tax_code="0101234567", name="Công ty TNHH A", zone_id=1, ownership=Ownership.FDI
    )
    created = enterprises_create.sync(client=api, body=body)
    if isinstance(created, Problem):
        if created.code in (ProblemCode.CONFLICT, ProblemCode.VALIDATION_ERROR):
            return created.code
        raise RuntimeError(f"{created.status} {created.code}: {created.detail}")
    if created is None:
        raise RuntimeError("no answer")
    return created.id


def overview_files(api: AuthenticatedClient) -> tuple[str, bytes]:
    csv = reports_download_overview_csv.sync(client=api, as_of=dt.date(2024, 6, 30))
    workbook = reports_download_overview_xlsx.sync(client=api, as_of=dt.date(2024, 6, 30))
    if not isinstance(csv, str) or not isinstance(workbook, File):
        raise RuntimeError("no files")
    return csv, workbook.payload.read()


def import_enterprises(api: AuthenticatedClient, path: str) -> int:
    """A spreadsheet checked first (dry run), then brought in; the rows created."""
    with open(path, "rb") as handle:
        upload = File(payload=handle, file_name="enterprises.csv", mime_type="text/csv")
        checked = imports_enterprises.sync(
            client=api, body=ImportsEnterprisesForm(file=upload), dry_run=True
        )
    if not isinstance(checked, ImportReport) or checked.errors:
        raise RuntimeError("the file has problems")
    return checked.created
