"""The "submitted online" message: the confirmation with the dossier's reference, sent when
a citizen submits a dossier online. Seeded in Vietnamese and English; administrators edit it
in the admin like the others (rows are only created when missing)."""

from django.db import migrations, models

VI_HELLO = "Kính gửi Ông/Bà {{ applicant_name }},\n\n"
VI_BYE = (
    "\n\nTrân trọng,\n{{ agency }}\n\n"
    "(Thư được gửi tự động từ hệ thống Một Cửa, vui lòng không trả lời thư này.)"
)
EN_HELLO = "Dear {{ applicant_name }},\n\n"
EN_BYE = (
    "\n\nKind regards,\n{{ agency }}\n\n"
    "(This message was sent automatically by Một Cửa; please do not reply.)"
)
KEY = "submitted_online"
ROWS = [
    (
        "email",
        "vi",
        "Đã nhận hồ sơ trực tuyến {{ code }}",
        VI_HELLO + "Hồ sơ của Ông/Bà đã được gửi trực tuyến đến {{ agency }}.\n"
        "- Mã tham chiếu: {{ code }}\n"
        "- Thủ tục: {{ procedure }}\n\n"
        "Cán bộ sẽ kiểm tra hồ sơ và thông báo kết quả tiếp nhận (tiếp nhận, yêu cầu bổ sung "
        "hoặc từ chối) cho Ông/Bà. Ông/Bà tra cứu tình trạng hồ sơ tại: {{ tracking_url }}"
        + VI_BYE,
    ),
    (
        "sms",
        "vi",
        "",
        "Đã nhận hồ sơ trực tuyến, mã tham chiếu {{ code }}. Cán bộ sẽ kiểm tra và báo "
        "kết quả tiếp nhận.",
    ),
    (
        "email",
        "en",
        "Your online application {{ code }} has been sent",
        EN_HELLO + "Your application has been sent online to {{ agency }}.\n"
        "- Reference: {{ code }}\n"
        "- Procedure: {{ procedure }}\n\n"
        "An officer will check it and tell you whether it is received, needs completing or "
        "is refused. Track your application at: {{ tracking_url }}" + EN_BYE,
    ),
    (
        "sms",
        "en",
        "",
        "Online application sent, reference {{ code }}. An officer will check it and "
        "tell you whether it is received.",
    ),
]


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for kind, language, subject, body in ROWS:
        MessageTemplate.objects.get_or_create(
            key=KEY, kind=kind, language=language, defaults={"subject": subject, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("notify", "0002_seed_templates"),
    ]

    operations = [
        migrations.AlterField(
            model_name="messagetemplate",
            name="key",
            field=models.CharField(
                choices=[
                    ("submitted_online", "Đã nộp hồ sơ trực tuyến"),
                    ("received", "Đã tiếp nhận hồ sơ (Mẫu 01)"),
                    ("completion_requested", "Yêu cầu bổ sung, hoàn thiện (Mẫu 02)"),
                    ("refused", "Từ chối tiếp nhận (Mẫu 03)"),
                    ("supplement_requested", "Yêu cầu bổ sung hồ sơ khi đang xử lý"),
                    ("apology", "Xin lỗi và hẹn lại ngày trả (Mẫu 04)"),
                    ("not_eligible", "Không đủ điều kiện giải quyết"),
                    ("result_ready", "Đã có kết quả"),
                    ("returned", "Đã trả kết quả"),
                    ("rating_invitation", "Mời đánh giá mức độ hài lòng"),
                ],
                help_text="Sự kiện hồ sơ dùng mẫu này.",
                max_length=40,
                verbose_name="loại thông báo",
            ),
        ),
        migrations.AlterField(
            model_name="outboxmessage",
            name="template_key",
            field=models.CharField(
                choices=[
                    ("submitted_online", "Đã nộp hồ sơ trực tuyến"),
                    ("received", "Đã tiếp nhận hồ sơ (Mẫu 01)"),
                    ("completion_requested", "Yêu cầu bổ sung, hoàn thiện (Mẫu 02)"),
                    ("refused", "Từ chối tiếp nhận (Mẫu 03)"),
                    ("supplement_requested", "Yêu cầu bổ sung hồ sơ khi đang xử lý"),
                    ("apology", "Xin lỗi và hẹn lại ngày trả (Mẫu 04)"),
                    ("not_eligible", "Không đủ điều kiện giải quyết"),
                    ("result_ready", "Đã có kết quả"),
                    ("returned", "Đã trả kết quả"),
                    ("rating_invitation", "Mời đánh giá mức độ hài lòng"),
                ],
                help_text="Loại thông báo.",
                max_length=40,
                verbose_name="mẫu",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
