from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "accord.portfolio"
    verbose_name = "Portfolio"

    def ready(self) -> None:
        from accord.portfolio import passes  # noqa: F401  (registers the trust-stage pass)
