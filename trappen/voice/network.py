"""The child's network map (docs/voice-network.md): the people around the child, how close they
are, what they can offer, how to reach them and whether the custody holders (or the young person)
consented to the municipality contacting and involving them; and the network persons who carry
part of an intervention (Thisted: the family and the professional networks as two gears).

- `add_person`, `update_person`, `remove_person`: a `people.NetworkPerson` of the case's child.
  Removal is soft (`removed_on`): the map and the tables show the persons with `removed_on` None,
  and a person who carried part of an intervention stays in its history.
- `add_role`, `remove_role`: an `InterventionNetworkRole` on an intervention of the case.
- `case_network`, `intervention_network`, `provider_roles`: the reads, each logged.

The network belongs to the child, but the way to it is always a case the user may work on
(`cases.access.case_role`): the case's own team, or a caseworker with break-the-glass. Every
refusal raises `cases.plans.PlanError` with Danish messages per field; every read and write is
audited (one row per person or role, naming the child).
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, FilteredRelation, Q
from django.http import Http404
from django.utils import timezone

from trappen.cases.models import Case, Intervention
from trappen.cases.plans import (
    Errors,
    PlanError,
    check_date,
    check_open,
    clean_text,
    log,
    require_case_role,
)
from trappen.core.models import AuditAction, Role, User
from trappen.people.models import Closeness, NetworkConsent, NetworkPerson
from trappen.voice.models import InterventionNetworkRole

NAME_MAX = 200
RELATION_MAX = 100
PHONE_MAX = 30
EMAIL_MAX = 254
ADDRESS_MAX = 300
OFFER_MAX = 2000
PART_MAX = 300
PHONE_RE = re.compile(r"^\+?[0-9 ()\-]+$")
PHONE_MIN_DIGITS = 8
PERSON_NOT_FOUND = "Personen findes ikke i barnets netværk."
ROLE_NOT_FOUND = "Personen er ikke knyttet til indsatsen."

PURPOSE_MAP = "Barnets netværkskort"
PURPOSE_PERSON = "Netværksperson på barnets netværkskort"
PURPOSE_ROLE = "Netværkets del af indsatsen"
PURPOSE_PROVIDER = "Netværkets del af indsatsen (udfører)"

FIELDS = ("name", "relation", "closeness", "can_offer", "phone", "email", "address", "consent")


# --- reading ----------------------------------------------------------------------------------


def active_network(child_id: int):
    """The persons on the child's map (not removed), innermost circle first."""
    return NetworkPerson.objects.filter(child_id=child_id, removed_on__isnull=True).order_by(
        "closeness", "name", "pk"
    )


def case_network(
    case: Case, user: User, role: Role | str, *, purpose: str = PURPOSE_MAP, with_case=False
):
    """The persons on the map of the case's child; each read is logged (`with_case`: the read
    of the case too, in the same audit write, when the caller found it unlogged with
    `access.find_case_for_user`)."""
    persons = list(active_network(case.child_id))
    log(user, AuditAction.VIEW, [case, *persons] if with_case else persons, case, role, purpose)
    return persons


def get_person(case: Case, person_id: int, *, removed_too: bool = False) -> NetworkPerson:
    """A person on the map of the case's child (not removed, unless `removed_too`), else 404."""
    persons = NetworkPerson.objects if removed_too else active_network(case.child_id)
    person = persons.filter(pk=person_id, child_id=case.child_id).first()
    if person is None:
        raise Http404(PERSON_NOT_FOUND)
    return person


def intervention_network(
    intervention: Intervention, case: Case, user: User, role: Role | str, *, with_case=False
) -> tuple[list[InterventionNetworkRole], list[NetworkPerson]]:
    """The roles on the intervention (also of persons since removed from the map, marked by
    `person.removed_on`) and the persons on the map who have none yet, in one query; the read
    of the roles is logged (`with_case`: and of the case, in the same audit write)."""
    persons = (
        NetworkPerson.objects.filter(child_id=case.child_id)
        .annotate(
            on_intervention=FilteredRelation(
                "intervention_roles", condition=Q(intervention_roles__intervention=intervention)
            )
        )
        .filter(Q(removed_on__isnull=True) | Q(on_intervention__isnull=False))
        .annotate(role_id=F("on_intervention__id"), role_part=F("on_intervention__part"))
        .order_by("closeness", "name", "pk")
    )
    roles, free = [], []
    for person in persons:
        if person.role_id is None:
            free.append(person)
        else:
            roles.append(
                InterventionNetworkRole(
                    pk=person.role_id,
                    intervention=intervention,
                    person=person,
                    part=person.role_part,
                )
            )
    log(user, AuditAction.VIEW, [case, *roles] if with_case else roles, case, role, PURPOSE_ROLE)
    return roles, free


def provider_roles(intervention: Intervention, user: User):
    """What the provider sees to coordinate: the persons still on the map who carry part of the
    intervention (name, relation and part; no contact details, no closeness, no consent).
    The caller has checked the intervention is the provider's own (unlogged); the read of the
    intervention and of each role is logged in one audit write."""
    roles = list(
        InterventionNetworkRole.objects.filter(
            intervention=intervention, person__removed_on__isnull=True
        )
        .select_related("person")
        .order_by("person__closeness", "person__name", "pk")
    )
    objects = [intervention, *roles]
    log(user, AuditAction.VIEW, objects, intervention.case, Role.PROVIDER, PURPOSE_PROVIDER)
    return roles


# --- validation -------------------------------------------------------------------------------


def _phone(value, errors: Errors) -> str:
    phone = clean_text(value, "phone", errors, limit=PHONE_MAX)
    if phone and (not PHONE_RE.match(phone) or sum(c.isdigit() for c in phone) < PHONE_MIN_DIGITS):
        errors.add("phone", "Skriv et telefonnummer med mindst 8 cifre, fx 86 12 34 56.")
    return phone


def _email(value, errors: Errors) -> str:
    email = clean_text(value, "email", errors, limit=EMAIL_MAX)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.add("email", "Skriv en gyldig e-mailadresse, fx navn@eksempel.dk.")
    return email


def _clean_person(data: dict, errors: Errors) -> dict:
    """The person's fields, cleaned; messages per field on `errors`."""
    cleaned = {
        "name": clean_text(
            data.get("name"), "name", errors, limit=NAME_MAX, required="Skriv personens navn."
        ),
        "relation": clean_text(
            data.get("relation"),
            "relation",
            errors,
            limit=RELATION_MAX,
            required="Skriv personens relation til barnet, fx mormor, nabo eller træner.",
        ),
        "can_offer": clean_text(data.get("can_offer"), "can_offer", errors, limit=OFFER_MAX),
        "phone": _phone(data.get("phone"), errors),
        "email": _email(data.get("email"), errors),
        "address": clean_text(data.get("address"), "address", errors, limit=ADDRESS_MAX),
    }
    closeness = data.get("closeness")
    if isinstance(closeness, bool) or closeness not in Closeness.values:
        errors.add("closeness", "Vælg, hvor tæt personen er på barnet (1, 2 eller 3).")
    cleaned["closeness"] = closeness
    consent = data.get("consent") or NetworkConsent.NOT_ASKED
    consent_on = data.get("consent_on")
    if consent not in NetworkConsent.values:
        errors.add("consent", "Vælg, om der er givet samtykke til at kontakte personen.")
    elif consent == NetworkConsent.NOT_ASKED:
        if consent_on is not None:
            errors.add(
                "consent_on",
                "Der kan kun stå en dato, når samtykket er givet eller nægtet.",
            )
    elif consent_on is None:
        errors.add("consent_on", "Skriv datoen, samtykket blev givet eller nægtet.")
    elif check_date(consent_on, "consent_on", errors, "Skriv en gyldig dato for samtykket."):
        if consent_on > timezone.localdate():
            errors.add("consent_on", "Datoen for samtykket kan ikke ligge i fremtiden.")
    cleaned["consent"] = consent
    cleaned["consent_on"] = consent_on if consent != NetworkConsent.NOT_ASKED else None
    return cleaned


# --- the network map --------------------------------------------------------------------------


def add_person(case: Case, *, acting_user: User, **data) -> NetworkPerson:
    """Put a person on the map of the case's child. `data`: name, relation, closeness (1–3),
    can_offer, phone, email, address, consent (`NetworkConsent`) and consent_on."""
    role = require_case_role(acting_user, case)
    errors = Errors()
    check_open(case, errors)
    cleaned = _clean_person(data, errors)
    errors.raise_if_any()
    with transaction.atomic():
        person = NetworkPerson.objects.create(
            child_id=case.child_id,
            added_by=acting_user,
            added_on=timezone.localdate(),
            **cleaned,
        )
        log(acting_user, AuditAction.CREATE, [person], case, role, PURPOSE_PERSON)
    return person


def update_person(person: NetworkPerson, case: Case, *, acting_user: User, **data) -> NetworkPerson:
    """Change a person on the map (the same fields and rules as `add_person`)."""
    role = require_case_role(acting_user, case)
    errors = Errors()
    check_open(case, errors)
    _check_on_map(person, case, errors)
    cleaned = _clean_person(data, errors)
    errors.raise_if_any()
    with transaction.atomic():
        for field, value in cleaned.items():
            setattr(person, field, value)
        person.save(update_fields=[*FIELDS, "consent_on"])
        log(acting_user, AuditAction.UPDATE, [person], case, role, PURPOSE_PERSON)
    return person


def remove_person(
    person: NetworkPerson,
    case: Case,
    *,
    acting_user: User,
    removed_on: datetime.date | None = None,
) -> NetworkPerson:
    """Take a person off the map (soft: `removed_on`); the record and its history stay."""
    role = require_case_role(acting_user, case)
    removed_on = removed_on or timezone.localdate()
    errors = Errors()
    check_open(case, errors)
    _check_on_map(person, case, errors)
    if check_date(removed_on, "removed_on", errors, "Skriv en gyldig dato."):
        if removed_on > timezone.localdate():
            errors.add("removed_on", "Datoen kan ikke ligge i fremtiden.")
    errors.raise_if_any()
    with transaction.atomic():
        person.removed_on = removed_on
        person.save(update_fields=["removed_on"])
        log(acting_user, AuditAction.DELETE, [person], case, role, PURPOSE_PERSON)
    return person


def _check_on_map(person: NetworkPerson, case: Case, errors: Errors) -> None:
    if person.child_id != case.child_id:
        errors.add(None, "Personen hører ikke til barnets netværk.")
    elif person.removed_on is not None:
        errors.add(None, "Personen er allerede fjernet fra netværkskortet.")


# --- the network on an intervention -----------------------------------------------------------


def add_role(
    intervention: Intervention,
    case: Case,
    *,
    person: NetworkPerson | None,
    part: str,
    acting_user: User,
) -> InterventionNetworkRole:
    """Name a person of the child's network who carries `part` of the intervention."""
    role = require_case_role(acting_user, case)
    errors = Errors()
    check_open(case, errors)
    if intervention.case_id != case.pk:
        errors.add(None, "Indsatsen hører ikke til sagen.")
    elif intervention.end_on is not None and intervention.end_on < timezone.localdate():
        errors.add(None, "Indsatsen er afsluttet.")
    if person is None:
        errors.add("person", "Vælg en person fra barnets netværk.")
    elif person.child_id != case.child_id:
        errors.add("person", "Vælg en person fra barnets eget netværk.")
    elif person.removed_on is not None:
        errors.add("person", "Personen er fjernet fra netværkskortet.")
    elif person.consent == NetworkConsent.REFUSED:
        errors.add(
            "person",
            "Der er ikke samtykke til at inddrage personen. Ret samtykket på netværkskortet først.",
        )
    elif InterventionNetworkRole.objects.filter(intervention=intervention, person=person).exists():
        errors.add("person", "Personen er allerede knyttet til indsatsen.")
    text = clean_text(
        part,
        "part",
        errors,
        limit=PART_MAX,
        required="Skriv, hvad personen står for i indsatsen.",
    )
    errors.raise_if_any()
    try:
        with transaction.atomic():
            item = InterventionNetworkRole.objects.create(
                intervention=intervention, person=person, part=text, added_by=acting_user
            )
            log(acting_user, AuditAction.CREATE, [item], case, role, PURPOSE_ROLE)
    except IntegrityError:  # the same person added twice at once
        raise PlanError({"person": ["Personen er allerede knyttet til indsatsen."]}) from None
    return item


def find_role(intervention: Intervention, role_id: int) -> InterventionNetworkRole | None:
    """A network person's role on the intervention, or None."""
    item = (
        InterventionNetworkRole.objects.select_related("person")
        .filter(pk=role_id, intervention=intervention)
        .first()
    )
    if item is not None:
        item.intervention = intervention
    return item


def remove_role(item: InterventionNetworkRole, case: Case, *, acting_user: User) -> None:
    """The person no longer carries part of the intervention (the role is deleted; the audit
    log keeps that it was there)."""
    role = require_case_role(acting_user, case)
    errors = Errors()
    check_open(case, errors)
    if item.intervention.case_id != case.pk:
        errors.add(None, "Indsatsen hører ikke til sagen.")
    errors.raise_if_any()
    with transaction.atomic():
        log(acting_user, AuditAction.DELETE, [item], case, role, PURPOSE_ROLE)
        item.delete()
