"""The most frequent terms in what customers wrote (survey comments and review bodies), per
language, for the inbox: what people talk about, at a glance.

English and other space-separated languages are split into lower-case words; Thai has no spaces
between words, so it is segmented by PyThaiNLP's dictionary tokenizer (newmm). Stop words are
dropped: a short built-in English and Armenian list, PyThaiNLP's Thai list. Read-only.

The counts are cached per store, under a key that includes how many texts there are and when
the latest changed, so a new comment shows at the next page load without any invalidation hook.
"""

import re
from collections import Counter
from datetime import datetime, timedelta
from functools import lru_cache

from django.core.cache import cache
from django.db.models import Count, Max

from regulars.feedback.models import Review, ReviewSource, ReviewStatus, SurveyAnswer

WINDOW_DAYS = 90
TOP = 15
# The most recent texts read per kind; enough for the picture, bounded for a large store.
MAX_TEXTS = 5000
CACHE_SECONDS = 600

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)

ENGLISH_STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "aren't",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "can't",
        "cannot",
        "could",
        "couldn't",
        "did",
        "didn't",
        "do",
        "does",
        "doesn't",
        "doing",
        "don't",
        "down",
        "during",
        "each",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "get",
        "got",
        "had",
        "hadn't",
        "has",
        "hasn't",
        "have",
        "haven't",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "i'm",
        "i've",
        "if",
        "in",
        "into",
        "is",
        "isn't",
        "it",
        "it's",
        "its",
        "itself",
        "just",
        "let's",
        "me",
        "more",
        "most",
        "much",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "really",
        "same",
        "she",
        "should",
        "shouldn't",
        "so",
        "some",
        "still",
        "such",
        "than",
        "that",
        "that's",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "there's",
        "these",
        "they",
        "they're",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "us",
        "very",
        "was",
        "wasn't",
        "we",
        "we're",
        "were",
        "weren't",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "won't",
        "would",
        "wouldn't",
        "you",
        "you're",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "it’s",
        "i’m",
        "don’t",
        "didn’t",
    ]
)

# Armenian function words (and, is, am, are, was, that, this, for, with, in, not, my, ...).
ARMENIAN_STOP_WORDS = frozenset(
    [
        "և",
        "ու",
        "է",
        "եմ",
        "ես",
        "ենք",
        "եք",
        "են",
        "էր",
        "էին",
        "էի",
        "որ",
        "այս",
        "այդ",
        "այն",
        "մի",
        "չի",
        "չեմ",
        "չէ",
        "ոչ",
        "թե",
        "համար",
        "հետ",
        "մեջ",
        "վրա",
        "իմ",
        "քո",
        "նա",
        "նրա",
        "մենք",
        "դուք",
        "նրանք",
        "ինձ",
        "քեզ",
        "բայց",
        "կամ",
        "էլ",
        "ել",
        "արդեն",
        "դեռ",
    ]
)


@lru_cache(maxsize=1)
def _thai_stop_words() -> frozenset[str]:
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords())


def base_language(code: str) -> str:
    """ "en-US" -> "en"; "" stays ""."""
    return (code or "").strip().lower().replace("_", "-").split("-", 1)[0]


def tokenize(text: str, language: str) -> list[str]:
    """The countable words of `text`: lower-case, letters only, stop words and one-letter
    words dropped."""
    language = base_language(language)
    if language == "th":
        from pythainlp.tokenize import word_tokenize

        words = [t.strip().lower() for t in word_tokenize(text, keep_whitespace=False)]
        stop = _thai_stop_words() | ENGLISH_STOP_WORDS
        # A Thai token may carry punctuation or digits; keep only those with a letter in them.
        return [w for w in words if len(w) > 1 and w not in stop and any(c.isalpha() for c in w)]
    stop = {"en": ENGLISH_STOP_WORDS, "hy": ARMENIAN_STOP_WORDS}.get(language, frozenset())
    words = (match.group().lower() for match in _WORD.finditer(text))
    return [w for w in words if len(w) > 1 and w not in stop]


def count_terms(texts_by_language: dict[str, list[str]], top: int = TOP) -> dict:
    """{language: [(term, count), ...]} with the `top` most frequent terms, most frequent
    first (ties alphabetically). A term counts once per text, so one long rant does not
    outweigh many short comments."""
    result = {}
    for language, texts in sorted(texts_by_language.items()):
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(set(tokenize(text, language)))
        if counts:
            result[language] = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    return result


def _answers(store, since: datetime):
    return SurveyAnswer.objects.filter(store=store, answered_at__gte=since).exclude(comment="")


def _reviews(store, since: datetime):
    return (
        Review.objects.filter(store=store, written_at__gte=since)
        .exclude(body="")
        .exclude(status=ReviewStatus.REJECTED)
        .exclude(source=ReviewSource.IMPORT)
    )


def top_terms(store, *, now: datetime, days: int = WINDOW_DAYS, top: int = TOP) -> dict:
    """The `top` terms per language in the store's survey comments and review bodies of the
    last `days` days: {language: [(term, count), ...]}, languages alphabetically. A text's
    language is its own, else its customer's, else the store's."""
    since = now - timedelta(days=days)
    fingerprint = [
        _answers(store, since).aggregate(n=Count("pk"), last=Max("updated_at")),
        _reviews(store, since).aggregate(n=Count("pk"), last=Max("updated_at")),
    ]
    key = "feedback-terms:{}:{}:{}:{}".format(
        store.pk,
        since.date().isoformat(),
        top,
        "|".join(f"{f['n']}@{f['last'] and f['last'].isoformat()}" for f in fingerprint),
    )
    found = cache.get(key)
    if found is not None:
        return found
    texts: dict[str, list[str]] = {}
    for rows in (
        _answers(store, since)
        .order_by("-answered_at")
        .values_list("language", "customer__language", "comment")[:MAX_TEXTS],
        _reviews(store, since)
        .order_by("-written_at")
        .values_list("language", "customer__language", "body")[:MAX_TEXTS],
    ):
        for own, customers, text in rows:
            language = base_language(own) or base_language(customers) or store.default_language
            texts.setdefault(base_language(language), []).append(text)
    result = count_terms(texts, top)
    cache.set(key, result, CACHE_SECONDS)
    return result
