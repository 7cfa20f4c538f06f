from django.apps import AppConfig


class ReviewPackConfig(AppConfig):
    name = "accord.review_pack"
    verbose_name = "Quarterly review pack"
