from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the production server (gunicorn, static files by WhiteNoise) and the job worker."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=settings.SERVE_WORKERS)
        parser.add_argument("--threads", type=int, default=settings.SERVE_THREADS)
        parser.add_argument("--no-worker", action="store_true", help="do not start the job worker")

    def handle(
        self, *args, host: str, port: int, workers: int, threads: int, no_worker: bool, **options
    ) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        workers = workers or (2 * (os.cpu_count() or 1) + 1)
        if workers > 1 and settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
            self.stderr.write(
                f"FUGONG_CACHE_URL is not set: each of the {workers} workers keeps its own cache"
                " (login throttling per worker; a policy edit reaches the other workers within"
                f" {settings.POLICY_CACHE_SECONDS} s). Set it to a Redis URL in production."
            )
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
        children: list[subprocess.Popen] = []
        if settings.TASKS_BACKEND == "db" and not no_worker:
            children.append(subprocess.Popen([sys.executable, "-m", "fugong.cli", "worker"]))
        server = subprocess.Popen(
            [
                gunicorn,
                "fugong.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--worker-class",
                "gthread" if threads > 1 else "sync",
                "--access-logfile",
                "-",
                "--access-logformat",
                '%(h)s "%(m)s %(U)s" %(s)s %(M)sms',  # no query strings
                "--timeout",
                "120",
            ]
        )
        children.append(server)

        def stop(*_: object) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            code = server.wait()
        finally:
            stop()
            for child in children:
                child.wait(timeout=10)
        if code not in (0, -signal.SIGTERM, -signal.SIGINT):
            raise CommandError(f"gunicorn exited with {code}")
