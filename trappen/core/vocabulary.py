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


class IcsSide(models.TextChoices):
    """The three sides of the ICS triangle."""

    CHILD = "child", "Barnets udvikling"
    PARENTING = "parenting", "Forældrekompetencer"
    FAMILY = "family", "Familie og netværk"


class IcsDimension(models.TextChoices):
    """The ten dimensions of the ICS triangle (DOMAIN.md, "Areas a concern or investigation
    looks at"), which a børnefaglig undersøgelse (barnets lov § 22) describes."""

    HEALTH = "health", "Sundhed"
    DEVELOPMENT = "development", "Udvikling og adfærd"
    LEARNING = "learning", "Dagtilbud, skole og læring"
    LEISURE = "leisure", "Fritid og venskaber"
    SAFE_CARE = "safe_care", "Sikker omsorg"
    STIMULATION = "stimulation", "Stimulering og vejledning"
    RELATIONS = "relations", "Støtte til relationer"
    BACKGROUND = "background", "Familie og opvækst"
    HOUSING = "housing", "Bolig, beskæftigelse og økonomi"
    NETWORK = "network", "Socialt netværk"

    @property
    def side(self) -> IcsSide:
        if self in (self.HEALTH, self.DEVELOPMENT, self.LEARNING, self.LEISURE):
            return IcsSide.CHILD
        if self in (self.SAFE_CARE, self.STIMULATION, self.RELATIONS):
            return IcsSide.PARENTING
        return IcsSide.FAMILY
