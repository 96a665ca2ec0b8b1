"""PDF throughput of motcua.documents on one core: Mẫu 01 renders and signatures per second,
and register (Mẫu 07) rows per second.

Renders the Mẫu 01 receipt (two A5 copies, bundled font, QR code) from a plain context with
WeasyPrint, then signs it with pyHanko (PAdES, RSA-2048 demo key from a throw-away demo CA in
a temporary folder; no database), visibly (stamp in the bundled font) and invisibly. Then lays
out a register of 1,000 rows (A4 landscape, in parts of 100 rows as the background task does)
and reports rows per second. Prints figures only.

    python bench/bench_documents.py [--renders 20] [--signatures 50] [--register-rows 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
PKI = tempfile.mkdtemp(prefix="motcua-bench-pki-")
os.environ["SIGNING_PKI_DIR"] = PKI
os.environ["PDF_SIGNER_BACKEND"] = "pkcs12"

import django  # noqa: E402

django.setup()

from motcua.documents import pki, printed, register, signing  # noqa: E402

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def context() -> dict:
    at = dt.datetime(2026, 3, 5, 9, 30, tzinfo=VN)
    return {
        "issuer": {"agency": "UBND phường Sài Gòn", "unit": "Trung tâm Phục vụ hành chính công"},
        "number": "125/TNHS",
        "place": "Sài Gòn",
        "issued_at": at,
        "dossier_code": "000.21.26.H29-260305-0001",
        "procedure": {"code": "1.001193", "name": "Đăng ký khai sinh"},
        "applicant": {
            "name": "Nguyễn Thị Hằng",
            "id_number": "079301001234",
            "address": "12 đường Lê Lợi, phường Sài Gòn, Thành phố Hồ Chí Minh",
            "phone": "0903 123 456",
            "email": "hang.nguyen@example.vn",
        },
        "components": [
            {"name": f"Giấy tờ số {n} theo danh mục thành phần hồ sơ", "originals": 1, "copies": 0}
            for n in range(1, 6)
        ],
        "sets": 1,
        "processing_time": "03 ngày làm việc",
        "received_at": at,
        "due_at": at + dt.timedelta(days=5),
        "collect_at": "Bộ phận tiếp nhận và trả kết quả",
        "register": {"book": "01", "number": "125"},
        "officer": "Trần Thị Lan",
    }


def register_rows(count: int) -> list[dict]:
    """Rows as ``register.register_rows`` makes them, with typical lengths."""
    return [
        {
            "no": n,
            "code": f"000.21.26.H29-2603{n % 28 + 1:02d}-{n:04d}",
            "procedure": "Đăng ký thường trú cho công dân Việt Nam định cư ở nước ngoài",
            "sets": 1,
            "applicant": "Nguyễn Thị Hằng",
            "address": "12 đường Lê Lợi, phường Sài Gòn, Thành phố Hồ Chí Minh",
            "phone": "0903 123 456",
            "lead_agency": "UBND phường Sài Gòn",
            "received": "09:00 02/03/2026",
            "due": "17:00 05/03/2026",
            "sent": "09:10 02/03/2026",
            "result_back": "15:00 04/03/2026",
            "returned": "08:00 05/03/2026",
            "note": "Đã trả kết quả; trước hạn",
        }
        for n in range(1, count + 1)
    ]


def register_rate(count: int) -> None:
    head = {
        "issuer": {"agency": "UBND phường Sài Gòn", "unit": "Trung tâm Phục vụ hành chính công"},
        "place": "Sài Gòn",
        "issued_at": dt.datetime(2026, 3, 31, 10, 0, tzinfo=VN),
        "unit_label": "Bộ phận Một cửa – UBND phường Sài Gòn",
        "day_from": dt.date(2026, 3, 1),
        "day_to": dt.date(2026, 3, 31),
        "agency_code": "000.21.26.H29",
    }
    register.render_register(head, register_rows(10))  # warm up
    rows = register_rows(count)
    start = time.perf_counter()
    pdf = register.render_register(head, rows)
    seconds = time.perf_counter() - start
    print(
        f"register (Mẫu 07) of {count} rows: {count / seconds:.1f} rows per second "
        f"({seconds:.1f} s, {len(pdf) / 1024:.0f} KiB)"
    )


def rate(label: str, count: int, function) -> object:
    function()  # warm up: imports, font loading, caches
    start = time.perf_counter()
    for _ in range(count):
        result = function()
    seconds = time.perf_counter() - start
    print(f"{label}: {count / seconds:.1f} per second ({seconds / count * 1000:.0f} ms each)")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--signatures", type=int, default=50)
    parser.add_argument("--register-rows", type=int, default=1000)
    args = parser.parse_args()
    now = dt.datetime.now(dt.UTC)
    pki.create_demo_pki(now=now, subjects=[pki.Subject("bench", "Lê Hoàng Nam", "Chủ tịch")])
    data = context()
    pdf = rate("Mẫu 01 renders (2 A5 pages)", args.renders, lambda: printed.render_form("01", data))
    print(f"Mẫu 01 size: {len(pdf) / 1024:.0f} KiB")
    rate(
        "signatures, visible stamp",
        args.signatures,
        lambda: signing.sign_pdf(pdf, "bench", reason="Ký số", at=now),
    )
    rate(
        "signatures, invisible",
        args.signatures,
        lambda: signing.sign_pdf(pdf, "bench", visible=False, at=now),
    )
    register_rate(args.register_rows)


if __name__ == "__main__":
    main()
