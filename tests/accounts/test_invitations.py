"""Sign-up by invitation, end to end in the browser's place: invite, e-mail, accept, first page."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tact.accounts.models import Invitation, Role, User
from tact.core.models import AuditEntry

from .conftest import PASSWORD, make_user


def _link_from_mail() -> str:
    match = re.search(r"http://testserver(/accounts/invitation/[^/\s]+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_manager_invites_member_who_signs_up_and_sees_only_their_own_data(client, world):
    client.force_login(world.user("manager"))
    page = client.get(reverse("accounts:invite"))
    assert page.status_code == 200
    # A manager can only choose the member role and their own cluster.
    assert b"Lombardy Plastics" not in page.content
    response = client.post(
        reverse("accounts:invite"),
        {
            "email": "erika@example.org",
            "role": "member",
            "cluster": world.cluster_a.pk,
            "organisation": "Erika Robotics",
        },
        follow=True,
    )
    assert "An invitation was sent to erika@example.org" in response.content.decode()
    link = _link_from_mail()
    client.logout()

    page = client.get(link)
    assert page.status_code == 200
    body = page.content.decode()
    assert "erika@example.org" in body and "member" in body
    response = client.post(
        link, {"name": "Erika Muster", "password1": PASSWORD, "password2": PASSWORD}, follow=True
    )
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("accounts:account")
    assert "Erika Robotics" in body and "own organisation" in body
    erika = User.objects.get(email="erika@example.org")
    assert response.context["user"] == erika

    # Their own data only: no cluster page, no invitation page, their own audit entries.
    assert client.get(reverse("accounts:cluster", args=[world.cluster_a.pk])).status_code == 404
    assert client.get(reverse("accounts:invite")).status_code == 403
    audit = client.get(reverse("accounts:audit")).content.decode()
    assert "user.created" in audit and "invitation.created" not in audit

    # The manager sees the new member on the cluster page and the writes in the audit trail.
    client.force_login(world.user("manager"))
    cluster_page = client.get(
        reverse("accounts:cluster", args=[world.cluster_a.pk])
    ).content.decode()
    assert "erika@example.org" in cluster_page and "Erika Robotics" in cluster_page
    audit = client.get(reverse("accounts:audit")).content.decode()
    for action in (
        "invitation.created",
        "invitation.accepted",
        "role.granted",
        "organisation.created",
    ):
        assert action in audit


def test_a_used_invitation_says_so(client, world):
    link = reverse("accounts:invitation", args=[world.invitation_token])
    client.post(link, {"name": "Nora", "password1": PASSWORD, "password2": PASSWORD})
    client.logout()
    again = client.get(link)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    posted = client.post(link, {"name": "Mallory", "password1": PASSWORD, "password2": PASSWORD})
    assert posted.status_code == 410
    assert User.objects.get(email="newcomer@example.org").name == "Nora"


def test_an_expired_invitation_says_so_and_creates_nothing(client, world):
    Invitation.objects.filter(pk=world.invitation.pk).update(
        expires_at=timezone.now() - timedelta(hours=1)
    )
    link = reverse("accounts:invitation", args=[world.invitation_token])
    for response in (
        client.get(link),
        client.post(link, {"name": "N", "password1": PASSWORD, "password2": PASSWORD}),
    ):
        assert response.status_code == 410
        assert "expired on" in response.content.decode()
    assert not User.objects.filter(email="newcomer@example.org").exists()


def test_an_unknown_invitation_link_says_so(client, world):
    for token in ("nonsense", "x" * 300, world.invitation_token[:-2]):
        response = client.get(reverse("accounts:invitation", args=[token]))
        assert response.status_code == 404
        assert "not valid" in response.content.decode()


def test_password_problems_are_shown_and_the_invitation_stays_open(client, world):
    link = reverse("accounts:invitation", args=[world.invitation_token])
    response = client.post(link, {"name": "Nora", "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 422
    assert (
        "too common" in response.content.decode() or "entirely numeric" in response.content.decode()
    )
    response = client.post(
        link, {"name": "Nora", "password1": PASSWORD, "password2": PASSWORD + "x"}
    )
    assert response.status_code == 422
    assert "The two passwords differ." in response.content.decode()
    assert Invitation.objects.get(pk=world.invitation.pk).used_at is None


def test_an_existing_account_gets_the_role_and_keeps_its_password(client, world):
    person = make_user("newcomer@example.org", password=PASSWORD)
    link = reverse("accounts:invitation", args=[world.invitation_token])
    page = client.get(link)
    assert "already has an account" in page.content.decode()
    response = client.post(link, {})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    assert person.roles.filter(role=Role.MEMBER, cluster=world.cluster_a).exists()


def test_curator_cannot_open_the_invitation_page(client, world):
    client.force_login(world.user("curator"))
    response = client.get(reverse("accounts:invite"))
    assert response.status_code == 403
    assert "Only cluster managers and administrators" in response.content.decode()


def test_a_manager_cannot_invite_into_another_cluster_by_forging_the_form(client, world):
    client.force_login(world.user("manager"))
    response = client.post(
        reverse("accounts:invite"),
        {"email": "x@example.org", "role": "member", "cluster": world.cluster_b.pk},
    )
    assert response.status_code == 422
    assert not Invitation.objects.filter(email="x@example.org").exists()
    response = client.post(
        reverse("accounts:invite"),
        {"email": "x@example.org", "role": "manager", "cluster": world.cluster_a.pk},
    )
    assert response.status_code == 422
    assert not Invitation.objects.filter(email="x@example.org").exists()


def test_administrator_invites_a_curator_for_a_region(client, world):
    client.force_login(world.user("admin"))
    response = client.post(
        reverse("accounts:invite"),
        {"email": "curator2@example.org", "role": "curator", "region": world.region.pk},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="curator2@example.org")
    assert invitation.region == world.region and invitation.cluster is None
    assert AuditEntry.objects.filter(
        action="invitation.created", actor=world.user("admin")
    ).exists()


def test_manager_removes_a_member_but_not_a_fellow_manager(client, world):
    member_role = world.user("member").roles.get()
    manager_role = world.user("manager").roles.get()
    client.force_login(world.user("manager"))
    url = reverse("accounts:cluster_role_revoke", args=[world.cluster_a.pk, manager_role.pk])
    assert client.post(url).status_code == 403
    url = reverse("accounts:cluster_role_revoke", args=[world.cluster_a.pk, member_role.pk])
    page = client.post(url, follow=True).content.decode()
    assert "member@example.org is no longer member of Mechatronics Cluster" in page
    assert not world.user("member").roles.exists()
    assert AuditEntry.objects.filter(action="role.revoked", actor=world.user("manager")).exists()
    # Another cluster's manager finds nothing to remove.
    client.force_login(world.user("other_manager"))
    assert client.post(url).status_code == 404
