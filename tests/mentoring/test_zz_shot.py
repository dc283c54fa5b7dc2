from typing import Any
import pytest
from tact.accounts.models import ClusterInitiative, Region, Role, RoleAssignment, User
from tact.mentoring import services
import datetime as dt
from .conftest import SAMPLE

pytestmark = pytest.mark.browser


def test_shot(live_server: Any, loaded_toolbox: None, page: Any) -> None:
    cluster = ClusterInitiative.objects.create(name="Mechatronics Cluster")
    manager = User.objects.create_user("manager@example.org", "Mountain-Cluster-2026")
    RoleAssignment.objects.create(user=manager, role=Role.MANAGER, cluster=cluster)
    p = services.programme_create(
        actor=None,
        cluster=cluster,
        data={
            "name": "CM 2026",
            "start_date": dt.date(2026, 3, 2),
            "months": 9,
            "location": "Linz",
        },
    )
    services.participants_import(
        actor=None, programme=p, data=SAMPLE, filename="s.csv", dry_run=False
    )
    services.events_from_template(actor=None, programme=p)
    services.programme_match(actor=None, programme=p)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mail address").fill("manager@example.org")
    page.get_by_label("Password").fill("Mountain-Cluster-2026")
    page.get_by_role("button", name="Log in").click()
    page.set_viewport_size({"width": 1200, "height": 1800})
    for name, url in [
        ("pairs", "pairs/"),
        ("overview", ""),
        ("profiles", "profiles/"),
        ("dates", "dates/"),
        ("edit", "edit/"),
        ("letters", "letters/"),
    ]:
        page.goto(f"{live_server.url}/mentoring/programmes/{p.pk}/{url}")
        page.screenshot(path=f"/tmp/mshot/{name}.png", full_page=False)
    page.goto(f"{live_server.url}/mentoring/programmes/{p.pk}/letters/")
    page.pdf(path="/tmp/mshot/letters.pdf") if False else None
