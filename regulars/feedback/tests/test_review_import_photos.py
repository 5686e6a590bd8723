"""The photo addresses of an imported Judge.me export are fetched, not lost: from a real HTTP
server on loopback, a PNG becomes the review's photo (in the public JSON), a GIF and a 404 are
refused with their reasons (listed on the import's run), an internal address is refused
without a connection, a busy server is tried again later, and importing again adds nothing."""

import io
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult
from PIL import Image

from regulars.commerce.models import ImportRun
from regulars.commerce.schemas import ProductIn
from regulars.commerce.services import upsert_product
from regulars.feedback.models import ImportedPhoto, Review, ReviewPhoto
from regulars.feedback.services.photo_fetch import do_fetch_imported_photos
from regulars.feedback.tasks import fetch_imported_photos
from regulars.feedback.tests.public_data import (
    fresh_public_state,  # noqa: F401
    reviews_path,
)
from regulars.feedback.tests.review_data import image_bytes
from regulars.feedback.tests.test_review_import import run_import

TASK_PATH = "regulars.feedback.tasks.fetch_imported_photos"
NOW = datetime(2026, 3, 5, 8, 30, tzinfo=UTC)
HEADER = (
    "title,body,rating,review_date,curated,reviewer_name,reviewer_email,product_id,picture_urls"
)

pytestmark = pytest.mark.usefixtures("media", "database_queue", "fresh_public_state")


# --- a real server of images, and every outgoing connection seen -----------------------------------


class ImageServer:
    """Serves `files` (path -> (status, content type, bytes)) on 127.0.0.1; records the paths."""

    def __init__(self):
        self.files: dict[str, tuple[int, str, bytes]] = {}
        self.requested: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requested.append(self.path)
                status, kind, body = server.files.get(
                    self.path.split("?", 1)[0], (404, "text/plain", b"gone")
                )
                self.send_response(status)
                self.send_header("Content-Type", kind)
                if status in (301, 302):
                    self.send_header("Location", body.decode())
                    body = b""
                if kind != "stream":  # a streamed body ends when the connection closes
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args):
                """Quiet: the test asserts on `requested`."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self):
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def images() -> Iterator[ImageServer]:
    with ImageServer() as server:
        server.files["/a.png"] = (200, "image/png", image_bytes("PNG", size=(30, 20)))
        server.files["/b.gif"] = (200, "image/png", image_bytes("GIF"))  # says PNG, is a GIF
        yield server


_CONNECTS: list[tuple] | None = None


def _audit(event, args):
    if event == "socket.connect" and _CONNECTS is not None:
        _CONNECTS.append(args[1])


sys.addaudithook(_audit)


@pytest.fixture
def connects() -> Iterator[list[tuple]]:
    """The address of every socket connection the test opens (Python's audit events)."""
    global _CONNECTS
    _CONNECTS = []
    try:
        yield _CONNECTS
    finally:
        _CONNECTS = None


@pytest.fixture
def shop(store):
    upsert_product(store, ProductIn(external_id="lp-1", title="Blue Train LP"), source="api")
    return store


def judgeme_file(tmp_path, rows: list[tuple[str, str]]):
    """A Judge.me export: one published review per (title, picture_urls)."""
    lines = [HEADER]
    for number, (title, pictures) in enumerate(rows, 1):
        lines.append(
            f'{title},Nice.,5,2025-03-0{number},ok,Ana,ana{number}@example.com,lp-1,"{pictures}"'
        )
    path = tmp_path / "judgeme.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def import_file(store, path, django_capture_on_commit_callbacks) -> str:
    """Import `path` (a full path: run_import's tests/data then gives way to it), running
    what its commit queues."""
    with django_capture_on_commit_callbacks(execute=True):
        code, out, err = run_import(store, str(path))
    assert code == 0, err
    return out


def photos_of(review) -> dict[int, tuple[str, str]]:
    return {
        p.position: (p.status, p.error)
        for p in ImportedPhoto.objects.filter(review=review).order_by("position")
    }


# --- the tests ---------------------------------------------------------------------------------


def test_a_png_is_kept_a_gif_and_a_404_are_refused_and_internal_addresses_never_reached(
    client, shop, images, connects, tmp_path, django_capture_on_commit_callbacks
):
    path = judgeme_file(
        tmp_path,
        [
            ("With photos", f"{images.url}/a.png, {images.url}/b.gif, {images.url}/missing.jpg"),
            ("Inside", "http://10.0.0.1/x.jpg,http://169.254.169.254/latest/meta-data/"),
        ],
    )

    out = import_file(shop, path, django_capture_on_commit_callbacks)

    assert "5 photo addresses queued for download" in out
    queued = DBTaskResult.objects.get(task_path=TASK_PATH)
    assert queued.args_kwargs == {"args": [shop.pk], "kwargs": {}}
    queued.delete()  # the worker took it
    assert not ReviewPhoto.objects.exists()

    assert fetch_imported_photos.call(shop.pk) == "1 fetched, 4 refused, 0 to try again"

    with_photos = Review.objects.get(store=shop, title="With photos")
    inside = Review.objects.get(store=shop, title="Inside")
    assert photos_of(with_photos) == {
        1: ("fetched", ""),
        2: ("refused", "only JPEG, PNG or WebP images"),
        3: ("refused", "127.0.0.1 answered HTTP 404"),
    }
    refused = photos_of(inside)
    assert refused[1][0] == refused[2][0] == "refused"
    assert refused[1][1].startswith("10.0.0.1 is a private network address")
    assert refused[2][1].startswith("169.254.169.254 is a link-local address")
    # Only the loopback server was connected to, once per address it serves.
    assert sorted(images.requested) == ["/a.png", "/b.gif", "/missing.jpg"]
    hosts = {address[0] for address in connects}
    assert hosts == {"127.0.0.1"}
    assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exists()

    # The PNG is the review's photo, checked and re-encoded like an upload, shown in public.
    (photo,) = ReviewPhoto.objects.filter(review=with_photos)
    assert (photo.content_type, photo.width, photo.height, photo.store_id) == (
        "image/png",
        30,
        20,
        shop.pk,
    )
    assert ImportedPhoto.objects.get(review=with_photos, position=1).photo == photo
    data = client.get(reviews_path(shop)).json()
    shown = {r["id"]: r["photos"] for r in data["reviews"]}
    assert len(shown[with_photos.pk]) == 1 and shown[inside.pk] == []
    served = client.get(urlsplit(shown[with_photos.pk][0]).path)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as image:
        assert (image.format, image.size) == ("PNG", (30, 20))

    # Each photo not kept is listed under the import, as a note on its row.
    run = ImportRun.objects.get(store=shop, kind="reviews")
    notes = [(e["line"], e["level"], e["message"]) for e in run.errors]
    assert (
        2,
        "warning",
        f"photo 2 ({images.url}/b.gif) not kept: only JPEG, PNG or WebP images",
    ) in notes
    assert len(notes) == 4 and {line for line, _, _ in notes} == {2, 3}

    # Importing the same file again creates nothing and queues nothing.
    out = import_file(shop, path, django_capture_on_commit_callbacks)
    assert "already imported:     2" in out and "photo address" not in out
    assert ImportedPhoto.objects.count() == 5 and ReviewPhoto.objects.count() == 1
    assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exists()


def test_a_busy_server_is_tried_again_later_and_a_missing_photo_is_not(
    shop, images, tmp_path, django_capture_on_commit_callbacks
):
    images.files["/busy.png"] = (503, "text/plain", b"busy")
    path = judgeme_file(tmp_path, [("Busy", f"{images.url}/busy.png {images.url}/gone.png")])
    import_file(shop, path, django_capture_on_commit_callbacks)
    DBTaskResult.objects.filter(task_path=TASK_PATH).delete()
    review = Review.objects.get(store=shop)

    with time_machine.travel(NOW, tick=False):
        assert fetch_imported_photos.call(shop.pk) == "0 fetched, 1 refused, 1 to try again"
    assert photos_of(review) == {
        1: ("pending", "127.0.0.1 answered HTTP 503"),
        2: ("refused", "127.0.0.1 answered HTTP 404"),
    }
    retry = DBTaskResult.objects.get(task_path=TASK_PATH)
    assert retry.run_after == NOW + timedelta(minutes=1)
    retry.delete()
    # Before the delay, nothing is fetched again.
    with time_machine.travel(NOW + timedelta(seconds=30), tick=False):
        assert do_fetch_imported_photos(shop.pk).summary == "0 fetched, 0 refused, 0 to try again"
    assert images.requested.count("/busy.png") == 1

    images.files["/busy.png"] = (200, "image/png", image_bytes("PNG"))
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        assert fetch_imported_photos.call(shop.pk) == "1 fetched, 0 refused, 0 to try again"
    assert photos_of(review)[1] == ("fetched", "")
    assert ImportedPhoto.objects.get(review=review, position=1).attempts == 2
    assert images.requested.count("/gone.png") == 1  # a 404 is not asked again
    assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exists()


def test_after_the_last_retry_a_busy_address_is_refused(
    shop, images, tmp_path, django_capture_on_commit_callbacks
):
    images.files["/busy.png"] = (500, "text/plain", b"down")
    path = judgeme_file(tmp_path, [("Busy", f"{images.url}/busy.png")])
    import_file(shop, path, django_capture_on_commit_callbacks)
    moment = NOW
    summaries = []
    for delay in (timedelta(0), timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1)):
        moment += delay
        with time_machine.travel(moment, tick=False):
            summaries.append(do_fetch_imported_photos(shop.pk).summary)
    assert summaries == ["0 fetched, 0 refused, 1 to try again"] * 3 + [
        "0 fetched, 1 refused, 0 to try again"
    ]
    photo = ImportedPhoto.objects.get()
    assert (photo.status, photo.error, photo.attempts) == (
        "refused",
        "127.0.0.1 answered HTTP 500",
        4,
    )


def test_redirects_too_large_files_and_other_schemes_are_refused(
    shop, images, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.REGULARS_REVIEW_PHOTO_MAX_BYTES = 2_000
    images.files["/moved.png"] = (302, "text/plain", b"http://169.254.169.254/latest/")
    images.files["/big.png"] = (
        200,
        "image/png",
        image_bytes("PNG", size=(300, 300), compress_level=0),
    )
    images.files["/stream.png"] = (200, "stream", b"\x89PNG" + b"0" * 50_000)
    links = f"{images.url}/moved.png;{images.url}/big.png;ftp://files.example/c.png"
    path = judgeme_file(tmp_path, [("Odd", f"{links};{images.url}/stream.png")])
    out = import_file(shop, path, django_capture_on_commit_callbacks)
    assert "3 photo addresses queued for download" in out  # ftp:// is no photo address

    do_fetch_imported_photos(shop.pk)

    review = Review.objects.get(store=shop)
    assert photos_of(review) == {
        1: (
            "refused",
            "127.0.0.1 redirected (HTTP 302) to http://169.254.169.254/latest/;"
            " redirects are not followed",
        ),
        2: ("refused", "> 2 KB; at most 2 KB per photo"),
        # No length announced: the reading stops past the limit.
        3: ("refused", "> 2 KB; at most 2 KB per photo"),
    }
    # The redirect was not followed.
    assert sorted(images.requested) == ["/big.png", "/moved.png", "/stream.png"]
    assert not ReviewPhoto.objects.exists()


def test_more_than_five_addresses_keep_five_and_the_task_touches_only_its_store(
    shop, other_store, images, tmp_path, django_capture_on_commit_callbacks
):
    urls = " ".join(f"{images.url}/a.png?n={n}" for n in range(7))
    import_file(shop, judgeme_file(tmp_path, [("Many", urls)]), django_capture_on_commit_callbacks)

    assert (
        do_fetch_imported_photos(other_store.pk).summary == "0 fetched, 0 refused, 0 to try again"
    )
    assert images.requested == []

    assert do_fetch_imported_photos(shop.pk).summary == "5 fetched, 0 refused, 0 to try again"
    review = Review.objects.get(store=shop)
    assert ReviewPhoto.objects.filter(review=review).count() == 5
    assert photos_of(review)[6] == ("refused", "at most 5 photos per review (the file gives more)")
    assert photos_of(review)[7][0] == "refused"
    assert not ImportedPhoto.objects.filter(store=other_store).exists()
