from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from fugong.demo.seeding import SCALES, build_city
from fugong.geo.models import Division
from fugong.orgs.models import Enterprise


class Command(BaseCommand):
    help = "Build a deterministic synthetic city (small for the demo, city for benchmarks)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument("--reset", action="store_true", help="empty the database first")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, scale: str, seed: int, reset: bool, quiet: bool, **options) -> None:
        if Division.objects.exists() or Enterprise.objects.exists():
            if not reset:
                raise CommandError(
                    "The database is not empty: give --reset to erase it and seed again."
                )
            call_command("flush", interactive=False, verbosity=0)
        started = time.monotonic()
        ctx = build_city(scale, seed, quiet=quiet, stream=self.stderr)
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded the {scale} city (seed {seed}) in {time.monotonic() - started:.1f}s: "
                f"{Enterprise.objects.count():,} enterprises, {len(ctx.logins)} demo logins."
            )
        )
