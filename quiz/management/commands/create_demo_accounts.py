from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from content.signals import EDITORS_GROUP, ensure_editors_group

# Documented in the README; for local demos only (never created by migrations).
DEMO_ACCOUNTS = [
    # username, password, is_staff, is_superuser, editor group
    ("student", "student-2plus2", False, False, False),
    ("editor", "editor-2plus2", True, False, True),
    ("admin", "admin-2plus2", True, True, False),
]


class Command(BaseCommand):
    help = "Create (or reset) the demo student, editor and admin accounts."

    def handle(self, *args, **options):
        ensure_editors_group()
        editors = Group.objects.get(name=EDITORS_GROUP)
        User = get_user_model()
        for username, password, is_staff, is_superuser, is_editor in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(username=username)
            user.is_staff = is_staff
            user.is_superuser = is_superuser
            user.set_password(password)
            user.save()
            if is_editor:
                user.groups.add(editors)
            self.stdout.write(f"{'created' if created else 'reset'} {username} / {password}")
