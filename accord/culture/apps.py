from django.apps import AppConfig


class CultureConfig(AppConfig):
    name = "accord.culture"
    verbose_name = "Culture"
    # (order, label, URL name taking the partnership's pk) shown as a tab on partnership pages
    partnership_tabs: list[tuple[int, str, str]] = [(12, "Culture", "culture:overview")]

    def ready(self) -> None:
        from accord.culture import demo  # noqa: F401
