"""Text analysis for search: folding, tokens, stems, and a cluster-services thesaurus."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

# Weight of the thesaurus expansion of a query, against 1.0 for each of the user's own words: a
# synonym should find documents that lack the user's word without outranking those that have it.
EXPANSION_WEIGHT = 0.5

_STOP_WORDS_TEXT = """
    a about above after again against all also am an and any are aren arent as at be because
    been before being below between both but by can cannot could couldn did didn didnt do does
    doesn doesnt doing don dont down during each either else etc ever every few for from further
    get gets had hadn has hasn have haven having he her here hers herself him himself his how i
    if in into is isn isnt it its itself just least less let like ll may me might more most must
    mustn my myself neither no nor not of off often on once one only or other ought our ours
    ourselves out over own per quite rather re s same shall shan she should shouldn since so
    some such t than that thats the their theirs them themselves then there these they this
    those though through thus to too under until up upon us ve very via was wasn we were weren
    what when where whether which while who whom whose why will with within without won would
    wouldn yet you your yours yourself yourselves
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS_TEXT.split())

# Equivalent terms a cluster manager uses for the same service or concern. Each group expands
# a query that contains any of its terms to all the others (at EXPANSION_WEIGHT). Ambiguous
# single words are given as phrases ("call for proposals", not "call"; "stem subjects", not
# "stem") so that everyday senses do not trigger an expansion; a term must keep a content word
# after stop-word removal ("it security" would shrink to "security").
# fmt: off
THESAURUS: dict[str, tuple[str, ...]] = {
    "staff turnover": (
        "turnover", "staff turnover", "fluctuation", "attrition", "staff retention",
        "employee retention", "retention", "churn", "employee loyalty",
    ),
    "digitalisation": (
        "digital maturity", "digitalisation", "digitalization", "digital transformation",
        "industry 4.0", "industrie 4.0", "advanced manufacturing", "smart factory",
        "smart manufacturing", "digitisation",
    ),
    "start-ups": (
        "start-up", "startup", "entrepreneur", "entrepreneurship", "founder", "spin-off",
        "new venture", "young company", "business creation",
    ),
    "mentoring": ("mentoring", "mentor", "mentee", "coaching", "coach", "tutoring"),
    "b2b meetings": (
        "b2b", "matchmaking", "match-making", "business meetings", "brokerage event",
        "business speed dating", "partnering event",
    ),
    "trade fair": (
        "trade fair", "trade show", "exhibition", "expo", "joint stand", "exhibitor",
        "joint booth", "pavilion",
    ),
    "funding": (
        "funding", "grant", "call for proposals", "call for tenders", "tender", "subsidy",
        "public funding", "funding programme", "co-financing", "horizon europe",
    ),
    "training": (
        "training", "course", "qualification", "education", "academy", "seminar", "workshop",
        "further training", "upskilling", "reskilling", "lifelong learning", "curriculum",
    ),
    "internationalisation": (
        "internationalisation", "internationalization", "export", "foreign markets",
        "international missions", "trade mission", "business trip abroad", "market entry",
        "going global",
    ),
    "women": (
        "women", "woman", "female", "gender", "gender equality", "women in leadership",
        "female founders",
    ),
    "hackathon": ("hackathon", "hack day", "ideathon", "codefest", "innovation challenge"),
    "prototype": (
        "prototype", "prototyping", "proof of concept", "demonstrator", "mvp",
        "minimum viable product", "pilot project",
    ),
    "recruitment": (
        "recruitment", "recruiting", "hiring", "talent", "skilled workers", "workforce",
        "skills shortage", "labour shortage", "labor shortage", "employer branding",
        "job fair", "talent attraction",
    ),
    "benchmark": (
        "benchmark", "benchmarking", "comparison", "key figures", "indicators", "kpi", "kpis",
        "metrics", "performance indicators",
    ),
    "brain drain": ("brain drain", "emigration", "outmigration", "exodus of young people"),
    "large companies": (
        "oem", "oems", "original equipment manufacturer", "large company", "large companies",
        "large enterprise", "carmaker", "car manufacturer", "automaker", "corporates",
    ),
    "smes": (
        "sme", "smes", "small and medium-sized enterprises", "small and medium enterprises",
        "small business", "small companies", "mittelstand", "family business",
    ),
    "suppliers": ("supplier", "supply chain", "value chain", "subcontractor", "tier 1", "tier-1"),
    "networking": (
        "networking", "meetup", "get-together", "community building", "peer exchange",
        "peer learning", "network meeting",
    ),
    "cooperation": (
        "cooperation", "co-operation", "collaboration", "partnership", "consortium",
        "joint project", "collaborative project",
    ),
    "research and development": (
        "r&d", "research and development", "applied research", "innovation project",
        "research project",
    ),
    "technology transfer": (
        "technology transfer", "knowledge transfer", "tech transfer", "valorisation",
        "commercialisation", "licensing",
    ),
    "universities": (
        "university", "research institute", "academia", "higher education",
        "university of applied sciences", "science partners",
    ),
    "young people": (
        "students", "pupils", "young people", "youth", "school", "schools", "graduates",
        "stem subjects", "mint",
    ),
    "vocational training": (
        "apprenticeship", "apprentice", "vocational training", "dual education", "trainee",
        "internship", "dual study",
    ),
    "sustainability": (
        "sustainability", "sustainable", "climate", "decarbonisation", "circular economy",
        "energy efficiency", "green transition", "carbon footprint",
    ),
    "artificial intelligence": (
        "artificial intelligence", "ai", "machine learning", "data analytics", "big data",
        "data science",
    ),
    "cybersecurity": (
        "cybersecurity", "cyber security", "information security", "data protection",
        "security incidents",
    ),
    "health": ("health", "healthcare", "medical", "medtech", "life sciences"),
    "automotive": (
        "automotive", "car industry", "vehicle", "mobility", "e-mobility", "electromobility",
    ),
    "conference": ("conference", "congress", "summit", "forum", "symposium", "convention"),
    "consulting": (
        "consulting", "consultancy", "advisory", "expert advice", "company visits",
        "individual support",
    ),
    "marketing": (
        "marketing", "promotion", "branding", "visibility", "public relations",
    ),
    "regional development": (
        "regional development", "structural change", "economic development",
        "regional economy", "location marketing",
    ),
    "public authorities": (
        "policymakers", "policy makers", "public authorities", "government", "ministry",
        "public administration", "municipality",
    ),
    "investment": (
        "investor", "investment", "venture capital", "business angel", "seed capital",
        "private equity", "crowdfunding",
    ),
    "pitch": ("pitch", "pitching", "demo day", "elevator pitch", "pitch training"),
    "accelerator": (
        "accelerator", "incubator", "incubation", "acceleration programme", "acceleration",
    ),
    "competence centre": (
        "competence centre", "competence center", "test bed", "testbed", "living lab",
        "innovation hub", "digital innovation hub", "demonstration centre", "pilot plant",
    ),
    "executives": (
        "executives", "leadership", "management board", "ceo", "ceos", "decision makers",
        "top management",
    ),
    "cross-border": (
        "cross-border", "interregional", "transnational", "euregio", "border region",
        "interreg",
    ),
    "human resources": (
        "human resources", "hr", "personnel", "hr management", "people management",
        "hr departments",
    ),
    "job seekers": (
        "job seekers", "jobseekers", "unemployed", "unemployment", "career change",
        "labour market integration", "reintegration",
    ),
    "membership": (
        "membership", "member companies", "cluster members", "membership fee", "member fee",
    ),
    "technology scouting": (
        "technology scouting", "trend scouting", "foresight", "emerging technologies",
        "technology watch", "trend radar", "trending technologies",
    ),
    "ict": (
        "ict", "information technology", "software", "software companies", "digital industry",
    ),
    "lean": (
        "lean management", "lean production", "process optimisation", "productivity",
        "operational excellence", "efficiency gains",
    ),
    "joint purchasing": (
        "joint purchasing", "purchasing cooperation", "bulk buying", "group purchasing",
        "joint procurement",
    ),
    "employer attractiveness": (
        "work-life balance", "flexible working", "family-friendly", "childcare",
        "employer attractiveness", "part-time work",
    ),
}

# fmt: on

_WORD = re.compile(r"\w+(?:[-'\u2019&]\w+)*")
_JOINERS = re.compile(r"[-'\u2019&]")
_HYPHEN_LIKE = re.compile(r"[-&]")
# Letters that NFKD does not decompose into a base letter plus marks.
_FOLD_EXTRA = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "\u0131": "i"}
)

_stemmer = snowballstemmer.stemmer("english")
# Snowball stemmer objects keep the word being stemmed as state, so calls must not interleave.
_stemmer_lock = threading.Lock()


def fold(text: str) -> str:
    """Lowercase and strip accents: 'Überprüfung' -> 'uberprufung'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.translate(_FOLD_EXTRA)


def tokenize(text: str) -> list[str]:
    """Folded word tokens, stop words included; 'start-up' and "cluster's" become one token."""
    return [_JOINERS.sub("", match) for match in _WORD.findall(fold(text))]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball English stem of one folded word."""
    with _stemmer_lock:
        return str(_stemmer.stemWord(word))


@dataclass(frozen=True, slots=True)
class _Analysis:
    # Stems in text order, stop words removed: thesaurus phrases are matched on this.
    sequence: list[str]
    # Stems of the pieces of hyphenated words, so that 'e-mobility' also finds 'mobility'.
    parts: list[str]


def _analyse(text: str) -> _Analysis:
    sequence: list[str] = []
    parts: list[str] = []
    for match in _WORD.findall(fold(text)):
        word = _JOINERS.sub("", match)
        if word in STOP_WORDS:
            continue
        sequence.append(stem(word))
        if _HYPHEN_LIKE.search(match):
            for piece in _HYPHEN_LIKE.split(match):
                piece = piece.replace("'", "").replace("\u2019", "")
                if len(piece) > 1 and piece not in STOP_WORDS:
                    piece_stem = stem(piece)
                    if piece_stem not in STOP_WORDS:
                        parts.append(piece_stem)
    return _Analysis(sequence, parts)


def _term_token(stems: Iterable[str]) -> str:
    # Phrases are indexed as one token of space-joined stems: it cannot collide with a stem.
    return " ".join(stems)


def _build_thesaurus() -> tuple[
    list[frozenset[str]], dict[str, list[int]], dict[str, list[tuple[tuple[str, ...], int]]]
]:
    groups: list[frozenset[str]] = []
    by_stem: dict[str, list[int]] = {}
    by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for index, terms in enumerate(THESAURUS.values()):
        tokens: set[str] = set()
        for term in terms:
            stems = tuple(_analyse(term).sequence)
            if not stems:
                continue
            token = _term_token(stems)
            if token in tokens:
                continue  # 'industry 4.0' and 'industrie 4.0' share their stems
            tokens.add(token)
            if len(stems) == 1:
                by_stem.setdefault(stems[0], []).append(index)
            else:
                by_first.setdefault(stems[0], []).append((stems, index))
        groups.append(frozenset(tokens))
    return groups, by_stem, by_first


_GROUPS, _GROUPS_BY_STEM, _PHRASES_BY_FIRST = _build_thesaurus()


def _phrases(sequence: list[str]) -> list[tuple[str, int]]:
    """Thesaurus phrases found in a stem sequence, with their group index."""
    found: list[tuple[str, int]] = []
    for i, first in enumerate(sequence):
        for stems, group in _PHRASES_BY_FIRST.get(first, ()):
            if tuple(sequence[i : i + len(stems)]) == stems:
                found.append((_term_token(stems), group))
    return found


def analyse(text: str) -> list[str]:
    """Index terms of a text: stems, stems of hyphenated parts, and thesaurus phrases."""
    result = _analyse(text)
    return result.sequence + result.parts + [token for token, _ in _phrases(result.sequence)]


@dataclass(frozen=True, slots=True)
class QueryTerms:
    """A query as index terms: the user's own, and the thesaurus groups they belong to."""

    own: tuple[str, ...]
    # Each matched group as the index terms of all its members (the user's own term included):
    # a ranker scores a group as one concept, so a document naming three synonyms does not
    # outrank one that names the user's word.
    groups: tuple[tuple[str, ...], ...]


def analyse_query(query: str, *, expand: bool = True) -> QueryTerms:
    """Own index terms of a query and, if expand, the thesaurus groups it touches."""
    result = _analyse(query)
    own = tuple(dict.fromkeys(result.sequence + result.parts))
    if not expand:
        return QueryTerms(own, ())
    groups: set[int] = set()
    for token in own:
        groups.update(_GROUPS_BY_STEM.get(token, ()))
    groups.update(group for _, group in _phrases(result.sequence))
    return QueryTerms(own, tuple(tuple(sorted(_GROUPS[g])) for g in sorted(groups)))


def query_terms(query: str, *, expand: bool = True) -> dict[str, float]:
    """Flat weights of a query's terms: own terms 1.0, thesaurus expansions EXPANSION_WEIGHT."""
    terms = analyse_query(query, expand=expand)
    weights = dict.fromkeys(terms.own, 1.0)
    for group in terms.groups:
        for token in group:
            weights.setdefault(token, EXPANSION_WEIGHT)
    return weights


def synonyms(term: str) -> list[str]:
    """Thesaurus terms equivalent to a word or phrase (empty if it is in no group)."""
    stems = _analyse(term).sequence
    key = _term_token(stems)
    found: list[str] = []
    for index, terms in enumerate(THESAURUS.values()):
        if key in _GROUPS[index]:
            found.extend(t for t in terms if t not in found)
    return found
