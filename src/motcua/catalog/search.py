"""Catalogue search: diacritic-insensitive, tolerant of typos, best match first.

One normalisation serves indexing and queries: :func:`motcua.core.text.fold` (NFD, marks
dropped, đ → d, casefold, single spaces), then ``y`` → ``i`` so that the two accepted
spellings ``kí``/``ký``, ``lí``/``lý`` meet. The database narrows the candidates with
substring filters on the folded column (a trigram GIN index on PostgreSQL makes them fast;
SQLite scans a few thousand short rows); ranking happens here. Tokens the catalogue has never
seen are replaced by their closest known tokens, so ``dang ki ket hon`` and ``khai sihn`` still
find their procedures.
"""

from __future__ import annotations

import difflib
import re
import threading
import time
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from motcua.core.text import fold

SEPARATOR = " | "
_vocab_lock = threading.Lock()
_vocab_cache: dict[str, object] = {"stamp": None, "checked": 0.0, "index": {}}


def canon(text: str | None) -> str:
    """The search form of ``text``: folded, with ``y`` read as ``i``."""
    return fold(text).replace("y", "i")


def search_key(name: str, code: str = "", field: str = "") -> str:
    """What is stored in ``ProcedureVersion.search_text``: name, code and field, each folded."""
    return SEPARATOR.join(canon(part) for part in (name, code, field))


@dataclass(frozen=True)
class Hit:
    pk: int
    score: float


def invalidate_vocabulary(**_kwargs) -> None:
    """Forget the known-words index (connected to version saves and deletes)."""
    with _vocab_lock:
        _vocab_cache["stamp"] = None


_WORD = re.compile(r"[a-z0-9]+")
#: Seconds between checks that another process has not changed the catalogue.
STAMP_CHECK_SECONDS = 30


def _deletes(word: str, depth: int) -> set[str]:
    """``word`` with up to ``depth`` letters removed (the symmetric-delete spelling index)."""
    found, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))} - found
        found |= frontier
    return found


def _depth(word: str) -> int:
    return 1 if len(word) <= 5 else 2


def _build_index(model) -> dict:
    words: set[str] = set()
    for text in model.objects.values_list("search_text", flat=True).iterator():
        words.update(w for w in _WORD.findall(text) if len(w) > 1)
    deletes: dict[str, set[str]] = {}
    for word in words:
        for variant in _deletes(word, _depth(word)):
            deletes.setdefault(variant, set()).add(word)
    return {"words": frozenset(words), "deletes": deletes}


def _vocabulary(model) -> dict:
    """Known words and their delete index; rebuilt when the catalogue changes."""
    now = time.monotonic()
    with _vocab_lock:
        fresh = _vocab_cache["stamp"] is not None and now < _vocab_cache["checked"] + (
            STAMP_CHECK_SECONDS
        )
        if fresh:
            return _vocab_cache["index"]
        manager = model.objects
        stamp = (manager.count(), manager.order_by("-pk").values_list("pk", flat=True).first())
        if _vocab_cache["stamp"] != stamp:
            _vocab_cache.update(stamp=stamp, index=_build_index(model))
        _vocab_cache["checked"] = now
        return _vocab_cache["index"]


def _alternatives(token: str, index: dict) -> list[str]:
    """The known words closest to ``token`` (itself when known), best first, at most 4."""
    if token in index["words"] or len(token) <= 1:
        return [token]
    deletes = index["deletes"]
    candidates: set[str] = set()
    for variant in _deletes(token, _depth(token)):
        candidates |= deletes.get(variant, set())
    if not candidates:
        return [token]
    ranked = sorted(candidates, key=lambda w: (-difflib.SequenceMatcher(None, token, w).ratio(), w))
    return ranked[:4]


def _token_filter(tokens: list[list[str]], *, any_token: bool = False) -> Q:
    q = Q(pk__in=[]) if any_token else Q()
    for alts in tokens:
        part = Q()
        for alt in alts:
            part |= Q(search_text__contains=alt)
        q = (q | part) if any_token else (q & part)
    return q


#: Words that open many names without saying anything ("Thủ tục …").
_FILLER = frozenset({"thu", "tuc"})


def _score(query: str, tokens: list[list[str]], text: str) -> tuple[float, int]:
    """Score of a row and how many query tokens it matched."""
    name, _, rest = text.partition(SEPARATOR)
    code = rest.partition(SEPARATOR)[0]
    if query == code:
        return 1000.0, len(tokens)
    words = name.split()
    score, matched = 0.0, 0
    if query in name:
        score += 50 + (5 if name.startswith(query) else 0)
        if name in (query, f"thu tuc {query}"):
            score += 30
    wanted: set[str] = set()
    for alts in tokens:
        wanted.update(alts)
        if any(alt in words for alt in alts):
            score, matched = score + 10, matched + 1
        elif any(alt in text for alt in alts):
            score, matched = score + 4, matched + 1
    extra = sum(1 for w in words if w not in wanted and w not in _FILLER)
    return score - 1.5 * extra, matched


def _rank(q: str, tokens: list[list[str]], rows, need: int) -> list[Hit]:
    hits = []
    for pk, text in rows:
        score, matched = _score(q, tokens, text)
        if matched >= need:
            hits.append(Hit(pk, score))
    hits.sort(key=lambda h: (-h.score, h.pk))
    return hits


def search(qs: QuerySet, query: str) -> list[Hit]:
    """Rank the rows of ``qs`` (procedure versions) for ``query``, best first.

    Every word must match, exactly first, then through its closest known spellings; failing
    that, rows matching most of the words (at least half) are offered.
    """
    q = canon(query)
    if not q:
        return []
    tokens = [[t] for t in q.split()]
    rows = qs.filter(_token_filter(tokens)).order_by().values_list("pk", "search_text")
    hits = _rank(q, tokens, rows, len(tokens))
    if hits:
        return hits
    index = _vocabulary(qs.model)
    tokens = [_alternatives(t[0], index) for t in tokens]
    rows = qs.filter(_token_filter(tokens)).order_by().values_list("pk", "search_text")
    hits = _rank(q, tokens, rows, len(tokens))
    if hits or len(tokens) < 2:
        return hits
    rows = (
        qs.filter(_token_filter(tokens, any_token=True)).order_by().values_list("pk", "search_text")
    )
    return _rank(q, tokens, rows, (len(tokens) + 1) // 2)
