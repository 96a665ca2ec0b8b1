"""Realistic dossiers for the benchmarks, bulk-loaded into PostgreSQL with COPY.

Fills a dedicated database (``motcua_bench`` unless ``--db-url`` says otherwise; created when
missing) with ``--count`` dossiers over the demo organisation and the starter catalogue
(``migrate``, ``import-divisions``, ``demo-org`` and ``demo-catalogue`` run first when needed;
extra synthetic officers are added so that every unit of every workflow has staff).

Each dossier lives a simulated life up to now: intake on a working day inside working hours
over the last two years (counter 60 %, online 30 %, postal 10 %); receipt with its code
(``<agency>-<YYMMDD>-<NNNN>``, per agency and receipt day, numbered in receipt order) and due
date from the working-time engine's integer API; transfer, the workflow's steps (step
instances with their own due dates), supplement requests with pauses, apologies, send-backs,
rejections, withdrawals, the result, its return and the archive. The event log holds every
action with the state before and after, the actor, the step and a payload shaped like the
handlers' (so the supervision work can rebuild statistics from it); event ids follow time.
Applicants are synthetic: names drawn from short lists, CCCD numbers of valid form (province,
century/sex digit, year of birth), phone numbers of random digits, e-mail at example.com.

Loading: one transaction that truncates the dossier tables, drops their secondary indexes,
streams rows with ``COPY … FREEZE`` from a second thread while this one simulates, skips the
foreign-key triggers (``session_replication_role = replica``; the generator writes consistent
keys, ``--verify`` checks them), rebuilds the indexes, sets the daily sequences and the id
sequences, and commits; then ``ANALYZE``. A failure rolls everything back.

Reuse: the database comment records what was generated (count, seed); a run asking for the
same count and seed reuses it unless ``--force``. The database is dropped at the end unless
``--keep`` (the benchmarks reuse a kept one). Bulk-loaded events bypass the in-transaction
event subscribers (notification outbox, supervision aggregates): ``--rebuild-stats`` runs
``motcua rebuild-stats`` afterwards.

    python bench/generate_dossiers.py [--count 1000000] [--seed 2026] [--db-url URL]
                                      [--batch 20000] [--force] [--verify] [--rebuild-stats]
                                      [--keep]
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import datetime as dt
import json
import os
import queue
import random
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PG_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench"
DEFAULT_COUNT = 1_000_000
SPAN_DAYS = 730  # two years of intake
MARKER = "motcua-bench-dossiers"
TABLES = (
    "dossiers_dossier",
    "dossiers_stepinstance",
    "dossiers_dossierevent",
    "dossiers_pause",
    "dossiers_receivedcomponent",
    "dossiers_dailysequence",
)

# --- Database and Django set-up (shared with the benchmarks) ---------------------------------


def machine_note() -> str:
    """Cores and load: other processes on the machine skew every figure."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"machine: {os.cpu_count()} cores, load average {load} (1, 5, 15 min) at start"


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def admin_connection(url: str):
    """An autocommit connection to the server's ``postgres`` database."""
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=5
    )


def ensure_database(url: str) -> bool:
    """Create the database of ``url`` if it does not exist; True when it was created."""
    from psycopg import sql

    name = database_name(url)
    with admin_connection(url) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def drop_database(url: str) -> None:
    from psycopg import sql

    with admin_connection(url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(database_name(url))
            )
        )


def dataset_info(url: str) -> dict | None:
    """What the generator recorded in the database comment, or None."""
    with admin_connection(url) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [database_name(url)],
        ).fetchone()
    if not row or not row[0]:
        return None
    try:
        info = json.loads(row[0])
    except ValueError:
        return None
    return info if isinstance(info, dict) and info.get("marker") == MARKER else None


def _record_info(conn, url: str, info: dict | None) -> None:
    from psycopg import sql

    text = json.dumps({"marker": MARKER, **info}) if info else None
    conn.execute(
        sql.SQL("COMMENT ON DATABASE {} IS {}").format(
            sql.Identifier(database_name(url)), sql.Literal(text)
        )
    )


def setup_django(url: str) -> None:
    """Point Django at ``url`` (development settings, no debug query log) and set it up."""
    done = getattr(setup_django, "url", None)
    if done is not None:
        if done != url:
            raise RuntimeError(f"Django is already set up on {done}, not {url}")
        return
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    os.environ["MOTCUA_ENV"] = "development"  # the demo commands refuse production
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    setup_django.url = url


def connection_url() -> str:
    """The URL of Django's default database (for the psycopg loading connection)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    auth = db.get("USER") or ""
    if db.get("PASSWORD"):
        auth += ":" + db["PASSWORD"]
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth + '@' if auth else ''}{host}:{port}/{db['NAME']}"


def prepare(out=print) -> None:
    """Schema, administrative divisions, demo organisation and starter catalogue."""
    from io import StringIO

    from django.conf import settings
    from django.core.management import call_command

    from motcua.catalog.models import Offering
    from motcua.org.models import Division

    start = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    done = ["migrate"]
    if not Division.objects.exists():
        call_command("import_divisions", stdout=StringIO(), stderr=StringIO())
        done.append("import-divisions")
    call_command("demo_org", password=settings.DEMO_PASSWORD, stdout=StringIO())
    done.append("demo-org")
    if not Offering.objects.filter(workflow__isnull=False).exists():
        call_command("demo_catalogue", stdout=StringIO())
        done.append("demo-catalogue")
    out(f"set-up: {', '.join(done)} in {time.perf_counter() - start:.1f} s")


# --- Synthetic people ------------------------------------------------------------------------


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


class Simulator:
    """Turns intake instants into dossier, step, pause, component and event rows (COPY text)."""

    def __init__(self, world: list[AgencyPlan], seed: int, now_minute: int) -> None:
        from django.conf import settings

        from motcua.worktime.limits import Limit

        self.world = world
        self.rng = random.Random(seed)
        self.now = now_minute
        self.pattern = settings.DOSSIER_CODE_PATTERN
        self.within = Limit(0, "within_day")
        cal = world[0].cal
        # The zone's offset now (the engine refuses zones whose offset changes in its range;
        # 1970 would not do: Saigon was UTC+8 then).
        self.off = int(cal.from_minute(now_minute).utcoffset().total_seconds()) // 60
        sign = "+" if self.off >= 0 else "-"
        self.tz = f"{sign}{abs(self.off) // 60:02d}:{abs(self.off) % 60:02d}"
        self.hm = [f"{m // 60:02d}:{m % 60:02d}" for m in range(1440)]
        self.secs = [f":{s:02d}+00" for s in range(60)]
        self.days: dict[int, str] = {}
        self.minutes: dict[int, str] = {}  # UTC minute -> "YYYY-MM-DD HH:MM"
        self.next_step = self.next_pause = self.next_component = self.next_event = 1
        self.sequences: dict[tuple[int, int], int] = {}
        self.buckets: dict[int, list] = {}
        self.counts = {"dossiers": 0, "steps": 0, "events": 0, "pauses": 0}
        self.cal = cal
        self.mpd = cal.minutes_per_day
        first = cal.spec.windows[0][0]
        self.first_window = first.hour * 60 + first.minute  # where a working day starts

    # -- text helpers ------------------------------------------------------------------------

    def _day(self, day: int) -> str:
        text = self.days.get(day)
        if text is None:
            text = self.days[day] = (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()
        return text

    def ts(self, minute: int, sec: int = 0) -> str:
        """COPY text of UTC minute ``minute`` (+ ``sec`` seconds)."""
        text = self.minutes.get(minute)
        if text is None:
            text = self.minutes[minute] = f"{self._day(minute // 1440)} {self.hm[minute % 1440]}"
        return text + self.secs[sec]

    def iso_local(self, minute: int) -> str:
        """ISO text of a whole-minute engine result in local time (what ``_iso`` writes)."""
        local = minute + self.off
        return f"{self._day(local // 1440)}T{self.hm[local % 1440]}:00{self.tz}"

    def iso_utc(self, minute: int, sec: int) -> str:
        """ISO text of a stored instant read back from the database (UTC)."""
        return f"{self._day(minute // 1440)}T{self.hm[minute % 1440]}:{sec:02d}+00:00"

    # -- applicants -------------------------------------------------------------------------

    def applicant(self, organisation: bool) -> tuple:
        r = self.rng.random
        if organisation:
            word = COMPANY_WORDS[int(r() * len(COMPANY_WORDS))]
            tax = "03" + str(int(r() * 10**8)).zfill(8)
            return "organisation", f"Công ty TNHH {word}", tax, NULL, self.phone(), ""
        return ("person", *person(r))

    def phone(self) -> str:
        return phone(self.rng.random)

    # -- what the handlers do -------------------------------------------------------------------

    @staticmethod
    def _ev(d: _D, t: int, action: str, to: str, actor, step, reason: str, payload: str) -> None:
        d.events.append((t, action, d.state, to, actor, step, reason, payload))
        d.state = to
        d.version += 1
        d.updated = d.last = t

    def _start_step(self, d: _D, plan: StepPlan, start: int, sec: int) -> list:
        """``handlers._start_step``: the step's due date counts its budget from ``start``."""
        step = [self.next_step, plan, start, sec, 0, None, "", None]
        step[S_DUE] = self.cal.add_working_minutes_minute(start, plan.budget)
        self.next_step += 1
        d.steps.append(step)
        d.step, d.unit, d.agency, d.assignee = step, plan.unit_id, plan.agency_id, None
        return step

    @staticmethod
    def _finish_step(d: _D, step: list, t: int) -> str:
        """``handlers._finish_step``: instants compared with their seconds."""
        due = step[S_DUE]
        step[S_END] = t
        if t > due or (t == due and d.sec > 0):
            step[S_RESULT] = "late"
        else:
            step[S_RESULT] = "on_time" if t == due else "early"
        return step[S_RESULT]

    @staticmethod
    def _end_processing(d: _D, t: int) -> str:
        """``handlers._end_processing`` with ``classify_finish`` (to the minute)."""
        if d.finished is None:
            d.finished = t
            if d.due is not None:
                if d.late_by_rule or t > d.due:
                    d.timeliness = "late"
                else:
                    d.timeliness = "on_time" if t == d.due else "early"
        return d.timeliness

    def _close(self, d: _D, t: int, a: AgencyPlan):
        """``handlers._close``: the open pause ends, the step finishes, processing ends."""
        for pause in d.pauses:
            if pause[3] is None:
                pause[3] = t
        step = d.step
        if step is not None:
            self._finish_step(d, step, t)
        timeliness = self._end_processing(d, t)
        d.step, d.unit, d.agency, d.assignee = None, a.one_stop, a.id, None
        return (step[S_ID] if step else None), timeliness

    def _archive(self, d: _D, t: int, officer: Staff, chance: float) -> None:
        r = self.rng.random
        if r() < chance:
            when = self.cal.add_working_minutes_minute(t, (5 + int(r() * 40)) * self.mpd)
            if when <= self.now:
                self._ev(d, when, "archive", "archived", officer, None, "", "{}")
                d.unit = d.agency = None

    def _reason(self, action: str) -> str:
        options = REASONS[action]
        return copy_text(options[int(self.rng.random() * len(options))])

    # -- one dossier's life ---------------------------------------------------------------------

    def life(
        self,
        d: _D,
        a: AgencyPlan,
        o: OfferingPlan,
        channel: str,
        t0: int,
        outcome: str,
        code: str,
        collector: str,
    ) -> None:
        """Simulate from intake to archive, stopping at now (the last event is the state)."""
        r = self.rng.random
        cal, now, mpd, ev = a.cal, self.now, self.mpd, self._ev
        add = cal.add_working_minutes_minute
        officer = a.reception[int(r() * len(a.reception))]
        limit, _value, _unit, limit_json = o.channels[channel]
        if outcome == "pending":
            return
        if outcome == "completion":  # Mẫu 02: every deficiency in one notice
            items = self.rng.sample(REASONS["deficiencies"], 1 + int(r() * 2))
            ev(
                d,
                t0,
                "request_completion",
                "needs_completion",
                officer,
                None,
                self._reason("request_completion"),
                '{"deficiencies": [' + ", ".join(jstr(x) for x in items) + "]}",
            )
            if r() < 0.15:
                t = add(t0, (3 + int(r() * 20)) * mpd)
                if t <= now:
                    _step, timeliness = self._close(d, t, a)
                    ev(
                        d,
                        t,
                        "withdraw",
                        "withdrawn",
                        officer,
                        None,
                        self._reason("withdraw"),
                        f'{{"timeliness": "{timeliness}"}}',
                    )
                    self._archive(d, t, officer, 0.5)
            return
        if outcome == "refuse":  # Mẫu 03
            ev(d, t0, "refuse", "refused", officer, None, self._reason("refuse"), "{}")
            self._archive(d, t0, officer, 0.6)
            return
        # Receipt (Mẫu 01): the code and the due date; the dossier sits at the one-stop unit.
        d.received = t0
        d.due = d.due0 = cal.due_minute(t0, limit)
        d.unit, d.agency = a.one_stop, a.id
        ev(
            d,
            t0,
            "receive",
            "received",
            officer,
            None,
            "",
            f'{{"code": "{code}", "due_at": "{self.iso_local(d.due)}", "limit": {limit_json}}}',
        )
        # Transfer: the first step starts at once, or the next working day after the cut-off.
        t = add(t0, 1 + int(r() * 45))
        if t > now:
            return
        receipt_end = cal.due_minute(t, self.within)
        receipt_day = (receipt_end + self.off) // 1440
        if receipt_day == (t + self.off) // 1440:
            start = t
        else:
            start = receipt_day * 1440 + self.first_window - self.off
        steps = o.steps
        step = self._start_step(d, steps[0], start, 0)
        ev(
            d,
            t,
            "transfer",
            "in_process",
            officer,
            step[S_ID],
            "",
            f'{{"step": {steps[0].name_json}, "starts_at": "{self.iso_local(start)}", '
            f'"step_due": "{self.iso_local(step[S_DUE])}"}}',
        )
        # The dossier's pace: most well inside the budgets (within-day procedures take minutes
        # to an hour or two), some slow, a few stuck for weeks.
        x = r()
        slow = 1.0 + r() * 1.6 if x < 0.04 else (4.0 + r() * 8.0 if x < 0.045 else 0.0)
        pace = 0.3 if limit.unit == "within_day" else 0.9
        leaving = r()  # < 0.004 withdrawn, < 0.007 stopped during the first step
        i, first = 0, True
        while True:
            plan = steps[i]
            who = plan.staff[int(r() * len(plan.staff))]
            work = max(1, int(plan.budget * ((r() ** 2) * pace + 0.03)))
            if first and slow:
                work = int(plan.budget * slow)
            begin = max(step[S_START], d.last)
            if first and not plan.leader and r() < 0.5:  # a specialist takes the dossier
                t = add(begin, 5 + int(r() * 55))
                if t > now:
                    return
                d.assignee = step[S_WHO] = who
                ev(
                    d,
                    t,
                    "assign",
                    "in_process",
                    who,
                    step[S_ID],
                    "",
                    f'{{"assignee": {who.id}, "assignee_name": {jstr_cached(who)}}}',
                )
                begin = t
            if first and leaving < 0.007:
                t = add(begin, int(work * r()) + 1)
                if t > now:
                    return
                action = "withdraw" if leaving < 0.004 else "stop"
                step_id, timeliness = self._close(d, t, a)
                ev(
                    d,
                    t,
                    action,
                    "withdrawn" if action == "withdraw" else "stopped",
                    officer,
                    step_id,
                    self._reason(action),
                    f'{{"timeliness": "{timeliness}"}}',
                )
                self._archive(d, t, officer, 0.6)
                return
            finish = add(begin, work)
            if first and r() < (0.05 if limit.unit != "within_day" else 0.01):
                # Supplement request: the clock pauses until the applicant answers.
                part = max(1, int(work * (0.2 + 0.5 * r())))
                t = add(begin, part)
                if t > now:
                    return
                d.supplements += 1
                reason = self._reason("request_supplement")
                pause = [self.next_pause, "supplement", t, None, reason]
                self.next_pause += 1
                d.pauses.append(pause)
                ev(
                    d,
                    t,
                    "request_supplement",
                    "supplement_requested",
                    who,
                    step[S_ID],
                    reason,
                    f'{{"request_no": {d.supplements}, "late_by_rule": false}}',
                )
                if r() < 0.12:  # never answered: withdrawn after weeks, or still waiting
                    t2 = add(t, (20 + int(r() * 40)) * mpd)
                    if t2 <= now:
                        step_id, timeliness = self._close(d, t2, a)
                        ev(
                            d,
                            t2,
                            "withdraw",
                            "withdrawn",
                            officer,
                            step_id,
                            copy_text(REASONS["withdraw"][1]),
                            f'{{"timeliness": "{timeliness}"}}',
                        )
                        self._archive(d, t2, officer, 0.6)
                    return
                wait = (1 + int(r() * 9)) * mpd + int(r() * mpd)
                t2 = add(t, wait)
                if t2 > now:
                    return
                pause[3] = t2
                # The paused working time is added back (or the clock restarts).
                d.due = cal.due_minute(t2, limit) if o.restarts else add(d.due, wait)
                step[S_DUE] = add(step[S_DUE], wait)
                ev(
                    d,
                    t2,
                    "receive_supplement",
                    "in_process",
                    officer,
                    step[S_ID],
                    "",
                    f'{{"due_at": "{self.iso_local(d.due)}", '
                    f'"paused_from": "{self.iso_utc(t, d.sec)}"}}',
                )
                finish = add(t2, max(1, work - part))
            elif first and slow and limit.unit == "working_days" and limit.whole >= 2:
                # Apology (Mẫu 04), once, no later than one working day before the due date.
                t = add(add(d.due, -mpd), -int(r() * 240))
                if r() < 0.45 and d.last <= t <= finish and t <= now:
                    new_due = add(d.due, (1 + int(r() * 5)) * mpd)
                    ev(
                        d,
                        t,
                        "apologise",
                        d.state,
                        who,
                        step[S_ID],
                        self._reason("apologise"),
                        f'{{"new_due_at": "{self.iso_local(new_due)}", '
                        f'"old_due_at": "{self.iso_utc(d.due, 0)}"}}',
                    )
                    d.due, d.apologised = new_due, True
            if finish > now:
                return
            if plan.leader:
                y = r()
                if y < 0.02 and first and i > 0:  # sent back to the previous step
                    self._finish_step(d, step, finish)
                    back = steps[i - 1]
                    step = self._start_step(d, back, finish, d.sec)
                    ev(
                        d,
                        finish,
                        "send_back",
                        "in_process",
                        who,
                        step[S_ID],
                        self._reason("send_back"),
                        f'{{"from_step": {plan.name_json}, "to_step": {back.name_json}}}',
                    )
                    i, first = i - 1, False
                    continue
                if y < 0.035:  # not eligible on the merits
                    step_id, timeliness = self._close(d, finish, a)
                    ev(
                        d,
                        finish,
                        "reject",
                        "not_eligible",
                        who,
                        step_id,
                        self._reason("reject"),
                        f'{{"timeliness": "{timeliness}"}}',
                    )
                    self._archive(d, finish, officer, 0.7)
                    return
            first = False
            payload = []
            if plan.leader or (i + 1 == len(steps) and not d.result_code):
                d.result_count += 1
                d.result_code = f"{code}-KQ{d.result_count}"
                d.decided = finish
                payload.append(f'"result_code": "{d.result_code}"')
                if plan.leader:
                    d.signer = who
            result = self._finish_step(d, step, finish)
            payload.append(f'"step": {plan.name_json}, "step_timeliness": "{result}"')
            action = "approve" if plan.leader else "complete_step"
            if i + 1 < len(steps):
                following = steps[i + 1]
                step = self._start_step(d, following, finish, d.sec)
                payload.append(
                    f'"next_step": {following.name_json}, '
                    f'"step_due": "{self.iso_local(step[S_DUE])}"'
                )
                ev(
                    d,
                    finish,
                    action,
                    "in_process",
                    who,
                    step[S_ID],
                    "",
                    "{" + ", ".join(payload) + "}",
                )
                i += 1
                continue
            payload.append(f'"timeliness": "{self._end_processing(d, finish)}"')
            d.step, d.unit, d.agency, d.assignee = None, a.one_stop, a.id, None
            ev(d, finish, action, "resolved", who, step[S_ID], "", "{" + ", ".join(payload) + "}")
            break
        # The result is handed over (a few are never collected), then archived.
        if r() < 0.02:
            return
        t = add(d.last, 10 + int(r() * 3 * mpd))
        if t > now:
            return
        d.returned, d.returned_to = t, collector
        ev(
            d,
            t,
            "return_result",
            "returned",
            officer,
            None,
            "",
            f'{{"method": "{d.method}", "returned_to": {jstr(collector)}, '
            f'"timeliness": "{d.timeliness}"}}',
        )
        d.unit = d.agency = None
        self._archive(d, t, officer, 0.8)

    def dossier(
        self,
        did: int,
        t0: int,
        a: AgencyPlan,
        o: OfferingPlan,
        channel: str,
        outcome: str,
        out: dict,
    ) -> None:
        """Simulate dossier ``did`` and append its rows to the ``out`` line lists."""
        r = self.rng.random
        self.cal, self.mpd = a.cal, a.cal.minutes_per_day
        d = _D()
        d.id, d.sec, d.state, d.version = did, int(r() * 60), "", 0
        d.events, d.steps, d.pauses = [], [], []
        d.step = d.unit = d.agency = d.assignee = d.due = d.due0 = d.received = None
        d.apologised = d.late_by_rule = False
        d.supplements = d.result_count = 0
        d.result_code = d.timeliness = d.returned_to = ""
        d.decided = d.signer = d.finished = d.returned = None
        organisation = o.code == "2.000884" and r() < 0.15
        kind, name, id_number, birth, phone, email = self.applicant(organisation)
        where = address(r, a.place)
        rep_name = rep_id = rep_phone = ""
        if kind == "person" and r() < 0.08:
            _k, rep_name, rep_id, _b, rep_phone, _e = self.applicant(False)
        if channel == "online":  # submitted at any hour; looked at within working hours
            delivery = "online" if r() < 0.4 else ("post" if r() < 0.15 else "counter")
            submitted = t0 - (5 + int(r() * 235) if r() < 0.6 else 240 + int(r() * 2600))
            creator = None
        else:  # entered and received by a reception officer
            delivery = (
                ("post" if r() < 0.8 else "counter")
                if channel == "postal"
                else ("post" if r() < 0.1 else "counter")
            )
            submitted = t0
            creator = a.reception[int(r() * len(a.reception))]
        d.method = delivery
        d.last = submitted
        self._ev(
            d, submitted, "submit", "submitted", creator, None, "", f'{{"channel": "{channel}"}}'
        )
        code = ""
        if outcome == "receive":  # numbered per agency and receipt day (after 15:00: next day)
            day = (a.cal.due_minute(t0, self.within) + self.off) // 1440
            key = (a.id, day)
            seq = self.sequences[key] = self.sequences.get(key, 0) + 1
            code = self.pattern.format(
                agency=a.identifier, date=dt.date(1970, 1, 1) + dt.timedelta(days=day), seq=seq
            )
        self.life(d, a, o, channel, t0, outcome, code, rep_name or name)
        _limit, limit_value, limit_unit, _payload = o.channels[channel]
        ts, sec = self.ts, d.sec

        def at(minute):
            return NULL if minute is None else ts(minute, sec)

        def whole(minute):
            return NULL if minute is None else ts(minute)

        counter = NULL
        if channel == "counter" and a.counters:
            counter = a.counters[int(r() * len(a.counters))]
        reference = f"HS{(did * 0x9E3779B97 + 0x5DEECE66D) % (1 << 40):010X}"
        returned = d.returned is not None
        out["dossiers"].append(
            f"{did}\t{code or NULL}\t{reference}\t{NULL}\t{d.version}\t{channel}\t{kind}\t"
            f"{name}\t{id_number}\t{birth}\t{phone}\t{email}\t{where}\t{rep_name}\t{rep_id}\t"
            f"{rep_phone}\t{delivery}\t1\tnone\t{NULL}\t{limit_value}\t{limit_unit}\t"
            f"{ts(submitted, sec)}\t{at(d.received)}\t{whole(d.due)}\t{whole(d.due0)}\t"
            f"{d.state}\t{'t' if d.apologised else 'f'}\t{d.supplements}\t"
            f"{'t' if d.late_by_rule else 'f'}\t{d.result_count}\t{d.result_code}\t"
            f"{at(d.decided)}\t{at(d.finished)}\t{d.timeliness}\t{at(d.returned)}\t"
            f"{d.returned_to if returned else ''}\t{d.method if returned else ''}\t"
            f"{ts(d.updated, sec)}\t{d.assignee.id if d.assignee else NULL}\t"
            f"{o.case_id or NULL}\t{a.id}\t{counter}\t{creator.id if creator else NULL}\t"
            f"{d.agency or NULL}\t{d.unit or NULL}\t{o.id}\t{o.version_id}\t{a.id}\t"
            f"{a.one_stop}\t{d.signer.id if d.signer else NULL}\t"
            f"{d.step[S_ID] if d.step else NULL}\n"
        )
        lines = out["steps"]
        for sid, plan, start, start_sec, due, end, result, who in d.steps:
            lines.append(
                f"{sid}\t{plan.order}\t{plan.name}\t{plan.role}\t{ts(start, start_sec)}\t"
                f"{ts(due)}\t{at(end)}\t{result}\t{who.id if who else NULL}\t{did}\t"
                f"{plan.agency_id}\t{plan.unit_id}\n"
            )
        for pid, kind_, start, end, reason in d.pauses:
            out["pauses"].append(f"{pid}\t{kind_}\t{ts(start, sec)}\t{at(end)}\t{reason}\t{did}\n")
        lines = out["components"]
        for spec_id, component, originals, copies, required in o.components:
            if required or r() < 0.3:
                lines.append(
                    f"{self.next_component}\t{component}\t{originals}\t{copies}\t{did}\t{spec_id}\n"
                )
                self.next_component += 1
        buckets = self.buckets
        for seq, (t, action, frm, to, actor, step, reason, payload) in enumerate(d.events, 1):
            tail = (
                f"{seq}\t{ts(t, sec)}\t{actor.name if actor else ''}\t{action}\t{frm}\t{to}\t"
                f"{reason}\t{payload}\t{actor.id if actor else NULL}\t{did}\t"
                f"{NULL if step is None else step}\n"
            )
            entry = (((t * 60 + sec) << 30) | (did << 6) | seq, tail)
            bucket = buckets.get(t // 1440)
            if bucket is None:
                buckets[t // 1440] = [entry]
            else:
                bucket.append(entry)
        counts = self.counts
        counts["dossiers"] += 1
        counts["steps"] += len(d.steps)
        counts["pauses"] += len(d.pauses)
        counts["events"] += len(d.events)

    def flush_events(self, before_day: int | None) -> list[str]:
        """Event lines of the days before ``before_day`` (all if None), ids in time order."""
        lines = []
        for day in sorted(b for b in self.buckets if before_day is None or b < before_day):
            entries = self.buckets.pop(day)
            entries.sort()
            first = self.next_event
            lines.extend(f"{first + i}\t{tail}" for i, (_key, tail) in enumerate(entries))
            self.next_event += len(entries)
        return lines


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

COLUMNS = {
    "dossiers_dossier": (
        "id, code, reference, idempotency_key, version, channel, applicant_kind, applicant_name, "
        "applicant_id_number, applicant_birth_date, applicant_phone, applicant_email, "
        "applicant_address, representative_name, representative_id_number, "
        "representative_phone, result_delivery, sets, fee_status, fee_amount, limit_value, "
        "limit_unit, submitted_at, received_at, due_at, original_due_at, state, apologised, "
        "supplement_requests, late_by_rule, result_count, result_code, decided_at, finished_at, "
        "timeliness, returned_at, returned_to, return_method, updated_at, assignee_id, case_id, "
        "competent_agency_id, counter_id, created_by_id, current_agency_id, current_unit_id, "
        "offering_id, procedure_version_id, receiving_agency_id, receiving_unit_id, signer_id, "
        "current_step_id"
    ),
    "dossiers_stepinstance": (
        'id, "order", name, role, started_at, due_at, finished_at, timeliness, assignee_id, '
        "dossier_id, owner_agency_id, owner_unit_id"
    ),
    "dossiers_dossierevent": (
        "id, seq, at, actor_name, action, from_state, to_state, reason, payload, actor_id, "
        "dossier_id, step_id"
    ),
    "dossiers_pause": "id, kind, started_at, ended_at, reason, dossier_id",
    "dossiers_receivedcomponent": "id, name, originals, copies, dossier_id, spec_id",
    "dossiers_dailysequence": "id, day, last, agency_id",
}


class Loader:
    """Streams COPY data from a queue on its own thread (one connection, one transaction)."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.queue: queue.Queue = queue.Queue(maxsize=6)
        self.error: BaseException | None = None
        self.rows = dict.fromkeys(COLUMNS, 0)
        self.busy = dict.fromkeys(COLUMNS, 0.0)  # seconds inside COPY, per table
        self.blocked = 0.0  # seconds the producer waited for room in the queue
        self.thread = threading.Thread(target=self._run, name="copy", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            with self.conn.cursor() as cur:
                while True:
                    item = self.queue.get()
                    if item is None:
                        return
                    table, data, count = item
                    start = time.perf_counter()
                    statement = f"COPY {table} ({COLUMNS[table]}) FROM STDIN WITH (FREEZE)"
                    with cur.copy(statement) as copy:
                        copy.write(data)
                    self.busy[table] += time.perf_counter() - start
                    self.rows[table] += count
        except BaseException as exc:  # reported by put()/close() on the main thread
            self.error = exc
            while self.queue.get() is not None:  # keep the producer from blocking
                pass

    def put(self, table: str, lines: list[str]) -> None:
        if self.error:
            raise RuntimeError(f"COPY into {table} failed") from self.error
        if lines:
            data = "".join(lines).encode()
            start = time.perf_counter()
            self.queue.put((table, data, len(lines)))
            self.blocked += time.perf_counter() - start

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error:
            raise RuntimeError("COPY failed") from self.error


def _secondary_indexes(cur, tables) -> list[tuple[str, str, str, str | None]]:
    """(table, index, CREATE statement, constraint name or None) of the non-primary indexes."""
    cur.execute(
        """
        SELECT t.relname, i.relname, pg_get_indexdef(i.oid), c.conname,
               pg_get_constraintdef(c.oid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
        LEFT JOIN pg_constraint c ON c.conindid = i.oid AND c.contype IN ('u', 'x')
        WHERE t.relname = ANY(%s) AND NOT x.indisprimary
        ORDER BY t.relname, i.relname
        """,
        [list(tables)],
    )
    result = []
    for table, index, definition, constraint, constraint_def in cur.fetchall():
        if constraint:
            definition = f'ALTER TABLE "{table}" ADD CONSTRAINT "{constraint}" {constraint_def}'
        result.append((table, index, definition, constraint))
    return result


def _superuser(cur) -> bool:
    cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    row = cur.fetchone()
    return bool(row and row[0])


def verify(conn, out=print) -> int:
    """Check every foreign key of the loaded tables with an anti-join; returns the failures."""
    failures = 0
    with conn.cursor() as cur:
        cur.execute(
            """
            SELECT c.conname, t.relname, a.attname, rt.relname, ra.attname
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            JOIN pg_class rt ON rt.oid = c.confrelid
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
            WHERE c.contype = 'f' AND t.relname = ANY(%s) AND cardinality(c.conkey) = 1
            """,
            [list(TABLES)],
        )
        for name, table, column, ref_table, ref_column in cur.fetchall():
            cur.execute(
                f'SELECT count(*) FROM "{table}" x WHERE x."{column}" IS NOT NULL AND NOT EXISTS '
                f'(SELECT 1 FROM "{ref_table}" y WHERE y."{ref_column}" = x."{column}")'
            )
            bad = cur.fetchone()[0]
            if bad:
                failures += 1
                out(f"  foreign key {name}: {bad:,} rows of {table} point nowhere")
        checks = {
            "codes unique per agency and day, numbered 1…N": """
                SELECT count(*) FROM (
                  SELECT receiving_agency_id, split_part(code, '-', 2) AS day, count(*) AS n,
                         max(split_part(code, '-', 3)::int) AS top
                  FROM dossiers_dossier WHERE code IS NOT NULL
                  GROUP BY 1, 2) s WHERE n <> top""",
            "daily sequences match the codes": """
                SELECT count(*) FROM dossiers_dailysequence s FULL JOIN (
                  SELECT receiving_agency_id AS agency_id, count(*) AS n,
                         to_date(split_part(code, '-', 2), 'YYMMDD') AS day
                  FROM dossiers_dossier WHERE code IS NOT NULL GROUP BY 1, 3) c
                USING (agency_id, day) WHERE s.last IS DISTINCT FROM c.n""",
            "event states chain (each from_state is the previous to_state)": """
                SELECT count(*) FROM (
                  SELECT from_state, lag(to_state) OVER (PARTITION BY dossier_id ORDER BY seq)
                         AS previous
                  FROM dossiers_dossierevent) e
                WHERE previous IS NOT NULL AND from_state <> previous""",
            "last event state is the dossier state": """
                SELECT count(*) FROM dossiers_dossier d JOIN LATERAL (
                  SELECT to_state FROM dossiers_dossierevent e WHERE e.dossier_id = d.id
                  ORDER BY seq DESC LIMIT 1) e ON true
                WHERE e.to_state <> d.state""",
            "events in time order within a dossier": """
                SELECT count(*) FROM (
                  SELECT at, lag(at) OVER (PARTITION BY dossier_id ORDER BY seq) AS previous
                  FROM dossiers_dossierevent) e WHERE at < previous""",
            "dossier version = number of events = last seq": """
                SELECT count(*) FROM dossiers_dossier d LEFT JOIN (
                  SELECT dossier_id, count(*) AS n, max(seq) AS top
                  FROM dossiers_dossierevent GROUP BY 1) e ON e.dossier_id = d.id
                WHERE e.n IS NULL OR d.version <> e.n OR e.n <> e.top""",
            "current step belongs to the dossier, open dossiers sit in a unit": """
                SELECT (SELECT count(*) FROM dossiers_dossier d
                        JOIN dossiers_stepinstance s ON s.id = d.current_step_id
                        WHERE s.dossier_id <> d.id)
                     + (SELECT count(*) FROM dossiers_dossier
                        WHERE state IN ('received', 'in_process', 'supplement_requested')
                          AND current_unit_id IS NULL)""",
            "event ids follow time": """
                SELECT count(*) FROM (
                  SELECT at, lag(at) OVER (ORDER BY id) AS previous
                  FROM dossiers_dossierevent) e WHERE at < previous""",
        }
        for label, query in checks.items():
            cur.execute(query)
            bad = cur.fetchone()[0]
            failures += bool(bad)
            out(f"  {label}: {'ok' if not bad else f'{bad:,} failures'}")
    return failures


def summary(conn, out=print) -> None:
    with conn.cursor() as cur:
        cur.execute("SELECT state, count(*) FROM dossiers_dossier GROUP BY 1 ORDER BY 2 DESC")
        out("  states: " + ", ".join(f"{s} {n:,}" for s, n in cur.fetchall()))
        cur.execute("SELECT channel, count(*) FROM dossiers_dossier GROUP BY 1 ORDER BY 2 DESC")
        out("  channels: " + ", ".join(f"{s} {n:,}" for s, n in cur.fetchall()))
        cur.execute(
            "SELECT count(*) FILTER (WHERE due_at < now()), count(*), "
            "count(*) FILTER (WHERE apologised) FROM dossiers_dossier WHERE state = ANY(%s)",
            [list(OPEN)],
        )
        overdue, open_, apologised = cur.fetchone()
        out(f"  open: {open_:,} ({overdue:,} overdue, {apologised:,} apologised)")
        cur.execute(
            "SELECT timeliness, count(*) FROM dossiers_dossier WHERE timeliness <> '' "
            "GROUP BY 1 ORDER BY 1"
        )
        out(
            "  timeliness at the end of processing: "
            + ", ".join(f"{s} {n:,}" for s, n in cur.fetchall())
        )
        cur.execute("SELECT action, count(*) FROM dossiers_dossierevent GROUP BY 1 ORDER BY 2 DESC")
        out("  events: " + ", ".join(f"{a} {n:,}" for a, n in cur.fetchall()))


def generate(
    url: str, count: int, seed: int, *, batch: int = 20_000, out=print, check: bool = False
) -> dict:
    """Replace the dossiers of the database at ``url`` by ``count`` generated ones."""
    import psycopg
    from django.utils import timezone

    rng = random.Random(seed)
    world = build_world(rng)
    if not world:
        raise RuntimeError("no agency offers a procedure with an internal workflow")
    now = timezone.now()
    cal0 = world[0].cal
    sim = Simulator(world, seed, cal0.to_minute(now))
    days, per_day, windows, local_now = intake_days(world, count, rng, now)
    out(
        f"world: {len(world)} agencies ({', '.join(a.identifier for a in world)}), "
        f"{sum(len(a.offerings) for a in world)} offerings; {len(days)} working days from "
        f"{days[0]} to {days[-1]}; now {local_now:%Y-%m-%d %H:%M}"
    )
    agency_weights = [AGENCY_SHARES[i] if i < len(AGENCY_SHARES) else 50 for i in range(len(world))]
    agency_cum, agency_total = _cumulative(agency_weights)
    channel_cum, channel_total = _cumulative(w for _c, w in CHANNEL_SHARES)
    channels = [c for c, _w in CHANNEL_SHARES]
    # Minutes of the working windows, the morning weighing more.
    minutes, minute_weights = [], []
    for n, (s, e) in enumerate(windows):
        for m in range(s, e):
            minutes.append(m)
            minute_weights.append(1.3 if n == 0 else 1.0)
    minute_cum, minute_total = _cumulative(minute_weights)
    r = rng.random

    conn = psycopg.connect(url, autocommit=False)
    notices = []
    conn.add_notice_handler(lambda d: notices.append(d.message_primary))
    timings = {}
    started = time.perf_counter()
    with conn.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute("SET work_mem = '256MB'")
        replica = _superuser(cur)
        if replica:
            cur.execute("SET session_replication_role = replica")
        else:
            out("warning: not a superuser; foreign-key triggers stay on (slower)")
        cur.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
        for notice in notices:
            out(f"  {notice}")
        indexes = _secondary_indexes(cur, TABLES)
        for table, index, _definition, constraint in indexes:
            if constraint:
                cur.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{constraint}"')
            else:
                cur.execute(f'DROP INDEX "{index}"')
    loader = Loader(conn)
    out(
        f"generating {count:,} dossiers (seed {seed}, batches of {batch:,}); "
        f"{len(indexes)} secondary indexes dropped for the load"
    )
    buffers = {k: [] for k in ("dossiers", "steps", "pauses", "components")}
    tables = {
        "dossiers": "dossiers_dossier",
        "steps": "dossiers_stepinstance",
        "pauses": "dossiers_pause",
        "components": "dossiers_receivedcomponent",
    }
    did = 0
    report_every = max(batch, count // 10)
    next_report = report_every
    pending_events: list[str] = []
    try:
        for day, n in zip(days, per_day, strict=True):
            if not n:
                continue
            base = day.toordinal() - dt.date(1970, 1, 1).toordinal()
            limit_minute = None
            if day == local_now.date():
                limit_minute = local_now.hour * 60 + local_now.minute
            picks = []
            for _ in range(n):
                m = minutes[bisect.bisect(minute_cum, r() * minute_total)]
                if limit_minute is not None and m >= limit_minute:
                    m = minutes[int(r() * max(1, bisect.bisect(minutes, limit_minute - 1)))]
                picks.append(m)
            picks.sort()
            for m in picks:
                did += 1
                a = world[bisect.bisect(agency_cum, r() * agency_total)]
                channel = channels[bisect.bisect(channel_cum, r() * channel_total)]
                cum, able = a.by_channel[channel]
                if not able:
                    channel = "counter"
                    cum, able = a.by_channel[channel]
                o = able[bisect.bisect(cum, r() * cum[-1])]
                t0 = base * 1440 + m - sim.off
                p_receive, p_complete = INTAKE[channel]
                y = r()
                if y < p_receive:
                    outcome = "receive"
                    if channel == "online" and sim.now - t0 < 240 and r() < 0.5:
                        outcome = "pending"  # not yet looked at by the reception officer
                elif y < p_receive + p_complete:
                    outcome = "completion"
                else:
                    outcome = "refuse"
                sim.dossier(did, t0, a, o, channel, outcome, buffers)
                if len(buffers["dossiers"]) >= batch:
                    for key, lines in buffers.items():
                        loader.put(tables[key], lines)
                        buffers[key] = []
                if did >= next_report:
                    next_report += report_every
                    elapsed = time.perf_counter() - started
                    out(
                        f"  {did:,} / {count:,} dossiers, {sim.counts['events']:,} events, "
                        f"{elapsed:.0f} s, {did / elapsed:,.0f} dossiers/s"
                    )
            # Events more than three days old are final: no later intake can precede them.
            pending_events += sim.flush_events(base - 3)
            if len(pending_events) >= batch * 8:
                loader.put("dossiers_dossierevent", pending_events)
                pending_events = []
        for key, lines in buffers.items():
            loader.put(tables[key], lines)
        pending_events += sim.flush_events(None)
        loader.put("dossiers_dossierevent", pending_events)
        sequences = [
            f"{i}\t{(dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()}\t{last}\t{agency}\n"
            for i, ((agency, day), last) in enumerate(sorted(sim.sequences.items()), 1)
        ]
        loader.put("dossiers_dailysequence", sequences)
        loader.close()
        timings["generate and copy"] = time.perf_counter() - started
        out(
            f"copied {sum(loader.rows.values()):,} rows in {timings['generate and copy']:.1f} s: "
            + ", ".join(f"{t.removeprefix('dossiers_')} {n:,}" for t, n in loader.rows.items())
        )
        out(
            f"  COPY busy {sum(loader.busy.values()):.1f} s ("
            + ", ".join(f"{t.removeprefix('dossiers_')} {n:.1f}" for t, n in loader.busy.items())
            + f"); the generator waited {loader.blocked:.1f} s for the COPY thread"
        )
        start = time.perf_counter()
        with conn.cursor() as cur:
            spent = []
            for _table, index, definition, _constraint in indexes:
                began = time.perf_counter()
                cur.execute(definition)
                spent.append((time.perf_counter() - began, index))
            timings["indexes"] = time.perf_counter() - start
            slowest = ", ".join(f"{name} {sec:.1f}" for sec, name in sorted(spent)[::-1][:4])
            out(
                f"rebuilt {len(indexes)} indexes in {timings['indexes']:.1f} s "
                f"(slowest: {slowest} s)"
            )
            for table in TABLES:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
                )
            if replica:
                cur.execute("SET session_replication_role = origin")
        conn.commit()
    except BaseException:
        loader.queue.put(None)
        with contextlib.suppress(psycopg.Error):  # the connection may be gone (database dropped)
            conn.rollback()
        conn.close()
        raise
    conn.autocommit = True
    start = time.perf_counter()
    with conn.cursor() as cur:
        for table in TABLES:
            cur.execute(f"ANALYZE {table}")
    timings["analyze"] = time.perf_counter() - start
    total = time.perf_counter() - started
    rows = sum(loader.rows.values())
    out(f"analyze: {timings['analyze']:.1f} s")
    out(
        f"generation: {count:,} dossiers, {rows:,} rows in {total:.1f} s: "
        f"{count / total:,.0f} dossiers/s, {rows / total:,.0f} rows/s "
        f"(goal: 1,000,000 dossiers ≤ 300 s)"
    )
    summary(conn, out)
    if check:
        start = time.perf_counter()
        out("verification:")
        failures = verify(conn, out)
        out(f"  {failures} failing checks ({time.perf_counter() - start:.1f} s)")
    info = {
        "count": count,
        "seed": seed,
        "generated_at": now.isoformat(timespec="seconds"),
        "rows": rows,
        "seconds": round(total, 1),
    }
    conn.close()
    with admin_connection(url) as admin:
        _record_info(admin, url, info)
    return {**info, "timings": timings, "rows_by_table": loader.rows}


def delete_dossiers(conn, where: str, params=()) -> int:
    """Delete the dossiers matching ``where`` with everything that points at them (rows of
    other apps too, e.g. notification outbox messages); returns how many. One transaction."""
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(
            f"CREATE TEMP TABLE bench_gone ON COMMIT DROP AS "
            f"SELECT id FROM dossiers_dossier WHERE {where}",
            params,
        )
        cur.execute("SELECT count(*) FROM bench_gone")
        count = cur.fetchone()[0]
        if not count:
            return 0
        owned = {t: "dossier_id" for t in TABLES if t not in ("dossiers_dossier",)}
        owned["dossiers_dossier"] = "id"
        cur.execute(
            """
            SELECT t.relname, a.attname, rt.relname
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            JOIN pg_class rt ON rt.oid = c.confrelid
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND rt.relname = ANY(%s) AND NOT t.relname = ANY(%s)
            """,
            [list(owned), list(TABLES)],
        )
        for table, column, target in cur.fetchall():
            cur.execute(
                f'DELETE FROM "{table}" WHERE "{column}" IN (SELECT id FROM "{target}" '
                f'WHERE "{owned[target]}" IN (SELECT id FROM bench_gone))'
            )
        cur.execute(
            "UPDATE dossiers_dossier SET current_step_id = NULL "
            "WHERE id IN (SELECT id FROM bench_gone)"
        )
        for table in (
            "dossiers_dossierevent",
            "dossiers_receivedcomponent",
            "dossiers_pause",
            "dossiers_stepinstance",
        ):
            cur.execute(f"DELETE FROM {table} WHERE dossier_id IN (SELECT id FROM bench_gone)")
        cur.execute("DELETE FROM dossiers_dossier WHERE id IN (SELECT id FROM bench_gone)")
    return count


def rebuild_stats(run: bool, out=print) -> None:
    """The bulk load bypasses the in-transaction event subscribers (notifications, supervision
    aggregates): derived tables must be rebuilt from the event log."""
    from django.core.management import call_command, get_commands

    if "rebuild_stats" not in get_commands():
        return
    if not run:
        out("note: supervision aggregates do not include the generated events; run "
            "`motcua rebuild-stats` (or this script with --rebuild-stats)")  # fmt: skip
        return
    start = time.perf_counter()
    call_command("rebuild_stats", verbosity=0, stdout=sys.stdout)
    out(f"rebuild-stats: {time.perf_counter() - start:.1f} s")


def dossier_count() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM dossiers_dossier")
        return cursor.fetchone()[0]


def ensure_dataset(
    url: str = PG_URL,
    count: int | None = None,
    seed: int = 2026,
    *,
    default: int = 100_000,
    force: bool = False,
    batch: int = 20_000,
    check: bool = False,
    out=print,
) -> dict:
    """Make sure ``url`` holds a generated data set and Django points at it.

    ``count`` None: whatever data set is there (``default`` dossiers when there is none);
    otherwise exactly ``count`` (regenerated when different). Returns the recorded info.
    """
    created = ensure_database(url)
    setup_django(url)
    info = None if created else dataset_info(url)
    wanted = count if count is not None else (info or {}).get("count", default)
    if (
        info
        and not force
        and info.get("count") == wanted
        and (count is None or info.get("seed") == seed)
        and dossier_count() >= wanted
    ):
        out(
            f"data set: reusing {database_name(url)} ({info['count']:,} dossiers, seed "
            f"{info['seed']}, generated {info.get('generated_at', '?')})"
        )
        prepare(out)  # migrations that arrived since, demo accounts
        return info
    prepare(out)
    return generate(url, wanted, seed, batch=batch, out=out, check=check)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db-url", default=PG_URL, help=f"PostgreSQL database (default {PG_URL})")
    parser.add_argument("--batch", type=int, default=20_000, help="dossiers per COPY batch")
    parser.add_argument("--force", action="store_true", help="regenerate even if it matches")
    parser.add_argument("--verify", action="store_true", help="check keys, codes and events")
    parser.add_argument(
        "--rebuild-stats",
        action="store_true",
        help="then run `motcua rebuild-stats` (supervision aggregates), if the command exists",
    )
    parser.add_argument(
        "--keep", action="store_true", help="leave the database in place (default: drop it)"
    )
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be positive")
    try:
        created = ensure_database(args.db_url)
    except Exception as exc:  # noqa: BLE001 — report and stop, as a benchmark does
        print(f"PostgreSQL is not reachable at {args.db_url}: {exc}")
        print("start it with scripts/ensure-postgres.sh")
        raise SystemExit(1) from exc
    print(f"database: {database_name(args.db_url)}{' (created)' if created else ''}")
    print(machine_note())
    try:
        info = ensure_dataset(
            args.db_url,
            args.count,
            args.seed,
            force=args.force,
            batch=args.batch,
            check=args.verify,
        )
        rebuild_stats(args.rebuild_stats)
        if args.verify and "timings" not in info:
            import psycopg

            with psycopg.connect(args.db_url, autocommit=True) as conn:
                summary(conn)
                print("verification:")
                print(f"  {verify(conn)} failing checks")
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(args.db_url)
            print(f"dropped {database_name(args.db_url)} (--keep leaves it for the benchmarks)")


if __name__ == "__main__":
    main()
