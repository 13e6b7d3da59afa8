"""The five seed municipalities: real names, kommunekoder, districts and towns (places, not people).

A district's `weight` is its share of the municipality's children; its towns (with their real
postcodes) give the addresses of households and the names of schools and daycares.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Town:
    name: str
    postcode: str


@dataclass(frozen=True)
class District:
    name: str
    weight: float
    towns: tuple[Town, ...]


@dataclass(frozen=True)
class MunicipalitySpec:
    slug: str
    name: str
    code: str
    districts: tuple[District, ...]

    @property
    def short_name(self) -> str:
        return self.name.removesuffix(" Kommune")

    @property
    def main_town(self) -> Town:
        return self.districts[0].towns[0]


def _d(name: str, weight: float, *towns: tuple[str, str]) -> District:
    return District(name, weight, tuple(Town(n, p) for n, p in towns))


MUNICIPALITIES: dict[str, MunicipalitySpec] = {
    spec.slug: spec
    for spec in (
        MunicipalitySpec(
            "thisted",
            "Thisted Kommune",
            "787",
            (
                _d("Thisted", 0.40, ("Thisted", "7700"), ("Sjørring", "7700"), ("Nors", "7700")),
                _d("Hanstholm", 0.14, ("Hanstholm", "7730"), ("Frøstrup", "7741")),
                _d("Snedsted", 0.14, ("Snedsted", "7752"), ("Bedsted Thy", "7755")),
                _d("Sydthy", 0.22, ("Hurup Thy", "7760"), ("Vestervig", "7770")),
                _d("Vestkysten", 0.10, ("Klitmøller", "7700"), ("Nørre Vorupør", "7700")),
            ),
        ),
        MunicipalitySpec(
            "skanderborg",
            "Skanderborg Kommune",
            "746",
            (
                _d("Skanderborg", 0.36, ("Skanderborg", "8660"), ("Stilling", "8660")),
                _d("Ry", 0.18, ("Ry", "8680"), ("Gammel Rye", "8680")),
                _d("Hørning", 0.18, ("Hørning", "8362"), ("Blegind", "8362")),
                _d("Galten-Skovby", 0.22, ("Galten", "8464"), ("Skovby", "8464")),
                _d("Låsby", 0.06, ("Låsby", "8670")),
            ),
        ),
        MunicipalitySpec(
            "norddjurs",
            "Norddjurs Kommune",
            "707",
            (
                _d("Grenaa", 0.45, ("Grenaa", "8500")),
                _d("Auning", 0.17, ("Auning", "8963"), ("Vivild", "8961")),
                _d("Ørsted-Allingåbro", 0.18, ("Ørsted", "8950"), ("Allingåbro", "8961")),
                _d("Nordkysten", 0.12, ("Glesborg", "8585"), ("Ørum Djurs", "8586")),
                _d("Trustrup", 0.08, ("Trustrup", "8570")),
            ),
        ),
        MunicipalitySpec(
            "kalundborg",
            "Kalundborg Kommune",
            "326",
            (
                _d("Kalundborg", 0.45, ("Kalundborg", "4400"), ("Rørby", "4400")),
                _d("Høng-Gørlev", 0.22, ("Høng", "4270"), ("Gørlev", "4281")),
                _d(
                    "Svebølle-Snertinge",
                    0.18,
                    ("Svebølle", "4470"),
                    ("Snertinge", "4460"),
                    ("Store Fuglede", "4460"),
                ),
                _d("Ubby-Jerslev", 0.15, ("Ubby", "4490"), ("Jerslev Sjælland", "4490")),
            ),
        ),
        MunicipalitySpec(
            "hjorring",
            "Hjørring Kommune",
            "860",
            (
                _d("Hjørring", 0.45, ("Hjørring", "9800")),
                _d("Hirtshals", 0.12, ("Hirtshals", "9850"), ("Horne", "9850")),
                _d("Sindal", 0.12, ("Sindal", "9870"), ("Tolne", "9870")),
                _d("Vrå-Tårs", 0.12, ("Vrå", "9760"), ("Tårs", "9830")),
                _d("Løkken", 0.10, ("Løkken", "9480"), ("Vittrup", "9480")),
                _d("Bindslev-Tversted", 0.09, ("Bindslev", "9881"), ("Tversted", "9881")),
            ),
        ),
    )
}
