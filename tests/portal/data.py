"""Catalogue rows for the portal, API and browser tests (built on tests.catalog.factories)."""

from __future__ import annotations

from decimal import Decimal

from motcua.catalog.models import (
    Channel,
    ChannelOption,
    ComponentSpec,
    Fee,
    Field,
    FormTemplate,
    Offering,
    ProcedureCase,
    TimeUnit,
)
from motcua.org.models import Agency
from tests.catalog.factories import make_version

FIELDS = {
    "Hộ tịch": "ho-tich",
    "Chứng thực": "chung-thuc",
    "Đăng ký, quản lý cư trú": "cu-tru",
}


def make_fields() -> dict[str, Field]:
    made = {}
    for name, code in FIELDS.items():
        defaults = {"code": code, "name_folded": code}
        made[name] = Field.objects.get_or_create(name=name, defaults=defaults)[0]
    return made


def make_agency(identifier="000.21.26.H29", name="UBND phường Bến Thành", address="") -> Agency:
    return Agency.objects.create(
        identifier=identifier,
        name=name,
        kind=Agency.Kind.COMMUNE_COMMITTEE,
        address=address or f"Trụ sở {name}",
        phone="028 3823 0000",
    )


def build_catalogue() -> dict:
    """A small catalogue: civil status, certification, residence; a draft and a flagged row."""
    make_fields()
    rows = {
        "khai_sinh": make_version("1.001193", "Đăng ký khai sinh", online_class="full"),
        "ket_hon": make_version("1.000894", "Đăng ký kết hôn", online_class="partial"),
        "ket_hon_nn": make_version(
            "1.000000",
            "Đăng ký kết hôn có yếu tố nước ngoài",
            levels=("province",),
            online_class="none",
            days=Decimal(15),
        ),
        "khai_tu": make_version("1.000656", "Đăng ký khai tử", online_class="full"),
        "thuong_tru": make_version(
            "1.004222",
            "Đăng ký thường trú",
            field="Đăng ký, quản lý cư trú",
            levels=("commune",),
            online_class="full",
            days=Decimal(7),
        ),
        "chung_thuc": make_version(
            "2.000815",
            "Chứng thực bản sao từ bản chính giấy tờ",
            field="Chứng thực",
            levels=("province", "commune"),
            online_class="none",
        ),
        "draft": make_version("9.999999", "Đăng ký khai sinh cho trẻ bị bỏ rơi", status="draft"),
        "flagged": make_version("9.999998", "Đăng ký khai sinh lưu động"),
    }
    rows["flagged"].flagged = True
    rows["flagged"].save(update_fields=["flagged"])
    ward = make_agency()
    Offering.objects.create(
        agency=ward, version=rows["khai_sinh"], receiving_address="Quầy số 3, 92 Nam Kỳ Khởi Nghĩa"
    )
    Offering.objects.create(agency=ward, version=rows["thuong_tru"])
    rows["ward"] = ward
    return rows


def add_cases(version, n: int, components: int = 3) -> None:
    """Give ``version`` ``n`` more cases, each with ``components`` documents and two forms."""
    for i in range(n):
        case = ProcedureCase.objects.create(
            version=version, order=10 + i, name=f"Trường hợp {i + 1}"
        )
        for j in range(components):
            spec = ComponentSpec.objects.create(
                case=case,
                order=j,
                name=f"Giấy tờ {i + 1}.{j + 1}",
                originals=1,
                copies=j,
                required=j != 2,
            )
            FormTemplate.objects.create(component=spec, file_name=f"Mẫu {i + 1}.{j + 1}.docx")
            FormTemplate.objects.create(component=spec, file_name=f"Phụ lục {i + 1}.{j + 1}.pdf")


def enrich(version) -> None:
    """Everything the procedure page shows: second channel with fees, texts, legal basis."""
    option = ChannelOption.objects.create(
        version=version,
        channel=Channel.ONLINE,
        time_value=Decimal("2.5"),
        time_unit=TimeUnit.WORKING_DAYS,
        description="Nộp qua Cổng Dịch vụ công",
    )
    Fee.objects.create(option=option, kind=Fee.Kind.CHARGE, amount=50000, text="Lệ phí")
    component = ComponentSpec.objects.create(
        case=version.cases.get(),
        order=2,
        name="Giấy chứng sinh",
        originals=1,
        copies=2,
    )
    form = FormTemplate.objects.create(component=component, file_name="Mẫu giấy chứng sinh.pdf")
    form.file.name = "catalog/forms/mau-giay-chung-sinh.pdf"
    form.save()
    version.applicant_types = ["Công dân Việt Nam"]
    version.conditions_text = "Trẻ em sinh ra còn sống."
    version.steps_text = "Bước 1: Nộp hồ sơ.\nBước 2: Nhận kết quả."
    version.legal_basis = [{"number": "60/2014/QH13", "title": "Luật Hộ tịch"}]
    version.results = [{"name": "Giấy khai sinh", "code": "KQ.G12.000327"}]
    version.receiving_address_text = "Bộ phận Một cửa UBND cấp xã"
    version.decision_number = "1872/QĐ-BTP"
    version.save()
