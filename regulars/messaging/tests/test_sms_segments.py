"""SMS segment counts: GSM-7 160/153, UCS-2 70/67, at the exact boundaries."""

import pytest

from regulars.messaging.rendering import Segments, sms_segments


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Segments("GSM-7", 0, 0, 160)),
        ("a", Segments("GSM-7", 1, 1, 160)),
        ("a" * 160, Segments("GSM-7", 160, 1, 160)),
        ("a" * 161, Segments("GSM-7", 161, 2, 153)),
        ("a" * 306, Segments("GSM-7", 306, 2, 153)),
        ("a" * 307, Segments("GSM-7", 307, 3, 153)),
        # The GSM-7 basic set includes these accented letters, Greek capitals and newlines.
        ("é@£$¥ΔΦΓΛΩΠΨΣΘΞÄÖÑÜ§¿äöñüà\n", Segments("GSM-7", 27, 1, 160)),
    ],
)
def test_gsm7_segments(text, expected):
    assert sms_segments(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Each extension character (^{}\[~]|€) takes two septets.
        ("€" * 80, Segments("GSM-7", 160, 1, 160)),
        ("a" * 159 + "€", Segments("GSM-7", 161, 2, 153)),
        ("a" * 158 + "{", Segments("GSM-7", 160, 1, 160)),
        ("^{}\\[~]|€", Segments("GSM-7", 18, 1, 160)),
        # 152 + 2 + 152 = 306 septets would fill two parts of 153, but the escape and its
        # character are never split: the € opens the second part and the text needs three.
        ("a" * 152 + "€" + "a" * 152, Segments("GSM-7", 306, 3, 153)),
        ("a" * 151 + "€" + "a" * 153, Segments("GSM-7", 306, 2, 153)),
    ],
)
def test_gsm7_extension_characters(text, expected):
    assert sms_segments(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ก" * 70, Segments("UCS-2", 70, 1, 70)),
        ("ก" * 71, Segments("UCS-2", 71, 2, 67)),
        ("ก" * 134, Segments("UCS-2", 134, 2, 67)),
        ("ก" * 135, Segments("UCS-2", 135, 3, 67)),
        # One character outside GSM-7 makes the whole message UCS-2.
        ("a" * 69 + "ê", Segments("UCS-2", 70, 1, 70)),
        ("a" * 70 + "ê", Segments("UCS-2", 71, 2, 67)),
        # An emoji is two UTF-16 code units...
        ("😀" * 35, Segments("UCS-2", 70, 1, 70)),
        ("😀" * 35 + "a", Segments("UCS-2", 71, 2, 67)),
        # ...and a surrogate pair is never split between parts.
        ("ก" * 66 + "😀" + "ก" * 66, Segments("UCS-2", 134, 3, 67)),
        ("ก" * 65 + "😀" + "ก" * 67, Segments("UCS-2", 134, 2, 67)),
    ],
)
def test_ucs2_segments(text, expected):
    assert sms_segments(text) == expected


def test_thai_costs_more_segments_than_english_of_the_same_length():
    thai = "สวัสดีคุณสมชาย ร้านของเรามีแผ่นเสียงใหม่เข้ามาแล้ว แวะมาดูได้ที่ร้านหรือบนเว็บไซต์"
    english = "a" * len(thai)

    assert len(thai) == 82
    assert sms_segments(thai) == Segments("UCS-2", 82, 2, 67)
    assert sms_segments(english) == Segments("GSM-7", 82, 1, 160)


def test_armenian_is_ucs2():
    assert sms_segments("Բարև ձեզ, Անի։") == Segments("UCS-2", 14, 1, 70)
