"""manage.py export_notifications: the year's notification counts as CSV for DST reporting.

    manage.py export_notifications --municipality norddjurs --year 2025 [--output fil.csv]

Semicolon-separated, UTF-8 with a byte-order mark, CRLF line ends: Danish Excel opens it with
the columns split and æ, ø, å intact. Without --output the CSV goes to stdout (with the same
byte-order mark, so `> fil.csv` gives the same file). Every export is written to the audit log
(purpose "Statistikudtræk"), with --user as the actor when given.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trappen.core import audit
from trappen.core.models import AuditAction, Municipality, User
from trappen.notifications.statistics import check_year, to_csv, yearly_counts

BOM = "\ufeff"
AUDIT_PURPOSE = "Statistikudtræk"


class Command(BaseCommand):
    help = "Eksportér årets underretninger efter underretter og årsag (CSV til Danmarks Statistik)."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="kommunens slug, fx norddjurs")
        parser.add_argument("--year", required=True, type=int, help="kalenderår, fx 2025")
        parser.add_argument("--output", default=None, help="filnavn (ellers stdout)")
        parser.add_argument("--user", default=None, help="brugernavn til revisionsloggen")

    def handle(self, *args, **options):
        municipality = _municipality(options["municipality"])
        try:
            check_year(options["year"], timezone.localdate())
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        user = _user(options["user"], municipality)
        text = BOM + to_csv(yearly_counts(municipality, options["year"]))
        if options["output"] is None:
            _log_export(user, municipality, options["year"])
            self.stdout.write(text, ending="")
            return
        with _open(options["output"]) as handle:  # a bad path fails before anything is logged
            _log_export(user, municipality, options["year"])
            handle.write(text)


def _log_export(user: User | None, municipality: Municipality, year: int) -> None:
    audit.record(
        user,
        AuditAction.EXPORT,
        object_type="notifications.statistics",
        object_id=f"{municipality.slug}:{year}",
        purpose=AUDIT_PURPOSE,
        municipality=municipality,
    )


def _municipality(slug: str) -> Municipality:
    municipality = Municipality.objects.filter(slug=slug).first()
    if municipality is None:
        known = ", ".join(Municipality.objects.order_by("slug").values_list("slug", flat=True))
        raise CommandError(f"Ukendt kommune '{slug}'. Kendte kommuner: {known or 'ingen'}.")
    return municipality


def _user(username: str | None, municipality: Municipality) -> User | None:
    if username is None:
        return None
    user = User.objects.filter(username=username, municipality=municipality).first()
    if user is None:
        raise CommandError(f"Ukendt bruger '{username}' i {municipality.name}.")
    return user


def _open(path: str):
    try:
        return open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - a with block closes it
    except OSError as exc:
        raise CommandError(f"Kan ikke skrive filen {path}: {exc.strerror}.") from exc
