"""Factories for early detection: assessments' sharings, slots, consultations, early help."""

import datetime
import secrets

import factory
from django.utils import timezone

from trappen.core.tests.factories import ChildFactory, UserFactory
from trappen.early.models import (
    Consultation,
    ConsultationSlot,
    EarlyHelp,
    InformationSharing,
    RequesterKind,
    SharingBasis,
    SharingRecipient,
)


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


class InformationSharingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InformationSharing

    child = factory.SelfAttribute("assessment.child")
    unit = factory.SelfAttribute("assessment.unit")
    recipient = SharingRecipient.OUTREACH
    basis = SharingBasis.CONSENT
    consent_from = "Mor (forældremyndighed)"
    purpose = "Sparring og tidlig indsats"
    shared_on = factory.LazyFunction(lambda: days_ago(3))
    is_synthetic = True


class ConsultationSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationSlot

    municipality = factory.SelfAttribute("unit.municipality")
    outreach_worker = factory.SubFactory(
        UserFactory, municipality=factory.SelfAttribute("..unit.municipality")
    )
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=2))
    minutes = 30
    place = "Skolens mødelokale"
    is_synthetic = True


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    municipality = factory.SelfAttribute("unit.municipality")
    requester_kind = RequesterKind.PROFESSIONAL
    age_band = "6_9"
    level = 3
    concern = "Virker trist og træt om morgenen."
    booking_code = factory.LazyFunction(lambda: secrets.token_urlsafe(12))
    is_synthetic = True


class EarlyHelpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EarlyHelp

    child = factory.SubFactory(ChildFactory)
    municipality = factory.SelfAttribute("child.municipality")
    unit = factory.SelfAttribute("child.unit")
    title = "Forældrekursus"
    step = 1
    started_on = factory.LazyFunction(lambda: days_ago(30))
    consent_on = factory.SelfAttribute("started_on")
    is_synthetic = True
