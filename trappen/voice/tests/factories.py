"""Factories for the child's voice and the network (the basic ones live in
trappen/core/tests/factories.py). Helpers may add factories here; keep each one small."""

import datetime

import factory
from django.utils import timezone

from trappen.core.tests.factories import CaseFactory, ChildFactory
from trappen.people.models import NetworkConsent, NetworkPerson
from trappen.voice.models import (
    CaseDecision,
    ChildConversation,
    ConferencePhase,
    DecisionKind,
    FamilyGroupConference,
    NetworkMeeting,
    NetworkMeetingKind,
)


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


class ChildConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChildConversation

    case = factory.SubFactory(CaseFactory)
    held_on = factory.LazyFunction(lambda: days_ago(10))
    place = "Skolen"
    method = "in_person"
    childs_views = "Jeg vil gerne bo hjemme, men jeg vil ikke have flere skænderier."
    told_of_support_person = True


class CaseDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseDecision

    case = factory.SubFactory(CaseFactory)
    kind = DecisionKind.INTERVENTION
    summary = "Bevilget: Familiebehandling"
    decided_on = factory.LazyFunction(timezone.localdate)
    conversation = factory.SubFactory(
        ChildConversationFactory, case=factory.SelfAttribute("..case")
    )


class NetworkPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkPerson

    child = factory.SubFactory(ChildFactory)
    name = factory.Sequence(lambda n: f"Mormor Testesen {n}")
    relation = "Mormor"
    closeness = 1
    can_offer = "Henter i skole om tirsdagen"
    consent = NetworkConsent.GIVEN
    added_on = factory.LazyFunction(lambda: days_ago(30))


class NetworkMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMeeting

    case = factory.SubFactory(CaseFactory)
    kind = NetworkMeetingKind.NETWORK
    held_on = factory.LazyFunction(lambda: days_ago(14))
    agreements = "Mormor henter Anna om tirsdagen."


class FamilyGroupConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FamilyGroupConference

    case = factory.SubFactory(CaseFactory)
    phase = ConferencePhase.REFERRED
    question = "Hvordan sikrer familien, at Anna kommer i skole hver dag?"
    referred_on = factory.LazyFunction(lambda: days_ago(20))
    coordinator_name = "Koordinator Testesen"


def heard(case, on: datetime.date | None = None):
    """A conversation with the child on the case, held on `on` (default: 10 days ago), as the
    `ChildHeard` a decision asks for (barnets lov § 5; trappen/voice/decisions.py)."""
    from trappen.voice.decisions import ChildHeard

    held_on = on or days_ago(10)
    return ChildHeard(conversation=ChildConversationFactory(case=case, held_on=held_on))
