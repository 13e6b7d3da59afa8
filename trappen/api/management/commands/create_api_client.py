"""Issue a token to another system (printed once; only its hash is kept), or revoke one."""

from django.core.management.base import BaseCommand, CommandError

from trappen.api.services import ClientError, create_api_client, revoke_api_client
from trappen.core.models import Municipality, OrganisationalUnit


class Command(BaseCommand):
    help = (
        "Create an API client and print its token once: --municipality <slug> --name <name> "
        "[--unit <id>]. Revoke one: --revoke <name> [--municipality <slug>]."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", help="The municipality's slug.")
        parser.add_argument("--name", help="The client's name, e.g. the sending system.")
        parser.add_argument("--unit", type=int, help="The unit all its notifications come from.")
        parser.add_argument("--revoke", metavar="NAME", help="Deactivate the client of this name.")

    def handle(self, *args, **options):
        municipality = self._municipality(options["municipality"])
        try:
            if options["revoke"]:
                client = revoke_api_client(options["revoke"], municipality=municipality)
                self.stdout.write(f"API-klienten {client.name} (nr. {client.pk}) er spærret.")
                return
            if municipality is None or not options["name"]:
                raise CommandError("Angiv --municipality og --name (eller --revoke).")
            client, token = create_api_client(
                municipality, options["name"], unit=self._unit(options["unit"])
            )
        except ClientError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"API-klienten {client.name} (nr. {client.pk}) er oprettet.")
        self.stdout.write("Tokenet vises kun denne ene gang; gem det sikkert:")
        self.stdout.write(token)

    def _municipality(self, slug):
        if not slug:
            return None
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            raise CommandError(f"Ingen kommune har slug {slug}.")
        return municipality

    def _unit(self, unit_id):
        if unit_id is None:
            return None
        unit = OrganisationalUnit.objects.filter(pk=unit_id).first()
        if unit is None:
            raise CommandError(f"Ingen enhed har nr. {unit_id}.")
        return unit
