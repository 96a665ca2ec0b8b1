"""The procedure catalogue (danh mục thủ tục hành chính) and its versions.

A ``Procedure`` is the stable identity (its national code); what it says lives in
``ProcedureVersion`` rows, draft → published (read-only) → retired, so a dossier can point at
the version it was received under. Offerings say which agency offers which version, with local
overrides and the internal workflow (quy trình nội bộ).
"""

from motcua.catalog.models.offerings import Delegation, Offering, StepSpec, WorkflowTemplate
from motcua.catalog.models.procedures import (
    Channel,
    ChannelOption,
    ComponentSpec,
    Fee,
    Field,
    FormTemplate,
    Level,
    OnlineClass,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    TimeUnit,
    encode_levels,
)

__all__ = [
    "Channel",
    "ChannelOption",
    "ComponentSpec",
    "Delegation",
    "Fee",
    "Field",
    "FormTemplate",
    "Level",
    "Offering",
    "OnlineClass",
    "Procedure",
    "ProcedureCase",
    "ProcedureVersion",
    "StepSpec",
    "TimeUnit",
    "WorkflowTemplate",
    "encode_levels",
]
