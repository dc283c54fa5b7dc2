"""Forms of the mentoring pages (the API fills the same forms from its JSON bodies)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .cycle import MAX_MONTHS
from .models import (
    GENDERS,
    SENIORITY_LEVELS,
    SLOTS,
    WEIGHT_LABELS,
    WEIGHT_NAMES,
    Method,
    Participant,
    Programme,
    ProgrammeEvent,
    Side,
)

MAX_UPLOAD = 5 * 1024 * 1024
DAY_NAMES = {
    "mon": gettext_lazy("Mon"),
    "tue": gettext_lazy("Tue"),
    "wed": gettext_lazy("Wed"),
    "thu": gettext_lazy("Thu"),
    "fri": gettext_lazy("Fri"),
}
HALVES = {"am": gettext_lazy("morning"), "pm": gettext_lazy("afternoon")}


def slot_label(slot: str) -> str:
    day, half = slot.split("-")
    return f"{DAY_NAMES[day]} {HALVES[half]}"


def _lines(text: str) -> list[tuple[int, str, str]]:
    """'A | B' lines -> (line number, A, B); blank lines skipped."""
    out = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 2 or not all(parts):
            raise ValidationError(
                _("line %(n)d: write two names separated by |, e.g. Alpha GmbH | Beta AG")
                % {"n": number}
            )
        out.append((number, parts[0], parts[1]))
    if len(out) > 1000:
        raise ValidationError(_("at most 1000 lines"))
    return out


class ProgrammeForm(forms.Form):
    cluster = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Cluster initiative"))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    start_date = forms.DateField(
        label=gettext_lazy("Start date (kick-off)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("YYYY-MM-DD"),
    )
    months = forms.IntegerField(
        label=gettext_lazy("Duration (months)"), min_value=2, max_value=MAX_MONTHS, initial=9
    )
    location = forms.CharField(label=gettext_lazy("Usual venue"), max_length=200, required=False)
    require_common_language = forms.BooleanField(
        label=gettext_lazy("Pair only people who share a language"), required=False
    )
    competitors = forms.CharField(
        label=gettext_lazy("Competitors (never paired)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One pair of organisations per line: Alpha GmbH | Beta AG"),
    )
    excluded_pairs = forms.CharField(
        label=gettext_lazy("Pairs to avoid"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "One per line, by e-mail address: mentor@example.org | mentee@example.org"
        ),
    )

    def __init__(self, *args: Any, clusters: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters  # type: ignore[attr-defined]
        if editing:
            del self.fields["cluster"]
        for name in WEIGHT_NAMES:
            self.fields[f"weight_{name}"] = forms.FloatField(
                label=WEIGHT_LABELS[name],
                min_value=0,
                max_value=10,
                initial=Programme._meta.get_field(f"weight_{name}").default,
            )

    @property
    def weight_fields(self) -> list[Any]:
        return [self[f"weight_{n}"] for n in WEIGHT_NAMES]

    @property
    def general_fields(self) -> list[Any]:
        names = ["cluster", "name", "description", "start_date", "months", "location"]
        return [self[n] for n in names if n in self.fields]

    def clean_competitors(self) -> list[list[str]]:
        return [[a, b] for _n, a, b in _lines(self.cleaned_data.get("competitors", ""))]

    def clean_excluded_pairs(self) -> list[list[str]]:
        out = []
        for number, a, b in _lines(self.cleaned_data.get("excluded_pairs", "")):
            for address in (a, b):
                try:
                    validate_email(address)
                except ValidationError:
                    raise ValidationError(
                        _("line %(n)d: %(v)r is not an e-mail address")
                        % {"n": number, "v": address[:80]}
                    ) from None
            out.append([a.lower(), b.lower()])
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        weights = [data.get(f"weight_{n}") for n in WEIGHT_NAMES]
        if all(w is not None for w in weights) and not any(weights):
            raise ValidationError(_("Give at least one criterion a weight above 0."))
        return data

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "cluster"}


def programme_initial(programme: Programme) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "name": programme.name,
        "description": programme.description,
        "start_date": programme.start_date,
        "months": programme.months,
        "location": programme.location,
        "require_common_language": programme.require_common_language,
        "competitors": "\n".join(f"{a} | {b}" for a, b in programme.competitors),
        "excluded_pairs": "\n".join(f"{a} | {b}" for a, b in programme.excluded_pairs),
    }
    for name in WEIGHT_NAMES:
        initial[f"weight_{name}"] = getattr(programme, f"weight_{name}")
    return initial


class EventForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ProgrammeEvent
        fields = ["kind", "title", "date", "start_time", "end_time", "location", "description"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "end_time": forms.TimeInput(attrs={"type": "time"}),
            "description": forms.Textarea(attrs={"rows": 2}),
        }


class ParticipantForm(forms.Form):
    side = forms.ChoiceField(label=gettext_lazy("Side"), choices=Side.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    email = forms.CharField(label=gettext_lazy("E-mail address"), max_length=254)
    organisation = forms.CharField(label=gettext_lazy("Organisation"), max_length=200)
    function = forms.CharField(label=gettext_lazy("Function"), max_length=200, required=False)
    seniority = forms.ChoiceField(
        label=gettext_lazy("Seniority"),
        required=False,
        choices=[("", "—"), *((str(k), f"{k} – {v}") for k, v in SENIORITY_LEVELS.items())],
    )
    topics = forms.CharField(
        label=gettext_lazy("Topics (offered by a mentor, wanted by a mentee)"),
        required=False,
        max_length=3000,
        help_text=gettext_lazy("Separated by semicolons: lean production; export; leadership"),
    )
    languages = forms.CharField(
        label=gettext_lazy("Languages"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("ISO codes separated by semicolons: de; en; it"),
    )
    gender = forms.ChoiceField(
        label=gettext_lazy("Gender"),
        required=False,
        choices=[("", "—"), *GENDERS.items()],
    )
    preferred_gender = forms.ChoiceField(
        label=gettext_lazy("Preferred gender of the partner"),
        required=False,
        choices=[("", gettext_lazy("no preference")), *GENDERS.items()],
    )
    location = forms.CharField(label=gettext_lazy("Location"), max_length=200, required=False)
    availability = forms.MultipleChoiceField(
        label=gettext_lazy("Availability"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(s, slot_label(s)) for s in SLOTS],
    )
    capacity = forms.CharField(
        label=gettext_lazy("Capacity (mentors: how many mentees)"),
        required=False,
        max_length=5,
    )
    ranking = forms.CharField(
        label=gettext_lazy("Ranking of the other side (for stable matching)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("E-mail addresses, best first, separated by semicolons."),
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


def participant_initial(participant: Participant) -> dict[str, Any]:
    return {
        "side": participant.side,
        "name": participant.name,
        "email": participant.email,
        "organisation": participant.organisation,
        "function": participant.function,
        "seniority": str(participant.seniority or ""),
        "topics": "; ".join(participant.topics),
        "languages": "; ".join(participant.languages),
        "gender": participant.gender,
        "preferred_gender": participant.preferred_gender,
        "location": participant.location,
        "availability": participant.availability,
        "capacity": str(participant.capacity) if participant.side == Side.MENTOR else "",
        "ranking": "; ".join(participant.ranking),
        "notes": participant.notes,
    }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        required=False,
        help_text=gettext_lazy("First row: the column names. At most 5 MB."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_UPLOAD:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload


class MatchForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("Method"), choices=Method.choices, initial=Method.OPTIMAL
    )
    keep_locked = forms.BooleanField(
        label=gettext_lazy("Keep locked pairs exactly as they are"), required=False, initial=True
    )


class PairForm(forms.Form):
    mentor = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Mentor"))
    mentee = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Mentee"))
    lock = forms.BooleanField(
        label=gettext_lazy("Lock the pair (a re-match keeps it)"), required=False, initial=True
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = programme.participants.filter(side=Side.MENTOR)  # type: ignore[attr-defined]
        self.fields["mentee"].queryset = programme.participants.filter(side=Side.MENTEE)  # type: ignore[attr-defined]
