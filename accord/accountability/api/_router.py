"""The accountability API's one router; each feature module registers its routes on it."""

from ninja import Router

router = Router(tags=["accountability"])
