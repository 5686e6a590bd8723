"""Review photos: checked by opening them, stored under random names, served back publicly.

A photo is what Pillow finds inside the bytes, never what its name or Content-Type says: only
JPEG, PNG and WebP images pass, within a size (REGULARS_REVIEW_PHOTO_MAX_BYTES, 5 MB) and a
pixel count (REGULARS_REVIEW_PHOTO_MAX_PIXELS, 30 megapixels: a few kilobytes can declare an
image that would need gigabytes once decoded). Each accepted photo is decoded and saved again:
the copy kept holds only pixels, without the camera's metadata (the place a phone photo was
taken) or anything appended after the image data, and it is turned upright as the camera meant.

Files go to Django's default storage (MEDIA_ROOT) under reviews/<year>/<month>/<random>.<ext>.
The site serves no MEDIA_URL; views/reviews.py `review_photo` streams a ReviewPhoto's file,
and only the photos of a published review (or to the store's staff).
"""

import io
import secrets
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image, ImageOps, UnidentifiedImageError

from regulars.core.errors import RegularsError
from regulars.core.services import membership_for
from regulars.feedback.models import Review, ReviewPhoto, ReviewStatus

MAX_PHOTOS = 5
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 30_000_000

# Pillow's format name -> (content type, file extension, save options)
FORMATS = {
    "JPEG": ("image/jpeg", "jpg", {"quality": 88, "optimize": True}),
    "PNG": ("image/png", "png", {}),
    "WEBP": ("image/webp", "webp", {"quality": 88}),
}


# The reasons a photo is refused, as sentences with {placeholders}; the review page has them
# in the customer's language too (views/review_texts.py), under the same keys.
PROBLEMS = {
    "label": "photo {number} ({name})",
    "label_unnamed": "photo {number}",
    "too_many": "at most {max} photos per review ({chosen} were chosen)",
    "too_many_more": "at most {max} photos per review: it has {already} already and {chosen}"
    " more were chosen",
    "too_large": "{size}; at most {limit} per photo",
    "empty": "the file is empty",
    "pixels": "{width} × {height} pixels; at most {limit} megapixels",
    "type": "only JPEG, PNG or WebP images",
    "animated": "an animated image; only still photos",
}


class PhotoRefused(RegularsError):
    """Why a photo cannot be kept: `problem` (a key of PROBLEMS) with its values, and which
    photo (its number among those chosen, its file name)."""

    def __init__(self, problem: str, *, number: int | None = None, name: str = "", **params):
        self.problem = problem
        self.number = number
        self.name = name
        self.params = params
        super().__init__(self.describe(PROBLEMS), field="photos")

    def describe(self, sentences: dict[str, str]) -> str:
        """The message in the language of `sentences` (PROBLEMS or a translation of it)."""
        text = sentences[self.problem].format(**self.params)
        if self.number is None:
            return text
        key = "label" if self.name else "label_unnamed"
        return f"{sentences[key].format(number=self.number, name=self.name)}: {text}"


@dataclass
class CheckedPhoto:
    """A photo that passed: the bytes to keep and what they are."""

    name: str  # the customer's file name, for messages only
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int


def max_bytes() -> int:
    return getattr(settings, "REGULARS_REVIEW_PHOTO_MAX_BYTES", MAX_BYTES)


def max_pixels() -> int:
    return getattr(settings, "REGULARS_REVIEW_PHOTO_MAX_PIXELS", MAX_PIXELS)


def check_photos(files, *, already: int = 0) -> list[CheckedPhoto]:
    """Check every uploaded file (Django UploadedFile or any object with .name and .read());
    raise PhotoRefused naming the first file refused and why, before anything is stored."""
    files = [f for f in files or [] if f is not None]
    if already + len(files) > MAX_PHOTOS:
        if already:
            raise PhotoRefused("too_many_more", max=MAX_PHOTOS, already=already, chosen=len(files))
        raise PhotoRefused("too_many", max=MAX_PHOTOS, chosen=len(files))
    return [check_photo(f, number) for number, f in enumerate(files, already + 1)]


def check_photo(upload, number: int) -> CheckedPhoto:
    name = _display_name(getattr(upload, "name", "") or "")
    where = {"number": number, "name": name}
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise PhotoRefused("too_large", **where, size=megabytes(size), limit=megabytes(limit))
    if hasattr(upload, "seek"):
        upload.seek(0)
    raw = upload.read(limit + 1)
    if len(raw) > limit:
        raise PhotoRefused(
            "too_large", **where, size=f"> {megabytes(limit)}", limit=megabytes(limit)
        )
    if not raw:
        raise PhotoRefused("empty", **where)
    try:
        return _reencoded(raw, name, where)
    except PhotoRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        # Not an image at all (a PDF, a text file), or a damaged one.
        raise PhotoRefused("type", **where) from None


def _reencoded(raw: bytes, name: str, where: dict) -> CheckedPhoto:
    pixels = max_pixels()
    limit = _megapixels(pixels)
    with warnings.catch_warnings():
        # Pillow warns (and past twice its own limit refuses) on huge images; ours is lower.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(raw), formats=list(FORMATS))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoRefused("pixels", **where, width="?", height="?", limit=limit) from None
        width, height = image.size
        if width * height > pixels:
            raise PhotoRefused(
                "pixels", **where, width=f"{width:,}", height=f"{height:,}", limit=limit
            )
        fmt = image.format
        if fmt not in FORMATS:
            raise PhotoRefused("type", **where)
        if getattr(image, "n_frames", 1) > 1:
            raise PhotoRefused("animated", **where)
        image.load()  # decodes every pixel: a truncated or damaged file fails here
    upright = ImageOps.exif_transpose(image)
    content_type, extension, options = FORMATS[fmt]
    if fmt == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    out = io.BytesIO()
    upright.save(out, format=fmt, **options)  # no exif= given: the metadata stays behind
    return CheckedPhoto(
        name=name,
        data=out.getvalue(),
        content_type=content_type,
        extension=extension,
        width=upright.width,
        height=upright.height,
    )


def do_store_photos(review: Review, photos: list[CheckedPhoto]) -> list[ReviewPhoto]:
    """Write the checked photos to storage and their rows; on failure remove what was written,
    so that a refused review leaves no file behind."""
    stored: list[ReviewPhoto] = []
    try:
        for photo in photos:
            row = ReviewPhoto(
                store_id=review.store_id,
                review=review,
                content_type=photo.content_type,
                size=len(photo.data),
                width=photo.width,
                height=photo.height,
            )
            row.image.save(
                f"{secrets.token_hex(16)}.{photo.extension}", ContentFile(photo.data), save=False
            )
            stored.append(row)
            row.save()
    except BaseException:
        delete_files(stored)
        raise
    return stored


def delete_files(photos) -> None:
    for photo in photos:
        if photo.image.name:
            photo.image.storage.delete(photo.image.name)


def access_served_photo(photo_id: int, user) -> ReviewPhoto | None:
    """The photo to serve: any photo of a published review; to the store's staff (signed in
    to the dashboard) also the photos of reviews waiting for moderation or hidden."""
    photo = ReviewPhoto.objects.select_related("review", "store").filter(pk=photo_id).first()
    if photo is None:
        return None
    if photo.review.status == ReviewStatus.PUBLISHED:
        return photo
    if user is not None and user.is_authenticated and membership_for(user, photo.store):
        return photo
    return None


def photo_url(photo: ReviewPhoto) -> str:
    """The public address of a photo (served by views.reviews.review_photo while its review is
    published). Counting ids reveals nothing that the store's widget does not show anyway."""
    return settings.BASE_URL + reverse("feedback:review-photo", args=[photo.pk])


def _display_name(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable())
    return name if len(name) <= 60 else name[:59] + "…"


def megabytes(size: int) -> str:
    """A file size as people read it: "5 MB", "6.2 MB", "340 KB"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(size / 1024))} KB"


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:g}"
