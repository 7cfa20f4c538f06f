from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "accord.demo"
    verbose_name = "Demo data"
