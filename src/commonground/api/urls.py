"""The versioned JSON API, described by OpenAPI at /api/v1/openapi.json.

One module a resource under api/v1/; each registers its router here.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger

from commonground.accounts.permissions import EmailNotConfirmed
from commonground.core.ratelimit import RateLimited

from .v1.account import router as account_router
from .v1.analysis import router as analysis_router
from .v1.appraisals import router as appraisals_router
from .v1.conversations import router as conversations_router
from .v1.errors import body as error_body
from .v1.errors import install as install_error_shape
from .v1.glossary import router as glossary_router
from .v1.health_checks import router as health_checks_router
from .v1.invitations import router as invitations_router
from .v1.link_reviews import router as link_reviews_router
from .v1.money_flows import router as money_flows_router
from .v1.needs import router as needs_router
from .v1.organisations import router as organisations_router
from .v1.parser import RefusingNulParser
from .v1.partnerships import router as partnerships_router
from .v1.places import router as places_router
from .v1.profiles import router as profiles_router
from .v1.routes import router as routes_router
from .v1.sectors import router as sectors_router
from .v1.shortlists import router as shortlists_router
from .v1.social_value import router as social_value_router


class CommonGroundAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        # Any operation refuses a query parameter holding a NUL character with 422, before it
        # runs (api/middleware.py, ADR 0059): every operation documents that answer.
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                operation["responses"].setdefault(422, dict(_UNREADABLE_QUERY))
        return schema


_UNREADABLE_QUERY = {
    "description": "Unprocessable Entity",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}},
}


class Reference(Swagger):
    # Ninja's own page has no lang attribute; ours declares English (WCAG 3.1.1).
    template = "api/reference.html"


api = CommonGroundAPI(
    title="Common Ground API",
    version="1",
    description=(
        "Open data about a place's purpose-driven organisations and the money that reaches them; "
        "commissioning route appraisal; partnerships, their health checks and social value; "
        "conversations and articulation analysis."
    ),
    urls_namespace="api-v1",
    parser=RefusingNulParser(),
    docs=Reference(),
)
# Every 4xx answer has one shape, {"detail", "field", "errors", "code"} (ADR 0020).
install_error_shape(api)


@api.exception_handler(EmailNotConfirmed)
def email_not_confirmed(request: HttpRequest, exc: EmailNotConfirmed) -> HttpResponse:
    # What others see needs a confirmed address (ADR 0023): say so, and how to confirm.
    return api.create_response(
        request, error_body([(None, exc.message)], "email_not_confirmed"), status=403
    )


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    # Every limit is listed in docs/operations.md and on the operations it applies to.
    response = api.create_response(
        request, error_body([(None, exc.message)], "rate_limited"), status=429
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


api.add_router("/", organisations_router)
api.add_router("/account/", account_router)
# Each of these routers names its own paths in full (/routes, /appraisals/{id}, ...).
for router in (
    routes_router,
    appraisals_router,
    places_router,
    money_flows_router,
    link_reviews_router,
    partnerships_router,
    health_checks_router,
    shortlists_router,
    profiles_router,
    invitations_router,
    social_value_router,
    analysis_router,
    conversations_router,
    sectors_router,
    glossary_router,
    needs_router,
):
    api.add_router("/", router)
