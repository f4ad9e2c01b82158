"""Flask app for `bench/run --server` (gunicorn, `gthread` and `gevent` workers): the
extension's routes plus `/bare` returning the same JSON as a session read."""

from __future__ import annotations

from _spec import BARE_JSON, config
from flask import Flask, Response

from authcore.adapters.flask import AuthCore

app = Flask("authcore_bench_server")


@app.get("/bare")
def bare() -> Response:
    return Response(BARE_JSON, mimetype="application/json")


AuthCore(app, config())
