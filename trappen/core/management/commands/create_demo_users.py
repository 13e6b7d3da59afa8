"""manage.py create_demo_users: add (or move) the demo users to an already seeded municipality.

`seed` does this itself unless --no-demo-users; use this command for a municipality seeded
without them. Refused in production.
"""

from __future__ import annotations

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trappen.core.management.commands.seed import parse_day
from trappen.core.models import Municipality
from trappen.core.synthetic.demo_users import DEMO_USERS, DemoUsersRefused, ensure_demo_users


class Command(BaseCommand):
    help = "Opret demobrugere i en seedet kommune (create the demo users in a seeded municipality)."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", default=None, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(
                f"Kommunen '{options['municipality']}' findes ikke; kør seed først. "
                "(Unknown municipality; run seed first.)"
            )
        today = parse_day(options["today"]) if options["today"] else timezone.localdate()
        if options["seed"] < 0:
            raise CommandError("--seed skal være 0 eller større. (--seed must be 0 or more.)")
        try:
            ensure_demo_users(municipality, today, np.random.default_rng([options["seed"], 5]))
        except (DemoUsersRefused, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        names = ", ".join(d.username for d in DEMO_USERS)
        self.stdout.write(f"Demobrugere i {municipality.name}: {names}.")
