"""The task worker of `regulars serve` (django-tasks-db's db_worker), made to stop dead at one
point so that a test can SIGKILL it there (test_journeys_killed_worker.py).

    python -m regulars.journeys.tests.killable_worker POINT FD

It works on the database and SMTP server that its environment names (DATABASE_URL, EMAIL_HOST,
EMAIL_PORT), like any worker. One function is wrapped in this process only, the product code
is unchanged: on reaching POINT the worker writes POINT and a newline to the file descriptor
FD (a pipe the test reads) and waits there to be killed.

In the order a journey's message goes through them:
- "queued": a journey's send step has queued its message, inside the transaction that has not
  yet recorded the step (`journeys.steps.do_queue_message` returned);
- "claimed": the dispatcher has claimed the due messages (committed) and handed none of them
  to a channel yet (`messaging.services.sending._dispatch_store` called);
- "sent": a message was handed to its channel and accepted (the SMTP server answered 250), and
  its outcome is about to be written (`messaging.services.sending._record` called).
"""

import os
import sys
import time

# If the test never kills the worker (the test process died first), the worker exits alone.
ORPHAN_SECONDS = 60


def stop_here(fd: int, point: str) -> None:
    os.write(fd, f"{point}\n".encode())
    time.sleep(ORPHAN_SECONDS)
    os._exit(3)


def stop_after_claiming(fd: int) -> None:
    from regulars.messaging.services import sending

    def stop(messages, now):
        stop_here(fd, "claimed")

    sending._dispatch_store = stop


def stop_before_recording_a_send(fd: int) -> None:
    from regulars.messaging.models import MessageStatus
    from regulars.messaging.services import sending

    record = sending._record

    def record_or_stop(results, now):
        if any(outcome.status == MessageStatus.SENT for _message, outcome in results):
            stop_here(fd, "sent")
        return record(results, now)

    sending._record = record_or_stop


def stop_after_queueing_a_step(fd: int) -> None:
    from regulars.journeys import steps

    queue = steps.do_queue_message

    def queue_then_stop(*args, **kwargs):
        message = queue(*args, **kwargs)
        stop_here(fd, "queued")
        return message

    steps.do_queue_message = queue_then_stop


POINTS = {
    "queued": stop_after_queueing_a_step,
    "claimed": stop_after_claiming,
    "sent": stop_before_recording_a_send,
}


def main(point: str, fd: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regulars.settings")
    import django

    django.setup()
    from django.core.management import call_command

    POINTS[point](fd)
    call_command(
        "db_worker", "--interval", "0.05", "--no-startup-delay", "--no-reload", verbosity=1
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
