"""Models of the ratings app: criteria and ratings, the ways in (links, counter sessions,
tablets) and the tallies that the aggregate pages read."""

from motcua.ratings.models.access import CounterSession, RatingToken, Tablet
from motcua.ratings.models.ratings import (
    OVERALL_KEY,
    Answer,
    Channel,
    Criterion,
    Kind,
    Rating,
    RatingStaff,
)
from motcua.ratings.models.tallies import AnswerTally, OfficerTally, UnitTally

__all__ = [
    "OVERALL_KEY",
    "Answer",
    "AnswerTally",
    "Channel",
    "CounterSession",
    "Criterion",
    "Kind",
    "OfficerTally",
    "Rating",
    "RatingStaff",
    "RatingToken",
    "Tablet",
    "UnitTally",
]
