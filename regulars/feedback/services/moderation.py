"""The automatic checks a review goes through before it may be published on its own: spam
(links, shouting, long runs of one character, the same text again, too many reviews in a short
time) and profanity (small built-in word lists in English, Thai and Armenian, plus the store's
own blocked words).

Words are matched as whole words, never as parts of longer ones ("class" is not "ass"): Latin
and Armenian text is split on non-letters; Thai, written without spaces, is segmented with
PyThaiNLP's dictionary-based tokenizer, to which the blocked words are added so that each is
found as one word ("หีบ", a box, is not the profanity it starts with).

`review_findings` returns what it found and reviews.py decides; the only write here is the
per-address counter of core.ratelimit (one row per submission, edits included).
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings

from regulars.core.errors import RateLimited
from regulars.core.ratelimit import hit
from regulars.feedback.models import Review

SPAM = "spam"
PROFANITY = "profanity"

# More than this many reviews from one IP address within an hour is a flood (a whole order
# of products reviewed at once stays well under it); setting REGULARS_REVIEWS_PER_IP_PER_HOUR.
MAX_REVIEWS_PER_IP_PER_HOUR = 20
# More than this many reviews by one customer within the hour, outside the order being
# reviewed, looks like a bot or a paid campaign.
MAX_OTHER_REVIEWS_PER_CUSTOMER_PER_HOUR = 5
# A run of one character this long (not digits: Thai writes laughter as "55555").
REPEAT_RUN = 8
# Shouting: at least this many cased letters, and this share of them capitals.
CAPS_MIN_LETTERS = 12
CAPS_SHARE = 0.8
# The same text again: only texts at least this long count ("Great!" twice is fine).
DUPLICATE_MIN_LENGTH = 20

_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[a-z0-9][a-z0-9-]*\.(?:com|net|org|info|biz|ru|cn|io|co|xyz|top|shop|site|online"
    r"|store|click|link|me|ly|gl|tk|ml|ga|cf|us|uk|de|th|am)\b(?:/\S*)?",
    re.IGNORECASE,
)
_REPEATED = re.compile(rf"([^\d\s])\1{{{REPEAT_RUN - 1},}}")
# Thai vowel and tone marks are combining characters, which \w leaves out.
_WORD = re.compile(r"[\w\u0e00-\u0e7f]+")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_SPACE = re.compile(r"\s+")

# Small on purpose: the common words of each language; a store adds its own in the settings.
BUILT_IN_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "fuck",
            "fucks",
            "fucked",
            "fucking",
            "fucker",
            "motherfucker",
            "shit",
            "shits",
            "shitty",
            "bullshit",
            "bitch",
            "bitches",
            "cunt",
            "cunts",
            "asshole",
            "assholes",
            "bastard",
            "bastards",
            "dick",
            "dickhead",
            "prick",
            "wanker",
            "twat",
            "slut",
            "whore",
            "crap",
        ]
    ),
    "th": frozenset(
        {"เหี้ย", "สัส", "ควย", "เย็ด", "หี", "แม่ง", "ส้นตีน", "ชิบหาย", "อีดอก", "ระยำ", "สถุล"}
    ),
    "hy": frozenset({"բոզ", "բոզի", "բոզեր", "քաք", "քաքոտ", "քաքի", "անասուն", "դեբիլ"}),
}
_BUILT_IN = frozenset().union(*BUILT_IN_WORDS.values())


@dataclass(frozen=True)
class Finding:
    flag: str  # SPAM or PROFANITY
    reason: str  # for the moderator, in English like the rest of the dashboard

    def __str__(self) -> str:
        return f"{self.flag}: {self.reason}"


def review_findings(
    *,
    store_id: int,
    title: str,
    body: str,
    customer_id: int | None,
    order_id: int | None,
    ip: str,
    blocked_words: str,
    now: datetime,
    exclude_review_id: int | None = None,
) -> list[Finding]:
    """Everything that keeps a review from publishing itself, in a stable order."""
    text = f"{title}\n{body}"
    findings = text_findings(text, blocked_words)
    if customer_id is not None:
        findings += _customer_findings(
            store_id, customer_id, order_id, body, now, exclude_review_id
        )
    if ip:
        findings += _address_findings(store_id, ip)
    return findings


def text_findings(text: str, blocked_words: str = "") -> list[Finding]:
    """The checks that need nothing but the text."""
    findings = []
    link = _URL.search(text)
    if link:
        findings.append(Finding(SPAM, f"a link in the text ({_shorten(link.group())})"))
    run = _REPEATED.search(text)
    if run:
        findings.append(
            Finding(SPAM, f"one character repeated {len(run.group())} times ({run.group(1)!r})")
        )
    if _shouting(text):
        findings.append(Finding(SPAM, "written in capitals"))
    words = profane_words(text, blocked_words)
    if words:
        listed = ", ".join(repr(word) for word in words[:3])
        findings.append(Finding(PROFANITY, f"blocked word{'s' if len(words) > 1 else ''} {listed}"))
    return findings


def profane_words(text: str, blocked_words: str = "") -> list[str]:
    """The blocked words (built-in and the store's) that the text uses as words, in order."""
    single, phrases = _store_words(blocked_words)
    blocked = _BUILT_IN | single
    tokens = _tokens(text, single)
    found: list[str] = []
    for token in tokens:
        if token in blocked and token not in found:
            found.append(token)
    if phrases:
        joined = f" {' '.join(tokens)} "
        for phrase in phrases:
            if f" {' '.join(_tokens(phrase, single))} " in joined and phrase not in found:
                found.append(phrase)
    return found


def normalized_text(text: str) -> str:
    """The text as compared for duplicates: case, accents' forms and spacing ignored."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def _tokens(text: str, extra_thai: frozenset[str]) -> list[str]:
    text = unicodedata.normalize("NFKC", text).casefold()
    tokens: list[str] = []
    for word in _WORD.findall(text):
        if _THAI.search(word):
            tokens.extend(_thai_words(word, frozenset(w for w in extra_thai if _THAI.search(w))))
        else:
            tokens.append(word)
    return tokens


def _thai_words(text: str, extra: frozenset[str]) -> list[str]:
    from pythainlp.tokenize import word_tokenize

    return [
        token.strip()
        for token in word_tokenize(text, custom_dict=_thai_dictionary(extra), engine="newmm")
        if token.strip()
    ]


@lru_cache(maxsize=16)
def _thai_dictionary(extra: frozenset[str]):
    """PyThaiNLP's word list with the blocked Thai words added (built once per word set)."""
    from pythainlp.corpus import thai_words
    from pythainlp.util import dict_trie

    return dict_trie(set(thai_words()) | BUILT_IN_WORDS["th"] | extra)


@lru_cache(maxsize=256)
def _store_words(blocked_words: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The store's blocked words (one per line) as single words and as phrases."""
    single, phrases = set(), []
    for line in blocked_words.splitlines():
        word = normalized_text(line)
        if not word:
            continue
        if " " in word:
            phrases.append(word)
        else:
            single.add(word)
    return frozenset(single), tuple(phrases)


def _shouting(text: str) -> bool:
    cased = [c for c in text if c.isalpha() and (c.isupper() or c.islower())]
    if len(cased) < CAPS_MIN_LETTERS:
        return False
    return sum(c.isupper() for c in cased) >= CAPS_SHARE * len(cased)


def _customer_findings(
    store_id: int,
    customer_id: int,
    order_id: int | None,
    body: str,
    now: datetime,
    exclude_review_id: int | None,
) -> list[Finding]:
    findings = []
    others = Review.objects.filter(store_id=store_id, customer_id=customer_id)
    if exclude_review_id is not None:
        others = others.exclude(pk=exclude_review_id)
    normalized = normalized_text(body)
    if len(normalized) >= DUPLICATE_MIN_LENGTH:
        # Few reviews per customer: comparing them in Python keeps the rule (case and spacing
        # ignored) in one place.
        bodies = others.order_by().values_list("body", flat=True)[:200]
        if any(normalized_text(other) == normalized for other in bodies):
            findings.append(Finding(SPAM, "the same text as another review of this customer"))
    recent = others.filter(written_at__gte=now - timedelta(hours=1))
    if order_id is not None:
        recent = recent.exclude(order_id=order_id)
    count = recent.count()
    if count >= MAX_OTHER_REVIEWS_PER_CUSTOMER_PER_HOUR:
        findings.append(Finding(SPAM, f"{count} other reviews by this customer in the last hour"))
    return findings


def _address_findings(store_id: int, ip: str) -> list[Finding]:
    limit = getattr(settings, "REGULARS_REVIEWS_PER_IP_PER_HOUR", MAX_REVIEWS_PER_IP_PER_HOUR)
    try:
        hit(f"feedback:reviews-from:{store_id}:{ip}", limit=limit, window_seconds=3600)
    except RateLimited:
        return [Finding(SPAM, f"more than {limit} reviews from one address in an hour")]
    return []


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def reason_text(findings: list[Finding], limit: int = 300) -> str:
    """The findings as one line for Review.moderation_reason."""
    return _shorten("; ".join(str(finding) for finding in findings), limit)
