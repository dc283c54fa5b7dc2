"""``tact demo``: every service has something to try, logins work, a second run adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from tact.accounts.models import RoleAssignment, User
from tact.community.models import Organisation
from tact.events.models import Event
from tact.mentoring.models import Programme

pytestmark = pytest.mark.django_db


def demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_fills_every_service_once(toolbox) -> None:
    first = demo("--password", "Demo-Pass-2026", "--organisations", "25")
    assert "manager@demo.example" in first and "Demo-Pass-2026" in first
    assert Organisation.objects.filter(synthetic=True).count() == 25
    event = Event.objects.get(title="Innovation Day (demo)")
    assert event.participants.count() == 24
    assert sum(s.slots.count() for s in event.sessions.all()) > 10
    programme = Programme.objects.get(name="Cross-mentoring (demo)")
    assert programme.participants.count() == 22
    assert programme.events.count() >= 10
    roles = set(RoleAssignment.objects.values_list("user__email", "role"))
    assert ("manager@demo.example", "manager") in roles
    assert ("k.huber@steyr-drive.example", "member") in roles

    again = demo("--organisations", "25")
    assert "passwords are unchanged" in again
    assert Event.objects.filter(title="Innovation Day (demo)").count() == 1
    assert Organisation.objects.filter(synthetic=True).count() == 25
    assert User.objects.filter(email__endswith="demo.example").count() == 2

    client = Client()
    assert client.login(email="manager@demo.example", password="Demo-Pass-2026")
    for url in ("/community/", "/events/", f"/events/{event.pk}/", "/mentoring/"):
        assert client.get(url).status_code == 200, url


def test_bad_size_is_refused(toolbox) -> None:
    with pytest.raises(SystemExit):
        call_command("demo", "--organisations", "0", stdout=io.StringIO(), stderr=io.StringIO())
    assert not Event.objects.exists()
