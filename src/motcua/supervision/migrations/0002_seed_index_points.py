"""Seed the Decision 766 points: group maxima 18/20/22/22/18; 1.2 = 4, 2.1 = 20 and 5.4 = 6
(threshold 90%) are confirmed; the rest are documented defaults, editable in the admin
(docs/supervision.md)."""

from decimal import Decimal

from django.db import migrations

GROUPS = [
    (1, "Công khai, minh bạch", 18),
    (2, "Tiến độ giải quyết", 20),
    (3, "Dịch vụ công trực tuyến, thanh toán trực tuyến", 22),
    (4, "Số hóa hồ sơ, kết quả giải quyết", 22),
    (5, "Mức độ hài lòng", 18),
]
# code, group, points, threshold (%), confirmed, name
INDICATORS = [
    ("1.1", 1, 4, None, False, "Tỷ lệ TTHC được công bố đúng hạn"),
    ("1.2", 1, 4, None, True, "Tỷ lệ TTHC được công khai trên Cơ sở dữ liệu quốc gia đúng hạn"),
    ("1.3", 1, 4, None, False, "Tỷ lệ TTHC được công khai đầy đủ các bộ phận"),
    ("1.4", 1, 6, None, False, "Tỷ lệ hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia"),
    (
        "2.1",
        2,
        20,
        None,
        True,
        "Tỷ lệ hồ sơ đã giải quyết hoặc đang giải quyết trước hạn, đúng hạn",
    ),
    ("3.1", 3, 4, 80, False, "Tỷ lệ TTHC có dịch vụ công trực tuyến (toàn trình, một phần)"),
    ("3.2", 3, 4, None, False, "Tỷ lệ dịch vụ công trực tuyến có phát sinh hồ sơ trực tuyến"),
    ("3.3", 3, 6, 50, False, "Tỷ lệ hồ sơ nộp trực tuyến"),
    ("3.5", 3, 4, 80, False, "Tỷ lệ TTHC có phí được tích hợp thanh toán trực tuyến"),
    ("3.6", 3, 4, None, False, "Tỷ lệ hồ sơ thanh toán trực tuyến"),
    ("4.1", 4, 6, None, False, "Tỷ lệ hồ sơ được cấp kết quả điện tử"),
    ("4.2", 4, 6, 80, False, "Tỷ lệ hồ sơ được số hóa thành phần và kết quả"),
    ("4.3", 4, 6, 80, False, "Tỷ lệ hồ sơ tái sử dụng thành phần đã số hóa"),
    ("4.4", 4, 4, None, False, "Tỷ lệ hồ sơ khai thác dữ liệu từ kho dữ liệu điện tử"),
    ("5.2", 5, 6, None, False, "Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn"),
    ("5.3", 5, 6, None, False, "Mức độ hài lòng về xử lý phản ánh, kiến nghị"),
    (
        "5.4",
        5,
        6,
        90,
        True,
        "Mức độ hài lòng trong tiếp nhận, giải quyết TTHC: 100% trừ tỷ lệ hồ sơ quá hạn "
        "và tỷ lệ hồ sơ có khiếu nại hoặc không hài lòng",
    ),
]


def seed(apps, schema_editor):
    Group = apps.get_model("supervision", "IndexGroup")
    Indicator = apps.get_model("supervision", "IndexIndicator")
    groups = {}
    for number, name, points in GROUPS:
        groups[number], _ = Group.objects.get_or_create(
            number=number, defaults={"name": name, "max_points": Decimal(points)}
        )
    for order, (code, group, points, threshold, confirmed, name) in enumerate(INDICATORS):
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "group": groups[group],
                "order": order,
                "name": name,
                "points": Decimal(points),
                "threshold": None if threshold is None else Decimal(threshold),
                "confirmed": confirmed,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("supervision", "IndexIndicator").objects.all().delete()
    apps.get_model("supervision", "IndexGroup").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
