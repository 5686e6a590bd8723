"""Telling a person's tap from a machine's fetch of a survey link.

A score in a survey e-mail is recorded when its link is opened (GET): that is what makes one
tap possible. Mail security gateways (Microsoft Defender Safe Links, Barracuda, Proofpoint,
Mimecast, Cisco, ...) and chat apps' link previews open links too, some of them every link of
a message, before the customer sees it. The survey page does not record a score for a request
that says it comes from one of them, or that has no User-Agent at all (every browser sends
one); it shows the page, which records nothing until a person taps. Scanners that pass for a
browser are handled by the rule in surveys.do_answer (a choice made on the page outlasts the
links) and by the detractor alert's wait (docs/feedback.md, "Mail scanners").
"""

import re

# Words found in the User-Agent of link scanners, previewers, crawlers and HTTP libraries,
# never in a person's browser. Matched case-insensitively.
_SCANNER_AGENT = re.compile(
    "|".join(
        [
            # Mail security gateways and the Office apps' own link checks.
            r"barracuda",
            r"proofpoint",
            r"mimecast",
            r"ironport",
            r"cisco ?secure ?email",
            r"fortimail",
            r"fortiguard",
            r"sophos",
            r"trend ?micro",
            r"\btmes\b",
            r"symantec",
            r"messagelabs",
            r"forcepoint",
            r"zscaler",
            r"safe ?links",
            r"\bms-?office\b",
            r"microsoft office",
            r"microsoft outlook",
            # Link previews, crawlers, headless browsers.
            r"(?:google|bing|slack|telegram|discord|linkedin|twitter|apple|yandex|duckduck|petal|baidu)bot",
            r"slack-imgproxy",
            r"facebookexternalhit",
            r"whatsapp",
            r"skypeuripreview",
            r"preview",
            r"\bbot\b",
            r"crawler",
            r"spider",
            r"scanner",
            r"headlesschrome",
            r"phantomjs",
            # HTTP libraries: scripts, not people.
            r"^python",
            r"python-requests",
            r"python-urllib",
            r"aiohttp",
            r"httpx",
            r"^curl/",
            r"^wget/",
            r"go-http-client",
            r"^java/",
            r"okhttp",
            r"libwww-perl",
            r"apache-httpclient",
            r"node-fetch",
            r"^axios/",
            r"^undici",
        ]
    ),
    re.IGNORECASE,
)


def is_link_scanner(user_agent: str) -> bool:
    """True for a request that names a link scanner, a previewer or a script as its
    User-Agent, or that has none."""
    agent = (user_agent or "").strip()
    return not agent or _SCANNER_AGENT.search(agent) is not None
