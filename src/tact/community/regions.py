"""The NUTS regions of the Alpine Space, with a place on a schematic tile map.

The tile map puts each region on a grid roughly where it lies (west to east, north to south): it
needs no map tiles from the internet, and it is honest about being a sketch, not a map.
A code that is not listed (``CH022`` Fribourg, ``AT315``) is counted on the tile of its longest
listed prefix; ``FR71`` (the NUTS 2013 code of Rhône-Alpes) is counted with ``FRK2``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    country: str
    col: int
    row: int


TILES: tuple[Tile, ...] = (
    Tile("CH03", "Nordwestschweiz", "CH", 2, 0),
    Tile("CH04", "Zürich", "CH", 3, 0),
    Tile("DE27", "Schwaben", "DE", 5, 0),
    Tile("DE21", "Oberbayern", "DE", 6, 0),
    Tile("AT31", "Oberösterreich", "AT", 7, 0),
    Tile("CH022", "Fribourg", "CH", 1, 1),
    Tile("CH02", "Espace Mittelland", "CH", 2, 1),
    Tile("CH06", "Zentralschweiz", "CH", 3, 1),
    Tile("CH05", "Ostschweiz", "CH", 4, 1),
    Tile("AT34", "Vorarlberg", "AT", 5, 1),
    Tile("AT33", "Tirol", "AT", 6, 1),
    Tile("AT32", "Salzburg", "AT", 7, 1),
    Tile("AT22", "Steiermark", "AT", 8, 1),
    Tile("FRK2", "Rhône-Alpes", "FR", 0, 2),
    Tile("CH01", "Région lémanique", "CH", 1, 2),
    Tile("CH07", "Ticino", "CH", 3, 2),
    Tile("ITC4", "Lombardia", "IT", 4, 2),
    Tile("ITH1", "Provincia Autonoma di Bolzano", "IT", 5, 2),
    Tile("ITH2", "Provincia Autonoma di Trento", "IT", 6, 2),
    Tile("AT21", "Kärnten", "AT", 7, 2),
    Tile("SI03", "Vzhodna Slovenija", "SI", 8, 2),
    Tile("FRL0", "Provence-Alpes-Côte d'Azur", "FR", 0, 3),
    Tile("ITC2", "Valle d'Aosta", "IT", 1, 3),
    Tile("ITC1", "Piemonte", "IT", 2, 3),
    Tile("ITH3", "Veneto", "IT", 6, 3),
    Tile("ITH4", "Friuli-Venezia Giulia", "IT", 7, 3),
    Tile("SI04", "Zahodna Slovenija", "SI", 8, 3),
    Tile("LI0", "Liechtenstein", "LI", 4, 0),
)
BY_CODE = {t.code: t for t in TILES}
ALIASES = {"FR71": "FRK2"}
NAMES = {t.code: t.name for t in TILES} | {"FR71": "Rhône-Alpes"}


def tile_for(region: str) -> Tile | None:
    code = ALIASES.get(region.upper(), region.upper())
    for length in range(len(code), 1, -1):
        tile = BY_CODE.get(code[:length])
        if tile is not None:
            return tile
    return None


def region_name(code: str) -> str:
    tile = tile_for(code)
    if code in NAMES:
        return NAMES[code]
    return f"{code} ({tile.name})" if tile else code


def region_country(code: str) -> str:
    """The ISO country of a NUTS code (NUTS writes Greece as EL)."""
    prefix = code[:2].upper()
    return {"EL": "GR", "UK": "GB"}.get(prefix, prefix)
