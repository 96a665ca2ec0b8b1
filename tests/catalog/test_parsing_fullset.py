"""The parsers over the whole shared data set (skipped when it is not there).

The data lives outside the repository (``../shared/data/procedures`` next to the checkout);
``MOTCUA_PROCEDURES_DATA`` points elsewhere.
"""

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from motcua.catalog.parsing import WARNING_CODES, find_shared_pages, parse_any, shared_page_groups

DATA = Path(
    os.environ.get(
        "MOTCUA_PROCEDURES_DATA",
        Path(__file__).resolve().parents[3] / "shared" / "data" / "procedures",
    )
)
FILES = ["dvcqg_2026_part1.jsonl", "dvcqg_2026_part2.jsonl", "bqp_2025.jsonl"]

pytestmark = pytest.mark.skipif(
    not all((DATA / name).exists() for name in FILES), reason=f"shared data set not found in {DATA}"
)


@pytest.fixture(scope="module")
def records():
    out = []
    for name in FILES:
        with (DATA / name).open(encoding="utf-8") as fh:
            out.extend(json.loads(line) for line in fh if line.strip())
    return out


def test_every_record_parses(records):
    parsed = [parse_any(r) for r in records]  # any exception fails the test
    assert len(parsed) == len(records) > 2800
    codes = Counter(w.code for p in parsed for w in p.warnings)
    assert set(codes) <= WARNING_CODES.keys()
    assert all(p.channels for p in parsed)
    units = Counter(c.time_unit for p in parsed for c in p.channels)
    assert units.most_common(1)[0][0] is not None  # mostly working days


def test_shared_pages_of_the_portal_crawl(records):
    groups = shared_page_groups(records)
    assert sorted(len(codes) for codes in groups.values()) == [7, 10]
    assert len(find_shared_pages(records)) == 17
