from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "accord.partnerships"
    verbose_name = "Partnerships"
