"""The officer may decline an applicant's request to stop or withdraw (``decline_request``):
the request's new status, and the message that tells the applicant why, seeded in Vietnamese
and English next to the other notification templates (rows are only created when missing, so
an administrator's edits are never overwritten)."""

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
KEY = "request_declined"
ROWS = [
    (
        "email",
        "vi",
        "Hồ sơ {{ code }}: đề nghị dừng, rút hồ sơ không được chấp thuận",
        VI_HELLO + "{{ agency }} không chấp thuận đề nghị dừng giải quyết hoặc rút hồ sơ "
        "{{ code }} (thủ tục {{ procedure }}) của Ông/Bà.\n"
        "Lý do: {{ reason }}\n\n"
        "Hồ sơ tiếp tục được giải quyết theo quy định; thời gian hẹn trả kết quả: {{ due_at }}. "
        "Ông/Bà tra cứu tình trạng hồ sơ tại: {{ tracking_url }}" + VI_BYE,
    ),
    (
        "sms",
        "vi",
        "",
        "Đề nghị dừng/rút hồ sơ {{ code }} không được chấp thuận. "
        "Lý do: {{ reason|truncatechars:80 }}",
    ),
    (
        "email",
        "en",
        "Application {{ code }}: your request to stop or withdraw was declined",
        EN_HELLO + "{{ agency }} has declined your request to stop processing or to withdraw "
        "application {{ code }} ({{ procedure }}).\n"
        "Reason: {{ reason }}\n\n"
        "Your application is still being processed; result due {{ due_at }}. "
        "Track it at: {{ tracking_url }}" + EN_BYE,
    ),
    (
        "sms",
        "en",
        "",
        "Request to stop/withdraw application {{ code }} declined. "
        "Reason: {{ reason|truncatechars:90 }}",
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
        ("portal", "0001_drafts_and_applicant_requests"),
        ("notify", "0003_submitted_online_template"),
    ]

    operations = [
        migrations.AlterField(
            model_name="applicantrequest",
            name="status",
            field=models.CharField(
                choices=[
                    ("open", "Chờ cơ quan xử lý"),
                    ("done", "Cơ quan đã thực hiện"),
                    ("closed", "Đã đóng (hồ sơ đã kết thúc trước khi xử lý đề nghị)"),
                    ("declined", "Cơ quan không chấp thuận (có lý do bằng văn bản)"),
                ],
                default="open",
                help_text="Chờ xử lý, đã thực hiện, không chấp thuận hoặc đã đóng.",
                max_length=8,
                verbose_name="tình trạng",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
