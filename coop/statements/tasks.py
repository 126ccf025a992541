"""The statements domain's queued work (see coop.tasks): batch PDFs."""
from __future__ import annotations

from flask import Flask
from huey import Huey

from coop.statements import jobs


def register(huey: Huey, app: Flask) -> None:
    @huey.task(name=jobs.RUN_QUEUE_TASK)
    def run_queue(cooperative_id: int) -> None:
        with app.app_context():
            jobs.run_queue(cooperative_id)

    app.extensions[jobs.RUN_QUEUE_TASK] = run_queue


def recover(app: Flask) -> None:
    with app.app_context():
        for cooperative_id in jobs.requeue_interrupted():
            jobs.dispatch(cooperative_id)
