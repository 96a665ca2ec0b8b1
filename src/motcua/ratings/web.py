"""What the rating pages share: the clock, the language, the answers posted by a form and the
page that explains why a link or a transaction cannot be rated."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from motcua.ratings.errors import RatingError
from motcua.ratings.queries import Question

#: Prefix of the form fields that carry answers: ``c-<criterion key>``.
PREFIX = "c-"


def now() -> dt.datetime:
    """The instant the views read and act at (tests replace it to pin the clock)."""
    return timezone.now()


def language() -> str:
    return "en" if (translation.get_language() or "vi").startswith("en") else "vi"


def answers_from(data) -> dict[str, str]:
    """{criterion key: posted value} from a submitted rating form."""
    return {k[len(PREFIX) :]: v for k, v in data.items() if k.startswith(PREFIX)}


@dataclass(frozen=True)
class FormRow:
    """One question as the form shows it: its choices, what was chosen, what was wrong."""

    question: Question
    name: str
    selected: int | None
    error: str


def form_rows(questions: list[Question], posted=None, errors=None) -> list[FormRow]:
    posted, errors = posted or {}, errors or {}
    rows = []
    for q in questions:
        raw = str(posted.get(q.key, ""))
        selected = int(raw) if raw.isdecimal() else None
        rows.append(FormRow(q, f"{PREFIX}{q.key}", selected, errors.get(q.key, "")))
    return rows


def problem(
    request: HttpRequest, exc: RatingError, template: str = "ratings/message.html", **extra
) -> HttpResponse:
    """A page in plain words that says why rating is not possible, with the right status."""
    context = {"error": exc, "message": exc.message, **extra}
    return render(request, template, context, status=exc.status)


def int_param(value) -> int | None:
    text = str(value or "")
    return int(text) if text.isdecimal() and len(text) < 12 else None
