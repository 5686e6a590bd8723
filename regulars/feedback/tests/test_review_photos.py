"""Review photos: what Pillow finds in the bytes decides, not the name or the Content-Type; a
refused photo is named with the reason and nothing is stored; a kept one is a clean copy under
a random name, served back with its own type and nosniff while its review is published."""

import io

import pytest
from PIL import Image

from regulars.core.errors import RegularsError
from regulars.feedback.models import Review, ReviewPhoto, ReviewStatus
from regulars.feedback.services.photos import MAX_PHOTOS, megabytes
from regulars.feedback.services.reviews import do_moderate_review, do_submit_review
from regulars.feedback.tests.review_data import (
    NOW,
    PDF,
    image_bytes,
    order,
    product,
    review_path,
    stored_files,
    upload,
)
from regulars.feedback.tests.review_data import (
    settings_of as feedback_settings_of,
)

pytestmark = pytest.mark.usefixtures("media")


def submit(store, photos, rating=5):
    placed = order(store)
    return do_submit_review(
        store, placed.customer, placed, product(store), rating, "", "", photos=photos, now=NOW
    )


def refusal(store, photos) -> str:
    with pytest.raises(RegularsError) as refused:
        submit(store, photos)
    assert refused.value.field == "photos"
    return refused.value.message


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("holiday.jpg", image_bytes("GIF")),  # a GIF renamed .jpg
        ("scan.jpg", PDF),  # a PDF renamed .jpg
        ("notes.png", b"just some text, not an image"),
    ],
)
def test_a_file_that_is_not_a_jpeg_png_or_webp_is_refused_and_nothing_is_stored(
    store, media, name, data
):
    good = upload("first.jpg", image_bytes("JPEG"))
    message = refusal(store, [good, upload(name, data, "image/jpeg")])
    assert message == f"photo 2 ({name}): only JPEG, PNG or WebP images"
    assert not Review.objects.exists()
    assert not ReviewPhoto.objects.exists()
    assert stored_files(media) == []


def test_a_photo_over_the_size_limit_is_refused(store, media, settings):
    settings.REGULARS_REVIEW_PHOTO_MAX_BYTES = 2_000
    big = image_bytes("PNG", size=(300, 300), compress_level=0)
    assert len(big) > 2_000
    message = refusal(store, [upload("big.png", big, "image/png")])
    assert message == f"photo 1 (big.png): {megabytes(len(big))}; at most 2 KB per photo"
    assert (megabytes(5 * 1024 * 1024), megabytes(6_500_000)) == ("5 MB", "6.2 MB")
    assert stored_files(media) == []
    assert not Review.objects.exists()


def test_a_photo_of_too_many_pixels_is_refused_before_it_is_decoded(store, media, settings):
    settings.REGULARS_REVIEW_PHOTO_MAX_PIXELS = 10_000
    wide = image_bytes("PNG", size=(200, 100))
    message = refusal(store, [upload("wide.png", wide, "image/png")])
    assert message == "photo 1 (wide.png): 200 × 100 pixels; at most 0.01 megapixels"
    assert stored_files(media) == []


def test_more_than_five_photos_are_refused(store, media):
    files = [upload(f"p{n}.jpg", image_bytes()) for n in range(MAX_PHOTOS + 1)]
    assert refusal(store, files) == "at most 5 photos per review (6 were chosen)"
    assert stored_files(media) == []


def test_a_kept_photo_is_a_clean_copy_under_a_random_name(store, media):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (13.0, 45.0, 0.0)}  # GPSInfo: where the photo was taken
    original = image_bytes("JPEG", size=(64, 48), exif=exif.tobytes())
    assert b"PhoneMaker" in original
    review = submit(store, [upload("IMG_0042.jpg", original + b"<html>appended</html>")])
    photo = review.photos.get()
    assert (photo.content_type, photo.width, photo.height) == ("image/jpeg", 64, 48)
    files = stored_files(media)
    assert len(files) == 1
    assert files[0].startswith("reviews/") and files[0].endswith(".jpg")
    assert "IMG_0042" not in files[0]
    kept = (media / files[0]).read_bytes()
    assert b"PhoneMaker" not in kept and b"appended" not in kept
    assert Image.open(io.BytesIO(kept)).getexif().get(0x8825) is None
    assert photo.size == len(kept)


def test_photos_are_sent_through_the_review_page_too(client, store, media):
    placed = order(store)
    blue = product(store)
    gif = upload("cat.jpg", image_bytes("GIF"), "image/jpeg")
    page = client.post(review_path(placed), {"product": blue.pk, "rating": "5", "photos": [gif]})
    assert page.status_code == 400
    assert "photo 1 (cat.jpg): only JPEG, PNG or WebP images" in page.content.decode()
    assert not Review.objects.exists() and stored_files(media) == []

    webp = upload("fine.webp", image_bytes("WEBP"), "image/webp")
    sent = client.post(review_path(placed), {"product": blue.pk, "rating": "5", "photos": [webp]})
    assert sent.status_code == 303
    assert Review.objects.get().photos.get().content_type == "image/webp"


def test_a_thai_customer_reads_the_photo_problem_in_thai(client, store, media):
    placed = order(store, language="th")
    gif = upload("แมว.jpg", image_bytes("GIF"), "image/jpeg")
    page = client.post(
        review_path(placed), {"product": product(store).pk, "rating": "5", "photos": [gif]}
    )
    assert "รูปที่ 1 (แมว.jpg): รับเฉพาะรูป JPEG, PNG หรือ WebP" in page.content.decode()


def test_photos_are_served_only_while_their_review_is_published(client, store, owner, media):
    feedback_settings_of(store, auto_publish_min_rating=0)
    review = submit(store, [upload("a.png", image_bytes("PNG"), "image/png")])
    photo = review.photos.get()
    path = f"/f/photos/{photo.pk}/"
    assert client.get(path).status_code == 404  # waiting for moderation: not public

    client.force_login(owner)  # the store's staff see it, for moderation
    staff = client.get(path)
    assert staff.status_code == 200
    assert staff["Cache-Control"] == "private, no-store"
    client.logout()

    do_moderate_review(review, "approve", "", owner)
    served = client.get(path)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(served.streaming_content) == photo.image.open("rb").read()

    do_moderate_review(review, "hide", "off-topic picture", owner)
    assert client.get(path).status_code == 404
    assert client.get("/f/photos/999999/").status_code == 404


def test_staff_of_another_store_do_not_see_a_pending_photo(client, store, outsider, media):
    feedback_settings_of(store, auto_publish_min_rating=0)
    review = submit(store, [upload("a.jpg", image_bytes())])
    assert review.status == ReviewStatus.PENDING
    client.force_login(outsider)
    assert client.get(f"/f/photos/{review.photos.get().pk}/").status_code == 404
