"""axe-core in the page under test, from the vendored copy (never from a CDN).

``assert_accessible(page)`` injects ``vendor/axe-core/axe.min.js`` with Playwright and runs the
WCAG 2.0/2.1 A and AA rules; it fails on any violation of impact serious or critical, listing
each rule with the elements it found.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")


@cache
def axe_source() -> str:
    data = AXE.read_bytes()
    if hashlib.sha256(data).hexdigest() != AXE_SHA256:
        raise AssertionError(f"{AXE} is not the vendored axe-core 4.14.1 (see its README.md)")
    return data.decode("utf-8")


def violations(page, impacts=BLOCKING) -> list[dict]:
    """The violations of the page as it is now, of the given impacts."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    result = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        TAGS,
    )
    return [v for v in result["violations"] if v["impact"] in impacts]


def describe(found: list[dict]) -> str:
    lines = []
    for v in found:
        lines.append(f"{v['impact']}: {v['id']} — {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary']}")
    return "\n".join(lines)


def assert_accessible(page, name: str = "") -> None:
    found = violations(page)
    assert not found, f"axe-core on {name or page.url}:\n{describe(found)}"
