"""``motcua demo-catalogue``: publish the starter catalogue and offer it at the demo wards."""

from django.core.management.base import BaseCommand

from motcua.catalog.starter import load_starter, offer_starter_at
from motcua.org.models import Agency


class Command(BaseCommand):
    help = (
        "Công bố danh mục thủ tục cấp xã khởi tạo và quy trình nội bộ mẫu / Publish the "
        "starter commune-level catalogue with workflow templates."
    )

    def handle(self, *args, **options):
        created, kept = load_starter()
        self.stdout.write(f"Danh mục khởi tạo: {created} thủ tục công bố mới, {kept} đã có.")
        centres = (
            Agency.objects.filter(kind=Agency.Kind.COMMUNE_CENTRE, units__code="mot-cua")
            .filter(units__code="van-hoa-xa-hoi")
            .filter(units__code="lanh-dao")
            .distinct()
        )
        for centre in centres:
            new = offer_starter_at(centre)
            self.stdout.write(f"  {centre.name}: {new} thủ tục cung cấp mới, có quy trình nội bộ.")
