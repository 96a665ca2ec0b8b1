"""Which components are digitised at intake (số hóa thành phần hồ sơ khi tiếp nhận).

Circular 01/2023/TT-VPCP and Decree 45/2020 Art. 16: at intake, before processing, the one-stop
unit digitises the paper components that are results of earlier procedures, those a law or the
province requires, and any the applicant asks for; it does not digitise documents already held
as valid data in the national databases, plain copies, documents only shown, or classified
ones.

The province's choice is a :class:`~motcua.documents.models.DigitisationRule` per component
(admin, configurable). Without one, the default is read from the component's published name:
the exemptions first (only shown, classified, plain copy, identity held in the national
population database), then the results of earlier procedures (certificates, licences,
decisions, civil-status extracts, diplomas…) as required; anything else is digitised when the
applicant asks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from motcua.core.text import fold
from motcua.documents.models import DigitisationRule, DocumentKind

Requirement = DigitisationRule.Requirement

#: Requirements that forbid digitising the component.
EXEMPT = frozenset(
    {
        Requirement.NATIONAL_DB,
        Requirement.SHOWN_ONLY,
        Requirement.CLASSIFIED,
        Requirement.PLAIN_COPY,
    }
)

# Patterns on the folded name (lower case, no diacritics), checked in this order.
_DEFAULTS: tuple[tuple[str, str], ...] = (
    (Requirement.SHOWN_ONLY, r"\bxuat trinh\b"),
    (Requirement.CLASSIFIED, r"\b(tai lieu mat|bi mat nha nuoc|do mat)\b"),
    (Requirement.PLAIN_COPY, r"\b(ban chup|ban photo|khong (co )?chung thuc)\b"),
    (Requirement.NATIONAL_DB, r"\b(can cuoc|cccd|chung minh nhan dan|cmnd|dinh danh ca nhan)\b"),
    (
        Requirement.REQUIRED,
        r"\b(giay chung nhan|giay phep|quyet dinh|giay khai sinh|trich luc|chung chi|van bang"
        r"|bang tot nghiep|giay dang ky|giay xac nhan|so do|so hong|chung thu)\b",
    ),
)

_KINDS: tuple[tuple[str, str], ...] = (
    (DocumentKind.IDENTITY, r"\b(can cuoc|cccd|chung minh nhan dan|cmnd|ho chieu|tuy than)\b"),
    (DocumentKind.FORM, r"\b(to khai|don|phieu)\b"),
    (DocumentKind.CIVIL_STATUS, r"\b(khai sinh|ket hon|khai tu|trich luc|ho tich)\b"),
    (DocumentKind.DIPLOMA, r"\b(van bang|chung chi|bang tot nghiep)\b"),
    (DocumentKind.CERTIFICATE, r"\b(giay chung nhan|giay phep|giay dang ky|giay xac nhan)\b"),
    (DocumentKind.DECISION, r"\b(quyet dinh|van ban)\b"),
)


def default_requirement(name: str) -> str:
    """The requirement read from a component's name when the province has set none."""
    folded = fold(name)
    for requirement, pattern in _DEFAULTS:
        if re.search(pattern, folded):
            return requirement
    return Requirement.ON_REQUEST


def guess_kind(name: str) -> str:
    """The document kind suggested by a component's name (the officer may change it)."""
    folded = fold(name)
    for kind, pattern in _KINDS:
        if re.search(pattern, folded):
            return kind
    return DocumentKind.OTHER


def requirements(specs: Iterable) -> dict[int, str]:
    """``{spec id: requirement}`` for ``specs`` (one query for the province's rules)."""
    specs = list(specs)
    rules = dict(
        DigitisationRule.objects.filter(component__in=[s.pk for s in specs]).values_list(
            "component_id", "requirement"
        )
    )
    return {s.pk: rules.get(s.pk) or default_requirement(s.name) for s in specs}


def requirement_for(spec) -> str:
    return requirements([spec])[spec.pk]


def is_exempt(requirement: str) -> bool:
    return requirement in EXEMPT


def label(requirement: str) -> str:
    return str(Requirement(requirement).label)
