from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Content bank"

    def ready(self) -> None:
        from content.signals import ensure_editors_group

        post_migrate.connect(ensure_editors_group, sender=self)
