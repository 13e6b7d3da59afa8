"""manage.py seed: build a synthetic municipality with years of history (docs/synthetic-data.md).

    manage.py seed --municipality thisted --children 8000 --years 5 --seed 1

Demo users are added unless --no-demo-users (never in production: pass --no-demo-users there).
"""

from __future__ import annotations

import argparse
import datetime
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from trappen.core.synthetic.demo_users import DemoUsersRefused
from trappen.core.synthetic.generator import Progress, SeedError, SeedOptions, generate
from trappen.core.synthetic.municipalities import MUNICIPALITIES


class TqdmProgress(Progress):
    """One progress bar per stage, on stderr; none when stderr is not a terminal or --quiet."""

    def __init__(self, disable: bool):
        self.disable = disable
        self.bar = None

    def stage(self, name: str, total: int) -> None:
        self.close()
        self.bar = tqdm(
            total=total,
            desc=name,
            file=sys.stderr,
            disable=self.disable,
            unit="",
            leave=False,
            dynamic_ncols=True,
        )

    def tick(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def whole_number(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} er ikke et helt tal ({value!r} is not a whole number)"
        ) from None


def parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise CommandError(
            f"--today skal være en dato som ÅÅÅÅ-MM-DD, ikke {value!r}. "
            "(--today must be a date as YYYY-MM-DD.)"
        ) from exc


class Command(BaseCommand):
    help = "Byg en syntetisk kommune med historik (build a synthetic municipality with history)."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help=", ".join(MUNICIPALITIES))
        parser.add_argument("--children", type=whole_number, default=8000)
        parser.add_argument("--years", type=whole_number, default=5)
        parser.add_argument("--seed", type=whole_number, default=1)
        parser.add_argument("--today", default=None, help="YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--replace", action="store_true", help="delete the municipality's synthetic data first"
        )
        parser.add_argument(
            "--demo-users",
            dest="demo_users",
            default=None,
            action="store_true",
            help="add the demo users (default outside production)",
        )
        parser.add_argument("--no-demo-users", dest="demo_users", action="store_false")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        today = parse_day(options["today"]) if options["today"] else timezone.localdate()
        demo_users = options["demo_users"]
        if demo_users is None:
            demo_users = not settings.PRODUCTION
        seed_options = SeedOptions(
            municipality=options["municipality"],
            children=options["children"],
            years=options["years"],
            seed=options["seed"],
            today=today,
            replace=options["replace"],
            demo_users=demo_users,
        )
        quiet = options["quiet"] or not sys.stderr.isatty() or options["verbosity"] == 0
        progress = TqdmProgress(disable=quiet)
        try:
            result = generate(seed_options, progress)
        except (SeedError, DemoUsersRefused) as exc:
            raise CommandError(str(exc)) from exc
        finally:
            progress.close()
        if options["verbosity"] > 0:
            self.stdout.write(result.summary())
