"""Flood control holds across gunicorn workers sharing one Redis: the slot is atomic."""

import threading

from tests.faults.conftest import WORKERS

CLIENTS, ROUNDS = 24, 3


def _burst(stack, article: int, ip: str) -> list[tuple[int, bytes]]:
    """CLIENTS posts from one address, let go at the same instant; their answers."""
    barrier, answers = threading.Barrier(CLIENTS, timeout=30), []

    def client(n: int) -> None:
        barrier.wait()
        status, _, body = stack.post_comment(
            article, ip=ip, email=f"reader{n}@example.com", body=f"Flood {ip} {n}"
        )
        answers.append((status, body))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_simultaneous_posts_from_one_address_through_all_workers_store_one_each(stack):
    article = stack.articles[0]
    for _ in range(4 * WORKERS):  # warm every worker up, so the posts truly overlap
        stack.post_comment(article, ip="192.0.2.99", homepage_url="bot")
    for round_ in range(ROUNDS):
        ip = f"198.51.100.{round_ + 1}"
        answers = _burst(stack, article, ip)
        assert sorted(status for status, _ in answers) == [302] + [429] * (CLIENTS - 1)
        for status, body in answers:
            if status == 429:
                assert b"You are posting too quickly" in body
                assert f"Flood {ip} ".encode() in body  # the text comes back in the form
        stored = stack.query(
            "SELECT count(*) FROM comments_comment WHERE article_id = %s AND ip_address = %s",
            article,
            ip,
        )
        assert stored == [(1,)], f"round {round_}: {stored[0][0]} comments passed the flood slot"
    assert len(stack.worker_pids()) >= 2, "the posts should have reached several workers"
