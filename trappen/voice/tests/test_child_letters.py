"""Letters the child can read (trappen/voice/child_letters.py, views/letters.py).

Uses the named personas of `trappen/conftest.py` (`world`): `alice` is Anna's caseworker in team A,
`charlie` works in team B, `parent` holds custody of Anna. Anna's birth date is set per test.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from trappen.cases.tests.factories import ChildPlanFactory, GoalFactory
from trappen.core.models import AuditAction, AuditEvent, Letter
from trappen.core.tests.factories import (
    FollowUpFactory,
    GuardianFactory,
    InterventionFactory,
    link_guardian,
)
from trappen.core.tests.test_letters import pdf_title
from trappen.voice import child_letters
from trappen.voice.child_letters import PlanError, age_band
from trappen.voice.models import DecisionKind, NoConversationReason
from trappen.voice.tests.factories import CaseDecisionFactory, ChildConversationFactory

pytestmark = pytest.mark.django_db

MONTHS_DA = (
    "januar februar marts april maj juni juli august september oktober november december"
).split()
OWN_WORDS = "Jeg vil gerne spille fodbold igen"


def danish_date(day: datetime.date) -> str:
    return f"{day.day}. {MONTHS_DA[day.month - 1]} {day.year}"


def birthday(years: int, *, tomorrow: bool = False) -> datetime.date:
    """A birth date making the child turn `years` today (or tomorrow: still `years` - 1 today)."""
    today = timezone.localdate()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # today is 29 February: born 28 February turned `years` today too
        born = today.replace(year=today.year - years, day=28)
    return born + datetime.timedelta(days=1) if tomorrow else born


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def lix(text: str) -> float:
    """LIX: words per sentence + the share of words over 6 letters, in per cent."""
    words = re.findall(r"[A-Za-zÆØÅæøåÉé]+", text)
    sentences = max(1, len(re.findall(r"[.!?:]", text)))
    long_words = [w for w in words if len(w) > 6]
    return len(words) / sentences + 100 * len(long_words) / len(words)


def staff_names(world):
    alice = world.personas["alice"]
    alice.first_name, alice.last_name = "Alice", "Rådgivesen"
    alice.title, alice.phone, alice.email = "Socialrådgiver", "59 53 44 01", "alice@example.invalid"
    alice.save()
    return alice


def set_age(world, birth_date: datetime.date):
    world.anna.birth_date = birth_date
    world.anna.save(update_fields=["birth_date"])
    world.anna_case.child = world.anna
    return world.anna


@pytest.fixture
def plan(world):
    staff_names(world)
    plan = ChildPlanFactory(
        case=world.anna_case,
        made_with_child=True,
        overall_purpose="Du skal have det godt i skolen og derhjemme.",
    )
    own = GoalFactory(plan=plan, set_by="child", text="Spille fodbold", childs_own_words=OWN_WORDS)
    GoalFactory(plan=plan, set_by="caseworker", text="Anna kommer i skole hver dag")
    own.interventions.add(world.anna_intervention)
    plan.case = world.anna_case
    return plan


@pytest.fixture
def decision(world):
    staff_names(world)
    intervention = world.anna_intervention
    intervention.purpose = "Du og din mor skal skændes mindre."
    intervention.save(update_fields=["purpose"])
    conversation = ChildConversationFactory(
        case=world.anna_case,
        childs_views="Jeg vil gerne bo hjemme.",
        views_used="Du bliver boende hjemme, og en familiebehandler kommer hver uge.",
    )
    decision = CaseDecisionFactory(
        case=world.anna_case,
        kind=DecisionKind.INTERVENTION,
        summary="Bevilget: Familiebehandling",
        intervention=intervention,
        conversation=conversation,
    )
    decision.case = world.anna_case
    return decision


# --- age bands ----------------------------------------------------------------------------------

ON = datetime.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("born", "on", "band"),
    [
        (datetime.date(2020, 11, 23), ON, "6_9"),  # 6 today
        (datetime.date(2016, 11, 24), ON, "6_9"),  # 9; 10 tomorrow
        (datetime.date(2016, 11, 23), ON, "10_13"),  # 10 today
        (datetime.date(2012, 11, 24), ON, "10_13"),  # 13; 14 tomorrow
        (datetime.date(2012, 11, 23), ON, "14_17"),  # 14 today
        (datetime.date(2008, 11, 24), ON, "14_17"),  # 17; 18 tomorrow
        (datetime.date(2016, 2, 29), datetime.date(2026, 3, 1), "10_13"),  # leap day: 10 on 1 March
        (datetime.date(2016, 2, 29), datetime.date(2026, 2, 28), "6_9"),  # still 9 on 28 February
    ],
)
def test_age_band_at_the_edges(born, on, band):
    assert age_band(born, on).key == band


@pytest.mark.parametrize(
    ("born", "message"),
    [
        (datetime.date(2020, 11, 24), "under 6 år"),  # 5; 6 tomorrow
        (datetime.date(2026, 1, 1), "under 6 år"),
        (datetime.date(2008, 11, 23), "fyldt 18 år"),  # 18 today
    ],
)
def test_age_band_refuses_under_6_and_from_18_in_danish(born, message):
    with pytest.raises(PlanError, match=message):
        age_band(born, ON)


def test_under_6_and_from_18_no_letter_is_made(world, plan, decision):
    set_age(world, birthday(6, tomorrow=True))
    with pytest.raises(PlanError, match="forklares for barnet af en voksen"):
        child_letters.send_plan_letter(plan, world.personas["alice"])
    set_age(world, birthday(18))
    with pytest.raises(PlanError, match="ikke længere et barn"):
        child_letters.send_decision_letter(decision, world.personas["alice"])
    assert not Letter.objects.exists()
    assert not AuditEvent.objects.filter(purpose=child_letters.SENT_PURPOSE).exists()


# --- the letters, per band ----------------------------------------------------------------------

BANDS = [
    pytest.param(6, False, "6_9", id="6-today"),
    pytest.param(10, True, "6_9", id="9-turns-10-tomorrow"),
    pytest.param(10, False, "10_13", id="10-today"),
    pytest.param(14, True, "10_13", id="13-turns-14-tomorrow"),
    pytest.param(14, False, "14_17", id="14-today"),
    pytest.param(18, True, "14_17", id="17-turns-18-tomorrow"),
]


@pytest.mark.parametrize(("years", "tomorrow", "band"), BANDS)
def test_the_plan_letter_renders_for_each_band(world, plan, years, tomorrow, band):
    anna = set_age(world, birthday(years, tomorrow=tomorrow))
    letters = child_letters.send_plan_letter(plan, world.personas["alice"])

    assert len(letters) == 1  # Anna has one custody holder
    letter = letters[0]
    assert letter.template == f"child_plan_{band}"
    assert letter.subject == "Din plan"
    body = text_of(letter.body_html)
    assert "Kære Anna" in body
    assert f"»{OWN_WORDS}«" in body  # the child's own goal in the child's own words
    assert "Anna kommer i skole hver dag" in body  # the adults' goal
    assert "Du skal have det godt i skolen og derhjemme." in body  # why
    assert "Familiebehandling" in body  # the help serving the goal
    assert "Din rådgiver hedder Alice Rådgivesen" in body
    assert "59 53 44 01" in body and "alice@example.invalid" in body
    assert "bisidder" in body and "116 111" in body
    assert "§§ 91–92" in body
    if band == "6_9":
        guardian = anna.guardian_links.get().guardian
        assert letter.recipient_guardian == guardian and letter.recipient_child is None
        assert letter.recipient_name == guardian.full_name
        assert "Til dig, der er voksen: Dette brev er skrevet til Anna." in body
        assert "§ 3" not in body
    else:
        assert letter.recipient_child == anna and letter.recipient_guardian is None
        assert letter.recipient_name == "Anna Testesen"
        assert "Til dig, der er voksen" not in body
        assert "§ 3 (du er part i din sag fra 10 år)" in body


@pytest.mark.parametrize(("years", "tomorrow", "band"), BANDS)
def test_the_decision_letter_renders_for_each_band(world, decision, years, tomorrow, band):
    set_age(world, birthday(years, tomorrow=tomorrow))
    due = timezone.localdate() + datetime.timedelta(days=40)
    FollowUpFactory(intervention=decision.intervention, due_on=due)
    plan = ChildPlanFactory(case=world.anna_case)
    GoalFactory(plan=plan, set_by="child", childs_own_words=OWN_WORDS)

    letter = child_letters.send_decision_letter(decision, world.personas["alice"])[0]

    assert letter.template == f"child_decision_{band}"
    assert letter.subject == "Det har vi besluttet"
    body = text_of(letter.body_html)
    assert "Vi har besluttet, at du og din familie skal have hjælp: Familiebehandling." in body
    assert "Kort sagt" not in body and "Bevilget" not in body  # no internal summary, any band
    assert "Hvorfor? Du og din mor skal skændes mindre." in body
    to_child = band != "6_9"  # 6-9: the letter goes through the custody holders
    assert ("Du sagde: »Jeg vil gerne bo hjemme.«" in body) is to_child
    assert ("en familiebehandler kommer hver uge" in body) is to_child  # what was done with it
    assert ("Vi lyttede til det, du fortalte os." in body) is not to_child
    assert ("Alice fortæller dig mere om det, når I ses." in body) is not to_child
    assert f"»{OWN_WORDS}«" in body
    assert f"Vi mødes igen senest den {danish_date(due)}." in body
    assert "Din rådgiver hedder Alice Rådgivesen" in body
    assert "bisidder" in body
    assert ("Så kan du klage." in body) is (band != "6_9")  # a party from 10 may complain


# --- what was decided, from structured data; the child's voice --------------------------------

REASON = "Mor har svært ved at samarbejde med behandleren"  # the caseworker's internal reason


def decision_text(world, decision, years: int) -> str:
    """The decision letter's text for a child of `years`, as the preview renders it."""
    set_age(world, birthday(years))
    draft = child_letters.drafts_for_decision(decision)[0]
    return text_of(child_letters.preview(draft, world.anna_case, world.personas["alice"]))


def held_follow_up(intervention, choice: str):
    return FollowUpFactory(
        intervention=intervention,
        due_on=timezone.localdate(),
        held_on=timezone.localdate(),
        decision=choice,
        reason=REASON,
    )


def end_on(intervention, days: int) -> datetime.date:
    intervention.end_on = timezone.localdate() + datetime.timedelta(days=days)
    intervention.end_reason = f"Afsluttet ved opfølgning: {REASON}"
    intervention.save(update_fields=["end_on", "end_reason"])
    return intervention.end_on


OUTCOMES = ["placement", "more", "less", "adjust", "end", "step_change_without_follow_up"]


def outcome_decision(world, outcome: str):
    """A decision as the services record it: with their summary holding the internal text."""
    intervention = world.anna_intervention
    kind, follow_up = DecisionKind.STEP_CHANGE, None
    summary = f"Opfølgning på Familiebehandling: Trin ned: {REASON}"
    if outcome == "placement":
        intervention = InterventionFactory(case=world.anna_case, title="Hos Mormor", step=4)
        kind, summary = DecisionKind.PLACEMENT, f"Anbringelse: Hos Mormor ({REASON})"
    elif outcome in ("more", "less"):
        follow_up = held_follow_up(intervention, "step_up" if outcome == "more" else "step_down")
    elif outcome == "adjust":
        kind, follow_up = DecisionKind.FOLLOW_UP, held_follow_up(intervention, "adjust")
    elif outcome == "end":
        end_on(intervention, 14)
        kind, summary = DecisionKind.END, f"Familiebehandling afsluttet: {REASON}"
    return CaseDecisionFactory(
        case=world.anna_case,
        kind=kind,
        summary=summary,
        intervention=intervention,
        follow_up=follow_up,
        conversation=ChildConversationFactory(case=world.anna_case, views_used=""),
    )


@pytest.mark.parametrize("years", [7, 11, 15])
@pytest.mark.parametrize("outcome", OUTCOMES)
def test_what_was_decided_is_told_from_structured_data(world, decision, outcome, years):
    """Never the summary or the caseworker's reason; the kind, the help's title and step and its
    dates in plain words, under the band's LIX limit."""
    body = decision_text(world, outcome_decision(world, outcome), years)
    in_14 = danish_date(timezone.localdate() + datetime.timedelta(days=14))
    expected = {
        "placement": [
            "Vi har besluttet, at du skal bo et andet sted end hjemme i en periode: Hos Mormor.",
            "Du skal bo i en plejefamilie.",  # step 4
        ],
        "more": [
            "Vi har talt om, hvordan det går med hjælpen »Familiebehandling«. Vi har besluttet, "
            "at du og din familie skal have mere hjælp end nu.",
            "Alice fortæller dig, hvad der skal ske.",
        ],
        "less": ["skal have mindre hjælp end nu.", "Alice fortæller dig, hvad der skal ske."],
        "adjust": ["Vi har besluttet at lave hjælpen lidt om, så den passer bedre til dig."],
        "end": [
            f"Vi har besluttet, at hjælpen »Familiebehandling« stopper den {in_14}.",
        ],
        "step_change_without_follow_up": [
            "Vi har besluttet at ændre den hjælp, du får. Du får nu: Familiebehandling."
        ],
    }[outcome]
    for sentence in expected:
        assert sentence in body
    assert REASON not in body
    for internal in ("Kort sagt", "Opfølgning på", "Trin ned", "afsluttet", "Anbringelse:"):
        assert internal not in body
    # the purpose of the help answers "why" only for help that was granted
    assert ("Du og din mor skal skændes mindre." in body) is False
    if outcome != "placement":
        assert "Hvorfor? Vil du vide mere om, hvorfor vi har besluttet det? Så spørg Alice." in body
    assert lix(body) < (25 if years < 10 else 30)


@pytest.mark.parametrize(
    ("step", "says"),
    [
        (3, "Du skal bo hos en, du kender. Det kan være en i din familie."),
        (4, "Du skal bo i en plejefamilie."),
        (5, "Du skal bo et sted, hvor der er voksne på arbejde hele døgnet."),
    ],
)
def test_a_placement_says_where_by_the_step(world, decision, step, says):
    decision.kind, decision.intervention.step = DecisionKind.PLACEMENT, step
    body = decision_text(world, decision, 12)
    assert "du skal bo et andet sted end hjemme i en periode: Familiebehandling." in body
    assert says in body
    assert ("Det kaldes et opholdssted eller en institution." in body) is (step == 5)
    assert "Hjælpen begyndte den" in body  # a placement starts like any granted help


def test_granted_help_says_when_it_begins_and_how_long_it_lasts(world, decision):
    intervention = decision.intervention
    today = timezone.localdate()
    intervention.start_on = today + datetime.timedelta(days=5)
    intervention.expected_end_on = today + datetime.timedelta(days=200)
    intervention.save(update_fields=["start_on", "expected_end_on"])
    body = decision_text(world, decision, 15)
    assert (
        f"Hjælpen begynder den {danish_date(intervention.start_on)}. Den kommer fra "
        f"{intervention.provider.name}. Vi regner med, at den varer til den "
        f"{danish_date(intervention.expected_end_on)}."
    ) in body
    intervention.end_on = today + datetime.timedelta(days=100)  # a set end wins
    body = decision_text(world, decision, 15)
    assert f"Den slutter den {danish_date(intervention.end_on)}." in body
    assert "Vi regner med" not in body


@pytest.mark.parametrize("ends_in", [14, -3], ids=["ends-later", "ended"])
@pytest.mark.parametrize("recorded", ["end", "end-at-follow-up", "follow-up-that-ended"])
def test_an_end_says_the_help_stops_and_when(world, decision, recorded, ends_in):
    """END without and with the follow-up where it was decided, and an end recorded (as before)
    as a FOLLOW_UP decision whose follow-up decided to end: the same letter."""
    intervention = decision.intervention
    last = danish_date(end_on(intervention, ends_in))
    follow_up = None if recorded == "end" else held_follow_up(intervention, "end")
    kind = DecisionKind.FOLLOW_UP if recorded == "follow-up-that-ended" else DecisionKind.END
    decision.kind, decision.follow_up = kind, follow_up
    decision.summary = f"Familiebehandling afsluttet: Afsluttet ved opfølgning: {REASON}"
    decision.save(update_fields=["kind", "follow_up", "summary"])
    assert child_letters.decision_outcome(decision) == child_letters.END

    for years in (7, 15):
        body = decision_text(world, decision, years)
        if ends_in > 0:
            assert f"Vi har besluttet, at hjælpen »Familiebehandling« stopper den {last}." in body
        else:
            assert "Vi har besluttet, at hjælpen »Familiebehandling« stopper. " in body
            assert f"Den sidste dag var den {last}." in body
        assert "Får du brug for hjælp igen, så sig det til Alice." in body
        assert "Hjælpen begynd" not in body  # an ended help does not begin
        assert "Du og din mor skal skændes mindre." not in body  # the purpose is not why it ends
        assert REASON not in body and "afsluttet" not in body


NOT_HEARD = {
    NoConversationReason.DECLINED: "Du ville ikke tale med os denne gang, og det er i orden.",
    NoConversationReason.URGENT: (
        "Vi skulle beslutte det meget hurtigt. Derfor nåede vi ikke at tale med dig først."
    ),
    NoConversationReason.MATURITY: "Vi mente, at det var bedst for dig denne gang.",
    NoConversationReason.NATURE: "Vi mente, at det var bedst for dig denne gang.",
}


@pytest.mark.parametrize("years", [7, 12])
@pytest.mark.parametrize("reason", list(NOT_HEARD))
def test_without_a_conversation_the_letter_says_it_by_the_reason(world, decision, reason, years):
    note = "Intern note: barnet har sagt fra over for samtaler med forvaltningen"
    bare = CaseDecisionFactory(
        case=world.anna_case,
        kind=DecisionKind.INTERVENTION,
        intervention=decision.intervention,
        conversation=None,
        no_conversation_reason=reason,
        no_conversation_note=note,
    )
    body = decision_text(world, bare, years)
    assert NOT_HEARD[reason] in body
    for other in set(NOT_HEARD.values()) - {NOT_HEARD[reason]}:
        assert other not in body
    assert "Du sagde" not in body and "Vi talte med dig den" not in body
    assert note not in body
    if reason == NoConversationReason.DECLINED:
        assert "nåede ikke" not in body  # the child chose not to take part: not our lack of time
        assert (
            "Du må gerne sige, hvad du synes, når du har lyst. Ring eller skriv til Alice." in body
        )
    assert lix(body) < (25 if years < 10 else 30)


@pytest.mark.parametrize(("years", "quoted"), [(7, False), (11, True), (15, True)])
def test_only_a_letter_to_the_child_quotes_the_conversation(world, decision, years, quoted):
    """6-9: the letter goes through the custody holders, and the child's words may be about
    them: neither the words nor what was done with them are in it. The child's own goals of the
    plan (set with the family) stay."""
    set_age(world, birthday(years))
    conversation = decision.conversation
    conversation.childs_views = "Far råber ad mig, når han har drukket."
    conversation.views_used = "Vi har talt med din far om det."
    conversation.save(update_fields=["childs_views", "views_used"])
    GoalFactory(
        plan=ChildPlanFactory(case=world.anna_case), set_by="child", childs_own_words=OWN_WORDS
    )

    letter = child_letters.send_decision_letter(decision, world.personas["alice"])[0]

    body = text_of(letter.body_html)
    assert (letter.recipient_guardian is not None) is not quoted
    assert ("Far råber ad mig, når han har drukket." in body) is quoted
    assert ("Vi har talt med din far om det." in body) is quoted
    assert ("Vi lyttede til det, du fortalte os." in body) is not quoted
    assert f"Vi talte med dig den {danish_date(conversation.held_on)}." in body
    assert f"»{OWN_WORDS}«" in body


def test_under_10_the_letter_goes_to_each_custody_holder(world, plan):
    anna = set_age(world, birthday(7))
    second = GuardianFactory(municipality=world.municipality, first_name="Bo")
    link_guardian(anna, second)
    link_guardian(anna, GuardianFactory(municipality=world.municipality), custody=False)

    letters = child_letters.send_plan_letter(plan, world.personas["alice"])

    holders = {link.guardian for link in anna.guardian_links.filter(has_custody=True)}
    assert {x.recipient_guardian for x in letters} == holders
    assert len(letters) == 2
    assert all(x.recipient_child is None for x in letters)


def test_under_10_without_a_custody_holder_is_refused(world, plan):
    anna = set_age(world, birthday(7))
    anna.guardian_links.update(has_custody=False)
    with pytest.raises(PlanError, match="ingen forældremyndighedsindehaver"):
        child_letters.send_plan_letter(plan, world.personas["alice"])


def test_a_plan_without_goals_or_a_case_without_caseworker_is_refused(world, plan):
    set_age(world, birthday(12))
    empty = ChildPlanFactory(case=world.anna_case)
    with pytest.raises(PlanError, match="ingen mål"):
        child_letters.send_plan_letter(empty, world.personas["alice"])
    world.anna_case.caseworker = None
    world.anna_case.save(update_fields=["caseworker"])
    plan.case = world.anna_case
    with pytest.raises(PlanError, match="ingen rådgiver"):
        child_letters.send_plan_letter(plan, world.personas["bob"])
    assert not Letter.objects.exists()


def test_another_teams_caseworker_cannot_send(world, plan):
    set_age(world, birthday(12))
    with pytest.raises(PlanError, match="ikke adgang"):
        child_letters.send_plan_letter(plan, world.personas["charlie"])
    assert not Letter.objects.exists()


@pytest.mark.parametrize(("years", "most"), [(7, 25), (11, 30), (15, 30)])
def test_the_letters_are_in_plain_language(world, plan, decision, years, most):
    """LIX under 25 for 6-9 ("meget let") and under 30 from 10 ("let"); the caseworker's text
    in the letter counts too."""
    set_age(world, birthday(years))
    for letter in (
        child_letters.send_plan_letter(plan, world.personas["alice"])[0],
        child_letters.send_decision_letter(decision, world.personas["alice"])[0],
    ):
        assert lix(text_of(letter.body_html)) < most, letter.template


# --- audit, outbox, PDF, no second letter -------------------------------------------------------


def test_sending_is_audited_on_the_letter_and_on_the_plan(world, plan):
    set_age(world, birthday(12))
    alice = world.personas["alice"]
    letter = child_letters.send_plan_letter(plan, alice)[0]

    created = AuditEvent.objects.get(object_type="core.letter", object_id=str(letter.pk))
    assert (created.action, created.actor, created.child_id) == (
        AuditAction.CREATE,
        alice,
        world.anna.pk,
    )
    assert created.purpose == "Brev dannet (child_plan_10_13)"
    marker = AuditEvent.objects.get(object_type="cases.childplan", object_id=str(plan.pk))
    assert (marker.action, marker.actor, marker.role, marker.child_id, marker.purpose) == (
        AuditAction.SEND,
        alice,
        "caseworker",
        world.anna.pk,
        "Brev til barnet sendt",
    )


def test_a_second_send_makes_no_second_letter(world, plan, decision):
    set_age(world, birthday(12))
    child_letters.send_plan_letter(plan, world.personas["alice"])
    today = timezone.localdate()
    with pytest.raises(PlanError, match=f"allerede sendt den {today:%d.%m.%Y}"):
        child_letters.send_plan_letter(plan, world.personas["bob"])
    assert Letter.objects.count() == 1
    # the decision is its own source: its letter may still be sent
    child_letters.send_decision_letter(decision, world.personas["alice"])
    assert Letter.objects.count() == 2


def test_a_repeated_post_makes_no_second_letter(world, plan, client):
    set_age(world, birthday(12))
    client.force_login(world.personas["alice"])
    url = reverse("voice:child_letter_plan_send", args=[world.anna_case.pk, plan.pk])

    first = client.post(url, {"confirmed": "on"})
    again = client.post(url, {"confirmed": "on"})

    assert first.status_code == 302
    assert first["Location"] == reverse("voice:child_letters", args=[world.anna_case.pk])
    assert again.status_code == 200
    assert "Brevet til barnet er allerede sendt den" in again.content.decode()
    assert Letter.objects.count() == 1


def test_sending_needs_the_letter_read_through(world, plan, client):
    set_age(world, birthday(12))
    client.force_login(world.personas["alice"])
    url = reverse("voice:child_letter_plan_send", args=[world.anna_case.pk, plan.pk])
    response = client.post(url, {})
    assert response.status_code == 200
    assert "Læs brevet igennem, og sæt kryds, før du sender det." in response.content.decode()
    assert not Letter.objects.exists()


def test_the_letter_is_in_the_outbox_and_its_pdf_renders(
    world, decision, client, django_capture_on_commit_callbacks
):
    set_age(world, birthday(15))
    with django_capture_on_commit_callbacks(execute=True):
        letter = child_letters.send_decision_letter(decision, world.personas["alice"])[0]
    client.force_login(world.personas["alice"])

    outbox = client.get(reverse("core:outbox")).content.decode()
    assert reverse("core:letter_detail", args=[letter.pk]) in outbox
    pdf = client.get(reverse("core:letter_pdf", args=[letter.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    content = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    assert content.startswith(b"%PDF-")
    assert pdf_title(content) == "Det har vi besluttet"
    letter.refresh_from_db()
    assert letter.status == "sent"  # after the commit the outbox channel delivers it


def test_a_6_to_9_letter_is_read_by_the_parent_in_their_letters(world, plan, client):
    set_age(world, birthday(8))
    letter = child_letters.send_plan_letter(plan, world.personas["alice"])[0]
    client.force_login(world.personas["parent"])
    response = client.get(reverse("core:letter_detail", args=[letter.pk]))
    assert response.status_code == 200
    assert "Dette brev er skrevet til Anna" in response.content.decode()


# --- the pages ----------------------------------------------------------------------------------


def test_the_preview_shows_the_letter_without_saving_it(world, plan, client):
    set_age(world, birthday(12))
    client.force_login(world.personas["alice"])
    url = reverse("voice:child_letter_plan", args=[world.anna_case.pk, plan.pk])

    html = client.get(url).content.decode()

    assert not Letter.objects.exists()
    assert f"»{OWN_WORDS}«" in html
    assert "Ikke sendt – dette er et udkast" in html
    assert "Brevet sendes til</dt><dd>Anna Testesen</dd>" in html
    preview_event = AuditEvent.objects.get(object_type="cases.childplan", action="view")
    assert preview_event.purpose == "Brev til barnet (udkast)"
    client.post(
        reverse("voice:child_letter_plan_send", args=[world.anna_case.pk, plan.pk]),
        {"confirmed": "on"},
    )
    letter = Letter.objects.get()
    assert letter.body_html in client.get(url).content.decode()  # the preview is what was sent


def test_the_preview_shows_the_refusal_for_a_child_under_6(world, decision, client):
    set_age(world, birthday(4))
    client.force_login(world.personas["alice"])
    url = reverse("voice:child_letter_decision", args=[world.anna_case.pk, decision.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Barnet er under 6 år." in html
    assert "Send brev" not in html
    response = client.post(
        reverse("voice:child_letter_decision_send", args=[world.anna_case.pk, decision.pk]),
        {"confirmed": "on"},
    )
    assert response.status_code == 200 and "Barnet er under 6 år." in response.content.decode()
    assert not Letter.objects.exists()


def test_the_list_shows_plans_decisions_and_what_was_sent(world, plan, decision, client):
    set_age(world, birthday(12))
    child_letters.send_decision_letter(decision, world.personas["alice"])
    client.force_login(world.personas["bob"])
    html = client.get(reverse("voice:child_letters", args=[world.anna_case.pk])).content.decode()
    assert reverse("voice:child_letter_plan", args=[world.anna_case.pk, plan.pk]) in html
    assert reverse("voice:child_letter_decision", args=[world.anna_case.pk, decision.pk]) in html
    assert f"Sendt {timezone.localdate():%-d.%-m.%Y}" in html
    assert html.count("Ikke sendt") == 1  # the plan
    assert "10–13 år" in html
    viewed = AuditEvent.objects.filter(action="view", purpose="Breve til barnet")
    assert {(e.object_type, e.object_id) for e in viewed} == {
        ("cases.case", str(world.anna_case.pk)),
        ("cases.childplan", str(plan.pk)),
        ("voice.casedecision", str(decision.pk)),
    }


def test_the_plan_page_links_to_the_letter(world, plan, client):
    client.force_login(world.personas["alice"])
    html = client.get(reverse("cases:plan", args=[world.anna_case.pk, plan.pk])).content.decode()
    assert reverse("voice:child_letter_plan", args=[world.anna_case.pk, plan.pk]) in html
    assert "Brev til barnet" in html


@pytest.mark.parametrize("name", ["child_letters", "child_letter_plan", "child_letter_decision"])
def test_another_team_gets_404(world, plan, decision, client, name):
    kwargs = {"case_id": world.anna_case.pk}
    if name == "child_letter_plan":
        kwargs["plan_id"] = plan.pk
    if name == "child_letter_decision":
        kwargs["decision_id"] = decision.pk
    client.force_login(world.personas["charlie"])
    assert client.get(reverse(f"voice:{name}", kwargs=kwargs)).status_code == 404
    if name != "child_letters":
        send = reverse(f"voice:{name}_send", kwargs=kwargs)
        assert client.post(send, {"confirmed": "on"}).status_code == 404
    assert not Letter.objects.exists()


def test_a_plan_of_another_case_is_404(world, client):
    other = ChildPlanFactory()  # another child's case, in another team
    client.force_login(world.personas["alice"])
    url = reverse("voice:child_letter_plan", args=[world.anna_case.pk, other.pk])
    assert client.get(url).status_code == 404


# --- query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 4])
def test_the_list_page_query_count(world, client, django_assert_max_num_queries, n):
    for _ in range(n):
        GoalFactory(plan=ChildPlanFactory(case=world.anna_case))
        CaseDecisionFactory(case=world.anna_case)
    client.force_login(world.personas["alice"])
    url = reverse("voice:child_letters", args=[world.anna_case.pk])
    client.get(url)
    with django_assert_max_num_queries(14):  # the same for 1 and 4 plans and decisions
        assert client.get(url).status_code == 200


def test_the_preview_query_count(world, plan, decision, client, django_assert_max_num_queries):
    set_age(world, birthday(8))
    InterventionFactory(case=world.anna_case)
    at_follow_up = outcome_decision(world, "less")  # its follow-up is read with it
    client.force_login(world.personas["alice"])
    for url in (
        reverse("voice:child_letter_plan", args=[world.anna_case.pk, plan.pk]),
        reverse("voice:child_letter_decision", args=[world.anna_case.pk, decision.pk]),
        reverse("voice:child_letter_decision", args=[world.anna_case.pk, at_follow_up.pk]),
    ):
        client.get(url)
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200
