"""Reading settings from the environment, with every variable documented.

Each helper records the variable it reads in ``REGISTRY`` so that a test can check that
``docs/configuration.md`` names every one of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class EnvVar:
    name: str
    default: str | None
    doc: str


REGISTRY: dict[str, EnvVar] = {}


def _read(name: str, default: str | None, doc: str) -> str | None:
    REGISTRY[name] = EnvVar(name, default, doc)
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_str(name: str, default: str, doc: str) -> str:
    """A string variable; ``default`` when unset or empty."""
    value = _read(name, default, doc)
    assert value is not None
    return value


def env_optional(name: str, doc: str) -> str | None:
    """A string variable with no default."""
    return _read(name, None, doc)


def env_bool(name: str, default: bool, doc: str) -> bool:
    """A boolean: 1/true/yes/on (any case) mean true; 0/false/no/off mean false."""
    raw = _read(name, "true" if default else "false", doc)
    value = (raw or "").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name}: expected true/false, got {raw!r}")


def env_int(name: str, default: int, doc: str) -> int:
    """An integer variable."""
    raw = _read(name, str(default), doc)
    try:
        return int(raw or default)
    except ValueError as exc:
        raise ValueError(f"{name}: expected an integer, got {raw!r}") from exc


def env_list(name: str, default: str, doc: str) -> list[str]:
    """A comma-separated list; blanks dropped."""
    raw = _read(name, default, doc) or ""
    return [item.strip() for item in raw.split(",") if item.strip()]
