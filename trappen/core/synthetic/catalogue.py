"""The offer catalogue (tilbudsvifte) across the staircase, and the providers delivering it.

Monthly costs follow DOMAIN.md "Scale": a foster family about 470,000 kr a year (39,000 a month),
an institution about 1,160,000 kr a year (97,000 a month). Legal basis: Barnets lov (§ 30 early
preventive support; § 32, stk. 1, nr. 2/3/5/7 supporting measures; § 43 places of placement),
otherwise the law of the universal service.
"""

from __future__ import annotations

from dataclasses import dataclass

# Provider keys: each becomes one OrganisationalUnit (kind provider or civil society).
PROVIDERS = {
    "familiehus": ("Familiehuset {short}", "provider"),
    "ungecenter": ("Ungecentret {short}", "provider"),
    "familiepleje": ("Familieplejen {short}", "provider"),
    "doegn": ("Børne- og ungehjemmet Lindely", "provider"),
    "frivillig": ("Frivilligcenter {town}", "civil_society"),
    # Step 0 offers are delivered by the universal units or the outreach team themselves.
    "fremskudt": ("", "outreach_team"),
}


@dataclass(frozen=True)
class OfferSpec:
    name: str
    step: int
    legal_basis: str
    provider: str
    monthly_cost: int
    description: str
    weight: float = 1.0  # how often it is chosen among the offers of its step


OFFERS: tuple[OfferSpec, ...] = (
    # Step 0: inside universal services
    OfferSpec(
        "Ekstra pædagogisk støtte i dagtilbud",
        0,
        "Dagtilbudsloven",
        "fremskudt",
        2500,
        "Ekstra voksenstøtte i barnets egen stue, planlagt med forældrene.",
    ),
    OfferSpec(
        "Trivselsforløb i skolen",
        0,
        "Folkeskoleloven",
        "fremskudt",
        2000,
        "Et forløb med klasselærer og AKT-vejleder om trivsel og fællesskab.",
    ),
    OfferSpec(
        "Fremskudt rådgivning i skole og dagtilbud",
        0,
        "§ 30",
        "fremskudt",
        1500,
        "Rådgivning og sparring med den fremskudte socialrådgiver tæt på barnet.",
        2.0,
    ),
    OfferSpec(
        "Lektiecafé",
        0,
        "",
        "frivillig",
        0,
        "Frivillige hjælper med lektier to eftermiddage om ugen.",
        0.5,
    ),
    # Step 1: early preventive support (§ 30)
    OfferSpec(
        "Forældrekursus – De Utrolige År",
        1,
        "§ 30",
        "familiehus",
        2500,
        "Et gruppeforløb for forældre over 14 uger.",
        1.5,
    ),
    OfferSpec(
        "Samtalegruppe for børn i skilsmissefamilier",
        1,
        "§ 30",
        "familiehus",
        1200,
        "Gruppeforløb for børn, hvis forældre er gået fra hinanden.",
    ),
    OfferSpec(
        "Netværksgruppe for unge",
        1,
        "§ 30",
        "ungecenter",
        1500,
        "En ugentlig gruppe for unge med en fast voksen.",
    ),
    OfferSpec(
        "Tidlig familierådgivning",
        1,
        "§ 30",
        "familiehus",
        4000,
        "Korte rådgivningsforløb for familien uden forudgående undersøgelse.",
        1.5,
    ),
    OfferSpec(
        "Familieven",
        1,
        "§ 30",
        "frivillig",
        0,
        "En frivillig familieven besøger familien hver uge.",
        0.5,
    ),
    # Step 2: supporting measures at home (§ 32)
    OfferSpec(
        "Familiebehandling",
        2,
        "§ 32, stk. 1, nr. 5",
        "familiehus",
        18000,
        "Familiebehandling i hjemmet og i Familiehuset.",
        2.5,
    ),
    OfferSpec(
        "Kontaktperson",
        2,
        "§ 32, stk. 1, nr. 3",
        "ungecenter",
        9500,
        "En fast kontaktperson for barnet eller den unge.",
        2.0,
    ),
    OfferSpec(
        "Praktisk pædagogisk støtte i hjemmet",
        2,
        "§ 32, stk. 1, nr. 2",
        "familiehus",
        12000,
        "Støtte til struktur og rutiner i hverdagen.",
    ),
    OfferSpec(
        "Aflastning i plejefamilie",
        2,
        "§ 32, stk. 1, nr. 7",
        "familiepleje",
        14000,
        "Støtteophold i en plejefamilie nogle weekender om måneden.",
    ),
    OfferSpec(
        "Multisystemisk terapi (MST)",
        2,
        "§ 32, stk. 1, nr. 5",
        "ungecenter",
        28000,
        "Intensiv behandling af den unge og familien i hjemmet.",
        0.5,
    ),
    # Step 3: placement in the family's own network
    OfferSpec(
        "Netværksplejefamilie",
        3,
        "§ 43",
        "familiepleje",
        11000,
        "Anbringelse hos slægt eller netværk, godkendt som netværksplejefamilie.",
    ),
    # Step 4: foster family
    OfferSpec(
        "Plejefamilie",
        4,
        "§ 43",
        "familiepleje",
        39000,
        "Anbringelse i en almen plejefamilie.",
        3.0,
    ),
    OfferSpec(
        "Forstærket plejefamilie",
        4,
        "§ 43",
        "familiepleje",
        55000,
        "Anbringelse i en forstærket plejefamilie.",
    ),
    # Step 5: residential institution
    OfferSpec(
        "Døgninstitution", 5, "§ 43", "doegn", 97000, "Anbringelse på et børne- og ungehjem.", 3.0
    ),
    OfferSpec("Opholdssted", 5, "§ 43", "doegn", 85000, "Anbringelse på et opholdssted."),
)
