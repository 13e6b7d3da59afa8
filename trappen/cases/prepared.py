"""Fixed-shape ORM queries compiled once per database connection.

Building and compiling a queryset with `select_related` costs Django about a millisecond, far
more than SQLite takes to run it; a page that reads the same shape of query on every request
(the case by its id, the case's decisions) pays that each time. `Prepared` compiles the
queryset once with sentinel values, remembers where they sit among the parameters, and per call
fills in the real values, runs the SQL and builds the model instances (with their
`select_related` relations) exactly as Django's `ModelIterable` does. The statement is the ORM's
own, so it follows the models; only the values change.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from django.db import connections
from django.db.models.query import get_related_populators


class Prepared:
    """`build(*sentinels)` returns the queryset; `instances(*values)` runs it with `values` in
    the sentinels' places. Each sentinel must be a value no real query uses (a negative id)."""

    def __init__(self, build: Callable, *sentinels: int):
        self._build = build
        self._sentinels = sentinels
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _compile(self, connection, using: str):
        queryset = self._build(*self._sentinels).using(using)
        compiler = queryset.query.get_compiler(using=using, connection=connection)
        sql, params = compiler.as_sql()
        places = [[i for i, p in enumerate(params) if p == s] for s in self._sentinels]
        if any(len(at) != 1 for at in places):
            raise ValueError(f"each sentinel must occur once in the parameters: {places}")
        klass_info, select = compiler.klass_info, compiler.select
        fields = select[klass_info["select_fields"][0] : klass_info["select_fields"][-1] + 1]
        compiled = {
            "sql": sql,
            "params": list(params),
            "places": [at[0] for at in places],
            "compiler": compiler,
            "model": klass_info["model"],
            "start": klass_info["select_fields"][0],
            "end": klass_info["select_fields"][-1] + 1,
            "init_list": [f[0].target.attname for f in fields],
            "populators": get_related_populators(klass_info, select, using),
        }
        self._compiled[connection] = compiled
        return compiled

    def instances(self, *values, using: str = "default") -> list:
        connection = connections[using]
        c = self._compiled.get(connection) or self._compile(connection, using)
        params = list(c["params"])
        for at, value in zip(c["places"], values, strict=True):
            params[at] = value
        with connection.cursor() as cursor:
            cursor.execute(c["sql"], params)
            rows = cursor.fetchall()
        model, start, end, init_list = c["model"], c["start"], c["end"], c["init_list"]
        objects = []
        for row in c["compiler"].results_iter([rows]):
            obj = model.from_db(using, init_list, row[start:end])
            for populator in c["populators"]:
                populator.populate(row, obj)
            objects.append(obj)
        return objects
