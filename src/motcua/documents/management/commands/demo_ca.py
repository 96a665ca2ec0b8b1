"""``motcua demo-ca``: a demo CA and one signing certificate per demo leader and agency."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from motcua.documents import pki


class Command(BaseCommand):
    help = (
        "Tạo CA trình diễn và khóa ký (PKCS#12) cho từng lãnh đạo và cơ quan mẫu trong "
        "SIGNING_PKI_DIR. Chạy lại không đổi gì đã có. Không dùng cho văn bản thật."
    )

    def handle(self, *args, **options) -> None:
        summary = pki.create_demo_pki(now=timezone.now())
        folder = pki.pki_dir()
        if summary.ca_created:
            self.stdout.write(f"Đã tạo CA trình diễn: {folder / pki.CA_CERT_FILE}")
        else:
            self.stdout.write(f"Dùng CA trình diễn có sẵn: {folder / pki.CA_CERT_FILE}")
        for signer_id in summary.created:
            self.stdout.write(f"  + khóa ký mới: {signer_id}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Xong: {len(summary.created)} khóa ký mới, {len(summary.kept)} khóa đã có."
            )
        )
