"""Factories for the case-work records (the basic ones live in trappen/core/tests/factories.py)."""

import datetime

import factory
from django.utils import timezone

from trappen.cases.models import ChildPlan, Goal, GoalScore, PlanKind, ProgressNote
from trappen.core.tests.factories import CaseFactory, UserFactory


class ChildPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChildPlan

    case = factory.SubFactory(CaseFactory)
    kind = PlanKind.SUPPORT
    decided_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    due_on = factory.LazyAttribute(lambda o: o.decided_on + datetime.timedelta(days=91))


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    plan = factory.SubFactory(ChildPlanFactory)
    text = "Anna kommer i skole hver dag"
    set_by = "caseworker"
    baseline = 3
    target = 8
    created_on = factory.LazyAttribute(lambda o: o.plan.decided_on)


class GoalScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalScore

    goal = factory.SubFactory(GoalFactory)
    source = "caseworker"
    score = 5
    recorded_on = factory.LazyFunction(timezone.localdate)


class ProgressNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressNote

    author = factory.SubFactory(UserFactory)
    written_at = factory.LazyFunction(timezone.now)
    text = "Samtaler i familien går bedre."
