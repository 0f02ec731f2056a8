from django.core.management.base import BaseCommand, CommandError

from fugong.accounts.actions import do_create_api_token
from fugong.accounts.models import User


class Command(BaseCommand):
    help = "Print a new API token for a user: fugong token create USERNAME"

    def add_arguments(self, parser) -> None:
        parser.add_argument("verb", choices=["create"])
        parser.add_argument("username")
        parser.add_argument("--label", default="cli")

    def handle(self, *args, verb: str, username: str, label: str, **options) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user named {username!r}")
        self.stdout.write(do_create_api_token(user, label=label, actor=None))
