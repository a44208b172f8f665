"""What a comment's body and a reader's name may hold, in one place. A new comment or display
name that breaks a rule is refused (comments.services, accounts.validators); one stored before
the rule existed is brought in line by dropping what the rule forbids (migrations
comments 0004 and accounts 0004), with the same functions.

Controls break the XML feeds (XML 1.0 has no place for them) and hide in text; in names,
invisible and direction-changing characters let one reader pass for another. The
zero-width joiner and the tag characters stay: emoji sequences need them.
"""

import unicodedata

ALLOWED_IN_BODY = frozenset({"\t", "\n", "\r"})
ZWJ = "\u200d"
EMOJI_TAGS = range(0xE0020, 0xE0080)  # subdivision flags (Scotland, Wales) are tag sequences


def forbidden_in_body(ch: str) -> bool:
    """Controls (category Cc) but tab, CR and LF; direction marks may stay in a body, whose
    paragraphs end every embedding."""
    return unicodedata.category(ch) == "Cc" and ch not in ALLOWED_IN_BODY


def forbidden_in_name(ch: str) -> bool:
    """Controls and invisible formatting characters (Cc, Cf) but the joiner and the tags
    of emoji sequences."""
    return unicodedata.category(ch) in {"Cc", "Cf"} and ch != ZWJ and ord(ch) not in EMOJI_TAGS


def one_line(name: str) -> str:
    """A name on one line with single spaces: it goes into email subjects."""
    return " ".join(name.split())


def _without(text: str, forbidden) -> str:
    # Fast path: a printable string has no character of category Cc or Cf at all.
    if text.translate(dict.fromkeys(map(ord, ALLOWED_IN_BODY))).isprintable():
        return text
    return "".join(ch for ch in text if not forbidden(ch))


def stored_body(body: str) -> str:
    """A stored body as the rules would have let it in: without forbidden characters,
    stripped. It may come out empty; it is not cut to the length a new one may have."""
    return _without(body, forbidden_in_body).strip()


def stored_name(name: str) -> str:
    """A stored name as the rules would have let it in: one line, without forbidden
    characters (dropping one may leave two spaces together: one line again)."""
    return one_line(_without(one_line(name), forbidden_in_name))
