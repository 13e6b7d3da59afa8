from django.core.management.base import BaseCommand, CommandError

from trappen.core.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit non-zero and name the first bad row."

    def handle(self, *args, **options):
        checked, problem = verify_chain()
        if problem is not None:
            raise CommandError(
                f"Logningskæden er brudt ved {problem} (kontrollerede {checked} rækker forinden)."
            )
        self.stdout.write(f"Logningskæden er intakt: {checked} rækker kontrolleret.")
