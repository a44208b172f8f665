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
# Stand-ins, two sets: each shape is built and compiled with both, and a parameter is a
# value's place only where both compilations put that value's stand-in (a constant of the
# query that happens to equal one stand-in cannot equal the other). Small enough for every
# integer column (PostgreSQL refuses to compare a smallint with an out-of-range value).
_BASE_INTS = (20_000, 26_000)
_BASE_TIMES = (
    datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC),
    datetime.datetime(1902, 6, 1, tzinfo=datetime.UTC),
)


class NotAParameter(ValueError):
    """A value the compiled SQL does not hold as a parameter (it belongs in ``shape``)."""


class _StandIns:
    def __init__(self, variant: int):
        self.count = 0
        self.base_int, self.base_time = _BASE_INTS[variant], _BASE_TIMES[variant]
        self.found: dict = {}  # stand-in -> (name, index)

    def make(self, name: str, value, index=None):
        self.count += 1
        if isinstance(value, bool) or value is None:
            raise NotAParameter(f"{name}: a bool or None picks the SQL: pass it in shape")
        if isinstance(value, int):
            stand_in = self.base_int + self.count
        elif isinstance(value, str):
            stand_in = f"\x1fprepared-{self.base_int}-{self.count}\x1f"
        elif isinstance(value, datetime.datetime):
            stand_in = self.base_time + datetime.timedelta(microseconds=self.count)
        elif isinstance(value, datetime.date):
            stand_in = self.base_time.date() + datetime.timedelta(days=self.count)
        elif isinstance(value, list | tuple) and index is None:
            return [self.make(name, item, position) for position, item in enumerate(value)]
        else:
            raise NotAParameter(f"{name}: {type(value).__name__} values are not supported")
        self.found[stand_in] = (name, index)
        return stand_in

    def places(self, params, adapt) -> list:
        """Each compiled parameter's (name, index), or None for a constant."""
        lookup = dict(self.found)
        lookup |= {adapt(stand_in): place for stand_in, place in self.found.items()}
        return [
            lookup.get(param)
            if isinstance(param, int | str | datetime.date) and not isinstance(param, bool)
            else None
            for param in params
        ]


class Prepared:
    """``Prepared(build)``: ``build(*shape, **values)`` returns the queryset;
    ``read(shape, **values)`` returns its rows (a list), as ``list(build(*shape, **values))``
    would. ``shape`` is a tuple of what changes the SQL's text (an order, a LIMIT)."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        # PostgreSQL keeps a statement run five times on a connection prepared, and may
        # then plan it once for any value (newsroom/settings.py). A read whose best plan
        # differs by orders of magnitude between values is written so it has one plan: the
        # thread's rows read comments alone (comments.threads.with_speakers), because joined
        # to the users table the plan made once read that table whole for every row.
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
            builds = []
            for variant in (0, 1):
                stand_ins = _StandIns(variant)
                stand_in_values = {name: stand_ins.make(name, v) for name, v in values.items()}
                builds.append((self.build(*shape, **stand_in_values), stand_ins))
            built = shapes[key] = (builds, {})
            if len(shapes) > SHAPES_KEPT:
                shapes.popitem(last=False)
        shapes.move_to_end(key)
        builds, by_alias = built
        connection = connections[builds[0][0].db]
        compiled = by_alias.get(connection.alias)
        if compiled is None or compiled[1].connection is not connection:  # a new connection
            compiled = by_alias[connection.alias] = self._compile(builds, connection)
        return compiled

    def _compile(self, builds, connection):
        ops = connection.ops

        def adapt(value):
            if isinstance(value, datetime.datetime):
                return ops.adapt_datetimefield_value(value)
            if isinstance(value, datetime.date):
                return ops.adapt_datefield_value(value)
            return value

        compiled = []
        for template, stand_ins in builds:
            compiler = template.query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            compiled.append((template, compiler, sql, params, stand_ins.places(params, adapt)))
        (template, compiler, sql, params, places), (_, _, other_sql, _, other_places) = compiled
        if other_sql != sql or len(other_places) != len(places):
            raise NotAParameter("a value changes the SQL's text (pass it in shape)")
        slots, seen = [], set()
        for param, place, other in zip(params, places, other_places, strict=True):
            if place is not None and place == other:
                slots.append((None, *place))
                seen.add(place)
            else:
                slots.append((param, None, None))
        missing = set(builds[0][1].found.values()) - seen
        if missing:
            names = ", ".join(sorted({name for name, _ in missing}))
            raise NotAParameter(f"not parameters of the compiled SQL (pass in shape): {names}")
        return template, compiler, sql, slots, adapt
