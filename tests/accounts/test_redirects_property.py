"""Property: a redirect target with any other host never counts as safe."""

from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from accounts.adapters import AccountAdapter

hosts = st.from_regex(r"[a-z][a-z0-9-]{0,20}\.(com|org|example|net)", fullmatch=True)
prefixes = st.sampled_from(["http://", "https://", "//", "///", "/\\", "\\\\", "http:/", " //"])
paths = st.text(alphabet="abc/?=#&%", max_size=20)


@given(prefix=prefixes, host=hosts, path=paths)
def test_other_hosts_are_never_safe(prefix, host, path):
    adapter = AccountAdapter(RequestFactory().get("/"))
    assert not adapter.is_safe_url(f"{prefix}{host}/{path}")


@given(path=st.from_regex(r"/([a-z0-9_-][a-z0-9/_-]{0,30})?", fullmatch=True))
def test_local_paths_are_safe(path):
    adapter = AccountAdapter(RequestFactory().get("/"))
    assert adapter.is_safe_url(path)
