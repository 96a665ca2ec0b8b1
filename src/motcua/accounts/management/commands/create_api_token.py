"""``motcua create-api-token USERNAME NAME``: issue an API token (printed once)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from motcua.accounts.tokens import issue_token


class Command(BaseCommand):
    help = "Cấp mã truy cập API cho một tài khoản / Issue an API token for a user."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="Tên ứng dụng dùng mã.")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Không có tài khoản {options['username']!r}.")
        self.stdout.write(issue_token(user, options["name"]))
