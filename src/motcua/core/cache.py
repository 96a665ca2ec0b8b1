"""Django's Redis cache with one client object per connection pool.

Django's own ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` object for every
cache call; building one fills a table of response callbacks and costs about as much as the
round trip to Redis itself (measured on the tracking page: a third of a cache read). A
``redis.Redis`` object is safe to share between threads (it only borrows connections from
its pool), so this backend keeps one per pool. Chosen by ``CACHE_URL`` in ``settings.py``.
"""

from __future__ import annotations

import threading

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}
        self._clients_lock = threading.Lock()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            with self._clients_lock:
                client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
