"""The governance router every feature module registers its handlers on."""

from ninja import Router

router = Router(tags=["governance"])
