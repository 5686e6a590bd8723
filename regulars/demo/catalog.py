"""A generated catalog of a few hundred CDs across genres (category = genre).

Artists and albums are invented from word pools per genre; prices sit on the usual $x.99 steps
between $8.99 and $24.99, centred near $13.99 (the median price per CD in the CDNOW log).
Popularity follows a Zipf-like curve, so a few albums sell a lot and most sell a little.
"""

import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils.text import slugify

SHOP_URL = "https://demo.regulars.example"

# fmt: off
_ADJECTIVES = (
    "Velvet", "Silver", "Midnight", "Electric", "Paper", "Golden", "Broken", "Quiet", "Crimson",
    "Wild", "Hollow", "Northern", "Lonesome", "Neon", "Burning", "Blue", "Restless", "Hidden",
    "Distant", "Shallow", "Painted", "Faded", "Sweet", "Iron", "Summer", "Winter", "Glass",
)
_NOUNS = (
    "Harbor", "Lantern", "River", "Highway", "Garden", "Signal", "Horizon", "Mirror", "Ember",
    "Station", "Orchard", "Parade", "Canyon", "Radio", "Satellite", "Tide", "Window", "Valley",
    "Echo", "Letter", "Harvest", "Compass", "Ocean", "Porch", "Engine", "Meadow", "Skyline",
)
_FIRST = (
    "Mara", "Jonah", "Ella", "Otis", "Nina", "Calvin", "Rosa", "Felix", "Iris", "Leon", "Ada",
    "Miles", "June", "Wes", "Hazel", "Theo", "Lena", "Ray", "Cleo", "Abe", "Vera", "Dex",
)
_LAST = (
    "Whitfield", "Calloway", "Brennan", "Okafor", "Delgado", "Hartley", "Lindqvist", "Moreau",
    "Pryce", "Vance", "Holloway", "Sato", "Ferreira", "Quinlan", "Baptiste", "Novak", "Reyes",
    "Ashby", "Mercer", "Kowal", "Duval", "Greer",
)
_COMPOSERS = (
    ("Bach", ("Cello Suites", "Goldberg Variations", "Brandenburg Concertos", "Mass in B Minor")),
    ("Mozart", ("Piano Concertos 20 & 21", "Requiem", "Symphonies 40 & 41", "The Magic Flute")),
    ("Beethoven", ("Symphony No. 9", "Piano Sonatas", "Violin Concerto", "String Quartets")),
    ("Brahms", ("Symphony No. 4", "A German Requiem", "Piano Trios", "Violin Sonatas")),
    ("Chopin", ("Nocturnes", "Ballades", "Preludes", "Études")),
    ("Debussy", ("Préludes", "La Mer", "Images", "Suite Bergamasque")),
    ("Dvořák", ("Symphony No. 9", "Cello Concerto", "Slavonic Dances", "Serenade for Strings")),
    ("Vivaldi", ("The Four Seasons", "Gloria", "Flute Concertos", "L'estro armonico")),
)
_ENSEMBLES = (
    "Prague Chamber Orchestra", "Boston Baroque Players", "Vienna String Quartet",
    "London Festival Choir", "Leipzig Consort", "Budapest Piano Trio",
)
_ALBUM_PATTERNS = (
    "{adj} {noun}", "{noun} of the {noun2}", "Live at the {noun}", "The {noun} Sessions",
    "Songs from the {noun}", "{adj} {noun}s", "{noun} & {noun2}", "After the {noun}",
)
# fmt: on


@dataclass(frozen=True)
class Genre:
    name: str
    products: int
    artist_styles: tuple[str, ...]


GENRES = (
    Genre("Rock", 50, ("band", "the_band", "solo")),
    Genre("Pop", 40, ("solo", "band")),
    Genre("Jazz", 30, ("combo", "solo")),
    Genre("Classical", 30, ("classical",)),
    Genre("Hip-Hop", 25, ("mc",)),
    Genre("R&B & Soul", 25, ("solo", "the_band")),
    Genre("Country", 25, ("solo", "solo_band")),
    Genre("Electronic", 20, ("one_word",)),
    Genre("Blues", 15, ("solo", "solo_band")),
    Genre("Folk", 15, ("solo", "the_band")),
    Genre("Reggae", 10, ("solo_band",)),
    Genre("Latin", 10, ("los", "solo")),
    Genre("World", 10, ("ensemble",)),
    Genre("Soundtracks", 10, ("soundtrack",)),
)

_PRICES = tuple(
    Decimal(f"{dollars}.99") for dollars in (8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 22, 24)
)
_PRICE_WEIGHTS = (2, 5, 6, 9, 12, 16, 14, 11, 8, 6, 4, 3, 2, 2)


def _artist(rng: random.Random, style: str) -> str:
    adj, noun = rng.choice(_ADJECTIVES), rng.choice(_NOUNS)
    person = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    return {
        "band": f"{adj} {noun}",
        "the_band": f"The {adj} {noun}s",
        "solo": person,
        "solo_band": f"{person} & the {noun}s",
        "combo": f"{person} {rng.choice(('Trio', 'Quartet', 'Quintet'))}",
        "mc": f"{rng.choice(('MC', 'DJ', 'Lil', 'Big', 'Young'))} {noun}",
        "one_word": f"{noun}{rng.choice(('', ' System', ' Collective', ' Unit'))}",
        "los": f"Los {noun}s del Sur",
        "ensemble": f"Ensemble {rng.choice(_LAST)}",
        "soundtrack": "Various Artists",
        "classical": rng.choice(_ENSEMBLES),
    }[style]


def _album(rng: random.Random, style: str) -> str:
    if style == "classical":
        composer, works = rng.choice(_COMPOSERS)
        return f"{composer}: {rng.choice(works)}"
    pattern = rng.choice(_ALBUM_PATTERNS)
    nouns = rng.sample(_NOUNS, 2)
    album = pattern.format(adj=rng.choice(_ADJECTIVES), noun=nouns[0], noun2=nouns[1])
    if style == "soundtrack":
        return f"{album} (Original Motion Picture Soundtrack)"
    return album


class Catalog:
    """The products with their popularity; `pick` draws by popularity (bisect, no loop)."""

    def __init__(self, products: list[dict], weights: list[float]):
        self.products = products
        self._draws: dict[str, tuple[list[dict], list[float]]] = {}
        groups: dict[str, list[int]] = {"": list(range(len(products)))}
        for index, product in enumerate(products):
            groups.setdefault(product["category"], []).append(index)
        for genre, indexes in groups.items():
            cumulative, total = [], 0.0
            for index in indexes:
                total += weights[index]
                cumulative.append(total)
            self._draws[genre] = ([products[i] for i in indexes], cumulative)

    @property
    def genres(self) -> list[str]:
        return [genre.name for genre in GENRES]

    def pick(self, rng: random.Random, genre: str = "") -> dict:
        """A product by popularity, from `genre` when given."""
        population, cumulative = self._draws[genre]
        return rng.choices(population, cum_weights=cumulative)[0]


def catalog_size() -> int:
    return sum(genre.products for genre in GENRES)


def make_catalog(rng: random.Random, ids: list[int], currency: str) -> Catalog:
    """Product rows (with the given ids) and their popularity."""
    products: list[dict] = []
    titles: set[str] = set()
    for genre in GENRES:
        for _ in range(genre.products):
            style = rng.choice(genre.artist_styles)
            artist, album = _artist(rng, style), _album(rng, style)
            while f"{artist} — {album}" in titles:
                artist, album = _artist(rng, style), _album(rng, style)
            title = f"{artist} — {album}"
            titles.add(title)
            number = len(products) + 1
            products.append(
                {
                    "id": ids[number - 1],
                    "external_id": f"cd-{number:04d}",
                    "sku": f"RDR-{number:04d}",
                    "title": title,
                    "url": f"{SHOP_URL}/products/{slugify(title)}-{number}",
                    "price": rng.choices(_PRICES, _PRICE_WEIGHTS)[0],
                    "currency": currency,
                    "category": genre.name,
                    "tags": ["cd", slugify(genre.name), slugify(artist)],
                    "in_stock": rng.random() > 0.04,
                }
            )
    ranks = list(range(1, len(products) + 1))
    rng.shuffle(ranks)
    return Catalog(products, [1 / rank**0.8 for rank in ranks])
