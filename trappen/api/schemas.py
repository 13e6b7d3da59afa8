"""The API's JSON shapes. Field names are English; descriptions and error messages Danish.

`NotificationIn` mirrors `notifications.services.NotificationInput` without the fields the
server sets itself (channel, the API client, the reporting unit of a client tied to one unit).
Types are strict: `"4"` is not a level and `"yes"` is not a boolean; text is stripped and no
longer than the service allows. The rules about content (a valid CPR number, a birth date not in
the future, the child's name, characters a database cannot store, a valid e-mail address) are
the intake service's, which names the field it refuses.
"""

from __future__ import annotations

import datetime
from typing import Annotated

from django.utils import timezone
from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, StringConstraints

from trappen.core.vocabulary import ConcernArea
from trappen.notifications.models import NotificationReason, NotificationStatus, ReporterKind
from trappen.notifications.services import MAX_LENGTHS as LIMITS

IDEMPOTENCY_KEY_PATTERN = r"^[\x20-\x7e]{1,100}$"


def Text(max_length: int, min_length: int = 0):  # noqa: N802 (reads as a type)
    return Annotated[
        str,
        StringConstraints(
            strict=True, strip_whitespace=True, max_length=max_length, min_length=min_length
        ),
    ]


def _date_as_text(value: object) -> object:
    # Without this, pydantic would read a number as a Unix timestamp.
    if value is not None and not isinstance(value, str):
        raise ValueError("Skriv datoen som ÅÅÅÅ-MM-DD.")
    return value


Level = Annotated[int, Field(strict=True, ge=1, le=5)]
DateText = Annotated[datetime.date, BeforeValidator(_date_as_text)]


class ApiSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class ReporterIn(ApiSchema):
    kind: ReporterKind = Field(description="Hvem underretter (Danmarks Statistiks kategorier).")
    unit_id: Annotated[int, Field(strict=True, ge=1)] | None = Field(
        None,
        description="Kommunens enhed (skole, dagtilbud ...), som underretter kommer fra. "
        "Udelades, når klienten er knyttet til én enhed.",
    )
    profession: Text(LIMITS["reporter_profession"]) = Field(
        "", description="Faggruppe, fx lærer eller sundhedsplejerske."
    )
    organisation: Text(LIMITS["reporter_organisation"]) = Field(
        "", description="Arbejdssted, når det ikke er en enhed."
    )
    name: Text(LIMITS["reporter_name"]) = Field(
        "",
        description="Underretters navn. Skal udfyldes, når underretningen ikke kommer fra en "
        "enhed (unit_id eller klientens egen enhed).",
    )
    phone: Text(LIMITS["reporter_phone"]) = Field("", description="Underretters telefon.")
    email: Text(LIMITS["reporter_email"]) = Field("", description="Underretters e-mail.")


class ChildIn(ApiSchema):
    """The name, and the CPR number or (when it is unknown) the birth date and address."""

    cpr: Text(20) = Field("", description="Barnets CPR-nummer (10 cifre, bindestreg tilladt).")
    name: Text(LIMITS["child_name"]) = Field(
        "",
        description="Barnets navn. Skal altid udfyldes, undtagen for et ufødt barn uden "
        "CPR-nummer (årsagen unborn).",
    )
    birth_date: DateText | None = Field(
        None, description="Barnets fødselsdato (ÅÅÅÅ-MM-DD), når CPR-nummeret ikke kendes."
    )
    address: Text(LIMITS["child_address"]) = Field(
        "", description="Barnets adresse, hvis den kendes."
    )


class NotificationIn(ApiSchema):
    reporter: ReporterIn
    child: ChildIn
    siblings: Text(LIMITS["siblings_note"]) = Field(
        "", description="Søskende, som underretter kender til."
    )
    concern: Text(LIMITS["concern"], min_length=1) = Field(
        description="Bekymringen med underretters ord."
    )
    areas: list[ConcernArea] = Field(
        [], max_length=len(ConcernArea), description="Bekymringsområder."
    )
    reasons: list[NotificationReason] = Field(
        [], max_length=len(NotificationReason), description="Årsager (Danmarks Statistik)."
    )
    level: Level | None = Field(
        None, description="Niveau på trivselsskalaen: 1 I trivsel ... 5 Truet."
    )
    acute: bool = Field(
        False, strict=True, description="Underretter vurderer, at barnet er i akut fare."
    )


class NotificationOut(Schema):
    """What a client may know of a notification it submitted: never the child's identity."""

    id: int
    reference: str = Field(description="Underretningens nummer hos kommunen.")
    received_at: datetime.datetime = Field(description="Modtaget (dansk tid).")
    assessment_due_at: datetime.datetime = Field(
        description="Kommunen vurderer senest (24 timer, barnets lov § 136)."
    )
    receipt_due_on: datetime.date | None = Field(
        description="Kvittering til en fagperson senest (6 hverdage); null for andre underrettere."
    )
    status: NotificationStatus

    @staticmethod
    def resolve_reference(obj) -> str:
        return obj.reference

    @staticmethod
    def resolve_received_at(obj) -> datetime.datetime:
        return timezone.localtime(obj.received_at)

    @staticmethod
    def resolve_assessment_due_at(obj) -> datetime.datetime:
        return timezone.localtime(obj.assessment_due_at)


class FieldError(Schema):
    field: str | None = Field(
        description="Feltet med fejlen, fx child.cpr eller Idempotency-Key; null, når fejlen "
        "gælder hele forespørgslen."
    )
    message: str = Field(description="Hvad der er galt, på dansk.")


class ErrorsOut(Schema):
    errors: list[FieldError]
