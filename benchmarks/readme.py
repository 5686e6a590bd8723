"""Each benchmark writes its own section of benchmarks/README.md, between two markers, and
leaves the others as they are."""

import re
from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"


def write_section(name: str, body: str) -> None:
    """Put `body` (starting with its "## " title) between `<!-- name:start -->` and
    `<!-- name:end -->`, replacing what was there, or at the end of the README the first time."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    section = f"{start}\n{body.rstrip()}\n{end}"
    text = README.read_text() if README.exists() else "# Benchmarks\n"
    if start in text and end in text:
        pattern = re.escape(start) + ".*?" + re.escape(end)
        text = re.sub(pattern, lambda _: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    README.write_text(text)
