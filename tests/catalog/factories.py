"""Small builders for catalogue rows used by several tests."""

from decimal import Decimal

from django.utils.text import slugify

from motcua.catalog import services
from motcua.catalog.models import (
    Channel,
    ChannelOption,
    ComponentSpec,
    Fee,
    Field,
    FormTemplate,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    TimeUnit,
    encode_levels,
)
from motcua.core.text import fold


def make_version(
    code="1.001193",
    name="Đăng ký khai sinh",
    field="Hộ tịch",
    *,
    days=Decimal(3),
    unit=TimeUnit.WORKING_DAYS,
    status="published",
    levels=("commune",),
    online_class="full",
):
    field_obj, _ = Field.objects.get_or_create(
        name=field, defaults={"code": slugify(fold(field)), "name_folded": fold(field)}
    )
    procedure, _ = Procedure.objects.get_or_create(code=code)
    number = procedure.versions.count() + 1
    version = ProcedureVersion(
        procedure=procedure,
        number=number,
        status=status,
        name=name,
        field=field_obj,
        levels=encode_levels(levels),
        online_class=online_class,
    )
    services.refresh_search_text(version)
    version.save()
    option = ChannelOption.objects.create(
        version=version, channel=Channel.COUNTER, time_value=days, time_unit=unit
    )
    Fee.objects.create(option=option, kind=Fee.Kind.FREE, text="Miễn lệ phí")
    case = ProcedureCase.objects.create(version=version, order=1, name="Hồ sơ gồm")
    component = ComponentSpec.objects.create(
        case=case, order=1, name="Tờ khai đăng ký khai sinh", originals=1, copies=0
    )
    FormTemplate.objects.create(component=component, file_name="Mẫu tờ khai.docx")
    return version
