"""The shared vocabulary of DOMAIN.md: the scale of concern, the areas of concern, the staircase."""

from django.db import models


class ConcernLevel(models.IntegerChoices):
    """The shared five-level scale (KL's Trivselslinealen)."""

    THRIVING = 1, "1 I trivsel"
    DECLINING = 2, "2 Faldende trivsel"
    VULNERABLE = 3, "3 Sårbar"
    AT_RISK = 4, "4 Udsat"
    THREATENED = 5, "5 Truet"

    @property
    def colour(self) -> str:
        return {1: "groen", 2: "gul", 3: "orange", 4: "roed", 5: "moerkeroed"}[self.value]

    @property
    def duty_to_notify(self) -> bool:
        return self.value >= 4


class ConcernArea(models.TextChoices):
    """The six areas of the former Serviceloven § 50, still used in practice."""

    DEVELOPMENT = "development", "Udvikling og adfærd"
    FAMILY = "family", "Familieforhold"
    SCHOOL = "school", "Skoleforhold"
    HEALTH = "health", "Sundhedsforhold"
    LEISURE = "leisure", "Fritidsforhold og venskaber"
    OTHER = "other", "Andre relevante forhold"


class Step(models.IntegerChoices):
    """The default steps of Indsatstrappen; a strategy file may relabel them."""

    UNIVERSAL = 0, "Indsatser i almenområdet"
    PREVENTIVE = 1, "Forebyggende indsatser"
    HOME_BASED = 2, "Hjemmebaserede indsatser"
    NETWORK_PLACEMENT = 3, "Anbringelse i slægt eller netværk"
    FOSTER_FAMILY = 4, "Anbringelse i plejefamilie"
    INSTITUTION = 5, "Anbringelse på institution"

    @property
    def is_placement(self) -> bool:
        return self.value >= 3
