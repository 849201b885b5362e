"""Which function decides which route. The route codes live in the catalogue only: a route's
family (from its YAML file) names the module, and the function in it is `r_<code>`. A route in
the catalogue without a function, or a function without a route, fails on first use and in the
tests, so code and data cannot drift apart."""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import ModuleType

from ..catalogue import Route, Rules, rules
from . import assets, grants_subsidy, investment_partnership, procurement, provider_selection
from .context import Ctx, Outcome

RouteFunction = Callable[[Ctx, Route], Outcome]

FAMILY_MODULES: dict[str, ModuleType] = {
    "procurement": procurement,
    "health_care_selection": provider_selection,
    "grant": grants_subsidy,
    "subsidy": grants_subsidy,
    "asset": assets,
    "investment": investment_partnership,
    "partnership": investment_partnership,
}


class RegistryError(LookupError):
    """A route in the catalogue has no function, or a function has no route."""


def route_function(route: Route) -> RouteFunction:
    module = FAMILY_MODULES.get(route.family)
    fn = getattr(module, f"r_{route.code}", None) if module else None
    if fn is None:
        raise RegistryError(
            f"{route.file}: no function r_{route.code} in the module for family {route.family!r}"
        )
    return fn  # type: ignore[no-any-return]


@functools.cache
def _registered_names() -> frozenset[tuple[str, str]]:
    modules = set(FAMILY_MODULES.values())
    return frozenset(
        (m.__name__, name) for m in modules for name in vars(m) if name.startswith("r_")
    )


def route_functions(catalogue: Rules | None = None) -> dict[str, RouteFunction]:
    """Every route's function, in catalogue order; raises RegistryError if a route has no
    function or a module holds a route function the catalogue does not name."""
    catalogue = catalogue or rules()
    found = {code: route_function(route) for code, route in catalogue.routes.items()}
    used = {(fn.__module__, fn.__name__) for fn in found.values()}
    spare = sorted(name for _, name in _registered_names() - used)
    if spare:
        raise RegistryError(f"route functions with no route in the catalogue: {', '.join(spare)}")
    return found
