from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "accord.performance"
    verbose_name = "Performance"
    # (order, label, URL name taking the partnership's pk) shown as a tab on partnership pages
    partnership_tabs: list[tuple[int, str, str]] = []
