"""Reads whose queryset is built and compiled once, then run again with new values.

The article page's reads spent more of their time in the ORM building and compiling SQL
(``filter()``, ``as_sql()``) than waiting for the database (docs/decisions.md, "Where the cold
article page's time goes"). A ``Prepared`` read builds its queryset once per shape with
stand-in values, compiles it once per thread and database connection, and then only swaps the
values among the compiled parameters: the rows still come through Django's own iterables
(model instances, ``values_list`` tuples, the backend's converters, prefetches), so what a
caller gets is what the plain queryset gives, in the same number of queries.

Values are ints, strings, dates and datetimes, or lists of ints (a list's length is part
of the shape).
Anything that is not a parameter of the SQL (a LIMIT, a bool that picks a branch, an order)
must go in ``shape``: a stand-in the compiled parameters do not hold is refused at once
rather than run with the stand-in in the SQL text.
"""

import datetime
import threading
from collections import OrderedDict
from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet

SHAPES_KEPT = 64  # compiled shapes per thread and read (a thread page per page number…)
_BASE_INT = 7_340_000_000  # stand-ins: values no real row or argument holds
_BASE_TIME = datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC)


class NotAParameter(ValueError):
    """A value the compiled SQL does not hold as a parameter (it belongs in ``shape``)."""


class _StandIns:
    def __init__(self):
        self.count = 0
        self.found: dict = {}  # stand-in (raw and as adapted for the database) -> name, index

    def make(self, name: str, value, index=None):
        self.count += 1
        if isinstance(value, bool) or value is None:
            raise NotAParameter(f"{name}: a bool or None picks the SQL: pass it in shape")
        if isinstance(value, int):
            stand_in = _BASE_INT + self.count
        elif isinstance(value, str):
            stand_in = f"\x1fprepared-{self.count}\x1f"
        elif isinstance(value, datetime.datetime):
            stand_in = _BASE_TIME + datetime.timedelta(microseconds=self.count)
        elif isinstance(value, datetime.date):
            stand_in = _BASE_TIME.date() + datetime.timedelta(days=self.count)
        elif isinstance(value, list | tuple) and index is None:
            return [self.make(name, item, position) for position, item in enumerate(value)]
        else:
            raise NotAParameter(f"{name}: {type(value).__name__} values are not supported")
        self.found[stand_in] = (name, index)
        return stand_in


class Prepared:
    """``Prepared(build)``: ``build(*shape, **values)`` returns the queryset;
    ``read(shape, **values)`` returns its rows (a list), as ``list(build(*shape, **values))``
    would. ``shape`` is a tuple of what changes the SQL's text (an order, a LIMIT)."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._local = threading.local()

    def read(self, shape=(), /, **values) -> list:
        lengths = tuple(len(v) for v in values.values() if isinstance(v, list | tuple))
        key = (shape, lengths, tuple(values))
        template, compiler, sql, slots, adapt = self._compiled(key, shape, values)
        params = tuple(
            constant
            if name is None
            else adapt(values[name] if index is None else values[name][index])
            for constant, name, index in slots
        )
        queryset = template._chain()

        def get_compiler(using=None, connection=None, elide_empty=True):
            compiler.as_sql = lambda *args, **kwargs: (sql, params)
            return compiler

        queryset.query.get_compiler = get_compiler
        # Evaluated here and never handed out: a queryset made from this one (a filter, a
        # count) would run the compiled SQL again, whatever it asked.
        return list(queryset)

    def _compiled(self, key, shape, values):
        """The compiled read for ``key`` on the database the routers pick for it now (a
        reader's GET may go to a replica: core/dbrouter.py), kept per thread."""
        shapes = getattr(self._local, "shapes", None)
        if shapes is None:
            shapes = self._local.shapes = OrderedDict()
        built = shapes.get(key)
        if built is None:
            stand_ins = _StandIns()
            stand_in_values = {name: stand_ins.make(name, v) for name, v in values.items()}
            built = shapes[key] = (self.build(*shape, **stand_in_values), stand_ins, {})
            if len(shapes) > SHAPES_KEPT:
                shapes.popitem(last=False)
        shapes.move_to_end(key)
        template, stand_ins, by_alias = built
        connection = connections[template.db]
        compiled = by_alias.get(connection.alias)
        if compiled is None or compiled[1].connection is not connection:
            compiled = by_alias[connection.alias] = self._compile(template, stand_ins, connection)
        return compiled

    def _compile(self, template, stand_ins, connection):
        compiler = template.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        ops = connection.ops

        def adapt(value):
            if isinstance(value, datetime.datetime):
                return ops.adapt_datetimefield_value(value)
            if isinstance(value, datetime.date):
                return ops.adapt_datefield_value(value)
            return value

        lookup = dict(stand_ins.found)
        for stand_in, place in stand_ins.found.items():
            lookup[adapt(stand_in)] = place
        slots, seen = [], set()
        for param in params:
            place = lookup.get(param) if isinstance(param, int | str | datetime.date) else None
            if place is None or isinstance(param, bool):
                slots.append((param, None, None))
            else:
                slots.append((None, *place))
                seen.add(place)
        missing = set(stand_ins.found.values()) - seen
        if missing:
            names = ", ".join(sorted({name for name, _ in missing}))
            raise NotAParameter(f"not parameters of the compiled SQL (pass in shape): {names}")
        return template, compiler, sql, slots, adapt
