from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

EDITORS_GROUP = "Content editors"


def ensure_editors_group(**kwargs) -> None:
    """Content editors may add, change, delete and view everything in the content bank and
    the quizzes, see attempts, answer error reports, and nothing else (no users, no groups). Runs after every
    migrate so new models are covered."""
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    perms = Permission.objects.filter(
        Q(content_type__app_label="content")
        | Q(content_type__app_label="quiz", content_type__model="quiz")
        | Q(content_type__app_label="quiz", codename="view_attempt")
        # The error-report queue: editors answer students' reports.
        | Q(content_type__app_label="quiz", codename__in=["view_errorreport", "change_errorreport"])
    )
    group.permissions.set(perms)
