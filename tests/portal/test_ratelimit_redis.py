"""The tracking limit on Redis, as in production: one counter shared by every worker process.

Skipped when no Redis answers on 127.0.0.1:6379 (the development default is the per-process
memory cache, covered by ``test_tracking.py``)."""

from __future__ import annotations

import multiprocessing
import uuid

import pytest
from django.core.cache import cache

from motcua.core import ratelimit

REDIS_URL = "redis://127.0.0.1:6379/14"


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:  # noqa: BLE001
        return False


pytestmark = pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture
def redis_cache(settings):
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "motcua.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield prefix
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def _hits(key: str, n: int, results) -> None:
    results.put([ratelimit.hit(key, limit=100, window=60) for _ in range(n)])


def test_workers_share_one_counter(redis_cache):
    """Four processes (forked, as gunicorn's workers are) count into the same key."""
    key = f"track:198.51.100.{uuid.uuid4().int % 200}"
    ratelimit.hit(key, limit=100, window=60)  # the parent's own connection exists before forking
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [context.Process(target=_hits, args=(key, 5, results)) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(30)
        assert w.exitcode == 0
    assert cache.get(f"ratelimit:{key}") == 21  # Django's cache API reads the same counter
    assert ratelimit.blocked(key, limit=20) and not ratelimit.blocked(key, limit=21)


def test_an_attempt_is_one_counter_with_its_window(redis_cache):
    import redis

    key = "track:203.0.113.7"
    assert ratelimit.hit(key, limit=2, window=90)
    assert ratelimit.hit(key, limit=2, window=90)
    assert not ratelimit.hit(key, limit=2, window=90)
    client = redis.Redis.from_url(REDIS_URL)
    full = cache.make_key(f"ratelimit:{key}")
    assert int(client.get(full)) == 3
    assert 0 < client.ttl(full) <= 90  # the window runs from the first attempt, never lost


@pytest.mark.django_db
def test_tracking_refuses_after_the_limit_on_redis(client, redis_cache, settings):
    settings.TRACKING_ATTEMPTS = 2
    for _ in range(3):
        assert client.post("/tra-cuu/", {"code": "KHONG-CO", "last4": "1234"}).status_code == 404
    assert client.post("/tra-cuu/", {"code": "KHONG-CO", "last4": "1234"}).status_code == 429
