"""The toolbox as a PDF document, laid out with reportlab.

The renderer takes plain dataclasses (built from the database by ``selectors.edition_content``)
and returns the PDF with a record of what it placed: the outline with page numbers, the text of
every paragraph drawn and the wedges of the target board. Tests read that record instead of
parsing the PDF.

The fonts are the Bitstream Vera family that reportlab ships (licence in reportlab/fonts/
bitstream-vera-license.txt): embedded TrueType, so accents, en dashes, euro signs and the
Latin Extended-A letters of Slovenian or Polish names print as they are. A character the font
lacks is replaced by its unaccented base letter (or "?") and reported in ``substitutions``.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, unescape

import reportlab
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.graphics.shapes import Circle, Drawing, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from tact.core.svg import polar, wedge_angles

FONT = "TactVera"
FONT_BOLD = "TactVera-Bold"
FONT_ITALIC = "TactVera-Italic"
FONT_BOLD_ITALIC = "TactVera-BoldItalic"
INK = colors.HexColor("#1d2733")
MUTED = colors.HexColor("#5b6773")
NAVY = colors.HexColor("#16324a")
RULE = colors.HexColor("#c9d1d9")
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm


# --- What the document is made of ---------------------------------------------------------------


@dataclass(frozen=True)
class ClusterDoc:
    name: str
    url: str
    website: str


@dataclass(frozen=True)
class ContactDoc:
    person: str
    organisation: str
    email: str
    email_valid: bool


@dataclass(frozen=True)
class PracticeDoc:
    id: str
    number: int
    title: str
    summary: str
    description: str
    clusters: tuple[ClusterDoc, ...]
    contacts: tuple[ContactDoc, ...]
    place: str
    facts: tuple[tuple[str, str], ...]
    objectives: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    funding: tuple[str, ...] = ()
    success_factors: tuple[str, ...] = ()
    challenges: tuple[str, ...] = ()
    web_url: str = ""


@dataclass(frozen=True)
class FieldDoc:
    id: str
    name: str
    colour: str
    definition: str
    objectives: tuple[tuple[str, str], ...]
    practices: tuple[PracticeDoc, ...]


@dataclass(frozen=True)
class SurveyDoc:
    regions: int
    cluster_initiatives: int
    one_pagers: int
    selected: int
    criteria: tuple[str, ...]
    summary: str


@dataclass(frozen=True)
class SourceDoc:
    title: str
    authors: tuple[str, ...]
    date: str
    programme: str
    report: str
    target_board: str


@dataclass(frozen=True)
class PartnerDoc:
    name: str
    country: str
    also_known_as: tuple[str, ...] = ()


@dataclass(frozen=True)
class EditionContent:
    fields: tuple[FieldDoc, ...]
    survey: SurveyDoc
    source: SourceDoc
    partners: tuple[PartnerDoc, ...]
    project: str
    programme: str
    site_url: str = ""

    @property
    def practice_count(self) -> int:
        return sum(len(f.practices) for f in self.fields)


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    outline: list[tuple[int, str, int]] = field(default_factory=list)  # level, title, page
    text: list[str] = field(default_factory=list)
    board: list[tuple[str, int]] = field(default_factory=list)  # field name, practices drawn
    links: list[str] = field(default_factory=list)
    contents: list[tuple[int, str, int]] = field(default_factory=list)  # as the ToC prints it
    substitutions: dict[str, str] = field(default_factory=dict)
    practice_ids: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def practice_count(self) -> int:
        return len(self.practice_ids)

    @property
    def plain_text(self) -> str:
        return "\n".join(self.text)


def _colour(value: str) -> colors.Color:
    """A field's colour (#rrggbb, edited in the admin); anything else prints in navy."""
    if re.fullmatch(r"#[0-9a-fA-F]{6}", value or ""):
        return colors.HexColor(value)
    return NAVY


# --- Fonts and text -------------------------------------------------------------------------------


def _register_fonts() -> set[int]:
    """Register the Vera family once; return the code points it can draw."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
        for name, filename in (
            (FONT, "Vera.ttf"),
            (FONT_BOLD, "VeraBd.ttf"),
            (FONT_ITALIC, "VeraIt.ttf"),
            (FONT_BOLD_ITALIC, "VeraBI.ttf"),
        ):
            pdfmetrics.registerFont(TTFont(name, os.path.join(folder, filename)))
        pdfmetrics.registerFontFamily(
            FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
        )
    face: Any = pdfmetrics.getFont(FONT)
    return set(face.face.charToGlyph)


class _Text:
    """Makes data safe for reportlab's paragraph markup and for the font."""

    def __init__(self, drawable: set[int]) -> None:
        self.drawable = drawable
        self.substitutions: dict[str, str] = {}

    def plain(self, value: str) -> str:
        out = []
        for char in value:
            if ord(char) in self.drawable or char in "\n\t":
                out.append(char)
                continue
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char) if ord(c) in self.drawable
            )
            base = base if base.strip() else "?"
            self.substitutions[char] = base
            out.append(base)
        return "".join(out)

    def __call__(self, value: object) -> str:
        """Escaped for paragraph markup."""
        return escape(self.plain(str(value)))


# --- Flowables that report what they draw ------------------------------------------------------


class Heading(Paragraph):
    """A heading that becomes an outline entry, a ToC entry and a link target."""

    def __init__(self, text: str, style: ParagraphStyle, *, level: int, key: str, title: str):
        super().__init__(text, style)
        self.level = level
        self.key = key
        self.title = title


class TargetBoard(Flowable):
    """The Cluster Initiative Target Board: one wedge per field with its number of practices,
    the total in the centre and the Target Board objectives of each field beside it.

    The geometry is the web page's (tact.core.svg, first wedge at the top, clockwise); only the
    y axis is turned, since PDF coordinates grow upwards."""

    SIZE = 400.0  # the web picture's view box
    OUTER, INNER = 180.0, 60.0

    def __init__(self, fields: tuple[FieldDoc, ...], text: _Text, width: float) -> None:
        super().__init__()
        self.fields = fields
        self.text = text
        self.width = width
        self.scale = 78 * mm / self.SIZE
        legend_lines = sum(1 + len(f.objectives) for f in fields)
        self.height = max(self.SIZE * self.scale, legend_lines * 10.5 + 4)
        self.drawn: list[tuple[str, int]] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def drawing(self) -> Drawing:
        s = self.scale
        d = Drawing(self.width, self.height)
        top = self.height
        cx = cy = self.SIZE / 2
        total = sum(len(f.practices) for f in self.fields)
        self.drawn = []
        for i, fd in enumerate(self.fields):
            start, end = wedge_angles(i, len(self.fields))
            # The ring sector of the web picture (tact.core.svg), traced point by point: the outer
            # arc from start to end, the inner one back.
            steps = 48
            outer = [start + (end - start) * k / steps for k in range(steps + 1)]
            points: list[float] = []
            for radius, angles in ((self.OUTER, outer), (self.INNER, outer[::-1])):
                for angle in angles:
                    x, y = polar(cx, cy, radius, angle)
                    points += [x * s, top - y * s]
            d.add(
                Polygon(
                    points,
                    fillColor=_colour(fd.colour),
                    strokeColor=colors.white,
                    strokeWidth=2,
                    strokeLineJoin=1,
                )
            )
            x, y = polar(cx, cy, (self.OUTER + self.INNER) / 2 + 8, (start + end) / 2)
            px, py = x * s, top - y * s
            d.add(self._label(px, py + 2, self.text.plain(fd.name), 8.5, bold=True))
            d.add(self._label(px, py - 12, str(len(fd.practices)), 13, bold=True))
            self.drawn.append((fd.name, len(fd.practices)))
        d.add(Circle(cx * s, top - cy * s, 58 * s, fillColor=NAVY, strokeColor=None))
        d.add(self._label(cx * s, top - cy * s + 1, str(total), 16, bold=True))
        d.add(self._label(cx * s, top - cy * s - 10, _("practices"), 7))
        # The legend: each field with its Target Board objectives.
        x0 = self.SIZE * s + 8 * mm
        y = top - 9
        for fd in self.fields:
            d.add(Rect(x0, y - 1, 7, 7, fillColor=_colour(fd.colour), strokeColor=None))
            d.add(String(x0 + 11, y, self.text.plain(fd.name), fontName=FONT_BOLD, fontSize=8.5))
            y -= 10.5
            for name, _description in fd.objectives:
                d.add(
                    String(
                        x0 + 11,
                        y,
                        self.text.plain(name),
                        fontName=FONT,
                        fontSize=7.5,
                        fillColor=MUTED,
                    )
                )
                y -= 10.5
        return d

    @staticmethod
    def _label(x: float, y: float, value: str, size: float, *, bold: bool = False) -> String:
        return String(
            x,
            y,
            value,
            fontName=FONT_BOLD if bold else FONT,
            fontSize=size,
            fillColor=colors.white,
            textAnchor="middle",
        )

    def draw(self) -> None:
        self.drawing().drawOn(self.canv, 0, 0)


# --- The document template ---------------------------------------------------------------------


class _Document(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, *, header: str, footer: str, **kw: Any) -> None:
        super().__init__(buffer, pagesize=A4, **kw)
        self.header = header
        self.footer = footer
        self.chapter = self.section = ""
        self.record: Rendered = Rendered(pdf=b"", pages=0)
        frame = Frame(
            MARGIN, MARGIN + 6 * mm, PAGE_WIDTH - 2 * MARGIN, PAGE_HEIGHT - 2 * MARGIN - 14 * mm
        )
        cover = Frame(MARGIN, MARGIN, PAGE_WIDTH - 2 * MARGIN, PAGE_HEIGHT - 2 * MARGIN)
        self.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[cover], onPage=self._cover_band),
                PageTemplate(id="body", frames=[frame], onPageEnd=self._header_footer),
            ]
        )

    def handle_documentBegin(self) -> None:
        # Each pass of multiBuild starts a fresh record; the last pass is the one kept.
        self.record = Rendered(pdf=b"", pages=0)
        self.chapter = self.section = ""
        super().handle_documentBegin()

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Heading):
            self.canv.showOutline()  # readers open with the bookmarks shown
            page = self.canv.getPageNumber()
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(flowable.title, flowable.key, level=flowable.level)
            if flowable.level <= 2:
                entry = (flowable.level, escape(flowable.title), page, flowable.key)
                self.notify("TOCEntry", entry)
            if flowable.level == 0:
                self.chapter = self.section = flowable.title
            elif flowable.level == 1 and flowable.key.startswith("practices-"):
                self.section = f"{self.chapter} · {flowable.title}"
            self.record.outline.append((flowable.level, flowable.title, page))
        if isinstance(flowable, Paragraph):
            self.record.text.append(flowable.getPlainText())
        elif isinstance(flowable, Table):
            for row in flowable._cellvalues:
                for cell in row:
                    items = cell if isinstance(cell, list | tuple) else [cell]
                    for item in items:
                        if isinstance(item, Paragraph):
                            self.record.text.append(item.getPlainText())
                        elif isinstance(item, str):
                            self.record.text.append(item)
        elif isinstance(flowable, TargetBoard):
            self.record.board = list(flowable.drawn)

    def _cover_band(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        canv.setFillColor(NAVY)
        canv.rect(0, PAGE_HEIGHT - 62 * mm, PAGE_WIDTH, 62 * mm, stroke=0, fill=1)
        canv.restoreState()

    def _header_footer(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        top = PAGE_HEIGHT - MARGIN + 2 * mm
        canv.line(MARGIN, top - 2 * mm, PAGE_WIDTH - MARGIN, top - 2 * mm)
        canv.line(MARGIN, MARGIN, PAGE_WIDTH - MARGIN, MARGIN)
        canv.setFont(FONT, 7.5)
        canv.setFillColor(MUTED)
        canv.drawString(MARGIN, top, self.header)
        canv.drawRightString(PAGE_WIDTH - MARGIN, top, self.section)
        canv.drawString(MARGIN, MARGIN - 5 * mm, self.footer)
        canv.restoreState()


class _NumberedCanvas(Canvas):
    """Writes "page n of N" on every page once N is known (at save)."""

    label: Callable[[int, int], str] = staticmethod(lambda n, total: f"{n} / {total}")  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if self._pageNumber > 1:
                self.saveState()
                self.setFont(FONT, 7.5)
                self.setFillColor(MUTED)
                self.drawRightString(
                    PAGE_WIDTH - MARGIN, MARGIN - 5 * mm, self.label(self._pageNumber, total)
                )
                self.restoreState()
            super().showPage()
        super().save()


# --- Styles -------------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13.5, textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11.5),
        "muted": ParagraphStyle("muted", parent=base, fontSize=8.5, leading=11.5, textColor=MUTED),
        "lead": ParagraphStyle("lead", parent=base, fontSize=11, leading=16),
        "cover_kicker": ParagraphStyle(
            "cover_kicker", parent=base, fontSize=11, leading=15, textColor=colors.white
        ),
        "cover_title": ParagraphStyle(
            "cover_title",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=24,
            leading=30,
            textColor=colors.white,
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=17,
            leading=22,
            spaceBefore=4,
            spaceAfter=8,
            textColor=NAVY,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=13,
            leading=17,
            spaceBefore=10,
            spaceAfter=5,
            textColor=NAVY,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=11.5,
            leading=15,
            spaceBefore=12,
            spaceAfter=4,
            textColor=INK,
        ),
        "label": ParagraphStyle(
            "label", parent=base, fontName=FONT_BOLD, fontSize=8.5, leading=11.5, textColor=MUTED
        ),
        "caption": ParagraphStyle(
            "caption", parent=base, fontSize=8.5, leading=11.5, textColor=MUTED, alignment=TA_CENTER
        ),
        "figure": ParagraphStyle(
            "figure",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=22,
            leading=26,
            textColor=NAVY,
            alignment=TA_CENTER,
        ),
        "bullet": ParagraphStyle(
            "bullet", parent=base, leftIndent=10, bulletIndent=0, bulletFontName=FONT
        ),
    }


# --- The document -------------------------------------------------------------------------------


def _date_text(value: datetime.date) -> str:
    return formats.date_format(value, "j F Y")


def render_toolbox(
    content: EditionContent,
    *,
    edition: int | None,
    date: datetime.date,
    note: str = "",
) -> Rendered:
    """The whole toolbox as a PDF. ``edition`` None marks a preview (not a stored edition)."""
    started = time.perf_counter()
    t = _Text(_register_fonts())
    st = _styles()
    width = PAGE_WIDTH - 2 * MARGIN
    edition_label = (
        _("Edition %(number)d") % {"number": edition} if edition is not None else _("Preview")
    )
    date_text = _date_text(date)
    title = ngettext(
        "Cluster Services – %(count)d Best Practice from the Alpine Space",
        "Cluster Services – %(count)d Best Practices from the Alpine Space",
        content.practice_count,
    ) % {"count": content.practice_count}
    buffer = io.BytesIO()
    doc = _Document(
        buffer,
        header=t.plain(_("TACT – Transformative Activity Cluster Toolbox")),
        footer=t.plain(f"{edition_label} · {date_text}"),
        title=t.plain(title),
        author=t.plain(
            _("TACT, from the work of %(authors)s") % {"authors": ", ".join(content.source.authors)}
        ),
        subject=t.plain(_("The best practices of cluster services, by field, with contacts")),
        creator="TACT",
        invariant=1,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
    )
    page_label = _("Page %(page)d of %(pages)d")
    # A class per rendering, so concurrent renderings in other languages keep their own label.
    canvasmaker = type(
        "EditionCanvas",
        (_NumberedCanvas,),
        {"label": staticmethod(lambda n, total: t.plain(page_label % {"page": n, "pages": total}))},
    )

    counter = iter(range(1, 10_000))
    links: list[str] = []

    def heading(text: str, style: str, level: int, key: str | None = None) -> Heading:
        return Heading(
            t(text), st[style], level=level, key=key or f"h{next(counter)}", title=t.plain(text)
        )

    def para(text: str, style: str = "body") -> Paragraph:
        return Paragraph(text, st[style])

    def link(url: str, label: str | None = None) -> str:
        """Markup of a clickable link (the URL is shown unless a label is given)."""
        links.append(url)
        return f'<a href="{escape(url, {chr(34): "&quot;"})}" color="#1f5f99">{t(label or url)}</a>'

    story: list[Flowable] = []

    # Cover
    story += [
        Spacer(1, 4 * mm),
        para(t(_("Transformative Activity Cluster Toolbox (TACT)")), "cover_kicker"),
        Spacer(1, 3 * mm),
        para(t(title), "cover_title"),
        Spacer(1, 34 * mm),
        para(f"<b>{t(edition_label)}</b> · {t(date_text)}", "lead"),
        Spacer(1, 4 * mm),
        para(
            t(
                _(
                    "Generated from the data of the toolbox: every practice in this document is "
                    "published in TACT with the same content, and a later edition will carry the "
                    "practices added and revised since."
                )
            )
        ),
    ]
    if note.strip():
        story += [
            Spacer(1, 3 * mm),
            para(f"<b>{t(_('About this edition:'))}</b> {t(note.strip())}"),
        ]
    story += [
        Spacer(1, 10 * mm),
        para(
            t(
                _("Based on the survey of good practices by %(authors)s (%(programme)s, %(date)s).")
                % {
                    "authors": ", ".join(content.source.authors),
                    "programme": content.source.programme,
                    "date": content.source.date,
                }
            ),
            "muted",
        ),
    ]
    if content.site_url:
        story.append(para(t(_("Online: ")) + link(content.site_url), "muted"))
    story += [NextPageTemplate("body"), PageBreak()]

    # Contents
    toc = TableOfContents(
        dotsMinLevel=0,
        tableStyle=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
            ]
        ),
    )
    toc.levelStyles = [
        ParagraphStyle(
            "toc0",
            parent=st["body"],
            fontName=FONT_BOLD,
            leftIndent=0,
            firstLineIndent=0,
            spaceBefore=5,
        ),
        ParagraphStyle("toc1", parent=st["body"], leftIndent=12, firstLineIndent=0),
        ParagraphStyle(
            "toc2", parent=st["small"], leftIndent=24, firstLineIndent=0, textColor=MUTED
        ),
    ]
    story += [para(t(_("Contents")), "h1"), toc, PageBreak()]

    # Introduction
    n = content.practice_count
    story += [
        heading(_("Introduction"), "h1", 0, "introduction"),
        para(
            t(
                ngettext(
                    "This document presents %(count)d best practice of cluster services: a "
                    "service that a cluster initiative in the Alpine Space runs for its members "
                    "and that others can learn from and adapt.",
                    "This document presents %(count)d best practices of cluster services: "
                    "services that cluster initiatives in the Alpine Space run for their members "
                    "and that others can learn from and adapt.",
                    n,
                )
                % {"count": n}
            ),
            "lead",
        ),
        Spacer(1, 2 * mm),
        para(
            t(
                _(
                    "The practices come from a good-practice survey of the %(programme)s project "
                    "%(project)s and form the practical core of the Transformative Activity "
                    "Cluster Toolbox (TACT). Each one names the cluster initiative that runs it, "
                    "its website and the people to contact, explains how the service works and "
                    "for whom, and lists its key facts: duration, staff, fees, participants and "
                    "funding, with their units."
                )
                % {"programme": content.programme, "project": content.project}
            )
        ),
        Spacer(1, 2 * mm),
        para(
            t(
                _(
                    "Cluster managers can use it to compare their own portfolio of services with "
                    "what peers do, to pick a service worth starting and to find someone who has "
                    "run it before. The practices are grouped in five fields of cluster services; "
                    "the chapter on methodology explains how they were chosen and the chapter on "
                    "fields what each field covers."
                )
            )
        ),
        Spacer(1, 2 * mm),
        para(
            t(_("The full survey report: %(report)s") % {"report": content.source.report}), "muted"
        ),
    ]

    # Methodology
    sv = content.survey
    figures = [
        (sv.regions, _("regions surveyed")),
        (sv.cluster_initiatives, _("cluster initiatives")),
        (sv.one_pagers, _("one-pagers collected")),
        (sv.selected, _("selected as best practices")),
    ]
    cells = [
        [para(str(v), "figure") for v, _label in figures],
        [para(t(lbl), "caption") for _v, lbl in figures],
    ]
    figure_table = Table(cells, colWidths=[width / 4] * 4)
    figure_table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#eef3f7")),
                ("LINEAFTER", (0, 0), (-2, -1), 2, colors.white),
                ("TOPPADDING", (0, 0), (-1, 0), 8),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
            ]
        )
    )
    story += [
        PageBreak(),
        heading(_("Methodology"), "h1", 0, "methodology"),
        para(
            t(
                _(
                    "The toolbox rests on a survey of %(regions)d regions and %(clusters)d "
                    "cluster initiatives, which returned %(pagers)d one-pagers: short "
                    "descriptions of one service each. %(selected)d of them were selected as "
                    "best practices."
                )
                % {
                    "regions": sv.regions,
                    "clusters": sv.cluster_initiatives,
                    "pagers": sv.one_pagers,
                    "selected": sv.selected,
                }
            )
        ),
        Spacer(1, 3 * mm),
        figure_table,
        Spacer(1, 4 * mm),
        para(t(sv.summary)),
        Spacer(1, 2 * mm),
        para(t(_("Selection criteria: %(criteria)s.") % {"criteria": ", ".join(sv.criteria)})),
        Spacer(1, 2 * mm),
        para(
            t(
                _(
                    "The practices were sorted into five fields of services following the "
                    "objectives of the Cluster Initiative Target Board (Figure 1). This edition "
                    "holds %(count)d practices: the toolbox grows as curators validate and publish "
                    "new ones, so the count may differ from the original selection."
                )
                % {"count": n}
            )
        ),
        CondPageBreak(110 * mm),
        heading(_("Figure 1: Cluster Initiative Target Board"), "h2", 1, "target-board"),
        TargetBoard(content.fields, t, width),
        Spacer(1, 3 * mm),
        para(
            t(
                _(
                    "The five fields of cluster services with the number of practices in each "
                    "and the Target Board objectives they cover. Source of the framework: %(source)s"
                )
                % {"source": content.source.target_board}
            ),
            "caption",
        ),
    ]

    # Fields
    story += [PageBreak(), heading(_("The five fields of cluster services"), "h1", 0, "fields")]
    for fd in content.fields:
        objectives = [
            Paragraph(f"<b>{t(name)}</b>: {t(description)}", st["bullet"], bulletText="•")
            for name, description in fd.objectives
        ]
        story.append(
            KeepTogether(
                [
                    Heading(
                        t(fd.name),
                        ParagraphStyle("fd", parent=st["h2"], textColor=_colour(fd.colour)),
                        level=1,
                        key=f"field-{fd.id}",
                        title=t.plain(fd.name),
                    ),
                    para(t(fd.definition)),
                    Spacer(1, 1.5 * mm),
                    para(
                        t(
                            ngettext(
                                "Target Board objectives (%(count)d practice in this edition):",
                                "Target Board objectives (%(count)d practices in this edition):",
                                len(fd.practices),
                            )
                            % {"count": len(fd.practices)}
                        ),
                        "label",
                    ),
                    *objectives,
                ]
            )
        )

    # Practices
    story += [
        PageBreak(),
        heading(_("The best practices"), "h1", 0, "practices"),
        para(
            t(
                _(
                    "The practices follow by field. Each names the cluster initiative that runs "
                    "it, with its website, and the contact persons to ask for further "
                    "information; the key facts give the figures with their units."
                )
            )
        ),
    ]
    for fd in content.fields:
        if not fd.practices:
            continue
        story += [
            CondPageBreak(80 * mm),
            Heading(
                t(_("%(field)s practices") % {"field": fd.name}),
                ParagraphStyle("fh", parent=st["h2"], textColor=_colour(fd.colour)),
                level=1,
                key=f"practices-{fd.id}",
                title=t.plain(_("%(field)s practices") % {"field": fd.name}),
            ),
        ]
        for pr in fd.practices:
            story += _practice(pr, fd, t, st, width, link)

    # Partners
    partner_rows = [[para(t(_("Partner")), "label"), para(t(_("Country")), "label")]]
    for p in content.partners:
        names = f"<b>{t(p.name)}</b>"
        if p.also_known_as:
            names += "<br/>" + "<br/>".join(
                f'<font color="#5b6773">{t(a)}</font>' for a in p.also_known_as
            )
        partner_rows.append([para(names, "small"), para(t(p.country), "small")])
    partners_table = Table(partner_rows, colWidths=[width - 40 * mm, 40 * mm], repeatRows=1)
    partners_table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story += [
        PageBreak(),
        heading(_("Partners of %(project)s") % {"project": content.project}, "h1", 0, "partners"),
        para(
            t(
                ngettext(
                    "The toolbox was made in the %(programme)s project %(project)s by %(count)d "
                    "partner:",
                    "The toolbox was made in the %(programme)s project %(project)s by %(count)d "
                    "partners:",
                    len(content.partners),
                )
                % {
                    "programme": content.programme,
                    "project": content.project,
                    "count": len(content.partners),
                }
            )
        ),
        Spacer(1, 3 * mm),
        partners_table,
        Spacer(1, 8 * mm),
        para(
            t(
                _(
                    "%(edition)s of %(date)s, generated by TACT from the published practices. "
                    "Practice descriptions are summaries of what the cluster initiatives reported; "
                    "ask the contacts named for the current state of a service."
                )
                % {"edition": edition_label, "date": date_text}
            ),
            "muted",
        ),
    ]

    doc.multiBuild(story, canvasmaker=canvasmaker)
    record = doc.record
    record.pdf = buffer.getvalue()
    record.pages = doc.page
    record.substitutions = dict(t.substitutions)
    record.links = links
    record.contents = [(e[0], unescape(e[1]), e[2]) for e in toc._lastEntries]
    record.practice_ids = [p.id for f in content.fields for p in f.practices]
    record.seconds = time.perf_counter() - started
    return record


def _practice(
    pr: PracticeDoc,
    fd: FieldDoc,
    t: _Text,
    st: dict[str, ParagraphStyle],
    width: float,
    link: Callable[[str, str | None], str],
) -> list[Flowable]:
    head = Heading(
        f'<font color="#{_colour(fd.colour).hexval()[2:]}">{t(fd.name)} {pr.number}</font> – '
        f"{t(pr.title)}",
        st["h3"],
        level=2,
        key=f"practice-{pr.id}",
        title=t.plain(f"{fd.name} {pr.number} – {pr.title}"),
    )
    clusters = "<br/>".join(
        f"{t(c.name)}" + (f" · {link(c.url, c.website)}" if c.url else "") for c in pr.clusters
    )
    contacts = []
    for c in pr.contacts:
        lines = [f"<b>{t(c.person)}</b>"]
        if c.organisation:
            lines.append(t(c.organisation))
        if c.email:
            if c.email_valid:
                lines.append(link(f"mailto:{c.email}", c.email))
            else:
                lines.append(
                    t(c.email) + " " + t(_("(address as given in the source; it looks malformed)"))
                )
        contacts.append("<br/>".join(lines))
    label_w = 30 * mm
    rows: list[list[Any]] = [
        [Paragraph(t(_("Cluster")), st["label"]), Paragraph(clusters, st["small"])],
        [
            Paragraph(t(_("Contact")), st["label"]),
            Paragraph("<br/><br/>".join(contacts) or "–", st["small"]),
        ],
    ]
    if pr.place:
        rows.append([Paragraph(t(_("Region")), st["label"]), Paragraph(t(pr.place), st["small"])])
    if pr.web_url:
        rows.append(
            [Paragraph(t(_("Online")), st["label"]), Paragraph(link(pr.web_url, None), st["small"])]
        )
    card = Table(rows, colWidths=[label_w, width - label_w])
    card.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f4f6f8")),
                ("LINEBEFORE", (0, 0), (0, -1), 3, _colour(fd.colour)),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    out: list[Flowable] = [
        CondPageBreak(60 * mm),
        KeepTogether(
            [head, Paragraph(f"<i>{t(pr.summary)}</i>", st["body"]), Spacer(1, 2 * mm), card]
        ),
        Spacer(1, 2.5 * mm),
    ]
    for block in pr.description.split("\n\n"):
        if block.strip():
            out += [Paragraph(t(" ".join(block.split())), st["body"]), Spacer(1, 1.5 * mm)]
    if pr.facts:
        fact_rows = [
            [Paragraph(t(label), st["small"]), Paragraph(f"<b>{t(value)}</b>", st["small"])]
            for label, value in pr.facts
        ]
        facts = Table(fact_rows, colWidths=[width - 45 * mm, 45 * mm])
        facts.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        out += [
            KeepTogether([Paragraph(t(_("Key facts")), st["label"]), facts]),
            Spacer(1, 2 * mm),
        ]
    for label, items in (
        (_("Key success factors"), pr.success_factors),
        (_("Challenges"), pr.challenges),
        (_("Funding"), pr.funding),
    ):
        if items:
            out.append(Paragraph(t(label), st["label"]))
            out += [Paragraph(t(item), st["bullet"], bulletText="•") for item in items]
            out.append(Spacer(1, 1.5 * mm))
    tags = [
        (_("Target Board objectives"), pr.objectives),
        (_("Target groups"), pr.target_groups),
        (_("Formats"), pr.formats),
    ]
    lines = [f"<b>{t(label)}:</b> {t(', '.join(values))}" for label, values in tags if values]
    if lines:
        out.append(Paragraph("<br/>".join(lines), st["muted"]))
    out.append(Spacer(1, 4 * mm))
    return out
