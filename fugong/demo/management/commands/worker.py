from django.core.management.base import BaseCommand

from fugong.jobs.worker import work_forever


class Command(BaseCommand):
    help = "Run the database-backed worker: queued jobs and the periodic schedule."

    def handle(self, *args, **options) -> None:
        work_forever()
