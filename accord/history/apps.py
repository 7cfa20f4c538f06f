from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "accord.history"
    verbose_name = "History import"

    def ready(self) -> None:
        from accord.history import (
            importer,  # noqa: F401  (registers the "history" import kind)
            sources,  # noqa: F401  (registers the "history" evidence source)
        )
