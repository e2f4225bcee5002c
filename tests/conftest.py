import pytest


@pytest.fixture(scope="session", autouse=True)
def _no_collected_static():
    """Tests serve static files through the finders; no collectstatic output is needed.
    Session-wide, so the live server (also session-wide) is built without it."""
    from django.conf import settings

    settings.STATIC_ROOT = None


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Axes needs the request to authenticate; client.login() has none. Its own tests enable it.
    settings.AXES_ENABLED = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def shipped_bank(db, settings):
    """The real content bank loaded into the test database."""
    from content.bank_files import files_to_db

    files_to_db(settings.CONTENT_BANK_DIR)
    from content.servable import bank_from_db

    return bank_from_db()


@pytest.fixture
def editor(db):
    from django.contrib.auth.models import Group

    from content.signals import EDITORS_GROUP, ensure_editors_group
    from tests.factories import UserFactory

    ensure_editors_group()
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def student(db):
    from tests.factories import UserFactory

    return UserFactory(username="asha")


@pytest.fixture
def clock():
    """A frozen clock the test moves by hand: ``clock.shift(seconds)``."""
    import datetime as dt

    import time_machine

    with time_machine.travel(
        dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False
    ) as traveller:
        yield traveller
