"""The PDF of the toolbox: its structure, every practice with its contacts, the methodology's
figures, the target board, the partners, and type that survives accents and dashes.

The renderer records what it places (headings with their pages, the text of every paragraph and
table cell drawn, the wedges of the target board); the PDF bytes themselves are checked for what
a reader relies on: pages, outline, links and the embedded font."""

from __future__ import annotations

import base64
import datetime
import re
import zlib
from typing import Any

import pytest

from tact.catalogue.models import Practice
from tact.catalogue.records import methodology
from tact.publication import document, selectors
from tact.publication.partners import read_partners


def test_sections_in_the_order_of_the_seed(rendered: Any) -> None:
    top = [title for level, title, _page in rendered.outline if level == 0]
    assert top == [
        "Introduction",
        "Methodology",
        "The five fields of cluster services",
        "The best practices",
        "Partners of S3-4AlpClusters",
    ]
    pages = [page for _level, _title, page in rendered.outline]
    assert pages == sorted(pages), "the outline follows the pages"
    assert rendered.outline[0][2] >= 3, "cover and contents come first"
    assert rendered.pages == pages[-1], "the partner list ends the document"


def test_contents_lists_every_heading_with_its_page(rendered: Any) -> None:
    assert "Contents" in rendered.plain_text
    # What the table of contents printed (from the previous pass) is where the headings landed.
    assert rendered.contents == [entry for entry in rendered.outline if entry[0] <= 2]
    assert len(rendered.contents) == 5 + 1 + 5 + 5 + 23


def test_every_practice_with_cluster_link_contacts_and_facts(rendered: Any) -> None:
    text = rendered.plain_text
    practices = list(selectors.practices_for_edition())
    assert len(practices) == 23 and rendered.practice_count == 23
    titles = [t for level, t, _p in rendered.outline if level == 2]
    assert len(titles) == 23
    for p in practices:
        assert f"{p.field.name} {p.number} – {p.title}" in titles
        for cluster in p.clusters.all():
            assert cluster.name in text
            if cluster.website:
                assert cluster.url in rendered.links
        contacts = list(p.contacts.all())
        assert contacts, p.id
        for c in contacts:
            assert c.person in text, (p.id, c.person)
            assert c.organisation in text
            if c.email and c.email_valid:
                assert f"mailto:{c.email}" in rendered.links
            elif c.email:
                assert c.email in text
        for fact in p.facts.all():
            assert fact.label in text, (p.id, fact.label)
        assert f"https://tact.example.org/practices/{p.id}/" in rendered.links


def test_key_facts_are_printed_with_their_units(rendered: Any) -> None:
    text = rendered.plain_text
    # growth-2: the member fee of the HR benchmark; innovation-4: 200–300 hackathon participants.
    assert "580 EUR" in text or "580 €" in text or "€580" in text or "580 euro" in text.lower()
    assert "200–300" in text


def test_methodology_figures_come_from_the_data(rendered: Any) -> None:
    survey = methodology()["survey"]
    cells = set(rendered.text)
    for key, label in (
        ("regions", "regions surveyed"),
        ("cluster_initiatives", "cluster initiatives"),
        ("one_pagers", "one-pagers collected"),
        ("selected", "selected as best practices"),
    ):
        assert str(survey[key]) in cells, key
        assert label in cells
    assert (survey["regions"], survey["cluster_initiatives"], survey["one_pagers"]) == (10, 33, 76)
    assert "Selection criteria: completeness, soundness, uniqueness." in rendered.plain_text


def test_target_board_is_drawn_with_the_counts_of_the_edition(rendered: Any) -> None:
    assert rendered.board == [
        ("Education", 5),
        ("Innovation", 4),
        ("Collaboration", 4),
        ("Networking", 6),
        ("Growth", 4),
    ]
    assert ("Figure 1: Cluster Initiative Target Board" in t for _l, t, _p in rendered.outline)
    assert "Sölvell, Ö., Lindqvist, G. and Ketels, C. (2003)" in rendered.plain_text


def test_field_definitions_and_objectives(rendered: Any) -> None:
    from tact.catalogue.models import Field

    text = rendered.plain_text
    for field in Field.objects.prefetch_related("objectives"):
        assert " ".join(field.definition.split()) in text
        for objective in field.objectives.all():
            assert objective.name in text


def test_partner_list_from_the_data_file(rendered: Any) -> None:
    partners = read_partners()
    assert len(partners.partners) == 15
    text = rendered.plain_text
    for partner in partners.partners:
        assert partner.name in text
        for alias in partner.also_known_as:
            assert alias in text
    assert "University of Franche-Comté – FEMTO-ST" in text
    assert "ClusterAgentur Baden-Württemberg" in text


def test_edition_number_date_and_note_on_cover_and_footer(rendered: Any) -> None:
    text = rendered.plain_text
    assert "Edition 7" in text
    assert "About this edition: Spring" in text
    assert not rendered.substitutions


def test_pdf_bytes_pages_outline_links_and_font(rendered: Any) -> None:
    pdf = rendered.pdf
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type /Page\b", pdf)) == rendered.pages
    assert 20 <= rendered.pages <= 60
    assert b"/Outlines" in pdf and b"/PageMode /UseOutlines" in pdf
    assert b"/URI (mailto:iris.reingruber@biz-up.at)" in pdf
    assert b"/URI (https://www.netzwerk-hr.at)" in pdf
    # Internal links of the contents jump to the headings.
    assert rb"/Dest [" in pdf or b"/Dest /" in pdf or b"/S /GoTo" in pdf
    # The embedded TrueType font (not a standard font limited to Latin-1).
    assert b"/FontFile2" in pdf
    fonts = set(re.findall(rb"/BaseFont /(?:[A-Z]{6}\+)?([\w-]+)", pdf))
    assert {b"BitstreamVeraSans-Roman", b"BitstreamVeraSans-Bold"} <= fonts
    # reportlab selects Helvetica (/F1) in empty text blocks ("BT /F1 12 Tf 14.4 TL ET", at
    # the start of every page and of a drawing); none of our text may be set in it.
    streams = re.sub(rb"BT /F1 [\d.]+ Tf [\d.]+ TL ET", b"", _page_streams(pdf))
    used = set(re.findall(rb"/(F\d+)\+?\d* [\d.]+ Tf", streams))
    assert used and b"F1" not in used


def _page_streams(pdf: bytes) -> bytes:
    """Every stream of the PDF, decoded (reportlab writes ASCII85 over Flate for pages)."""
    out = []
    for m in re.finditer(rb"/Filter \[([^\]]*)\] /Length (\d+)[^>]*>>\s*stream\r?\n", pdf):
        raw = pdf[m.end() : m.end() + int(m.group(2))]
        if b"ASCII85Decode" in m.group(1):
            raw = base64.a85decode(raw.strip().removesuffix(b"~>"))
        out.append(zlib.decompressobj().decompress(raw))
    return b"\n".join(out)


def test_a_preview_is_marked_as_such(toolbox: None) -> None:
    from tact.publication import services

    preview = services.edition_render(number=None)
    assert "Preview" in preview.plain_text
    assert not any(link.startswith("https://tact.example.org") for link in preview.links)


def _content(**changes: Any) -> document.EditionContent:
    practice = document.PracticeDoc(
        id="growth-9",
        number=9,
        title="Sölvell’s board – a test → with arrows",
        summary="Summary with “quotes” and 5 € fee, Ljubljana–Koper, Čadež & Łódź",
        description="First paragraph.\n\nSecond <paragraph> with & and > signs.",
        clusters=(
            document.ClusterDoc("Cluster Fribourg", "https://example.org/f", "example.org/f"),
        ),
        contacts=(
            document.ContactDoc("Anne-Céline Renaud", "Vitagora", "a@example.org", True),
            document.ContactDoc("Bad Address", "", "nobody-at-example.org", False),
        ),
        place="Fribourg, Switzerland",
        facts=(("Fee", "≥ 5 EUR"),),
    )
    field = document.FieldDoc(
        "growth", "Growth", "#b8860b", "Growing.", (("Incubation", "Start-ups."),), (practice,)
    )
    base = dict(
        fields=(field,),
        survey=document.SurveyDoc(1, 2, 3, 1, ("completeness",), "Summary."),
        source=document.SourceDoc("T", ("A. Author",), "2019-02", "P", "R", "Sölvell 2003"),
        partners=(document.PartnerDoc("Partner – Ö", "Slovenia"),),
        project="Proj",
        programme="Prog",
    )
    base.update(changes)
    return document.EditionContent(**base)  # type: ignore[arg-type]


def test_accents_dashes_and_markup_characters_print_as_they_are() -> None:
    out = document.render_toolbox(_content(), edition=1, date=datetime.date(2026, 3, 1))
    text = out.plain_text
    assert "Sölvell’s board – a test" in text
    assert "“quotes” and 5 € fee, Ljubljana–Koper, Čadež & Łódz" in text
    assert "Second <paragraph> with & and > signs." in text
    assert "Anne-Céline Renaud" in text
    assert "nobody-at-example.org" in text and "malformed" in text
    assert "mailto:nobody-at-example.org" not in out.links
    assert "mailto:a@example.org" in out.links
    # Only the arrow and ź are missing from the font: replaced and reported, never dropped.
    assert out.substitutions == {"→": "?", "ź": "z"}
    assert out.board == [("Growth", 1)]


def test_an_empty_field_still_shows_on_the_board_and_in_the_definitions() -> None:
    content = _content()
    empty = document.FieldDoc("education", "Education", "#2f6f9f", "Learning.", (), ())
    content = _content(fields=(empty, *content.fields))
    out = document.render_toolbox(content, edition=None, date=datetime.date(2026, 3, 1))
    assert out.board == [("Education", 0), ("Growth", 1)]
    assert "Education practices" not in [t for _l, t, _p in out.outline]
    assert "Learning." in out.plain_text


@pytest.mark.django_db
def test_unpublished_practices_are_left_out(toolbox: None) -> None:
    Practice.objects.filter(pk="growth-2").update(published=False)
    Practice.objects.filter(pk="growth-3").update(synthetic=True)
    ids = [p.id for p in selectors.practices_for_edition()]
    assert "growth-2" not in ids and "growth-3" not in ids and len(ids) == 21
    content = selectors.edition_content()
    assert content.practice_count == 21
