"""How many SMS segments a text costs (3GPP TS 23.038 alphabets, concatenated SMS).

GSM-7: 160 septets in a single message, 153 per part when concatenated (the rest of each part
is the concatenation header); the extension table's characters take two septets (escape +
character) and are never split across parts. Anything outside GSM-7 makes the whole message
UCS-2: 70 UTF-16 code units single, 67 per part, an emoji (a surrogate pair) counting two and
never split. Thai and Armenian are UCS-2.
"""

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7 = "GSM-7"
UCS2 = "UCS-2"
_LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}


@dataclass(frozen=True)
class Segments:
    encoding: str  # "GSM-7" or "UCS-2"
    characters: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    per_segment: int  # capacity of each segment at this length (160, 153, 70 or 67)


def sms_segments(text: str) -> Segments:
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text):
        encoding = GSM7
        units = [2 if ch in GSM7_EXTENSION else 1 for ch in text]
    else:
        encoding = UCS2
        units = [2 if ord(ch) > 0xFFFF else 1 for ch in text]
    single, part = _LIMITS[encoding]
    total = sum(units)
    if total == 0:
        return Segments(encoding, 0, 0, single)
    if total <= single:
        return Segments(encoding, total, 1, single)
    return Segments(encoding, total, _parts(units, part), part)


def _parts(units: list[int], capacity: int) -> int:
    """Fill parts greedily; a two-unit character that does not fit starts the next part."""
    parts, used = 1, 0
    for size in units:
        if used + size > capacity:
            parts, used = parts + 1, 0
        used += size
    return parts
