from django.core.management.base import BaseCommand, CommandError

from trappen.cases.deadlines import check_case_deadlines
from trappen.core.models import Municipality
from trappen.notifications.deadlines import check_deadlines
from trappen.notifications.tasks import check_deadlines_task, schedule_deadline_checks
from trappen.voice.decisions import raise_promised_conversation_reminders
from trappen.voice.reminders import raise_network_reminders


class Command(BaseCommand):
    help = (
        "Check the notifications' and the cases' legal deadlines once: raise reminders and "
        "escalate breached deadlines to the team leaders. With --schedule, queue the recurring "
        "check for the worker instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the recurring check (every 10 minutes) for the worker (db_worker).",
        )
        parser.add_argument("--municipality", help="Only this municipality (its slug).")

    def handle(self, *args, schedule=False, municipality=None, **options):
        if schedule:
            self._schedule()
            return
        scope = self._municipality(municipality)
        summary = check_deadlines(municipality=scope)
        self.stdout.write(
            f"Fristkontrol: {_count(summary.reminders, 'ny påmindelse', 'nye påmindelser')} og "
            f"{_count(summary.escalations, 'ny overskredet frist', 'nye overskredne frister')} "
            "sendt til teamleder."
        )
        cases = check_case_deadlines(municipality=scope)
        network = raise_network_reminders(now=cases.checked_at, municipality=scope)
        cases.raised.update(network.raised)
        promised = raise_promised_conversation_reminders(now=cases.checked_at, municipality=scope)
        cases.raised.update(promised.raised)
        if cases.reminders or cases.escalations:
            self.stdout.write(
                f"Sager: {_count(cases.reminders, 'ny påmindelse', 'nye påmindelser')} og "
                f"{_count(cases.escalations, 'ny overskredet frist', 'nye overskredne frister')} "
                "(undersøgelser, barnets plan, opfølgninger)."
            )
        if summary.receipts_retried:
            self.stdout.write(
                f"Kvitteringer forsøgt sendt igen: {summary.receipts_retried} "
                f"(sendt: {summary.receipts_sent}, fejlede: {summary.receipts_failed})."
            )
        if summary.receipts_failed:
            raise CommandError("Nogle kvitteringer kunne ikke sendes; se loggen.")

    def _schedule(self) -> None:
        if not check_deadlines_task.get_backend().supports_defer:
            raise CommandError(
                "Opgavekøen kan ikke udskyde opgaver (TASKS-indstillingen); "
                "kør fristkontrollen med `manage.py deadlines` i stedet."
            )
        if schedule_deadline_checks():
            self.stdout.write("Fristkontrollen er sat i kø og kører hvert 10. minut.")
        else:
            self.stdout.write("Fristkontrollen er allerede sat i kø; der er ikke lagt en ny.")

    def _municipality(self, slug: str | None) -> Municipality | None:
        if slug is None:
            return None
        try:
            return Municipality.objects.get(slug=slug)
        except Municipality.DoesNotExist as error:
            raise CommandError(f"Kommunen »{slug}« findes ikke.") from error


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
