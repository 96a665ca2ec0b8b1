"""A few dozen dossiers with varied journeys, all through the real services."""

import datetime as dt

from motcua.dossiers.models import Dossier
from motcua.postal.services import Handover, return_by_post
from motcua.ratings import services as ratings
from motcua.ratings.tokens import rating_token
from tests.dossiers.conftest import at

H = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
#: Working days of March 2026 the dossiers are received on.
DAYS = ["02", "03", "04", "05", "06", "09", "10", "11", "12", "13", "16", "17"]
CHANNELS = ["counter", "online", "postal"]


def rate(d, when, overall):
    """The citizen rates the dossier by the link sent with the result."""
    via = ratings.ByLink(d.code, rating_token(d))
    ratings.submit_rating(via, {"overall": overall}, now=when)
    return d


def early(d, drv, t):
    d = drv.resolve(d, t, t + 3 * H)
    method = "online" if d.channel == "online" else "counter"
    d = drv.act(d, "return_result", t + 4 * H, method=method)
    return rate(d, t + 5 * H, 5)


def late(d, drv, t):
    return drv.resolve(d, t, d.due_at + DAY)


def on_time_after_supplement(d, drv, t):
    d = drv.act(d, "transfer", t + 10 * dt.timedelta(minutes=1))
    d = drv.act(d, "request_supplement", t + H)
    d = drv.act(d, "receive_supplement", t + DAY)
    d = drv.act(d, "complete_step", t + DAY + H)
    d = drv.act(d, "approve", t + DAY + 2 * H)
    d = drv.act(d, "complete_step", d.due_at)
    when = d.due_at + H
    d, _row = return_by_post(
        d, drv.actor(d, "return_result"), Handover("vnpost", "EE123456789VN", when), now=when
    )
    return rate(d, d.due_at + 2 * H, 2)


def rejected(d, drv, t):
    d = drv.act(d, "transfer", t + 0.2 * H)
    d = drv.act(d, "complete_step", t + H)
    return drv.act(d, "reject", t + 2 * H)


def stopped(d, drv, t):
    d = drv.act(d, "transfer", t + 0.2 * H)
    return drv.act(d, "stop", t + 2 * H)


def withdrawn(d, drv, t):
    d = drv.act(d, "transfer", t + 0.2 * H)
    return drv.act(d, "withdraw", t + 3 * H)


def apologised(d, drv, t):
    original = d.due_at
    d = drv.act(d, "transfer", t + 0.2 * H)
    d = drv.act(d, "apologise", t + H, new_due_at=original + 3 * DAY)
    return drv.resolve_from_step_one(d, t + 2 * H, original + DAY)


def second_supplement(d, drv, t):
    d = drv.act(d, "transfer", t + 0.2 * H)
    d = drv.act(d, "request_supplement", t + H)
    d = drv.act(d, "receive_supplement", t + 2 * H)
    d = drv.act(d, "request_supplement", t + 3 * H, override=True)
    d = drv.act(d, "receive_supplement", t + 4 * H)
    d = drv.act(d, "complete_step", t + 5 * H)
    d = drv.act(d, "approve", t + 6 * H)
    return drv.act(d, "complete_step", t + DAY)


def open_in_process(d, drv, t):
    return drv.act(d, "transfer", t + 0.2 * H)


def open_paused(d, drv, t):
    d = drv.act(d, "transfer", t + 0.2 * H)
    return drv.act(d, "request_supplement", t + 2 * H)


JOURNEYS = [
    early,
    late,
    on_time_after_supplement,
    rejected,
    stopped,
    withdrawn,
    apologised,
    second_supplement,
    open_in_process,
    open_paused,
]


def populate(driver, offerings, count=36):
    """``count`` received dossiers plus intake refusals and withdrawals before receipt."""
    dossiers = []
    for i in range(count):
        when = at(f"2026-03-{DAYS[i % len(DAYS)]} 08:00") + (i % 5) * H
        offering = offerings[i % len(offerings)]
        d = driver.create(when, channel=CHANNELS[i % 3], offering=offering)
        if i % 4 == 1:
            Dossier.objects.filter(pk=d.pk).update(fee_amount=50_000 * (1 + i % 3))
        d = driver.act(
            d, "receive", when, digitised_components=2 * (i % 2), reused_components=i % 3 // 2
        )
        dossiers.append(JOURNEYS[i % len(JOURNEYS)](d, driver, when))
    for i in range(3):
        when = at(f"2026-03-{DAYS[i * 3]} 10:00")
        refused = driver.create(when, offering=offerings[i % len(offerings)])
        dossiers.append(driver.act(refused, "refuse", when + H))
        gone = driver.create(when, channel="online", offering=offerings[0])
        dossiers.append(driver.act(gone, "withdraw", when + 2 * H))
    return dossiers
