"""A signed link names its one row and is read back only as the kind of link it was made for."""

from __future__ import annotations

from commonground.core.signed_links import (
    hash_secret,
    new_link_secret,
    read_signed_link,
    signed_link,
)

INVITATION = "commonground.partnerships.invitation"
SHARE = "commonground.commissioning.share"


def test_a_link_reads_back_as_its_row_and_the_hash_stored_for_its_secret() -> None:
    secret, stored = new_link_secret()
    assert stored == hash_secret(secret) and secret not in stored
    assert read_signed_link(signed_link(7, secret, salt=INVITATION), salt=INVITATION) == (7, stored)


def test_a_link_made_for_one_kind_is_not_read_as_another() -> None:
    secret, _stored = new_link_secret()
    assert read_signed_link(signed_link(7, secret, salt=SHARE), salt=INVITATION) is None


def test_a_changed_or_made_up_link_is_not_ours() -> None:
    secret, _stored = new_link_secret()
    token = signed_link(7, secret, salt=INVITATION)
    changed = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    assert read_signed_link(changed, salt=INVITATION) is None
    assert read_signed_link("made-up", salt=INVITATION) is None


def test_two_links_never_share_a_secret() -> None:
    assert new_link_secret()[0] != new_link_secret()[0]
