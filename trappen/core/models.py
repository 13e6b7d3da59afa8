"""Municipalities, organisational units, users and roles, the audit log, letters, closing days."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Municipality(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField("navn", max_length=100)
    code = models.CharField("kommunekode", max_length=3, blank=True)
    is_synthetic = models.BooleanField("syntetisk", default=False)
    # Barnets lov § 95 fixes no interval after the first follow-up; the strategy may set a default
    # (Hjørring: frequent follow-up), which the caseworker can change per intervention.
    follow_up_interval_months = models.PositiveSmallIntegerField(
        "standardinterval for opfølgning (måneder)", default=3
    )
    # Barnets lov § 5: a decision asks for a conversation with the child; how recent it must be
    # is the municipality's choice (docs/voice.md).
    child_conversation_window_days = models.PositiveSmallIntegerField(
        "en børnesamtale gælder for afgørelser i (dage)", default=90
    )
    # Early detection: a child of a school or daycare not assessed for this long is listed on
    # the unit's overview (the municipality's practice, e.g. twice a year; docs/early.md).
    assessment_interval_days = models.PositiveSmallIntegerField(
        "trivselsvurdering senest hver (dage)", default=183
    )

    class Meta:
        verbose_name = "kommune"
        verbose_name_plural = "kommuner"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    DAYCARE = "daycare", "Dagtilbud"
    SCHOOL = "school", "Skole"
    HEALTH_SERVICE = "health_service", "Sundhedspleje"
    CASEWORKER_TEAM = "caseworker_team", "Myndighedsteam"
    OUTREACH_TEAM = "outreach_team", "Fremskudt team"
    PROVIDER = "provider", "Udfører"
    CIVIL_SOCIETY = "civil_society", "Civilsamfundsorganisation"


UNIVERSAL_KINDS = (UnitKind.DAYCARE, UnitKind.SCHOOL, UnitKind.HEALTH_SERVICE)


class OrganisationalUnit(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="units")
    name = models.CharField("navn", max_length=150)
    kind = models.CharField("type", max_length=20, choices=UnitKind.choices)
    district = models.CharField("distrikt", max_length=100, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children_units"
    )
    phone = models.CharField("telefon", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)

    class Meta:
        verbose_name = "organisatorisk enhed"
        verbose_name_plural = "organisatoriske enheder"
        ordering = ["municipality", "kind", "name"]
        indexes = [models.Index(fields=["municipality", "kind"])]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PROFESSIONAL = "professional", "Fagperson"
    UNIT_LEADER = "unit_leader", "Leder af dagtilbud eller skole"
    OUTREACH = "outreach", "Fremskudt socialrådgiver"
    CASEWORKER = "caseworker", "Rådgiver"
    PROVIDER = "provider", "Udfører"
    TEAM_LEADER = "team_leader", "Teamleder"
    ANALYST = "analyst", "Analytiker og ledelse"
    ADMINISTRATOR = "administrator", "Administrator"
    CITIZEN = "citizen", "Borger"

    @property
    def sees_personal_data(self) -> bool:
        return self not in (Role.ANALYST, Role.ADMINISTRATOR)

    @property
    def is_staff_role(self) -> bool:
        return self != Role.CITIZEN


class User(AbstractUser):
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    title = models.CharField("stilling", max_length=100, blank=True)
    phone = models.CharField("telefon", max_length=30, blank=True)
    is_demo = models.BooleanField("demobruger", default=False)

    class Meta:
        verbose_name = "bruger"
        verbose_name_plural = "brugere"

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_role(self, role: Role) -> bool:
        return role in self.role_set()

    def _assignments(self) -> list[RoleAssignment]:
        if not hasattr(self, "_assignment_cache"):
            self._assignment_cache = list(self.role_assignments.all())
        return self._assignment_cache

    def role_set(self) -> set[Role]:
        return {Role(a.role) for a in self._assignments()}

    def unit_ids(self, role: Role) -> list[int]:
        ids = [a.unit_id for a in self._assignments() if a.role == role and a.unit_id is not None]
        return list(dict.fromkeys(ids))

    def unit_groups(self, role: Role) -> list[tuple[int, str]]:
        """(unit id, group or class) per assignment in `role`; "" means the whole unit."""
        return [
            (a.unit_id, a.group_name)
            for a in self._assignments()
            if a.role == role and a.unit_id is not None
        ]


class RoleAssignment(models.Model):
    """A user holds a role, usually at a unit (a school, a caseworker team, a provider)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField("rolle", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        OrganisationalUnit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    # A professional may work with one group or class of the unit only; blank = the whole unit.
    group_name = models.CharField("stue/klasse", max_length=50, blank=True)

    class Meta:
        verbose_name = "rolletildeling"
        verbose_name_plural = "rolletildelinger"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit", "group_name"], name="unique_role_at_unit_group"
            )
        ]

    def __str__(self) -> str:
        where = f" ({self.unit})" if self.unit_id else ""
        return f"{self.get_role_display()}{where}"


class AuditAction(models.TextChoices):
    VIEW = "view", "Læst"
    SEARCH = "search", "Søgt"
    CREATE = "create", "Oprettet"
    UPDATE = "update", "Ændret"
    DELETE = "delete", "Slettet"
    EXPORT = "export", "Eksporteret"
    LOGIN = "login", "Logget ind"
    LOGOUT = "logout", "Logget ud"
    LOGIN_FAILED = "login_failed", "Mislykket login"
    BREAK_GLASS = "break_glass", "Særlig adgang"
    SEND = "send", "Sendt"


class AuditEvent(models.Model):
    """One append-only, hash-chained row per read or write of personal data.

    `seq` is gapless (taken under the chain-head lock), so a removed row shows as a gap as well as
    a broken link. The row never holds a CPR number or free text about a person.
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, blank=True)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    child_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    purpose = models.CharField(max_length=300, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "logningshændelse"
        verbose_name_plural = "logningshændelser"
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"Logning {self.seq}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only")


class AuditChainHead(models.Model):
    """A single row holding the last sequence number and hash; locked to append to the chain."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"Kædens hoved ({self.last_seq})"


class ClosingDay(models.Model):
    """A day the municipality's offices are closed, beyond weekends and public holidays."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="closing_days"
    )
    date = models.DateField("dato")
    reason = models.CharField("årsag", max_length=100, blank=True)

    class Meta:
        verbose_name = "lukkedag"
        verbose_name_plural = "lukkedage"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "date"], name="unique_closing_day")
        ]

    def __str__(self) -> str:
        return f"Lukkedag {self.date:%d.%m.%Y}"


class LetterStatus(models.TextChoices):
    QUEUED = "queued", "I kø"
    SENT = "sent", "Sendt"
    FAILED = "failed", "Fejlet"


class Letter(models.Model):
    """A letter rendered from a template, kept with its child or case, sent through a channel."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        "people.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    recipient_name = models.CharField("modtager", max_length=200)
    recipient_guardian = models.ForeignKey(
        "people.Guardian", null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    recipient_child = models.ForeignKey(
        "people.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A professional notifier's receipt and feedback go to the user, not to the child's parties.
    recipient_user = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    notification = models.ForeignKey(
        "notifications.Notification",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    template = models.CharField("skabelon", max_length=100)
    subject = models.CharField("emne", max_length=200)
    body_html = models.TextField()
    pdf = models.BinaryField(null=True, blank=True)
    channel = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=LetterStatus.choices, default="queued")
    channel_reference = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = "brev"
        verbose_name_plural = "breve"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["municipality", "-created_at"])]

    def __str__(self) -> str:
        return self.subject


class BreakGlassGrant(models.Model):
    """A caseworker opened a child outside the own team, with a stated reason (logged, reviewed)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="break_glass_grants")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("begrundelse", max_length=500)
    granted_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "særlig adgang"
        verbose_name_plural = "særlige adgange"
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"Særlig adgang {self.pk}"
