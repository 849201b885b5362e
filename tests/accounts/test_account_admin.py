"""Platform administrators manage accounts in the Django admin without ever hard-deleting one:
"delete" anonymises exactly as a person deleting their own account does, and every change made
there is in the audit trail."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from commonground.accounts.models import Membership
from commonground.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(people) -> User:
    staff = people["staff"]
    staff.is_superuser = True
    staff.save()
    return staff


def test_the_admin_cannot_hard_delete_an_account(client, people, superuser) -> None:
    client.force_login(superuser)
    member = people["member"]

    page = client.get(f"/admin/auth/user/{member.pk}/delete/")
    deleting = client.post(f"/admin/auth/user/{member.pk}/delete/", {"post": "yes"})
    listing = client.get("/admin/auth/user/")

    assert page.status_code == 403 and deleting.status_code == 403
    assert User.objects.filter(pk=member.pk, email="volunteer@charity.example").exists()
    assert 'value="delete_selected"' not in listing.text
    assert 'value="anonymise_accounts"' in listing.text


def test_deleting_from_the_admin_anonymises_and_keeps_the_records(
    client, people, superuser, charity
) -> None:
    client.force_login(superuser)
    member = people["member"]

    response = client.post(
        "/admin/auth/user/",
        {"action": "anonymise_accounts", "_selected_action": [str(member.pk)]},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "" and not member.is_active and not member.has_usable_password()
    # The membership record is whole, ended rather than lost.
    assert Membership.objects.get(user=member, organisation=charity).status == "left"
    event = AuditEvent.objects.get(action="account.delete", object_id=str(member.pk))
    assert event.actor_id == superuser.pk


def test_an_administrator_cannot_delete_their_own_account_from_the_admin(client, superuser) -> None:
    client.force_login(superuser)

    response = client.post(
        "/admin/auth/user/",
        {"action": "anonymise_accounts", "_selected_action": [str(superuser.pk)]},
        follow=True,
    )

    assert "You cannot delete your own account here" in response.text
    superuser.refresh_from_db()
    assert superuser.is_active and superuser.email == "admin@platform.example"


def test_changes_made_in_the_admin_are_audited_with_before_and_after(
    client, people, superuser
) -> None:
    client.force_login(superuser)
    outsider = people["outsider"]
    form = client.get(f"/admin/auth/user/{outsider.pk}/change/")
    assert form.status_code == 200

    response = client.post(
        f"/admin/auth/user/{outsider.pk}/change/",
        {
            "username": outsider.username,
            "email": outsider.email,
            "first_name": "",
            "last_name": "",
            "is_active": "",  # switched off
            "date_joined_0": outsider.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": outsider.date_joined.strftime("%H:%M:%S"),
            "initial-date_joined_0": outsider.date_joined.strftime("%Y-%m-%d"),
            "initial-date_joined_1": outsider.date_joined.strftime("%H:%M:%S"),
        },
    )

    assert response.status_code == 302, response.content[:2000]
    event = AuditEvent.objects.get(action="account.admin_change", object_id=str(outsider.pk))
    assert event.actor_id == superuser.pk
    assert event.before["is_active"] is True and event.after["is_active"] is False


def test_a_password_set_by_an_administrator_is_audited_without_the_password(
    client, people, superuser
) -> None:
    client.force_login(superuser)
    outsider = people["outsider"]
    new = "a brand new long passphrase 42"

    response = client.post(
        f"/admin/auth/user/{outsider.pk}/password/",
        {"password1": new, "password2": new, "usable_password": "true"},
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="account.admin_password_set")
    assert event.actor_id == superuser.pk and event.object_id == str(outsider.pk)
    assert new not in str(event.before) + str(event.after)
