"""A synthetic sample community: plausible, fictitious organisations across the Alpine regions.

Deterministic: the same seed and size give the same community, so running it twice changes
nothing (rows are upserted by name and country). Every organisation is flagged ``synthetic``;
people's addresses use the reserved ``.example`` domain. It goes through the same checks and
writes as an import, so the sample also exercises the import path.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from tact.accounts.models import ClusterInitiative
from tact.core.tabular import Row

from .models import Competence
from .transfer import rows_apply


@dataclass(frozen=True)
class Place:
    region: str
    country: str
    language: str
    towns: tuple[str, ...]
    weight: int


PLACES = (
    Place("AT31", "AT", "de", ("Linz", "Wels", "Steyr", "Vöcklabruck", "Gmunden"), 9),
    Place("AT32", "AT", "de", ("Salzburg", "Hallein", "Zell am See", "Bischofshofen"), 5),
    Place("AT33", "AT", "de", ("Innsbruck", "Kufstein", "Lienz", "Schwaz", "Imst"), 6),
    Place("AT34", "AT", "de", ("Dornbirn", "Feldkirch", "Bregenz"), 3),
    Place("CH01", "CH", "fr", ("Lausanne", "Genève", "Sion", "Yverdon"), 5),
    Place("CH022", "CH", "fr", ("Fribourg", "Bulle", "Morat"), 4),
    Place("CH02", "CH", "de", ("Bern", "Biel", "Thun", "Solothurn"), 4),
    Place("CH03", "CH", "de", ("Basel", "Aarau", "Liestal"), 4),
    Place("CH04", "CH", "de", ("Zürich", "Winterthur", "Uster"), 6),
    Place("CH05", "CH", "de", ("St. Gallen", "Chur", "Frauenfeld", "Rapperswil"), 4),
    Place("CH06", "CH", "de", ("Luzern", "Zug", "Altdorf"), 4),
    Place("CH07", "CH", "it", ("Lugano", "Bellinzona", "Locarno", "Mendrisio"), 3),
    Place("DE21", "DE", "de", ("München", "Rosenheim", "Ingolstadt", "Garmisch"), 8),
    Place("DE27", "DE", "de", ("Augsburg", "Kempten", "Memmingen", "Kaufbeuren"), 5),
    Place("FRK2", "FR", "fr", ("Grenoble", "Annecy", "Chambéry", "Lyon"), 7),
    Place("ITC1", "IT", "it", ("Torino", "Cuneo", "Biella", "Novara"), 5),
    Place("ITC2", "IT", "it", ("Aosta", "Courmayeur"), 2),
    Place("ITC4", "IT", "it", ("Milano", "Bergamo", "Brescia", "Lecco", "Sondrio"), 8),
    Place("ITH1", "IT", "de", ("Bozen", "Meran", "Brixen", "Bruneck"), 4),
    Place("ITH2", "IT", "it", ("Trento", "Rovereto", "Riva del Garda"), 4),
    Place("ITH3", "IT", "it", ("Belluno", "Vicenza", "Treviso", "Verona"), 5),
    Place("ITH4", "IT", "it", ("Udine", "Pordenone", "Trieste"), 3),
    Place("SI03", "SI", "sl", ("Maribor", "Celje", "Velenje"), 3),
    Place("SI04", "SI", "sl", ("Ljubljana", "Kranj", "Nova Gorica"), 4),
)

# Word stock per language: what a company, an institute or an agency is called.
WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "de": {
        "stem": ("Alpen", "Berg", "Gipfel", "Tal", "Firn", "Grat", "Enzian", "Edelweiss", "Gams",
                 "Lärchen", "Zirben", "Fels", "Quell", "Steinbock", "Kar", "Joch"),
        "form": ("GmbH", "AG", "GmbH & Co. KG", "KG", "e.U."),
        "university": ("Hochschule für Technik {town}", "Fachhochschule {town}",
                "Technische Akademie {town}"),
        "research": ("Institut für {topic} {town}", "Forschungszentrum {topic} {town}"),
        "public": ("Standortagentur {town}", "Wirtschaftsförderung {town}"),
        "cluster": ("{topic}-Cluster {town}",),
        "other": ("Verein {topic} {town}", "Stiftung {stem}werk"),
        "first": ("Anna", "Lukas", "Maria", "Stefan", "Julia", "Florian", "Katharina", "Thomas",
                  "Sabine", "Matthias", "Lea", "Andreas", "Verena", "Michael", "Theresa"),
        "last": ("Huber", "Gruber", "Steiner", "Moser", "Hofer", "Berger", "Egger", "Wimmer",
                 "Brunner", "Fischer", "Keller", "Meier", "Baumgartner", "Schmid", "Weber"),
    },
    "fr": {
        "stem": ("Alpin", "Cime", "Névé", "Glacier", "Roc", "Mélèze", "Chamois", "Crête",
                 "Source", "Vallon", "Arête", "Sommet"),
        "form": ("SA", "SARL", "SAS", "Sàrl"),
        "university": ("Haute école d'ingénierie de {town}", "École technique de {town}"),
        "research": ("Institut {topic} de {town}", "Centre de recherche {topic} {town}"),
        "public": ("Agence de développement de {town}", "Promotion économique {town}"),
        "cluster": ("Pôle {topic} {town}",),
        "other": ("Association {topic} {town}", "Fondation {stem}"),
        "first": ("Claire", "Julien", "Camille", "Nicolas", "Sophie", "Mathieu", "Élodie",
                  "Pierre", "Aurélie", "Laurent", "Chloé", "Vincent"),
        "last": ("Favre", "Rochat", "Girard", "Morel", "Blanc", "Perrin", "Bonnet", "Fontaine",
                 "Chevalier", "Roux", "Dubois", "Mercier"),
    },
    "it": {
        "stem": ("Alpina", "Vetta", "Cima", "Valle", "Roccia", "Larice", "Stambecco", "Sorgente",
                 "Ghiacciaio", "Crinale", "Dolomia", "Camoscio"),
        "form": ("S.r.l.", "S.p.A.", "S.n.c.", "S.r.l.s."),
        "university": ("Politecnico di {town}", "Scuola superiore tecnica di {town}"),
        "research": ("Istituto di {topic} {town}", "Centro ricerche {topic} {town}"),
        "public": ("Agenzia per lo sviluppo di {town}", "Camera di commercio di {town}"),
        "cluster": ("Distretto {topic} {town}",),
        "other": ("Consorzio {topic} {town}", "Fondazione {stem}"),
        "first": ("Giulia", "Marco", "Francesca", "Luca", "Chiara", "Andrea", "Sara", "Matteo",
                  "Elena", "Davide", "Martina", "Paolo"),
        "last": ("Rossi", "Bianchi", "Colombo", "Ferrari", "Bernardi", "Fontana", "Marchetti",
                 "Galli", "Conti", "Rinaldi", "Moretti", "Barbieri"),
    },
    "sl": {
        "stem": ("Alpe", "Vrh", "Skala", "Dolina", "Macesen", "Izvir", "Gams", "Greben",
                 "Triglav", "Planina"),
        "form": ("d.o.o.", "d.d.", "s.p."),
        "university": ("Visoka tehniška šola {town}",),
        "research": ("Inštitut za {topic} {town}", "Razvojni center {topic} {town}"),
        "public": ("Regionalna razvojna agencija {town}",),
        "cluster": ("Grozd {topic} {town}",),
        "other": ("Združenje {topic} {town}",),
        "first": ("Ana", "Luka", "Maja", "Jure", "Nina", "Matej", "Eva", "Rok", "Tina", "Gregor"),
        "last": ("Novak", "Horvat", "Kovačič", "Krajnc", "Zupančič", "Potočnik", "Vidmar",
                 "Kos", "Golob", "Turk"),
    },
}  # fmt: skip

# Competence groups of the vocabulary -> (sectors, word for company names, topic word)
SECTORS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "Mechatronics and production": (("mechatronics", "machinery"), "Präzision", "Mechatronik"),
    "Materials and plastics": (("plastics", "materials"), "Kunststoff", "Werkstoffe"),
    "Energy and environment": (("energy", "cleantech"), "Energie", "Energie"),
    "Construction and wood": (("construction", "wood"), "Holzbau", "Bau"),
    "ICT and digitalisation": (("ICT", "software"), "Digital", "Informatik"),
    "Health and life sciences": (("health", "medtech"), "Medtech", "Gesundheit"),
    "Food and agriculture": (("food", "agriculture"), "Genuss", "Lebensmittel"),
    "Mobility and logistics": (("mobility", "automotive"), "Mobil", "Mobilität"),
    "Tourism and creative industries": (("tourism", "sports"), "Outdoor", "Tourismus"),
    "Business and innovation services": (("services", "consulting"), "Consult", "Innovation"),
}
# Topic words per language for institute and agency names, by the German word in SECTORS.
TOPICS = {
    "Mechatronik": {"fr": "mécatronique", "it": "meccatronica", "sl": "mehatroniko"},
    "Werkstoffe": {"fr": "matériaux", "it": "materiali", "sl": "materiale"},
    "Energie": {"fr": "énergie", "it": "energia", "sl": "energijo"},
    "Bau": {"fr": "construction", "it": "edilizia", "sl": "gradbeništvo"},
    "Informatik": {"fr": "informatique", "it": "informatica", "sl": "informatiko"},
    "Gesundheit": {"fr": "santé", "it": "salute", "sl": "zdravje"},
    "Lebensmittel": {"fr": "agroalimentaire", "it": "agroalimentare", "sl": "živila"},
    "Mobilität": {"fr": "mobilité", "it": "mobilità", "sl": "mobilnost"},
    "Tourismus": {"fr": "tourisme", "it": "turismo", "sl": "turizem"},
    "Innovation": {"fr": "innovation", "it": "innovazione", "sl": "inovacije"},
}
KIND_WEIGHTS = (("sme", 58), ("large", 10), ("university", 7), ("research", 9), ("public", 5),
                ("cluster", 3), ("other", 8))  # fmt: skip
SIZES = {
    "sme": (("micro", 3), ("small", 5), ("medium", 3)),
    "large": (("large", 1),),
    "university": (("large", 2), ("medium", 1)),
    "research": (("medium", 2), ("small", 2), ("large", 1)),
    "public": (("small", 2), ("medium", 1)),
    "cluster": (("micro", 1), ("small", 2)),
    "other": (("micro", 2), ("small", 1), ("", 1)),
}
CONTRIBUTION = {"sme": (40, 300), "large": (250, 1500), "university": (100, 600),
                "research": (100, 800), "public": (20, 150), "cluster": (20, 100),
                "other": (10, 120)}  # fmt: skip
FUNCTIONS = ("Managing director", "Head of R&D", "CTO", "Innovation manager", "Project manager",
             "Head of production", "Professor", "Business developer", "Lab head")  # fmt: skip
PROJECT_WORDS = (("Smart", "Lightweight", "Circular", "Resilient", "Digital", "Green", "Alpine",
                  "Modular", "Adaptive", "Connected"),
                 ("demonstrator", "pilot line", "testbed", "platform", "toolkit", "living lab",
                  "prototype", "value chain"))  # fmt: skip
EVIDENCE = ("reference project", "certified process", "patent family", "joint publication",
            "in-house test lab", "customer references", "trained staff")  # fmt: skip


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40] or "org"


def generate(
    *, organisations: int, seed: int, cluster_name: str
) -> dict[str, list[dict[str, Any]]]:
    """The sample as import rows (organisations, people, projects); no database writes."""
    rng = random.Random(seed)
    by_group: dict[str, list[str]] = {}
    for code, group in (
        Competence.objects.filter(controlled=True).order_by("code").values_list("code", "group")
    ):
        by_group.setdefault(group, []).append(code)
    groups = sorted(g for g in by_group if g in SECTORS) or sorted(by_group)
    if not groups:
        raise ValueError("load the competence vocabulary first (tact community load-vocabulary)")
    support = by_group.get("Business and innovation services", []) + by_group.get(
        "ICT and digitalisation", []
    )
    places = [(p, p.weight) for p in PLACES]
    orgs: list[dict[str, Any]] = []
    meta: list[tuple[str, str, str]] = []  # name (country), group, language
    names: set[str] = set()
    for _i in range(organisations):
        place = rng.choices([p for p, _w in places], weights=[w for _p, w in places])[0]
        kind = _pick(rng, KIND_WEIGHTS)
        group = rng.choice(groups)
        words = WORDS[place.language]
        sectors, company_word, topic = SECTORS.get(group, (("industry",), "Tech", "Technik"))
        topic = TOPICS.get(topic, {}).get(place.language, topic)
        town = rng.choice(place.towns)
        stem = rng.choice(words["stem"])
        if kind in ("sme", "large"):
            name = f"{stem}{company_word.lower() if place.language == 'de' else ' ' + company_word} {rng.choice(words['form'])}"
        else:
            name = rng.choice(words[kind]).format(town=town, topic=topic, stem=stem)
        base, n = name, 2
        while (name.casefold(), place.country) in names:
            name = f"{base} {town}" if n == 2 else f"{base} {n}"
            n += 1
        names.add((name.casefold(), place.country))
        own = by_group.get(group, [])
        count = rng.randint(2, 6) if kind not in ("public", "cluster") else rng.randint(1, 3)
        chosen = rng.sample(own, min(len(own), count))
        if support and rng.random() < 0.6:
            extra = rng.choice(support)
            if extra not in chosen:
                chosen.append(extra)
        top = 5 if kind in ("university", "research", "large") else 4
        levels = []
        for code in sorted(chosen):
            level = max(1, min(5, round(rng.triangular(1, top + 0.49, top - 1))))
            evidence = rng.choice(EVIDENCE) if rng.random() < 0.4 else ""
            levels.append(f"{code}:{level}" + (f":{evidence}" if evidence else ""))
        low, high = CONTRIBUTION[kind]
        orgs.append(
            {
                "name": name,
                "country": place.country,
                "type": kind,
                "region": place.region,
                "size_class": _pick(rng, SIZES[kind]),
                "sectors": "; ".join(sectors),
                "website": f"https://{_slug(name)}.example",
                "typical_contribution": str(rng.randrange(low, high + 1, 10) * 1000),
                "competences": "; ".join(levels),
                "clusters": cluster_name,
                "description": f"Synthetic sample organisation in {town}.",
                "synthetic": "yes",
            }
        )
        meta.append((f"{name} ({place.country})", group, place.language))
    people: list[dict[str, Any]] = []
    for org, (_ref, _group, language) in zip(orgs, meta, strict=True):
        words = WORDS[language]
        seen: set[str] = set()
        for _k in range(rng.randint(1, 3)):
            person = f"{rng.choice(words['first'])} {rng.choice(words['last'])}"
            if person in seen:
                continue
            seen.add(person)
            langs = [language, "en"] + (["de"] if language != "de" and rng.random() < 0.3 else [])
            people.append(
                {
                    "name": person,
                    "organisation": org["name"],
                    "country": org["country"],
                    "function": rng.choice(FUNCTIONS),
                    "email": f"{_slug(person).replace('-', '.')}@{_slug(org['name'])}.example",
                    "languages": "; ".join(dict.fromkeys(langs)),
                }
            )
    projects: list[dict[str, Any]] = []
    by_sector: dict[str, list[int]] = {}
    for index, (_ref, group, _language) in enumerate(meta):
        by_sector.setdefault(group, []).append(index)
    titles: set[tuple[str, int]] = set()
    for _p in range(max(1, organisations // 2) if organisations >= 2 else 0):
        group = rng.choice(sorted(by_sector))
        pool = by_sector[group]
        size = rng.randint(2, 6)
        # Mostly partners from the same field, sometimes one from elsewhere.
        members = set(rng.sample(pool, min(len(pool), size)))
        if rng.random() < 0.4:
            members.add(rng.randrange(len(meta)))
        if len(members) < 2:
            continue
        year = rng.randint(2012, 2025)
        topic = SECTORS.get(group, (("",), "", group))[0][0]
        title = f"{rng.choice(PROJECT_WORDS[0])} {topic} {rng.choice(PROJECT_WORDS[1])}"
        n = 2
        while (title, year) in titles:
            title = f"{title.rsplit(' #', 1)[0]} #{n}"
            n += 1
        titles.add((title, year))
        projects.append(
            {
                "title": title,
                "year": str(year),
                "partners": "; ".join(sorted(meta[m][0] for m in members)),
                "description": "Synthetic sample project.",
            }
        )
    return {"organisations": orgs, "people": people, "projects": projects}


def sample_create(
    *,
    actor: Any,
    cluster: ClusterInitiative,
    organisations: int,
    seed: int,
    progress: Any = None,
) -> dict[str, int]:
    """Write the sample community into ``cluster``'s registry (upsert; one transaction).

    ``progress`` (a job's context or the command line's bar) hears how far it got.
    """
    data = generate(organisations=organisations, seed=seed, cluster_name=cluster.name)
    counts: dict[str, int] = {}
    tell = progress.progress if progress is not None else None
    # Organisations are most of the work; people and projects follow.
    shares = {"organisations": (0.0, 0.6), "people": (0.6, 0.25), "projects": (0.85, 0.15)}
    from django.db import transaction

    with transaction.atomic():
        for kind in ("organisations", "people", "projects"):
            rows = [
                Row(i, {k: str(v) for k, v in r.items()}) for i, r in enumerate(data[kind], start=2)
            ]
            start, span = shares[kind]
            counts[kind] = rows_apply(
                actor=actor,
                kind=kind,
                rows=rows,
                filename=f"sample-{kind}",
                cluster=cluster,
                tell=tell,
                start=start,
                span=span,
            )
    return counts
