"""Services: who may write what, and every write leaves an audit entry with before and after."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tact.accounts import selectors, services
from tact.accounts.models import Invitation, Organisation, Role, RoleAssignment, User
from tact.core.models import AuditEntry

from .conftest import make_user


def test_manager_invites_a_member_of_their_cluster(world):
    invitation, link = services.invitation_create(
        actor=world.user("manager"),
        email=" New.Person@Example.org ",
        role=Role.MEMBER,
        cluster=world.cluster_a,
        organisation_name="Gamma KG",
        base_url="https://tact.example.org/",
    )
    assert invitation.email == "new.person@example.org"
    assert link.startswith("https://tact.example.org/accounts/invitation/")
    assert Organisation.objects.filter(cluster=world.cluster_a, name="Gamma KG").exists()
    # Only the hash is stored, never the token itself.
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash
    assert mail.outbox[-1].to == ["new.person@example.org"]
    assert link in mail.outbox[-1].body
    entry = AuditEntry.objects.filter(
        action="invitation.created", object_id=str(invitation.pk)
    ).get()
    assert entry.actor == world.user("manager")
    assert entry.changes["before"] is None
    assert entry.changes["after"]["email"] == "new.person@example.org"


@pytest.mark.parametrize(
    ("who", "role", "scope"),
    [
        ("manager", Role.MEMBER, "cluster_b"),  # another cluster
        ("manager", Role.MANAGER, "cluster_a"),  # managers are invited by administrators
        ("other_manager", Role.MEMBER, "cluster_a"),
        ("member", Role.MEMBER, "cluster_a"),
        ("curator", Role.MEMBER, "cluster_a"),
    ],
)
def test_invitations_beyond_ones_authority_are_refused(world, who, role, scope):
    before = Invitation.objects.count()
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=world.user(who),
            email="x@example.org",
            role=role,
            cluster=getattr(world, scope),
            base_url="http://testserver",
        )
    assert Invitation.objects.count() == before


def test_administrator_invites_managers_and_curators(world):
    admin = world.user("admin")
    services.invitation_create(
        actor=admin,
        email="m@example.org",
        role=Role.MANAGER,
        cluster=world.cluster_b,
        base_url="http://testserver",
    )
    services.invitation_create(
        actor=admin,
        email="c@example.org",
        role=Role.CURATOR,
        region=world.region,
        base_url="http://testserver",
    )


def test_bad_invitation_input_names_the_field(world):
    with pytest.raises(ValidationError) as exc:
        services.invitation_create(
            actor=world.user("admin"),
            email="not-an-address",
            role=Role.MEMBER,
            cluster=world.cluster_a,
            base_url="http://t",
        )
    assert "email" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.invitation_create(
            actor=world.user("admin"),
            email="a@example.org",
            role=Role.CURATOR,
            cluster=world.cluster_a,
            base_url="http://t",
        )
    assert "region" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.invitation_create(
            actor=world.user("admin"), email="a@example.org", role="emperor", base_url="http://t"
        )
    assert "role" in exc.value.message_dict


def test_accepting_creates_the_account_with_the_role(world):
    user, created = services.invitation_accept(
        token=world.invitation_token, name="Nora Newcomer", password="Alpine-Practice-77"
    )
    assert (
        created
        and user.email == "newcomer@example.org"
        and user.check_password("Alpine-Practice-77")
    )
    role = RoleAssignment.objects.get(user=user)
    assert (role.role, role.cluster, role.organisation.name) == (
        Role.MEMBER,
        world.cluster_a,
        "Beta AG",
    )
    world.invitation.refresh_from_db()
    assert world.invitation.used_at is not None and world.invitation.accepted_by == user
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"user.created", "invitation.accepted", "role.granted"} <= actions


def test_accepting_with_a_weak_password_changes_nothing(world):
    with pytest.raises(ValidationError) as exc:
        services.invitation_accept(token=world.invitation_token, name="Nora", password="123")
    assert "password" in exc.value.message_dict
    assert not User.objects.filter(email="newcomer@example.org").exists()
    world.invitation.refresh_from_db()
    assert world.invitation.used_at is None


def test_role_grant_and_revoke_are_audited(world):
    person = make_user("person@example.org")
    assignment = services.role_grant(
        actor=world.user("admin"), user=person, role=Role.CURATOR, region=world.region
    )
    entry = AuditEntry.objects.get(action="role.granted", object_id=str(assignment.pk))
    assert entry.changes["before"] is None and entry.changes["after"]["role"] == "curator"
    pk = assignment.pk
    services.role_revoke(actor=world.user("admin"), assignment=assignment)
    entry = AuditEntry.objects.get(action="role.revoked", object_id=str(pk))
    assert entry.changes["after"] is None and entry.changes["before"]["region"] == world.region.pk
    assert not RoleAssignment.objects.filter(user=person).exists()


def test_managers_grant_only_member_roles_in_their_cluster(world):
    person = make_user("person@example.org")
    services.role_grant(
        actor=world.user("manager"), user=person, role=Role.MEMBER, cluster=world.cluster_a
    )
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=world.user("manager"), user=person, role=Role.MEMBER, cluster=world.cluster_b
        )
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=world.user("manager"), user=person, role=Role.ADMIN)


def test_admin_role_makes_and_unmakes_a_superuser_but_never_the_last_one(world):
    person = make_user("person@example.org")
    assignment = services.role_grant(actor=None, actor_label="test", user=person, role=Role.ADMIN)
    person.refresh_from_db()
    assert person.is_superuser and person.is_staff
    services.role_revoke(actor=None, actor_label="test", assignment=assignment)
    person.refresh_from_db()
    assert not person.is_superuser and not person.is_staff
    last = RoleAssignment.objects.get(user=world.user("admin"), role=Role.ADMIN)
    with pytest.raises(ValidationError):
        services.role_revoke(actor=None, actor_label="test", assignment=last)


def test_tokens_are_created_for_oneself_and_revoked_by_owner_or_admin(world):
    member, manager = world.user("member"), world.user("manager")
    with pytest.raises(PermissionDenied):
        services.token_create(actor=manager, user=member, name="sneaky")
    with pytest.raises(ValidationError):
        services.token_create(actor=member, user=member, name="  ")
    token, _key = world.tokens["member"]
    with pytest.raises(PermissionDenied):
        services.token_revoke(actor=manager, token=token)
    services.token_revoke(actor=world.user("admin"), token=token)
    assert token.revoked_at is not None
    entry = AuditEntry.objects.get(action="token.revoked", object_id=str(token.pk))
    assert entry.changes["before"]["revoked_at"] is None and entry.changes["after"]["revoked_at"]


def test_selectors_scope_people_to_the_caller(world):
    visible = set(selectors.users_visible_to(world.user("manager")).values_list("email", flat=True))
    assert visible == {"member@example.org", "manager@example.org"}
    assert list(selectors.users_visible_to(world.user("member"))) == [world.user("member")]
    assert selectors.users_visible_to(world.user("admin")).count() == User.objects.count()
    assert not selectors.cluster_members(world.user("other_manager"), world.cluster_a).exists()
    assert selectors.cluster_get(world.user("other_manager"), world.cluster_a.pk) is None
    assert list(selectors.organisations_visible_to(world.user("member"))) == [world.organisation]
    assert not selectors.invitations_visible_to(world.user("other_manager")).exists()


def test_audit_trail_shows_others_only_their_own_objects(world):
    manager_entries = selectors.audit_entries_for(world.user("manager"))
    assert manager_entries.filter(action="invitation.created").exists()
    other = selectors.audit_entries_for(world.user("other_manager"))
    assert not other.filter(action="invitation.created").exists()
    member_entries = selectors.audit_entries_for(world.user("member"))
    assert {e.object_type for e in member_entries} <= {
        "accounts.apitoken",
        "accounts.user",
        "accounts.roleassignment",
    }
    assert member_entries.filter(action="token.created").count() == 1
    assert selectors.audit_entries_for(world.user("admin")).count() == AuditEntry.objects.count()


def test_audit_entries_cannot_be_changed(world):
    entry = AuditEntry.objects.first()
    entry.action = "tampered"
    with pytest.raises(ValueError):
        entry.save()
