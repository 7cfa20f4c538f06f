from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "accord.interventions"
    verbose_name = "Objectives and interventions"
    # (order, label, URL name[, need]); the facilitator opens the intervention tab too (VIEW)
    partnership_tabs: list[tuple[int, str, str] | tuple[int, str, str, str]] = [
        (3, "Objectives", "objectives:list"),
        (16, "Intervention", "interventions:overview", "view"),
    ]

    def ready(self) -> None:
        from accord.interventions import demo  # noqa: F401  (register the demo extension)
