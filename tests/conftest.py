import threading

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads in tests land in a temporary folder, never in the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Background tasks run in-process in unit tests; e2e tests may override."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fragments(settings):
    """Off in unit tests: query budgets and EXPLAIN pin the cold cost, the thread built.
    tests/comments/test_thread_fragment.py and the browser journeys turn them on."""
    settings.PAGECACHE_FRAGMENTS = False


@pytest.fixture
def fragments_only(settings):
    """Fragments on and the page cache off, so each request runs the view and only the
    fragments are kept; no race margin (tests change and re-read within microseconds)."""
    settings.PAGECACHE_FRAGMENTS = True
    settings.PAGECACHE_ENABLED = False
    settings.PAGECACHE_RACE_MARGIN = 0


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Hashing with PBKDF2 costs ~0.1 s a user; tests only need a hasher that works."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def smtp_mailbox(settings):
    """Send the site's email through a real SMTP server on 127.0.0.1; yield its mailbox."""
    from tests.mailbox import start_smtp

    controller, mailbox = start_smtp()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    yield mailbox
    controller.stop()


# --- Production topology (issue 6) ------------------------------------------------------
@pytest.fixture
def closed_port():
    """A loopback TCP port that refuses connections: bound by us, never listening."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture
def dead_redis_cache(closed_port):
    """CACHES pointing Django's Redis backend at a closed port; apply with override_settings
    (not the settings fixture, so the autouse cache clearing runs on the real cache again)."""
    return {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


# --- The live server settles before the database is flushed ----------------------------
class _InFlight:
    """The live server's WSGI app, counting the requests it is still answering. A browser
    closed at a test's end can leave one in the server's thread; on the shared in-memory
    SQLite its open read makes the teardown flush fail with "database table is locked"."""

    def __init__(self, app):
        self.app = app
        self.count = 0
        self.idle = threading.Condition()

    def __call__(self, environ, start_response):
        with self.idle:
            self.count += 1
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self._done()
            raise
        return _ClosingResult(result, self._done)

    def _done(self):
        with self.idle:
            self.count -= 1
            self.idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        with self.idle:
            return self.idle.wait_for(lambda: self.count == 0, timeout)


class _ClosingResult:
    def __init__(self, result, done):
        self.result, self.done, self.closed = result, done, False

    def __iter__(self):
        return iter(self.result)

    def close(self):
        if self.closed:
            return
        self.closed = True
        try:
            if hasattr(self.result, "close"):
                self.result.close()
        finally:
            self.done()


_live_apps: list[_InFlight] = []


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server, its app wrapped to count the requests in flight."""
    httpd = live_server.thread.httpd
    app = _InFlight(httpd.get_app())
    httpd.set_app(app)
    _live_apps.append(app)
    return live_server


@pytest.fixture(autouse=True)
def _live_server_settles():
    """After each test (its browser closed, before the database is flushed), wait until the
    live server has answered what it was still answering; bounded."""
    yield
    for app in _live_apps:
        app.wait_idle(timeout=15)
