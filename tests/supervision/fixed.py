"""A small fixed set of dossiers around the period 9–13 March 2026 (Monday to Friday), with
the numbers worked out by hand (see the comments and tests/supervision/test_report.py)."""

from .conftest import at
from .data import rate

PERIOD = ("2026-03-09", "2026-03-13")


def build(driver):
    """Dossier letter → dossier. Due dates: 3 working days from the day after receipt, 17:00."""
    d = {}
    # A: received Thu 5/3 (before), due Tue 10/3 17:00, resolved Tue 10/3 → carried, early
    d["A"] = driver.resolve(
        driver.receive("2026-03-05 09:00"), "2026-03-05 09:00", "2026-03-10 10:00"
    )
    # B: received and resolved before the period → nowhere
    d["B"] = driver.resolve(
        driver.receive("2026-03-04 09:00"), "2026-03-04 09:00", "2026-03-06 10:00"
    )
    # C: online Mon 9/3, due Thu 12/3 17:00, resolved Fri 13/3 → online, late; 2 components
    #    digitised at the counter
    c = driver.receive("2026-03-09 09:00", channel="online", digitised_components=2)
    d["C"] = driver.resolve(c, "2026-03-09 09:00", "2026-03-13 09:00")
    # D: counter Mon 9/3, due Thu 12/3 17:00, still open → pending overdue; 1 digitised
    d["D"] = driver.act(
        driver.receive("2026-03-09 13:00", digitised_components=1), "transfer", "2026-03-09 13:10"
    )
    # E: postal Wed 11/3, due Mon 16/3 17:00, open → pending within time; 1 component reused
    #    from the applicant's data store
    d["E"] = driver.receive("2026-03-11 09:00", channel="postal", reused_components=1)
    # F: counter Tue 10/3, due Fri 13/3 17:00, awaiting a supplement since 11/3 → within time
    f = driver.act(driver.receive("2026-03-10 09:00"), "transfer", "2026-03-10 09:10")
    d["F"] = driver.act(f, "request_supplement", "2026-03-11 10:00")
    # G: received Tue 3/3, due Fri 6/3 17:00, open → carried, pending overdue
    d["G"] = driver.act(driver.receive("2026-03-03 09:00"), "transfer", "2026-03-03 09:10")
    # H: online Mon 9/3, stopped Tue 10/3 (before due) → online, resolved early
    h = driver.act(
        driver.receive("2026-03-09 11:00", channel="online"), "transfer", "2026-03-09 11:10"
    )
    d["H"] = driver.act(h, "stop", "2026-03-10 09:00")
    # I: counter Mon 9/3, due Thu 12/3 17:00, resolved at 17:00 exactly → on time; 1 component
    #    digitised, 1 reused
    i = driver.receive("2026-03-09 10:00", digitised_components=1, reused_components=1)
    d["I"] = driver.resolve(i, "2026-03-09 10:00", "2026-03-12 17:00")
    # J: refused at intake → nowhere (not received)
    d["J"] = driver.act(driver.create("2026-03-10 09:00"), "refuse", "2026-03-10 09:30")
    # K: received after the period → nowhere
    d["K"] = driver.receive("2026-03-16 09:00")
    # L: counter Thu 12/3, due Tue 17/3 17:00, resolved Tue 17/3 (after) → pending within
    d["L"] = driver.resolve(
        driver.receive("2026-03-12 09:00"), "2026-03-12 09:00", "2026-03-17 10:00"
    )
    # M: counter Wed 11/3, second supplement request 12/3, open, due after the period →
    #    pending within time in the report, but late for indicator 2.1
    m = driver.act(driver.receive("2026-03-11 09:00"), "transfer", "2026-03-11 09:10")
    m = driver.act(m, "request_supplement", "2026-03-11 10:00")
    m = driver.act(m, "receive_supplement", "2026-03-11 11:00")
    m = driver.act(m, "request_supplement", "2026-03-12 09:00", override=True)
    d["M"] = driver.act(m, "receive_supplement", "2026-03-12 10:00")
    return d


def hand_over(driver, d):
    """Results handed over in the period, and two ratings:
    A online (electronic result) Wed 11/3, rated satisfied Thu 12/3;
    C (an online dossier) at the counter Fri 13/3 10:00 — a paper result — rated dissatisfied;
    I at the counter Fri 13/3 (paper)."""
    d["A"] = driver.act(d["A"], "return_result", at("2026-03-11 09:00"), method="online")
    rate(d["A"], at("2026-03-12 09:00"), 5)
    d["C"] = driver.act(d["C"], "return_result", at("2026-03-13 10:00"), method="counter")
    rate(d["C"], at("2026-03-13 11:00"), 1)
    d["I"] = driver.act(d["I"], "return_result", at("2026-03-13 14:00"), method="counter")
    return d


#: The report of the ward for 9–13/3 looked at on 20/3, by hand:
#: received in the period online C, H; direct/postal D, E, F, I, L, M; carried over A, G;
#: resolved early A, H; on time I; late C; pending overdue D, G; within E, F, L, M.
EXPECTED = {
    "online": 2,
    "direct": 6,
    "carried": 2,
    "received": 10,
    "early": 2,
    "on_time": 1,
    "late": 1,
    "resolved": 4,
    "within": 4,
    "overdue": 2,
    "pending": 6,
}
BEHIND = {
    "online": "CH",
    "direct": "DEFILM",
    "carried": "AG",
    "received": "ACDEFGHILM",
    "early": "AH",
    "on_time": "I",
    "late": "C",
    "resolved": "ACHI",
    "within": "EFLM",
    "overdue": "DG",
    "pending": "DEFGLM",
    "late_766": "CDGM",
}
NOW = at("2026-03-20 10:00")
