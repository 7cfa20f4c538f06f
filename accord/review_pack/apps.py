from django.apps import AppConfig


class ReviewPackConfig(AppConfig):
    name = "accord.review_pack"
    verbose_name = "Quarterly review pack"
    # A tab on partnership pages for every reader (the pack holds joint records only).
    partnership_tabs: list[tuple[int, str, str]] = [(95, "Review pack", "review_pack:index")]
