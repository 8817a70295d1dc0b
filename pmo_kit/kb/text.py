"""
Words of the knowledge base: tokenising, a light stemmer and PMO synonyms.

The same functions turn lesson text and queries into terms, so the pure-Python
scorer (:mod:`pmo_kit.kb.search`) ranks lessons the same way whatever database
found them. Synonyms are generic project-management vocabulary ("vendor" is a
"supplier", "slipped" is "late"), not tuned to any labelled query.
"""

from __future__ import annotations

import re

__all__ = [
    "STOPWORDS",
    "SYNONYMS",
    "prefixes",
    "query_words",
    "stem",
    "terms",
    "tokens",
]

_WORD = re.compile(r"[a-z0-9]+")

#: Words too common to help a search.
STOPWORDS: frozenset[str] = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "each",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "may",
        "more",
        "most",
        "no",
        "not",
        "of",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
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
        "would",
        "you",
        "your",
        "i",
        "my",
        "me",
        "he",
        "she",
        "his",
        "her",
        "us",
        "just",
        "every",
    ]
)

#: Groups of words a project manager uses for the same thing (each word finds all).
_GROUPS: tuple[tuple[str, ...], ...] = (
    ("supplier", "vendor", "contractor", "subcontractor", "seller", "provider"),
    ("late", "delay", "delayed", "slip", "slipped", "overdue", "behind", "postponed"),
    ("sponsor", "executive", "senior", "owner"),
    ("quit", "left", "leave", "resign", "resigned", "departure", "leaver"),
    ("expert", "specialist", "key", "engineer", "architect"),
    ("budget", "cost", "costs", "spend", "overspend", "overspent", "overrun", "money"),
    ("staff", "people", "team", "personnel", "headcount", "staffing"),
    ("test", "testing", "qa", "defect", "bug"),
    ("decision", "decide", "decisions", "decided"),
    ("approval", "approve", "approved", "sign", "signed", "authorisation"),
    ("steering", "board", "committee"),
    ("estimate", "estimates", "estimating", "forecast", "optimistic", "optimism"),
    ("risk", "risks", "threat", "threats"),
    ("register", "log", "list"),
    ("contract", "agreement", "clause"),
    ("gate", "gates", "checkpoint"),
    ("user", "users", "customer", "customers", "employees"),
    ("paperwork", "documentation", "documents", "bureaucracy"),
    ("benefit", "benefits", "value"),
    ("migration", "migrated", "conversion", "cleansing"),
    ("privacy", "gdpr", "personal", "protection"),
    ("closure", "close", "closed", "closing"),
    ("capacity", "availability", "available", "busy", "allocation", "booked"),
    ("consultant", "consultants", "consultancy"),
    ("priority", "priorities", "prioritisation"),
    ("scope", "requirements", "features"),
    ("report", "reporting", "status"),
    ("onboarding", "joiners", "starters", "access", "laptop", "accounts"),
    ("cheapest", "lowest", "price", "cheap"),
    ("contingency", "reserve", "buffer"),
    ("code", "software", "source"),
    ("currency", "exchange", "dollar", "dollars", "euro"),
    ("purchase", "purchasing", "procurement", "order", "orders"),
    ("regulation", "regulations", "compliance", "legal"),
    ("day", "daily", "operational", "bau"),
)

_STEM_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("isations", "ise"),
    ("isation", "ise"),
    ("izations", "ize"),
    ("ization", "ize"),
    ("ational", "ate"),
    ("ations", "ate"),
    ("ation", "ate"),
    ("ments", ""),
    ("ment", ""),
    ("ness", ""),
    ("ities", ""),
    ("ity", ""),
    ("ingly", ""),
    ("ings", ""),
    ("ing", ""),
    ("edly", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ed", ""),
    ("ly", ""),
    ("es", ""),
    ("s", ""),
)


def stem(word: str) -> str:
    """
    Reduce an English word to a crude stem (enough to match plurals and tenses).

    Examples
    --------
    >>> [stem(w) for w in ("suppliers", "delayed", "delays", "testing", "tested")]
    ['supplier', 'delay', 'delay', 'test', 'test']
    """
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ss"):
        return word
    for suffix, replacement in _STEM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)] + replacement
            if len(base) > 2 and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]  # slipped -> slipp -> slip
            return base
    return word


def tokens(text: str) -> list[str]:
    """
    Split text into lower-case words, dropping stopwords.

    Examples
    --------
    >>> tokens("The vendor's delivery slipped by 6 weeks")
    ['vendor', 'delivery', 'slipped', '6', 'weeks']
    """
    return [
        w
        for w in _WORD.findall(text.lower())
        if w not in STOPWORDS and (len(w) > 1 or w.isdigit())
    ]


def terms(text: str) -> list[str]:
    """
    Return the stemmed terms of ``text`` (what the index and the scorer use).

    Examples
    --------
    >>> terms("Suppliers delivered late")
    ['supplier', 'deliver', 'late']
    """
    return [stem(w) for w in tokens(text)]


def _synonym_table() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for group in _GROUPS:
        stems = {stem(w) for w in group}
        for s in stems:
            table.setdefault(s, set()).update(stems - {s})
    return {k: frozenset(v) for k, v in table.items()}


#: Stemmed word -> stemmed words that mean about the same.
SYNONYMS: dict[str, frozenset[str]] = _synonym_table()


def query_words(query: str, *, synonyms: bool = True) -> dict[str, float]:
    """
    Turn a query into weighted stemmed terms: its own words 1.0, synonyms 0.4.

    Examples
    --------
    >>> sorted(query_words("vendor late", synonyms=False).items())
    [('late', 1.0), ('vendor', 1.0)]
    >>> query_words("vendor")["supplier"]
    0.4
    """
    weights: dict[str, float] = {}
    for term in terms(query):
        weights[term] = 1.0
    if synonyms:
        for term in list(weights):
            for other in SYNONYMS.get(term, ()):
                weights.setdefault(other, 0.4)
    return weights


_REPLACEMENTS = ("ise", "ize", "ate", "y")


def prefixes(query: str, *, synonyms: bool = True) -> list[str]:
    """
    Word prefixes a database must match so it finds every lesson the scorer scores.

    Each stemmed query term (and synonym) is cut back to what every word with that
    stem starts with, so an unstemmed full-text index queried by prefix returns a
    superset of the lessons :func:`query_words` can score.

    Examples
    --------
    >>> prefixes("deliveries slipped", synonyms=False)
    ['deliver', 'slip']
    """
    out: list[str] = []
    for term in query_words(query, synonyms=synonyms):
        for ending in _REPLACEMENTS:
            if term.endswith(ending) and len(term) > len(ending) + 1:
                term = term[: -len(ending)]
                break
        out.append(term)
    return list(dict.fromkeys(out))
