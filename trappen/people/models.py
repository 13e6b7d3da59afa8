"""Children, custody holders, households and the child's network."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models

from trappen.core import cpr
from trappen.core.models import Municipality, OrganisationalUnit


class Household(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    address = models.CharField("adresse", max_length=200)
    postcode = models.CharField("postnummer", max_length=4, blank=True)
    city = models.CharField("by", max_length=100, blank=True)
    is_synthetic = models.BooleanField("syntetisk", default=False)

    class Meta:
        verbose_name = "husstand"
        verbose_name_plural = "husstande"

    def __str__(self) -> str:
        return f"Husstand {self.pk}"


class PersonWithCpr(models.Model):
    """CPR is kept encrypted (Fernet) with a keyed hash (HMAC) for look-up; never in clear text."""

    cpr_encrypted = models.BinaryField(null=True, blank=True, editable=False)
    cpr_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        abstract = True

    def set_cpr(self, value: str) -> None:
        number = cpr.parse(value)
        self.cpr_encrypted = cpr.encrypt(number.digits)
        self.cpr_hash = cpr.lookup_hash(number.digits)

    @property
    def cpr(self) -> str:
        if not self.cpr_encrypted:
            return ""
        return cpr.decrypt(bytes(self.cpr_encrypted))

    @property
    def cpr_display(self) -> str:
        digits = self.cpr
        return f"{digits[:6]}-{digits[6:]}" if digits else ""


class Child(PersonWithCpr):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="children"
    )
    first_name = models.CharField("fornavn", max_length=100)
    last_name = models.CharField("efternavn", max_length=100)
    birth_date = models.DateField("fødselsdato")
    district = models.CharField("distrikt", max_length=100, blank=True)
    unit = models.ForeignKey(
        OrganisationalUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrolled_children",
        verbose_name="dagtilbud/skole",
    )
    group_name = models.CharField("stue/klasse", max_length=50, blank=True)
    health_unit = models.ForeignKey(
        OrganisationalUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="health_children",
        verbose_name="sundhedspleje",
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="child_profile",
        help_text="Login for a child from 10, who is a party to the case (Barnets Lov § 3).",
    )
    is_synthetic = models.BooleanField("syntetisk", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "barn"
        verbose_name_plural = "børn"
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["municipality", "cpr_hash"]),
            models.Index(fields=["municipality", "birth_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: datetime.date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class Guardian(PersonWithCpr):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    first_name = models.CharField("fornavn", max_length=100)
    last_name = models.CharField("efternavn", max_length=100)
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="guardians"
    )
    phone = models.CharField("telefon", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guardian_profile",
    )
    is_synthetic = models.BooleanField("syntetisk", default=False)

    class Meta:
        verbose_name = "forældremyndighedsindehaver"
        verbose_name_plural = "forældremyndighedsindehavere"

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class GuardianRelation(models.TextChoices):
    MOTHER = "mother", "Mor"
    FATHER = "father", "Far"
    OTHER = "other", "Anden"


class ChildGuardian(models.Model):
    """Links a child to an adult; `has_custody` marks the custody holder, a party to the case."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="guardian_links")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="child_links")
    relation = models.CharField("relation", max_length=10, choices=GuardianRelation.choices)
    has_custody = models.BooleanField("forældremyndighed", default=True)

    class Meta:
        verbose_name = "forælder-barn-relation"
        verbose_name_plural = "forælder-barn-relationer"
        constraints = [
            models.UniqueConstraint(fields=["child", "guardian"], name="unique_child_guardian")
        ]

    def __str__(self) -> str:
        return f"{self.get_relation_display()}"


class Closeness(models.IntegerChoices):
    """The circles of the network map, from the child outwards."""

    CLOSE = 1, "Tæt på barnet"
    SOME = 2, "Nogen kontakt"
    DISTANT = 3, "Længere væk"


class NetworkConsent(models.TextChoices):
    """Consent (from the custody holders, or the young person) to the municipality contacting and
    involving the person."""

    NOT_ASKED = "not_asked", "Ikke spurgt"
    GIVEN = "given", "Samtykke givet"
    REFUSED = "refused", "Samtykke nægtet"


class NetworkPerson(models.Model):
    """A person in the child's own network: the network map (docs/voice.md)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="network")
    name = models.CharField("navn", max_length=200)
    relation = models.CharField("relation", max_length=100)
    phone = models.CharField("telefon", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    closeness = models.PositiveSmallIntegerField(
        "nærhed", choices=Closeness.choices, default=Closeness.SOME
    )
    can_offer = models.TextField("kan bidrage med", blank=True)
    consent = models.CharField(
        "samtykke til kontakt",
        max_length=10,
        choices=NetworkConsent.choices,
        default=NetworkConsent.NOT_ASKED,
    )
    consent_on = models.DateField("samtykke givet/nægtet", null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_on = models.DateField("tilføjet", null=True, blank=True)
    removed_on = models.DateField("fjernet fra kortet", null=True, blank=True)
    is_synthetic = models.BooleanField("syntetisk", default=False)

    class Meta:
        verbose_name = "netværksperson"
        verbose_name_plural = "netværkspersoner"
        ordering = ["closeness", "name", "pk"]
        indexes = [models.Index(fields=["child", "removed_on"])]

    def __str__(self) -> str:
        return self.name
