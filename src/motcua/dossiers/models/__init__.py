"""The dossier (hồ sơ), its step instances, pauses, events and the daily code sequence."""

from motcua.dossiers.models.dossier import (
    ApplicantKind,
    Dossier,
    FeeStatus,
    ResultDelivery,
    Timeliness,
)
from motcua.dossiers.models.records import (
    DailySequence,
    DossierEvent,
    Pause,
    ReceivedComponent,
    StepInstance,
)

__all__ = [
    "ApplicantKind",
    "DailySequence",
    "Dossier",
    "DossierEvent",
    "FeeStatus",
    "Pause",
    "ReceivedComponent",
    "ResultDelivery",
    "StepInstance",
    "Timeliness",
]
