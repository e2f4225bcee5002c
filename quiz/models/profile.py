"""What a student shows of themselves to others: a display name, never the login name."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

_DEFAULT_NAME = re.compile(r"^candidate\s*\d+$", re.IGNORECASE)


def default_display_name(user_id: int) -> str:
    return f"Candidate {user_id}"


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(
        max_length=40,
        blank=True,
        help_text="Shown on rank lists instead of the login name. Empty: 'Candidate N'.",
    )

    def __str__(self) -> str:
        return self.display_name or default_display_name(self.user_id)

    def clean(self) -> None:
        self.display_name = " ".join(self.display_name.split())
        name = self.display_name
        # "Candidate 12" belongs to student 12: nobody may pose as another default name.
        if _DEFAULT_NAME.match(name) and name.lower() != default_display_name(self.user_id).lower():
            raise ValidationError(
                {"display_name": "Names like 'Candidate 12' are reserved; choose another."}
            )


def display_name_of(user) -> str:
    """The name rank lists show for ``user`` (uses a select_related ``profile`` if loaded)."""
    try:
        name = user.profile.display_name
    except Profile.DoesNotExist:
        name = ""
    return name or default_display_name(user.pk)
