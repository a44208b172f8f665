"""20 parallel clients post 1,000 comments to one article: nothing lost, nothing doubled."""

import threading

from comments.models import thread_path
from tests.faults.conftest import comment_id

CLIENTS, POSTS_EACH = 20, 50
DEPTH_LIMIT = 5  # the site's default thread_depth


def test_1000_comments_from_20_clients_are_stored_once_each_in_thread_order(stack):
    article = stack.articles[1]
    accepted: dict[int, str] = {}  # comment id -> body
    refused: list[bytes] = []
    failures: list[str] = []
    lock = threading.Lock()

    def client(k: int) -> None:
        parent = None
        for i in range(POSTS_EACH):
            body = f"Load {k}-{i}"
            fields = {"body": body, "parent": parent or ""}
            if i % 10 == 9:
                fields["homepage_url"] = "spam.example"  # a bot: refused with a reason
            status, headers, page = stack.post_comment(article, ip=f"10.0.{k}.{i}", **fields)
            with lock:
                if status == 302 and (pk := comment_id(headers)):
                    accepted[pk] = body
                    parent = pk if i % 3 else None  # chains of replies, then a new thread
                elif status == 400:
                    refused.append(page)
                else:
                    failures.append(f"{body}: {status}")

    threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not failures
    assert len(accepted) + len(refused) == CLIENTS * POSTS_EACH
    assert len(refused) == CLIENTS * POSTS_EACH // 10
    assert all(b"Your comment looks automated" in page for page in refused)

    rows = stack.query(
        "SELECT id, body, parent_id, path, depth, root_id, status FROM comments_comment "
        "WHERE article_id = %s ORDER BY path",
        article,
    )
    assert {row[0]: row[1] for row in rows} == accepted  # each accepted comment, exactly once
    assert len({row[1] for row in rows}) == len(rows)
    by_id = {row[0]: row for row in rows}
    for pk, _, parent_id, path, depth, root_id, status in rows:
        assert status == "approved"
        parent = by_id.get(parent_id)
        assert path == thread_path(pk, parent[3] if parent else "")
        assert depth == path.count("/") + 1 <= DEPTH_LIMIT
        assert root_id == (parent[5] if parent else pk)
    # Every reply comes after its parent in thread order (ORDER BY path).
    position = {row[0]: n for n, row in enumerate(rows)}
    assert all(position[row[2]] < position[row[0]] for row in rows if row[2])
