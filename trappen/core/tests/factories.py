"""Factories for tests: small, explicit, synthetic people only."""

from __future__ import annotations

import datetime
import itertools

import factory
from django.utils import timezone

from trappen.cases.models import Case, Intervention
from trappen.core import cpr
from trappen.core.models import (
    Municipality,
    OrganisationalUnit,
    Role,
    RoleAssignment,
    UnitKind,
    User,
)
from trappen.people.models import Child, ChildGuardian, Guardian, Household

_serial = itertools.count(1)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"kommune-{n}")
    name = factory.Sequence(lambda n: f"Testkommune {n}")
    is_synthetic = True


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationalUnit

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Enhed {n}")
    kind = UnitKind.SCHOOL
    district = "Nord"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruger{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Bruger {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    password = factory.django.Password("test-password-123")


def user_with_role(role: Role, unit: OrganisationalUnit | None = None, **kwargs) -> User:
    """A user holding `role` (at `unit`), in the unit's municipality unless one is given."""
    if unit is not None:
        kwargs.setdefault("municipality", unit.municipality)
    user = UserFactory(**kwargs)
    RoleAssignment.objects.create(user=user, role=role, unit=unit)
    return user


def synthetic_cpr(birth_date: datetime.date) -> str:
    return cpr.synthetic_number(birth_date, next(_serial) % 10000)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    municipality = factory.SubFactory(MunicipalityFactory)
    address = factory.Sequence(lambda n: f"Testvej {n}")
    is_synthetic = True


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    first_name = factory.Sequence(lambda n: f"Barn{n}")
    last_name = "Testesen"
    birth_date = datetime.date(2015, 3, 14)
    is_synthetic = True

    @factory.post_generation
    def with_cpr(obj, create, extracted, **kwargs):
        obj.set_cpr(extracted or synthetic_cpr(obj.birth_date))
        if create:
            obj.save(update_fields=["cpr_encrypted", "cpr_hash"])


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    municipality = factory.SubFactory(MunicipalityFactory)
    first_name = "Forælder"
    last_name = factory.Sequence(lambda n: f"Testesen {n}")
    is_synthetic = True


def link_guardian(child: Child, guardian: Guardian, *, custody: bool = True) -> ChildGuardian:
    return ChildGuardian.objects.create(
        child=child, guardian=guardian, relation="mother", has_custody=custody
    )


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    child = factory.SubFactory(ChildFactory)
    municipality = factory.SelfAttribute("child.municipality")
    team = factory.SubFactory(
        UnitFactory,
        municipality=factory.SelfAttribute("..child.municipality"),
        kind=UnitKind.CASEWORKER_TEAM,
    )
    source = "notification"
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    is_synthetic = True


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention

    case = factory.SubFactory(CaseFactory)
    title = "Familiebehandling"
    legal_basis = "§ 32"
    step = 2
    start_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    monthly_cost = 20000


# --- added for the start pages (test_home.py): notifications, investigations, follow-ups ---


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.Notification"

    child = factory.SubFactory(ChildFactory)
    municipality = factory.SelfAttribute("child.municipality")
    received_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=2))
    reporter_kind = "school"
    concern = "Syntetisk bekymring til test."
    assessment_due_at = factory.LazyAttribute(
        lambda n: n.received_at + datetime.timedelta(hours=24)
    )
    is_synthetic = True


class InvestigationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Investigation"

    case = factory.SubFactory(CaseFactory)
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=20))
    due_on = factory.LazyAttribute(lambda i: i.started_on + datetime.timedelta(days=120))


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.FollowUp"

    intervention = factory.SubFactory(InterventionFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class WellbeingAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "early.WellbeingAssessment"

    child = factory.SubFactory(ChildFactory)
    unit = factory.SelfAttribute("child.unit")
    assessed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    level = 3
    is_synthetic = True


# --- added for letters (test_letters.py): a stored letter without rendering (fast lists) ---


class LetterFactory(factory.django.DjangoModelFactory):
    """A stored letter as `create_letter` leaves it, minus the rendering (use that for content)."""

    class Meta:
        model = "core.Letter"

    child = factory.SubFactory(ChildFactory)
    municipality = factory.SelfAttribute("child.municipality")
    recipient_name = "Forælder Testesen"
    template = "caseworker_changed"
    subject = "Du har fået en ny rådgiver"
    body_html = '<article class="letter"><p>Syntetisk brev.</p></article>'
    pdf = b"%PDF-1.7 syntetisk"
    channel = "outbox"
    is_synthetic = True
