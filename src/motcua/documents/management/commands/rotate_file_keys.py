"""``motcua rotate-file-keys``: re-encrypt every encrypted file with the current key."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from motcua.documents import crypto, storage


class Command(BaseCommand):
    help = (
        "Mã hóa lại mọi tệp đã mã hóa bằng khóa hiện hành (khóa đầu tiên của "
        "FILE_ENCRYPTION_KEYS). Chạy lại an toàn; sau khi xong mới bỏ khóa cũ khỏi cấu hình."
    )

    def handle(self, *args, **options) -> None:
        ring = crypto.keyring()
        self.stdout.write(f"Khóa hiện hành: {ring.current_id}")

        def progress(done: int, total: int) -> None:
            if done == total or done % 100 == 0:
                self.stdout.write(f"  {done}/{total} tệp")

        summary = storage.rotate_keys(progress)
        self.stdout.write(
            f"Đã mã hóa lại {summary.rotated} tệp ({summary.rows} bản ghi); "
            f"{summary.current} tệp đã dùng khóa hiện hành."
        )
        if summary.failed:
            for name in summary.failed:
                self.stderr.write(f"  lỗi: {name}")
            raise CommandError(
                f"{len(summary.failed)} tệp không giải mã được: còn thiếu khóa cũ trong "
                "FILE_ENCRYPTION_KEYS hoặc tệp bị hỏng. Chưa được bỏ khóa cũ."
            )
        self.stdout.write(self.style.SUCCESS("Xong: có thể bỏ các khóa cũ khỏi cấu hình."))
