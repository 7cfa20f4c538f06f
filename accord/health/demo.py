"""The demo's health: scored once every other capability has written its history, so the Health
tab, the alerts and the detector's replayed past are there when the demo opens."""

from __future__ import annotations

from accord.demo.generator import DemoContext, demo_extension

SCORE_ALL_UP_TO = 200  # larger demos score the fixed cast now and the rest with accord_score


def score_demo(ctx: DemoContext) -> None:
    from accord.health.services import score_partnerships

    loaded = ctx.partnerships
    if len(loaded) > SCORE_ALL_UP_TO:
        loaded = loaded[:8]
    score_partnerships([lp.partnership.pk for lp in loaded], today=ctx.anchor)


@demo_extension("health")
def health_demo(ctx: DemoContext) -> None:
    # Extensions registered while the generator runs (accountability's feedback loop) come after
    # this one; registering the scoring step now puts it last.
    demo_extension("health.score")(score_demo)
