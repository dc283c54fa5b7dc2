"""The partner list is a checked data file: a mistake names the file, the record and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from tact.core.datafiles import DataError
from tact.publication.partners import read_partners


def test_the_shipped_partner_list() -> None:
    partners = read_partners()
    assert partners.project == "S3-4AlpClusters"
    assert partners.programme == "Interreg Alpine Space"
    assert len(partners.partners) == 15
    countries = [p.country for p in partners.partners]
    assert {c: countries.count(c) for c in set(countries)} == {
        "IT": 7,
        "AT": 2,
        "DE": 2,
        "SI": 2,
        "CH": 1,
        "FR": 1,
    }
    first = partners.partners[0]
    assert first.country == "CH" and "Fribourg" in first.also_known_as[0]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- a list", "partners.yaml: must be a mapping with project and partners"),
        ("project: {name: P, programme: Q}\npartners: []", "partners.yaml, record partners"),
        (
            "project: {name: P, programme: Q}\npartners:\n  - {name: A, country: XX}",
            "partners.yaml, record partner 1, field country: 'XX' is not one of",
        ),
        (
            "project: {name: P, programme: Q}\npartners:\n  - {name: A, country: AT}\n"
            "  - {name: A, country: AT}",
            "record partner 2, field name: 'A' is listed twice",
        ),
        (
            "project: {name: P}\npartners:\n  - {name: A, country: AT, city: Linz}",
            "record partner 1, field city: is not a known key",
        ),
        ("project: {name: P, programme: Q}\npartners:\n  - {country: AT}", "field name"),
        (
            "project: {name: P, programme: Q}\npartners:\n  - {name: A, country: AT, "
            "also_known_as: B}",
            "field also_known_as: must be a list of texts",
        ),
        ("project: [", "is not valid YAML"),
    ],
)
def test_bad_partner_files(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "partners.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_partners(path)
    assert problem in str(err.value)


def test_missing_programme_is_named(tmp_path: Path) -> None:
    path = tmp_path / "partners.yaml"
    path.write_text("project: {name: P}\npartners:\n  - {name: A, country: AT}", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_partners(path)
    assert "record project, field programme: must be a non-empty text" in str(err.value)
