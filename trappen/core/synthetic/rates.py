"""Every rate the generator uses, in one place, with its source.

Figures marked DOMAIN.md come from its "Scale" section (Danmarks Statistik and Socialstyrelsen);
the rest are assumptions chosen so the generated figures land on those national ones. The
measured results are in docs/synthetic-data.md.
"""

from __future__ import annotations

from trappen.notifications.models import ReporterKind

# --- children and households ---

# Children per household (siblings share a household); the mean (1.76) is close to the Danish
# average number of children in families with children.
HOUSEHOLD_SIZES = (1, 2, 3, 4)
HOUSEHOLD_SIZE_P = (0.45, 0.37, 0.14, 0.04)
# Share of households with two custody holders (the rest have one).
TWO_GUARDIANS_P = 0.74
# Share of children (outside cases) with recorded network persons; children with a case get one
# more often (network activation is a goal of every seed strategy).
NETWORK_P_PLAIN = 0.03
NETWORK_P_CASE = 0.55
# Daycare starts around 10 months; infants under 1 are reached by the health visitor only.
DAYCARE_FROM_AGE = 1
SCHOOL_FROM_AGE = 6
# Children per daycare and per school, and open cases per caseworker, when sizing the units.
CHILDREN_PER_DAYCARE = 90
CHILDREN_PER_SCHOOL = 380
OPEN_CASES_PER_CHILD = 0.056  # measured: open cases today per child (docs/synthetic-data.md)
CASES_PER_CASEWORKER = 30

# --- risk: one latent class per child ---

# (share of children, yearly probability of being notified). With the age factors below this
# gives about 7 % of children notified a year (DOMAIN.md: 85,300 of 1.16 million in 2022).
RISK_CLASSES = ((0.78, 0.021), (0.16, 0.165), (0.06, 0.44))
# Teenagers and infants are notified more often than preschool children (Danmarks Statistik).
AGE_FACTOR = {0: 1.0, 1: 0.7, 6: 1.0, 13: 1.5}  # from this age on
# Notifications per notified child in a year: 1 + Poisson(0.8), mean 1.8 (DOMAIN.md).
EXTRA_NOTIFICATIONS_MEAN = 0.8
# Repeat notifications fall within this many days of the first one in the year.
REPEAT_WINDOW_DAYS = 200

# --- who notifies (DOMAIN.md: schools 21 %, health services 20 %, police 13 %) ---

# A school-kind draw for a preschool child becomes daycare and the reverse, so the overall school
# share lands at about 21 %. Health services are the health kind plus the health visitor (DST's
# "Sundhedsvæsen"); anonymous about 7-8 % (DST: 11,000 of 136,000 in 2020).
REPORTERS = (
    ("school", 0.24),
    ("health", 0.17),
    ("police", 0.13),
    ("municipality", 0.10),
    ("anonymous", 0.07),
    ("daycare", 0.06),
    ("parent", 0.05),
    ("family_network", 0.04),
    ("health_visitor", 0.03),
    ("citizen", 0.03),
    ("other", 0.03),
    ("other_municipality", 0.02),
    ("provider", 0.02),
    ("child", 0.01),
)
# Half of the health services' notifications about infants come from the health visitor.
HEALTH_VISITOR_UNDER_1_P = 0.5
# Professional notifiers (ReporterKind.professional(), Barnets lov § 133) get a receipt within 6
# working days (§ 136) and feedback on the outcome.
PROFESSIONAL_REPORTERS = frozenset(kind.value for kind in ReporterKind.professional())
# How notifications arrive (Channel): professionals use the professional form, others the public
# form; these send a share from their own systems through the API (assumption).
API_P = {"police": 0.70, "health": 0.35}
# Level on the shared scale given with the notification.
NOTIFICATION_LEVELS = ((3, 0.22), (4, 0.56), (5, 0.22))
ACUTE_P_AT_LEVEL_5 = 0.25
# Some public notifications end as "no further action" because the child was never identified
# (no CPR number): they stay without a child (assumption).
UNIDENTIFIED_P = 0.15
UNIDENTIFIED_REPORTERS = frozenset({"anonymous", "citizen", "family_network"})
# A repeat notification: the same child or a sibling was notified about in the 12 months before
# (DOMAIN.md, indicator library).
REPEAT_MONTHS = 12

# --- the 24-hour assessment (§ 136) ---

# "The child's health or development is in danger", by the notification's level (assumption);
# an acute notification is always. Acute measures are taken for an acute one in danger, and for
# some others in danger.
DANGER_P = {3: 0.04, 4: 0.15, 5: 0.55}
ACUTE_MEASURES_P = 0.15
# The demo inbox: some of the last three weeks' notifications still wait for the assessment,
# most of them from the last few days, the older ones past the 24 hours; more than half of the
# waiting ones are not yet assigned to a caseworker. (days since receipt up to, probability)
RECENT_DAYS = 21
RECENT_UNHANDLED_P = ((3, 0.6), (RECENT_DAYS, 0.1))
UNASSIGNED_P = 0.6

# --- the legal clock: most on time, some late ---

ASSESSED_LATE_P = 0.07  # assessed after the 24 hours
RECEIPT_LATE_P = 0.12  # receipt after the 6 working days
# Feedback to a professional notifier is sent with the screening decision (as
# notifications.decisions does); due 3 calendar months after receipt (a practice target: the
# statutory time limit is not verified, docs/legal.md).
FEEDBACK_MONTHS = 3
INVESTIGATION_LATE_P = 0.18  # investigation after 4 months (most within, DOMAIN.md § 20)
FOLLOW_UP_LATE_P = 0.12  # held after the due day
# The latest due follow-up of a running intervention is not held yet (overdue now).
FOLLOW_UP_OVERDUE_P = 0.25

# --- from notification to case ---

# Probability that a notification about a child without an open case opens one, by level; the
# risk class adds to it. The rest end as "no further action" after screening (§ 18).
CASE_FROM_NOTIFICATION_P = {3: 0.18, 4: 0.30, 5: 0.52}
CASE_P_BY_CLASS = (0.0, 0.08, 0.18)
INVESTIGATION_P = 0.80  # a case opened from a notification gets a child investigation (§ 20)
MEASURE_AFTER_INVESTIGATION_P = (0.55, 0.68, 0.80)  # by risk class
IMMEDIATE_P = 0.30  # an immediate intervention while the investigation runs (Norddjurs: 70/30)
# Early detection: an assessment round reaching level 3+ may lead the outreach social worker to
# start early help (§ 30) through a case opened from early detection.
EARLY_CASE_P = 0.22
EARLY_IMMEDIATE_P = 0.5
# Cases already running when the history begins (placements last years), by risk class.
EXISTING_CASE_P = (0.002, 0.03, 0.15)

# --- the staircase ---

# First step of a measure after an investigation, by risk class: mostly preventive or
# home-based (DOMAIN.md: 60,300 supporting and 27,400 early measures started against 13,900
# placed), placements rarer.
FIRST_STEP_P = (
    {1: 0.45, 2: 0.50, 3: 0.02, 4: 0.02, 5: 0.01},
    {1: 0.30, 2: 0.58, 3: 0.04, 4: 0.05, 5: 0.03},
    {1: 0.18, 2: 0.63, 3: 0.06, 4: 0.08, 5: 0.05},
)
# Duration of one intervention in days (uniform between the bounds), by step.
DURATION_DAYS = {
    0: (60, 200),
    1: (70, 240),
    2: (150, 540),
    3: (300, 1000),
    4: (360, 1200),
    5: (240, 800),
}
# What happens when an intervention ends: end the measures, a step down, the same step again
# (a new intervention), or a step up.
TRANSITIONS = {
    0: {"end": 0.85, "same": 0.05, "up": 0.10},
    1: {"end": 0.70, "same": 0.15, "up": 0.15},
    2: {"end": 0.54, "down": 0.16, "same": 0.21, "up": 0.09},
    3: {"end": 0.30, "down": 0.35, "same": 0.25, "up": 0.10},
    4: {"end": 0.22, "down": 0.38, "same": 0.30, "up": 0.10},
    5: {"end": 0.18, "down": 0.50, "same": 0.32},
}
MAX_CHAIN = 7
# A lighter intervention running alongside a home-based one or a placement.
PARALLEL_P = 0.25
# Follow-ups: the first by the calendar service (§ 95), then half-yearly (Norddjurs).
FOLLOW_UP_MONTHS = 6
# Caseworker changes per case-year (a known pain point; an indicator counts them).
CASEWORKER_CHANGES_PER_YEAR = 0.45
# Cost of an intervention against its offer's list price.
COST_FACTOR = (0.85, 1.20)

# --- wellbeing assessments ---

# Probability a child gets an assessment round in a year, and the level distribution, by class.
ASSESSMENT_ROUND_P = (0.14, 0.50, 0.80)
ASSESSMENT_LEVEL_P = (
    (0.55, 0.35, 0.08, 0.015, 0.005),
    (0.25, 0.40, 0.25, 0.08, 0.02),
    (0.10, 0.30, 0.32, 0.19, 0.09),
)
ASSESSMENTS_PER_ROUND = (1, 2, 3)
ASSESSMENTS_PER_ROUND_P = (0.45, 0.35, 0.20)

# --- case work details (issue 4; assumptions unless a source is named) ---

# The investigation describes 2-5 of the ten ICS dimensions (barnets lov § 22).
INVESTIGATION_AREAS = (2, 5)
# A late investigation (§ 20, stk. 3) gets its preliminary assessment up to this many days
# before the 4 months run out; the expected completion lies this many days after the deadline.
PRELIMINARY_DAYS_BEFORE_DUE = (0, 14)
EXPECTED_COMPLETION_DAYS = (20, 100)
# § 32, stk. 3: the expected end of a supporting measure against its actual length.
EXPECTED_LENGTH_FACTOR = (0.8, 1.25)
# The child's plan (§§ 91-92): for a § 32 measure the caseworker decides whether a plan is
# needed (most need one); it is made within the 3 months (calendar.child_plan_due) by most,
# some days to two months late by some.
PLAN_NOT_NEEDED_P = 0.15
PLAN_LATE_P = 0.15
PLAN_LATE_DAYS = (5, 60)
PLAN_EARLIEST_DAYS = 14  # a plan on time is made at least this many days after the decision
PLAN_WITH_CHILD_FROM_AGE = 7
PLAN_WITH_CHILD_P = 0.85
PLAN_WITH_GUARDIANS_P = 0.90
# Goals per plan; the child sets one of them (in its own words) when the plan is made with the
# child, the custody holders sometimes another.
GOALS_PER_PLAN = (2, 4)
CHILD_GOAL_P = 0.75
GUARDIAN_GOAL_P = 0.35
GOAL_BASELINE = (1, 5)
GOAL_TARGET = (7, 9)
# A lighter intervention running alongside is linked to each goal with this probability (the
# plan's step 2+ interventions always are).
LIGHT_INTERVENTION_GOAL_P = 0.5
# Goal scores at held follow-ups: the caseworker always scores; the provider, the custody
# holders and the child (from 7) sometimes.
SCORE_SOURCE_P = {"provider": 0.75, "guardians": 0.60, "child": 0.45}
CHILD_SCORES_FROM_AGE = 7
# Whether an intervention works (scores drift towards the target) or not (flat or declining),
# by how it ended: one followed by a step up mostly did not work; a running one by the default.
WORKS_P = {"up": 0.15, "down": 0.90, "end": 0.90, "same": 0.70, "": 0.82}
# Per held follow-up a working intervention closes this share of the gap to the target, plus
# Gaussian noise (sd); one that does not work drifts by the flat mean and sd.
GOAL_GAP_SHARE = (0.25, 0.55)
GOAL_NOISE_SD = 0.4
GOAL_FLAT = (-0.15, 0.35)
# Other sources score about the caseworker's latent value: (mean offset, sd).
SCORE_OFFSET = {"provider": (0.3, 0.8), "guardians": (0.0, 1.0), "child": (0.3, 1.3)}
# No rise in the mean caseworker score at two consecutive held follow-ups flags the intervention
# (no_progress_since); at the second one the caseworker adjusts it with this probability.
NO_PROGRESS_ADJUST_P = 0.5
# § 95, stk. 3: the follow-up schedule is explained to children from 7 at the first follow-up.
SCHEDULE_EXPLAINED_FROM_AGE = 7
SCHEDULE_EXPLAINED_P = 0.8

# --- the child's voice and the family's network (issue 5; assumptions) ---

# Barnets lov § 5: a decision is preceded by a conversation with the child within the window
# (core.Municipality.child_conversation_window_days). When the case holds none, the caseworker
# holds one this many days before the decision, except in a few cases recorded as exceptions
# (§ 5, stk. 4): children under 3 (maturity), and otherwise these shares; an immediate
# intervention (straks-indsats) is more often urgent.
NEW_CONVERSATION_DAYS_BEFORE = (0, 14)
NO_CONVERSATION_FROM_AGE = 3
EXCEPTION_P = 0.03
EXCEPTION_IMMEDIATE_P = 0.25
EXCEPTION_REASONS = {"declined": 0.6, "nature": 0.4}
# The team leader reviews an exception within this many days; of the last month's exceptions
# some still wait for the review (the team leader's list has work, not years of backlog).
EXCEPTION_REVIEW_DAYS = (1, 10)
RECENT_UNREVIEWED_DAYS = 30
RECENT_UNREVIEWED_P = 0.5
# The Lundy fields: the one who decides listened; the child was told of the right to a bisidder
# (§ 6) and sometimes brought one; what was decided was explained back within two weeks.
DECISION_MAKER_LISTENED_P = 0.8
TOLD_OF_SUPPORT_PERSON_P = 0.85
SUPPORT_PERSON_P = 0.12
EXPLAINED_BACK_DAYS = (0, 14)
VIEWS_USED_UNLINKED_P = 0.5
# Network persons are put on the map within some weeks of the child's first case; a few are
# removed later.
NETWORK_ADDED_DAYS = (0, 45)
NETWORK_REMOVED_P = 0.05
NETWORK_REMOVED_AFTER_DAYS = (30, 400)
# Network meetings on cases whose child has a network map: 1 or 2, some of them stormøder;
# follow-up 6-13 weeks later, mostly held.
NETWORK_MEETING_P = 0.40
SECOND_MEETING_P = 0.30
LARGE_MEETING_P = 0.25
MEETING_PARTICIPANTS = (1, 3)
CHILD_TAKES_PART_FROM_AGE = 10
CHILD_TAKES_PART_P = 0.6
MEETING_FOLLOW_UP_DAYS = (42, 90)
MEETING_FOLLOW_UP_HELD_P = 0.8
# Family group conferences: rarer; referral, preparation (1-3 weeks later), the meeting (3-6
# weeks of preparation), the follow-up meeting 3 months after it (as voice.conferences); some
# are cancelled on the way; plans of 2-4 lines, most done by the follow-up.
CONFERENCE_P = 0.15
CONFERENCE_PREPARATION_DAYS = (5, 21)
CONFERENCE_MEETING_DAYS = (21, 42)
CONFERENCE_FOLLOW_UP_MONTHS = 3
CONFERENCE_CANCEL_P = 0.12
# A closed case got a conference only when it ran long enough for one after the referral.
CONFERENCE_ROOM_DAYS = 150
CONFERENCE_INVITED = (2, 5)
FAMILY_PLAN_LINES = (2, 4)
FAMILY_PLAN_BY_DAYS = (7, 80)
FAMILY_PLAN_DONE_P = 0.75
# A network person carries part of some step 1-3 interventions (consent given).
NETWORK_ROLE_P = 0.30
NETWORK_ROLE_STEPS = frozenset({1, 2, 3})

# --- early detection (issue 6; assumptions unless a source is named) ---

# What the assessment records besides the level (early.py): observations for some from level 2.
OBSERVATIONS_P = 0.6
# An assessment round reaching level 3+ in a school or daycare is shared with the outreach
# social worker (recipient "outreach") in this share; nearly always when it led to a case from
# early detection. Shared 0-10 days after the assessment; mostly with the custody holders'
# consent, otherwise as the necessary exchange in the early preventive cooperation.
SHARING_P = 0.55
SHARING_P_EARLY_CASE = 0.9
SHARING_DAYS = (0, 10)
SHARING_BASIS_P = {"consent": 0.8, "early_cooperation": 0.2}
# Who consented when two custody holders share custody (one holder: that one).
CONSENT_FROM_P = {"Begge forældre": 0.6, "Mor": 0.28, "Far": 0.12}
# Early help (steps 0-1, § 30) started by the outreach social worker without a case for this
# share of the shared rounds that did not lead to a case; consent 0-14 days after the sharing,
# the start 0-21 days after the consent. Length by step as DURATION_DAYS; a notification or a
# case during it ends it ("notified"), otherwise it ends for these reasons.
EARLY_HELP_P = 0.5
EARLY_HELP_STEP_P = {0: 0.4, 1: 0.6}
EARLY_HELP_CONSENT_DAYS = (0, 14)
EARLY_HELP_START_DAYS = (0, 21)
EARLY_HELP_END_P = {"goal_met": 0.75, "consent_withdrawn": 0.09, "other": 0.16}
# The outreach social worker's consultation slots: a fixed weekday per school or daycare, two
# back-to-back slots a week at a school, one at a daycare, every other week at a small unit
# (under SMALL_UNIT_SHARE of the usual number of children); none in the school holidays' weeks
# (ISO weeks) or on closing days. From the history's start to FUTURE_WEEKS ahead.
SLOTS_PER_WEEK = {"school": 2, "daycare": 1}
SMALL_UNIT_SHARE = 0.7
SLOT_MINUTES = (30, 45)
SLOT_HOURS = (8, 9, 10, 12, 13, 14)
HOLIDAY_WEEKS = frozenset({1, 7, 28, 29, 30, 31, 42, 52})
FUTURE_WEEKS = 4
SLOT_CANCELLED_P = 0.03
OPEN_TO_PARENTS_P = {"school": 0.35, "daycare": 0.5}
# How often a unit books its slots: some ask often, some seldom (the outreach page's labels).
# A quarter of the units book often, a quarter seldom (by a shuffled order), the rest usually:
# the chance that a slot of the unit is booked.
UNIT_DEMAND = (("often", 0.25, 0.75), ("usual", 0.5, 0.42), ("seldom", 0.25, 0.1))
FUTURE_BOOKED_FACTOR = 0.35  # the next weeks' slots are mostly still free
PARENT_BOOKS_P = 0.3  # of the booked slots open to parents
CONSULTATION_CANCELLED_P = 0.07
NOT_YET_RECORDED_DAYS = 7  # a held consultation of the last week may still wait for its outcome
NOT_YET_RECORDED_P = 0.3
CONSULTATION_LEVEL_P = {1: 0.04, 2: 0.42, 3: 0.38, 4: 0.13, 5: 0.03}
CONSULTATION_OUTCOME_P = {
    1: {"advice": 0.9, "parent_meeting": 0.1},
    2: {"advice": 0.68, "parent_meeting": 0.24, "early_help": 0.08},
    3: {"advice": 0.45, "parent_meeting": 0.25, "early_help": 0.2, "should_notify": 0.1},
    4: {"advice": 0.2, "parent_meeting": 0.1, "early_help": 0.1, "should_notify": 0.6},
    5: {"advice": 0.1, "should_notify": 0.9},
}
BOOKED_DAYS_BEFORE = (1, 14)
