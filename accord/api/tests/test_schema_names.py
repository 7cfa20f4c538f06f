"""ninja names OpenAPI components after their classes: two schemas with one name would silently
merge into one (wrong) definition in the published schema."""

from collections import defaultdict

from ninja import Schema

import accord.api.router  # noqa: F401  (imports every capability's API)


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def test_every_api_schema_has_its_own_name():
    modules = defaultdict(set)
    for schema in subclasses(Schema):
        if schema.__module__.startswith("accord."):
            modules[schema.__name__].add(schema.__module__)
    clashes = {name: sorted(found) for name, found in modules.items() if len(found) > 1}
    assert clashes == {}
