"""``motcua demo-org``: load the demo organisation and one account per role."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.org.demo import load_demo_org


class Command(BaseCommand):
    help = "Nạp dữ liệu tổ chức mẫu và tài khoản mẫu / Load the demo organisation and accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=settings.DEMO_PASSWORD,
            help="Mật khẩu chung của các tài khoản mẫu.",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Không nạp dữ liệu mẫu khi MOTCUA_ENV=production.")
        try:
            logins = load_demo_org(options["password"])
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Tài khoản mẫu (mật khẩu: {options['password']}):")
        for login in logins:
            self.stdout.write(f"  {login.username:<12} {login.role:<28} {login.where}")
