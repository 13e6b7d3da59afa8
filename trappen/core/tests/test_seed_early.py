"""Early detection in the generated municipality (issue 6; synthetic/early.py): the assessments'
details, sharing with the outreach social worker, early help at steps 0-1, consultation slots
and anonymous consultations, and the demo users of the school (leader, class-bound teacher) and
the outreach social worker.

One 1,500-child, 3-year municipality with demo users is generated for the module; determinism
gets its own small runs.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections import Counter, defaultdict

import pytest
from django.db.models import Count
from django.test import override_settings
from django.urls import reverse

from trappen.cases.models import Case
from trappen.core import calendar
from trappen.core.models import (
    Municipality,
    OrganisationalUnit,
    Role,
    RoleAssignment,
    UnitKind,
    User,
)
from trappen.core.synthetic.dates import age_on
from trappen.core.synthetic.generator import SeedOptions, generate
from trappen.core.synthetic.purge import purge
from trappen.core.vocabulary import ConcernArea
from trappen.early.models import (
    Consultation,
    ConsultationSlot,
    EarlyHelp,
    InformationSharing,
    SharingBasis,
    SharingRecipient,
    WellbeingAssessment,
)
from trappen.notifications.models import Notification
from trappen.people.models import Child, ChildGuardian, Guardian

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 2)
YESTERDAY = TODAY - datetime.timedelta(days=1)
MIDNIGHT = datetime.datetime(2025, 6, 2, tzinfo=calendar.COPENHAGEN)
WORLD = SeedOptions("norddjurs", children=1500, years=3, seed=9, today=TODAY)
SMALL = SeedOptions("hjorring", children=300, years=2, seed=2, today=TODAY, demo_users=False)
# Six digits and four, with or without a dash or space, as a CPR number is written.
CPR_LIKE = re.compile(r"\d{6}[- ]?\d{4}")
EARLY_MODELS = (InformationSharing, ConsultationSlot, Consultation, EarlyHelp)


def remove(slug: str) -> None:
    municipality = Municipality.objects.filter(slug=slug).first()
    if municipality is not None:
        purge(municipality)
        User.objects.filter(municipality=municipality).delete()
        municipality.delete()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        municipality = generate(WORLD).municipality
        try:
            yield municipality
        finally:
            remove(WORLD.municipality)


def of(model, municipality):
    if model is InformationSharing:
        return model.objects.filter(child__municipality=municipality)
    return model.objects.filter(municipality=municipality)


# --- what is generated, and the flag --------------------------------------------------------


def test_every_kind_of_early_row_exists_and_is_synthetic(world):
    for model in EARLY_MODELS:
        rows = of(model, world)
        assert rows.count() > 0, model
        assert not rows.filter(is_synthetic=False).exists(), model
    assessments = WellbeingAssessment.objects.filter(child__municipality=world)
    assert not assessments.filter(is_synthetic=False).exists()
    consents = EarlyHelp.consenting_guardians.through.objects.filter(earlyhelp__municipality=world)
    assert consents.count() >= of(EarlyHelp, world).count()


# --- assessments ------------------------------------------------------------------------------


def test_every_assessment_not_shared_with_the_parents_says_why(world):
    assessments = WellbeingAssessment.objects.filter(child__municipality=world)
    not_informed = assessments.filter(parents_informed=False)
    assert not_informed.count() > 20
    for reason in not_informed.values_list("parents_not_informed_reason", flat=True):
        assert reason.strip()
    assert (
        not assessments.filter(parents_informed=True)
        .exclude(parents_not_informed_reason="")
        .exists()
    )


def test_assessments_from_level_2_say_with_whom_and_who_follows_up(world):
    assessments = WellbeingAssessment.objects.filter(child__municipality=world)
    serious = assessments.filter(level__gte=2)
    assert not serious.filter(agreed_with="").exists()
    assert not serious.filter(follow_up_by="").exists()
    with_observations = serious.exclude(observations="").count()
    assert 0.4 < with_observations / serious.count() < 0.8
    assert not assessments.filter(level=1).exclude(observations="").exists()
    assert not assessments.filter(recorded_at__gte=MIDNIGHT).exists()


def test_the_group_is_the_class_or_group_of_the_time(world):
    """Schools: grade.letter, today's class in this school year at the child's school; daycares:
    the kind of group by the age then; health visitors: the child's district."""
    rows = WellbeingAssessment.objects.filter(child__municipality=world).select_related(
        "child", "unit"
    )
    this_year = datetime.date(2024, 8, 1)
    checked = 0
    for a in rows:
        child = a.child
        if a.unit.kind == UnitKind.HEALTH_SERVICE:
            assert a.group_name == child.district
        elif a.unit.kind == UnitKind.SCHOOL:
            assert re.fullmatch(r"\d{1,2}\.[ABC]", a.group_name), a.group_name
            if a.unit_id == child.unit_id and a.assessed_on >= this_year:
                assert a.group_name == child.group_name
                checked += 1
        else:
            kind = "Vuggestue" if age_on(child.birth_date, a.assessed_on) < 3 else "Børnehave"
            assert a.group_name.startswith(f"{kind}, ")
    assert checked > 10


# --- sharing with the outreach social worker ------------------------------------------------


def test_sharing_follows_a_level_3_assessment_on_a_legal_basis(world):
    sharings = of(InformationSharing, world).select_related("assessment", "unit")
    assert sharings.count() > 30
    bases = Counter()
    for s in sharings:
        a = s.assessment
        assert s.recipient == SharingRecipient.OUTREACH
        assert s.child_id == a.child_id and s.unit_id == a.unit_id
        assert a.level >= 3
        assert s.unit.kind in (UnitKind.SCHOOL, UnitKind.DAYCARE)
        assert a.assessed_on <= s.shared_on <= YESTERDAY
        assert s.purpose.strip()
        bases[s.basis] += 1
        if s.basis == SharingBasis.CONSENT:
            assert s.consent_from in ("Mor", "Far", "Begge forældre")
        else:
            assert s.basis == SharingBasis.EARLY_COOPERATION
            assert s.consent_from == ""
            assert "nødvendigt af hensyn til barnets trivsel" in s.purpose.lower()
    assert bases[SharingBasis.CONSENT] > bases[SharingBasis.EARLY_COOPERATION] > 0


def test_consent_from_one_parent_names_the_only_custody_holder(world):
    holders = defaultdict(list)
    for child, relation in ChildGuardian.objects.filter(
        child__municipality=world, has_custody=True
    ).values_list("child_id", "relation"):
        holders[child].append(relation)
    names = {"mother": "Mor", "father": "Far"}
    for s in of(InformationSharing, world).filter(basis=SharingBasis.CONSENT):
        if len(holders[s.child_id]) == 1:
            assert s.consent_from == names[holders[s.child_id][0]]


# --- early help -----------------------------------------------------------------------------


def test_early_help_is_steps_0_1_with_the_custody_holders_consent_first(world):
    helps = of(EarlyHelp, world).select_related("offer", "assessment", "unit")
    assert helps.count() > 10
    custody = defaultdict(set)
    for child, guardian in ChildGuardian.objects.filter(
        child__municipality=world, has_custody=True
    ).values_list("child_id", "guardian_id"):
        custody[child].add(guardian)
    consented = defaultdict(set)
    for help_id, guardian in EarlyHelp.consenting_guardians.through.objects.filter(
        earlyhelp__municipality=world
    ).values_list("earlyhelp_id", "guardian_id"):
        consented[help_id].add(guardian)
    shared = set(of(InformationSharing, world).values_list("assessment_id", flat=True))
    for h in helps:
        assert h.step <= 1
        assert h.consent_on <= h.started_on <= YESTERDAY
        assert consented[h.pk] == custody[h.child_id] != set()
        assert h.assessment.child_id == h.child_id and h.assessment.level >= 3
        assert h.assessment_id in shared
        assert h.assessment.assessed_on <= h.consent_on
        assert h.unit_id == h.assessment.unit_id
        assert h.offer is not None and h.offer.step == h.step and h.title == h.offer.name
        assert h.started_by is not None and h.consultation is None
        if h.ended_on is not None:
            assert h.started_on <= h.ended_on <= YESTERDAY
            assert h.end_reason
        else:
            assert h.end_reason == ""
    assert helps.filter(ended_on__isnull=False).count() > helps.count() / 2


def test_early_help_ends_when_a_notification_or_case_overtakes_it(world):
    """ "Notified" is the first notification or case of the child during the help; help ended
    otherwise had none before its end."""
    helps = of(EarlyHelp, world)
    events = defaultdict(list)
    for child, received in Notification.objects.filter(
        municipality=world, child__isnull=False
    ).values_list("child_id", "received_at"):
        events[child].append(calendar.local_date(received))
    for child, opened in Case.objects.filter(municipality=world).values_list(
        "child_id", "opened_on"
    ):
        events[child].append(opened)
    later = 0
    for h in helps:
        during = sorted(
            d for d in events[h.child_id] if h.started_on < d <= (h.ended_on or YESTERDAY)
        )
        if h.end_reason == "notified":
            assert during and during[0] == h.ended_on
        else:
            assert not during
        later += any(d > h.started_on for d in events[h.child_id])
    assert later > 0  # as in life, some children helped early are notified later


def test_no_child_has_overlapping_early_help_or_help_started_inside_a_case(world):
    by_child = defaultdict(list)
    for h in of(EarlyHelp, world):
        by_child[h.child_id].append((h.started_on, h.ended_on or TODAY))
    for spans in by_child.values():
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert end < start
    cases = defaultdict(list)
    for child, opened, closed in Case.objects.filter(municipality=world).values_list(
        "child_id", "opened_on", "closed_on"
    ):
        cases[child].append((opened, closed or TODAY))
    for h in of(EarlyHelp, world):
        assert not any(o <= h.started_on <= c for o, c in cases[h.child_id])


# --- consultation slots and anonymous consultations -------------------------------------------


def test_slots_are_held_by_the_units_outreach_worker_past_and_future(world):
    slots = of(ConsultationSlot, world)
    covered = set(
        RoleAssignment.objects.filter(role=Role.OUTREACH, unit__municipality=world).values_list(
            "user_id", "unit_id"
        )
    )
    for worker, unit in slots.values_list("outreach_worker_id", "unit_id").distinct():
        assert (worker, unit) in covered
    kinds = set(slots.values_list("unit__kind", flat=True))
    assert kinds == {UnitKind.SCHOOL, UnitKind.DAYCARE}
    units = OrganisationalUnit.objects.filter(municipality=world, kind__in=kinds)
    assert slots.values("unit").distinct().count() == units.count()
    future = slots.filter(starts_at__gte=MIDNIGHT)
    assert future.exists() and not future.filter(cancelled_at__isnull=False).exists()
    last = max(future.values_list("starts_at", flat=True))
    assert calendar.local_date(last) < TODAY + datetime.timedelta(weeks=4, days=1)
    assert slots.filter(open_to_parents=True).exists()
    assert slots.filter(open_to_parents=False).exists()
    for starts, cancelled, created in slots.values_list("starts_at", "cancelled_at", "created_at"):
        assert created < MIDNIGHT
        assert cancelled is None or cancelled < starts
    # future slots are mostly free
    booked = Consultation.objects.filter(slot__in=future).count()
    assert booked < future.count() / 2


def test_consultations_are_held_with_an_outcome_or_cancelled_or_still_booked(world):
    consultations = of(Consultation, world).select_related("slot")
    statuses = Counter(consultations.values_list("status", flat=True))
    assert statuses["held"] > 5 * statuses["cancelled"] > 0
    outcomes = Counter(consultations.filter(status="held").values_list("outcome", flat=True))
    assert outcomes.most_common(1)[0][0] == "advice"
    assert set(outcomes) == {"advice", "parent_meeting", "early_help", "should_notify"}
    for c in consultations:
        day = calendar.local_date(c.slot.starts_at)
        assert c.unit_id == c.slot.unit_id and c.slot.cancelled_at is None
        assert c.created_at < min(c.slot.starts_at, MIDNIGHT)
        assert c.callback_phone == "" and c.redactions == 0 and c.booking_code
        assert c.age_band and c.level and c.concern
        assert isinstance(c.areas, list) and c.areas and set(c.areas) <= set(ConcernArea.values)
        if c.status == "held":
            assert c.outcome and c.outcome_note and c.held_on == day < TODAY
            assert c.handled_by_id == c.slot.outreach_worker_id
        else:
            assert c.outcome == "" and c.held_on is None and c.handled_by_id is None
        if c.status == "booked" and day < TODAY:
            assert (YESTERDAY - day).days < 7  # held last week, the outcome not yet recorded
        if c.requester_kind == "parent":
            assert c.requester_id is None and c.slot.open_to_parents
        else:
            assert c.requester_id is not None
    live = consultations.exclude(status="cancelled").values("slot").annotate(n=Count("id"))
    assert not live.filter(n__gt=1).exists()
    levels = Counter(consultations.values_list("level", flat=True))
    assert levels[2] + levels[3] > 0.7 * sum(levels.values())
    assert consultations.filter(requester_kind="parent").exists()


def test_no_consultation_text_holds_a_cpr_number_or_a_name(world):
    names = set()
    for model in (Child, Guardian):
        for first, last in model.objects.filter(municipality=world).values_list(
            "first_name", "last_name"
        ):
            names.update(first.split() + last.split())
    texts = of(Consultation, world).values_list("concern", "outcome_note")
    assert texts
    for concern, note in texts:
        for text in (concern, note):
            assert not CPR_LIKE.search(text), text
            assert not re.search(r"\d{4} [A-ZÆØÅ]", text), text  # no postcode with a town
            words = set(re.findall(r"[A-Za-zÆØÅæøåéü]+", text))
            assert not words & names, (text, words & names)


def test_units_differ_in_how_often_they_ask(world):
    per_unit = Counter(of(Consultation, world).values_list("unit_id", flat=True))
    slots = Counter(of(ConsultationSlot, world).values_list("unit_id", flat=True))
    rates = sorted(per_unit.get(unit, 0) / n for unit, n in slots.items())
    assert rates[-1] > 3 * rates[0]


# --- demo users -------------------------------------------------------------------------------


def test_the_school_leader_leads_the_teachers_school(world):
    leader = User.objects.get(username="skoleleder")
    teacher = User.objects.get(username="fagperson")
    assert leader.is_demo and leader.municipality == world
    ((school, group),) = teacher.unit_groups(Role.PROFESSIONAL)
    assert leader.unit_ids(Role.UNIT_LEADER) == [school]
    assert not leader.unit_ids(Role.PROFESSIONAL)


def test_the_teacher_is_bound_to_the_schools_most_common_class_and_has_work_there(world):
    teacher = User.objects.get(username="fagperson")
    ((school, group),) = teacher.unit_groups(Role.PROFESSIONAL)
    sizes = Counter(Child.objects.filter(unit_id=school).values_list("group_name", flat=True))
    assert sizes[group] == max(sizes.values())
    in_class = Child.objects.filter(unit_id=school, group_name=group)
    mine = WellbeingAssessment.objects.filter(author=teacher)
    assert mine.exists()
    assert set(mine.values_list("child_id", flat=True)) <= set(
        in_class.values_list("pk", flat=True)
    )
    assert mine.filter(assessed_on__gte=TODAY - datetime.timedelta(days=365)).exists()
    notes = teacher.submitted_notifications.all()
    assert notes.exists() and set(notes.values_list("reporter_unit_id", flat=True)) == {school}
    assert Consultation.objects.filter(requester=teacher, unit_id=school).exists()


def test_the_outreach_worker_has_slots_consultations_and_early_help(world):
    outreach = User.objects.get(username="fremskudt")
    units = set(outreach.unit_ids(Role.OUTREACH))
    slots = ConsultationSlot.objects.filter(outreach_worker=outreach)
    assert slots.filter(starts_at__gte=MIDNIGHT).exists()
    assert slots.filter(starts_at__lt=MIDNIGHT).exists()
    assert set(slots.values_list("unit_id", flat=True)) <= units
    assert Consultation.objects.filter(handled_by=outreach).exists()
    assert EarlyHelp.objects.filter(started_by=outreach).exists()


@override_settings(DEMO=True)
def test_the_login_page_lists_the_school_leader_and_the_teachers_class(world, client):
    teacher = User.objects.get(username="fagperson")
    ((school, group),) = teacher.unit_groups(Role.PROFESSIONAL)
    html = client.get(reverse("core:login")).content.decode()
    assert 'data-username="skoleleder"' in html
    assert "Leder af dagtilbud eller skole" in html
    name = OrganisationalUnit.objects.get(pk=school).name
    assert f"{name} ({group})" in html


# --- determinism ------------------------------------------------------------------------------


def early_digest(municipality) -> str:
    rows = {
        "assessments": WellbeingAssessment.objects.filter(
            child__municipality=municipality
        ).values_list(
            "assessed_on",
            "level",
            "group_name",
            "agreed_with",
            "follow_up_by",
            "observations",
            "parents_not_informed_reason",
        ),
        "sharings": of(InformationSharing, municipality).values_list(
            "shared_on", "basis", "consent_from", "purpose", "child__cpr_hash"
        ),
        "slots": of(ConsultationSlot, municipality).values_list(
            "unit__name", "starts_at", "minutes", "open_to_parents", "cancelled_at"
        ),
        "consultations": of(Consultation, municipality).values_list(
            "slot__starts_at", "unit__name", "status", "outcome", "level", "concern", "booking_code"
        ),
        "early_help": of(EarlyHelp, municipality).values_list(
            "child__cpr_hash", "title", "step", "started_on", "ended_on", "end_reason"
        ),
    }
    h = hashlib.sha256()
    for queryset in rows.values():
        h.update("\n".join(sorted(map(repr, queryset))).encode())
    return h.hexdigest()


def test_the_same_seed_gives_the_same_early_detection():
    try:
        first = early_digest(generate(SMALL).municipality)
        again = early_digest(
            generate(SeedOptions(**{**SMALL.__dict__, "replace": True})).municipality
        )
        assert again == first
        other = early_digest(
            generate(SeedOptions(**{**SMALL.__dict__, "replace": True, "seed": 3})).municipality
        )
        assert other != first
    finally:
        remove(SMALL.municipality)
