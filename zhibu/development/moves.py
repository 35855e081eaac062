"""Hook: a person's 组织关系 moved within the district (zhibu.orgs.services.move_person_step)."""

from __future__ import annotations


def person_moved(*, person, from_branch, to_branch, on, actor) -> None:
    from zhibu.development import services

    services.move_file_step(actor=actor, person=person, to_branch=to_branch)
