"""A real worker process killed at the dangerous moments of a journey's send (issue 5): the
customer never gets the message twice, and the journey never loses the step.

Each test places an order with the order confirmation on and starts the task worker of
`regulars serve` (db_worker) as a child process, on the test's database and the real SMTP
server. The worker says on a pipe when it has reached the chosen point and waits there
(killable_worker.py: one function wrapped in the child, the product code unchanged); the test
SIGKILLs it, then a fresh worker runs in this process minute by minute, the clock moved with
time-machine, through the stale-claim timeout and the ticks that recover what the dead one left.

- "sent", the SMTP server has the message and its outcome is not written: failed, never twice;
- "queued", the journey's transaction dies with the message in it: the step is taken again by
  the journeys' tick and the message sent once;
- "claimed", claimed and never handed over: queued again once the claim is stale, sent once.
"""

import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from regulars.journeys.models import Enrollment, EnrollmentStatus, StepOutcome, StepRun
from regulars.journeys.schedule import TICK as JOURNEYS_TICK
from regulars.journeys.schedule import ensure_journeys_tick
from regulars.journeys.tests.journey_data import journey_on, ordered, subscriber
from regulars.messaging.models import Message, MessageStatus
from regulars.messaging.schedule import TICK as DISPATCH_TICK
from regulars.messaging.schedule import ensure_dispatch_tick
from regulars.messaging.services.sending import STALE_CLAIM
from regulars.messaging.tests.email_delivery import history

pytestmark = pytest.mark.django_db(transaction=True)

NEVER_TWICE = "the worker stopped while sending it; not retried so that it is never sent twice"
# The worker is up in about a second and at its point a moment later; this is only a bound.
REACH_SECONDS = 30
WORKER_NAME = "killed-worker"


@pytest.fixture
def queue(settings):
    """The database task queue, as in production: the worker takes its tasks from there."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class SharedDatabase:
    """The test's database, reached by a worker process. PostgreSQL: the test database itself.
    SQLite: the test database is in this process's memory, so the worker gets a file copy of
    it, and what the worker left there is copied back once it is dead."""

    def __init__(self, path: Path):
        self.sqlite = connection.vendor == "sqlite"
        self.path = path

    def url(self) -> str:
        if self.sqlite:
            return f"sqlite:///{self.path}"
        # The worker's connections are named, to see them gone (take_back).
        parts = urlsplit(os.environ["DATABASE_URL"])
        query = urlencode([*parse_qsl(parts.query), ("application_name", WORKER_NAME)])
        name = connection.settings_dict["NAME"]
        return urlunsplit(parts._replace(path=f"/{name}", query=query))

    def lend(self) -> None:
        if self.sqlite:
            connection.ensure_connection()
            with closing(sqlite3.connect(self.path)) as copy:
                connection.connection.backup(copy)

    def take_back(self) -> None:
        if self.sqlite:
            with closing(sqlite3.connect(self.path)) as copy:
                copy.backup(connection.connection)
            return
        # PostgreSQL ends a dead client's session (and rolls back its transaction) once it
        # notices the closed socket: wait for that, so that no row stays locked by it.
        for _ in range(200):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND application_name = %s",
                    [WORKER_NAME],
                )
                if cursor.fetchone()[0] == 0:
                    return
            time.sleep(0.05)
        pytest.fail("the killed worker's database sessions did not end")


@pytest.fixture
def database(tmp_path) -> SharedDatabase:
    return SharedDatabase(tmp_path / "regulars.sqlite3")


def kill_worker_at(point: str, database: SharedDatabase, smtp_server, tmp_path: Path) -> datetime:
    """Start a worker process, SIGKILL it when it reaches `point`, take its database back;
    the time it was killed."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DATABASE_URL", "EMAIL_", "REGULARS_", "ANYMAIL_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="regulars.settings",
        DATABASE_URL=database.url(),
        REGULARS_VAR_DIR=str(tmp_path / "var"),
        REGULARS_BASE_URL=django_settings.BASE_URL,
        REGULARS_TASKS="database",
        SECRET_KEY=django_settings.SECRET_KEY,
        EMAIL_HOST=smtp_server.host,
        EMAIL_PORT=str(smtp_server.port),
        DEBUG="0",
    )
    database.lend()
    reader, writer = os.pipe()
    log = tmp_path / "worker.log"
    try:
        with log.open("w") as out:
            worker = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "regulars.journeys.tests.killable_worker",
                    point,
                    str(writer),
                ],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                pass_fds=(writer,),
            )
        os.close(writer)  # the worker holds the only writer: its death ends the pipe
        try:
            ready, _, _ = select.select([reader], [], [], REACH_SECONDS)
            said = os.read(reader, 64).decode().strip() if ready else ""
            os.kill(worker.pid, signal.SIGKILL)
        finally:
            if worker.poll() is None:
                worker.kill()
            worker.wait(timeout=REACH_SECONDS)
    finally:
        os.close(reader)
    assert said == point, f"the worker never reached {point!r}:\n{log.read_text()}"
    assert worker.returncode == -signal.SIGKILL
    killed_at = timezone.now()
    database.take_back()
    return killed_at


def fresh_worker(since: datetime, until: datetime) -> None:
    """A worker started after the dead one, running from `since` to `until`: each minute (the
    journeys' tick) it runs every task due, the clock moved by time-machine."""
    at = since
    while at <= until:
        with time_machine.travel(at, tick=False):
            Worker(
                queue_names=["default"],
                interval=0,
                batch=True,  # every task due now, then it stops until the next minute
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id="fresh-worker",
                excluded_queue_names=[],
            ).run()
        at += timedelta(minutes=1)


def confirmation_due(store) -> Enrollment:
    """An order placed with the order confirmation on: the enrollment due at once and the run
    that takes it queued; the journeys' and the dispatcher's ticks waiting, as `migrate`
    leaves them."""
    ensure_journeys_tick()
    ensure_dispatch_tick()
    journey_on(store, "order_confirmation")
    ordered(store, subscriber(store, "ada"), "1001", timezone.now())
    return Enrollment.objects.get(store=store, journey__key="order_confirmation")


def assert_recorded_once(enrollment: Enrollment, message: Message) -> None:
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.COMPLETED
    [step] = StepRun.objects.filter(enrollment=enrollment)
    assert (step.step_index, step.outcome, step.message_id) == (0, StepOutcome.QUEUED, message.pk)


def test_killed_after_the_smtp_server_took_the_message_it_is_never_sent_again(
    store, queue, database, smtp_server, tmp_path
):
    enrollment = confirmation_due(store)

    killed_at = kill_worker_at("sent", database, smtp_server, tmp_path)

    # The server has the message; the database only knows it was being handed over.
    assert [r.rcpt_tos for r in smtp_server.received] == [("ada@example.com",)]
    [message] = Message.objects.filter(store=store)
    assert message.status == MessageStatus.SENDING
    assert message.handed_over_at is not None
    assert_recorded_once(enrollment, message)  # the journey's own transaction had committed

    # The dispatcher's tick finds the claim stale, and the message may have gone: not again.
    fresh_worker(killed_at, killed_at + STALE_CLAIM + DISPATCH_TICK * 2)
    fresh_worker(killed_at + timedelta(days=1), killed_at + timedelta(days=1))

    assert len(smtp_server.received) == 1
    message.refresh_from_db()
    assert (message.status, message.status_reason) == (MessageStatus.FAILED, NEVER_TWICE)
    assert history(message) == [MessageStatus.QUEUED, MessageStatus.FAILED]
    assert Message.objects.filter(store=store).count() == 1
    assert_recorded_once(enrollment, message)


def test_killed_before_the_step_was_recorded_the_step_is_taken_again_and_sent_once(
    store, queue, database, smtp_server, tmp_path
):
    enrollment = confirmation_due(store)

    killed_at = kill_worker_at("queued", database, smtp_server, tmp_path)

    # The message, the step and the enrollment's move were one transaction: none of it stayed.
    assert not Message.objects.filter(store=store).exists()
    assert not StepRun.objects.filter(enrollment=enrollment).exists()
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.step_index) == (EnrollmentStatus.ACTIVE, 0)
    assert enrollment.next_run_at <= killed_at

    # The run the dead worker held is lost with it; the journeys' next tick takes the step.
    fresh_worker(killed_at, killed_at + JOURNEYS_TICK)
    assert len(smtp_server.received) == 1
    fresh_worker(killed_at + timedelta(days=1), killed_at + timedelta(days=1))

    assert [r.rcpt_tos for r in smtp_server.received] == [("ada@example.com",)]
    [message] = Message.objects.filter(store=store)
    assert message.status == MessageStatus.SENT
    assert history(message) == [MessageStatus.QUEUED, MessageStatus.SENT]
    assert_recorded_once(enrollment, message)


def test_killed_after_claiming_the_message_before_handing_it_over_it_is_sent_once(
    store, queue, database, smtp_server, tmp_path
):
    enrollment = confirmation_due(store)

    killed_at = kill_worker_at("claimed", database, smtp_server, tmp_path)

    assert smtp_server.received == []
    [message] = Message.objects.filter(store=store)
    assert (message.status, message.handed_over_at) == (MessageStatus.SENDING, None)
    assert_recorded_once(enrollment, message)

    # The claim is respected while it is fresh; then the dispatcher's tick puts the message
    # back in the queue and sends it.
    fresh_worker(killed_at, killed_at + STALE_CLAIM - timedelta(minutes=1))
    assert smtp_server.received == []
    fresh_worker(killed_at + STALE_CLAIM, killed_at + STALE_CLAIM + DISPATCH_TICK * 2)
    fresh_worker(killed_at + timedelta(days=1), killed_at + timedelta(days=1))

    assert [r.rcpt_tos for r in smtp_server.received] == [("ada@example.com",)]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert history(message) == [MessageStatus.QUEUED, MessageStatus.QUEUED, MessageStatus.SENT]
    assert_recorded_once(enrollment, message)
