"""A fixed-window rate limiter on Django's cache (shared across workers when the cache is
Redis; see CACHE_URL)."""

from __future__ import annotations

from django.core.cache import cache


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one attempt under ``key``; False once more than ``limit`` fall in ``window`` s."""
    full = f"ratelimit:{key}"
    if cache.add(full, 1, timeout=window):
        return True
    try:
        count = cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.add(full, 1, timeout=window)
        return True
    return count <= limit


def blocked(key: str, *, limit: int) -> bool:
    """True when ``key`` is already over ``limit`` (without counting an attempt)."""
    value = cache.get(f"ratelimit:{key}")
    return value is not None and value > limit


def client_ip(request) -> str:
    """The client address (REMOTE_ADDR; a proxy in front must set it, e.g. via its module)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
