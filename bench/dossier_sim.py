"""The life of one synthetic dossier: events, steps and pauses from intake to archive, for the
dossier generator (see generate_dossiers.py)."""

from __future__ import annotations

import datetime as dt
import random

from dossier_world import (
    _D,
    COMPANY_WORDS,
    NULL,
    REASONS,
    S_DUE,
    S_END,
    S_ID,
    S_RESULT,
    S_START,
    S_WHO,
    AgencyPlan,
    OfferingPlan,
    Staff,
    StepPlan,
    address,
    copy_text,
    jstr,
    jstr_cached,
    person,
    phone,
)


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
