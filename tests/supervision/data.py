"""A few dozen dossiers with varied journeys, all through the real services."""

import datetime as dt

from tests.dossiers.conftest import at

H = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
#: Working days of March 2026 the dossiers are received on.
DAYS = ["02", "03", "04", "05", "06", "09", "10", "11", "12", "13", "16", "17"]
CHANNELS = ["counter", "online", "postal"]


def early(d, drv, t):
    d = drv.resolve(d, t, t + 3 * H)
    return drv.act(d, "return_result", t + 4 * H)


def late(d, drv, t):
    return drv.resolve(d, t, d.due_at + DAY)


def on_time_after_supplement(d, drv, t):
    d = drv.act(d, "transfer", t + 10 * dt.timedelta(minutes=1))
    d = drv.act(d, "request_supplement", t + H)
    d = drv.act(d, "receive_supplement", t + DAY)
    d = drv.act(d, "complete_step", t + DAY + H)
    d = drv.act(d, "approve", t + DAY + 2 * H)
    d = drv.act(d, "complete_step", d.due_at)
    return drv.act(d, "return_result", d.due_at + H)


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
        d = driver.receive(when, channel=CHANNELS[i % 3], offering=offering)
        dossiers.append(JOURNEYS[i % len(JOURNEYS)](d, driver, when))
    for i in range(3):
        when = at(f"2026-03-{DAYS[i * 3]} 10:00")
        refused = driver.create(when, offering=offerings[i % len(offerings)])
        dossiers.append(driver.act(refused, "refuse", when + H))
        gone = driver.create(when, channel="online", offering=offerings[0])
        dossiers.append(driver.act(gone, "withdraw", when + 2 * H))
    return dossiers
