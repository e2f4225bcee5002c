from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Content bank"

    def ready(self) -> None:
        from content.signals import ensure_editors_group

        # Not limited to this app: the quiz app's permissions exist only after its own
        # post_migrate, and the group should include them.
        post_migrate.connect(ensure_editors_group, dispatch_uid="content_editors_group")
