"""Candidates and members in and out, the bodies of their actions, and their events."""

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import EmailStr, Field, model_validator

from app import models
from app.core.schemas import (
    CodeText,
    Date,
    FilterModel,
    InputModel,
    Int,
    Label,
    OutputModel,
    ParamInt,
    Patch,
)
from app.models import EventKind, Gender, LeftReason, MemberStatus, RemovalReason, SourceGroup
from app.party.charter import DOSSIER_STALE_MONTHS, PROBATION_MONTHS, probation_ends_on

FullName = Annotated[str, Field(min_length=1, max_length=200, examples=["Nguyễn Văn An"]), Label]
Position = Annotated[
    str, Field(min_length=1, max_length=200, examples=["Chủ tịch công đoàn"]), Label
]
Phone = Annotated[str, Field(min_length=3, max_length=50, pattern=r"^[0-9+().\- ]+$")]
PartyCardNo = Annotated[
    str,
    Field(
        min_length=1,
        max_length=20,
        pattern=r"^[0-9A-Z][0-9A-Z./-]*$",
        description="The party card's number (số thẻ đảng viên); unique.",
        examples=["01234567"],
    ),
]
DecisionNo = Annotated[str, Field(min_length=1, max_length=100, examples=["125-QĐ/ĐU"]), CodeText]
Place = Annotated[str, Field(min_length=1, max_length=300), Label]
Notes = Annotated[str, Field(max_length=5000)]
PERSONAL = "Personal data: null for the viewer role."


class MemberFields(InputModel):
    full_name: FullName
    party_card_no: PartyCardNo | None = None
    gender: Gender
    date_of_birth: Date = Field(description=PERSONAL, examples=["1995-04-12"])
    enterprise_id: Int | None = Field(
        default=None, description="Employer, if in a zone enterprise."
    )
    position: Position | None = None
    source_group: SourceGroup = SourceGroup.WORKER
    phone: Phone | None = Field(default=None, description=PERSONAL)
    email: EmailStr | None = Field(default=None, description=PERSONAL)
    notes: Notes | None = None


class MemberCreate(MemberFields):
    """A candidate (quần chúng ưu tú) entering the pipeline."""

    registered_on: Date | None = Field(
        default=None, description="When the candidate entered the records; defaults to today."
    )
    dossier_started_on: Date | None = Field(
        default=None,
        description="Start the admission dossier at once (same as the dossier action).",
    )


class MemberTransferIn(MemberFields):
    """A party member arriving from outside the committee, with their history dates."""

    status: Literal[MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL] = Field(
        description="probationary or official"
    )
    admitted_on: Date
    admission_decision_no: DecisionNo | None = None
    recognized_on: Date | None = Field(default=None, description="Required when official.")
    organization_id: Int
    transferred_on: Date = Field(description="The day their activity moved here.")
    origin: Annotated[Place, Field(examples=["Đảng bộ Quận Cầu Giấy"])]
    decision_no: DecisionNo | None = None

    @model_validator(mode="after")
    def _party_status(self) -> "MemberTransferIn":
        if self.status not in (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL):
            raise ValueError("status must be probationary or official")
        return self


class MemberUpdate(InputModel):
    """Personal and employment details; status and organization change only through actions."""

    full_name: Patch[FullName] = None
    party_card_no: PartyCardNo | None = None
    gender: Patch[Gender] = None
    date_of_birth: Patch[Date] = None
    enterprise_id: Int | None = None
    position: Position | None = None
    source_group: Patch[SourceGroup] = None
    phone: Phone | None = None
    email: EmailStr | None = None
    notes: Notes | None = None


class MemberFilters(FilterModel):
    as_of: Date | None = Field(
        default=None,
        description="Who was in the records on this date, with their status then.",
    )
    organization_id: ParamInt | None = None
    include_affiliated: bool = Field(
        default=False, description="With organization_id: also members of its affiliated cells."
    )
    enterprise_id: ParamInt | None = None
    status: MemberStatus | None = None
    source_group: SourceGroup | None = None
    dossier_stale: bool | None = Field(
        default=None,
        description=f"Candidates whose dossier started over {DOSSIER_STALE_MONTHS} months ago, "
        "not admitted.",
    )
    probation_ends_before: Date | None = Field(
        default=None,
        description=f"Probationary members whose {PROBATION_MONTHS} months end before it.",
    )
    q: str | None = Field(default=None, max_length=200, description="Search in the name.")


class Member(OutputModel):
    id: int
    full_name: str
    party_card_no: str | None
    gender: Gender
    date_of_birth: dt.date | None = Field(description=PERSONAL)
    enterprise_id: int | None
    position: str | None
    source_group: SourceGroup
    status: MemberStatus = Field(description="On `as_of` when the list was asked as of a date.")
    organization_id: int | None = Field(description="On `as_of` when asked as of a date.")
    registered_on: dt.date
    dossier_started_on: dt.date | None
    admitted_on: dt.date | None
    admission_decision_no: str | None
    recognized_on: dt.date | None
    probation_ends_on: dt.date | None = Field(
        default=None, description=f"admitted_on + {PROBATION_MONTHS} months, while probationary."
    )
    left_on: dt.date | None
    left_reason: LeftReason | None
    origin: str | None
    phone: str | None = Field(description=PERSONAL)
    email: str | None = Field(description=PERSONAL)
    notes: str | None = Field(description=PERSONAL)
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def from_row(cls, row: Any) -> "Member":
        """The read model from a member: an ORM member as it is now, or a row of
        `MemberRepository.list` (its columns, with the status and organization of the date
        asked)."""
        member = cls.of_record(row)
        if member.status == MemberStatus.PROBATIONARY and member.admitted_on is not None:
            member.probation_ends_on = probation_ends_on(member.admitted_on)
        return member

    @classmethod
    def of(cls, member: models.Member) -> "Member":
        """The read model of a member as they are now."""
        return cls.from_row(member)


class DossierStart(InputModel):
    started_on: Date
    notes: Notes | None = None


class Admission(InputModel):
    admitted_on: Date
    organization_id: Int
    decision_no: DecisionNo | None = None
    notes: Notes | None = None


class Recognition(InputModel):
    recognized_on: Date
    decision_no: DecisionNo | None = None
    notes: Notes | None = None


class Transfer(InputModel):
    """Inside the committee (to_organization_id) or out of it (destination)."""

    on: Date
    to_organization_id: Int | None = None
    destination: Place | None = Field(
        default=None, description="Where the member goes when leaving the committee."
    )
    decision_no: DecisionNo | None = None
    notes: Notes | None = None

    @model_validator(mode="after")
    def _one_destination(self) -> "Transfer":
        if (self.to_organization_id is None) == (self.destination is None):
            raise ValueError("give exactly one of to_organization_id or destination")
        return self


class Removal(InputModel):
    on: Date
    reason: RemovalReason
    decision_no: DecisionNo | None = None
    notes: Notes | None = None


class MemberEvent(OutputModel):
    id: int
    member_id: int
    kind: EventKind
    occurred_on: dt.date
    status_after: MemberStatus
    organization_id: int | None
    from_organization_id: int | None
    decision_no: str | None
    reason: str | None
    destination: str | None
    notes: str | None = Field(description=PERSONAL)
    created_by_id: int | None
    created_at: dt.datetime
