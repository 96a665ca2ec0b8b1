"""``motcua rebuild-rating-tallies``: recompute the rating totals from the ratings."""

from django.core.management.base import BaseCommand

from motcua.ratings import tallying


class Command(BaseCommand):
    help = (
        "Tính lại bảng tổng hợp đánh giá từ các phiếu đánh giá (sau khi sửa dữ liệu). / "
        "Rebuild the rating tallies from the ratings."
    )

    def handle(self, *args, **options):
        total = tallying.rebuild()
        self.stdout.write(f"Đã tính lại bảng tổng hợp từ {total} phiếu đánh giá.")
