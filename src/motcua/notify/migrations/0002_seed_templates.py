"""Seed the message templates: Vietnamese texts and their English translations.

Administrators edit them afterwards in the admin; re-running this migration never
overwrites an edited template (rows are only created when missing).
"""

from django.db import migrations

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
DEFICIENCIES = "{% for item in deficiencies %}{{ forloop.counter }}. {{ item }}\n{% endfor %}"

# key: (vi subject, vi e-mail body, vi SMS, en subject, en e-mail body, en SMS)
TEXTS = {
    "received": (
        "Hồ sơ {{ code }} đã được tiếp nhận",
        "{{ agency }} đã tiếp nhận hồ sơ của Ông/Bà.\n"
        "- Mã hồ sơ: {{ code }}\n"
        "- Thủ tục: {{ procedure }}\n"
        "- Thời gian hẹn trả kết quả: {{ due_at }}\n\n"
        "Ông/Bà tra cứu tình trạng hồ sơ tại: {{ tracking_url }}",
        "Hồ sơ {{ code }} đã được tiếp nhận. Hẹn trả kết quả: {{ due_at }}.",
        "Your application {{ code }} has been received",
        "{{ agency }} has received your application.\n"
        "- Application code: {{ code }}\n"
        "- Procedure: {{ procedure }}\n"
        "- Result due: {{ due_at }}\n\n"
        "Track your application at: {{ tracking_url }}",
        "Application {{ code }} received. Result due {{ due_at }}.",
    ),
    "completion_requested": (
        "Hồ sơ {{ code }} cần bổ sung, hoàn thiện",
        "Hồ sơ {{ code }} (thủ tục {{ procedure }}) chưa đủ điều kiện tiếp nhận. "
        "Đề nghị Ông/Bà bổ sung, hoàn thiện các nội dung sau:\n"
        + DEFICIENCIES
        + "{% if reason %}\nGhi chú: {{ reason }}\n{% endif %}\n"
        "Sau khi bổ sung, Ông/Bà nộp lại hồ sơ tại {{ agency }} hoặc trên cổng dịch vụ công. "
        "Tra cứu: {{ tracking_url }}",
        'Hồ sơ {{ code }} cần bổ sung, hoàn thiện: {{ deficiencies|join:"; "|truncatechars:80 }}',
        "Your application {{ code }} needs to be completed",
        "Your application {{ code }} ({{ procedure }}) cannot be received yet. "
        "Please complete the following:\n"
        + DEFICIENCIES
        + "{% if reason %}\nNote: {{ reason }}\n{% endif %}\n"
        "Then submit it again at {{ agency }} or online. Track it at: {{ tracking_url }}",
        'Application {{ code }} needs completing: {{ deficiencies|join:"; "|truncatechars:90 }}',
    ),
    "refused": (
        "Hồ sơ {{ code }} không được tiếp nhận",
        "{{ agency }} từ chối tiếp nhận hồ sơ {{ code }} (thủ tục {{ procedure }}).\n"
        "Lý do: {{ reason }}\n\n"
        "Nếu cần hướng dẫn, Ông/Bà vui lòng liên hệ bộ phận một cửa của {{ agency }}.",
        "Hồ sơ {{ code }} không được tiếp nhận. Lý do: {{ reason|truncatechars:80 }}",
        "Your application {{ code }} was not accepted",
        "{{ agency }} could not accept your application {{ code }} ({{ procedure }}).\n"
        "Reason: {{ reason }}\n\n"
        "For guidance, please contact the one-stop desk of {{ agency }}.",
        "Application {{ code }} not accepted. Reason: {{ reason|truncatechars:90 }}",
    ),
    "supplement_requested": (
        "Hồ sơ {{ code }}: đề nghị bổ sung hồ sơ",
        "Trong quá trình giải quyết hồ sơ {{ code }} (thủ tục {{ procedure }}), cơ quan "
        "giải quyết đề nghị Ông/Bà bổ sung:\n{{ reason }}\n\n"
        "Thời gian chờ bổ sung không tính vào thời hạn giải quyết. Ông/Bà nộp hồ sơ bổ sung "
        "tại {{ agency }}. Tra cứu: {{ tracking_url }}",
        "Hồ sơ {{ code }} cần bổ sung: {{ reason|truncatechars:90 }}",
        "Application {{ code }}: more documents needed",
        "While processing your application {{ code }} ({{ procedure }}), the agency asks you "
        "to provide:\n{{ reason }}\n\n"
        "The time until you do so is not counted in the processing time. Please bring the "
        "documents to {{ agency }}. Track it at: {{ tracking_url }}",
        "Application {{ code }} needs: {{ reason|truncatechars:100 }}",
    ),
    "apology": (
        "Xin lỗi về việc chậm trả kết quả hồ sơ {{ code }}",
        "{{ agency }} chân thành xin lỗi Ông/Bà vì hồ sơ {{ code }} (thủ tục {{ procedure }}) "
        "chưa giải quyết được đúng hẹn.\n"
        "Lý do: {{ reason }}\n"
        "Thời gian hẹn trả kết quả mới: {{ new_due_at }}\n\n"
        "Mong Ông/Bà thông cảm. Tra cứu: {{ tracking_url }}",
        "Xin lỗi Ông/Bà: hồ sơ {{ code }} chậm trả kết quả. Hẹn lại: {{ new_due_at }}.",
        "We apologise: your application {{ code }} is delayed",
        "{{ agency }} sincerely apologises that your application {{ code }} ({{ procedure }}) "
        "could not be completed on time.\n"
        "Reason: {{ reason }}\n"
        "New date for the result: {{ new_due_at }}\n\n"
        "Thank you for your understanding. Track it at: {{ tracking_url }}",
        "We apologise: application {{ code }} is delayed. New date: {{ new_due_at }}.",
    ),
    "not_eligible": (
        "Hồ sơ {{ code }} không đủ điều kiện giải quyết",
        "Sau khi xem xét, hồ sơ {{ code }} (thủ tục {{ procedure }}) không đủ điều kiện "
        "giải quyết.\nLý do: {{ reason }}\n\n"
        "Ông/Bà nhận lại hồ sơ và văn bản trả lời tại {{ agency }}.",
        "Hồ sơ {{ code }} không đủ điều kiện giải quyết. Lý do: {{ reason|truncatechars:70 }}",
        "Your application {{ code }} cannot be granted",
        "After examination, your application {{ code }} ({{ procedure }}) does not meet the "
        "conditions.\nReason: {{ reason }}\n\n"
        "You can collect your documents and the written answer at {{ agency }}.",
        "Application {{ code }} cannot be granted. Reason: {{ reason|truncatechars:80 }}",
    ),
    "result_ready": (
        "Hồ sơ {{ code }} đã có kết quả",
        "Hồ sơ {{ code }} (thủ tục {{ procedure }}) đã có kết quả, mã kết quả "
        "{{ result_code }}.\n\n"
        "Ông/Bà nhận kết quả theo hình thức đã đăng ký. Khi nhận tại bộ phận một cửa, vui "
        "lòng mang theo giấy tiếp nhận hồ sơ hoặc giấy tờ tùy thân (và giấy ủy quyền nếu "
        "nhận thay).",
        "Hồ sơ {{ code }} đã có kết quả. Mời Ông/Bà nhận kết quả theo hình thức đã đăng ký.",
        "The result of your application {{ code }} is ready",
        "The result of your application {{ code }} ({{ procedure }}) is ready, result code "
        "{{ result_code }}.\n\n"
        "You will receive it as you chose. To collect it at the one-stop desk, please bring "
        "the receipt or your ID (and a power of attorney when collecting for someone else).",
        "The result of application {{ code }} is ready for you.",
    ),
    "returned": (
        "Hồ sơ {{ code }} đã trả kết quả",
        "{{ agency }} đã trả kết quả hồ sơ {{ code }} (thủ tục {{ procedure }}, mã kết quả "
        "{{ result_code }}).\n\nCảm ơn Ông/Bà đã sử dụng dịch vụ.",
        "Hồ sơ {{ code }} đã trả kết quả. Cảm ơn Ông/Bà đã sử dụng dịch vụ.",
        "The result of your application {{ code }} has been delivered",
        "{{ agency }} has delivered the result of your application {{ code }} "
        "({{ procedure }}, result code {{ result_code }}).\n\nThank you.",
        "The result of application {{ code }} has been delivered. Thank you.",
    ),
    "rating_invitation": (
        "Mời Ông/Bà đánh giá việc giải quyết hồ sơ {{ code }}",
        "Mời Ông/Bà dành ít phút đánh giá mức độ hài lòng về việc giải quyết hồ sơ "
        "{{ code }} (thủ tục {{ procedure }}) tại:\n{{ rating_url }}\n\n"
        "Ý kiến của Ông/Bà giúp chúng tôi phục vụ tốt hơn.",
        "Mời Ông/Bà đánh giá việc giải quyết hồ sơ {{ code }}: {{ rating_url }}",
        "How did we do with your application {{ code }}?",
        "Please take a minute to rate how your application {{ code }} ({{ procedure }}) was "
        "handled:\n{{ rating_url }}\n\nYour opinion helps us serve you better.",
        "Please rate how application {{ code }} was handled: {{ rating_url }}",
    ),
}


def rows():
    for key, (vs, vb, vsms, es, eb, esms) in TEXTS.items():
        yield key, "email", "vi", vs, VI_HELLO + vb + VI_BYE
        yield key, "sms", "vi", "", vsms
        yield key, "email", "en", es, EN_HELLO + eb + EN_BYE
        yield key, "sms", "en", "", esms


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for key, kind, language, subject, body in rows():
        MessageTemplate.objects.get_or_create(
            key=key, kind=kind, language=language, defaults={"subject": subject, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
