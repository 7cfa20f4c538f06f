from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "accord.imports"
    verbose_name = "Imports"

    def ready(self) -> None:
        from accord.imports import passes  # noqa: F401  (registers the sweep)
