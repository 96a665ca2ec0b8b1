"""Seed the rating criteria of DOMAIN.md "Satisfaction evaluation" (Decree 61/2018 Art. 31
lineage). Administrators edit them afterwards in the admin; rows are only created when
missing, so re-running never overwrites an edited criterion."""

from django.db import migrations


def _options(*pairs):
    return [{"value": i, "vi": vi, "en": en} for i, (vi, en) in enumerate(pairs, start=1)]


# key, order, kind, required, Vietnamese question, English question, options
CRITERIA = [
    (
        "overall", 10, "scale", True,
        "Ông/Bà hài lòng ở mức nào với việc giải quyết hồ sơ này?",
        "Overall, how satisfied are you with how this application was handled?",
        [],
    ),
    (
        "total_time", 20, "choice", False,
        "Tổng thời gian giải quyết hồ sơ so với thời hạn theo quy định",
        "Total processing time compared with the legal time limit",
        _options(("Sớm hơn thời hạn", "Earlier than the limit"),
                 ("Đúng thời hạn", "On time"),
                 ("Muộn hơn thời hạn", "Later than the limit")),
    ),
    (
        "agency_time", 30, "yes_no", False,
        "Hồ sơ được giải quyết đúng thời gian tại từng cơ quan, đơn vị liên quan?",
        "Was the application handled on time at each agency involved?",
        [],
    ),
    (
        "contacts", 40, "choice", False,
        "Số lần Ông/Bà phải liên hệ để hoàn thiện hồ sơ",
        "How many times did you have to get in touch to complete the application?",
        _options(("1 lần", "Once"), ("2 lần", "Twice"), ("3 lần trở lên", "3 times or more")),
    ),
    (
        "agencies_contacted", 50, "choice", False,
        "Số cơ quan, đơn vị Ông/Bà phải liên hệ",
        "How many agencies or units did you have to contact?",
        _options(("1 cơ quan", "One"), ("2 cơ quan", "Two"), ("3 cơ quan trở lên", "3 or more")),
    ),
    (
        "one_stop", 60, "yes_no", False,
        "Việc nộp hồ sơ, giải quyết và nhận kết quả có được thực hiện qua Bộ phận Một cửa?",
        "Did submission, processing and collection all go through the one-stop unit?",
        [],
    ),
    (
        "staff_attitude", 70, "scale", False,
        "Thái độ, tinh thần phục vụ của cán bộ, công chức",
        "Attitude and helpfulness of the officers",
        [],
    ),
    (
        "publicity", 80, "scale", False,
        "Công khai, minh bạch thủ tục hành chính (niêm yết, hướng dẫn)",
        "Publicity of the procedure (information posted, guidance given)",
        [],
    ),
    (
        "feedback_handling", 90, "scale", False,
        "Việc tiếp nhận, xử lý ý kiến phản ánh, kiến nghị (nếu có)",
        "Handling of your feedback or complaints (if any)",
        [],
    ),
    (
        "online_quality", 100, "scale", False,
        "Chất lượng dịch vụ công trực tuyến (nếu có sử dụng)",
        "Quality of the online public service (if you used it)",
        [],
    ),
]


def seed(apps, schema_editor):
    Criterion = apps.get_model("ratings", "Criterion")
    for key, order, kind, required, vi, en, options in CRITERIA:
        Criterion.objects.get_or_create(
            key=key,
            defaults={
                "order": order,
                "kind": kind,
                "required": required,
                "question_vi": vi,
                "question_en": en,
                "options": options,
                "active": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("ratings", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
