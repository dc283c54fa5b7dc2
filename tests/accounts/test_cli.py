"""``tact users`` and ``tact tokens``: the operator's side, with errors that name the problem."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from tact.accounts.models import ApiToken, ClusterInitiative, Invitation, Role, RoleAssignment
from tact.core.models import AuditEntry

from .conftest import make_user


def run(capsys, *args) -> str:
    call_command(*args)
    return capsys.readouterr().out


def test_clusters_and_regions_from_the_command_line(capsys, db):
    assert "Region AT33" in run(capsys, "clusters", "add-region", "at33", "at", "Tirol")
    out = run(
        capsys, "clusters", "add", "Tyrolean Clusters", "--region", "AT33", "--sector", "health"
    )
    assert "Tyrolean Clusters" in out
    assert ClusterInitiative.objects.get(name="Tyrolean Clusters").region.code == "AT33"
    assert "Tyrolean Clusters" in run(capsys, "clusters", "list")
    with pytest.raises(CommandError, match="region"):
        call_command("clusters", "add", "X", "--region", "ZZ99")
    with pytest.raises(CommandError, match="Nothing changed"):
        call_command("clusters", "add", "Tyrolean Clusters")
    assert (
        AuditEntry.objects.filter(actor_label="tact clusters", action="cluster.created").count()
        == 1
    )


def test_users_invite_prints_and_mails_the_link(capsys, world, settings):
    settings.TACT_BASE_URL = "https://tact.example.org"
    out = run(
        capsys,
        "users",
        "invite",
        "boss@example.org",
        "--role",
        "manager",
        "--cluster",
        "Lombardy Plastics",
    )
    link = re.search(r"https://tact.example.org/accounts/invitation/\S+/", out).group(0)
    assert link in mail.outbox[-1].body
    invitation = Invitation.objects.get(email="boss@example.org")
    assert invitation.cluster == world.cluster_b and invitation.role == Role.MANAGER
    entry = AuditEntry.objects.get(action="invitation.created", object_id=str(invitation.pk))
    assert entry.actor is None and entry.actor_label == "tact users"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["not-an-email", "--role", "member", "--cluster", "{cluster}"], "valid e-mail"),
        (["a@example.org", "--role", "member", "--cluster", "No Such Cluster"], "--cluster"),
        (["a@example.org", "--role", "curator"], "region"),
        (["a@example.org", "--role", "curator", "--region", "XX1"], "--region"),
    ],
)
def test_users_invite_refuses_bad_input(world, args, message):
    args = [a.format(cluster=world.cluster_a.pk) for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("users", "invite", *args)
    assert not Invitation.objects.filter(email="a@example.org").exists()


def test_users_list_grant_revoke(capsys, world):
    person = make_user("person@example.org")
    out = run(
        capsys,
        "users",
        "grant",
        "person@example.org",
        "--role",
        "member",
        "--cluster",
        str(world.cluster_a.pk),
        "--organisation",
        "Delta SE",
    )
    assert "member (Mechatronics Cluster)" in out
    assert RoleAssignment.objects.get(user=person).organisation.name == "Delta SE"
    listing = run(capsys, "users", "list")
    assert re.search(r"person@example.org\s.*member \(Mechatronics Cluster, Delta SE\)", listing)
    data = json.loads(run(capsys, "users", "list", "--json"))
    assert {u["email"] for u in data} >= {"person@example.org", "admin@example.org"}
    run(
        capsys,
        "users",
        "revoke",
        "person@example.org",
        "--role",
        "member",
        "--cluster",
        str(world.cluster_a.pk),
    )
    assert not RoleAssignment.objects.filter(user=person).exists()
    with pytest.raises(CommandError, match="does not hold"):
        call_command(
            "users",
            "revoke",
            "person@example.org",
            "--role",
            "member",
            "--cluster",
            str(world.cluster_a.pk),
        )
    with pytest.raises(CommandError, match="No account"):
        call_command("users", "grant", "ghost@example.org", "--role", "admin")
    actions = list(
        AuditEntry.objects.filter(actor_label="tact users").values_list("action", flat=True)
    )
    assert actions.count("role.granted") == 1 and actions.count("role.revoked") == 1


def test_granting_admin_makes_a_superuser(capsys, world):
    person = make_user("person@example.org")
    run(capsys, "users", "grant", "person@example.org", "--role", "admin")
    person.refresh_from_db()
    assert person.is_superuser and person.is_staff


def test_tokens_create_list_revoke(capsys, client, world):
    call_command("tokens", "create", "member@example.org", "--name", "cron")
    captured = capsys.readouterr()
    key = captured.out.strip()
    assert key.startswith("tact_") and "not shown again" in captured.err
    assert client.get("/api/me", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    listing = run(capsys, "tokens", "list", "member@example.org")
    assert "cron" in listing and key not in listing
    token = ApiToken.objects.get(name="cron")
    assert "revoked" in run(capsys, "tokens", "revoke", str(token.pk))
    assert client.get("/api/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    with pytest.raises(CommandError, match="No token"):
        call_command("tokens", "revoke", "999999")
    with pytest.raises(CommandError, match="name"):
        call_command("tokens", "create", "member@example.org", "--name", " ")
