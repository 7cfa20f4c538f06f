from django.apps import AppConfig


class ConflictsConfig(AppConfig):
    name = "accord.conflicts"
    verbose_name = "Conflicts"
    # (order, label, URL name taking the partnership's pk) shown as a tab on partnership pages
    partnership_tabs: list[tuple[int, str, str]] = []
