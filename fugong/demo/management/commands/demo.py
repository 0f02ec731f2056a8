from __future__ import annotations

import json

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from fugong.jobs.worker import start_in_thread
from fugong.orgs.models import Enterprise


class Command(BaseCommand):
    help = "Migrate, seed the small synthetic city if the database is empty, print logins, serve."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="set up and stop")

    def handle(self, *args, port: int, no_serve: bool, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if not Enterprise.objects.exists():
            call_command("seed", scale="small", seed=2020)
        logins = settings.FUGONG_HOME / "demo-logins.json"
        if logins.exists():
            self.stdout.write(self.style.SUCCESS("Demo logins (password: demo):"))
            for row in json.loads(logins.read_text()):
                self.stdout.write(f"  {row['role']:<20} {row['username']:<24} {row['scope']}")
            self.stdout.write(f"  (all of them in {logins})")
        if no_serve:
            return
        self.stdout.write(self.style.SUCCESS(f"Fugong answers on http://127.0.0.1:{port}/"))
        if settings.TASKS_BACKEND == "db":
            start_in_thread()
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
