"""Working time (thời gian làm việc): calendars, due dates and timeliness.

Owns:

* the pure arithmetic (``engine``): working days and hours, due dates from a receipt and a
  processing time (``Limit``), pauses, early / on time / late — no Django inside;
* the base calendar from the ``holidays`` library (``library``);
* the editable data: per-agency working calendars (``WorkCalendar``: weekly pattern, working
  hours, 15:00 cut-off, Saturday reception) and the override table of extra days off and
  make-up working days with their legal references (``CalendarOverride``), seeded with the
  government's decisions;
* ``queries.calendar_for(agency)``: the cached engine calendar an agency works by;
* the ``motcua due-date`` command for operators.
"""
