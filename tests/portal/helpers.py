"""Reading the catalogue HTML in tests."""

from __future__ import annotations

import html
import re

_RESULT = re.compile(r'<li class="result">\s*<h3><a href="([^"]+)">([^<]+)</a>', re.S)


def result_names(content: bytes | str) -> list[str]:
    text = content.decode() if isinstance(content, bytes) else content
    return [html.unescape(name) for _, name in _RESULT.findall(text)]


def result_links(content: bytes | str) -> list[str]:
    text = content.decode() if isinstance(content, bytes) else content
    return [href for href, _ in _RESULT.findall(text)]
