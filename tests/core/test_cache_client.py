"""The Redis cache keeps one client per connection pool instead of building one per call."""

from core.cache import ResilientRedisCache


def test_one_redis_client_per_pool_is_reused_across_calls():
    backend = ResilientRedisCache("redis://127.0.0.1:1/0", {})  # building one connects nowhere
    first = backend._cache.get_client("a")
    assert backend._cache.get_client("b") is first
    assert backend._cache.get_client("c", write=True) is first  # one server: one pool
    assert first.connection_pool is backend._cache._get_connection_pool(False)


def test_servers_keep_their_own_clients():
    backend = ResilientRedisCache("redis://127.0.0.1:1/0,redis://127.0.0.1:2/0", {})
    writer = backend._cache.get_client(write=True)
    reader = backend._cache.get_client()  # reads go to the replica
    assert writer is not reader
    assert writer.connection_pool.connection_kwargs["port"] == 1
    assert reader.connection_pool.connection_kwargs["port"] == 2
