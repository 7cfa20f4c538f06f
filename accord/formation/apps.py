from django.apps import AppConfig


class FormationConfig(AppConfig):
    name = "accord.formation"
    verbose_name = "Formation"
    # (order, label, URL name taking the partnership's pk) shown as a tab on partnership pages
    partnership_tabs: list[tuple[int, str, str]] = [(1, "Formation", "formation:overview")]
