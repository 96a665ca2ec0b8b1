"""Pure parsers for published administrative-procedure records (no Django).

Two input shapes are understood: the flattened National Public Service Portal pages
(``parse_record``) and the structured per-procedure exports (``parse_bqp_record``);
``parse_any`` picks the right one. Each returns a ``ParsedProcedure`` that keeps the raw
record beside the parse and lists everything doubtful in ``warnings``.
"""

from .bqp import parse_bqp_record
from .channels import parse_channels, parse_time
from .components import parse_components
from .fees import parse_amount, parse_fee_lines
from .forms import split_forms
from .legal import find_numbers, parse_legal
from .lists import parse_applicant_types, parse_levels
from .record import parse_any, parse_record
from .results import parse_results
from .rules import commune_evidence, find_shared_pages, is_commune_procedure, shared_page_groups
from .types import (
    WARNING_CODES,
    Channel,
    ChannelOffer,
    ComponentGroup,
    Document,
    Fee,
    FeeKind,
    LegalRef,
    Level,
    ParsedProcedure,
    ParseWarning,
    ResultDoc,
    TimeUnit,
)

__all__ = [
    "Channel",
    "ChannelOffer",
    "ComponentGroup",
    "Document",
    "Fee",
    "FeeKind",
    "LegalRef",
    "Level",
    "ParseWarning",
    "ParsedProcedure",
    "ResultDoc",
    "TimeUnit",
    "WARNING_CODES",
    "commune_evidence",
    "find_numbers",
    "find_shared_pages",
    "is_commune_procedure",
    "parse_amount",
    "parse_any",
    "parse_applicant_types",
    "parse_bqp_record",
    "parse_channels",
    "parse_components",
    "parse_fee_lines",
    "parse_legal",
    "parse_levels",
    "parse_record",
    "parse_results",
    "parse_time",
    "shared_page_groups",
    "split_forms",
]
