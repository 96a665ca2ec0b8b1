"""Synthetic people, the demo world (agencies, offerings, staff) and intake days for the
dossier generator (see generate_dossiers.py)."""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field

SPAN_DAYS = 730  # two years of intake


def _words(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


FAMILY = _words(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đinh Mai "
    "Trịnh Lâm Tạ Châu Tô"
)
MIDDLE_M = _words("Văn Hữu Đức Minh Quốc Thanh Hoàng Gia Bảo Công Tuấn Xuân Anh Duy")
MIDDLE_F = _words("Thị Ngọc Thanh Thu Minh Kim Bảo Mỹ Hồng Thùy Phương Diệu Như Khánh")
GIVEN_M = _words(
    "An Bình Cường Dũng Đạt Hải Hiếu Hùng Huy Khang Khoa Long Minh Nam Nghĩa Phong Phúc "
    "Quân Quang Sơn Tài Thắng Thành Tiến Toàn Trung Tuấn Việt Vinh"
)
GIVEN_F = _words(
    "Anh Chi Dung Giang Hà Hạnh Hằng Hoa Hương Lan Linh Loan Mai My Nga Ngân Nhung Oanh "
    "Phương Quyên Tâm Thảo Trang Trinh Uyên Vân Vy Xuân Yến"
)
STREETS = _words(
    "Lê Lợi|Nguyễn Huệ|Hai Bà Trưng|Pasteur|Lý Tự Trọng|Nam Kỳ Khởi Nghĩa|Đồng Khởi|"
    "Tôn Đức Thắng|Nguyễn Thị Minh Khai|Lê Thánh Tôn|Mạc Đĩnh Chi|Nguyễn Du|Calmette|"
    "Trần Hưng Đạo|Phạm Ngũ Lão|Bùi Viện|Lê Lai|Nguyễn Trãi|Cống Quỳnh|Ký Con",
    "|",
)
COMPANY_WORDS = _words("An Phát|Minh Long|Sài Gòn Xanh|Hòa Bình|Thành Công|Việt Tiến|Bến Nghé", "|")
FOLD = str.maketrans(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ",
    "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd",
)

REASONS = {
    "request_completion": (
        "Hồ sơ chưa đầy đủ thành phần theo quy định",
        "Tờ khai chưa ghi đầy đủ thông tin bắt buộc",
    ),
    "deficiencies": (
        "Thiếu bản sao giấy tờ tùy thân của người yêu cầu",
        "Tờ khai chưa có chữ ký của người yêu cầu",
        "Thiếu văn bản ủy quyền có chứng thực",
        "Giấy tờ chứng minh nơi cư trú chưa hợp lệ",
    ),
    "refuse": (
        "Yêu cầu không thuộc thẩm quyền giải quyết của cơ quan",
        "Việc này đã được giải quyết tại cơ quan khác, đề nghị liên hệ nơi đã cấp",
    ),
    "request_supplement": (
        "Đề nghị bổ sung bản sao giấy chứng nhận kết hôn của cha, mẹ",
        "Đề nghị bổ sung văn bản đồng ý của chủ hộ",
        "Đề nghị bổ sung giấy tờ chứng minh chỗ ở hợp pháp",
        "Thông tin trên tờ khai không khớp với giấy tờ kèm theo, đề nghị bổ sung, giải trình",
    ),
    "apologise": (
        "Hồ sơ cần xác minh thêm thông tin tại cơ quan liên quan",
        "Cơ sở dữ liệu chuyên ngành gián đoạn, chưa thể tra cứu để giải quyết",
    ),
    "send_back": ("Dự thảo kết quả còn sai sót, đề nghị chỉnh sửa lại",),
    "reject": (
        "Không đủ điều kiện giải quyết theo quy định của pháp luật",
        "Người yêu cầu không thuộc đối tượng được giải quyết",
    ),
    "withdraw": ("Người nộp có đơn xin rút hồ sơ", "Người nộp không bổ sung hồ sơ, xin rút"),
    "stop": ("Người nộp đề nghị dừng giải quyết hồ sơ",),
}

#: Relative frequency of the starter procedures at a ward centre (others weigh 5).
PROCEDURE_WEIGHTS = {
    "2.000815": 30,  # chứng thực bản sao
    "2.000884": 10,  # chứng thực chữ ký
    "1.001193": 12,  # khai sinh
    "1.000894": 5,  # kết hôn
    "1.000656": 3,  # khai tử
    "1.004222": 8,  # thường trú
    "1.004194": 12,  # tạm trú
    "1.003677": 3,  # tạm vắng
    "1.001612": 7,  # hộ kinh doanh
    "2.000908": 10,  # bản sao từ sổ gốc
}
CHANNEL_SHARES = (("counter", 60), ("online", 30), ("postal", 10))
AGENCY_SHARES = (55, 45)  # first agency, second, then equal shares for any others
#: Intake outcome per channel: received, asked to complete (Mẫu 02), refused (Mẫu 03).
INTAKE = {"counter": (0.975, 0.02), "online": (0.88, 0.09), "postal": (0.94, 0.05)}


def copy_text(value: str) -> str:
    """``value`` escaped for PostgreSQL's COPY text format."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def jstr(value: str) -> str:
    """A JSON string literal, escaped for COPY."""
    return copy_text(json.dumps(value, ensure_ascii=False))


def phone(r) -> str:
    """A made-up mobile number (random digits; ``r`` is ``random.random``)."""
    return f"0{'35789'[int(r() * 5)]}{int(r() * 100_000_000):08d}"


def person(r) -> tuple[str, str, str, str, str]:
    """A made-up person: name, CCCD of valid form, birth date, phone, e-mail (or "")."""
    if not PROVINCES:
        from motcua.core.validators import CCCD_PROVINCES

        PROVINCES[:] = sorted(CCCD_PROVINCES)
    female = r() < 0.52
    middle, given = (MIDDLE_F, GIVEN_F) if female else (MIDDLE_M, GIVEN_M)
    name = (
        f"{FAMILY[int(r() * len(FAMILY))]} {middle[int(r() * len(middle))]} "
        f"{given[int(r() * len(given))]}"
    )
    year = 1950 + int(r() * 57)
    birth = f"{year}-{int(r() * 12) + 1:02d}-{int(r() * 28) + 1:02d}"
    province = PROVINCES[int(r() * len(PROVINCES))]
    century = (0 if year < 2000 else 2) + (1 if female else 0)  # Decree 137/2015 Art. 7
    cccd = f"{province}{century}{year % 100:02d}{int(r() * 1_000_000):06d}"
    email = ""
    if r() < 0.25:
        handle = name.split()[-1].lower().translate(FOLD)
        email = f"{handle}{int(r() * 9000) + 100}@example.com"
    return name, cccd, birth, phone(r), email


def address(r, place: str) -> str:
    return f"Số {int(r() * 300) + 1} {STREETS[int(r() * len(STREETS))]}, {place}"


PROVINCES: list[str] = []

# --- The world the dossiers live in ------------------------------------------------------------


@dataclass
class Staff:
    id: int
    name: str  # display name, escaped for COPY


@dataclass
class StepPlan:
    order: int
    name: str  # escaped for COPY
    name_json: str
    role: str
    unit_id: int
    agency_id: int
    budget: int  # working minutes
    staff: list[Staff]
    leader: bool


@dataclass
class OfferingPlan:
    id: int
    version_id: int
    case_id: int | None
    code: str
    weight: int
    restarts: bool  # supplement restarts the clock
    channels: dict  # channel -> (Limit, limit_value text, limit_unit, limit payload json)
    steps: list[StepPlan]
    components: list[tuple[int, str, int, int, bool]]  # spec id, name, originals, copies, req


@dataclass
class AgencyPlan:
    id: int
    identifier: str
    place: str  # ward name for addresses
    cal: object
    one_stop: int
    counters: list[int]
    reception: list[Staff]
    offerings: list[OfferingPlan]
    by_channel: dict = field(default_factory=dict)  # channel -> (cum weights, offerings)


def _display(user) -> str:
    return user.full_name or user.username


def _staff_for(unit, role, agency, minimum: int, rng: random.Random) -> list[Staff]:
    """The officers holding ``role`` in ``unit``; synthetic ones are added up to ``minimum``."""
    from django.contrib.auth import get_user_model

    from motcua.org.models import RoleAssignment

    user_model = get_user_model()
    rows = RoleAssignment.objects.filter(unit=unit, role=role).select_related("user")
    users = sorted({r.user for r in rows if r.user.is_active}, key=lambda u: u.pk)
    n = 0
    while len(users) < minimum:
        n += 1
        username = f"bench.{agency.pk}.{unit.code}.{role}.{n}"[:150]
        female = rng.random() < 0.5
        full_name = " ".join(
            (
                rng.choice(FAMILY),
                rng.choice(MIDDLE_F if female else MIDDLE_M),
                rng.choice(GIVEN_F if female else GIVEN_M),
            )
        )
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"full_name": full_name, "is_staff": True}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        RoleAssignment.objects.get_or_create(user=user, role=role, agency=agency, unit=unit)
        if user not in users:
            users.append(user)
    return [Staff(u.pk, copy_text(_display(u))) for u in users]


def build_world(rng: random.Random) -> list[AgencyPlan]:
    """Agencies offering procedures with an internal workflow, their staff and limits."""
    from decimal import Decimal

    from motcua.catalog.models import Channel, ChannelOption, Offering, ProcedureVersion
    from motcua.dossiers.clock import limit_for
    from motcua.org.models import Counter, Role, Unit
    from motcua.worktime.limits import Limit
    from motcua.worktime.queries import calendar_for

    offerings = (
        Offering.objects.filter(
            is_active=True,
            workflow__isnull=False,
            version__status=ProcedureVersion.Status.PUBLISHED,
        )
        .select_related("agency__division", "version__procedure", "workflow")
        .order_by("agency_id", "pk")
    )
    agencies: dict[int, AgencyPlan] = {}
    staff_cache: dict[tuple[int, str], list[Staff]] = {}
    for offering in offerings:
        agency = offering.agency
        plan = agencies.get(agency.pk)
        if plan is None:
            one_stop = Unit.objects.filter(agency=agency, kind=Unit.Kind.ONE_STOP).first()
            if one_stop is None:
                continue
            cal = calendar_for(agency.pk)
            place = copy_text(agency.division.name if agency.division else agency.short_name)
            plan = AgencyPlan(
                id=agency.pk,
                identifier=agency.identifier,
                place=place,
                cal=cal,
                one_stop=one_stop.pk,
                counters=list(
                    Counter.objects.filter(unit=one_stop, is_active=True).values_list(
                        "pk", flat=True
                    )
                ),
                reception=_staff_for(one_stop, Role.RECEPTION_OFFICER, agency, 4, rng),
                offerings=[],
            )
            staff_cache[(one_stop.pk, Role.RECEPTION_OFFICER)] = plan.reception
            agencies[agency.pk] = plan
        version = offering.version
        steps = []
        specs = list(offering.workflow.steps.select_related("owner_unit__agency").order_by("order"))
        if not specs or any(s.owner_unit is None for s in specs):
            continue  # interconnected steps at another agency are not simulated
        for spec in specs:
            key = (spec.owner_unit_id, spec.role)
            if key not in staff_cache:
                wanted = 2 if spec.role == Role.UNIT_LEADER else 4
                staff_cache[key] = _staff_for(spec.owner_unit, spec.role, agency, wanted, rng)
            per_unit = plan.cal.minutes_per_day if spec.budget_unit == "working_days" else 60
            steps.append(
                StepPlan(
                    order=spec.order,
                    name=copy_text(spec.name),
                    name_json=jstr(spec.name),
                    role=spec.role,
                    unit_id=spec.owner_unit_id,
                    agency_id=spec.owner_unit.agency_id,
                    budget=max(1, int(spec.budget_value * per_unit)),
                    staff=staff_cache[key],
                    leader=spec.role == Role.UNIT_LEADER,
                )
            )
        channels = {}
        postal = ChannelOption.objects.filter(version=version, channel=Channel.POSTAL).exists()
        for channel in ("counter", "online", "postal"):
            if channel == "online" and version.online_class == "none":
                continue
            if channel == "postal" and not postal:
                continue
            value, unit = limit_for(version, channel, offering)
            if not unit:
                continue
            value = None if value is None else Decimal(value).quantize(Decimal("0.01"))
            limit = Limit(value or 0, unit)
            payload = f"{value if value is not None else ''} {unit}".strip()
            channels[channel] = (limit, "\\N" if value is None else str(value), unit, jstr(payload))
        if "counter" not in channels:
            continue
        case = version.cases.order_by("order").first()
        components = []
        if case is not None:
            components = [
                (c.pk, copy_text(c.name), c.originals, c.copies, c.required)
                for c in case.components.order_by("order")
            ]
        plan.offerings.append(
            OfferingPlan(
                id=offering.pk,
                version_id=version.pk,
                case_id=case.pk if case else None,
                code=version.procedure.code,
                weight=PROCEDURE_WEIGHTS.get(version.procedure.code, 5),
                restarts=version.supplement_restarts_clock,
                channels=channels,
                steps=steps,
                components=components,
            )
        )
    world = [a for a in agencies.values() if a.offerings]
    for plan in world:
        for channel, _share in CHANNEL_SHARES:
            able = [o for o in plan.offerings if channel in o.channels]
            cum, total = [], 0
            for o in able:
                total += o.weight
                cum.append(total)
            plan.by_channel[channel] = (cum, able)
    return world


# --- The simulation -----------------------------------------------------------------------------


class _D:
    """One dossier's mutable state during its simulated life."""

    __slots__ = (
        "id", "sec", "state", "version", "events", "steps", "pauses", "step", "unit", "agency",
        "assignee", "due", "due0", "received", "apologised", "supplements", "late_by_rule",
        "result_count", "result_code", "decided", "signer", "finished", "timeliness",
        "returned", "returned_to", "method", "updated", "last",
    )  # fmt: skip


NULL = "\\N"
OPEN = ("received", "in_process", "supplement_requested", "awaiting_obligation")
# A step instance while simulating: [id, plan, start, start seconds, due, end, result, assignee]
S_ID, S_PLAN, S_START, S_SEC, S_DUE, S_END, S_RESULT, S_WHO = range(8)


def jstr_cached(staff: Staff) -> str:
    cached = _JSON_NAMES.get(staff.id)
    if cached is None:
        cached = _JSON_NAMES[staff.id] = json.dumps(staff.name, ensure_ascii=False)
    return cached


_JSON_NAMES: dict[int, str] = {}

# --- Intake instants ----------------------------------------------------------------------------


def intake_days(world: list[AgencyPlan], count: int, rng: random.Random, now: dt.datetime):
    """Working days of the last two years with their number of intakes (sums to ``count``)."""
    cal = world[0].cal
    today = now.astimezone(cal.tz).date()
    days = cal.working_days_in(today - dt.timedelta(days=SPAN_DAYS), today)
    weekday = {0: 1.25, 1: 1.1, 2: 1.0, 3: 1.0, 4: 0.85, 5: 0.6, 6: 0.4}
    weights = []
    for day in days:
        w = weekday[day.weekday()] * (0.8 + 0.4 * rng.random())
        if day.month == 1 or (day.month == 2 and day.day < 10):
            w *= 1.2  # before Tết
        weights.append(w)
    local_now = now.astimezone(cal.tz)
    windows = [(s.hour * 60 + s.minute, e.hour * 60 + e.minute) for s, e in cal.spec.windows]
    if days and days[-1] == today:  # today: only the working time already past
        done = sum(max(0, min(e, local_now.hour * 60 + local_now.minute) - s) for s, e in windows)
        weights[-1] *= done / max(1, sum(e - s for s, e in windows))
        if not done:
            days, weights = days[:-1], weights[:-1]
    total = sum(weights)
    exact = [count * w / total for w in weights]
    counts = [int(x) for x in exact]
    rest = count - sum(counts)
    for i in sorted(range(len(days)), key=lambda i: exact[i] - counts[i], reverse=True)[:rest]:
        counts[i] += 1
    return days, counts, windows, local_now


def _cumulative(weights) -> tuple[list[float], float]:
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)
    return cum, total


# --- Loading ------------------------------------------------------------------------------------
