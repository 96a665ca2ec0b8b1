"""A fixed-window rate limiter on the shared cache.

With Redis (``CACHE_URL``; what production uses, so that every worker process counts in the
same place) an attempt is one round trip: ``SET key 0 NX EX window`` and ``INCR key`` in one
``MULTI``, so the window starts at the first attempt and the counter can never lose its
expiry. A check is one ``GET``. With another cache (the per-process memory cache of
development and tests) the same rules run on Django's cache API. When Redis does not answer,
the limits fall back to this process's memory (logged): weaker, as each worker counts alone,
but the pages keep working and enumeration stays limited.
"""

from __future__ import annotations

import functools
import logging
import threading

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.dispatch import receiver

log = logging.getLogger(__name__)
_lock = threading.Lock()
_fallback = LocMemCache("motcua-ratelimit-fallback", {"TIMEOUT": None, "OPTIONS": {}})


@functools.cache
def _redis():
    """A Redis client on the default cache's server, or None when the cache is not Redis."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    return backend._cache.get_client(write=True)  # the cache's own pool (its write server)


@receiver(setting_changed)
def _forget_client(*, setting: str, **_kwargs) -> None:
    """Tests that switch the cache (``override_settings(CACHES=…)``) get the new one."""
    if setting == "CACHES":
        with _lock:
            _redis.cache_clear()


def _key(key: str) -> str:
    return caches["default"].make_key(f"ratelimit:{key}")


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one attempt under ``key``; False once more than ``limit`` fall in ``window`` s."""
    client = _redis()
    if client is not None:
        full = _key(key)
        try:
            with client.pipeline(transaction=True) as pipe:
                pipe.set(full, 0, nx=True, ex=window)
                pipe.incr(full)
                _created, count = pipe.execute()
        except Exception as exc:  # noqa: BLE001 (any failure of the cache server)
            log.warning("rate limit: Redis unavailable (%s); counting in this process", exc)
            return _hit_portable(_fallback, key, limit=limit, window=window)
        return count <= limit
    return _hit_portable(caches["default"], key, limit=limit, window=window)


def _hit_portable(cache, key: str, *, limit: int, window: int) -> bool:
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
    client = _redis()
    if client is not None:
        try:
            value = client.get(_key(key))
        except Exception as exc:  # noqa: BLE001 (any failure of the cache server)
            log.warning("rate limit: Redis unavailable (%s); checking this process", exc)
            value = _fallback.get(f"ratelimit:{key}")
        return value is not None and int(value) > limit
    value = caches["default"].get(f"ratelimit:{key}")
    return value is not None and value > limit


def client_ip(request) -> str:
    """The client address (REMOTE_ADDR; a proxy in front must set it, e.g. via its module)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
