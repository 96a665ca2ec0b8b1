"""``motcua deliver-messages``: one delivery pass over the outbox (for cron)."""

from django.core.management.base import BaseCommand

from motcua.notify import services


class Command(BaseCommand):
    help = "Gửi các thông báo đến hạn trong hộp thư đi (một lượt). / Deliver due messages once."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=500, help="Số tin tối đa trong lượt này (mặc định 500)."
        )

    def handle(self, *args, limit: int, **options):
        counts = services.deliver_due(limit=limit)
        total = sum(counts.values())
        detail = ", ".join(f"{status}: {n}" for status, n in sorted(counts.items())) or "—"
        self.stdout.write(f"Đã xử lý {total} thông báo ({detail}).")
