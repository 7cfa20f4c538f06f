from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "accord.imports"
    verbose_name = "Imports"
