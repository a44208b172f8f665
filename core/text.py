"""What a comment's body and a reader's name may hold, in one place. A new comment or display
name that breaks a rule is refused (comments.rules, accounts.validators); one stored before
the rule existed is brought in line by dropping what the rule forbids (migrations
comments 0004 and accounts 0004), with the same functions.

Controls break the XML feeds (XML 1.0 has no place for them) and hide in text; in names,
invisible and direction-changing characters let one reader pass for another. The
zero-width joiner and the tag characters stay: emoji sequences need them.

A body or name made only of characters that show nothing (``is_blank``) is refused as an
empty one; ``comparable`` is the form two comments are compared in to find a repeat.
"""

import unicodedata

ALLOWED_IN_BODY = frozenset({"\t", "\n", "\r"})
ZWJ = "\u200d"
EMOJI_TAGS = range(0xE0020, 0xE0080)  # subdivision flags (Scotland, Wales) are tag sequences
# Characters that show nothing: Unicode's Default_Ignorable_Code_Point set (zero-width space,
# joiners, word joiner, BOM, soft hyphen, direction marks, variation selectors, Hangul
# fillers, tags...) and the braille blank, which is drawn as an empty cell.
INVISIBLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x2800, 0x2800),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)


def forbidden_in_body(ch: str) -> bool:
    """Controls (category Cc) but tab, CR and LF; direction marks may stay in a body, whose
    paragraphs end every embedding."""
    return unicodedata.category(ch) == "Cc" and ch not in ALLOWED_IN_BODY


def forbidden_in_name(ch: str) -> bool:
    """Controls and invisible formatting characters (Cc, Cf) but the joiner and the tags
    of emoji sequences."""
    return unicodedata.category(ch) in {"Cc", "Cf"} and ch != ZWJ and ord(ch) not in EMOJI_TAGS


def invisible(ch: str) -> bool:
    """A character that shows nothing by itself (see INVISIBLE)."""
    code = ord(ch)
    return any(low <= code <= high for low, high in INVISIBLE)


def is_blank(text: str) -> bool:
    """Nothing a reader would see: empty, whitespace, invisible characters or a mix."""
    return all(ch.isspace() or invisible(ch) for ch in text)


def comparable(text: str) -> str:
    """The form two texts are compared in to find the same words said twice: compatibility
    normal form (NFKC: full-width letters, ligatures, composed accents), case folded,
    without invisible characters, whitespace runs as one space."""
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return " ".join("".join(ch for ch in text if not invisible(ch)).split())


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
    stripped; empty when nothing in it shows (see is_blank). It may come out empty; it is not
    cut to the length a new one may have."""
    body = _without(body, forbidden_in_body).strip()
    return "" if is_blank(body) else body


def stored_name(name: str) -> str:
    """A stored name as the rules would have let it in: one line, without forbidden
    characters (dropping one may leave two spaces together: one line again); empty when
    nothing in it shows."""
    name = one_line(_without(one_line(name), forbidden_in_name))
    return "" if is_blank(name) else name
